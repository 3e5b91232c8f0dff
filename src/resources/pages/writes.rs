//! Static pages through the editing kit: editors and admins write them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::queries;
use super::types::{NewPage, Page, PageChanges, PublicationStatus};
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::pages;
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::html::sanitize;
use crate::http::params::IdOrSlug;
use crate::resources::editing::{Action, Creatable, Current, Deletable, Editable};

pub struct Pages;

/// A page's editable columns.
pub struct Row {
    slug: String,
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

impl Editable for Pages {
    const KIND: &'static str = "page";
    const TABLE: &'static str = "pages";
    type Changes = PageChanges;
    type Row = Row;
    type View = Page;

    fn authorize(actor: &Actor, _: Action) -> Result<(), ApiError> {
        actor.require(&[Role::Admin, Role::Editor])
    }

    fn find(conn: &mut AnyConnection, key: &IdOrSlug) -> QueryResult<Option<Current<Row>>> {
        let query = pages::table
            .select((pages::id, pages::version, pages::slug))
            .into_boxed();
        let query = match key {
            IdOrSlug::Id(id) => query.filter(pages::id.eq(*id)),
            IdOrSlug::Slug(slug) => query.filter(pages::slug.eq(slug.clone())),
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
        changes: PageChanges,
        now: NaiveDateTime,
    ) -> Result<String, ApiError> {
        let slug = changes
            .slug
            .value()
            .map_or_else(|| current.row.slug.clone(), |slug| slug.0);
        if slug_taken(conn, &slug, Some(current.id))? {
            return Err(taken());
        }
        diesel::update(pages::table.filter(pages::id.eq(current.id)))
            .set((
                pages::slug.eq(&slug),
                changes.title.value().map(|title| pages::title.eq(title.0)),
                changes
                    .summary
                    .into_update()
                    .map(|text| pages::summary.eq(text.map(|s| s.0).unwrap_or_default())),
                changes.body_html.into_update().map(|html| {
                    pages::body_html.eq(sanitize(&html.map(|h| h.0).unwrap_or_default()))
                }),
                changes
                    .status
                    .value()
                    .map(|status| pages::status.eq(status.as_str())),
                changes
                    .seo_title
                    .into_update()
                    .map(|title| pages::seo_title.eq(title.map(|t| t.0))),
                changes
                    .seo_description
                    .into_update()
                    .map(|text| pages::seo_description.eq(text.map(|d| d.0))),
                pages::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(slug)
    }

    fn view(conn: &mut AnyConnection, id: i64, _: NaiveDateTime) -> Result<Page, ApiError> {
        queries::by_id_any_status(conn, id)?
            .ok_or_else(|| ApiError::not_found("page", id.to_string()))
    }
}

impl Creatable for Pages {
    type New = NewPage;

    fn insert(
        conn: &mut AnyConnection,
        _: &Actor,
        input: NewPage,
        now: NaiveDateTime,
    ) -> Result<(i64, String), ApiError> {
        let slug = match input.slug.value() {
            Some(slug) if slug_taken(conn, &slug.0, None)? => return Err(taken()),
            Some(slug) => slug.0,
            None => {
                let base = crate::slug::from_title(&input.title.0, "page");
                crate::slug::first_free(&base, |candidate| slug_taken(conn, candidate, None))?
                    .ok_or_else(|| {
                        ApiError::Conflict(format!("no free slug near `{base}`: give one"))
                    })?
            }
        };
        let status = input.status.value().unwrap_or(PublicationStatus::Draft);
        let id = diesel::insert_into(pages::table)
            .values((
                pages::slug.eq(&slug),
                pages::title.eq(&input.title.0),
                pages::summary.eq(input.summary.value().map(|s| s.0).unwrap_or_default()),
                pages::body_html.eq(sanitize(
                    &input.body_html.value().map(|h| h.0).unwrap_or_default(),
                )),
                pages::status.eq(status.as_str()),
                pages::seo_title.eq(input.seo_title.value().map(|t| t.0)),
                pages::seo_description.eq(input.seo_description.value().map(|d| d.0)),
                pages::created_at.eq(now),
                pages::updated_at.eq(now),
            ))
            .returning(pages::id)
            .get_result(conn)?;
        Ok((id, slug))
    }

    fn location(page: &Page) -> String {
        format!("/api/v1/pages/{}", page.slug)
    }
}

impl Deletable for Pages {
    fn before_delete(
        _: &mut AnyConnection,
        _: &Actor,
        current: &Current<Row>,
    ) -> Result<String, ApiError> {
        // Menu items pointing at it drop out of the public menus.
        Ok(current.row.slug.clone())
    }
}
