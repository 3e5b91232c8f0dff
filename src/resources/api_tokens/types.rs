use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Role;

/// A new integration token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "import pipeline", "role": "editor"}))]
pub struct NewApiToken {
    /// What uses it, for the list and the audit trail.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]+$"
    )]
    pub name: String,
    pub role: Role,
}

/// An integration token as listed: never its secret.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "name": "import pipeline", "role": "editor", "created_at": "2026-11-28T08:00:00Z",
    "last_used_at": null, "revoked_at": null
}))]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    /// Last request made with it (to the minute).
    #[schema(required = true)]
    pub last_used_at: Option<DateTime<Utc>>,
    #[schema(required = true)]
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A token just made: `token` is shown this once and stored only as a hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiToken {
    #[serde(flatten)]
    pub info: ApiToken,
    /// Send as `Authorization: Bearer <token>`. Not retrievable later.
    pub token: String,
}

/// All integration tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenList {
    pub data: Vec<ApiToken>,
}
