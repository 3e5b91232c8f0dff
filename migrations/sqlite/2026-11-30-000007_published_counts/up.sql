-- Published articles counted by the database, so that no public read counts rows: the
-- whole site (scope 'site', key 0), each category ('category', its id; direct, not
-- rolled up), each tag ('tag', its id) and each month in the site's UTC offset ('month',
-- year * 12 + month - 1). "Published" is the stored status with a publication time, the
-- future included: a scheduled article becomes public with no write, so a read takes
-- away the published articles whose time has not come (an index range over only those).
-- Kept by the triggers below in the transaction of every write, whatever makes it (the
-- API, an import, `generate`).
CREATE TABLE published_counts (
    scope TEXT NOT NULL,
    key BIGINT NOT NULL,
    articles BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);

-- The month of an instant in the site's offset, as in the archive; NULL outside the
-- stored years (src/dates.rs). SQLite has no SQL functions of its own: the triggers
-- repeat this expression for NEW.published_at and OLD.published_at.
--
-- CASE WHEN at >= '1900-01-01' AND at < '2201-01-01' THEN
--     (SELECT CAST(strftime('%Y', at, o || ' minutes') AS INTEGER) * 12
--           + CAST(strftime('%m', at, o || ' minutes') AS INTEGER) - 1
--      FROM (SELECT COALESCE((SELECT utc_offset_minutes FROM site_settings WHERE id = 1), 480) AS o))
-- END

CREATE TRIGGER published_counts_article_insert AFTER INSERT ON articles
WHEN NEW.status = 'published' AND NEW.published_at IS NOT NULL
BEGIN
    INSERT INTO published_counts (scope, key, articles) VALUES ('site', 0, 1)
        ON CONFLICT (scope, key) DO UPDATE SET articles = articles + 1;
    INSERT INTO published_counts (scope, key, articles)
        SELECT 'category', NEW.category_id, 1 WHERE NEW.category_id IS NOT NULL
        ON CONFLICT (scope, key) DO UPDATE SET articles = articles + 1;
    INSERT INTO published_counts (scope, key, articles)
        SELECT 'month', month, 1 FROM (SELECT
            CASE WHEN NEW.published_at >= '1900-01-01' AND NEW.published_at < '2201-01-01' THEN
                (SELECT CAST(strftime('%Y', NEW.published_at, o || ' minutes') AS INTEGER) * 12
                      + CAST(strftime('%m', NEW.published_at, o || ' minutes') AS INTEGER) - 1
                 FROM (SELECT COALESCE((SELECT utc_offset_minutes FROM site_settings WHERE id = 1), 480) AS o))
            END AS month)
        WHERE month IS NOT NULL
        ON CONFLICT (scope, key) DO UPDATE SET articles = articles + 1;
END;

-- A decrement is a plain UPDATE: the row of a category or tag being deleted may be gone
-- already, and must not come back.
CREATE TRIGGER published_counts_article_delete AFTER DELETE ON articles
WHEN OLD.status = 'published' AND OLD.published_at IS NOT NULL
BEGIN
    UPDATE published_counts SET articles = articles - 1
    WHERE (scope = 'site' AND key = 0)
       OR (scope = 'category' AND key = OLD.category_id)
       OR (scope = 'month' AND key =
            CASE WHEN OLD.published_at >= '1900-01-01' AND OLD.published_at < '2201-01-01' THEN
                (SELECT CAST(strftime('%Y', OLD.published_at, o || ' minutes') AS INTEGER) * 12
                      + CAST(strftime('%m', OLD.published_at, o || ' minutes') AS INTEGER) - 1
                 FROM (SELECT COALESCE((SELECT utc_offset_minutes FROM site_settings WHERE id = 1), 480) AS o))
            END);
END;

-- An update takes the old row's counts away and adds the new row's (SQLite runs the
-- triggers of one event in a fixed order, but these two statements are one trigger).
CREATE TRIGGER published_counts_article_update AFTER UPDATE OF status, published_at, category_id ON articles
WHEN OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
  OR OLD.category_id IS NOT NEW.category_id
BEGIN
    UPDATE published_counts SET articles = articles - 1
    WHERE OLD.status = 'published' AND OLD.published_at IS NOT NULL
      AND ((scope = 'site' AND key = 0)
       OR (scope = 'category' AND key = OLD.category_id)
       OR (scope = 'month' AND key =
            CASE WHEN OLD.published_at >= '1900-01-01' AND OLD.published_at < '2201-01-01' THEN
                (SELECT CAST(strftime('%Y', OLD.published_at, o || ' minutes') AS INTEGER) * 12
                      + CAST(strftime('%m', OLD.published_at, o || ' minutes') AS INTEGER) - 1
                 FROM (SELECT COALESCE((SELECT utc_offset_minutes FROM site_settings WHERE id = 1), 480) AS o))
            END));
    INSERT INTO published_counts (scope, key, articles)
        SELECT 'site', 0, 1 WHERE NEW.status = 'published' AND NEW.published_at IS NOT NULL
        ON CONFLICT (scope, key) DO UPDATE SET articles = articles + 1;
    INSERT INTO published_counts (scope, key, articles)
        SELECT 'category', NEW.category_id, 1
        WHERE NEW.status = 'published' AND NEW.published_at IS NOT NULL AND NEW.category_id IS NOT NULL
        ON CONFLICT (scope, key) DO UPDATE SET articles = articles + 1;
    INSERT INTO published_counts (scope, key, articles)
        SELECT 'month', month, 1 FROM (SELECT
            CASE WHEN NEW.published_at >= '1900-01-01' AND NEW.published_at < '2201-01-01' THEN
                (SELECT CAST(strftime('%Y', NEW.published_at, o || ' minutes') AS INTEGER) * 12
                      + CAST(strftime('%m', NEW.published_at, o || ' minutes') AS INTEGER) - 1
                 FROM (SELECT COALESCE((SELECT utc_offset_minutes FROM site_settings WHERE id = 1), 480) AS o))
            END AS month)
        WHERE NEW.status = 'published' AND month IS NOT NULL
        ON CONFLICT (scope, key) DO UPDATE SET articles = articles + 1;
END;

-- Tags count their rows whose mirrored published_at is set: the mirror triggers (first
-- migration) keep it as the article is published, unpublished or rescheduled.
CREATE TRIGGER published_counts_tag_insert AFTER INSERT ON article_tags
WHEN NEW.published_at IS NOT NULL
BEGIN
    INSERT INTO published_counts (scope, key, articles) VALUES ('tag', NEW.tag_id, 1)
        ON CONFLICT (scope, key) DO UPDATE SET articles = articles + 1;
END;
CREATE TRIGGER published_counts_tag_delete AFTER DELETE ON article_tags
WHEN OLD.published_at IS NOT NULL
BEGIN
    UPDATE published_counts SET articles = articles - 1 WHERE scope = 'tag' AND key = OLD.tag_id;
END;
CREATE TRIGGER published_counts_tag_update AFTER UPDATE OF published_at, tag_id ON article_tags
WHEN (OLD.published_at IS NULL) IS NOT (NEW.published_at IS NULL) OR OLD.tag_id IS NOT NEW.tag_id
BEGIN
    UPDATE published_counts SET articles = articles - 1
    WHERE OLD.published_at IS NOT NULL AND scope = 'tag' AND key = OLD.tag_id;
    INSERT INTO published_counts (scope, key, articles)
        SELECT 'tag', NEW.tag_id, 1 WHERE NEW.published_at IS NOT NULL
        ON CONFLICT (scope, key) DO UPDATE SET articles = articles + 1;
END;

-- A deleted category or tag takes its row with it (its articles are moved out first or
-- after: either way the count ends gone, never negative).
CREATE TRIGGER published_counts_category_gone AFTER DELETE ON categories
BEGIN
    DELETE FROM published_counts WHERE scope = 'category' AND key = OLD.id;
END;
CREATE TRIGGER published_counts_tag_gone AFTER DELETE ON tags
BEGIN
    DELETE FROM published_counts WHERE scope = 'tag' AND key = OLD.id;
END;

-- The months follow the site's offset: when it changes (or the settings row comes or
-- goes), they are counted again, once, in that write's transaction.
CREATE TRIGGER published_counts_months_on_settings_insert AFTER INSERT ON site_settings
WHEN NEW.id = 1
BEGIN
    DELETE FROM published_counts WHERE scope = 'month';
    INSERT INTO published_counts (scope, key, articles)
        SELECT 'month', month, COUNT(*) FROM (SELECT
            (SELECT CAST(strftime('%Y', published_at, o || ' minutes') AS INTEGER) * 12
                  + CAST(strftime('%m', published_at, o || ' minutes') AS INTEGER) - 1
             FROM (SELECT COALESCE((SELECT utc_offset_minutes FROM site_settings WHERE id = 1), 480) AS o)) AS month
            FROM articles
            WHERE status = 'published' AND published_at >= '1900-01-01' AND published_at < '2201-01-01')
        WHERE month IS NOT NULL GROUP BY month;
END;
CREATE TRIGGER published_counts_months_on_settings_update AFTER UPDATE OF utc_offset_minutes ON site_settings
WHEN NEW.id = 1 AND OLD.utc_offset_minutes IS NOT NEW.utc_offset_minutes
BEGIN
    DELETE FROM published_counts WHERE scope = 'month';
    INSERT INTO published_counts (scope, key, articles)
        SELECT 'month', month, COUNT(*) FROM (SELECT
            (SELECT CAST(strftime('%Y', published_at, o || ' minutes') AS INTEGER) * 12
                  + CAST(strftime('%m', published_at, o || ' minutes') AS INTEGER) - 1
             FROM (SELECT COALESCE((SELECT utc_offset_minutes FROM site_settings WHERE id = 1), 480) AS o)) AS month
            FROM articles
            WHERE status = 'published' AND published_at >= '1900-01-01' AND published_at < '2201-01-01')
        WHERE month IS NOT NULL GROUP BY month;
END;
CREATE TRIGGER published_counts_months_on_settings_delete AFTER DELETE ON site_settings
WHEN OLD.id = 1
BEGIN
    DELETE FROM published_counts WHERE scope = 'month';
    INSERT INTO published_counts (scope, key, articles)
        SELECT 'month', month, COUNT(*) FROM (SELECT
            (SELECT CAST(strftime('%Y', published_at, o || ' minutes') AS INTEGER) * 12
                  + CAST(strftime('%m', published_at, o || ' minutes') AS INTEGER) - 1
             FROM (SELECT COALESCE((SELECT utc_offset_minutes FROM site_settings WHERE id = 1), 480) AS o)) AS month
            FROM articles
            WHERE status = 'published' AND published_at >= '1900-01-01' AND published_at < '2201-01-01')
        WHERE month IS NOT NULL GROUP BY month;
END;

-- What is there already.
INSERT INTO published_counts (scope, key, articles)
    SELECT 'site', 0, COUNT(*) FROM articles WHERE status = 'published' AND published_at IS NOT NULL;
INSERT INTO published_counts (scope, key, articles)
    SELECT 'category', category_id, COUNT(*) FROM articles
    WHERE status = 'published' AND published_at IS NOT NULL AND category_id IS NOT NULL
    GROUP BY category_id;
INSERT INTO published_counts (scope, key, articles)
    SELECT 'tag', tag_id, COUNT(*) FROM article_tags WHERE published_at IS NOT NULL GROUP BY tag_id;
INSERT INTO published_counts (scope, key, articles)
    SELECT 'month', month, COUNT(*) FROM (SELECT
        (SELECT CAST(strftime('%Y', published_at, o || ' minutes') AS INTEGER) * 12
              + CAST(strftime('%m', published_at, o || ' minutes') AS INTEGER) - 1
         FROM (SELECT COALESCE((SELECT utc_offset_minutes FROM site_settings WHERE id = 1), 480) AS o)) AS month
        FROM articles
        WHERE status = 'published' AND published_at >= '1900-01-01' AND published_at < '2201-01-01')
    WHERE month IS NOT NULL GROUP BY month;
