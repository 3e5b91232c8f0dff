//! Uploaded files: from the bytes a client sent to the copies in the media store that a
//! media record points at.
//!
//! Each upload gets a folder of its own, `YYYY/MM/<hash>-<nonce>` (the hash of the bytes
//! and a random part), holding `full.<ext>` (the picture upright, every metadata block
//! gone) and `w<width>.<ext>` per rendition. A folder is written once and never changed:
//! its URLs can be cached for ever, and a new file is a new folder, so its URLs change.
//! Files are written before the row that names them, so a URL never names a missing file;
//! a write that fails after storing them removes them again.

use std::sync::Arc;

use actix_web::web::{self, Bytes};
use chrono::{Datelike, NaiveDateTime};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use super::file_cache::FileCache;
use super::types::Rendition;
use crate::config::MediaSettings;
use crate::error::{ApiError, FieldError};
use crate::pictures::{self, Encoded, PictureError};
use crate::storage::{Key, MediaStore};

/// The media store with the rules for what goes in it; shared by every worker.
pub struct MediaFiles {
    pub store: MediaStore,
    pub settings: MediaSettings,
    /// Bounds the pictures decoded at once: each holds its pixels in memory.
    permits: Semaphore,
    /// Small files served from memory (None when off).
    pub cache: Option<FileCache>,
}

/// Where a kept original goes: outside every upload folder, and never served. An upload
/// `YYYY/MM/<name>` keeps its original as `originals/<name>.<ext>`.
pub const ORIGINALS: &str = "originals";

/// The upload a stored file belongs to, read from its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upload<'a> {
    /// A file in an upload's folder (`2026/11/ab12-cd34/w640.webp`): the folder.
    Folder(&'a str),
    /// A kept original (`originals/ab12-cd34.jpg`): the name its upload's folder ends in.
    Original(&'a str),
}

/// Which upload `key` is part of; `None` for a key no upload writes.
pub fn upload_of(key: &Key) -> Option<Upload<'_>> {
    let key = key.as_str();
    match key
        .strip_prefix(ORIGINALS)
        .and_then(|rest| rest.strip_prefix('/'))
    {
        Some(file) => file
            .split_once('.')
            .filter(|(name, _)| !name.contains('/'))
            .map(|(name, _)| Upload::Original(name)),
        None => key
            .rsplit_once('/')
            .map(|(folder, _)| Upload::Folder(folder)),
    }
}

/// The last segment of an upload's folder, which names its kept original.
pub fn folder_name(folder: &str) -> &str {
    folder.rsplit('/').next().unwrap_or(folder)
}

/// The upload folder a stored file's URL points into, whatever the base URL it was made
/// with (`https://cdn.example.com/media/2026/11/<12 hex>-<8 hex>/full.png` →
/// `2026/11/<12 hex>-<8 hex>`); `None` for a URL of anything else. For a URL kept without
/// a media record (the demo's logo).
pub fn folder_of_url(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let mut segments = path.rsplit('/');
    let (file, name, month, year) = (
        segments.next()?,
        segments.next()?,
        segments.next()?,
        segments.next()?,
    );
    let digits =
        |text: &str, len: usize| text.len() == len && text.bytes().all(|b| b.is_ascii_digit());
    let hex = |text: &str, len: usize| {
        text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    let named = name
        .split_once('-')
        .is_some_and(|(hash, nonce)| hex(hash, HASH_HEX) && hex(nonce, NONCE_HEX));
    let folder = format!("{year}/{month}/{name}");
    (digits(year, 4)
        && digits(month, 2)
        && named
        && Key::parse(&format!("{folder}/{file}")).is_ok())
    .then_some(folder)
}

/// The hex digits of an upload folder's name: a hash of the bytes, then a random part.
const HASH_HEX: usize = 12;
const NONCE_HEX: usize = 8;

/// A stored upload, ready to be recorded.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub folder: String,
    pub url: String,
    pub mime_type: String,
    pub width: u32,
    pub height: u32,
    pub byte_size: i64,
    pub placeholder: String,
    pub renditions: Vec<Rendition>,
}

impl MediaFiles {
    pub fn open(settings: MediaSettings) -> Result<Arc<Self>, String> {
        let store = MediaStore::open(&settings.store).map_err(|error| error.to_string())?;
        Ok(Arc::new(Self {
            store,
            permits: Semaphore::new(settings.image_workers.max(1)),
            cache: FileCache::new(settings.cache_bytes),
            settings,
        }))
    }

    /// The public URL of a stored file.
    pub fn url(&self, key: &str) -> String {
        format!("{}/{key}", self.settings.base_url)
    }

    /// Checks, resizes and stores an upload. A file that is not a picture this server
    /// reads, or one with too many pixels, is a 422 naming `file`; the pixels are decoded
    /// only after the size in the header passed, and at most `image_workers` at once, off
    /// the request threads.
    pub async fn store(&self, bytes: Bytes, now: NaiveDateTime) -> Result<StoredFile, ApiError> {
        let permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::Unavailable("the picture workers stopped".into()))?;
        let settings = self.settings.pictures.clone();
        let input = bytes.clone();
        let processed = web::block(move || pictures::process(&input, &settings))
            .await
            .map_err(|error| ApiError::Internal(format!("picture worker: {error}")))?
            .map_err(refusal)?;
        drop(permit);

        let digest = Sha256::digest(&bytes);
        let hash: String = digest[..HASH_HEX / 2]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let nonce: String = uuid::Uuid::new_v4().simple().to_string()[..NONCE_HEX].to_owned();
        let folder = format!("{:04}/{:02}/{hash}-{nonce}", now.year(), now.month());

        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let full_key = format!("{folder}/full.{}", processed.full.format.extension());
        let byte_size = processed.full.bytes.len() as i64;
        let mut renditions = Vec::new();
        for Encoded {
            format,
            width,
            height,
            bytes,
        } in processed.renditions
        {
            let key = format!("{folder}/w{width}.{}", format.extension());
            renditions.push(Rendition {
                url: self.url(&key),
                width,
                height,
                mime_type: format.mime().to_owned(),
            });
            files.push((key, bytes));
        }
        renditions.sort_by(|a, b| (a.width, &a.mime_type).cmp(&(b.width, &b.mime_type)));
        files.push((full_key.clone(), processed.full.bytes));
        if self.settings.keep_originals {
            let original = format!(
                "{ORIGINALS}/{hash}-{nonce}.{}",
                processed.format.extension()
            );
            files.push((original, bytes.to_vec()));
        }
        for (key, data) in files {
            let key = Key::parse(&key).map_err(|error| ApiError::Internal(error.to_string()))?;
            if let Err(error) = self.store.put(&key, data).await {
                self.remove(&folder).await;
                return Err(ApiError::Unavailable(format!("the media store: {error}")));
            }
        }
        Ok(StoredFile {
            url: self.url(&full_key),
            folder,
            mime_type: processed.format.mime().to_owned(),
            width: processed.width,
            height: processed.height,
            byte_size,
            placeholder: processed.placeholder,
            renditions,
        })
    }

    /// Removes an upload's folder, once nothing names it; a failure is logged, as it leaves
    /// only unused files behind.
    pub async fn remove(&self, folder: &str) {
        if let Some(cache) = &self.cache {
            cache.forget_folder(folder);
        }
        if let Err(error) = self.store.delete_prefix(&format!("{folder}/")).await {
            tracing::warn!(folder, %error, "could not remove an unused upload");
        }
        // A kept original is one file beside the folders, named after the folder with its
        // format's extension: prefixes match whole segments, so each name is deleted.
        let name = folder_name(folder);
        for format in pictures::Format::ALL {
            let Ok(key) = Key::parse(&format!("{ORIGINALS}/{name}.{}", format.extension())) else {
                continue;
            };
            if let Err(error) = self.store.delete(&key).await {
                tracing::warn!(folder, %error, "could not remove an unused original");
            }
        }
    }
}

/// A picture refused for what it is: 422 naming `file`; a failure to encode what decoded
/// fine is this server's (500, logged).
fn refusal(error: PictureError) -> ApiError {
    match error {
        PictureError::Internal(message) => ApiError::Internal(format!("picture: {message}")),
        refused => ApiError::Invalid(vec![FieldError::new("file", refused.to_string())]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str) -> Key {
        Key::parse(raw).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn a_stored_key_names_its_upload() {
        let cases = [
            (
                "2026/11/ab12-cd34/w640.webp",
                Some(Upload::Folder("2026/11/ab12-cd34")),
            ),
            (
                "originals/ab12-cd34.jpg",
                Some(Upload::Original("ab12-cd34")),
            ),
            ("originals/no-extension", None),
            ("originals/a/b.jpg", None),
            ("loose.jpg", None),
        ];
        for (raw, upload) in cases {
            assert_eq!(upload_of(&key(raw)), upload, "{raw}");
        }
    }

    #[test]
    fn a_stored_file_url_names_its_folder_and_nothing_else_does() {
        let folder = "2026/06/0123456789ab-cdef0123";
        for url in [
            format!("/media/{folder}/full.png"),
            format!("https://cdn.example.com/media/{folder}/w640.webp?v=1"),
        ] {
            assert_eq!(folder_of_url(&url).as_deref(), Some(folder), "{url}");
        }
        for url in [
            "/media/logo.png",
            "https://example.com/2020/01/brand/logo.png",
            "/media/2026/06/0123456789ab-cdef012/full.png",
            "/media/2026/6/0123456789ab-cdef0123/full.png",
            "/media/2026/06/0123456789AB-cdef0123/full.png",
            "/media/2026/06/0123456789ab-cdef0123/",
        ] {
            assert_eq!(folder_of_url(url), None, "{url}");
        }
    }
}
