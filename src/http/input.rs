//! Reading a JSON object body field by field, so that every bad field is reported at once
//! (serde stops at the first), with its name. Absent, `null` and a value stay distinct
//! for partial updates.

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};

use crate::dates;
use crate::error::{ApiError, FieldError};

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

/// One field of a partial update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Patch<T> {
    /// Not in the body: leave unchanged.
    Absent,
    /// `null`: clear it.
    Null,
    Value(T),
}

impl<T> Patch<T> {
    pub fn value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// The new value of a nullable column: None leaves it unchanged.
    pub fn into_update(self) -> Option<Option<T>> {
        match self {
            Self::Absent => None,
            Self::Null => Some(None),
            Self::Value(value) => Some(Some(value)),
        }
    }
}

pub struct Input {
    fields: Map<String, Value>,
    errors: Vec<FieldError>,
}

impl Input {
    /// Takes a body; every key outside `known` is an error.
    pub fn new(body: Value, known: &[&str]) -> Self {
        let mut errors = Vec::new();
        let fields = match body {
            Value::Object(fields) => fields,
            _ => {
                errors.push(FieldError::new("body", "must be a JSON object"));
                Map::new()
            }
        };
        for key in fields.keys() {
            if !known.contains(&key.as_str()) {
                errors.push(FieldError::new(
                    key.clone(),
                    format!("is not a field; expected one of: {}", known.join(", ")),
                ));
            }
        }
        Self { fields, errors }
    }

    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    fn take(&mut self, field: &str) -> Patch<Value> {
        match self.fields.remove(field) {
            None => Patch::Absent,
            Some(Value::Null) => Patch::Null,
            Some(value) => Patch::Value(value),
        }
    }

    /// A string of 1..=`max_chars` characters (trimmed).
    pub fn string(&mut self, field: &str, max_chars: usize) -> Patch<String> {
        match self.take(field) {
            Patch::Value(Value::String(text)) => {
                let text = text.trim().to_owned();
                let chars = text.chars().count();
                if chars == 0 {
                    self.error(field, "must not be empty");
                    Patch::Absent
                } else if chars > max_chars {
                    self.error(
                        field,
                        format!("must be at most {max_chars} characters (it has {chars})"),
                    );
                    Patch::Absent
                } else if let Err(message) = single_line(&text) {
                    self.error(field, message);
                    Patch::Absent
                } else {
                    Patch::Value(text)
                }
            }
            Patch::Value(_) => {
                self.error(field, "must be a string");
                Patch::Absent
            }
            Patch::Null => Patch::Null,
            Patch::Absent => Patch::Absent,
        }
    }

    /// A multi-line string that may be empty (`""` is a value, not an error): tabs and
    /// line breaks are kept, other control characters refused.
    pub fn text(&mut self, field: &str, max_chars: usize) -> Patch<String> {
        match self.take(field) {
            Patch::Value(Value::String(text)) => {
                let chars = text.chars().count();
                if chars > max_chars {
                    self.error(
                        field,
                        format!("must be at most {max_chars} characters (it has {chars})"),
                    );
                    Patch::Absent
                } else if let Err(message) = multi_line(&text) {
                    self.error(field, message);
                    Patch::Absent
                } else {
                    Patch::Value(text)
                }
            }
            Patch::Value(_) => {
                self.error(field, "must be a string");
                Patch::Absent
            }
            Patch::Null => Patch::Null,
            Patch::Absent => Patch::Absent,
        }
    }

    pub fn id(&mut self, field: &str) -> Patch<i64> {
        match self.take(field) {
            Patch::Value(Value::Number(number)) => match number.as_i64().filter(|id| *id > 0) {
                Some(id) => Patch::Value(id),
                None => {
                    self.error(field, "must be a positive integer id");
                    Patch::Absent
                }
            },
            Patch::Value(_) => {
                self.error(field, "must be an integer id");
                Patch::Absent
            }
            Patch::Null => Patch::Null,
            Patch::Absent => Patch::Absent,
        }
    }

    /// A year within the stored range ([`crate::dates`]).
    pub fn year(&mut self, field: &str) -> Patch<i64> {
        self.integer(
            field,
            i64::from(dates::MIN_YEAR),
            i64::from(dates::MAX_YEAR),
        )
    }

    /// An integer within `min..=max` (display order and the like).
    pub fn integer(&mut self, field: &str, min: i64, max: i64) -> Patch<i64> {
        match self.take(field) {
            Patch::Value(Value::Number(number)) => {
                match number.as_i64().filter(|n| (min..=max).contains(n)) {
                    Some(n) => Patch::Value(n),
                    None => {
                        self.error(field, format!("must be an integer from {min} to {max}"));
                        Patch::Absent
                    }
                }
            }
            Patch::Value(_) => {
                self.error(field, format!("must be an integer from {min} to {max}"));
                Patch::Absent
            }
            Patch::Null => Patch::Null,
            Patch::Absent => Patch::Absent,
        }
    }

    /// A slug, checked by the slug rules.
    pub fn slug(&mut self, field: &str) -> Patch<String> {
        let slug = self.string(field, crate::slug::MAX_CHARS);
        match &slug {
            Patch::Value(value) => {
                if let Err(message) = crate::slug::check(value) {
                    self.error(field, message);
                    return Patch::Absent;
                }
            }
            Patch::Null => {
                self.error(
                    field,
                    "cannot be null; leave it out to keep the current one",
                );
                return Patch::Absent;
            }
            Patch::Absent => {}
        }
        slug
    }

    /// A URL of at most `max_chars` characters, by the one URL rule ([`check_url`]).
    pub fn url(&mut self, field: &str, max_chars: usize) -> Patch<String> {
        let url = self.string(field, max_chars);
        if let Patch::Value(value) = &url {
            if let Err(message) = check_url(value) {
                self.error(field, message);
                return Patch::Absent;
            }
        }
        url
    }

    /// A required string on create; `null` is never allowed.
    pub fn required_string(
        &mut self,
        field: &str,
        max_chars: usize,
        creating: bool,
    ) -> Patch<String> {
        let value = self.string(field, max_chars);
        self.required(field, value, creating)
    }

    /// A required value on create (absent is an error then); `null` is never allowed.
    pub fn required<T: PartialEq>(
        &mut self,
        field: &str,
        value: Patch<T>,
        creating: bool,
    ) -> Patch<T> {
        let missing =
            creating && value.is_absent() && !self.errors.iter().any(|e| e.field == field);
        if value == Patch::Null || missing {
            self.error(field, "is required");
            return Patch::Absent;
        }
        value
    }

    pub fn ids(&mut self, field: &str, max: usize) -> Patch<Vec<i64>> {
        match self.take(field) {
            Patch::Value(Value::Array(items)) => {
                let ids: Vec<i64> = items
                    .iter()
                    .filter_map(|item| item.as_i64().filter(|id| *id > 0))
                    .collect();
                if ids.len() != items.len() {
                    self.error(field, "must be an array of positive integer ids");
                    Patch::Absent
                } else if ids.len() > max {
                    self.error(field, format!("must have at most {max} ids"));
                    Patch::Absent
                } else {
                    let mut unique = ids.clone();
                    unique.sort_unstable();
                    unique.dedup();
                    if unique.len() != ids.len() {
                        self.error(field, "must not repeat an id");
                        return Patch::Absent;
                    }
                    Patch::Value(ids)
                }
            }
            Patch::Value(_) => {
                self.error(field, "must be an array of ids");
                Patch::Absent
            }
            Patch::Null => Patch::Null,
            Patch::Absent => Patch::Absent,
        }
    }

    /// An RFC 3339 timestamp with its offset, within the stored range once in UTC
    /// ([`crate::dates`]).
    pub fn datetime(&mut self, field: &str) -> Patch<DateTime<FixedOffset>> {
        match self.take(field) {
            Patch::Value(Value::String(text)) => match DateTime::parse_from_rfc3339(text.trim()) {
                Ok(at) if dates::instant_in_range(at.naive_utc()) => Patch::Value(at),
                Ok(_) => {
                    self.error(field, dates::out_of_range_message());
                    Patch::Absent
                }
                Err(_) => {
                    self.error(field, "must be an RFC 3339 timestamp with an offset, e.g. 2026-12-01T08:00:00+08:00");
                    Patch::Absent
                }
            },
            Patch::Value(_) => {
                self.error(field, "must be an RFC 3339 timestamp string");
                Patch::Absent
            }
            Patch::Null => Patch::Null,
            Patch::Absent => Patch::Absent,
        }
    }

    /// A calendar date, `YYYY-MM-DD`, within the stored range ([`crate::dates`]).
    pub fn date(&mut self, field: &str) -> Patch<chrono::NaiveDate> {
        match self.take(field) {
            Patch::Value(Value::String(text)) => {
                match chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
                    Ok(date) if dates::date_in_range(date) => Patch::Value(date),
                    Ok(_) => {
                        self.error(field, dates::out_of_range_message());
                        Patch::Absent
                    }
                    Err(_) => {
                        self.error(field, "must be a date, YYYY-MM-DD");
                        Patch::Absent
                    }
                }
            }
            Patch::Value(_) => {
                self.error(field, "must be a date string, YYYY-MM-DD");
                Patch::Absent
            }
            Patch::Null => Patch::Null,
            Patch::Absent => Patch::Absent,
        }
    }

    /// Fails with every error met so far.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(self.errors))
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Adds "is required" unless the field already has an error.
    pub fn require(&mut self, field: &str) {
        if !self.errors.iter().any(|error| error.field == field) {
            self.error(field, "is required");
        }
    }
}
