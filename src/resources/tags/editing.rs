//! The editors' side of tags.

use actix_web::{delete, patch, post, web, HttpRequest, HttpResponse};

use super::types::{NewTag, Tag, TagChanges};
use super::writes::Tags;
use crate::auth::extract::AuthUser;
use crate::error::ApiError;
use crate::http::params::IdOrSlug;
use crate::http::responses;
use crate::http::valid::Valid;
use crate::resources::editing;
use crate::state::AppState;

/// Create a tag.
///
/// Editors and admins. The slug is generated from the name when absent.
#[utoipa::path(
    tag = "tags",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = NewTag,
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
    body: Valid<NewTag>,
) -> Result<HttpResponse, ApiError> {
    editing::create::<Tags>(&state, user.0, body.0).await
}

/// Change a tag.
///
/// Partial; honours `If-Match`.
#[utoipa::path(
    tag = "tags",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = TagChanges,
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
    body: Valid<TagChanges>,
) -> Result<HttpResponse, ApiError> {
    editing::update::<Tags>(&state, &req, user.0, IdOrSlug::parse(&slug), body.0).await
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
    editing::delete::<Tags>(&state, &req, user.0, IdOrSlug::parse(&slug)).await
}
