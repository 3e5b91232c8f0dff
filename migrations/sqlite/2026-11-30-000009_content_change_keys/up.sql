-- What changed, by key, at which content version: a response cache drops only the entries
-- that show a changed key, and all of them when '*' changed. Keys: 'article:<id>' (its row,
-- tags or pictures; 'related:<id>', its related list, is recorded by the application),
-- 'category:<id|none>' (an article entered, left or moved
-- within the category's publication order), 'tag:<id>' (the same for a tag), '*' (site,
-- categories, tags, media, pages, issues, menus). One row per key, its latest change, so
-- the table holds at most a row per article, category and tag. Each trigger bumps the
-- version first and records the bumped value, so a key's version is never one a cache can
-- read before the change commits.
CREATE TABLE content_change_keys (
    name TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX content_change_keys_version ON content_change_keys (version);

DROP TRIGGER site_settings_insert_bumps_version;
CREATE TRIGGER site_settings_insert_bumps_version AFTER INSERT ON site_settings BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER site_settings_update_bumps_version;
CREATE TRIGGER site_settings_update_bumps_version AFTER UPDATE ON site_settings BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER site_settings_delete_bumps_version;
CREATE TRIGGER site_settings_delete_bumps_version AFTER DELETE ON site_settings BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER site_contacts_insert_bumps_version;
CREATE TRIGGER site_contacts_insert_bumps_version AFTER INSERT ON site_contacts BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER site_contacts_update_bumps_version;
CREATE TRIGGER site_contacts_update_bumps_version AFTER UPDATE ON site_contacts BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER site_contacts_delete_bumps_version;
CREATE TRIGGER site_contacts_delete_bumps_version AFTER DELETE ON site_contacts BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER media_insert_bumps_version;
CREATE TRIGGER media_insert_bumps_version AFTER INSERT ON media BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER media_update_bumps_version;
CREATE TRIGGER media_update_bumps_version AFTER UPDATE ON media BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER media_delete_bumps_version;
CREATE TRIGGER media_delete_bumps_version AFTER DELETE ON media BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER categories_insert_bumps_version;
CREATE TRIGGER categories_insert_bumps_version AFTER INSERT ON categories BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER categories_update_bumps_version;
CREATE TRIGGER categories_update_bumps_version AFTER UPDATE ON categories BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER categories_delete_bumps_version;
CREATE TRIGGER categories_delete_bumps_version AFTER DELETE ON categories BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER tags_insert_bumps_version;
CREATE TRIGGER tags_insert_bumps_version AFTER INSERT ON tags BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER tags_update_bumps_version;
CREATE TRIGGER tags_update_bumps_version AFTER UPDATE ON tags BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER tags_delete_bumps_version;
CREATE TRIGGER tags_delete_bumps_version AFTER DELETE ON tags BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER pages_insert_bumps_version;
CREATE TRIGGER pages_insert_bumps_version AFTER INSERT ON pages BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER pages_update_bumps_version;
CREATE TRIGGER pages_update_bumps_version AFTER UPDATE ON pages BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER pages_delete_bumps_version;
CREATE TRIGGER pages_delete_bumps_version AFTER DELETE ON pages BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER magazine_issues_insert_bumps_version;
CREATE TRIGGER magazine_issues_insert_bumps_version AFTER INSERT ON magazine_issues BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER magazine_issues_update_bumps_version;
CREATE TRIGGER magazine_issues_update_bumps_version AFTER UPDATE ON magazine_issues BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER magazine_issues_delete_bumps_version;
CREATE TRIGGER magazine_issues_delete_bumps_version AFTER DELETE ON magazine_issues BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER magazine_issue_articles_insert_bumps_version;
CREATE TRIGGER magazine_issue_articles_insert_bumps_version AFTER INSERT ON magazine_issue_articles BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER magazine_issue_articles_update_bumps_version;
CREATE TRIGGER magazine_issue_articles_update_bumps_version AFTER UPDATE ON magazine_issue_articles BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER magazine_issue_articles_delete_bumps_version;
CREATE TRIGGER magazine_issue_articles_delete_bumps_version AFTER DELETE ON magazine_issue_articles BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER menus_insert_bumps_version;
CREATE TRIGGER menus_insert_bumps_version AFTER INSERT ON menus BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER menus_update_bumps_version;
CREATE TRIGGER menus_update_bumps_version AFTER UPDATE ON menus BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER menus_delete_bumps_version;
CREATE TRIGGER menus_delete_bumps_version AFTER DELETE ON menus BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER menu_items_insert_bumps_version;
CREATE TRIGGER menu_items_insert_bumps_version AFTER INSERT ON menu_items BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER menu_items_update_bumps_version;
CREATE TRIGGER menu_items_update_bumps_version AFTER UPDATE ON menu_items BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER menu_items_delete_bumps_version;
CREATE TRIGGER menu_items_delete_bumps_version AFTER DELETE ON menu_items BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT '*', version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER articles_insert_bumps_version;
CREATE TRIGGER articles_insert_bumps_version AFTER INSERT ON articles BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT 'category:' || COALESCE(NEW.category_id, 'none'), version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER articles_update_bumps_version;
CREATE TRIGGER articles_update_bumps_version AFTER UPDATE ON articles BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT 'article:' || NEW.id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
    INSERT INTO content_change_keys (name, version)
        SELECT 'category:' || COALESCE(OLD.category_id, 'none'), version FROM content_changes WHERE id = 1
        AND (OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
             OR OLD.category_id IS NOT NEW.category_id)
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
    INSERT INTO content_change_keys (name, version)
        SELECT 'category:' || COALESCE(NEW.category_id, 'none'), version FROM content_changes WHERE id = 1
        AND (OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
             OR OLD.category_id IS NOT NEW.category_id)
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER articles_delete_bumps_version;
CREATE TRIGGER articles_delete_bumps_version AFTER DELETE ON articles BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT 'article:' || OLD.id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
    INSERT INTO content_change_keys (name, version)
        SELECT 'category:' || COALESCE(OLD.category_id, 'none'), version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER article_tags_insert_bumps_version;
CREATE TRIGGER article_tags_insert_bumps_version AFTER INSERT ON article_tags BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT 'article:' || NEW.article_id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
    INSERT INTO content_change_keys (name, version)
        SELECT 'tag:' || NEW.tag_id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER article_tags_update_bumps_version;
-- Every article write rewrites its tags' publication mirror: only a real change counts.
CREATE TRIGGER article_tags_update_bumps_version AFTER UPDATE ON article_tags
    WHEN OLD.published_at IS NOT NEW.published_at OR OLD.tag_id IS NOT NEW.tag_id
         OR OLD.article_id IS NOT NEW.article_id
BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT 'article:' || NEW.article_id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
    INSERT INTO content_change_keys (name, version)
        SELECT 'article:' || OLD.article_id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
    INSERT INTO content_change_keys (name, version)
        SELECT 'tag:' || OLD.tag_id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
    INSERT INTO content_change_keys (name, version)
        SELECT 'tag:' || NEW.tag_id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER article_tags_delete_bumps_version;
CREATE TRIGGER article_tags_delete_bumps_version AFTER DELETE ON article_tags BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT 'article:' || OLD.article_id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
    INSERT INTO content_change_keys (name, version)
        SELECT 'tag:' || OLD.tag_id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER article_media_insert_bumps_version;
CREATE TRIGGER article_media_insert_bumps_version AFTER INSERT ON article_media BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT 'article:' || NEW.article_id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER article_media_update_bumps_version;
CREATE TRIGGER article_media_update_bumps_version AFTER UPDATE ON article_media BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT 'article:' || OLD.article_id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
    INSERT INTO content_change_keys (name, version)
        SELECT 'article:' || NEW.article_id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;

DROP TRIGGER article_media_delete_bumps_version;
CREATE TRIGGER article_media_delete_bumps_version AFTER DELETE ON article_media BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    INSERT INTO content_change_keys (name, version)
        SELECT 'article:' || OLD.article_id, version FROM content_changes WHERE id = 1
        ON CONFLICT (name) DO UPDATE SET version = excluded.version;
END;
