//! Cross-cutting HTTP pieces: request logging, caching, error wrapping, parameters,
//! pagination.

pub mod body;
pub mod caching;
pub mod client_address;
pub mod framework_errors;
pub mod head;
pub mod html;
pub mod input;
pub mod location;
pub mod pagination;
pub mod params;
pub mod preconditions;
pub mod request_log;
pub mod response_cache;
pub mod responses;
pub mod valid;
