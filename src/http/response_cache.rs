//! A cache of whole public responses, safe with several instances and scheduled articles.
//!
//! An entry is served only while (a) the database's content version (bumped by triggers on
//! every change to the content, whoever writes it) is the one it was made at, and (b) no
//! scheduled article has come due since it was made. Checking (a) costs one single-row
//! query per request, so a write through any instance shows on the next request to every
//! instance.

use std::sync::{Arc, Mutex};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, Data};
use actix_web::{Error, HttpResponse};
use chrono::NaiveDateTime;
use lru::LruCache;

use crate::content::next_publication_after;
use crate::state::AppState;

pub const X_CACHE: HeaderName = HeaderName::from_static("x-cache");

/// What one entry costs besides its key, body and header values: the entry itself, its
/// `Arc`, and the LRU's node and hash slot (measured generously, not exactly).
const ENTRY_OVERHEAD: usize = std::mem::size_of::<Entry>() + 128;

/// The largest share of the cache one response may take; a larger one is not cached, so
/// one big page cannot flush everything else.
const MAX_ENTRY_SHARE: usize = 8;

struct Entry {
    version: i64,
    /// The first scheduled publication after the entry was made, if any.
    expires_at: Option<NaiveDateTime>,
    content_type: HeaderValue,
    link: Option<HeaderValue>,
    /// Only the identity body: compression happens outside the cache, per request.
    body: Bytes,
}

impl Entry {
    /// The memory this entry holds under `key`, in bytes.
    fn size(&self, key: &str) -> usize {
        ENTRY_OVERHEAD
            + key.len()
            + self.body.len()
            + self.content_type.len()
            + self.link.as_ref().map_or(0, HeaderValue::len)
    }
}

struct Entries {
    lru: LruCache<String, Arc<Entry>>,
    /// The sum of the entries' sizes.
    bytes: usize,
}

/// The cache: an LRU of responses by path and query, bounded in bytes (the real cap) and
/// in entries.
pub struct ResponseCache {
    entries: Mutex<Entries>,
    max_entries: usize,
    max_bytes: usize,
}

impl ResponseCache {
    /// A cache of at most `max_entries` responses holding at most `max_bytes` bytes; None
    /// when either is 0 (disabled).
    pub fn new(max_entries: usize, max_bytes: usize) -> Option<Arc<Self>> {
        (max_entries > 0 && max_bytes > 0).then(|| {
            Arc::new(Self {
                entries: Mutex::new(Entries {
                    lru: LruCache::unbounded(),
                    bytes: 0,
                }),
                max_entries,
                max_bytes,
            })
        })
    }

    /// The bytes the entries hold now, by the cache's own accounting.
    pub fn bytes(&self) -> usize {
        self.entries.lock().map_or(0, |entries| entries.bytes)
    }

    /// The number of entries now.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |entries| entries.lru.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most bytes the entries may hold.
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The largest entry the cache keeps.
    pub fn max_entry_bytes(&self) -> usize {
        self.max_bytes / MAX_ENTRY_SHARE
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        self.entries.lock().ok()?.lru.get(key).cloned()
    }

    fn put(&self, key: String, entry: Entry) {
        let size = entry.size(&key);
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if let Some(old) = entries.lru.pop(&key) {
            entries.bytes = entries.bytes.saturating_sub(old.size(&key));
        }
        if size > self.max_entry_bytes() {
            return;
        }
        entries.lru.put(key, Arc::new(entry));
        entries.bytes += size;
        while entries.bytes > self.max_bytes || entries.lru.len() > self.max_entries {
            let Some((key, old)) = entries.lru.pop_lru() else {
                entries.bytes = 0;
                break;
            };
            entries.bytes = entries.bytes.saturating_sub(old.size(&key));
        }
    }
}

fn cacheable(req: &ServiceRequest) -> bool {
    // Authenticated reads may see drafts: never cached.
    req.method() == Method::GET
        && !req.headers().contains_key(header::AUTHORIZATION)
        && req.path().starts_with("/api/v1/")
        && req.path() != "/api/v1/healthz"
}

fn from_entry(entry: &Entry) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response.insert_header((header::CONTENT_TYPE, entry.content_type.clone()));
    if let Some(link) = &entry.link {
        response.insert_header((header::LINK, link.clone()));
    }
    response.insert_header((X_CACHE, HeaderValue::from_static("hit")));
    response.body(entry.body.clone())
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let state = req.app_data::<Data<AppState>>().cloned();
    let (Some(state), true) = (state, cacheable(&req)) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(cache) = state.cache.clone() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let now = state.clock.now();
    let version =
        match crate::db::run(&state.pool, |conn| Ok(crate::db::content_version(conn)?)).await {
            Ok(version) => version,
            // The handler will meet the same failure and answer it properly.
            Err(_) => return Ok(next.call(req).await?.map_into_boxed_body()),
        };
    let key = format!("{}?{}", req.path(), req.query_string());
    if let Some(entry) = cache.get(&key) {
        if entry.version == version && entry.expires_at.is_none_or(|at| now < at) {
            let (request, _) = req.into_parts();
            return Ok(ServiceResponse::new(request, from_entry(&entry)));
        }
    }

    let response = next.call(req).await?;
    if response.status() != StatusCode::OK {
        return Ok(response.map_into_boxed_body());
    }
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = super::body::collect(body).await?;
    // Made after the handler's own clock reading, so a publication in between expires
    // the entry at once rather than late.
    let expires_at = crate::db::run(&state.pool, move |conn| {
        Ok(next_publication_after(conn, now)?)
    })
    .await;
    if let (Ok(expires_at), Some(content_type), true) = (
        expires_at,
        head.headers().get(header::CONTENT_TYPE),
        bytes.len() <= cache.max_entry_bytes(),
    ) {
        cache.put(
            key,
            Entry {
                version,
                expires_at,
                content_type: content_type.clone(),
                link: head.headers().get(header::LINK).cloned(),
                // An exact-size copy: the body's buffer may have grown with spare capacity
                // the cache would otherwise keep alive without counting it.
                body: Bytes::copy_from_slice(&bytes),
            },
        );
    }
    head.headers_mut()
        .insert(X_CACHE, HeaderValue::from_static("miss"));
    Ok(ServiceResponse::new(
        request,
        head.set_body(bytes).map_into_boxed_body(),
    ))
}
