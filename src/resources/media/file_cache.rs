//! Small stored files kept in memory, so that the pictures a page shows are answered
//! without opening, reading and closing their file each time.
//!
//! A least-recently-used map from key to the file's bytes, bounded in bytes. Every request
//! still `stat`s the file by its path, and an entry is served only while that stat names
//! the very file it was read from (device, inode, length, modification time): a deleted
//! file is a 404 at once, and a file written again under its key (a restore, an import:
//! the local store renames a new file into place, so a new inode) is read again. Uploads
//! never change a file (a new file is a new folder), so in practice entries only go when
//! their folder is removed ([`FileCache::forget_folder`]) or when room is needed.
//!
//! The answers are those `actix_files::NamedFile` gives (the same ETag, `Last-Modified`,
//! `Accept-Ranges`, 304s for `If-None-Match` and `If-Modified-Since`); requests with
//! `Range`, `If-Range`, `If-Match` or `If-Unmodified-Since` are left to it.

use std::fs::{File, Metadata};
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::body::None as NoBody;
use actix_web::http::header::{self, EntityTag, HeaderValue, HttpDate};
use actix_web::web::Bytes;
use actix_web::{HttpMessage as _, HttpRequest, HttpResponse};
use lru::LruCache;

/// Files this large or larger are never kept (and never read whole: they stream).
pub const MAX_FILE_BYTES: u64 = 512 * 1024;

/// What an entry costs besides its key and bytes: the entry, its `Arc`, the header values
/// and the LRU's node (generously).
const ENTRY_OVERHEAD: usize = std::mem::size_of::<CachedFile>() + 256;

/// The largest share of the cache one file may take.
const MAX_ENTRY_SHARE: usize = 8;

/// Which file an entry was read from: it is served only while the path still names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    modified: SystemTime,
}

impl Stamp {
    fn of(meta: &Metadata) -> Option<Self> {
        Some(Self {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            modified: meta.modified().ok()?,
        })
    }
}

/// A file's bytes and the validators sent with them.
pub struct CachedFile {
    stamp: Stamp,
    body: Bytes,
    etag: EntityTag,
    etag_value: HeaderValue,
    /// Whole seconds since the epoch, as `If-Modified-Since` compares them.
    modified_secs: u64,
    last_modified: HeaderValue,
}

impl CachedFile {
    /// Reads `file` whole; `None` when it is too large, not a regular file, or changed
    /// while it was read.
    fn read(mut file: File, max_bytes: u64) -> Option<Self> {
        let meta = file.metadata().ok()?;
        let stamp = Stamp::of(&meta)?;
        if !meta.is_file() || stamp.len >= max_bytes {
            return None;
        }
        let mut bytes = Vec::with_capacity(stamp.len as usize + 1);
        file.read_to_end(&mut bytes).ok()?;
        if bytes.len() as u64 != stamp.len || Stamp::of(&file.metadata().ok()?)? != stamp {
            return None;
        }
        let since_epoch = stamp.modified.duration_since(UNIX_EPOCH).ok()?;
        // What actix-files' NamedFile sends for the same file, so that validators stay
        // valid whichever of the two answers.
        let etag = EntityTag::new_strong(format!(
            "{:x}:{:x}:{:x}:{:x}",
            stamp.ino,
            stamp.len,
            since_epoch.as_secs(),
            since_epoch.subsec_nanos()
        ));
        // httpdate formats years up to 9999 only.
        if since_epoch.as_secs() >= 253_402_300_800 {
            return None;
        }
        let last_modified = HttpDate::from(stamp.modified).to_string();
        Some(Self {
            stamp,
            body: Bytes::from(bytes),
            etag_value: HeaderValue::from_str(&etag.to_string()).ok()?,
            etag,
            modified_secs: since_epoch.as_secs(),
            last_modified: HeaderValue::from_str(&last_modified).ok()?,
        })
    }

    /// The memory this entry holds under `key`, in bytes.
    fn size(&self, key: &str) -> usize {
        ENTRY_OVERHEAD
            + key.len()
            + self.body.len()
            + self.etag.tag().len()
            + self.etag_value.len()
            + self.last_modified.len()
    }

    /// The answer to a GET (or HEAD) without ranges or `If-Match`/`If-Unmodified-Since`:
    /// 304 when the client's copy is this one, else the bytes.
    pub fn respond(&self, req: &HttpRequest, content_type: &'static str) -> HttpResponse {
        let not_modified = self.not_modified(req);
        let mut response = if not_modified {
            HttpResponse::NotModified()
        } else {
            HttpResponse::Ok()
        };
        response
            .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(content_type)))
            .insert_header((header::LAST_MODIFIED, self.last_modified.clone()))
            .insert_header((header::ETAG, self.etag_value.clone()))
            .insert_header((header::ACCEPT_RANGES, HeaderValue::from_static("bytes")));
        if not_modified {
            response.body(NoBody::new())
        } else {
            response.body(self.body.clone())
        }
    }

    /// NamedFile's rule: `If-None-Match` when sent (weak comparison), else
    /// `If-Modified-Since` to the second.
    fn not_modified(&self, req: &HttpRequest) -> bool {
        let headers = req.headers();
        if let Some(raw) = headers.get(header::IF_NONE_MATCH) {
            // The usual case, a client sending back the ETag it was given, without parsing.
            if raw == self.etag_value {
                return true;
            }
            return match req.get_header::<header::IfNoneMatch>() {
                Some(header::IfNoneMatch::Any) => true,
                Some(header::IfNoneMatch::Items(tags)) => {
                    tags.iter().any(|tag| tag.weak_eq(&self.etag))
                }
                None => false,
            };
        }
        match req.get_header::<header::IfModifiedSince>() {
            Some(header::IfModifiedSince(since)) => SystemTime::from(since)
                .duration_since(UNIX_EPOCH)
                .is_ok_and(|since| self.modified_secs <= since.as_secs()),
            None => false,
        }
    }
}

/// Whether the cache may answer `req`: the headers it handles, and no others that change
/// the answer.
pub fn answers(req: &HttpRequest) -> bool {
    let headers = req.headers();
    ![
        header::RANGE,
        header::IF_RANGE,
        header::IF_MATCH,
        header::IF_UNMODIFIED_SINCE,
    ]
    .iter()
    .any(|name| headers.contains_key(name))
}

struct Entries {
    lru: LruCache<String, Arc<CachedFile>>,
    /// The sum of the entries' sizes.
    bytes: usize,
}

/// The cache, shared by every worker.
pub struct FileCache {
    entries: Mutex<Entries>,
    max_bytes: usize,
}

impl FileCache {
    /// A cache holding at most `max_bytes` bytes; `None` when 0 (off).
    pub fn new(max_bytes: usize) -> Option<Self> {
        (max_bytes > 0).then(|| Self {
            entries: Mutex::new(Entries {
                lru: LruCache::unbounded(),
                bytes: 0,
            }),
            max_bytes,
        })
    }

    /// The largest file kept, in bytes (exclusive).
    fn max_file_bytes(&self) -> u64 {
        MAX_FILE_BYTES.min((self.max_bytes / MAX_ENTRY_SHARE) as u64)
    }

    /// The file under `key` at `path`, from memory while it is the same file, else read
    /// (and kept); `None` when there is no such file, or it is not one to keep (too large,
    /// changing): the caller then serves it from the disk as before.
    pub fn get(&self, key: &str, path: &Path) -> Option<Arc<CachedFile>> {
        let Some(stamp) = std::fs::metadata(path)
            .ok()
            .filter(|meta| meta.is_file() && meta.len() < self.max_file_bytes())
            .and_then(|meta| Stamp::of(&meta))
        else {
            self.forget(key);
            return None;
        };
        if let Some(entry) = self.lookup(key).filter(|entry| entry.stamp == stamp) {
            return Some(entry);
        }
        let file = Arc::new(CachedFile::read(
            File::open(path).ok()?,
            self.max_file_bytes(),
        )?);
        self.put(key, file.clone());
        Some(file)
    }

    fn lookup(&self, key: &str) -> Option<Arc<CachedFile>> {
        self.entries.lock().ok()?.lru.get(key).cloned()
    }

    fn put(&self, key: &str, file: Arc<CachedFile>) {
        let size = file.size(key);
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if let Some(old) = entries.lru.put(key.to_owned(), file) {
            entries.bytes = entries.bytes.saturating_sub(old.size(key));
        }
        entries.bytes += size;
        while entries.bytes > self.max_bytes {
            let Some((key, old)) = entries.lru.pop_lru() else {
                entries.bytes = 0;
                break;
            };
            entries.bytes = entries.bytes.saturating_sub(old.size(&key));
        }
    }

    fn forget(&self, key: &str) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if let Some(old) = entries.lru.pop(key) {
            entries.bytes = entries.bytes.saturating_sub(old.size(key));
        }
    }

    /// Drops every file under `folder` (an upload's folder, being removed).
    pub fn forget_folder(&self, folder: &str) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        let gone: Vec<String> = entries
            .lru
            .iter()
            .map(|(key, _)| key)
            .filter(|key| {
                key.strip_prefix(folder)
                    .is_some_and(|rest| rest.starts_with('/'))
            })
            .cloned()
            .collect();
        for key in gone {
            if let Some(old) = entries.lru.pop(&key) {
                entries.bytes = entries.bytes.saturating_sub(old.size(&key));
            }
        }
    }

    /// The bytes the entries hold now, by the cache's own accounting.
    pub fn bytes(&self) -> usize {
        self.entries.lock().map_or(0, |entries| entries.bytes)
    }

    /// The number of files kept now.
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
}
