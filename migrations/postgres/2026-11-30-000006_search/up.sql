-- Full-text search over articles (src/terms has the rule that makes the terms): the title
-- (weight A), the text (weight B) and the title's pinyin (weight C, for suggestions) as a
-- tsvector, kept by every article write in the same transaction, under a GIN index.
CREATE TABLE article_search (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    terms TSVECTOR NOT NULL
);
CREATE INDEX article_search_terms ON article_search USING GIN (terms);

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
