//! Media records: images shown as covers and inline figures, embedded by other resources
//! and readable on their own.

pub mod handlers;
pub mod queries;
pub mod types;
pub mod writes;
