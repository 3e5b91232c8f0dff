use actix_web::{get, web, HttpResponse};

use super::queries;
use super::types::{AuditList, ListAuditQuery};
use crate::auth::extract::AuthUser;
use crate::auth::Role;
use crate::error::{ApiError, Problem};
use crate::http::pagination::PageRequest;
use crate::state::AppState;

/// The audit trail.
///
/// Every change made through the API, newest first. Admins only.
#[utoipa::path(
    tag = "audit",
    params(ListAuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of the audit trail", body = AuditList),
        (status = 400, description = "A parameter is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListAuditQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::Admin])?;
    let request = PageRequest::parse(query.page.as_deref(), query.per_page.as_deref(), None)?;
    let page = crate::db::run(&state.pool, move |conn| Ok(queries::list(conn, &request)?)).await?;
    Ok(HttpResponse::Ok().json(AuditList {
        data: page.items,
        meta: page.meta,
    }))
}
