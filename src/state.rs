//! What every handler gets: the pool and the clock.

use crate::clock::Clock;
use crate::db::Pool;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub clock: Clock,
}
