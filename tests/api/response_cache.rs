//! The response cache drops only what a write changes: an article page stays cached while
//! nothing it shows changes (its row, prev/next, related, the category's order, its tags'
//! order), and goes at once when anything it shows does, whoever wrote; the site and the
//! pages show no article. Lists and other answers still go on any change.

use diesel::prelude::*;
use masthead::auth::Role;
use masthead::db::schema::{articles, categories};
use serde_json::{json, Value};

use crate::support::{slugs, ArticleBuilder, TestApp};

/// The `x-cache` header and the JSON of a public read.
async fn read(app: &TestApp, path: &str) -> (String, Value) {
    let response = app.get(path).await;
    assert_eq!(response.status, 200, "{path}: {}", response.text());
    let cache = response.header("x-cache").unwrap_or_default();
    (cache, response.json())
}

async fn cached(app: &TestApp, path: &str) {
    let (_, _) = read(app, path).await;
    assert_eq!(read(app, path).await.0, "hit", "{path} is cached");
}

fn retitle(app: &TestApp, id: i64, title: &str) {
    diesel::update(articles::table.filter(articles::id.eq(id)))
        .set(articles::title.eq(title))
        .execute(&mut app.conn())
        .expect("update");
}

/// Nine articles in one category, one a day; one elsewhere.
#[actix_rt::test]
async fn a_write_drops_the_pages_that_show_it_and_keeps_the_rest() {
    let app = TestApp::empty().await;
    let news = app.category("news", "新闻动态", None);
    let other = app.category("other", "其他", None);
    let ids: Vec<i64> = (1..=9)
        .map(|n| {
            ArticleBuilder::new(&format!("n{n}"), &format!("新闻{n}"))
                .category(news)
                .at(&format!("2021-11-{n:02}T08:00:00+08:00"))
                .insert(&app)
        })
        .collect();
    ArticleBuilder::new("elsewhere", "别处")
        .category(other)
        .insert(&app);
    let pages = ["n1", "n2", "n3", "n9", "elsewhere"].map(|s| format!("/api/v1/articles/{s}"));
    for page in &pages {
        cached(&app, page).await;
    }
    cached(&app, "/api/v1/articles").await;
    cached(&app, "/api/v1/site").await;

    // n2 changes (here straight in the database: any writer): n1 (next), n2 and n3 (prev)
    // show it; n9's prev, next and related (the category's newest) do not.
    retitle(&app, ids[1], "改过的新闻2");
    let (cache, n1) = read(&app, &pages[0]).await;
    assert_eq!(
        (cache.as_str(), &n1["next"]["title"]),
        ("miss", &json!("改过的新闻2"))
    );
    let (cache, n2) = read(&app, &pages[1]).await;
    assert_eq!(
        (cache.as_str(), &n2["title"]),
        ("miss", &json!("改过的新闻2"))
    );
    let (cache, n3) = read(&app, &pages[2]).await;
    assert_eq!(
        (cache.as_str(), &n3["prev"]["title"]),
        ("miss", &json!("改过的新闻2"))
    );
    let (cache, n9) = read(&app, &pages[3]).await;
    assert_eq!(cache, "hit", "{n9}");
    assert!(!n9.to_string().contains("新闻2\""), "{n9}");
    assert_eq!(read(&app, &pages[4]).await.0, "hit");
    assert_eq!(
        read(&app, "/api/v1/articles").await.0,
        "miss",
        "lists go on any change"
    );
    let site = read(&app, "/api/v1/site").await.0;
    assert_eq!(site, "hit", "the site shows no article");

    // A new article between n8 and n9 changes n9's prev: the category's order changed.
    cached(&app, &pages[3]).await;
    ArticleBuilder::new("n8b", "新闻8b")
        .category(news)
        .at("2021-11-08T20:00:00+08:00")
        .insert(&app);
    let (cache, n9) = read(&app, &pages[3]).await;
    assert_eq!(
        (cache.as_str(), &n9["prev"]["slug"]),
        ("miss", &json!("n8b"))
    );
    assert_eq!(read(&app, &pages[4]).await.0, "hit");

    // A draft leaving the category's order (archived) comes back out of n9's page too.
    cached(&app, &pages[3]).await;
    diesel::update(articles::table.filter(articles::slug.eq("n8b")))
        .set(articles::status.eq("archived"))
        .execute(&mut app.conn())
        .expect("archive");
    let (cache, n9) = read(&app, &pages[3]).await;
    assert_eq!(
        (cache.as_str(), &n9["prev"]["slug"]),
        ("miss", &json!("n8"))
    );

    // Site-wide content (a category's name) may be on any page: everything goes.
    diesel::update(categories::table.filter(categories::id.eq(other)))
        .set(categories::name.eq("其他栏目"))
        .execute(&mut app.conn())
        .expect("rename");
    let (cache, elsewhere) = read(&app, &pages[4]).await;
    assert_eq!(
        (cache.as_str(), &elsewhere["category"]["name"]),
        ("miss", &json!("其他栏目"))
    );
    assert_eq!(read(&app, &pages[3]).await.0, "miss");
    assert_eq!(read(&app, "/api/v1/site").await.0, "miss");
}

/// Related lists: one filled by a shared tag follows the tag's newest articles; one computed
/// from what articles say follows articles joining it, leaving and coming back.
#[actix_rt::test]
async fn related_lists_follow_their_tags_and_the_articles_that_join_them() {
    let app = TestApp::empty().await;
    let tag = app.tag("nanshan", "南山");
    // Made first: a new category changes everything.
    let elsewhere = app.category("elsewhere", "别处", None);
    ArticleBuilder::new("tagged", "带标签的文章")
        .tags(&[tag])
        .at("2021-11-01T08:00:00+08:00")
        .insert(&app);
    cached(&app, "/api/v1/articles/tagged").await;
    ArticleBuilder::new("also-tagged", "同标签")
        .tags(&[tag])
        .at("2021-11-02T08:00:00+08:00")
        .insert(&app);
    let (cache, tagged) = read(&app, "/api/v1/articles/tagged").await;
    assert_eq!(cache, "miss");
    assert_eq!(slugs(&tagged["related"]), ["also-tagged"]);

    // An older one beyond the six newest of the tag (and not its uncategorised neighbour):
    // rewriting it as the API does (status and time written again, unchanged) leaves the
    // tag's order alone, so the page stays.
    for day in 3..=7 {
        ArticleBuilder::new(&format!("tagged-{day}"), "同标签")
            .tags(&[tag])
            .at(&format!("2021-11-{day:02}T08:00:00+08:00"))
            .insert(&app);
    }
    let older = ArticleBuilder::new("older", "更早")
        .tags(&[tag])
        .category(elsewhere)
        .at("2021-10-01T08:00:00+08:00")
        .insert(&app);
    cached(&app, "/api/v1/articles/tagged").await;
    let rewrite = |title: &str, day: &str| {
        diesel::update(articles::table.filter(articles::id.eq(older)))
            .set((
                articles::title.eq(title.to_owned()),
                articles::status.eq("published"),
                articles::published_at.eq(crate::support::instant(day)),
            ))
            .execute(&mut app.conn())
            .expect("rewrite");
    };
    rewrite("更早，改过", "2021-10-01T08:00:00+08:00");
    assert_eq!(read(&app, "/api/v1/articles/tagged").await.0, "hit");
    // Moved to the tag's newest: the page's list changes.
    rewrite("更早，改过", "2021-11-10T08:00:00+08:00");
    let (cache, tagged) = read(&app, "/api/v1/articles/tagged").await;
    assert_eq!(cache, "miss");
    assert_eq!(slugs(&tagged["related"])[0], "older", "{tagged}");

    // Through the API, so related lists are computed as editors write.
    let editor = app.token_for(Role::Editor).await;
    let body = "<p>地铁线路开通，乘客换乘更方便，公交接驳站点同步调整，早晚高峰运力提升。</p>";
    // Each in a category of its own (made first: a new category changes everything), so
    // the category's order is no path to the other page.
    let first_category = app.category("metro-a", "地铁甲", None);
    let second_category = app.category("metro-b", "地铁乙", None);
    let write = |slug: &'static str, day: u32, category: i64| {
        let app = &app;
        let editor = editor.clone();
        async move {
            let created = app
                .send(
                    "POST",
                    "/api/v1/articles",
                    Some(&editor),
                    Some(&json!({
                        "slug": slug,
                        "title": format!("地铁新闻{day}"),
                        "body_html": body,
                        "status": "published",
                        "category_id": category,
                        "published_at": format!("2021-10-{day:02}T09:00:00+08:00"),
                    })),
                    &[],
                )
                .await;
            assert_eq!(created.status, 201, "{}", created.text());
            created.json()["id"].as_i64().unwrap()
        }
    };
    write("metro-1", 1, first_category).await;
    cached(&app, "/api/v1/articles/metro-1").await;
    let joining = write("metro-2", 2, second_category).await;
    let (cache, first) = read(&app, "/api/v1/articles/metro-1").await;
    assert_eq!(cache, "miss", "metro-2 joined its list");
    assert!(
        slugs(&first["related"]).contains(&"metro-2".to_owned()),
        "{first}"
    );

    // Hidden, it leaves the page; published again, it comes back (its row is still in the
    // stored list all along).
    cached(&app, "/api/v1/articles/metro-1").await;
    diesel::update(articles::table.filter(articles::id.eq(joining)))
        .set(articles::status.eq("draft"))
        .execute(&mut app.conn())
        .expect("unpublish");
    let (cache, first) = read(&app, "/api/v1/articles/metro-1").await;
    assert_eq!(cache, "miss");
    assert!(
        !slugs(&first["related"]).contains(&"metro-2".to_owned()),
        "{first}"
    );
    cached(&app, "/api/v1/articles/metro-1").await;
    diesel::update(articles::table.filter(articles::id.eq(joining)))
        .set(articles::status.eq("published"))
        .execute(&mut app.conn())
        .expect("republish");
    let (cache, first) = read(&app, "/api/v1/articles/metro-1").await;
    assert_eq!(cache, "miss");
    assert!(
        slugs(&first["related"]).contains(&"metro-2".to_owned()),
        "{first}"
    );
}

/// Many readers missing the same page at once (a popular page that just changed): one
/// request makes it, the others wait and are served what it made.
#[actix_rt::test]
async fn readers_missing_the_same_page_at_once_make_it_once() {
    let app = TestApp::empty().await;
    let news = app.category("news", "新闻动态", None);
    for n in 1..=30 {
        ArticleBuilder::new(&format!("a{n}"), &format!("新闻{n}"))
            .category(news)
            .at(&format!("2021-11-{n:02}T08:00:00+08:00"))
            .insert(&app);
    }
    for path in ["/api/v1/articles/a15", "/api/v1/articles?per_page=30"] {
        let answers = futures_util::future::join_all((0..16).map(|_| app.get(path))).await;
        let misses = answers
            .iter()
            .filter(|answer| answer.header("x-cache").as_deref() == Some("miss"))
            .count();
        assert_eq!(misses, 1, "{path}");
        assert!(answers.iter().all(|answer| answer.body == answers[0].body));
    }
}

/// A statement that changes no row changes nothing: deleting an article that no menu,
/// issue or other site-wide row points to keeps the site and the pages that do not show it
/// (PostgreSQL's foreign-key actions run statements on those tables that touch no row).
#[actix_rt::test]
async fn statements_that_change_no_row_drop_nothing() {
    let app = TestApp::empty().await;
    let news = app.category("news", "新闻动态", None);
    let other = app.category("other", "其他", None);
    let gone = ArticleBuilder::new("gone", "将删除")
        .category(news)
        .insert(&app);
    ArticleBuilder::new("elsewhere", "别处")
        .category(other)
        .insert(&app);
    cached(&app, "/api/v1/site").await;
    cached(&app, "/api/v1/articles/elsewhere").await;

    diesel::delete(articles::table.filter(articles::id.eq(gone)))
        .execute(&mut app.conn())
        .expect("delete");
    assert_eq!(read(&app, "/api/v1/site").await.0, "hit");
    assert_eq!(read(&app, "/api/v1/articles/elsewhere").await.0, "hit");
    // What showed it went.
    assert_eq!(app.get("/api/v1/articles/gone").await.status, 404);
    let (cache, list) = read(&app, "/api/v1/articles").await;
    assert_eq!(
        (cache.as_str(), &list["meta"]["total"]),
        ("miss", &json!(1))
    );
}

/// The status, `x-cache`, `content-encoding`, ETag and raw body of a read asking for
/// `accept_encoding`, as sent (not decompressed).
async fn read_coded(
    app: &TestApp,
    path: &str,
    accept_encoding: &str,
) -> (u16, String, Option<String>, String, Vec<u8>) {
    let mut response = app
        .server
        .get(path)
        .insert_header(("accept-encoding", accept_encoding))
        .no_decompress()
        .send()
        .await
        .expect("request sent");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let (cache, coding, etag) = (
        header("x-cache").unwrap_or_default(),
        header("content-encoding"),
        header("etag").unwrap_or_default(),
    );
    let body = response.body().await.expect("body read").to_vec();
    (response.status().as_u16(), cache, coding, etag, body)
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .expect("brotli");
    out
}

/// A hit is served in the coding the client negotiates (made once, kept with the entry),
/// the very bytes of the plain answer once decoded, under the same ETag; what the cache
/// does not keep (zstd) is still compressed on the way out, and `identity` stays plain.
#[actix_rt::test]
async fn a_hit_is_served_in_the_coding_the_client_asks_for() {
    let app = TestApp::demo().await;
    let path = "/api/v1/articles/humiao-safety-training-nanshan";
    let (status, cache, coding, plain_etag, plain) = read_coded(&app, path, "identity").await;
    assert_eq!((status, cache.as_str(), coding), (200, "miss", None));
    for (asked, expected) in [
        ("br", "br"),
        ("gzip, deflate, br", "br"),
        // What Chrome and Firefox send.
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("gzip", "gzip"),
    ] {
        let (status, cache, coding, etag, body) = read_coded(&app, path, asked).await;
        assert_eq!(status, 200, "{asked}");
        assert_eq!(cache, "hit", "{asked}");
        assert_eq!(coding.as_deref(), Some(expected), "{asked}");
        assert_eq!(etag, plain_etag, "{asked}");
        let decoded = match expected {
            "br" => unbrotli(&body),
            _ => gunzip(&body),
        };
        assert_eq!(decoded, plain, "{asked}");
        assert!(
            body.len() < plain.len() / 2,
            "{asked}: {} bytes",
            body.len()
        );
    }
    let (_, cache, coding, _, body) = read_coded(&app, path, "zstd").await;
    assert_eq!((cache.as_str(), coding.as_deref()), ("hit", Some("zstd")));
    assert_ne!(body, plain);
    let (_, cache, coding, _, body) = read_coded(&app, path, "identity, br;q=0").await;
    assert_eq!((cache.as_str(), coding), ("hit", None));
    assert_eq!(body, plain);

    // A change drops the entry and its codings: the next hit is the new answer, coded.
    let id = app.get(path).await.json()["id"].as_i64().expect("id");
    retitle(&app, id, "新的标题");
    let (_, cache, _, _, _) = read_coded(&app, path, "br").await;
    assert_eq!(cache, "miss");
    let (_, cache, coding, _, body) = read_coded(&app, path, "br").await;
    assert_eq!((cache.as_str(), coding.as_deref()), ("hit", Some("br")));
    let decoded: Value = serde_json::from_slice(&unbrotli(&body)).expect("json");
    assert_eq!(decoded["title"], "新的标题");
}
