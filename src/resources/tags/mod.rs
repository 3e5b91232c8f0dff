//! Tags: flat labels shared by articles.

pub mod handlers;
pub mod queries;
pub mod types;
