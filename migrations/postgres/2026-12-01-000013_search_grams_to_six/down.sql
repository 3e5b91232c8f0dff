-- The earlier code writes stretches of up to four characters: its `masthead migrate` fills
-- the grams again.
UPDATE article_search SET grams = NULL;
