DROP TRIGGER article_search_mirror_on_article ON articles;
DROP FUNCTION article_search_mirror_on_article();
ALTER TABLE article_search RESET (toast_tuple_target);
DROP INDEX article_search_pinyin;
DROP INDEX article_search_title;
UPDATE article_search SET terms = terms || pinyin;
ALTER TABLE article_search DROP COLUMN title, DROP COLUMN pinyin, DROP COLUMN published_at, DROP COLUMN category_id;
DROP INDEX articles_visibility;
