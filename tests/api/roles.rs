//! Every write endpoint against every role: 401 without a token, 403 for a role that may
//! not, and past the role check (2xx, or 404/422 for the made-up data) for one that may.

use masthead::auth::Role;
use serde_json::{json, Value};

use crate::support::{ArticleBuilder, TestApp};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Nobody,
    Author,
    Editor,
    Admin,
}

#[actix_rt::test]
async fn every_write_endpoint_checks_the_role() {
    let app = TestApp::empty().await;
    let author = app.token_for(Role::Author).await;
    let editor = app.token_for(Role::Editor).await;
    let admin = app.token_for(Role::Admin).await;
    let category = app.category("news", "新闻", None);
    app.tag("humiao", "护苗");
    app.page("about", "关于我们", "published");
    let issue = app.issue("第85期", 2019, &[]);
    let others = ArticleBuilder::new("others", "别人的稿子")
        .draft()
        .insert(&app);
    app.menu("header", &[("首页", "url", None, Some("/"))]);
    let media = app
        .send(
            "POST",
            "/api/v1/media",
            Some(&admin),
            Some(&json!({"url": "/m.jpg", "mime_type": "image/jpeg"})),
            &[],
        )
        .await
        .json()["id"]
        .as_i64()
        .expect("media id");
    let user = app.user("someone@example.com", Role::Author);

    // (method, path, body, the least role allowed)
    let endpoints: Vec<(&str, String, Option<Value>, Who)> = vec![
        (
            "POST",
            "/api/v1/articles".into(),
            Some(json!({"title": "新稿"})),
            Who::Author,
        ),
        (
            "PATCH",
            format!("/api/v1/articles/{others}"),
            Some(json!({"title": "改"})),
            Who::Editor,
        ),
        (
            "GET",
            format!("/api/v1/articles/{others}/preview"),
            None,
            Who::Editor,
        ),
        (
            "POST",
            format!("/api/v1/articles/{others}/preview-link"),
            None,
            Who::Editor,
        ),
        (
            "DELETE",
            format!("/api/v1/articles/{others}"),
            None,
            Who::Editor,
        ),
        (
            "POST",
            "/api/v1/categories".into(),
            Some(json!({"name": "新类"})),
            Who::Editor,
        ),
        (
            "PATCH",
            "/api/v1/categories/news".into(),
            Some(json!({"description": "d"})),
            Who::Editor,
        ),
        (
            "DELETE",
            format!("/api/v1/categories/{category}"),
            None,
            Who::Editor,
        ),
        (
            "POST",
            "/api/v1/tags".into(),
            Some(json!({"name": "新标签"})),
            Who::Editor,
        ),
        (
            "PATCH",
            "/api/v1/tags/humiao".into(),
            Some(json!({"description": "d"})),
            Who::Editor,
        ),
        ("DELETE", "/api/v1/tags/humiao".into(), None, Who::Editor),
        (
            "POST",
            "/api/v1/pages".into(),
            Some(json!({"title": "新页"})),
            Who::Editor,
        ),
        (
            "PATCH",
            "/api/v1/pages/about".into(),
            Some(json!({"summary": "s"})),
            Who::Editor,
        ),
        ("DELETE", "/api/v1/pages/about".into(), None, Who::Editor),
        (
            "PUT",
            "/api/v1/menus/footer".into(),
            Some(json!({"name": "页脚", "items": []})),
            Who::Editor,
        ),
        ("DELETE", "/api/v1/menus/header".into(), None, Who::Editor),
        (
            "POST",
            "/api/v1/magazine/issues".into(),
            Some(json!({"title": "第86期", "year": 2019, "published_on": "2019-02-01"})),
            Who::Editor,
        ),
        (
            "PATCH",
            format!("/api/v1/magazine/issues/{issue}"),
            Some(json!({"description": "d"})),
            Who::Editor,
        ),
        (
            "DELETE",
            format!("/api/v1/magazine/issues/{issue}"),
            None,
            Who::Editor,
        ),
        (
            "POST",
            "/api/v1/media".into(),
            Some(json!({"url": "/n.jpg", "mime_type": "image/jpeg"})),
            Who::Author,
        ),
        (
            "PATCH",
            format!("/api/v1/media/{media}"),
            Some(json!({"alt": "a"})),
            Who::Editor,
        ),
        (
            "DELETE",
            format!("/api/v1/media/{media}"),
            None,
            Who::Editor,
        ),
        (
            "PATCH",
            "/api/v1/site".into(),
            Some(json!({"credits": "c"})),
            Who::Admin,
        ),
        ("GET", "/api/v1/users".into(), None, Who::Admin),
        (
            "POST",
            "/api/v1/users".into(),
            Some(
                json!({"email": "n@example.com", "name": "n", "role": "author", "password": "a long passphrase"}),
            ),
            Who::Admin,
        ),
        (
            "PATCH",
            format!("/api/v1/users/{user}"),
            Some(json!({"name": "m"})),
            Who::Admin,
        ),
        ("DELETE", format!("/api/v1/users/{user}"), None, Who::Admin),
        ("GET", "/api/v1/audit".into(), None, Who::Admin),
        ("GET", "/api/v1/tokens".into(), None, Who::Admin),
        (
            "POST",
            "/api/v1/tokens".into(),
            Some(json!({"name": "ci", "role": "editor"})),
            Who::Admin,
        ),
        (
            "GET",
            "/api/v1/articles?status=draft".into(),
            None,
            Who::Author,
        ),
    ];
    let rank = |who: Who| match who {
        Who::Nobody => 0,
        Who::Author => 1,
        Who::Editor => 2,
        Who::Admin => 3,
    };
    // Refusals first, then the allowed calls from the highest role down, so a delete by an
    // admin does not hide what an editor would have met.
    for (method, path, body, least) in &endpoints {
        for (who, token) in [
            (Who::Nobody, None),
            (Who::Author, Some(&author)),
            (Who::Editor, Some(&editor)),
        ] {
            if rank(who) >= rank(*least) {
                continue;
            }
            let response = app
                .send(method, path, token.map(String::as_str), body.as_ref(), &[])
                .await;
            let expected = if who == Who::Nobody { 401 } else { 403 };
            let status = response.status.as_u16();
            // An author asking for someone else's draft sees nothing there.
            let hidden = who == Who::Author && status == 404 && path.contains(&others.to_string());
            assert!(
                status == expected || hidden,
                "{method} {path} as {who:?}: {status} {}",
                response.text()
            );
        }
    }
    for (method, path, body, least) in &endpoints {
        let token = match least {
            Who::Author => &author,
            Who::Editor => &editor,
            _ => &admin,
        };
        let response = app
            .send(method, path, Some(token), body.as_ref(), &[])
            .await;
        let status = response.status.as_u16();
        assert!(
            status < 400,
            "{method} {path} as {least:?}: {status} {}",
            response.text()
        );
    }
}
