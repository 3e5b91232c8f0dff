use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::queries::{self, SearchFilter, Typed};
use super::types::{SearchParams, SearchResults, SuggestParams, Suggestions};
use crate::auth::extract::MaybeAuthUser;
use crate::error::ApiError;
use crate::http::pagination::{PageMeta, PageRequest};
use crate::http::params;
use crate::http::responses;
use crate::resources::articles::queries::{resolve_filter, ListRequest};
use crate::resources::site;
use crate::state::AppState;
use crate::terms::{Query, QueryError, MAX_QUERY_CHARS};

/// The `q` a search needs: 400 naming it when it is missing or cannot be searched for.
fn required_query(raw: Option<&str>) -> Result<Query, ApiError> {
    let raw = raw.ok_or_else(|| ApiError::invalid("q", "is required: what to search for"))?;
    Query::parse(raw).map_err(|error| ApiError::invalid("q", error.to_string()))
}

/// Midnight at the start of `day` in the site's time zone, in UTC.
fn local_midnight(day: NaiveDate, offset_minutes: i32) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).unwrap_or_default() - Duration::minutes(i64::from(offset_minutes))
}

/// Search published articles.
///
/// Ranked: the newest 200 matches by relevance (a match in the title weighs more than one
/// in the text, then newer first), then the older matches, newest first. Each
/// result is the article's summary with `title_html` and `snippet_html`, HTML-escaped, every
/// match in `<mark>`. Chinese is matched by its characters, so words no dictionary knows
/// (names, 护苗) are found, and never inside an unrelated word; see `q`. Combine with
/// `category`, `tag` and a `from`–`to` range of days; page with `page`/`per_page` (`meta`
/// has the total). Drafts, scheduled and archived articles are never found.
#[utoipa::path(
    tag = "search",
    params(SearchParams),
    security((), ("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "A page of results, best first", body = SearchResults,
            headers(("Link" = String, description = "RFC 8288 pagination links"))),
        responses::PublicList,
        responses::InvalidToken,
    )
)]
#[get("/search")]
pub async fn search(
    state: web::Data<AppState>,
    req: HttpRequest,
    _viewer: MaybeAuthUser,
    query: web::Query<SearchParams>,
) -> Result<HttpResponse, ApiError> {
    let mut checks = params::Checks::default();
    let terms = checks.take(required_query(query.q.as_deref()));
    let page = checks.take(PageRequest::parse(
        query.page.as_deref(),
        query.per_page.as_deref(),
        None,
    ));
    let request = ListRequest {
        category: checks
            .take(params::text("category", query.category.as_deref(), 200))
            .flatten(),
        tag: checks
            .take(params::text("tag", query.tag.as_deref(), 200))
            .flatten(),
        ..ListRequest::default()
    };
    let from = checks
        .take(params::date("from", query.from.as_deref()))
        .flatten();
    let to = checks
        .take(params::date("to", query.to.as_deref()))
        .flatten();
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            checks.keep(ApiError::invalid("to", "must not be before `from`"));
        }
    }
    checks.done()?;
    // Both were checked: every check passed.
    let (Some(terms), Some(page)) = (terms, page) else {
        return Err(ApiError::invalid("q", "is required: what to search for"));
    };
    let now = state.clock.now();
    let page_for_db = page.clone();
    let results = crate::db::run(&state.pool, move |conn| {
        crate::db::read(conn, |conn| {
            let resolved = resolve_filter(conn, &request)?;
            // The site's days, read only when asked for (a round trip on every search).
            let offset = match (from, to) {
                (None, None) => 0,
                _ => site::queries::utc_offset_minutes(conn)?,
            };
            let filter = SearchFilter {
                category_ids: resolved.category_ids,
                tag_id: resolved.tag_id,
                published_from: from.map(|day| local_midnight(day, offset)),
                published_before: to
                    .and_then(|day| day.succ_opt())
                    .map(|day| local_midnight(day, offset)),
            };
            let (total, ids) = queries::search(conn, now, &terms, &filter, &page_for_db)?;
            let data = queries::hits(conn, now, &ids, &terms)?;
            let has_more = page_for_db.offset() + (data.len() as i64) < total;
            Ok(SearchResults {
                meta: PageMeta::new(&page_for_db, total, data.len(), has_more, None),
                data,
            })
        })
    })
    .await?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let mut response = HttpResponse::Ok();
    if let Some(link) = results.meta.link_header(req.path(), &pairs) {
        response.insert_header((header::LINK, link));
    }
    Ok(response.json(results))
}

/// Titles for a type-ahead box.
///
/// Chinese is looked for in titles (`护苗有` finds 护苗有我); letters and digits also as
/// pinyin, whole syllables or initials, spaces or not (`humiao`, `hu miao`, `hm` find titles
/// with 护苗; `lvse` finds 绿色, as input methods type `ü`). Published articles only, best first. What has nothing to look for (only
/// punctuation) finds nothing.
#[utoipa::path(
    tag = "search",
    params(SuggestParams),
    security((), ("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "Matching titles, best first", body = Suggestions),
        responses::PublicList,
        responses::InvalidToken,
    )
)]
#[get("/search/suggest")]
pub async fn suggest(
    state: web::Data<AppState>,
    _viewer: MaybeAuthUser,
    query: web::Query<SuggestParams>,
) -> Result<HttpResponse, ApiError> {
    let mut checks = params::Checks::default();
    let raw = match query.q.as_deref() {
        None => Err(ApiError::invalid("q", "is required: what has been typed")),
        Some(raw) if raw.chars().count() > MAX_QUERY_CHARS / 2 => Err(ApiError::invalid(
            "q",
            format!("must be at most {} characters", MAX_QUERY_CHARS / 2),
        )),
        Some(raw) => Ok(raw),
    };
    let raw = checks.take(raw);
    let limit = checks
        .take(params::int_in_range("limit", query.limit.as_deref(), 1, 20))
        .flatten()
        .unwrap_or(8);
    checks.done()?;
    let Some(raw) = raw else {
        return Err(ApiError::invalid("q", "is required: what has been typed"));
    };
    let typed = match crate::terms::pinyin_typed(raw) {
        Some(pinyin) => Typed::Pinyin(pinyin),
        None => match Query::parse(raw) {
            Ok(words) => Typed::Words(words),
            Err(QueryError::NothingToSearch) => {
                return Ok(HttpResponse::Ok().json(Suggestions { data: Vec::new() }))
            }
            Err(error) => return Err(ApiError::invalid("q", error.to_string())),
        },
    };
    let now = state.clock.now();
    let data = crate::db::run(&state.pool, move |conn| {
        crate::db::read(conn, |conn| Ok(queries::suggest(conn, now, &typed, limit)?))
    })
    .await?;
    Ok(HttpResponse::Ok().json(Suggestions { data }))
}
