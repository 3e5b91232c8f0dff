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
