use actix_web::{get, web, HttpResponse};

use super::{queries, types::Site};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// Site metadata.
///
/// The name, description, locale, time zone, contact entries and credits line: what a
/// frontend needs for its header, footer and meta tags.
#[utoipa::path(
    tag = "site",
    responses(
        (status = 200, description = "The site's metadata", body = Site),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/site")]
pub async fn get_site(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let site = crate::db::run(&state.pool, |conn| Ok(queries::load(conn)?)).await?;
    Ok(HttpResponse::Ok().json(site))
}
