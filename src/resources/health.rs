//! Health check for load balancers and container orchestrators.

use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// The server is up and its database answers.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "database": "ok", "version": "0.1.0"}))]
pub struct Health {
    pub status: String,
    pub database: String,
    /// The server's version.
    pub version: String,
}

/// Health check.
///
/// 200 when the server runs and its database answers a query, 503 otherwise.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Healthy", body = Health),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/healthz")]
pub async fn get_health(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    check(&state).await
}

pub async fn check(state: &AppState) -> Result<HttpResponse, ApiError> {
    crate::db::run(&state.pool, |conn| {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"))
            .get_result::<i32>(conn)
            .map_err(|error| ApiError::Unavailable(error.to_string()))
    })
    .await?;
    Ok(HttpResponse::Ok().json(Health {
        status: "ok".into(),
        database: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}
