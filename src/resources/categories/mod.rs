//! Categories: a tree (新闻动态 → 行业新闻, 公司动态).

pub mod editing;
pub mod handlers;
pub mod queries;
pub mod types;
pub mod writes;
