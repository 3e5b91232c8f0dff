//! The HTML allow-list for bodies written through the API (ammonia).

use std::borrow::Cow;

use crate::http::input::{check_url, URL_SCHEMES};

/// Attributes whose value a browser follows or fetches. ammonia checks the scheme of
/// `href` and `src` only; `cite` (on `blockquote`, `q`, `del`, `ins`) passed with any
/// scheme, `javascript:` included. Every one of these now goes through [`check_url`].
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "cite",
    "longdesc",
    "action",
    "formaction",
    "poster",
    "data",
    "ping",
    "background",
    "xlink:href",
];

/// Text structure, links, images, figures with captions, tables. No scripts, event
/// handlers or styles; URLs only by the one URL rule (http, https, mailto, tel, relative).
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_tag_attributes("img", ["loading"])
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .attribute_filter(|_element, attribute, value| {
            if !URL_ATTRIBUTES.contains(&attribute) {
                return Some(Cow::Borrowed(value));
            }
            // Browsers ignore surrounding spaces in a URL attribute; anything else the
            // rule refuses drops the attribute.
            let url = value.trim_matches(|c: char| c.is_ascii_whitespace());
            check_url(url).ok().map(|()| Cow::Borrowed(url))
        })
        .clean(html)
        .to_string()
}

/// The text of sanitised HTML, for the search index and snippets: tags dropped (a space
/// where a block ends, so paragraphs do not run together), the entities ammonia writes
/// decoded, runs of white space made one space.
pub fn text(html: &str) -> String {
    const BLOCKS: &[&str] = &[
        "p",
        "br",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figcaption",
        "figure",
        "blockquote",
        "td",
        "th",
        "tr",
        "table",
        "pre",
        "hr",
        "section",
    ];
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_decoded(&rest[..open], &mut out);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close]
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if BLOCKS.contains(&tag.as_str()) {
            out.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    push_decoded(rest, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&nbsp;` and numeric references
/// decoded; anything else kept as written.
fn push_decoded(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let entity = after
            .find(';')
            .filter(|end| *end <= 10)
            .map(|end| &after[..end]);
        let decoded = entity.and_then(|name| match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" | "#39" => Some('\''),
            "nbsp" => Some(' '),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        });
        match (entity, decoded) {
            (Some(name), Some(c)) => {
                out.push(c);
                rest = &after[name.len() + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod text_tests {
    use super::text;

    #[test]
    fn text_drops_tags_keeps_paragraphs_apart_and_decodes_entities() {
        assert_eq!(
            text("<p>护苗&amp;网络</p><p>第二段&lt;b&gt;&#25945;&#x80B2;</p><img src=\"a.jpg\">"),
            "护苗&网络 第二段<b>教育"
        );
        assert_eq!(text("a &unknown; b & c"), "a &unknown; b & c");
        assert_eq!(text("<p>一<br/>二</p>"), "一 二");
    }
}
