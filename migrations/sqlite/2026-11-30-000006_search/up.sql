-- Full-text search over articles (src/terms has the rule that makes the terms): the title,
-- the text, and the title's pinyin (for suggestions), as space-separated terms, kept by
-- every article write in the same transaction; rowid is the article's id. Contentless: the
-- text itself stays in articles.
CREATE VIRTUAL TABLE article_search USING fts5(
    title, body, pinyin,
    tokenize = 'unicode61 remove_diacritics 0',
    content = '', contentless_delete = 1
);
CREATE TRIGGER article_search_forget AFTER DELETE ON articles BEGIN
    DELETE FROM article_search WHERE rowid = old.id;
END;

-- Each article's distinct words (jieba), space-separated, and in how many articles each
-- word appears: the document frequencies that tell a salient word from a common one.
CREATE TABLE article_words (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    words TEXT NOT NULL
);
CREATE TABLE word_counts (
    term TEXT PRIMARY KEY,
    articles BIGINT NOT NULL
);

-- The words that carry each article's subject (TF-IDF), as a unit vector in
-- ten-thousandths: what related articles are computed from. By term, strongest first,
-- to find the articles a word matters most to.
CREATE TABLE article_terms (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    weight INTEGER NOT NULL,
    PRIMARY KEY (article_id, term)
);
CREATE INDEX article_terms_by_term ON article_terms (term, weight);

-- Each article's related articles: pinned by editors (score 1,000,000 minus their
-- position, so they come first in their order), then computed when articles are written
-- (score: the similarity in ten-thousandths). Read in one indexed query.
CREATE TABLE article_related (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    related_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    score INTEGER NOT NULL,
    PRIMARY KEY (article_id, related_id)
);
CREATE INDEX article_related_by_related ON article_related (related_id);
