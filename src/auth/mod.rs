//! Who is calling and what they may do: roles, passwords, tokens, the request extractors,
//! login throttling, email addresses.

pub mod actor;
pub mod email;
pub mod extract;
pub mod login;
pub mod passwords;
pub mod throttle;
pub mod tokens;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including users and site settings.
    Admin,
    /// All content, including publishing.
    Editor,
    /// Their own drafts: create, edit, submit for review.
    Author,
}

impl Role {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "admin" => Some(Self::Admin),
            "editor" => Some(Self::Editor),
            "author" => Some(Self::Author),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Editor => "editor",
            Self::Author => "author",
        }
    }

    fn rank(self) -> u8 {
        match self {
            Self::Admin => 3,
            Self::Editor => 2,
            Self::Author => 1,
        }
    }

    /// The lesser of the two roles: what an integration token may do when its creator's
    /// role is `ceiling`.
    pub fn at_most(self, ceiling: Self) -> Self {
        if self.rank() <= ceiling.rank() {
            self
        } else {
            ceiling
        }
    }

    /// Publish, schedule, archive, and edit or delete anyone's content.
    pub fn edits_all_content(self) -> bool {
        matches!(self, Self::Admin | Self::Editor)
    }
}

/// A secret that never prints.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// A random token for refresh tokens and the like: 32 bytes, URL-safe.
pub fn random_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens are stored only as this hash.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
