//! Static pages: 关于我们, 联系我们, 企业文化 …

pub mod editing;
pub mod handlers;
pub mod queries;
pub mod types;
pub mod writes;
