use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::{de, Deserialize, Deserializer, Serialize};
use serde_json::Value;
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::auth::Role;
use crate::input::kinds::{Line, PLACEHOLDER_NAME};

/// A new integration token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "稿件导入", "role": "editor"}))]
pub struct NewApiToken {
    /// What uses it, for the list and the audit trail.
    #[schema(inline)]
    pub name: TokenName,
    pub role: Role,
}

/// A token's name: a [`Line`] of at most 100 characters counted as sent, blanks around it
/// included (as the schema's `maxLength` counts them); stored trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenName(pub String);

const TOKEN_NAME_MAX_CHARS: usize = 100;

impl<'de> Deserialize<'de> for TokenName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        if let Value::String(raw) = &value {
            let chars = raw.chars().count();
            if chars > TOKEN_NAME_MAX_CHARS {
                return Err(de::Error::custom(format!(
                    "must be at most {TOKEN_NAME_MAX_CHARS} characters (it has {chars})"
                )));
            }
        }
        Line::<TOKEN_NAME_MAX_CHARS>::deserialize(value)
            .map(|line| Self(line.0))
            .map_err(de::Error::custom)
    }
}

impl PartialSchema for TokenName {
    fn schema() -> RefOr<Schema> {
        Line::<TOKEN_NAME_MAX_CHARS>::schema()
    }
}

impl ToSchema for TokenName {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(PLACEHOLDER_NAME)
    }
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
