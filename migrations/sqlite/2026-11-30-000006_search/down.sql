DROP TABLE article_related;
DROP TABLE article_terms;
DROP TABLE word_counts;
DROP TABLE article_words;
DROP TRIGGER article_search_forget;
DROP TABLE article_search;
