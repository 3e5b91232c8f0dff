//! A cache of whole public responses, safe with several instances and scheduled articles.
//!
//! An entry is served only while (a) the database's content version (bumped by triggers on
//! every change to the content, whoever writes it) is the one it was made at, and (b) no
//! scheduled article has come due since it was made. Checking (a) costs one single-row
//! query per request, so a write through any instance shows on the next request to every
//! instance.

use std::num::NonZeroUsize;
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

use crate::resources::articles::queries::next_publication_after;
use crate::state::AppState;

pub const X_CACHE: HeaderName = HeaderName::from_static("x-cache");

struct Entry {
    version: i64,
    /// The first scheduled publication after the entry was made, if any.
    expires_at: Option<NaiveDateTime>,
    content_type: HeaderValue,
    link: Option<HeaderValue>,
    body: Bytes,
}

/// The cache: a bounded LRU of responses by path and query.
pub struct ResponseCache {
    entries: Mutex<LruCache<String, Arc<Entry>>>,
}

impl ResponseCache {
    /// A cache of at most `capacity` responses; None when `capacity` is 0 (disabled).
    pub fn new(capacity: usize) -> Option<Arc<Self>> {
        NonZeroUsize::new(capacity).map(|capacity| {
            Arc::new(Self {
                entries: Mutex::new(LruCache::new(capacity)),
            })
        })
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    fn put(&self, key: String, entry: Entry) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.put(key, Arc::new(entry));
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
    if let (Ok(expires_at), Some(content_type)) =
        (expires_at, head.headers().get(header::CONTENT_TYPE))
    {
        cache.put(
            key,
            Entry {
                version,
                expires_at,
                content_type: content_type.clone(),
                link: head.headers().get(header::LINK).cloned(),
                body: bytes.clone(),
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
