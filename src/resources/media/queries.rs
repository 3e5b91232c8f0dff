use std::collections::HashMap;

use diesel::prelude::*;

use super::types::Image;
use crate::db::schema::{article_media, media};
use crate::db::AnyConnection;

#[derive(Queryable)]
struct MediaRow {
    id: i64,
    url: String,
    alt: String,
    caption: Option<String>,
    width: Option<i32>,
    height: Option<i32>,
    mime_type: String,
    _created_at: chrono::NaiveDateTime,
    version: i64,
}

impl From<MediaRow> for Image {
    fn from(row: MediaRow) -> Self {
        Self {
            id: row.id,
            url: row.url,
            alt: row.alt,
            caption: row.caption,
            width: row.width,
            height: row.height,
            mime_type: row.mime_type,
            version: row.version,
        }
    }
}

/// The images with these ids, by id, in one query.
pub fn by_ids(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<HashMap<i64, Image>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<MediaRow> = media::table
        .filter(media::id.eq_any(ids))
        .select(media::all_columns)
        .load(conn)?;
    Ok(rows.into_iter().map(|row| (row.id, row.into())).collect())
}

/// An article's inline images in their order.
pub fn for_article(conn: &mut AnyConnection, article_id: i64) -> QueryResult<Vec<Image>> {
    let rows: Vec<MediaRow> = article_media::table
        .inner_join(media::table)
        .filter(article_media::article_id.eq(article_id))
        .order((article_media::position.asc(), media::id.asc()))
        .select(media::all_columns)
        .load(conn)?;
    Ok(rows.into_iter().map(Image::from).collect())
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Image>> {
    Ok(by_ids(conn, &[id])?.remove(&id))
}
