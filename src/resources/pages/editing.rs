//! The editors' side of pages.

use actix_web::{delete, patch, post, web, HttpRequest, HttpResponse};

use super::types::{NewPage, Page, PageChanges};
use super::writes::Pages;
use crate::auth::extract::AuthUser;
use crate::error::ApiError;
use crate::http::params::IdOrSlug;
use crate::http::responses;
use crate::http::valid::Valid;
use crate::resources::editing;
use crate::state::AppState;

/// Create a page.
///
/// Editors and admins. A draft (the default) is not public; the slug is generated from
/// the title when absent. A given slug must not be taken by another page.
#[utoipa::path(
    tag = "pages",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = NewPage,
    responses(
        (status = 201, description = "Created", body = Page,
            headers(("Location" = String, description = "The new resource's URL"), ("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Write,
    )
)]
#[post("/pages")]
pub async fn create_page(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Valid<NewPage>,
) -> Result<HttpResponse, ApiError> {
    editing::create::<Pages>(&state, user.0, body.0).await
}

/// Change a page.
///
/// Partial; honours `If-Match`. A new slug must not be taken by another page.
#[utoipa::path(
    tag = "pages",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = PageChanges,
    params(
        ("slug" = String, Path, description = "The page's slug"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 200, description = "Changed", body = Page,
            headers(("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Update,
    )
)]
#[patch("/pages/{slug}")]
pub async fn update_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    slug: web::Path<String>,
    body: Valid<PageChanges>,
) -> Result<HttpResponse, ApiError> {
    editing::update::<Pages>(&state, &req, user.0, IdOrSlug::parse(&slug), body.0).await
}

/// Delete a page.
///
/// Menu items pointing at it disappear from the public menus.
#[utoipa::path(
    tag = "pages",
    security(("bearer" = []), ("integration_token" = [])),
    params(
        ("slug" = String, Path, description = "The page's slug"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        responses::Delete,
    )
)]
#[delete("/pages/{slug}")]
pub async fn delete_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    editing::delete::<Pages>(&state, &req, user.0, IdOrSlug::parse(&slug)).await
}
