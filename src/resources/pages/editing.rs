//! The editors' side of pages.

use actix_web::http::StatusCode;
use actix_web::{delete, patch, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::queries;
use super::types::Page;
use super::writes::{self, Changes};
use crate::auth::extract::AuthUser;
use crate::error::ApiError;
use crate::http::params::IdOrSlug;
use crate::http::preconditions::if_match;
use crate::http::responses;
use crate::resources::editing;
use crate::state::AppState;

async fn load(state: &AppState, slug: String) -> Result<Page, ApiError> {
    crate::db::find_one(&state.pool, "page", slug, |conn, slug| {
        Ok(queries::by_slug_any_status(conn, slug)?)
    })
    .await
}

/// Create a page.
///
/// Editors and admins. A draft (the default) is not public; the slug is generated from
/// the title when absent.
#[utoipa::path(
    tag = "pages",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "`title` (required, ≤200), `slug`, `summary`, `body_html` (sanitised), `status` (`draft`/`published`), `seo_title`, `seo_description`", example = json!({"title": "关于我们", "slug": "about", "body_html": "<p>……</p>", "status": "published"})),
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
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let changes = Changes::parse(body.into_inner(), true)?;
    let now = state.clock.now();
    let slug = crate::db::run(&state.pool, move |conn| {
        writes::create(conn, &user, changes, now)
    })
    .await?;
    let page = load(&state, slug).await?;
    Ok(editing::created(
        &page.path.replace("/pages/", "/api/v1/pages/"),
        page.version,
        &page,
    ))
}

/// Change a page.
///
/// Partial; honours `If-Match`.
#[utoipa::path(
    tag = "pages",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "Any of `title`, `slug`, `summary`, `body_html`, `status`, `seo_title`, `seo_description`"),
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
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let changes = Changes::parse(body.into_inner(), false)?;
    let key = IdOrSlug::parse(&slug);
    let now = state.clock.now();
    let precondition = if_match(&req);
    let slug = crate::db::run(&state.pool, move |conn| {
        writes::update(conn, &user, &key, precondition.as_deref(), changes, now)
    })
    .await?;
    let page = load(&state, slug).await?;
    Ok(editing::respond(StatusCode::OK, page.version, &page))
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
    let key = IdOrSlug::parse(&slug);
    let now = state.clock.now();
    let precondition = if_match(&req);
    crate::db::run(&state.pool, move |conn| {
        writes::delete(conn, &user, &key, precondition.as_deref(), now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
