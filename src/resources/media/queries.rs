use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;

use super::types::{FocalPoint, Image};
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
    _storage_key: Option<String>,
    byte_size: Option<i64>,
    credit: Option<String>,
    focal_x: Option<i32>,
    focal_y: Option<i32>,
    placeholder: Option<String>,
    renditions: String,
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
            credit: row.credit,
            byte_size: row.byte_size,
            placeholder: row.placeholder,
            focal_point: FocalPoint::from_stored(row.focal_x, row.focal_y),
            // Written by this program only; a row it cannot read shows no renditions.
            renditions: serde_json::from_str(&row.renditions).unwrap_or_default(),
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

/// What shows this media record, by name (`article hu-miao-you-wo (cover)`): article
/// covers and inline images, magazine covers, and the site logo when it is this record
/// or its URL is this file's. One query each, for a delete's 409.
pub fn users(conn: &mut AnyConnection, id: i64) -> QueryResult<Vec<String>> {
    use crate::db::schema::{articles, magazine_issues, site_settings};
    let covers: Vec<String> = articles::table
        .filter(articles::cover_media_id.eq(id))
        .order(articles::id.asc())
        .select(articles::slug)
        .load(conn)?;
    let inline: Vec<String> = article_media::table
        .inner_join(articles::table)
        .filter(article_media::media_id.eq(id))
        .order(articles::id.asc())
        .select(articles::slug)
        .load(conn)?;
    let issues: Vec<i64> = magazine_issues::table
        .filter(magazine_issues::cover_media_id.eq(id))
        .order(magazine_issues::id.asc())
        .select(magazine_issues::id)
        .load(conn)?;
    let url: String = media::table
        .filter(media::id.eq(id))
        .select(media::url)
        .first(conn)?;
    let logo: i64 = site_settings::table
        .filter(
            site_settings::logo_media_id
                .eq(id)
                .or(site_settings::logo_url.eq(&url)),
        )
        .count()
        .get_result(conn)?;
    Ok(covers
        .into_iter()
        .map(|slug| format!("article {slug} (cover)"))
        .chain(
            inline
                .into_iter()
                .map(|slug| format!("article {slug} (image)")),
        )
        .chain(
            issues
                .into_iter()
                .map(|id| format!("magazine issue {id} (cover)")),
        )
        .chain((logo > 0).then(|| "the site (logo)".to_owned()))
        .collect())
}

/// The media records of these upload folders, by folder (each upload has a folder of its
/// own); folders no record names are left out.
pub fn ids_of_folders(
    conn: &mut AnyConnection,
    folders: &[String],
) -> QueryResult<HashMap<String, i64>> {
    Ok(media::table
        .filter(media::storage_key.eq_any(folders))
        .select((media::storage_key.assume_not_null(), media::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect())
}

/// The folder of a media record's uploaded file (`None` for a record of a file kept
/// elsewhere, or no record).
pub fn folder(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<String>> {
    Ok(media::table
        .filter(media::id.eq(id))
        .select(media::storage_key)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Every upload folder the site names: each media record's, and the site logo's when it is
/// a stored file without a record of its own (the demo's logo is one). What an export
/// carries and an import accepts files for.
pub fn stored_folders(conn: &mut AnyConnection) -> QueryResult<BTreeSet<String>> {
    use crate::db::schema::site_settings;
    let mut folders: BTreeSet<String> = media::table
        .select(media::storage_key)
        .filter(media::storage_key.is_not_null())
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .collect();
    let logos: Vec<Option<String>> = site_settings::table
        .select(site_settings::logo_url)
        .load(conn)?;
    folders.extend(
        logos
            .iter()
            .flatten()
            .filter_map(|url| super::files::folder_of_url(url)),
    );
    Ok(folders)
}
