use crate::support::{slugs, TestApp};

#[actix_rt::test]
async fn published_pages_by_slug_including_chinese_slugs() {
    let app = TestApp::empty().await;
    app.page("about", "关于我们", "published");
    app.page("企业文化", "企业文化", "published");
    app.page("draft", "草稿", "draft");

    let page = app.get_json("/api/v1/pages/about").await;
    assert_eq!(page["title"], "关于我们");
    assert_eq!(page["path"], "/pages/about");
    assert_eq!(page["body_html"], "<p>正文</p>");
    let chinese = app
        .get_json("/api/v1/pages/%E4%BC%81%E4%B8%9A%E6%96%87%E5%8C%96")
        .await;
    assert_eq!(chinese["slug"], "企业文化");
    app.get_problem("/api/v1/pages/draft", 404).await;
    app.get_problem("/api/v1/pages/nope", 404).await;

    let list = app.get_json("/api/v1/pages").await;
    let mut listed = slugs(&list["data"]);
    listed.sort();
    assert_eq!(listed, ["about", "企业文化"]);
}
