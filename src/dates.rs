//! The range of dates the site stores and filters by: years 1900 to 2200, in UTC.
//!
//! One place for the rule, because an instant far outside it does harm: SQLite stores
//! timestamps as text, so year 10000 (`+10000-…`) sorts before year 1 there, and a walk
//! over months that expects order to follow time never ends. Writes refuse instants and
//! dates outside the range; queries that walk over time stay inside it, so rows stored
//! before the rule (or imported) cannot hang a request.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// The first year an instant or a date may fall in (in UTC for instants).
pub const MIN_YEAR: i32 = 1900;
/// The last year an instant or a date may fall in (in UTC for instants).
pub const MAX_YEAR: i32 = 2200;

/// Months from the first of [`MIN_YEAR`] to the last of [`MAX_YEAR`], with a year of
/// slack either side for the site's UTC offset: the most a walk over months can take.
pub const MAX_MONTHS: usize = ((MAX_YEAR - MIN_YEAR + 3) * 12) as usize;

/// What a refused value is told.
pub fn out_of_range_message() -> String {
    format!("must fall in the years {MIN_YEAR} to {MAX_YEAR} (in UTC)")
}

/// True for a year a date or a `year` filter may name.
pub fn year_in_range(year: i64) -> bool {
    (i64::from(MIN_YEAR)..=i64::from(MAX_YEAR)).contains(&year)
}

/// True for a UTC instant in the stored range.
pub fn instant_in_range(utc: NaiveDateTime) -> bool {
    year_in_range(i64::from(utc.year()))
}

/// True for a calendar date in the stored range.
pub fn date_in_range(date: NaiveDate) -> bool {
    year_in_range(i64::from(date.year()))
}

/// The first instant of the range, 1900-01-01T00:00:00 UTC.
pub fn first_instant() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1)
        .unwrap_or_default()
        .and_time(NaiveTime::MIN)
}

/// The first instant after the range, 2201-01-01T00:00:00 UTC (an exclusive bound).
pub fn end_instant() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(MAX_YEAR + 1, 1, 1)
        .unwrap_or_default()
        .and_time(NaiveTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_is_years_1900_to_2200_in_utc() {
        let at = |s: &str| {
            chrono::DateTime::parse_from_rfc3339(s)
                .map(|t| t.naive_utc())
                .unwrap_or_default()
        };
        assert!(instant_in_range(at("1900-01-01T00:00:00Z")));
        assert!(instant_in_range(at("2200-12-31T23:59:59Z")));
        assert!(!instant_in_range(at("1899-12-31T23:59:59Z")));
        assert!(!instant_in_range(at("2200-12-31T23:00:00-12:00")));
        assert!(!instant_in_range(at("9999-12-31T23:00:00-12:00")));
        assert!(instant_in_range(first_instant()));
        assert!(!instant_in_range(end_instant()));
        assert_eq!(end_instant().year(), MAX_YEAR + 1);
    }
}
