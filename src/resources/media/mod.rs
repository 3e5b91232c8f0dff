//! Media records: images shown as covers and inline figures, embedded by other resources
//! and readable on their own.

pub mod delivery;
pub mod file_cache;
pub mod files;
pub mod handlers;
pub mod html;
pub mod queries;
pub mod types;
pub mod upload;
pub mod writes;
