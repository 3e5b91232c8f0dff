//! What every handler gets: the pool, the clock, the response cache.

use std::sync::Arc;

use crate::clock::Clock;
use crate::db::Pool;
use crate::http::response_cache::ResponseCache;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub clock: Clock,
    /// None when response caching is off.
    pub cache: Option<Arc<ResponseCache>>,
}
