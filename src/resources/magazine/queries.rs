use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::types::{MagazineIssue, MagazineIssueSummary};
use crate::content::visible;
use crate::db::schema::{articles, magazine_issue_articles, magazine_issues};
use crate::db::AnyConnection;
use crate::resources::articles::queries::summaries_by_ids;
use crate::resources::{media, paths};

/// Issues the public sees.
pub const PUBLISHED: &str = "published";

type IssueRow = (
    i64,
    Option<i32>,
    String,
    i32,
    String,
    Option<i64>,
    NaiveDate,
    String,
    i64,
);

#[diesel::dsl::auto_type]
fn issue_columns() -> _ {
    (
        magazine_issues::id,
        magazine_issues::number,
        magazine_issues::title,
        magazine_issues::year,
        magazine_issues::description,
        magazine_issues::cover_media_id,
        magazine_issues::published_on,
        magazine_issues::status,
        magazine_issues::version,
    )
}

pub fn list(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    year: Option<i32>,
) -> QueryResult<Vec<MagazineIssueSummary>> {
    let mut query = magazine_issues::table
        .filter(magazine_issues::status.eq(PUBLISHED))
        .into_boxed();
    if let Some(year) = year {
        query = query.filter(magazine_issues::year.eq(year));
    }
    let rows: Vec<IssueRow> = query
        .order((
            magazine_issues::published_on.desc(),
            magazine_issues::id.desc(),
        ))
        .select(issue_columns())
        .load(conn)?;
    let counts: HashMap<i64, i64> = magazine_issue_articles::table
        .inner_join(articles::table)
        .filter(visible(now))
        .group_by(magazine_issue_articles::issue_id)
        .select((magazine_issue_articles::issue_id, diesel::dsl::count_star()))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let cover_ids: Vec<i64> = rows.iter().filter_map(|row| row.5).collect();
    let covers = media::queries::by_ids(conn, &cover_ids)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, number, title, year, description, cover, published_on, _, _)| {
                MagazineIssueSummary {
                    id,
                    number,
                    title,
                    year,
                    description,
                    cover: cover.and_then(|id| covers.get(&id).cloned()),
                    published_on,
                    path: paths::magazine_issue(id),
                    article_count: counts.get(&id).copied().unwrap_or(0),
                }
            },
        )
        .collect())
}

pub fn by_id(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    id: i64,
) -> QueryResult<Option<MagazineIssue>> {
    load(conn, now, id, true)
}

/// An issue in any state (for editors).
pub fn by_id_any_status(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    id: i64,
) -> QueryResult<Option<MagazineIssue>> {
    load(conn, now, id, false)
}

fn load(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    id: i64,
    published_only: bool,
) -> QueryResult<Option<MagazineIssue>> {
    let mut query = magazine_issues::table
        .filter(magazine_issues::id.eq(id))
        .select(issue_columns())
        .into_boxed();
    if published_only {
        query = query.filter(magazine_issues::status.eq(PUBLISHED));
    }
    let row: Option<IssueRow> = query.first(conn).optional()?;
    let Some((id, number, title, year, description, cover, published_on, status, version)) = row
    else {
        return Ok(None);
    };
    let article_ids: Vec<i64> = magazine_issue_articles::table
        .filter(magazine_issue_articles::issue_id.eq(id))
        .order((
            magazine_issue_articles::position.asc(),
            magazine_issue_articles::article_id.asc(),
        ))
        .select(magazine_issue_articles::article_id)
        .load(conn)?;
    let articles = summaries_by_ids(conn, now, &article_ids)?;
    let cover = match cover {
        Some(cover) => media::queries::by_ids(conn, &[cover])?.remove(&cover),
        None => None,
    };
    Ok(Some(MagazineIssue {
        id,
        number,
        title,
        year,
        description,
        cover,
        published_on,
        path: paths::magazine_issue(id),
        articles,
        status,
        version,
    }))
}

/// Ids of the published issues among `ids` (for menus).
pub fn published_ids(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    magazine_issues::table
        .filter(magazine_issues::status.eq(PUBLISHED))
        .filter(magazine_issues::id.eq_any(ids))
        .select(magazine_issues::id)
        .load(conn)
}
