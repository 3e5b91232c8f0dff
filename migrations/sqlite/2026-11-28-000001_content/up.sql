-- Instants are stored as UTC timestamps; each article keeps the UTC offset it was
-- published in, so it can be served in its own time zone.

CREATE TABLE site_settings (
    id INTEGER PRIMARY KEY NOT NULL,
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
    id INTEGER PRIMARY KEY NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    label TEXT NOT NULL,
    address TEXT,
    phone TEXT,
    email TEXT
);

CREATE TABLE media (
    id INTEGER PRIMARY KEY NOT NULL,
    url TEXT NOT NULL,
    alt TEXT NOT NULL DEFAULT '',
    caption TEXT,
    width INTEGER,
    height INTEGER,
    mime_type TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY NOT NULL,
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
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY NOT NULL,
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

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag_idx ON article_tags (tag_id, article_id);

CREATE TABLE article_media (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    media_id BIGINT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, media_id)
);

CREATE TABLE pages (
    id INTEGER PRIMARY KEY NOT NULL,
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
    id INTEGER PRIMARY KEY NOT NULL,
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
    id INTEGER PRIMARY KEY NOT NULL,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE menu_items (
    id INTEGER PRIMARY KEY NOT NULL,
    menu_id BIGINT NOT NULL REFERENCES menus (id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES menu_items (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    target_id BIGINT,
    url TEXT
);
CREATE INDEX menu_items_menu_idx ON menu_items (menu_id, parent_id, position);
