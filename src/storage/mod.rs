//! Where uploaded media files live: a local folder by default, an S3-compatible bucket when
//! several instances share the files.
//!
//! Files are immutable and content-addressed (`2026/11/3f9a0c1e2b7d4a55/w640.webp`): a key's
//! bytes never change, so nothing here locks, versions or invalidates.
//!
//! ```text
//! StoreUrl::from_str("/var/lib/masthead/media" | "file:///…" | "s3://bucket/prefix?endpoint=…&region=…&allow_http=true")
//! MediaStore::open(&url) -> Result<MediaStore, StoreError>            // S3 credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
//! MediaStore::open_with_credentials(&url, Option<S3Credentials>)      // the same, credentials passed in
//! store.put(&key, bytes).await -> Result<(), StoreError>              // atomic
//! store.get(&key, Option<Range<u64>>).await -> Result<Option<Stored>, StoreError>
//! store.head(&key).await -> Result<Option<StoredMeta>, StoreError>
//! store.local_path(&key) -> Option<PathBuf>                           // local store only: serve with actix-files' NamedFile
//! store.delete(&key).await -> Result<(), StoreError>                  // a missing key is fine
//! store.delete_prefix("2026/11/3f9a0c1e2b7d4a55").await -> Result<(), StoreError>
//! store.list("2026/11").await -> Result<Vec<Key>, StoreError>        // "" for everything
//! store.check().await -> Result<(), StoreError>                       // readiness: the folder or bucket answers
//! blocking::BlockingStore::open(&url)?.read(&key) -> Result<Option<Bytes>, StoreError>  // the same, blocking, for the command line
//! ```
//!
//! One code path for both: the `object_store` crate (Apache Arrow), with its
//! `LocalFileSystem` and `AmazonS3` behind `Arc<dyn ObjectStore>`.
//!
//! - **Atomic puts.** Local: `LocalFileSystem` writes a staging file `<name>#<n>` beside the
//!   target, `sync_all`s it, renames it over the target and fsyncs the folder (we turn its
//!   `with_fsync` on), so a reader sees the old file or the new one, never part of one, and a
//!   crash leaves no half file under a key (at worst a stray `#<n>` staging file, which `list`
//!   skips and no key can name, as keys have no `#`). S3: a single PUT is atomic.
//! - **Prefixes are whole segments** (`2026/1` covers `2026/1/…`, never `2026/11/…`), for
//!   both stores.
//! - **Runtimes.** actix-web runs one current-thread tokio runtime per worker, and a
//!   `MediaStore` is shared by all of them. An HTTP client's pooled connections belong to the
//!   runtime that opened them, so the S3 store does its I/O on a small runtime of its own
//!   (`object_store`'s `SpawnedReqwestConnector`): a worker never waits on another worker's
//!   runtime, and a store outlives any runtime that used it. The local store's file I/O runs
//!   on the caller's blocking pool (`spawn_blocking`), so `put`/`get` never block a worker.
//! - **Credentials** are never in the URL. Only static keys are supported: without them
//!   `open` fails rather than letting the S3 client look for instance credentials on the
//!   network.
//! - **Limits.** A put is one request (S3 allows 5 GiB in one PUT); media files are far
//!   smaller. Locally, a key cannot be both a file and a folder (`a` and `a/b`); the
//!   content-hashed layout never does that.

pub mod blocking;
mod key;
mod location;

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::client::SpawnedReqwestConnector;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{
    ClientOptions, GetOptions, GetRange, GetResult, ObjectMeta, ObjectStore, ObjectStoreExt,
    RetryConfig,
};

pub use key::{InvalidKey, Key, MAX_KEY_LEN, MAX_SEGMENT_LEN};
pub use location::{InvalidStoreUrl, S3Location, StoreUrl, DEFAULT_REGION};

/// What a store operation can fail with. A missing key is not an error (`get` answers `None`,
/// `delete` succeeds): an outage is never reported as "not found".
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The key or prefix breaks the key rules (see [`Key`]).
    #[error(transparent)]
    InvalidKey(#[from] InvalidKey),
    /// The store cannot be opened: the folder cannot be created, credentials are missing …
    #[error("cannot open the media store: {0}")]
    Open(String),
    /// The range asked for selects no byte of the object (HTTP 416).
    #[error("range {start}..{end} selects no byte of the {size}-byte object")]
    RangeNotSatisfiable { start: u64, end: u64, size: u64 },
    /// The folder or the S3 server failed (I/O error, network, permissions, missing bucket).
    #[error("media store failure: {0}")]
    Backend(#[source] object_store::Error),
}

impl From<object_store::Error> for StoreError {
    fn from(error: object_store::Error) -> Self {
        Self::Backend(error)
    }
}

/// Static S3 credentials. The secret never prints.
#[derive(Clone)]
pub struct S3Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl S3Credentials {
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
        }
    }

    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, if set, `AWS_SESSION_TOKEN`;
    /// `None` when the first two are not both set (and non-empty).
    pub fn from_env() -> Option<Self> {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        Some(Self {
            access_key_id: var("AWS_ACCESS_KEY_ID")?,
            secret_access_key: var("AWS_SECRET_ACCESS_KEY")?,
            session_token: var("AWS_SESSION_TOKEN"),
        })
    }
}

impl fmt::Debug for S3Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"***")
            .field("session_token", &self.session_token.as_ref().map(|_| "***"))
            .finish()
    }
}

/// The media file store. Cheap to clone: every clone shares one backend (and, for S3, one
/// connection pool and I/O runtime).
#[derive(Clone)]
pub struct MediaStore {
    inner: Arc<Inner>,
}

struct Inner {
    objects: Arc<dyn ObjectStore>,
    /// The canonical root folder of a local store.
    local_root: Option<PathBuf>,
    /// What the store is, for logs (no secrets).
    description: String,
    /// The S3 store's I/O runtime; kept alive as long as the store.
    _io: Option<IoRuntime>,
}

impl fmt::Debug for MediaStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MediaStore")
            .field(&self.inner.description)
            .finish()
    }
}

/// What is known of a stored object without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMeta {
    /// The whole object's size in bytes.
    pub size: u64,
    pub last_modified: DateTime<Utc>,
    /// The store's entity tag, when it gives one (S3: the object's ETag; local: inode,
    /// modification time and size).
    pub e_tag: Option<String>,
}

/// An object being read: what it is, which bytes come, and the bytes themselves.
pub struct Stored {
    pub meta: StoredMeta,
    /// The bytes the body holds: the whole object, or the range asked for, its end cut to the
    /// object's size.
    pub range: Range<u64>,
    body: GetResult,
}

impl fmt::Debug for Stored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stored")
            .field("meta", &self.meta)
            .field("range", &self.range)
            .finish_non_exhaustive()
    }
}

/// A stored object's bytes, in chunks.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, StoreError>> + Send>>;

impl Stored {
    /// The body's length (`range.end - range.start`).
    pub fn len(&self) -> u64 {
        self.range.end - self.range.start
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole body in memory.
    pub async fn bytes(self) -> Result<Bytes, StoreError> {
        Ok(self.body.bytes().await?)
    }

    /// The body as a stream, for a streaming HTTP response.
    pub fn into_stream(self) -> ByteStream {
        Box::pin(self.body.into_stream().map_err(StoreError::from))
    }
}

/// How long one S3 request may take, and how much retrying a failed one may add: a
/// request handler is waiting.
const S3_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
const S3_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const S3_RETRY: RetryConfig = RetryConfig {
    backoff: object_store::BackoffConfig {
        init_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_secs(2),
        base: 2.0,
    },
    max_retries: 3,
    retry_timeout: Duration::from_secs(15),
};

/// `Content-Type` stored with each S3 object, by key suffix, so that a bucket served
/// directly (a CDN in front of it) sends the right type.
const CONTENT_TYPES: &[(&str, &str)] = &[
    ("avif", "image/avif"),
    ("gif", "image/gif"),
    ("jpeg", "image/jpeg"),
    ("jpg", "image/jpeg"),
    ("png", "image/png"),
    ("svg", "image/svg+xml"),
    ("webp", "image/webp"),
    ("pdf", "application/pdf"),
    ("mp4", "video/mp4"),
    ("webm", "video/webm"),
    ("mp3", "audio/mpeg"),
];

impl MediaStore {
    /// Opens the store; S3 credentials come from the standard environment variables
    /// (see [`S3Credentials::from_env`]). Creates a local folder when missing. Does not
    /// contact an S3 server: see [`check`](Self::check).
    pub fn open(url: &StoreUrl) -> Result<Self, StoreError> {
        Self::open_with_credentials(url, S3Credentials::from_env())
    }

    /// [`open`](Self::open) with the S3 credentials given (ignored by a local store).
    pub fn open_with_credentials(
        url: &StoreUrl,
        credentials: Option<S3Credentials>,
    ) -> Result<Self, StoreError> {
        match url {
            StoreUrl::Local(root) => Self::open_local(root),
            StoreUrl::S3(location) => {
                let credentials = credentials.ok_or_else(|| {
                    StoreError::Open(
                        "an S3 store needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".into(),
                    )
                })?;
                Self::open_s3(location, credentials, url.to_string())
            }
        }
    }

    fn open_local(root: &std::path::Path) -> Result<Self, StoreError> {
        let open_error =
            |error: std::io::Error| StoreError::Open(format!("folder {}: {error}", root.display()));
        std::fs::create_dir_all(root).map_err(open_error)?;
        let root = std::fs::canonicalize(root).map_err(open_error)?;
        let objects = LocalFileSystem::new_with_prefix(&root)?
            .with_fsync(true)
            .with_automatic_cleanup(true);
        Ok(Self {
            inner: Arc::new(Inner {
                objects: Arc::new(objects),
                description: format!("local folder {}", root.display()),
                local_root: Some(root),
                _io: None,
            }),
        })
    }

    fn open_s3(
        location: &S3Location,
        credentials: S3Credentials,
        description: String,
    ) -> Result<Self, StoreError> {
        let (io, io_handle) = IoRuntime::start()?;
        let mut options = ClientOptions::new()
            .with_timeout(S3_REQUEST_TIMEOUT)
            .with_connect_timeout(S3_CONNECT_TIMEOUT);
        for (suffix, content_type) in CONTENT_TYPES {
            options = options.with_content_type_for_suffix(*suffix, *content_type);
        }
        // `new`, not `from_env`: only the URL and the two key variables configure the store,
        // never a stray AWS_ENDPOINT or AWS_PROFILE.
        // Client options first: `with_client_options` replaces what `with_allow_http` set.
        let mut builder = AmazonS3Builder::new()
            .with_client_options(options)
            .with_bucket_name(&location.bucket)
            .with_region(&location.region)
            .with_allow_http(location.allow_http)
            .with_virtual_hosted_style_request(location.virtual_hosted_style)
            .with_access_key_id(credentials.access_key_id)
            .with_secret_access_key(credentials.secret_access_key)
            .with_retry(S3_RETRY)
            .with_http_connector(SpawnedReqwestConnector::new(io_handle));
        if let Some(token) = credentials.session_token {
            builder = builder.with_token(token);
        }
        if let Some(endpoint) = &location.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        let s3 = builder.build()?;
        let objects: Arc<dyn ObjectStore> = match &location.prefix {
            Some(prefix) => Arc::new(PrefixStore::new(s3, object_path(prefix))),
            None => Arc::new(s3),
        };
        Ok(Self {
            inner: Arc::new(Inner {
                objects,
                local_root: None,
                description,
                _io: Some(io),
            }),
        })
    }

    /// What the store is, for logs: the folder, or the S3 URL (no credentials).
    pub fn description(&self) -> &str {
        &self.inner.description
    }

    /// Stores `bytes` under `key`, replacing what was there. Atomic: a reader gets the old
    /// bytes or the new ones, never a mix or a part.
    pub async fn put(&self, key: &Key, bytes: impl Into<Bytes>) -> Result<(), StoreError> {
        let bytes: Bytes = bytes.into();
        self.inner
            .objects
            .put(&object_path(key), bytes.into())
            .await?;
        Ok(())
    }

    /// The object under `key`, or `None`. With a range, only those bytes; a range end past
    /// the object's end is cut to it (so `start..u64::MAX` reads from `start` on), and a
    /// range that selects no byte is [`StoreError::RangeNotSatisfiable`].
    pub async fn get(
        &self,
        key: &Key,
        range: Option<Range<u64>>,
    ) -> Result<Option<Stored>, StoreError> {
        let path = object_path(key);
        if let Some(range) = range.as_ref().filter(|range| range.start >= range.end) {
            return match self.head(key).await? {
                None => Ok(None),
                Some(meta) => Err(not_satisfiable(range, meta.size)),
            };
        }
        let options = GetOptions {
            range: range.clone().map(|range| match range.end {
                // "From here on": servers may refuse an end they cannot parse.
                u64::MAX => GetRange::Offset(range.start),
                _ => GetRange::Bounded(range),
            }),
            ..GetOptions::default()
        };
        match self.inner.objects.get_opts(&path, options).await {
            Ok(body) => Ok(Some(Stored {
                meta: meta_of(&body.meta),
                range: body.range.clone(),
                body,
            })),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => match range {
                // Which failure was it: the range, or the store?
                Some(range) => match self.head(key).await? {
                    None => Ok(None),
                    Some(meta) if range.start >= meta.size => {
                        Err(not_satisfiable(&range, meta.size))
                    }
                    Some(_) => Err(error.into()),
                },
                None => Err(error.into()),
            },
        }
    }

    /// The object's size, time and tag, or `None`.
    pub async fn head(&self, key: &Key) -> Result<Option<StoredMeta>, StoreError> {
        match self.inner.objects.head(&object_path(key)).await {
            Ok(meta) => Ok(Some(meta_of(&meta))),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// For a local store, the file that holds (or would hold) `key`, so delivery can serve it
    /// with actix-files' `NamedFile` (sendfile, ranges, conditional requests). `None` for S3.
    pub fn local_path(&self, key: &Key) -> Option<PathBuf> {
        let root = self.inner.local_root.as_ref()?;
        let mut path = PathBuf::with_capacity(root.as_os_str().len() + 1 + key.as_str().len());
        path.push(root);
        for segment in key.segments() {
            path.push(segment);
        }
        Some(path)
    }

    /// Removes `key`; a missing key is fine.
    pub async fn delete(&self, key: &Key) -> Result<(), StoreError> {
        match self.inner.objects.delete(&object_path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    /// Removes every key under `prefix` (whole segments: `2026/1` is not `2026/11`). The
    /// empty prefix is refused: emptying a whole store takes more than one call.
    pub async fn delete_prefix(&self, prefix: &str) -> Result<(), StoreError> {
        let Some(prefix) = key::parse_prefix(prefix)? else {
            return Err(InvalidKey::new(prefix, "delete_prefix needs a non-empty prefix").into());
        };
        let objects = &self.inner.objects;
        let locations = objects
            .list(Some(&object_path(&prefix)))
            .map_ok(|meta| meta.location)
            .boxed();
        let mut deleted = objects.delete_stream(locations);
        while let Some(result) = deleted.next().await {
            match result {
                // Deleted meanwhile by someone else: just as good.
                Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
                Err(error) => return Err(error.into()),
            }
        }
        Ok(())
    }

    /// Every key under `prefix` (whole segments; `""` for all), sorted. Files in a local
    /// folder whose names are not keys are left out (and logged).
    pub async fn list(&self, prefix: &str) -> Result<Vec<Key>, StoreError> {
        let prefix = key::parse_prefix(prefix)?.map(|prefix| object_path(&prefix));
        let metas: Vec<ObjectMeta> = self
            .inner
            .objects
            .list(prefix.as_ref())
            .try_collect()
            .await?;
        let mut keys: Vec<Key> = metas
            .iter()
            .filter_map(|meta| match Key::parse(meta.location.as_ref()) {
                Ok(key) => Some(key),
                Err(error) => {
                    tracing::warn!(store = %self.inner.description, %error, "media store: a stored name that is not a key is skipped");
                    None
                }
            })
            .collect();
        keys.sort();
        Ok(keys)
    }

    /// Whether the store answers: the folder can be listed, the bucket exists and the
    /// credentials are accepted. For a readiness check; one small request.
    pub async fn check(&self) -> Result<(), StoreError> {
        let probe = ObjectPath::from("masthead-readiness-probe");
        self.inner.objects.list_with_delimiter(Some(&probe)).await?;
        Ok(())
    }
}

fn object_path(key: &Key) -> ObjectPath {
    // Key segments are already valid object_store path parts: nothing gets encoded.
    ObjectPath::from_iter(key.segments())
}

fn meta_of(meta: &ObjectMeta) -> StoredMeta {
    StoredMeta {
        size: meta.size,
        last_modified: meta.last_modified,
        e_tag: meta.e_tag.clone(),
    }
}

fn not_satisfiable(range: &Range<u64>, size: u64) -> StoreError {
    StoreError::RangeNotSatisfiable {
        start: range.start,
        end: range.end,
        size,
    }
}

/// The S3 store's own tokio runtime (see the module docs). Shut down without waiting when
/// the last clone of the store goes, which may be inside another runtime.
struct IoRuntime(Option<tokio::runtime::Runtime>);

impl IoRuntime {
    fn start() -> Result<(Self, tokio::runtime::Handle), StoreError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("media-store-io")
            .enable_all()
            .build()
            .map_err(|error| {
                StoreError::Open(format!("cannot start the S3 I/O runtime: {error}"))
            })?;
        let handle = runtime.handle().clone();
        Ok((Self(Some(runtime)), handle))
    }
}

impl Drop for IoRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

#[cfg(test)]
mod tests;
