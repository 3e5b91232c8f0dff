use actix_web::http::{header, StatusCode};
use actix_web::{get, web, HttpRequest, HttpResponse};

use super::queries::{self, ListRequest};
use super::types::{Article, ArticleList, ArticleSort, ListArticlesQuery};
use super::{editing, status, writes};
use crate::auth::extract::{AuthUser, MaybeAuthUser};
use crate::error::{ApiError, Problem};
use crate::http::pagination::PageRequest;
use crate::http::params::NoParams;
use crate::http::params::{self, IdOrSlug};
use crate::http::response_cache::Shows;
use crate::http::responses;
use crate::state::AppState;

impl ListArticlesQuery {
    fn parse(&self, user: Option<&AuthUser>) -> Result<(ListRequest, PageRequest), ApiError> {
        let mut checks = params::Checks::default();
        let status = match self.status.as_deref() {
            None => None,
            Some(raw) => checks.take(
                status::ArticleStatus::parse(raw.trim())
                    .ok_or_else(|| ApiError::invalid("status", status::ArticleStatus::ONE_OF)),
            ),
        };
        let author_id = match (status, user) {
            (None | Some(status::ArticleStatus::Published), _) => None,
            (Some(_), None) => {
                return Err(ApiError::Unauthorized(
                    "listing by `status` needs an editor's token".into(),
                ))
            }
            (Some(_), Some(user)) => user.unpublished_author_filter()?,
        };
        let year = checks
            .take(params::year("year", self.year.as_deref()))
            .flatten();
        let month = checks
            .take(params::int_in_range("month", self.month.as_deref(), 1, 12))
            .flatten();
        if month.is_some() && year.is_none() && self.year.is_none() {
            checks.keep(ApiError::invalid("month", "needs `year` as well"));
        }
        let sort = match self.sort.as_deref().map(str::trim) {
            None | Some("-published_at") => ArticleSort::NewestFirst,
            Some("published_at") => ArticleSort::OldestFirst,
            Some(other) => {
                checks.keep(ApiError::invalid(
                    "sort",
                    format!("`{other}` is not a sort order: use `-published_at` or `published_at`"),
                ));
                ArticleSort::NewestFirst
            }
        };
        let mut text =
            |name: &str, raw: Option<&str>| checks.take(params::text(name, raw, 200)).flatten();
        let (category, tag, author) = (
            text("category", self.category.as_deref()),
            text("tag", self.tag.as_deref()),
            text("author", self.author.as_deref()),
        );
        let search = checks
            .take(
                self.q
                    .as_deref()
                    .map(crate::terms::Query::parse)
                    .transpose()
                    .map_err(|error| ApiError::invalid("q", error.to_string())),
            )
            .flatten();
        let page = checks.take(PageRequest::parse(
            self.page.as_deref(),
            self.per_page.as_deref(),
            self.cursor.as_deref(),
        ));
        checks.done()?;
        let request = ListRequest {
            category,
            tag,
            year,
            month: month.map(|m| m as u32),
            author,
            search,
            ascending: sort == ArticleSort::OldestFirst,
            status,
            author_id,
        };
        // Checked: every check passed.
        let page = page.ok_or_else(|| ApiError::invalid("page", "could not be read"))?;
        Ok((request, page))
    }
}

/// List published articles.
///
/// Newest first by default. Filter by category (subcategories included), tag, year,
/// month, author and a search (`q`). Page with `page`/`per_page`, or with `cursor` for deep pages: a
/// cursor page costs the same at any depth. Items are summaries without the body. The
/// `Link` header carries `first`/`prev`/`next`/`last` (or `next` by cursor).
///
/// Rules the parameter schemas cannot state, each a 400 naming the parameter: `month`
/// needs `year`; `page` and `cursor` exclude each other; `category` and `tag` must name
/// existing ones; a `cursor` must be one this API issued, for the same `sort`.
#[utoipa::path(
    tag = "articles",
    params(ListArticlesQuery),
    responses(
        (status = 200, description = "A page of article summaries", body = ArticleList,
            headers(("Link" = String, description = "RFC 8288 pagination links"))),
        responses::PublicList,
        (status = 401, description = "`status` without a token, or a token that is not valid", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "/problems/unauthorized", "title": "Unauthorized", "status": 401,
                "detail": "listing by `status` needs an editor's token", "code": "unauthorized", "errors": null})),
        (status = 403, description = "`status` with an author-role integration token, which owns no articles to list", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "/problems/forbidden", "title": "Forbidden", "status": 403,
                "detail": "an integration token with the author role owns no articles to list by status", "code": "forbidden", "errors": null})),
    ),
    security((), ("bearer" = []), ("integration_token" = []))
)]
#[get("/articles")]
pub async fn list_articles(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: MaybeAuthUser,
    query: web::Query<ListArticlesQuery>,
) -> Result<HttpResponse, ApiError> {
    let (request, page_request) = query.parse(user.0.as_ref())?;
    let now = state.clock.now();
    let page_for_db = page_request.clone();
    let page = crate::db::run(&state.pool, move |conn| {
        crate::db::read(conn, |conn| {
            let filter = queries::resolve_filter(conn, &request)?;
            queries::list(conn, now, &filter, &page_for_db)
        })
    })
    .await?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let mut response = HttpResponse::Ok();
    if let Some(link) = page.meta.link_header(req.path(), &pairs) {
        response.insert_header((header::LINK, link));
    }
    Ok(response.json(ArticleList {
        data: page.items,
        meta: page.meta,
    }))
}

/// One published article with its page furniture.
///
/// By id (all digits) or slug. In the same response: `prev` and `next` (its neighbours
/// in the same category by publication time) and up to 6 `related` articles. A former
/// slug answers 301 to the current one. With a token, editors see articles in any state
/// (authors: their own) and get the version ETag to send back as `If-Match`.
#[utoipa::path(
    tag = "articles",
    params(("slug_or_id" = String, Path, description = "The article's slug, or its numeric id", example = "humiao-safety-training-nanshan")),
    security((), ("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "The article with prev/next/related", body = Article),
        (status = 301, description = "A former slug: `Location` has the current one",
            headers(("Location" = String, description = "The article under its current slug"))),
        responses::PublicLookup,
    )
)]
#[get("/articles/{slug_or_id}")]
pub async fn get_article(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    _query: web::Query<NoParams>,
    slug_or_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let raw = slug_or_id.into_inner();
    if let Some(user) = user.0 {
        // Editors see any state, and get the version ETag that If-Match wants.
        let article = crate::db::find_one(&state.pool, "article", raw, move |conn, key| {
            match writes::find_for_editor(conn, &user, &IdOrSlug::parse(key), now)? {
                Some(row) => Ok(Some(queries::page(conn, now, row)?.0)),
                None => Ok(None),
            }
        })
        .await?;
        return Ok(editing::editor_response(StatusCode::OK, &article));
    }
    let found = crate::db::run(&state.pool, move |conn| {
        crate::db::read(conn, |conn| {
            let key = IdOrSlug::parse(&raw);
            if let Some(row) = queries::find(conn, now, &key)? {
                return Ok(Ok(queries::page(conn, now, row)?));
            }
            let renamed = match &key {
                IdOrSlug::Slug(slug) => queries::renamed_to(conn, now, slug)?,
                IdOrSlug::Id(_) => None,
            };
            Ok(Err((raw, renamed)))
        })
    })
    .await?;
    match found {
        Ok((article, shows)) => Ok(Shows::answer(&article, shows)),
        // A renamed article: its old slug points to the new one for good.
        Err((_, Some(slug))) => Ok(HttpResponse::MovedPermanently()
            .insert_header((
                header::LOCATION,
                format!(
                    "/api/v1/articles/{}",
                    crate::http::location::encode_segment(&slug)
                ),
            ))
            .finish()),
        Err((raw, None)) => Err(ApiError::not_found("article", raw)),
    }
}
