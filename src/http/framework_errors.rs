//! actix-web's own errors (bad query strings, bad paths, unknown routes, wrong methods)
//! re-wrapped into the same problem+json body as everything else.

use actix_web::error::{PathError, QueryPayloadError};
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};

use crate::error::ApiError;

/// serde names the field in backticks: "unknown field `foo`, expected …".
fn quoted_name(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
}

pub fn query_error(error: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let message = error.to_string();
    let api_error = if message.contains("unknown field") {
        match quoted_name(&message) {
            Some(name) => ApiError::invalid(name, "is not a parameter of this endpoint"),
            None => ApiError::BadRequest(message),
        }
    } else if message.contains("duplicate field") {
        match quoted_name(&message) {
            Some(name) => ApiError::invalid(name, "must be given at most once"),
            None => ApiError::BadRequest(message),
        }
    } else {
        ApiError::BadRequest(format!("malformed query string: {message}"))
    };
    api_error.into()
}

pub fn path_error(error: PathError, req: &HttpRequest) -> actix_web::Error {
    ApiError::NoRoute(format!("{} ({error})", req.path())).into()
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(query_error)
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(path_error)
}

/// Unknown routes are 404; the public API only reads, so other methods are 405. (HEAD
/// arrives here as GET: see `http::head`.)
pub async fn default_service(req: HttpRequest) -> HttpResponse {
    let error = if req.method() == Method::GET {
        ApiError::NoRoute(req.path().to_owned())
    } else {
        ApiError::MethodNotAllowed
    };
    let mut response = error.error_response();
    if matches!(error, ApiError::MethodNotAllowed) {
        response.headers_mut().insert(
            actix_web::http::header::ALLOW,
            actix_web::http::header::HeaderValue::from_static("GET, HEAD, OPTIONS"),
        );
    }
    response
}
