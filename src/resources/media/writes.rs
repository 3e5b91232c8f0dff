//! Media records through the editing kit: any signed-in role adds them (authors need images
//! for their drafts); editors and admins change and delete them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::queries;
use super::types::{Image, MediaChanges, NewMedia};
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::media;
use crate::db::AnyConnection;
use crate::error::ApiError;
use crate::http::params::IdOrSlug;
use crate::resources::editing::{Action, Creatable, Current, Deletable, Editable};

pub struct Media;

impl Editable for Media {
    const KIND: &'static str = "media record";
    const AUDIT_KIND: &'static str = "media";
    const TABLE: &'static str = "media";
    type Changes = MediaChanges;
    type Row = ();
    type View = Image;

    fn authorize(actor: &Actor, action: Action) -> Result<(), ApiError> {
        match action {
            Action::Create => Ok(()),
            Action::Update | Action::Delete => actor.require(&[Role::Admin, Role::Editor]),
        }
    }

    fn find(conn: &mut AnyConnection, key: &IdOrSlug) -> QueryResult<Option<Current<()>>> {
        // Media records have no slug: anything but an id names none.
        let IdOrSlug::Id(id) = key else {
            return Ok(None);
        };
        Ok(media::table
            .filter(media::id.eq(*id))
            .select((media::id, media::version))
            .first::<(i64, i64)>(conn)
            .optional()?
            .map(|(id, version)| Current {
                id,
                version,
                row: (),
            }))
    }

    fn apply(
        conn: &mut AnyConnection,
        _: &Actor,
        current: &Current<()>,
        changes: MediaChanges,
        _: NaiveDateTime,
    ) -> Result<String, ApiError> {
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
    type New = NewMedia;

    fn insert(
        conn: &mut AnyConnection,
        _: &Actor,
        input: NewMedia,
        now: NaiveDateTime,
    ) -> Result<(i64, String), ApiError> {
        let id = diesel::insert_into(media::table)
            .values((
                media::url.eq(input.url.0),
                media::alt.eq(input.alt.value().map(|a| a.0).unwrap_or_default()),
                media::caption.eq(input.caption.value().map(|c| c.0)),
                media::width.eq(input.width.value().map(|w| w.0 as i32)),
                media::height.eq(input.height.value().map(|h| h.0 as i32)),
                media::mime_type.eq(input.mime_type.0),
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
    fn before_delete(
        _: &mut AnyConnection,
        _: &Actor,
        _: &Current<()>,
    ) -> Result<String, ApiError> {
        // Covers that used it become empty (ON DELETE SET NULL) and inline image lists drop
        // it (ON DELETE CASCADE).
        Ok(String::new())
    }
}
