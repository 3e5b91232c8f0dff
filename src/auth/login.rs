//! Checking a login's credentials, cheapest refusal first: the throttle counts the attempt
//! before any password work, and the Argon2 work runs on the blocking pool without
//! holding a database connection.

use super::email::Email;
use super::passwords;
use crate::error::ApiError;
use crate::resources::users::queries::{self as users, UserRow};
use crate::state::AppState;

const WRONG_CREDENTIALS: &str = "the email or the password is wrong";

/// The active user with this email and password; 401 when there is none, 429 when the
/// account or the address has had too many attempts.
pub async fn check_credentials(
    state: &AppState,
    email: &Email,
    password: String,
    address: &str,
) -> Result<UserRow, ApiError> {
    let attempt = state
        .auth
        .throttle
        .reserve(email, address)
        .map_err(ApiError::TooManyRequests)?;
    match verify(state, email, password).await {
        Ok(Some(user)) => {
            state.auth.throttle.succeeded(attempt);
            Ok(user)
        }
        // The attempt stays counted.
        Ok(None) => Err(ApiError::Unauthorized(WRONG_CREDENTIALS.into())),
        Err(error) => {
            state.auth.throttle.refund(attempt);
            Err(error)
        }
    }
}

async fn verify(
    state: &AppState,
    email: &Email,
    password: String,
) -> Result<Option<UserRow>, ApiError> {
    let lookup = email.clone();
    let user = crate::db::run(&state.pool, move |conn| Ok(users::by_email(conn, &lookup)?)).await?;
    // Verify even without a user, so an unknown email takes as long as a wrong password.
    let stored = user.as_ref().map_or_else(
        || passwords::dummy_hash().to_owned(),
        |u| u.password_hash.clone(),
    );
    let matches = actix_web::web::block(move || passwords::verify(&password, &stored))
        .await
        .map_err(|error| ApiError::Internal(format!("password check failed: {error}")))?;
    Ok(user.filter(|user| matches && user.active))
}
