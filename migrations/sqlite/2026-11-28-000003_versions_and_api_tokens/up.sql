-- Every editable resource carries a version: its strong ETag, checked against If-Match.
ALTER TABLE categories ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE tags ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE pages ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE media ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE magazine_issues ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE menus ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE site_settings ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- Long-lived tokens for machine clients; only a hash is kept.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
