//! `masthead export` / `import`: a round trip SQLite → PostgreSQL → SQLite gives identical
//! exports (SQLite → SQLite when no PostgreSQL is configured), and the imported site
//! serves the same pages.

use masthead::auth::Role;
use masthead::config::DatabaseUrl;
use serde_json::json;

use crate::support::{TestApp, POSTGRES_ENV};

fn export(url: &DatabaseUrl) -> String {
    let mut conn = masthead::db::connect(url).expect("connect");
    let mut out = Vec::new();
    masthead::portability::export(&mut conn, &mut out, true).expect("export");
    String::from_utf8(out).expect("utf-8")
}

fn import(url: &DatabaseUrl, text: &str) {
    let mut conn = masthead::db::connect(url).expect("connect");
    masthead::db::migrate(&mut conn).expect("migrate");
    masthead::portability::import(&mut conn, &mut text.as_bytes()).expect("import");
}

#[actix_rt::test]
async fn a_round_trip_through_both_backends_gives_identical_exports() {
    // A source site with everything: the demo, users, a renamed article (slug history).
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::demo().await;
    let source = app.database_url();
    let editor = app.token_for(Role::Editor).await;
    let renamed = app
        .send(
            "PATCH",
            "/api/v1/articles/family-civilization-team",
            Some(&editor),
            Some(&json!({"slug": "文明家庭"})),
            &[],
        )
        .await;
    assert_eq!(renamed.status, 200);

    let first = export(&source);
    assert!(
        first.lines().count() > 100,
        "{} lines",
        first.lines().count()
    );
    assert!(first.contains("\"table\":\"articles\""));
    assert!(first.contains("护苗有我"), "Chinese stays as characters");

    let middle_dir = tempfile::tempdir().expect("temp dir");
    let middle = crate::support::TestDatabase::create(&middle_dir); // PostgreSQL when configured
    import(&middle.url, &first);
    let second = export(&middle.url);
    assert_eq!(first, second, "export after import differs");

    let last = DatabaseUrl::Sqlite(dir.path().join("last.db"));
    import(&last, &second);
    assert_eq!(export(&last), first);

    // Into a database that is not empty: refused, nothing written.
    let mut conn = masthead::db::connect(&last).expect("connect");
    assert!(masthead::portability::import(&mut conn, &mut first.as_bytes()).is_err());
    if std::env::var(POSTGRES_ENV).is_err() {
        assert!(matches!(middle.url, DatabaseUrl::Sqlite(_)));
    }
    drop(app);
}

#[actix_rt::test]
async fn an_imported_site_serves_the_same_pages_and_users_need_a_new_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = DatabaseUrl::Sqlite(dir.path().join("source.db"));
    let mut config = masthead::config::Config::for_database(source.clone());
    config.demo = true;
    masthead::commands::serve::prepare(&config).expect("prepare");
    let mut conn = masthead::db::connect(&source).expect("connect");
    let hash = masthead::auth::passwords::hash(crate::support::PASSWORD).expect("hash");
    masthead::resources::users::queries::create(
        &mut conn,
        &masthead::auth::email::Email::normalize("ed@example.com"),
        "编辑",
        Role::Editor,
        &hash,
        crate::support::instant(crate::support::NOW),
    )
    .expect("user");
    let mut out = Vec::new();
    masthead::portability::export(&mut conn, &mut out, false).expect("export");
    let text = String::from_utf8(out).expect("utf-8");
    assert!(!text.contains("argon2"), "no password hashes unless asked");

    // TestApp::empty() is a fresh database of the configured backend, already migrated.
    let app = TestApp::empty().await;
    masthead::portability::import(&mut app.conn(), &mut text.as_bytes()).expect("import");
    let article = app
        .get_json("/api/v1/articles/humiao-safety-training-nanshan")
        .await;
    assert_eq!(
        article["next"]["title"],
        "深圳南山警方打掉一网络传播淫秽物品犯罪团伙,刑拘5人"
    );
    assert_eq!(article["related"].as_array().map(Vec::len), Some(6));
    // The site comes after the media record that is its logo.
    assert_eq!(
        app.get_json("/api/v1/site").await["logo"]["alt"],
        "南方大视野"
    );
    assert_eq!(
        app.get_json("/api/v1/menus/footer").await["items"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );
    let login = app
        .send(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(&json!({"email": "ed@example.com", "password": crate::support::PASSWORD})),
            &[],
        )
        .await;
    assert_eq!(
        login.status, 401,
        "an imported user without a hash cannot sign in until given a password"
    );
    // New rows after an import get fresh ids (sequences moved past the imported ones).
    let editor = app.token_for(Role::Editor).await;
    let created = app
        .send(
            "POST",
            "/api/v1/articles",
            Some(&editor),
            Some(&json!({"title": "导入后的新文章"})),
            &[],
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
}

#[actix_rt::test]
async fn an_import_refuses_instants_and_dates_outside_the_stored_range() {
    let source = TestApp::empty().await;
    crate::support::ArticleBuilder::new("far", "极远")
        .at("2021-11-16T10:00:00+08:00")
        .insert(&source);
    source.issue("大视野第85期", 2019, &[]);
    let text = export(&source.database_url());
    for (good, bad, column) in [
        (
            "\"published_at\":\"2021-11-16T02:00:00.000000\"",
            "\"published_at\":\"+10000-01-01T11:00:00.000000\"",
            "articles.published_at",
        ),
        (
            "\"published_on\":\"2019-01-01\"",
            "\"published_on\":\"9999-12-31\"",
            "magazine_issues.published_on",
        ),
    ] {
        assert!(text.contains(good), "{good} in the export: {text}");
        let target = TestApp::empty().await;
        let refused = masthead::portability::import(
            &mut target.conn(),
            &mut text.replace(good, bad).as_bytes(),
        );
        let message = refused.expect_err("out of range: refused");
        assert!(message.contains(column), "{column}: {message}");
        assert_eq!(
            target.get_json("/api/v1/articles").await["meta"]["total"],
            0,
            "nothing written"
        );
    }
}
