use serde_json::Value;

use crate::support::{instant, slugs, ArticleBuilder, TestApp};

fn link_slug(value: &Value) -> Option<String> {
    value["slug"].as_str().map(str::to_owned)
}

#[actix_rt::test]
async fn lists_newest_first_with_totals_and_no_body() {
    let app = TestApp::empty().await;
    ArticleBuilder::new("older", "旧闻")
        .at("2021-01-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("newer", "新闻")
        .at("2021-06-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("draft", "草稿").draft().insert(&app);
    ArticleBuilder::new("archived", "归档")
        .archived()
        .insert(&app);
    ArticleBuilder::new("future", "定时")
        .at("2030-01-01T08:00:00+08:00")
        .insert(&app);

    let body = app.get_json("/api/v1/articles").await;
    assert_eq!(slugs(&body["data"]), ["newer", "older"]);
    assert_eq!(body["meta"]["total"], 2);
    assert_eq!(body["meta"]["total_pages"], 1);
    assert_eq!(body["meta"]["page"], 1);
    assert_eq!(body["meta"]["per_page"], 20);
    assert!(body["meta"]["next_cursor"].is_null());
    let first = &body["data"][0];
    assert!(first.get("body_html").is_none(), "summaries carry no body");
    assert_eq!(first["path"], "/articles/newer");
    assert_eq!(first["published_at"], "2021-06-01T08:00:00+08:00");

    let oldest_first = app.get_json("/api/v1/articles?sort=published_at").await;
    assert_eq!(slugs(&oldest_first["data"]), ["older", "newer"]);
}

#[actix_rt::test]
async fn scheduled_article_appears_when_its_time_comes() {
    let app = TestApp::empty().await;
    ArticleBuilder::new("scheduled", "定时发布")
        .at("2026-06-01T13:00:00+08:00")
        .insert(&app);
    app.get_problem("/api/v1/articles/scheduled", 404).await;
    assert_eq!(app.get_json("/api/v1/articles").await["meta"]["total"], 0);

    app.clock.set(instant("2026-06-01T13:00:00+08:00"));
    let article = app.get_json("/api/v1/articles/scheduled").await;
    assert_eq!(article["title"], "定时发布");
    assert_eq!(app.get_json("/api/v1/articles").await["meta"]["total"], 1);
}

#[actix_rt::test]
async fn pages_carry_meta_and_link_headers() {
    let app = TestApp::empty().await;
    for day in 1..=5 {
        ArticleBuilder::new(&format!("a{day}"), &format!("文章{day}"))
            .at(&format!("2021-03-0{day}T08:00:00+08:00"))
            .insert(&app);
    }
    let response = app.get("/api/v1/articles?per_page=2&page=2&tag=").await;
    assert_eq!(response.status, 400, "an empty filter is refused");

    let response = app.get("/api/v1/articles?per_page=2&page=2").await;
    assert_eq!(response.status, 200);
    let body = response.json();
    assert_eq!(slugs(&body["data"]), ["a3", "a2"]);
    assert_eq!(body["meta"]["total"], 5);
    assert_eq!(body["meta"]["total_pages"], 3);
    let link = response.header("link").expect("Link header");
    assert!(
        link.contains("</api/v1/articles?per_page=2&page=1>; rel=\"first\""),
        "{link}"
    );
    assert!(
        link.contains("</api/v1/articles?per_page=2&page=1>; rel=\"prev\""),
        "{link}"
    );
    assert!(
        link.contains("</api/v1/articles?per_page=2&page=3>; rel=\"next\""),
        "{link}"
    );
    assert!(
        link.contains("</api/v1/articles?per_page=2&page=3>; rel=\"last\""),
        "{link}"
    );

    let beyond = app.get_json("/api/v1/articles?per_page=2&page=9").await;
    assert_eq!(beyond["data"].as_array().map(Vec::len), Some(0));
    assert_eq!(beyond["meta"]["total"], 5);
}

#[actix_rt::test]
async fn cursor_walks_every_article_once_including_equal_timestamps() {
    let app = TestApp::empty().await;
    for n in 0..7 {
        // Pairs share a publication time: the id breaks the tie.
        let minute = n / 2;
        ArticleBuilder::new(&format!("c{n}"), &format!("文章{n}"))
            .at(&format!("2021-03-01T08:0{minute}:00+08:00"))
            .insert(&app);
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/articles?per_page=3".to_owned();
    for _ in 0..5 {
        let response = app.get(&path).await;
        assert_eq!(response.status, 200, "{}", response.text());
        let body = response.json();
        seen.extend(slugs(&body["data"]));
        assert_eq!(body["meta"]["total"], 7);
        match body["meta"]["next_cursor"].as_str() {
            Some(cursor) => {
                let link = response.header("link").unwrap_or_default();
                assert!(link.contains("rel=\"next\""), "{link}");
                path = format!("/api/v1/articles?per_page=3&cursor={cursor}");
            }
            None => break,
        }
    }
    assert_eq!(seen, ["c6", "c5", "c4", "c3", "c2", "c1", "c0"]);

    let first = app.get_json("/api/v1/articles?per_page=3").await;
    let cursor = first["meta"]["next_cursor"]
        .as_str()
        .expect("cursor")
        .to_owned();
    let with_page = app
        .get_problem(&format!("/api/v1/articles?page=2&cursor={cursor}"), 400)
        .await;
    assert_eq!(with_page["errors"][0]["field"], "cursor");
    let other_sort = app
        .get_problem(
            &format!("/api/v1/articles?sort=published_at&cursor={cursor}"),
            400,
        )
        .await;
    assert_eq!(other_sort["errors"][0]["field"], "cursor");
    let garbage = app
        .get_problem("/api/v1/articles?cursor=not-a-cursor", 400)
        .await;
    assert_eq!(garbage["errors"][0]["field"], "cursor");
}

#[actix_rt::test]
async fn filters_by_category_with_descendants_tag_author_year_and_month() {
    let app = TestApp::empty().await;
    let news = app.category("news", "新闻动态", None);
    let industry = app.category("industry-news", "行业新闻", Some(news));
    let deep = app.category("deep", "深层", Some(industry));
    let other = app.category("other", "其他", None);
    let tag = app.tag("humiao", "护苗");
    ArticleBuilder::new("top", "顶层")
        .category(news)
        .at("2021-11-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("child", "子类")
        .category(industry)
        .tags(&[tag])
        .author("林婷")
        .at("2021-12-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("grandchild", "孙类")
        .category(deep)
        .at("2022-01-01T00:30:00+08:00")
        .insert(&app);
    ArticleBuilder::new("elsewhere", "别处")
        .category(other)
        .tags(&[tag])
        .at("2020-05-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("hidden", "草稿")
        .category(deep)
        .draft()
        .insert(&app);

    let by_category = app.get_json("/api/v1/articles?category=news").await;
    assert_eq!(slugs(&by_category["data"]), ["grandchild", "child", "top"]);
    assert_eq!(by_category["meta"]["total"], 3);
    let sub = app
        .get_json("/api/v1/articles?category=industry-news")
        .await;
    assert_eq!(slugs(&sub["data"]), ["grandchild", "child"]);
    let tagged = app.get_json("/api/v1/articles?tag=humiao").await;
    assert_eq!(slugs(&tagged["data"]), ["child", "elsewhere"]);
    let both = app
        .get_json("/api/v1/articles?tag=humiao&category=news")
        .await;
    assert_eq!(slugs(&both["data"]), ["child"]);
    let by_author = app
        .get_json("/api/v1/articles?author=%E6%9E%97%E5%A9%B7")
        .await;
    assert_eq!(slugs(&by_author["data"]), ["child"]);
    // 00:30 on 1 January in Shanghai is still 2021 in UTC: years follow the site's zone.
    let year = app.get_json("/api/v1/articles?year=2022").await;
    assert_eq!(slugs(&year["data"]), ["grandchild"]);
    let month = app.get_json("/api/v1/articles?year=2021&month=12").await;
    assert_eq!(slugs(&month["data"]), ["child"]);

    let unknown = app.get_problem("/api/v1/articles?category=nope", 400).await;
    assert_eq!(unknown["errors"][0]["field"], "category");
    let unknown_tag = app.get_problem("/api/v1/articles?tag=nope", 400).await;
    assert_eq!(unknown_tag["errors"][0]["field"], "tag");
    let month_alone = app.get_problem("/api/v1/articles?month=3", 400).await;
    assert_eq!(month_alone["errors"][0]["field"], "month");
}

#[actix_rt::test]
async fn prev_and_next_stay_in_category_skip_hidden_and_break_ties_by_id() {
    let app = TestApp::empty().await;
    let news = app.category("news", "新闻动态", None);
    let other = app.category("other", "其他", None);
    let first = ArticleBuilder::new("first", "第一")
        .category(news)
        .at("2021-01-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("draft-between", "草稿")
        .category(news)
        .at("2021-01-02T08:00:00+08:00")
        .draft()
        .insert(&app);
    ArticleBuilder::new("other-category", "别类")
        .category(other)
        .at("2021-01-02T09:00:00+08:00")
        .insert(&app);
    let twin_a = ArticleBuilder::new("twin-a", "同时甲")
        .category(news)
        .at("2021-01-03T08:00:00+08:00")
        .insert(&app);
    let twin_b = ArticleBuilder::new("twin-b", "同时乙")
        .category(news)
        .at("2021-01-03T08:00:00+08:00")
        .insert(&app);
    let last = ArticleBuilder::new("last", "最后")
        .category(news)
        .at("2021-01-04T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("scheduled-after", "定时")
        .category(news)
        .at("2030-01-01T08:00:00+08:00")
        .insert(&app);
    assert!(twin_a < twin_b);

    let oldest = app.get_json(&format!("/api/v1/articles/{first}")).await;
    assert!(oldest["prev"].is_null(), "nothing before the oldest");
    assert_eq!(link_slug(&oldest["next"]).as_deref(), Some("twin-a"));

    let a = app.get_json("/api/v1/articles/twin-a").await;
    assert_eq!(link_slug(&a["prev"]).as_deref(), Some("first"));
    assert_eq!(link_slug(&a["next"]).as_deref(), Some("twin-b"));
    let b = app.get_json("/api/v1/articles/twin-b").await;
    assert_eq!(link_slug(&b["prev"]).as_deref(), Some("twin-a"));
    assert_eq!(link_slug(&b["next"]).as_deref(), Some("last"));

    let newest = app.get_json(&format!("/api/v1/articles/{last}")).await;
    assert!(
        newest["next"].is_null(),
        "a scheduled article is not next yet"
    );
    assert_eq!(newest["next"], Value::Null);
    assert_eq!(newest["prev"]["path"], "/articles/twin-b");
    assert_eq!(newest["prev"]["title"], "同时乙");
    assert_eq!(newest["prev"]["published_at"], "2021-01-03T08:00:00+08:00");
}

/// Ids out of date order (an old story entered late, a back-dated one): for every article
/// of the category, `prev` is the one just older by (published_at, id) and `next` the one
/// just newer. The older-neighbour query once had no upper bound and answered a newer one.
#[actix_rt::test]
async fn prev_and_next_follow_publication_time_whatever_the_ids() {
    let app = TestApp::empty().await;
    let news = app.category("news", "新闻动态", None);
    // (slug, published) in id order.
    let written = [
        ("d5", "2021-11-16T10:00:00+08:00"),
        ("d2", "2021-11-12T10:00:00+08:00"),
        ("d4", "2021-11-15T10:00:00+08:00"),
        ("d1", "2011-05-01T10:00:00+08:00"),
        ("d3", "2017-03-01T10:00:00+08:00"),
        ("d3b", "2017-03-01T10:00:00+08:00"),
        ("d6", "2021-11-20T10:00:00+08:00"),
    ];
    for (slug, at) in written {
        ArticleBuilder::new(slug, slug)
            .category(news)
            .at(at)
            .insert(&app);
    }
    // By (published_at, id): d3 before d3b, as it was written first.
    let in_time = ["d1", "d3", "d3b", "d2", "d4", "d5", "d6"];
    for (position, slug) in in_time.iter().enumerate() {
        let article = app.get_json(&format!("/api/v1/articles/{slug}")).await;
        let expected_prev = position.checked_sub(1).map(|p| in_time[p].to_owned());
        let expected_next = in_time.get(position + 1).map(|s| (*s).to_owned());
        assert_eq!(link_slug(&article["prev"]), expected_prev, "prev of {slug}");
        assert_eq!(link_slug(&article["next"]), expected_next, "next of {slug}");
    }
}

#[actix_rt::test]
async fn related_lists_tag_sharing_articles_then_the_category_and_never_itself_or_a_draft() {
    let app = TestApp::empty().await;
    let news = app.category("news", "新闻动态", None);
    let other = app.category("other", "其他", None);
    let nanshan = app.tag("nanshan", "南山");
    let humiao = app.tag("humiao", "护苗");
    let subject = ArticleBuilder::new("subject", "主题")
        .category(news)
        .tags(&[nanshan, humiao])
        .at("2021-06-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("two-tags", "两个标签")
        .category(other)
        .tags(&[nanshan, humiao])
        .at("2020-01-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("one-tag-new", "一个标签新")
        .category(other)
        .tags(&[nanshan])
        .at("2022-01-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("one-tag-old", "一个标签旧")
        .category(other)
        .tags(&[humiao])
        .at("2019-01-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("draft-tagged", "草稿")
        .tags(&[nanshan, humiao])
        .draft()
        .insert(&app);
    ArticleBuilder::new("scheduled-tagged", "定时")
        .tags(&[nanshan, humiao])
        .at("2030-01-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("same-category-new", "同类新")
        .category(news)
        .at("2021-05-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("same-category-old", "同类旧")
        .category(news)
        .at("2021-04-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("same-category-oldest", "同类最旧")
        .category(news)
        .at("2021-03-01T08:00:00+08:00")
        .insert(&app);
    ArticleBuilder::new("unrelated", "无关")
        .category(other)
        .at("2021-05-01T08:00:00+08:00")
        .insert(&app);

    let article = app.get_json(&format!("/api/v1/articles/{subject}")).await;
    assert_eq!(
        slugs(&article["related"]),
        [
            "one-tag-new",
            "two-tags",
            "one-tag-old",
            "same-category-new",
            "same-category-old",
            "same-category-oldest"
        ]
    );
    let related = slugs(&article["related"]);
    assert!(!related.contains(&"subject".to_owned()));
    assert!(!related
        .iter()
        .any(|slug| slug.contains("draft") || slug.contains("scheduled")));

    let lonely = ArticleBuilder::new("lonely", "孤单").insert(&app);
    let lonely = app.get_json(&format!("/api/v1/articles/{lonely}")).await;
    assert_eq!(lonely["related"], serde_json::json!([]));
}

#[actix_rt::test]
async fn chinese_slugs_and_titles_round_trip_as_characters() {
    let app = TestApp::empty().await;
    let category = app.category("新闻动态", "新闻动态", None);
    let tag = app.tag("护苗", "护苗");
    ArticleBuilder::new("护苗有我-安全同行", "护苗有我 安全同行")
        .category(category)
        .tags(&[tag])
        .insert(&app);

    let response = app.get("/api/v1/articles/%E6%8A%A4%E8%8B%97%E6%9C%89%E6%88%91-%E5%AE%89%E5%85%A8%E5%90%8C%E8%A1%8C").await;
    assert_eq!(response.status, 200, "{}", response.text());
    let raw = response.text();
    assert!(
        raw.contains("护苗有我 安全同行"),
        "Chinese stays as characters: {raw}"
    );
    assert!(!raw.contains("\\u"), "no \\u escapes: {raw}");
    let article = response.json();
    assert_eq!(article["slug"], "护苗有我-安全同行");
    assert_eq!(article["path"], "/articles/护苗有我-安全同行");
    assert_eq!(article["category"]["slug"], "新闻动态");

    let filtered = app
        .get_json(
            "/api/v1/articles?category=%E6%96%B0%E9%97%BB%E5%8A%A8%E6%80%81&tag=%E6%8A%A4%E8%8B%97",
        )
        .await;
    assert_eq!(slugs(&filtered["data"]), ["护苗有我-安全同行"]);
}

#[actix_rt::test]
async fn finds_by_id_or_slug_and_hides_drafts() {
    let app = TestApp::empty().await;
    let id = ArticleBuilder::new("visible", "可见").insert(&app);
    let draft = ArticleBuilder::new("secret", "草稿").draft().insert(&app);
    assert_eq!(
        app.get_json(&format!("/api/v1/articles/{id}")).await["slug"],
        "visible"
    );
    assert_eq!(app.get_json("/api/v1/articles/visible").await["id"], id);
    let problem = app.get_problem("/api/v1/articles/secret", 404).await;
    assert_eq!(problem["code"], "not_found");
    app.get_problem(&format!("/api/v1/articles/{draft}"), 404)
        .await;
    app.get_problem("/api/v1/articles/99999999999999999999", 404)
        .await;
}

#[actix_rt::test]
async fn unpublishing_an_article_removes_it_from_related_and_tag_counts_at_once() {
    use diesel::prelude::*;
    use masthead::db::schema::articles;

    let app = TestApp::empty().await;
    let tag = app.tag("nanshan", "南山");
    let subject = ArticleBuilder::new("subject", "主题")
        .tags(&[tag])
        .insert(&app);
    let other = ArticleBuilder::new("other", "其他")
        .tags(&[tag])
        .insert(&app);
    let before = app.get_json(&format!("/api/v1/articles/{subject}")).await;
    assert_eq!(slugs(&before["related"]), ["other"]);
    assert_eq!(
        app.get_json("/api/v1/tags/nanshan").await["article_count"],
        2
    );

    diesel::update(articles::table.filter(articles::id.eq(other)))
        .set(articles::status.eq("draft"))
        .execute(&mut app.conn())
        .expect("unpublish");
    let after = app.get_json(&format!("/api/v1/articles/{subject}")).await;
    assert_eq!(after["related"], serde_json::json!([]));
    assert_eq!(
        app.get_json("/api/v1/tags/nanshan").await["article_count"],
        1
    );

    diesel::update(articles::table.filter(articles::id.eq(other)))
        .set((
            articles::status.eq("published"),
            articles::published_at.eq(instant("2030-01-01T00:00:00Z")),
        ))
        .execute(&mut app.conn())
        .expect("schedule");
    let scheduled = app.get_json(&format!("/api/v1/articles/{subject}")).await;
    assert_eq!(
        scheduled["related"],
        serde_json::json!([]),
        "not before its time"
    );
    app.clock.set(instant("2030-01-01T00:00:00Z"));
    let published = app.get_json(&format!("/api/v1/articles/{subject}")).await;
    assert_eq!(slugs(&published["related"]), ["other"]);
}

#[actix_rt::test]
async fn a_cursor_naming_an_instant_outside_the_stored_range_is_refused() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    let app = TestApp::empty().await;
    ArticleBuilder::new("a", "甲").insert(&app);
    // Well formed, as the API makes them, but at year 10000 and at year 1.
    for micros in ["253402300800000000", "-62135596800000000"] {
        let cursor = URL_SAFE_NO_PAD.encode(format!("1:d:{micros}:1"));
        let problem = app
            .get_problem(&format!("/api/v1/articles?cursor={cursor}"), 400)
            .await;
        assert_eq!(problem["errors"][0]["field"], "cursor", "{problem}");
    }
    let cursor = URL_SAFE_NO_PAD.encode("1:d:1637000000000000:1");
    app.get_json(&format!("/api/v1/articles?cursor={cursor}"))
        .await;
}
