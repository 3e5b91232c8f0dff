use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::types::{ArchiveMonth, ArchiveYear};
use crate::content::visible;
use crate::content::PUBLISHED;
use crate::dates;
use crate::db::schema::articles;
use crate::db::AnyConnection;
use crate::resources::site;

/// The first instant (UTC) of the local month `months_ahead` after (year, month).
fn month_start_utc(
    year: i32,
    month: u32,
    months_ahead: u32,
    shift: Duration,
) -> Option<NaiveDateTime> {
    let index = year * 12 + (month as i32 - 1) + months_ahead as i32;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|local| local - shift)
}

/// Published article counts per local month, newest first. Walks from the newest article
/// down, one month at a time, with two index lookups per month that has articles: the
/// cost follows the number of non-empty months, not of articles, and the SQL is portable.
///
/// Only instants in the stored range ([`dates`]) count. Rows from before that rule may
/// hold others, and SQLite compares timestamps as text (`+10000-…` sorts first): every
/// query here is bounded on both sides, the walk must move back each turn, and it takes
/// at most [`dates::MAX_MONTHS`] turns, so no row can make it spin.
pub fn by_year(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Vec<ArchiveYear>> {
    let shift = Duration::minutes(i64::from(site::queries::utc_offset_minutes(conn)?));
    let first = dates::first_instant();
    let mut years: Vec<ArchiveYear> = Vec::new();
    let mut before: Option<NaiveDateTime> = None;
    for _ in 0..dates::MAX_MONTHS {
        let newest: Option<NaiveDateTime> = match before {
            None => articles::table
                .filter(visible(now))
                .filter(articles::published_at.ge(first))
                .filter(articles::published_at.lt(dates::end_instant()))
                .select(diesel::dsl::max(articles::published_at))
                .first(conn)?,
            // `before` is a month start at or before an article already seen, so it is in
            // the past.
            Some(before) => articles::table
                .filter(articles::status.eq(PUBLISHED))
                .filter(articles::published_at.ge(first))
                .filter(articles::published_at.lt(before))
                .select(diesel::dsl::max(articles::published_at))
                .first(conn)?,
        };
        let Some(newest) = newest else { break };
        if !dates::instant_in_range(newest) || before.is_some_and(|before| newest >= before) {
            break;
        }
        let local = newest + shift;
        let (year, month) = (local.year(), local.month());
        let (Some(start), Some(end)) = (
            month_start_utc(year, month, 0, shift),
            month_start_utc(year, month, 1, shift),
        ) else {
            break;
        };
        let count: i64 = if end > now {
            articles::table
                .filter(visible(now))
                .filter(articles::published_at.ge(start))
                .count()
                .get_result(conn)?
        } else {
            articles::table
                .filter(articles::status.eq(PUBLISHED))
                .filter(articles::published_at.ge(start))
                .filter(articles::published_at.lt(end))
                .count()
                .get_result(conn)?
        };
        let entry = ArchiveMonth {
            month: month as i32,
            count,
        };
        match years.last_mut() {
            Some(last) if last.year == year => {
                last.count += count;
                last.months.push(entry);
            }
            _ => years.push(ArchiveYear {
                year,
                count,
                months: vec![entry],
            }),
        }
        before = Some(start);
    }
    Ok(years)
}
