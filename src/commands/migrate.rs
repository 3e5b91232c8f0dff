//! `masthead migrate`, also run first by every command that opens the database.

use crate::config::DatabaseUrl;

/// Applies pending migrations.
pub fn migrate(url: &DatabaseUrl) -> Result<(), String> {
    let mut conn = crate::db::connect(url).map_err(|error| error.to_string())?;
    let applied = crate::db::migrate(&mut conn).map_err(|error| error.to_string())?;
    tracing::info!(database = %url.redacted(), applied = ?applied, "migrations applied");
    // The part of an upgrade SQL cannot do: data only this code computes.
    crate::resources::search::index::after_upgrade(&mut conn)
        .map_err(|error| format!("writing the search index of existing articles: {error}"))?;
    Ok(())
}
