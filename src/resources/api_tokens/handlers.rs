use actix_web::{delete, get, post, web, HttpResponse};

use super::queries;
use super::types::{ApiTokenList, CreatedApiToken, NewApiToken};
use crate::auth::extract::AuthUser;
use crate::auth::Role;
use crate::error::ApiError;
use crate::http::params::NoParams;
use crate::http::responses;
use crate::http::valid::Valid;
use crate::resources::audit;
use crate::state::AppState;

/// Create an integration token.
///
/// For machine clients (an import pipeline, a build server): named, with a role, valid
/// until revoked. The secret is in this answer only. Admins only.
#[utoipa::path(
    tag = "tokens",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = NewApiToken,
    responses(
        (status = 201, description = "Created; `token` is shown this once", body = CreatedApiToken),
        responses::Write,
    )
)]
#[post("/tokens")]
pub async fn create_token(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Valid<NewApiToken>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::Admin])?;
    let NewApiToken { name, role } = body.into_inner();
    let name = name.0;
    let now = state.clock.now();
    let (info, token) = crate::db::run(&state.pool, move |conn| {
        Ok(crate::db::write(conn, |conn| {
            let made = queries::create(conn, &name, role, user.id, now)?;
            audit::queries::record(
                conn,
                &user,
                "create",
                "api_token",
                Some(made.0.id),
                &made.0.name,
                now,
            )?;
            diesel::QueryResult::Ok(made)
        })?)
    })
    .await?;
    Ok(HttpResponse::Created().json(CreatedApiToken { info, token }))
}

/// List integration tokens.
///
/// Names, roles, last use; never the secrets. Admins only.
#[utoipa::path(
    tag = "tokens",
    security(("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "All integration tokens", body = ApiTokenList),
        responses::EditorRead,
    )
)]
#[get("/tokens")]
pub async fn list_tokens(
    state: web::Data<AppState>,
    user: AuthUser,
    _query: web::Query<NoParams>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::Admin])?;
    let data = crate::db::run(&state.pool, |conn| Ok(queries::list(conn)?)).await?;
    Ok(HttpResponse::Ok().json(ApiTokenList { data }))
}

/// Revoke an integration token.
///
/// It stops working at once. Admins only.
#[utoipa::path(
    tag = "tokens",
    security(("bearer" = []), ("integration_token" = [])),
    params(("id" = i64, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked"),
        responses::EditorRead,
        responses::NotFound,
    )
)]
#[delete("/tokens/{id}")]
pub async fn revoke_token(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::Admin])?;
    let id = crate::http::params::path_id(&id, "token")?;
    let now = state.clock.now();
    let found = crate::db::run(&state.pool, move |conn| {
        Ok(crate::db::write(conn, |conn| {
            let found = queries::revoke(conn, id, now)?;
            if found {
                audit::queries::record(conn, &user, "revoke", "api_token", Some(id), "", now)?;
            }
            diesel::QueryResult::Ok(found)
        })?)
    })
    .await?;
    if found {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found("token", id.to_string()))
    }
}
