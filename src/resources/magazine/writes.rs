//! Creating, changing and deleting magazine issues (editors and admins).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::Value;

use super::queries::PUBLISHED;
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::{articles, magazine_issue_articles, magazine_issues, media};
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::input::{Input, Patch};
use crate::http::preconditions::{check_if_match, swapped};
use crate::resources::audit;

pub const FIELDS: &[&str] = &[
    "title",
    "number",
    "year",
    "description",
    "cover_media_id",
    "published_on",
    "status",
    "article_ids",
];

#[derive(Debug)]
pub struct Changes {
    title: Patch<String>,
    number: Patch<i64>,
    year: Patch<i64>,
    description: Patch<String>,
    cover_media_id: Patch<i64>,
    published_on: Patch<NaiveDate>,
    status: Patch<String>,
    article_ids: Patch<Vec<i64>>,
}

impl Changes {
    pub fn parse(body: Value, creating: bool) -> Result<Self, ApiError> {
        let mut input = Input::new(body, FIELDS);
        let status = input.string("status", 20);
        if let Patch::Value(status) = &status {
            if status != "draft" && status != PUBLISHED {
                input.error("status", "must be draft or published");
            }
        }
        let year = input.year("year");
        if (creating && year.is_absent()) || year == Patch::Null {
            input.require("year");
        }
        let published_on = input.date("published_on");
        if (creating && published_on.is_absent()) || published_on == Patch::Null {
            input.require("published_on");
        }
        let changes = Self {
            title: input.required_string("title", 200, creating),
            number: input.integer("number", 0, 1_000_000),
            year,
            description: input.text("description", 2_000),
            cover_media_id: input.id("cover_media_id"),
            published_on,
            status,
            article_ids: input.ids("article_ids", 500),
        };
        input.finish()?;
        Ok(changes)
    }
}

/// Every id the body names must exist.
fn check_references(conn: &mut AnyConnection, changes: &Changes) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if let Patch::Value(cover) = &changes.cover_media_id {
        let found: i64 = media::table
            .filter(media::id.eq(cover))
            .count()
            .get_result(conn)?;
        if found == 0 {
            errors.push(FieldError::new(
                "cover_media_id",
                format!("no such id: {cover}"),
            ));
        }
    }
    if let Patch::Value(ids) = &changes.article_ids {
        let found: Vec<i64> = articles::table
            .filter(articles::id.eq_any(ids))
            .select(articles::id)
            .load(conn)?;
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| !found.contains(id))
            .map(i64::to_string)
            .collect();
        if !missing.is_empty() {
            errors.push(FieldError::new(
                "article_ids",
                format!("no such id: {}", missing.join(", ")),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(errors))
    }
}

fn replace_articles(conn: &mut AnyConnection, issue_id: i64, ids: &[i64]) -> QueryResult<()> {
    diesel::delete(
        magazine_issue_articles::table.filter(magazine_issue_articles::issue_id.eq(issue_id)),
    )
    .execute(conn)?;
    for (position, article_id) in ids.iter().enumerate() {
        diesel::insert_into(magazine_issue_articles::table)
            .values((
                magazine_issue_articles::issue_id.eq(issue_id),
                magazine_issue_articles::article_id.eq(article_id),
                magazine_issue_articles::position.eq(position as i32),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn version(conn: &mut AnyConnection, id: i64) -> Result<i64, ApiError> {
    magazine_issues::table
        .filter(magazine_issues::id.eq(id))
        .select(magazine_issues::version)
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("magazine issue", id.to_string()))
}

pub fn create(
    conn: &mut AnyConnection,
    user: &Actor,
    changes: Changes,
    now: NaiveDateTime,
) -> Result<i64, ApiError> {
    user.require(&[Role::Admin, Role::Editor])?;
    crate::db::write(conn, |conn| {
        check_references(conn, &changes)?;
        let id: i64 = diesel::insert_into(magazine_issues::table)
            .values((
                magazine_issues::title.eq(changes.title.clone().value().unwrap_or_default()),
                magazine_issues::number.eq(changes.number.clone().value().map(|n| n as i32)),
                magazine_issues::year.eq(changes.year.clone().value().unwrap_or_default() as i32),
                magazine_issues::description.eq(changes
                    .description
                    .clone()
                    .value()
                    .unwrap_or_default()),
                magazine_issues::cover_media_id.eq(changes.cover_media_id.clone().value()),
                magazine_issues::published_on.eq(changes
                    .published_on
                    .clone()
                    .value()
                    .unwrap_or_default()),
                magazine_issues::status.eq(changes
                    .status
                    .clone()
                    .value()
                    .unwrap_or_else(|| "draft".into())),
                magazine_issues::created_at.eq(now),
                magazine_issues::updated_at.eq(now),
            ))
            .returning(magazine_issues::id)
            .get_result(conn)?;
        if let Patch::Value(ids) = &changes.article_ids {
            replace_articles(conn, id, ids)?;
        }
        audit::queries::record(conn, user, "create", "magazine_issue", Some(id), "", now)?;
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
        check_if_match(if_match, "magazine issue", current)?;
        check_references(conn, &changes)?;
        let target = magazine_issues::table.filter(magazine_issues::id.eq(id));
        let bumped = diesel::update(target.filter(magazine_issues::version.eq(current)))
            .set((
                magazine_issues::updated_at.eq(now),
                magazine_issues::version.eq(current + 1),
            ))
            .execute(conn)?;
        swapped(bumped, "magazine issue")?;
        if let Some(title) = changes.title.clone().value() {
            diesel::update(target)
                .set(magazine_issues::title.eq(title))
                .execute(conn)?;
        }
        if let Some(number) = changes.number.clone().into_update() {
            diesel::update(target)
                .set(magazine_issues::number.eq(number.map(|n| n as i32)))
                .execute(conn)?;
        }
        if let Some(year) = changes.year.clone().value() {
            diesel::update(target)
                .set(magazine_issues::year.eq(year as i32))
                .execute(conn)?;
        }
        if let Some(description) = changes.description.clone().into_update() {
            diesel::update(target)
                .set(magazine_issues::description.eq(description.unwrap_or_default()))
                .execute(conn)?;
        }
        if let Some(cover) = changes.cover_media_id.clone().into_update() {
            diesel::update(target)
                .set(magazine_issues::cover_media_id.eq(cover))
                .execute(conn)?;
        }
        if let Some(date) = changes.published_on.clone().value() {
            diesel::update(target)
                .set(magazine_issues::published_on.eq(date))
                .execute(conn)?;
        }
        if let Some(status) = changes.status.clone().value() {
            diesel::update(target)
                .set(magazine_issues::status.eq(status))
                .execute(conn)?;
        }
        match &changes.article_ids {
            Patch::Value(ids) => replace_articles(conn, id, ids)?,
            Patch::Null => replace_articles(conn, id, &[])?,
            Patch::Absent => {}
        }
        audit::queries::record(conn, user, "update", "magazine_issue", Some(id), "", now)?;
        Ok(())
    })
}

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
        check_if_match(if_match, "magazine issue", current)?;
        let deleted = diesel::delete(
            magazine_issues::table
                .filter(magazine_issues::id.eq(id))
                .filter(magazine_issues::version.eq(current)),
        )
        .execute(conn)?;
        swapped(deleted, "magazine issue")?;
        audit::queries::record(conn, user, "delete", "magazine_issue", Some(id), "", now)?;
        Ok(())
    })
}
