//! Magazine issues (大视野第85期 …) and the articles in each.

pub mod handlers;
pub mod queries;
pub mod types;
pub mod writes;
