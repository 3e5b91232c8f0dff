//! The responses operations share, each written once: its status, description, headers
//! and a realistic problem+json example (made by the error type itself, so it is what the
//! server sends). They live under `components/responses`; a handler names the set it can
//! give, e.g. `responses((status = 200, body = Tag), responses::PublicLookup)`.
//!
//! What every response of a kind carries because of a middleware (`x-request-id`
//! everywhere; `ETag`, `Cache-Control`, `If-None-Match` and 304 on every GET) is added
//! by the document's conventions in `crate::openapi`, next to nothing else.

use std::collections::BTreeMap;

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::{ContentBuilder, ObjectBuilder, Ref, RefOr, Type};
use utoipa::IntoResponses;

use crate::error::{ApiError, FieldError};
use crate::http::framework_errors::MAX_JSON_BODY;

/// One response shared between operations, named as in `components/responses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shared {
    NotModified,
    InvalidParameter,
    MalformedBody,
    Unauthorized,
    InvalidToken,
    BadCredentials,
    InvalidPreviewLink,
    Forbidden,
    NotFound,
    Conflict,
    PreconditionFailed,
    PayloadTooLarge,
    RangeNotSatisfiable,
    ValidationFailed,
    TooManyRequests,
    ServiceUnavailable,
}

impl Shared {
    pub const ALL: [Shared; 16] = [
        Self::NotModified,
        Self::InvalidParameter,
        Self::MalformedBody,
        Self::Unauthorized,
        Self::InvalidToken,
        Self::BadCredentials,
        Self::InvalidPreviewLink,
        Self::Forbidden,
        Self::NotFound,
        Self::Conflict,
        Self::PreconditionFailed,
        Self::PayloadTooLarge,
        Self::RangeNotSatisfiable,
        Self::ValidationFailed,
        Self::TooManyRequests,
        Self::ServiceUnavailable,
    ];

    /// The name under `components/responses`.
    pub fn name(self) -> &'static str {
        match self {
            Self::NotModified => "NotModified",
            Self::InvalidParameter => "InvalidParameter",
            Self::MalformedBody => "MalformedBody",
            Self::Unauthorized => "Unauthorized",
            Self::InvalidToken => "InvalidToken",
            Self::BadCredentials => "BadCredentials",
            Self::InvalidPreviewLink => "InvalidPreviewLink",
            Self::Forbidden => "Forbidden",
            Self::NotFound => "NotFound",
            Self::Conflict => "Conflict",
            Self::PreconditionFailed => "PreconditionFailed",
            Self::PayloadTooLarge => "PayloadTooLarge",
            Self::RangeNotSatisfiable => "RangeNotSatisfiable",
            Self::ValidationFailed => "ValidationFailed",
            Self::TooManyRequests => "TooManyRequests",
            Self::ServiceUnavailable => "ServiceUnavailable",
        }
    }

    pub fn status(self) -> u16 {
        match self {
            Self::NotModified => 304,
            Self::InvalidParameter | Self::MalformedBody => 400,
            Self::Unauthorized | Self::InvalidToken | Self::BadCredentials => 401,
            Self::InvalidPreviewLink => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict => 409,
            Self::PreconditionFailed => 412,
            Self::PayloadTooLarge => 413,
            Self::RangeNotSatisfiable => 416,
            Self::ValidationFailed => 422,
            Self::TooManyRequests => 429,
            Self::ServiceUnavailable => 503,
        }
    }

    fn description(self) -> &'static str {
        match self {
            Self::NotModified => "Not modified: the `If-None-Match` sent names the current representation. No body. (Editors' version ETags never earn a 304.)",
            Self::InvalidParameter => "A query parameter is malformed, out of range, unknown, repeated, or breaks a rule stated in its description (`month` without `year`, `page` with `cursor`, a `category` or `tag` that does not exist); `errors` names it.",
            Self::MalformedBody => "The body is not JSON, or not sent as `Content-Type: application/json`.",
            Self::Unauthorized => "No bearer token, or one that is invalid, expired or revoked (`WWW-Authenticate: Bearer`).",
            Self::InvalidToken => "A bearer token was sent and is not valid: an invalid token is never taken for an anonymous request. Without `Authorization` this operation is public.",
            Self::BadCredentials => "The email and password, or the refresh token, are not valid.",
            Self::InvalidPreviewLink => "The preview token is invalid or has expired.",
            Self::Forbidden => "The token is valid but its role may not do this (e.g. an author publishing, or a non-admin managing users).",
            Self::NotFound => "No such resource, or not one the caller may see (drafts are invisible without an editor's token).",
            Self::Conflict => "The write would break a uniqueness rule or a reference (a record still in use, the last active admin, no free slug).",
            Self::PreconditionFailed => "`If-Match` names a version that is no longer current: nothing was written; read again and reapply.",
            Self::PayloadTooLarge => "The body is over its limit: 1 MiB for JSON; for an upload, the server's upload limit (20 MiB by default).",
            Self::RangeNotSatisfiable => "The `Range` asked for starts past the file's end; `Content-Range` gives its size.",
            Self::ValidationFailed => "The body is JSON but fails validation: every unknown, missing, mistyped, too long or dangling field is named in `errors`.",
            Self::TooManyRequests => "Too many failed sign-ins for this account or address, or too many passwords being checked or hashed at once; retry after `Retry-After` seconds.",
            Self::ServiceUnavailable => "The database is unavailable or overloaded; retry after `Retry-After` seconds.",
        }
    }

    /// The error whose problem body is this response's example.
    fn example(self) -> Option<ApiError> {
        Some(match self {
            Self::NotModified => return None,
            Self::InvalidParameter => {
                ApiError::invalid("per_page", "must be an integer from 1 to 100")
            }
            Self::MalformedBody => ApiError::BadRequest(
                "the body must be JSON, sent with `Content-Type: application/json`".into(),
            ),
            Self::Unauthorized => {
                ApiError::Unauthorized("sign in: this needs a bearer token".into())
            }
            Self::InvalidToken => {
                ApiError::Unauthorized("the access token is invalid, expired or revoked".into())
            }
            Self::BadCredentials => {
                ApiError::Unauthorized("the email or the password is wrong".into())
            }
            Self::InvalidPreviewLink => {
                ApiError::Unauthorized("the preview link is invalid or has expired".into())
            }
            Self::Forbidden => ApiError::Forbidden("the author role may not do this".into()),
            Self::NotFound => ApiError::not_found("article", "no-such-article"),
            Self::Conflict => ApiError::Conflict(
                "this is the last active admin: make another admin first".into(),
            ),
            Self::PreconditionFailed => ApiError::PreconditionFailed(
                "the article changed since you read it: it is now at version 4 (ETag \"4\"); reload and reapply"
                    .into(),
            ),
            Self::PayloadTooLarge => ApiError::PayloadTooLarge(MAX_JSON_BODY),
            Self::RangeNotSatisfiable => ApiError::Refused(
                actix_web::http::StatusCode::RANGE_NOT_SATISFIABLE,
                "the range starts past the file's end".into(),
            ),
            Self::ValidationFailed => ApiError::Invalid(vec![
                FieldError::new("title", "must not be empty"),
                FieldError::new("category_id", "must be a positive integer id"),
            ]),
            Self::TooManyRequests => ApiError::TooManyRequests(60),
            Self::ServiceUnavailable => ApiError::Unavailable(String::new()),
        })
    }

    /// The full response, for `components/responses`.
    pub fn definition(self) -> Response {
        let mut response = ResponseBuilder::new().description(self.description());
        if let Some(error) = self.example() {
            let content = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .example(serde_json::to_value(error.problem()).ok())
                .build();
            response = response.content("application/problem+json", content);
        }
        match self {
            Self::NotModified => {
                response = response
                    .header("ETag", header(Type::String, ETAG))
                    .header("Cache-Control", header(Type::String, CACHE_CONTROL));
            }
            Self::Unauthorized | Self::InvalidToken => {
                response = response.header(
                    "WWW-Authenticate",
                    header(Type::String, "`Bearer`: the scheme to authenticate with."),
                );
            }
            Self::RangeNotSatisfiable => {
                response = response.header(
                    "Content-Range",
                    header(Type::String, "`bytes */<size>`: the file's size."),
                );
            }
            Self::TooManyRequests | Self::ServiceUnavailable => {
                response = response.header(
                    "Retry-After",
                    header(Type::Integer, "Seconds to wait before trying again."),
                );
            }
            _ => {}
        }
        response.build()
    }

    fn reference(self) -> RefOr<Response> {
        RefOr::Ref(Ref::from_response_name(self.name()))
    }
}

pub const ETAG: &str = "A weak ETag of the representation (`W/\"…\"`) to send back as `If-None-Match`; with an editor's token, the resource's version as a strong ETag (`\"3\"`) to send as `If-Match`.";
pub const CACHE_CONTROL: &str = "`public, no-cache` (caches revalidate every time, cheaply with the ETag); `private, no-cache` for an editor's view.";
pub const REQUEST_ID: &str = "The request's id, as logged; a caller's own `x-request-id` is kept.";

/// A response header with a plain schema.
pub fn header(schema_type: Type, description: &str) -> Header {
    HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(schema_type))
        .description(Some(description))
        .build()
}

fn references(shared: &[Shared]) -> BTreeMap<String, RefOr<Response>> {
    shared
        .iter()
        .map(|s| (s.status().to_string(), s.reference()))
        .collect()
}

/// Declares response sets: each a type for `responses(...)` in `#[utoipa::path]`.
macro_rules! response_sets {
    ($($(#[$meta:meta])* $name:ident = [$($part:ident),+ $(,)?];)+) => {$(
        $(#[$meta])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                references(&[$(Shared::$part),+])
            }
        }
    )+};
}

response_sets! {
    /// What a public read without parameters can fail with: it takes no token, but refuses
    /// an invalid one rather than serve it as anonymous.
    PublicRead = [InvalidToken, ServiceUnavailable];
    /// A public list with query parameters.
    PublicList = [InvalidParameter, ServiceUnavailable];
    /// A public read of one resource, which an editor's token widens (drafts, versions).
    PublicLookup = [InvalidToken, NotFound, ServiceUnavailable];
    /// Anything that needs a token, whatever the role.
    SignedIn = [Unauthorized, ServiceUnavailable];
    /// A read for some roles only.
    EditorRead = [Unauthorized, Forbidden, ServiceUnavailable];
    /// A write with a JSON body (a create, or a change without a 404 or If-Match).
    Write = [MalformedBody, Unauthorized, Forbidden, Conflict, PayloadTooLarge, ValidationFailed, ServiceUnavailable];
    /// A change (PATCH/PUT) with a JSON body to an existing resource, honouring `If-Match`.
    Update = [MalformedBody, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, PayloadTooLarge, ValidationFailed, ServiceUnavailable];
    /// A delete, honouring `If-Match`.
    Delete = [Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, ServiceUnavailable];
    /// A stored file: it is there or not, and a range may miss it.
    StoredFile = [NotFound, RangeNotSatisfiable, ServiceUnavailable];
    /// An upload: a form with a file, any signed-in role.
    Upload = [MalformedBody, Unauthorized, Forbidden, PayloadTooLarge, ValidationFailed, ServiceUnavailable];
    /// A file replacing another, honouring `If-Match`.
    Replace = [MalformedBody, Unauthorized, Forbidden, NotFound, PreconditionFailed, PayloadTooLarge, ValidationFailed, ServiceUnavailable];
    /// Signing in or refreshing: a JSON body and credentials in it.
    Credentials = [MalformedBody, BadCredentials, PayloadTooLarge, ValidationFailed, ServiceUnavailable];
    /// 400 for a bad query parameter.
    InvalidParameter = [InvalidParameter];
    /// 401 for a token that was sent and is not valid, on an operation that is public without one.
    InvalidToken = [InvalidToken];
    /// 401 for an invalid or expired preview token.
    InvalidPreviewLink = [InvalidPreviewLink];
    /// 404.
    NotFound = [NotFound];
    /// 412.
    PreconditionFailed = [PreconditionFailed];
    /// 429 with `Retry-After`.
    TooManyRequests = [TooManyRequests];
    /// 503 with `Retry-After`.
    ServiceUnavailable = [ServiceUnavailable];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_have_the_status_of_their_response() {
        for shared in Shared::ALL {
            if let Some(error) = shared.example() {
                assert_eq!(error.problem().status, shared.status(), "{shared:?}");
            }
        }
    }
}
