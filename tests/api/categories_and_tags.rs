use crate::support::{slugs, ArticleBuilder, TestApp};

#[actix_rt::test]
async fn the_tree_nests_and_counts_descendants() {
    let app = TestApp::empty().await;
    let news = app.category("news", "新闻动态", None);
    let industry = app.category("industry-news", "行业新闻", Some(news));
    app.category("company-news", "公司动态", Some(news));
    ArticleBuilder::new("a", "甲").category(news).insert(&app);
    ArticleBuilder::new("b", "乙")
        .category(industry)
        .insert(&app);
    ArticleBuilder::new("c", "丙")
        .category(industry)
        .draft()
        .insert(&app);

    let tree = app.get_json("/api/v1/categories").await;
    assert_eq!(slugs(&tree["data"]), ["news"]);
    assert_eq!(
        slugs(&tree["data"][0]["children"]),
        ["industry-news", "company-news"]
    );
    assert_eq!(tree["data"][0]["article_count"], 2);
    assert_eq!(tree["data"][0]["children"][0]["article_count"], 1);

    let one = app.get_json("/api/v1/categories/industry-news").await;
    assert_eq!(one["name"], "行业新闻");
    assert_eq!(one["parent"]["slug"], "news");
    assert_eq!(slugs(&one["ancestors"]), ["news"]);
    assert_eq!(one["path"], "/categories/industry-news");
    let top = app.get_json("/api/v1/categories/news").await;
    assert!(top["parent"].is_null());
    assert_eq!(slugs(&top["children"]), ["industry-news", "company-news"]);
    app.get_problem("/api/v1/categories/nope", 404).await;
}

#[actix_rt::test]
async fn tags_list_with_published_counts() {
    let app = TestApp::empty().await;
    let humiao = app.tag("humiao", "护苗");
    app.tag("nanshan", "南山");
    ArticleBuilder::new("a", "甲").tags(&[humiao]).insert(&app);
    ArticleBuilder::new("b", "乙")
        .tags(&[humiao])
        .draft()
        .insert(&app);

    let tags = app.get_json("/api/v1/tags").await;
    let counts: Vec<(String, i64)> = tags["data"]
        .as_array()
        .map(|tags| {
            tags.iter()
                .map(|t| {
                    (
                        t["slug"].as_str().unwrap_or_default().to_owned(),
                        t["article_count"].as_i64().unwrap_or(-1),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(counts.contains(&("humiao".into(), 1)), "{counts:?}");
    assert!(counts.contains(&("nanshan".into(), 0)), "{counts:?}");
    let one = app.get_json("/api/v1/tags/humiao").await;
    assert_eq!(one["article_count"], 1);
    assert_eq!(one["name"], "护苗");
    app.get_problem("/api/v1/tags/nope", 404).await;
}
