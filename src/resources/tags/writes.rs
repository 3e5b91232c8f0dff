//! Creating, changing and deleting tags (editors and admins).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::tags;
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::input::{Input, Patch};
use crate::http::params::IdOrSlug;
use crate::http::preconditions::{check_if_match, swapped};
use crate::resources::audit;

pub const FIELDS: &[&str] = &["name", "slug", "description"];

#[derive(Debug)]
pub struct Changes {
    name: Patch<String>,
    slug: Patch<String>,
    description: Patch<String>,
}

impl Changes {
    pub fn parse(body: Value, creating: bool) -> Result<Self, ApiError> {
        let mut input = Input::new(body, FIELDS);
        let changes = Self {
            name: input.required_string("name", 100, creating),
            slug: input.slug("slug"),
            description: input.text("description", 2_000),
        };
        input.finish()?;
        Ok(changes)
    }
}

type Row = (i64, String, String, String, i64);

fn find(conn: &mut AnyConnection, key: &IdOrSlug) -> Result<Row, ApiError> {
    let query = tags::table
        .select((
            tags::id,
            tags::slug,
            tags::name,
            tags::description,
            tags::version,
        ))
        .into_boxed();
    let query = match key {
        IdOrSlug::Id(id) => query.filter(tags::id.eq(*id)),
        IdOrSlug::Slug(slug) => query.filter(tags::slug.eq(slug.clone())),
    };
    query
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("tag", key.to_string()))
}

fn slug_taken(conn: &mut AnyConnection, slug: &str, id: Option<i64>) -> QueryResult<bool> {
    let mut query = tags::table
        .filter(tags::slug.eq(slug))
        .select(tags::id)
        .into_boxed();
    if let Some(id) = id {
        query = query.filter(tags::id.ne(id));
    }
    Ok(query.first::<i64>(conn).optional()?.is_some())
}

fn taken() -> ApiError {
    ApiError::Invalid(vec![FieldError::new("slug", "is taken by another tag")])
}

pub fn create(
    conn: &mut AnyConnection,
    user: &Actor,
    changes: Changes,
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    user.require(&[Role::Admin, Role::Editor])?;
    crate::db::write(conn, |conn| {
        let name = changes.name.clone().value().unwrap_or_default();
        let slug = match changes.slug.clone().value() {
            Some(slug) if slug_taken(conn, &slug, None)? => return Err(taken()),
            Some(slug) => slug,
            None => {
                let base = crate::slug::from_title(&name, "tag");
                crate::slug::first_free(&base, |candidate| slug_taken(conn, candidate, None))?
                    .ok_or_else(|| {
                        ApiError::Conflict(format!("no free slug near `{base}`: give one"))
                    })?
            }
        };
        let id: i64 = diesel::insert_into(tags::table)
            .values((
                tags::slug.eq(&slug),
                tags::name.eq(&name),
                tags::description.eq(changes.description.clone().value().unwrap_or_default()),
            ))
            .returning(tags::id)
            .get_result(conn)?;
        audit::queries::record(conn, user, "create", "tag", Some(id), &slug, now)?;
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
        let (id, slug, name, description, version) = find(conn, key)?;
        check_if_match(if_match, "tag", version)?;
        let new_slug = changes.slug.clone().value().unwrap_or(slug);
        if slug_taken(conn, &new_slug, Some(id))? {
            return Err(taken());
        }
        let bumped = diesel::update(
            tags::table
                .filter(tags::id.eq(id))
                .filter(tags::version.eq(version)),
        )
        .set((
            tags::slug.eq(&new_slug),
            tags::name.eq(changes.name.clone().value().unwrap_or(name)),
            tags::description.eq(changes
                .description
                .clone()
                .into_update()
                .map_or(description, Option::unwrap_or_default)),
            tags::version.eq(version + 1),
        ))
        .execute(conn)?;
        swapped(bumped, "tag")?;
        audit::queries::record(conn, user, "update", "tag", Some(id), &new_slug, now)?;
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
        let (id, slug, _, _, version) = find(conn, key)?;
        check_if_match(if_match, "tag", version)?;
        let deleted = diesel::delete(
            tags::table
                .filter(tags::id.eq(id))
                .filter(tags::version.eq(version)),
        )
        .execute(conn)?;
        swapped(deleted, "tag")?;
        audit::queries::record(conn, user, "delete", "tag", Some(id), &slug, now)?;
        Ok(())
    })
}
