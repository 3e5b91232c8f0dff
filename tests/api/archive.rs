use serde_json::json;

use crate::support::{ArticleBuilder, TestApp};

#[actix_rt::test]
async fn counts_by_year_and_month_in_the_site_time_zone() {
    let app = TestApp::empty().await;
    ArticleBuilder::new("a", "甲")
        .at("2021-11-15T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("b", "乙")
        .at("2021-11-30T23:30:00+08:00")
        .insert(&app);
    // 1 December 00:30 in Shanghai is still November in UTC.
    ArticleBuilder::new("c", "丙")
        .at("2021-12-01T00:30:00+08:00")
        .insert(&app);
    ArticleBuilder::new("d", "丁")
        .at("2020-02-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("draft", "草稿").draft().insert(&app);
    ArticleBuilder::new("future", "定时")
        .at("2030-01-01T08:00:00+08:00")
        .insert(&app);

    let archive = app.get_json("/api/v1/archive").await;
    assert_eq!(
        archive,
        json!({"data": [
            {"year": 2021, "count": 3, "months": [{"month": 12, "count": 1}, {"month": 11, "count": 2}]},
            {"year": 2020, "count": 1, "months": [{"month": 2, "count": 1}]}
        ]})
    );
}

/// What a row saved before dates were range-checked can hold: a valid RFC 3339 instant
/// that is past year 9999 in UTC. On SQLite it is stored as `+10000-01-01 …`, which sorts
/// before every ordinary date as text.
const BEYOND_9999: &str = "9999-12-31T23:00:00-12:00";

/// A request that does not answer within 10 s fails the test instead of hanging it.
async fn within_10s(app: &TestApp, path: &str) -> crate::support::Response {
    actix_rt::time::timeout(std::time::Duration::from_secs(10), app.get(path))
        .await
        .unwrap_or_else(|_| panic!("{path} did not answer within 10 s"))
}

#[actix_rt::test]
async fn an_instant_past_year_9999_in_the_database_cannot_hang_a_request() {
    let app = TestApp::empty().await;
    ArticleBuilder::new("ordinary", "普通")
        .at("2021-11-15T08:00:00+08:00")
        .insert(&app);
    // Straight into the database, as old data would be: the API refuses it now.
    ArticleBuilder::new("far", "极远")
        .at(BEYOND_9999)
        .insert(&app);
    ArticleBuilder::new("ancient", "远古")
        .at("0001-01-01T00:00:00Z")
        .insert(&app);

    let archive = within_10s(&app, "/api/v1/archive").await;
    assert_eq!(archive.status, 200, "{}", archive.text());
    assert_eq!(
        archive.json(),
        json!({"data": [
            {"year": 2021, "count": 1, "months": [{"month": 11, "count": 1}]}
        ]}),
        "instants outside the stored range are not counted"
    );
    for path in [
        "/api/v1/articles",
        "/api/v1/articles?sort=published_at",
        "/api/v1/articles?year=2200&month=12",
        "/api/v1/articles?year=1900&month=1",
        "/api/v1/articles/ordinary",
        "/api/v1/categories",
        "/api/v1/magazine/issues",
    ] {
        let answer = within_10s(&app, path).await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.text());
    }
}

#[actix_rt::test]
async fn year_filters_outside_the_stored_range_are_refused_by_name() {
    let app = TestApp::empty().await;
    for path in [
        "/api/v1/articles?year=9999&month=12",
        "/api/v1/articles?year=2201",
        "/api/v1/articles?year=1899",
        "/api/v1/articles?year=-5",
        "/api/v1/articles?year=99999999999",
        "/api/v1/magazine/issues?year=9999",
        "/api/v1/magazine/issues?year=1899",
    ] {
        let problem = app.get_problem(path, 400).await;
        assert_eq!(problem["errors"][0]["field"], "year", "{path}: {problem}");
    }
    for path in [
        "/api/v1/articles?year=2021&month=0",
        "/api/v1/articles?year=2021&month=13",
    ] {
        let problem = app.get_problem(path, 400).await;
        assert_eq!(problem["errors"][0]["field"], "month", "{path}: {problem}");
    }
    for path in [
        "/api/v1/articles?year=1900&month=1",
        "/api/v1/articles?year=2200&month=12",
        "/api/v1/magazine/issues?year=2200",
    ] {
        app.get_json(path).await;
    }
}
