use actix_web::{get, web, HttpResponse};

use super::queries;
use super::types::{Tag, TagList};
use crate::auth::extract::MaybeAuthUser;
use crate::error::ApiError;
use crate::http::params::NoParams;
use crate::http::responses;
use crate::state::AppState;

/// All tags.
///
/// Ordered by name, each with its published article count. List a tag's articles with
/// `GET /api/v1/articles?tag={slug}`.
#[utoipa::path(
    tag = "tags",
    security(()),
    responses(
        (status = 200, description = "All tags", body = TagList),
        responses::PublicRead,
    )
)]
#[get("/tags")]
pub async fn list_tags(
    state: web::Data<AppState>,
    _viewer: MaybeAuthUser,
    _query: web::Query<NoParams>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let data = crate::db::run(&state.pool, move |conn| Ok(queries::all(conn, now)?)).await?;
    Ok(HttpResponse::Ok().json(TagList { data }))
}

/// One tag.
///
/// By slug, with its published article count. With a token, editors get the version ETag
/// to send back as `If-Match`.
#[utoipa::path(
    tag = "tags",
    params(("slug" = String, Path, description = "The tag's slug", example = "humiao")),
    security((), ("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "The tag", body = Tag),
        responses::PublicLookup,
    )
)]
#[get("/tags/{slug}")]
pub async fn get_tag(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    _query: web::Query<NoParams>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let tag = crate::db::find_one(&state.pool, "tag", slug.into_inner(), move |conn, slug| {
        Ok(queries::by_slug(conn, now, slug)?)
    })
    .await?;
    if user.0.is_some() {
        // Editors get the version ETag that If-Match wants.
        return Ok(crate::resources::editing::respond(
            actix_web::http::StatusCode::OK,
            tag.version,
            &tag,
        ));
    }
    Ok(HttpResponse::Ok().json(tag))
}
