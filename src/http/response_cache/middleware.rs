//! The middleware: serves a public GET from the cache while its entry is current, else
//! passes the request on and keeps a 200 answer.

use std::collections::BTreeSet;
use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, Data};
use actix_web::{Error, HttpResponse};

use super::codings::{self, Coding};
use super::{Entry, EntryHead, ResponseCache, Shows, X_CACHE};
use crate::content::changes::PackedKey;
use crate::content::next_publication_after;
use crate::http::caching::{etag_of, KnownBodyEtag};
use crate::state::AppState;

fn cacheable(req: &ServiceRequest) -> bool {
    // Authenticated reads may see drafts: never cached.
    req.method() == Method::GET
        && !req.headers().contains_key(header::AUTHORIZATION)
        && req.path().starts_with("/api/v1/")
        && req.path() != "/api/v1/healthz"
}

/// The cached answer, with `body` in `coding` (`None`: plain).
fn from_entry(entry: &Entry, coding: Option<Coding>, body: Bytes) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response.insert_header((header::CONTENT_TYPE, entry.content_type.clone()));
    // `Compress` leaves an answer that names its coding as it is.
    if let Some(coding) = coding {
        response.insert_header((header::CONTENT_ENCODING, coding.header_value()));
    }
    if let Some(link) = &entry.link {
        response.insert_header((header::LINK, HeaderValue::clone(link)));
    }
    response.insert_header((X_CACHE, HeaderValue::from_static("hit")));
    let mut response = response.body(body);
    response
        .extensions_mut()
        .insert(KnownBodyEtag(entry.etag.clone()));
    response
}

/// A hit: the entry in the coding the client negotiated, else plain (`Compress` then codes
/// a large body itself). `None` if the entry cannot give its plain body.
fn hit(
    cache: &ResponseCache,
    key: &str,
    entry: &Arc<Entry>,
    coding: Option<Coding>,
) -> Option<HttpResponse> {
    if let Some(coding) = coding {
        if let Some(body) = cache.body(key, entry, Some(coding)) {
            return Some(from_entry(entry, Some(coding), body));
        }
    }
    let plain = cache.body(key, entry, None)?;
    Some(from_entry(entry, None, plain))
}

pub async fn cache_responses(
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
    let Some(version) = cache.content_version(&state.pool).await else {
        // The handler will meet the same failure and answer it properly.
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let key = format!("{}?{}", req.path(), req.query_string());
    let fresh = |entry: &Entry| {
        cache.unchanged(entry, version) && entry.expires_at.is_none_or(|at| now < at)
    };
    let coding = codings::negotiated(&req);
    let cached = |cache: &ResponseCache| {
        let entry = cache.get(&key).filter(|entry| fresh(entry))?;
        hit(cache, &key, &entry, coding)
    };
    if let Some(response) = cached(&cache) {
        let (request, _) = req.into_parts();
        return Ok(ServiceResponse::new(request, response));
    }
    // Held until the answer is kept (or not): requests missing the same key meanwhile wait.
    let filling = cache.fill_or_wait(&key).await;
    if filling.is_none() {
        if let Some(response) = cached(&cache) {
            let (request, _) = req.into_parts();
            return Ok(ServiceResponse::new(request, response));
        }
    }

    let response = next.call(req).await?;
    if response.status() != StatusCode::OK {
        return Ok(response.map_into_boxed_body());
    }
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = crate::http::body::collect(body).await?;
    // Made after the handler's own clock reading, so a publication in between expires
    // the entry at once rather than late.
    let expires_at = crate::db::run(&state.pool, move |conn| {
        Ok(next_publication_after(conn, now)?)
    })
    .await;
    // Hashed once here for the entry and for this answer (the ETag layer above uses it).
    let etag = etag_of(&bytes);
    let mut served = None;
    if let (Ok(expires_at), Some(content_type), true) = (
        expires_at,
        head.headers().get(header::CONTENT_TYPE),
        bytes.len() <= cache.max_entry_bytes(),
    ) {
        let entry = Entry::new(
            version,
            &bytes,
            etag.clone(),
            EntryHead {
                // A key that does not pack: the entry lives only at this version.
                shows: head.extensions().get::<Shows>().and_then(|shows| {
                    let keys: Option<BTreeSet<PackedKey>> =
                        shows.0.iter().map(|key| key.pack()).collect();
                    keys.map(|keys| keys.into_iter().collect())
                }),
                expires_at,
                content_type: content_type.clone(),
                link: head.headers().get(header::LINK).cloned().map(Box::new),
            },
        );
        // A client asking for the kept coding gets the bytes just made, not `Compress`'s.
        if let Some(kept) = entry.kept_coding.filter(|kept| Some(*kept) == coding) {
            head.headers_mut()
                .insert(header::CONTENT_ENCODING, kept.header_value());
            served = Some(entry.kept.clone());
        }
        cache.put(key, entry);
    }
    head.extensions_mut().insert(KnownBodyEtag(etag));
    head.headers_mut()
        .insert(X_CACHE, HeaderValue::from_static("miss"));
    Ok(ServiceResponse::new(
        request,
        head.set_body(served.unwrap_or(bytes)).map_into_boxed_body(),
    ))
}
