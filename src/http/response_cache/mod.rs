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

use crate::content::changes::{ChangeKey, PackedKey};
use codings::Coding;

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

/// What one entry costs besides its key, body, keys and header values: the entry itself,
/// its `Arc`, the LRU's node and hash slot, and the allocator's headers. Measured: 40,000
/// generated article pages cached took 1,212 bytes each of the allocator's in-use memory
/// (docs/benchmarks.md), about 300 more than their parts' lengths and the entry's size.
const ENTRY_OVERHEAD: usize = std::mem::size_of::<Entry>() + 300;

/// The largest share of the cache one response may take; a larger one is not cached, so
/// one big page cannot flush everything else.
const MAX_ENTRY_SHARE: usize = 8;

/// The forms of a body made from the kept one (plain or a [`Coding`], by [`codings::slot`]).
type Forms = [OnceLock<Bytes>; codings::FORMS];

struct Entry {
    version: i64,
    /// The keys it shows, if it said (see [`Shows`]).
    shows: Option<Box<[PackedKey]>>,
    /// The first scheduled publication after the entry was made, if any.
    expires_at: Option<NaiveDateTime>,
    content_type: HeaderValue,
    /// Boxed: few answers have one, and the entry stays small.
    link: Option<Box<HeaderValue>>,
    /// The body as kept: in [`codings::KEPT`] when it is small enough to code here, a
    /// fifth of the plain body for an article, so the same memory holds five times the
    /// pages; else plain.
    kept: Bytes,
    kept_coding: Option<Coding>,
    /// The body in each other form, made on the first hit asking for it; set only while
    /// the entry is in the cache (under its lock), and counted in its size. Made only when
    /// a client asks for another form than the kept one: most entries never have it.
    made: OnceLock<Box<Forms>>,
    /// The plain body's ETag (`caching::etag_of`), so a hit is not hashed again.
    etag: String,
}

impl Entry {
    /// An entry for the plain `body`, kept coded when it is small enough.
    fn new(version: i64, body: &[u8], etag: String, head: EntryHead) -> Self {
        let coded = (body.len() <= codings::MAX_CODED_BODY
            && codings::worth_coding(&head.content_type))
        .then(|| codings::KEPT.encode(body).ok())
        .flatten();
        let (kept, kept_coding) = match coded {
            Some(coded) => (coded, Some(codings::KEPT)),
            // An exact-size copy: the handler's buffer may have grown with spare capacity
            // the cache would otherwise keep alive without counting it.
            None => (Bytes::copy_from_slice(body), None),
        };
        Self {
            version,
            shows: head.shows,
            expires_at: head.expires_at,
            content_type: head.content_type,
            link: head.link,
            kept,
            kept_coding,
            made: Default::default(),
            etag,
        }
    }

    /// The memory this entry holds under `key`, in bytes.
    fn size(&self, key: &str) -> usize {
        ENTRY_OVERHEAD
            + key.len()
            + self.kept.len()
            + self.made.get().map_or(0, |forms| {
                std::mem::size_of::<Forms>()
                    + forms
                        .iter()
                        .filter_map(OnceLock::get)
                        .map(Bytes::len)
                        .sum::<usize>()
            })
            + self.etag.len()
            + self.content_type.len()
            + self
                .link
                .as_ref()
                .map_or(0, |link| std::mem::size_of::<HeaderValue>() + link.len())
            + self
                .shows
                .as_ref()
                .map_or(0, |shows| std::mem::size_of_val::<[PackedKey]>(shows))
    }
}

/// What an entry keeps of the answer besides its body.
pub(super) struct EntryHead {
    pub shows: Option<Box<[PackedKey]>>,
    pub expires_at: Option<NaiveDateTime>,
    pub content_type: HeaderValue,
    pub link: Option<Box<HeaderValue>>,
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

    /// The body of `entry` (cached under `key`) plain (`None`) or in `coding`: the kept
    /// body, or another form made once from it and kept with the entry while it is still
    /// the one cached under `key`, so its bytes are counted. `None` for a coding of a body
    /// kept plain (`Compress` codes it), or if the kept body does not decode.
    fn body(&self, key: &str, entry: &Arc<Entry>, coding: Option<Coding>) -> Option<Bytes> {
        if coding == entry.kept_coding {
            return Some(entry.kept.clone());
        }
        let slot = codings::slot(coding);
        if let Some(bytes) = entry.made.get().and_then(|forms| forms[slot].get()) {
            return Some(bytes.clone());
        }
        // Kept plain (too large, or not text: `Entry::new`): plain was answered above, and
        // `Compress` codes it.
        let kept = entry.kept_coding?;
        let plain = kept.decode(&entry.kept).ok()?;
        let bytes = match coding {
            None => plain,
            Some(coding) => coding.encode(&plain).ok()?,
        };
        let mut entries = self.entries.lock().ok()?;
        let still_cached = entries
            .lru
            .peek(key)
            .is_some_and(|cached| Arc::ptr_eq(cached, entry));
        if still_cached {
            // Made under the lock, and counted as `Entry::size` grew: what `shrink` and a
            // replacement take off later is the same size.
            let before = entry.size(key);
            if entry.made.get_or_init(Default::default)[slot]
                .set(bytes.clone())
                .is_ok()
            {
                entries.bytes += entry.size(key) - before;
                self.shrink(&mut entries);
            }
        }
        Some(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(body: &[u8]) -> Entry {
        let head = EntryHead {
            shows: [ChangeKey::Article(1), ChangeKey::Tag(2)]
                .into_iter()
                .map(|key| key.pack())
                .collect(),
            expires_at: None,
            content_type: HeaderValue::from_static("application/json"),
            link: None,
        };
        Entry::new(1, body, "W/\"x\"".into(), head)
    }

    #[test]
    fn an_entry_keeps_its_body_coded_and_makes_other_forms_once_while_cached() {
        let cache = ResponseCache::new(10, 1 << 20).expect("a cache");
        let plain = "护苗有我，网络安全。".repeat(50);
        cache.put("/a".into(), entry(plain.as_bytes()));
        let kept = cache.get("/a").expect("cached");
        // Kept coded, and counted as such.
        assert_eq!(kept.kept_coding, Some(codings::KEPT));
        assert!(kept.kept.len() < plain.len() / 4, "{}", kept.kept.len());
        let coded_only = cache.bytes();
        assert_eq!(coded_only, kept.size("/a"));
        assert!(coded_only < plain.len());
        // The kept coding is the kept bytes, and makes no other form.
        let brotli = cache.body("/a", &kept, Some(Coding::Brotli)).expect("br");
        assert_eq!(brotli.as_ptr(), kept.kept.as_ptr());
        assert!(kept.made.get().is_none());
        // The plain body is made once and counted, with the forms' array it sits in.
        let made = cache.body("/a", &kept, None).expect("plain");
        assert_eq!(made, plain.as_bytes());
        let forms = std::mem::size_of::<Forms>();
        assert_eq!(cache.bytes(), coded_only + forms + plain.len());
        assert_eq!(cache.bytes(), kept.size("/a"));
        let again = cache.body("/a", &kept, None).expect("plain");
        assert_eq!(again.as_ptr(), made.as_ptr());
        let gzip = cache.body("/a", &kept, Some(Coding::Gzip)).expect("gzip");
        assert_eq!(Coding::Gzip.decode(&gzip).unwrap(), plain.as_bytes());
        assert_eq!(cache.bytes(), coded_only + forms + plain.len() + gzip.len());
        assert_eq!(cache.bytes(), kept.size("/a"));

        // Replaced: the old entry's forms are no longer counted, and a form made for the
        // old entry (a request still holding it) is not kept.
        cache.put("/a".into(), entry("新的".as_bytes()));
        let replaced = cache.bytes();
        let old_gzip_again = cache.body("/a", &kept, Some(Coding::Gzip)).expect("gzip");
        assert_eq!(old_gzip_again, gzip);
        assert_eq!(cache.bytes(), replaced);

        // A large body is kept plain and not coded here: `Compress` codes it off the
        // worker thread.
        let large = vec![b'a'; codings::MAX_CODED_BODY + 1];
        cache.put("/large".into(), entry(&large));
        let large_entry = cache.get("/large").expect("cached");
        assert_eq!(large_entry.kept_coding, None);
        assert!(cache
            .body("/large", &large_entry, Some(Coding::Gzip))
            .is_none());
        assert_eq!(
            cache.body("/large", &large_entry, None).expect("plain"),
            large
        );

        // Nor is a body that is not text (an image is compressed already).
        let picture = Entry::new(
            1,
            plain.as_bytes(),
            "W/\"p\"".into(),
            EntryHead {
                shows: None,
                expires_at: None,
                content_type: HeaderValue::from_static("image/webp"),
                link: None,
            },
        );
        cache.put("/picture".into(), picture);
        let picture = cache.get("/picture").expect("cached");
        assert_eq!(picture.kept_coding, None);
        assert!(cache
            .body("/picture", &picture, Some(Coding::Brotli))
            .is_none());
    }
}
