ALTER INDEX article_search_title RESET (gin_pending_list_limit);
ALTER INDEX article_search_pinyin RESET (gin_pending_list_limit);
CREATE INDEX article_search_terms ON article_search USING GIN (terms);
DROP INDEX article_search_grams;
DROP INDEX article_search_without_grams;
ALTER TABLE article_search DROP COLUMN grams;
