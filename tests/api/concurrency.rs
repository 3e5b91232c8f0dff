//! Many editors at once: racing writers through HTTP, on whichever backend the suite runs.
//! Exactly one of N writers holding the same `If-Match` wins; partial PATCHes without it
//! lose no field; creates with one title all succeed with distinct slugs; and a mixed
//! write load answers no 5xx.

use std::collections::HashSet;

use futures_util::future::join_all;
use masthead::auth::Role;
use serde_json::{json, Value};

use crate::support::{Response, TestApp};

const RACERS: usize = 12;

/// One request of a race: method, path, body, `If-Match`.
type Call = (&'static str, String, Option<Value>, Option<String>);

/// Sends every call at once and returns the answers in the same order.
async fn race(app: &TestApp, token: &str, calls: &[Call]) -> Vec<Response> {
    join_all(calls.iter().map(|(method, path, body, if_match)| {
        let headers: Vec<(&str, &str)> = if_match
            .as_deref()
            .map(|etag| vec![("if-match", etag)])
            .unwrap_or_default();
        async move {
            app.send(method, path, Some(token), body.as_ref(), &headers)
                .await
        }
    }))
    .await
}

fn statuses(responses: &[Response]) -> Vec<u16> {
    responses.iter().map(|r| r.status.as_u16()).collect()
}

/// Creates a resource and returns (its path, its ETag).
async fn create(app: &TestApp, token: &str, path: &str, body: Value) -> (String, String) {
    let created = app.send("POST", path, Some(token), Some(&body), &[]).await;
    assert_eq!(created.status, 201, "POST {path}: {}", created.text());
    let location = created.header("location").expect("location");
    let etag = created.header("etag").expect("etag");
    (location, etag)
}

/// A resource to race on: its path, its ETag, and a PATCH body that differs per racer.
struct Target {
    name: &'static str,
    path: String,
    etag: String,
    method: &'static str,
    body: fn(usize) -> Value,
}

async fn targets(app: &TestApp, admin: &str) -> Vec<Target> {
    let (article, article_etag) =
        create(app, admin, "/api/v1/articles", json!({"title": "竞争"})).await;
    let (category, category_etag) =
        create(app, admin, "/api/v1/categories", json!({"name": "新闻"})).await;
    let (tag, tag_etag) = create(app, admin, "/api/v1/tags", json!({"name": "护苗"})).await;
    let (page, page_etag) = create(app, admin, "/api/v1/pages", json!({"title": "关于"})).await;
    let (issue, issue_etag) = create(
        app,
        admin,
        "/api/v1/magazine/issues",
        json!({"title": "第85期", "year": 2019, "published_on": "2019-01-01"}),
    )
    .await;
    let (media, media_etag) = create(
        app,
        admin,
        "/api/v1/media",
        json!({"url": "/m.jpg", "mime_type": "image/jpeg"}),
    )
    .await;
    let (user, user_etag) = create(
        app,
        admin,
        "/api/v1/users",
        json!({"email": "race@example.com", "name": "r", "role": "author", "password": "a long passphrase"}),
    )
    .await;
    let menu = app
        .send(
            "PUT",
            "/api/v1/menus/header",
            Some(admin),
            Some(&json!({"name": "页头", "items": [{"label": "首页", "kind": "url", "url": "/"}]})),
            &[],
        )
        .await;
    assert!(menu.status.is_success(), "PUT menu: {}", menu.text());
    let menu_etag = menu.header("etag").expect("menu etag");
    let item_id = menu.json()["items"][0]["id"].as_i64().expect("item id");
    let footer = app
        .send(
            "PUT",
            "/api/v1/menus/footer",
            Some(admin),
            Some(&json!({"name": "页脚", "items": []})),
            &[],
        )
        .await;
    assert!(footer.status.is_success(), "PUT menu: {}", footer.text());
    let footer_etag = footer.header("etag").expect("menu etag");
    let site = app
        .send("GET", "/api/v1/site", Some(admin), None, &[])
        .await;
    let site_etag = site.header("etag").expect("site etag");
    vec![
        Target {
            name: "article",
            path: article,
            etag: article_etag,
            method: "PATCH",
            body: |n| json!({"summary": format!("摘要{n}")}),
        },
        Target {
            name: "category",
            path: category,
            etag: category_etag,
            method: "PATCH",
            body: |n| json!({"description": format!("说明{n}")}),
        },
        Target {
            name: "tag",
            path: tag,
            etag: tag_etag,
            method: "PATCH",
            body: |n| json!({"description": format!("说明{n}")}),
        },
        Target {
            name: "page",
            path: page,
            etag: page_etag,
            method: "PATCH",
            body: |n| json!({"summary": format!("摘要{n}")}),
        },
        Target {
            name: "magazine issue",
            path: issue,
            etag: issue_etag,
            method: "PATCH",
            body: |n| json!({"description": format!("说明{n}")}),
        },
        Target {
            name: "media",
            path: media,
            etag: media_etag,
            method: "PATCH",
            body: |n| json!({"alt": format!("图{n}")}),
        },
        Target {
            name: "user",
            path: user,
            etag: user_etag,
            method: "PATCH",
            body: |n| json!({"name": format!("用户{n}")}),
        },
        Target {
            name: "menu",
            path: "/api/v1/menus/footer".into(),
            etag: footer_etag,
            method: "PUT",
            body: |n| json!({"name": format!("页头{n}"), "items": []}),
        },
        Target {
            name: "menu item",
            path: format!("/api/v1/menus/header/items/{item_id}"),
            etag: menu_etag,
            method: "PATCH",
            body: |n| json!({"label": format!("首页{n}"), "kind": "url", "url": "/"}),
        },
        Target {
            name: "site",
            path: "/api/v1/site".into(),
            etag: site_etag,
            method: "PATCH",
            body: |n| json!({"credits": format!("鸣谢{n}")}),
        },
    ]
}

fn version(etag: &str) -> i64 {
    etag.trim_matches('"').parse().expect("a version ETag")
}

#[actix_rt::test]
async fn of_racing_writers_with_one_if_match_exactly_one_wins() {
    let app = TestApp::demo().await;
    let admin = app.token_for(Role::Admin).await;
    for target in targets(&app, &admin).await {
        let calls: Vec<Call> = (0..RACERS)
            .map(|n| {
                (
                    target.method,
                    target.path.clone(),
                    Some((target.body)(n)),
                    Some(target.etag.clone()),
                )
            })
            .collect();
        let answers = race(&app, &admin, &calls).await;
        let codes = statuses(&answers);
        let winners: Vec<&Response> = answers.iter().filter(|r| r.status == 200).collect();
        assert_eq!(winners.len(), 1, "{}: {codes:?}", target.name);
        assert_eq!(
            codes.iter().filter(|code| **code == 412).count(),
            RACERS - 1,
            "{}: {codes:?}",
            target.name
        );
        let new_etag = winners[0].header("etag").expect("etag");
        assert_eq!(
            version(&new_etag),
            version(&target.etag) + 1,
            "{}: the version moved once",
            target.name
        );
    }
}

/// One real change racing empty `PATCH`es with the same ETag: the change is written once;
/// an empty one that ran first answers the old ETag (it wrote nothing), one that ran after
/// is 412, as any stale writer.
#[actix_rt::test]
async fn a_change_racing_changes_that_change_nothing_is_written_once() {
    let app = TestApp::demo().await;
    let admin = app.token_for(Role::Admin).await;
    for target in targets(&app, &admin).await {
        if target.method != "PATCH" {
            continue;
        }
        let calls: Vec<Call> = (0..RACERS)
            .map(|n| {
                let body = if n == RACERS / 2 {
                    (target.body)(n)
                } else {
                    json!({})
                };
                (
                    "PATCH",
                    target.path.clone(),
                    Some(body),
                    Some(target.etag.clone()),
                )
            })
            .collect();
        let answers = race(&app, &admin, &calls).await;
        let codes = statuses(&answers);
        let changed = &answers[RACERS / 2];
        assert_eq!(changed.status, 200, "{}: {codes:?}", target.name);
        let new_etag = changed.header("etag").expect("etag");
        assert_eq!(
            version(&new_etag),
            version(&target.etag) + 1,
            "{}",
            target.name
        );
        for (n, answer) in answers.iter().enumerate() {
            if n == RACERS / 2 {
                continue;
            }
            match answer.status.as_u16() {
                200 => assert_eq!(
                    answer.header("etag"),
                    Some(target.etag.clone()),
                    "{}",
                    target.name
                ),
                412 => {}
                other => panic!("{}: {other} in {codes:?}", target.name),
            }
        }
        // An item's ETag is its menu's.
        let read = target.path.split("/items/").next().unwrap_or_default();
        let now = app.send("GET", read, Some(&admin), None, &[]).await;
        assert_eq!(
            now.header("etag"),
            Some(new_etag),
            "{}: the change stays",
            target.name
        );
    }
}

#[actix_rt::test]
async fn of_racing_deletes_with_one_if_match_exactly_one_wins() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    for target in targets(&app, &admin).await {
        if matches!(target.name, "site" | "menu item") {
            continue;
        }
        let calls: Vec<Call> = (0..RACERS)
            .map(|_| {
                (
                    "DELETE",
                    target.path.clone(),
                    None,
                    Some(target.etag.clone()),
                )
            })
            .collect();
        let codes = statuses(&race(&app, &admin, &calls).await);
        assert_eq!(
            codes.iter().filter(|code| **code == 204).count(),
            1,
            "{}: {codes:?}",
            target.name
        );
        assert!(
            codes.iter().all(|code| matches!(code, 204 | 404 | 412)),
            "{}: {codes:?}",
            target.name
        );
    }
}

#[actix_rt::test]
async fn concurrent_partial_patches_lose_no_field() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let fields = [
        "title",
        "subtitle",
        "summary",
        "source",
        "author_name",
        "seo_title",
        "seo_description",
    ];
    for round in 0..5 {
        let (path, etag) = create(
            &app,
            &editor,
            "/api/v1/articles",
            json!({"title": format!("第{round}轮")}),
        )
        .await;
        let calls: Vec<Call> = fields
            .iter()
            .map(|field| {
                (
                    "PATCH",
                    path.clone(),
                    Some(json!({ *field: format!("{field}-{round}") })),
                    None,
                )
            })
            .collect();
        let codes = statuses(&race(&app, &editor, &calls).await);
        assert!(codes.iter().all(|code| *code == 200), "{codes:?}");
        let after = app.send("GET", &path, Some(&editor), None, &[]).await;
        let article = after.json();
        for field in fields {
            let stored = match field {
                "seo_title" => &article["seo"]["title"],
                "seo_description" => &article["seo"]["description"],
                _ => &article[field],
            };
            assert_eq!(
                *stored,
                format!("{field}-{round}"),
                "round {round}: {field} was lost"
            );
        }
        assert_eq!(
            version(&after.header("etag").expect("etag")),
            version(&etag) + fields.len() as i64,
            "every PATCH moved the version once"
        );
    }
}

#[actix_rt::test]
async fn concurrent_creates_with_one_title_get_distinct_slugs() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    for (path, body) in [
        ("/api/v1/articles", json!({"title": "护苗有我"})),
        ("/api/v1/categories", json!({"name": "护苗有我"})),
        ("/api/v1/tags", json!({"name": "护苗有我"})),
        ("/api/v1/pages", json!({"title": "护苗有我"})),
    ] {
        let calls: Vec<Call> = (0..RACERS)
            .map(|_| ("POST", path.to_owned(), Some(body.clone()), None))
            .collect();
        let answers = race(&app, &editor, &calls).await;
        assert!(
            answers.iter().all(|r| r.status == 201),
            "{path}: {:?} {}",
            statuses(&answers),
            answers
                .iter()
                .find(|r| r.status != 201)
                .map(Response::text)
                .unwrap_or_default()
        );
        let slugs: HashSet<String> = answers
            .iter()
            .map(|r| r.json()["slug"].as_str().expect("slug").to_owned())
            .collect();
        assert_eq!(slugs.len(), RACERS, "{path}: {slugs:?}");
        assert!(slugs.contains("hu-miao-you-wo"), "{path}: {slugs:?}");
        assert!(
            slugs.contains(&format!("hu-miao-you-wo-{RACERS}")),
            "{path}: {slugs:?}"
        );
    }
}

#[actix_rt::test]
async fn a_mixed_concurrent_write_load_answers_no_5xx() {
    let app = TestApp::demo().await;
    let admin = app.token_for(Role::Admin).await;
    let targets = targets(&app, &admin).await;
    let mut calls: Vec<Call> = Vec::new();
    for round in 0..4 {
        for target in &targets {
            // The same row from every side: with and without If-Match, and deletes.
            calls.push((
                target.method,
                target.path.clone(),
                Some((target.body)(round)),
                None,
            ));
            calls.push((
                target.method,
                target.path.clone(),
                Some((target.body)(round + 100)),
                Some(target.etag.clone()),
            ));
            if round == 3 && !matches!(target.name, "site" | "user") {
                calls.push(("DELETE", target.path.clone(), None, None));
            }
        }
        calls.push((
            "POST",
            "/api/v1/articles".into(),
            Some(json!({"title": "同时"})),
            None,
        ));
        calls.push((
            "POST",
            "/api/v1/tags".into(),
            Some(json!({"name": "同时"})),
            None,
        ));
        calls.push((
            "POST",
            "/api/v1/menus/header/items".into(),
            Some(json!({"label": "新", "kind": "url", "url": "/new"})),
            None,
        ));
    }
    let answers = race(&app, &admin, &calls).await;
    for (call, answer) in calls.iter().zip(&answers) {
        assert!(
            answer.status.as_u16() < 500,
            "{} {}: {} {}",
            call.0,
            call.1,
            answer.status,
            answer.text()
        );
    }
}

#[actix_rt::test]
async fn a_menu_put_racing_a_delete_answers_with_the_menu_it_wrote() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let body = json!({"name": "页脚", "items": [{"label": "首页", "kind": "url", "url": "/"}]});
    let mut calls: Vec<Call> = Vec::new();
    for _ in 0..12 {
        calls.push((
            "PUT",
            "/api/v1/menus/footer".into(),
            Some(body.clone()),
            None,
        ));
        calls.push(("DELETE", "/api/v1/menus/footer".into(), None, None));
    }
    let answers = race(&app, &admin, &calls).await;
    for (call, answer) in calls.iter().zip(&answers) {
        // A PUT that wrote is 200 or 201 with the menu it wrote, whatever lands after it.
        let expected: &[u16] = match call.0 {
            "PUT" => &[200, 201],
            _ => &[204, 404],
        };
        assert!(
            expected.contains(&answer.status.as_u16()),
            "{} {}: {} {}",
            call.0,
            call.1,
            answer.status,
            answer.text()
        );
        if call.0 == "PUT" {
            assert_eq!(answer.json()["items"][0]["label"], "首页");
        }
    }
}

#[actix_rt::test]
async fn a_media_delete_racing_writes_that_use_it_never_leaves_content_pointing_at_nothing() {
    // Each round: one DELETE of a media record against an article and a magazine issue that
    // take it as their cover. Whichever lands first decides: the delete (204, then the
    // writes are 422 naming the missing record) or a write (then the delete is 409).
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    for round in 0..6 {
        let (media, _) = create(
            &app,
            &admin,
            "/api/v1/media",
            json!({"url": format!("/m{round}.jpg"), "mime_type": "image/jpeg"}),
        )
        .await;
        let id: i64 = media
            .rsplit('/')
            .next()
            .and_then(|id| id.parse().ok())
            .expect("id");
        let calls: Vec<Call> = vec![
            ("DELETE", media.clone(), None, None),
            (
                "POST",
                "/api/v1/articles".into(),
                Some(json!({"title": format!("封面{round}"), "cover_media_id": id})),
                None,
            ),
            (
                "POST",
                "/api/v1/magazine/issues".into(),
                Some(
                    json!({"title": format!("第{round}期"), "year": 2021, "published_on": "2021-11-01", "cover_media_id": id}),
                ),
                None,
            ),
        ];
        let answers = race(&app, &admin, &calls).await;
        let [deleted, article, issue] = statuses(&answers)[..] else {
            unreachable!()
        };
        match deleted {
            204 => {
                // Writes after the delete: refused; writes before it would have made it 409.
                assert_eq!(
                    (article, issue),
                    (422, 422),
                    "round {round}: {:?}",
                    statuses(&answers)
                );
            }
            409 => {
                assert!(
                    article == 201 || issue == 201,
                    "round {round}: {:?}",
                    statuses(&answers)
                );
                let still = app.send("GET", &media, Some(&admin), None, &[]).await;
                assert_eq!(still.status, 200);
            }
            other => panic!(
                "round {round}: delete answered {other}: {}",
                answers[0].text()
            ),
        }
        for (answer, path) in [(&answers[1], "cover"), (&answers[2], "cover")] {
            if answer.status == 201 {
                let location = answer.header("location").expect("location");
                let shown = app.send("GET", &location, Some(&admin), None, &[]).await;
                assert_eq!(shown.json()[path]["id"], id, "a kept write shows the cover");
            }
        }
    }
}

/// An uploaded picture only article bodies show, racing its own delete: whichever lands
/// first decides. The delete first: the bodies are refused (422 naming `body_html`); a body
/// first: the delete is 409. No acknowledged body shows a picture that is gone.
#[actix_rt::test]
async fn a_media_delete_racing_bodies_that_show_it_never_leaves_a_body_pointing_at_nothing() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    for round in 0..4 {
        let picture = crate::pictures::jpeg(64, 48);
        let uploaded =
            crate::pictures::upload(&app, &admin, &[("file", Some("a.jpg"), &picture)]).await;
        assert_eq!(uploaded.status, 201, "{}", uploaded.text());
        let record = uploaded.json();
        let (id, url) = (
            record["id"].as_i64().expect("id"),
            record["url"].as_str().expect("url").to_owned(),
        );
        let body = format!("<p>正文</p><img src=\"{url}\" alt=\"图\">");
        let calls: Vec<Call> = vec![
            ("DELETE", format!("/api/v1/media/{id}"), None, None),
            (
                "POST",
                "/api/v1/articles".into(),
                Some(json!({"title": format!("正文图{round}"), "body_html": body})),
                None,
            ),
            (
                "POST",
                "/api/v1/articles".into(),
                Some(json!({"title": format!("正文图{round}乙"), "body_html": body})),
                None,
            ),
        ];
        let answers = race(&app, &admin, &calls).await;
        let codes = statuses(&answers);
        match codes[0] {
            204 => assert_eq!(codes[1..], [422, 422], "round {round}"),
            409 => assert!(codes[1..].contains(&201), "round {round}: {codes:?}"),
            other => panic!(
                "round {round}: delete answered {other}: {}",
                answers[0].text()
            ),
        }
        for answer in answers[1..].iter().filter(|answer| answer.status == 201) {
            let location = answer.header("location").expect("location");
            let shown = app
                .send("GET", &location, Some(&admin), None, &[])
                .await
                .json();
            assert_eq!(
                shown["images"][0]["id"], id,
                "a kept body's picture is the article's: {shown}"
            );
            let still = app
                .send(
                    "GET",
                    &format!("/api/v1/media/{id}"),
                    Some(&admin),
                    None,
                    &[],
                )
                .await;
            assert_eq!(still.status, 200, "round {round}");
        }
        for answer in answers[1..].iter().filter(|answer| answer.status == 422) {
            assert!(answer.text().contains("body_html"), "{}", answer.text());
        }
    }
}

#[actix_rt::test]
async fn a_logo_change_racing_the_delete_of_its_record_never_leaves_the_site_pointing_at_nothing() {
    // Each round: a PATCH making a new media record the site logo against a DELETE of that
    // record. Whichever lands first decides: the delete (204, then the PATCH is 422 naming
    // `logo_media_id` and the logo stays as it was) or the PATCH (200, then the delete is
    // 409 and the record stays).
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    for round in 0..8 {
        let (media, _) = create(
            &app,
            &admin,
            "/api/v1/media",
            json!({"url": format!("/logo{round}.png"), "mime_type": "image/png"}),
        )
        .await;
        let id: i64 = media
            .rsplit('/')
            .next()
            .and_then(|id| id.parse().ok())
            .expect("id");
        let before = app.get_json("/api/v1/site").await["logo"].clone();
        // Alternate which request is sent first.
        let patch: Call = (
            "PATCH",
            "/api/v1/site".into(),
            Some(json!({"logo_media_id": id})),
            None,
        );
        let delete: Call = ("DELETE", media.clone(), None, None);
        let calls = if round % 2 == 0 {
            vec![patch, delete]
        } else {
            vec![delete, patch]
        };
        let answers = race(&app, &admin, &calls).await;
        let (patched, deleted) = if round % 2 == 0 {
            (&answers[0], &answers[1])
        } else {
            (&answers[1], &answers[0])
        };
        let site = app.get_json("/api/v1/site").await;
        let kept = app.send("GET", &media, Some(&admin), None, &[]).await;
        match (patched.status.as_u16(), deleted.status.as_u16()) {
            (200, 409) => {
                assert_eq!(site["logo"]["id"], id, "round {round}: {site}");
                assert_eq!(kept.status, 200, "round {round}: the record stays");
            }
            (422, 204) => {
                assert_eq!(
                    patched.json()["errors"][0]["field"],
                    "logo_media_id",
                    "round {round}: {}",
                    patched.text()
                );
                assert_eq!(site["logo"], before, "round {round}: the logo is unchanged");
                assert_eq!(kept.status, 404, "round {round}: the record is gone");
            }
            other => panic!(
                "round {round}: (PATCH, DELETE) answered {other:?}: {} / {}",
                patched.text(),
                deleted.text()
            ),
        }
        // Whatever won, the logo the site shows is a record that exists.
        if let Some(logo) = site["logo"]["id"].as_i64() {
            let shown = app
                .send(
                    "GET",
                    &format!("/api/v1/media/{logo}"),
                    Some(&admin),
                    None,
                    &[],
                )
                .await;
            assert_eq!(shown.status, 200, "round {round}: {site}");
        }
    }
}
