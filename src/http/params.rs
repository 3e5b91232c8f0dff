//! Parsing raw query-string values into checked values, naming the parameter on failure.
//!
//! Query structs keep every field as `Option<String>` so that a bad value becomes our own
//! problem body naming the parameter, rather than serde's generic message.

use crate::error::ApiError;

/// Parses an optional integer within `min..=max`.
pub fn int_in_range(
    name: &str,
    raw: Option<&str>,
    min: i64,
    max: i64,
) -> Result<Option<i64>, ApiError> {
    let Some(raw) = raw else { return Ok(None) };
    let message = || format!("must be an integer from {min} to {max}");
    let value: i64 = raw
        .trim()
        .parse()
        .map_err(|_| ApiError::invalid(name, message()))?;
    if value < min || value > max {
        return Err(ApiError::invalid(name, message()));
    }
    Ok(Some(value))
}

/// Parses an optional `year` filter: a year in the stored range ([`crate::dates`]), so a
/// filter never names instants no row can hold.
pub fn year(name: &str, raw: Option<&str>) -> Result<Option<i32>, ApiError> {
    let year = int_in_range(
        name,
        raw,
        i64::from(crate::dates::MIN_YEAR),
        i64::from(crate::dates::MAX_YEAR),
    )?;
    Ok(year.and_then(|year| i32::try_from(year).ok()))
}

/// Parses an optional non-empty string of bounded length.
pub fn text(name: &str, raw: Option<&str>, max_chars: usize) -> Result<Option<String>, ApiError> {
    let Some(raw) = raw else { return Ok(None) };
    let value = raw.trim();
    if value.is_empty() {
        return Err(ApiError::invalid(name, "must not be empty"));
    }
    if value.chars().count() > max_chars {
        return Err(ApiError::invalid(
            name,
            format!("must be at most {max_chars} characters"),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// The query of an endpoint that takes no parameters: like every other endpoint, it
/// refuses one it does not know (400 naming it) rather than ignoring a typo.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

/// An id or a slug in a path segment: all-digit segments are ids (slugs are never
/// all digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdOrSlug {
    Id(i64),
    Slug(String),
}

impl IdOrSlug {
    pub fn parse(raw: &str) -> Self {
        if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(id) = raw.parse() {
                return Self::Id(id);
            }
        }
        Self::Slug(raw.to_owned())
    }
}

/// A numeric id from a path segment; anything else names no such resource (404).
pub fn path_id(raw: &str, resource: &'static str) -> Result<i64, ApiError> {
    match IdOrSlug::parse(raw) {
        IdOrSlug::Id(id) => Ok(id),
        IdOrSlug::Slug(_) => Err(ApiError::not_found(resource, raw)),
    }
}

impl std::fmt::Display for IdOrSlug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::Slug(slug) => f.write_str(slug),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_in_range_names_the_parameter() {
        assert_eq!(int_in_range("page", Some("3"), 1, 10).ok(), Some(Some(3)));
        assert_eq!(int_in_range("page", None, 1, 10).ok(), Some(None));
        for bad in ["0", "11", "-1", "abc", "", "1.5"] {
            match int_in_range("page", Some(bad), 1, 10) {
                Err(ApiError::InvalidParameter { parameter, .. }) => assert_eq!(parameter, "page"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn digits_are_ids_and_the_rest_are_slugs() {
        assert_eq!(IdOrSlug::parse("42"), IdOrSlug::Id(42));
        assert_eq!(IdOrSlug::parse("护苗-42"), IdOrSlug::Slug("护苗-42".into()));
        assert_eq!(
            IdOrSlug::parse("99999999999999999999"),
            IdOrSlug::Slug("99999999999999999999".into())
        );
    }
}
