-- The grams now hold stretches of up to six characters (src/terms: GRAM_CHARS), so that
-- words of five and six characters are one lexeme too. Every row's grams are written again:
-- NULL here, then `masthead migrate` (run first by every command) fills them from the
-- articles' text, 500 a transaction, as after migration `…000011_search_grams`.
UPDATE article_search SET grams = NULL;
