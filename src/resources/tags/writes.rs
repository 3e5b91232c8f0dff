//! Tags through the editing kit: editors and admins write them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::queries;
use super::types::{NewTag, Tag, TagChanges};
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::tags;
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::params::IdOrSlug;
use crate::resources::editing::{Action, Creatable, Current, Deletable, Editable};

pub struct Tags;

/// A tag's editable columns.
pub struct Row {
    slug: String,
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

impl Editable for Tags {
    const KIND: &'static str = "tag";
    const TABLE: &'static str = "tags";
    type Changes = TagChanges;
    type Row = Row;
    type View = Tag;

    fn authorize(actor: &Actor, _: Action) -> Result<(), ApiError> {
        actor.require(&[Role::Admin, Role::Editor])
    }

    fn find(conn: &mut AnyConnection, key: &IdOrSlug) -> QueryResult<Option<Current<Row>>> {
        let query = tags::table
            .select((tags::id, tags::version, tags::slug))
            .into_boxed();
        let query = match key {
            IdOrSlug::Id(id) => query.filter(tags::id.eq(*id)),
            IdOrSlug::Slug(slug) => query.filter(tags::slug.eq(slug.clone())),
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
        changes: TagChanges,
        _: NaiveDateTime,
    ) -> Result<String, ApiError> {
        let slug = changes
            .slug
            .value()
            .map_or_else(|| current.row.slug.clone(), |slug| slug.0);
        if slug_taken(conn, &slug, Some(current.id))? {
            return Err(taken());
        }
        diesel::update(tags::table.filter(tags::id.eq(current.id)))
            .set((
                tags::slug.eq(&slug),
                changes.name.value().map(|name| tags::name.eq(name.0)),
                changes
                    .description
                    .into_update()
                    .map(|text| tags::description.eq(text.map(|d| d.0).unwrap_or_default())),
            ))
            .execute(conn)?;
        Ok(slug)
    }

    fn view(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> Result<Tag, ApiError> {
        queries::by_id(conn, now, id)?.ok_or_else(|| ApiError::not_found("tag", id.to_string()))
    }
}

impl Creatable for Tags {
    type New = NewTag;

    fn insert(
        conn: &mut AnyConnection,
        _: &Actor,
        input: NewTag,
        _: NaiveDateTime,
    ) -> Result<(i64, String), ApiError> {
        let slug = match input.slug.value() {
            Some(slug) if slug_taken(conn, &slug.0, None)? => return Err(taken()),
            Some(slug) => slug.0,
            None => {
                let base = crate::slug::from_title(&input.name.0, "tag");
                crate::slug::first_free(&base, |candidate| slug_taken(conn, candidate, None))?
                    .ok_or_else(|| {
                        ApiError::Conflict(format!("no free slug near `{base}`: give one"))
                    })?
            }
        };
        let id = diesel::insert_into(tags::table)
            .values((
                tags::slug.eq(&slug),
                tags::name.eq(&input.name.0),
                tags::description.eq(input.description.value().map(|d| d.0).unwrap_or_default()),
            ))
            .returning(tags::id)
            .get_result(conn)?;
        Ok((id, slug))
    }

    fn location(tag: &Tag) -> String {
        format!("/api/v1/tags/{}", tag.slug)
    }
}

impl Deletable for Tags {
    fn before_delete(
        _: &mut AnyConnection,
        _: &Actor,
        current: &Current<Row>,
    ) -> Result<String, ApiError> {
        // Articles keep their other tags: `article_tags` rows go with the tag (ON DELETE CASCADE).
        Ok(current.row.slug.clone())
    }
}
