use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::pagination::PageMeta;

/// One recorded change.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 12, "at": "2026-11-28T08:00:00Z", "actor_id": 1, "actor": "editor@example.com",
    "action": "update", "resource": "article", "resource_id": 1, "summary": "title, body_html"
}))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The user who acted; null for the system.
    #[schema(required = true)]
    pub actor_id: Option<i64>,
    /// The actor's email at the time.
    pub actor: String,
    /// `create`, `update`, `delete`, `login`, `logout` …
    pub action: String,
    pub resource: String,
    #[schema(required = true)]
    pub resource_id: Option<i64>,
    /// What changed, in words (e.g. the fields written).
    pub summary: String,
}

/// A page of the audit trail, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditList {
    pub data: Vec<AuditEntry>,
    pub meta: PageMeta,
}

/// Pagination for `GET /audit`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListAuditQuery {
    /// Page number, from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Entries per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}
