//! Object keys: the one place that decides which names may reach the file system or a bucket.
//!
//! Keys are built from URL paths, so this is a security boundary: a key that parses is a
//! relative path that stays inside the store's root whatever the store, and needs no
//! escaping anywhere (file system, S3 URL path, HTTP URL path).

use std::fmt;

/// The longest key accepted, in bytes (all key characters are ASCII).
pub const MAX_KEY_LEN: usize = 300;

/// The longest segment accepted: the usual file name limit (ext4, XFS, APFS, NTFS).
pub const MAX_SEGMENT_LEN: usize = 255;

/// The name of a stored object, such as `2026/11/3f9a0c1e2b7d4a55/w640.webp`.
///
/// One to [`MAX_KEY_LEN`] characters: `/`-separated segments of lowercase ASCII letters,
/// digits, `.`, `_` and `-`. No leading or trailing `/`, no empty segment, no segment
/// starting with `.` (which rules out `.`, `..` and hidden files), no `..` anywhere, no
/// segment longer than [`MAX_SEGMENT_LEN`]. Nothing is decoded: `%2e%2e` is refused for
/// its `%`, a backslash or NUL for being outside the alphabet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(String);

/// Why a string is not a [`Key`] (or not a key prefix).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid storage key `{shown}`: {reason}")]
pub struct InvalidKey {
    /// The refused input, with anything outside printable ASCII escaped, cut to 80 chars.
    shown: String,
    /// What rule it breaks.
    pub reason: &'static str,
}

impl InvalidKey {
    pub(crate) fn new(raw: &str, reason: &'static str) -> Self {
        let shown: String = raw.escape_default().to_string().chars().take(80).collect();
        Self { shown, reason }
    }
}

impl Key {
    /// Checks `raw` against the rules above; nothing is normalised or decoded.
    pub fn parse(raw: &str) -> Result<Self, InvalidKey> {
        if raw.is_empty() {
            return Err(InvalidKey::new(raw, "a key is not empty"));
        }
        check_path(raw)?;
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key's segments, first to last.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Key {
    type Err = InvalidKey;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

/// A key prefix for `list` and `delete_prefix`: whole segments, so `2026/1` covers
/// `2026/1/…` and never `2026/11/…`. The same rules as a key; one trailing `/` is allowed
/// and dropped. The empty prefix (everything) is `None`.
pub(crate) fn parse_prefix(raw: &str) -> Result<Option<Key>, InvalidKey> {
    let trimmed = raw.strip_suffix('/').unwrap_or(raw);
    if raw.is_empty() {
        return Ok(None);
    }
    if trimmed.is_empty() {
        return Err(InvalidKey::new(raw, "a prefix does not start with `/`"));
    }
    Key::parse(trimmed)
        .map(Some)
        .map_err(|error| InvalidKey::new(raw, error.reason))
}

fn check_path(raw: &str) -> Result<(), InvalidKey> {
    if raw.len() > MAX_KEY_LEN {
        return Err(InvalidKey::new(raw, "a key has at most 300 characters"));
    }
    if let Some(bad) = raw.chars().find(|c| !is_key_char(*c) && *c != '/') {
        return Err(InvalidKey::new(
            raw,
            match bad {
                '\\' => "a backslash is not a separator: use `/`",
                '%' => "a key is never percent-encoded",
                '\0' => "a key has no NUL",
                'A'..='Z' => "a key is lowercase",
                _ => "a key has only a-z, 0-9, `.`, `_`, `-` and `/` between segments",
            },
        ));
    }
    if raw.contains("..") {
        return Err(InvalidKey::new(raw, "a key has no `..`"));
    }
    for segment in raw.split('/') {
        if segment.is_empty() {
            return Err(InvalidKey::new(
                raw,
                "a key has no empty segment (no leading, trailing or double `/`)",
            ));
        }
        if segment.starts_with('.') {
            return Err(InvalidKey::new(
                raw,
                "a key segment does not start with `.`",
            ));
        }
        if segment.len() > MAX_SEGMENT_LEN {
            return Err(InvalidKey::new(
                raw,
                "a key segment has at most 255 characters",
            ));
        }
    }
    Ok(())
}

fn is_key_char(c: char) -> bool {
    matches!(c, 'a'..='z' | '0'..='9' | '.' | '_' | '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_keys_parse() {
        for raw in [
            "2026/11/3f9a0c1e2b7d4a55/w640.webp",
            "a",
            "original.jpg",
            "a_b-c.d/e",
            &"x".repeat(255),
            &format!("{}/{}", "a".repeat(255), "b".repeat(44)),
        ] {
            let key = Key::parse(raw).unwrap();
            assert_eq!(key.as_str(), raw);
            assert_eq!(key.to_string(), raw);
        }
        assert_eq!(
            Key::parse("2026/11/x.webp")
                .unwrap()
                .segments()
                .collect::<Vec<_>>(),
            ["2026", "11", "x.webp"]
        );
    }

    #[test]
    fn traversal_and_odd_names_are_refused() {
        let refused = [
            "",
            "/",
            "/etc/passwd",
            "//server/share",
            "../x",
            "a/../../x",
            "a/..",
            "..",
            ".",
            "./a",
            "a/./b",
            "a/.hidden",
            "a..b",
            "%2e%2e/x",
            "%2E%2E%2Fx",
            "a%2fb",
            "..\\x",
            "a\\b",
            "C:\\windows",
            "c:/windows",
            "a\0b",
            "a\0",
            "a/",
            "a//b",
            " a",
            "a b",
            "a\nb",
            "A/b",
            "é",
            "a/b?c",
            "a#1",
            "~/x",
            "a;b",
            "\u{FF0E}\u{FF0E}/x",
            &"x".repeat(256),
            &"a/".repeat(150),
            &format!("{}/b", "a".repeat(299)),
        ];
        for raw in refused {
            let error = Key::parse(raw).expect_err(raw);
            assert!(!error.reason.is_empty());
            // The message never carries raw control characters into a log line.
            assert!(!error.to_string().contains(['\0', '\n']), "{error}");
        }
    }

    #[test]
    fn the_length_limit_is_exact() {
        let longest = format!("{}/{}", "a".repeat(200), "b".repeat(99));
        assert_eq!(longest.len(), MAX_KEY_LEN);
        assert!(Key::parse(&longest).is_ok());
        assert!(Key::parse(&format!("{longest}c")).is_err());
    }

    #[test]
    fn prefixes_follow_the_key_rules() {
        assert_eq!(parse_prefix("").unwrap(), None);
        assert_eq!(
            parse_prefix("2026/11").unwrap().unwrap().as_str(),
            "2026/11"
        );
        assert_eq!(
            parse_prefix("2026/11/").unwrap().unwrap().as_str(),
            "2026/11"
        );
        for raw in ["/", "//", "../", "a//", "/a", "a/../b/", "%2e%2e/"] {
            assert!(parse_prefix(raw).is_err(), "{raw}");
        }
    }
}
