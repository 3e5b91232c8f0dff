//! Property tests: arbitrary bodies to every write route, arbitrary values to every query
//! parameter and path segment. Whatever is sent, the answer is below 500 and comes in
//! time. Inputs are random each run; a failure prints the request that caused it.

use std::time::Duration;

use masthead::auth::Role;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};

use crate::support::TestApp;

/// Requests per route: enough to meet each kind of bad value several times, few enough
/// for the whole suite to stay quick on two cores.
const CASES: u32 = 40;
/// Far above what any request here needs: a slower answer is a hang.
const DEADLINE: Duration = Duration::from_secs(15);

/// Characters that break things: NUL and other controls, line breaks, quotes, markup,
/// percent signs, Chinese, astral-plane characters, bidi overrides.
fn nasty_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        2 => (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('\0')),
        1 => Just('\u{7f}'),
        1 => Just('\u{85}'),
        1 => Just('\u{202e}'),
        1 => Just('\u{feff}'),
        2 => prop::sample::select(vec!['<', '>', '"', '\'', '&', '%', '\\', '/', ':', '#', '?', ' ']),
        2 => prop::sample::select(vec!['护', '苗', '😀', 'é']),
    ]
}

fn nasty_string() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::collection::vec(nasty_char(), 0..24).prop_map(|chars| chars.into_iter().collect()),
        2 => prop::sample::select(vec![
            "", " ", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:x", "&#106;avascript:x",
            "data:text/html,<script>x</script>", "vbscript:x", "//evil.example", "http://", "https://example.com/",
            "/media/a.jpg", "mailto:a@example.com", "draft", "published", "scheduled", "review", "archived",
            "admin", "editor", "author", "url", "group", "category", "article", "page", "tag", "magazine_issue",
            "2026-12-01T08:00:00+08:00", "2019-02-01", "+08:00", "-99:99", "99999-01-01", "a@example.com",
            "image/jpeg", "<p onclick=x>y</p><script>z</script>", "<blockquote cite=\"javascript:x\">q</blockquote>",
            "1", "-1", "0", "1e400", "NaN", "\u{0}", "护苗有我",
        ]).prop_map(str::to_owned),
        // At most 1,200 (10.8 kB percent-encoded), so that four of them still make a URL
        // the HTTP client can build (under 64 KiB); body values get longer ones in `leaf`.
        1 => (0usize..1_200).prop_map(|n| "长".repeat(n)),
        1 => (490usize..520).prop_map(|n| "a".repeat(n)),
    ]
}

fn nasty_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop::num::f64::NORMAL.prop_map(Value::from),
        prop::sample::select(vec![
            0i64,
            1,
            -1,
            2,
            50,
            100,
            101,
            i64::MAX,
            i64::MIN,
            i32::MAX as i64 + 1
        ])
        .prop_map(Value::from),
        Just(json!(1.5)),
        Just(json!(1e300)),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        3 => nasty_number(),
        4 => nasty_string().prop_map(Value::String),
        // Around the 2,000- and 100,000-character field limits.
        1 => prop::sample::select(vec![1_999usize, 2_000, 2_001, 100_001])
            .prop_map(|n| Value::String("长".repeat(n))),
    ]
}

fn nasty_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(nasty_string(), inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// An object with some of `fields` (and now and then an unknown one), or now and then
/// not an object at all.
fn body(fields: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let object = prop::collection::vec(
        (
            prop_oneof![
                9 => prop::sample::select(fields).prop_map(str::to_owned),
                1 => nasty_string(),
            ],
            nasty_value(),
        ),
        0..8,
    )
    .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<String, Value>>()));
    prop_oneof![9 => object, 1 => nasty_value()]
}

/// Half the time an arbitrary object; half the time a valid body with one field
/// replaced, which is what reaches the database (an arbitrary object is nearly always
/// refused for some other field first).
fn write_body(fields: &'static [&'static str], valid: Value) -> impl Strategy<Value = Value> {
    let one_field = (
        prop::sample::select(fields),
        prop_oneof![3 => leaf(), 1 => nasty_value()],
    )
        .prop_map(move |(field, value)| {
            let mut body = valid.clone();
            body[field] = value;
            body
        });
    prop_oneof![body(fields), one_field]
}

/// A menu: a name and a tree of items with arbitrary fields.
fn menu_body() -> BoxedStrategy<Value> {
    let item = || body(&["label", "kind", "target_id", "url", "parent_id", "position"]);
    let arbitrary = (nasty_value(), prop::collection::vec(item(), 0..4), item()).prop_map(
        |(name, mut items, child)| {
            if let Some(Value::Object(first)) = items.first_mut() {
                first.insert("children".into(), json!([child]));
            }
            json!({"name": name, "items": items})
        },
    );
    let valid = json!({"name": "n", "items": [{"label": "x", "kind": "url", "url": "/x"}]});
    let one_field = (
        prop::sample::select(&["label", "kind", "target_id", "url", "children"][..]),
        leaf(),
        leaf(),
    )
        .prop_map(move |(field, item_value, name)| {
            let mut body = valid.clone();
            body["items"][0][field] = item_value;
            if name.is_string() {
                body["name"] = name;
            }
            body
        });
    prop_oneof![arbitrary, one_field].boxed()
}

/// Each byte outside the unreserved set as `%XX`.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                (byte as char).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

fn sample<S: Strategy>(runner: &mut TestRunner, strategy: &S) -> S::Value {
    strategy
        .new_tree(runner)
        .unwrap_or_else(|e| panic!("cannot generate: {e}"))
        .current()
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: CASES,
        ..Config::default()
    })
}

/// Sends and checks: below 500, in time.
async fn probe(app: &TestApp, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) {
    let sent = actix_rt::time::timeout(DEADLINE, app.send(method, path, token, body, &[])).await;
    let response = sent.unwrap_or_else(|_| {
        panic!("{method} {path} did not answer within {DEADLINE:?}; body: {body:?}")
    });
    assert!(
        response.status.as_u16() < 500,
        "{method} {path} -> {}: {}\nbody sent: {}",
        response.status,
        response.text(),
        body.map(Value::to_string).unwrap_or_default()
    );
}

/// The fields of a typed write body, from its schema: exactly those its parser reads.
fn fields_of<T: utoipa::PartialSchema>() -> &'static [&'static str] {
    use utoipa::openapi::{schema::Schema, RefOr};
    let RefOr::T(Schema::Object(object)) = T::schema() else {
        panic!("a write body is an object");
    };
    let names: Vec<&'static str> = object
        .properties
        .into_keys()
        .map(|name| &*Box::leak(name.into_boxed_str()))
        .collect();
    Box::leak(names.into_boxed_slice())
}

#[actix_rt::test]
async fn arbitrary_bodies_to_every_write_route_never_get_5xx() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let category = app.category("news", "新闻", None);
    let tag = app.tag("humiao", "护苗");
    app.page("about", "关于", "published");
    let article = crate::support::ArticleBuilder::new("first", "第一篇")
        .category(category)
        .tags(&[tag])
        .insert(&app);
    let issue = app.issue("第1期", 2019, &[article]);
    app.menu("footer", &[("首页", "url", None, Some("/"))]);
    let item: i64 = {
        use diesel::prelude::*;
        use masthead::db::schema::menu_items;
        menu_items::table
            .select(menu_items::id)
            .first(&mut app.conn())
            .expect("menu item")
    };
    let media = app
        .send(
            "POST",
            "/api/v1/media",
            Some(&admin),
            Some(&json!({"url": "/a.jpg", "mime_type": "image/jpeg"})),
            &[],
        )
        .await
        .json()["id"]
        .as_i64()
        .expect("media id");
    let user = app.user("someone@example.com", Role::Author);

    // The fields each write reads, from the parsers themselves.
    use masthead::resources::{articles, categories, magazine, media, pages, site, tags};
    let article_fields = fields_of::<articles::types::NewArticle>();
    let category_fields = fields_of::<categories::types::CategoryChanges>();
    let tag_fields = fields_of::<tags::types::TagChanges>();
    let page_fields = fields_of::<pages::types::PageChanges>();
    let issue_fields = fields_of::<magazine::types::NewMagazineIssue>();
    let media_fields = fields_of::<media::types::NewMedia>();
    let site_fields = fields_of::<site::types::SiteChanges>();
    const ITEM: &[&str] = &["label", "kind", "target_id", "url", "parent_id", "position"];
    const USER: &[&str] = &["email", "name", "role", "password", "active"];
    const TOKEN: &[&str] = &["name", "role"];
    const LOGIN: &[&str] = &["email", "password"];
    const REFRESH: &[&str] = &["refresh_token"];

    let empty = json!({});
    let routes: Vec<(&str, String, &'static [&'static str], Value)> = vec![
        (
            "POST",
            "/api/v1/articles".into(),
            article_fields,
            json!({"title": "t"}),
        ),
        (
            "PATCH",
            format!("/api/v1/articles/{article}"),
            article_fields,
            empty.clone(),
        ),
        (
            "POST",
            "/api/v1/categories".into(),
            category_fields,
            json!({"name": "n"}),
        ),
        (
            "PATCH",
            "/api/v1/categories/news".into(),
            category_fields,
            empty.clone(),
        ),
        (
            "POST",
            "/api/v1/tags".into(),
            tag_fields,
            json!({"name": "n"}),
        ),
        (
            "PATCH",
            "/api/v1/tags/humiao".into(),
            tag_fields,
            empty.clone(),
        ),
        (
            "POST",
            "/api/v1/pages".into(),
            page_fields,
            json!({"title": "t"}),
        ),
        (
            "PATCH",
            "/api/v1/pages/about".into(),
            page_fields,
            empty.clone(),
        ),
        (
            "POST",
            "/api/v1/magazine/issues".into(),
            issue_fields,
            json!({"title": "t", "year": 2019, "published_on": "2019-01-01"}),
        ),
        (
            "PATCH",
            format!("/api/v1/magazine/issues/{issue}"),
            issue_fields,
            empty.clone(),
        ),
        (
            "POST",
            "/api/v1/media".into(),
            media_fields,
            json!({"url": "/a.jpg", "mime_type": "image/jpeg"}),
        ),
        (
            "PATCH",
            format!("/api/v1/media/{media}"),
            media_fields,
            empty.clone(),
        ),
        ("PATCH", "/api/v1/site".into(), site_fields, empty.clone()),
        (
            "POST",
            "/api/v1/menus/footer/items".into(),
            ITEM,
            json!({"label": "x", "kind": "url", "url": "/x"}),
        ),
        (
            "PATCH",
            format!("/api/v1/menus/footer/items/{item}"),
            ITEM,
            empty.clone(),
        ),
        (
            "POST",
            "/api/v1/users".into(),
            USER,
            json!({"email": "new@example.com", "name": "n", "role": "author", "password": "a long passphrase"}),
        ),
        (
            "PATCH",
            format!("/api/v1/users/{user}"),
            USER,
            empty.clone(),
        ),
        (
            "POST",
            "/api/v1/tokens".into(),
            TOKEN,
            json!({"name": "n", "role": "editor"}),
        ),
        (
            "POST",
            "/api/v1/auth/login".into(),
            LOGIN,
            json!({"email": "a@example.com", "password": "p"}),
        ),
        (
            "POST",
            "/api/v1/auth/refresh".into(),
            REFRESH,
            json!({"refresh_token": "x"}),
        ),
    ];
    let mut runner = runner();
    for (method, path, fields, valid) in &routes {
        let strategy = write_body(fields, valid.clone());
        for _ in 0..CASES {
            let value = sample(&mut runner, &strategy);
            probe(&app, method, path, Some(&admin), Some(&value)).await;
        }
    }
    let menus = menu_body();
    for _ in 0..CASES {
        let value = sample(&mut runner, &menus);
        probe(
            &app,
            "PUT",
            "/api/v1/menus/sidebar",
            Some(&admin),
            Some(&value),
        )
        .await;
    }
}

#[actix_rt::test]
async fn arbitrary_query_parameters_and_path_segments_never_get_5xx() {
    let app = TestApp::demo().await;
    let admin = app.token_for(Role::Admin).await;
    let lists: &[(&str, &[&str])] = &[
        (
            "/api/v1/articles",
            &[
                "category", "tag", "year", "month", "author", "sort", "page", "per_page", "cursor",
                "status",
            ],
        ),
        ("/api/v1/magazine/issues", &["year"]),
        ("/api/v1/audit", &["page", "per_page"]),
        ("/api/v1/site", &[]),
        ("/api/v1/categories", &[]),
        ("/api/v1/archive", &[]),
    ];
    let mut runner = runner();
    for (path, names) in lists {
        let names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
        let name = if names.is_empty() {
            nasty_string().boxed()
        } else {
            prop_oneof![9 => prop::sample::select(names), 1 => nasty_string()].boxed()
        };
        let query = prop::collection::vec((name, nasty_string()), 1..4);
        for _ in 0..CASES {
            let pairs = sample(&mut runner, &query);
            let query: Vec<String> = pairs
                .iter()
                .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
                .collect();
            let url = format!("{path}?{}", query.join("&"));
            // Anonymous and as an editor: `status` and the audit differ by token.
            probe(&app, "GET", &url, None, None).await;
            probe(&app, "GET", &url, Some(&admin), None).await;
        }
    }
    let segment = nasty_string().prop_filter("a path segment", |s| !s.is_empty());
    for template in [
        "/api/v1/articles/{}",
        "/api/v1/categories/{}",
        "/api/v1/tags/{}",
        "/api/v1/pages/{}",
        "/api/v1/menus/{}",
        "/api/v1/magazine/issues/{}",
        "/api/v1/media/{}",
        "/api/v1/users/{}",
        "/api/v1/preview/{}",
        "/api/v1/articles/{}/preview",
    ] {
        for _ in 0..CASES / 2 {
            let value = sample(&mut runner, &segment);
            let path = template.replace("{}", &percent_encode(&value));
            probe(&app, "GET", &path, None, None).await;
            probe(&app, "GET", &path, Some(&admin), None).await;
            probe(&app, "DELETE", &path, Some(&admin), None).await;
        }
    }
}
