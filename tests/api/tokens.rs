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
