DROP TABLE api_tokens;
ALTER TABLE users DROP COLUMN version;
ALTER TABLE site_settings DROP COLUMN version;
ALTER TABLE menus DROP COLUMN version;
ALTER TABLE magazine_issues DROP COLUMN version;
ALTER TABLE media DROP COLUMN version;
ALTER TABLE pages DROP COLUMN version;
ALTER TABLE tags DROP COLUMN version;
ALTER TABLE categories DROP COLUMN version;
