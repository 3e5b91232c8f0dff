//! Starting the server: configuration, database, demo content, HTTP.

use actix_web::HttpServer;

use crate::cli::{Cli, ServeArgs};
use crate::clock::Clock;
use crate::config::{Config, DatabaseUrl};
use crate::http::response_cache::ResponseCache;
use crate::state::AppState;

/// Applies pending migrations.
pub fn migrate(url: &DatabaseUrl) -> Result<(), String> {
    let mut conn = crate::db::connect(url).map_err(|error| error.to_string())?;
    let applied = crate::db::migrate(&mut conn).map_err(|error| error.to_string())?;
    tracing::info!(database = %url.redacted(), applied = ?applied, "migrations applied");
    Ok(())
}

/// Prepares the database (migrations, demo content) and builds the app state.
pub fn prepare(config: &Config) -> Result<AppState, String> {
    migrate(&config.database_url)?;
    let pool = crate::db::pool(&config.database_url, config.pool_size)
        .map_err(|error| error.to_string())?;
    if config.demo {
        let mut conn = pool.get().map_err(|error| error.to_string())?;
        if crate::demo::seed_if_empty(&mut conn)
            .map_err(|error| format!("demo content: {error}"))?
        {
            tracing::info!("empty database filled with the demo site");
        }
    }
    Ok(AppState {
        pool,
        clock: Clock::system(),
        cache: ResponseCache::new(config.cache_entries),
    })
}

pub fn serve(cli: &Cli, args: &ServeArgs) -> Result<(), String> {
    let config = cli.config(args)?;
    let state = prepare(&config)?;
    let cors = config.cors_origins.clone();
    let workers = if config.workers == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        config.workers
    };
    tracing::info!(bind = %config.bind, database = %config.database_url.redacted(), workers, "serving");
    actix_web::rt::System::new()
        .block_on(async move {
            HttpServer::new(move || crate::app(state.clone(), &cors))
                .workers(workers)
                .bind(&config.bind)?
                .run()
                .await
        })
        .map_err(|error| format!("server: {error}"))
}
