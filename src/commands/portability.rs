//! `masthead export` and `masthead import` (the format is in [`crate::portability`]).

use super::args::{ExportArgs, ImportArgs};
use super::migrate::migrate;
use crate::config::DatabaseUrl;
use crate::portability::ExportOptions;

/// `masthead export`: to a file or standard output, the media files included unless
/// `--without-files`.
pub fn export(url: &DatabaseUrl, args: &ExportArgs) -> Result<(), String> {
    migrate(url)?;
    let mut conn = crate::db::connect(url).map_err(|error| error.to_string())?;
    let store = (!args.without_files)
        .then(|| args.media.open(url))
        .transpose()?;
    let options = ExportOptions {
        with_password_hashes: args.with_password_hashes,
        files: store.as_ref(),
    };
    let out: Box<dyn std::io::Write> = match &args.to {
        Some(path) => {
            Box::new(std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::new(out);
    let exported = crate::portability::export(&mut conn, &mut out, options)?;
    std::io::Write::flush(&mut out).map_err(|e| e.to_string())?;
    tracing::info!(
        rows = exported.rows,
        files = exported.files,
        file_bytes = exported.file_bytes,
        media_store = store.as_ref().map(|store| store.description()),
        "exported"
    );
    Ok(())
}

/// `masthead import`: into an empty database, migrated first, and its files into the media
/// store unless `--without-files`. A SQLite file this import made is removed again when the
/// import fails, so that the next try does not meet a database it did not ask for.
pub fn import(url: &DatabaseUrl, args: &ImportArgs) -> Result<(), String> {
    // Before anything is made: a missing export leaves nothing behind.
    let file =
        std::fs::File::open(&args.from).map_err(|e| format!("{}: {e}", args.from.display()))?;
    let made = match url {
        DatabaseUrl::Sqlite(path) if !path.exists() => Some(path.clone()),
        _ => None,
    };
    let imported = import_from(url, args, file);
    if let (Err(_), Some(path)) = (&imported, made) {
        for suffix in ["", "-wal", "-shm"] {
            let mut name = path.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
    imported
}

fn import_from(url: &DatabaseUrl, args: &ImportArgs, file: std::fs::File) -> Result<(), String> {
    migrate(url)?;
    let mut conn = crate::db::connect(url).map_err(|error| error.to_string())?;
    let store = (!args.without_files)
        .then(|| args.media.open(url))
        .transpose()?;
    let imported = crate::portability::import(
        &mut conn,
        &mut std::io::BufReader::new(file),
        store.as_ref(),
    )?;
    tracing::info!(
        rows = imported.rows,
        files = imported.files,
        media_store = store.as_ref().map(|store| store.description()),
        "imported"
    );
    if imported.skipped_files > 0 {
        tracing::info!(
            files = imported.skipped_files,
            "the export's files were passed over (--without-files)"
        );
    }
    if let Some(first) = imported.folders_without_files.first() {
        tracing::warn!(
            folders = imported.folders_without_files.len(),
            first = %first,
            "media records whose files the export does not carry (made with --without-files, \
             or by an older release): their pictures answer 404 until the files are copied \
             into the media store"
        );
    }
    Ok(())
}
