//! Search as readers use it: one or two Chinese words, mixed scripts and forms, filters and
//! pages; what the public must never find; queries that must never break anything; type-ahead
//! by Chinese and pinyin; and related articles by what articles say. Articles are written
//! through the API, as editors do, so the index is the one the writes keep.

use futures_util::future::join_all;
use masthead::auth::Role;
use serde_json::{json, Value};

use crate::support::{slugs, TestApp};

/// Writes an article through the API; answers its JSON.
async fn write(app: &TestApp, token: &str, body: Value) -> Value {
    let created = app
        .send("POST", "/api/v1/articles", Some(token), Some(&body), &[])
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    created.json()
}

/// `path?name=value&…`, each value percent-encoded.
fn url(path: &str, params: &[(&str, &str)]) -> String {
    format!("{path}?{}", serde_urlencoded::to_string(params).unwrap())
}

async fn search(app: &TestApp, query: &str) -> Value {
    let path = url("/api/v1/search", &[("q", query)]);
    let found = app.get(&path).await;
    assert_eq!(found.status, 200, "{query}: {}", found.text());
    found.json()
}

async fn found(app: &TestApp, query: &str) -> Vec<String> {
    slugs(&search(app, query).await["data"])
}

#[actix_rt::test]
async fn searching_the_demo_for_humiao_finds_the_reference_article_with_a_marked_snippet() {
    let app = TestApp::demo().await;
    let results = search(&app, "护苗").await;
    let first = &results["data"][0];
    assert_eq!(first["slug"], "humiao-safety-training-nanshan", "{results}");
    assert!(results["meta"]["total"].as_i64().unwrap() >= 1);
    let snippet = first["snippet_html"].as_str().unwrap();
    assert!(snippet.contains("<mark>护苗</mark>"), "{snippet}");
    let title = first["title_html"].as_str().unwrap();
    assert!(title.starts_with("<mark>护苗</mark>有我"), "{title}");
    // A summary with everything a result list shows.
    assert!(first["path"].is_string() && first["published_at"].is_string());
    // Two characters, one: 网络 and 网 find it too; so does the traditional 網絡.
    for query in ["网络", "網絡安全", "未成年人", "网"] {
        assert!(
            found(&app, query)
                .await
                .contains(&"humiao-safety-training-nanshan".to_owned()),
            "{query}"
        );
    }
}

#[actix_rt::test]
async fn words_no_dictionary_knows_mixed_scripts_and_other_forms_are_found() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    write(&app, &editor, json!({"slug": "ai-forum", "title": "AI安全论坛在南山举行", "body_html": "<p>2021年11月，论坛讨论了人工智能的网络安全。</p>", "status": "published"})).await;
    write(&app, &editor, json!({"slug": "campus", "title": "网络素养教育进校园", "body_html": "<p>未成年人网络保护，从课堂开始。</p>", "status": "published"})).await;
    write(&app, &editor, json!({"slug": "weather", "title": "台风过境", "body_html": "<p>全市停课一天，注意安全。</p>", "status": "published"})).await;
    write(&app, &editor, json!({"slug": "report", "title": "年度报告", "body_html": "<p>2023年度报告发布，南山举办第3届TOP峰会。</p>", "status": "published"})).await;
    write(&app, &editor, json!({"slug": "budget", "title": "预算公开", "body_html": "<p>截至2025 年底，全部公开。</p>", "status": "published"})).await;
    let cases: &[(&str, &[&str])] = &[
        ("AI安全", &["ai-forum"]),
        ("ａｉ安全", &["ai-forum"]),
        ("2021年", &["ai-forum"]),
        // One character after a word, where the text's run goes on (2023年度, TOP峰会); and
        // before one, where it ends a pair (举办第3届: 办第).
        ("2023年", &["report"]),
        ("TOP峰", &["report"]),
        ("第3届", &["report"]),
        ("3届TOP", &["report"]),
        ("2024年", &[]),
        // Terms follow each other across a space, on every backend.
        ("2025年", &["budget"]),
        ("网络安全", &["ai-forum"]),
        ("網絡", &["ai-forum", "campus"]),
        ("素养", &["campus"]),
        // Words in any order, each must be there.
        ("南山 论坛", &["ai-forum"]),
        ("安全 课堂", &[]),
        // A pair across a punctuation mark is no word: 课。全 is not 课全.
        ("课全", &[]),
        ("安全", &["ai-forum", "weather"]),
    ];
    for (query, expected) in cases {
        let mut got = found(&app, query).await;
        got.sort();
        let mut expected: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
        expected.sort();
        assert_eq!(got, expected, "{query}");
    }
    // A match in the title ranks above one in the text.
    let ranked = found(&app, "安全").await;
    assert_eq!(ranked[0], "ai-forum", "{ranked:?}");
}

#[actix_rt::test]
async fn long_words_are_found_whole_and_never_as_their_pieces_apart() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    write(&app, &editor, json!({"slug": "whole", "title": "加强未成年人保护工作", "body_html": "<p>AI安全课程。网络安全宣传周活动。</p>", "status": "published"})).await;
    // Every four-character stretch of 未成年人保护, and AI and 安全, but apart.
    write(&app, &editor, json!({"slug": "apart", "title": "未成年人，成年人保，年人保护", "body_html": "<p>AI与安全。</p>", "status": "published"})).await;
    // Every six-character stretch of 网络安全宣传周活动 (longer than PostgreSQL's grams), apart.
    write(&app, &editor, json!({"slug": "apart-long", "title": "网络安全宣传，络安全宣传周，安全宣传周活，全宣传周活动", "status": "published"})).await;
    for query in [
        "未成年人保护",
        "AI安全",
        "未成年人保护 AI安全",
        "网络安全宣传周活动",
    ] {
        assert_eq!(found(&app, query).await, vec!["whole"], "{query}");
        let listed = app
            .get_json(&url("/api/v1/articles", &[("q", query)]))
            .await;
        assert_eq!(slugs(&listed["data"]), vec!["whole"], "{query}");
        assert_eq!(listed["meta"]["total"], 1, "{query}");
        assert_eq!(search(&app, query).await["meta"]["total"], 1, "{query}");
    }
    let mut both = found(&app, "未成年人 年人保护").await;
    both.sort();
    assert_eq!(both, vec!["apart", "whole"]);
}

/// `/articles?q=` is the list with only the matches: the same order, filters, totals and
/// pages (by cursor, both ways, and by number) as the list without `q`, less the rest. On
/// PostgreSQL its page is chosen from the search index's own copy of each article's time
/// and category; this holds that copy to the list's answer.
#[actix_rt::test]
async fn a_search_filters_the_list_and_keeps_its_order_filters_and_pages() {
    use crate::support::ArticleBuilder;
    let app = TestApp::empty().await;
    let news = app.category("news", "新闻", None);
    let local = app.category("local", "本地", Some(news));
    let sport = app.category("sport", "体育", None);
    let tag = app.tag("school", "校园");
    // Nine of twelve say 护苗; ties in time are broken by id.
    let rows: [(&str, &str, i64, bool, bool); 12] = [
        ("a0", "2021-03-01T08:00:00+08:00", news, true, true),
        ("a1", "2021-03-01T08:00:00+08:00", local, true, false),
        ("a2", "2021-05-02T08:00:00+08:00", sport, true, true),
        ("a3", "2021-05-02T09:00:00+08:00", local, false, true),
        ("a4", "2022-01-01T00:00:00+08:00", news, true, false),
        ("a5", "2022-01-01T00:00:00+08:00", sport, true, true),
        ("a6", "2022-06-30T23:59:00+08:00", local, true, true),
        ("a7", "2023-02-01T08:00:00+08:00", news, false, false),
        ("a8", "2023-02-01T08:00:00+08:00", local, true, true),
        ("a9", "2024-07-01T08:00:00+08:00", sport, true, false),
        ("b0", "2024-07-01T08:00:00+08:00", news, true, true),
        ("b1", "2024-08-01T08:00:00+08:00", local, false, true),
    ];
    for (slug, at, category, says, tagged) in rows {
        let title = if says {
            "护苗行动在校园"
        } else {
            "台风过境"
        };
        let mut article = ArticleBuilder::new(slug, title).at(at).category(category);
        if tagged {
            article = article.tags(&[tag]);
        }
        article.insert(&app);
    }
    ArticleBuilder::new("hidden", "护苗草稿")
        .draft()
        .insert(&app);
    masthead::resources::search::index::rebuild(&mut app.conn()).unwrap();
    let matching: Vec<&str> = rows.iter().filter(|row| row.3).map(|row| row.0).collect();
    let walk = |query: String, cursor: bool| {
        let app = &app;
        async move {
            let mut seen = Vec::new();
            let mut total = None;
            for page in 1..=20 {
                let path = format!("/api/v1/articles?per_page=2&{query}");
                let path = match (&total, cursor) {
                    (None, _) => path,
                    (Some((_, Some(next))), true) => format!("{path}&cursor={next}"),
                    (Some(_), true) => break,
                    (Some(_), false) => format!("{path}&page={page}"),
                };
                let body = app.get_json(&path).await;
                let data = slugs(&body["data"]);
                if data.is_empty() {
                    break;
                }
                seen.extend(data);
                let next = body["meta"]["next_cursor"].as_str().map(str::to_owned);
                total = Some((body["meta"]["total"].as_i64(), next));
            }
            (seen, total.and_then(|(total, _)| total))
        }
    };
    for filters in [
        "",
        "category=news",
        "category=sport",
        "tag=school",
        "year=2022",
        "year=2021&month=5",
        "category=news&tag=school",
        "sort=published_at",
        "sort=published_at&category=local",
    ] {
        for cursor in [true, false] {
            let (all, _) = walk(filters.to_owned(), cursor).await;
            let expected: Vec<String> = all
                .into_iter()
                .filter(|slug| matching.contains(&slug.as_str()))
                .collect();
            let (searched, total) = walk(format!("{filters}&q=%E6%8A%A4%E8%8B%97"), cursor).await;
            assert_eq!(searched, expected, "{filters}, by cursor: {cursor}");
            if let Some(total) = total {
                assert_eq!(total, expected.len() as i64, "{filters}");
            }
        }
    }
}

/// The longest text the index takes, and words PostgreSQL's own parser would split
/// (`3e8m` → `3e8`, `m`), are written and found like any other.
#[actix_rt::test]
async fn a_very_long_text_and_words_a_parser_would_split_are_found() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    // 60,000 characters, the most the index reads, in no repeating order: about 300,000
    // distinct stretches of two to six characters.
    let mut state: u32 = 2021;
    let long: String = (0..60_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            char::from_u32(0x4e00 + state % 20_000).unwrap_or('一')
        })
        .collect();
    write(&app, &editor, json!({"slug": "long", "title": "护苗长文", "body_html": format!("<p>{long}</p>"), "status": "published"})).await;
    write(
        &app,
        &editor,
        json!({"slug": "units", "title": "光速约3e8m每秒", "status": "published"}),
    )
    .await;
    assert_eq!(found(&app, "护苗").await, vec!["long"]);
    assert_eq!(found(&app, "3e8m").await, vec!["units"]);
    assert_eq!(found(&app, "3e8m每秒").await, vec!["units"]);
}

/// An upgrade can leave the index with less than the articles say, as only this code
/// segments text: PostgreSQL's grams come in a column added empty, SQLite's index is made
/// again, empty, to hold each article's category. `masthead migrate`, which every command
/// runs first, writes them from the articles.
#[actix_rt::test]
async fn an_upgrade_writes_the_search_index_of_the_articles_already_there() {
    use diesel::RunQueryDsl;
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let news = app.category("news", "新闻", None);
    write(
        &app,
        &editor,
        json!({"slug": "kept", "title": "护苗行动在南山", "status": "published", "category_id": news}),
    )
    .await;
    let (emptied, unwritten) = match app.postgres_database() {
        Some(_) => (
            "UPDATE article_search SET grams = NULL",
            "SELECT COUNT(*) FROM article_search WHERE grams IS NULL",
        ),
        None => (
            "DELETE FROM article_search",
            "SELECT COUNT(*) FROM articles WHERE id NOT IN (SELECT rowid FROM article_search)",
        ),
    };
    diesel::sql_query(emptied).execute(&mut app.conn()).unwrap();
    assert!(found(&app, "护苗行动").await.is_empty());
    masthead::commands::migrate::migrate(&app.database_url()).unwrap();
    assert_eq!(found(&app, "护苗行动").await, vec!["kept"]);
    let in_news = app
        .get_json(&url(
            "/api/v1/search",
            &[("q", "护苗"), ("category", "news")],
        ))
        .await;
    assert_eq!(slugs(&in_news["data"]), vec!["kept"], "{in_news}");
    // Run again: nothing left to write.
    masthead::commands::migrate::migrate(&app.database_url()).unwrap();
    let missing: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(unwritten)
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(missing, 0);
}

/// A deleted category's articles lose it (and keep their place in search); a category
/// made after it never finds them, even when it is the newest one, whose id a table may
/// give again.
#[actix_rt::test]
async fn a_category_made_after_a_deleted_one_does_not_find_its_old_articles() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let create = |slug: &'static str| {
        let (app, editor) = (&app, &editor);
        async move {
            let made = app
                .send(
                    "POST",
                    "/api/v1/categories",
                    Some(editor),
                    Some(&json!({"name": "分类", "slug": slug})),
                    &[],
                )
                .await;
            assert_eq!(made.status, 201, "{}", made.text());
            made.json()["id"].as_i64().unwrap()
        }
    };
    let old = create("old").await;
    write(
        &app,
        &editor,
        json!({"slug": "was-old", "title": "护苗旧闻", "status": "published", "category_id": old}),
    )
    .await;
    let gone = app
        .send("DELETE", "/api/v1/categories/old", Some(&editor), None, &[])
        .await;
    assert_eq!(gone.status, 204, "{}", gone.text());
    let fresh = create("fresh").await;
    let in_fresh = || {
        let app = &app;
        async move {
            app.get_json(&url(
                "/api/v1/search",
                &[("q", "护苗"), ("category", "fresh")],
            ))
            .await
        }
    };
    let none = in_fresh().await;
    assert_eq!(
        none["meta"]["total"], 0,
        "category {fresh} after {old}: {none}"
    );
    assert!(none["data"].as_array().unwrap().is_empty(), "{none}");
    assert_eq!(found(&app, "护苗").await, vec!["was-old"]);
    write(&app, &editor, json!({"slug": "is-fresh", "title": "护苗新闻", "status": "published", "category_id": fresh})).await;
    let one = in_fresh().await;
    assert_eq!(slugs(&one["data"]), vec!["is-fresh"], "{one}");
    assert_eq!(one["meta"]["total"], 1, "{one}");
}

#[actix_rt::test]
async fn drafts_scheduled_and_archived_articles_are_never_found_by_the_public() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    write(
        &app,
        &editor,
        json!({"slug": "live", "title": "护苗公开", "status": "published"}),
    )
    .await;
    write(&app, &editor, json!({"slug": "draft", "title": "护苗草稿"})).await;
    write(&app, &editor, json!({"slug": "later", "title": "护苗定时", "status": "published", "published_at": "2099-01-01T00:00:00+08:00"})).await;
    write(
        &app,
        &editor,
        json!({"slug": "old", "title": "护苗归档", "status": "archived"}),
    )
    .await;
    assert_eq!(found(&app, "护苗").await, vec!["live"]);
    assert_eq!(search(&app, "护苗").await["meta"]["total"], 1);
    let listed = app
        .get_json(&url("/api/v1/articles", &[("q", "护苗")]))
        .await;
    assert_eq!(slugs(&listed["data"]), vec!["live"]);
    let suggested = app.get_json("/api/v1/search/suggest?q=humiao").await;
    assert_eq!(slugs(&suggested["data"]), vec!["live"]);
}

/// A search's filters, as query parameters.
type Filters<'a> = &'a [(&'a str, &'a str)];

/// The server keeps each shape of search statement prepared and binds each search's own
/// values to it: searches of one shape, asked in turn and again (past the five runs after
/// which PostgreSQL may plan a kept statement once for all values), each find their own. The
/// response cache is off, so that every round reaches the database.
#[actix_rt::test]
async fn searches_of_one_shape_asked_in_turn_each_find_their_own() {
    let app = TestApp::configured(|config| config.cache_entries = 0).await;
    let editor = app.token_for(Role::Editor).await;
    let news = app.category("news", "新闻", None);
    let sport = app.category("sport", "体育", None);
    let school = app.tag("school", "校园");
    for (slug, title, category, tagged, day) in [
        ("n1", "护苗行动", news, true, "2021-11-15"),
        ("n2", "护苗课堂", news, false, "2021-12-15"),
        ("s1", "护苗长跑", sport, true, "2021-12-16"),
        ("n3", "地铁新线", news, false, "2021-11-16"),
        ("s2", "地铁球场", sport, true, "2021-11-17"),
        ("s3", "地铁马拉松", sport, false, "2021-12-17"),
    ] {
        let tags: Vec<i64> = if tagged { vec![school] } else { vec![] };
        write(&app, &editor, json!({"slug": slug, "title": title, "category_id": category, "tag_ids": tags, "status": "published", "published_at": format!("{day}T09:00:00+08:00")})).await;
    }
    // What is searched for, with which filters, and what it finds.
    let asked: [(&str, Filters, &[&str]); 10] = [
        ("护苗", &[], &["n1", "n2", "s1"]),
        ("地铁", &[], &["n3", "s2", "s3"]),
        ("护苗", &[("category", "news")], &["n1", "n2"]),
        ("地铁", &[("category", "news")], &["n3"]),
        ("护苗", &[("category", "sport")], &["s1"]),
        ("地铁", &[("category", "sport")], &["s2", "s3"]),
        ("护苗", &[("tag", "school")], &["n1", "s1"]),
        ("地铁", &[("tag", "school")], &["s2"]),
        (
            "护苗",
            &[("from", "2021-12-01"), ("to", "2021-12-31")],
            &["n2", "s1"],
        ),
        (
            "地铁",
            &[("from", "2021-11-01"), ("to", "2021-11-30")],
            &["n3", "s2"],
        ),
    ];
    for round in 0..7 {
        for (query, filters, expected) in &asked {
            let mut params = vec![("q", *query)];
            params.extend(filters.iter().copied());
            // `/articles` has no `from`/`to`: days are asked of `/search` alone.
            let paths: &[&str] = if filters.iter().any(|(name, _)| *name == "from") {
                &["/api/v1/search"]
            } else {
                &["/api/v1/search", "/api/v1/articles"]
            };
            for path in paths {
                let answer = app.get_json(&url(path, &params)).await;
                let mut got = slugs(&answer["data"]);
                got.sort();
                assert_eq!(&got, expected, "round {round}: {path} {params:?}");
                assert_eq!(answer["meta"]["total"], expected.len(), "{answer}");
            }
        }
        // Type-ahead binds one value twice on PostgreSQL (title or pinyin).
        for (typed, expected) in [("humiao", 3), ("ditie", 3), ("hm", 3)] {
            let suggested = app
                .get_json(&url("/api/v1/search/suggest", &[("q", typed)]))
                .await;
            assert_eq!(
                suggested["data"].as_array().map(Vec::len),
                Some(expected),
                "round {round}: {typed}: {suggested}"
            );
        }
    }
}

#[actix_rt::test]
async fn search_combines_with_category_tag_days_and_pages() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let news = app.category("news", "新闻", None);
    let local = app.category("local", "本地", Some(news));
    let other = app.category("other", "其他", None);
    let tag = app.tag("humiao", "护苗");
    let mut slugs_written = Vec::new();
    for (n, (category, tagged, day)) in [
        (local, true, "2021-11-15"),
        (news, false, "2021-11-16"),
        (other, true, "2021-11-17"),
        (local, false, "2021-12-01"),
    ]
    .into_iter()
    .enumerate()
    {
        let slug = format!("a{n}");
        let tags: Vec<i64> = if tagged { vec![tag] } else { vec![] };
        write(&app, &editor, json!({"slug": slug, "title": format!("网络安全第{n}期"), "category_id": category, "tag_ids": tags, "status": "published", "published_at": format!("{day}T09:00:00+08:00")})).await;
        slugs_written.push(slug);
    }
    let get = |query: &'static str| {
        let app = &app;
        async move {
            app.get_json(&format!(
                "{}&{query}",
                url("/api/v1/search", &[("q", "网络安全")])
            ))
            .await
        }
    };
    // A draft in the category is neither found nor counted.
    write(
        &app,
        &editor,
        json!({"slug": "draft", "title": "网络安全草稿", "category_id": local}),
    )
    .await;
    let in_news = get("category=news").await;
    let mut by_category = slugs(&in_news["data"]);
    by_category.sort();
    assert_eq!(by_category, vec!["a0", "a1", "a3"], "subcategories count");
    assert_eq!(in_news["meta"]["total"], 3, "{in_news}");
    // Moved to another category: searched there at once.
    let version = app.get_json("/api/v1/articles/a3").await["version"].clone();
    let moved = app
        .send(
            "PATCH",
            "/api/v1/articles/a3",
            Some(&editor),
            Some(&json!({ "category_id": other })),
            &[("if-match", &format!("\"{version}\""))],
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text());
    let in_news = get("category=news").await;
    let mut by_category = slugs(&in_news["data"]);
    by_category.sort();
    assert_eq!(by_category, vec!["a0", "a1"], "after the move");
    assert_eq!(in_news["meta"]["total"], 2, "{in_news}");
    assert_eq!(get("category=other").await["meta"]["total"], 2);
    assert_eq!(slugs(&get("tag=humiao").await["data"]).len(), 2);
    let mut in_november = slugs(&get("from=2021-11-16&to=2021-11-30").await["data"]);
    in_november.sort();
    assert_eq!(in_november, vec!["a1", "a2"]);
    let page = app
        .get("/api/v1/search?q=%E7%BD%91%E7%BB%9C%E5%AE%89%E5%85%A8&per_page=3&page=2")
        .await;
    assert_eq!(page.status, 200);
    let page_json = page.json();
    assert_eq!(page_json["meta"]["total"], 4);
    assert_eq!(page_json["meta"]["total_pages"], 2);
    assert_eq!(page_json["data"].as_array().unwrap().len(), 1);
    assert!(page.header("link").unwrap().contains("rel=\"prev\""));
    // Every article once across the pages.
    let first = app
        .get_json("/api/v1/search?q=%E7%BD%91%E7%BB%9C%E5%AE%89%E5%85%A8&per_page=3")
        .await;
    let mut all = slugs(&first["data"]);
    all.extend(slugs(&page_json["data"]));
    all.sort();
    assert_eq!(all, slugs_written);
    for (query, field) in [
        ("category=nope", "category"),
        ("tag=nope", "tag"),
        ("from=2021-13-01", "from"),
        ("from=2021-11-30&to=2021-11-01", "to"),
        ("cursor=abc", "cursor"),
    ] {
        let refused = app
            .get(&format!("/api/v1/search?q=%E7%BD%91&{query}"))
            .await;
        assert_eq!(refused.status, 400, "{query}: {}", refused.text());
        assert!(
            refused.text().contains(field),
            "{query}: {}",
            refused.text()
        );
    }
}

/// The total counts only what the public sees, with a few hidden articles among the matches
/// and with many (the count takes two ways).
#[actix_rt::test]
async fn the_total_leaves_out_hidden_matches_few_or_many() {
    use crate::support::ArticleBuilder;
    let app = TestApp::empty().await;
    for n in 0..3 {
        ArticleBuilder::new(&format!("live{n}"), "护苗公开").insert(&app);
    }
    ArticleBuilder::new("other-draft", "别的草稿")
        .draft()
        .insert(&app);
    let mut hidden = 0;
    for wanted in [4, 80] {
        while hidden < wanted {
            let builder = ArticleBuilder::new(&format!("hidden{hidden}"), "护苗草稿");
            match hidden % 3 {
                0 => builder.draft(),
                1 => builder.archived(),
                _ => builder.at("2099-01-01T00:00:00+08:00"),
            }
            .insert(&app);
            hidden += 1;
        }
        masthead::resources::search::index::rebuild(&mut app.conn()).unwrap();
        let found = search(&app, "护苗").await;
        assert_eq!(found["meta"]["total"], 3, "{hidden} hidden");
        let mut live = slugs(&found["data"]);
        live.sort();
        assert_eq!(live, vec!["live0", "live1", "live2"], "{hidden} hidden");
        let listed = app
            .get_json(&url("/api/v1/articles", &[("q", "护苗")]))
            .await;
        assert_eq!(listed["meta"]["total"], 3, "/articles, {hidden} hidden");
        assert_eq!(
            slugs(&listed["data"]).len(),
            3,
            "/articles, {hidden} hidden"
        );
    }
}

/// The newest matches are ranked by relevance, the older ones follow newest first; paging
/// through them all, across that boundary too, gives every match once.
#[actix_rt::test]
async fn pages_go_past_the_ranked_matches_newest_first_with_every_match_once() {
    use masthead::resources::search::queries::RANKED_MATCHES;
    let app = TestApp::empty().await;
    let count = RANKED_MATCHES as usize + 30;
    let (strong_old, strong_new) = (20, 150);
    for n in 0..count {
        let title = if n == strong_old || n == strong_new {
            "护苗护苗护苗：护苗专题".to_owned()
        } else {
            format!("第{n}期护苗简报")
        };
        crate::support::ArticleBuilder::new(&format!("n{n:03}"), &title)
            .at(&format!(
                "2021-{:02}-{:02}T09:00:00+08:00",
                1 + n / 28,
                1 + n % 28
            ))
            .insert(&app);
    }
    masthead::resources::search::index::rebuild(&mut app.conn()).unwrap();
    let mut all = Vec::new();
    for page in 1..=count.div_ceil(45) {
        let found = app
            .get_json(&format!(
                "{}&per_page=45&page={page}",
                url("/api/v1/search", &[("q", "护苗")])
            ))
            .await;
        assert_eq!(found["meta"]["total"], count);
        all.extend(slugs(&found["data"]));
    }
    assert_eq!(all.len(), count);
    assert_eq!(
        all[0],
        format!("n{strong_new:03}"),
        "the best of the newest"
    );
    let older: Vec<String> = (0..count - RANKED_MATCHES as usize)
        .rev()
        .map(|n| format!("n{n:03}"))
        .collect();
    assert_eq!(
        all[RANKED_MATCHES as usize..],
        older[..],
        "then newest first"
    );
    let mut every = all.clone();
    every.sort();
    every.dedup();
    assert_eq!(every.len(), count, "each once");
}

#[actix_rt::test]
async fn no_query_breaks_the_search_or_reaches_the_database_as_syntax() {
    let app = TestApp::demo().await;
    for (raw, status) in [
        ("", 400),
        ("   ", 400),
        ("，。！？", 400),
        ("\"", 400),
        ("*", 400),
        ("(((", 400),
        ("NEAR(护苗 网络)", 200),
        ("护苗\" OR \"x", 200),
        ("' OR 1=1; DROP TABLE articles; --", 200),
        ("title:护苗", 200),
        ("护苗 AND NOT 网络", 200),
        ("'网':*", 200),
        ("a & b | !c <-> d", 200),
        ("\\", 400),
        ("𠀀𠀁", 200),
    ] {
        let path = format!(
            "/api/v1/search?{}",
            serde_urlencoded::to_string([("q", raw)]).unwrap()
        );
        let answer = app.get(&path).await;
        assert_eq!(answer.status, status, "{raw:?}: {}", answer.text());
        if status == 400 {
            assert!(
                answer.text().contains("\"q\""),
                "{raw:?}: {}",
                answer.text()
            );
        }
        let listed = app
            .get(&format!(
                "/api/v1/articles?{}",
                serde_urlencoded::to_string([("q", raw)]).unwrap()
            ))
            .await;
        assert!(
            listed.status == 200 || listed.status == 400,
            "{raw:?}: {}",
            listed.text()
        );
        let suggested = app
            .get(&format!(
                "/api/v1/search/suggest?{}",
                serde_urlencoded::to_string([("q", raw)]).unwrap()
            ))
            .await;
        assert!(
            suggested.status.as_u16() < 500,
            "{raw:?}: {}",
            suggested.text()
        );
    }
    assert_eq!(app.get("/api/v1/search").await.status, 400);
    let long = "护".repeat(201);
    assert_eq!(
        app.get(&url("/api/v1/search", &[("q", &long)]))
            .await
            .status,
        400
    );
    let many = (0..20)
        .map(|n| format!("w{n}"))
        .collect::<Vec<_>>()
        .join("+");
    assert_eq!(
        app.get(&format!("/api/v1/search?q={many}")).await.status,
        400
    );
}

#[actix_rt::test]
async fn an_edit_or_a_delete_is_searched_at_once() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let article = write(
        &app,
        &editor,
        json!({"slug": "story", "title": "垃圾分类新规", "status": "published"}),
    )
    .await;
    assert_eq!(found(&app, "垃圾分类").await, vec!["story"]);
    let changed = app
        .send(
            "PATCH",
            "/api/v1/articles/story",
            Some(&editor),
            Some(&json!({"title": "新能源汽车下乡", "body_html": "<p>补贴延续到年底。</p>"})),
            &[("if-match", &format!("\"{}\"", article["version"]))],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    assert!(found(&app, "垃圾分类").await.is_empty());
    assert_eq!(found(&app, "新能源").await, vec!["story"]);
    assert_eq!(found(&app, "补贴").await, vec!["story"]);
    // Archived, then published again: the index follows the article's status at once.
    let mut version = changed.json()["version"].clone();
    for (status, expected) in [("archived", vec![]), ("published", vec!["story"])] {
        let moved = app
            .send(
                "PATCH",
                "/api/v1/articles/story",
                Some(&editor),
                Some(&json!({ "status": status })),
                &[("if-match", &format!("\"{version}\""))],
            )
            .await;
        assert_eq!(moved.status, 200, "{}", moved.text());
        version = moved.json()["version"].clone();
        assert_eq!(found(&app, "补贴").await, expected, "{status}");
    }
    let listed = app
        .get_json(&url("/api/v1/articles", &[("q", "补贴")]))
        .await;
    assert_eq!(listed["meta"]["total"], 1);
    let deleted = app
        .send("DELETE", "/api/v1/articles/story", Some(&editor), None, &[])
        .await;
    assert_eq!(deleted.status, 204);
    assert!(found(&app, "新能源").await.is_empty());
}

#[actix_rt::test]
async fn type_ahead_finds_titles_by_chinese_pinyin_and_initials() {
    let app = TestApp::demo().await;
    for typed in [
        "护苗",
        "护苗有",
        "humiao",
        "hu miao",
        "HuMiao",
        "hm",
        "humiaoyouwo",
        "hùmiáo",
    ] {
        let suggested = app
            .get_json(&format!(
                "/api/v1/search/suggest?{}",
                serde_urlencoded::to_string([("q", typed)]).unwrap()
            ))
            .await;
        assert!(
            slugs(&suggested["data"]).contains(&"humiao-safety-training-nanshan".to_owned()),
            "{typed}: {suggested}"
        );
    }
    let marked = app
        .get_json(&url("/api/v1/search/suggest", &[("q", "护苗")]))
        .await;
    assert!(marked["data"][0]["title_html"]
        .as_str()
        .unwrap()
        .contains("<mark>护苗</mark>"));
    // What pinyin spells is marked too, where the title's characters spell it; words apart
    // each start a word of the title.
    for (typed, marked) in [
        ("humi", "<mark>护苗</mark>有我"),
        ("hm", "<mark>护苗</mark>有我"),
        (
            "humiao anquan",
            "<mark>护苗</mark>有我 <mark>安全</mark>同行",
        ),
    ] {
        let suggested = app
            .get_json(&url("/api/v1/search/suggest", &[("q", typed)]))
            .await;
        let reference = suggested["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["slug"] == "humiao-safety-training-nanshan")
            .unwrap_or_else(|| panic!("{typed}: {suggested}"));
        assert!(
            reference["title_html"]
                .as_str()
                .unwrap()
                .starts_with(marked),
            "{typed}: {reference}"
        );
    }
    let neither = app
        .get_json(&url("/api/v1/search/suggest", &[("q", "humiao xyz")]))
        .await;
    assert_eq!(neither["data"], json!([]), "{neither}");
    let limited = app.get_json("/api/v1/search/suggest?q=n&limit=2").await;
    assert!(limited["data"].as_array().unwrap().len() <= 2);
    let nothing = app.get_json("/api/v1/search/suggest?q=%E3%80%82").await;
    assert_eq!(nothing["data"], json!([]));
    assert_eq!(
        app.get("/api/v1/search/suggest?q=a&limit=21").await.status,
        400
    );
}

/// Pinyin input methods type `v` for `ü` (绿 `lv`, 女 `nv`); the titles' pinyin writes `ü`.
#[actix_rt::test]
async fn type_ahead_takes_v_for_u_umlaut_as_input_methods_type_it() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    for (slug, title) in [("green", "绿色出行周启动"), ("volleyball", "女排夺冠")] {
        write(
            &app,
            &editor,
            json!({
                "slug": slug, "title": title, "body_html": "<p>南山区</p>",
                "status": "published", "published_at": "2021-11-10T09:00:00+08:00"
            }),
        )
        .await;
    }
    for (typed, slug, marked) in [
        ("lvse", "green", "<mark>绿色</mark>出行周启动"),
        ("lüse", "green", "<mark>绿色</mark>出行周启动"),
        ("lǜsè", "green", "<mark>绿色</mark>出行周启动"),
        ("nvp", "volleyball", "<mark>女排</mark>夺冠"),
        ("nvpai", "volleyball", "<mark>女排</mark>夺冠"),
    ] {
        let suggested = app
            .get_json(&url("/api/v1/search/suggest", &[("q", typed)]))
            .await;
        assert_eq!(slugs(&suggested["data"]), [slug], "{typed}: {suggested}");
        assert_eq!(suggested["data"][0]["title_html"], marked, "{typed}");
    }
    // `v` is still a letter of its own elsewhere.
    let nothing = app
        .get_json(&url("/api/v1/search/suggest", &[("q", "lvx")]))
        .await;
    assert_eq!(nothing["data"], json!([]));
}

/// Three topics, no tags: what the articles say decides what is related.
#[actix_rt::test]
async fn related_articles_are_those_that_say_the_same_and_pinned_ones_come_first() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let topics = [
        (
            "traffic",
            "地铁",
            "地铁线路开通，乘客换乘更方便，公交接驳站点同步调整，早晚高峰运力提升。",
        ),
        (
            "garbage",
            "垃圾",
            "垃圾分类投放点增设，厨余垃圾和可回收物分开收运，社区志愿者上门指导居民分类。",
        ),
        (
            "health",
            "医保",
            "医保报销比例提高，门诊费用纳入统筹，药品集中采购降低了患者负担。",
        ),
    ];
    let mut ids = std::collections::HashMap::new();
    for round in 0..4 {
        for (topic, word, text) in topics {
            let slug = format!("{topic}-{round}");
            let article = write(&app, &editor, json!({
                "slug": slug,
                "title": format!("{word}新闻第{round}期：深圳南山工作动态"),
                "body_html": format!("<p>{text}</p><p>深圳市南山区有关部门表示，将继续推进相关工作。</p>"),
                "status": "published",
                "published_at": format!("2021-11-{:02}T09:00:00+08:00", 10 + round),
            }))
            .await;
            ids.insert(slug, article["id"].as_i64().unwrap());
        }
    }
    for (topic, _, _) in topics {
        for round in 0..4 {
            let article = app
                .get_json(&format!("/api/v1/articles/{topic}-{round}"))
                .await;
            let related = slugs(&article["related"]);
            // The other three of its topic come first (the first written learned of the
            // later ones when they were written).
            assert!(related.len() >= 3, "{topic}-{round}: {related:?}");
            for slug in &related[..3] {
                assert!(slug.starts_with(topic), "{topic}-{round}: {related:?}");
            }
        }
    }
    // An editor pins two: they come first, in the editor's order, and only once.
    let pinned = app
        .send(
            "PATCH",
            "/api/v1/articles/traffic-0",
            Some(&editor),
            Some(&json!({"related_ids": [ids["health-2"], ids["traffic-3"]]})),
            &[],
        )
        .await;
    assert_eq!(pinned.status, 200, "{}", pinned.text());
    let related = slugs(&pinned.json()["related"]);
    assert_eq!(&related[..2], ["health-2", "traffic-3"], "{related:?}");
    assert_eq!(
        related.iter().filter(|s| *s == "traffic-3").count(),
        1,
        "{related:?}"
    );
    // Its own id, or one that does not exist, is refused naming the field.
    for bad in [json!([ids["traffic-0"]]), json!([999_999])] {
        let refused = app
            .send(
                "PATCH",
                "/api/v1/articles/traffic-0",
                Some(&editor),
                Some(&json!({"related_ids": bad})),
                &[],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert!(refused.text().contains("related_ids"), "{}", refused.text());
    }
    // A deleted article leaves every list.
    let deleted = app
        .send(
            "DELETE",
            "/api/v1/articles/garbage-3",
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(deleted.status, 204);
    let article = app.get_json("/api/v1/articles/garbage-0").await;
    assert!(!slugs(&article["related"]).contains(&"garbage-3".to_owned()));
}

/// Editors writing at once: every acknowledged write is in the index, every related list
/// names only articles that exist, and nothing answers 5xx.
#[actix_rt::test]
async fn racing_writes_keep_the_index_and_the_related_lists_whole() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let first = write(&app, &editor, json!({"slug": "seed", "title": "台风预警升级", "body_html": "<p>台风登陆，全市停课。</p>", "status": "published"})).await;
    let creates = (0..8).map(|n| {
        let body = json!({"slug": format!("race-{n}"), "title": format!("台风过境第{n}报"), "body_html": "<p>台风带来强降雨，注意防范。</p>", "status": "published"});
        let editor = editor.clone();
        let app = &app;
        async move {
            app.send("POST", "/api/v1/articles", Some(&editor), Some(&body), &[])
                .await
        }
    });
    let if_match = format!("\"{}\"", first["version"]);
    let change = json!({"title": "台风预警解除"});
    let headers = [("if-match", if_match.as_str())];
    let edit = app.send(
        "PATCH",
        "/api/v1/articles/seed",
        Some(&editor),
        Some(&change),
        &headers,
    );
    let delete_then = async {
        app.send("DELETE", "/api/v1/articles/seed", Some(&editor), None, &[])
            .await
    };
    let (created, edited, deleted) = futures_util::join!(join_all(creates), edit, delete_then);
    for answer in &created {
        assert_eq!(answer.status, 201, "{}", answer.text());
    }
    assert!(edited.status.as_u16() < 500, "{}", edited.text());
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    let mut got = found(&app, "台风").await;
    got.sort();
    let expected: Vec<String> = (0..8).map(|n| format!("race-{n}")).collect();
    assert_eq!(got, expected);
    for n in 0..8 {
        let article = app.get_json(&format!("/api/v1/articles/race-{n}")).await;
        for slug in slugs(&article["related"]) {
            assert!(slug.starts_with("race-"), "race-{n}: {slug}");
        }
        assert!(!slugs(&article["related"]).is_empty(), "race-{n}");
    }
}

/// `masthead reindex` (and an import) build the index from the stored rows: rows written
/// around the API are found once it has run.
#[actix_rt::test]
async fn reindex_finds_rows_written_around_the_api() {
    let app = TestApp::empty().await;
    crate::support::ArticleBuilder::new("raw", "乡村振兴示范村").insert(&app);
    assert!(found(&app, "乡村振兴").await.is_empty());
    let indexed = masthead::resources::search::index::rebuild(&mut app.conn()).unwrap();
    assert_eq!(indexed, 1);
    assert_eq!(found(&app, "乡村振兴").await, vec!["raw"]);
}

/// An article is in some lists as another article's candidate, not as one of its own (the
/// articles a word weighs most in find those it weighs little in, not the other way round).
/// A write that leaves its text as it was must leave it in those lists: here 蝴蝶 weighs
/// most in `butterfly`, a little in `reader`, whose list `butterfly` heads (same category),
/// while 160 articles where 蝴蝶 weighs more keep `reader` out of `butterfly`'s candidates.
#[actix_rt::test]
async fn an_edit_that_changes_no_text_leaves_the_article_in_the_related_lists_it_was_in() {
    use crate::support::ArticleBuilder;
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let shelf = app.category("shelf", "书架", None);
    ArticleBuilder::new("butterfly", "蝴蝶")
        .category(shelf)
        .insert(&app);
    ArticleBuilder::new("reader", "蝴蝶 苹果 香蕉 葡萄 西瓜 芒果")
        .category(shelf)
        .insert(&app);
    for n in 0..160 {
        ArticleBuilder::new(&format!("garden-{n}"), "蝴蝶 花园").insert(&app);
    }
    // Enough articles that 蝴蝶 and 花园 tell articles apart (in under a quarter of them).
    for n in 0..540 {
        ArticleBuilder::new(&format!("city-{n}"), "城市交通").insert(&app);
    }
    masthead::resources::search::index::rebuild(&mut app.conn()).unwrap();
    let related = |slug: &'static str| {
        let app = &app;
        async move { slugs(&app.get_json(&format!("/api/v1/articles/{slug}")).await["related"]) }
    };
    assert_eq!(
        related("reader").await.first().map(String::as_str),
        Some("butterfly")
    );
    let version = app.get_json("/api/v1/articles/butterfly").await["version"].clone();
    let edited = app
        .send(
            "PATCH",
            "/api/v1/articles/butterfly",
            Some(&editor),
            Some(&json!({ "title": "蝴蝶" })),
            &[("if-match", &format!("\"{version}\""))],
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.text());
    assert_eq!(
        related("reader").await.first().map(String::as_str),
        Some("butterfly"),
        "after an edit that changed no text"
    );
}

/// Articles that share a tag and whose text tells them nothing apart are related to those
/// published nearest them, not all to the tag's newest. Before, the newest few headed every
/// list of the tag: on 100,000 generated articles each of the newest sat in ~20,000 lists,
/// and one edit to it re-scored all of them (0.8 s under the write lock) and dropped as
/// many pages from the response cache.
#[actix_rt::test]
async fn articles_alike_only_by_a_tag_are_related_to_their_neighbours_in_time() {
    use crate::support::ArticleBuilder;
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let notices = app.tag("notices", "通知");
    let first_day = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
    for n in 0..60 {
        let day = first_day + chrono::Duration::days(n);
        ArticleBuilder::new(&format!("notice-{n:02}"), "社区通知")
            .at(&day.format("%Y-%m-%dT10:00:00+08:00").to_string())
            .tags(&[notices])
            .insert(&app);
    }
    masthead::resources::search::index::rebuild(&mut app.conn()).unwrap();
    let related = |slug: String| {
        let app = &app;
        async move { slugs(&app.get_json(&format!("/api/v1/articles/{slug}")).await["related"]) }
    };
    let near = |n: i64, slug: &str| {
        let other: i64 = slug.trim_start_matches("notice-").parse().unwrap();
        (other - n).abs() <= 10
    };
    let mut holding_newest = 0;
    for n in 0..60 {
        let shown = related(format!("notice-{n:02}")).await;
        assert!(!shown.is_empty(), "notice-{n:02}");
        assert!(
            shown.iter().all(|slug| near(n, slug)),
            "notice-{n:02}: {shown:?}"
        );
        holding_newest += usize::from(shown.contains(&"notice-59".to_owned()));
    }
    assert!(
        holding_newest <= 20,
        "notice-59 is in {holding_newest} lists"
    );

    // Written through the API: a new one is offered to its neighbours only, and an old
    // one edited keeps its own neighbours.
    write(
        &app,
        &editor,
        json!({"slug": "notice-new", "title": "社区通知", "body_html": "<p>社区通知</p>",
               "status": "published", "tag_ids": [notices]}),
    )
    .await;
    let newest = related("notice-new".to_owned()).await;
    assert!(
        newest.iter().all(|slug| near(59, slug)),
        "notice-new: {newest:?}"
    );
    assert!(!related("notice-05".to_owned())
        .await
        .contains(&"notice-new".to_owned()));
    let version = app.get_json("/api/v1/articles/notice-05").await["version"].clone();
    let edited = app
        .send(
            "PATCH",
            "/api/v1/articles/notice-05",
            Some(&editor),
            Some(&json!({ "title": "社区通知（更正）" })),
            &[("if-match", &format!("\"{version}\""))],
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.text());
    let shown = related("notice-05".to_owned()).await;
    assert!(
        !shown.is_empty() && shown.iter().all(|slug| near(5, slug)),
        "{shown:?}"
    );
}
