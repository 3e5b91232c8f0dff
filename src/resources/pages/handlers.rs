use actix_web::{get, web, HttpResponse};

use super::queries;
use super::types::{Page, PageList};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// All published static pages.
#[utoipa::path(
    tag = "pages",
    responses(
        (status = 200, description = "Published pages, by title", body = PageList),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/pages")]
pub async fn list_pages(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let data = crate::db::run(&state.pool, |conn| Ok(queries::all(conn)?)).await?;
    Ok(HttpResponse::Ok().json(PageList { data }))
}

/// One static page.
#[utoipa::path(
    tag = "pages",
    params(("slug" = String, Path, description = "The page's slug", example = "about")),
    responses(
        (status = 200, description = "The page", body = Page),
        (status = 404, description = "No published page has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/pages/{slug}")]
pub async fn get_page(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let page = crate::db::find_one(&state.pool, "page", slug.into_inner(), |conn, slug| {
        Ok(queries::by_slug(conn, slug)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}
