//! The ranked search and the type-ahead suggestions, in each backend's own full-text SQL:
//! FTS5 `MATCH` ranked by BM25 on SQLite, a tsquery over the GIN-indexed tsvector ranked
//! by `ts_rank` on PostgreSQL; title matches weigh more than text on both. The public only
//! ever finds what `content::visible` shows (published, its time come).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Text, Timestamp};
use diesel::sqlite::Sqlite;

use super::types::ArticleText;
use super::types::{SearchHit, Suggestion};
use crate::content::PUBLISHED;
use crate::db::schema::articles;
use crate::db::AnyConnection;
use crate::http::pagination::PageRequest;
use crate::resources::{articles as article_resource, paths};
use crate::terms::{pinyin_spellings, snippet, Query, TypedPinyin};

/// Characters of text in a snippet.
const SNIPPET_CHARS: usize = 160;

/// The filters a search combines with its query.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    /// The category and its descendants.
    pub category_ids: Option<Vec<i64>>,
    pub tag_id: Option<i64>,
    /// `[from, to)` in UTC.
    pub published_from: Option<NaiveDateTime>,
    pub published_before: Option<NaiveDateTime>,
}

impl SearchFilter {
    /// No filter, or only categories.
    fn only_categories(&self) -> bool {
        self.tag_id.is_none() && self.published_from.is_none() && self.published_before.is_none()
    }
}

enum Bound {
    Text(String),
    Instant(NaiveDateTime),
    Int(i64),
    /// PostgreSQL only (an array).
    Ints(Vec<i64>),
}

/// SQL for one backend, with its bound values. The text holds a marker where each value goes
/// (see [`Sql::bind`]); the statement is kept prepared by the connection, keyed by its text,
/// unless it is a one-off ([`Sql::inline`], [`Sql::plan_each_time`]).
struct Sql {
    postgres: bool,
    text: String,
    binds: Vec<Bound>,
    /// Whether the statement is planned anew for each run rather than kept prepared: values
    /// were written into its text (kept, they would make a statement per value), or its best
    /// plan depends on a value ([`Sql::plan_each_time`]).
    one_off: bool,
}

/// Around a bound value's number in [`Sql::text`]; no SQL written here holds it.
const MARK: char = '\u{1}';

impl Sql {
    fn new(conn: &AnyConnection) -> Self {
        Self {
            postgres: matches!(conn, AnyConnection::Postgresql(_)),
            text: String::new(),
            binds: Vec::new(),
            one_off: false,
        }
    }

    /// The marker of a new bound value, to be written where it goes in the text (once or
    /// more); each place becomes a placeholder of the backend's, in the text's order.
    fn bind(&mut self, value: Bound) -> String {
        self.binds.push(value);
        format!("{MARK}{}{MARK}", self.binds.len() - 1)
    }

    /// Values from the database written into the text (ids as numbers).
    fn inline(&mut self, values: impl IntoIterator<Item = i64>) -> String {
        self.one_off = true;
        values
            .into_iter()
            .map(|value| value.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// On PostgreSQL, has the statement planned for its own values each time (not kept), for
    /// a filter whose best plan depends on them; it also needs [`Plans::AsChosen`], as a
    /// forced generic plan applies to a one-off statement too. A generic plan cannot know
    /// how many articles a word matches: with a tag, it probed the tag's rows once per match
    /// (nested loop) where the plan for the values hashed them, and one-word searches with a
    /// tag fell from 150–181 to 119–128 req/s (100,000 articles, wrk -t2 -c8).
    fn plan_each_time(&mut self) {
        if self.postgres {
            self.one_off = true;
        }
    }

    fn load<T>(self, conn: &mut AnyConnection) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
    {
        match conn {
            AnyConnection::Sqlite(c) => RunQueryDsl::load(self, c),
            AnyConnection::Postgresql(c) => RunQueryDsl::load(self, c),
        }
    }

    /// Writes the text, each marker as a placeholder with its value (`bound` pushes it).
    /// Diesel keeps the statement prepared on the connection, keyed by its text and bound
    /// types, unless it is a one-off: PostgreSQL parsed a search's statement anew for every
    /// search (0.18 ms of its time per search, its log over a benchmark run).
    fn walk<'b, DB: diesel::backend::Backend>(
        &'b self,
        mut out: AstPass<'_, 'b, DB>,
        bound: impl Fn(&'b Bound, &mut AstPass<'_, 'b, DB>) -> QueryResult<()>,
    ) -> QueryResult<()> {
        if self.one_off {
            out.unsafe_to_cache_prepared();
        }
        for (index, piece) in self.text.split(MARK).enumerate() {
            if index % 2 == 0 {
                out.push_sql(piece);
                continue;
            }
            let value = piece
                .parse::<usize>()
                .ok()
                .and_then(|n| self.binds.get(n))
                .ok_or_else(|| {
                    diesel::result::Error::QueryBuilderError("a broken value marker".into())
                })?;
            bound(value, &mut out)?;
        }
        Ok(())
    }
}

impl QueryFragment<Pg> for Sql {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.walk(out, |value, out| match value {
            Bound::Text(text) => out.push_bind_param::<Text, _>(text),
            Bound::Instant(at) => out.push_bind_param::<Timestamp, _>(at),
            Bound::Int(n) => out.push_bind_param::<BigInt, _>(n),
            Bound::Ints(ns) => out.push_bind_param::<Array<BigInt>, _>(ns),
        })
    }
}

impl QueryFragment<Sqlite> for Sql {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.walk(out, |value, out| match value {
            Bound::Text(text) => out.push_bind_param::<Text, _>(text),
            Bound::Instant(at) => out.push_bind_param::<Timestamp, _>(at),
            Bound::Int(n) => out.push_bind_param::<BigInt, _>(n),
            Bound::Ints(_) => Err(diesel::result::Error::QueryBuilderError(
                "an array bound on SQLite".into(),
            )),
        })
    }
}

impl QueryId for Sql {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for Sql {
    type SqlType = diesel::sql_types::Untyped;
}

impl<C: Connection> RunQueryDsl<C> for Sql {}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// A reader's query in titles and text, as the connection's backend matches it: what a
/// search and `/articles?q=` find.
#[derive(Debug, Clone)]
pub enum FullText {
    /// An FTS5 expression, with its column filter (the pinyin column left out).
    Sqlite(String),
    /// `grams`: a `to_tsquery` over the gram vector, which its GIN index answers alone;
    /// `phrases`: the parts it cannot decide exactly, over `terms` (see
    /// `Query::tsquery_grams`); `ranked`: the whole query over `terms`, for `ts_rank`.
    Postgres {
        grams: String,
        phrases: Option<String>,
        ranked: String,
    },
}

impl FullText {
    pub fn of(conn: &AnyConnection, query: &Query) -> Self {
        match conn {
            AnyConnection::Sqlite(_) => {
                Self::Sqlite(format!("{{title body}} : ({})", query.fts5()))
            }
            AnyConnection::Postgresql(_) => {
                let (grams, phrases) = query.tsquery_grams();
                Self::Postgres {
                    grams,
                    phrases,
                    ranked: query.tsquery(),
                }
            }
        }
    }

    /// The condition on `articles.id` for a list (`/articles?q=`).
    pub fn matches_article(
        &self,
    ) -> Box<
        dyn diesel::expression::BoxableExpression<
            articles::table,
            crate::db::MultiBackend,
            SqlType = diesel::sql_types::Bool,
        >,
    > {
        use diesel::dsl::sql;
        use diesel::sql_types::Bool;
        match self {
            Self::Sqlite(expression) => Box::new(
                sql::<Bool>(
                    "articles.id IN (SELECT rowid FROM article_search WHERE article_search MATCH ",
                )
                .bind::<Text, _>(expression.clone())
                .sql(")"),
            ),
            // OFFSET 0 keeps the matches one set, read once (see `through_index`).
            Self::Postgres { grams, phrases, .. } => {
                let condition = sql::<Bool>(
                    "articles.id IN (SELECT article_id FROM article_search \
                     WHERE grams @@ CAST(",
                )
                .bind::<Text, _>(grams.clone());
                match phrases {
                    Some(phrases) => Box::new(
                        condition
                            .sql(" AS tsquery) AND terms @@ to_tsquery('simple', ")
                            .bind::<Text, _>(phrases.clone())
                            .sql(") OFFSET 0)"),
                    ),
                    None => Box::new(condition.sql(" AS tsquery) OFFSET 0)")),
                }
            }
        }
    }
}

/// One full-text query, in the connection's backend's terms.
enum Searched {
    /// SQLite: an FTS5 expression, with its column filter.
    Fts5(String),
    Postgres(PostgresMatch),
}

/// What a PostgreSQL search matches in `article_search`.
enum PostgresMatch {
    /// Titles and text (see [`FullText::Postgres`]).
    Grams {
        grams: String,
        phrases: Option<String>,
        ranked: String,
    },
    /// Any of these vectors matching the query; the first ranks (suggestions: the title,
    /// its pinyin).
    AnyOf {
        vectors: &'static [&'static str],
        tsquery: String,
    },
}

impl Searched {
    /// Titles and text.
    fn everywhere(full_text: &FullText) -> Self {
        match full_text.clone() {
            FullText::Sqlite(fts5) => Self::Fts5(fts5),
            FullText::Postgres {
                grams,
                phrases,
                ranked,
            } => Self::Postgres(PostgresMatch::Grams {
                grams,
                phrases,
                ranked,
            }),
        }
    }
}

/// How a matching query orders and ranks its rows.
struct Ranking {
    /// What a query around the matching one ranks by, best first: SQLite's BM25 `score`
    /// (an auxiliary function of the match, selected inside), PostgreSQL's `ts_rank` of the
    /// `terms` selected inside (so that it runs only on the rows kept).
    outer: String,
    /// The newest matches first, in the full-text index's own order (no sort).
    newest: &'static str,
}

/// Appends `SELECT {columns}` (with the inner ranking column when `scored`) and `FROM …
/// WHERE …` for a full-text expression over some columns (SQLite) or weights (PostgreSQL),
/// visible articles only; returns how to rank them. Placeholders are bound in the order
/// they appear in the text, as SQLite's `?` needs.
fn matching(
    sql: &mut Sql,
    columns: &str,
    scored: bool,
    searched: &Searched,
    now: NaiveDateTime,
) -> Ranking {
    sql.text.push_str("SELECT ");
    sql.text.push_str(
        &columns
            .replace("{id}", column(sql, "id"))
            .replace("{at}", column(sql, "at")),
    );
    let ranking = match searched {
        Searched::Postgres(postgres) => {
            let (rank_vector, condition, rank_query, mut outer) = match postgres {
                PostgresMatch::Grams {
                    grams,
                    phrases,
                    ranked,
                } => {
                    let grams = sql.bind(Bound::Text(grams.clone()));
                    let mut condition = format!("s.grams @@ CAST({grams} AS tsquery)");
                    if let Some(phrases) = phrases {
                        let phrases = sql.bind(Bound::Text(phrases.clone()));
                        condition
                            .push_str(&format!(" AND s.terms @@ to_tsquery('simple', {phrases})"));
                    }
                    ("terms", condition, Some(ranked.clone()), String::new())
                }
                PostgresMatch::AnyOf { vectors, tsquery } => {
                    let query = sql.bind(Bound::Text(tsquery.clone()));
                    let any = vectors
                        .iter()
                        .map(|vector| format!("s.{vector} @@ to_tsquery('simple', {query})"))
                        .collect::<Vec<_>>()
                        .join(" OR ");
                    let outer = format!("ts_rank(terms, to_tsquery('simple', {query})) DESC");
                    (vectors[0], any, None, outer)
                }
            };
            if scored {
                sql.text.push_str(&format!(", s.{rank_vector} AS terms"));
                if let Some(rank_query) = rank_query {
                    let query = sql.bind(Bound::Text(rank_query));
                    outer = format!("ts_rank(terms, to_tsquery('simple', {query})) DESC");
                }
            }
            // No join: the index row mirrors a published article's time and its category.
            sql.text
                .push_str(&format!(" FROM article_search s WHERE ({condition})"));
            Ranking {
                outer,
                newest: "s.article_id DESC",
            }
        }
        Searched::Fts5(expression) => {
            if scored {
                // BM25 is lower for a better match; the title counts four times the text,
                // the pinyin and the category nothing.
                sql.text
                    .push_str(", bm25(article_search, 4.0, 1.0, 0.0, 0.0) AS score");
            }
            let query = sql.bind(Bound::Text(expression.clone()));
            // CROSS JOIN keeps the match driving the join: left to itself, SQLite may walk the
            // visible articles and run the full-text query once per article (seconds at 10,000
            // articles for a common word, measured by a helper's search benchmark).
            sql.text.push_str(&format!(
                " FROM article_search CROSS JOIN articles a INDEXED BY articles_visibility \
             ON a.id = article_search.rowid WHERE article_search MATCH {query} \
             AND a.status = '{PUBLISHED}'"
            ));
            Ranking {
                outer: "score".into(),
                newest: "article_search.rowid DESC",
            }
        }
    };
    let at = column(sql, "at");
    let now = sql.bind(Bound::Instant(now));
    sql.text.push_str(&format!(" AND {at} <= {now}"));
    ranking
}

/// A matching row's article id (`id`) or publication time (`at`; on PostgreSQL the index's
/// mirror of it, NULL unless published).
fn column(sql: &Sql, name: &str) -> &'static str {
    match (sql.postgres, name) {
        (true, "id") => "s.article_id",
        (true, _) => "s.published_at",
        (false, "id") => "a.id",
        (false, _) => "a.published_at",
    }
}

fn filtered(sql: &mut Sql, filter: &SearchFilter) {
    let (id, at) = (column(sql, "id"), column(sql, "at"));
    if let Some(ids) = &filter.category_ids {
        // PostgreSQL: the index row's mirror of the article's category, the ids bound (one
        // statement kept for every category).
        let condition = if sql.postgres {
            let ids = sql.bind(Bound::Ints(ids.clone()));
            format!(" AND s.category_id = ANY({ids})")
        } else {
            format!(
                " AND a.category_id IN ({})",
                sql.inline(ids.iter().copied())
            )
        };
        sql.text.push_str(&condition);
    }
    if let Some(tag) = filter.tag_id {
        sql.plan_each_time();
        let tag = sql.bind(Bound::Int(tag));
        sql.text.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = {id} AND t.tag_id = {tag})"
        ));
    }
    if let Some(from) = filter.published_from {
        let from = sql.bind(Bound::Instant(from));
        sql.text.push_str(&format!(" AND {at} >= {from}"));
    }
    if let Some(before) = filter.published_before {
        let before = sql.bind(Bound::Instant(before));
        sql.text.push_str(&format!(" AND {at} < {before}"));
    }
}

/// How many of a query's newest matches are ranked by relevance. Ranking reads each match's
/// term positions (SQLite) or its whole term vector (PostgreSQL), so ranking every match of a
/// common word costs as much as the archive has matches (10,214 of 100,000 articles for 门诊;
/// on PostgreSQL, 45 ms to rank the newest 1,000 of them, 7 ms for 200). A news search wants
/// the recent first anyway: results are the newest matches ranked, best first, then the older
/// ones, newest first.
pub const RANKED_MATCHES: i64 = 200;

/// On PostgreSQL, has the rest of the read transaction (`db::read`) match full text only
/// through the GIN indexes. The planner does not count reading each row's vectors from
/// TOAST, so it often prefers checking `@@` row by row, by a sequential scan or by walking
/// the newest articles by primary key, and so reads up to every vector in the archive.
/// Measured at 100,000 topical articles: `/articles?q=护苗` 467 ms (a sequential scan of
/// `article_search`) against 47 ms (bitmap scans). With plain scans priced out, the
/// matches come from the index and only the rows kept are read.
///
/// For searches, `/articles?q=` and suggestions. Searches walked the newest articles by
/// primary key, checking each one's vector, until the newest 200 matches were found: for
/// a common word that stopped early, for a rare one it read most of the archive; with the
/// gram vector ([`FullText::Postgres`]) the index decides alone and the walk never pays.
///
/// Only for the matching statements, run by `work`: the planner's own choices come back
/// before anything else runs in the transaction (with the setting on, the summaries'
/// category query took 20 ms instead of 0.2).
///
/// `plans` says how the kept statements ([`Sql`]) are planned.
pub fn through_index<T, E>(
    conn: &mut AnyConnection,
    plans: Plans,
    work: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match_through_index(conn, plans)?;
    let done = work(conn)?;
    match_as_usual(conn)?;
    Ok(done)
}

/// How [`through_index`]'s statements are planned on PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plans {
    /// As the server is set to choose: by default a kept statement runs on a generic plan
    /// once that looks no dearer than planning for the values, which it did, wrongly, for a
    /// search with a tag (see [`Sql::plan_each_time`]).
    AsChosen,
    /// One generic plan per kept statement, for statements over `article_search` alone:
    /// with plain scans priced out their plan is the same bitmap scan whatever is searched.
    /// Planning a search's statement for its values took 0.32 ms of PostgreSQL's time per
    /// search, binding the generic plan 0.07 ms (its log over a benchmark run, 100,000
    /// articles).
    Generic,
}

fn match_through_index(conn: &mut AnyConnection, plans: Plans) -> QueryResult<()> {
    if let AnyConnection::Postgresql(pg) = conn {
        use diesel::connection::SimpleConnection;
        let generic = match plans {
            Plans::AsChosen => "",
            Plans::Generic => " SET LOCAL plan_cache_mode = force_generic_plan;",
        };
        pg.batch_execute(&format!(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off;{generic}"
        ))?;
    }
    Ok(())
}

/// Ends [`match_through_index`]: the planner's own choices again.
fn match_as_usual(conn: &mut AnyConnection) -> QueryResult<()> {
    if let AnyConnection::Postgresql(pg) = conn {
        use diesel::connection::SimpleConnection;
        pg.batch_execute(
            "SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL enable_indexscan TO DEFAULT; \
             SET LOCAL plan_cache_mode TO DEFAULT",
        )?;
    }
    Ok(())
}

/// The total of visible articles matching, and the ids of one page of them, best first.
pub fn search(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    query: &Query,
    filter: &SearchFilter,
    page: &PageRequest,
) -> QueryResult<(i64, Vec<i64>)> {
    // A tag joins another table: its statements are planned for their values.
    let plans = match filter.tag_id {
        Some(_) => Plans::AsChosen,
        None => Plans::Generic,
    };
    through_index(conn, plans, |conn| {
        let searched = Searched::everywhere(&FullText::of(conn, query));
        let (offset, end) = (page.offset(), page.offset() + page.per_page);
        let take = end.min(RANKED_MATCHES) - offset;
        let (total, mut ids) = match searched {
            Searched::Postgres(_) if offset < RANKED_MATCHES => {
                counted_and_ranked(conn, now, &searched, filter, offset, take)?
            }
            // Past the ranked ones: the page and the total in one statement too.
            Searched::Postgres(_) => {
                return counted_past_ranked(conn, now, &searched, filter, offset, end - offset);
            }
            _ => {
                let total = count(conn, now, &searched, filter)?;
                let ids = if offset < RANKED_MATCHES && total > offset {
                    ranked(conn, now, &searched, filter, offset, take)?
                } else {
                    Vec::new()
                };
                (total, ids)
            }
        };
        if total > offset && end > RANKED_MATCHES {
            let skip = offset.max(RANKED_MATCHES);
            let mut list = Sql::new(conn);
            let ranking = matching(&mut list, "{id} AS id", false, &searched, now);
            filtered(&mut list, filter);
            let limit = list.bind(Bound::Int(end - skip));
            let skip = list.bind(Bound::Int(skip));
            list.text.push_str(&format!(
                " ORDER BY {} LIMIT {limit} OFFSET {skip}",
                ranking.newest
            ));
            ids.extend(list.load::<Found>(conn)?.into_iter().map(|found| found.id));
        }
        Ok((total, ids))
    })
}

/// Where a page of a list starts after the last one: the last row's time and id.
pub struct After {
    pub published_at: NaiveDateTime,
    pub id: i64,
}

/// PostgreSQL: the number of matches of a public list filtered by a search (`/articles?q=`),
/// and the ids of one page of them, newest (or oldest) first, in one statement: the
/// matches are found once, with the index rows' own mirror of each article's publication
/// time and category, then counted and sorted (only the page's rows are then read from
/// `articles`). Joining every match to `articles` to sort them took 19.5 ms for 书店's 5,143
/// matches at 100,000 articles; counting and choosing the page in two statements found the
/// matches twice (6.7–6.9 ms against 4.7–5.3 ms in one, measured with `pgbench`). The total
/// leaves the cursor out. `None` on SQLite. To be run under [`through_index`].
#[allow(clippy::too_many_arguments)]
pub fn counted_page_of_matches(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    full_text: &FullText,
    filter: &SearchFilter,
    after: Option<&After>,
    ascending: bool,
    offset: i64,
    limit: i64,
) -> QueryResult<Option<(i64, Vec<i64>)>> {
    let searched = Searched::everywhere(full_text);
    if !matches!(searched, Searched::Postgres(_)) {
        return Ok(None);
    }
    let mut sql = Sql::new(conn);
    sql.text.push_str("WITH m AS MATERIALIZED (");
    matching(&mut sql, "{id} AS id, {at} AS at", false, &searched, now);
    filtered(&mut sql, filter);
    let (direction, before) = if ascending {
        ("ASC", ">")
    } else {
        ("DESC", "<")
    };
    let after = match after {
        Some(after) => {
            let at = sql.bind(Bound::Instant(after.published_at));
            let id = sql.bind(Bound::Int(after.id));
            format!(" WHERE (at, id) {before} ({at}, {id})")
        }
        None => String::new(),
    };
    let limit = sql.bind(Bound::Int(limit));
    let offset = sql.bind(Bound::Int(offset));
    // The page's order does not matter here: the list reads its rows in its own order.
    sql.text.push_str(&format!(
        ") SELECT NULL::bigint AS id, COUNT(*) AS total, NULL::bigint AS position FROM m \
         UNION ALL (SELECT id, NULL, NULL FROM m{after} \
         ORDER BY at {direction}, id {direction} LIMIT {limit} OFFSET {offset})"
    ));
    Ok(Some(counted_ids(sql.load(conn)?)))
}

/// The number of visible articles matching a full-text expression made for the
/// connection's backend (FTS5 with its column filter, or `to_tsquery` over `terms`): the
/// total of `/articles?q=`, counted as a search counts.
pub fn count_visible(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    full_text: &FullText,
) -> QueryResult<i64> {
    count(
        conn,
        now,
        &Searched::everywhere(full_text),
        &SearchFilter::default(),
    )
}

/// The most hidden articles (drafts, archived, scheduled) for which SQLite counts matches by
/// taking the hidden ones away from the index's own count.
const HIDDEN_CHECKED: usize = 50;

/// The number of visible matches. On SQLite with no filter but categories, while the hidden
/// articles are few: the index's own count less the hidden articles among the matches,
/// which never visits the matches one by one (10,214 matches at 100,000 articles: 0.6 ms
/// against 4.7 ms). The index holds each article's category as a term of its own for this
/// (`index::category_term`): 书店's 3,860 matches in `news` are counted in 1.0 ms, against
/// 2.7 ms by looking up each match's article. Otherwise each match is checked.
fn count(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    searched: &Searched,
    filter: &SearchFilter,
) -> QueryResult<i64> {
    let total = |sql: Sql, conn: &mut AnyConnection| -> QueryResult<i64> {
        Ok(sql.load::<Counted>(conn)?.first().map_or(0, |c| c.total))
    };
    if let (Searched::Fts5(expression), true) = (searched, filter.only_categories()) {
        let expression = match &filter.category_ids {
            Some(ids) => in_categories(expression, ids),
            None => expression.clone(),
        };
        if let Some(hidden) = few_hidden(conn, now)? {
            let mut all = Sql::new(conn);
            let query = all.bind(Bound::Text(expression.clone()));
            all.text = format!(
                "SELECT COUNT(*) AS total FROM article_search WHERE article_search MATCH {query}"
            );
            let mut matching_hidden = 0;
            if !hidden.is_empty() {
                let mut among = Sql::new(conn);
                let query = among.bind(Bound::Text(expression.clone()));
                let ids = among.inline(hidden.iter().copied());
                among.text = format!(
                    "SELECT COUNT(*) AS total FROM article_search \
                     WHERE article_search MATCH {query} AND rowid IN ({ids})"
                );
                matching_hidden = total(among, conn)?;
            }
            return Ok(total(all, conn)? - matching_hidden);
        }
    }
    let mut sql = Sql::new(conn);
    matching(&mut sql, "COUNT(*) AS total", false, searched, now);
    filtered(&mut sql, filter);
    total(sql, conn)
}

/// An FTS5 expression narrowed to articles of these categories.
fn in_categories(expression: &str, category_ids: &[i64]) -> String {
    // No category has id 0: an empty list matches nothing.
    let terms = if category_ids.is_empty() {
        super::index::category_term(0)
    } else {
        category_ids
            .iter()
            .map(|&id| super::index::category_term(id))
            .collect::<Vec<_>>()
            .join(" OR ")
    };
    format!("{expression} AND {{category}} : ({terms})")
}

/// The ids of the articles the public does not see, when there are at most
/// [`HIDDEN_CHECKED`] of them: four index ranges, no scan.
fn few_hidden(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Option<Vec<i64>>> {
    let mut sql = Sql::new(conn);
    let now = sql.bind(Bound::Instant(now));
    sql.text = format!(
        "SELECT id FROM articles WHERE status < '{PUBLISHED}' \
         UNION ALL SELECT id FROM articles WHERE status > '{PUBLISHED}' \
         UNION ALL SELECT id FROM articles WHERE status = '{PUBLISHED}' AND published_at > {now} \
         UNION ALL SELECT id FROM articles WHERE status = '{PUBLISHED}' AND published_at IS NULL \
         LIMIT {}",
        HIDDEN_CHECKED + 1
    );
    let ids: Vec<i64> = sql.load::<Found>(conn)?.into_iter().map(|f| f.id).collect();
    Ok((ids.len() <= HIDDEN_CHECKED).then_some(ids))
}

/// Appends the filtered matches with what ranks them: `id`, `published_at` and the
/// ranking column (`score` or `terms`).
fn rankable_matches(
    sql: &mut Sql,
    searched: &Searched,
    filter: &SearchFilter,
    now: NaiveDateTime,
) -> Ranking {
    let ranking = matching(sql, "{id} AS id, {at} AS published_at", true, searched, now);
    filtered(sql, filter);
    ranking
}

#[derive(QueryableByName)]
struct CountedOrRanked {
    /// The count's row has no id; a ranked (or listed) row has no total.
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    total: Option<i64>,
    /// A ranked row's place, best first (none for a listed row).
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    position: Option<i64>,
}

/// The total and the ids of a counted statement's rows (one count row, the others ids),
/// the ids in their `position` order (rows without one, a listed page whose order the
/// caller sets, come last).
fn counted_ids(rows: Vec<CountedOrRanked>) -> (i64, Vec<i64>) {
    let mut total = 0;
    let mut ids = Vec::new();
    for row in rows {
        match (row.id, row.total) {
            (Some(id), _) => ids.push((row.position.unwrap_or(i64::MAX), id)),
            (None, Some(count)) => total = count,
            (None, None) => {}
        }
    }
    ids.sort_unstable();
    (total, ids.into_iter().map(|(_, id)| id).collect())
}

/// PostgreSQL: the total of visible matches and the ids of `take` of them from `skip` on
/// among the newest [`RANKED_MATCHES`], best first, in one statement: the matches are
/// found once (one bitmap scan of the GIN index and the narrow heap), counted, and the
/// newest of them ranked. Apart, the two statements each found them: 7.6 ms against
/// 6.1 ms for 门诊's 10,214 matches at 100,000 articles, measured in `psql`.
fn counted_and_ranked(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    searched: &Searched,
    filter: &SearchFilter,
    skip: i64,
    take: i64,
) -> QueryResult<(i64, Vec<i64>)> {
    let mut sql = Sql::new(conn);
    // The matches keep a pointer to each vector; only the newest ones' are read, to rank.
    sql.text.push_str("WITH m AS MATERIALIZED (");
    let ranking = rankable_matches(&mut sql, searched, filter, now);
    let (first, last) = (
        sql.bind(Bound::Int(skip)),
        sql.bind(Bound::Int(skip + take)),
    );
    sql.text.push_str(&format!(
        ") SELECT NULL::bigint AS id, COUNT(*) AS total, NULL::bigint AS position FROM m \
         UNION ALL SELECT id, NULL, position FROM (\
         SELECT id, row_number() OVER (ORDER BY {}, published_at DESC, id DESC) AS position \
         FROM (SELECT * FROM m ORDER BY id DESC LIMIT {RANKED_MATCHES}) newest) ranked \
         WHERE position > {first} AND position <= {last}",
        ranking.outer
    ));
    Ok(counted_ids(sql.load(conn)?))
}

/// PostgreSQL: the total of visible matches and the ids of `take` of them from `skip` on,
/// `skip` past the [`RANKED_MATCHES`] (which are the newest, ranked apart), newest first,
/// in one statement: the matches are found once, as in [`counted_and_ranked`].
fn counted_past_ranked(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    searched: &Searched,
    filter: &SearchFilter,
    skip: i64,
    take: i64,
) -> QueryResult<(i64, Vec<i64>)> {
    let mut sql = Sql::new(conn);
    sql.text.push_str("WITH m AS MATERIALIZED (");
    matching(&mut sql, "{id} AS id", false, searched, now);
    filtered(&mut sql, filter);
    let (limit, offset) = (sql.bind(Bound::Int(take)), sql.bind(Bound::Int(skip)));
    sql.text.push_str(&format!(
        ") SELECT NULL::bigint AS id, COUNT(*) AS total, NULL::bigint AS position FROM m \
         UNION ALL (SELECT id, NULL, row_number() OVER (ORDER BY id DESC) FROM m \
         ORDER BY id DESC LIMIT {limit} OFFSET {offset})"
    ));
    Ok(counted_ids(sql.load(conn)?))
}

/// Ids of `take` matches from `skip` on among the newest [`RANKED_MATCHES`], best first.
fn ranked(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    searched: &Searched,
    filter: &SearchFilter,
    skip: i64,
    take: i64,
) -> QueryResult<Vec<i64>> {
    let mut list = Sql::new(conn);
    list.text.push_str("SELECT id FROM (");
    let ranking = rankable_matches(&mut list, searched, filter, now);
    let take = list.bind(Bound::Int(take));
    let skip = list.bind(Bound::Int(skip));
    list.text.push_str(&format!(
        " ORDER BY {} LIMIT {RANKED_MATCHES}) ranked \
         ORDER BY {}, published_at DESC, id DESC LIMIT {take} OFFSET {skip}",
        ranking.newest, ranking.outer
    ));
    Ok(list
        .load::<Found>(conn)?
        .into_iter()
        .map(|found| found.id)
        .collect())
}

/// The results for these ids, in their order: summaries with the title and a snippet
/// marked.
pub fn hits(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    ids: &[i64],
    query: &Query,
) -> QueryResult<Vec<SearchHit>> {
    let found = article_resource::queries::summaries_and_bodies_by_ids(conn, now, ids)?;
    Ok(found
        .into_iter()
        .map(|(article, body_html)| {
            let text = ArticleText::of(
                &article.title,
                article.subtitle.as_deref(),
                &article.summary,
                &body_html,
            );
            SearchHit {
                title_html: snippet(&article.title, &query.needles, None),
                snippet_html: snippet(&text.body, &query.needles, Some(SNIPPET_CHARS)),
                article,
            }
        })
        .collect())
}

/// What a type-ahead box looks for.
pub enum Typed {
    /// Letters and digits: pinyin prefixes, or the start of a word in a title.
    Pinyin(TypedPinyin),
    /// Chinese: a search of titles.
    Words(Query),
}

/// Typed pinyin as a full-text expression: each prefix in any of its spellings (`prefix`
/// makes one), every prefix of an alternative, any alternative. Prefixes hold letters,
/// digits and ü only (`pinyin_typed`): safe inside quotes.
fn pinyin_expression(
    typed: &TypedPinyin,
    prefix: fn(&String) -> String,
    or: &str,
    and: &str,
) -> String {
    let group = |items: Vec<String>, with: &str| format!("({})", items.join(with));
    let alternatives = typed.alternatives().into_iter().map(|all| {
        let each = all
            .into_iter()
            .map(|part| group(pinyin_spellings(part).iter().map(prefix).collect(), or));
        group(each.collect(), and)
    });
    alternatives.collect::<Vec<_>>().join(or)
}

/// Titles of visible articles for a type-ahead box, best first.
pub fn suggest(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    typed: &Typed,
    limit: i64,
) -> QueryResult<Vec<Suggestion>> {
    let postgres = matches!(conn, AnyConnection::Postgresql(_));
    let searched = match typed {
        Typed::Pinyin(typed) if postgres => Searched::Postgres(PostgresMatch::AnyOf {
            vectors: &["title", "pinyin"],
            tsquery: pinyin_expression(typed, |s| format!("'{s}':*"), " | ", " & "),
        }),
        Typed::Pinyin(typed) => Searched::Fts5(format!(
            "{{pinyin title}} : ({})",
            pinyin_expression(typed, |s| format!("\"{s}\"*"), " OR ", " AND ")
        )),
        Typed::Words(query) if postgres => Searched::Postgres(PostgresMatch::AnyOf {
            vectors: &["title"],
            tsquery: query.tsquery(),
        }),
        Typed::Words(query) => Searched::Fts5(format!("{{title}} : ({})", query.fts5())),
    };
    let ids = through_index(conn, Plans::Generic, |conn| {
        ranked(conn, now, &searched, &SearchFilter::default(), 0, limit)
    })?;
    let mut rows: HashMap<i64, (String, String)> = articles::table
        .filter(articles::id.eq_any(&ids))
        .select((articles::id, articles::slug, articles::title))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, slug, title)| (id, (slug, title)))
        .collect();
    Ok(ids
        .into_iter()
        .filter_map(|id| {
            let (slug, title) = rows.remove(&id)?;
            let title_html = match typed {
                Typed::Words(query) => snippet(&title, &query.needles, None),
                Typed::Pinyin(typed) => snippet(&title, &typed.needles(&title), None),
            };
            Some(Suggestion {
                id,
                path: paths::article(&slug),
                title_html,
                slug,
                title,
            })
        })
        .collect())
}
