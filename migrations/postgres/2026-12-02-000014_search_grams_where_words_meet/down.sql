-- The earlier code writes grams without those where words meet Chinese: its `masthead
-- migrate` fills them again.
UPDATE article_search SET grams = NULL;
