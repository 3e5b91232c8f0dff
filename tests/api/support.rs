//! The test app: the real application on a real HTTP port over a fresh SQLite file, with
//! a fixed clock, plus builders for content fixtures.

use actix_web::http::StatusCode;
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use diesel::prelude::*;
use masthead::auth::tokens::Key;
use masthead::auth::{passwords, Role};
use masthead::clock::Clock;
use masthead::config::{Config, CorsOrigins, DatabaseUrl};
use masthead::db::schema::{
    article_tags, articles, categories, magazine_issue_articles, magazine_issues, menu_items,
    menus, pages, tags,
};
use masthead::db::{Pool, PooledConnection};
use masthead::storage::StoreUrl;
use serde_json::Value;

use crate::conformance;

/// With `MASTHEAD_TEST_POSTGRES_URL` set (a server where this user may create databases),
/// every test app gets a database of its own there; otherwise a SQLite file of its own.
pub const POSTGRES_ENV: &str = "MASTHEAD_TEST_POSTGRES_URL";

/// A test's own database, dropped with it.
pub struct TestDatabase {
    pub url: DatabaseUrl,
    /// (server URL, database name) for PostgreSQL, to drop it afterwards.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    pub fn create(dir: &tempfile::TempDir) -> Self {
        let Some(server) = std::env::var(POSTGRES_ENV)
            .ok()
            .filter(|url| !url.is_empty())
        else {
            return Self {
                url: DatabaseUrl::Sqlite(dir.path().join("test.db")),
                postgres: None,
            };
        };
        use diesel::connection::SimpleConnection;
        let name = format!("masthead_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = diesel::PgConnection::establish(&server)
            .expect("connect to the PostgreSQL test server");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        let base = server
            .rsplit_once('/')
            .map_or(server.as_str(), |(base, _)| base);
        Self {
            url: DatabaseUrl::Postgres(format!("{base}/{name}")),
            postgres: Some((server.clone(), name)),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        use diesel::connection::SimpleConnection;
        if let Some((server, name)) = &self.postgres {
            if let Ok(mut admin) = diesel::PgConnection::establish(server) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// The test apps' JWT key, so tests can forge tokens the way an attacker with the key would.
pub const KID: &str = "test-key";
pub const SECRET: &str = "a-test-secret-that-is-long-enough-0123456789";
pub const PASSWORD: &str = "correct horse battery staple";

/// "Now" for every test app unless a test moves it.
pub const NOW: &str = "2026-06-01T12:00:00+08:00";

pub fn instant(rfc3339: &str) -> NaiveDateTime {
    DateTime::<FixedOffset>::parse_from_rfc3339(rfc3339)
        .map(|t| t.naive_utc())
        .unwrap_or_else(|e| panic!("bad instant {rfc3339}: {e}"))
}

fn test_keys() -> Vec<Key> {
    vec![Key::parse(&format!("{KID}:{SECRET}")).expect("test key")]
}

pub struct TestApp {
    pub server: actix_test::TestServer,
    pub pool: Pool,
    pub clock: Clock,
    /// The app's response cache (None when off), to read its own accounting.
    pub cache: Option<std::sync::Arc<masthead::http::response_cache::ResponseCache>>,
    /// Where the app keeps uploaded files (a folder of its own unless configured).
    pub media_store: StoreUrl,
    /// The app's media files, to read the memory cache's own accounting.
    pub media: std::sync::Arc<masthead::resources::media::files::MediaFiles>,
    _database: TestDatabase,
    _dir: tempfile::TempDir,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    }

    /// Panics unless the response is what the OpenAPI document says `method path` answers.
    /// The whole answer, checked against the spec.
    async fn read<S>(mut response: awc::ClientResponse<S>, method: &str, path: &str) -> Self
    where
        S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>>
            + Unpin,
    {
        let bytes = response
            .body()
            .limit(64 * 1024 * 1024)
            .await
            .expect("body read");
        Self {
            status: response.status(),
            headers: response.headers().clone(),
            body: bytes.to_vec(),
        }
        .conforming(method, path)
    }

    fn conforming(self, method: &str, path: &str) -> Self {
        conformance::check(
            method,
            path,
            self.status.as_u16(),
            self.header("content-type").as_deref(),
            &self.body,
        );
        self
    }
}

/// What a test site starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Demo {
    None,
    /// The demo content; its pictures stay placeholders (storing them costs a second).
    Content,
    WithPictures,
}

impl From<bool> for Demo {
    fn from(demo: bool) -> Self {
        if demo {
            Self::Content
        } else {
            Self::None
        }
    }
}

impl TestApp {
    /// An empty site.
    pub async fn empty() -> Self {
        Self::start(false).await
    }

    /// The demo site, as on first start.
    pub async fn demo() -> Self {
        Self::start(true).await
    }

    async fn start(demo: bool) -> Self {
        Self::start_with(Demo::from(demo), test_keys(), |_| {}).await
    }

    /// The demo site with its pictures stored, as `masthead serve` makes it.
    pub async fn demo_with_pictures() -> Self {
        Self::start_with(Demo::WithPictures, test_keys(), |_| {}).await
    }

    /// An empty site whose tokens use these keys.
    pub async fn with_keys(keys: Vec<Key>) -> Self {
        Self::start_with(Demo::None, keys, |_| {}).await
    }

    /// An empty site that waits at most `timeout` for a request body.
    pub async fn with_body_timeout(timeout: std::time::Duration) -> Self {
        Self::configured(|config| config.body_timeout = timeout).await
    }

    /// An empty site with some settings changed from the tests' defaults.
    pub async fn configured(configure: impl FnOnce(&mut Config)) -> Self {
        Self::start_with(Demo::None, test_keys(), configure).await
    }

    /// A site over a database and media store that exist already (a restored backup, say),
    /// without the demo.
    pub async fn over(database_url: DatabaseUrl, media: StoreUrl) -> Self {
        let database = TestDatabase {
            url: database_url,
            postgres: None,
        };
        Self::start_on(Some(database), Demo::None, test_keys(), |config| {
            config.media.store = media
        })
        .await
    }

    async fn start_with(demo: Demo, keys: Vec<Key>, configure: impl FnOnce(&mut Config)) -> Self {
        Self::start_on(None, demo, keys, configure).await
    }

    async fn start_on(
        database: Option<TestDatabase>,
        demo: Demo,
        keys: Vec<Key>,
        configure: impl FnOnce(&mut Config),
    ) -> Self {
        conformance::prepare();
        let dir = tempfile::tempdir().expect("temp dir");
        let database = database.unwrap_or_else(|| TestDatabase::create(&dir));
        let mut config = Config::for_database(database.url.clone());
        config.demo = demo != Demo::None;
        config.jwt_keys = keys;
        config.dev = false;
        config.pool.size = 4;
        // Short, so that the outage test's 503s come quickly.
        config.pool.connection_timeout = std::time::Duration::from_millis(1500);
        config.media.store = StoreUrl::Local(dir.path().join("media"));
        configure(&mut config);
        let mut state = masthead::commands::serve::prepare(&config).expect("prepare database");
        if demo == Demo::WithPictures {
            let now = state.clock.now();
            masthead::demo::pictures::attach(&state.media, &state.pool, now)
                .await
                .expect("demo pictures");
        }
        let clock = Clock::fixed(instant(NOW));
        state.clock = clock.clone();
        let pool = state.pool.clone();
        let cache = state.cache.clone();
        let media_store = config.media.store.clone();
        let media = state.media.clone();
        let server = actix_test::start(move || masthead::app(state.clone(), &CorsOrigins::Any));
        Self {
            server,
            pool,
            clock,
            cache,
            media_store,
            media,
            _database: database,
            _dir: dir,
        }
    }

    pub fn database_url(&self) -> DatabaseUrl {
        self._database.url.clone()
    }

    /// (server URL, database name) when this app runs on PostgreSQL.
    pub fn postgres_database(&self) -> Option<(String, String)> {
        self._database.postgres.clone()
    }

    pub fn conn(&self) -> PooledConnection {
        self.pool.get().expect("connection")
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut request = self.server.get(path);
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        let mut response = request.send().await.expect("request sent");
        let body = response
            .body()
            .limit(16 * 1024 * 1024)
            .await
            .expect("body read");
        Response {
            status: response.status(),
            headers: response.headers().clone(),
            body: body.to_vec(),
        }
        .conforming("GET", path)
    }

    /// Sends `method path` with an optional bearer token, JSON body and extra headers.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Response {
        let request = self.request(method, path, token, headers);
        let sent = match body {
            Some(body) => request.send_json(body).await,
            None => request.send().await,
        };
        Response::read(sent.expect("request sent"), method, path).await
    }

    /// Sends `method path` with a raw body of this content type (an upload's form).
    pub async fn send_bytes(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Response {
        // A picture is decoded and resized before the answer: on a busy machine that
        // takes longer than the client's default 5 s.
        let request = self
            .request(method, path, token, headers)
            .insert_header(("content-type", content_type))
            .timeout(std::time::Duration::from_secs(120));
        let sent = request.send_body(body).await;
        Response::read(sent.expect("request sent"), method, path).await
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> awc::ClientRequest {
        let verb = actix_web::http::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.server.request(verb, self.server.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        request
    }

    /// A user with this role, straight into the database; returns its id.
    pub fn user(&self, email: &str, role: Role) -> i64 {
        let hash = passwords::hash(PASSWORD).expect("hash");
        masthead::resources::users::queries::create(
            &mut self.conn(),
            &masthead::auth::email::Email::normalize(email),
            email,
            role,
            &hash,
            instant(NOW),
        )
        .expect("insert user")
        .id
    }

    /// Signs in through the API; returns the whole token response.
    pub async fn login(&self, email: &str) -> Value {
        let body = serde_json::json!({"email": email, "password": PASSWORD});
        let response = self
            .send("POST", "/api/v1/auth/login", None, Some(&body), &[])
            .await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "login {email}: {}",
            response.text()
        );
        response.json()
    }

    /// A user with this role, signed in; returns an access token.
    pub async fn token_for(&self, role: Role) -> String {
        let email = format!("{}@example.com", role.as_str());
        self.user(&email, role);
        self.login(&email).await["access_token"]
            .as_str()
            .expect("access token")
            .to_owned()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.get_with(path, &[]).await
    }

    /// GETs and expects 200 with JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{path}: {}",
            response.text()
        );
        response.json()
    }

    /// GETs and expects a problem+json body with this status; returns the body.
    pub async fn get_problem(&self, path: &str, status: u16) -> Value {
        let response = self.get(path).await;
        assert_eq!(
            response.status.as_u16(),
            status,
            "{path}: {}",
            response.text()
        );
        assert_eq!(
            response.header("content-type").as_deref(),
            Some("application/problem+json"),
            "{path}"
        );
        let body = response.json();
        assert_eq!(body["status"], status, "{path}");
        for field in ["type", "title", "detail", "code"] {
            assert!(
                body[field].is_string(),
                "{path}: problem without {field}: {body}"
            );
        }
        body
    }

    pub fn category(&self, slug: &str, name: &str, parent: Option<i64>) -> i64 {
        let now = instant(NOW);
        diesel::insert_into(categories::table)
            .values((
                categories::parent_id.eq(parent),
                categories::slug.eq(slug),
                categories::name.eq(name),
                categories::created_at.eq(now),
                categories::updated_at.eq(now),
            ))
            .returning(categories::id)
            .get_result(&mut self.conn())
            .expect("insert category")
    }

    pub fn tag(&self, slug: &str, name: &str) -> i64 {
        diesel::insert_into(tags::table)
            .values((tags::slug.eq(slug), tags::name.eq(name)))
            .returning(tags::id)
            .get_result(&mut self.conn())
            .expect("insert tag")
    }

    pub fn page(&self, slug: &str, title: &str, status: &str) -> i64 {
        let now = instant(NOW);
        diesel::insert_into(pages::table)
            .values((
                pages::slug.eq(slug),
                pages::title.eq(title),
                pages::body_html.eq("<p>正文</p>"),
                pages::status.eq(status),
                pages::created_at.eq(now),
                pages::updated_at.eq(now),
            ))
            .returning(pages::id)
            .get_result(&mut self.conn())
            .expect("insert page")
    }

    pub fn issue(&self, title: &str, year: i32, article_ids: &[i64]) -> i64 {
        let now = instant(NOW);
        let id = diesel::insert_into(magazine_issues::table)
            .values((
                magazine_issues::title.eq(title),
                magazine_issues::year.eq(year),
                magazine_issues::published_on
                    .eq(chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("date")),
                magazine_issues::status.eq("published"),
                magazine_issues::created_at.eq(now),
                magazine_issues::updated_at.eq(now),
            ))
            .returning(magazine_issues::id)
            .get_result(&mut self.conn())
            .expect("insert issue");
        for (position, article_id) in article_ids.iter().enumerate() {
            diesel::insert_into(magazine_issue_articles::table)
                .values((
                    magazine_issue_articles::issue_id.eq(id),
                    magazine_issue_articles::article_id.eq(article_id),
                    magazine_issue_articles::position.eq(position as i32),
                ))
                .execute(&mut self.conn())
                .expect("insert issue article");
        }
        id
    }

    /// A menu with flat items `(label, kind, target_id, url)`.
    pub fn menu(&self, key: &str, items: &[(&str, &str, Option<i64>, Option<&str>)]) -> i64 {
        let id = diesel::insert_into(menus::table)
            .values((menus::key.eq(key), menus::name.eq(key)))
            .returning(menus::id)
            .get_result(&mut self.conn())
            .expect("insert menu");
        for (position, (label, kind, target, url)) in items.iter().enumerate() {
            diesel::insert_into(menu_items::table)
                .values((
                    menu_items::menu_id.eq(id),
                    menu_items::position.eq(position as i32),
                    menu_items::label.eq(*label),
                    menu_items::kind.eq(*kind),
                    menu_items::target_id.eq(*target),
                    menu_items::url.eq(*url),
                ))
                .execute(&mut self.conn())
                .expect("insert menu item");
        }
        id
    }
}

/// Builds an article row; published by default at a given time.
pub struct ArticleBuilder {
    slug: String,
    title: String,
    status: String,
    published_at: Option<NaiveDateTime>,
    offset_minutes: i32,
    category: Option<i64>,
    tags: Vec<i64>,
    author: Option<String>,
}

impl ArticleBuilder {
    pub fn new(slug: &str, title: &str) -> Self {
        Self {
            slug: slug.into(),
            title: title.into(),
            status: "published".into(),
            published_at: Some(instant("2021-11-16T10:00:00+08:00")),
            offset_minutes: 480,
            category: None,
            tags: Vec::new(),
            author: None,
        }
    }

    pub fn at(mut self, rfc3339: &str) -> Self {
        let parsed = DateTime::<FixedOffset>::parse_from_rfc3339(rfc3339).expect("instant");
        self.published_at = Some(parsed.naive_utc());
        self.offset_minutes = parsed.offset().local_minus_utc() / 60;
        self
    }

    pub fn draft(mut self) -> Self {
        self.status = "draft".into();
        self
    }

    pub fn archived(mut self) -> Self {
        self.status = "archived".into();
        self
    }

    pub fn category(mut self, id: i64) -> Self {
        self.category = Some(id);
        self
    }

    pub fn tags(mut self, ids: &[i64]) -> Self {
        self.tags = ids.to_vec();
        self
    }

    pub fn author(mut self, name: &str) -> Self {
        self.author = Some(name.into());
        self
    }

    pub fn insert(self, app: &TestApp) -> i64 {
        let mut conn = app.conn();
        let created = instant("2021-01-01T00:00:00Z");
        let id: i64 = diesel::insert_into(articles::table)
            .values((
                articles::slug.eq(&self.slug),
                articles::title.eq(&self.title),
                articles::summary.eq(format!("{}的摘要", self.title)),
                articles::body_html.eq(format!("<p>{}</p>", self.title)),
                articles::category_id.eq(self.category),
                articles::author_name.eq(&self.author),
                articles::status.eq(&self.status),
                articles::published_at.eq(self.published_at),
                articles::utc_offset_minutes.eq(self.offset_minutes),
                articles::created_at.eq(created),
                articles::updated_at.eq(created),
            ))
            .returning(articles::id)
            .get_result(&mut conn)
            .expect("insert article");
        for tag in self.tags {
            diesel::insert_into(article_tags::table)
                .values((
                    article_tags::article_id.eq(id),
                    article_tags::tag_id.eq(tag),
                ))
                .execute(&mut conn)
                .expect("insert article tag");
        }
        id
    }
}

/// The `slug`s of a JSON array of objects.
pub fn slugs(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {items}"))
        .iter()
        .map(|item| item["slug"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// An answer read off a raw TCP connection.
pub struct RawResponse {
    pub status: u16,
    /// The head, lower-cased, for header checks.
    pub head: String,
    pub body: String,
    /// How long the answer took, from the last byte sent.
    pub elapsed: std::time::Duration,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.head
            .lines()
            .find_map(|line| line.strip_prefix(prefix.as_str()))
            .map(str::trim)
    }

    /// Asserts an RFC 9457 body with this status.
    pub fn assert_problem(&self, status: u16, what: &str) -> Value {
        assert_eq!(self.status, status, "{what}: {}\n{}", self.head, self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{what}: {}",
            self.head
        );
        let body: Value = serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {:?}", self.body));
        assert_eq!(body["status"], status, "{what}: {body}");
        body
    }
}

impl TestApp {
    /// Sends only the head of a `POST` that announces a body of `length` bytes, and reads the
    /// answer: a body over a limit is refused from its length alone. Sending the body as well
    /// would race the server closing the connection after its early answer, and the reset
    /// can reach the client before the answer does.
    pub fn announce_body(
        &self,
        path: &str,
        token: &str,
        content_type: &str,
        length: usize,
    ) -> RawResponse {
        let head = format!(
            "POST {path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\n\
             content-type: {content_type}\r\ncontent-length: {length}\r\n\r\n"
        );
        self.raw(
            &[head.as_bytes()],
            std::time::Duration::ZERO,
            std::time::Duration::from_secs(30),
        )
    }

    /// `POST`s `body` in one chunk of a chunked body, so its length is not announced: a
    /// body over a limit is refused while it is read, and the rest of it is drained.
    pub fn stream_body(
        &self,
        path: &str,
        token: &str,
        content_type: &str,
        body: &[u8],
    ) -> RawResponse {
        let head = format!(
            "POST {path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\n\
             content-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n",
            body.len()
        );
        self.raw(
            &[head.as_bytes(), body, b"\r\n0\r\n\r\n"],
            std::time::Duration::ZERO,
            std::time::Duration::from_secs(30),
        )
    }

    /// Writes `parts` to a fresh connection, sleeping `pause` between them, then reads
    /// one answer (up to `wait`). Reads on a plain thread: the server runs on its own.
    pub fn raw(
        &self,
        parts: &[&[u8]],
        pause: std::time::Duration,
        wait: std::time::Duration,
    ) -> RawResponse {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(self.server.addr()).expect("connect");
        stream.set_read_timeout(Some(wait)).expect("read timeout");
        for (index, part) in parts.iter().enumerate() {
            if index > 0 {
                std::thread::sleep(pause);
            }
            // The server may answer and close before everything is sent.
            if stream.write_all(part).is_err() {
                break;
            }
        }
        let sent = std::time::Instant::now();
        let mut bytes = Vec::new();
        let mut buffer = [0u8; 8192];
        loop {
            match stream.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => bytes.extend_from_slice(&buffer[..n]),
            }
            if complete(&bytes) {
                break;
            }
        }
        let elapsed = sent.elapsed();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text.as_str(), ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        RawResponse {
            status,
            head: head.to_ascii_lowercase(),
            body: body.to_owned(),
            elapsed,
        }
    }
}

/// A whole answer with a `content-length` has arrived.
fn complete(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    head.lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|length| length.trim().parse::<usize>().ok())
        .is_some_and(|length| body.len() >= length)
}
