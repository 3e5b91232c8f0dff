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

/// `FROM … WHERE …` for a full-text expression over some columns (SQLite) or weights
/// (PostgreSQL), visible articles only; and the ranking, best first.
fn matching(sql: &mut Sql, fts5: String, tsquery: String, now: NaiveDateTime) -> String {
    let rank = if sql.postgres {
        let query = sql.bind(Bound::Text(tsquery));
        sql.text.push_str(&format!(
            " FROM article_search s JOIN articles a ON a.id = s.article_id \
             WHERE s.terms @@ to_tsquery('simple', {query})"
        ));
        format!("ts_rank(s.terms, to_tsquery('simple', {query})) DESC")
    } else {
        let query = sql.bind(Bound::Text(fts5));
        // CROSS JOIN keeps the match driving the join: left to itself, SQLite may walk the
        // visible articles and run the full-text query once per article (seconds at 10,000
        // articles for a common word, measured by a helper's search benchmark).
        sql.text.push_str(&format!(
            " FROM article_search CROSS JOIN articles a ON a.id = article_search.rowid \
             WHERE article_search MATCH {query}"
        ));
        // BM25 is lower for a better match; the title counts four times the text.
        "bm25(article_search, 4.0, 1.0, 0.0)".to_owned()
    };
    let now = sql.bind(Bound::Instant(now));
    sql.text.push_str(&format!(
        " AND a.status = '{PUBLISHED}' AND a.published_at <= {now}"
    ));
    rank
}

fn filtered(sql: &mut Sql, filter: &SearchFilter) {
    if let Some(ids) = &filter.category_ids {
        // Ids from the database, written as numbers.
        let list = ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        sql.text
            .push_str(&format!(" AND a.category_id IN ({list})"));
    }
    if let Some(tag) = filter.tag_id {
        let tag = sql.bind(Bound::Int(tag));
        sql.text.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag_id = {tag})"
        ));
    }
    if let Some(from) = filter.published_from {
        let from = sql.bind(Bound::Instant(from));
        sql.text.push_str(&format!(" AND a.published_at >= {from}"));
    }
    if let Some(before) = filter.published_before {
        let before = sql.bind(Bound::Instant(before));
        sql.text
            .push_str(&format!(" AND a.published_at < {before}"));
    }
}

/// The total of visible articles matching, and the ids of one page of them, best first.
pub fn search(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    query: &Query,
    filter: &SearchFilter,
    page: &PageRequest,
) -> QueryResult<(i64, Vec<i64>)> {
    let fts5 = || format!("{{title body}} : ({})", query.fts5());
    let mut count = Sql::new(conn);
    count.text.push_str("SELECT COUNT(*) AS total");
    matching(&mut count, fts5(), query.tsquery("AB"), now);
    filtered(&mut count, filter);
    let total = count
        .load::<Counted>(conn)?
        .first()
        .map_or(0, |counted| counted.total);
    if total <= page.offset() {
        return Ok((total, Vec::new()));
    }
    let mut list = Sql::new(conn);
    list.text.push_str("SELECT a.id AS id");
    let rank = matching(&mut list, fts5(), query.tsquery("AB"), now);
    filtered(&mut list, filter);
    let limit = list.bind(Bound::Int(page.per_page));
    let offset = list.bind(Bound::Int(page.offset()));
    list.text.push_str(&format!(
        " ORDER BY {rank}, a.published_at DESC, a.id DESC LIMIT {limit} OFFSET {offset}"
    ));
    let ids = list
        .load::<Found>(conn)?
        .into_iter()
        .map(|found| found.id)
        .collect();
    Ok((total, ids))
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
    let (fts5, tsquery) = match typed {
        Typed::Pinyin(prefix) => (
            format!("{{pinyin title}} : \"{prefix}\"*"),
            format!("'{prefix}':*AC"),
        ),
        Typed::Words(query) => (
            format!("{{title}} : ({})", query.fts5()),
            query.tsquery("A"),
        ),
    };
    let mut sql = Sql::new(conn);
    sql.text.push_str("SELECT a.id AS id");
    let rank = matching(&mut sql, fts5, tsquery, now);
    let limit = sql.bind(Bound::Int(limit));
    sql.text.push_str(&format!(
        " ORDER BY {rank}, a.published_at DESC, a.id DESC LIMIT {limit}"
    ));
    let ids: Vec<i64> = sql
        .load::<Found>(conn)?
        .into_iter()
        .map(|found| found.id)
        .collect();
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
