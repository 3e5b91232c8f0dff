//! Buffering a response body, for the middlewares that hash or keep it.

use actix_web::body::{self, MessageBody};
use actix_web::web::Bytes;
use actix_web::Error;

/// The largest body the middlewares buffer: far above anything this API makes.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// The whole body. A body over [`MAX_BODY`] is a bug, reported as a 500 rather than
/// truncated.
pub async fn collect<B: MessageBody>(body: B) -> Result<Bytes, Error> {
    match body::to_bytes_limited(body, MAX_BODY).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(error)) => {
            let error: Box<dyn std::error::Error> = error.into();
            Err(actix_web::error::ErrorInternalServerError(
                error.to_string(),
            ))
        }
        Err(_) => Err(actix_web::error::ErrorInternalServerError(format!(
            "response body larger than {MAX_BODY} bytes"
        ))),
    }
}
