//! Liveness and readiness, for load balancers and orchestrators: `/healthz` says the
//! process serves (it never touches the database, so a database outage does not get the
//! instance restarted); `/readyz` says it can serve content (the database answers).

use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::http::responses;
use crate::state::AppState;

/// The process is up.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "version": "0.1.0"}))]
pub struct Health {
    #[schema(value_type = HealthStatus)]
    pub status: String,
    /// The server's version.
    pub version: String,
}

/// The instance can serve: its database answers.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "database": "ok"}))]
pub struct Readiness {
    #[schema(value_type = HealthStatus)]
    pub status: String,
    /// The database answered a query.
    #[schema(value_type = HealthStatus)]
    pub database: String,
}

/// A check that passed: always `ok` in a 200 (a failing readiness check is a 503 problem).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    Ok,
}

/// Liveness.
///
/// 200 while the process serves HTTP; does not check the database (see `/readyz`).
#[utoipa::path(
    tag = "health",
    security(()),
    responses((status = 200, description = "Alive", body = Health))
)]
#[get("/healthz")]
pub async fn get_health() -> HttpResponse {
    alive()
}

/// Readiness.
///
/// 200 when the database answers a query, 503 (problem+json, `Retry-After`) while it does
/// not: a load balancer takes the instance out and puts it back by itself.
#[utoipa::path(
    tag = "health",
    security(()),
    responses(
        (status = 200, description = "Ready", body = Readiness),
        responses::ServiceUnavailable,
    )
)]
#[get("/readyz")]
pub async fn get_ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    ready(&state).await
}

pub fn alive() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

pub async fn ready(state: &AppState) -> Result<HttpResponse, ApiError> {
    crate::db::run(&state.pool, |conn| {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"))
            .get_result::<i32>(conn)
            .map_err(|error| ApiError::Unavailable(error.to_string()))
    })
    .await?;
    Ok(HttpResponse::Ok().json(Readiness {
        status: "ok".into(),
        database: "ok".into(),
    }))
}
