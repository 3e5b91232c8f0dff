//! The ranked search and the type-ahead suggestions, in each backend's own full-text SQL:
//! FTS5 `MATCH` ranked by BM25 on SQLite, a tsquery over the GIN-indexed tsvector ranked
//! by `ts_rank` on PostgreSQL; title matches weigh more than text on both. The public only
//! ever finds what `content::visible` shows (published, its time come).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::types::ArticleText;
use super::types::{SearchHit, Suggestion};
use crate::content::PUBLISHED;
use crate::db::schema::articles;
use crate::db::AnyConnection;
use crate::http::pagination::PageRequest;
use crate::resources::{articles as article_resource, paths};
use crate::terms::{snippet, Query};

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
    fn is_empty(&self) -> bool {
        self.category_ids.is_none()
            && self.tag_id.is_none()
            && self.published_from.is_none()
            && self.published_before.is_none()
    }
}

enum Bound {
    Text(String),
    Instant(NaiveDateTime),
    Int(i64),
}

/// SQL for one backend, with its bound values in order.
struct Sql {
    postgres: bool,
    text: String,
    binds: Vec<Bound>,
}

impl Sql {
    fn new(conn: &AnyConnection) -> Self {
        Self {
            postgres: matches!(conn, AnyConnection::Postgresql(_)),
            text: String::new(),
            binds: Vec::new(),
        }
    }

    /// The placeholder of a new bound value.
    fn bind(&mut self, value: Bound) -> String {
        self.binds.push(value);
        if self.postgres {
            format!("${}", self.binds.len())
        } else {
            "?".into()
        }
    }

    fn load<T>(self, conn: &mut AnyConnection) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
    {
        macro_rules! run {
            ($c:expr) => {{
                let mut query = diesel::sql_query(self.text).into_boxed();
                for value in self.binds {
                    query = match value {
                        Bound::Text(text) => query.bind::<Text, _>(text),
                        Bound::Instant(at) => query.bind::<Timestamp, _>(at),
                        Bound::Int(n) => query.bind::<BigInt, _>(n),
                    };
                }
                query.load($c)
            }};
        }
        match conn {
            AnyConnection::Sqlite(c) => run!(c),
            AnyConnection::Postgresql(c) => run!(c),
        }
    }
}

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

/// The FTS5 expression for `query` in titles and text (the pinyin column left out): what a
/// search and `/articles?q=` match on SQLite.
pub fn fts5_everywhere(query: &Query) -> String {
    format!("{{title body}} : ({})", query.fts5())
}

/// One full-text query, for each backend.
struct Searched {
    /// An FTS5 expression, with its column filter.
    fts5: String,
    /// A `to_tsquery` expression, and the vectors of `article_search` it may match (any one;
    /// the first ranks).
    tsquery: String,
    vectors: &'static [&'static str],
}

impl Searched {
    /// Titles and text.
    fn everywhere(query: &Query) -> Self {
        Self {
            fts5: fts5_everywhere(query),
            tsquery: query.tsquery(),
            vectors: &["terms"],
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
    let ranking = if sql.postgres {
        if scored {
            sql.text
                .push_str(&format!(", s.{} AS terms", searched.vectors[0]));
        }
        let query = sql.bind(Bound::Text(searched.tsquery.clone()));
        let any = searched
            .vectors
            .iter()
            .map(|vector| format!("s.{vector} @@ to_tsquery('simple', {query})"))
            .collect::<Vec<_>>()
            .join(" OR ");
        // No join: the index row mirrors a published article's time and its category.
        sql.text
            .push_str(&format!(" FROM article_search s WHERE ({any})"));
        Ranking {
            outer: format!("ts_rank(terms, to_tsquery('simple', {query})) DESC"),
            newest: "s.article_id DESC",
        }
    } else {
        if scored {
            // BM25 is lower for a better match; the title counts four times the text.
            sql.text
                .push_str(", bm25(article_search, 4.0, 1.0, 0.0) AS score");
        }
        let query = sql.bind(Bound::Text(searched.fts5.clone()));
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
        // Ids from the database, written as numbers.
        let list = ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        // PostgreSQL: the index row's mirror of the article's category.
        let category = if sql.postgres {
            "s.category_id"
        } else {
            "a.category_id"
        };
        sql.text.push_str(&format!(" AND {category} IN ({list})"));
    }
    if let Some(tag) = filter.tag_id {
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
/// through the GIN indexes. The planner does not count reading each row's term vector from
/// TOAST, so it often prefers checking `@@` row by row, by a sequential scan or by walking
/// the newest articles by primary key, and so reads up to every vector in the archive.
/// Measured at 100,000 topical articles: `/articles?q=护苗` 467 ms (a sequential scan of
/// `article_search`) against 47 ms (bitmap scans). With plain scans priced out, the
/// matches come from the index and only the rows kept are read.
///
/// For `/articles?q=` and suggestions (p50 1.53 s → 0.33–0.45 s and 190 → 20 ms with the
/// search benchmark), not for [`search`]: walking the newest matches by primary key until
/// the ranked ones are found is faster there for common words (one word p50 95 ms against
/// 195–210 ms with bitmap scans only).
pub fn match_through_index(conn: &mut AnyConnection) -> QueryResult<()> {
    if let AnyConnection::Postgresql(pg) = conn {
        use diesel::connection::SimpleConnection;
        pg.batch_execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")?;
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
    let searched = Searched::everywhere(query);
    let total = count(conn, now, &searched, filter)?;
    let (offset, end) = (page.offset(), page.offset() + page.per_page);
    if total <= offset {
        return Ok((total, Vec::new()));
    }
    let mut ids = Vec::new();
    if offset < RANKED_MATCHES {
        let take = end.min(RANKED_MATCHES) - offset;
        ids = ranked(conn, now, &searched, filter, offset, take)?;
    }
    if end > RANKED_MATCHES {
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
}

/// The number of visible articles matching a full-text expression made for the
/// connection's backend (FTS5 with its column filter, or `to_tsquery` over `terms`): the
/// total of `/articles?q=`, counted as a search counts.
pub fn count_visible(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    expression: &str,
) -> QueryResult<i64> {
    let searched = Searched {
        fts5: expression.to_owned(),
        tsquery: expression.to_owned(),
        vectors: &["terms"],
    };
    count(conn, now, &searched, &SearchFilter::default())
}

/// The most hidden articles (drafts, archived, scheduled) for which SQLite counts matches by
/// taking the hidden ones away from the index's own count.
const HIDDEN_CHECKED: usize = 50;

/// The number of visible matches. On SQLite with no filter, while the hidden articles are
/// few: the index's own count less the hidden articles among the matches, which never
/// visits the matches one by one (10,214 matches at 100,000 articles: 0.6 ms against
/// 4.7 ms). Otherwise each match is checked.
fn count(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    searched: &Searched,
    filter: &SearchFilter,
) -> QueryResult<i64> {
    let total = |sql: Sql, conn: &mut AnyConnection| -> QueryResult<i64> {
        Ok(sql.load::<Counted>(conn)?.first().map_or(0, |c| c.total))
    };
    if matches!(conn, AnyConnection::Sqlite(_)) && filter.is_empty() {
        if let Some(hidden) = few_hidden(conn, now)? {
            let mut all = Sql::new(conn);
            let query = all.bind(Bound::Text(searched.fts5.clone()));
            all.text = format!(
                "SELECT COUNT(*) AS total FROM article_search WHERE article_search MATCH {query}"
            );
            let mut matching_hidden = 0;
            if !hidden.is_empty() {
                let mut among = Sql::new(conn);
                let query = among.bind(Bound::Text(searched.fts5.clone()));
                // Ids from the database, written as numbers.
                let ids = hidden
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
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
    let ranking = matching(
        &mut list,
        "{id} AS id, {at} AS published_at",
        true,
        searched,
        now,
    );
    filtered(&mut list, filter);
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
    let summaries = article_resource::queries::summaries_by_ids(conn, now, ids)?;
    let texts: HashMap<i64, ArticleText> = articles::table
        .filter(articles::id.eq_any(ids))
        .select((
            articles::id,
            articles::title,
            articles::subtitle,
            articles::summary,
            articles::body_html,
        ))
        .load::<(i64, String, Option<String>, String, String)>(conn)?
        .into_iter()
        .map(|(id, title, subtitle, summary, body)| {
            (
                id,
                ArticleText::of(&title, subtitle.as_deref(), &summary, &body),
            )
        })
        .collect();
    Ok(summaries
        .into_iter()
        .map(|article| {
            let body = texts.get(&article.id).map_or("", |text| text.body.as_str());
            SearchHit {
                title_html: snippet(&article.title, &query.needles, None),
                snippet_html: snippet(body, &query.needles, Some(SNIPPET_CHARS)),
                article,
            }
        })
        .collect())
}

/// What a type-ahead box looks for.
pub enum Typed {
    /// Letters and digits: a pinyin prefix, or the start of a word in a title.
    Pinyin(String),
    /// Chinese: a search of titles.
    Words(Query),
}

/// Titles of visible articles for a type-ahead box, best first.
pub fn suggest(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    typed: &Typed,
    limit: i64,
) -> QueryResult<Vec<Suggestion>> {
    match_through_index(conn)?;
    let searched = match typed {
        Typed::Pinyin(prefix) => Searched {
            fts5: format!("{{pinyin title}} : \"{prefix}\"*"),
            tsquery: format!("'{prefix}':*"),
            vectors: &["title", "pinyin"],
        },
        Typed::Words(query) => Searched {
            fts5: format!("{{title}} : ({})", query.fts5()),
            tsquery: query.tsquery(),
            vectors: &["title"],
        },
    };
    let ids = ranked(conn, now, &searched, &SearchFilter::default(), 0, limit)?;
    let mut rows: HashMap<i64, (String, String)> = articles::table
        .filter(articles::id.eq_any(&ids))
        .select((articles::id, articles::slug, articles::title))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, slug, title)| (id, (slug, title)))
        .collect();
    let needles: &[String] = match typed {
        Typed::Words(query) => &query.needles,
        Typed::Pinyin(_) => &[],
    };
    Ok(ids
        .into_iter()
        .filter_map(|id| {
            let (slug, title) = rows.remove(&id)?;
            Some(Suggestion {
                id,
                path: paths::article(&slug),
                title_html: snippet(&title, needles, None),
                slug,
                title,
            })
        })
        .collect())
}
