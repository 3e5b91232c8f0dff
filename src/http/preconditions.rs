//! Optimistic concurrency: each editable resource has a version, served as the strong
//! ETag `"<version>"`; writes that send `If-Match` with an older one get 412.

use actix_web::http::header;
use actix_web::HttpRequest;

use crate::error::ApiError;

pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The request's `If-Match`, if any.
pub fn if_match(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::IF_MATCH)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// `If-Match`: `*`, or a list holding the current strong ETag.
pub fn check_if_match(
    if_match: Option<&str>,
    resource: &str,
    version: i64,
) -> Result<(), ApiError> {
    let Some(header) = if_match else {
        return Ok(());
    };
    let current = etag(version);
    if header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == current)
    {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed(format!(
            "the {resource} changed since you read it: it is now at version {version} (ETag {current}); reload and reapply"
        )))
    }
}

/// The row count of a compare-and-set write (`UPDATE … WHERE id = ? AND version = ?`, or the
/// same `DELETE`): none means another writer moved the version between this request's read
/// and its write, so this one must not win too.
pub fn swapped(rows: usize, resource: &str) -> Result<(), ApiError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed(format!(
            "the {resource} was changed by another request at the same moment; reload and reapply"
        )))
    }
}
