//! Categories through the editing kit: editors and admins write them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::queries::{self, CategoryRow};
use super::types::{Category, CategoryChanges, NewCategory};
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::categories;
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::params::IdOrSlug;
use crate::input::kinds::Id;
use crate::input::Patch;
use crate::resources::editing::{Action, Creatable, Current, Deletable, Editable};

pub struct Categories;

/// A category's editable columns.
pub struct Row {
    slug: String,
}

/// The parent must exist and must not be the category (`id`) or one of its descendants.
fn check_parent(rows: &[CategoryRow], id: Option<i64>, parent: &Patch<Id>) -> Result<(), ApiError> {
    let Patch::Value(Id(parent)) = parent else {
        return Ok(());
    };
    if !rows.iter().any(|row| row.id == *parent) {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "parent_id",
            format!("no such id: {parent}"),
        )]));
    }
    if id.is_some_and(|id| queries::with_descendants(rows, id).contains(parent)) {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "parent_id",
            "would make the category its own ancestor",
        )]));
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

impl Editable for Categories {
    const KIND: &'static str = "category";
    const TABLE: &'static str = "categories";
    type Changes = CategoryChanges;
    type Row = Row;
    type View = Category;

    fn authorize(actor: &Actor, _: Action) -> Result<(), ApiError> {
        actor.require(&[Role::Admin, Role::Editor])
    }

    fn find(conn: &mut AnyConnection, key: &IdOrSlug) -> QueryResult<Option<Current<Row>>> {
        let query = categories::table
            .select((categories::id, categories::version, categories::slug))
            .into_boxed();
        let query = match key {
            IdOrSlug::Id(id) => query.filter(categories::id.eq(*id)),
            IdOrSlug::Slug(slug) => query.filter(categories::slug.eq(slug.clone())),
        };
        Ok(query
            .first::<(i64, i64, String)>(conn)
            .optional()?
            .map(|(id, version, slug)| Current {
                id,
                version,
                row: Row { slug },
            }))
    }

    fn apply(
        conn: &mut AnyConnection,
        _: &Actor,
        current: &Current<Row>,
        changes: CategoryChanges,
        now: NaiveDateTime,
    ) -> Result<String, ApiError> {
        let rows = queries::all(conn)?;
        check_parent(&rows, Some(current.id), &changes.parent_id)?;
        let slug = changes
            .slug
            .value()
            .map_or_else(|| current.row.slug.clone(), |slug| slug.0);
        check_slug_free(&rows, &slug, Some(current.id))?;
        diesel::update(categories::table.filter(categories::id.eq(current.id)))
            .set((
                categories::slug.eq(&slug),
                changes.name.value().map(|name| categories::name.eq(name.0)),
                changes
                    .description
                    .into_update()
                    .map(|text| categories::description.eq(text.map(|d| d.0).unwrap_or_default())),
                changes
                    .parent_id
                    .into_update()
                    .map(|parent| categories::parent_id.eq(parent.map(|id| id.0))),
                changes
                    .position
                    .value()
                    .map(|position| categories::position.eq(position.0 as i32)),
                categories::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(slug)
    }

    fn view(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> Result<Category, ApiError> {
        queries::by_id(conn, now, id)?
            .ok_or_else(|| ApiError::not_found("category", id.to_string()))
    }
}

impl Creatable for Categories {
    type New = NewCategory;

    fn insert(
        conn: &mut AnyConnection,
        _: &Actor,
        input: NewCategory,
        now: NaiveDateTime,
    ) -> Result<(i64, String), ApiError> {
        let rows = queries::all(conn)?;
        check_parent(&rows, None, &input.parent_id)?;
        let slug = match input.slug.value() {
            Some(slug) => slug.0,
            None => {
                let base = crate::slug::from_title(&input.name.0, "category");
                crate::slug::first_free(&base, |candidate| {
                    Ok::<_, ApiError>(rows.iter().any(|row| row.slug == candidate))
                })?
                .unwrap_or(base)
            }
        };
        check_slug_free(&rows, &slug, None)?;
        let id = diesel::insert_into(categories::table)
            .values((
                categories::parent_id.eq(input.parent_id.value().map(|id| id.0)),
                categories::slug.eq(&slug),
                categories::name.eq(&input.name.0),
                categories::description.eq(input
                    .description
                    .value()
                    .map(|d| d.0)
                    .unwrap_or_default()),
                categories::position.eq(input.position.value().map_or(0, |p| p.0 as i32)),
                categories::created_at.eq(now),
                categories::updated_at.eq(now),
            ))
            .returning(categories::id)
            .get_result(conn)?;
        Ok((id, slug))
    }

    fn location(category: &Category) -> String {
        format!("/api/v1/categories/{}", category.slug)
    }
}

impl Deletable for Categories {
    fn before_delete(
        _: &mut AnyConnection,
        _: &Actor,
        current: &Current<Row>,
    ) -> Result<String, ApiError> {
        // Its articles lose their category and its subcategories move to the top level
        // (both ON DELETE SET NULL); menu items pointing at it drop out of the public menus.
        Ok(current.row.slug.clone())
    }
}
