use serde_json::json;

use crate::support::{slugs, ArticleBuilder, TestApp};

#[actix_rt::test]
async fn issues_list_by_year_and_show_their_published_articles_in_order() {
    let app = TestApp::empty().await;
    let first = ArticleBuilder::new("first", "第一篇").insert(&app);
    let second = ArticleBuilder::new("second", "第二篇").insert(&app);
    let draft = ArticleBuilder::new("draft", "草稿").draft().insert(&app);
    let issue = app.issue("大视野第85期", 2019, &[second, draft, first]);
    app.issue("2018年", 2018, &[first]);

    let all = app.get_json("/api/v1/magazine/issues").await;
    let titles: Vec<&str> = all["data"]
        .as_array()
        .map(|issues| {
            issues
                .iter()
                .map(|i| i["title"].as_str().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(titles, ["大视野第85期", "2018年"]);
    assert_eq!(all["data"][0]["article_count"], 2, "drafts are not counted");

    let year = app.get_json("/api/v1/magazine/issues?year=2018").await;
    assert_eq!(year["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(year["data"][0]["year"], 2018);

    let one = app
        .get_json(&format!("/api/v1/magazine/issues/{issue}"))
        .await;
    assert_eq!(one["title"], "大视野第85期");
    assert_eq!(slugs(&one["articles"]), ["second", "first"]);
    assert_eq!(one["path"], format!("/magazine/issues/{issue}"));

    app.get_problem("/api/v1/magazine/issues/999", 404).await;
    app.get_problem("/api/v1/magazine/issues/abc", 404).await;
    let bad_year = app
        .get_problem("/api/v1/magazine/issues?year=abc", 400)
        .await;
    assert_eq!(bad_year["errors"][0]["field"], "year");
}

#[actix_rt::test]
async fn issue_dates_and_years_outside_the_stored_range_are_refused_by_name() {
    let app = TestApp::empty().await;
    let editor = app.token_for(masthead::auth::Role::Editor).await;
    for (field, body) in [
        (
            "published_on",
            json!({"title": "远", "year": 2019, "published_on": "9999-12-31"}),
        ),
        (
            "published_on",
            json!({"title": "远", "year": 2019, "published_on": "0001-01-01"}),
        ),
        (
            "published_on",
            json!({"title": "远", "year": 2019, "published_on": "2201-01-01"}),
        ),
        (
            "year",
            json!({"title": "远", "year": 9999, "published_on": "2019-02-01"}),
        ),
        (
            "year",
            json!({"title": "远", "year": 1899, "published_on": "2019-02-01"}),
        ),
    ] {
        let refused = app
            .send(
                "POST",
                "/api/v1/magazine/issues",
                Some(&editor),
                Some(&body),
                &[],
            )
            .await;
        assert_eq!(refused.status, 422, "{body}: {}", refused.text());
        assert_eq!(refused.json()["errors"][0]["field"], field, "{body}");
    }
    let made = app
        .send(
            "POST",
            "/api/v1/magazine/issues",
            Some(&editor),
            Some(&json!({"title": "最后", "year": 2200, "published_on": "2200-12-31"})),
            &[],
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text());
    let id = made.json()["id"].as_i64().expect("id");
    let patched = app
        .send(
            "PATCH",
            &format!("/api/v1/magazine/issues/{id}"),
            Some(&editor),
            Some(&json!({"published_on": "9999-01-01"})),
            &[],
        )
        .await;
    assert_eq!(patched.status, 422, "{}", patched.text());
    assert_eq!(patched.json()["errors"][0]["field"], "published_on");
}

/// The fields a 422 names, sorted.
fn named(problem: &serde_json::Value) -> Vec<String> {
    let mut fields: Vec<String> = problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {problem}"))
        .iter()
        .map(|error| error["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    fields.sort();
    fields
}

#[actix_rt::test]
async fn a_bad_issue_body_is_one_422_naming_every_bad_missing_and_unknown_field() {
    let app = TestApp::empty().await;
    let editor = app.token_for(masthead::auth::Role::Editor).await;
    let admin = app.token_for(masthead::auth::Role::Admin).await;
    let refused = app
        .send(
            "POST",
            "/api/v1/magazine/issues",
            Some(&editor),
            Some(&json!({
                "title": "  ", "number": -1, "year": "2019", "cover_media_id": 0,
                "status": "archived", "article_ids": [1, 1], "封面": 3
            })),
            &[],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(
        named(&refused.json()),
        [
            "article_ids",
            "cover_media_id",
            "number",
            "published_on",
            "status",
            "title",
            "year",
            "封面"
        ],
        "{}",
        refused.text()
    );

    let made = app
        .send(
            "POST",
            "/api/v1/magazine/issues",
            Some(&editor),
            Some(&json!({"title": "大视野第87期", "number": null, "year": 2019, "published_on": "2019-03-01"})),
            &[],
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text());
    let id = made.json()["id"].as_i64().expect("id");
    let path = format!("/api/v1/magazine/issues/{id}");
    let refused = app
        .send(
            "PATCH",
            &path,
            Some(&editor),
            Some(&json!({
                "title": null, "year": 1800, "published_on": "2019-02-30", "description": 5,
                "status": null, "article_ids": "1", "cover": 3
            })),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(
        named(&refused.json()),
        [
            "article_ids",
            "cover",
            "description",
            "published_on",
            "status",
            "title",
            "year"
        ],
        "{}",
        refused.text()
    );
    // References are checked against the database, together.
    let refused = app
        .send(
            "PATCH",
            &path,
            Some(&editor),
            Some(&json!({"cover_media_id": 999, "article_ids": [998, 999]})),
            &[],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(named(&refused.json()), ["article_ids", "cover_media_id"]);
    // Nothing was written: the version is where it was.
    let issue = app.send("GET", &path, Some(&editor), None, &[]).await;
    assert_eq!(issue.json()["version"], 1, "{}", issue.text());
    assert!(issue.json()["number"].is_null());

    // The audit trail names the resource as it always has.
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
    assert_eq!(entries, [("create", "magazine_issue", id)], "{audit}");
}
