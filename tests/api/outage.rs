//! A database that goes away and comes back: requests fail with 503 problem+json while it
//! is away, liveness stays up, readiness goes down, and the same server serves again after.
//! Needs PostgreSQL (a SQLite file does not go away).

use diesel::connection::SimpleConnection;
use diesel::Connection;

use crate::support::{ArticleBuilder, TestApp};

#[actix_rt::test]
async fn a_database_outage_is_503_and_the_server_serves_again_after() {
    let app = TestApp::empty().await;
    let Some((server, name)) = app.postgres_database() else {
        return; // SQLite run: nothing to take away
    };
    ArticleBuilder::new("a", "甲").insert(&app);
    assert_eq!(app.get("/api/v1/articles/a").await.status, 200);

    let mut admin = diesel::PgConnection::establish(&server).expect("admin connection");
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {name} ALLOW_CONNECTIONS false; \
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}';"
        ))
        .expect("take the database away");

    for path in ["/api/v1/articles/a", "/api/v1/articles", "/api/v1/site"] {
        let away = app.get(path).await;
        assert_eq!(away.status, 503, "{path}: {}", away.text());
        assert_eq!(
            away.header("content-type").as_deref(),
            Some("application/problem+json")
        );
        assert!(away.header("retry-after").is_some());
        assert!(!away.text().contains(&name), "nothing internal in the body");
    }
    assert_eq!(app.get("/readyz").await.status, 503);
    assert_eq!(app.get("/healthz").await.status, 200, "alive all along");

    admin
        .batch_execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .expect("bring it back");
    let back = app.get("/api/v1/articles/a").await;
    assert_eq!(back.status, 200, "{}", back.text());
    assert_eq!(app.get("/readyz").await.status, 200);
}
