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

/// The `errors[].field` names of a 422, sorted.
fn fields(response: &crate::support::Response) -> Vec<String> {
    assert_eq!(response.status, 422, "{}", response.text());
    let mut fields: Vec<String> = response.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    fields.sort();
    fields
}

#[actix_rt::test]
async fn every_bad_field_of_every_menu_write_is_named_in_one_422() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    app.menu("footer", &[("首页", "url", None, Some("/"))]);
    let item = app.get_json("/api/v1/menus/footer").await["items"][0]["id"]
        .as_i64()
        .expect("id");

    // A whole menu: bad fields, an unknown one, at every level; an element that is no
    // item does not shift the names of those after it.
    let put = app
        .send(
            "PUT",
            "/api/v1/menus/sidebar",
            Some(&editor),
            Some(&json!({"name": "x\u{0}", "colour": "red", "items": [
                7,
                {"label": "", "kind": "url", "url": "/a", "icon": "x"},
                {"label": "b", "kind": "page", "children": [
                    "no item",
                    {"label": "c", "kind": "tag", "target_id": 0},
                    {"label": "d", "kind": "url"}
                ]},
                {"label": "e", "kind": "group"}
            ]})),
            &[],
        )
        .await;
    assert_eq!(
        fields(&put),
        [
            "colour",
            "items[0]",
            "items[1].icon",
            "items[1].label",
            "items[2].children[0]",
            "items[2].children[1].target_id",
            "items[2].children[2].url",
            "items[2].target_id",
            "name"
        ]
    );
    // Missing required fields, at the top and in an item.
    let put = app
        .send(
            "PUT",
            "/api/v1/menus/sidebar",
            Some(&editor),
            Some(&json!({"items": [{"kind": "group"}]})),
            &[],
        )
        .await;
    assert_eq!(fields(&put), ["items[0].label", "name"]);

    let post = app
        .send(
            "POST",
            "/api/v1/menus/footer/items",
            Some(&editor),
            Some(&json!({"label": "", "kind": "link", "parent_id": -1, "position": 100001, "colour": "red"})),
            &[],
        )
        .await;
    assert_eq!(
        fields(&post),
        ["colour", "kind", "label", "parent_id", "position"]
    );
    let post = app
        .send(
            "POST",
            "/api/v1/menus/footer/items",
            Some(&editor),
            Some(&json!({"label": "a", "kind": "article"})),
            &[],
        )
        .await;
    assert_eq!(fields(&post), ["target_id"]);

    let patch = app
        .send(
            "PATCH",
            &format!("/api/v1/menus/footer/items/{item}"),
            Some(&editor),
            Some(&json!({"label": null, "kind": "nope", "url": "javascript:alert(1)", "position": -1, "colour": "red"})),
            &[],
        )
        .await;
    assert_eq!(
        fields(&patch),
        ["colour", "kind", "label", "position", "url"]
    );
    // Changed, the item must still have what its kind links with.
    let patch = app
        .send(
            "PATCH",
            &format!("/api/v1/menus/footer/items/{item}"),
            Some(&editor),
            Some(&json!({"kind": "category"})),
            &[],
        )
        .await;
    assert_eq!(fields(&patch), ["target_id"]);
    assert_eq!(
        app.get_json("/api/v1/menus/footer").await["version"],
        1,
        "a refused write leaves the version alone"
    );
}

#[actix_rt::test]
async fn menus_nest_at_most_four_levels() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let nested = |levels: usize| {
        let mut items = json!([]);
        for level in (1..=levels).rev() {
            items = json!([{"label": format!("第{level}层"), "kind": "group", "children": items}]);
        }
        json!({"name": "侧栏", "items": items})
    };
    let four = app
        .send(
            "PUT",
            "/api/v1/menus/sidebar",
            Some(&editor),
            Some(&nested(4)),
            &[],
        )
        .await;
    assert_eq!(four.status, 201, "{}", four.text());
    let five = app
        .send(
            "PUT",
            "/api/v1/menus/sidebar",
            Some(&editor),
            Some(&nested(5)),
            &[],
        )
        .await;
    assert_eq!(fields(&five), ["items"]);
    assert!(
        five.text()
            .contains("items[0].children[0].children[0].children[0]"),
        "{}",
        five.text()
    );
}

#[actix_rt::test]
async fn item_writes_move_the_menu_version_and_are_audited_as_menu_updates() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let put = app
        .send(
            "PUT",
            "/api/v1/menus/footer",
            Some(&admin),
            Some(&json!({"name": "页脚", "items": []})),
            &[],
        )
        .await;
    assert_eq!(put.status, 201, "{}", put.text());
    assert_eq!(put.header("etag").as_deref(), Some("\"1\""));
    let added = app
        .send(
            "POST",
            "/api/v1/menus/footer/items",
            Some(&admin),
            Some(&json!({"label": "首页", "kind": "url", "url": "/"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text());
    assert_eq!(added.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(
        added.header("location").as_deref(),
        Some("/api/v1/menus/footer")
    );
    let item = added.json()["items"][0]["id"].as_i64().expect("id");
    let changed = app
        .send(
            "PATCH",
            &format!("/api/v1/menus/footer/items/{item}"),
            Some(&admin),
            Some(&json!({"label": "返回首页"})),
            &[("if-match", "\"2\"")],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    assert_eq!(changed.header("etag").as_deref(), Some("\"3\""));
    assert_eq!(changed.json()["items"][0]["label"], "返回首页");
    assert_eq!(changed.json()["items"][0]["url"], "/");
    let deleted = app
        .send(
            "DELETE",
            &format!("/api/v1/menus/footer/items/{item}"),
            Some(&admin),
            None,
            &[("if-match", "\"3\"")],
        )
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    let menu = app
        .send("GET", "/api/v1/menus/footer", Some(&admin), None, &[])
        .await;
    assert_eq!(menu.header("etag").as_deref(), Some("\"4\""));
    // A missing item is a 404 and moves nothing.
    let missing = app
        .send(
            "DELETE",
            &format!("/api/v1/menus/footer/items/{item}"),
            Some(&admin),
            None,
            &[],
        )
        .await;
    assert_eq!(missing.status, 404, "{}", missing.text());
    // On a new key, If-Match may only be `*`.
    let stale = app
        .send(
            "PUT",
            "/api/v1/menus/header",
            Some(&admin),
            Some(&json!({"name": "页头", "items": []})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(stale.status, 412, "{}", stale.text());
    let audit = app
        .send("GET", "/api/v1/audit", Some(&admin), None, &[])
        .await
        .json();
    let entries: Vec<(String, String, String)> = audit["data"]
        .as_array()
        .expect("entries")
        .iter()
        .rev()
        .filter(|e| e["resource"] == "menu")
        .map(|e| {
            (
                e["action"].as_str().unwrap_or_default().to_owned(),
                e["resource"].as_str().unwrap_or_default().to_owned(),
                e["summary"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("create", "menu", "footer".to_owned()),
        ("update", "menu", format!("footer: added item {item}")),
        ("update", "menu", format!("footer: changed item {item}")),
        ("update", "menu", format!("footer: deleted item {item}")),
    ];
    assert_eq!(
        entries,
        expected
            .iter()
            .map(|(a, r, s)| ((*a).to_owned(), (*r).to_owned(), s.clone()))
            .collect::<Vec<_>>()
    );
}
