//! Snippets: the part of a text around what a reader searched for, HTML-escaped, each
//! match in `<mark>`. Matching is on folded text (see the module above) and ignores
//! spaces and punctuation, as the index does, so `ＡＩ 安全` is marked for `ai安全`.

use super::fold::{fold_char, is_han};

/// Characters of context shown before the first match.
const LEAD: usize = 24;

/// Up to `max_chars` characters of `text` around the first match of any needle (the text's
/// start when none matches), escaped, with `<mark>` around every match, and `…` where it
/// was cut. `None` for `max_chars` keeps the whole text (a title).
pub fn snippet(text: &str, needles: &[String], max_chars: Option<usize>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let marked = matches(&chars, needles);
    let (start, end) = match max_chars {
        None => (0, chars.len()),
        Some(max) => {
            let first = marked.first().map_or(0, |(start, _)| *start);
            let start = if first + max <= chars.len() || chars.len() <= max {
                first.saturating_sub(LEAD)
            } else {
                chars.len() - max
            };
            let start = start.min(first);
            (start, (start + max).min(chars.len()))
        }
    };
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut open_until: Option<usize> = None;
    for (index, c) in chars.iter().enumerate().take(end).skip(start) {
        if open_until.is_none() {
            if let Some((_, last)) = marked.iter().find(|(first, _)| *first == index) {
                out.push_str("<mark>");
                open_until = Some(*last);
            }
        }
        escape_into(*c, &mut out);
        if open_until == Some(index) {
            out.push_str("</mark>");
            open_until = None;
        }
    }
    if open_until.is_some() {
        out.push_str("</mark>");
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// Every match of every needle, as (first, last) character indices of `chars`, in order and
/// without overlaps. A needle that starts with a letter or digit matches only where a word
/// starts, as the index finds words whole (`e` is not marked in `Node.js`).
fn matches(chars: &[char], needles: &[String]) -> Vec<(usize, usize)> {
    let word_char = |c: char| !is_han(c) && c.is_alphanumeric();
    let starts_word =
        |index: usize| index == 0 || !fold_char(chars[index - 1]).is_some_and(word_char);
    // The folded text without separators, each with its place in `chars`.
    let stream: Vec<(char, usize)> = chars
        .iter()
        .enumerate()
        .filter_map(|(index, c)| fold_char(*c).map(|folded| (folded, index)))
        .filter(|(c, _)| is_han(*c) || c.is_alphanumeric())
        .collect();
    let mut found: Vec<(usize, usize)> = Vec::new();
    for needle in needles {
        let needle: Vec<char> = needle.chars().collect();
        if needle.is_empty() || needle.len() > stream.len() {
            continue;
        }
        let whole_word = word_char(needle[0]);
        let mut at = 0;
        while at + needle.len() <= stream.len() {
            if stream[at..at + needle.len()]
                .iter()
                .zip(&needle)
                .all(|((c, _), n)| c == n)
                && (!whole_word || starts_word(stream[at].1))
            {
                found.push((stream[at].1, stream[at + needle.len() - 1].1));
                at += needle.len();
            } else {
                at += 1;
            }
        }
    }
    found.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (first, last) in found {
        match merged.last_mut() {
            Some((_, end)) if first <= *end + 1 => *end = (*end).max(last),
            _ => merged.push((first, last)),
        }
    }
    merged
}

fn escape_into(c: char, out: &mut String) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c if c.is_control() => out.push(' '),
        c => out.push(c),
    }
}
