//! Creating, changing and deleting categories (editors and admins).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use super::queries::{self, CategoryRow};
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::categories;
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::input::{Input, Patch};
use crate::http::params::IdOrSlug;
use crate::http::preconditions::{check_if_match, swapped};
use crate::resources::audit;

pub const FIELDS: &[&str] = &["name", "slug", "description", "parent_id", "position"];

#[derive(Debug)]
pub struct Changes {
    name: Patch<String>,
    slug: Patch<String>,
    description: Patch<String>,
    parent_id: Patch<i64>,
    position: Patch<i64>,
}

impl Changes {
    pub fn parse(body: Value, creating: bool) -> Result<Self, ApiError> {
        let mut input = Input::new(body, FIELDS);
        let changes = Self {
            name: input.required_string("name", 100, creating),
            slug: input.slug("slug"),
            description: input.text("description", 2_000),
            parent_id: input.id("parent_id"),
            position: input.integer("position", -1_000_000, 1_000_000),
        };
        input.finish()?;
        Ok(changes)
    }
}

fn editors_only(user: &Actor) -> Result<(), ApiError> {
    user.require(&[Role::Admin, Role::Editor])
}

fn find(rows: &[CategoryRow], key: &IdOrSlug) -> Result<CategoryRow, ApiError> {
    rows.iter()
        .find(|row| match key {
            IdOrSlug::Id(id) => row.id == *id,
            IdOrSlug::Slug(slug) => &row.slug == slug,
        })
        .cloned()
        .ok_or_else(|| ApiError::not_found("category", key.to_string()))
}

/// The parent must exist and must not be the category or one of its descendants.
fn check_parent(
    rows: &[CategoryRow],
    id: Option<i64>,
    parent: &Patch<i64>,
) -> Result<(), ApiError> {
    let Patch::Value(parent) = parent else {
        return Ok(());
    };
    if !rows.iter().any(|row| row.id == *parent) {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "parent_id",
            format!("no such id: {parent}"),
        )]));
    }
    if let Some(id) = id {
        if queries::with_descendants(rows, id).contains(parent) {
            return Err(ApiError::Invalid(vec![FieldError::new(
                "parent_id",
                "would make the category its own ancestor",
            )]));
        }
    }
    Ok(())
}

fn check_slug_free(rows: &[CategoryRow], slug: &str, id: Option<i64>) -> Result<(), ApiError> {
    if rows
        .iter()
        .any(|row| row.slug == slug && Some(row.id) != id)
    {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "slug",
            "is taken by another category",
        )]));
    }
    Ok(())
}

/// Creates a category; returns its slug.
pub fn create(
    conn: &mut AnyConnection,
    user: &Actor,
    changes: Changes,
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    editors_only(user)?;
    crate::db::write(conn, |conn| {
        let rows = queries::all(conn)?;
        check_parent(&rows, None, &changes.parent_id)?;
        let name = changes.name.clone().value().unwrap_or_default();
        let slug = match changes.slug.clone().value() {
            Some(slug) => slug,
            None => {
                let base = crate::slug::from_title(&name, "category");
                crate::slug::first_free(&base, |candidate| {
                    Ok::<_, ApiError>(rows.iter().any(|row| row.slug == candidate))
                })?
                .unwrap_or(base)
            }
        };
        check_slug_free(&rows, &slug, None)?;
        let id: i64 = diesel::insert_into(categories::table)
            .values((
                categories::parent_id.eq(changes.parent_id.clone().value()),
                categories::slug.eq(&slug),
                categories::name.eq(&name),
                categories::description.eq(changes.description.clone().value().unwrap_or_default()),
                categories::position.eq(changes.position.clone().value().unwrap_or(0) as i32),
                categories::created_at.eq(now),
                categories::updated_at.eq(now),
            ))
            .returning(categories::id)
            .get_result(conn)?;
        audit::queries::record(conn, user, "create", "category", Some(id), &slug, now)?;
        Ok(slug)
    })
}

/// Applies a partial update; returns the (possibly new) slug.
pub fn update(
    conn: &mut AnyConnection,
    user: &Actor,
    key: &IdOrSlug,
    if_match: Option<&str>,
    changes: Changes,
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    editors_only(user)?;
    crate::db::write(conn, |conn| {
        let rows = queries::all(conn)?;
        let row = find(&rows, key)?;
        check_if_match(if_match, "category", row.version)?;
        check_parent(&rows, Some(row.id), &changes.parent_id)?;
        let slug = changes.slug.clone().value().unwrap_or(row.slug.clone());
        check_slug_free(&rows, &slug, Some(row.id))?;
        let bumped = diesel::update(
            categories::table
                .filter(categories::id.eq(row.id))
                .filter(categories::version.eq(row.version)),
        )
        .set((
            categories::name.eq(changes.name.clone().value().unwrap_or(row.name.clone())),
            categories::slug.eq(&slug),
            categories::description.eq(changes
                .description
                .clone()
                .into_update()
                .map_or(row.description.clone(), Option::unwrap_or_default)),
            categories::parent_id.eq(changes
                .parent_id
                .clone()
                .into_update()
                .unwrap_or(row.parent_id)),
            categories::position.eq(changes
                .position
                .clone()
                .value()
                .map_or(row.position, |p| p as i32)),
            categories::updated_at.eq(now),
            categories::version.eq(row.version + 1),
        ))
        .execute(conn)?;
        swapped(bumped, "category")?;
        audit::queries::record(conn, user, "update", "category", Some(row.id), &slug, now)?;
        Ok(slug)
    })
}

/// Deletes a category: its articles lose their category, its subcategories move to the
/// top level, menu items pointing at it disappear from the public menus.
pub fn delete(
    conn: &mut AnyConnection,
    user: &Actor,
    key: &IdOrSlug,
    if_match: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    editors_only(user)?;
    crate::db::write(conn, |conn| {
        let rows = queries::all(conn)?;
        let row = find(&rows, key)?;
        check_if_match(if_match, "category", row.version)?;
        let deleted = diesel::delete(
            categories::table
                .filter(categories::id.eq(row.id))
                .filter(categories::version.eq(row.version)),
        )
        .execute(conn)?;
        swapped(deleted, "category")?;
        audit::queries::record(
            conn,
            user,
            "delete",
            "category",
            Some(row.id),
            &row.slug,
            now,
        )?;
        Ok(())
    })
}
