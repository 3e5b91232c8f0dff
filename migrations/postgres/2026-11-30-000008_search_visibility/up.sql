-- What a search checks of every matching article (is it public, in which category), in a
-- small index by id, so that the check is an index-only lookup rather than a heap fetch.
CREATE INDEX articles_visibility ON articles (id) INCLUDE (status, published_at, category_id);

-- The title and the title's pinyin in vectors of their own, each under its own GIN index,
-- and `terms` holding the title and the text only: a search then needs no weight
-- restriction (which made PostgreSQL read and check every candidate's whole vector, kept
-- out of line in TOAST), and suggestions search only titles.
--
-- The vectors are moved out of line (TOAST) from 128 bytes a row, so the table itself holds little more than ids:
-- a search visits a heap page per matching row to see it, and with the titles inline the
-- 10,214 matches of a common word at 100,000 articles were on 5,404 of the table's 6,400
-- pages.
--
-- published_at mirrors the article's while it is published (NULL otherwise), as in
-- article_tags, and category_id the article's: a search sees what is public, and in which
-- category, without a join to articles (which had the planner hash every visible article,
-- or every article of a big category, to count one word's matches).
ALTER TABLE article_search
    ADD COLUMN title TSVECTOR NOT NULL DEFAULT '',
    ADD COLUMN pinyin TSVECTOR NOT NULL DEFAULT '',
    ADD COLUMN published_at TIMESTAMP,
    ADD COLUMN category_id BIGINT;
ALTER TABLE article_search SET (toast_tuple_target = 128);
UPDATE article_search s
SET title = ts_filter(terms, '{a}'), pinyin = ts_filter(terms, '{c}'),
    terms = ts_filter(terms, '{a,b}'),
    published_at = CASE WHEN a.status = 'published' THEN a.published_at END,
    category_id = a.category_id
FROM articles a WHERE a.id = s.article_id;
ALTER TABLE article_search ALTER COLUMN title DROP DEFAULT, ALTER COLUMN pinyin DROP DEFAULT;
CREATE INDEX article_search_title ON article_search USING GIN (title);
CREATE INDEX article_search_pinyin ON article_search USING GIN (pinyin);

CREATE FUNCTION article_search_mirror_on_article() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE article_search
    SET published_at = CASE WHEN NEW.status = 'published' THEN NEW.published_at END,
        category_id = NEW.category_id
    WHERE article_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER article_search_mirror_on_article AFTER UPDATE OF status, published_at, category_id
    ON articles FOR EACH ROW EXECUTE FUNCTION article_search_mirror_on_article();
