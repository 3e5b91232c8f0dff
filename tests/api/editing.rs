use masthead::auth::Role;
use serde_json::{json, Value};

use crate::support::{instant, slugs, ArticleBuilder, TestApp};

async fn create(app: &TestApp, token: &str, body: Value) -> crate::support::Response {
    app.send("POST", "/api/v1/articles", Some(token), Some(&body), &[])
        .await
}

#[actix_rt::test]
async fn an_article_lives_its_whole_life_through_the_api() {
    let app = TestApp::empty().await;
    let news = app.category("news", "新闻动态", None);
    ArticleBuilder::new("older", "较早的新闻")
        .category(news)
        .at("2026-05-01T08:00:00+08:00")
        .insert(&app);
    let editor = app.token_for(Role::Editor).await;

    // Draft: a pinyin slug, invisible to the public.
    let created = create(
        &app,
        &editor,
        json!({"title": "护苗有我 安全同行", "body_html": "<p>正文</p>", "category_id": news}),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let draft = created.json();
    let id = draft["id"].as_i64().expect("id");
    assert_eq!(draft["slug"], "hu-miao-you-wo-an-quan-tong-xing");
    assert_eq!(draft["status"], "draft");
    assert_eq!(created.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/articles/{id}"))
    );
    app.get_problem("/api/v1/articles/hu-miao-you-wo-an-quan-tong-xing", 404)
        .await;
    assert_eq!(app.get_json("/api/v1/articles").await["meta"]["total"], 1);

    // Preview, as it will be published: its neighbour is already there.
    let preview = app
        .send(
            "GET",
            &format!("/api/v1/articles/{id}/preview"),
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.text());
    assert_eq!(preview.json()["prev"]["slug"], "older");

    // A shared preview link works without an account; a forged one does not.
    let link = app
        .send(
            "POST",
            &format!("/api/v1/articles/{id}/preview-link"),
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(link.status, 201, "{}", link.text());
    let path = link.json()["path"].as_str().expect("path").to_owned();
    let shared = app.get(&path).await;
    assert_eq!(shared.status, 200, "{}", shared.text());
    assert_eq!(shared.json()["title"], "护苗有我 安全同行");
    app.get_problem("/api/v1/preview/not-a-token", 401).await;

    // Schedule it: it appears when its time comes, with no job and no restart.
    let schedule = json!({"status": "scheduled", "published_at": "2026-06-01T18:00:00+08:00"});
    let scheduled = app
        .send(
            "PATCH",
            &format!("/api/v1/articles/{id}"),
            Some(&editor),
            Some(&schedule),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(scheduled.status, 200, "{}", scheduled.text());
    assert_eq!(scheduled.json()["status"], "scheduled");
    app.get_problem(&format!("/api/v1/articles/{id}"), 404)
        .await;
    app.clock.set(instant("2026-06-01T18:00:00+08:00"));
    let live = app.get_json(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(live["status"], "published");
    assert_eq!(live["published_at"], "2026-06-01T18:00:00+08:00");
    assert_eq!(
        app.get_json("/api/v1/articles/older").await["next"]["id"],
        id,
        "the neighbour's next is updated"
    );

    // Two editors: the one with a stale version gets 412 and writes nothing.
    let fresh = app
        .send(
            "PATCH",
            &format!("/api/v1/articles/{id}"),
            Some(&editor),
            Some(&json!({"summary": "新摘要"})),
            &[("if-match", "\"2\"")],
        )
        .await;
    assert_eq!(fresh.status, 200, "{}", fresh.text());
    assert_eq!(fresh.header("etag").as_deref(), Some("\"3\""));
    let stale = app
        .send(
            "PATCH",
            &format!("/api/v1/articles/{id}"),
            Some(&editor),
            Some(&json!({"summary": "旧的覆盖"})),
            &[("if-match", "\"2\"")],
        )
        .await;
    assert_eq!(stale.status, 412, "{}", stale.text());
    assert_eq!(
        app.get_json(&format!("/api/v1/articles/{id}")).await["summary"],
        "新摘要"
    );

    // Archive: gone from the public API.
    let archived = app
        .send(
            "PATCH",
            &format!("/api/v1/articles/{id}"),
            Some(&editor),
            Some(&json!({"status": "archived"})),
            &[],
        )
        .await;
    assert_eq!(archived.status, 200);
    app.get_problem(&format!("/api/v1/articles/{id}"), 404)
        .await;
    let as_editor = app
        .send(
            "GET",
            &format!("/api/v1/articles/{id}"),
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(as_editor.status, 200);
    assert_eq!(as_editor.json()["status"], "archived");
    assert_eq!(as_editor.header("etag").as_deref(), Some("\"4\""));
    let conditional = app
        .send(
            "GET",
            &format!("/api/v1/articles/{id}"),
            Some(&editor),
            None,
            &[("if-none-match", "\"4\"")],
        )
        .await;
    assert_eq!(
        conditional.status, 200,
        "a version ETag names the article, not its neighbours: no 304"
    );
}

#[actix_rt::test]
async fn roles_decide_who_writes_what() {
    let app = TestApp::empty().await;
    let author = app.token_for(Role::Author).await;
    let editor = app.token_for(Role::Editor).await;
    let body = json!({"title": "作者的稿子"});
    assert_eq!(
        app.send("POST", "/api/v1/articles", None, Some(&body), &[])
            .await
            .status,
        401
    );

    let own = create(&app, &author, body.clone()).await;
    assert_eq!(own.status, 201, "{}", own.text());
    let own = own.json()["id"].as_i64().expect("id");
    let publish = create(
        &app,
        &author,
        json!({"title": "想直接发布", "status": "published"}),
    )
    .await;
    assert_eq!(publish.status, 403);
    let submit = app
        .send(
            "PATCH",
            &format!("/api/v1/articles/{own}"),
            Some(&author),
            Some(&json!({"status": "review"})),
            &[],
        )
        .await;
    assert_eq!(submit.status, 200, "authors submit for review");
    let self_publish = app
        .send(
            "PATCH",
            &format!("/api/v1/articles/{own}"),
            Some(&author),
            Some(&json!({"status": "published"})),
            &[],
        )
        .await;
    assert_eq!(self_publish.status, 403);

    let theirs = create(&app, &editor, json!({"title": "编辑的稿子"}))
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    for (method, body) in [
        ("PATCH", Some(json!({"title": "改别人的"}))),
        ("DELETE", None),
    ] {
        let response = app
            .send(
                method,
                &format!("/api/v1/articles/{theirs}"),
                Some(&author),
                body.as_ref(),
                &[],
            )
            .await;
        assert_eq!(response.status, 403, "{method}");
    }
    let hidden = app
        .send(
            "GET",
            &format!("/api/v1/articles/{theirs}"),
            Some(&author),
            None,
            &[],
        )
        .await;
    assert_eq!(hidden.status, 404, "authors do not see others' drafts");
    let published = app
        .send(
            "PATCH",
            &format!("/api/v1/articles/{own}"),
            Some(&editor),
            Some(&json!({"status": "published"})),
            &[],
        )
        .await;
    assert_eq!(published.status, 200, "editors publish");
    let after = app
        .send(
            "PATCH",
            &format!("/api/v1/articles/{own}"),
            Some(&author),
            Some(&json!({"title": "发布后再改"})),
            &[],
        )
        .await;
    assert_eq!(after.status, 403, "a published article is the editors' now");
    assert_eq!(
        app.send(
            "DELETE",
            &format!("/api/v1/articles/{theirs}"),
            Some(&editor),
            None,
            &[]
        )
        .await
        .status,
        204
    );
    assert_eq!(
        app.send(
            "DELETE",
            &format!("/api/v1/articles/{theirs}"),
            Some(&editor),
            None,
            &[]
        )
        .await
        .status,
        404
    );
}

#[actix_rt::test]
async fn every_bad_field_is_named_at_once_and_nothing_is_written() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let bad = create(
        &app,
        &editor,
        json!({
            "title": "", "slug": "Bad Slug", "status": "nope", "tag_ids": [0],
            "published_at": "yesterday", "colour": "red", "summary": 5
        }),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.text());
    let mut fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "colour",
            "published_at",
            "slug",
            "status",
            "summary",
            "tag_ids",
            "title"
        ]
    );

    let long = create(&app, &editor, json!({"title": "长".repeat(201)})).await;
    assert_eq!(long.status, 422);
    assert_eq!(long.json()["errors"][0]["field"], "title");
    let missing = create(&app, &editor, json!({"summary": "no title"})).await;
    assert_eq!(missing.json()["errors"][0]["field"], "title");
    let dangling = create(
        &app,
        &editor,
        json!({"title": "t", "category_id": 99, "tag_ids": [98, 97]}),
    )
    .await;
    assert_eq!(dangling.status, 422);
    assert_eq!(dangling.json()["errors"].as_array().map(Vec::len), Some(2));
    let not_json = app
        .send(
            "POST",
            "/api/v1/articles",
            Some(&editor),
            None,
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(not_json.status, 400);
    // Over 1 MiB: refused from its announced length, before the body is read.
    app.announce_body(
        "/api/v1/articles",
        &editor,
        "application/json",
        2 * 1024 * 1024,
    )
    .assert_problem(413, "a 2 MiB article");
    let huge =
        serde_json::to_vec(&json!({"title": "大", "body_html": "x".repeat(2 * 1024 * 1024)}))
            .expect("json");
    app.stream_body("/api/v1/articles", &editor, "application/json", &huge)
        .assert_problem(413, "a 2 MiB article of unannounced length");
    let past = create(
        &app,
        &editor,
        json!({"title": "t", "status": "scheduled", "published_at": "2020-01-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(past.status, 422);
    assert_eq!(past.json()["errors"][0]["field"], "published_at");

    let editor_list = app
        .send(
            "GET",
            "/api/v1/audit",
            Some(&app.token_for(Role::Admin).await),
            None,
            &[],
        )
        .await
        .json();
    let creates = editor_list["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter(|e| e["action"] == "create")
        .count();
    assert_eq!(creates, 0, "nothing half-written");
}

#[actix_rt::test]
async fn a_change_names_every_bad_field_at_once_and_writes_nothing() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let created = create(&app, &editor, json!({"title": "原标题"})).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    let bad = app
        .send(
            "PATCH",
            &format!("/api/v1/articles/{id}"),
            Some(&editor),
            Some(&json!({
                "title": null, "slug": null, "status": "live", "image_ids": [1, 1],
                "seo_description": "长".repeat(501), "published_at": 20261201, "colour": "red",
                "summary": "不会写入"
            })),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text());
    let mut fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "colour",
            "image_ids",
            "published_at",
            "seo_description",
            "slug",
            "status",
            "title"
        ]
    );
    let article = app
        .send(
            "GET",
            &format!("/api/v1/articles/{id}"),
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(article.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(article.json()["summary"], "");
    assert_eq!(article.json()["title"], "原标题");
}

#[actix_rt::test]
async fn article_html_is_sanitised_on_write() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let payloads = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<svg onload=alert(1)>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<body onload=alert(1)>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<form action=\"javascript:alert(1)\"><button>x</button></form>",
        "<p onclick=\"alert(1)\">click</p>",
    ];
    for payload in payloads {
        let created = create(&app, &editor, json!({"title": "XSS", "body_html": payload})).await;
        assert_eq!(created.status, 201, "{}", created.text());
        let html = created.json()["body_html"]
            .as_str()
            .expect("html")
            .to_lowercase();
        for banned in [
            "<script",
            "onerror",
            "javascript:",
            "onload",
            "<iframe",
            "style=",
            "<object",
            "<form",
            "onclick",
            "<svg",
        ] {
            assert!(
                !html.contains(banned),
                "{banned} survived {payload}: {html}"
            );
        }
    }
    let kept = "<h2>小标题</h2><figure><img src=\"/m/a.jpg\" alt=\"图\" width=\"10\" height=\"20\"><figcaption>图注</figcaption></figure><table><tbody><tr><td>格</td></tr></tbody></table><a href=\"https://example.com/\">链接</a>";
    let created = create(&app, &editor, json!({"title": "好的", "body_html": kept})).await;
    let html = created.json()["body_html"]
        .as_str()
        .expect("html")
        .to_owned();
    for wanted in [
        "<h2>小标题</h2>",
        "<figure>",
        "<figcaption>图注</figcaption>",
        "<table>",
        "href=\"https://example.com/\"",
        "alt=\"图\"",
        "width=\"10\"",
    ] {
        assert!(html.contains(wanted), "{wanted} was lost: {html}");
    }
}

#[actix_rt::test]
async fn a_renamed_article_redirects_from_its_old_slug() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let id = create(
        &app,
        &editor,
        json!({"title": "旧标题", "slug": "old-name", "status": "published"}),
    )
    .await
    .json()["id"]
        .as_i64()
        .expect("id");
    let renamed = app
        .send(
            "PATCH",
            &format!("/api/v1/articles/{id}"),
            Some(&editor),
            Some(&json!({"slug": "新名字"})),
            &[],
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text());
    let no_redirects = awc::Client::builder().max_redirects(0).finish();
    let old = no_redirects
        .get(app.server.url("/api/v1/articles/old-name"))
        .send()
        .await
        .expect("sent");
    assert_eq!(old.status(), 301);
    assert_eq!(
        old.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/api/v1/articles/%E6%96%B0%E5%90%8D%E5%AD%97")
    );
    let taken = create(&app, &editor, json!({"title": "t", "slug": "old-name"})).await;
    assert_eq!(
        taken.status, 422,
        "a former slug stays reserved for its redirect"
    );
    let generated = create(&app, &editor, json!({"title": "旧标题"}))
        .await
        .json();
    assert_eq!(generated["slug"], "jiu-biao-ti");
    let again = create(&app, &editor, json!({"title": "旧标题"}))
        .await
        .json();
    assert_eq!(again["slug"], "jiu-biao-ti-2");
}

#[actix_rt::test]
async fn writes_change_lists_neighbours_and_menus_at_once() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let first = create(&app, &editor, json!({"title": "一", "slug": "one", "status": "published", "published_at": "2026-01-01T08:00:00+08:00"})).await.json();
    let second = create(&app, &editor, json!({"title": "二", "slug": "two", "status": "published", "published_at": "2026-02-01T08:00:00+08:00"})).await.json();
    let second_id = second["id"].as_i64().expect("id");
    app.menu("header", &[("第二篇", "article", Some(second_id), None)]);
    assert_eq!(
        slugs(&app.get_json("/api/v1/articles").await["data"]),
        ["two", "one"]
    );
    assert_eq!(
        app.get_json("/api/v1/articles/one").await["next"]["slug"],
        "two"
    );
    assert_eq!(
        app.get_json("/api/v1/menus/header").await["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(app.get_json("/api/v1/archive").await["data"][0]["count"], 2);

    let deleted = app
        .send(
            "DELETE",
            &format!("/api/v1/articles/{second_id}"),
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(deleted.status, 204);
    assert_eq!(
        slugs(&app.get_json("/api/v1/articles").await["data"]),
        ["one"]
    );
    assert!(app.get_json("/api/v1/articles/one").await["next"].is_null());
    assert_eq!(
        app.get_json("/api/v1/menus/header").await["items"],
        json!([]),
        "the menu item to a deleted article disappears"
    );
    assert_eq!(app.get_json("/api/v1/archive").await["data"][0]["count"], 1);
    let _ = first;
}

#[actix_rt::test]
async fn a_draft_without_a_date_shows_its_last_change_wherever_an_editor_reads_it() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let created = create(&app, &editor, json!({"title": "草稿", "slug": "undated"})).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let created = created.json();
    let read = app
        .send("GET", "/api/v1/articles/undated", Some(&editor), None, &[])
        .await;
    assert_eq!(read.status, 200, "{}", read.text());
    let read = read.json();
    let listed = app
        .send(
            "GET",
            "/api/v1/articles?status=draft",
            Some(&editor),
            None,
            &[],
        )
        .await
        .json();
    for (what, article) in [("created", &created), ("read", &read)] {
        assert_eq!(
            article["published_at"], article["updated_at"],
            "{what}: {article}"
        );
        assert_eq!(
            article["published_at"], listed["data"][0]["published_at"],
            "{what}: {article}"
        );
    }
}

#[actix_rt::test]
async fn editors_list_by_workflow_state_and_the_public_never_sees_drafts() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let author = app.token_for(Role::Author).await;
    create(
        &app,
        &author,
        json!({"title": "作者草稿", "slug": "author-draft"}),
    )
    .await;
    create(
        &app,
        &editor,
        json!({"title": "编辑草稿", "slug": "editor-draft"}),
    )
    .await;
    create(
        &app,
        &editor,
        json!({"title": "待审", "slug": "in-review", "status": "review"}),
    )
    .await;
    create(&app, &editor, json!({"title": "定时", "slug": "later", "status": "scheduled", "published_at": "2030-01-01T00:00:00Z"})).await;
    create(
        &app,
        &editor,
        json!({"title": "已发", "slug": "out", "status": "published"}),
    )
    .await;

    let public = app.get_json("/api/v1/articles").await;
    assert_eq!(slugs(&public["data"]), ["out"]);
    assert_eq!(public["data"][0]["status"], "published");
    app.get_problem("/api/v1/articles?status=draft", 401).await;

    let list = |token: String, query: &'static str| {
        let app = &app;
        async move {
            let response = app
                .send(
                    "GET",
                    &format!("/api/v1/articles?{query}"),
                    Some(&token),
                    None,
                    &[],
                )
                .await;
            assert_eq!(response.status, 200, "{query}: {}", response.text());
            response.json()
        }
    };
    let mut drafts = slugs(&list(editor.clone(), "status=draft").await["data"]);
    drafts.sort();
    assert_eq!(drafts, ["author-draft", "editor-draft"]);
    assert_eq!(
        slugs(&list(author.clone(), "status=draft").await["data"]),
        ["author-draft"],
        "authors see their own"
    );
    assert_eq!(
        slugs(&list(editor.clone(), "status=review").await["data"]),
        ["in-review"]
    );
    let scheduled = list(editor.clone(), "status=scheduled").await;
    assert_eq!(slugs(&scheduled["data"]), ["later"]);
    assert_eq!(scheduled["data"][0]["status"], "scheduled");
    let bad = app
        .send(
            "GET",
            "/api/v1/articles?status=secret",
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(bad.status, 400);

    // None of them anywhere public.
    for path in ["/api/v1/tags", "/api/v1/categories", "/api/v1/archive"] {
        let text = app.get(path).await.text();
        for hidden in ["草稿", "待审", "定时"] {
            assert!(!text.contains(hidden), "{path} shows {hidden}");
        }
    }
    assert_eq!(app.get_json("/api/v1/archive").await["data"][0]["count"], 1);
}

#[actix_rt::test]
async fn instants_outside_the_stored_range_are_refused_by_name() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    // Valid RFC 3339, but past year 9999 (or 2200) once in UTC, or before 1900.
    for (status, at) in [
        ("scheduled", "9999-12-31T23:00:00-12:00"),
        ("scheduled", "2200-12-31T23:00:00-12:00"),
        ("published", "0001-01-01T00:00:00Z"),
        ("published", "1899-12-31T23:59:59Z"),
        ("draft", "9999-12-31T23:59:59Z"),
    ] {
        let refused = create(
            &app,
            &editor,
            json!({"title": "远", "status": status, "published_at": at}),
        )
        .await;
        assert_eq!(refused.status, 422, "{at}: {}", refused.text());
        let body = refused.json();
        assert_eq!(body["errors"][0]["field"], "published_at", "{at}: {body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("1900") && m.contains("2200")),
            "{at}: the message gives the range: {body}"
        );
    }
    // The ends of the range, in UTC, are accepted.
    for (slug, at) in [
        ("first", "1899-12-31T23:00:00-01:00"),
        ("last", "2200-12-31T23:59:59Z"),
    ] {
        let made = create(
            &app,
            &editor,
            json!({"title": slug, "slug": slug, "status": "published", "published_at": at}),
        )
        .await;
        assert_eq!(made.status, 201, "{at}: {}", made.text());
    }

    let draft = create(&app, &editor, json!({"title": "草稿"})).await.json();
    let id = draft["id"].as_i64().expect("id");
    let patched = app
        .send(
            "PATCH",
            &format!("/api/v1/articles/{id}"),
            Some(&editor),
            Some(&json!({"status": "scheduled", "published_at": "9999-12-31T23:00:00-12:00"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(patched.status, 422, "{}", patched.text());
    assert_eq!(patched.json()["errors"][0]["field"], "published_at");
    // Both ends show in the archive once due (cut in the site's +08:00: 2201 locally).
    app.clock.set(instant("2200-12-31T23:59:59Z"));
    let archive = app.get_json("/api/v1/archive").await;
    assert_eq!(
        archive,
        json!({"data": [
            {"year": 2201, "count": 1, "months": [{"month": 1, "count": 1}]},
            {"year": 1900, "count": 1, "months": [{"month": 1, "count": 1}]}
        ]})
    );
}

#[actix_rt::test]
async fn an_author_cannot_read_someone_elses_embargoed_article() {
    let app = TestApp::empty().await;
    let author = app.token_for(Role::Author).await;
    // Stored as published, dated after the test clock's now: scheduled.
    let scheduled = ArticleBuilder::new("embargoed", "禁发稿")
        .at("2030-01-01T08:00:00+08:00")
        .insert(&app);
    let published = ArticleBuilder::new("out", "已发稿").insert(&app);
    for (id, expected) in [(scheduled, 404), (published, 200)] {
        for path in [
            format!("/api/v1/articles/{id}"),
            format!("/api/v1/articles/{id}/preview"),
        ] {
            let response = app.send("GET", &path, Some(&author), None, &[]).await;
            assert_eq!(response.status, expected, "{path}: {}", response.text());
        }
    }
}

#[actix_rt::test]
async fn a_malformed_if_match_is_400_naming_the_header_and_writes_nothing() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    app.tag("humiao", "护苗");
    // `If-Match: 1` (the quotes forgotten) used to be read as "matches nothing" and answered
    // 412, as if another editor had written.
    for malformed in ["1", "null", "\"1\" \"2\"", "W/1", "\"1\",", "*, \"1\""] {
        let response = app
            .send(
                "PATCH",
                "/api/v1/tags/humiao",
                Some(&admin),
                Some(&json!({"name": "改名"})),
                &[("If-Match", malformed)],
            )
            .await;
        assert_eq!(response.status, 400, "{malformed}: {}", response.text());
        assert_eq!(
            response.json()["errors"][0]["field"],
            "If-Match",
            "{malformed}"
        );
    }
    assert_eq!(app.get_json("/api/v1/tags/humiao").await["name"], "护苗");
    for wellformed in ["\"1\"", " \"9\" , \"1\" ", "*"] {
        let response = app
            .send(
                "PATCH",
                "/api/v1/tags/humiao",
                Some(&admin),
                Some(&json!({"description": "护苗行动"})),
                &[("If-Match", wellformed)],
            )
            .await;
        assert!(
            matches!(response.status.as_u16(), 200 | 412),
            "{wellformed}: {}",
            response.text()
        );
    }
}

#[actix_rt::test]
async fn an_integer_may_be_sent_as_a_number_without_a_fraction() {
    // JSON Schema counts 1080.0 as an integer, so a client with only floats sends it.
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let category = app.category("news", "新闻", None);
    let response = app
        .send(
            "POST",
            "/api/v1/media",
            Some(&admin),
            Some(&json!({"url": "/media/a.jpg", "mime_type": "image/jpeg", "width": 1080.0, "height": 720})),
            &[],
        )
        .await;
    assert_eq!(response.status, 201, "{}", response.text());
    assert_eq!(response.json()["width"], 1080);
    let response = create(
        &app,
        &admin,
        json!({"title": "护苗", "category_id": category as f64}),
    )
    .await;
    assert_eq!(response.status, 201, "{}", response.text());
    assert_eq!(response.json()["category"]["id"], category);
    let response = app
        .send(
            "POST",
            "/api/v1/media",
            Some(&admin),
            Some(&json!({"url": "/media/b.jpg", "mime_type": "image/jpeg", "width": 1080.5})),
            &[],
        )
        .await;
    assert_eq!(response.status, 422, "{}", response.text());
}

/// A change that leaves the resource as it was (an empty `PATCH`, a form saved again, a
/// value sent again) writes nothing: the ETag stays, cached answers stay, no audit entry.
#[actix_rt::test]
async fn a_change_that_changes_nothing_writes_nothing() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let admin = app.token_for(Role::Admin).await;
    let tag_created = app
        .send(
            "POST",
            "/api/v1/tags",
            Some(&editor),
            Some(&json!({"name": "护苗"})),
            &[],
        )
        .await;
    let tag = tag_created.json();
    let body = json!({
        "title": "护苗有我", "body_html": "<p>正文</p>", "tag_ids": [tag["id"]],
        "status": "published", "published_at": "2021-11-16T10:00:00+08:00"
    });
    let created = create(&app, &editor, body.clone()).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    let article = format!("/api/v1/articles/{id}");
    let etag = created.header("etag").expect("etag");
    let public = app.get(&article).await;
    let public_etag = public.header("etag").expect("public etag");

    for same in [
        json!({}),
        body.clone(),
        json!({"title": "护苗有我", "summary": null}),
    ] {
        let unchanged = app
            .send(
                "PATCH",
                &article,
                Some(&editor),
                Some(&same),
                &[("if-match", &etag)],
            )
            .await;
        assert_eq!(unchanged.status, 200, "{same}: {}", unchanged.text());
        assert_eq!(
            unchanged.header("etag").as_deref(),
            Some(etag.as_str()),
            "{same}"
        );
        assert_eq!(unchanged.json(), created.json(), "{same}");
    }
    // A draft without a date shows its last change as `published_at`: still no change.
    let draft = create(&app, &editor, json!({"title": "草稿"})).await;
    let draft_path = format!("/api/v1/articles/{}", draft.json()["id"]);
    app.clock.set(instant("2026-06-01T13:00:00+08:00"));
    let untouched = app
        .send("PATCH", &draft_path, Some(&editor), Some(&json!({})), &[])
        .await;
    assert_eq!(
        untouched.header("etag"),
        draft.header("etag"),
        "{}",
        untouched.text()
    );
    // Readers' copies are still good.
    let revalidated = app
        .get_with(&article, &[("if-none-match", &public_etag)])
        .await;
    assert_eq!(revalidated.status, 304);
    let tag_path = format!("/api/v1/tags/{}", tag["id"]);
    let tag_etag = tag_created.header("etag").expect("tag etag");
    let same_tag = app
        .send(
            "PATCH",
            &tag_path,
            Some(&editor),
            Some(&json!({"name": "护苗"})),
            &[],
        )
        .await;
    assert_eq!(same_tag.header("etag"), Some(tag_etag));

    // A real change is written, once.
    let changed = app
        .send(
            "PATCH",
            &article,
            Some(&editor),
            Some(&json!({"title": "护苗有我 安全同行"})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    assert_ne!(changed.header("etag"), Some(etag.clone()));
    let audit = app
        .send("GET", "/api/v1/audit", Some(&admin), None, &[])
        .await
        .json();
    let updates: Vec<&Value> = audit["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter(|entry| entry["action"] == "update")
        .collect();
    assert_eq!(updates.len(), 1, "{audit}");
    assert_ne!(
        app.get_with(&article, &[("if-none-match", &public_etag)])
            .await
            .status,
        304
    );

    // A password sent again is still a change: it is hashed anew and ends sessions.
    let user = app
        .send(
            "POST",
            "/api/v1/users",
            Some(&admin),
            Some(&json!({"email": "w@example.com", "name": "作者", "role": "author", "password": "a long passphrase"})),
            &[],
        )
        .await;
    let user_path = format!("/api/v1/users/{}", user.json()["id"]);
    let again = app
        .send(
            "PATCH",
            &user_path,
            Some(&admin),
            Some(&json!({"password": "a long passphrase"})),
            &[],
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.text());
    assert_ne!(again.header("etag"), user.header("etag"));
}

/// What a view leaves out (unpublished articles in an issue, pinned links, an item's
/// position among equals) is still stored: a change to it is written, not taken for none.
#[actix_rt::test]
async fn a_change_the_view_does_not_show_is_still_written() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let published = create(&app, &editor, json!({"title": "已发布", "status": "published", "published_at": "2021-11-16T10:00:00+08:00"}))
        .await
        .json()["id"]
        .clone();
    let draft = create(&app, &editor, json!({"title": "草稿"})).await.json();
    let draft_path = format!("/api/v1/articles/{}", draft["id"]);

    // A draft added to a magazine issue shows once it is published.
    let issue = app
        .send("POST", "/api/v1/magazine/issues", Some(&editor), Some(&json!({"title": "第1期", "year": 2021, "published_on": "2021-11-01", "article_ids": [published]})), &[])
        .await;
    assert_eq!(issue.status, 201, "{}", issue.text());
    let issue_path = issue.header("location").expect("location");
    let added = app
        .send(
            "PATCH",
            &issue_path,
            Some(&editor),
            Some(&json!({"article_ids": [published, draft["id"]]})),
            &[],
        )
        .await;
    assert_ne!(
        added.header("etag"),
        issue.header("etag"),
        "{}",
        added.text()
    );
    // Pinning the draft as related to the published article.
    let article_path = format!("/api/v1/articles/{published}");
    let before = app
        .send("GET", &article_path, Some(&editor), None, &[])
        .await;
    let pinned = app
        .send(
            "PATCH",
            &article_path,
            Some(&editor),
            Some(&json!({"related_ids": [draft["id"]]})),
            &[],
        )
        .await;
    assert_ne!(
        pinned.header("etag"),
        before.header("etag"),
        "{}",
        pinned.text()
    );
    let publish = app
        .send(
            "PATCH",
            &draft_path,
            Some(&editor),
            Some(&json!({"status": "published", "published_at": "2021-11-17T10:00:00+08:00"})),
            &[],
        )
        .await;
    assert_eq!(publish.status, 200, "{}", publish.text());
    let issue_now = app
        .send("GET", &issue_path, Some(&editor), None, &[])
        .await
        .json();
    assert_eq!(
        issue_now["articles"].as_array().map(Vec::len),
        Some(2),
        "{issue_now}"
    );
    let article_now = app.get_json(&article_path).await;
    assert_eq!(
        article_now["related"][0]["id"], draft["id"],
        "{article_now}"
    );

    // An item moved among siblings of the same position keeps the order shown, but is
    // stored, and decides the next move.
    let menu = app
        .send(
            "PUT",
            "/api/v1/menus/sidebar",
            Some(&editor),
            Some(&json!({"name": "侧栏", "items": [
                {"label": "A", "kind": "url", "url": "/a"},
                {"label": "B", "kind": "url", "url": "/b"},
                {"label": "C", "kind": "url", "url": "/c"}
            ]})),
            &[],
        )
        .await;
    assert_eq!(menu.status, 201, "{}", menu.text());
    let ids: Vec<i64> = menu.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["id"].as_i64().expect("id"))
        .collect();
    let item = |id: i64| format!("/api/v1/menus/sidebar/items/{id}");
    let moved = app
        .send(
            "PATCH",
            &item(ids[2]),
            Some(&editor),
            Some(&json!({"position": 1})),
            &[],
        )
        .await;
    assert_ne!(
        moved.header("etag"),
        menu.header("etag"),
        "{}",
        moved.text()
    );
    app.send(
        "PATCH",
        &item(ids[1]),
        Some(&editor),
        Some(&json!({"position": 2})),
        &[],
    )
    .await;
    let labels: Vec<String> = app.get_json("/api/v1/menus/sidebar").await["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["label"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(labels, ["A", "C", "B"]);
}

/// ü has no place in a slug: generated slugs write it `v`, so a form that sends its slug
/// back is accepted, for articles and tags alike.
#[actix_rt::test]
async fn a_generated_slug_is_accepted_back_even_with_u_umlaut_in_its_pinyin() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    for (path, body, slug) in [
        (
            "/api/v1/articles",
            json!({"title": "绿色上网 护苗行动"}),
            "lv-se-shang-wang-hu-miao-xing-dong",
        ),
        ("/api/v1/tags", json!({"name": "女子足球"}), "nv-zi-zu-qiu"),
    ] {
        let created = app
            .send("POST", path, Some(&editor), Some(&body), &[])
            .await;
        assert_eq!(created.status, 201, "{}", created.text());
        assert_eq!(created.json()["slug"], slug);
        let location = created.header("location").expect("location");
        let sent_back = app
            .send(
                "PATCH",
                &location,
                Some(&editor),
                Some(&json!({"slug": slug})),
                &[],
            )
            .await;
        assert_eq!(sent_back.status, 200, "{path}: {}", sent_back.text());
    }
}

/// `If-Match` compares strongly: a weak tag (what a proxy that compressed the answer may
/// have turned the ETag into) is 412 with a message that says why, not "it changed".
#[actix_rt::test]
async fn a_weak_if_match_is_412_saying_weak_tags_never_match() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let created = create(&app, &editor, json!({"title": "标题"})).await;
    let location = created.header("location").expect("location");
    let weak = app
        .send(
            "PATCH",
            &location,
            Some(&editor),
            Some(&json!({"title": "新标题"})),
            &[("if-match", "W/\"1\"")],
        )
        .await;
    let problem = weak.json();
    assert_eq!(weak.status, 412, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("weak ETag"),
        "{problem}"
    );
    let stale = app
        .send(
            "PATCH",
            &location,
            Some(&editor),
            Some(&json!({"title": "新标题"})),
            &[("if-match", "\"7\"")],
        )
        .await;
    assert!(stale.json()["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("changed since"));
}
