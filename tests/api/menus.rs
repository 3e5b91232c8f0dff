use serde_json::Value;

use crate::support::{ArticleBuilder, TestApp};

fn labels(items: &Value) -> Vec<String> {
    items
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| item["label"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[actix_rt::test]
async fn items_resolve_paths_and_unpublished_targets_are_left_out() {
    let app = TestApp::empty().await;
    let category = app.category("news", "新闻动态", None);
    let article = ArticleBuilder::new("story", "报道").insert(&app);
    let draft = ArticleBuilder::new("draft", "草稿").draft().insert(&app);
    let page = app.page("about", "关于我们", "published");
    let draft_page = app.page("hidden", "隐藏", "draft");
    let issue = app.issue("大视野第85期", 2019, &[]);
    let tag = app.tag("humiao", "护苗");
    app.menu(
        "header",
        &[
            ("首页", "url", None, Some("/")),
            ("新闻动态", "category", Some(category), None),
            ("报道", "article", Some(article), None),
            ("草稿", "article", Some(draft), None),
            ("关于我们", "page", Some(page), None),
            ("隐藏", "page", Some(draft_page), None),
            ("第85期", "magazine_issue", Some(issue), None),
            ("护苗", "tag", Some(tag), None),
            ("已删除", "category", Some(999), None),
            ("百度", "url", None, Some("https://www.baidu.com/")),
        ],
    );
    let menu = app.get_json("/api/v1/menus/header").await;
    assert_eq!(menu["key"], "header");
    let items = &menu["items"];
    assert_eq!(
        labels(items),
        [
            "首页",
            "新闻动态",
            "报道",
            "关于我们",
            "第85期",
            "护苗",
            "百度"
        ]
    );
    let paths: Vec<&str> = items
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| item["path"].as_str().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        paths,
        [
            "/",
            "/categories/news",
            "/articles/story",
            "/pages/about",
            &format!("/magazine/issues/{issue}"),
            "/tags/humiao",
            "https://www.baidu.com/"
        ]
    );
    assert_eq!(items[0]["external"], false);
    assert_eq!(items[6]["external"], true);
    assert_eq!(items[1]["kind"], "category");
    assert_eq!(items[1]["target_id"], category);
    assert_eq!(items[1]["target_slug"], "news");

    let all = app.get_json("/api/v1/menus").await;
    assert_eq!(all["data"].as_array().map(Vec::len), Some(1));
    let missing = app.get_problem("/api/v1/menus/nope", 404).await;
    assert!(missing["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("nope"));
}

#[actix_rt::test]
async fn demo_menus_nest_like_the_reference_site() {
    let app = TestApp::demo().await;
    let menus = app.get_json("/api/v1/menus").await;
    let keys: Vec<&str> = menus["data"]
        .as_array()
        .map(|menus| {
            menus
                .iter()
                .map(|m| m["key"].as_str().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(keys, ["footer", "header", "links", "sidebar"]);

    let sidebar = app.get_json("/api/v1/menus/sidebar").await;
    assert_eq!(labels(&sidebar["items"]), ["新闻动态", "杂志导读"]);
    assert_eq!(
        labels(&sidebar["items"][0]["children"]),
        ["行业新闻", "公司动态"]
    );
    assert_eq!(
        labels(&sidebar["items"][1]["children"]),
        [
            "大视野第85期",
            "2018年",
            "2017年",
            "2016",
            "2015年",
            "2014年",
            "2013年",
            "2012年",
            "2011年"
        ]
    );

    let footer = app.get_json("/api/v1/menus/footer").await;
    assert_eq!(
        labels(&footer["items"]),
        ["杂志主办", "南方大视野杂志", "人才战略", "关于我们"]
    );
    assert_eq!(
        labels(&footer["items"][2]["children"]),
        ["招聘职位", "激励制度"]
    );
    assert_eq!(footer["items"][0]["children"][5]["path"], "/pages/企业文化");
}
