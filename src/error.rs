//! The API's one error type, mapped to an HTTP status and an RFC 9457 problem body here
//! and nowhere else.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A query or path parameter is malformed or out of range.
    #[error("invalid parameter `{parameter}`: {message}")]
    InvalidParameter { parameter: String, message: String },
    /// Several query parameters are, each named ([`crate::http::params::Checks`]).
    #[error("invalid parameters")]
    InvalidParameters(Vec<FieldError>),
    /// The request body or query string cannot be parsed at all.
    #[error("{0}")]
    BadRequest(String),
    /// The resource does not exist or is not published.
    #[error("{resource} `{key}` not found")]
    NotFound { resource: &'static str, key: String },
    /// No route matches the path.
    #[error("no route for {0}")]
    NoRoute(String),
    /// The route exists but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A write would break a uniqueness rule.
    #[error("{0}")]
    Conflict(String),
    /// No credentials, or credentials that are not valid.
    #[error("{0}")]
    Unauthorized(String),
    /// Valid credentials without the right to do this.
    #[error("{0}")]
    Forbidden(String),
    /// The body fails validation; every offending field is named.
    #[error("{} invalid field(s)", .0.len())]
    Invalid(Vec<FieldError>),
    /// `If-Match` names a version that is no longer current.
    #[error("{0}")]
    PreconditionFailed(String),
    /// Too many attempts; try again after this many seconds.
    #[error("too many requests: retry after {0} s")]
    TooManyRequests(u64),
    /// The request body did not arrive within the body deadline.
    #[error("the request body did not arrive within {0:?}")]
    RequestTimeout(std::time::Duration),
    /// A refusal made by the framework or a middleware (a bad `..` path, a refused CORS
    /// preflight …) that had no problem body of its own; the detail is its own words.
    #[error("{1}")]
    Refused(StatusCode, String),
    /// The request body is over the size limit.
    #[error("request body too large: at most {0} bytes")]
    PayloadTooLarge(usize),
    /// The database cannot be reached right now.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A bug or an unexpected failure; the detail is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

/// An RFC 9457 problem details body (`application/problem+json`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/invalid-parameter",
    "title": "Invalid parameter",
    "status": 400,
    "detail": "invalid parameter `per_page`: must be an integer from 1 to 100",
    "code": "invalid_parameter",
    "errors": [{"field": "per_page", "message": "must be an integer from 1 to 100"}]
}))]
pub struct Problem {
    /// A URI reference naming the kind of problem: `/problems/` and the `code` with
    /// hyphens; stable, one per `code`.
    #[serde(rename = "type")]
    #[schema(
        pattern = "^/problems/[a-z]+(-[a-z]+)*$",
        example = "/problems/not-found"
    )]
    pub problem_type: String,
    /// A short summary of the kind of problem, the same for every problem of a `code`.
    pub title: String,
    /// The HTTP status code.
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    /// What went wrong with this request, in words.
    pub detail: String,
    /// A stable snake_case code for programs to switch on.
    pub code: ProblemCode,
    /// The offending fields or parameters when the problem is about input (400
    /// `invalid_parameter`, 422 `validation_failed`); null otherwise.
    #[schema(required = true)]
    pub errors: Option<Vec<FieldError>>,
}

/// The stable code of a problem: programs switch on it, never on `title` or `detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// 400: a query or path parameter is malformed, out of range, unknown or repeated.
    InvalidParameter,
    /// 400: the body or query string cannot be parsed at all.
    BadRequest,
    /// 404: no such resource, or not one the caller may see.
    NotFound,
    /// 404: no route has this path.
    NoRoute,
    /// 405: the path exists, not with this method (`Allow` lists the methods).
    MethodNotAllowed,
    /// 409: the write would break a uniqueness rule or a reference.
    Conflict,
    /// 401: no credentials, or credentials that are not valid.
    Unauthorized,
    /// 403: valid credentials without the right to do this.
    Forbidden,
    /// 422: the body fails validation; `errors` names every field.
    ValidationFailed,
    /// 412: `If-Match` names a version that is no longer current.
    PreconditionFailed,
    /// 429: too many attempts (`Retry-After`).
    TooManyRequests,
    /// 413: the body is over the size limit.
    PayloadTooLarge,
    /// 408: the request body did not arrive within the deadline.
    RequestTimeout,
    /// 406: a refusal by the HTTP framework (an `Accept-Encoding` nothing satisfies).
    NotAcceptable,
    /// 411: a refusal by the HTTP framework: the body needs a length.
    LengthRequired,
    /// 414: a refusal by the HTTP framework: the URL is too long.
    UriTooLong,
    /// 415: a refusal by the HTTP framework: the body's media type is not served.
    UnsupportedMediaType,
    /// 417: a refusal by the HTTP framework: `Expect` cannot be met.
    ExpectationFailed,
    /// 431: a refusal by the HTTP framework: the headers are too large.
    RequestHeaderFieldsTooLarge,
    /// Any other status the HTTP framework refuses with.
    HttpError,
    /// 503: the database cannot be reached right now (`Retry-After`).
    ServiceUnavailable,
    /// 500: an unexpected failure; the detail is logged, never sent.
    InternalError,
}

impl ProblemCode {
    /// The code as sent in `code`; `type` is `/problems/` and this with hyphens.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidParameter => "invalid_parameter",
            Self::BadRequest => "bad_request",
            Self::NotFound => "not_found",
            Self::NoRoute => "no_route",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::ValidationFailed => "validation_failed",
            Self::PreconditionFailed => "precondition_failed",
            Self::TooManyRequests => "too_many_requests",
            Self::PayloadTooLarge => "payload_too_large",
            Self::RequestTimeout => "request_timeout",
            Self::NotAcceptable => "not_acceptable",
            Self::LengthRequired => "length_required",
            Self::UriTooLong => "uri_too_long",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::ExpectationFailed => "expectation_failed",
            Self::RequestHeaderFieldsTooLarge => "request_header_fields_too_large",
            Self::HttpError => "http_error",
            Self::ServiceUnavailable => "service_unavailable",
            Self::InternalError => "internal_error",
        }
    }
}

/// One offending field or parameter.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// The parameter or field name as the client sent it.
    pub field: String,
    /// Why it was refused.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl ApiError {
    pub fn invalid(parameter: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidParameter {
            parameter: parameter.into(),
            message: message.into(),
        }
    }

    pub fn not_found(resource: &'static str, key: impl Into<String>) -> Self {
        Self::NotFound {
            resource,
            key: key.into(),
        }
    }

    /// The stable code and title of each variant.
    fn code_and_title(&self) -> (ProblemCode, &'static str) {
        use ProblemCode as C;
        match self {
            Self::InvalidParameter { .. } => (C::InvalidParameter, "Invalid parameter"),
            // One type, one title (RFC 9457), however many are named.
            Self::InvalidParameters(_) => (C::InvalidParameter, "Invalid parameter"),
            Self::BadRequest(_) => (C::BadRequest, "Bad request"),
            Self::NotFound { .. } => (C::NotFound, "Not found"),
            Self::NoRoute(_) => (C::NoRoute, "Not found"),
            Self::MethodNotAllowed => (C::MethodNotAllowed, "Method not allowed"),
            Self::Conflict(_) => (C::Conflict, "Conflict"),
            Self::Unauthorized(_) => (C::Unauthorized, "Unauthorized"),
            Self::Forbidden(_) => (C::Forbidden, "Forbidden"),
            Self::Invalid(_) => (C::ValidationFailed, "Validation failed"),
            Self::PreconditionFailed(_) => (C::PreconditionFailed, "Precondition failed"),
            Self::TooManyRequests(_) => (C::TooManyRequests, "Too many requests"),
            Self::RequestTimeout(_) => (C::RequestTimeout, "Request timeout"),
            Self::Refused(status, _) => (
                refused_code(*status),
                status.canonical_reason().unwrap_or("Error"),
            ),
            Self::PayloadTooLarge(_) => (C::PayloadTooLarge, "Payload too large"),
            Self::Unavailable(_) => (C::ServiceUnavailable, "Service unavailable"),
            Self::Internal(_) => (C::InternalError, "Internal server error"),
        }
    }

    pub fn problem(&self) -> Problem {
        let (code, title) = self.code_and_title();
        let status = self.status_code();
        let detail = match self {
            // 5xx bodies say nothing internal: the cause goes to the log.
            Self::Unavailable(_) => "the database is unavailable; try again shortly".to_owned(),
            Self::Internal(_) => "an unexpected error occurred; it has been logged".to_owned(),
            Self::Refused(status, _) if status.is_server_error() => {
                "an unexpected error occurred; it has been logged".to_owned()
            }
            Self::NoRoute(path) => format!("no resource at `{}`", shortened(path)),
            Self::NotFound { resource, key } => {
                format!("{resource} `{}` not found", shortened(key))
            }
            Self::Invalid(fields) => {
                let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
                format!("invalid field(s): {}", names.join(", "))
            }
            Self::InvalidParameters(parameters) => {
                let names: Vec<&str> = parameters.iter().map(|p| p.field.as_str()).collect();
                format!("invalid parameters: {}", names.join(", "))
            }
            other => other.to_string(),
        };
        let errors = match self {
            Self::InvalidParameter { parameter, message } => Some(vec![FieldError {
                field: parameter.clone(),
                message: message.clone(),
            }]),
            Self::Invalid(fields) | Self::InvalidParameters(fields) => Some(fields.clone()),
            _ => None,
        };
        Problem {
            problem_type: format!("/problems/{}", code.as_str().replace('_', "-")),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            code,
            errors,
        }
    }
}

/// A path as a detail quotes it: at most 200 characters, so that a long URL does not
/// come back whole in the answer.
fn shortened(path: &str) -> std::borrow::Cow<'_, str> {
    const MAX_CHARS: usize = 200;
    match path.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &path[..cut]).into(),
        None => path.into(),
    }
}

/// The stable code of a framework refusal's status.
fn refused_code(status: StatusCode) -> ProblemCode {
    use ProblemCode as C;
    match status.as_u16() {
        400 => C::BadRequest,
        401 => C::Unauthorized,
        403 => C::Forbidden,
        404 => C::NotFound,
        405 => C::MethodNotAllowed,
        406 => C::NotAcceptable,
        408 => C::RequestTimeout,
        411 => C::LengthRequired,
        413 => C::PayloadTooLarge,
        414 => C::UriTooLong,
        415 => C::UnsupportedMediaType,
        417 => C::ExpectationFailed,
        431 => C::RequestHeaderFieldsTooLarge,
        503 => C::ServiceUnavailable,
        code if code >= 500 => C::InternalError,
        _ => C::HttpError,
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::InvalidParameter { .. } | Self::InvalidParameters(_) | Self::BadRequest(_) => {
                StatusCode::BAD_REQUEST
            }
            Self::NotFound { .. } | Self::NoRoute(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::Refused(status, _) => *status,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            Self::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            Self::TooManyRequests(seconds) => {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            Self::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            _ => {}
        }
        match serde_json::to_vec(&self.problem()) {
            Ok(body) => response.body(body),
            Err(_) => response.finish(),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => Self::NotFound {
                resource: "resource",
                key: String::new(),
            },
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                Self::Conflict(info.message().to_owned())
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                Self::Conflict(format!(
                    "a referenced record does not exist or is still in use: {}",
                    info.message()
                ))
            }
            Error::DatabaseError(DatabaseErrorKind::UnableToSendCommand, info) => {
                Self::Unavailable(info.message().to_owned())
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Self::Unavailable(info.message().to_owned())
            }
            Error::BrokenTransactionManager => Self::Unavailable(error.to_string()),
            // Waited for the write lock (SQLite's busy_timeout, PostgreSQL's lock_timeout)
            // or a statement ran past its timeout: the database is overloaded, not broken.
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, info) => {
                Self::Unavailable(info.message().to_owned())
            }
            Error::DatabaseError(_, info) if is_contention(info.message()) => {
                Self::Unavailable(info.message().to_owned())
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

/// Driver messages that mean "busy, try again": SQLite's `SQLITE_BUSY`/`SQLITE_LOCKED` and
/// PostgreSQL's lock and statement timeouts (diesel reports them as unknown errors).
fn is_contention(message: &str) -> bool {
    const BUSY: [&str; 4] = [
        "database is locked",
        "database table is locked",
        "canceling statement due to lock timeout",
        "canceling statement due to statement timeout",
    ];
    BUSY.iter().any(|busy| message.contains(busy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_codes_serialize_as_their_names() {
        let errors = [
            ApiError::invalid("page", "x"),
            ApiError::BadRequest("x".into()),
            ApiError::not_found("article", "x"),
            ApiError::NoRoute("x".into()),
            ApiError::MethodNotAllowed,
            ApiError::Conflict("x".into()),
            ApiError::Unauthorized("x".into()),
            ApiError::Forbidden("x".into()),
            ApiError::Invalid(vec![]),
            ApiError::PreconditionFailed("x".into()),
            ApiError::TooManyRequests(1),
            ApiError::PayloadTooLarge(1),
            ApiError::Unavailable("x".into()),
            ApiError::Internal("x".into()),
            ApiError::RequestTimeout(std::time::Duration::from_secs(1)),
            ApiError::Refused(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, "x".into()),
        ];
        for error in errors {
            let problem = serde_json::to_value(error.problem()).unwrap_or_default();
            let code = error.code_and_title().0;
            assert_eq!(problem["code"], code.as_str());
            assert_eq!(
                problem["type"],
                format!("/problems/{}", code.as_str().replace('_', "-"))
            );
            // Absent optional values are null, never missing.
            assert!(problem
                .as_object()
                .is_some_and(|p| p.contains_key("errors")));
        }
    }
}
