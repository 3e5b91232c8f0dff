use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Role;

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
