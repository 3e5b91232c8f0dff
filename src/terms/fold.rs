//! Folding: one form per character for matching (see the module above).

use unicode_normalization::UnicodeNormalization;

/// A character as the index sees it: `None` for one that folds to nothing.
pub fn fold_char(c: char) -> Option<char> {
    let mut folded = c.nfkc();
    let first = folded.next()?;
    // A character that NFKC expands (㍿ → 株式会社, ½ → 1⁄2) keeps its first part: rare
    // in news text, and it keeps one position per character.
    let lower = first.to_lowercase().next().unwrap_or(first);
    Some(simplified(lower))
}

/// The text folded for matching (see the module comment).
pub fn fold(text: &str) -> String {
    text.chars().filter_map(fold_char).collect()
}

fn simplified(c: char) -> char {
    if !is_han(c) {
        return c;
    }
    let mut buffer = [0u8; 4];
    fast2s::convert(c.encode_utf8(&mut buffer))
        .chars()
        .next()
        .unwrap_or(c)
}

/// A Chinese character (the CJK Unified Ideographs and their extensions A–F, and the
/// compatibility block).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2EBEF}')
}
