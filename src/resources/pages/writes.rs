//! Creating, changing and deleting static pages (editors and admins).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use super::queries::PUBLISHED;
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::pages;
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::input::{Input, Patch};
use crate::http::params::IdOrSlug;
use crate::http::preconditions::{check_if_match, swapped};
use crate::resources::articles::writes::sanitize;
use crate::resources::audit;

pub const FIELDS: &[&str] = &[
    "title",
    "slug",
    "summary",
    "body_html",
    "status",
    "seo_title",
    "seo_description",
];
const STATUSES: [&str; 2] = ["draft", PUBLISHED];

#[derive(Debug)]
pub struct Changes {
    title: Patch<String>,
    slug: Patch<String>,
    summary: Patch<String>,
    body_html: Patch<String>,
    status: Patch<String>,
    seo_title: Patch<String>,
    seo_description: Patch<String>,
}

impl Changes {
    pub fn parse(body: Value, creating: bool) -> Result<Self, ApiError> {
        let mut input = Input::new(body, FIELDS);
        let status = input.string("status", 20);
        match &status {
            Patch::Value(value) if !STATUSES.contains(&value.as_str()) => {
                input.error("status", "must be draft or published")
            }
            Patch::Null => input.error("status", "cannot be null"),
            _ => {}
        }
        let changes = Self {
            title: input.required_string("title", 200, creating),
            slug: input.slug("slug"),
            summary: input.text("summary", 2_000),
            body_html: input.text("body_html", 500_000),
            status,
            seo_title: input.string("seo_title", 200),
            seo_description: input.string("seo_description", 500),
        };
        input.finish()?;
        Ok(changes)
    }
}

type Row = (i64, String, i64);

fn find(conn: &mut AnyConnection, key: &IdOrSlug) -> Result<Row, ApiError> {
    let query = pages::table
        .select((pages::id, pages::slug, pages::version))
        .into_boxed();
    let query = match key {
        IdOrSlug::Id(id) => query.filter(pages::id.eq(*id)),
        IdOrSlug::Slug(slug) => query.filter(pages::slug.eq(slug.clone())),
    };
    query
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("page", key.to_string()))
}

fn slug_taken(conn: &mut AnyConnection, slug: &str, id: Option<i64>) -> QueryResult<bool> {
    let mut query = pages::table
        .filter(pages::slug.eq(slug))
        .select(pages::id)
        .into_boxed();
    if let Some(id) = id {
        query = query.filter(pages::id.ne(id));
    }
    Ok(query.first::<i64>(conn).optional()?.is_some())
}

fn taken() -> ApiError {
    ApiError::Invalid(vec![FieldError::new("slug", "is taken by another page")])
}

pub fn create(
    conn: &mut AnyConnection,
    user: &Actor,
    changes: Changes,
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    user.require(&[Role::Admin, Role::Editor])?;
    crate::db::write(conn, |conn| {
        let title = changes.title.clone().value().unwrap_or_default();
        let slug = match changes.slug.clone().value() {
            Some(slug) if slug_taken(conn, &slug, None)? => return Err(taken()),
            Some(slug) => slug,
            None => {
                let base = crate::slug::from_title(&title, "page");
                crate::slug::first_free(&base, |candidate| slug_taken(conn, candidate, None))?
                    .ok_or_else(|| {
                        ApiError::Conflict(format!("no free slug near `{base}`: give one"))
                    })?
            }
        };
        let id: i64 = diesel::insert_into(pages::table)
            .values((
                pages::slug.eq(&slug),
                pages::title.eq(&title),
                pages::summary.eq(changes.summary.clone().value().unwrap_or_default()),
                pages::body_html.eq(sanitize(
                    &changes.body_html.clone().value().unwrap_or_default(),
                )),
                pages::status.eq(changes
                    .status
                    .clone()
                    .value()
                    .unwrap_or_else(|| "draft".into())),
                pages::seo_title.eq(changes.seo_title.clone().value()),
                pages::seo_description.eq(changes.seo_description.clone().value()),
                pages::created_at.eq(now),
                pages::updated_at.eq(now),
            ))
            .returning(pages::id)
            .get_result(conn)?;
        audit::queries::record(conn, user, "create", "page", Some(id), &slug, now)?;
        Ok(slug)
    })
}

pub fn update(
    conn: &mut AnyConnection,
    user: &Actor,
    key: &IdOrSlug,
    if_match: Option<&str>,
    changes: Changes,
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    user.require(&[Role::Admin, Role::Editor])?;
    crate::db::write(conn, |conn| {
        let (id, slug, version) = find(conn, key)?;
        check_if_match(if_match, "page", version)?;
        let new_slug = changes.slug.clone().value().unwrap_or(slug);
        if slug_taken(conn, &new_slug, Some(id))? {
            return Err(taken());
        }
        let target = pages::table.filter(pages::id.eq(id));
        let bumped = diesel::update(target.filter(pages::version.eq(version)))
            .set((
                pages::slug.eq(&new_slug),
                pages::updated_at.eq(now),
                pages::version.eq(version + 1),
            ))
            .execute(conn)?;
        swapped(bumped, "page")?;
        if let Some(title) = changes.title.clone().value() {
            diesel::update(target)
                .set(pages::title.eq(title))
                .execute(conn)?;
        }
        if let Some(summary) = changes.summary.clone().into_update() {
            diesel::update(target)
                .set(pages::summary.eq(summary.unwrap_or_default()))
                .execute(conn)?;
        }
        if let Some(body) = changes.body_html.clone().into_update() {
            diesel::update(target)
                .set(pages::body_html.eq(sanitize(&body.unwrap_or_default())))
                .execute(conn)?;
        }
        if let Some(status) = changes.status.clone().value() {
            diesel::update(target)
                .set(pages::status.eq(status))
                .execute(conn)?;
        }
        if let Some(seo_title) = changes.seo_title.clone().into_update() {
            diesel::update(target)
                .set(pages::seo_title.eq(seo_title))
                .execute(conn)?;
        }
        if let Some(seo_description) = changes.seo_description.clone().into_update() {
            diesel::update(target)
                .set(pages::seo_description.eq(seo_description))
                .execute(conn)?;
        }
        audit::queries::record(conn, user, "update", "page", Some(id), &new_slug, now)?;
        Ok(new_slug)
    })
}

pub fn delete(
    conn: &mut AnyConnection,
    user: &Actor,
    key: &IdOrSlug,
    if_match: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    user.require(&[Role::Admin, Role::Editor])?;
    crate::db::write(conn, |conn| {
        let (id, slug, version) = find(conn, key)?;
        check_if_match(if_match, "page", version)?;
        let deleted = diesel::delete(
            pages::table
                .filter(pages::id.eq(id))
                .filter(pages::version.eq(version)),
        )
        .execute(conn)?;
        swapped(deleted, "page")?;
        audit::queries::record(conn, user, "delete", "page", Some(id), &slug, now)?;
        Ok(())
    })
}
