//! The kinds of value a write body holds. Each states its rule once: its `Deserialize`
//! enforces it with a message a person can act on, and its schema tells clients the same
//! (lengths, patterns, ranges, formats). Use them with `#[schema(inline)]`, so that each
//! field's own limits appear in its request schema.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{de, Deserialize, Deserializer};
use serde_json::Value;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::dates;
use crate::http::input::{check_url, multi_line, single_line};

/// One line of text, trimmed: 1 to `MAX` characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<const MAX: usize>(pub String);

/// Text that may span lines (tabs and line breaks kept) and may be empty: at most `MAX`
/// characters, no other control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<const MAX: usize>(pub String);

/// A slug by the slug rules ([`crate::slug::check`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(pub String);

/// A URL by the one URL rule ([`check_url`]), at most `MAX` characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url<const MAX: usize>(pub String);

/// The id of a row: a positive integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Id(pub i64);

/// Ids without repeats, at most `MAX` of them, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ids<const MAX: usize>(pub Vec<i64>);

/// An integer from `MIN` to `MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Int<const MIN: i64, const MAX: i64>(pub i64);

/// A year in the stored range ([`crate::dates`]).
pub type Year = Int<{ dates::MIN_YEAR as i64 }, { dates::MAX_YEAR as i64 }>;

/// An RFC 3339 instant with its offset, in the stored range once in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instant(pub DateTime<FixedOffset>);

/// A calendar date, `YYYY-MM-DD`, in the stored range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(pub NaiveDate);

/// Matches [`single_line`] after trimming: some character other than white space, none a
/// control character.
const LINE_PATTERN: &str =
    "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$";
/// Matches [`multi_line`]: no control characters but tab, line feed and carriage return.
const TEXT_PATTERN: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";
/// Matches [`crate::slug::check`]: words of lowercase ASCII letters, digits and Chinese
/// characters joined by single hyphens, not all digits.
const SLUG_PATTERN: &str = concat!(
    "^([a-z0-9\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF]*[a-z\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF][a-z0-9\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF]*",
    "|[a-z0-9\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF]+(-[a-z0-9\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF]+)+)$"
);
/// What no URL holds: white space, backslashes, control characters (a regex class body).
macro_rules! url_c {
    () => {
        "\\s\\\\\\u0000-\\u001F\\u007F-\\u009F"
    };
}

/// Years 1900–2200 at the start of an instant or a date.
const YEAR_PREFIX: &str = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-";

fn string<E: de::Error>(value: Value, what: &str) -> Result<String, E> {
    match value {
        Value::String(text) => Ok(text),
        Value::Null => Err(E::custom("must not be null")),
        _ => Err(E::custom(format!("must be {what}"))),
    }
}

fn checked_line<E: de::Error>(value: Value, max: usize) -> Result<String, E> {
    let raw = string::<E>(value, "a string")?;
    // Measured as sent, as the schema's `maxLength` counts; stored trimmed.
    let chars = raw.chars().count();
    let text = raw.trim().to_owned();
    if text.is_empty() {
        return Err(E::custom("must not be empty"));
    }
    if chars > max {
        return Err(E::custom(format!(
            "must be at most {max} characters (it has {chars})"
        )));
    }
    // Checked as sent, as the schema's pattern does: a tab or line break around a one-line
    // value is refused, not trimmed away.
    single_line(&raw).map_err(E::custom)?;
    Ok(text)
}

fn string_schema(min: Option<usize>, max: usize, pattern: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(min)
        .max_length(Some(max))
        .pattern(Some(pattern))
}

impl<'de, const MAX: usize> Deserialize<'de> for Line<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        checked_line(Value::deserialize(deserializer)?, MAX).map(Self)
    }
}

impl<const MAX: usize> PartialSchema for Line<MAX> {
    fn schema() -> RefOr<Schema> {
        string_schema(Some(1), MAX, LINE_PATTERN).into()
    }
}

impl<'de, const MAX: usize> Deserialize<'de> for Text<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = string::<D::Error>(Value::deserialize(deserializer)?, "a string")?;
        let chars = text.chars().count();
        if chars > MAX {
            return Err(de::Error::custom(format!(
                "must be at most {MAX} characters (it has {chars})"
            )));
        }
        multi_line(&text).map_err(de::Error::custom)?;
        Ok(Self(text))
    }
}

impl<const MAX: usize> PartialSchema for Text<MAX> {
    fn schema() -> RefOr<Schema> {
        string_schema(None, MAX, TEXT_PATTERN).into()
    }
}

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let slug =
            checked_line::<D::Error>(Value::deserialize(deserializer)?, crate::slug::MAX_CHARS)?;
        crate::slug::check(&slug).map_err(de::Error::custom)?;
        Ok(Self(slug))
    }
}

impl PartialSchema for Slug {
    fn schema() -> RefOr<Schema> {
        string_schema(Some(1), crate::slug::MAX_CHARS, SLUG_PATTERN)
            .description(Some(
                "Words of lowercase ASCII letters, digits and Chinese characters joined by single hyphens; not all digits.",
            ))
            .into()
    }
}

impl<'de, const MAX: usize> Deserialize<'de> for Url<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let url = checked_line::<D::Error>(Value::deserialize(deserializer)?, MAX)?;
        check_url(&url).map_err(de::Error::custom)?;
        Ok(Self(url))
    }
}

impl<const MAX: usize> PartialSchema for Url<MAX> {
    fn schema() -> RefOr<Schema> {
        // The shapes `check_url` accepts, without white space, control characters or
        // backslashes: http(s) with a host, mailto:, tel:, or a relative reference whose
        // part before the first `/`, `?` or `#` has no `:` or `&` and that is not `//host`.
        string_schema(
            Some(1),
            MAX,
            concat!(
                "^([hH][tT][tT][pP][sS]?://[^@:/?#", url_c!(), "][^", url_c!(), "]*",
                "|([mM][aA][iI][lL][tT][oO]|[tT][eE][lL]):[^/?#", url_c!(), "][^", url_c!(), "]*",
                "|[^:&/?#", url_c!(), "]+([/?#][^", url_c!(), "]*)?",
                "|/([^/", url_c!(), "][^", url_c!(), "]*)?",
                "|[?#][^", url_c!(), "]*)$"
            ),
        )
        .description(Some(
            "An http(s), mailto or tel URL, or a relative reference (`/path`, `path`, `?query`, `#fragment`).",
        ))
        .into()
    }
}

/// A JSON number that is an integer as JSON Schema counts them: `3`, and also `3.0` (a
/// number with no fractional part), which clients that have only floats send.
fn integer(number: &serde_json::Number) -> Option<i64> {
    number.as_i64().or_else(|| {
        let float = number.as_f64()?;
        // Exactly representable and inside i64: below 2^63 in magnitude.
        (float.fract() == 0.0 && float.abs() < 9_223_372_036_854_775_808.0).then_some(float as i64)
    })
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Number(number) => match integer(&number).filter(|id| *id > 0) {
                Some(id) => Ok(Self(id)),
                None => Err(de::Error::custom("must be a positive integer id")),
            },
            Value::Null => Err(de::Error::custom("must not be null")),
            _ => Err(de::Error::custom("must be an integer id")),
        }
    }
}

impl PartialSchema for Id {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(1))
            .into()
    }
}

impl<'de, const MAX: usize> Deserialize<'de> for Ids<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Value::Array(items) = Value::deserialize(deserializer)? else {
            return Err(de::Error::custom("must be an array of ids"));
        };
        let ids: Vec<i64> = items
            .iter()
            .filter_map(|item| match item {
                Value::Number(number) => integer(number).filter(|id| *id > 0),
                _ => None,
            })
            .collect();
        if ids.len() != items.len() {
            return Err(de::Error::custom(
                "must be an array of positive integer ids",
            ));
        }
        if ids.len() > MAX {
            return Err(de::Error::custom(format!("must have at most {MAX} ids")));
        }
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        if unique.len() != ids.len() {
            return Err(de::Error::custom("must not repeat an id"));
        }
        Ok(Self(ids))
    }
}

impl<const MAX: usize> PartialSchema for Ids<MAX> {
    fn schema() -> RefOr<Schema> {
        ArrayBuilder::new()
            .items(Id::schema())
            .max_items(Some(MAX))
            .unique_items(true)
            .into()
    }
}

impl<'de, const MIN: i64, const MAX: i64> Deserialize<'de> for Int<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Number(number) => integer(&number)
                .filter(|n| (MIN..=MAX).contains(n))
                .map(Self)
                .ok_or_else(|| {
                    de::Error::custom(format!("must be an integer from {MIN} to {MAX}"))
                }),
            Value::Null => Err(de::Error::custom("must not be null")),
            _ => Err(de::Error::custom(format!(
                "must be an integer from {MIN} to {MAX}"
            ))),
        }
    }
}

impl<const MIN: i64, const MAX: i64> PartialSchema for Int<MIN, MAX> {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(MIN))
            .maximum(Some(MAX))
            .into()
    }
}

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = string::<D::Error>(
            Value::deserialize(deserializer)?,
            "an RFC 3339 timestamp string",
        )?;
        match DateTime::parse_from_rfc3339(text.trim()) {
            Ok(at) if dates::instant_in_range(at.naive_utc()) => Ok(Self(at)),
            Ok(_) => Err(de::Error::custom(dates::out_of_range_message())),
            Err(_) => Err(de::Error::custom(
                "must be an RFC 3339 timestamp with an offset, e.g. 2026-12-01T08:00:00+08:00",
            )),
        }
    }
}

impl PartialSchema for Instant {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .pattern(Some(YEAR_PREFIX))
            .description(Some(format!(
                "An RFC 3339 timestamp with its offset, in the years {} to {} (in UTC).",
                dates::MIN_YEAR,
                dates::MAX_YEAR
            )))
            .into()
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = string::<D::Error>(
            Value::deserialize(deserializer)?,
            "a date string, YYYY-MM-DD",
        )?;
        match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(date) if dates::date_in_range(date) => Ok(Self(date)),
            Ok(_) => Err(de::Error::custom(dates::out_of_range_message())),
            Err(_) => Err(de::Error::custom("must be a date, YYYY-MM-DD")),
        }
    }
}

impl PartialSchema for Day {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .pattern(Some(YEAR_PREFIX))
            .into()
    }
}

/// The component name every kind answers: the kinds are always inlined (each field carries
/// its own limits), and the spec drops this placeholder (`openapi::input_kinds_inline`).
pub const PLACEHOLDER_NAME: &str = "InputKindPlaceholder";

/// See [`PLACEHOLDER_NAME`].
macro_rules! inline_only {
    ($($kind:ty),* $(,)?) => {$(
        impl ToSchema for $kind {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(PLACEHOLDER_NAME)
            }
        }
    )*};
}

inline_only!(Slug, Id, Instant, Day);

impl<const MAX: usize> ToSchema for Line<MAX> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(PLACEHOLDER_NAME)
    }
}

impl<const MAX: usize> ToSchema for Text<MAX> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(PLACEHOLDER_NAME)
    }
}

impl<const MAX: usize> ToSchema for Url<MAX> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(PLACEHOLDER_NAME)
    }
}

impl<const MAX: usize> ToSchema for Ids<MAX> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(PLACEHOLDER_NAME)
    }
}

impl<const MIN: i64, const MAX: i64> ToSchema for Int<MIN, MAX> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(PLACEHOLDER_NAME)
    }
}

/// An account's email address, normalised ([`crate::auth::email::Email`]): trimmed and
/// lowercased, `local@domain` without blanks, at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(pub crate::auth::email::Email);

/// The longest email address an account may have.
pub const EMAIL_MAX_CHARS: usize = 254;

/// Matches [`crate::auth::email::Email::parse`] before trimming: a local part without `@`,
/// `@`, a domain, no blanks or control characters; spaces around it (not tabs or line
/// breaks, which are control characters).
const EMAIL_PATTERN: &str =
    "^[^\\S\\u0000-\\u001F\\u007F-\\u009F]*[^\\s@\\u0000-\\u001F\\u007F-\\u009F]+@[^\\s\\u0000-\\u001F\\u007F-\\u009F]+[^\\S\\u0000-\\u001F\\u007F-\\u009F]*$";

impl<'de> Deserialize<'de> for EmailAddress {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = checked_line::<D::Error>(Value::deserialize(deserializer)?, EMAIL_MAX_CHARS)?;
        crate::auth::email::Email::parse(&text)
            .map(Self)
            .map_err(de::Error::custom)
    }
}

impl PartialSchema for EmailAddress {
    fn schema() -> RefOr<Schema> {
        string_schema(Some(3), EMAIL_MAX_CHARS, EMAIL_PATTERN)
            .description(Some("Stored trimmed and lowercased."))
            .into()
    }
}

/// A new password: [`crate::auth::passwords::MIN_LENGTH`] to 1,000 characters, none a
/// control character, kept as sent (sign-in compares it so). Its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(pub String);

/// The longest password an account may have.
pub const PASSWORD_MAX_CHARS: usize = 1_000;

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

impl<'de> Deserialize<'de> for Password {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let min = crate::auth::passwords::MIN_LENGTH;
        let text = string::<D::Error>(Value::deserialize(deserializer)?, "a string")?;
        let chars = text.chars().count();
        if chars < min {
            return Err(de::Error::custom(format!(
                "must have at least {min} characters (it has {chars})"
            )));
        }
        if chars > PASSWORD_MAX_CHARS {
            return Err(de::Error::custom(format!(
                "must be at most {PASSWORD_MAX_CHARS} characters (it has {chars})"
            )));
        }
        single_line(&text).map_err(de::Error::custom)?;
        Ok(Self(text))
    }
}

impl PartialSchema for Password {
    fn schema() -> RefOr<Schema> {
        string_schema(
            Some(crate::auth::passwords::MIN_LENGTH),
            PASSWORD_MAX_CHARS,
            "^[^\\u0000-\\u001F\\u007F-\\u009F]*$",
        )
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)))
        .into()
    }
}

inline_only!(EmailAddress, Password);
