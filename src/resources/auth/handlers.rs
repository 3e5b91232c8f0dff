use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Utc;

use super::queries::{self, Refresh};
use super::types::{LoginRequest, RefreshRequest, TokenPair};
use crate::auth::actor::Actor;
use crate::auth::email::Email;
use crate::auth::extract::AuthUser;
use crate::auth::login::check_credentials;
use crate::error::ApiError;
use crate::http::params::NoParams;
use crate::http::responses;
use crate::http::valid::Valid;
use crate::resources::audit;
use crate::resources::users::queries::{self as users, UserRow};
use crate::resources::users::types::User;
use crate::state::AppState;

/// Access and refresh tokens for a session.
fn token_pair(
    state: &AppState,
    user: &UserRow,
    session_id: &str,
    refresh_token: String,
) -> Result<TokenPair, ApiError> {
    let (access_token, expires_at) = state
        .auth
        .tokens
        .issue_access(user.id, user.role(), session_id)
        .map_err(ApiError::Internal)?;
    Ok(TokenPair {
        access_token,
        token_type: "Bearer".into(),
        expires_in: state.auth.tokens.config().access_ttl.num_seconds(),
        expires_at,
        refresh_token,
        refresh_expires_at: Utc::now() + state.auth.tokens.config().refresh_ttl,
        user: user.view(),
    })
}

/// Sign in.
///
/// Returns a short-lived access token (15 minutes by default) and a single-use refresh
/// token. Attempts are limited per account and per client address, and counted before
/// the password is checked; a server busy checking other passwords answers at once. Both
/// are 429 with `Retry-After`.
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenPair),
        responses::Credentials,
        responses::TooManyRequests,
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Valid<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.check()?;
    let LoginRequest { email, password } = body;
    let email = Email::normalize(&email);
    let address = state.trusted_proxies.client_of(&req);
    let user = check_credentials(&state, &email, password, &address).await?;
    let refresh_expires = Utc::now() + state.auth.tokens.config().refresh_ttl;
    let session_user = user.clone();
    let (session_id, refresh_token) = crate::db::run(&state.pool, move |conn| {
        Ok(crate::db::write(conn, |conn| {
            let session = queries::start_session(conn, session_user.id)?;
            let token = queries::new_refresh_token(conn, &session, refresh_expires.naive_utc())?;
            let actor = Actor {
                id: session_user.id,
                email: session_user.email.clone(),
                name: session_user.name.clone(),
                role: session_user.role(),
                session_id: session.clone(),
                via_token: None,
            };
            audit::queries::record(
                conn,
                &actor,
                "login",
                "session",
                None,
                "",
                Utc::now().naive_utc(),
            )?;
            diesel::QueryResult::Ok((session, token))
        })?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(token_pair(&state, &user, &session_id, refresh_token)?))
}

/// Rotate a refresh token.
///
/// Exchanges a refresh token for a new access token and a new refresh token. A refresh
/// token works once: presenting it again ends its whole session.
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = TokenPair),
        responses::Credentials,
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: Valid<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let presented = body.into_inner().refresh_token;
    let refresh_expires = Utc::now() + state.auth.tokens.config().refresh_ttl;
    let outcome = crate::db::run(&state.pool, move |conn| {
        Ok(crate::db::write(
            conn,
            |conn| match queries::spend_refresh_token(conn, &presented)? {
                Refresh::Rotated { user, session_id } => {
                    let token =
                        queries::new_refresh_token(conn, &session_id, refresh_expires.naive_utc())?;
                    diesel::QueryResult::Ok(Ok((user, session_id, token)))
                }
                other => Ok(Err(other)),
            },
        )?)
    })
    .await?;
    match outcome {
        Ok((user, session_id, token)) => {
            Ok(HttpResponse::Ok().json(token_pair(&state, &user, &session_id, token)?))
        }
        Err(Refresh::Reused) => Err(ApiError::Unauthorized(
            "this refresh token was already used: its session has been ended; sign in again".into(),
        )),
        Err(Refresh::Expired) => Err(ApiError::Unauthorized(
            "the refresh token has expired; sign in again".into(),
        )),
        Err(_) => Err(ApiError::Unauthorized("unknown refresh token".into())),
    }
}

/// Sign out.
///
/// Ends the session of the access token: its refresh token and every access token of the
/// session stop working at once.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 204, description = "Signed out"),
        responses::SignedIn,
    )
)]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    crate::db::run(&state.pool, move |conn| {
        Ok(crate::db::write(conn, |conn| {
            queries::end_session(conn, &user.session_id)?;
            audit::queries::record(
                conn,
                &user,
                "logout",
                "session",
                None,
                "",
                Utc::now().naive_utc(),
            )
        })?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user.
///
/// Who the token acts for: an integration token acts on behalf of the admin who made it.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "The user behind the token", body = User),
        responses::SignedIn,
    )
)]
#[get("/auth/me")]
pub async fn get_me(
    state: web::Data<AppState>,
    user: AuthUser,
    _query: web::Query<NoParams>,
) -> Result<HttpResponse, ApiError> {
    let id = user.id;
    let found = crate::db::find_one(&state.pool, "user", id.to_string(), move |conn, _| {
        Ok(users::by_id(conn, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(found.view()))
}
