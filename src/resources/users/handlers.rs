use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::types::User;
use super::{queries, writes};
use crate::auth::extract::AuthUser;
use crate::auth::Role;
use crate::error::ApiError;
use crate::http::params::NoParams;
use crate::http::preconditions::if_match;
use crate::http::responses;
use crate::resources::editing;
use crate::state::AppState;

/// All users.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub data: Vec<User>,
}

async fn load(state: &AppState, id: i64) -> Result<(User, i64), ApiError> {
    crate::db::find_one(&state.pool, "user", id.to_string(), move |conn, _| {
        Ok(queries::by_id(conn, id)?.map(|row| (row.view(), row.version)))
    })
    .await
}

/// List users.
///
/// Admins only.
#[utoipa::path(
    tag = "users",
    security(("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "All users", body = UserList),
        responses::EditorRead,
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    user: AuthUser,
    _query: web::Query<NoParams>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::Admin])?;
    let data = crate::db::run(&state.pool, |conn| Ok(writes::list(conn)?)).await?;
    Ok(HttpResponse::Ok().json(UserList { data }))
}

/// One user.
///
/// Admins only; the ETag is the user's version for `If-Match`.
#[utoipa::path(
    tag = "users",
    security(("bearer" = []), ("integration_token" = [])),
    params(("id" = i64, Path, description = "The user's id")),
    responses(
        (status = 200, description = "The user", body = User),
        responses::EditorRead,
        responses::NotFound,
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    user: AuthUser,
    _query: web::Query<NoParams>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::Admin])?;
    let (found, version) = load(&state, crate::http::params::path_id(&id, "user")?).await?;
    Ok(editing::respond(StatusCode::OK, version, &found))
}

/// Create a user.
///
/// Admins only. The password (10+ characters) is stored as an Argon2id hash.
#[utoipa::path(
    tag = "users",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "`email`, `name`, `role` (admin/editor/author), `password` (all required); `active`",
        example = json!({"email": "author@example.com", "name": "新作者", "role": "author", "password": "a long passphrase"})),
    responses(
        (status = 201, description = "Created", body = User,
            headers(("Location" = String, description = "The new resource's URL"), ("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Write,
    )
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::Admin])?;
    let changes = writes::Changes::parse(body.into_inner(), true)?;
    let now = state.clock.now();
    let id = crate::db::run(&state.pool, move |conn| {
        writes::create(conn, &user, changes, now)
    })
    .await?;
    let (created, version) = load(&state, id).await?;
    Ok(editing::created(
        &format!("/api/v1/users/{id}"),
        version,
        &created,
    ))
}

/// Change a user.
///
/// Admins only: name, email, role, password (ends the user's sessions), `active`
/// (false ends them too). The last active admin keeps the role (409). Honours `If-Match`.
#[utoipa::path(
    tag = "users",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "Any of `email`, `name`, `role`, `password`, `active`"),
    params(
        ("id" = i64, Path, description = "The user's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 200, description = "Changed", body = User,
            headers(("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Update,
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::Admin])?;
    let id = crate::http::params::path_id(&id, "user")?;
    let changes = writes::Changes::parse(body.into_inner(), false)?;
    let now = state.clock.now();
    let precondition = if_match(&req);
    crate::db::run(&state.pool, move |conn| {
        writes::update(conn, &user, id, precondition.as_deref(), changes, now)
    })
    .await?;
    let (changed, version) = load(&state, id).await?;
    Ok(editing::respond(StatusCode::OK, version, &changed))
}

/// Delete a user.
///
/// Admins only. Their articles stay (without an author account). The last active admin
/// cannot be deleted (409). Honours `If-Match`.
#[utoipa::path(
    tag = "users",
    security(("bearer" = []), ("integration_token" = [])),
    params(
        ("id" = i64, Path, description = "The user's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        responses::Delete,
    )
)]
#[delete("/users/{id}")]
pub async fn delete_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::Admin])?;
    let id = crate::http::params::path_id(&id, "user")?;
    let now = state.clock.now();
    let precondition = if_match(&req);
    crate::db::run(&state.pool, move |conn| {
        writes::delete(conn, &user, id, precondition.as_deref(), now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
