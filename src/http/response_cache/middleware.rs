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
use super::{Entry, ResponseCache, Shows, X_CACHE};
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

/// The cached answer, its body in `coded`'s coding when given.
fn from_entry(entry: &Entry, coded: Option<(Coding, Bytes)>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response.insert_header((header::CONTENT_TYPE, entry.content_type.clone()));
    // `Compress` leaves an answer that names its coding as it is.
    let body = match coded {
        Some((coding, bytes)) => {
            response.insert_header((header::CONTENT_ENCODING, coding.content_encoding()));
            bytes
        }
        None => entry.body.clone(),
    };
    if let Some(link) = &entry.link {
        response.insert_header((header::LINK, link.clone()));
    }
    response.insert_header((X_CACHE, HeaderValue::from_static("hit")));
    let mut response = response.body(body);
    response
        .extensions_mut()
        .insert(KnownBodyEtag(entry.etag.clone()));
    response
}

/// A hit: the entry, in the coding the client negotiated when the cache keeps it.
fn hit(
    cache: &ResponseCache,
    key: &str,
    entry: &Arc<Entry>,
    coding: Option<Coding>,
) -> HttpResponse {
    let coded = coding.and_then(|coding| Some((coding, cache.coded(key, entry, coding)?)));
    from_entry(entry, coded)
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
    if let Some(entry) = cache.get(&key).filter(|entry| fresh(entry)) {
        let (request, _) = req.into_parts();
        let response = hit(&cache, &key, &entry, coding);
        return Ok(ServiceResponse::new(request, response));
    }
    // Held until the answer is kept (or not): requests missing the same key meanwhile wait.
    let filling = cache.fill_or_wait(&key).await;
    if filling.is_none() {
        if let Some(entry) = cache.get(&key).filter(|entry| fresh(entry)) {
            let (request, _) = req.into_parts();
            let response = hit(&cache, &key, &entry, coding);
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
    if let (Ok(expires_at), Some(content_type), true) = (
        expires_at,
        head.headers().get(header::CONTENT_TYPE),
        bytes.len() <= cache.max_entry_bytes(),
    ) {
        cache.put(
            key,
            Entry {
                version,
                shows: head.extensions().get::<Shows>().map(|shows| {
                    let names: BTreeSet<String> = shows.0.iter().map(|key| key.name()).collect();
                    names.into_iter().collect()
                }),
                expires_at,
                content_type: content_type.clone(),
                link: head.headers().get(header::LINK).cloned(),
                // An exact-size copy: the body's buffer may have grown with spare capacity
                // the cache would otherwise keep alive without counting it.
                body: Bytes::copy_from_slice(&bytes),
                coded: Default::default(),
                etag: etag.clone(),
            },
        );
    }
    head.extensions_mut().insert(KnownBodyEtag(etag));
    head.headers_mut()
        .insert(X_CACHE, HeaderValue::from_static("miss"));
    Ok(ServiceResponse::new(
        request,
        head.set_body(bytes).map_into_boxed_body(),
    ))
}
