//! `Location` headers: paths with Chinese slugs are sent percent-encoded, one rule for
//! every redirect and every 201.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters is escaped.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes one path segment (RFC 3986 unreserved characters stay as they are).
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, ESCAPED).to_string()
}

/// Percent-encodes every segment of an absolute path.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_segments_are_encoded_and_slashes_kept() {
        assert_eq!(
            encode_path("/api/v1/tags/护苗"),
            "/api/v1/tags/%E6%8A%A4%E8%8B%97"
        );
        assert_eq!(encode_path("/api/v1/tags/hu-miao"), "/api/v1/tags/hu-miao");
    }
}
