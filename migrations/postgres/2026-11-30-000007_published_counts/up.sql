-- Published articles counted by the database, so that no public read counts rows: the
-- whole site (scope 'site', key 0), each category ('category', its id; direct, not
-- rolled up), each tag ('tag', its id) and each month in the site's UTC offset ('month',
-- year * 12 + month - 1). "Published" is the stored status with a publication time, the
-- future included: a scheduled article becomes public with no write, so a read takes
-- away the published articles whose time has not come (an index range over only those).
-- Kept by the triggers below in the transaction of every write, whatever makes it (the
-- API, an import, `generate`). A count changes with `articles = articles + 1` on its row,
-- which concurrent writers take in turn.
CREATE TABLE published_counts (
    scope TEXT NOT NULL,
    key BIGINT NOT NULL,
    articles BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);

-- The month of an instant in the site's offset, as in the archive; NULL outside the
-- stored years (src/dates.rs).
CREATE FUNCTION published_month(at TIMESTAMP) RETURNS BIGINT LANGUAGE sql STABLE AS $$
    SELECT (EXTRACT(YEAR FROM local) * 12 + EXTRACT(MONTH FROM local) - 1)::BIGINT
    FROM (SELECT at + make_interval(mins => COALESCE(
              (SELECT utc_offset_minutes FROM site_settings WHERE id = 1), 480)) AS local) shifted
    WHERE at >= TIMESTAMP '1900-01-01' AND at < TIMESTAMP '2201-01-01'
$$;

-- Adds `delta` to one count (nothing for a NULL key). A decrement is a plain UPDATE: the
-- row of a category or tag being deleted may be gone already, and must not come back.
CREATE FUNCTION published_counts_add(counted_scope TEXT, counted_key BIGINT, delta BIGINT)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF counted_key IS NULL THEN
        RETURN;
    END IF;
    IF delta > 0 THEN
        INSERT INTO published_counts (scope, key, articles) VALUES (counted_scope, counted_key, delta)
        ON CONFLICT (scope, key) DO UPDATE SET articles = published_counts.articles + EXCLUDED.articles;
    ELSE
        UPDATE published_counts SET articles = articles + delta
        WHERE scope = counted_scope AND key = counted_key;
    END IF;
END $$;

CREATE FUNCTION published_counts_on_article() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF OLD.status = 'published' AND OLD.published_at IS NOT NULL THEN
            PERFORM published_counts_add('site', 0, -1);
            PERFORM published_counts_add('category', OLD.category_id, -1);
            PERFORM published_counts_add('month', published_month(OLD.published_at), -1);
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.status = 'published' AND NEW.published_at IS NOT NULL THEN
            PERFORM published_counts_add('site', 0, 1);
            PERFORM published_counts_add('category', NEW.category_id, 1);
            PERFORM published_counts_add('month', published_month(NEW.published_at), 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER published_counts_on_article_write AFTER INSERT OR DELETE ON articles
    FOR EACH ROW EXECUTE FUNCTION published_counts_on_article();
CREATE TRIGGER published_counts_on_article_update AFTER UPDATE OF status, published_at, category_id ON articles
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.published_at IS DISTINCT FROM NEW.published_at
          OR OLD.category_id IS DISTINCT FROM NEW.category_id)
    EXECUTE FUNCTION published_counts_on_article();

-- Tags count their rows whose mirrored published_at is set: the mirror triggers (first
-- migration) keep it as the article is published, unpublished or rescheduled.
CREATE FUNCTION published_counts_on_article_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF OLD.published_at IS NOT NULL THEN
            PERFORM published_counts_add('tag', OLD.tag_id, -1);
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.published_at IS NOT NULL THEN
            PERFORM published_counts_add('tag', NEW.tag_id, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER published_counts_on_article_tag_write AFTER INSERT OR DELETE ON article_tags
    FOR EACH ROW EXECUTE FUNCTION published_counts_on_article_tag();
CREATE TRIGGER published_counts_on_article_tag_update AFTER UPDATE OF published_at, tag_id ON article_tags
    FOR EACH ROW
    WHEN ((OLD.published_at IS NULL) IS DISTINCT FROM (NEW.published_at IS NULL)
          OR OLD.tag_id IS DISTINCT FROM NEW.tag_id)
    EXECUTE FUNCTION published_counts_on_article_tag();

-- A deleted category or tag takes its row with it (its articles are moved out first or
-- after: either way the count ends gone, never negative).
CREATE FUNCTION published_counts_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM published_counts WHERE scope = TG_ARGV[0] AND key = OLD.id;
    RETURN NULL;
END $$;
CREATE TRIGGER published_counts_category_gone AFTER DELETE ON categories
    FOR EACH ROW EXECUTE FUNCTION published_counts_forget('category');
CREATE TRIGGER published_counts_tag_gone AFTER DELETE ON tags
    FOR EACH ROW EXECUTE FUNCTION published_counts_forget('tag');

-- The months follow the site's offset: when it changes (or the settings row comes or
-- goes), they are counted again, once, in that write's transaction.
CREATE FUNCTION published_counts_recount_months() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM published_counts WHERE scope = 'month';
    INSERT INTO published_counts (scope, key, articles)
        SELECT 'month', month, COUNT(*)
        FROM (SELECT published_month(published_at) AS month FROM articles
              WHERE status = 'published' AND published_at IS NOT NULL) months
        WHERE month IS NOT NULL
        GROUP BY month;
    RETURN NULL;
END $$;
CREATE TRIGGER published_counts_months_on_settings_write AFTER INSERT OR DELETE ON site_settings
    FOR EACH STATEMENT EXECUTE FUNCTION published_counts_recount_months();
CREATE TRIGGER published_counts_months_on_settings_update AFTER UPDATE OF utc_offset_minutes ON site_settings
    FOR EACH ROW WHEN (OLD.utc_offset_minutes IS DISTINCT FROM NEW.utc_offset_minutes)
    EXECUTE FUNCTION published_counts_recount_months();

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
    SELECT 'month', month, COUNT(*)
    FROM (SELECT published_month(published_at) AS month FROM articles
          WHERE status = 'published' AND published_at IS NOT NULL) months
    WHERE month IS NOT NULL
    GROUP BY month;
