//! Search: the index every article write keeps (`index.rs`), related articles computed
//! from it (`related.rs`), the ranked query and suggestions (`queries.rs`), the routes
//! (`handlers.rs`) and their JSON (`types.rs`). How text becomes terms is `crate::terms`.

pub mod handlers;
pub mod index;
pub mod queries;
pub mod related;
pub mod types;
