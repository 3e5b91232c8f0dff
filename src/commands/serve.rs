//! Starting the server: configuration, database, demo content, HTTP.

use actix_web::HttpServer;

use std::sync::Arc;

use super::args::{Cli, ServeArgs};
use crate::auth::passwords::PasswordGate;
use crate::auth::throttle::LoginThrottle;
use crate::auth::tokens::{Key, TokenConfig, Tokens};
use crate::clock::Clock;
use crate::config::Config;
use crate::http::response_cache::ResponseCache;
use crate::resources::media::files::MediaFiles;
use crate::state::{AppState, Auth};

/// The configured JWT keys; in dev mode without any, one random key for this process.
fn signing_keys(config: &Config) -> Result<Vec<Key>, String> {
    if !config.jwt_keys.is_empty() {
        return Ok(config.jwt_keys.clone());
    }
    if !config.dev {
        return Err(
            "no JWT secret: set MASTHEAD_JWT_SECRET (32+ bytes) or MASTHEAD_JWT_KEYS; \
             only dev mode (--dev, or a loopback bind address) runs without one"
                .into(),
        );
    }
    tracing::warn!("dev mode: no JWT secret configured, using a random key for this process; tokens will not survive a restart");
    Key::parse(&format!("dev-ephemeral:{}", crate::auth::random_token())).map(|key| vec![key])
}

/// Prepares the database (migrations, demo content) and builds the app state.
pub fn prepare(config: &Config) -> Result<AppState, String> {
    // Refusals that need no database come before anything is written to it.
    let keys = signing_keys(config)?;
    super::migrate::migrate(&config.database_url)?;
    let pool =
        crate::db::pool(&config.database_url, &config.pool).map_err(|error| error.to_string())?;
    {
        let mut conn = pool.get().map_err(|error| error.to_string())?;
        let moved =
            crate::resources::media::writes::move_to_base_url(&mut conn, &config.media.base_url)
                .map_err(|error| format!("moving pictures to the media base URL: {error}"))?;
        if moved > 0 {
            tracing::info!(moved, base = %config.media.base_url, "pictures moved to the media base URL");
        }
    }
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
        cache: ResponseCache::new(config.cache_entries, config.cache_bytes),
        auth: Arc::new(Auth {
            tokens: Tokens::new(TokenConfig::with_keys(keys))?,
            throttle: LoginThrottle::default(),
            passwords: PasswordGate::for_this_machine(),
        }),
        body_timeout: config.body_timeout,
        trusted_proxies: config.trusted_proxies.clone(),
        media: MediaFiles::open(config.media.clone())
            .map_err(|error| format!("media store: {error}"))?,
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
    let demo = config.demo;
    actix_web::rt::System::new()
        .block_on(async move {
            let server = HttpServer::new({
                let state = state.clone();
                move || crate::app(state.clone(), &cors)
            })
            .workers(workers)
            // Without it a response written in two parts (head, then a file's bytes) waits
            // for the client's delayed ACK: 40 ms at the tail (see docs/benchmarks.md).
            .on_connect(|connection, _| {
                if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
                    let _ = tcp.set_nodelay(true);
                }
            })
            .bind(&config.bind)?
            .run();
            // The demo's pictures go through the pipeline while the site already answers
            // (its articles show the placeholders for those few seconds).
            if demo {
                actix_web::rt::spawn(async move {
                    let now = state.clock.now();
                    match crate::demo::pictures::attach(&state.media, &state.pool, now).await {
                        Ok(0) => {}
                        Ok(count) => tracing::info!(count, "demo pictures stored"),
                        Err(error) => tracing::warn!(%error, "demo pictures not stored"),
                    }
                });
            }
            server.await
        })
        .map_err(|error| format!("server: {error}"))
}
