DROP TRIGGER articles_insert_changes ON articles;
DROP TRIGGER articles_update_changes ON articles;
DROP TRIGGER articles_delete_changes ON articles;
DROP TRIGGER article_tags_insert_changes ON article_tags;
DROP TRIGGER article_tags_update_changes ON article_tags;
DROP TRIGGER article_tags_delete_changes ON article_tags;
DROP TRIGGER article_media_insert_changes ON article_media;
DROP TRIGGER article_media_update_changes ON article_media;
DROP TRIGGER article_media_delete_changes ON article_media;
DROP FUNCTION articles_inserted_change();
DROP FUNCTION articles_updated_change();
DROP FUNCTION articles_deleted_change();
DROP FUNCTION article_tags_inserted_change();
DROP FUNCTION article_tags_updated_change();
DROP FUNCTION article_tags_deleted_change();
DROP FUNCTION article_media_inserted_change();
DROP FUNCTION article_media_updated_change();
DROP FUNCTION article_media_deleted_change();

CREATE OR REPLACE FUNCTION bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER articles_bumps_version AFTER INSERT OR UPDATE OR DELETE ON articles FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER article_tags_bumps_version AFTER INSERT OR UPDATE OR DELETE ON article_tags FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER article_media_bumps_version AFTER INSERT OR UPDATE OR DELETE ON article_media FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();

DROP FUNCTION content_changed(TEXT[]);
DROP TABLE content_change_keys;
