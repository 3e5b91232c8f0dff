use diesel::prelude::*;

use super::types::{Contact, Site};
use crate::db::schema::{site_contacts, site_settings};
use crate::db::AnyConnection;
use crate::resources::media;

/// The settings row has id 1; a database without one serves these defaults.
pub const SETTINGS_ID: i64 = 1;
pub const DEFAULT_UTC_OFFSET_MINUTES: i32 = 480;

#[derive(Queryable)]
struct SettingsRow {
    _id: i64,
    name: String,
    description: String,
    url: Option<String>,
    logo_url: Option<String>,
    locale: String,
    time_zone: String,
    utc_offset_minutes: i32,
    copyright: String,
    credits: String,
    icp_record: Option<String>,
    _updated_at: chrono::NaiveDateTime,
    version: i64,
    logo_media_id: Option<i64>,
}

pub fn format_offset(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let minutes = minutes.abs();
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

pub fn load(conn: &mut AnyConnection) -> QueryResult<Site> {
    let settings: Option<SettingsRow> = site_settings::table
        .filter(site_settings::id.eq(SETTINGS_ID))
        .select(site_settings::all_columns)
        .first(conn)
        .optional()?;
    let contacts = site_contacts::table
        .order((site_contacts::position.asc(), site_contacts::id.asc()))
        .select((
            site_contacts::label,
            site_contacts::address,
            site_contacts::phone,
            site_contacts::email,
        ))
        .load::<(String, Option<String>, Option<String>, Option<String>)>(conn)?
        .into_iter()
        .map(|(label, address, phone, email)| Contact {
            label,
            address,
            phone,
            email,
        })
        .collect();
    let logo = match settings.as_ref().and_then(|row| row.logo_media_id) {
        Some(id) => media::queries::by_id(conn, id)?,
        None => None,
    };
    Ok(match settings {
        Some(row) => Site {
            name: row.name,
            description: row.description,
            url: row.url,
            // The record's URL follows its file when the file is replaced.
            logo_url: logo.as_ref().map(|logo| logo.url.clone()).or(row.logo_url),
            logo,
            locale: row.locale,
            time_zone: row.time_zone,
            utc_offset: format_offset(row.utc_offset_minutes),
            copyright: row.copyright,
            credits: row.credits,
            icp_record: row.icp_record,
            contacts,
            // Configuration, not content: the handler fills it in.
            media_base_url: String::new(),
            version: row.version,
        },
        None => Site {
            name: "Masthead".into(),
            description: String::new(),
            url: None,
            logo_url: None,
            logo: None,
            locale: "zh-CN".into(),
            time_zone: "Asia/Shanghai".into(),
            utc_offset: format_offset(DEFAULT_UTC_OFFSET_MINUTES),
            copyright: String::new(),
            credits: String::new(),
            icp_record: None,
            contacts,
            media_base_url: String::new(),
            version: 0,
        },
    })
}

/// The site's default UTC offset in minutes (used to cut years and months).
pub fn utc_offset_minutes(conn: &mut AnyConnection) -> QueryResult<i32> {
    Ok(site_settings::table
        .filter(site_settings::id.eq(SETTINGS_ID))
        .select(site_settings::utc_offset_minutes)
        .first(conn)
        .optional()?
        .unwrap_or(DEFAULT_UTC_OFFSET_MINUTES))
}
