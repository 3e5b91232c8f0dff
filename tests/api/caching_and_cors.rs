use crate::support::{ArticleBuilder, TestApp};

#[actix_rt::test]
async fn reads_carry_an_etag_and_answer_304_when_unchanged() {
    let app = TestApp::empty().await;
    ArticleBuilder::new("a", "甲").insert(&app);
    let first = app.get("/api/v1/articles/a").await;
    let etag = first.header("etag").expect("ETag");
    assert!(etag.starts_with("W/\""), "{etag}");
    assert!(first.header("cache-control").is_some());
    // A cached answer carries the ETag its body had when it was made.
    let hit = app.get("/api/v1/articles/a").await;
    assert_eq!(hit.header("x-cache").as_deref(), Some("hit"));
    assert_eq!(hit.header("etag").as_deref(), Some(etag.as_str()));

    let again = app
        .get_with("/api/v1/articles/a", &[("if-none-match", &etag)])
        .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag").as_deref(), Some(etag.as_str()));

    let other = app
        .get_with("/api/v1/articles/a", &[("if-none-match", "W/\"stale\"")])
        .await;
    assert_eq!(other.status, 200);

    ArticleBuilder::new("b", "乙").insert(&app);
    let list_before = app.get("/api/v1/articles").await.header("etag");
    ArticleBuilder::new("c", "丙").insert(&app);
    let list_after = app.get("/api/v1/articles").await.header("etag");
    assert_ne!(list_before, list_after, "a change changes the ETag");
}

#[actix_rt::test]
async fn responses_are_compressed_when_asked() {
    let app = TestApp::demo().await;
    let response = app
        .server
        .get("/api/v1/articles/humiao-safety-training-nanshan")
        .insert_header(("accept-encoding", "gzip"))
        .no_decompress()
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("gzip")
    );
}

#[actix_rt::test]
async fn cross_origin_reads_are_allowed_and_expose_pagination_headers() {
    let app = TestApp::empty().await;
    let response = app
        .get_with(
            "/api/v1/articles",
            &[("origin", "https://frontend.example")],
        )
        .await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("access-control-allow-origin").as_deref(),
        Some("*")
    );
    let exposed = response
        .header("access-control-expose-headers")
        .unwrap_or_default()
        .to_lowercase();
    for header in ["link", "etag", "x-request-id"] {
        assert!(exposed.contains(header), "{exposed}");
    }

    let preflight = app
        .server
        .request(
            actix_web::http::Method::OPTIONS,
            app.server.url("/api/v1/articles"),
        )
        .insert_header(("origin", "https://frontend.example"))
        .insert_header(("access-control-request-method", "GET"))
        .send()
        .await
        .expect("preflight sent");
    assert!(preflight.status().is_success(), "{}", preflight.status());
}

#[actix_rt::test]
async fn every_response_has_a_request_id_and_keeps_the_callers() {
    let app = TestApp::empty().await;
    let generated = app
        .get("/api/v1/site")
        .await
        .header("x-request-id")
        .expect("request id");
    assert!(generated.len() >= 16);
    let kept = app
        .get_with("/api/v1/site", &[("x-request-id", "trace-123")])
        .await;
    assert_eq!(kept.header("x-request-id").as_deref(), Some("trace-123"));
    let problem = app.get("/api/v1/articles/nope").await;
    assert!(
        problem.header("x-request-id").is_some(),
        "errors carry it too"
    );
}

#[actix_rt::test]
async fn cached_responses_never_outlive_a_change_or_a_scheduled_publication() {
    use diesel::prelude::*;
    use masthead::db::schema::articles;

    let app = TestApp::empty().await;
    let id = ArticleBuilder::new("a", "原标题").insert(&app);
    ArticleBuilder::new("later", "定时")
        .at("2026-06-01T13:00:00+08:00")
        .insert(&app);

    let first = app.get("/api/v1/articles/a").await;
    assert_eq!(first.header("x-cache").as_deref(), Some("miss"));
    let second = app.get("/api/v1/articles/a").await;
    assert_eq!(second.header("x-cache").as_deref(), Some("hit"));
    assert_eq!(second.body, first.body);
    assert_eq!(second.header("etag"), first.header("etag"));

    // A write by anyone (here straight to the database) shows on the next request.
    diesel::update(articles::table.filter(articles::id.eq(id)))
        .set(articles::title.eq("新标题"))
        .execute(&mut app.conn())
        .expect("update");
    let changed = app.get("/api/v1/articles/a").await;
    assert_eq!(changed.header("x-cache").as_deref(), Some("miss"));
    assert_eq!(changed.json()["title"], "新标题");

    // A list cached before a scheduled article's time is not served after it.
    assert_eq!(app.get_json("/api/v1/articles").await["meta"]["total"], 1);
    assert_eq!(
        app.get("/api/v1/articles")
            .await
            .header("x-cache")
            .as_deref(),
        Some("hit")
    );
    app.clock
        .set(crate::support::instant("2026-06-01T13:00:00+08:00"));
    let after = app.get("/api/v1/articles").await;
    assert_eq!(after.header("x-cache").as_deref(), Some("miss"));
    assert_eq!(after.json()["meta"]["total"], 2);
}

#[actix_rt::test]
async fn the_response_cache_stays_under_its_byte_cap_over_many_distinct_urls() {
    const CAP: usize = 128 * 1024;
    let app = TestApp::configured(|config| {
        config.cache_bytes = CAP;
        config.cache_entries = 100_000;
    })
    .await;
    let cache = app.cache.clone().expect("the cache is on");
    assert_eq!(cache.max_bytes(), CAP);
    let news = app.category("news", "新闻动态", None);
    for n in 0..60 {
        ArticleBuilder::new(
            &format!("a-{n}"),
            &format!("{n} {}", "深圳南山新闻动态".repeat(25)),
        )
        .category(news)
        .at(&format!("2021-11-{:02}T08:00:00+08:00", 1 + n % 28))
        .insert(&app);
    }

    // Anonymous reads over distinct URLs: lists of every size and order, filters, one
    // article each.
    let mut paths = Vec::new();
    for per_page in 1..=12 {
        for page in 1..=3 {
            for sort in ["published_at", "-published_at"] {
                paths.push(format!(
                    "/api/v1/articles?per_page={per_page}&page={page}&sort={sort}"
                ));
            }
        }
    }
    for n in 0..60 {
        paths.push(format!("/api/v1/articles/a-{n}"));
        paths.push(format!(
            "/api/v1/articles?category=news&per_page={}&page={}",
            1 + n % 12,
            1 + n / 12
        ));
    }
    for n in 0..60 {
        paths.push(format!("/api/v1/articles?author=nobody-{n}"));
    }
    let mut served = 0;
    for path in &paths {
        let response = app.get(path).await;
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        assert_eq!(
            response.header("x-cache").as_deref(),
            Some("miss"),
            "{path}"
        );
        served += response.body.len();
        assert!(
            cache.bytes() <= CAP,
            "after {path}: the cache holds {} bytes, over its cap of {CAP}",
            cache.bytes()
        );
    }
    assert!(served > 4 * CAP, "the mix is larger than the cap: {served}");
    assert!(cache.len() > 10, "it still caches: {} entries", cache.len());

    // The most recent response (a small one) is kept, and counted at least at its size.
    let last = paths.last().expect("a path");
    let hit = app.get(last).await;
    assert_eq!(hit.header("x-cache").as_deref(), Some("hit"));
    assert!(cache.bytes() >= hit.body.len() + last.len());

    // A response over an eighth of the cap is never cached.
    let big = app.get("/api/v1/articles?per_page=100").await;
    assert!(big.body.len() > CAP / 8, "{}", big.body.len());
    let again = app.get("/api/v1/articles?per_page=100").await;
    assert_eq!(again.header("x-cache").as_deref(), Some("miss"));
    assert!(cache.bytes() <= CAP);
}
