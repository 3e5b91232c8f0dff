-- Each article's grams (src/terms: words, and every stretch of 2 to 4 characters of its
-- Chinese runs), positions stripped, under a GIN index: a query word of up to four
-- characters is one lexeme there, answered by the index alone. Matched as phrases of
-- pairs in `terms`, every candidate's whole vector was read from TOAST to check the
-- pairs' order (27 ms to count 网络安全's 5,090 matches at 100,000 articles, against
-- 3.7 ms for a one-lexeme word). `terms` stays for ranking and for the rare phrase the
-- grams cannot decide, and loses its index.
--
-- NULL until written: `masthead migrate` (run first by every command) fills the rows an
-- upgrade leaves NULL from the articles' text, which only the application can segment.
ALTER TABLE article_search ADD COLUMN grams TSVECTOR;
-- Finds the rows still to fill without reading the table: empty once the upgrade is done.
CREATE INDEX article_search_without_grams ON article_search (article_id) WHERE grams IS NULL;
CREATE INDEX article_search_grams ON article_search USING GIN (grams);
DROP INDEX article_search_terms;

-- New entries wait in each GIN index's pending list until it is full, and every search
-- reads the whole list: at the default 4 MB, up to 512 pages for every query. At 100,000
-- articles, 350 pending pages made a word's index scan take 2.5 ms instead of 0.47, and
-- the search 12 % slower end to end. A list of 512 kB is merged more often, in smaller
-- steps, by the writes; `generate` and `reindex` flush it with VACUUM when they are done.
ALTER INDEX article_search_grams SET (gin_pending_list_limit = 512);
ALTER INDEX article_search_title SET (gin_pending_list_limit = 512);
ALTER INDEX article_search_pinyin SET (gin_pending_list_limit = 512);
