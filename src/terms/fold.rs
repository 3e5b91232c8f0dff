//! Folding: one form per character for matching (see the module above).

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

/// A character as the index sees it: `None` for one that folds to nothing.
pub fn fold_char(c: char) -> Option<char> {
    // The two kinds nearly every character of a Chinese news text is: NFKC and lower case
    // leave CJK Unified Ideographs alone and change ASCII only in its case, so they skip
    // the general path (an NFKC iterator per character; the snippet of every search
    // result folds its article's whole text).
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    if is_unified_bmp_han(c) {
        return Some(simplified(c));
    }
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

/// The ideographs NFKC leaves as they are, and all of them `fast2s` may change (it converts
/// three-byte characters only): the unified block and extension A.
fn is_unified_bmp_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

/// The characters [`simplified`] looks up, from the first of extension A to the last of
/// the compatibility block.
const TABLE_FIRST: u32 = 0x3400;
const TABLE_LAST: u32 = 0xFAFF;

/// `fast2s::convert` of one character, looked up: that function makes a `String` per call.
/// The table (200 KB) is what it makes of every character in the range, read once.
fn simplified(c: char) -> char {
    if !is_han(c) {
        return c;
    }
    static TABLE: OnceLock<Box<[char]>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (TABLE_FIRST..=TABLE_LAST)
            .map(|code| char::from_u32(code).map_or('\0', converted))
            .collect()
    });
    // Below or above the table only four-byte characters reach here, and `fast2s` leaves
    // those as they are.
    let offset = u32::from(c).wrapping_sub(TABLE_FIRST) as usize;
    table.get(offset).copied().unwrap_or(c)
}

/// What `fast2s` makes of one character on its own.
fn converted(c: char) -> char {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Folding by the general path alone, as it was before the fast paths and the table:
    /// every stored index was written by it.
    fn folded_the_long_way(c: char) -> Option<char> {
        let first = c.nfkc().next()?;
        let lower = first.to_lowercase().next().unwrap_or(first);
        Some(if is_han(lower) {
            converted(lower)
        } else {
            lower
        })
    }

    #[test]
    fn every_character_folds_as_the_long_way_folds_it() {
        let differing: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|&c| fold_char(c) != folded_the_long_way(c))
            .collect();
        assert!(differing.is_empty(), "{differing:?}");
        // The table is used: traditional forms, in the unified block and extension A.
        assert_eq!(fold_char('網'), Some('网'));
        assert_eq!(fold_char('Ａ'), Some('a'));
    }
}
