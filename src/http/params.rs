//! Parsing raw query-string values into checked values, naming the parameter on failure.
//!
//! Query structs keep every field as `Option<String>` so that a bad value becomes our own
//! problem body naming the parameter, rather than serde's generic message.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, Error};

use crate::error::{ApiError, FieldError};
use crate::http::framework_errors::RouteTable;
use crate::http::input::single_line;

/// The checks of one request's parameters, so that one 400 names every bad one (a client
/// learns them all at once, as a body's 422 names every bad field).
#[derive(Debug, Default)]
pub struct Checks {
    bad: Vec<FieldError>,
    /// A refusal that is not about one parameter's value, answered as it is.
    other: Option<ApiError>,
}

impl Checks {
    /// The checked value, or `None` with its error kept for [`Checks::done`].
    pub fn take<T>(&mut self, checked: Result<T, ApiError>) -> Option<T> {
        checked.map_err(|error| self.keep(error)).ok()
    }

    /// Keeps a refusal found apart (a rule between two parameters).
    pub fn keep(&mut self, error: ApiError) {
        match error {
            ApiError::InvalidParameter { parameter, message } => {
                self.bad.push(FieldError::new(parameter, message));
            }
            ApiError::InvalidParameters(bad) => self.bad.extend(bad),
            other => {
                self.other.get_or_insert(other);
            }
        }
    }

    /// Ok when every check passed; else the 400 naming every bad parameter.
    pub fn done(self) -> Result<(), ApiError> {
        if let Some(other) = self.other {
            return Err(other);
        }
        let mut bad = self.bad;
        match bad.len() {
            0 => Ok(()),
            1 => {
                let only = bad.remove(0);
                Err(ApiError::invalid(only.field, only.message))
            }
            _ => Err(ApiError::InvalidParameters(bad)),
        }
    }
}

/// Refuses control characters anywhere in the request's path segments and query
/// parameters (400 naming the parameter), before routing: every route, documented or not,
/// gets the rule, and no handler passes such text to the database (PostgreSQL answered
/// U+0000 with an error, a 500).
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let routes = req.app_data::<web::Data<RouteTable>>().cloned();
    let refused = check_path(req.path(), routes.as_ref().map(|routes| routes.get_ref()))
        .and_then(|()| check_query(req.query_string()));
    match refused {
        Ok(()) => Ok(next.call(req).await?.map_into_left_body()),
        Err(error) => Ok(req.error_response(error).map_into_right_body()),
    }
}

/// Each percent-decoded path segment, named by the route template's `{parameter}` it
/// fills (`path` when no documented route matches).
fn check_path(path: &str, routes: Option<&RouteTable>) -> Result<(), ApiError> {
    for (index, segment) in path.split('/').enumerate() {
        if let Err(message) = single_line(&percent_decode(segment)) {
            let name = routes
                .and_then(|routes| routes.parameter_name(path, index))
                .unwrap_or("path");
            return Err(ApiError::invalid(name, message));
        }
    }
    Ok(())
}

/// Every query parameter's name and value, decoded as the extractors decode them.
fn check_query(query: &str) -> Result<(), ApiError> {
    if query.is_empty() {
        return Ok(());
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|error| ApiError::BadRequest(format!("malformed query string: {error}")))?;
    for (name, value) in pairs {
        if let Err(message) = single_line(&name).and_then(|()| single_line(&value)) {
            return Err(ApiError::invalid(name, message));
        }
    }
    Ok(())
}

/// `%XX` escapes to bytes, then UTF-8 (invalid sequences become U+FFFD, as in the router).
fn percent_decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

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

/// Parses an optional day, `YYYY-MM-DD`, in the stored range of years.
pub fn date(name: &str, raw: Option<&str>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    let Some(raw) = raw else { return Ok(None) };
    let day = chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::invalid(name, "must be a day, YYYY-MM-DD"))?;
    if !crate::dates::date_in_range(day) {
        return Err(ApiError::invalid(
            name,
            crate::dates::out_of_range_message(),
        ));
    }
    Ok(Some(day))
}

/// Parses an optional non-empty string of bounded length.
pub fn text(name: &str, raw: Option<&str>, max_chars: usize) -> Result<Option<String>, ApiError> {
    let Some(raw) = raw else { return Ok(None) };
    let value = raw.trim();
    if value.is_empty() {
        return Err(ApiError::invalid(name, "must not be empty"));
    }
    single_line(value).map_err(|message| ApiError::invalid(name, message))?;
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
    fn percent_decoding_finds_control_characters() {
        assert_eq!(percent_decode("a%00b"), "a\u{0}b");
        assert_eq!(percent_decode("%E6%8A%A4"), "护");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert!(check_path("/api/v1/tags/a%0Ab", None).is_err());
        assert!(check_path("/api/v1/tags/%E6%8A%A4", None).is_ok());
        assert!(check_query("a=1&b=%7F").is_err());
        assert!(check_query("a=%E6%8A%A4+x").is_ok());
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
