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
