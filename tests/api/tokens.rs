use masthead::auth::Role;
use serde_json::json;

use crate::support::TestApp;

#[actix_rt::test]
async fn integration_tokens_are_shown_once_work_and_revoke() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let editor = app.token_for(Role::Editor).await;
    let body = json!({"name": "import pipeline", "role": "editor"});
    assert_eq!(
        app.send("POST", "/api/v1/tokens", Some(&editor), Some(&body), &[])
            .await
            .status,
        403
    );
    let created = app
        .send("POST", "/api/v1/tokens", Some(&admin), Some(&body), &[])
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let created = created.json();
    let secret = created["token"].as_str().expect("secret").to_owned();
    assert!(secret.starts_with("mh_"));
    assert_eq!(created["role"], "editor");
    assert!(created["last_used_at"].is_null());

    let article = app
        .send(
            "POST",
            "/api/v1/articles",
            Some(&secret),
            Some(&json!({"title": "导入的文章", "status": "published"})),
            &[],
        )
        .await;
    assert_eq!(
        article.status,
        201,
        "the token acts as an editor: {}",
        article.text()
    );
    let forbidden = app
        .send("GET", "/api/v1/audit", Some(&secret), None, &[])
        .await;
    assert_eq!(forbidden.status, 403, "with its own role, not its maker's");

    let list = app
        .send("GET", "/api/v1/tokens", Some(&admin), None, &[])
        .await;
    assert_eq!(list.status, 200);
    assert!(!list.text().contains(&secret), "the secret is never listed");
    let listed = list.json();
    assert_eq!(listed["data"][0]["name"], "import pipeline");
    assert!(
        listed["data"][0]["last_used_at"].is_string(),
        "last use recorded"
    );

    let id = created["id"].as_i64().expect("id");
    assert_eq!(
        app.send(
            "DELETE",
            &format!("/api/v1/tokens/{id}"),
            Some(&admin),
            None,
            &[]
        )
        .await
        .status,
        204
    );
    let after = app
        .send(
            "POST",
            "/api/v1/articles",
            Some(&secret),
            Some(&json!({"title": "撤销之后"})),
            &[],
        )
        .await;
    assert_eq!(after.status, 401);
    assert_eq!(
        app.send("DELETE", "/api/v1/tokens/999", Some(&admin), None, &[])
            .await
            .status,
        404
    );
    let forged = app
        .send("GET", "/api/v1/auth/me", Some("mh_forged"), None, &[])
        .await;
    assert_eq!(forged.status, 401);
}

/// An integration token made by the signed-in admin `admin` with `role`; its secret.
async fn integration_token(app: &TestApp, admin: &str, role: &str) -> String {
    let created = app
        .send(
            "POST",
            "/api/v1/tokens",
            Some(admin),
            Some(&json!({"name": format!("{role} pipeline"), "role": role})),
            &[],
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    created.json()["token"].as_str().expect("secret").to_owned()
}

#[actix_rt::test]
async fn an_author_token_cannot_touch_its_creators_drafts() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let draft = app
        .send(
            "POST",
            "/api/v1/articles",
            Some(&admin),
            Some(&json!({"title": "管理员的草稿"})),
            &[],
        )
        .await;
    assert_eq!(draft.status, 201, "{}", draft.text());
    let draft = draft.json()["id"].as_i64().expect("id");
    let token = integration_token(&app, &admin, "author").await;
    let path = format!("/api/v1/articles/{draft}");

    // Reads and writes agree: the token neither sees nor changes the admin's draft.
    let read = app.send("GET", &path, Some(&token), None, &[]).await;
    assert_eq!(read.status, 404, "{}", read.text());
    let preview = app
        .send("GET", &format!("{path}/preview"), Some(&token), None, &[])
        .await;
    assert_eq!(preview.status, 404, "{}", preview.text());
    let drafts = app
        .send(
            "GET",
            "/api/v1/articles?status=draft",
            Some(&token),
            None,
            &[],
        )
        .await;
    assert_eq!(drafts.status, 403, "{}", drafts.text());
    let patch = app
        .send(
            "PATCH",
            &path,
            Some(&token),
            Some(&json!({"title": "被改了"})),
            &[],
        )
        .await;
    assert_eq!(patch.status, 403, "{}", patch.text());
    let delete = app.send("DELETE", &path, Some(&token), None, &[]).await;
    assert_eq!(delete.status, 403, "{}", delete.text());
    let still = app.send("GET", &path, Some(&admin), None, &[]).await;
    assert_eq!(still.status, 200);
    assert_eq!(still.json()["title"], "管理员的草稿");

    // It may hand in drafts (as an author may), and owns none of them afterwards.
    let own = app
        .send(
            "POST",
            "/api/v1/articles",
            Some(&token),
            Some(&json!({"title": "导入的草稿", "status": "review"})),
            &[],
        )
        .await;
    assert_eq!(own.status, 201, "{}", own.text());
    let own = own.json()["id"].as_i64().expect("id");
    let change = app
        .send(
            "PATCH",
            &format!("/api/v1/articles/{own}"),
            Some(&token),
            Some(&json!({"title": "再改"})),
            &[],
        )
        .await;
    assert_eq!(change.status, 403, "{}", change.text());
    let publish = app
        .send(
            "POST",
            "/api/v1/articles",
            Some(&token),
            Some(&json!({"title": "直接发布", "status": "published"})),
            &[],
        )
        .await;
    assert_eq!(publish.status, 403, "authors do not publish");
}

#[actix_rt::test]
async fn a_token_never_has_more_rights_than_its_creator_has_now() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let admin_id = app
        .send("GET", "/api/v1/auth/me", Some(&admin), None, &[])
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let token = integration_token(&app, &admin, "admin").await;
    // A second admin, so that the first may be demoted.
    app.user("chief@example.com", Role::Admin);
    let chief = app.login("chief@example.com").await["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let set = |changes: serde_json::Value| {
        let chief = chief.clone();
        let path = format!("/api/v1/users/{admin_id}");
        let app = &app;
        async move {
            let response = app
                .send("PATCH", &path, Some(&chief), Some(&changes), &[])
                .await;
            assert_eq!(response.status, 200, "{}", response.text());
        }
    };
    let tokens_list = || app.send("GET", "/api/v1/tokens", Some(&token), None, &[]);
    assert_eq!(tokens_list().await.status, 200);

    set(json!({"role": "editor"})).await;
    assert_eq!(
        tokens_list().await.status,
        403,
        "an editor's token is no admin"
    );
    let published = app
        .send(
            "POST",
            "/api/v1/articles",
            Some(&token),
            Some(&json!({"title": "编辑发布", "status": "published"})),
            &[],
        )
        .await;
    assert_eq!(
        published.status,
        201,
        "editors publish: {}",
        published.text()
    );

    set(json!({"role": "author"})).await;
    let published = app
        .send(
            "POST",
            "/api/v1/articles",
            Some(&token),
            Some(&json!({"title": "作者发布", "status": "published"})),
            &[],
        )
        .await;
    assert_eq!(published.status, 403, "an author's token does not publish");

    set(json!({"active": false})).await;
    let me = app
        .send("GET", "/api/v1/auth/me", Some(&token), None, &[])
        .await;
    assert_eq!(
        me.status, 401,
        "a deactivated creator's token acts for no one"
    );

    set(json!({"active": true, "role": "admin"})).await;
    assert_eq!(tokens_list().await.status, 200, "restored with its creator");
}

#[actix_rt::test]
async fn a_token_name_is_measured_as_sent_and_stored_trimmed() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let padded_long = format!(" {}", "n".repeat(100));
    let refused = app
        .send(
            "POST",
            "/api/v1/tokens",
            Some(&admin),
            Some(&json!({"name": padded_long, "role": "editor"})),
            &[],
        )
        .await;
    assert_eq!(
        refused.status, 422,
        "101 characters as the spec counts them"
    );
    let made = app
        .send(
            "POST",
            "/api/v1/tokens",
            Some(&admin),
            Some(&json!({"name": "  ci  ", "role": "editor"})),
            &[],
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text());
    assert_eq!(made.json()["name"], "ci");
}

#[actix_rt::test]
async fn a_new_token_names_every_bad_and_unknown_field_at_once() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let bad = app
        .send(
            "POST",
            "/api/v1/tokens",
            Some(&admin),
            Some(&json!({"name": "   ", "role": "owner", "scope": "all"})),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text());
    let mut fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str().map(str::to_owned))
        .collect();
    fields.sort();
    assert_eq!(fields, ["name", "role", "scope"], "{}", bad.text());
}
