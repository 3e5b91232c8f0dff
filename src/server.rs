//! Starting the server: configuration, database, demo content, HTTP.

use actix_web::HttpServer;

use std::sync::Arc;

use crate::auth::email::Email;
use crate::auth::passwords::PasswordGate;
use crate::auth::throttle::LoginThrottle;
use crate::auth::tokens::{Key, TokenConfig, Tokens};
use crate::auth::{passwords, Role};
use crate::cli::{AddUserArgs, Cli, ServeArgs};
use crate::clock::Clock;
use crate::config::{Config, DatabaseUrl};
use crate::http::response_cache::ResponseCache;
use crate::resources::users::queries as users;
use crate::state::{AppState, Auth};

/// Applies pending migrations.
pub fn migrate(url: &DatabaseUrl) -> Result<(), String> {
    let mut conn = crate::db::connect(url).map_err(|error| error.to_string())?;
    let applied = crate::db::migrate(&mut conn).map_err(|error| error.to_string())?;
    tracing::info!(database = %url.redacted(), applied = ?applied, "migrations applied");
    Ok(())
}

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

/// `masthead export`: to a file or standard output.
pub fn export(url: &DatabaseUrl, args: &crate::cli::ExportArgs) -> Result<(), String> {
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
    Ok(())
}

/// Creates a user (the CLI's `user add`).
pub fn add_user(url: &DatabaseUrl, args: &AddUserArgs, password: &str) -> Result<(), String> {
    let role = Role::parse(&args.role).ok_or_else(|| format!("unknown role `{}`", args.role))?;
    if password.chars().count() < passwords::MIN_LENGTH {
        return Err(format!(
            "the password must have at least {} characters",
            passwords::MIN_LENGTH
        ));
    }
    let email =
        Email::parse(&args.email).map_err(|message| format!("`{}`: {message}", args.email))?;
    migrate(url)?;
    let mut conn = crate::db::connect(url).map_err(|error| error.to_string())?;
    if users::by_email(&mut conn, &email)
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Err(format!("a user with the email {email} exists already"));
    }
    let hash = passwords::hash(password)?;
    let user = users::create(
        &mut conn,
        &email,
        &args.name,
        role,
        &hash,
        Clock::system().now(),
    )
    .map_err(|error| error.to_string())?;
    println!(
        "created {} user {} (id {})",
        role.as_str(),
        user.email,
        user.id
    );
    Ok(())
}

/// Prepares the database (migrations, demo content) and builds the app state.
pub fn prepare(config: &Config) -> Result<AppState, String> {
    migrate(&config.database_url)?;
    let pool =
        crate::db::pool(&config.database_url, &config.pool).map_err(|error| error.to_string())?;
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
            tokens: Tokens::new(TokenConfig::with_keys(signing_keys(config)?))?,
            throttle: LoginThrottle::default(),
            passwords: PasswordGate::for_this_machine(),
        }),
        body_timeout: config.body_timeout,
        trusted_proxies: config.trusted_proxies.clone(),
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
