use masthead::auth::Role;
use serde_json::json;

use crate::support::TestApp;

#[actix_rt::test]
async fn editors_put_whole_menus_and_see_broken_items_flagged() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let author = app.token_for(Role::Author).await;
    let news = app.category("news", "新闻动态", None);
    let industry = app.category("industry", "行业新闻", Some(news));
    let body = json!({"name": "侧栏", "items": [
        {"label": "新闻动态", "kind": "category", "target_id": news, "children": [
            {"label": "行业新闻", "kind": "category", "target_id": industry}
        ]},
        {"label": "百度", "kind": "url", "url": "https://www.baidu.com/"}
    ]});
    assert_eq!(
        app.send(
            "PUT",
            "/api/v1/menus/sidebar",
            Some(&author),
            Some(&body),
            &[]
        )
        .await
        .status,
        403
    );
    let created = app
        .send(
            "PUT",
            "/api/v1/menus/sidebar",
            Some(&editor),
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let public = app.get_json("/api/v1/menus/sidebar").await;
    assert_eq!(
        public["items"][0]["children"][0]["path"],
        "/categories/industry"
    );
    assert_eq!(public["items"][1]["external"], true);

    let bad = app
        .send("PUT", "/api/v1/menus/sidebar", Some(&editor), Some(&json!({"name": "", "items": [
            {"label": "x", "kind": "category"},
            {"label": "y", "kind": "url", "url": "javascript:alert(1)", "children": [{"label": "", "kind": "nope"}]},
            {"label": "z", "kind": "page", "target_id": 999}
        ]})), &[])
        .await;
    assert_eq!(bad.status, 422);
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
            "items[0].target_id",
            "items[1].children[0].kind",
            "items[1].children[0].label",
            "items[1].url",
            "name"
        ]
    );

    // A deleted target: gone from the public menu, flagged for editors.
    assert_eq!(
        app.send(
            "DELETE",
            "/api/v1/categories/industry",
            Some(&editor),
            None,
            &[]
        )
        .await
        .status,
        204
    );
    let public = app.get_json("/api/v1/menus/sidebar").await;
    assert_eq!(public["items"][0]["children"], json!([]));
    let flagged = app
        .send("GET", "/api/v1/menus/sidebar", Some(&editor), None, &[])
        .await;
    assert_eq!(flagged.status, 200);
    let flagged_json = flagged.json();
    assert_eq!(flagged_json["items"][0]["children"][0]["broken"], true);
    let item_id = flagged_json["items"][0]["children"][0]["id"]
        .as_i64()
        .expect("id");
    let etag = flagged.header("etag").expect("etag");

    // One item at a time, with the menu's ETag.
    let relabel = app
        .send(
            "PATCH",
            &format!("/api/v1/menus/sidebar/items/{item_id}"),
            Some(&editor),
            Some(&json!({"kind": "url", "url": "/industry", "label": "行业"})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(relabel.status, 200, "{}", relabel.text());
    assert_eq!(
        app.get_json("/api/v1/menus/sidebar").await["items"][0]["children"][0]["label"],
        "行业"
    );
    // A malformed body is a 422 even with a stale If-Match (it used to be a 412).
    let malformed = app
        .send(
            "PATCH",
            &format!("/api/v1/menus/sidebar/items/{item_id}"),
            Some(&editor),
            Some(&json!(-667)),
            &[("if-match", "\"0\"")],
        )
        .await;
    assert_eq!(malformed.status, 422, "{}", malformed.text());
    let stale = app
        .send(
            "DELETE",
            &format!("/api/v1/menus/sidebar/items/{item_id}"),
            Some(&editor),
            None,
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(stale.status, 412);
    assert_eq!(
        app.send(
            "DELETE",
            &format!("/api/v1/menus/sidebar/items/{item_id}"),
            Some(&editor),
            None,
            &[]
        )
        .await
        .status,
        204
    );
    let top = app.get_json("/api/v1/menus/sidebar").await["items"][0]["id"]
        .as_i64()
        .expect("id");
    let added = app
        .send(
            "POST",
            "/api/v1/menus/sidebar/items",
            Some(&editor),
            Some(&json!({"label": "更多", "kind": "url", "url": "/more", "parent_id": top})),
            &[],
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text());
    assert_eq!(
        app.get_json("/api/v1/menus/sidebar").await["items"][0]["children"][0]["label"],
        "更多"
    );
    let orphan = app
        .send(
            "POST",
            "/api/v1/menus/sidebar/items",
            Some(&editor),
            Some(&json!({"label": "x", "kind": "group", "parent_id": 9999})),
            &[],
        )
        .await;
    assert_eq!(orphan.status, 422);
    assert_eq!(
        app.send("DELETE", "/api/v1/menus/sidebar", Some(&editor), None, &[])
            .await
            .status,
        204
    );
    app.get_problem("/api/v1/menus/sidebar", 404).await;
}
