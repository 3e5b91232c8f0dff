//! `GET /media/{key}`: the stored pictures themselves, as a static file server sends them.
//! A key names one immutable file (a new upload is a new folder), so every answer may be
//! cached for a year; the file's ETag and Last-Modified answer `If-None-Match` and
//! `If-Modified-Since` with 304, and `Range` with 206. Small local files are answered from
//! memory while their file is unchanged (`file_cache`).

use actix_files::NamedFile;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{get, web, HttpRequest, HttpResponse, ResponseError};
use percent_encoding::percent_decode_str;

use super::file_cache;
use super::files::ORIGINALS;
use crate::config::CorsOrigins;
use crate::error::ApiError;
use crate::http::caching::SelfValidating;
use crate::http::responses;
use crate::pictures::Format;
use crate::state::AppState;
use crate::storage::{Key, StoreError};

/// A stored picture's bytes.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct Picture(Vec<u8>);

/// Files this small are read on the worker thread itself (one read, no hand-off to the
/// blocking pool): every rendition a page uses is. The same bound as for the files kept in
/// memory.
const READ_INLINE_BELOW: u64 = file_cache::MAX_FILE_BYTES;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A stored picture: an uploaded file's full-size copy or one of its renditions.
///
/// Served with `Cache-Control: public, max-age=31536000, immutable` (a new file gets new
/// URLs), a strong ETag, `Last-Modified`, `Accept-Ranges: bytes` and
/// `X-Content-Type-Options: nosniff`, readable from any origin the API allows. A query
/// string is ignored (`?v=2` cache busters work). The URLs come from media records
/// (`url`, `renditions[].url`); `/site` names where they start.
#[utoipa::path(
    tag = "media",
    security(()),
    params(("key" = String, Path, description = "The file's key, as in a media record's URLs: `2021/11/3f9a0c1e2b7d-4a55c1d2/w640.webp`")),
    responses(
        (status = 200, description = "The file",
            content(
                (Picture = "image/jpeg"), (Picture = "image/png"),
                (Picture = "image/webp"), (Picture = "image/gif"),
            ),
            headers(
                ("ETag" = String, description = "The file's strong ETag"),
                ("Cache-Control" = String, description = "`public, max-age=31536000, immutable`"),
                ("Last-Modified" = String, description = "When the file was stored"),
                ("Accept-Ranges" = String, description = "`bytes`"),
            )),
        (status = 206, description = "The byte range asked for (`Range: bytes=…`)",
            content(
                (Picture = "image/jpeg"), (Picture = "image/png"),
                (Picture = "image/webp"), (Picture = "image/gif"),
            ),
            headers(("Content-Range" = String, description = "`bytes <first>-<last>/<size>`"))),
        responses::StoredFile,
    )
)]
#[get("/media/{key:.+}")]
pub async fn media_file(
    req: HttpRequest,
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    deliver(&req, &state, &key).await
}

/// Stored pictures skip the API's layers (query checks, body deadline, response cache,
/// ETag hashing, compression, `Vary`), which cost a static file more than reading it: a
/// GET or HEAD under `/media/` is answered here, before them. Only the request log and
/// the problem bodies stay outside. CORS is answered for the configured origins, so a
/// frontend may also `fetch()` a picture. The query string is ignored, as a static file
/// server does (`?v=2` cache busters keep working).
pub async fn fast_lane(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let picture =
        matches!(*req.method(), Method::GET | Method::HEAD) && req.path().starts_with("/media/");
    let state = picture
        .then(|| req.app_data::<web::Data<AppState>>().cloned())
        .flatten();
    let Some(state) = state else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    // actix-web's connection layer drops the body of a response to HEAD.
    req.head_mut().method = Method::GET;
    let mut response = {
        let key = percent_decode_str(&req.path()["/media/".len()..]).decode_utf8_lossy();
        deliver(req.request(), &state, &key)
            .await
            .unwrap_or_else(|error| error.error_response())
    };
    if let Some(origins) = req.app_data::<web::Data<CorsOrigins>>() {
        allow_origin(req.request(), origins, response.headers_mut());
    }
    Ok(req.into_response(response).map_into_right_body())
}

/// `Access-Control-Allow-Origin` for a picture: `*` when any origin may read the API,
/// else the request's `Origin` when it is one of the configured ones.
fn allow_origin(req: &HttpRequest, origins: &CorsOrigins, headers: &mut header::HeaderMap) {
    match origins {
        CorsOrigins::Any => {
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
        }
        CorsOrigins::List(allowed) => {
            let origin = req.headers().get(header::ORIGIN);
            if let Some(origin) = origin.filter(|origin| {
                allowed
                    .iter()
                    .any(|allowed| allowed.as_bytes() == origin.as_bytes())
            }) {
                headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            }
            headers.insert(header::VARY, HeaderValue::from_static("Origin"));
        }
    }
}

/// A stored file by its key: from the local folder with the file server's validators and
/// ranges, or read through from an object store.
async fn deliver(req: &HttpRequest, state: &AppState, key: &str) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::not_found("media file", key);
    let key = Key::parse(key).map_err(|_| not_found())?;
    if key
        .as_str()
        .strip_prefix(ORIGINALS)
        .is_some_and(|rest| rest.starts_with('/'))
    {
        return Err(not_found());
    }
    let Some(path) = state.media.store.local_path(&key) else {
        return remote(req, state, &key).await.map(finish);
    };
    let content_type = content_type_of(key.as_str()).ok_or_else(not_found)?;
    // Small files from memory while the file is the one read (a stat on every request);
    // ranges and the rarer preconditions go to the file server below.
    let cache = state.media.cache.as_ref();
    if let Some(cache) = cache.filter(|_| file_cache::answers(req)) {
        if let Some(file) = cache.get(key.as_str(), &path) {
            return Ok(finish(file.respond(req, content_type)));
        }
    }
    let file = NamedFile::open(path).map_err(|_| not_found())?;
    let mime = content_type.parse().map_err(|_| not_found())?;
    let response = file
        .set_content_type(mime)
        .disable_content_disposition()
        .read_mode_threshold(READ_INLINE_BELOW)
        .into_response(req);
    Ok(finish(response))
}

/// The headers every stored file carries, and the mark that keeps the API's own ETag
/// layer away from it.
fn finish(mut response: HttpResponse) -> HttpResponse {
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
    }
    response.extensions_mut().insert(SelfValidating);
    response
}

/// The type of a stored file, from the extension its format gave it.
fn content_type_of(key: &str) -> Option<&'static str> {
    let extension = key.rsplit_once('.')?.1;
    Some(Format::from_extension(extension)?.mime())
}

fn mime_of(key: &str) -> Option<actix_web::mime::Mime> {
    content_type_of(key)?.parse().ok()
}

/// A file in an object store, read through and streamed (its range only, for `Range`),
/// with the store's ETag.
async fn remote(req: &HttpRequest, state: &AppState, key: &Key) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::not_found("media file", key.as_str());
    let unavailable =
        |error: StoreError| ApiError::Unavailable(format!("the media store: {error}"));
    let mime = mime_of(key.as_str()).ok_or_else(not_found)?;
    let store = &state.media.store;
    let meta = store
        .head(key)
        .await
        .map_err(unavailable)?
        .ok_or_else(not_found)?;
    let tag = meta
        .e_tag
        .as_deref()
        .map(|tag| tag.trim_matches('"').to_owned())
        .unwrap_or_else(|| format!("{}-{}", meta.size, meta.last_modified.timestamp()));
    let etag = format!("\"{tag}\"");
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok());
    if if_none_match.is_some_and(|value| value.split(',').any(|tag| tag.trim() == etag)) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    let total = meta.size;
    let (status, range) = match range(req, total) {
        Ranged::Whole => (StatusCode::OK, None),
        Ranged::Part(start, end) => (StatusCode::PARTIAL_CONTENT, Some(start..end + 1)),
        // No body: the problem layer gives it one.
        Ranged::Unsatisfiable => {
            return Ok(HttpResponse::RangeNotSatisfiable()
                .insert_header((header::CONTENT_RANGE, format!("bytes */{total}")))
                .finish())
        }
    };
    let stored = store
        .get(key, range.clone())
        .await
        .map_err(unavailable)?
        .ok_or_else(not_found)?;
    let mut response = HttpResponse::build(status);
    response
        .content_type(mime.as_ref())
        .insert_header((header::ETAG, etag))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((
            header::LAST_MODIFIED,
            meta.last_modified
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string(),
        ))
        .no_chunking(stored.len());
    if range.is_some() {
        response.insert_header((
            header::CONTENT_RANGE,
            format!(
                "bytes {}-{}/{total}",
                stored.range.start,
                stored.range.end - 1
            ),
        ));
    }
    Ok(response.streaming(stored.into_stream()))
}

enum Ranged {
    Whole,
    Part(u64, u64),
    Unsatisfiable,
}

/// One `bytes=` range (`a-b`, `a-`, `-n`); a header this cannot read, or several ranges,
/// get the whole file, as RFC 9110 allows.
fn range(req: &HttpRequest, total: u64) -> Ranged {
    let Some(spec) = req
        .headers()
        .get(header::RANGE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("bytes="))
        .filter(|spec| !spec.contains(','))
    else {
        return Ranged::Whole;
    };
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Ranged::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let bounds = match (first.parse::<u64>(), last.parse::<u64>()) {
        (Ok(start), Ok(end)) if start <= end => (start, end.min(total.saturating_sub(1))),
        (Ok(start), Err(_)) if last.is_empty() => (start, total.saturating_sub(1)),
        (Err(_), Ok(suffix)) if first.is_empty() && suffix > 0 => {
            (total.saturating_sub(suffix), total.saturating_sub(1))
        }
        _ => return Ranged::Whole,
    };
    if total == 0 || bounds.0 >= total {
        Ranged::Unsatisfiable
    } else {
        Ranged::Part(bounds.0, bounds.1)
    }
}
