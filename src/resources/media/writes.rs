//! Media records through the editing kit: any signed-in role adds them (authors need images
//! for their drafts); editors and admins change and delete them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::files::StoredFile;
use super::html;
use super::queries;
use super::types::{FocalPoint, Image, MediaChanges, NewMedia, Rendition};
use super::upload::UploadForm;
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::{article_media, articles, media};
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::params::IdOrSlug;
use crate::resources::editing::{Action, Creatable, Current, Deletable, Editable};

pub struct Media;

/// What a create records: a file kept elsewhere (a JSON body naming its URL), or an
/// upload, already stored, with its text.
pub enum NewMediaItem {
    Record(NewMedia),
    Upload(StoredFile, UploadForm),
}

/// What an update changes: the record's fields, or its file (a new upload, stored).
pub enum MediaEdit {
    Fields(MediaChanges),
    File(StoredFile),
}

impl Editable for Media {
    const KIND: &'static str = "media record";
    const AUDIT_KIND: &'static str = "media";
    const TABLE: &'static str = "media";
    type Changes = MediaEdit;
    /// Where an uploaded file's copies are (`None` for a record of a file kept elsewhere).
    type Row = Option<String>;
    type View = Image;

    fn authorize(actor: &Actor, action: Action) -> Result<(), ApiError> {
        match action {
            Action::Create => Ok(()),
            Action::Update | Action::Delete => actor.require(&[Role::Admin, Role::Editor]),
        }
    }

    fn find(
        conn: &mut AnyConnection,
        key: &IdOrSlug,
    ) -> QueryResult<Option<Current<Option<String>>>> {
        // Media records have no slug: anything but an id names none.
        let IdOrSlug::Id(id) = key else {
            return Ok(None);
        };
        Ok(media::table
            .filter(media::id.eq(*id))
            .select((media::id, media::version, media::storage_key))
            .first::<(i64, i64, Option<String>)>(conn)
            .optional()?
            .map(|(id, version, storage_key)| Current {
                id,
                version,
                row: storage_key,
            }))
    }

    fn apply(
        conn: &mut AnyConnection,
        _: &Actor,
        current: &Current<Option<String>>,
        changes: MediaEdit,
        _: NaiveDateTime,
    ) -> Result<String, ApiError> {
        let changes = match changes {
            MediaEdit::Fields(changes) => changes,
            MediaEdit::File(stored) => {
                diesel::update(media::table.filter(media::id.eq(current.id)))
                    .set(file_columns(&stored))
                    .execute(conn)?;
                if let Some(old) = &current.row {
                    retarget_articles(conn, current.id, old, &stored.url)?;
                }
                return Ok(format!("file {}", stored.url));
            }
        };
        if current.row.is_some() {
            refuse_file_facts(&changes)?;
        }
        let focal = changes
            .focal_point
            .into_update()
            .map(|point| point.map(FocalPoint::stored));
        diesel::update(media::table.filter(media::id.eq(current.id)))
            .set((
                changes.url.value().map(|url| media::url.eq(url.0)),
                changes
                    .mime_type
                    .value()
                    .map(|mime| media::mime_type.eq(mime.0)),
                changes
                    .alt
                    .into_update()
                    .map(|alt| media::alt.eq(alt.map(|a| a.0).unwrap_or_default())),
                changes
                    .caption
                    .into_update()
                    .map(|caption| media::caption.eq(caption.map(|c| c.0))),
                changes
                    .width
                    .into_update()
                    .map(|width| media::width.eq(width.map(|w| w.0 as i32))),
                changes
                    .height
                    .into_update()
                    .map(|height| media::height.eq(height.map(|h| h.0 as i32))),
                changes
                    .credit
                    .into_update()
                    .map(|credit| media::credit.eq(credit.map(|c| c.0))),
                focal.map(|point| media::focal_x.eq(point.map(|(x, _)| x))),
                focal.map(|point| media::focal_y.eq(point.map(|(_, y)| y))),
            ))
            .execute(conn)
            // A body without fields changes nothing but the version.
            .optional_empty_changeset()?;
        Ok(String::new())
    }

    fn view(conn: &mut AnyConnection, id: i64, _: NaiveDateTime) -> Result<Image, ApiError> {
        queries::by_id(conn, id)?.ok_or_else(|| ApiError::not_found(Self::KIND, id.to_string()))
    }
}

impl Creatable for Media {
    type New = NewMediaItem;

    fn insert(
        conn: &mut AnyConnection,
        _: &Actor,
        input: NewMediaItem,
        now: NaiveDateTime,
    ) -> Result<(i64, String), ApiError> {
        let input = match input {
            NewMediaItem::Record(input) => input,
            NewMediaItem::Upload(stored, fields) => {
                let id = diesel::insert_into(media::table)
                    .values((
                        media::alt.eq(fields.alt.value().map(|a| a.0).unwrap_or_default()),
                        media::caption.eq(fields.caption.value().map(|c| c.0)),
                        media::credit.eq(fields.credit.value().map(|c| c.0)),
                        media::created_at.eq(now),
                        file_columns(&stored),
                    ))
                    .returning(media::id)
                    .get_result::<i64>(conn)?;
                return Ok((id, stored.url));
            }
        };
        let focal = input.focal_point.value().map(FocalPoint::stored);
        let id = diesel::insert_into(media::table)
            .values((
                media::url.eq(input.url.0),
                media::alt.eq(input.alt.value().map(|a| a.0).unwrap_or_default()),
                media::caption.eq(input.caption.value().map(|c| c.0)),
                media::width.eq(input.width.value().map(|w| w.0 as i32)),
                media::height.eq(input.height.value().map(|h| h.0 as i32)),
                media::mime_type.eq(input.mime_type.0),
                media::credit.eq(input.credit.value().map(|c| c.0)),
                media::focal_x.eq(focal.map(|(x, _)| x)),
                media::focal_y.eq(focal.map(|(_, y)| y)),
                media::created_at.eq(now),
            ))
            .returning(media::id)
            .get_result(conn)?;
        Ok((id, String::new()))
    }

    fn location(image: &Image) -> String {
        format!("/api/v1/media/{}", image.id)
    }
}

impl Deletable for Media {
    /// Refused while content shows it (409 naming every user): deleting it would leave a
    /// grey box on a published page.
    fn before_delete(
        conn: &mut AnyConnection,
        _: &Actor,
        current: &Current<Option<String>>,
    ) -> Result<String, ApiError> {
        let users = queries::users(conn, current.id)?;
        if users.is_empty() {
            return Ok(String::new());
        }
        Err(ApiError::Conflict(format!(
            "media record {} is in use by {}; remove it from them first",
            current.id,
            users.join(", ")
        )))
    }
}

/// Article bodies name a picture by its URL: when its file moves (a replacement, a new
/// media base URL), the bodies of the articles that show it follow in the same
/// transaction, and their versions change, so an editor still holding the old body gets a
/// 412 rather than writing the dead URLs back.
pub fn retarget_articles(
    conn: &mut AnyConnection,
    media_id: i64,
    folder: &str,
    url: &str,
) -> QueryResult<usize> {
    let bodies: Vec<(i64, String)> = article_media::table
        .inner_join(articles::table)
        .filter(article_media::media_id.eq(media_id))
        .select((articles::id, articles::body_html))
        .load(conn)?;
    let mut moved = 0;
    for (id, body) in bodies {
        if let Some(body) = html::retarget(&body, folder, url) {
            diesel::update(articles::table.filter(articles::id.eq(id)))
                .set((
                    articles::body_html.eq(body),
                    articles::version.eq(articles::version + 1),
                ))
                .execute(conn)?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// Puts every uploaded file's URLs (and the article bodies that show them) under `base`,
/// the media base URL this server runs with: URLs are stored whole, so a new
/// `--media-base-url` (a CDN in front) applies to files uploaded before it too. Files
/// already under it are left alone, so this is quick and safe at every start.
pub fn move_to_base_url(conn: &mut AnyConnection, base: &str) -> QueryResult<usize> {
    crate::db::write(conn, |conn| {
        // `%` and `_` in the base only widen this first cut; the exact test is below.
        let rows: Vec<(i64, Option<String>, String, String)> = media::table
            .filter(media::storage_key.is_not_null())
            .filter(media::url.not_like(format!("{base}/%")))
            .select((media::id, media::storage_key, media::url, media::renditions))
            .load(conn)?;
        let mut moved = 0;
        for (id, folder, url, renditions) in rows {
            let Some(folder) = folder else { continue };
            let under = format!("{base}/{folder}/");
            if url.starts_with(&under) {
                continue;
            }
            let rebase = |old: &str| format!("{under}{}", old.rsplit('/').next().unwrap_or(old));
            let new_url = rebase(&url);
            let mut copies: Vec<Rendition> = serde_json::from_str(&renditions).unwrap_or_default();
            for copy in &mut copies {
                copy.url = rebase(&copy.url);
            }
            diesel::update(media::table.filter(media::id.eq(id)))
                .set((
                    media::url.eq(&new_url),
                    media::renditions
                        .eq(serde_json::to_string(&copies).unwrap_or_else(|_| "[]".into())),
                ))
                .execute(conn)?;
            retarget_articles(conn, id, &folder, &new_url)?;
            moved += 1;
        }
        Ok(moved)
    })
}

/// The columns an uploaded file sets, on upload and on replacement.
#[allow(clippy::type_complexity)]
pub fn file_columns(
    stored: &StoredFile,
) -> (
    diesel::dsl::Eq<media::url, String>,
    diesel::dsl::Eq<media::mime_type, String>,
    diesel::dsl::Eq<media::width, Option<i32>>,
    diesel::dsl::Eq<media::height, Option<i32>>,
    diesel::dsl::Eq<media::storage_key, Option<String>>,
    diesel::dsl::Eq<media::byte_size, Option<i64>>,
    diesel::dsl::Eq<media::placeholder, Option<String>>,
    diesel::dsl::Eq<media::renditions, String>,
) {
    (
        media::url.eq(stored.url.clone()),
        media::mime_type.eq(stored.mime_type.clone()),
        media::width.eq(Some(stored.width as i32)),
        media::height.eq(Some(stored.height as i32)),
        media::storage_key.eq(Some(stored.folder.clone())),
        media::byte_size.eq(Some(stored.byte_size)),
        media::placeholder.eq(Some(stored.placeholder.clone())),
        media::renditions
            .eq(serde_json::to_string(&stored.renditions).unwrap_or_else(|_| "[]".into())),
    )
}

/// The width, height, type and URL of an uploaded file are the file's: they change only
/// with a new file.
fn refuse_file_facts(changes: &MediaChanges) -> Result<(), ApiError> {
    let fixed: Vec<FieldError> = [
        ("url", !changes.url.is_absent()),
        ("mime_type", !changes.mime_type.is_absent()),
        ("width", !changes.width.is_absent()),
        ("height", !changes.height.is_absent()),
    ]
    .into_iter()
    .filter(|(_, sent)| *sent)
    .map(|(field, _)| {
        FieldError::new(
            field,
            "is the uploaded file's own: upload a new file to change it",
        )
    })
    .collect();
    if fixed.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(fixed))
    }
}
