//! ETag and conditional GET for every successful read: clients revalidate cheaply and get
//! `304 Not Modified` when nothing changed.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use sha2::{Digest, Sha256};

/// The ETag of a body, computed once and kept with it (the response cache's entries), so a
/// cached answer is not hashed again on every hit (a tenth of a hit's CPU for an article).
pub struct KnownBodyEtag(pub String);

pub fn etag_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    // Weak: the same representation may be sent compressed or not.
    format!("W/\"{hex}\"")
}

fn matches_if_none_match(value: &str, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    value.trim() == "*"
        || value
            .split(',')
            .any(|candidate| bare(candidate) == bare(etag))
}

/// Marks a response that validates itself (a stored file: its own strong ETag,
/// `Last-Modified`, 304 and 206): it passes through this layer unread, as a static file
/// server would send it.
#[derive(Debug, Clone, Copy)]
pub struct SelfValidating;

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let is_read = matches!(*req.method(), Method::GET | Method::HEAD);
    let personal = req.headers().contains_key(header::AUTHORIZATION);
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let mut response = next.call(req).await?;
    if response
        .response()
        .extensions()
        .contains::<SelfValidating>()
    {
        return Ok(response.map_into_boxed_body());
    }
    if !is_read || response.status() != StatusCode::OK {
        let policy = cache_control(is_read, personal, response.status());
        if !response.headers().contains_key(header::CACHE_CONTROL) {
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        }
        return Ok(response.map_into_boxed_body());
    }
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = super::body::collect(body).await?;
    // A handler's own ETag (an editor's view: the resource's version, for If-Match) wins
    // over the body hash. It names the resource, not the whole body (prev/next, counts
    // can change without it), so it never earns a 304.
    let own = head
        .headers()
        .get(header::ETAG)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let body_etag = own
        .is_none()
        .then(|| match head.extensions().get::<KnownBodyEtag>() {
            Some(known) => known.0.clone(),
            None => etag_of(&bytes),
        });
    let not_modified = match (&body_etag, &if_none_match) {
        (Some(tag), Some(value)) => matches_if_none_match(value, tag),
        _ => false,
    };
    let etag = own.or(body_etag).unwrap_or_default();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        head.headers_mut().insert(header::ETAG, value);
    }
    if !head.headers().contains_key(header::CACHE_CONTROL) {
        head.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control(true, personal, StatusCode::OK)),
        );
    }
    let response = if not_modified {
        let mut not_modified = HttpResponse::NotModified();
        for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
            if let Some(value) = head.headers().get(&name) {
                not_modified.insert_header((name.clone(), value.clone()));
            }
        }
        not_modified.finish()
    } else {
        head.set_body(bytes).map_into_boxed_body()
    };
    Ok(ServiceResponse::new(request, response))
}

/// The `Cache-Control` of a response whose handler set none, one rule for every endpoint:
/// - reads that name the resource's state (200, a 301 for a renamed slug, a 404) may be
///   stored but are revalidated every time, since writes must show at once (cheap with the
///   ETag); `private` when the caller sent credentials, as what it sees depends on who it is;
/// - anything else (other errors, writes' answers) is not stored at all.
fn cache_control(is_read: bool, personal: bool, status: StatusCode) -> &'static str {
    let describes_the_resource = matches!(
        status,
        StatusCode::OK | StatusCode::MOVED_PERMANENTLY | StatusCode::NOT_FOUND
    );
    match (is_read && describes_the_resource, personal) {
        (true, false) => "public, no-cache",
        (true, true) => "private, no-cache",
        (false, _) => "no-store",
    }
}

/// Every response says what it varies on: its encoding (compressed or not) and the
/// caller's credentials (an editor sees drafts and versions), so that no shared cache
/// hands one caller's answer to another. One `Vary` header, merged with what inner layers
/// (compression, CORS) set.
pub async fn vary(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut response = next.call(req).await?;
    let mut names: Vec<String> = Vec::new();
    for value in response.headers().get_all(header::VARY) {
        for name in value.to_str().unwrap_or_default().split(',') {
            let name = name.trim();
            if !name.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name.to_owned());
            }
        }
    }
    for needed in ["Accept-Encoding", "Authorization"] {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(needed)) {
            names.push(needed.to_owned());
        }
    }
    if let Ok(value) = HeaderValue::from_str(&names.join(", ")) {
        response.headers_mut().insert(header::VARY, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_accepts_lists_weak_and_star() {
        let etag = etag_of(b"hello");
        assert!(matches_if_none_match(&etag, &etag));
        assert!(matches_if_none_match(&format!("\"x\", {etag}"), &etag));
        assert!(matches_if_none_match(etag.trim_start_matches("W/"), &etag));
        assert!(matches_if_none_match("*", &etag));
        assert!(!matches_if_none_match("\"other\"", &etag));
    }
}
