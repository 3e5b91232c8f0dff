CREATE OR REPLACE FUNCTION content_changed(names TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    changed_at BIGINT;
BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1 RETURNING version INTO changed_at;
    INSERT INTO content_change_keys (name, version)
    SELECT DISTINCT changed.name, changed_at FROM unnest(names) AS changed(name)
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
END $$;

DROP TRIGGER site_settings_bumps_version ON site_settings;
CREATE TRIGGER site_settings_bumps_version AFTER INSERT OR UPDATE OR DELETE ON site_settings FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
DROP TRIGGER site_contacts_bumps_version ON site_contacts;
CREATE TRIGGER site_contacts_bumps_version AFTER INSERT OR UPDATE OR DELETE ON site_contacts FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
DROP TRIGGER media_bumps_version ON media;
CREATE TRIGGER media_bumps_version AFTER INSERT OR UPDATE OR DELETE ON media FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
DROP TRIGGER categories_bumps_version ON categories;
CREATE TRIGGER categories_bumps_version AFTER INSERT OR UPDATE OR DELETE ON categories FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
DROP TRIGGER tags_bumps_version ON tags;
CREATE TRIGGER tags_bumps_version AFTER INSERT OR UPDATE OR DELETE ON tags FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
DROP TRIGGER pages_bumps_version ON pages;
CREATE TRIGGER pages_bumps_version AFTER INSERT OR UPDATE OR DELETE ON pages FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
DROP TRIGGER magazine_issues_bumps_version ON magazine_issues;
CREATE TRIGGER magazine_issues_bumps_version AFTER INSERT OR UPDATE OR DELETE ON magazine_issues FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
DROP TRIGGER magazine_issue_articles_bumps_version ON magazine_issue_articles;
CREATE TRIGGER magazine_issue_articles_bumps_version AFTER INSERT OR UPDATE OR DELETE ON magazine_issue_articles FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
DROP TRIGGER menus_bumps_version ON menus;
CREATE TRIGGER menus_bumps_version AFTER INSERT OR UPDATE OR DELETE ON menus FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
DROP TRIGGER menu_items_bumps_version ON menu_items;
CREATE TRIGGER menu_items_bumps_version AFTER INSERT OR UPDATE OR DELETE ON menu_items FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
