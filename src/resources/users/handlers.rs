use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::queries;
use super::types::{NewUser, User, UserChanges};
use super::writes::{self, Hashed, Users};
use crate::auth::extract::AuthUser;
use crate::auth::Role;
use crate::error::ApiError;
use crate::http::params::{IdOrSlug, NoParams};
use crate::http::responses;
use crate::http::valid::Valid;
use crate::resources::editing::{self, Action, Editable};
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
    let data = crate::db::run(&state.pool, |conn| Ok(queries::list(conn)?)).await?;
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
/// Admins only. The password is stored as an Argon2id hash, made through the same bounded
/// queue as sign-ins (429 with `Retry-After` when it is full). The email must not belong
/// to another user (422).
#[utoipa::path(
    tag = "users",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = NewUser,
    responses(
        (status = 201, description = "Created", body = User,
            headers(("Location" = String, description = "The new resource's URL"), ("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Write,
        responses::TooManyRequests,
    )
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Valid<NewUser>,
) -> Result<HttpResponse, ApiError> {
    // The role rule first: only an admin may make the server hash a password.
    Users::authorize(&user.0, Action::Create)?;
    let input = body.into_inner();
    let password_hash = writes::hash(&state, &input.password).await?;
    let new = Hashed {
        input,
        password_hash,
    };
    editing::create::<Users>(&state, user.0, new).await
}

/// Change a user.
///
/// Admins only: name, email (not another user's: 422), role, password (ends the user's
/// sessions; hashed as on create, 429 when busy), `active` (false ends them too). The
/// last active admin stays an active admin (409). Honours `If-Match`.
#[utoipa::path(
    tag = "users",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = UserChanges,
    params(
        ("id" = i64, Path, description = "The user's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 200, description = "Changed", body = User,
            headers(("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Update,
        responses::TooManyRequests,
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
    body: Valid<UserChanges>,
) -> Result<HttpResponse, ApiError> {
    // The role rule first: only an admin may make the server hash a password.
    Users::authorize(&user.0, Action::Update)?;
    let input = body.into_inner();
    let password_hash = match input.password.as_ref() {
        Some(password) => Some(writes::hash(&state, password).await?),
        None => None,
    };
    let changes = Hashed {
        input,
        password_hash,
    };
    editing::update::<Users>(&state, &req, user.0, IdOrSlug::parse(&id), changes).await
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
    editing::delete::<Users>(&state, &req, user.0, IdOrSlug::parse(&id)).await
}
