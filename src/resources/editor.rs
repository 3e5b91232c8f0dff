//! What every editors' write answers with: the resource as JSON with its version as a
//! strong ETag (for `If-Match`), never stored by shared caches.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use serde::Serialize;

use crate::http::preconditions::etag;

pub fn respond<T: Serialize>(status: StatusCode, version: i64, body: &T) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(version)))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .json(body)
}

/// 201 with `Location`.
pub fn created<T: Serialize>(location: &str, version: i64, body: &T) -> HttpResponse {
    let mut response = respond(StatusCode::CREATED, version, body);
    // Chinese slugs: a header value must be ASCII, so the path goes percent-encoded.
    if let Ok(value) = header::HeaderValue::from_str(&crate::http::location::encode_path(location))
    {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}
