-- Each article's category as a term of its own in the search index, so that a search in a
-- category is one full-text query (`{category} : (c1 OR c2)`), its count taken from the index
-- rather than by looking up every match's article (measured at 100,000 articles: 2.7 ms to
-- count 书店's 3,860 matches in `news` by lookups; see docs/benchmarks.md).
--
-- FTS5 cannot add a column: the index is made again, empty, and `masthead migrate` (run by
-- every command first) writes it from the articles, as only the application can segment
-- their text.
DROP TABLE article_search;
CREATE VIRTUAL TABLE article_search USING fts5(
    title, body, pinyin, category,
    tokenize = 'unicode61 remove_diacritics 0',
    content = '', contentless_delete = 1
);

-- A category id is never used twice (AUTOINCREMENT): an article keeps its old category's
-- term when that category is deleted (ON DELETE SET NULL does not reach the index), and a
-- new category given the same id would otherwise find those articles. Made again as SQLite
-- makes a table again (foreign keys are off while migrations run: see db::migrate).
CREATE TABLE categories_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    parent_id BIGINT REFERENCES categories (id) ON DELETE SET NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
INSERT INTO categories_new (id, parent_id, slug, name, description, position, created_at, updated_at, version)
    SELECT id, parent_id, slug, name, description, position, created_at, updated_at, version FROM categories;
DROP TABLE categories;
ALTER TABLE categories_new RENAME TO categories;
CREATE INDEX categories_parent_idx ON categories (parent_id, position);

CREATE TRIGGER categories_insert_bumps_version AFTER INSERT ON categories BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER categories_update_bumps_version AFTER UPDATE ON categories BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER categories_delete_bumps_version AFTER DELETE ON categories BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER published_counts_category_gone AFTER DELETE ON categories
BEGIN
    DELETE FROM published_counts WHERE scope = 'category' AND key = OLD.id;
END;
