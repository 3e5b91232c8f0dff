//! Counts kept by the database (`published_counts`, changed by triggers in every write's
//! transaction) must say what listing the articles says: `meta.total`, the category tree
//! (rolled up), a category's and a tag's `article_count`, their lists' totals and the
//! archive, after every kind of write, when a scheduled article's time comes (no write),
//! and under racing writers.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, FixedOffset};
use futures_util::future::join_all;
use masthead::auth::Role;
use serde_json::{json, Value};

use crate::support::{instant, TestApp};

/// What the public sees, from listing every public article (rows, not counters).
#[derive(Debug, Default, PartialEq)]
struct Truth {
    total: i64,
    /// Direct, by category id.
    categories: HashMap<i64, i64>,
    tags: HashMap<i64, i64>,
    /// (year, month) in the site's offset.
    months: BTreeMap<(i32, u32), i64>,
}

async fn truth(app: &TestApp) -> Truth {
    let offset = site_offset_minutes(app).await;
    let mut truth = Truth::default();
    let mut page = 1;
    loop {
        let list = app
            .get_json(&format!("/api/v1/articles?per_page=100&page={page}"))
            .await;
        let items = list["data"].as_array().expect("data").clone();
        for item in &items {
            truth.total += 1;
            if let Some(category) = item["category"]["id"].as_i64() {
                *truth.categories.entry(category).or_default() += 1;
            }
            for tag in item["tags"].as_array().expect("tags") {
                *truth
                    .tags
                    .entry(tag["id"].as_i64().expect("tag id"))
                    .or_default() += 1;
            }
            let at = DateTime::<FixedOffset>::parse_from_rfc3339(
                item["published_at"].as_str().expect("published_at"),
            )
            .expect("an instant")
            .naive_utc()
                + Duration::minutes(offset);
            *truth.months.entry((at.year(), at.month())).or_default() += 1;
        }
        if items.len() < 100 {
            break;
        }
        page += 1;
    }
    truth
}

async fn site_offset_minutes(app: &TestApp) -> i64 {
    let site = app.get_json("/api/v1/site").await;
    let offset = site["utc_offset"].as_str().expect("utc_offset");
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let hours: i64 = offset[1..3].parse().expect("hours");
    let minutes: i64 = offset[4..6].parse().expect("minutes");
    sign * (hours * 60 + minutes)
}

/// Every count the API shows, checked against the listed truth; `step` names the moment.
async fn check(app: &TestApp, step: &str) {
    let truth = truth(app).await;
    let list = app.get_json("/api/v1/articles?per_page=1").await;
    assert_eq!(list["meta"]["total"], truth.total, "{step}: meta.total");

    // The tree rolls children up; each category's own page and list agree with it.
    fn walk(node: &Value, truth: &Truth, seen: &mut Vec<(String, i64)>) -> i64 {
        let id = node["id"].as_i64().expect("id");
        let mut expected = truth.categories.get(&id).copied().unwrap_or(0);
        for child in node["children"].as_array().expect("children") {
            expected += walk(child, truth, seen);
        }
        seen.push((node["slug"].as_str().expect("slug").to_owned(), expected));
        expected
    }
    let tree = app.get_json("/api/v1/categories").await;
    let mut categories = Vec::new();
    for node in tree["data"].as_array().expect("tree") {
        walk(node, &truth, &mut categories);
    }
    let mut tree_counts = Vec::new();
    fn counts_of(node: &Value, out: &mut Vec<(String, i64)>) {
        for child in node["children"].as_array().expect("children") {
            counts_of(child, out);
        }
        out.push((
            node["slug"].as_str().expect("slug").to_owned(),
            node["article_count"].as_i64().expect("article_count"),
        ));
    }
    for node in tree["data"].as_array().expect("tree") {
        counts_of(node, &mut tree_counts);
    }
    assert_eq!(tree_counts, categories, "{step}: the category tree");
    for (slug, expected) in &categories {
        let one = app.get_json(&format!("/api/v1/categories/{slug}")).await;
        assert_eq!(one["article_count"], *expected, "{step}: category {slug}");
        let listed = app
            .get_json(&format!("/api/v1/articles?category={slug}&per_page=1"))
            .await;
        assert_eq!(
            listed["meta"]["total"], *expected,
            "{step}: ?category={slug}"
        );
    }

    for tag in app.get_json("/api/v1/tags").await["data"]
        .as_array()
        .expect("tags")
    {
        let (id, slug) = (
            tag["id"].as_i64().expect("id"),
            tag["slug"].as_str().expect("slug"),
        );
        let expected = truth.tags.get(&id).copied().unwrap_or(0);
        assert_eq!(tag["article_count"], expected, "{step}: tags, {slug}");
        let one = app.get_json(&format!("/api/v1/tags/{slug}")).await;
        assert_eq!(one["article_count"], expected, "{step}: tag {slug}");
        let listed = app
            .get_json(&format!("/api/v1/articles?tag={slug}&per_page=1"))
            .await;
        assert_eq!(listed["meta"]["total"], expected, "{step}: ?tag={slug}");
    }

    let mut archive = BTreeMap::new();
    for year in app.get_json("/api/v1/archive").await["data"]
        .as_array()
        .expect("archive")
    {
        let y = year["year"].as_i64().expect("year") as i32;
        let mut sum = 0;
        for month in year["months"].as_array().expect("months") {
            let count = month["count"].as_i64().expect("count");
            archive.insert((y, month["month"].as_i64().expect("month") as u32), count);
            sum += count;
        }
        assert_eq!(year["count"], sum, "{step}: archive year {y}");
    }
    assert_eq!(archive, truth.months, "{step}: the archive");
}

async fn send(app: &TestApp, token: &str, method: &str, path: &str, body: Option<Value>) -> Value {
    let response = app
        .send(method, path, Some(token), body.as_ref(), &[])
        .await;
    assert!(
        response.status.is_success(),
        "{method} {path}: {} {}",
        response.status,
        response.text()
    );
    if response.status == 204 {
        Value::Null
    } else {
        response.json()
    }
}

fn id(value: &Value) -> i64 {
    value["id"].as_i64().expect("id")
}

#[actix_rt::test]
async fn counts_follow_every_write_and_the_time_a_scheduled_article_comes() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    check(&app, "empty").await;

    let category = |name: &str, slug: &str, parent: Option<i64>| json!({"name": name, "slug": slug, "parent_id": parent});
    let news = id(&send(
        &app,
        &admin,
        "POST",
        "/api/v1/categories",
        Some(category("新闻", "news", None)),
    )
    .await);
    let local = id(&send(
        &app,
        &admin,
        "POST",
        "/api/v1/categories",
        Some(category("本地", "local", Some(news))),
    )
    .await);
    let culture = id(&send(
        &app,
        &admin,
        "POST",
        "/api/v1/categories",
        Some(category("文化", "culture", None)),
    )
    .await);
    let safety = id(&send(
        &app,
        &admin,
        "POST",
        "/api/v1/tags",
        Some(json!({"name": "安全", "slug": "safety"})),
    )
    .await);
    let youth = id(&send(
        &app,
        &admin,
        "POST",
        "/api/v1/tags",
        Some(json!({"name": "青少年", "slug": "youth"})),
    )
    .await);

    // A draft counts nowhere.
    let first = id(&send(
        &app,
        &admin,
        "POST",
        "/api/v1/articles",
        Some(json!({
            "title": "第一篇", "category_id": local, "tag_ids": [safety],
        })),
    )
    .await);
    check(&app, "a draft").await;
    let path = |id: i64| format!("/api/v1/articles/{id}");

    // Published: everywhere at once, in the month of the site's offset (00:30 UTC on the
    // 1st is still the last day of March in UTC, April at +08:00).
    send(
        &app,
        &admin,
        "PATCH",
        &path(first),
        Some(json!({
            "status": "published", "published_at": "2026-03-31T20:30:00Z",
        })),
    )
    .await;
    check(&app, "published").await;

    let second = id(&send(
        &app,
        &admin,
        "POST",
        "/api/v1/articles",
        Some(json!({
            "title": "第二篇", "category_id": news, "tag_ids": [safety, youth],
            "status": "published", "published_at": "2025-12-15T10:00:00+08:00",
        })),
    )
    .await);
    check(&app, "created published").await;

    // Scheduled: stored as published, not counted until its time.
    let scheduled = id(&send(
        &app,
        &admin,
        "POST",
        "/api/v1/articles",
        Some(json!({
            "title": "预告", "category_id": culture, "tag_ids": [youth],
            "status": "scheduled", "published_at": "2026-06-20T08:00:00+08:00",
        })),
    )
    .await);
    check(&app, "scheduled").await;
    assert_eq!(app.get_json("/api/v1/articles").await["meta"]["total"], 2);

    // Moved and retagged.
    send(
        &app,
        &admin,
        "PATCH",
        &path(first),
        Some(json!({"category_id": culture})),
    )
    .await;
    check(&app, "moved to another category").await;
    send(
        &app,
        &admin,
        "PATCH",
        &path(second),
        Some(json!({"tag_ids": [youth]})),
    )
    .await;
    check(&app, "retagged").await;
    send(
        &app,
        &admin,
        "PATCH",
        &path(second),
        Some(json!({"category_id": null, "tag_ids": []})),
    )
    .await;
    check(&app, "out of every category and tag").await;
    send(
        &app,
        &admin,
        "PATCH",
        &path(second),
        Some(json!({"category_id": local, "tag_ids": [safety]})),
    )
    .await;
    check(&app, "back in").await;

    // The scheduled article's time comes: no write, the counts follow.
    app.clock.set(instant("2026-06-20T08:00:00+08:00"));
    check(&app, "the scheduled time has come").await;
    assert_eq!(app.get_json("/api/v1/articles").await["meta"]["total"], 3);
    app.clock.set(instant("2026-06-01T12:00:00+08:00"));
    check(&app, "the clock back before it").await;
    app.clock.set(instant("2026-06-21T12:00:00+08:00"));

    // Rescheduled into the future, moved to another month, unpublished.
    send(
        &app,
        &admin,
        "PATCH",
        &path(scheduled),
        Some(json!({
            "status": "scheduled", "published_at": "2026-07-01T08:00:00+08:00",
        })),
    )
    .await;
    check(&app, "rescheduled").await;
    send(
        &app,
        &admin,
        "PATCH",
        &path(first),
        Some(json!({
            "published_at": "2024-02-29T23:00:00+08:00",
        })),
    )
    .await;
    check(&app, "another month").await;
    send(
        &app,
        &admin,
        "PATCH",
        &path(second),
        Some(json!({"status": "archived"})),
    )
    .await;
    check(&app, "archived").await;
    send(
        &app,
        &admin,
        "PATCH",
        &path(second),
        Some(json!({"status": "published"})),
    )
    .await;
    check(&app, "published again").await;

    // The site's offset moves the months, counted again.
    send(
        &app,
        &admin,
        "PATCH",
        "/api/v1/site",
        Some(json!({"utc_offset": "+00:00"})),
    )
    .await;
    check(&app, "offset +00:00").await;
    send(
        &app,
        &admin,
        "PATCH",
        "/api/v1/site",
        Some(json!({"utc_offset": "-05:30"})),
    )
    .await;
    check(&app, "offset -05:30").await;

    // Deletes: an article, a tag (its links go), a category (its articles stay, uncategorised).
    send(&app, &admin, "DELETE", &path(second), None).await;
    check(&app, "article deleted").await;
    send(
        &app,
        &admin,
        "DELETE",
        &format!("/api/v1/tags/{youth}"),
        None,
    )
    .await;
    check(&app, "tag deleted").await;
    send(
        &app,
        &admin,
        "DELETE",
        &format!("/api/v1/categories/{culture}"),
        None,
    )
    .await;
    check(&app, "category deleted").await;
    app.clock.set(instant("2026-07-02T00:00:00Z"));
    check(&app, "the rescheduled time has come").await;
    assert_eq!(app.get_json("/api/v1/articles").await["meta"]["total"], 2);

    // A category or tag made again with a freed id starts from nothing.
    let again = id(&send(
        &app,
        &admin,
        "POST",
        "/api/v1/categories",
        Some(category("再来", "again", None)),
    )
    .await);
    let tag_again = id(&send(
        &app,
        &admin,
        "POST",
        "/api/v1/tags",
        Some(json!({"name": "再来", "slug": "again"})),
    )
    .await);
    assert!(again > 0 && tag_again > 0);
    check(&app, "made again").await;
}

/// Every count of the one category, the one tag, the site and the one month is `count`.
async fn expect_counts(app: &TestApp, count: usize) {
    let count = count as i64;
    let tree = app.get_json("/api/v1/categories").await;
    assert_eq!(tree["data"][0]["article_count"], count, "{tree}");
    assert_eq!(
        app.get_json("/api/v1/articles?category=news").await["meta"]["total"],
        count
    );
    assert_eq!(
        app.get_json("/api/v1/tags/humiao").await["article_count"],
        count
    );
    assert_eq!(
        app.get_json("/api/v1/articles").await["meta"]["total"],
        count
    );
    let archive = app.get_json("/api/v1/archive").await;
    let archived = archive["data"][0]["count"].as_i64().unwrap_or(0);
    assert_eq!(archived, count, "{archive}");
}

#[actix_rt::test]
async fn racing_writers_keep_the_counts_exact() {
    const RACERS: usize = 12;
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let admin = app.token_for(Role::Admin).await;
    let news = id(&send(
        &app,
        &admin,
        "POST",
        "/api/v1/categories",
        Some(json!({"name": "新闻", "slug": "news"})),
    )
    .await);
    let tag = id(&send(
        &app,
        &admin,
        "POST",
        "/api/v1/tags",
        Some(json!({"name": "护苗", "slug": "humiao"})),
    )
    .await);

    // Half created published at once, half created as drafts and then published at once.
    let created = join_all((0..RACERS).map(|n| {
        let body = if n % 2 == 0 {
            json!({"title": format!("快讯{n}"), "category_id": news, "tag_ids": [tag],
                   "status": "published", "published_at": "2026-05-01T08:00:00+08:00"})
        } else {
            json!({"title": format!("快讯{n}"), "category_id": news, "tag_ids": [tag]})
        };
        let (app, editor) = (&app, &editor);
        async move {
            app.send("POST", "/api/v1/articles", Some(editor), Some(&body), &[])
                .await
        }
    }))
    .await;
    let mut ids = Vec::new();
    for response in &created {
        assert_eq!(response.status, 201, "{}", response.text());
        ids.push(id(&response.json()));
    }
    let published = join_all(ids.iter().skip(1).step_by(2).map(|id| {
        let (app, editor) = (&app, &editor);
        async move {
            app.send(
                "PATCH",
                &format!("/api/v1/articles/{id}"),
                Some(editor),
                Some(&json!({"status": "published", "published_at": "2026-05-02T08:00:00+08:00"})),
                &[],
            )
            .await
        }
    }))
    .await;
    for response in &published {
        assert_eq!(response.status, 200, "{}", response.text());
    }
    expect_counts(&app, RACERS).await;

    // Racing deletes and unpublishing, on different articles at once.
    let changed = join_all(ids.iter().take(8).enumerate().map(|(n, id)| {
        let (app, editor) = (&app, &editor);
        async move {
            let path = format!("/api/v1/articles/{id}");
            if n % 2 == 0 {
                app.send("DELETE", &path, Some(editor), None, &[]).await
            } else {
                app.send(
                    "PATCH",
                    &path,
                    Some(editor),
                    Some(&json!({"status": "archived"})),
                    &[],
                )
                .await
            }
        }
    }))
    .await;
    for response in &changed {
        assert!(response.status.is_success(), "{}", response.text());
    }
    expect_counts(&app, RACERS - 8).await;
    check(&app, "after the races").await;
}
