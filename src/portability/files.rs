//! The uploaded files in an export. After the rows, one line per stored file of each upload
//! folder the rows name, and of its kept original:
//! `{"file": {"key": "2026/11/ab12…-cd34…/w640.webp", "size": 1234, "sha256": "…", "base64": "…"}}`,
//! folders in order, each folder's files by key. Files are read and written one at a time:
//! memory holds one file, whatever the size of the site.
//!
//! An import checks each file (its size and SHA-256, and that an imported row names its
//! folder: rows come first) and writes it into the media store as its line comes. If the
//! import fails, the files it wrote are removed again; a file the store already held with
//! the same bytes is left alone.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Write;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::db::AnyConnection;
use crate::resources::media::files::{folder_name, upload_of, Upload, ORIGINALS};
use crate::resources::media::queries::stored_folders;
use crate::storage::blocking::BlockingStore;
use crate::storage::{Key, StoreError};

#[derive(Serialize)]
struct FileLine<'a> {
    file: &'a StoredFile,
}

/// One stored file, as a line carries it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredFile {
    key: String,
    size: u64,
    /// Lowercase hex.
    sha256: String,
    /// Standard alphabet, padded.
    base64: String,
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn store_failure(store: &BlockingStore) -> impl Fn(StoreError) -> String + '_ {
    move |error| format!("the media store ({}): {error}", store.description())
}

/// What an export wrote of the files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub files: u64,
    pub bytes: u64,
}

/// Writes the files of every folder the exported rows name (after the rows).
pub fn export(
    conn: &mut AnyConnection,
    store: &BlockingStore,
    out: &mut dyn Write,
) -> Result<Written, String> {
    let failed = store_failure(store);
    let folders = stored_folders(conn).map_err(|e| format!("media folders: {e}"))?;
    // Originals sit outside the folders, named after them: one listing, matched by name.
    let mut originals: BTreeMap<String, Vec<Key>> = BTreeMap::new();
    for key in store.list(ORIGINALS).map_err(&failed)? {
        if let Some(Upload::Original(name)) = upload_of(&key) {
            let name = name.to_owned();
            originals.entry(name).or_default().push(key);
        }
    }
    let mut written = Written::default();
    let mut empty = Vec::new();
    for folder in &folders {
        let mut keys = store.list(folder).map_err(&failed)?;
        if keys.is_empty() {
            empty.push(folder.as_str());
        }
        keys.extend(originals.remove(folder_name(folder)).unwrap_or_default());
        for key in keys {
            let Some(bytes) = store.read(&key).map_err(&failed)? else {
                // Its record was deleted after the rows were read.
                tracing::warn!(%key, "a file removed while exporting is left out");
                continue;
            };
            let file = StoredFile {
                key: key.to_string(),
                size: bytes.len() as u64,
                sha256: sha256_hex(&bytes),
                base64: BASE64.encode(&bytes),
            };
            serde_json::to_writer(&mut *out, &FileLine { file: &file })
                .map_err(|e| format!("file {key}: {e}"))?;
            writeln!(out).map_err(|e| e.to_string())?;
            written.files += 1;
            written.bytes += file.size;
        }
    }
    if !empty.is_empty() {
        tracing::warn!(
            count = empty.len(),
            first = empty[0],
            "media records name folders with no file in the media store: exported without files"
        );
    }
    Ok(written)
}

/// The folders the imported rows name, and the names their kept originals go by.
struct Named {
    folders: BTreeSet<String>,
    names: HashSet<String>,
}

impl Named {
    /// The set in `slot`, read from the imported rows the first time.
    fn loaded<'n>(
        slot: &'n mut Option<Self>,
        conn: &mut AnyConnection,
    ) -> Result<&'n Self, String> {
        let named = match slot.take() {
            Some(named) => named,
            None => {
                let folders = stored_folders(conn).map_err(|e| format!("media folders: {e}"))?;
                let names = folders.iter().map(|f| folder_name(f).to_owned()).collect();
                Self { folders, names }
            }
        };
        Ok(slot.insert(named))
    }
}

/// An import's files: checks each file line and writes it into the store, remembering
/// what it wrote so that a failed import can take it back.
pub struct Importer<'a> {
    store: &'a BlockingStore,
    /// Read at the first file line, once every row is in.
    named: Option<Named>,
    /// Folders that got a file line.
    covered: BTreeSet<String>,
    written: Vec<Key>,
    /// File lines taken (written, or already in the store with the same bytes).
    pub files: u64,
}

impl<'a> Importer<'a> {
    pub fn new(store: &'a BlockingStore) -> Self {
        Self {
            store,
            named: None,
            covered: BTreeSet::new(),
            written: Vec::new(),
            files: 0,
        }
    }

    /// Checks and stores the file of line `line` (`value` is its `"file"` object).
    pub fn file(
        &mut self,
        conn: &mut AnyConnection,
        line: usize,
        value: Value,
    ) -> Result<(), String> {
        let file: StoredFile =
            serde_json::from_value(value).map_err(|e| format!("line {line}: a file line: {e}"))?;
        let key = Key::parse(&file.key).map_err(|e| format!("line {line}: {e}"))?;
        let named = Named::loaded(&mut self.named, conn)?;
        let refused = |why: String| format!("line {line}: file {key} refused: {why}");
        let folder = match upload_of(&key) {
            Some(Upload::Folder(folder)) if named.folders.contains(folder) => Some(folder),
            Some(Upload::Original(name)) if named.names.contains(name) => None,
            Some(Upload::Folder(folder)) => {
                return Err(refused(format!(
                    "no imported row names its folder {folder} (an export carries only the \
                     files of its media records, after the rows)"
                )))
            }
            Some(Upload::Original(name)) => {
                return Err(refused(format!(
                    "it is the kept original of an upload {name} that no imported row names"
                )))
            }
            None => {
                return Err(refused(
                    "it is neither in an upload folder nor a kept original".into(),
                ))
            }
        };
        let bytes = BASE64
            .decode(file.base64.as_bytes())
            .map_err(|e| refused(format!("its base64 does not decode: {e}")))?;
        if bytes.len() as u64 != file.size {
            return Err(refused(format!(
                "it has {} bytes where the line says {}: the export is damaged",
                bytes.len(),
                file.size
            )));
        }
        let sha256 = sha256_hex(&bytes);
        if sha256 != file.sha256.to_ascii_lowercase() {
            return Err(refused(format!(
                "its SHA-256 is {sha256} where the line says {}: the export is damaged",
                file.sha256
            )));
        }
        if let Some(folder) = folder {
            self.covered.insert(folder.to_owned());
        }
        let failed = store_failure(self.store);
        match self.store.read(&key).map_err(&failed)? {
            // Already there (an earlier attempt, the same file twice): not ours to remove.
            Some(held) if sha256_hex(&held) == sha256 => {}
            Some(_) => {
                return Err(refused(format!(
                    "the media store ({}) already holds a different file under this key",
                    self.store.description()
                )))
            }
            None => {
                self.store
                    .put(&key, Bytes::from(bytes))
                    .map_err(|e| format!("line {line}: file {key}: {}", failed(e)))?;
                self.written.push(key);
            }
        }
        self.files += 1;
        Ok(())
    }

    /// The folders the imported rows name that no file line filled: an export made without
    /// files or by an older release. Their pictures answer 404 until the files are copied.
    pub fn folders_without_files(
        &mut self,
        conn: &mut AnyConnection,
    ) -> Result<Vec<String>, String> {
        let named = Named::loaded(&mut self.named, conn)?;
        Ok(named.folders.difference(&self.covered).cloned().collect())
    }

    /// Removes the files this import wrote. Answers, in words, any it could not remove.
    pub fn undo(self) -> Result<(), String> {
        let left: Vec<String> = self
            .written
            .iter()
            .filter_map(|key| self.store.delete(key).err().map(|e| format!("{key} ({e})")))
            .collect();
        if left.is_empty() {
            if !self.written.is_empty() {
                tracing::info!(
                    files = self.written.len(),
                    "the files written were removed again"
                );
            }
            Ok(())
        } else {
            Err(format!(
                "{} of the files written could not be removed from the media store ({}): {}",
                left.len(),
                self.store.description(),
                left.join(", ")
            ))
        }
    }
}
