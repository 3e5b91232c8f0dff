CREATE INDEX article_search_terms ON article_search USING GIN (terms);
DROP INDEX article_search_grams;
ALTER TABLE article_search DROP COLUMN grams;
