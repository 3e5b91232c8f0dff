//! Checking a login's credentials, cheapest refusal first: the throttle counts the attempt
//! before any password work, the password gate refuses when too many checks are queued,
//! and the Argon2 work runs on the blocking pool, bounded, without holding a database
//! connection.

use super::email::Email;
use crate::error::ApiError;
use crate::resources::users::queries::{self as users, UserRow};
use crate::state::AppState;

const WRONG_CREDENTIALS: &str = "the email or the password is wrong";
/// What a client is told to wait when the server is busy checking other passwords.
const BUSY_RETRY_SECONDS: u64 = 1;

/// The active user with this email and password; 401 when there is none, 429 when the
/// account or the address has had too many attempts or too many passwords are being
/// checked already (the attempt is then not counted).
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
    // Refused at once when too many checks are queued: before the database, before Argon2.
    let admitted = state
        .auth
        .passwords
        .admit()
        .ok_or(ApiError::TooManyRequests(BUSY_RETRY_SECONDS))?;
    let lookup = email.clone();
    let user = crate::db::run(&state.pool, move |conn| Ok(users::by_email(conn, &lookup)?)).await?;
    // Verify even without a user, so an unknown email takes as long as a wrong password.
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let matches = state
        .auth
        .passwords
        .verify(admitted, password, stored)
        .await
        .map_err(ApiError::Internal)?;
    Ok(user.filter(|user| matches && user.active))
}
