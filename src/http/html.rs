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
