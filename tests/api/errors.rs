use crate::support::TestApp;

#[actix_rt::test]
async fn bad_list_parameters_are_400_naming_the_parameter() {
    let app = TestApp::empty().await;
    for (query, field) in [
        ("per_page=0", "per_page"),
        ("per_page=1000", "per_page"),
        ("per_page=abc", "per_page"),
        ("page=-1", "page"),
        ("page=0", "page"),
        ("page=1.5", "page"),
        ("year=abc", "year"),
        ("year=99999", "year"),
        ("month=13&year=2021", "month"),
        ("sort=title", "sort"),
        ("sort=", "sort"),
        ("cursor=%%%", "cursor"),
        ("author=", "author"),
        ("categry=news", "categry"),
        ("page=1&page=2", "page"),
    ] {
        let problem = app
            .get_problem(&format!("/api/v1/articles?{query}"), 400)
            .await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap_or_default()
                .contains(field),
            "{query}: the detail names the parameter: {problem}"
        );
        assert_eq!(problem["type"], "/problems/invalid-parameter");
        assert_eq!(problem["title"], "Invalid parameter");
    }
}

#[actix_rt::test]
async fn unknown_things_are_404_problems() {
    let app = TestApp::empty().await;
    for path in [
        "/api/v1/articles/nope",
        "/api/v1/categories/nope",
        "/api/v1/tags/nope",
        "/api/v1/pages/nope",
        "/api/v1/menus/nope",
        "/api/v1/magazine/issues/12345",
        "/api/v1/nope",
        "/nope",
    ] {
        let problem = app.get_problem(path, 404).await;
        assert!(
            problem["type"]
                .as_str()
                .unwrap_or_default()
                .starts_with("/problems/"),
            "{path}"
        );
    }
    let article = app.get_problem("/api/v1/articles/nope", 404).await;
    assert_eq!(article["detail"], "article `nope` not found");
    assert_eq!(article["code"], "not_found");
    // A long path is quoted in part: the answer does not grow with the URL.
    for path in [
        format!("/api/v1/{}", "长".repeat(5000)),
        format!("/api/v1/articles/{}", "a".repeat(20_000)),
    ] {
        let encoded = path.replace('长', "%E9%95%BF");
        let problem = app.get_problem(&encoded, 404).await;
        let detail = problem["detail"].as_str().unwrap_or_default();
        assert!(
            detail.chars().count() < 300 && detail.contains('…'),
            "{detail}"
        );
    }
}

#[actix_rt::test]
async fn methods_a_resource_does_not_have_are_405() {
    let app = TestApp::empty().await;
    let response = app
        .server
        .put("/api/v1/site")
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 405);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    assert_eq!(
        response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok()),
        Some("GET, PATCH")
    );
    let login = app.send("GET", "/api/v1/auth/login", None, None, &[]).await;
    assert_eq!(login.status, 405);
    assert_eq!(login.header("allow").as_deref(), Some("POST"));
    let article = app.send("PUT", "/api/v1/articles/7", None, None, &[]).await;
    assert_eq!(article.status, 405);
    assert_eq!(
        article.header("allow").as_deref(),
        Some("GET, DELETE, PATCH")
    );
    let nowhere = app.send("POST", "/api/v1/nowhere", None, None, &[]).await;
    assert_eq!(
        nowhere.status, 404,
        "an unknown path is 404 whatever the method"
    );
}

#[actix_rt::test]
async fn head_answers_like_get_without_a_body() {
    let app = TestApp::empty().await;
    let response = app
        .server
        .head("/api/v1/site")
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("etag").is_some());
    let missing = app
        .server
        .head("/api/v1/pages/nope")
        .send()
        .await
        .expect("request sent");
    assert_eq!(missing.status(), 404);
}

/// Several bad parameters are named in one 400, as a body's 422 names every bad field.
#[actix_rt::test]
async fn every_bad_parameter_is_named_at_once() {
    let app = TestApp::empty().await;
    for (path, expected) in [
        (
            "/api/v1/articles?per_page=0&page=0&year=1&sort=x",
            vec!["page", "per_page", "sort", "year"],
        ),
        (
            "/api/v1/articles?month=13&year=abc&q=%22",
            vec!["month", "q", "year"],
        ),
        (
            "/api/v1/search?q=&page=0&per_page=0&from=x",
            vec!["from", "page", "per_page", "q"],
        ),
        (
            "/api/v1/search?q=a&from=2021-02-01&to=2021-01-01&per_page=0",
            vec!["per_page", "to"],
        ),
        ("/api/v1/search/suggest?limit=99", vec!["limit", "q"]),
    ] {
        let problem = app.get_problem(path, 400).await;
        let mut named: Vec<&str> = problem["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|error| error["field"].as_str().unwrap_or_default())
            .collect();
        named.sort_unstable();
        assert_eq!(named, expected, "{path}: {problem}");
        assert_eq!(problem["title"], "Invalid parameter", "{path}");
        for field in expected {
            assert!(
                problem["detail"]
                    .as_str()
                    .unwrap_or_default()
                    .contains(field),
                "{path}: {problem}"
            );
        }
    }
}
