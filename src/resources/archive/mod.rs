//! Published article counts by year and month, for archive sidebars.

pub mod handlers;
pub mod queries;
pub mod types;
