//! Optimistic concurrency: each editable resource has a version, served as the strong
//! ETag `"<version>"`; writes that send `If-Match` with an older one get 412.

use actix_web::http::header;
use actix_web::HttpRequest;

use crate::error::ApiError;

pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// [`if_match`]'s syntax as a JSON Schema pattern, for the spec: `*`, or a comma-separated
/// list of entity tags (`"3"`, `W/"…"`).
pub const IF_MATCH_PATTERN: &str =
    "^[ \\t]*(\\*|(W/)?\"[-!#-+.-~]*\"([ \\t]*,[ \\t]*(W/)?\"[-!#-+.-~]*\")*)[ \\t]*$";

/// The request's `If-Match`, if any. One that is neither `*` nor a list of entity tags
/// (`"3"`, `W/"3"`) is a 400 naming the header: read as "matches nothing", a typo such as
/// `If-Match: 3` would look like someone else's write.
pub fn if_match(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().ok().filter(|text| {
        let list = text.trim_matches([' ', '\t']);
        list == "*"
            || list
                .split(',')
                .all(|tag| is_entity_tag(tag.trim_matches([' ', '\t'])))
    });
    match text {
        Some(text) => Ok(Some(text.to_owned())),
        None => Err(ApiError::InvalidParameter {
            parameter: "If-Match".into(),
            message: "must be * or a list of ETags such as \"3\"".into(),
        }),
    }
}

/// `"…"` or `W/"…"`, the quoted part visible ASCII without `"` (RFC 9110's `entity-tag`,
/// without the obsolete non-ASCII bytes, and without `,`, which would split the list).
fn is_entity_tag(tag: &str) -> bool {
    let opaque = tag.strip_prefix("W/").unwrap_or(tag);
    opaque.len() >= 2
        && opaque.starts_with('"')
        && opaque.ends_with('"')
        && opaque[1..opaque.len() - 1]
            .bytes()
            .all(|b| b == b'!' || (b'#'..=b'~').contains(&b) && b != b',')
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
    let tags = || header.split(',').map(str::trim);
    if tags().any(|tag| tag == "*" || tag == current) {
        Ok(())
    } else if tags().any(|tag| tag.strip_prefix("W/") == Some(current.as_str())) {
        // RFC 9110: If-Match compares strongly, and a weak tag never matches.
        Err(ApiError::PreconditionFailed(format!(
            "a weak ETag (W/{current}) never matches `If-Match`: send the {resource}'s ETag as read, {current}"
        )))
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
