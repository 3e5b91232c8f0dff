use masthead::auth::Role;
use serde_json::json;

use crate::support::TestApp;

#[actix_rt::test]
async fn admins_change_the_site_settings() {
    let app = TestApp::demo().await;
    let admin = app.token_for(Role::Admin).await;
    let editor = app.token_for(Role::Editor).await;
    let body = json!({"icp_record": "粤ICP备00000000号", "utc_offset": "+08:00",
        "contacts": [{"label": "联络处", "phone": "13751426049"}]});
    assert_eq!(
        app.send("PATCH", "/api/v1/site", Some(&editor), Some(&body), &[])
            .await
            .status,
        403
    );
    let read = app
        .send("GET", "/api/v1/site", Some(&admin), None, &[])
        .await;
    let etag = read.header("etag").expect("etag");
    let changed = app
        .send(
            "PATCH",
            "/api/v1/site",
            Some(&admin),
            Some(&body),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    let site = app.get_json("/api/v1/site").await;
    assert_eq!(site["icp_record"], "粤ICP备00000000号");
    assert_eq!(site["name"], "南方大视野", "fields not sent stay");
    assert_eq!(
        site["contacts"],
        json!([{"label": "联络处", "address": null, "phone": "13751426049", "email": null}])
    );
    let stale = app
        .send(
            "PATCH",
            "/api/v1/site",
            Some(&admin),
            Some(&json!({"name": "x"})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(stale.status, 412);
    let bad = app
        .send(
            "PATCH",
            "/api/v1/site",
            Some(&admin),
            Some(&json!({"utc_offset": "8", "contacts": [{}], "colour": 1})),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["errors"].as_array().map(Vec::len), Some(3));
}

#[actix_rt::test]
async fn media_records_are_added_by_anyone_signed_in_and_managed_by_editors() {
    let app = TestApp::empty().await;
    let author = app.token_for(Role::Author).await;
    let editor = app.token_for(Role::Editor).await;
    let body = json!({"url": "/media/a.jpg", "mime_type": "image/jpeg", "alt": "图", "caption": "图注", "width": 800, "height": 600});
    assert_eq!(
        app.send("POST", "/api/v1/media", None, Some(&body), &[])
            .await
            .status,
        401
    );
    let created = app
        .send("POST", "/api/v1/media", Some(&author), Some(&body), &[])
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    assert_eq!(
        app.get_json(&format!("/api/v1/media/{id}")).await["caption"],
        "图注"
    );
    let bad = app
        .send(
            "POST",
            "/api/v1/media",
            Some(&author),
            Some(&json!({"url": "javascript:alert(1)", "mime_type": "jpeg", "width": -1})),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["errors"].as_array().map(Vec::len), Some(3));
    let by_author = app
        .send(
            "PATCH",
            &format!("/api/v1/media/{id}"),
            Some(&author),
            Some(&json!({"alt": "x"})),
            &[],
        )
        .await;
    assert_eq!(by_author.status, 403);
    let by_editor = app
        .send(
            "PATCH",
            &format!("/api/v1/media/{id}"),
            Some(&editor),
            Some(&json!({"caption": null})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(by_editor.status, 200, "{}", by_editor.text());
    assert!(by_editor.json()["caption"].is_null());
    // While content shows it, it cannot go: the 409 names every user.
    let article = app
        .send("POST", "/api/v1/articles", Some(&editor), Some(&json!({"title": "有图", "slug": "with-image", "cover_media_id": id, "image_ids": [id], "status": "published"})), &[])
        .await;
    assert_eq!(article.status, 201, "{}", article.text());
    let issue = app
        .send("POST", "/api/v1/magazine/issues", Some(&editor), Some(&json!({"title": "2021年第11期", "year": 2021, "published_on": "2021-11-01", "cover_media_id": id})), &[])
        .await;
    assert_eq!(issue.status, 201, "{}", issue.text());
    let refused = app
        .send(
            "DELETE",
            &format!("/api/v1/media/{id}"),
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(refused.status, 409, "{}", refused.text());
    let detail = refused.json()["detail"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for user in [
        "article with-image (cover)",
        "article with-image (image)",
        "magazine issue",
    ] {
        assert!(detail.contains(user), "{user} in {detail}");
    }
    assert_eq!(
        app.get_json("/api/v1/articles/with-image").await["cover"]["id"],
        id
    );
    // Taken out of the content, it goes.
    let article_etag = article.header("etag").expect("etag");
    let unused = app
        .send(
            "PATCH",
            "/api/v1/articles/with-image",
            Some(&editor),
            Some(&json!({"cover_media_id": null, "image_ids": []})),
            &[("if-match", &article_etag)],
        )
        .await;
    assert_eq!(unused.status, 200, "{}", unused.text());
    let issue_id = issue.json()["id"].as_i64().expect("id");
    let unused = app
        .send(
            "PATCH",
            &format!("/api/v1/magazine/issues/{issue_id}"),
            Some(&editor),
            Some(&json!({"cover_media_id": null})),
            &[],
        )
        .await;
    assert_eq!(unused.status, 200, "{}", unused.text());
    let deleted = app
        .send(
            "DELETE",
            &format!("/api/v1/media/{id}"),
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text());
}

#[actix_rt::test]
async fn a_bad_media_body_is_one_422_naming_every_bad_missing_and_unknown_field() {
    let app = TestApp::empty().await;
    let author = app.token_for(Role::Author).await;
    let editor = app.token_for(Role::Editor).await;
    let admin = app.token_for(Role::Admin).await;
    let named = |problem: serde_json::Value| {
        let mut fields: Vec<String> = problem["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors: {problem}"))
            .iter()
            .map(|error| error["field"].as_str().unwrap_or_default().to_owned())
            .collect();
        fields.sort();
        fields
    };
    let refused = app
        .send(
            "POST",
            "/api/v1/media",
            Some(&author),
            Some(&json!({"alt": 1, "caption": "", "width": 0, "height": "720", "file": "a.jpg"})),
            &[],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(
        named(refused.json()),
        [
            "alt",
            "caption",
            "file",
            "height",
            "mime_type",
            "url",
            "width"
        ]
    );

    let made = app
        .send(
            "POST",
            "/api/v1/media",
            Some(&author),
            Some(&json!({"url": "/media/2021/11/humiao.jpg", "mime_type": " image/jpeg ", "alt": null})),
            &[],
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text());
    let id = made.json()["id"].as_i64().expect("id");
    assert_eq!(made.json()["mime_type"], "image/jpeg");
    assert_eq!(made.json()["alt"], "");
    assert_eq!(
        made.header("location").as_deref(),
        Some(format!("/api/v1/media/{id}").as_str())
    );
    let path = format!("/api/v1/media/{id}");
    let refused = app
        .send(
            "PATCH",
            &path,
            Some(&editor),
            Some(&json!({"url": null, "mime_type": "image / jpeg", "width": 100001, "alt": "\u{7}", "size": 1})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(
        named(refused.json()),
        ["alt", "mime_type", "size", "url", "width"]
    );
    for mime in ["jpeg", "/jpeg", "image/", "image/\u{3000}jpeg"] {
        let refused = app
            .send(
                "PATCH",
                &path,
                Some(&editor),
                Some(&json!({"mime_type": mime})),
                &[],
            )
            .await;
        assert_eq!(refused.status, 422, "{mime:?}: {}", refused.text());
    }
    let image = app.send("GET", &path, Some(&editor), None, &[]).await;
    assert_eq!(image.json()["version"], 1, "nothing was written");
    // An empty body changes nothing, so writes nothing; a real change is written once.
    let untouched = app
        .send("PATCH", &path, Some(&editor), Some(&json!({})), &[])
        .await;
    assert_eq!(untouched.status, 200, "{}", untouched.text());
    assert_eq!(untouched.json()["version"], 1);
    assert_eq!(untouched.json()["url"], "/media/2021/11/humiao.jpg");
    let touched = app
        .send(
            "PATCH",
            &path,
            Some(&editor),
            Some(&json!({"alt": "护苗"})),
            &[],
        )
        .await;
    assert_eq!(touched.status, 200, "{}", touched.text());
    assert_eq!(touched.json()["version"], 2);

    let audit = app
        .send("GET", "/api/v1/audit", Some(&admin), None, &[])
        .await
        .json();
    let entries: Vec<(&str, &str, i64)> = audit["data"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|entry| entry["resource"] != "session")
        .map(|entry| {
            (
                entry["action"].as_str().unwrap_or_default(),
                entry["resource"].as_str().unwrap_or_default(),
                entry["resource_id"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [("update", "media", id), ("create", "media", id)],
        "{audit}"
    );
}

#[actix_rt::test]
async fn admins_manage_users_and_the_last_admin_stays() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let editor = app.token_for(Role::Editor).await;
    let body = json!({"email": "New@Example.com", "name": "新作者", "role": "author", "password": "a long passphrase"});
    assert_eq!(
        app.send("POST", "/api/v1/users", Some(&editor), Some(&body), &[])
            .await
            .status,
        403
    );
    let created = app
        .send("POST", "/api/v1/users", Some(&admin), Some(&body), &[])
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let user = created.json();
    assert_eq!(user["email"], "new@example.com");
    assert!(user.get("password_hash").is_none());
    let id = user["id"].as_i64().expect("id");
    let duplicate = app
        .send("POST", "/api/v1/users", Some(&admin), Some(&body), &[])
        .await;
    assert_eq!(duplicate.status, 422);
    let weak = app
        .send(
            "POST",
            "/api/v1/users",
            Some(&admin),
            Some(&json!({"email": "x", "name": "", "role": "boss", "password": "short"})),
            &[],
        )
        .await;
    assert_eq!(weak.status, 422);
    assert_eq!(weak.json()["errors"].as_array().map(Vec::len), Some(4));

    // The new author signs in; deactivating ends the session at once.
    let login = app
        .send(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(&json!({"email": "new@example.com", "password": "a long passphrase"})),
            &[],
        )
        .await;
    assert_eq!(login.status, 200);
    let token = login.json()["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(
        app.send("GET", "/api/v1/auth/me", Some(&token), None, &[])
            .await
            .status,
        200
    );
    let off = app
        .send(
            "PATCH",
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(&json!({"active": false})),
            &[],
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.text());
    assert_eq!(
        app.send("GET", "/api/v1/auth/me", Some(&token), None, &[])
            .await
            .status,
        401
    );

    // The only admin cannot demote or delete themselves.
    let me = app
        .send("GET", "/api/v1/auth/me", Some(&admin), None, &[])
        .await
        .json();
    let admin_id = me["id"].as_i64().expect("id");
    let demote = app
        .send(
            "PATCH",
            &format!("/api/v1/users/{admin_id}"),
            Some(&admin),
            Some(&json!({"role": "editor"})),
            &[],
        )
        .await;
    assert_eq!(demote.status, 409);
    assert_eq!(
        app.send(
            "DELETE",
            &format!("/api/v1/users/{admin_id}"),
            Some(&admin),
            None,
            &[]
        )
        .await
        .status,
        409
    );
    let list = app
        .send("GET", "/api/v1/users", Some(&admin), None, &[])
        .await
        .json();
    assert_eq!(list["data"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        app.send(
            "DELETE",
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            None,
            &[("if-match", "\"2\"")]
        )
        .await
        .status,
        204
    );
}

/// The problem's field names, sorted.
fn named(problem: &serde_json::Value) -> Vec<String> {
    let mut fields: Vec<String> = problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    fields.sort();
    fields
}

#[actix_rt::test]
async fn a_user_write_names_every_bad_and_unknown_field_at_once() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let bad = app
        .send(
            "POST",
            "/api/v1/users",
            Some(&admin),
            Some(&json!({"email": "not an email", "name": " ", "role": "boss", "password": "short", "active": "yes", "nickname": "小张"})),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text());
    assert_eq!(
        named(&bad.json()),
        ["active", "email", "name", "nickname", "password", "role"],
        "{}",
        bad.text()
    );
    let missing = app
        .send(
            "POST",
            "/api/v1/users",
            Some(&admin),
            Some(&json!({"name": "张伟"})),
            &[],
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.text());
    assert_eq!(named(&missing.json()), ["email", "password", "role"]);

    let user = app.user("writer@example.com", Role::Author);
    let bad = app
        .send(
            "PATCH",
            &format!("/api/v1/users/{user}"),
            Some(&admin),
            Some(&json!({"email": null, "role": "root", "password": "a long pass\u{0}phrase", "shoe": 42})),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text());
    assert_eq!(
        named(&bad.json()),
        ["email", "password", "role", "shoe"],
        "{}",
        bad.text()
    );
    // A password is kept as sent, blanks included: sign-in compares it so.
    let padded = " a long passphrase ";
    let changed = app
        .send(
            "PATCH",
            &format!("/api/v1/users/{user}"),
            Some(&admin),
            Some(&json!({"password": padded})),
            &[],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    let login = app
        .send(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(&json!({"email": "writer@example.com", "password": padded})),
            &[],
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.text());
}

#[actix_rt::test]
async fn editors_manage_magazine_issues() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let author = app.token_for(Role::Author).await;
    let first = crate::support::ArticleBuilder::new("first", "第一篇").insert(&app);
    let second = crate::support::ArticleBuilder::new("second", "第二篇").insert(&app);
    let body = json!({"title": "大视野第86期", "number": 86, "year": 2019, "published_on": "2019-02-01", "article_ids": [second, first]});
    assert_eq!(
        app.send(
            "POST",
            "/api/v1/magazine/issues",
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
            "POST",
            "/api/v1/magazine/issues",
            Some(&editor),
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    assert_eq!(created.json()["status"], "draft");
    app.get_problem(&format!("/api/v1/magazine/issues/{id}"), 404)
        .await;
    let publish = app
        .send(
            "PATCH",
            &format!("/api/v1/magazine/issues/{id}"),
            Some(&editor),
            Some(&json!({"status": "published", "article_ids": [first]})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(publish.status, 200, "{}", publish.text());
    let public = app.get_json(&format!("/api/v1/magazine/issues/{id}")).await;
    assert_eq!(crate::support::slugs(&public["articles"]), ["first"]);
    let bad = app
        .send("POST", "/api/v1/magazine/issues", Some(&editor), Some(&json!({"title": "x", "year": 12, "published_on": "2019-13-01", "article_ids": [999]})), &[])
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.json()["errors"].as_array().map(Vec::len),
        Some(2),
        "{}",
        bad.text()
    );
    assert_eq!(
        app.send(
            "DELETE",
            &format!("/api/v1/magazine/issues/{id}"),
            Some(&editor),
            None,
            &[]
        )
        .await
        .status,
        204
    );
    app.get_json("/api/v1/articles/first").await;
}
