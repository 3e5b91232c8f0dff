-- Instants are stored as UTC timestamps; each article keeps the UTC offset it was
-- published in, so it can be served in its own time zone.

CREATE TABLE site_settings (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    url TEXT,
    logo_url TEXT,
    locale TEXT NOT NULL DEFAULT 'zh-CN',
    time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    utc_offset_minutes INTEGER NOT NULL DEFAULT 480,
    copyright TEXT NOT NULL DEFAULT '',
    credits TEXT NOT NULL DEFAULT '',
    icp_record TEXT,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE site_contacts (
    id BIGSERIAL PRIMARY KEY,
    position INTEGER NOT NULL DEFAULT 0,
    label TEXT NOT NULL,
    address TEXT,
    phone TEXT,
    email TEXT
);

CREATE TABLE media (
    id BIGSERIAL PRIMARY KEY,
    url TEXT NOT NULL,
    alt TEXT NOT NULL DEFAULT '',
    caption TEXT,
    width INTEGER,
    height INTEGER,
    mime_type TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE categories (
    id BIGSERIAL PRIMARY KEY,
    parent_id BIGINT REFERENCES categories (id) ON DELETE SET NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX categories_parent_idx ON categories (parent_id, position);

CREATE TABLE tags (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE articles (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    subtitle TEXT,
    summary TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    cover_media_id BIGINT REFERENCES media (id) ON DELETE SET NULL,
    source TEXT,
    author_name TEXT,
    category_id BIGINT REFERENCES categories (id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    published_at TIMESTAMP,
    utc_offset_minutes INTEGER NOT NULL DEFAULT 480,
    seo_title TEXT,
    seo_description TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- Public lists and prev/next walk (published_at, id) within a status, optionally within a category.
CREATE INDEX articles_status_published_idx ON articles (status, published_at, id);
CREATE INDEX articles_category_published_idx ON articles (category_id, status, published_at, id);
CREATE INDEX articles_author_idx ON articles (author_name);

-- published_at mirrors the article's while it is published (NULL otherwise), kept by the
-- triggers below, so "newest public articles with this tag" is one index range.
CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    published_at TIMESTAMP,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag_published_idx ON article_tags (tag_id, published_at, article_id);

CREATE TABLE article_media (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    media_id BIGINT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, media_id)
);

CREATE TABLE pages (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    seo_title TEXT,
    seo_description TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE magazine_issues (
    id BIGSERIAL PRIMARY KEY,
    number INTEGER,
    title TEXT NOT NULL,
    year INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    cover_media_id BIGINT REFERENCES media (id) ON DELETE SET NULL,
    published_on DATE NOT NULL,
    status TEXT NOT NULL DEFAULT 'published',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX magazine_issues_year_idx ON magazine_issues (year, published_on);

CREATE TABLE magazine_issue_articles (
    issue_id BIGINT NOT NULL REFERENCES magazine_issues (id) ON DELETE CASCADE,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (issue_id, article_id)
);

CREATE TABLE menus (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE menu_items (
    id BIGSERIAL PRIMARY KEY,
    menu_id BIGINT NOT NULL REFERENCES menus (id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES menu_items (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    target_id BIGINT,
    url TEXT
);
CREATE INDEX menu_items_menu_idx ON menu_items (menu_id, parent_id, position);

-- One row counting every change to the content. Response caches compare it on each
-- request, so a write through any writer (API, import, another instance) is seen at once.
CREATE TABLE content_changes (
    id BIGINT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO content_changes (id, version) VALUES (1, 0);

CREATE FUNCTION article_tags_mirror_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE article_tags
    SET published_at = (SELECT CASE WHEN status = 'published' THEN published_at END
                        FROM articles WHERE id = NEW.article_id)
    WHERE article_id = NEW.article_id AND tag_id = NEW.tag_id;
    RETURN NULL;
END $$;
CREATE TRIGGER article_tags_mirror_on_insert AFTER INSERT ON article_tags
    FOR EACH ROW EXECUTE FUNCTION article_tags_mirror_on_insert();

CREATE FUNCTION article_tags_mirror_on_article() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE article_tags
    SET published_at = CASE WHEN NEW.status = 'published' THEN NEW.published_at END
    WHERE article_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER article_tags_mirror_on_article AFTER UPDATE OF status, published_at ON articles
    FOR EACH ROW EXECUTE FUNCTION article_tags_mirror_on_article();

CREATE FUNCTION bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE content_changes SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER site_settings_bumps_version AFTER INSERT OR UPDATE OR DELETE ON site_settings FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER site_contacts_bumps_version AFTER INSERT OR UPDATE OR DELETE ON site_contacts FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER media_bumps_version AFTER INSERT OR UPDATE OR DELETE ON media FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER categories_bumps_version AFTER INSERT OR UPDATE OR DELETE ON categories FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER tags_bumps_version AFTER INSERT OR UPDATE OR DELETE ON tags FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER articles_bumps_version AFTER INSERT OR UPDATE OR DELETE ON articles FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER article_tags_bumps_version AFTER INSERT OR UPDATE OR DELETE ON article_tags FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER article_media_bumps_version AFTER INSERT OR UPDATE OR DELETE ON article_media FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER pages_bumps_version AFTER INSERT OR UPDATE OR DELETE ON pages FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER magazine_issues_bumps_version AFTER INSERT OR UPDATE OR DELETE ON magazine_issues FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER magazine_issue_articles_bumps_version AFTER INSERT OR UPDATE OR DELETE ON magazine_issue_articles FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER menus_bumps_version AFTER INSERT OR UPDATE OR DELETE ON menus FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER menu_items_bumps_version AFTER INSERT OR UPDATE OR DELETE ON menu_items FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
