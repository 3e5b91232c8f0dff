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
