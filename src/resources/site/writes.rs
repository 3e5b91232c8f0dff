//! Changing the site settings (admins).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use super::queries::{DEFAULT_UTC_OFFSET_MINUTES, SETTINGS_ID};
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::{site_contacts, site_settings};
use crate::db::AnyConnection;
use crate::error::ApiError;
use crate::http::input::{self, Input, Patch};
use crate::http::preconditions::{check_if_match, swapped};
use crate::resources::audit;

pub const FIELDS: &[&str] = &[
    "name",
    "description",
    "url",
    "logo_url",
    "locale",
    "time_zone",
    "utc_offset",
    "copyright",
    "credits",
    "icp_record",
    "contacts",
];

#[derive(Debug, Clone)]
pub struct ContactInput {
    label: String,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

#[derive(Debug)]
pub struct Changes {
    name: Patch<String>,
    description: Patch<String>,
    url: Patch<String>,
    logo_url: Patch<String>,
    locale: Patch<String>,
    time_zone: Patch<String>,
    utc_offset_minutes: Patch<i32>,
    copyright: Patch<String>,
    credits: Patch<String>,
    icp_record: Patch<String>,
    contacts: Option<Vec<ContactInput>>,
}

/// `+08:00` → 480.
fn parse_offset(raw: &str) -> Option<i32> {
    let (sign, rest) = match raw.as_bytes().first()? {
        b'+' => (1, &raw[1..]),
        b'-' => (-1, &raw[1..]),
        _ => return None,
    };
    let (hours, minutes) = rest.split_once(':')?;
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours <= 14 && minutes < 60 && hours.to_string().len() <= 2)
        .then_some(sign * (hours * 60 + minutes))
}

impl Changes {
    pub fn parse(body: Value) -> Result<Self, ApiError> {
        let contacts_raw = body.get("contacts").cloned();
        let mut input = Input::new(body, FIELDS);
        let utc_offset_minutes = match input.string("utc_offset", 6) {
            Patch::Value(raw) => match parse_offset(&raw) {
                Some(minutes) => Patch::Value(minutes),
                None => {
                    input.error("utc_offset", "must look like +08:00");
                    Patch::Absent
                }
            },
            Patch::Null => {
                input.error("utc_offset", "cannot be null");
                Patch::Absent
            }
            Patch::Absent => Patch::Absent,
        };
        let name = input.string("name", 200);
        if name == Patch::Null {
            input.error("name", "cannot be null");
        }
        let contacts = match contacts_raw {
            None => None,
            Some(Value::Array(items)) => {
                let mut contacts = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    let mut field = |name: &str| {
                        let text = item
                            .get(name)
                            .and_then(Value::as_str)
                            .map(|s| s.trim().to_owned())
                            .filter(|s| !s.is_empty())?;
                        let checked = match name {
                            "address" => input::multi_line(&text),
                            _ => input::single_line(&text),
                        };
                        match checked {
                            Ok(()) => Some(text),
                            Err(message) => {
                                input.error(&format!("contacts[{index}].{name}"), message);
                                None
                            }
                        }
                    };
                    match field("label") {
                        Some(label) if item.is_object() => contacts.push(ContactInput {
                            label,
                            address: field("address"),
                            phone: field("phone"),
                            email: field("email"),
                        }),
                        _ => input.require(&format!("contacts[{index}].label")),
                    }
                }
                Some(contacts)
            }
            Some(_) => {
                input.error(
                    "contacts",
                    "must be an array of {label, address, phone, email}",
                );
                None
            }
        };
        let changes = Self {
            name,
            description: input.text("description", 1_000),
            url: input.url("url", 500),
            logo_url: input.url("logo_url", 500),
            locale: input.string("locale", 35),
            time_zone: input.string("time_zone", 64),
            utc_offset_minutes,
            copyright: input.text("copyright", 500),
            credits: input.text("credits", 500),
            icp_record: input.string("icp_record", 100),
            contacts,
        };
        input.finish()?;
        Ok(changes)
    }
}

/// The current version; the settings row is made on first write if absent, at version 0:
/// what `GET /site` serves before it exists, so the first edit's `If-Match: "0"` holds.
fn current_version(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<i64> {
    let version: Option<i64> = site_settings::table
        .filter(site_settings::id.eq(SETTINGS_ID))
        .select(site_settings::version)
        .first(conn)
        .optional()?;
    match version {
        Some(version) => Ok(version),
        None => {
            diesel::insert_into(site_settings::table)
                .values((
                    site_settings::id.eq(SETTINGS_ID),
                    site_settings::name.eq("Masthead"),
                    site_settings::utc_offset_minutes.eq(DEFAULT_UTC_OFFSET_MINUTES),
                    site_settings::updated_at.eq(now),
                    site_settings::version.eq(0),
                ))
                .execute(conn)?;
            Ok(0)
        }
    }
}

pub fn update(
    conn: &mut AnyConnection,
    user: &Actor,
    if_match: Option<&str>,
    changes: Changes,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    user.require(&[Role::Admin])?;
    crate::db::write(conn, |conn| {
        let version = current_version(conn, now)?;
        check_if_match(if_match, "site", version)?;
        let target = site_settings::table.filter(site_settings::id.eq(SETTINGS_ID));
        let bumped = diesel::update(target.filter(site_settings::version.eq(version)))
            .set((
                site_settings::updated_at.eq(now),
                site_settings::version.eq(version + 1),
            ))
            .execute(conn)?;
        swapped(bumped, "site")?;
        macro_rules! set_text {
            ($patch:expr, $column:expr) => {
                if let Some(value) = $patch.clone().into_update() {
                    diesel::update(target)
                        .set($column.eq(value.unwrap_or_default()))
                        .execute(conn)?;
                }
            };
        }
        macro_rules! set_nullable {
            ($patch:expr, $column:expr) => {
                if let Some(value) = $patch.clone().into_update() {
                    diesel::update(target)
                        .set($column.eq(value))
                        .execute(conn)?;
                }
            };
        }
        set_text!(changes.name, site_settings::name);
        set_text!(changes.description, site_settings::description);
        set_nullable!(changes.url, site_settings::url);
        set_nullable!(changes.logo_url, site_settings::logo_url);
        set_text!(changes.locale, site_settings::locale);
        set_text!(changes.time_zone, site_settings::time_zone);
        set_text!(changes.copyright, site_settings::copyright);
        set_text!(changes.credits, site_settings::credits);
        set_nullable!(changes.icp_record, site_settings::icp_record);
        if let Some(minutes) = changes.utc_offset_minutes.clone().value() {
            diesel::update(target)
                .set(site_settings::utc_offset_minutes.eq(minutes))
                .execute(conn)?;
        }
        if let Some(contacts) = &changes.contacts {
            diesel::delete(site_contacts::table).execute(conn)?;
            for (position, contact) in contacts.iter().enumerate() {
                diesel::insert_into(site_contacts::table)
                    .values((
                        site_contacts::position.eq(position as i32),
                        site_contacts::label.eq(&contact.label),
                        site_contacts::address.eq(&contact.address),
                        site_contacts::phone.eq(&contact.phone),
                        site_contacts::email.eq(&contact.email),
                    ))
                    .execute(conn)?;
            }
        }
        audit::queries::record(conn, user, "update", "site", None, "", now)?;
        Ok(())
    })
}
