//! One rule for every endpoint (docs/api-design.md): unknown query parameters, invalid
//! tokens, id-or-slug addressing, percent-encoded `Location`, `Vary` and `Cache-Control`.

use masthead::auth::Role;
use serde_json::json;

use crate::support::TestApp;

/// Every public GET of the demo site, with real keys.
async fn public_reads(app: &TestApp) -> Vec<String> {
    let first = |list: serde_json::Value, key: &str| {
        list["data"][0][key]
            .as_str()
            .map(str::to_owned)
            .or_else(|| list["data"][0][key].as_i64().map(|id| id.to_string()))
            .unwrap_or_else(|| panic!("no {key} in {list}"))
    };
    let category = first(app.get_json("/api/v1/categories").await, "slug");
    let tag = first(app.get_json("/api/v1/tags").await, "slug");
    let page = first(app.get_json("/api/v1/pages").await, "slug");
    let issue = first(app.get_json("/api/v1/magazine/issues").await, "id");
    let article = app.get_json("/api/v1/articles?per_page=1").await;
    let slug = article["data"][0]["slug"]
        .as_str()
        .expect("slug")
        .to_owned();
    let cover = app
        .get_json("/api/v1/articles/humiao-safety-training-nanshan")
        .await["images"][0]["id"]
        .as_i64()
        .expect("an image");
    vec![
        "/api/v1/site".into(),
        "/api/v1/menus".into(),
        "/api/v1/menus/header".into(),
        "/api/v1/categories".into(),
        format!("/api/v1/categories/{category}"),
        "/api/v1/tags".into(),
        format!("/api/v1/tags/{tag}"),
        "/api/v1/articles".into(),
        format!("/api/v1/articles/{slug}"),
        "/api/v1/pages".into(),
        format!("/api/v1/pages/{page}"),
        "/api/v1/magazine/issues".into(),
        format!("/api/v1/magazine/issues/{issue}"),
        format!("/api/v1/media/{cover}"),
        "/api/v1/archive".into(),
    ]
}

#[actix_rt::test]
async fn every_public_read_refuses_an_unknown_parameter_and_an_invalid_token() {
    let app = TestApp::demo().await;
    for path in public_reads(&app).await {
        let problem = app.get_problem(&format!("{path}?colour=red"), 400).await;
        assert_eq!(problem["errors"][0]["field"], "colour", "{path}");
        let forged = app
            .get_with(&path, &[("authorization", "Bearer bogus")])
            .await;
        assert_eq!(forged.status, 401, "{path}: {}", forged.text());
    }
}

#[actix_rt::test]
async fn every_verb_takes_an_article_by_slug_or_id() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    for (n, key) in ["slug", "id"].iter().enumerate() {
        let created = app
            .send(
                "POST",
                "/api/v1/articles",
                Some(&editor),
                Some(&json!({"title": format!("稿{n}"), "slug": format!("gao-{n}")})),
                &[],
            )
            .await
            .json();
        let address = match *key {
            "slug" => created["slug"].as_str().expect("slug").to_owned(),
            _ => created["id"].to_string(),
        };
        let base = format!("/api/v1/articles/{address}");
        for (method, path) in [
            ("GET", format!("{base}/preview")),
            ("POST", format!("{base}/preview-link")),
            ("GET", base.clone()),
            ("DELETE", base.clone()),
        ] {
            let response = app.send(method, &path, Some(&editor), None, &[]).await;
            assert!(
                response.status.is_success(),
                "{method} {path}: {} {}",
                response.status,
                response.text()
            );
        }
    }
}

#[actix_rt::test]
async fn a_chinese_slug_is_percent_encoded_in_location() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    for (path, body) in [
        ("/api/v1/tags", json!({"name": "护苗", "slug": "护苗"})),
        (
            "/api/v1/categories",
            json!({"name": "新闻", "slug": "新闻"}),
        ),
        ("/api/v1/pages", json!({"title": "关于", "slug": "关于"})),
    ] {
        let created = app
            .send("POST", path, Some(&editor), Some(&body), &[])
            .await;
        assert_eq!(created.status, 201, "{path}: {}", created.text());
        let location = created.header("location").expect("a Location header");
        assert!(location.contains("%E"), "{path}: {location}");
        let found = app.send("GET", &location, Some(&editor), None, &[]).await;
        assert_eq!(found.status, 200, "{location}");
    }
}

#[actix_rt::test]
async fn every_response_kind_says_what_it_varies_on_and_how_to_cache_it() {
    let app = TestApp::demo().await;
    let editor = app.token_for(Role::Editor).await;
    let vary = |response: &crate::support::Response| {
        response.header("vary").unwrap_or_default().to_lowercase()
    };
    // Uncompressed public read, a 404, and a renamed article's 301.
    let plain = app.get("/api/v1/site").await;
    assert!(
        vary(&plain).contains("accept-encoding"),
        "{:?}",
        plain.headers
    );
    assert!(
        vary(&plain).contains("authorization"),
        "{:?}",
        plain.headers
    );
    let missing = app.get("/api/v1/articles/no-such-article").await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("cache-control").as_deref(),
        Some("public, no-cache")
    );
    let article = app.get_json("/api/v1/articles?per_page=1").await["data"][0].clone();
    let id = article["id"].as_i64().expect("id");
    let old = article["slug"].as_str().expect("slug").to_owned();
    let renamed = app
        .send(
            "PATCH",
            &format!("/api/v1/articles/{id}"),
            Some(&editor),
            Some(&json!({"slug": "renamed-for-the-test"})),
            &[],
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text());
    let no_redirects = awc::Client::builder().max_redirects(0).finish();
    let moved = no_redirects
        .get(app.server.url(&format!("/api/v1/articles/{old}")))
        .send()
        .await
        .expect("sent");
    assert_eq!(moved.status(), 301);
    assert_eq!(
        moved
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("public, no-cache")
    );
    // What depends on the caller is private.
    let drafts = app
        .send(
            "GET",
            "/api/v1/articles?status=draft",
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(drafts.status, 200);
    assert_eq!(
        drafts.header("cache-control").as_deref(),
        Some("private, no-cache")
    );
    assert!(vary(&drafts).contains("authorization"));
    // A refusal is not stored at all.
    let refused = app.get("/api/v1/articles?per_page=1000").await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.header("cache-control").as_deref(), Some("no-store"));
}
