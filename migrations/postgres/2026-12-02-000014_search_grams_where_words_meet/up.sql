-- The grams now also hold a word with the Chinese character next to it (src/terms:
-- index_grams; 2023年度 → `2023年`), so that a year query is one lexeme again. Every row's
-- grams are written again: NULL here, then `masthead migrate` (run first by every command)
-- fills them from the articles' text, 500 a transaction, as after migration `…000013`.
UPDATE article_search SET grams = NULL;
