//! What every handler gets: the pool, the clock, the response cache, token keys.

use std::sync::Arc;

use crate::auth::passwords::PasswordGate;
use crate::auth::throttle::LoginThrottle;
use crate::auth::tokens::Tokens;
use crate::clock::Clock;
use crate::db::Pool;
use crate::http::response_cache::ResponseCache;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub clock: Clock,
    /// None when response caching is off.
    pub cache: Option<Arc<ResponseCache>>,
    pub auth: Arc<Auth>,
    /// How long a request body may take to arrive (see `http::body::deadline`).
    pub body_timeout: std::time::Duration,
    /// Whose `X-Forwarded-For` names the client (see `http::client_address`).
    pub trusted_proxies: crate::http::client_address::TrustedProxies,
    /// Uploaded pictures: the media store and its rules.
    pub media: Arc<crate::resources::media::files::MediaFiles>,
}

/// Token signing, login throttling and the bound on password checks, shared by all workers.
#[derive(Debug)]
pub struct Auth {
    pub tokens: Tokens,
    pub throttle: LoginThrottle,
    pub passwords: PasswordGate,
}
