//! The editors' side of tags.

use actix_web::http::StatusCode;
use actix_web::{delete, patch, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::queries;
use super::types::Tag;
use super::writes::{self, Changes};
use crate::auth::extract::AuthUser;
use crate::error::ApiError;
use crate::http::params::IdOrSlug;
use crate::http::preconditions::if_match;
use crate::http::responses;
use crate::resources::editor;
use crate::state::AppState;

async fn load(state: &AppState, slug: String) -> Result<Tag, ApiError> {
    let now = state.clock.now();
    crate::db::find_one(&state.pool, "tag", slug, move |conn, slug| {
        Ok(queries::by_slug(conn, now, slug)?)
    })
    .await
}

/// Create a tag.
///
/// Editors and admins. The slug is generated from the name when absent.
#[utoipa::path(
    tag = "tags",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "`name` (required, ≤100), `slug`, `description`", example = json!({"name": "护苗", "slug": "humiao"})),
    responses(
        (status = 201, description = "Created", body = Tag,
            headers(("Location" = String, description = "The new resource's URL"), ("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Write,
    )
)]
#[post("/tags")]
pub async fn create_tag(
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
    let tag = load(&state, slug).await?;
    Ok(editor::created(
        &tag.path.replace("/tags/", "/api/v1/tags/"),
        tag.version,
        &tag,
    ))
}

/// Change a tag.
///
/// Partial; honours `If-Match`.
#[utoipa::path(
    tag = "tags",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "Any of `name`, `slug`, `description`"),
    params(
        ("slug" = String, Path, description = "The tag's slug"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 200, description = "Changed", body = Tag,
            headers(("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Update,
    )
)]
#[patch("/tags/{slug}")]
pub async fn update_tag(
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
    let tag = load(&state, slug).await?;
    Ok(editor::respond(StatusCode::OK, tag.version, &tag))
}

/// Delete a tag.
///
/// Articles keep their other tags.
#[utoipa::path(
    tag = "tags",
    security(("bearer" = []), ("integration_token" = [])),
    params(
        ("slug" = String, Path, description = "The tag's slug"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        responses::Delete,
    )
)]
#[delete("/tags/{slug}")]
pub async fn delete_tag(
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
