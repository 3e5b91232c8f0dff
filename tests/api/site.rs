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

/// The problem's field names, in order.
fn named(problem: &serde_json::Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[actix_rt::test]
async fn a_site_change_names_every_bad_and_unknown_field_at_once() {
    let app = TestApp::demo().await;
    let admin = app.token_for(masthead::auth::Role::Admin).await;
    let bad = app
        .send(
            "PATCH",
            "/api/v1/site",
            Some(&admin),
            Some(&serde_json::json!({
                "name": " ", "url": "javascript:alert(1)", "utc_offset": "+25:00", "locale": null,
                "contacts": [{"label": "联络处", "fax": "1"}], "colour": "red"
            })),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text());
    let mut fields = named(&bad.json());
    fields.sort();
    assert_eq!(
        fields,
        [
            "colour",
            "contacts[0].fax",
            "locale",
            "name",
            "url",
            "utc_offset"
        ],
        "{}",
        bad.text()
    );
    assert_eq!(
        app.get_json("/api/v1/site").await["name"],
        "南方大视野",
        "nothing written"
    );
}

#[actix_rt::test]
async fn a_contacts_blank_fields_are_empty() {
    let app = TestApp::empty().await;
    let admin = app.token_for(masthead::auth::Role::Admin).await;
    let body = serde_json::json!({"utc_offset": "-3:30", "contacts": [
        {"label": " 联络处 ", "address": "  ", "phone": "", "email": null},
        {"label": "编辑部", "address": "龙华区和平路\n御经堂386室", "email": "bjb@example.com"},
    ]});
    let changed = app
        .send("PATCH", "/api/v1/site", Some(&admin), Some(&body), &[])
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    let site = changed.json();
    assert_eq!(site["utc_offset"], "-03:30");
    assert_eq!(
        site["contacts"],
        serde_json::json!([
            {"label": "联络处", "address": null, "phone": null, "email": null},
            {"label": "编辑部", "address": "龙华区和平路\n御经堂386室", "phone": null, "email": "bjb@example.com"},
        ])
    );
}
