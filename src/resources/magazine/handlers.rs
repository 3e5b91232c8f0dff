use actix_web::{get, web, HttpResponse};

use super::queries;
use super::types::{ListIssuesQuery, MagazineIssue, MagazineIssueList};
use crate::error::{ApiError, Problem};
use crate::http::params;
use crate::state::AppState;

/// List magazine issues.
///
/// Newest first, optionally for one year (for the 杂志导读 archive by year).
#[utoipa::path(
    tag = "magazine",
    params(ListIssuesQuery),
    responses(
        (status = 200, description = "Magazine issues, newest first", body = MagazineIssueList),
        (status = 400, description = "A parameter is invalid; `errors` names it", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/magazine/issues")]
pub async fn list_magazine_issues(
    state: web::Data<AppState>,
    query: web::Query<ListIssuesQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = params::int_in_range("year", query.year.as_deref(), 1900, 9999)?.map(|y| y as i32);
    let now = state.clock.now();
    let data = crate::db::run(&state.pool, move |conn| Ok(queries::list(conn, now, year)?)).await?;
    Ok(HttpResponse::Ok().json(MagazineIssueList { data }))
}

/// One magazine issue with its articles.
#[utoipa::path(
    tag = "magazine",
    params(("id" = i64, Path, description = "The issue's id", example = 1)),
    responses(
        (status = 200, description = "The issue with its published articles in order", body = MagazineIssue),
        (status = 404, description = "No published issue has this id", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/magazine/issues/{id}")]
pub async fn get_magazine_issue(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let issue = crate::db::find_one(
        &state.pool,
        "magazine issue",
        id.into_inner(),
        move |conn, raw| {
            // A non-numeric id names no issue: 404 like any unknown id.
            match params::IdOrSlug::parse(raw) {
                params::IdOrSlug::Id(id) => Ok(queries::by_id(conn, now, id)?),
                params::IdOrSlug::Slug(_) => Ok(None),
            }
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(issue))
}
