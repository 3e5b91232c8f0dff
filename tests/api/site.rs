use crate::support::TestApp;

#[actix_rt::test]
async fn an_empty_site_still_answers_with_defaults() {
    let app = TestApp::empty().await;
    let site = app.get_json("/api/v1/site").await;
    assert_eq!(site["name"], "Masthead");
    assert_eq!(site["utc_offset"], "+08:00");
    assert_eq!(site["contacts"], serde_json::json!([]));
}

#[actix_rt::test]
async fn health_checks_answer_at_the_api_and_the_root() {
    let app = TestApp::empty().await;
    for path in ["/api/v1/healthz", "/healthz"] {
        let health = app.get_json(path).await;
        assert_eq!(health["status"], "ok");
        assert!(health["version"].is_string());
    }
    for path in ["/api/v1/readyz", "/readyz"] {
        let ready = app.get_json(path).await;
        assert_eq!(ready["database"], "ok");
    }
}

#[actix_rt::test]
async fn the_first_edit_of_an_empty_site_follows_the_if_match_flow() {
    let app = TestApp::empty().await;
    let admin = app.token_for(masthead::auth::Role::Admin).await;
    let read = app
        .send("GET", "/api/v1/site", Some(&admin), None, &[])
        .await;
    assert_eq!(read.status, 200);
    let etag = read.header("etag").expect("an editor's read has an ETag");
    assert_eq!(etag, "\"0\"");
    assert_eq!(read.json()["version"], 0);

    let body = serde_json::json!({"name": "新站点"});
    let first = app
        .send(
            "PATCH",
            "/api/v1/site",
            Some(&admin),
            Some(&body),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(first.json()["name"], "新站点");
    assert_eq!(first.json()["version"], 1);
    assert_eq!(app.get_json("/api/v1/site").await["name"], "新站点");

    // The ETag read before the first edit is stale now.
    let stale = app
        .send(
            "PATCH",
            "/api/v1/site",
            Some(&admin),
            Some(&body),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(stale.status, 412, "{}", stale.text());
    let second = app
        .send(
            "PATCH",
            "/api/v1/site",
            Some(&admin),
            Some(&serde_json::json!({"description": "说明"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(second.status, 200, "{}", second.text());
    assert_eq!(second.header("etag").as_deref(), Some("\"2\""));
}
