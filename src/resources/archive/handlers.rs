use actix_web::{get, web, HttpResponse};

use super::queries;
use super::types::Archive;
use crate::auth::extract::MaybeAuthUser;
use crate::error::{ApiError, Problem};
use crate::http::params::NoParams;
use crate::state::AppState;

/// Article counts by year and month.
#[utoipa::path(
    tag = "archive",
    responses(
        (status = 200, description = "Counts by year and month, newest first", body = Archive),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/archive")]
pub async fn get_archive(
    state: web::Data<AppState>,
    _viewer: MaybeAuthUser,
    _query: web::Query<NoParams>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let data = crate::db::run(&state.pool, move |conn| Ok(queries::by_year(conn, now)?)).await?;
    Ok(HttpResponse::Ok().json(Archive { data }))
}
