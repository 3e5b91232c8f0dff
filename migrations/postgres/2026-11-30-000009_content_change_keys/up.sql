-- What changed, by key, at which content version: a response cache drops only the entries
-- that show a changed key, and all of them when '*' changed. Keys: 'article:<id>' (its row,
-- tags or pictures; 'related:<id>', its related list, is recorded by the application),
-- 'category:<id|none>' (an article entered, left or moved
-- within the category's publication order), 'tag:<id>' (the same for a tag), '*' (site,
-- categories, tags, media, pages, issues, menus). One row per key, its latest change, so
-- the table holds at most a row per article, category and tag.
CREATE TABLE content_change_keys (
    name TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX content_change_keys_version ON content_change_keys (version);

-- Bumps the version and records the keys at the bumped value. The version row stays locked
-- until the transaction ends, so versions commit in order and a key's version is never one
-- a cache can read before the change commits.
CREATE FUNCTION content_changed(names TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    changed_at BIGINT;
BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1 RETURNING version INTO changed_at;
    INSERT INTO content_change_keys (name, version)
    SELECT DISTINCT changed.name, changed_at FROM unnest(names) AS changed(name)
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
END $$;

-- Site-wide tables: everything may show them.
CREATE OR REPLACE FUNCTION bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM content_changed(ARRAY['*']);
    RETURN NULL;
END $$;

-- Articles and their tags and pictures: by key, once per statement (as the version was).
DROP TRIGGER articles_bumps_version ON articles;
DROP TRIGGER article_tags_bumps_version ON article_tags;
DROP TRIGGER article_media_bumps_version ON article_media;

CREATE FUNCTION articles_inserted_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM content_changed(ARRAY(
        SELECT 'category:' || COALESCE(category_id::text, 'none') FROM new_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER articles_insert_changes AFTER INSERT ON articles
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_inserted_change();

CREATE FUNCTION articles_updated_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM content_changed(ARRAY(
        SELECT 'article:' || id FROM new_rows
        UNION
        SELECT 'category:' || COALESCE(moved.category_id::text, 'none')
        FROM old_rows o JOIN new_rows n ON n.id = o.id,
             LATERAL (VALUES (o.category_id), (n.category_id)) AS moved(category_id)
        WHERE (o.status, o.published_at, o.category_id)
              IS DISTINCT FROM (n.status, n.published_at, n.category_id)));
    RETURN NULL;
END $$;
CREATE TRIGGER articles_update_changes AFTER UPDATE ON articles
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_updated_change();

CREATE FUNCTION articles_deleted_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM content_changed(ARRAY(
        SELECT 'article:' || id FROM old_rows
        UNION
        SELECT 'category:' || COALESCE(category_id::text, 'none') FROM old_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER articles_delete_changes AFTER DELETE ON articles
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_deleted_change();

-- A tag row changes its article, and the tag's publication order.
CREATE FUNCTION article_tags_inserted_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM content_changed(ARRAY(
        SELECT 'article:' || article_id FROM new_rows
        UNION SELECT 'tag:' || tag_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER article_tags_insert_changes AFTER INSERT ON article_tags
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION article_tags_inserted_change();

-- Every article write rewrites its tags' publication mirror: only rows that really changed
-- count, and none at all is no change.
CREATE FUNCTION article_tags_updated_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    names TEXT[];
BEGIN
    names := ARRAY(
        WITH changed AS (
            (SELECT * FROM new_rows EXCEPT SELECT * FROM old_rows)
            UNION ALL
            (SELECT * FROM old_rows EXCEPT SELECT * FROM new_rows))
        SELECT 'article:' || article_id FROM changed
        UNION SELECT 'tag:' || tag_id FROM changed);
    IF cardinality(names) > 0 THEN
        PERFORM content_changed(names);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER article_tags_update_changes AFTER UPDATE ON article_tags
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION article_tags_updated_change();

CREATE FUNCTION article_tags_deleted_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM content_changed(ARRAY(
        SELECT 'article:' || article_id FROM old_rows
        UNION SELECT 'tag:' || tag_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER article_tags_delete_changes AFTER DELETE ON article_tags
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION article_tags_deleted_change();

CREATE FUNCTION article_media_inserted_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM content_changed(ARRAY(SELECT DISTINCT 'article:' || article_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER article_media_insert_changes AFTER INSERT ON article_media
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION article_media_inserted_change();

CREATE FUNCTION article_media_updated_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM content_changed(ARRAY(
        SELECT 'article:' || article_id FROM new_rows
        UNION SELECT 'article:' || article_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER article_media_update_changes AFTER UPDATE ON article_media
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION article_media_updated_change();

CREATE FUNCTION article_media_deleted_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM content_changed(ARRAY(SELECT DISTINCT 'article:' || article_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER article_media_delete_changes AFTER DELETE ON article_media
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION article_media_deleted_change();
