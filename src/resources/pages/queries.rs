use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::types::{Page, PageSummary};
use crate::clock::at_offset;
use crate::db::schema::pages;
use crate::db::AnyConnection;
use crate::resources::articles::types::Seo;
use crate::resources::{paths, site};

/// Pages have no schedule: published is public.
pub const PUBLISHED: &str = "published";

#[derive(Queryable)]
struct PageRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    body_html: String,
    status: String,
    seo_title: Option<String>,
    seo_description: Option<String>,
    _created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

pub fn all(conn: &mut AnyConnection) -> QueryResult<Vec<PageSummary>> {
    Ok(pages::table
        .filter(pages::status.eq(PUBLISHED))
        .order((pages::title.asc(), pages::id.asc()))
        .select((pages::id, pages::slug, pages::title, pages::summary))
        .load::<(i64, String, String, String)>(conn)?
        .into_iter()
        .map(|(id, slug, title, summary)| PageSummary {
            id,
            path: paths::page(&slug),
            slug,
            title,
            summary,
        })
        .collect())
}

type Query = pages::BoxedQuery<'static, crate::db::MultiBackend>;

fn with_slug(slug: &str) -> Query {
    pages::table
        .filter(pages::slug.eq(slug.to_owned()))
        .into_boxed()
}

pub fn by_slug(conn: &mut AnyConnection, slug: &str) -> QueryResult<Option<Page>> {
    load(conn, with_slug(slug), true)
}

/// A page in any state (for editors).
pub fn by_slug_any_status(conn: &mut AnyConnection, slug: &str) -> QueryResult<Option<Page>> {
    load(conn, with_slug(slug), false)
}

/// A page in any state, by id (for editors).
pub fn by_id_any_status(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Page>> {
    load(
        conn,
        pages::table.filter(pages::id.eq(id)).into_boxed(),
        false,
    )
}

fn load(
    conn: &mut AnyConnection,
    mut query: Query,
    published_only: bool,
) -> QueryResult<Option<Page>> {
    if published_only {
        query = query.filter(pages::status.eq(PUBLISHED));
    }
    let row: Option<PageRow> = query.select(pages::all_columns).first(conn).optional()?;
    let Some(row) = row else { return Ok(None) };
    let offset = site::queries::utc_offset_minutes(conn)?;
    Ok(Some(Page {
        id: row.id,
        path: paths::page(&row.slug),
        slug: row.slug,
        title: row.title,
        summary: row.summary,
        body_html: row.body_html,
        seo: Seo {
            title: row.seo_title,
            description: row.seo_description,
        },
        updated_at: at_offset(row.updated_at, offset),
        version: row.version,
        status: row.status,
    }))
}

/// Slugs of the published pages among `ids` (for menus).
pub fn published_slugs(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(pages::table
        .filter(pages::status.eq(PUBLISHED))
        .filter(pages::id.eq_any(ids))
        .select((pages::id, pages::slug))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}
