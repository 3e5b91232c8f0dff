//! The editors' side of categories.

use actix_web::{delete, patch, post, web, HttpRequest, HttpResponse};

use super::types::{Category, CategoryChanges, NewCategory};
use super::writes::Categories;
use crate::auth::extract::AuthUser;
use crate::error::ApiError;
use crate::http::params::IdOrSlug;
use crate::http::responses;
use crate::http::valid::Valid;
use crate::resources::editing;
use crate::state::AppState;

/// Create a category.
///
/// Editors and admins. The slug is generated from the name when absent. A given slug must
/// not be taken by another category, and `parent_id` must name an existing category.
#[utoipa::path(
    tag = "categories",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = NewCategory,
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
    body: Valid<NewCategory>,
) -> Result<HttpResponse, ApiError> {
    editing::create::<Categories>(&state, user.0, body.0).await
}

/// Change a category.
///
/// Partial; honours `If-Match`. A new slug must not be taken by another category; a new
/// `parent_id` must name an existing category other than this one and its subcategories.
#[utoipa::path(
    tag = "categories",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = CategoryChanges,
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
    body: Valid<CategoryChanges>,
) -> Result<HttpResponse, ApiError> {
    editing::update::<Categories>(&state, &req, user.0, IdOrSlug::parse(&slug), body.0).await
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
    editing::delete::<Categories>(&state, &req, user.0, IdOrSlug::parse(&slug)).await
}
