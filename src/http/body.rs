//! Request bodies: the deadline they must arrive by. Response bodies: buffering, for the
//! middlewares that hash or keep them.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{self, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::rt::time::{sleep, Instant, Sleep};
use actix_web::web::{self, Bytes};
use actix_web::{Error, HttpMessage};

use crate::state::AppState;

/// actix-web bounds the time a request head may take (`client_request_timeout`), not the
/// body: a client that announces `Content-Length: 100` and sends one byte a second, or
/// nothing, held a worker's connection for ever. Every request body must now arrive
/// within `AppState::body_timeout` of its head, plus one second for every
/// [`MIN_BODY_RATE`] bytes that did arrive (a 20 MiB picture from a phone on a slow line
/// takes minutes; a trickle earns almost nothing); then reading it fails with a timed-out
/// error that the body extractors answer with 408 (see `framework_errors::json_error`).
pub async fn deadline(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let timeout = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.body_timeout);
    let announced = req.headers().contains_key(header::TRANSFER_ENCODING)
        || req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0");
    if let (Some(timeout), true) = (timeout, announced) {
        let payload = req.take_payload();
        req.set_payload(Payload::Stream {
            payload: Box::pin(Deadline::new(payload, timeout)),
        });
    }
    next.call(req).await
}

/// The slowest a body may keep arriving once `body_timeout` has passed: 16 KiB/s
/// (128 kbit/s), below any mobile line a newsroom sends pictures from. A client keeps a
/// connection at most `body_timeout` + the largest body / this rate.
pub const MIN_BODY_RATE: u64 = 16 * 1024;

/// Whether a body read failed because its deadline passed.
pub fn is_deadline(error: &PayloadError) -> bool {
    matches!(error, PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut)
}

/// A payload that fails once its deadline has passed.
struct Deadline {
    inner: Payload,
    timer: Pin<Box<Sleep>>,
    started: Instant,
    timeout: Duration,
    received: u64,
    expired: bool,
}

impl Deadline {
    fn new(inner: Payload, timeout: Duration) -> Self {
        Self {
            inner,
            timer: Box::pin(sleep(timeout)),
            started: Instant::now(),
            timeout,
            received: 0,
            expired: false,
        }
    }

    /// Moves the deadline by the time the bytes received so far earned.
    fn earned(&mut self, bytes: usize) {
        self.received += bytes as u64;
        let earned = Duration::from_secs_f64(self.received as f64 / MIN_BODY_RATE as f64);
        let deadline = self.started + self.timeout + earned;
        self.timer.as_mut().reset(deadline);
    }
}

impl futures_core::Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.expired {
            return Poll::Ready(None);
        }
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            if let Some(Ok(chunk)) = &item {
                self.earned(chunk.len());
            }
            return Poll::Ready(item);
        }
        if self.timer.as_mut().poll(cx).is_ready() {
            self.expired = true;
            let message = format!(
                "request body not received in time: {} bytes in {:?}",
                self.received,
                self.started.elapsed()
            );
            return Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                message,
            )))));
        }
        Poll::Pending
    }
}

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
