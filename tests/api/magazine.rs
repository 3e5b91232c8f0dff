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
