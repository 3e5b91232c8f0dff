//! `migrations/sqlite` and `migrations/postgres` must describe the same schema: the same
//! tables, columns, types (in spirit), nullability and named indexes. Runs when
//! `MASTHEAD_TEST_POSTGRES_URL` is set (CI always sets it).

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use masthead::config::DatabaseUrl;

use crate::support::POSTGRES_ENV;

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
}

#[derive(QueryableByName)]
struct Index {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Types "in spirit": what the portable schema can tell apart.
fn kind(raw: &str) -> String {
    let raw = raw.to_lowercase();
    let kind = if raw.contains("int") || raw.contains("serial") {
        "integer"
    } else if raw.contains("timestamp") {
        "timestamp"
    } else if raw.contains("date") {
        "date"
    } else if raw.contains("bool") {
        "boolean"
    } else if raw.contains("text") || raw.contains("char") {
        "text"
    } else {
        raw.as_str()
    };
    kind.to_owned()
}

type Shape = (BTreeSet<(String, String, String, bool)>, BTreeSet<String>);

fn sqlite_shape() -> Shape {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = DatabaseUrl::Sqlite(dir.path().join("schema.db"));
    let mut conn = masthead::db::connect(&url).expect("connect");
    masthead::db::migrate(&mut conn).expect("migrate");
    let masthead::db::AnyConnection::Sqlite(conn) = &mut conn else {
        panic!("not SQLite")
    };
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
                (p.\"notnull\" OR p.pk) AS not_null \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations'",
    )
    .load(conn)
    .expect("columns");
    let indexes: Vec<Index> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'",
    )
    .load(conn)
    .expect("indexes");
    shape(columns, indexes)
}

fn postgres_shape(server: &str) -> Shape {
    use diesel::connection::SimpleConnection;
    let name = format!("masthead_schema_{}", uuid::Uuid::new_v4().simple());
    let mut admin = diesel::PgConnection::establish(server).expect("connect");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create");
    let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
    let url = DatabaseUrl::Postgres(format!("{base}/{name}"));
    let result = std::panic::catch_unwind(|| {
        let mut conn = masthead::db::connect(&url).expect("connect");
        masthead::db::migrate(&mut conn).expect("migrate");
        let masthead::db::AnyConnection::Postgresql(conn) = &mut conn else {
            panic!("not PostgreSQL")
        };
        let columns: Vec<Column> = diesel::sql_query(
            "SELECT table_name::text, column_name::text, data_type::text, \
                    CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS not_null \
             FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
        )
        .load(conn)
        .expect("columns");
        let indexes: Vec<Index> = diesel::sql_query(
            "SELECT indexname::text AS name FROM pg_indexes WHERE schemaname = 'public' \
             AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'",
        )
        .load(conn)
        .expect("indexes");
        shape(columns, indexes)
    });
    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    result.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The full-text index is each backend's own by design (an FTS5 table and its shadow tables
/// on SQLite, a GIN-indexed tsvector on PostgreSQL): both hold the same terms
/// (`resources::search::index`), and the search tests run on both.
fn backend_specific(name: &str) -> bool {
    name == "article_search" || name.starts_with("article_search_")
}

fn shape(columns: Vec<Column>, indexes: Vec<Index>) -> Shape {
    (
        columns
            .into_iter()
            .filter(|c| !backend_specific(&c.table_name))
            .map(|c| {
                (
                    c.table_name,
                    c.column_name,
                    kind(&c.data_type),
                    c.not_null != 0,
                )
            })
            .collect(),
        indexes
            .into_iter()
            .map(|i| i.name)
            .filter(|name| !backend_specific(name))
            .collect(),
    )
}

#[test]
fn sqlite_and_postgres_migrations_describe_the_same_schema() {
    let Some(server) = std::env::var(POSTGRES_ENV)
        .ok()
        .filter(|url| !url.is_empty())
    else {
        return; // the backend test says the PostgreSQL run was skipped
    };
    let (sqlite_columns, sqlite_indexes) = sqlite_shape();
    let (pg_columns, pg_indexes) = postgres_shape(&server);
    let only_sqlite: Vec<_> = sqlite_columns.difference(&pg_columns).collect();
    let only_pg: Vec<_> = pg_columns.difference(&sqlite_columns).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "columns differ:\n only in SQLite: {only_sqlite:?}\n only in PostgreSQL: {only_pg:?}"
    );
    assert!(
        sqlite_columns.len() > 80,
        "{} columns",
        sqlite_columns.len()
    );
    assert_eq!(sqlite_indexes, pg_indexes, "named indexes differ");
    assert!(sqlite_indexes.contains("article_tags_tag_published_idx"));
}
