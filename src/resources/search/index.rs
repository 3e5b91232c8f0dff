//! The search index: each article's terms (`crate::terms`), written by the article writes in
//! their own transaction, so a search sees exactly what is committed, on every instance.
//! SQLite keeps them in an FTS5 table, PostgreSQL in GIN-indexed tsvectors (title and text,
//! the title weighted A; the title alone; its pinyin). Drafts are indexed too: what the
//! public sees is decided when searching.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text};

use super::types::ArticleText;
use crate::content::changes::ChangeKey;
use crate::db::schema::articles;
use crate::db::AnyConnection;

/// An article's text, as stored now (`None`: no such article).
pub fn load(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<ArticleText>> {
    Ok(articles::table
        .filter(articles::id.eq(id))
        .select((
            articles::title,
            articles::subtitle,
            articles::summary,
            articles::body_html,
        ))
        .first::<(String, Option<String>, String, String)>(conn)
        .optional()?
        .map(|(title, subtitle, summary, body)| {
            ArticleText::of(&title, subtitle.as_deref(), &summary, &body)
        }))
}

/// Brings one article's index entry and related lists up to date with what is stored; to be
/// called in the transaction that wrote it.
pub fn article(conn: &mut AnyConnection, id: i64) -> QueryResult<()> {
    let Some(text) = load(conn, id)? else {
        return Ok(());
    };
    write_terms(conn, id, &text, Entry::Replace)?;
    super::related::update(conn, id, &text)
}

/// Whether an article may already have an index entry.
#[derive(Clone, Copy, PartialEq)]
enum Entry {
    Replace,
    /// The index was emptied in this transaction (a rebuild). On SQLite a delete makes FTS5
    /// write out what it holds in memory first, so a delete per article made the 100,000
    /// of a rebuild 100,000 tiny segments merged over and over: 40 GB written, unfinished
    /// after 14 minutes.
    New,
}

fn write_terms(
    conn: &mut AnyConnection,
    id: i64,
    text: &ArticleText,
    entry: Entry,
) -> QueryResult<()> {
    let title = crate::terms::index_terms(&text.title);
    let body = crate::terms::index_terms(&text.body);
    let pinyin = crate::terms::pinyin_terms(&text.title);
    match conn {
        AnyConnection::Sqlite(c) => {
            if entry == Entry::Replace {
                diesel::sql_query("DELETE FROM article_search WHERE rowid = ?")
                    .bind::<BigInt, _>(id)
                    .execute(c)?;
            }
            // The category as a term of its own ([`category_term`]), read from the row.
            diesel::sql_query(
                "INSERT INTO article_search (rowid, title, body, pinyin, category) \
                 SELECT id, ?, ?, ?, COALESCE('c' || category_id, '') FROM articles WHERE id = ?",
            )
            .bind::<Text, _>(title)
            .bind::<Text, _>(body)
            .bind::<Text, _>(pinyin)
            .bind::<BigInt, _>(id)
            .execute(c)?;
        }
        AnyConnection::Postgresql(c) => {
            diesel::sql_query(
                "INSERT INTO article_search \
                 (article_id, terms, title, pinyin, grams, published_at, category_id) \
                 SELECT $1, \
                 setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $3), 'B'), \
                 setweight(to_tsvector('simple', $2), 'A'), to_tsvector('simple', $4), \
                 array_to_tsvector($5), \
                 CASE WHEN status = 'published' THEN published_at END, category_id \
                 FROM articles WHERE id = $1 \
                 ON CONFLICT (article_id) DO UPDATE \
                 SET terms = EXCLUDED.terms, title = EXCLUDED.title, pinyin = EXCLUDED.pinyin, \
                 grams = EXCLUDED.grams, \
                 published_at = EXCLUDED.published_at, category_id = EXCLUDED.category_id",
            )
            .bind::<BigInt, _>(id)
            .bind::<Text, _>(title)
            .bind::<Text, _>(body)
            .bind::<Text, _>(pinyin)
            .bind::<Array<Text>, _>(grams(text))
            .execute(c)?;
        }
    }
    Ok(())
}

/// SQLite: the term the index's `category` column holds for an article of this category, so
/// that a search in some categories is `{category} : (c1 OR c2)`. An article of a deleted
/// category keeps its term (no category is given that id again: AUTOINCREMENT). The insert
/// in `write_terms` writes the same, `'c' || category_id`, from the article's row.
pub fn category_term(category_id: i64) -> String {
    format!("c{category_id}")
}

/// An article's grams ([`crate::terms::index_grams`]) for PostgreSQL, title and text,
/// written as they are (`array_to_tsvector`: no positions, and no parser to split them).
fn grams(text: &ArticleText) -> Vec<String> {
    crate::terms::index_grams(&format!("{}\n{}", text.title, text.body))
}

/// PostgreSQL: writes the gram vectors an upgrade left NULL (migration `…000011_search_grams`
/// adds the column to existing rows without them), 500 articles a transaction; returns how
/// many. A no-op once every row has its grams.
fn fill_missing_grams(conn: &mut AnyConnection) -> QueryResult<usize> {
    #[derive(QueryableByName)]
    struct Missing {
        #[diesel(sql_type = BigInt)]
        article_id: i64,
    }
    if !matches!(conn, AnyConnection::Postgresql(_)) {
        return Ok(0);
    }
    let mut filled = 0;
    loop {
        let batch = crate::db::write(conn, |conn| {
            let AnyConnection::Postgresql(pg) = conn else {
                return Ok(0);
            };
            let ids: Vec<i64> = diesel::sql_query(
                "SELECT article_id FROM article_search WHERE grams IS NULL LIMIT 500 \
                 FOR UPDATE SKIP LOCKED",
            )
            .load::<Missing>(pg)?
            .into_iter()
            .map(|missing| missing.article_id)
            .collect();
            for &id in &ids {
                let grams = load(conn, id)?.map(|text| grams(&text)).unwrap_or_default();
                let AnyConnection::Postgresql(pg) = conn else {
                    return Ok(0);
                };
                diesel::sql_query(
                    "UPDATE article_search SET grams = array_to_tsvector($2) \
                     WHERE article_id = $1",
                )
                .bind::<BigInt, _>(id)
                .bind::<Array<Text>, _>(grams)
                .execute(pg)?;
            }
            Ok::<_, diesel::result::Error>(ids.len())
        })?;
        if batch == 0 {
            if filled > 0 {
                // Searches answer differently now: cached answers must go, on every instance.
                crate::db::write(conn, |conn| {
                    crate::content::changes::record(conn, &[ChangeKey::Everything])
                })?;
            }
            return Ok(filled);
        }
        filled += batch;
        tracing::info!(filled, "search grams written for existing articles");
    }
}

/// Builds the whole index and every related list again from the stored articles (after an
/// import, for the demo and generated sites, and `masthead reindex`). One transaction.
pub fn rebuild(conn: &mut AnyConnection) -> QueryResult<usize> {
    let rebuilt = with_rebuild_cache(conn, rebuild_in_one_transaction)?;
    settle(conn)?;
    Ok(rebuilt)
}

/// What an upgrade leaves for this code to write, as only it segments text; run by `masthead
/// migrate`, which every command runs first, so an upgrade interrupted half-way is finished
/// by the next start. Returns how many articles were written.
pub fn after_upgrade(conn: &mut AnyConnection) -> QueryResult<usize> {
    match conn {
        AnyConnection::Sqlite(_) => fill_emptied_index(conn),
        AnyConnection::Postgresql(_) => fill_missing_grams(conn),
    }
}

/// SQLite: writes the index again when an upgrade made it anew, empty (FTS5 cannot add a
/// column: migration `…000012_search_categories`), in one transaction. Every article write
/// keeps the index, so it is empty with articles stored only after such a migration.
fn fill_emptied_index(conn: &mut AnyConnection) -> QueryResult<usize> {
    #[derive(QueryableByName)]
    struct Emptied {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        emptied: bool,
    }
    let written = with_rebuild_cache(conn, |conn| {
        crate::db::write(conn, |conn| {
            let AnyConnection::Sqlite(c) = conn else {
                return Ok(0);
            };
            let emptied = diesel::sql_query(
                "SELECT EXISTS (SELECT 1 FROM articles) \
                 AND NOT EXISTS (SELECT 1 FROM article_search) AS emptied",
            )
            .get_result::<Emptied>(c)?
            .emptied;
            if !emptied {
                return Ok(0);
            }
            let written = write_all_terms(conn)?;
            // Searches answer differently now: cached answers must go, on every instance.
            crate::content::changes::record(conn, &[ChangeKey::Everything])?;
            Ok(written)
        })
    })?;
    if written > 0 {
        tracing::info!(written, "search index written again for existing articles");
        settle(conn)?;
    }
    Ok(written)
}

/// Runs a rewrite of the whole index with a bigger SQLite page cache for this connection
/// (at 10,000 articles: 2.28 GB written instead of 2.55), then the default again.
fn with_rebuild_cache(
    conn: &mut AnyConnection,
    rewrite: impl FnOnce(&mut AnyConnection) -> QueryResult<usize>,
) -> QueryResult<usize> {
    if let AnyConnection::Sqlite(c) = conn {
        diesel::sql_query(format!("PRAGMA cache_size = -{REBUILD_CACHE_KIB}")).execute(c)?;
    }
    let rewritten = rewrite(conn);
    if let AnyConnection::Sqlite(c) = conn {
        diesel::sql_query("PRAGMA cache_size = -2000").execute(c)?;
    }
    rewritten
}

/// After a bulk write: FTS5's segments merged into one (a search then reads one doclist per
/// term, not one per segment); PostgreSQL's GIN pending lists merged and its planner
/// statistics brought up to date (right after a bulk load it has none, and plans a search
/// as a scan of every visible article).
fn settle(conn: &mut AnyConnection) -> QueryResult<()> {
    match conn {
        AnyConnection::Sqlite(c) => {
            diesel::sql_query("INSERT INTO article_search (article_search) VALUES ('optimize')")
                .execute(c)?;
        }
        AnyConnection::Postgresql(c) => {
            // VACUUM also merges what waits in the GIN indexes' pending lists, which every
            // search reads whole. It cannot run inside a transaction (an import rebuilds in
            // its own): the lists then merge as writes fill them.
            use diesel::connection::{TransactionManager, TransactionManagerStatus};
            type Manager = <diesel::PgConnection as Connection>::TransactionManager;
            let in_transaction = match Manager::transaction_manager_status_mut(c) {
                TransactionManagerStatus::Valid(status) => status.transaction_depth().is_some(),
                TransactionManagerStatus::InError => true,
            };
            if !in_transaction {
                diesel::sql_query("VACUUM article_search").execute(c)?;
            }
            diesel::sql_query("ANALYZE").execute(c)?;
        }
    }
    Ok(())
}

/// SQLite's page cache while the index is rebuilt, in KiB.
const REBUILD_CACHE_KIB: i64 = 512 * 1024;

fn rebuild_in_one_transaction(conn: &mut AnyConnection) -> QueryResult<usize> {
    crate::db::write(conn, |conn| {
        match conn {
            AnyConnection::Sqlite(c) => {
                diesel::sql_query("DELETE FROM article_search").execute(c)?;
            }
            AnyConnection::Postgresql(c) => {
                diesel::sql_query("DELETE FROM article_search").execute(c)?;
            }
        }
        let written = write_all_terms(conn)?;
        super::related::rebuild(conn)?;
        // What searches and article pages answer has changed: cached answers must go, here
        // and on every other instance (the index tables carry no content triggers).
        crate::content::changes::record(conn, &[ChangeKey::Everything])?;
        Ok(written)
    })
}

/// Writes every article's index entry into an emptied index; returns how many.
fn write_all_terms(conn: &mut AnyConnection) -> QueryResult<usize> {
    let ids: Vec<i64> = articles::table
        .order(articles::id.asc())
        .select(articles::id)
        .load(conn)?;
    super::related::for_each_text(conn, &ids, |conn, id, text| {
        write_terms(conn, id, text, Entry::New)
    })?;
    Ok(ids.len())
}
