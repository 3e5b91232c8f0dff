use actix_web::{get, web, HttpResponse};

use super::queries;
use super::types::{AuditList, ListAuditQuery};
use crate::auth::extract::AuthUser;
use crate::auth::Role;
use crate::error::ApiError;
use crate::http::pagination::PageRequest;
use crate::http::responses;
use crate::state::AppState;

/// The audit trail.
///
/// Every change made through the API, newest first. Admins only.
#[utoipa::path(
    tag = "audit",
    params(ListAuditQuery),
    security(("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "A page of the audit trail", body = AuditList),
        responses::EditorRead,
        responses::InvalidParameter,
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
