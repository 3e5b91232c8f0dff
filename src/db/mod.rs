//! The database: one connection type for both backends, the pool, migrations.

pub mod schema;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, CustomizeConnection, R2D2Connection};
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::config::{DatabaseUrl, PoolSettings};
use crate::error::ApiError;

/// A connection to whichever backend the configuration names. Queries are written once
/// against this type; SQL that differs between backends would match on the variant (none
/// does today).
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Sqlite(SqliteConnection),
    Postgresql(PgConnection),
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConnection = r2d2::PooledConnection<Manager>;

/// Opens the pool's connections through [`connect`], so that a failure keeps the driver's
/// words: diesel's own manager, for a connection of either backend, says only "Invalid
/// connection url for multiconnection", which is all a dropped database was logged as.
#[derive(Debug)]
pub struct Manager {
    url: DatabaseUrl,
}

impl r2d2::ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, r2d2::Error> {
        connect(&self.url).map_err(|error| {
            r2d2::Error::ConnectionError(diesel::ConnectionError::BadConnection(error.to_string()))
        })
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Errors opening the database or preparing its schema, with the cause in words.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot create the database folder {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database {url}: {message}")]
    Connect { url: String, message: String },
    #[error("migration failed: {0}")]
    Migration(String),
}

/// Per-connection settings, given to every new connection (they do not persist). SQLite:
/// `busy_timeout` first so that the others wait for a lock instead of failing
/// (`journal_mode = WAL` is persistent and set once, in [`migrate`]). PostgreSQL: the
/// statement timeout.
#[derive(Debug)]
struct SessionSettings {
    statement_timeout: Duration,
}

impl CustomizeConnection<AnyConnection, r2d2::Error> for SessionSettings {
    fn on_acquire(&self, conn: &mut AnyConnection) -> Result<(), r2d2::Error> {
        match conn {
            AnyConnection::Sqlite(sqlite) => sqlite.batch_execute(
                "PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; \
                 PRAGMA foreign_keys = ON;",
            ),
            AnyConnection::Postgresql(pg) => pg.batch_execute(&format!(
                "SET statement_timeout = {}",
                self.statement_timeout.as_millis()
            )),
        }
        .map_err(r2d2::Error::QueryError)
    }
}

fn connection_url(url: &DatabaseUrl) -> Result<String, SetupError> {
    match url {
        DatabaseUrl::Sqlite(path) => {
            if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| SetupError::CreateDir {
                    path: dir.display().to_string(),
                    source,
                })?;
            }
            Ok(path.display().to_string())
        }
        DatabaseUrl::Postgres(url) => Ok(url.clone()),
    }
}

/// Opens one connection (the commands' own: `migrate`, `generate`, `import`, …), choosing the
/// backend from the URL scheme ourselves so that the driver's own error message reaches the
/// user. Diesel turns SQLite's foreign key checks on as it connects.
pub fn connect(url: &DatabaseUrl) -> Result<AnyConnection, SetupError> {
    let raw = connection_url(url)?;
    let result = match url {
        DatabaseUrl::Sqlite(_) => SqliteConnection::establish(&raw).map(AnyConnection::Sqlite),
        DatabaseUrl::Postgres(_) => PgConnection::establish(&raw).map(AnyConnection::Postgresql),
    };
    result.map_err(|error| SetupError::Connect {
        url: url.redacted(),
        message: error.to_string(),
    })
}

/// Runs the pending migrations of the connection's backend.
pub fn migrate(conn: &mut AnyConnection) -> Result<Vec<String>, SetupError> {
    let names = |applied: Vec<diesel::migration::MigrationVersion>| {
        applied.iter().map(|version| version.to_string()).collect()
    };
    match conn {
        AnyConnection::Sqlite(c) => {
            // Readers never block the writer in WAL mode; the setting stays with the file.
            // Foreign keys off while migrations run, on again after: a migration that makes
            // a table again drops the old one, which must not cascade.
            c.batch_execute(
                "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = OFF;",
            )
            .map_err(|error| SetupError::Migration(format!("enabling WAL: {error}")))?;
            let applied = c
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map(names)
                .map_err(|error| SetupError::Migration(error.to_string()));
            c.batch_execute("PRAGMA foreign_keys = ON;")
                .map_err(|error| SetupError::Migration(format!("foreign keys: {error}")))?;
            applied
        }
        AnyConnection::Postgresql(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(names)
            .map_err(|error| SetupError::Migration(error.to_string())),
    }
}

/// Builds the pool after checking that one connection opens, so a bad URL fails fast
/// with the driver's message.
pub fn pool(url: &DatabaseUrl, settings: &PoolSettings) -> Result<Pool, SetupError> {
    // Fails fast, with the driver's message, when the URL is wrong at start-up.
    drop(connect(url)?);
    let manager = Manager { url: url.clone() };
    r2d2::Pool::builder()
        .max_size(settings.size.max(1))
        .connection_timeout(settings.connection_timeout)
        // Connections are created as needed: a database that is down at start-up or later
        // makes requests fail with 503, not the server exit.
        .min_idle(Some(0))
        .connection_customizer(Box::new(SessionSettings {
            statement_timeout: settings.statement_timeout,
        }))
        .build(manager)
        .map_err(|error| SetupError::Connect {
            url: url.redacted(),
            message: error.to_string(),
        })
}

/// Runs blocking diesel work on the thread pool with a pooled connection.
pub async fn run<T, F>(pool: &Pool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get().map_err(ApiError::from)?;
        work(&mut conn)
    })
    .await
    .map_err(|error| ApiError::Internal(format!("blocking task failed: {error}")))?
}

/// Runs `work` as one write transaction that holds the database's write lock from its first
/// statement, so that concurrent writers queue instead of racing or failing:
/// - SQLite: `BEGIN IMMEDIATE` (a deferred transaction that reads first cannot take the write
///   lock later while another writer holds it: it fails at once with "database is locked",
///   whatever `busy_timeout` says);
/// - PostgreSQL: a transaction-scoped advisory lock taken first, so that the reads a write
///   decides on (the If-Match version, a free slug, "the last admin") are the rows it then
///   writes. Without it, READ COMMITTED lets two writers read the same version and both win.
///
/// Writes are short (a few milliseconds), so one writer at a time is hundreds of writes a
/// second, which is the same bound SQLite has always had.
pub fn write<T, E, F>(conn: &mut AnyConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <AnyConnection as Connection>::TransactionManager;
    match conn {
        AnyConnection::Sqlite(sqlite) => {
            match AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE") {
                // Inside a write already: a savepoint, under the lock the outer one holds.
                Err(diesel::result::Error::AlreadyInTransaction) => {
                    Manager::begin_transaction(conn)?
                }
                other => other?,
            }
        }
        AnyConnection::Postgresql(_) => {
            Manager::begin_transaction(conn)?;
            let locked = match conn {
                AnyConnection::Postgresql(pg) => pg.batch_execute(&format!(
                    "SET LOCAL lock_timeout = {WRITE_LOCK_TIMEOUT_MS}; \
                     SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})"
                )),
                AnyConnection::Sqlite(_) => Ok(()),
            };
            if let Err(error) = locked {
                let _ = Manager::rollback_transaction(conn);
                return Err(error.into());
            }
        }
    }
    match work(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => match Manager::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// Runs `work` in one read transaction, so that its queries see one state of the database:
/// a count read from a counter and the rows it is corrected by must not straddle a write,
/// nor an article and its prev/next and related links. SQLite: a deferred transaction reads
/// one snapshot of the WAL (writers go on), and takes the WAL's read lock once instead of
/// once per statement (an uncached article page: +1 to +14 % requests/s); PostgreSQL:
/// `REPEATABLE READ, READ ONLY`. Inside a transaction already (a write answering with what
/// it wrote), `work` runs in that one.
pub fn read<T, E, F>(conn: &mut AnyConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <AnyConnection as Connection>::TransactionManager;
    if Manager::transaction_manager_status_mut(conn)
        .transaction_depth()?
        .is_some()
    {
        return work(conn);
    }
    match conn {
        AnyConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN")?
        }
        AnyConnection::Postgresql(pg) => AnsiTransactionManager::begin_transaction_sql(
            pg,
            "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        )?,
    }
    match work(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => match Manager::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// The advisory lock every PostgreSQL write transaction takes ("MHWRITE" in ASCII): one key
/// for the whole database, like SQLite's one write lock.
const WRITE_LOCK_KEY: i64 = 0x004D_4857_5249_5445;

/// How long a PostgreSQL writer waits for the write lock before giving up with a 503; the
/// same as SQLite's `busy_timeout`.
const WRITE_LOCK_TIMEOUT_MS: u64 = 5000;

/// Looks one resource up by its key (a slug, a menu key …): `None` becomes a 404 naming
/// the resource and the key as the client gave it.
pub async fn find_one<T, F>(
    pool: &Pool,
    resource: &'static str,
    key: String,
    lookup: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut AnyConnection, &str) -> Result<Option<T>, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let lookup_key = key.clone();
    run(pool, move |conn| lookup(conn, &lookup_key))
        .await?
        .ok_or_else(|| ApiError::not_found(resource, key))
}

/// A consistent copy of a live SQLite database in a new file (`VACUUM INTO`: one read
/// transaction, so writers may go on meanwhile). PostgreSQL has `pg_dump` for this.
pub fn backup(url: &DatabaseUrl, to: &std::path::Path) -> Result<(), String> {
    if !matches!(url, DatabaseUrl::Sqlite(_)) {
        return Err("backup copies SQLite databases; for PostgreSQL use pg_dump".into());
    }
    if to.exists() {
        return Err(format!("{} exists already: give a new file", to.display()));
    }
    let target = to.to_str().ok_or("the backup path is not UTF-8")?;
    let mut conn = connect(url).map_err(|error| error.to_string())?;
    let AnyConnection::Sqlite(sqlite) = &mut conn else {
        return Err("not a SQLite connection".into());
    };
    diesel::sql_query("VACUUM INTO ?")
        .bind::<diesel::sql_types::Text, _>(target)
        .execute(sqlite)
        .map_err(|error| format!("backup to {target}: {error}"))?;
    tracing::info!(to = %target, "backup written");
    Ok(())
}

#[cfg(test)]
mod tests {
    use diesel::dsl::sql;
    use diesel::sql_types::Integer;
    use diesel::{Connection, RunQueryDsl, SqliteConnection};

    /// `.cargo/config.toml` builds the bundled SQLite with these options; without them
    /// every statement with a LIMIT is compiled twice per run and every allocation takes a
    /// process-wide lock (see that file).
    #[test]
    fn sqlite_is_built_with_the_options_reads_rely_on() {
        let mut conn = SqliteConnection::establish(":memory:").expect("in-memory SQLite");
        for option in ["ENABLE_QPSG", "DEFAULT_MEMSTATUS=0"] {
            let used: i32 = diesel::select(sql::<Integer>(&format!(
                "sqlite_compileoption_used('{option}')"
            )))
            .get_result(&mut conn)
            .expect("compile option");
            assert_eq!(used, 1, "SQLite built without {option}");
        }
    }

    /// The commands write through their own connection (`generate`, `import`, `user add`)
    /// after migrating on it: SQLite must check foreign keys there as on the server's
    /// connections, before and after the migrations, which run with the checks off (a table
    /// made again must not cascade: migration `…000012`).
    #[test]
    fn a_commands_connection_checks_foreign_keys() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = crate::config::DatabaseUrl::Sqlite(dir.path().join("fk.db"));
        let mut conn = super::connect(&url).expect("connect");
        let checked = |conn: &mut super::AnyConnection| -> i32 {
            let super::AnyConnection::Sqlite(c) = conn else {
                unreachable!("a SQLite URL")
            };
            diesel::select(sql::<Integer>(
                "(SELECT foreign_keys FROM pragma_foreign_keys)",
            ))
            .get_result(c)
            .expect("pragma")
        };
        assert_eq!(checked(&mut conn), 1, "after connect");
        super::migrate(&mut conn).expect("migrate");
        assert_eq!(checked(&mut conn), 1, "after the migrations");
    }
}
