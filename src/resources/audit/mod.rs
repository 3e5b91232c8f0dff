//! The audit trail: who changed what, when.

pub mod handlers;
pub mod queries;
pub mod types;
