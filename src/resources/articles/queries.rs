use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::status::ArticleStatus;
use super::types::{Article, ArticleLink, ArticleSummary, Seo};
use crate::clock::at_offset;
use crate::content::changes::ChangeKey;
use crate::content::{counts, is_visible, visible, PUBLISHED};
use crate::db::schema::{article_tags, articles};
use crate::db::{AnyConnection, MultiBackend};
use crate::error::ApiError;
use crate::http::pagination::{Cursor, Page, PageMeta, PageRequest, Position};
use crate::resources::search::queries::FullText;
use crate::resources::{categories, media, paths, site, tags};

/// How many related articles an article page gets.
pub const RELATED_LIMIT: i64 = 6;

#[derive(Debug, Clone, Queryable)]
pub struct ArticleRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub summary: String,
    pub body_html: String,
    pub cover_media_id: Option<i64>,
    pub source: Option<String>,
    pub author_name: Option<String>,
    pub category_id: Option<i64>,
    pub status: String,
    pub published_at: Option<NaiveDateTime>,
    pub utc_offset_minutes: i32,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub author_id: Option<i64>,
    pub version: i64,
}

impl ArticleRow {
    /// Its workflow state at `now`.
    pub fn status_at(&self, now: NaiveDateTime) -> ArticleStatus {
        ArticleStatus::of_stored(&self.status, self.published_at, now)
    }
}

/// Everything a list shows; the body stays in the database.
#[diesel::dsl::auto_type]
fn summary_columns() -> _ {
    (
        articles::id,
        articles::slug,
        articles::title,
        articles::subtitle,
        articles::summary,
        articles::cover_media_id,
        articles::source,
        articles::author_name,
        articles::category_id,
        articles::published_at,
        articles::utc_offset_minutes,
        articles::status,
        articles::updated_at,
    )
}

#[derive(Debug, Clone, Queryable)]
pub struct SummaryRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub summary: String,
    pub cover_media_id: Option<i64>,
    pub source: Option<String>,
    pub author_name: Option<String>,
    pub category_id: Option<i64>,
    pub published_at: Option<NaiveDateTime>,
    pub utc_offset_minutes: i32,
    pub status: String,
    pub updated_at: NaiveDateTime,
}

#[diesel::dsl::auto_type]
fn link_columns() -> _ {
    (
        articles::id,
        articles::slug,
        articles::title,
        articles::published_at,
        articles::utc_offset_minutes,
    )
}
type LinkRow = (i64, String, String, Option<NaiveDateTime>, i32);

fn link((id, slug, title, published_at, offset): LinkRow) -> ArticleLink {
    ArticleLink {
        id,
        path: paths::article(&slug),
        slug,
        title,
        published_at: at_offset(published_at.unwrap_or_default(), offset),
    }
}

/// Checked filters for a list, with slugs already resolved to ids.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub category_ids: Option<Vec<i64>>,
    pub tag_id: Option<i64>,
    /// `[from, to)` in UTC.
    pub published_between: Option<(NaiveDateTime, NaiveDateTime)>,
    pub author: Option<String>,
    pub ascending: bool,
    /// Editors' lists by workflow state; None is the public list.
    pub status: Option<ArticleStatus>,
    /// Limits an editors' list to one author's articles (authors see only their own).
    pub author_id: Option<i64>,
    /// Only articles matching a search, in the backend's own full-text syntax.
    pub search: Option<FullText>,
}

impl ArticleFilter {
    /// The public list: published articles whose time has come.
    fn is_public(&self) -> bool {
        matches!(self.status, None | Some(ArticleStatus::Published))
    }
}

/// A list request as the client gave it, before slugs are looked up.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub category: Option<String>,
    pub tag: Option<String>,
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub author: Option<String>,
    pub ascending: bool,
    pub status: Option<ArticleStatus>,
    pub author_id: Option<i64>,
    pub search: Option<crate::terms::Query>,
}

/// Looks up the slugs a request names: an unknown one is the client's mistake (400),
/// not an empty result, so a typo never passes for "no articles".
pub fn resolve_filter(
    conn: &mut AnyConnection,
    request: &ListRequest,
) -> Result<ArticleFilter, ApiError> {
    let category_ids = match &request.category {
        Some(slug) => {
            let rows = categories::queries::all(conn)?;
            let root = rows.iter().find(|row| &row.slug == slug).ok_or_else(|| {
                ApiError::invalid("category", format!("no category has the slug `{slug}`"))
            })?;
            Some(categories::queries::with_descendants(&rows, root.id))
        }
        None => None,
    };
    let tag_id = match &request.tag {
        Some(slug) => Some(
            tags::queries::id_by_slug(conn, slug)?
                .ok_or_else(|| ApiError::invalid("tag", format!("no tag has the slug `{slug}`")))?,
        ),
        None => None,
    };
    let published_between = match request.year {
        Some(year) => {
            let offset = i64::from(site::queries::utc_offset_minutes(conn)?);
            let (from, to) = match request.month {
                Some(month) => (
                    NaiveDate::from_ymd_opt(year, month, 1),
                    if month == 12 {
                        NaiveDate::from_ymd_opt(year + 1, 1, 1)
                    } else {
                        NaiveDate::from_ymd_opt(year, month + 1, 1)
                    },
                ),
                None => (
                    NaiveDate::from_ymd_opt(year, 1, 1),
                    NaiveDate::from_ymd_opt(year + 1, 1, 1),
                ),
            };
            let local_midnight = |date: Option<NaiveDate>| {
                date.and_then(|date| date.and_hms_opt(0, 0, 0))
                    .map(|local| local - chrono::Duration::minutes(offset))
                    .ok_or_else(|| ApiError::invalid("year", "is out of range"))
            };
            Some((local_midnight(from)?, local_midnight(to)?))
        }
        None => None,
    };
    let search = request
        .search
        .as_ref()
        .map(|query| FullText::of(conn, query));
    Ok(ArticleFilter {
        category_ids,
        tag_id,
        published_between,
        author: request.author.clone(),
        ascending: request.ascending,
        status: request.status,
        author_id: request.author_id,
        search,
    })
}

fn filtered(
    now: NaiveDateTime,
    filter: &ArticleFilter,
) -> articles::BoxedQuery<'static, MultiBackend> {
    let mut query = match filter.status {
        None | Some(ArticleStatus::Published) => articles::table.filter(visible(now)).into_boxed(),
        Some(ArticleStatus::Scheduled) => articles::table
            .filter(articles::status.eq(PUBLISHED))
            .filter(articles::published_at.gt(now))
            .into_boxed(),
        Some(other) => articles::table
            .filter(articles::status.eq(other.as_str()))
            .into_boxed(),
    };
    if let Some(author_id) = filter.author_id {
        query = query.filter(articles::author_id.eq(author_id));
    }
    if let Some(ids) = &filter.category_ids {
        query = query.filter(articles::category_id.eq_any(ids.clone()));
    }
    if let Some(tag_id) = filter.tag_id {
        query = query.filter(
            articles::id.eq_any(
                article_tags::table
                    .filter(article_tags::tag_id.eq(tag_id))
                    .select(article_tags::article_id),
            ),
        );
    }
    if let Some((from, to)) = filter.published_between {
        query = query
            .filter(articles::published_at.ge(from))
            .filter(articles::published_at.lt(to));
    }
    if let Some(author) = &filter.author {
        query = query.filter(articles::author_name.eq(author.clone()));
    }
    if let Some(search) = &filter.search {
        query = query.filter(search.matches_article());
    }
    query
}

/// The total of a public list from the counters the database keeps, when they can give
/// it: the whole site, one category (with its descendants) or one tag, the page regions
/// every visit asks for; a search alone, as a search counts. Other filters (author, dates,
/// several at once) count.
fn counted_total(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    filter: &ArticleFilter,
) -> QueryResult<Option<i64>> {
    let only_public = filter.is_public()
        && filter.author_id.is_none()
        && filter.author.is_none()
        && filter.published_between.is_none();
    if !only_public {
        return Ok(None);
    }
    if let Some(search) = &filter.search {
        if filter.category_ids.is_some() || filter.tag_id.is_some() {
            return Ok(None);
        }
        return crate::resources::search::queries::count_visible(conn, now, search).map(Some);
    }
    match (&filter.category_ids, filter.tag_id) {
        (None, None) => counts::site(conn, now).map(Some),
        (Some(ids), None) => counts::in_categories(conn, now, ids).map(Some),
        (None, Some(tag)) => counts::with_tag(conn, now, tag).map(Some),
        (Some(_), Some(_)) => Ok(None),
    }
}

/// One page of published articles, newest (or oldest) first, with totals.
pub fn list(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    filter: &ArticleFilter,
    request: &PageRequest,
) -> Result<Page<ArticleSummary>, ApiError> {
    let (total, chosen) = if filter.search.is_some() {
        use crate::resources::search::queries::{through_index, Plans};
        // The list's own statements run too, some joining other tables: planned as usual.
        through_index(conn, Plans::AsChosen, |conn| {
            choose(conn, now, filter, request)
        })?
    } else {
        choose(conn, now, filter, request)?
    };
    let returned = chosen.rows.len();
    let items = summaries(conn, now, chosen.rows)?;
    Ok(Page {
        items,
        meta: PageMeta::new(request, total, returned, chosen.has_more, chosen.last),
    })
}

/// One page's rows, before they become summaries.
struct ChosenPage {
    rows: Vec<SummaryRow>,
    has_more: bool,
    last: Option<Cursor>,
}

/// A list's total and the rows of the page asked for: the statements that match a search,
/// when there is one.
fn choose(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    filter: &ArticleFilter,
    request: &PageRequest,
) -> Result<(i64, ChosenPage), ApiError> {
    if !filter.is_public() {
        let total = total(conn, now, filter)?;
        return Ok((total, unpublished_rows(conn, now, filter, request)?));
    }
    // One upper bound, not two: the index range must start at the cursor, not at `now`.
    let upper = match &request.position {
        Position::After(cursor) if !filter.ascending => now.min(cursor.published_at),
        _ => now,
    };
    if let Position::After(cursor) = &request.position {
        if cursor.ascending != filter.ascending {
            return Err(ApiError::invalid("cursor", "was made for another `sort`"));
        }
    }
    let (total, page_ids) = match page_of_matches(conn, now, filter, request)? {
        Some((total, ids)) => (total, Some(ids)),
        None => (total(conn, now, filter)?, None),
    };
    let mut query = match &page_ids {
        // The page is chosen: its rows, read as any list reads them.
        Some(ids) => filtered(
            upper,
            &ArticleFilter {
                search: None,
                ..filter.clone()
            },
        )
        .filter(articles::id.eq_any(ids.clone())),
        None => filtered(upper, filter),
    };
    if let (Position::After(cursor), None) = (&request.position, &page_ids) {
        let (at, id) = (cursor.published_at, cursor.id);
        // The plain bound on published_at lets the index range start at the cursor; the
        // second condition breaks ties on id.
        query = if filter.ascending {
            query
                .filter(articles::published_at.ge(at))
                .filter(articles::published_at.gt(at).or(articles::id.gt(id)))
        } else {
            query
                .filter(articles::published_at.le(at))
                .filter(articles::published_at.lt(at).or(articles::id.lt(id)))
        };
    }
    query = if filter.ascending {
        query.order((articles::published_at.asc(), articles::id.asc()))
    } else {
        query.order((articles::published_at.desc(), articles::id.desc()))
    };
    let offset = if page_ids.is_some() {
        0
    } else {
        request.offset()
    };
    let mut rows: Vec<SummaryRow> = query
        .select(summary_columns())
        .offset(offset)
        .limit(request.per_page + 1)
        .load(conn)?;
    let has_more = rows.len() as i64 > request.per_page;
    rows.truncate(request.per_page as usize);
    let last = rows.last().map(|row| Cursor {
        published_at: row.published_at.unwrap_or_default(),
        id: row.id,
        ascending: filter.ascending,
    });
    Ok((
        total,
        ChosenPage {
            rows,
            has_more,
            last,
        },
    ))
}

/// A list's total: from the counters where they can give it, else counted.
fn total(conn: &mut AnyConnection, now: NaiveDateTime, filter: &ArticleFilter) -> QueryResult<i64> {
    match counted_total(conn, now, filter)? {
        Some(total) => Ok(total),
        None => filtered(now, filter).count().get_result(conn),
    }
}

/// On PostgreSQL, the total and the ids of one page of a public list filtered by a search
/// alone (or with a category, a tag or dates), chosen from the search index's rows in one
/// statement (see `search::queries::counted_page_of_matches`); `None` where the list's own
/// queries count and choose.
fn page_of_matches(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    filter: &ArticleFilter,
    request: &PageRequest,
) -> QueryResult<Option<(i64, Vec<i64>)>> {
    use crate::resources::search::queries::{self as search, After, SearchFilter};
    let Some(full_text) = &filter.search else {
        return Ok(None);
    };
    if !filter.is_public() || filter.author.is_some() || filter.author_id.is_some() {
        return Ok(None);
    }
    let after = match &request.position {
        Position::After(cursor) => Some(After {
            published_at: cursor.published_at,
            id: cursor.id,
        }),
        _ => None,
    };
    let narrowed = SearchFilter {
        category_ids: filter.category_ids.clone(),
        tag_id: filter.tag_id,
        published_from: filter.published_between.map(|(from, _)| from),
        published_before: filter.published_between.map(|(_, to)| to),
    };
    search::counted_page_of_matches(
        conn,
        now,
        full_text,
        &narrowed,
        after.as_ref(),
        filter.ascending,
        request.offset(),
        request.per_page + 1,
    )
}

/// Editors' lists of drafts and the like: newest change first, by page number (their
/// dates may be empty, so there is no date cursor).
fn unpublished_rows(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    filter: &ArticleFilter,
    request: &PageRequest,
) -> Result<ChosenPage, ApiError> {
    if matches!(request.position, Position::After(_)) {
        return Err(ApiError::invalid(
            "cursor",
            "pages published lists only; use `page` with `status`",
        ));
    }
    let rows: Vec<SummaryRow> = filtered(now, filter)
        .order((articles::updated_at.desc(), articles::id.desc()))
        .select(summary_columns())
        .offset(request.offset())
        .limit(request.per_page)
        .load(conn)?;
    Ok(ChosenPage {
        rows,
        has_more: false,
        last: None,
    })
}

/// Turns rows into summaries with their category, tags and cover: three queries for the
/// whole list, never one per article.
pub fn summaries(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    rows: Vec<SummaryRow>,
) -> QueryResult<Vec<ArticleSummary>> {
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let cover_ids: Vec<i64> = rows.iter().filter_map(|row| row.cover_media_id).collect();
    let categories = categories::queries::refs_by_id(conn)?;
    let mut tags = tags::queries::for_articles(conn, &ids)?;
    let covers = media::queries::by_ids(conn, &cover_ids)?;
    Ok(rows
        .into_iter()
        .map(|row| ArticleSummary {
            id: row.id,
            path: paths::article(&row.slug),
            slug: row.slug,
            title: row.title,
            subtitle: row.subtitle,
            summary: row.summary,
            cover: row.cover_media_id.and_then(|id| covers.get(&id).cloned()),
            category: row.category_id.and_then(|id| categories.get(&id).cloned()),
            tags: tags.remove(&row.id).unwrap_or_default(),
            author_name: row.author_name,
            source: row.source,
            status: ArticleStatus::of_stored(&row.status, row.published_at, now)
                .as_str()
                .to_owned(),
            // Drafts without a date show their last change.
            published_at: at_offset(
                row.published_at.unwrap_or(row.updated_at),
                row.utc_offset_minutes,
            ),
        })
        .collect())
}

/// Summaries of these visible articles, in the order of `ids`.
pub fn summaries_by_ids(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    ids: &[i64],
) -> QueryResult<Vec<ArticleSummary>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<SummaryRow> = articles::table
        .filter(articles::id.eq_any(ids))
        .select(summary_columns())
        .load(conn)?;
    let ordered = visible_in_order(rows, ids, now, |row| row);
    summaries(conn, now, ordered)
}

/// [`summaries_by_ids`] with each article's body (HTML), read by the same statement: search
/// results make their snippets from it.
pub fn summaries_and_bodies_by_ids(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    ids: &[i64],
) -> QueryResult<Vec<(ArticleSummary, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(SummaryRow, String)> = articles::table
        .filter(articles::id.eq_any(ids))
        .select((summary_columns(), articles::body_html))
        .load(conn)?;
    let (rows, bodies): (Vec<SummaryRow>, Vec<String>) =
        visible_in_order(rows, ids, now, |(row, _)| row)
            .into_iter()
            .unzip();
    // `summaries` keeps the order of its rows.
    Ok(summaries(conn, now, rows)?
        .into_iter()
        .zip(bodies)
        .collect())
}

/// The visible ones of `rows` (read by id), in the order of `ids`.
fn visible_in_order<R>(
    rows: Vec<R>,
    ids: &[i64],
    now: NaiveDateTime,
    summary_row: impl Fn(&R) -> &SummaryRow,
) -> Vec<R> {
    let mut by_id: HashMap<i64, R> = rows
        .into_iter()
        .filter(|r| {
            let row = summary_row(r);
            is_visible(&row.status, row.published_at, now)
        })
        .map(|r| (summary_row(&r).id, r))
        .collect();
    ids.iter().filter_map(|id| by_id.remove(id)).collect()
}

/// Slugs of the visible articles among `ids` (for menus).
pub fn visible_slugs(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    ids: &[i64],
) -> QueryResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(articles::table
        .filter(articles::id.eq_any(ids))
        .select((
            articles::id,
            articles::slug,
            articles::status,
            articles::published_at,
        ))
        .load::<(i64, String, String, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .filter(|(_, _, status, published_at)| is_visible(status, *published_at, now))
        .map(|(id, slug, _, _)| (id, slug))
        .collect())
}

/// A visible article by id or slug.
pub fn find(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    key: &crate::http::params::IdOrSlug,
) -> QueryResult<Option<ArticleRow>> {
    use crate::http::params::IdOrSlug;
    let query = articles::table
        .filter(visible(now))
        .select(articles::all_columns)
        .into_boxed();
    let query = match key {
        IdOrSlug::Id(id) => query.filter(articles::id.eq(*id)),
        IdOrSlug::Slug(slug) => query.filter(articles::slug.eq(slug.clone())),
    };
    query.first(conn).optional()
}

/// The neighbour of an article in its category by `(published_at, id)`: the one just
/// before (`older`) or just after.
fn neighbour(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    row: &ArticleRow,
    older: bool,
) -> QueryResult<Option<ArticleLink>> {
    let Some(at) = row.published_at else {
        return Ok(None);
    };
    let mut query = articles::table.filter(visible(now)).into_boxed();
    query = match row.category_id {
        Some(category) => query.filter(articles::category_id.eq(category)),
        None => query.filter(articles::category_id.is_null()),
    };
    query = if older {
        // The plain bound keeps newer articles out (a lower id published later is not
        // older) and lets the index range start at this article, not at "now".
        query
            .filter(articles::published_at.le(at))
            .filter(articles::published_at.lt(at).or(articles::id.lt(row.id)))
            .order((articles::published_at.desc(), articles::id.desc()))
    } else {
        query
            .filter(articles::published_at.ge(at))
            .filter(articles::published_at.gt(at).or(articles::id.gt(row.id)))
            .order((articles::published_at.asc(), articles::id.asc()))
    };
    Ok(query
        .select(link_columns())
        .first::<LinkRow>(conn)
        .optional()?
        .map(link))
}

/// Up to [`RELATED_LIMIT`] visible articles: those an editor pinned, in their order, then
/// those that say the most alike (computed when articles are written, see
/// `resources::search::related`), in one indexed query. A list still short (a new site, an
/// article with little text) is filled with the newest sharing a tag, then of its category.
///
/// With the links, what they were chosen from: every stored candidate (a hidden one may
/// come back), and when the list was filled, the tags it was filled by.
fn related(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    row: &ArticleRow,
) -> QueryResult<(Vec<ArticleLink>, Vec<ChangeKey>)> {
    use crate::db::schema::article_related;
    // The list joined to its articles by primary key, and visibility checked here: with
    // the visibility condition in SQL, both planners may start from the visible articles
    // and probe this article's list once for each of them (a scan of the archive on every
    // uncached article page; measured at 10,000 articles: 4.4 ms on SQLite, 292 ms on
    // PostgreSQL, against 0.3 ms from the list).
    let ranked: Vec<(LinkRow, String)> = article_related::table
        .inner_join(articles::table.on(articles::id.eq(article_related::related_id)))
        .filter(article_related::article_id.eq(row.id))
        .order((
            article_related::score.desc(),
            article_related::related_id.desc(),
        ))
        .select((link_columns(), articles::status))
        .load(conn)?;
    let mut shows: Vec<ChangeKey> = ranked
        .iter()
        .map(|(candidate, _)| ChangeKey::Article(candidate.0))
        .collect();
    let mut links: Vec<ArticleLink> = ranked
        .into_iter()
        .filter(|(candidate, status)| is_visible(status, candidate.3, now))
        .take(RELATED_LIMIT as usize)
        .map(|(candidate, _)| link(candidate))
        .collect();
    if (links.len() as i64) < RELATED_LIMIT {
        let taken: Vec<i64> = links.iter().map(|link| link.id).collect();
        let (alike, tag_ids) = newest_alike(conn, now, row, &taken)?;
        shows.extend(alike.iter().map(|link| ChangeKey::Article(link.id)));
        shows.extend(tag_ids.into_iter().map(ChangeKey::Tag));
        links.extend(alike);
    }
    Ok((links, shows))
}

/// Up to [`RELATED_LIMIT`] less `taken` visible articles: those sharing a tag with this
/// one first, then others of its category; newest first within each; never the article
/// itself nor one of `taken`. With them, the article's tags.
///
/// The newest articles sharing any of the tags are among the newest few of each tag, so
/// each tag costs one bounded index range (`article_tags_tag_published_idx`) however many
/// articles carry it.
fn newest_alike(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    row: &ArticleRow,
    taken: &[i64],
) -> QueryResult<(Vec<ArticleLink>, Vec<i64>)> {
    let wanted = RELATED_LIMIT - taken.len() as i64;
    let tag_ids: Vec<i64> = article_tags::table
        .filter(article_tags::article_id.eq(row.id))
        .select(article_tags::tag_id)
        .load(conn)?;
    let mut sharing: Vec<(NaiveDateTime, i64)> = Vec::new();
    for &tag_id in &tag_ids {
        let newest: Vec<(Option<NaiveDateTime>, i64)> = article_tags::table
            .filter(article_tags::tag_id.eq(tag_id))
            .filter(article_tags::published_at.le(now))
            .filter(article_tags::article_id.ne(row.id))
            .order((
                article_tags::published_at.desc(),
                article_tags::article_id.desc(),
            ))
            .select((article_tags::published_at, article_tags::article_id))
            .limit(RELATED_LIMIT + taken.len() as i64)
            .load(conn)?;
        sharing.extend(
            newest
                .into_iter()
                .filter_map(|(at, id)| at.map(|at| (at, id))),
        );
    }
    sharing.sort_unstable_by(|a, b| b.cmp(a));
    let mut ids: Vec<i64> = Vec::new();
    for (_, id) in sharing {
        if !ids.contains(&id) && !taken.contains(&id) && (ids.len() as i64) < wanted {
            ids.push(id);
        }
    }
    let missing = wanted - ids.len() as i64;
    if missing > 0 {
        if let Some(category) = row.category_id {
            let mut excluded = ids.clone();
            excluded.extend_from_slice(taken);
            excluded.push(row.id);
            let more: Vec<i64> = articles::table
                .filter(visible(now))
                .filter(articles::category_id.eq(category))
                .filter(articles::id.ne_all(excluded))
                .order((articles::published_at.desc(), articles::id.desc()))
                .select(articles::id)
                .limit(missing)
                .load(conn)?;
            ids.extend(more);
        }
    }
    if ids.is_empty() {
        return Ok((Vec::new(), tag_ids));
    }
    let mut links: HashMap<i64, ArticleLink> = articles::table
        .filter(articles::id.eq_any(&ids))
        .select(link_columns())
        .load::<LinkRow>(conn)?
        .into_iter()
        .map(|row| (row.0, link(row)))
        .collect();
    let links = ids.into_iter().filter_map(|id| links.remove(&id)).collect();
    Ok((links, tag_ids))
}

/// The whole article page: the article, its images, prev/next and related; with the keys
/// whose change may change it (besides site-wide content, which every answer shows).
pub fn page(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    row: ArticleRow,
) -> QueryResult<(Article, Vec<ChangeKey>)> {
    let categories = categories::queries::refs_by_id(conn)?;
    let tags = tags::queries::for_articles(conn, &[row.id])?
        .remove(&row.id)
        .unwrap_or_default();
    let cover = match row.cover_media_id {
        Some(id) => media::queries::by_ids(conn, &[id])?.remove(&id),
        None => None,
    };
    let images = media::queries::for_article(conn, row.id)?;
    let prev = neighbour(conn, now, &row, true)?;
    let next = neighbour(conn, now, &row, false)?;
    let (related, mut shows) = related(conn, now, &row)?;
    // Prev and next change when an article enters, leaves or moves in the category's order.
    shows.push(ChangeKey::Category(row.category_id));
    shows.push(ChangeKey::Article(row.id));
    shows.push(ChangeKey::RelatedList(row.id));
    shows.extend(
        prev.iter()
            .chain(&next)
            .map(|link| ChangeKey::Article(link.id)),
    );
    let offset = row.utc_offset_minutes;
    let status = row.status_at(now).as_str().to_owned();
    let article = Article {
        id: row.id,
        path: paths::article(&row.slug),
        slug: row.slug,
        title: row.title,
        subtitle: row.subtitle,
        summary: row.summary,
        body_html: media::html::responsive(
            &row.body_html,
            &images.iter().chain(cover.iter()).collect::<Vec<_>>(),
        ),
        cover,
        images,
        category: row.category_id.and_then(|id| categories.get(&id).cloned()),
        tags,
        author_name: row.author_name,
        source: row.source,
        // Drafts without a date show their last change, as in lists.
        published_at: at_offset(row.published_at.unwrap_or(row.updated_at), offset),
        updated_at: at_offset(row.updated_at, offset),
        status,
        version: row.version,
        seo: Seo {
            title: row.seo_title,
            description: row.seo_description,
        },
        prev,
        next,
        related,
    };
    Ok((article, shows))
}

/// An article in any state, by id (for editors).
pub fn by_id(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<ArticleRow>> {
    articles::table
        .filter(articles::id.eq(id))
        .select(articles::all_columns)
        .first(conn)
        .optional()
}

/// Where a former slug of a visible article now points (its current slug).
pub fn renamed_to(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    old_slug: &str,
) -> QueryResult<Option<String>> {
    use crate::db::schema::article_slug_history;
    article_slug_history::table
        .inner_join(articles::table)
        .filter(article_slug_history::slug.eq(old_slug))
        .filter(visible(now))
        .select(articles::slug)
        .first(conn)
        .optional()
}

/// The page of an unpublished article as it will look once published: published at its
/// `published_at` (or now), with prev/next/related computed accordingly.
pub fn preview(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    mut row: ArticleRow,
) -> QueryResult<Article> {
    let status = row.status_at(now).as_str().to_owned();
    row.published_at = Some(row.published_at.unwrap_or(now));
    let (mut page, _) = page(conn, now, row)?;
    page.status = status;
    Ok(page)
}
