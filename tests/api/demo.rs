use masthead::config::{Config, DatabaseUrl};
use serde_json::Value;

use crate::support::{slugs, TestApp};

fn titles(items: &Value) -> Vec<String> {
    items
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["title"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[actix_rt::test]
async fn first_start_serves_the_reference_page() {
    let app = TestApp::demo().await;
    let site = app.get_json("/api/v1/site").await;
    assert_eq!(site["name"], "南方大视野");
    assert_eq!(site["credits"], "网站全程独家策划设计制作:亚网互联");
    let contacts = site["contacts"].to_string();
    for fact in [
        "龙华区和平路御经堂386室",
        "13751426049",
        "深茂商业中心10A-79C室",
        "1608591941@qq.com",
    ] {
        assert!(contacts.contains(fact), "{fact} in {contacts}");
    }

    let article = app
        .get_json("/api/v1/articles/humiao-safety-training-nanshan")
        .await;
    assert_eq!(
        article["title"],
        "护苗有我 安全同行 南山区开展首次儿童主任网络安全专题培训暨护苗工作站交流活动"
    );
    assert_eq!(article["category"]["name"], "新闻动态");
    let body = article["body_html"].as_str().unwrap_or_default();
    for heading in [
        "多方合力,共同落实未保法",
        "跨界联动,线上线下共护苗",
        "共议实践,创新网络素养教育",
    ] {
        assert!(body.contains(&format!("<h2>{heading}</h2>")), "{heading}");
    }
    let captions: Vec<&str> = article["images"]
        .as_array()
        .map(|images| {
            images
                .iter()
                .map(|i| i["caption"].as_str().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        captions,
        [
            "南山区儿童主任网络安全专题培训暨护苗工作站交流活动",
            "南山区人民检察院第三检察部主任林婷解读《未成年人保护法》",
            "儿童主任积极参与互动讨论",
            "“合力加强未成年人网络素养教育”圆桌论坛",
            "未成年人网络保护知识问答"
        ]
    );
    assert_eq!(
        article["prev"]["title"],
        "助力全国文明城市创建,全市首支家庭文明示范队成立"
    );
    assert_eq!(
        article["next"]["title"],
        "深圳南山警方打掉一网络传播淫秽物品犯罪团伙,刑拘5人"
    );
    assert_eq!(
        titles(&article["related"]),
        [
            "2024深港青少年体育交流赛启动",
            "联动六大创意文化地标打造设计嘉年华 2024深圳设计周南山分会场启动",
            "不忘初心,策马扬鞭,勇当行业高质量发展的排头兵-《南方大视野》杂志专访崇晖律所",
            "央地合作谱新篇 “央地国企深圳行”走进福田",
            "实干争先、共赢未来!2023年度南山区经济突出贡献企业TOP峰会举办",
            "听党话 跟党走 圆党梦—创建社区服务新模式 提升居民获得感幸福感"
        ]
    );

    let issues = app.get_json("/api/v1/magazine/issues").await;
    let issue_titles = titles(&issues["data"]);
    assert!(issue_titles.contains(&"大视野第85期".to_owned()));
    for year in 2011..=2018 {
        assert!(issue_titles.contains(&format!("{year}年")), "{year}");
    }
    let categories = app.get_json("/api/v1/categories").await;
    assert_eq!(
        slugs(&categories["data"][0]["children"]),
        ["industry-news", "company-news"]
    );
    for page in [
        "about",
        "contact",
        "jobs",
        "%E4%BC%81%E4%B8%9A%E6%96%87%E5%8C%96",
    ] {
        app.get_json(&format!("/api/v1/pages/{page}")).await;
    }
}

#[actix_rt::test]
async fn the_demo_is_loaded_once_and_not_with_no_demo() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = DatabaseUrl::Sqlite(dir.path().join("site.db"));
    let mut config = Config::for_database(url.clone());
    config.demo = false;
    let state = masthead::commands::serve::prepare(&config).expect("prepare");
    let mut conn = state.pool.get().expect("connection");
    assert!(
        masthead::demo::is_empty(&mut conn).expect("query"),
        "--no-demo starts empty"
    );
    drop(conn);

    config.demo = true;
    masthead::commands::serve::prepare(&config).expect("first start");
    let state = masthead::commands::serve::prepare(&config).expect("second start");
    let mut conn = state.pool.get().expect("connection");
    use diesel::prelude::*;
    use masthead::db::schema::articles;
    let count: i64 = articles::table
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert_eq!(count, 17, "the second start does not load the demo again");
}

#[actix_rt::test]
async fn backup_copies_a_live_sqlite_database() {
    use diesel::prelude::*;
    use masthead::db::schema::articles;

    let dir = tempfile::tempdir().expect("temp dir");
    let url = DatabaseUrl::Sqlite(dir.path().join("live.db"));
    let mut config = Config::for_database(url.clone());
    config.demo = true;
    let state = masthead::commands::serve::prepare(&config).expect("prepare");
    // A connection stays open, mid-transaction, as a running server's would be.
    let mut busy = state.pool.get().expect("connection");
    let copy = dir.path().join("copy.db");
    let reading = busy.transaction::<_, diesel::result::Error, _>(|conn| {
        let before: i64 = articles::table.count().get_result(conn)?;
        masthead::db::backup(&url, &copy).expect("backup");
        Ok(before)
    });
    let before = reading.expect("read");
    let mut restored =
        masthead::db::connect(&DatabaseUrl::Sqlite(copy.clone())).expect("open the copy");
    let after: i64 = articles::table
        .count()
        .get_result(&mut restored)
        .expect("count");
    assert_eq!(after, before);
    assert!(
        masthead::db::backup(&url, &copy).is_err(),
        "never overwrites"
    );
}
