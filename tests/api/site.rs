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

/// A media record of a file kept elsewhere; answers its id.
async fn media_record(app: &TestApp, token: &str, url: &str) -> i64 {
    let created = app
        .send(
            "POST",
            "/api/v1/media",
            Some(token),
            Some(&serde_json::json!({"url": url, "mime_type": "image/png", "width": 360, "height": 96})),
            &[],
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    created.json()["id"].as_i64().expect("id")
}

async fn patch_site(
    app: &TestApp,
    token: &str,
    body: serde_json::Value,
) -> crate::support::Response {
    app.send("PATCH", "/api/v1/site", Some(token), Some(&body), &[])
        .await
}

#[actix_rt::test]
async fn the_logo_is_a_media_record_or_a_url_never_both() {
    let app = TestApp::empty().await;
    let admin = app.token_for(masthead::auth::Role::Admin).await;
    let id = media_record(&app, &admin, "/files/logo.png").await;

    let set = patch_site(&app, &admin, serde_json::json!({"logo_media_id": id})).await;
    assert_eq!(set.status, 200, "{}", set.text());
    let site = app.get_json("/api/v1/site").await;
    assert_eq!(site["logo"]["id"], id, "{site}");
    assert_eq!(site["logo"]["width"], 360);
    assert_eq!(site["logo"]["renditions"], serde_json::json!([]));
    assert_eq!(site["logo_url"], "/files/logo.png", "the record's URL");
    assert_eq!(set.json()["logo"], site["logo"], "the answer shows it too");

    // The record's URL changes: so does the site's.
    let moved = app
        .send(
            "PATCH",
            &format!("/api/v1/media/{id}"),
            Some(&admin),
            Some(&serde_json::json!({"url": "/files/new-logo.png"})),
            &[],
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text());
    assert_eq!(
        app.get_json("/api/v1/site").await["logo_url"],
        "/files/new-logo.png"
    );

    // A URL alone replaces the record.
    let by_url = patch_site(
        &app,
        &admin,
        serde_json::json!({"logo_url": "https://cdn.example.com/logo.svg"}),
    )
    .await;
    assert_eq!(by_url.status, 200, "{}", by_url.text());
    assert_eq!(by_url.json()["logo"], serde_json::Value::Null);
    assert_eq!(
        by_url.json()["logo_url"],
        "https://cdn.example.com/logo.svg"
    );

    // And a record replaces the URL; `null` in either removes the logo.
    for clear in ["logo_media_id", "logo_url"] {
        let again = patch_site(&app, &admin, serde_json::json!({"logo_media_id": id})).await;
        assert_eq!(again.json()["logo_url"], "/files/new-logo.png");
        let cleared = patch_site(&app, &admin, serde_json::json!({clear: null})).await;
        assert_eq!(cleared.status, 200, "{}", cleared.text());
        assert_eq!(cleared.json()["logo"], serde_json::Value::Null, "{clear}");
        assert_eq!(
            cleared.json()["logo_url"],
            serde_json::Value::Null,
            "{clear}"
        );
    }
    // Other fields leave the logo as it is.
    patch_site(&app, &admin, serde_json::json!({"logo_media_id": id})).await;
    let renamed = patch_site(&app, &admin, serde_json::json!({"name": "新名字"})).await;
    assert_eq!(renamed.json()["logo"]["id"], id);
}

#[actix_rt::test]
async fn a_logo_change_naming_no_record_or_both_fields_is_refused_and_writes_nothing() {
    let app = TestApp::empty().await;
    let admin = app.token_for(masthead::auth::Role::Admin).await;
    let id = media_record(&app, &admin, "/files/logo.png").await;
    patch_site(
        &app,
        &admin,
        serde_json::json!({"logo_url": "/files/old.png"}),
    )
    .await;
    let version = app.get_json("/api/v1/site").await["version"].clone();

    for (body, fields) in [
        (
            serde_json::json!({"logo_media_id": id + 100, "name": "改"}),
            vec!["logo_media_id"],
        ),
        (
            serde_json::json!({"logo_media_id": 0}),
            vec!["logo_media_id"],
        ),
        (
            serde_json::json!({"logo_media_id": "1"}),
            vec!["logo_media_id"],
        ),
        (
            serde_json::json!({"logo_media_id": id, "logo_url": "/files/logo.png"}),
            vec!["logo_url", "logo_media_id"],
        ),
        (
            serde_json::json!({"logo_media_id": null, "logo_url": null}),
            vec!["logo_url", "logo_media_id"],
        ),
    ] {
        let refused = patch_site(&app, &admin, body.clone()).await;
        assert_eq!(refused.status, 422, "{body}: {}", refused.text());
        assert_eq!(named(&refused.json()), fields, "{body}: {}", refused.text());
    }
    let site = app.get_json("/api/v1/site").await;
    assert_eq!(site["version"], version, "nothing written: {site}");
    assert_eq!(site["logo_url"], "/files/old.png");
    assert_eq!(site["name"], "Masthead");
}

#[actix_rt::test]
async fn the_logo_record_cannot_be_deleted_while_the_site_shows_it() {
    let app = TestApp::empty().await;
    let admin = app.token_for(masthead::auth::Role::Admin).await;
    let id = media_record(&app, &admin, "/files/logo.png").await;
    patch_site(&app, &admin, serde_json::json!({"logo_media_id": id})).await;
    let path = format!("/api/v1/media/{id}");

    let refused = app.send("DELETE", &path, Some(&admin), None, &[]).await;
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(
        refused.json()["detail"]
            .as_str()
            .is_some_and(|detail| detail.contains("the site (logo)")),
        "{}",
        refused.text()
    );
    // Nor behind the API's back: the database refuses it too.
    {
        use diesel::prelude::*;
        use masthead::db::schema::media;
        let deleted =
            diesel::delete(media::table.filter(media::id.eq(id))).execute(&mut app.conn());
        assert!(
            deleted.is_err(),
            "a raw delete of the logo's record must fail"
        );
    }
    assert_eq!(app.get_json("/api/v1/site").await["logo"]["id"], id);

    // Once the site shows something else, the record goes.
    patch_site(
        &app,
        &admin,
        serde_json::json!({"logo_url": "/files/other.png"}),
    )
    .await;
    let deleted = app.send("DELETE", &path, Some(&admin), None, &[]).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text());
}
