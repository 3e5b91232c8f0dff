//! Users: the editors, with their roles.

pub mod handlers;
pub mod queries;
pub mod types;
pub mod writes;
