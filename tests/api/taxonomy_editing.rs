use masthead::auth::Role;
use serde_json::json;

use crate::support::{slugs, ArticleBuilder, TestApp};

#[actix_rt::test]
async fn editors_manage_the_category_tree() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let author = app.token_for(Role::Author).await;
    let body = json!({"name": "新闻动态", "slug": "news"});
    assert_eq!(
        app.send("POST", "/api/v1/categories", None, Some(&body), &[])
            .await
            .status,
        401
    );
    assert_eq!(
        app.send(
            "POST",
            "/api/v1/categories",
            Some(&author),
            Some(&body),
            &[]
        )
        .await
        .status,
        403
    );
    let news = app
        .send(
            "POST",
            "/api/v1/categories",
            Some(&editor),
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(news.status, 201, "{}", news.text());
    assert_eq!(
        news.header("location").as_deref(),
        Some("/api/v1/categories/news")
    );
    let news_id = news.json()["id"].as_i64().expect("id");
    let child = app
        .send(
            "POST",
            "/api/v1/categories",
            Some(&editor),
            Some(&json!({"name": "公司动态", "parent_id": news_id})),
            &[],
        )
        .await;
    assert_eq!(child.status, 201, "{}", child.text());
    assert_eq!(child.json()["slug"], "gong-si-dong-tai");
    let tree = app.get_json("/api/v1/categories").await;
    assert_eq!(slugs(&tree["data"][0]["children"]), ["gong-si-dong-tai"]);

    // A cycle, a taken slug and a bad position, all named.
    let bad = app
        .send(
            "PATCH",
            "/api/v1/categories/news",
            Some(&editor),
            Some(&json!({"position": "first", "slug": "Bad"})),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["errors"].as_array().map(Vec::len), Some(2));
    let child_id = app.get_json("/api/v1/categories/gong-si-dong-tai").await["id"]
        .as_i64()
        .expect("id");
    let cycle = app
        .send(
            "PATCH",
            "/api/v1/categories/news",
            Some(&editor),
            Some(&json!({"parent_id": child_id})),
            &[],
        )
        .await;
    assert_eq!(cycle.status, 422);

    // If-Match, from an editor's GET.
    let read = app
        .send("GET", "/api/v1/categories/news", Some(&editor), None, &[])
        .await;
    let etag = read.header("etag").expect("etag");
    assert_eq!(etag, "\"1\"");
    let renamed = app
        .send(
            "PATCH",
            "/api/v1/categories/news",
            Some(&editor),
            Some(&json!({"name": "新闻"})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text());
    let stale = app
        .send(
            "PATCH",
            "/api/v1/categories/news",
            Some(&editor),
            Some(&json!({"name": "旧"})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(stale.status, 412);

    // Deleting: articles stay, uncategorised; the subcategory moves up.
    ArticleBuilder::new("story", "报道")
        .category(news_id)
        .insert(&app);
    assert_eq!(
        app.send(
            "DELETE",
            "/api/v1/categories/news",
            Some(&editor),
            None,
            &[]
        )
        .await
        .status,
        204
    );
    assert!(app.get_json("/api/v1/articles/story").await["category"].is_null());
    assert_eq!(
        slugs(&app.get_json("/api/v1/categories").await["data"]),
        ["gong-si-dong-tai"]
    );
}

#[actix_rt::test]
async fn editors_manage_tags() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let author = app.token_for(Role::Author).await;
    let body = json!({"name": "护苗"});
    assert_eq!(
        app.send("POST", "/api/v1/tags", Some(&author), Some(&body), &[])
            .await
            .status,
        403
    );
    let created = app
        .send("POST", "/api/v1/tags", Some(&editor), Some(&body), &[])
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(created.json()["slug"], "hu-miao");
    let again = app
        .send("POST", "/api/v1/tags", Some(&editor), Some(&body), &[])
        .await;
    assert_eq!(
        again.json()["slug"],
        "hu-miao-2",
        "generated slugs never collide"
    );
    let taken = app
        .send(
            "POST",
            "/api/v1/tags",
            Some(&editor),
            Some(&json!({"name": "x", "slug": "hu-miao"})),
            &[],
        )
        .await;
    assert_eq!(taken.status, 422);
    let renamed = app
        .send(
            "PATCH",
            "/api/v1/tags/hu-miao",
            Some(&editor),
            Some(&json!({"slug": "humiao"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text());
    assert_eq!(renamed.header("etag").as_deref(), Some("\"2\""));
    app.get_json("/api/v1/tags/humiao").await;
    assert_eq!(
        app.send(
            "DELETE",
            "/api/v1/tags/humiao",
            Some(&editor),
            None,
            &[("if-match", "\"1\"")]
        )
        .await
        .status,
        412
    );
    assert_eq!(
        app.send(
            "DELETE",
            "/api/v1/tags/humiao",
            Some(&editor),
            None,
            &[("if-match", "\"2\"")]
        )
        .await
        .status,
        204
    );
    app.get_problem("/api/v1/tags/humiao", 404).await;
}

#[actix_rt::test]
async fn editors_manage_pages_and_drafts_stay_private() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let author = app.token_for(Role::Author).await;
    let body = json!({"title": "招聘职位", "slug": "jobs", "body_html": "<p onclick=\"x()\">诚聘</p><script>x()</script>"});
    assert_eq!(
        app.send("POST", "/api/v1/pages", Some(&author), Some(&body), &[])
            .await
            .status,
        403
    );
    let created = app
        .send("POST", "/api/v1/pages", Some(&editor), Some(&body), &[])
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let page = created.json();
    assert_eq!(page["status"], "draft");
    assert_eq!(page["body_html"], "<p>诚聘</p>");
    app.get_problem("/api/v1/pages/jobs", 404).await;
    let as_editor = app
        .send("GET", "/api/v1/pages/jobs", Some(&editor), None, &[])
        .await;
    assert_eq!(as_editor.status, 200);
    assert_eq!(as_editor.header("etag").as_deref(), Some("\"1\""));
    let published = app
        .send(
            "PATCH",
            "/api/v1/pages/jobs",
            Some(&editor),
            Some(&json!({"status": "published", "summary": "加入我们"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(published.status, 200, "{}", published.text());
    let public = app.get_json("/api/v1/pages/jobs").await;
    assert_eq!(public["summary"], "加入我们");
    assert_eq!(
        slugs(&app.get_json("/api/v1/pages").await["data"]),
        ["jobs"]
    );
    let bad = app
        .send(
            "PATCH",
            "/api/v1/pages/jobs",
            Some(&editor),
            Some(&json!({"status": "secret", "title": ""})),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["errors"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        app.send("DELETE", "/api/v1/pages/jobs", Some(&editor), None, &[])
            .await
            .status,
        204
    );
    app.get_problem("/api/v1/pages/jobs", 404).await;
}

/// The sorted `errors[].field` names of a 422.
fn error_fields(response: &crate::support::Response) -> Vec<String> {
    assert_eq!(response.status, 422, "{}", response.text());
    let mut fields: Vec<String> = response.json()["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {}", response.text()))
        .iter()
        .map(|error| error["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    fields.sort();
    fields
}

#[actix_rt::test]
async fn category_and_page_bodies_name_every_bad_field_at_once() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    app.category("news", "新闻动态", None);
    app.page("about", "关于我们", "published");
    let cases = [
        (
            "POST",
            "/api/v1/categories",
            json!({"slug": "Bad Slug", "parent_id": 0, "position": "first", "description": 7, "colour": "红"}),
            vec![
                "colour",
                "description",
                "name",
                "parent_id",
                "position",
                "slug",
            ],
        ),
        (
            "PATCH",
            "/api/v1/categories/news",
            json!({"name": "", "position": 2_000_000, "slug": null, "parent": 1}),
            vec!["name", "parent", "position", "slug"],
        ),
        (
            "POST",
            "/api/v1/pages",
            json!({"status": "secret", "seo_title": 5, "slug": "-about", "author": "编辑部"}),
            vec!["author", "seo_title", "slug", "status", "title"],
        ),
        (
            "PATCH",
            "/api/v1/pages/about",
            json!({"title": "关于\n我们", "status": null, "seo_description": "", "body_html": [], "seo": {}}),
            vec!["body_html", "seo", "seo_description", "status", "title"],
        ),
    ];
    for (method, path, body, expected) in cases {
        let response = app
            .send(method, path, Some(&editor), Some(&body), &[])
            .await;
        assert_eq!(error_fields(&response), expected, "{method} {path}");
    }
    // Nothing was written.
    let news = app
        .send("GET", "/api/v1/categories/news", Some(&editor), None, &[])
        .await;
    assert_eq!(news.header("etag").as_deref(), Some("\"1\""));
    let about = app
        .send("GET", "/api/v1/pages/about", Some(&editor), None, &[])
        .await;
    assert_eq!(about.header("etag").as_deref(), Some("\"1\""));
}

#[actix_rt::test]
async fn category_and_page_writes_keep_their_rules() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let news = app
        .send(
            "POST",
            "/api/v1/categories",
            Some(&editor),
            Some(&json!({"name": "新闻动态", "slug": "news", "position": -3, "description": null})),
            &[],
        )
        .await;
    assert_eq!(news.status, 201, "{}", news.text());
    assert_eq!(news.json()["position"], -3);
    assert_eq!(news.json()["description"], "");
    let news_id = news.json()["id"].as_i64().expect("id");
    let missing_parent = app
        .send(
            "POST",
            "/api/v1/categories",
            Some(&editor),
            Some(&json!({"name": "行业新闻", "parent_id": news_id + 100})),
            &[],
        )
        .await;
    assert_eq!(error_fields(&missing_parent), ["parent_id"]);
    let taken = app
        .send(
            "POST",
            "/api/v1/categories",
            Some(&editor),
            Some(&json!({"name": "行业新闻", "slug": "news"})),
            &[],
        )
        .await;
    assert_eq!(error_fields(&taken), ["slug"]);
    let child = app
        .send(
            "POST",
            "/api/v1/categories",
            Some(&editor),
            Some(&json!({"name": "行业新闻", "parent_id": news_id})),
            &[],
        )
        .await;
    assert_eq!(child.status, 201, "{}", child.text());
    assert_eq!(child.json()["parent"]["slug"], "news");
    let child_path = format!(
        "/api/v1/categories/{}",
        child.json()["slug"].as_str().expect("slug")
    );
    // Moved to the top level, renamed, re-slugged: one version step.
    let moved = app
        .send(
            "PATCH",
            &child_path,
            Some(&editor),
            Some(&json!({"parent_id": null, "slug": "industry", "description": "行业动态"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text());
    assert_eq!(moved.header("etag").as_deref(), Some("\"2\""));
    assert!(moved.json()["parent"].is_null());
    assert_eq!(moved.json()["description"], "行业动态");
    assert_eq!(
        app.send(
            "PATCH",
            "/api/v1/categories/industry",
            Some(&editor),
            Some(&json!({"parent_id": moved.json()["id"]})),
            &[],
        )
        .await
        .status,
        422,
        "a category is not its own parent"
    );

    // Pages: SEO fields set and cleared, status changed, the slug kept unique.
    let page = app
        .send(
            "POST",
            "/api/v1/pages",
            Some(&editor),
            Some(&json!({"title": "联系我们", "seo_title": "联系南方大视野", "seo_description": "地址与电话"})),
            &[],
        )
        .await;
    assert_eq!(page.status, 201, "{}", page.text());
    assert_eq!(
        page.header("location").as_deref(),
        Some("/api/v1/pages/lian-xi-wo-men")
    );
    assert_eq!(page.json()["status"], "draft");
    assert_eq!(page.json()["seo"]["title"], "联系南方大视野");
    let cleared = app
        .send(
            "PATCH",
            "/api/v1/pages/lian-xi-wo-men",
            Some(&editor),
            Some(&json!({"seo_title": null, "status": "published", "summary": "  地址  "})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(cleared.status, 200, "{}", cleared.text());
    assert!(cleared.json()["seo"]["title"].is_null());
    assert_eq!(cleared.json()["seo"]["description"], "地址与电话");
    assert_eq!(cleared.json()["summary"], "  地址  ");
    app.get_json("/api/v1/pages/lian-xi-wo-men").await;
    let second = app
        .send(
            "POST",
            "/api/v1/pages",
            Some(&editor),
            Some(&json!({"title": "招聘"})),
            &[],
        )
        .await;
    assert_eq!(second.status, 201, "{}", second.text());
    let clash = app
        .send(
            "PATCH",
            "/api/v1/pages/zhao-pin",
            Some(&editor),
            Some(&json!({"slug": "lian-xi-wo-men"})),
            &[],
        )
        .await;
    assert_eq!(error_fields(&clash), ["slug"]);
}
