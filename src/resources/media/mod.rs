//! Media records: images shown as covers and inline figures. No public route of their
//! own; other resources embed them.

pub mod queries;
pub mod types;
