//! The site settings through the editing kit: one row, changed by admins only.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::queries::{self, DEFAULT_UTC_OFFSET_MINUTES, SETTINGS_ID};
use super::types::{Site, SiteChanges};
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::{media, site_contacts, site_settings};
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::params::IdOrSlug;
use crate::input::kinds::{Id, Url};
use crate::input::Patch;
use crate::resources::editing::{Action, Current, Editable};

/// The site settings: a singleton, so only [`Editable`].
pub struct Settings;

impl Editable for Settings {
    const KIND: &'static str = "site";
    const TABLE: &'static str = "site_settings";
    type Changes = SiteChanges;
    type Row = ();
    type View = Site;

    fn authorize(actor: &Actor, _: Action) -> Result<(), ApiError> {
        actor.require(&[Role::Admin])
    }

    /// The one row, whatever the key. A database without it gets it now, at version 0:
    /// what `GET /site` serves before it exists, so the first edit's `If-Match: "0"` holds
    /// (and a refused edit rolls it back).
    fn find(conn: &mut AnyConnection, _: &IdOrSlug) -> QueryResult<Option<Current<()>>> {
        let version: Option<i64> = site_settings::table
            .filter(site_settings::id.eq(SETTINGS_ID))
            .select(site_settings::version)
            .first(conn)
            .optional()?;
        let version = match version {
            Some(version) => version,
            None => {
                diesel::insert_into(site_settings::table)
                    .values((
                        site_settings::id.eq(SETTINGS_ID),
                        site_settings::name.eq("Masthead"),
                        site_settings::utc_offset_minutes.eq(DEFAULT_UTC_OFFSET_MINUTES),
                        // `apply` sets the real one.
                        site_settings::updated_at.eq(chrono::DateTime::UNIX_EPOCH.naive_utc()),
                        site_settings::version.eq(0),
                    ))
                    .execute(conn)?;
                0
            }
        };
        Ok(Some(Current {
            id: SETTINGS_ID,
            version,
            row: (),
        }))
    }

    fn apply(
        conn: &mut AnyConnection,
        _: &Actor,
        _: &Current<()>,
        changes: SiteChanges,
        now: NaiveDateTime,
    ) -> Result<String, ApiError> {
        let logo = logo_change(conn, changes.logo_url, changes.logo_media_id)?;
        // A non-null text column cleared with `null` becomes empty.
        let text = |value: Option<Option<String>>| value.map(Option::unwrap_or_default);
        diesel::update(site_settings::table.filter(site_settings::id.eq(SETTINGS_ID)))
            .set((
                site_settings::updated_at.eq(now),
                changes
                    .name
                    .value()
                    .map(|name| site_settings::name.eq(name.0)),
                text(changes.description.map(|d| d.0).into_update())
                    .map(|description| site_settings::description.eq(description)),
                changes
                    .url
                    .map(|url| url.0)
                    .into_update()
                    .map(|url| site_settings::url.eq(url)),
                logo.map(|logo| {
                    (
                        site_settings::logo_url.eq(logo.url),
                        site_settings::logo_media_id.eq(logo.media_id),
                    )
                }),
                changes
                    .locale
                    .value()
                    .map(|locale| site_settings::locale.eq(locale.0)),
                changes
                    .time_zone
                    .value()
                    .map(|zone| site_settings::time_zone.eq(zone.0)),
                changes
                    .utc_offset
                    .value()
                    .map(|offset| site_settings::utc_offset_minutes.eq(offset.0)),
                text(changes.copyright.map(|c| c.0).into_update())
                    .map(|copyright| site_settings::copyright.eq(copyright)),
                text(changes.credits.map(|c| c.0).into_update())
                    .map(|credits| site_settings::credits.eq(credits)),
                changes
                    .icp_record
                    .map(|record| record.0)
                    .into_update()
                    .map(|record| site_settings::icp_record.eq(record)),
            ))
            .execute(conn)?;
        if let Some(contacts) = changes.contacts.value() {
            diesel::delete(site_contacts::table).execute(conn)?;
            for (position, contact) in contacts.into_iter().enumerate() {
                diesel::insert_into(site_contacts::table)
                    .values((
                        site_contacts::position.eq(position as i32),
                        site_contacts::label.eq(contact.label.0),
                        site_contacts::address
                            .eq(contact.address.0.map(|address| address.0.trim().to_owned())),
                        site_contacts::phone.eq(contact.phone.0.map(|phone| phone.0)),
                        site_contacts::email.eq(contact.email.0.map(|email| email.0)),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(String::new())
    }

    fn view(conn: &mut AnyConnection, _: i64, _: NaiveDateTime) -> Result<Site, ApiError> {
        Ok(queries::load(conn)?)
    }
}

/// The logo as stored: at most one of the two holds a value.
struct LogoColumns {
    url: Option<String>,
    media_id: Option<i64>,
}

/// The logo's new columns, or `None` to keep them. The two fields are two ways to set the
/// one logo, so a body sends at most one of them: a URL (a logo kept elsewhere) clears the
/// media record, a media record clears the URL (`/site` serves the record's own URL, which
/// follows its file), and `null` in either removes the logo. Runs under the write lock, so
/// a media record found here cannot be deleted before the change commits.
fn logo_change(
    conn: &mut AnyConnection,
    url: Patch<Url<500>>,
    media_id: Patch<Id>,
) -> Result<Option<LogoColumns>, ApiError> {
    let none = LogoColumns {
        url: None,
        media_id: None,
    };
    match (url, media_id) {
        (url, Patch::Absent) => Ok(url.into_update().map(|url| LogoColumns {
            url: url.map(|url| url.0),
            ..none
        })),
        (Patch::Absent, Patch::Null) => Ok(Some(none)),
        (Patch::Absent, Patch::Value(Id(id))) => {
            let found: i64 = media::table
                .filter(media::id.eq(id))
                .count()
                .get_result(conn)?;
            if found == 0 {
                return Err(ApiError::Invalid(vec![FieldError::new(
                    "logo_media_id",
                    format!("no such id: {id}"),
                )]));
            }
            Ok(Some(LogoColumns {
                media_id: Some(id),
                ..none
            }))
        }
        _ => Err(ApiError::Invalid(vec![
            FieldError::new(
                "logo_url",
                "cannot be sent with logo_media_id: send one of them",
            ),
            FieldError::new(
                "logo_media_id",
                "cannot be sent with logo_url: send one of them",
            ),
        ])),
    }
}
