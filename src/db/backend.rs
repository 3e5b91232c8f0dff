//! The only SQL that differs between SQLite and PostgreSQL. Everything else is written
//! once with diesel's query builder.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Timestamp};

use super::AnyConnection;

#[derive(Debug, QueryableByName)]
pub struct MonthCount {
    #[diesel(sql_type = Integer)]
    pub year: i32,
    #[diesel(sql_type = Integer)]
    pub month: i32,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

/// Published articles per calendar month in the site's time zone (`offset_minutes` east
/// of UTC), newest month first. Date parts need each backend's own functions.
pub fn published_per_month(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    offset_minutes: i32,
) -> QueryResult<Vec<MonthCount>> {
    match conn {
        AnyConnection::Sqlite(conn) => diesel::sql_query(
            "SELECT CAST(strftime('%Y', published_at, ?) AS INTEGER) AS year, \
                    CAST(strftime('%m', published_at, ?) AS INTEGER) AS month, \
                    COUNT(*) AS count \
             FROM articles \
             WHERE status = 'published' AND published_at IS NOT NULL AND published_at <= ? \
             GROUP BY 1, 2 ORDER BY 1 DESC, 2 DESC",
        )
        .bind::<diesel::sql_types::Text, _>(format!("{offset_minutes:+} minutes"))
        .bind::<diesel::sql_types::Text, _>(format!("{offset_minutes:+} minutes"))
        .bind::<Timestamp, _>(now)
        .load(conn),
        AnyConnection::Postgresql(conn) => diesel::sql_query(
            "SELECT CAST(EXTRACT(YEAR FROM published_at + make_interval(mins => $1)) AS INTEGER) AS year, \
                    CAST(EXTRACT(MONTH FROM published_at + make_interval(mins => $1)) AS INTEGER) AS month, \
                    COUNT(*) AS count \
             FROM articles \
             WHERE status = 'published' AND published_at IS NOT NULL AND published_at <= $2 \
             GROUP BY 1, 2 ORDER BY 1 DESC, 2 DESC",
        )
        .bind::<Integer, _>(offset_minutes)
        .bind::<Timestamp, _>(now)
        .load(conn),
    }
}
