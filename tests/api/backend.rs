//! Which database this run tests. `cargo test` runs on SQLite files; with
//! `MASTHEAD_TEST_POSTGRES_URL` set, the same tests run on PostgreSQL (a database per test).
//! CI runs both and sets `MASTHEAD_TEST_REQUIRE_POSTGRES` so that a missing PostgreSQL
//! fails instead of passing as skipped.

use std::io::Write;

use crate::support::POSTGRES_ENV;

/// Straight to stderr: the test harness captures `println!`, and this line is for the
/// person running `cargo test`.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[test]
fn the_backend_under_test_is_named_and_postgres_is_not_skipped_silently() {
    match std::env::var(POSTGRES_ENV)
        .ok()
        .filter(|url| !url.is_empty())
    {
        Some(_) => say(&format!(
            "backend under test: PostgreSQL ({POSTGRES_ENV} is set)"
        )),
        None => {
            say(&format!(
                "backend under test: SQLite. PostgreSQL run skipped: set {POSTGRES_ENV}=postgres://user@host/db to run it"
            ));
            assert!(
                std::env::var_os("MASTHEAD_TEST_REQUIRE_POSTGRES").is_none(),
                "MASTHEAD_TEST_REQUIRE_POSTGRES is set but {POSTGRES_ENV} is not: the PostgreSQL run would be skipped"
            );
        }
    }
}
