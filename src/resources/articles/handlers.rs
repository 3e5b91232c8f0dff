use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};

use super::queries::{self, ListRequest};
use super::types::{Article, ArticleList, ArticleSort, ListArticlesQuery};
use crate::error::{ApiError, Problem};
use crate::http::pagination::PageRequest;
use crate::http::params::{self, IdOrSlug};
use crate::state::AppState;

impl ListArticlesQuery {
    fn parse(&self) -> Result<(ListRequest, PageRequest), ApiError> {
        let year = params::int_in_range("year", self.year.as_deref(), 1970, 9999)?;
        let month = params::int_in_range("month", self.month.as_deref(), 1, 12)?;
        if month.is_some() && year.is_none() {
            return Err(ApiError::invalid("month", "needs `year` as well"));
        }
        let sort = match self.sort.as_deref().map(str::trim) {
            None | Some("-published_at") => ArticleSort::NewestFirst,
            Some("published_at") => ArticleSort::OldestFirst,
            Some(other) => {
                return Err(ApiError::invalid(
                    "sort",
                    format!("`{other}` is not a sort order: use `-published_at` or `published_at`"),
                ))
            }
        };
        let request = ListRequest {
            category: params::text("category", self.category.as_deref(), 200)?,
            tag: params::text("tag", self.tag.as_deref(), 200)?,
            year: year.map(|y| y as i32),
            month: month.map(|m| m as u32),
            author: params::text("author", self.author.as_deref(), 200)?,
            ascending: sort == ArticleSort::OldestFirst,
        };
        let page = PageRequest::parse(
            self.page.as_deref(),
            self.per_page.as_deref(),
            self.cursor.as_deref(),
        )?;
        Ok((request, page))
    }
}

/// List published articles.
///
/// Newest first by default. Filter by category (subcategories included), tag, year,
/// month and author. Page with `page`/`per_page`, or with `cursor` for deep pages: a
/// cursor page costs the same at any depth. Items are summaries without the body. The
/// `Link` header carries `first`/`prev`/`next`/`last` (or `next` by cursor).
#[utoipa::path(
    tag = "articles",
    params(ListArticlesQuery),
    responses(
        (status = 200, description = "A page of article summaries", body = ArticleList,
            headers(("Link" = String, description = "RFC 8288 pagination links"))),
        (status = 400, description = "A parameter is invalid; `errors` names it", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/articles")]
pub async fn list_articles(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<ListArticlesQuery>,
) -> Result<HttpResponse, ApiError> {
    let (request, page_request) = query.parse()?;
    let now = state.clock.now();
    let page_for_db = page_request.clone();
    let page = crate::db::run(&state.pool, move |conn| {
        let filter = queries::resolve_filter(conn, &request)?;
        queries::list(conn, now, &filter, &page_for_db)
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
/// in the same category by publication time) and up to 6 `related` articles.
#[utoipa::path(
    tag = "articles",
    params(("slug_or_id" = String, Path, description = "The article's slug, or its numeric id", example = "humiao-safety-training-nanshan")),
    responses(
        (status = 200, description = "The article with prev/next/related", body = Article),
        (status = 404, description = "No published article has this slug or id", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/articles/{slug_or_id}")]
pub async fn get_article(
    state: web::Data<AppState>,
    slug_or_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let article = crate::db::find_one(
        &state.pool,
        "article",
        slug_or_id.into_inner(),
        move |conn, key| match queries::find(conn, now, &IdOrSlug::parse(key))? {
            Some(row) => Ok(Some(queries::page(conn, now, row)?)),
            None => Ok(None),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(article))
}
