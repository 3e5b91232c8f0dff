ALTER TABLE articles DROP COLUMN version;
ALTER TABLE articles DROP COLUMN author_id;
DROP TABLE article_slug_history;
DROP TABLE audit_log;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE users;
