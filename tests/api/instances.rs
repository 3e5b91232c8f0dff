//! Two real `masthead serve` processes on one PostgreSQL database, driven through HTTP
//! only: what one instance writes, the other serves on its very next request (response
//! caches included), and a session ended on one is ended on both.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use masthead::config::DatabaseUrl;
use serde_json::{json, Value};

use crate::support::{TestDatabase, PASSWORD};

const SECRET: &str = "a-shared-secret-for-both-instances-0123456789";

struct Instance {
    child: Child,
    base: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port")
}

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_masthead"))
}

async fn start(url: &str) -> Instance {
    start_with(url, &[("MASTHEAD_JWT_SECRET", SECRET)]).await
}

/// `masthead serve` on a free port with these environment variables, once it is ready.
async fn start_with(url: &str, environment: &[(&str, &str)]) -> Instance {
    let port = free_port();
    let child = binary()
        .args([
            "--database-url",
            url,
            "--log-format",
            "text",
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
        ])
        .envs(environment.iter().copied())
        .env("MASTHEAD_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start masthead");
    let instance = Instance {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let client = awc::Client::default();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(response) = client.get(format!("{}/readyz", instance.base)).send().await {
            if response.status().is_success() {
                return instance;
            }
        }
        assert!(
            Instant::now() < deadline,
            "instance on port {port} did not become ready"
        );
        actix_rt::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn call(
    method: &str,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value, Option<String>) {
    let client = awc::Client::default();
    let verb = actix_web::http::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = client.request(verb, &url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let mut response = match body {
        Some(body) => request.send_json(&body).await,
        None => request.send().await,
    }
    .expect("request sent");
    let cache = response
        .headers()
        .get("x-cache")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = response.body().await.expect("body");
    let path = url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|start| &rest[start..]))
        .unwrap_or("/");
    crate::conformance::check(
        method,
        path,
        response.status().as_u16(),
        response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok()),
        &bytes,
    );
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (response.status().as_u16(), json, cache)
}

#[actix_rt::test]
async fn two_instances_on_one_database_serve_each_others_writes_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDatabase::create(&dir);
    let DatabaseUrl::Postgres(url) = database.url.clone() else {
        return; // SQLite run: several instances are a PostgreSQL setup
    };
    let a = start(&url).await; // migrates and loads the demo site
    let b = start(&url).await;
    let status = binary()
        .args([
            "--database-url",
            &url,
            "user",
            "add",
            "--email",
            "editor@example.com",
            "--name",
            "编辑",
            "--role",
            "editor",
        ])
        .env("MASTHEAD_USER_PASSWORD", PASSWORD)
        .stdout(Stdio::null())
        .status()
        .expect("user add");
    assert!(status.success());

    let article = "/api/v1/articles/humiao-safety-training-nanshan";
    // B serves (and caches) the article.
    for _ in 0..2 {
        let (status, _, _) = call("GET", format!("{}{article}", b.base), None, None).await;
        assert_eq!(status, 200);
    }
    let (_, _, cache) = call("GET", format!("{}{article}", b.base), None, None).await;
    assert_eq!(cache.as_deref(), Some("hit"));

    // Signed in on A, an editor renames it through A.
    let (status, login, _) = call(
        "POST",
        format!("{}/api/v1/auth/login", a.base),
        None,
        Some(json!({"email": "editor@example.com", "password": PASSWORD})),
    )
    .await;
    assert_eq!(status, 200, "{login}");
    let token = login["access_token"].as_str().expect("token").to_owned();
    let (status, _, _) = call(
        "PATCH",
        format!("{}{article}", a.base),
        Some(&token),
        Some(json!({"title": "改过的标题"})),
    )
    .await;
    assert_eq!(status, 200);

    // B's very next request shows it.
    let (status, seen, cache) = call("GET", format!("{}{article}", b.base), None, None).await;
    assert_eq!(status, 200);
    assert_eq!(seen["title"], "改过的标题");
    assert_eq!(cache.as_deref(), Some("miss"));

    // A new article through B appears in A's list at once.
    let (status, _, _) = call(
        "POST",
        format!("{}/api/v1/articles", b.base),
        Some(&token),
        Some(json!({"title": "经由乙", "slug": "via-b", "status": "published"})),
    )
    .await;
    assert_eq!(status, 201, "the token from A works on B");
    let (_, list, _) = call(
        "GET",
        format!("{}/api/v1/articles?per_page=1", a.base),
        None,
        None,
    )
    .await;
    assert_eq!(list["data"][0]["slug"], "via-b");

    // Scheduled through A a few seconds ahead: no job runs anywhere, yet both instances
    // show it once its time has passed (real processes, so a real clock and a short wait).
    let at = chrono::Utc::now() + chrono::Duration::seconds(2);
    let (status, _, _) = call(
        "POST",
        format!("{}/api/v1/articles", a.base),
        Some(&token),
        Some(json!({"title": "定时", "slug": "on-time", "status": "scheduled", "published_at": at.to_rfc3339()})),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _, _) = call(
        "GET",
        format!("{}/api/v1/articles/on-time", b.base),
        None,
        None,
    )
    .await;
    assert_eq!(status, 404, "not before its time");
    actix_rt::time::sleep(Duration::from_millis(2_500)).await;
    for instance in [&a, &b] {
        let (status, _, _) = call(
            "GET",
            format!("{}/api/v1/articles/on-time", instance.base),
            None,
            None,
        )
        .await;
        assert_eq!(status, 200, "published on {}", instance.base);
    }

    // Signing out on A ends the session on B too.
    let (status, _, _) = call(
        "POST",
        format!("{}/api/v1/auth/logout", a.base),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _, _) = call(
        "GET",
        format!("{}/api/v1/auth/me", b.base),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 401);
    drop((a, b));
}

/// Reads share one version check while many are in flight, yet none may be served from a
/// check that began before it was sent: after each of 1,000 writes through A is
/// acknowledged, reads sent to B (while other reads keep B busy) all show it.
#[actix_rt::test]
async fn no_read_sent_after_an_acknowledged_write_is_stale_under_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDatabase::create(&dir);
    let DatabaseUrl::Postgres(url) = database.url.clone() else {
        return; // SQLite run: several instances are a PostgreSQL setup
    };
    let a = start(&url).await;
    let b = start(&url).await;
    let status = binary()
        .args([
            "--database-url",
            &url,
            "user",
            "add",
            "--email",
            "editor@example.com",
            "--name",
            "编辑",
            "--role",
            "editor",
        ])
        .env("MASTHEAD_USER_PASSWORD", PASSWORD)
        .stdout(Stdio::null())
        .status()
        .expect("user add");
    assert!(status.success());
    let (_, login, _) = call(
        "POST",
        format!("{}/api/v1/auth/login", a.base),
        None,
        Some(json!({"email": "editor@example.com", "password": PASSWORD})),
    )
    .await;
    let token = login["access_token"].as_str().expect("token").to_owned();
    let (status, _, _) = call(
        "POST",
        format!("{}/api/v1/articles", a.base),
        Some(&token),
        Some(json!({"title": "短讯", "slug": "brief", "status": "published"})),
    )
    .await;
    assert_eq!(status, 201);
    let article = format!("{}/api/v1/articles/brief", b.base);

    // Background readers keep B's version checks busy the whole time.
    let stop = std::rc::Rc::new(std::cell::Cell::new(false));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let stop = stop.clone();
            let article = article.clone();
            actix_rt::spawn(async move {
                let client = awc::Client::default();
                while !stop.get() {
                    let _ = client.get(&article).send().await;
                }
            })
        })
        .collect();
    let client = awc::Client::default();
    let mut hits = 0;
    for round in 0..1000 {
        let title = format!("第{round}版");
        let (status, _, _) = call(
            "PATCH",
            format!("{}/api/v1/articles/brief", a.base),
            Some(&token),
            Some(json!({"title": title})),
        )
        .await;
        assert_eq!(status, 200, "round {round}");
        let reads = futures_util::future::join_all((0..3).map(|_| async {
            let mut response = client.get(&article).send().await.expect("read");
            let cache = response
                .headers()
                .get("x-cache")
                .map(|v| v.to_str().unwrap_or_default().to_owned());
            let body: Value = response.json().limit(1 << 22).await.expect("json");
            (body["title"].as_str().unwrap_or_default().to_owned(), cache)
        }))
        .await;
        for (seen, cache) in reads {
            assert_eq!(seen, title, "round {round}: a stale read");
            hits += usize::from(cache.as_deref() == Some("hit"));
        }
    }
    stop.set(true);
    for reader in readers {
        let _ = reader.await;
    }
    // The cache still serves: the reads after the first of each round are hits.
    assert!(hits > 100, "only {hits} hits");
}

/// On-off settings from the environment take the usual spellings (`1`, `yes`, `on`), as a
/// compose file or a systemd unit writes them, not only `true`.
#[actix_rt::test]
async fn on_off_settings_take_1_yes_and_on_from_the_environment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = dir.path().join("onoff.db");
    let instance = start_with(
        &url.to_string_lossy(),
        &[
            ("MASTHEAD_NO_DEMO", "1"),
            ("MASTHEAD_KEEP_ORIGINALS", "on"),
            ("MASTHEAD_DEV", "yes"),
        ],
    )
    .await;
    let (status, articles, _) = call(
        "GET",
        format!("{}/api/v1/articles", instance.base),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(articles["meta"]["total"], 0, "no demo: {articles}");
}
