//! Users: the editors, with their roles.

pub mod queries;
pub mod types;
