//! `masthead backup`: a consistent copy of a live SQLite database ([`crate::db::backup`])
//! and, in a new folder beside it, of its media files: a folder that works as a media
//! store (`--media-store`), next to a file that works as the database.
//!
//! The database is copied first, then the files. Files are written before the rows that
//! name them, so every folder the copy names was in the store when the copy was taken; but
//! a record deleted or given a new file while the files are copied takes its old folder
//! with it. The copy is checked afterwards, and a folder it names but lacks is reported.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::args::BackupArgs;
use crate::config::DatabaseUrl;
use crate::resources::media::queries::stored_folders;
use crate::storage::blocking::BlockingStore;
use crate::storage::StoreUrl;

/// `masthead backup --to FILE [--media-to FOLDER]`.
pub fn backup(url: &DatabaseUrl, args: &BackupArgs) -> Result<(), String> {
    let store = args.media.store_url(url)?;
    let media_to = media_target(&store, args);
    if let Some(folder) = media_to.as_ref().filter(|folder| folder.exists()) {
        return Err(format!(
            "{} exists already: give a new folder for the media files (--media-to)",
            folder.display()
        ));
    }
    crate::db::backup(url, &args.to)?;
    let Some(folder) = media_to else {
        return Ok(());
    };
    if let Err(error) = copy_files(&store, &folder, &args.to) {
        // Half a backup would pass for a whole one: neither copy stays.
        let _ = std::fs::remove_file(&args.to);
        let _ = std::fs::remove_dir_all(&folder);
        return Err(format!("backup of the media files: {error}"));
    }
    Ok(())
}

/// Where the files go: `--media-to`, else beside the database's copy for a local store.
/// An S3 bucket is not copied unless asked: its own tools (versioning, replication) back
/// it up without moving every file through this machine.
fn media_target(store: &StoreUrl, args: &BackupArgs) -> Option<PathBuf> {
    if args.without_files {
        return None;
    }
    match (store, &args.media_to) {
        (_, Some(folder)) => Some(folder.clone()),
        (StoreUrl::Local(_), None) => {
            let mut name = args.to.clone().into_os_string();
            name.push(".media");
            Some(PathBuf::from(name))
        }
        (StoreUrl::S3(_), None) => {
            tracing::warn!(
                media_store = %store,
                "the media files are in an S3 bucket and were not copied: back the bucket up \
                 with its own tools (versioning, replication), or pass --media-to FOLDER to \
                 copy them; only the database was backed up"
            );
            None
        }
    }
}

/// Copies every file of the store into a new local store at `folder`, one at a time, then
/// checks that each folder the database copy names came along.
fn copy_files(store: &StoreUrl, folder: &Path, database: &Path) -> Result<(), String> {
    let source = BlockingStore::open(store).map_err(|e| e.to_string())?;
    let target =
        BlockingStore::open(&StoreUrl::Local(folder.to_owned())).map_err(|e| e.to_string())?;
    let mut copied = BTreeSet::new();
    let mut bytes = 0;
    for key in source.list("").map_err(|e| e.to_string())? {
        // `None`: removed since the listing, with the record that named it.
        if let Some(file) = source.read(&key).map_err(|e| e.to_string())? {
            bytes += file.len();
            target.put(&key, file).map_err(|e| format!("{key}: {e}"))?;
            copied.insert(key.to_string());
        }
    }
    let mut conn =
        crate::db::connect(&DatabaseUrl::Sqlite(database.to_owned())).map_err(|e| e.to_string())?;
    let named = stored_folders(&mut conn).map_err(|e| e.to_string())?;
    let missing: Vec<&String> = named
        .iter()
        .filter(|named| {
            let prefix = format!("{named}/");
            !copied
                .range(prefix.clone()..)
                .next()
                .is_some_and(|key| key.starts_with(&prefix))
        })
        .collect();
    if let Some(first) = missing.first() {
        tracing::warn!(
            folders = missing.len(),
            first = %first,
            "the backup's database names folders the copy lacks (removed while the files \
             were copied, or missing from the media store): run the backup again for a \
             complete copy"
        );
    }
    tracing::info!(
        files = copied.len(),
        bytes,
        from = source.description(),
        to = %folder.display(),
        "media files copied"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::args::MediaStoreArgs;

    fn args(store: &str, media_to: Option<&str>, without_files: bool) -> (StoreUrl, BackupArgs) {
        let args = BackupArgs {
            to: PathBuf::from("/backups/site.db"),
            media_to: media_to.map(PathBuf::from),
            without_files,
            media: MediaStoreArgs {
                media_store: Some(store.to_owned()),
            },
        };
        let url = args
            .media
            .store_url(&DatabaseUrl::Sqlite("site.db".into()))
            .unwrap();
        (url, args)
    }

    #[test]
    fn the_files_go_beside_the_copy_unless_in_a_bucket_or_left_out() {
        let bucket = "s3://pictures?endpoint=http://127.0.0.1:9000&allow_http=true";
        for (store, media_to, without_files, target) in [
            (
                "/var/lib/masthead/media",
                None,
                false,
                Some("/backups/site.db.media"),
            ),
            (
                "/var/lib/masthead/media",
                Some("/elsewhere"),
                false,
                Some("/elsewhere"),
            ),
            ("/var/lib/masthead/media", None, true, None),
            (bucket, None, false, None),
            (bucket, Some("/elsewhere"), false, Some("/elsewhere")),
        ] {
            let (url, args) = args(store, media_to, without_files);
            assert_eq!(
                media_target(&url, &args),
                target.map(PathBuf::from),
                "{store} {media_to:?} {without_files}"
            );
        }
    }
}
