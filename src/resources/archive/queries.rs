use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::types::{ArchiveMonth, ArchiveYear};
use crate::db::{backend, AnyConnection};
use crate::resources::site;

pub fn by_year(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Vec<ArchiveYear>> {
    let offset = site::queries::utc_offset_minutes(conn)?;
    let mut years: Vec<ArchiveYear> = Vec::new();
    for row in backend::published_per_month(conn, now, offset)? {
        let month = ArchiveMonth {
            month: row.month,
            count: row.count,
        };
        match years.last_mut() {
            Some(year) if year.year == row.year => {
                year.count += row.count;
                year.months.push(month);
            }
            _ => years.push(ArchiveYear {
                year: row.year,
                count: row.count,
                months: vec![month],
            }),
        }
    }
    Ok(years)
}
