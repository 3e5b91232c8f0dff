use actix_web::http::StatusCode;
use actix_web::{get, patch, web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::{queries, types::Site, writes};
use crate::auth::extract::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::http::params::NoParams;
use crate::http::preconditions::if_match;
use crate::http::responses;
use crate::resources::editing;
use crate::state::AppState;

/// Site metadata.
///
/// The name, description, locale, time zone, contact entries and credits line: what a
/// frontend needs for its header, footer and meta tags.
#[utoipa::path(
    tag = "site",
    security((), ("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "The site's metadata", body = Site),
        responses::PublicRead,
    )
)]
#[get("/site")]
pub async fn get_site(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    _query: web::Query<NoParams>,
) -> Result<HttpResponse, ApiError> {
    let site = crate::db::run(&state.pool, |conn| Ok(queries::load(conn)?)).await?;
    if user.0.is_some() {
        return Ok(editing::respond(StatusCode::OK, site.version, &site));
    }
    Ok(HttpResponse::Ok().json(site))
}

/// Change the site settings.
///
/// Admins only. Partial: only the fields sent change; `contacts`, when sent, replaces
/// the list. Honours `If-Match`.
#[utoipa::path(
    tag = "site",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "Any of `name`, `description`, `url`, `logo_url`, `locale`, `time_zone`, `utc_offset` (`+08:00`), `copyright`, `credits`, `icp_record`, `contacts` ([{label, address, phone, email}])",
        example = json!({"icp_record": "粤ICP备00000000号", "contacts": [{"label": "联络处", "phone": "13751426049"}]})),
    params(("If-Match" = Option<String>, Header, description = "The ETag last read")),
    responses(
        (status = 200, description = "Changed", body = Site,
            headers(("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Write,
        responses::PreconditionFailed,
    )
)]
#[patch("/site")]
pub async fn update_site(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let changes = writes::Changes::parse(body.into_inner())?;
    let now = state.clock.now();
    let precondition = if_match(&req);
    crate::db::run(&state.pool, move |conn| {
        writes::update(conn, &user, precondition.as_deref(), changes, now)
    })
    .await?;
    let site = crate::db::run(&state.pool, |conn| Ok(queries::load(conn)?)).await?;
    Ok(editing::respond(StatusCode::OK, site.version, &site))
}
