//! `masthead export` / `import`: a round trip SQLite → PostgreSQL → SQLite gives identical
//! exports (SQLite → SQLite when no PostgreSQL is configured), and the imported site
//! serves the same pages. The uploaded files travel too, through the command line as an
//! operator runs it: an imported site serves the same pictures, byte for byte; a damaged
//! export leaves nothing behind; `masthead backup` copies the files beside the database.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use clap::Parser;
use diesel::prelude::*;
use masthead::auth::Role;
use masthead::config::DatabaseUrl;
use masthead::db::schema::{media, users};
use masthead::portability::ExportOptions;
use masthead::storage::StoreUrl;
use serde_json::{json, Value};

use crate::pictures::{jpeg, upload};
use crate::support::{TestApp, POSTGRES_ENV};

fn export(url: &DatabaseUrl) -> String {
    let mut conn = masthead::db::connect(url).expect("connect");
    let mut out = Vec::new();
    let options = ExportOptions {
        with_password_hashes: true,
        files: None,
    };
    masthead::portability::export(&mut conn, &mut out, options).expect("export");
    String::from_utf8(out).expect("utf-8")
}

fn import(url: &DatabaseUrl, text: &str) {
    let mut conn = masthead::db::connect(url).expect("connect");
    masthead::db::migrate(&mut conn).expect("migrate");
    masthead::portability::import(&mut conn, &mut text.as_bytes(), None).expect("import");
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
    assert!(masthead::portability::import(&mut conn, &mut first.as_bytes(), None).is_err());
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
    masthead::portability::export(&mut conn, &mut out, ExportOptions::default()).expect("export");
    let text = String::from_utf8(out).expect("utf-8");
    assert!(!text.contains("argon2"), "no password hashes unless asked");

    // TestApp::empty() is a fresh database of the configured backend, already migrated.
    let app = TestApp::empty().await;
    masthead::portability::import(&mut app.conn(), &mut text.as_bytes(), None).expect("import");
    let article = app
        .get_json("/api/v1/articles/humiao-safety-training-nanshan")
        .await;
    assert_eq!(
        article["next"]["title"],
        "深圳南山警方打掉一网络传播淫秽物品犯罪团伙,刑拘5人"
    );
    assert_eq!(article["related"].as_array().map(Vec::len), Some(6));
    // The related articles an editor pinned travel; the search index is built again.
    assert_eq!(
        article["related"][0]["title"],
        "2024深港青少年体育交流赛启动"
    );
    let found = app.get_json("/api/v1/search?q=%E6%8A%A4%E8%8B%97").await;
    assert_eq!(found["data"][0]["slug"], "humiao-safety-training-nanshan");
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
    // With no one able to sign in, the CLI gives a user a new password.
    masthead::commands::user::set_password(
        &app.database_url(),
        "Ed@Example.com",
        crate::support::PASSWORD,
    )
    .expect("user password");
    assert!(masthead::commands::user::set_password(
        &app.database_url(),
        "nobody@example.com",
        crate::support::PASSWORD
    )
    .is_err());
    assert!(
        masthead::commands::user::set_password(&app.database_url(), "ed@example.com", "short")
            .is_err()
    );
    let signed_in = app.login("ed@example.com").await;
    assert_eq!(signed_in["user"]["email"], "ed@example.com");
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
            None,
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

/// Runs `masthead <args>` as the binary does (clap parses the flags, then the command
/// runs), on a blocking thread: the commands block.
async fn masthead(args: &[&str]) -> Result<(), String> {
    let args: Vec<String> = std::iter::once("masthead")
        .chain(args.iter().copied())
        .map(str::to_owned)
        .collect();
    actix_web::web::block(move || {
        let cli = masthead::commands::Cli::try_parse_from(args).map_err(|e| e.to_string())?;
        masthead::commands::run(&cli)
    })
    .await
    .expect("the command's thread")
}

/// The `--database-url` for a database.
fn url_arg(url: &DatabaseUrl) -> String {
    match url {
        DatabaseUrl::Sqlite(path) => path.display().to_string(),
        DatabaseUrl::Postgres(url) => url.clone(),
    }
}

fn media_folder(app: &TestApp) -> PathBuf {
    match &app.media_store {
        StoreUrl::Local(folder) => folder.clone(),
        StoreUrl::S3(_) => panic!("the tests' media stores are folders"),
    }
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// Every file under `folder` by its key (`2026/06/…/w320.webp`), with its bytes.
fn stored_files(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let key = path.strip_prefix(root).expect("under the root");
                let key = key.to_str().expect("UTF-8").replace('\\', "/");
                files.insert(key, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(folder, folder, &mut files);
    files
}

/// Panics unless both folders hold the same keys with the same bytes (naming the keys, not
/// dumping the bytes).
fn assert_same_files(actual: &BTreeMap<String, Vec<u8>>, expected: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(
        actual.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (key, bytes) in expected {
        assert!(actual[key] == *bytes, "{key}: other bytes");
    }
}

/// The keys of an export's file lines, in order.
fn file_keys(export: &str) -> Vec<String> {
    export
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|entry| entry["file"]["key"].as_str().map(str::to_owned))
        .collect()
}

/// A site with one uploaded picture (its original kept): the picture's record.
async fn site_with_a_picture() -> (TestApp, Value) {
    let app = TestApp::configured(|config| config.media.keep_originals = true).await;
    let editor = app.token_for(Role::Editor).await;
    let photo = jpeg(800, 600);
    let created = upload(
        &app,
        &editor,
        &[
            ("file", Some("training.jpg"), &photo),
            ("alt", None, "培训现场".as_bytes()),
        ],
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let stored = stored_files(&media_folder(&app));
    assert_eq!(
        stored.len(),
        6,
        "full size, 320 and 640 wide in JPEG and WebP, the original: {:?}",
        stored.keys()
    );
    assert!(
        stored.values().any(|bytes| *bytes == photo),
        "original kept"
    );
    (app, created.json())
}

/// `masthead export --to <dir>/<name>` of an app's site, files from its media folder.
async fn export_site(app: &TestApp, dir: &Path, name: &str) -> (PathBuf, String) {
    let path = dir.join(name);
    let folder = media_folder(app);
    masthead(&[
        "--database-url",
        &url_arg(&app.database_url()),
        "export",
        "--to",
        text(&path),
        "--media-store",
        text(&folder),
    ])
    .await
    .expect("export");
    let export = std::fs::read_to_string(&path).expect("read the export");
    (path, export)
}

/// `masthead import --from <path>` into an app's database and media folder.
async fn import_site(app: &TestApp, path: &Path, extra: &[&str]) -> Result<(), String> {
    let folder = media_folder(app);
    let mut args = vec![
        "--database-url".to_owned(),
        url_arg(&app.database_url()),
        "import".to_owned(),
        "--from".to_owned(),
        text(path).to_owned(),
        "--media-store".to_owned(),
        text(&folder).to_owned(),
    ];
    args.extend(extra.iter().map(|arg| (*arg).to_owned()));
    masthead(&args.iter().map(String::as_str).collect::<Vec<_>>()).await
}

/// The picture's URL and its renditions' URLs.
fn picture_urls(image: &Value) -> Vec<String> {
    std::iter::once(&image["url"])
        .chain(
            image["renditions"]
                .as_array()
                .expect("renditions")
                .iter()
                .map(|rendition| &rendition["url"]),
        )
        .map(|url| url.as_str().expect("a URL").to_owned())
        .collect()
}

#[actix_rt::test]
async fn an_imported_site_serves_the_same_pictures_byte_for_byte() {
    let (source, image) = site_with_a_picture().await;
    let stored = stored_files(&media_folder(&source));
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, export) = export_site(&source, dir.path(), "site.jsonl").await;
    let keys = file_keys(&export);
    assert_eq!(keys.len(), stored.len(), "each stored file once: {keys:?}");
    assert_eq!(
        keys.iter().collect::<BTreeSet<_>>(),
        stored.keys().collect::<BTreeSet<_>>()
    );

    // A fresh database and a fresh media folder.
    let target = TestApp::empty().await;
    assert!(stored_files(&media_folder(&target)).is_empty());
    import_site(&target, &path, &[]).await.expect("import");
    // The same files, the original included, byte for byte.
    assert_same_files(&stored_files(&media_folder(&target)), &stored);
    let record = format!("/api/v1/media/{}", image["id"]);
    assert_eq!(
        target.get_json(&record).await,
        source.get_json(&record).await
    );
    let urls = picture_urls(&image);
    assert_eq!(urls.len(), 5, "{image}");
    for url in &urls {
        let (before, after) = (source.get(url).await, target.get(url).await);
        assert_eq!(
            (before.status.as_u16(), after.status.as_u16()),
            (200, 200),
            "{url}"
        );
        assert!(after.body == before.body, "{url}: other bytes");
    }
    // The imported site exports the same bytes, files included.
    let (_, again) = export_site(&target, dir.path(), "again.jsonl").await;
    assert!(again == export, "the export of the import differs");

    // Rows only, when asked: the files are passed over, and the pictures are not there.
    let rows_only = TestApp::empty().await;
    import_site(&rows_only, &path, &["--without-files"])
        .await
        .expect("import without files");
    assert_eq!(rows_only.get_json(&record).await["url"], image["url"]);
    assert!(stored_files(&media_folder(&rows_only)).is_empty());
    assert_eq!(rows_only.get(&urls[0]).await.status, 404);
}

#[actix_rt::test]
async fn a_damaged_or_foreign_file_line_fails_the_import_and_leaves_nothing() {
    let (source, image) = site_with_a_picture().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, export) = export_site(&source, dir.path(), "site.jsonl").await;
    let lines: Vec<&str> = export.lines().collect();
    // The last file line: the files before it are written by then, and must go again.
    let last = lines.len() - 1;
    let entry: Value = serde_json::from_str(lines[last]).expect("a file line");
    let (size, sha256) = (
        entry["file"]["size"].as_u64().expect("size"),
        entry["file"]["sha256"].as_str().expect("sha256").to_owned(),
    );
    assert!(file_keys(&export).len() > 3);
    let folder = image["url"]
        .as_str()
        .and_then(|url| url.strip_prefix("/media/"))
        .and_then(|key| key.rsplit_once('/'))
        .map(|(folder, _)| folder.to_owned())
        .expect("the picture's folder");
    let name = folder.rsplit('/').next().expect("a name");
    let foreign = "0123456789ab-cdef0123";
    let cases = [
        (lines[last].replace(&sha256, &"0".repeat(64)), "SHA-256"),
        (
            lines[last].replace(
                &format!("\"size\":{size}"),
                &format!("\"size\":{}", size + 1),
            ),
            "bytes where the line says",
        ),
        (lines[last].replace(name, foreign), "no imported row names"),
    ];
    for (damaged, why) in cases {
        assert_ne!(damaged, lines[last], "{why}: the line is changed");
        let mut changed = lines.clone();
        changed[last] = &damaged;
        let path = dir.path().join("damaged.jsonl");
        std::fs::write(&path, changed.join("\n") + "\n").expect("write");
        let target = TestApp::empty().await;
        let message = import_site(&target, &path, &[])
            .await
            .expect_err("a damaged export is refused");
        assert!(
            message.contains(&format!("line {}:", last + 1)) && message.contains(why),
            "{why}: {message}"
        );
        let damaged: Value = serde_json::from_str(&damaged).expect("still JSON");
        let named = damaged["file"]["key"].as_str().expect("key");
        assert!(message.contains(named), "names the file: {message}");
        let mut conn = target.conn();
        let rows: (i64, i64) = (
            media::table.count().get_result(&mut conn).expect("count"),
            users::table.count().get_result(&mut conn).expect("count"),
        );
        assert_eq!(rows, (0, 0), "{why}: no row is left");
        assert_eq!(
            stored_files(&media_folder(&target))
                .keys()
                .collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "{why}: no file is left"
        );
    }
}

#[actix_rt::test]
async fn the_demo_site_travels_with_its_pictures_and_its_logo() {
    let source = TestApp::demo_with_pictures().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, export) = export_site(&source, dir.path(), "site.jsonl").await;
    let target = TestApp::empty().await;
    import_site(&target, &path, &[]).await.expect("import");
    // The logo is a stored file without a media record: its folder travels all the same.
    let logo = source.get_json("/api/v1/site").await["logo_url"]
        .as_str()
        .expect("a logo")
        .to_owned();
    assert!(logo.starts_with("/media/2026/"), "{logo}");
    let article = "/api/v1/articles/humiao-safety-training-nanshan";
    let images = source.get_json(article).await["images"].clone();
    let images = images.as_array().expect("images");
    assert_eq!(images.len(), 5);
    let urls = images
        .iter()
        .flat_map(picture_urls)
        .chain(std::iter::once(logo));
    for url in urls {
        let (before, after) = (source.get(&url).await, target.get(&url).await);
        assert_eq!(after.status, 200, "{url}");
        assert!(after.body == before.body, "{url}: other bytes");
    }
    assert_same_files(
        &stored_files(&media_folder(&target)),
        &stored_files(&media_folder(&source)),
    );
    assert!(file_keys(&export).len() > 30);
}

#[actix_rt::test]
async fn backup_copies_the_media_files_beside_the_database() {
    // Backups copy SQLite files: this site is on SQLite whatever the tests' backend, its
    // pictures in the default place, `media/` beside the database.
    let dir = tempfile::tempdir().expect("temp dir");
    let live = dir.path().join("live").join("masthead.db");
    let live_media = dir.path().join("live").join("media");
    let source = TestApp::over(
        DatabaseUrl::Sqlite(live.clone()),
        StoreUrl::Local(live_media.clone()),
    )
    .await;
    let editor = source.token_for(Role::Editor).await;
    let created = upload(
        &source,
        &editor,
        &[("file", Some("a.jpg"), &jpeg(700, 500))],
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let image = created.json();
    let stored = stored_files(&live_media);
    assert_eq!(stored.len(), 5, "{:?}", stored.keys());

    let backup = dir.path().join("backups").join("site.db");
    std::fs::create_dir_all(dir.path().join("backups")).expect("mkdir");
    let run = |to: &Path, extra: &[&str]| {
        let mut args = vec!["--database-url", text(&live), "backup", "--to", text(to)];
        args.extend(extra);
        let args: Vec<String> = args.into_iter().map(str::to_owned).collect();
        async move { masthead(&args.iter().map(String::as_str).collect::<Vec<_>>()).await }
    };
    run(&backup, &[]).await.expect("backup");
    let copied_media = dir.path().join("backups").join("site.db.media");
    assert_same_files(&stored_files(&copied_media), &stored);

    // Restored as the README says: the file as the database, the folder as the store.
    let restored = TestApp::over(
        DatabaseUrl::Sqlite(backup.clone()),
        StoreUrl::Local(copied_media.clone()),
    )
    .await;
    for url in picture_urls(&image) {
        let (before, after) = (source.get(&url).await, restored.get(&url).await);
        assert_eq!(after.status, 200, "{url}");
        assert!(after.body == before.body, "{url}: other bytes");
    }

    // Never over an earlier backup; the database alone when asked.
    let message = run(&backup, &[]).await.expect_err("exists");
    assert!(message.contains("exists already"), "{message}");
    let elsewhere = dir.path().join("backups").join("other.db");
    std::fs::create_dir_all(dir.path().join("backups").join("other.db.media")).expect("mkdir");
    let message = run(&elsewhere, &[]).await.expect_err("the folder exists");
    assert!(
        message.contains("other.db.media exists already"),
        "{message}"
    );
    assert!(!elsewhere.exists(), "nothing written");
    let rows_only = dir.path().join("backups").join("rows.db");
    run(&rows_only, &["--without-files"]).await.expect("backup");
    assert!(rows_only.exists());
    assert!(!dir.path().join("backups").join("rows.db.media").exists());
    let chosen = dir.path().join("elsewhere").join("pictures");
    run(
        &dir.path().join("backups").join("chosen.db"),
        &["--media-to", text(&chosen)],
    )
    .await
    .expect("backup");
    assert_same_files(&stored_files(&chosen), &stored);
}

/// A failed import into a new SQLite file leaves no file behind: a missing export makes
/// nothing, and one that is not an export takes its migrated, empty database away again.
#[test]
fn a_failed_import_leaves_no_new_database_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("new.db");
    let import = |from: &Path| {
        let cli = masthead::commands::Cli::parse_from([
            "masthead".as_ref(),
            "--database-url".as_ref(),
            database.as_os_str(),
            "import".as_ref(),
            "--from".as_ref(),
            from.as_os_str(),
        ]);
        masthead::commands::run(&cli)
    };
    assert!(import(&dir.path().join("missing.jsonl")).is_err());
    assert!(!database.exists(), "a missing export makes no database");
    let not_an_export = dir.path().join("other.jsonl");
    std::fs::write(&not_an_export, "{\"format\":\"something else\"}\n").expect("write");
    let refused = import(&not_an_export).expect_err("not an export");
    assert!(refused.contains("line 1"), "{refused}");
    for name in ["new.db", "new.db-wal", "new.db-shm"] {
        assert!(!dir.path().join(name).exists(), "{name} left behind");
    }
}
