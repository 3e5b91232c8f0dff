//! Typed configuration, built once from flags and environment variables and passed in.

use std::path::PathBuf;
use std::time::Duration;

use crate::auth::tokens::Key;

/// Where the content lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite database file (created with its folder when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

impl DatabaseUrl {
    /// Accepts `postgres://…`/`postgresql://…`, `sqlite://path`, `sqlite:path` or a bare file path.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("the database URL is empty".into());
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
            .unwrap_or(raw);
        if path == ":memory:" || path.is_empty() {
            // Every pooled connection would get its own empty database.
            return Err("an in-memory SQLite database cannot be shared by the connection pool; give a file path".into());
        }
        if path.contains("://") {
            return Err(format!(
                "unsupported database URL scheme in `{raw}`: use a SQLite file path or postgres://"
            ));
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }

    /// The URL with any password masked, for logs.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(url) => match (url.find("://"), url.rfind('@')) {
                (Some(scheme_end), Some(at)) if at > scheme_end => {
                    let credentials = &url[scheme_end + 3..at];
                    let user = credentials.split(':').next().unwrap_or("");
                    format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..])
                }
                _ => url.clone(),
            },
        }
    }
}

/// JWT keys: EdDSA pairs from `MASTHEAD_JWT_EDDSA_KEYS` (`kid:private.pem:public.pem,…`),
/// or HS256 secrets from `MASTHEAD_JWT_KEYS` (`kid:secret,kid:secret`) or a single
/// `MASTHEAD_JWT_SECRET`; the signing key first.
pub fn parse_jwt_keys(
    keys: Option<&str>,
    secret: Option<&str>,
    eddsa: Option<&str>,
) -> Result<Vec<Key>, String> {
    let present = |value: Option<&str>| value.filter(|v| !v.trim().is_empty()).map(str::to_owned);
    match (present(eddsa), present(keys), present(secret)) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            Err("set either EdDSA keys or HS256 secrets, not both".into())
        }
        (Some(pairs), None, None) => pairs.split(',').map(Key::ed25519_files).collect(),
        (None, Some(keys), _) => keys.split(',').map(|key| Key::parse(key.trim())).collect(),
        (None, None, Some(secret)) => Ok(vec![Key::parse(&secret)?]),
        (None, None, None) => Ok(Vec::new()),
    }
}

/// True for addresses only this machine can reach.
pub fn is_loopback(bind: &str) -> bool {
    let host = bind.rsplit_once(':').map_or(bind, |(host, _)| host);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Which origins may read the public API from a browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    Any,
    List(Vec<String>),
}

impl CorsOrigins {
    /// `*` (or nothing) for any origin, else a comma-separated list of `scheme://host[:port]`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let origins: Vec<String> = raw
            .split(',')
            .map(|origin| origin.trim().trim_end_matches('/').to_owned())
            .filter(|origin| !origin.is_empty())
            .collect();
        if origins.is_empty() || origins.iter().any(|origin| origin == "*") {
            return Ok(Self::Any);
        }
        for origin in &origins {
            let uri = origin.parse::<actix_web::http::Uri>().ok();
            let is_origin = uri.as_ref().is_some_and(|uri| {
                uri.scheme().is_some()
                    && uri.host().is_some()
                    && uri.path_and_query().is_none_or(|p| p.as_str() == "/")
            });
            if !is_origin {
                return Err(format!(
                    "--cors-origins: `{origin}` is not an origin (scheme://host[:port], e.g. https://www.example.com)"
                ));
            }
        }
        Ok(Self::List(origins))
    }
}

/// Checks a listen address (`host:port`) before anything else starts, naming the option.
pub fn check_bind(bind: &str) -> Result<(), String> {
    use std::net::ToSocketAddrs;
    match bind.to_socket_addrs().map(|mut addresses| addresses.next()) {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(format!("--bind `{bind}`: names no address")),
        Err(error) => Err(format!(
            "--bind `{bind}`: not a host and port such as 127.0.0.1:8080 ({error})"
        )),
    }
}

/// The response cache's default cap on entries: with bodies kept in brotli, an article page
/// takes about 1.3 KB, so the byte cap binds near this. Zipf-distributed reads over 100,000
/// articles need about 45,000 pages cached for a 90 % hit ratio.
pub const DEFAULT_CACHE_ENTRIES: usize = 50_000;
/// The response cache's default cap on memory: 64 MiB.
pub const DEFAULT_CACHE_BYTES: usize = 64 * 1024 * 1024;
/// The default for [`Config::body_timeout`]: far above what a 1 MiB body needs on a slow
/// link, far below "for ever".
pub const DEFAULT_BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// Pool size and timeouts.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub size: u32,
    /// How long a request waits for a connection before answering 503.
    pub connection_timeout: Duration,
    /// PostgreSQL cancels a statement running longer than this (0: no limit).
    pub statement_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            size: 8,
            connection_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(30),
        }
    }
}

/// Everything the server needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub bind: String,
    pub cors_origins: CorsOrigins,
    /// Fill an empty database with the reference site on start.
    pub demo: bool,
    /// Connections kept by the pool, and its timeouts.
    pub pool: PoolSettings,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// Public responses kept in the response cache at most; 0 turns it off.
    pub cache_entries: usize,
    /// Bytes the response cache may hold (bodies, keys, headers, bookkeeping); 0 turns it
    /// off. A response over an eighth of it is not cached.
    pub cache_bytes: usize,
    /// JWT keys, the signing one first. Empty: an ephemeral key in dev mode, else refused.
    pub jwt_keys: Vec<Key>,
    /// Development mode: allows starting without a JWT secret.
    pub dev: bool,
    /// How long a request body may take to arrive once its head has (actix's
    /// `client_request_timeout` covers the head only); then 408.
    pub body_timeout: std::time::Duration,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for per-address limits).
    pub trusted_proxies: crate::http::client_address::TrustedProxies,
    /// Uploaded pictures: where they are kept, how they are sized and served.
    pub media: MediaSettings,
}

/// Uploaded pictures.
#[derive(Debug, Clone)]
pub struct MediaSettings {
    /// Where the files are kept: a folder, or an S3-compatible bucket.
    pub store: crate::storage::StoreUrl,
    /// What media URLs start with: `/media` (served by this server) or a CDN's origin and
    /// path, without a trailing `/`.
    pub base_url: String,
    /// The largest upload, in bytes; a larger one is 413.
    pub max_upload_bytes: usize,
    /// Rendition widths, the pixel limit and encoder qualities.
    pub pictures: crate::pictures::Settings,
    /// Keep each upload's bytes as sent (with its metadata), never served.
    pub keep_originals: bool,
    /// Pictures decoded and resized at once, at most; others wait their turn.
    pub image_workers: usize,
    /// Bytes of small stored files kept in memory to serve them (0: none); see
    /// `resources::media::file_cache`.
    pub cache_bytes: usize,
}

pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// The default for [`MediaSettings::cache_bytes`]: 32 MiB.
pub const DEFAULT_MEDIA_CACHE_BYTES: usize = 32 * 1024 * 1024;

impl MediaSettings {
    /// The defaults, with the files in a `media` folder beside a SQLite database (or under
    /// `data/` for PostgreSQL): one folder holds the whole site.
    pub fn beside(database_url: &DatabaseUrl) -> Self {
        let folder = match database_url {
            DatabaseUrl::Sqlite(file) => file
                .parent()
                .filter(|dir| !dir.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("media"), |dir| dir.join("media")),
            DatabaseUrl::Postgres(_) => PathBuf::from("data/media"),
        };
        Self {
            store: crate::storage::StoreUrl::Local(folder),
            base_url: "/media".into(),
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            pictures: crate::pictures::Settings::default(),
            keep_originals: false,
            image_workers: 2,
            cache_bytes: DEFAULT_MEDIA_CACHE_BYTES,
        }
    }
}

impl Config {
    /// A configuration for a given database with every other setting at its default.
    pub fn for_database(database_url: DatabaseUrl) -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            cors_origins: CorsOrigins::Any,
            demo: true,
            pool: PoolSettings::default(),
            workers: 0,
            cache_entries: DEFAULT_CACHE_ENTRIES,
            cache_bytes: DEFAULT_CACHE_BYTES,
            jwt_keys: Vec::new(),
            dev: true,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            trusted_proxies: Default::default(),
            media: MediaSettings::beside(&database_url),
            database_url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cors_origins_and_the_bind_address_are_checked_naming_the_option() {
        assert_eq!(CorsOrigins::parse(""), Ok(CorsOrigins::Any));
        assert_eq!(CorsOrigins::parse("*"), Ok(CorsOrigins::Any));
        assert_eq!(
            CorsOrigins::parse("https://a.example, http://b.example:8080/"),
            Ok(CorsOrigins::List(vec![
                "https://a.example".into(),
                "http://b.example:8080".into()
            ]))
        );
        for bad in ["not a url", "a.example", "https://a.example/path"] {
            let refused = CorsOrigins::parse(bad).expect_err(bad);
            assert!(refused.starts_with("--cors-origins"), "{refused}");
        }
        assert_eq!(check_bind("127.0.0.1:8080"), Ok(()));
        assert_eq!(check_bind("[::1]:0"), Ok(()));
        for bad in ["nonsense", "127.0.0.1", ":8080x"] {
            let refused = check_bind(bad).expect_err(bad);
            assert!(refused.starts_with("--bind"), "{refused}");
        }
    }
}
