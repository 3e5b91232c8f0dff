//! Tags: flat labels shared by articles.

pub mod editing;
pub mod handlers;
pub mod queries;
pub mod types;
pub mod writes;
