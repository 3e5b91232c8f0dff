//! Request extractors: [`AuthUser`] requires a valid token; [`MaybeAuthUser`] allows none
//! but still refuses an invalid one (a forged token is never taken for "anonymous").

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use diesel::prelude::*;

use super::Role;
use crate::db::schema::{sessions, users};
use crate::error::ApiError;
use crate::state::AppState;

/// The signed-in user behind a request.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// The effective role: for an integration token, the lesser of its own role and its
    /// creator's role now.
    pub role: Role,
    pub session_id: String,
    /// The integration token acting, if it is one (then `id` is its creator's).
    pub via_token: Option<i64>,
}

impl AuthUser {
    /// Refuses unless the user's role is one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "the {} role may not do this",
                self.role.as_str()
            )))
        }
    }

    /// Whether an article by `author_id` is this caller's own, for the author role's rule
    /// "own drafts only". Only a user owns: an integration token acts for its creator but
    /// owns nothing of theirs, and which articles a token made is not recorded, so an
    /// author-role token can hand in drafts but neither reads nor changes them afterwards.
    pub fn owns(&self, author_id: Option<i64>) -> bool {
        self.via_token.is_none() && author_id == Some(self.id)
    }

    /// Whose unpublished articles a list by `status` may show: everyone's (`None`) to
    /// editors and admins, their own to authors; an author-role integration token owns
    /// none, so it may not list them (403).
    pub fn unpublished_author_filter(&self) -> Result<Option<i64>, ApiError> {
        if self.role.edits_all_content() {
            Ok(None)
        } else if self.via_token.is_none() {
            Ok(Some(self.id))
        } else {
            Err(ApiError::Forbidden(
                "an integration token with the author role owns no articles to list by status"
                    .into(),
            ))
        }
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
    Ok(AuthUser {
        id: created_by,
        email: format!("token:{name}"),
        name,
        role,
        session_id: format!("api-token:{id}"),
        via_token: Some(id),
    })
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
    Ok(AuthUser {
        id: user_id,
        email,
        name,
        role,
        session_id,
        via_token: None,
    })
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
