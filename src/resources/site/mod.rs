//! Site metadata: name, contacts, credits.

pub mod handlers;
pub mod queries;
pub mod types;
pub mod writes;
