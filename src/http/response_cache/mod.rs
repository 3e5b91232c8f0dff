//! A cache of whole public responses, safe with several instances and scheduled articles.
//!
//! An entry is served only while (a) nothing it shows has changed since it was made, and
//! (b) no scheduled article has come due since then. For (a), the database's content
//! version (bumped by triggers on every change to the content, whoever writes it) is read
//! after the request arrived, so a write through any instance shows on the next request to
//! every instance; one read serves every request that arrived before it began (`version`).
//! An answer that lists what it shows ([`Shows`]: an article page) stays while those keys
//! are unchanged; any other answer only while the version is the one it was made at.

//!
//! This module is the store (below the app state, which holds it); `middleware` serves from
//! it and fills it, one request per key at a time (`fills`).

mod codings;
mod fills;
pub mod middleware;
mod version;

use std::sync::{Arc, Mutex, OnceLock};

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::web::Bytes;
use actix_web::HttpResponse;
use chrono::NaiveDateTime;
use lru::LruCache;

use crate::content::changes::ChangeKey;

pub const X_CACHE: HeaderName = HeaderName::from_static("x-cache");

/// Put in a response's extensions by a handler that knows everything its answer shows
/// besides site-wide content: the entry then outlives changes to anything else.
pub struct Shows(pub Vec<ChangeKey>);

impl Shows {
    /// A 200 with `body` as JSON that shows only `keys` (and site-wide content).
    pub fn answer(body: &impl serde::Serialize, keys: Vec<ChangeKey>) -> HttpResponse {
        let mut response = HttpResponse::Ok().json(body);
        response.extensions_mut().insert(Self(keys));
        response
    }
}

/// What one entry costs besides its key, body and header values: the entry itself, its
/// `Arc`, and the LRU's node and hash slot (measured generously, not exactly).
const ENTRY_OVERHEAD: usize = std::mem::size_of::<Entry>() + 128;

/// The largest share of the cache one response may take; a larger one is not cached, so
/// one big page cannot flush everything else.
const MAX_ENTRY_SHARE: usize = 8;

struct Entry {
    version: i64,
    /// The names of the keys it shows, if it said (see [`Shows`]).
    shows: Option<Box<[String]>>,
    /// The first scheduled publication after the entry was made, if any.
    expires_at: Option<NaiveDateTime>,
    content_type: HeaderValue,
    link: Option<HeaderValue>,
    /// The plain body.
    body: Bytes,
    /// The body in each [`Coding`](codings::Coding), made on the first hit asking for it
    /// (see `codings`); set only while the entry is in the cache, and counted in its size.
    coded: [OnceLock<Bytes>; 2],
    /// The body's ETag (`caching::etag_of`), so a hit is not hashed again.
    etag: String,
}

impl Entry {
    /// The memory this entry holds under `key`, in bytes.
    fn size(&self, key: &str) -> usize {
        ENTRY_OVERHEAD
            + key.len()
            + self.body.len()
            + self
                .coded
                .iter()
                .filter_map(OnceLock::get)
                .map(Bytes::len)
                .sum::<usize>()
            + self.etag.len()
            + self.content_type.len()
            + self.link.as_ref().map_or(0, HeaderValue::len)
            + self.shows.as_ref().map_or(0, |shows| {
                shows
                    .iter()
                    .map(|name| name.len() + std::mem::size_of::<String>())
                    .sum()
            })
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
    versions: version::VersionReads,
    fills: fills::Fills,
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
                versions: version::VersionReads::default(),
                fills: fills::Fills::default(),
            })
        })
    }

    /// The content version, read after this call began (`None`: the read failed).
    pub async fn content_version(&self, pool: &crate::db::Pool) -> Option<i64> {
        self.versions.current(pool).await
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

    /// Whether `entry` is still the answer at `version` (read for this request).
    fn unchanged(&self, entry: &Entry, version: i64) -> bool {
        self.versions
            .unchanged_since(entry.version, entry.shows.as_deref(), version)
    }

    /// The right to fill `key`, or `None` after another request filled it (or failed to).
    async fn fill_or_wait(&self, key: &str) -> Option<fills::Filling<'_>> {
        self.fills.fill_or_wait(key).await
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
        self.shrink(&mut entries);
    }

    /// Drops the least recently used entries until the cache is within its caps.
    fn shrink(&self, entries: &mut Entries) {
        while entries.bytes > self.max_bytes || entries.lru.len() > self.max_entries {
            let Some((key, old)) = entries.lru.pop_lru() else {
                entries.bytes = 0;
                break;
            };
            entries.bytes = entries.bytes.saturating_sub(old.size(&key));
        }
    }

    /// The body of `entry` (cached under `key`) in `coding`: made once and kept with the
    /// entry while it is still the one cached under `key`, so its bytes are counted. `None`
    /// for a body over [`codings::MAX_CODED_BODY`].
    fn coded(&self, key: &str, entry: &Arc<Entry>, coding: codings::Coding) -> Option<Bytes> {
        let slot = &entry.coded[coding.index()];
        if let Some(bytes) = slot.get() {
            return Some(bytes.clone());
        }
        if entry.body.len() > codings::MAX_CODED_BODY {
            return None;
        }
        let bytes = coding.encode(&entry.body).ok()?;
        let mut entries = self.entries.lock().ok()?;
        let still_cached = entries
            .lru
            .peek(key)
            .is_some_and(|cached| Arc::ptr_eq(cached, entry));
        if still_cached && slot.set(bytes.clone()).is_ok() {
            entries.bytes += bytes.len();
            self.shrink(&mut entries);
        }
        Some(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::codings::Coding;
    use super::*;

    fn entry(body: &str) -> Entry {
        Entry {
            version: 1,
            shows: None,
            expires_at: None,
            content_type: HeaderValue::from_static("application/json"),
            link: None,
            body: Bytes::from(body.repeat(50)),
            coded: Default::default(),
            etag: "W/\"x\"".into(),
        }
    }

    #[test]
    fn a_coded_body_is_made_once_and_counted_while_its_entry_is_cached() {
        let cache = ResponseCache::new(10, 1 << 20).expect("a cache");
        cache.put("/a".into(), entry("护苗有我，网络安全。"));
        let plain = cache.bytes();
        let kept = cache.get("/a").expect("cached");
        let gzip = cache.coded("/a", &kept, Coding::Gzip).expect("gzip");
        assert_eq!(cache.bytes(), plain + gzip.len());
        // Made once: the same bytes again, nothing more counted.
        let again = cache.coded("/a", &kept, Coding::Gzip).expect("gzip");
        assert_eq!(again.as_ptr(), gzip.as_ptr());
        assert_eq!(cache.bytes(), plain + gzip.len());

        // Replaced: the old entry's coded body is no longer counted, and coding the old
        // entry (a request still holding it) keeps nothing.
        cache.put("/a".into(), entry("新的"));
        let replaced = cache.bytes();
        let brotli = cache.coded("/a", &kept, Coding::Brotli).expect("brotli");
        assert!(!brotli.is_empty());
        assert_eq!(cache.bytes(), replaced);
        assert!(kept.coded[Coding::Brotli.index()].get().is_none());

        // A large body is not coded here: `Compress` codes it off the worker thread.
        let mut large = entry("护苗");
        large.body = Bytes::from(vec![b'a'; codings::MAX_CODED_BODY + 1]);
        cache.put("/large".into(), large);
        let large = cache.get("/large").expect("cached");
        assert!(cache.coded("/large", &large, Coding::Gzip).is_none());
    }
}
