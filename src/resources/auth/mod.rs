//! Signing in: login, refresh-token rotation, logout, the current user.

pub mod handlers;
pub mod queries;
pub mod types;
