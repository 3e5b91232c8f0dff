use actix_web::{get, web, HttpResponse};

use super::queries;
use super::types::Archive;
use crate::auth::extract::MaybeAuthUser;
use crate::error::ApiError;
use crate::http::params::NoParams;
use crate::http::responses;
use crate::state::AppState;

/// Article counts by year and month.
///
/// Published articles per month in the site's time zone, newest first, with a total per
/// year: the archive sidebar. List a month with `GET /api/v1/articles?year=&month=`.
#[utoipa::path(
    tag = "archive",
    security(()),
    responses(
        (status = 200, description = "Counts by year and month, newest first", body = Archive),
        responses::PublicRead,
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
