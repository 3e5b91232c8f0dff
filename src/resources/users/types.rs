use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Role;
use crate::input::kinds::{EmailAddress, Line, Password};
use crate::input::Optional;

/// A user as others see them (never the password hash).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "email": "editor@example.com", "name": "林编辑", "role": "editor", "active": true,
    "created_at": "2026-11-28T08:00:00Z"
}))]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Inactive users cannot sign in; their sessions end.
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

/// A new user account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "email": "zhang.wei@example.com", "name": "张伟", "role": "author", "password": "护苗有我 a long passphrase"
}))]
pub struct NewUser {
    /// Unique among users.
    #[schema(inline)]
    pub email: EmailAddress,
    #[schema(inline)]
    pub name: Line<100>,
    pub role: Role,
    /// Stored as an Argon2id hash only.
    #[schema(inline)]
    pub password: Password,
    /// `false` makes an account that cannot sign in yet; `true` when left out.
    #[serde(default)]
    #[schema(inline)]
    pub active: Optional<bool>,
}

/// Changes to a user: the fields to change, the others left out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "张伟(特约)", "role": "editor"}))]
pub struct UserChanges {
    /// Unique among users.
    #[serde(default)]
    #[schema(inline)]
    pub email: Optional<EmailAddress>,
    #[serde(default)]
    #[schema(inline)]
    pub name: Optional<Line<100>>,
    /// The last active admin keeps `admin`.
    #[serde(default)]
    #[schema(inline)]
    pub role: Optional<Role>,
    /// A new password ends the user's sessions.
    #[serde(default)]
    #[schema(inline)]
    pub password: Optional<Password>,
    /// `false` stops sign-ins and ends the user's sessions; the last active admin stays
    /// active.
    #[serde(default)]
    #[schema(inline)]
    pub active: Optional<bool>,
}
