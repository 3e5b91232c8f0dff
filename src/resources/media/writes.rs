//! Media records: any signed-in role adds them (authors need images for their drafts);
//! editors and admins change and delete them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::media;
use crate::db::AnyConnection;
use crate::error::ApiError;
use crate::http::input::{Input, Patch};
use crate::http::preconditions::{check_if_match, swapped};
use crate::resources::audit;

pub const FIELDS: &[&str] = &["url", "alt", "caption", "width", "height", "mime_type"];

#[derive(Debug)]
pub struct Changes {
    url: Patch<String>,
    alt: Patch<String>,
    caption: Patch<String>,
    width: Patch<i64>,
    height: Patch<i64>,
    mime_type: Patch<String>,
}

impl Changes {
    pub fn parse(body: Value, creating: bool) -> Result<Self, ApiError> {
        let mut input = Input::new(body, FIELDS);
        let url = input.url("url", 2_000);
        let url = input.required("url", url, creating);
        let mime_type = input.required_string("mime_type", 100, creating);
        if let Patch::Value(mime) = &mime_type {
            let valid = mime.split_once('/').is_some_and(|(kind, sub)| {
                !kind.is_empty() && !sub.is_empty() && !mime.contains(' ')
            });
            if !valid {
                input.error("mime_type", "must look like image/jpeg");
            }
        }
        let changes = Self {
            url,
            alt: input.text("alt", 500),
            caption: input.string("caption", 1_000),
            width: input.integer("width", 1, 100_000),
            height: input.integer("height", 1, 100_000),
            mime_type,
        };
        input.finish()?;
        Ok(changes)
    }
}

fn version(conn: &mut AnyConnection, id: i64) -> Result<i64, ApiError> {
    media::table
        .filter(media::id.eq(id))
        .select(media::version)
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("media", id.to_string()))
}

pub fn create(
    conn: &mut AnyConnection,
    user: &Actor,
    changes: Changes,
    now: NaiveDateTime,
) -> Result<i64, ApiError> {
    crate::db::write(conn, |conn| {
        let id: i64 = diesel::insert_into(media::table)
            .values((
                media::url.eq(changes.url.clone().value().unwrap_or_default()),
                media::alt.eq(changes.alt.clone().value().unwrap_or_default()),
                media::caption.eq(changes.caption.clone().value()),
                media::width.eq(changes.width.clone().value().map(|w| w as i32)),
                media::height.eq(changes.height.clone().value().map(|h| h as i32)),
                media::mime_type.eq(changes.mime_type.clone().value().unwrap_or_default()),
                media::created_at.eq(now),
            ))
            .returning(media::id)
            .get_result(conn)?;
        audit::queries::record(conn, user, "create", "media", Some(id), "", now)?;
        Ok(id)
    })
}

pub fn update(
    conn: &mut AnyConnection,
    user: &Actor,
    id: i64,
    if_match: Option<&str>,
    changes: Changes,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    user.require(&[Role::Admin, Role::Editor])?;
    crate::db::write(conn, |conn| {
        let current = version(conn, id)?;
        check_if_match(if_match, "media record", current)?;
        let target = media::table.filter(media::id.eq(id));
        let bumped = diesel::update(target.filter(media::version.eq(current)))
            .set(media::version.eq(current + 1))
            .execute(conn)?;
        swapped(bumped, "media record")?;
        if let Some(url) = changes.url.clone().value() {
            diesel::update(target)
                .set(media::url.eq(url))
                .execute(conn)?;
        }
        if let Some(alt) = changes.alt.clone().into_update() {
            diesel::update(target)
                .set(media::alt.eq(alt.unwrap_or_default()))
                .execute(conn)?;
        }
        if let Some(caption) = changes.caption.clone().into_update() {
            diesel::update(target)
                .set(media::caption.eq(caption))
                .execute(conn)?;
        }
        if let Some(width) = changes.width.clone().into_update() {
            diesel::update(target)
                .set(media::width.eq(width.map(|w| w as i32)))
                .execute(conn)?;
        }
        if let Some(height) = changes.height.clone().into_update() {
            diesel::update(target)
                .set(media::height.eq(height.map(|h| h as i32)))
                .execute(conn)?;
        }
        if let Some(mime) = changes.mime_type.clone().value() {
            diesel::update(target)
                .set(media::mime_type.eq(mime))
                .execute(conn)?;
        }
        audit::queries::record(conn, user, "update", "media", Some(id), "", now)?;
        Ok(())
    })
}

/// Deletes a media record: covers that used it become empty, inline lists drop it.
pub fn delete(
    conn: &mut AnyConnection,
    user: &Actor,
    id: i64,
    if_match: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    user.require(&[Role::Admin, Role::Editor])?;
    crate::db::write(conn, |conn| {
        let current = version(conn, id)?;
        check_if_match(if_match, "media record", current)?;
        let deleted = diesel::delete(
            media::table
                .filter(media::id.eq(id))
                .filter(media::version.eq(current)),
        )
        .execute(conn)?;
        swapped(deleted, "media record")?;
        audit::queries::record(conn, user, "delete", "media", Some(id), "", now)?;
        Ok(())
    })
}
