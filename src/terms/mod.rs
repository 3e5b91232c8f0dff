//! How text becomes search terms: one rule, used when an article is written and when a
//! reader searches, on every backend. No HTTP, no database.
//!
//! - **Folding** ([`fold`]): NFKC (full-width `ＡＩ２０２１` → `AI2021`, compatibility
//!   ideographs), lower case, traditional characters to simplified (網絡 → 网络). Each
//!   character folds to one character or none, so a folded position maps back to the text.
//! - **Chinese** has no spaces, and no dictionary knows every name (护苗 is not in jieba's):
//!   a run of Chinese characters is indexed as its overlapping pairs (护苗有我 → 护苗 苗有
//!   有我), so any word of two characters or more is found as the phrase of its pairs,
//!   whether a dictionary knows it or not, and never inside an unrelated pair. A run of one
//!   character is that character.
//! - **Letters and digits** are words (`ai`, `2021`); anything else separates terms.
//!
//! Word segmentation (jieba) is used where meaning matters more than recall: the salient
//! terms of an article ([`words`]) for related articles.

mod fold;
mod snippet;
#[cfg(test)]
mod tests;

pub use fold::{fold, fold_char, is_han};
pub use snippet::snippet;

use std::sync::OnceLock;

/// The longest query read, in characters: longer is a 400.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most phrases a query is split into: more are a 400 (each is one index lookup).
pub const MAX_QUERY_PARTS: usize = 16;

fn is_word_char(c: char) -> bool {
    // `is_han` first: `is_alphanumeric` is a slow table search for a Chinese character.
    !is_han(c) && c.is_alphanumeric()
}

/// One stretch of folded text without separators: Chinese characters and words.
#[derive(Debug, PartialEq)]
enum Piece {
    Han(Vec<char>),
    Word(String),
}

impl Piece {
    /// A piece of a query part as [`Part::pieces`] gives it: a Chinese run, or a word.
    fn of(piece: &str) -> Self {
        match piece.chars().next().is_some_and(is_han) {
            true => Piece::Han(piece.chars().collect()),
            false => Piece::Word(piece.to_owned()),
        }
    }
}

/// The folded text cut into pieces; `None` stands where a separator was.
fn pieces(folded: &str) -> Vec<Option<Piece>> {
    let mut out: Vec<Option<Piece>> = Vec::new();
    for c in folded.chars() {
        match (is_han(c), is_word_char(c), out.last_mut()) {
            (true, _, Some(Some(Piece::Han(run)))) => run.push(c),
            (true, _, _) => out.push(Some(Piece::Han(vec![c]))),
            (_, true, Some(Some(Piece::Word(word)))) => word.push(c),
            (_, true, _) => out.push(Some(Piece::Word(c.to_string()))),
            (false, false, Some(None)) => {}
            (false, false, _) => out.push(None),
        }
    }
    out
}

/// The terms of a piece, in order.
fn piece_terms(piece: &Piece, out: &mut Vec<String>) {
    match piece {
        Piece::Word(word) => out.push(word.clone()),
        Piece::Han(run) if run.len() == 1 => out.push(run[0].to_string()),
        Piece::Han(run) => out.extend(run.windows(2).map(|pair| pair.iter().collect())),
    }
}

/// What the index stores for a text: its terms, space-separated, in order.
pub fn index_terms(text: &str) -> String {
    let mut terms = Vec::new();
    for piece in pieces(&fold(text)).iter().flatten() {
        piece_terms(piece, &mut terms);
    }
    terms.join(" ")
}

/// The longest stretch of a Chinese run that PostgreSQL's gram vector holds whole: words of
/// up to six characters (保障性住房, 高新技术企业) are one lexeme. With four, the 9 of the
/// 288 topic words that are longer were checked as phrases, 45 ms each at 100,000 articles,
/// and made the 99th percentile of a search.
pub const GRAM_CHARS: usize = 6;

/// The most bytes of grams kept for one text: a PostgreSQL tsvector holds less than 1 MB,
/// and a gram takes its UTF-8 bytes and a 4-byte entry there. A news article needs a few
/// tens of kilobytes; the budget ends at about 12,000 distinct characters of Chinese text.
pub const MAX_GRAM_BYTES: usize = 1_000_000;

/// What PostgreSQL's gram vector holds for a text, each once, in the order they first
/// appear: its words, its one-character runs, every stretch of 2 to [`GRAM_CHARS`]
/// characters of its Chinese runs, and where a word and a Chinese run follow each other
/// (separators between them or not, as [`index_terms`] ignores them), the word with the
/// run's nearest character (2023年度 → `2023年`; 安全AI → `全ai`). A query word of up to six
/// characters is then one lexeme, which the GIN index answers alone, and so is a year
/// (`2023年`); as a phrase of pairs, every candidate's whole vector had to be read to check
/// that the pairs follow each other (see [`Query::tsquery_grams`]). At most
/// [`MAX_GRAM_BYTES`], the first ones (the title comes first); words longer than a query
/// can be are left out.
pub fn index_grams(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut grams = Vec::new();
    let mut bytes = 0;
    let mut keep = |gram: String| {
        let size = gram.len() + 4;
        if bytes + size <= MAX_GRAM_BYTES && seen.insert(gram.clone()) {
            bytes += size;
            grams.push(gram);
        }
    };
    let mut before: Option<Piece> = None;
    for piece in pieces(&fold(text)).into_iter().flatten() {
        if let Some(boundary) = before
            .as_ref()
            .and_then(|before| boundary_gram(before, &piece))
        {
            keep(boundary);
        }
        match &piece {
            Piece::Word(word) if word.chars().count() > MAX_QUERY_CHARS => {}
            Piece::Word(word) => keep(word.clone()),
            Piece::Han(run) if run.len() == 1 => keep(run[0].to_string()),
            Piece::Han(run) => {
                for start in 0..run.len() {
                    for end in start + 2..=(start + GRAM_CHARS).min(run.len()) {
                        keep(run[start..end].iter().collect());
                    }
                }
            }
        }
        before = Some(piece);
    }
    grams
}

/// The gram where a word and a Chinese run meet: the word with the run's nearest character
/// (`2023` then 年度 → `2023年`, 安全 then `ai` → `全ai`); none between two words or two runs.
/// The index writes it ([`index_grams`]) and a query looks it up ([`Query::tsquery_grams`]).
fn boundary_gram(before: &Piece, after: &Piece) -> Option<String> {
    let long = |word: &str| word.chars().count() > MAX_QUERY_CHARS;
    match (before, after) {
        (Piece::Word(word), Piece::Han(run)) if !long(word) => Some(format!("{word}{}", run[0])),
        (Piece::Han(run), Piece::Word(word)) if !long(word) => {
            run.last().map(|last| format!("{last}{word}"))
        }
        _ => None,
    }
}

/// A reader's query, ready to run: every part must match.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub parts: Vec<Part>,
    /// The folded pieces of the query, for highlighting.
    pub needles: Vec<String>,
}

/// One part of a query: a phrase (terms in a row), or a single Chinese character, found
/// as the start of any pair or as a run of its own.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Phrase(Vec<String>),
    Prefix(String),
    /// A phrase ending in one Chinese character after a word (`2021年`): in the text the
    /// character may be a run of its own (2021年，) or begin a longer one (2021年护苗, indexed
    /// as 年护 护苗 …), so the last term is found as the start of a pair or as itself.
    PhraseThenPrefix(Vec<String>),
}

impl Part {
    /// The pieces the part was written as: Chinese runs whole, words as they are. Within a
    /// part, pieces of Chinese and of letters alternate (two runs of Chinese written together
    /// are one run), so pairs in a row are one run's.
    fn pieces(&self) -> Vec<String> {
        let terms = match self {
            Part::Phrase(terms) | Part::PhraseThenPrefix(terms) => terms.as_slice(),
            Part::Prefix(start) => std::slice::from_ref(start),
        };
        let mut pieces: Vec<String> = Vec::new();
        let mut after_han = false;
        for term in terms {
            let han = term.chars().next().is_some_and(is_han);
            match pieces.last_mut() {
                Some(run) if han && after_han => run.extend(term.chars().last()),
                _ => pieces.push(term.clone()),
            }
            after_han = han;
        }
        pieces
    }

    /// The part in `to_tsquery` syntax over the pairs and words of [`index_terms`].
    fn tsquery(&self) -> String {
        let in_a_row = |terms: &[String]| {
            terms
                .iter()
                .map(|term| format!("'{term}'"))
                .collect::<Vec<_>>()
                .join(" <-> ")
        };
        match self {
            Part::Phrase(terms) if terms.len() == 1 => format!("'{}'", terms[0]),
            Part::Phrase(terms) => format!("({})", in_a_row(terms)),
            Part::Prefix(start) => format!("'{start}':*"),
            Part::PhraseThenPrefix(terms) => format!("({}:*)", in_a_row(terms)),
        }
    }
}

/// Why a query cannot be run (the client's mistake: a 400 naming `q`).
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error("must not be empty")]
    Empty,
    #[error("has no letters, digits or Chinese characters to search for")]
    NothingToSearch,
    #[error("must be at most {MAX_QUERY_CHARS} characters")]
    TooLong,
    #[error("has more than {MAX_QUERY_PARTS} words")]
    TooManyParts,
}

impl Query {
    /// Reads a query: pieces split by spaces or punctuation must each match, in any
    /// order; within a piece, its terms must follow each other.
    pub fn parse(raw: &str) -> Result<Self, QueryError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(QueryError::Empty);
        }
        if raw.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong);
        }
        let folded = fold(raw);
        // Pieces the query writes together stay one phrase (`AI安全`: ai, then 安全).
        let mut parts = Vec::new();
        let mut needles = Vec::new();
        let mut phrase: Vec<String> = Vec::new();
        let mut needle = String::new();
        let lone_han = |term: &String| {
            let mut chars = term.chars();
            chars.next().is_some_and(is_han) && chars.next().is_none()
        };
        let mut flush = |phrase: &mut Vec<String>, needle: &mut String| {
            // A phrase starting with one Chinese character before a word (第3届) may be the
            // end of a pair in the text (举办第3届: 办第), which no index lookup finds by its
            // end: the phrase is searched without it, the needle still marks it whole.
            if phrase.len() > 1 && lone_han(&phrase[0]) {
                phrase.remove(0);
            }
            // One character last is the start of a pair, or itself: alone, or after a word.
            if phrase.len() == 1 && lone_han(&phrase[0]) {
                parts.push(Part::Prefix(std::mem::take(phrase).remove(0)));
            } else if phrase.len() > 1 && phrase.last().is_some_and(lone_han) {
                parts.push(Part::PhraseThenPrefix(std::mem::take(phrase)));
            } else if !phrase.is_empty() {
                parts.push(Part::Phrase(std::mem::take(phrase)));
            }
            if !needle.is_empty() {
                needles.push(std::mem::take(needle));
            }
        };
        for piece in pieces(&folded) {
            match piece {
                Some(piece) => {
                    match &piece {
                        Piece::Han(run) => needle.extend(run.iter()),
                        Piece::Word(word) => needle.push_str(word),
                    }
                    piece_terms(&piece, &mut phrase);
                }
                None => flush(&mut phrase, &mut needle),
            }
        }
        flush(&mut phrase, &mut needle);
        if parts.is_empty() {
            return Err(QueryError::NothingToSearch);
        }
        if parts.len() > MAX_QUERY_PARTS {
            return Err(QueryError::TooManyParts);
        }
        parts.dedup();
        Ok(Self { parts, needles })
    }

    /// The query in SQLite FTS5's syntax: `"护苗" AND "网络 络安 安全" AND 网*`. Terms hold
    /// only letters, digits and Chinese characters, so quoting them is enough.
    pub fn fts5(&self) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Phrase(terms) => format!("\"{}\"", terms.join(" ")),
                Part::Prefix(start) => format!("\"{start}\"*"),
                // FTS5 reads the last term of a phrase followed by `*` as a prefix.
                Part::PhraseThenPrefix(terms) => format!("\"{}\"*", terms.join(" ")),
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// The query in PostgreSQL's `to_tsquery` syntax over the pairs and words of
    /// [`index_terms`]: `'护苗' & ('网络' <-> '络安' <-> '安全') & '网':*`. What ranks a
    /// search there, and checks the phrases the grams cannot decide. No weight restrictions:
    /// a weight makes PostgreSQL read every candidate's whole vector.
    pub fn tsquery(&self) -> String {
        self.parts
            .iter()
            .map(Part::tsquery)
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// The query over PostgreSQL's gram vector ([`index_grams`]), which its GIN index answers
    /// alone (no positions, no weights), in `tsquery` syntax, to be cast (`::tsquery`), not
    /// parsed by `to_tsquery`: the grams are written as they are (`array_to_tsvector`), and
    /// PostgreSQL's parser would split some words (`3e8m` → `3e8`, `m`). `'网络安全' & '护苗'`:
    /// a part of one word, or of one Chinese run of up to [`GRAM_CHARS`] characters, is one
    /// lexeme there and is decided exactly. A longer run is all its stretches of
    /// [`GRAM_CHARS`] characters, and a part mixing words and Chinese (`AI安全`) all its
    /// pieces: every article holding the phrase holds those, and the few that hold them apart
    /// are told from the rest by the second value, those parts as phrases over the pairs of
    /// [`index_terms`] (None when every part is exact).
    pub fn tsquery_grams(&self) -> (String, Option<String>) {
        let mut grams = Vec::new();
        let mut phrases = Vec::new();
        for part in &self.parts {
            let pieces = part.pieces();
            let fits = |piece: &String| {
                !piece.chars().next().is_some_and(is_han) || piece.chars().count() <= GRAM_CHARS
            };
            match part {
                Part::Prefix(start) => grams.push(format!("'{start}':*")),
                Part::Phrase(_) if pieces.len() == 1 && fits(&pieces[0]) => {
                    grams.push(format!("'{}'", pieces[0]));
                }
                Part::Phrase(_) | Part::PhraseThenPrefix(_) => {
                    let meeting = pieces.windows(2).filter_map(|pair| {
                        boundary_gram(&Piece::of(&pair[0]), &Piece::of(&pair[1]))
                    });
                    grams.extend(meeting.map(|gram| format!("'{gram}'")));
                    // Words and one-character runs are in the grams where they meet (every
                    // one meets another piece here); longer runs are looked up too.
                    for piece in &pieces {
                        let run: Vec<char> = piece.chars().collect();
                        if run.len() < 2 || !is_han(run[0]) {
                            continue;
                        }
                        if run.len() <= GRAM_CHARS {
                            grams.push(format!("'{piece}'"));
                        } else {
                            grams.extend(
                                run.windows(GRAM_CHARS)
                                    .map(|gram| format!("'{}'", gram.iter().collect::<String>())),
                            );
                        }
                    }
                    // A word and one character after it (2023年) is one gram, decided
                    // exactly: the character starts the run that follows the word.
                    let year_like = matches!(part, Part::PhraseThenPrefix(_)) && pieces.len() == 2;
                    if !year_like {
                        phrases.push(part.tsquery());
                    }
                }
            }
        }
        grams.dedup();
        let phrases = (!phrases.is_empty()).then(|| phrases.join(" & "));
        (grams.join(" & "), phrases)
    }
}

/// The pinyin of a title, for type-ahead: each word's syllables run together (护苗 →
/// `humiao`) and their initials (`hm`), the same for the whole title (`humiaoyouwo`,
/// `hmyw`), and its letters and digits as they are.
pub fn pinyin_terms(title: &str) -> String {
    use pinyin::ToPinyin;
    let folded = fold(title);
    let mut terms: Vec<String> = Vec::new();
    let (mut whole, mut whole_initials) = (String::new(), String::new());
    for token in jieba().cut(&folded, true) {
        let (mut full, mut initials) = (String::new(), String::new());
        for c in token.word.chars() {
            if let Some(reading) = c.to_pinyin() {
                full.push_str(reading.plain());
                initials.push_str(reading.first_letter());
            } else if c.is_ascii_alphanumeric() {
                full.push(c);
                initials.push(c);
            }
        }
        if full.is_empty() {
            continue;
        }
        whole.push_str(&full);
        whole_initials.push_str(&initials);
        terms.push(full);
        if token.word.chars().any(is_han) && initials.len() > 1 {
            terms.push(initials);
        }
    }
    terms.push(whole);
    terms.push(whole_initials);
    let mut seen = std::collections::HashSet::new();
    terms.retain(|term| !term.is_empty() && seen.insert(term.clone()));
    terms.join(" ")
}

/// Pinyin typed in a type-ahead box.
#[derive(Debug, PartialEq, Eq)]
pub struct TypedPinyin {
    /// All of it as one prefix, spaces dropped (`hu miao` → `humiao`).
    pub joined: String,
    /// Its space-separated parts (`humiao anquan` → `humiao`, `anquan`), each the start of
    /// a word of the title.
    pub parts: Vec<String>,
}

impl TypedPinyin {
    /// What a title must have, as alternatives of prefixes that must all be there: the
    /// whole, or (for several parts) every part.
    pub fn alternatives(&self) -> Vec<Vec<&str>> {
        let mut alternatives = vec![vec![self.joined.as_str()]];
        if self.parts.len() > 1 {
            alternatives.push(self.parts.iter().map(String::as_str).collect());
        }
        alternatives
    }

    /// What it stands for in a title, to mark: what the whole spells, or else what the parts do.
    pub fn needles(&self, title: &str) -> Vec<String> {
        let whole = pinyin_needles(title, &self.joined);
        if !whole.is_empty() || self.parts.len() < 2 {
            return whole;
        }
        let mut needles: Vec<String> = self
            .parts
            .iter()
            .flat_map(|part| pinyin_needles(title, part))
            .collect();
        needles.sort();
        needles.dedup();
        needles
    }
}

/// What a type-ahead box has typed, as pinyin (`humiao`, `hm`, `humiao anquan`): letters and
/// digits only, folded, tone marks dropped (`hùmiáo` → `humiao`; `ü` stays, as the titles'
/// pinyin writes it); `None` when it holds anything else (Chinese goes through [`Query`]).
pub fn pinyin_typed(raw: &str) -> Option<TypedPinyin> {
    use unicode_normalization::UnicodeNormalization;
    // The four tones' marks (and the grave of ǜ): on a decomposed letter, then composed
    // again so that ü is one character.
    let toneless: String = raw
        .nfd()
        .filter(|c| !matches!(c, '\u{0300}' | '\u{0301}' | '\u{0304}' | '\u{030C}'))
        .nfc()
        .collect();
    let folded = fold(&toneless);
    let parts: Vec<String> = folded.split_whitespace().map(str::to_owned).collect();
    let joined = parts.concat();
    let pinyin = |c: char| c.is_ascii_alphanumeric() || c == 'ü';
    (!joined.is_empty() && joined.len() <= 100 && joined.chars().all(pinyin))
        .then_some(TypedPinyin { joined, parts })
}

/// The ways a typed pinyin prefix may be meant: as typed and, where it has input methods'
/// `v` for `ü` (only after `l` and `n`: `lv` 绿, `nv` 女; after j, q, x and y pinyin writes
/// `u`), with the `ü` the titles' pinyin has.
pub fn pinyin_spellings(prefix: &str) -> Vec<String> {
    let umlauted = prefix.replace("lv", "lü").replace("nv", "nü");
    let mut spellings = vec![prefix.to_owned()];
    if umlauted != prefix {
        spellings.push(umlauted);
    }
    spellings
}

/// What a pinyin prefix typed in a type-ahead box stands for in a title, to mark
/// (folded, as [`snippet`] takes them): each stretch, from the start of a Chinese character
/// or a word, whose syllables in a row (`humi` → 护苗, the last one in part) or their
/// initials (`hm` → 护苗) spell the prefix out; letters and digits spell themselves. Any
/// of its [`pinyin_spellings`] counts (`lvse` marks 绿色).
pub fn pinyin_needles(title: &str, prefix: &str) -> Vec<String> {
    let chars: Vec<char> = fold(title).chars().collect();
    let spellings = pinyin_spellings(prefix);
    let mut needles: Vec<String> = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let word_start = at == 0 || !chars[at - 1].is_ascii_alphanumeric();
        let spelled = spellings
            .iter()
            .flat_map(|spelling| [(spelling, false), (spelling, true)])
            .filter_map(|(spelling, initials)| spelled_out(&chars[at..], spelling, initials))
            .max()
            .filter(|_| is_han(chars[at]) || word_start);
        match spelled {
            Some(len) => {
                needles.push(chars[at..at + len].iter().collect());
                at += len;
            }
            None => at += 1,
        }
    }
    needles.sort();
    needles.dedup();
    needles
}

/// How many of `chars` spell `prefix` out from the first, by their whole syllables (the
/// last may be cut short) or by their initials.
fn spelled_out(chars: &[char], prefix: &str, initials: bool) -> Option<usize> {
    use pinyin::ToPinyin;
    let mut rest = prefix;
    for (taken, &c) in chars.iter().enumerate() {
        let own = c.to_string();
        let reading = match c.to_pinyin() {
            Some(reading) if initials => reading.first_letter(),
            Some(reading) => reading.plain(),
            None if c.is_ascii_alphanumeric() => own.as_str(),
            None => return None,
        };
        if reading.starts_with(rest) {
            return Some(taken + 1);
        }
        rest = rest.strip_prefix(reading)?;
    }
    None
}

/// The segmenter, built once (loading its dictionary takes about 0.1 s).
fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

/// The words of a text that can carry its subject: folded, segmented by jieba, without
/// single characters (particles, measure words) and without plain numbers.
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    jieba()
        .cut(&folded, true)
        .into_iter()
        .map(|token| token.word.trim())
        .filter(|word| {
            let chars = word.chars().count();
            let han = word.chars().any(is_han);
            (han && chars >= 2) || (!han && chars >= 3 && word.chars().any(char::is_alphabetic))
        })
        .filter(|word| word.chars().all(|c| is_han(c) || is_word_char(c)))
        .map(str::to_owned)
        .collect()
}
