//! The media store for code that is not async: the command line's export, import and
//! backup, which run between diesel calls in one transaction.
//!
//! The same [`MediaStore`], each call run to completion on a small runtime of its own (the
//! local store does its file I/O on that runtime's blocking pool; S3 keeps its own I/O
//! runtime). Blocking: never call it from async code, where driving another runtime
//! panics (tests call it inside `spawn_blocking`).

use bytes::Bytes;

use super::{Key, MediaStore, StoreError, StoreUrl};

/// A [`MediaStore`] whose calls block until done.
pub struct BlockingStore {
    store: MediaStore,
    runtime: tokio::runtime::Runtime,
}

impl std::fmt::Debug for BlockingStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("BlockingStore").field(&self.store).finish()
    }
}

impl BlockingStore {
    /// Opens the store as [`MediaStore::open`] does (S3 credentials from the environment).
    pub fn open(url: &StoreUrl) -> Result<Self, StoreError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| StoreError::Open(format!("cannot start a runtime: {error}")))?;
        Ok(Self {
            store: MediaStore::open(url)?,
            runtime,
        })
    }

    /// What the store is, for messages: the folder, or the S3 URL (no credentials).
    pub fn description(&self) -> &str {
        self.store.description()
    }

    /// Every key under `prefix` (whole segments; `""` for all), sorted.
    pub fn list(&self, prefix: &str) -> Result<Vec<Key>, StoreError> {
        self.runtime.block_on(self.store.list(prefix))
    }

    /// The whole object under `key`, or `None`.
    pub fn read(&self, key: &Key) -> Result<Option<Bytes>, StoreError> {
        self.runtime.block_on(async {
            match self.store.get(key, None).await? {
                Some(stored) => Ok(Some(stored.bytes().await?)),
                None => Ok(None),
            }
        })
    }

    /// Stores `bytes` under `key`, atomically (see [`MediaStore::put`]).
    pub fn put(&self, key: &Key, bytes: Bytes) -> Result<(), StoreError> {
        self.runtime.block_on(self.store.put(key, bytes))
    }

    /// Removes `key`; a missing key is fine.
    pub fn delete(&self, key: &Key) -> Result<(), StoreError> {
        self.runtime.block_on(self.store.delete(key))
    }
}
