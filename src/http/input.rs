//! The text rules every input obeys, whether it arrives in a body field (`crate::input`),
//! a query parameter, a path segment or an HTML attribute: control characters and the
//! one URL rule.

/// [`single_line`] as a JSON Schema pattern, for the spec: one or more characters, none a
/// control character.
pub const NO_CONTROL_CHARACTERS: &str = "^[^\\u0000-\\u001F\\u007F-\\u009F]+$";

/// Refuses control characters (Unicode `Cc`: U+0000–U+001F, U+007F–U+009F) in a one-line
/// text: a name, a title, a slug, a query parameter. PostgreSQL cannot store U+0000 at all,
/// and the others only ever arrive by mistake or to confuse a log or a terminal.
pub fn single_line(text: &str) -> Result<(), String> {
    match text.chars().find(|c| c.is_control()) {
        Some(c) => Err(control_message(c)),
        None => Ok(()),
    }
}

/// As [`single_line`], but a multi-line text (a body, a description) keeps its tabs and
/// line breaks.
pub fn multi_line(text: &str) -> Result<(), String> {
    match text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        Some(c) => Err(control_message(c)),
        None => Ok(()),
    }
}

fn control_message(c: char) -> String {
    format!(
        "must not contain control characters (found U+{:04X})",
        u32::from(c)
    )
}

/// The schemes a URL may have, in a field or in sanitised HTML.
pub const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The one URL rule, for every URL field and every URL attribute the HTML sanitiser
/// keeps: `http(s)://host…`, `mailto:…`, `tel:…`, or a relative reference (`/path`,
/// `path`, `?query`, `#fragment`).
///
/// Refused as well, because browsers read them as something else: whitespace and control
/// characters anywhere (`java\tscript:` is `javascript:` to a browser), backslashes
/// (`/\host` is `//host`), a protocol-relative `//host` (give the scheme), and a `:` or `&`
/// before the first `/`, `?` or `#` of a relative reference (`&#106;avascript:` or
/// `javascript&colon;` become `javascript:` if a frontend writes the value into HTML
/// unescaped).
pub fn check_url(url: &str) -> Result<(), String> {
    const SCHEMES: &str = "must be an http(s), mailto or tel URL, or a relative path";
    if url.is_empty() {
        return Err("must not be empty".into());
    }
    if url
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Err("must not contain whitespace, control characters or backslashes".into());
    }
    let head = &url[..url.find(['/', '?', '#']).unwrap_or(url.len())];
    match head.split_once(':') {
        Some((scheme, rest)) => {
            let scheme = scheme.to_ascii_lowercase();
            if !URL_SCHEMES.contains(&scheme.as_str()) {
                return Err(SCHEMES.into());
            }
            let after = &url[scheme.len() + 1..];
            let complete = match scheme.as_str() {
                "http" | "https" => after
                    .strip_prefix("//")
                    .map(|tail| &tail[..tail.find(['/', '?', '#']).unwrap_or(tail.len())])
                    .is_some_and(|authority| {
                        !authority.is_empty() && !authority.starts_with(['@', ':'])
                    }),
                _ => !rest.is_empty(),
            };
            if complete {
                Ok(())
            } else {
                Err(format!("is not a complete {scheme} URL"))
            }
        }
        None if url.starts_with("//") => {
            Err("must not be protocol-relative (`//host`): give the scheme".into())
        }
        None if head.contains('&') => Err(SCHEMES.into()),
        None => Ok(()),
    }
}
