use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, FieldError};
use crate::http::input::single_line;
use crate::input::kinds::{EMAIL_MAX_CHARS, PASSWORD_MAX_CHARS};
use crate::resources::users::types::User;

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "editor@example.com", "password": "a long passphrase"}))]
pub struct LoginRequest {
    /// Compared trimmed and lowercased.
    #[schema(max_length = 254, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]+$")]
    pub email: String,
    #[schema(max_length = 1000, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]+$")]
    pub password: String,
}

impl LoginRequest {
    /// Control characters are never part of an email or a password (passwords are set
    /// through the same one-line rule), nor is either longer than a user can have
    /// (as `input::kinds::EmailAddress` and `Password` set them): 422 naming the field,
    /// before any lookup or throttle entry.
    pub fn check(&self) -> Result<(), ApiError> {
        // Blanks around an email are padding that normalising removes, not part of it.
        let fields = [
            ("email", self.email.trim(), EMAIL_MAX_CHARS),
            ("password", self.password.as_str(), PASSWORD_MAX_CHARS),
        ];
        let errors: Vec<FieldError> = fields
            .into_iter()
            .filter_map(|(field, value, max_chars)| {
                let message = if value.chars().count() > max_chars {
                    Some(format!("must be at most {max_chars} characters"))
                } else {
                    single_line(value).err()
                };
                message.map(|message| FieldError::new(field, message))
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(errors))
        }
    }
}

/// A refresh token to rotate.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh. It works once: the answer
    /// carries its successor, and presenting a used one ends the whole session.
    pub refresh_token: String,
}

/// A fresh access token and refresh token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0.…", "token_type": "Bearer",
    "expires_in": 900, "expires_at": "2026-11-28T08:15:00Z",
    "refresh_token": "q1Yx…", "refresh_expires_at": "2026-12-28T08:00:00Z",
    "user": {"id": 1, "email": "editor@example.com", "name": "林编辑", "role": "editor", "active": true, "created_at": "2026-11-28T08:00:00Z"}
}))]
pub struct TokenPair {
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(value_type = TokenType)]
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub expires_at: DateTime<Utc>,
    /// Single use: exchange it at `POST /api/v1/auth/refresh`.
    pub refresh_token: String,
    pub refresh_expires_at: DateTime<Utc>,
    pub user: User,
}

/// The kind of token in `access_token`: always `Bearer`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum TokenType {
    Bearer,
}
