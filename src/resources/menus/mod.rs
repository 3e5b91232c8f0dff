//! Navigation menus (header, sidebar, footer): nested items with resolved paths.

pub mod editing;
pub mod handlers;
pub mod queries;
pub mod types;
pub mod writes;
