//! Integration tokens: named, revocable, long-lived credentials for machine clients.

pub mod handlers;
pub mod queries;
pub mod types;
