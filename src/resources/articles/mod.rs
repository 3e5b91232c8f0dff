//! Articles: lists with filters and pagination; one article with prev/next/related.

pub mod editing;
pub mod handlers;
pub mod queries;
pub mod status;
pub mod types;
pub mod writes;
