//! Reading a JSON object body field by field, so that every bad field is reported at once
//! (serde stops at the first), with its name. Absent, `null` and a value stay distinct
//! for partial updates.

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};

use crate::dates;
use crate::error::{ApiError, FieldError};

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

    /// A string that may be empty (`""` is a value, not an error).
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

    /// A required string on create; `null` is never allowed.
    pub fn required_string(
        &mut self,
        field: &str,
        max_chars: usize,
        creating: bool,
    ) -> Patch<String> {
        let value = self.string(field, max_chars);
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
