use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::types::{ArchiveMonth, ArchiveYear};
use crate::content::counts;
use crate::db::AnyConnection;
use crate::resources::site;

/// Published article counts per local month, newest first, from the counters the database
/// keeps per month in the site's offset ([`counts::by_month`]): a few hundred rows at most,
/// whatever the number of articles. The offset is read in the same snapshot as the
/// counters, which a change of offset recounts.
pub fn by_year(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Vec<ArchiveYear>> {
    let months = crate::db::read(conn, |conn| {
        let offset = site::queries::utc_offset_minutes(conn)?;
        counts::by_month(conn, now, offset)
    })?;
    let mut years: Vec<ArchiveYear> = Vec::new();
    for (&key, &count) in months.iter().rev() {
        let (year, month) = counts::month_of_key(key);
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
    }
    Ok(years)
}
