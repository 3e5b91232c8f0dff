//! Request extractors: [`AuthUser`] requires a valid token; [`MaybeAuthUser`] allows none
//! but still refuses an invalid one (a forged token is never taken for "anonymous").

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use diesel::prelude::*;

use super::actor::Actor;
use super::Role;
use crate::db::schema::{sessions, users};
use crate::error::ApiError;
use crate::state::AppState;

/// The signed-in user behind a request: the extractor that authenticates it and yields the
/// [`Actor`] the rules and the store take (it dereferences to it).
#[derive(Debug, Clone)]
pub struct AuthUser(pub Actor);

impl std::ops::Deref for AuthUser {
    type Target = Actor;

    fn deref(&self) -> &Actor {
        &self.0
    }
}

/// An optional signed-in user.
#[derive(Debug, Clone)]
pub struct MaybeAuthUser(pub Option<AuthUser>);

const BAD_TOKEN: &str = "the access token is invalid, expired or revoked";

fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is not text".into()))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim().to_owned()))
        }
        _ => Err(ApiError::Unauthorized(
            "use `Authorization: Bearer <token>`".into(),
        )),
    }
}

/// An integration token: acts on behalf of the user who made it, with its own role capped
/// by that user's role now (a demoted creator's token is demoted too); with its creator
/// deactivated or deleted it acts for no one.
async fn authenticate_api_token(
    state: web::Data<AppState>,
    token: String,
) -> Result<AuthUser, ApiError> {
    let now = state.clock.now();
    let found = crate::db::run(&state.pool, move |conn| {
        Ok(crate::resources::api_tokens::queries::authenticate(
            conn, &token, now,
        )?)
    })
    .await?;
    let (id, name, role, created_by, creator_role) =
        found.ok_or_else(|| ApiError::Unauthorized(BAD_TOKEN.into()))?;
    // Unknown roles get the least power.
    let role = Role::parse(&role)
        .unwrap_or(Role::Author)
        .at_most(Role::parse(&creator_role).unwrap_or(Role::Author));
    Ok(AuthUser(Actor {
        id: created_by,
        email: format!("token:{name}"),
        name,
        role,
        session_id: format!("api-token:{id}"),
        via_token: Some(id),
    }))
}

async fn authenticate(state: web::Data<AppState>, token: String) -> Result<AuthUser, ApiError> {
    if token.starts_with(crate::resources::api_tokens::queries::PREFIX) {
        return authenticate_api_token(state, token).await;
    }
    let claims = state.auth.tokens.verify_access(&token).map_err(|error| {
        tracing::info!(reason = %error, "access token refused");
        ApiError::Unauthorized(BAD_TOKEN.into())
    })?;
    let user_id: i64 = claims
        .sub
        .parse()
        .map_err(|_| ApiError::Unauthorized(BAD_TOKEN.into()))?;
    let session_id = claims.sid;
    let lookup_session = session_id.clone();
    // The role and the session come from the database, so a revoked session, a
    // deactivated user or a changed role take effect on the next request.
    let row: Option<(String, String, String)> = crate::db::run(&state.pool, move |conn| {
        Ok(sessions::table
            .inner_join(users::table)
            .filter(sessions::id.eq(lookup_session))
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null())
            .filter(users::active.eq(true))
            .select((users::email, users::name, users::role))
            .first(conn)
            .optional()?)
    })
    .await?;
    let (email, name, role) = row.ok_or_else(|| ApiError::Unauthorized(BAD_TOKEN.into()))?;
    let role = Role::parse(&role)
        .ok_or_else(|| ApiError::Internal(format!("user {user_id} has an unknown role")))?;
    Ok(AuthUser(Actor {
        id: user_id,
        email,
        name,
        role,
        session_id,
        via_token: None,
    }))
}

type Pending<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

fn state_of(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal("app state missing".into()))
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pending<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer(req);
        let state = state_of(req);
        Box::pin(async move {
            let token = token?.ok_or_else(|| {
                ApiError::Unauthorized("sign in: this needs a bearer token".into())
            })?;
            authenticate(state?, token).await
        })
    }
}

impl FromRequest for MaybeAuthUser {
    type Error = ApiError;
    type Future = Pending<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer(req);
        let state = state_of(req);
        Box::pin(async move {
            match token? {
                None => Ok(Self(None)),
                Some(token) => Ok(Self(Some(authenticate(state?, token).await?))),
            }
        })
    }
}
