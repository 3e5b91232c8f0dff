//! The command line's flags and subcommands; every flag also reads an environment variable.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{
    is_loopback, parse_jwt_keys, Config, CorsOrigins, DatabaseUrl, PoolSettings,
    DEFAULT_CACHE_BYTES, DEFAULT_CACHE_ENTRIES,
};
use crate::http::client_address::TrustedProxies;
use crate::storage::blocking::BlockingStore;
use crate::storage::StoreUrl;

#[derive(Debug, Parser)]
#[command(
    name = "masthead",
    version,
    about = "Headless content API for news and magazine sites"
)]
pub struct Cli {
    /// SQLite file path (`data/masthead.db`, `sqlite://path`) or `postgres://…` URL.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "data/masthead.db",
        global = true
    )]
    pub database_url: String,

    /// Log format.
    #[arg(long, env = "MASTHEAD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Json, global = true)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    /// One JSON object per line.
    Json,
    /// Human-readable lines with key=value fields.
    Text,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (the default): migrates, fills an empty database with the demo
    /// site unless --no-demo, and serves.
    Serve(Box<ServeArgs>),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document and exit.
    Openapi,
    /// Add generated published articles (for benchmarks and load tests).
    Generate(GenerateArgs),
    /// Copy a live SQLite database, consistently, to a new file (SQLite's `VACUUM INTO`),
    /// and its media files to a new folder beside it.
    Backup(BackupArgs),
    /// Write the whole site as JSON Lines (content, menus, settings, users, media records
    /// and their uploaded files).
    Export(ExportArgs),
    /// Load an export into an empty database (either backend), and its files into the
    /// media store.
    Import(ImportArgs),
    /// Build the search index and every article's related list again from the stored
    /// articles (imports and `generate` do it themselves).
    Reindex,
    /// Manage users: `masthead user add --email … --name … --role admin`.
    #[command(subcommand)]
    User(UserCommand),
}

/// Where uploaded files are kept: one flag for every command that reads or writes them.
#[derive(Debug, Clone, Default, Args)]
pub struct MediaStoreArgs {
    /// Where uploaded pictures are kept: a folder (default: `media` beside a SQLite
    /// database, `data/media` with PostgreSQL) or an S3-compatible bucket,
    /// `s3://bucket/prefix?endpoint=https://…&region=…` (credentials from
    /// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
    #[arg(long, env = "MASTHEAD_MEDIA_STORE")]
    pub media_store: Option<String>,
}

impl MediaStoreArgs {
    /// The store these flags name for this database.
    pub fn store_url(&self, database_url: &DatabaseUrl) -> Result<StoreUrl, String> {
        match &self.media_store {
            Some(store) => store
                .parse()
                .map_err(|error| format!("--media-store: {error}")),
            None => Ok(crate::config::MediaSettings::beside(database_url).store),
        }
    }

    /// The store, opened for the command line's blocking calls.
    pub fn open(&self, database_url: &DatabaseUrl) -> Result<BlockingStore, String> {
        BlockingStore::open(&self.store_url(database_url)?)
            .map_err(|error| format!("media store: {error}"))
    }
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The file to write; standard output when absent.
    #[arg(long)]
    pub to: Option<std::path::PathBuf>,
    /// Include users' password hashes (left out by default).
    #[arg(long)]
    pub with_password_hashes: bool,
    /// Leave the uploaded files out: rows only (copy the media store yourself).
    #[arg(long)]
    pub without_files: bool,
    #[command(flatten)]
    pub media: MediaStoreArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The export to load.
    #[arg(long)]
    pub from: std::path::PathBuf,
    /// Pass over the export's files: rows only (the media store has them already).
    #[arg(long)]
    pub without_files: bool,
    #[command(flatten)]
    pub media: MediaStoreArgs,
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The new file; it must not exist yet.
    #[arg(long)]
    pub to: std::path::PathBuf,
    /// The new folder for a copy of the media files; it must not exist yet. Default: the
    /// backup file's name with `.media` added (`site.db` → `site.db.media`), for a local
    /// media store; an S3 bucket is copied only when this is given.
    #[arg(long)]
    pub media_to: Option<std::path::PathBuf>,
    /// Copy the database only.
    #[arg(long, conflicts_with = "media_to")]
    pub without_files: bool,
    #[command(flatten)]
    pub media: MediaStoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. The password is read from MASTHEAD_USER_PASSWORD, or else from the
    /// first line of standard input; there is no default password.
    Add(AddUserArgs),
    /// Give an existing user a new password (read as for `add`), ending their sessions: the
    /// way back in after an import without password hashes.
    Password(UserPasswordArgs),
}

#[derive(Debug, Clone, Args)]
pub struct UserPasswordArgs {
    #[arg(long)]
    pub email: String,
}

#[derive(Debug, Clone, Args)]
pub struct AddUserArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    /// admin, editor or author.
    #[arg(long, value_parser = ["admin", "editor", "author"])]
    pub role: String,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "MASTHEAD_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// Origins allowed to read the API from a browser: `*` or a comma-separated list.
    #[arg(long, env = "MASTHEAD_CORS_ORIGINS", default_value = "*")]
    pub cors_origins: String,

    /// Start with an empty database instead of the demo site.
    #[arg(long, env = "MASTHEAD_NO_DEMO", value_parser = clap::builder::BoolishValueParser::new())]
    pub no_demo: bool,

    /// Database connections in the pool.
    #[arg(long, env = "MASTHEAD_POOL_SIZE", default_value_t = 8,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub pool_size: u32,

    /// Milliseconds a request waits for a database connection before answering 503.
    #[arg(long, env = "MASTHEAD_POOL_TIMEOUT_MS", default_value_t = 5_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub pool_timeout_ms: u64,

    /// PostgreSQL statement timeout in milliseconds (0: none).
    #[arg(long, env = "MASTHEAD_STATEMENT_TIMEOUT_MS", default_value_t = 30_000)]
    pub statement_timeout_ms: u64,

    /// HTTP worker threads (0: one per core).
    #[arg(long, env = "MASTHEAD_WORKERS", default_value_t = 0)]
    pub workers: usize,

    /// Public responses kept in memory at most, revalidated against the database on every
    /// request (0: no cache).
    #[arg(long, env = "MASTHEAD_CACHE_ENTRIES", default_value_t = DEFAULT_CACHE_ENTRIES)]
    pub cache_entries: usize,

    /// Bytes the response cache may hold, bodies, keys and headers counted (0: no cache).
    /// The least recently used responses go first; one over an eighth of it is not cached.
    #[arg(long, env = "MASTHEAD_CACHE_BYTES", default_value_t = DEFAULT_CACHE_BYTES)]
    pub cache_bytes: usize,

    /// JWT signing secret (32 bytes or more). Required unless in dev mode.
    #[arg(long, env = "MASTHEAD_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// Several JWT keys for rotation, `kid:secret,kid:secret`; the first signs, all verify.
    #[arg(long, env = "MASTHEAD_JWT_KEYS", hide_env_values = true)]
    pub jwt_keys: Option<String>,

    /// EdDSA (Ed25519) keys instead of HS256 secrets: `kid:private.pem:public.pem,…`; the
    /// first signs, all verify.
    #[arg(long, env = "MASTHEAD_JWT_EDDSA_KEYS")]
    pub jwt_eddsa_keys: Option<String>,

    /// Milliseconds a request body may take to arrive after its head; then 408.
    #[arg(long, env = "MASTHEAD_BODY_TIMEOUT_MS", default_value_t = 15_000)]
    pub body_timeout_ms: u64,

    /// Reverse proxies (addresses or networks, comma-separated) whose `X-Forwarded-For`
    /// names the client, for the per-address login limit; none by default.
    #[arg(long, env = "MASTHEAD_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,

    /// Development mode: without a JWT secret, use a random one for this process only.
    /// A server bound to a loopback address is in dev mode.
    #[arg(long, env = "MASTHEAD_DEV", value_parser = clap::builder::BoolishValueParser::new())]
    pub dev: bool,

    #[command(flatten)]
    pub media: MediaStoreArgs,

    /// What media URLs start with: `/media` (this server serves them) or a CDN's origin,
    /// `https://cdn.example.com/media`.
    #[arg(long, env = "MASTHEAD_MEDIA_BASE_URL", default_value = "/media")]
    pub media_base_url: String,

    /// The largest upload in bytes (413 beyond).
    #[arg(long, env = "MASTHEAD_MAX_UPLOAD_BYTES", default_value_t = crate::config::DEFAULT_MAX_UPLOAD_BYTES)]
    pub max_upload_bytes: usize,

    /// The most pixels (width × height) an uploaded picture may have (422 beyond, refused
    /// before it is decoded).
    #[arg(long, env = "MASTHEAD_MAX_IMAGE_PIXELS", default_value_t = 50_000_000)]
    pub max_image_pixels: u64,

    /// Rendition widths in pixels, comma-separated; none wider than the picture is made.
    #[arg(
        long,
        env = "MASTHEAD_IMAGE_WIDTHS",
        default_value = "320,640,960,1280,1920"
    )]
    pub image_widths: String,

    /// Pictures processed at once, at most (each holds its decoded pixels in memory).
    #[arg(long, env = "MASTHEAD_IMAGE_WORKERS", default_value_t = 2)]
    pub image_workers: usize,

    /// Keep each upload's bytes as sent, metadata included (never served).
    #[arg(long, env = "MASTHEAD_KEEP_ORIGINALS", value_parser = clap::builder::BoolishValueParser::new())]
    pub keep_originals: bool,

    /// Bytes of stored files (under 512 KiB each) kept in memory to serve them, each
    /// checked against its file on every request (0: none). The least recently used go
    /// first; a file over an eighth of it is not kept.
    #[arg(long, env = "MASTHEAD_MEDIA_CACHE_BYTES", default_value_t = crate::config::DEFAULT_MEDIA_CACHE_BYTES)]
    pub media_cache_bytes: usize,
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            cors_origins: "*".into(),
            no_demo: false,
            pool_size: 8,
            pool_timeout_ms: 5_000,
            statement_timeout_ms: 30_000,
            workers: 0,
            cache_entries: DEFAULT_CACHE_ENTRIES,
            cache_bytes: DEFAULT_CACHE_BYTES,
            jwt_secret: None,
            jwt_keys: None,
            jwt_eddsa_keys: None,
            dev: false,
            body_timeout_ms: 15_000,
            trusted_proxies: String::new(),
            media: MediaStoreArgs::default(),
            media_base_url: "/media".into(),
            max_upload_bytes: crate::config::DEFAULT_MAX_UPLOAD_BYTES,
            max_image_pixels: 50_000_000,
            image_widths: "320,640,960,1280,1920".into(),
            image_workers: 2,
            keep_originals: false,
            media_cache_bytes: crate::config::DEFAULT_MEDIA_CACHE_BYTES,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// How many articles to add.
    #[arg(long, default_value_t = 100_000)]
    pub articles: u32,
    /// Write articles about known topics (24, in `src/demo/topics.json`; the slug `t07-…`
    /// names the topic) instead of one repeated text: for evaluating search and related
    /// articles (`bench/search-eval.sh`).
    #[arg(long)]
    pub topics: bool,
}

impl Cli {
    /// The server configuration these flags describe.
    pub fn config(&self, serve: &ServeArgs) -> Result<Config, String> {
        let database_url = DatabaseUrl::parse(&self.database_url)?;
        crate::config::check_bind(&serve.bind)?;
        Ok(Config {
            media: media_settings(&database_url, serve)?,
            database_url,
            bind: serve.bind.clone(),
            cors_origins: CorsOrigins::parse(&serve.cors_origins)?,
            demo: !serve.no_demo,
            pool: PoolSettings {
                size: serve.pool_size,
                connection_timeout: std::time::Duration::from_millis(serve.pool_timeout_ms.max(1)),
                statement_timeout: std::time::Duration::from_millis(serve.statement_timeout_ms),
            },
            workers: serve.workers,
            cache_entries: serve.cache_entries,
            cache_bytes: serve.cache_bytes,
            jwt_keys: parse_jwt_keys(
                serve.jwt_keys.as_deref(),
                serve.jwt_secret.as_deref(),
                serve.jwt_eddsa_keys.as_deref(),
            )?,
            dev: serve.dev || is_loopback(&serve.bind),
            body_timeout: std::time::Duration::from_millis(serve.body_timeout_ms.max(1)),
            trusted_proxies: TrustedProxies::parse(&serve.trusted_proxies)?,
        })
    }
}

fn media_settings(
    database_url: &DatabaseUrl,
    serve: &ServeArgs,
) -> Result<crate::config::MediaSettings, String> {
    let mut media = crate::config::MediaSettings::beside(database_url);
    media.store = serve.media.store_url(database_url)?;
    let base_url = serve.media_base_url.trim().trim_end_matches('/');
    if crate::http::input::check_url(base_url).is_err() || base_url.contains(['?', '#']) {
        return Err(format!(
            "--media-base-url: {base_url:?} is not a path (/media) or an http(s) URL without query"
        ));
    }
    media.base_url = base_url.to_owned();
    media.max_upload_bytes = serve.max_upload_bytes;
    media.pictures.max_pixels = serve.max_image_pixels;
    media.pictures.widths = serve
        .image_widths
        .split(',')
        .map(|width| match width.trim().parse::<u32>() {
            Ok(width) if (16..=8192).contains(&width) => Ok(width),
            _ => Err(format!(
                "--image-widths: {width:?} is not a width from 16 to 8192"
            )),
        })
        .collect::<Result<_, _>>()?;
    media.image_workers = serve.image_workers.max(1);
    media.keep_originals = serve.keep_originals;
    media.cache_bytes = serve.media_cache_bytes;
    Ok(media)
}
