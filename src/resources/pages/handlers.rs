use actix_web::{get, web, HttpResponse};

use super::queries;
use super::types::{Page, PageList};
use crate::auth::extract::MaybeAuthUser;
use crate::error::ApiError;
use crate::http::params::NoParams;
use crate::http::response_cache::Shows;
use crate::http::responses;
use crate::state::AppState;

/// All published static pages.
///
/// Summaries without the body, ordered by title.
#[utoipa::path(
    tag = "pages",
    security(()),
    responses(
        (status = 200, description = "Published pages, by title", body = PageList),
        responses::PublicRead,
    )
)]
#[get("/pages")]
pub async fn list_pages(
    state: web::Data<AppState>,
    _viewer: MaybeAuthUser,
    _query: web::Query<NoParams>,
) -> Result<HttpResponse, ApiError> {
    let data = crate::db::run(&state.pool, |conn| Ok(queries::all(conn)?)).await?;
    // Pages show no article: site-wide content only.
    Ok(Shows::answer(&PageList { data }, Vec::new()))
}

/// One static page.
///
/// By slug, with its body. With a token, editors also see drafts and get the version ETag
/// to send back as `If-Match`.
#[utoipa::path(
    tag = "pages",
    params(("slug" = String, Path, description = "The page's slug", example = "about")),
    security((), ("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "The page", body = Page),
        responses::PublicLookup,
    )
)]
#[get("/pages/{slug}")]
pub async fn get_page(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    _query: web::Query<NoParams>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let editor = user.0.is_some_and(|user| user.role.edits_all_content());
    let page = crate::db::find_one(&state.pool, "page", slug.into_inner(), move |conn, slug| {
        if editor {
            Ok(queries::by_slug_any_status(conn, slug)?)
        } else {
            Ok(queries::by_slug(conn, slug)?)
        }
    })
    .await?;
    if editor {
        // Editors see drafts too, and get the version ETag that If-Match wants.
        return Ok(crate::resources::editing::respond(
            actix_web::http::StatusCode::OK,
            page.version,
            &page,
        ));
    }
    Ok(Shows::answer(&page, Vec::new()))
}
