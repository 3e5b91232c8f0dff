//! One structured log line per request, and a request id returned in `x-request-id`.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::Error;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Keeps a caller's request id when it is short and printable, so ids can be followed
/// across a proxy; otherwise makes one.
fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| {
            !id.is_empty()
                && id.len() <= 128
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        })
        .map(str::to_owned)
        // A version 4 UUID from the thread's generator: no system call per request.
        .unwrap_or_else(|| {
            uuid::Builder::from_random_bytes(rand::random())
                .into_uuid()
                .simple()
                .to_string()
        })
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let id = request_id(&req);
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let mut response = next.call(req).await?;
    let status = response.status().as_u16();
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    // The cause of a 5xx is only ever in the log, under the request id.
    if let Some(error) = response.response().error().filter(|_| status >= 500) {
        tracing::error!(request_id = %id, error = %error, "request failed");
    }
    tracing::info!(
        target: "masthead::access",
        request_id = %id,
        method = %method,
        path = %path,
        status,
        duration_ms = (duration_ms * 1000.0).round() / 1000.0,
        "request"
    );
    Ok(response)
}
