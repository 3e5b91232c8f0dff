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
