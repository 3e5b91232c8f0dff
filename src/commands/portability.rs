//! `masthead export` and `masthead import` (the format is in [`crate::portability`]).

use super::args::ExportArgs;
use super::migrate::migrate;
use crate::config::DatabaseUrl;

/// `masthead export`: to a file or standard output.
pub fn export(url: &DatabaseUrl, args: &ExportArgs) -> Result<(), String> {
    migrate(url)?;
    let mut conn = crate::db::connect(url).map_err(|error| error.to_string())?;
    let count = match &args.to {
        Some(path) => {
            let file =
                std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            let count = crate::portability::export(&mut conn, &mut out, args.with_password_hashes)?;
            std::io::Write::flush(&mut out).map_err(|e| e.to_string())?;
            count
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let count = crate::portability::export(&mut conn, &mut out, args.with_password_hashes)?;
            std::io::Write::flush(&mut out).map_err(|e| e.to_string())?;
            count
        }
    };
    tracing::info!(rows = count, "exported");
    Ok(())
}

/// `masthead import`: into an empty database, migrated first.
pub fn import(url: &DatabaseUrl, from: &std::path::Path) -> Result<(), String> {
    migrate(url)?;
    let mut conn = crate::db::connect(url).map_err(|error| error.to_string())?;
    let file = std::fs::File::open(from).map_err(|e| format!("{}: {e}", from.display()))?;
    let count = crate::portability::import(&mut conn, &mut std::io::BufReader::new(file))?;
    tracing::info!(rows = count, "imported");
    // The index and related lists are derived, not exported: made again from the articles.
    let indexed = crate::resources::search::index::rebuild(&mut conn).map_err(|e| e.to_string())?;
    tracing::info!(articles = indexed, "search index rebuilt");
    Ok(())
}
