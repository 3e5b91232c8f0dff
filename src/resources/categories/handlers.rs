use actix_web::{get, web, HttpResponse};

use super::queries;
use super::types::{Category, CategoryTree};
use crate::auth::extract::MaybeAuthUser;
use crate::error::ApiError;
use crate::http::params::NoParams;
use crate::http::responses;
use crate::state::AppState;

/// The category tree.
///
/// Top-level categories in display order, each with its subcategories nested and its
/// published article count (descendants included).
#[utoipa::path(
    tag = "categories",
    security(()),
    responses(
        (status = 200, description = "The category tree", body = CategoryTree),
        responses::PublicRead,
    )
)]
#[get("/categories")]
pub async fn list_categories(
    state: web::Data<AppState>,
    _viewer: MaybeAuthUser,
    _query: web::Query<NoParams>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let data = crate::db::run(&state.pool, move |conn| Ok(queries::tree(conn, now)?)).await?;
    Ok(HttpResponse::Ok().json(CategoryTree { data }))
}

/// One category.
///
/// With its breadcrumb (`ancestors`), parent and subcategories. List its articles with
/// `GET /api/v1/articles?category={slug}`.
#[utoipa::path(
    tag = "categories",
    params(("slug" = String, Path, description = "The category's slug", example = "news")),
    security((), ("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "The category", body = Category),
        responses::PublicLookup,
    )
)]
#[get("/categories/{slug}")]
pub async fn get_category(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    _query: web::Query<NoParams>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let category = crate::db::find_one(
        &state.pool,
        "category",
        slug.into_inner(),
        move |conn, slug| Ok(queries::by_slug(conn, now, slug)?),
    )
    .await?;
    if user.0.is_some() {
        // Editors get the version ETag that If-Match wants.
        return Ok(crate::resources::editing::respond(
            actix_web::http::StatusCode::OK,
            category.version,
            &category,
        ));
    }
    Ok(HttpResponse::Ok().json(category))
}
