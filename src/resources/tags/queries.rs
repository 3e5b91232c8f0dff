use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::types::{Tag, TagRef};
use crate::content::counts;
use crate::db::schema::{article_tags, tags};
use crate::db::AnyConnection;
use crate::resources::paths;

type TagRow = (i64, String, String, String, i64);

fn to_tag((id, slug, name, description, version): TagRow, counts: &HashMap<i64, i64>) -> Tag {
    Tag {
        id,
        path: paths::tag(&slug),
        slug,
        name,
        description,
        article_count: counts.get(&id).copied().unwrap_or(0),
        version,
    }
}

pub fn all(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Vec<Tag>> {
    let counts = counts::by_tag(conn, now)?;
    let rows: Vec<TagRow> = tags::table
        .order((tags::name.asc(), tags::id.asc()))
        .select((
            tags::id,
            tags::slug,
            tags::name,
            tags::description,
            tags::version,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|row| to_tag(row, &counts)).collect())
}

pub fn by_slug(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    slug: &str,
) -> QueryResult<Option<Tag>> {
    one(
        conn,
        now,
        tags::table
            .filter(tags::slug.eq(slug.to_owned()))
            .into_boxed(),
    )
}

pub fn by_id(conn: &mut AnyConnection, now: NaiveDateTime, id: i64) -> QueryResult<Option<Tag>> {
    one(conn, now, tags::table.filter(tags::id.eq(id)).into_boxed())
}

fn one(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    query: tags::BoxedQuery<'static, crate::db::MultiBackend>,
) -> QueryResult<Option<Tag>> {
    let row: Option<TagRow> = query
        .select((
            tags::id,
            tags::slug,
            tags::name,
            tags::description,
            tags::version,
        ))
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let row_id = row.0;
    let count = counts::with_tag(conn, now, row_id)?;
    Ok(Some(to_tag(row, &HashMap::from([(row_id, count)]))))
}

pub fn id_by_slug(conn: &mut AnyConnection, slug: &str) -> QueryResult<Option<i64>> {
    tags::table
        .filter(tags::slug.eq(slug))
        .select(tags::id)
        .first(conn)
        .optional()
}

/// The tags of each of these articles, in one query.
pub fn for_articles(
    conn: &mut AnyConnection,
    article_ids: &[i64],
) -> QueryResult<HashMap<i64, Vec<TagRef>>> {
    let mut by_article: HashMap<i64, Vec<TagRef>> = HashMap::new();
    if article_ids.is_empty() {
        return Ok(by_article);
    }
    let rows: Vec<(i64, i64, String, String)> = article_tags::table
        .inner_join(tags::table)
        .filter(article_tags::article_id.eq_any(article_ids))
        .order((tags::name.asc(), tags::id.asc()))
        .select((article_tags::article_id, tags::id, tags::slug, tags::name))
        .load(conn)?;
    for (article_id, id, slug, name) in rows {
        by_article.entry(article_id).or_default().push(TagRef {
            id,
            path: paths::tag(&slug),
            slug,
            name,
        });
    }
    Ok(by_article)
}

/// Slugs of the tags among `ids` (for menus).
pub fn slugs_by_ids(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(tags::table
        .filter(tags::id.eq_any(ids))
        .select((tags::id, tags::slug))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}
