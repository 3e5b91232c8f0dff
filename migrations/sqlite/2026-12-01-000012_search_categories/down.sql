-- The index as it was, empty: `masthead migrate` writes it again from the articles.
DROP TABLE article_search;
CREATE VIRTUAL TABLE article_search USING fts5(
    title, body, pinyin,
    tokenize = 'unicode61 remove_diacritics 0',
    content = '', contentless_delete = 1
);

CREATE TABLE categories_old (
    id INTEGER PRIMARY KEY NOT NULL,
    parent_id BIGINT REFERENCES categories (id) ON DELETE SET NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
INSERT INTO categories_old (id, parent_id, slug, name, description, position, created_at, updated_at, version)
    SELECT id, parent_id, slug, name, description, position, created_at, updated_at, version FROM categories;
DROP TABLE categories;
ALTER TABLE categories_old RENAME TO categories;
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
