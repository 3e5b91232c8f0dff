//! The editors' side of categories.

use actix_web::http::StatusCode;
use actix_web::{delete, patch, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::queries;
use super::types::Category;
use super::writes::{self, Changes};
use crate::auth::extract::AuthUser;
use crate::error::ApiError;
use crate::http::params::IdOrSlug;
use crate::http::preconditions::if_match;
use crate::http::responses;
use crate::resources::editing;
use crate::state::AppState;

async fn load(state: &AppState, slug: String) -> Result<Category, ApiError> {
    let now = state.clock.now();
    crate::db::find_one(&state.pool, "category", slug, move |conn, slug| {
        Ok(queries::by_slug(conn, now, slug)?)
    })
    .await
}

/// Create a category.
///
/// Editors and admins. The slug is generated from the name when absent.
#[utoipa::path(
    tag = "categories",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "`name` (required, ≤100), `slug`, `description`, `parent_id`, `position`", example = json!({"name": "行业新闻", "parent_id": 1})),
    responses(
        (status = 201, description = "Created", body = Category,
            headers(("Location" = String, description = "The new resource's URL"), ("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Write,
    )
)]
#[post("/categories")]
pub async fn create_category(
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
    let category = load(&state, slug).await?;
    Ok(editing::created(
        &category.path.replace("/categories/", "/api/v1/categories/"),
        category.version,
        &category,
    ))
}

/// Change a category.
///
/// Partial; honours `If-Match`.
#[utoipa::path(
    tag = "categories",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "Any of `name`, `slug`, `description`, `parent_id` (null: top level), `position`"),
    params(
        ("slug" = String, Path, description = "The category's slug"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 200, description = "Changed", body = Category,
            headers(("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Update,
    )
)]
#[patch("/categories/{slug}")]
pub async fn update_category(
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
    let category = load(&state, slug).await?;
    Ok(editing::respond(
        StatusCode::OK,
        category.version,
        &category,
    ))
}

/// Delete a category.
///
/// Its articles lose their category; its subcategories move to the top level.
#[utoipa::path(
    tag = "categories",
    security(("bearer" = []), ("integration_token" = [])),
    params(
        ("slug" = String, Path, description = "The category's slug"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        responses::Delete,
    )
)]
#[delete("/categories/{slug}")]
pub async fn delete_category(
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
