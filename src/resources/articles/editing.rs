//! The editors' side of articles: create, change, delete, preview, share a preview.

use actix_web::http::{header, StatusCode};
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

use super::queries;
use super::types::{Article, ArticleChanges, NewArticle, PreviewLink};
use super::writes::{self, Articles};
use crate::auth::extract::AuthUser;
use crate::error::ApiError;
use crate::http::params::IdOrSlug;
use crate::http::params::NoParams;
use crate::http::responses;
use crate::http::valid::Valid;
use crate::resources::editing;
use crate::state::AppState;

/// The editor's view of one article, with its version as a strong ETag for `If-Match`.
pub fn editor_response(status: StatusCode, article: &Article) -> HttpResponse {
    editing::respond(status, article.version, article)
}

/// Create an article.
///
/// Any signed-in role. Authors create drafts or articles in review; editors and admins
/// may also schedule and publish. The category, tags and media named must exist (all
/// missing ids are named in one 422), and a slug given must be free.
#[utoipa::path(
    tag = "articles",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = NewArticle,
    responses(
        (status = 201, description = "Created", body = Article,
            headers(("Location" = String, description = "The new resource's URL"), ("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Write,
    )
)]
#[post("/articles")]
pub async fn create_article(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Valid<NewArticle>,
) -> Result<HttpResponse, ApiError> {
    editing::create::<Articles>(&state, user.0, body.0).await
}

/// Change an article.
///
/// Partial: only the fields sent change; `null` clears a nullable field. Send the ETag
/// you read as `If-Match`: if someone changed the article since, the answer is 412 and
/// nothing is written. Authors may change their own drafts and articles in review. As on
/// create, references must exist and a new slug must be free. A change that leaves the
/// article as it was (`{}`, the same values sent again) writes nothing: the same ETag
/// comes back.
#[utoipa::path(
    tag = "articles",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = ArticleChanges,
    params(
        ("slug_or_id" = String, Path, description = "The article's id or slug"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read, e.g. `\"3\"`"),
    ),
    responses(
        (status = 200, description = "Changed", body = Article,
            headers(("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Update,
    )
)]
#[patch("/articles/{slug_or_id}")]
pub async fn update_article(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    slug_or_id: web::Path<String>,
    body: Valid<ArticleChanges>,
) -> Result<HttpResponse, ApiError> {
    let key = IdOrSlug::parse(&slug_or_id);
    editing::update::<Articles>(&state, &req, user.0, key, body.0).await
}

/// Delete an article.
///
/// Editors and admins; authors their own drafts. Honours `If-Match`.
#[utoipa::path(
    tag = "articles",
    security(("bearer" = []), ("integration_token" = [])),
    params(
        ("slug_or_id" = String, Path, description = "The article's id or slug"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        responses::Delete,
    )
)]
#[delete("/articles/{slug_or_id}")]
pub async fn delete_article(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    slug_or_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    editing::delete::<Articles>(&state, &req, user.0, IdOrSlug::parse(&slug_or_id)).await
}

/// Preview an article as it will be published.
///
/// Any state; prev/next/related are computed as if it were published at its
/// `published_at` (or now). Editors see every article, authors their own.
#[utoipa::path(
    tag = "articles",
    security(("bearer" = []), ("integration_token" = [])),
    params(("slug_or_id" = String, Path, description = "The article's id or slug")),
    responses(
        (status = 200, description = "The preview", body = Article),
        responses::SignedIn,
        responses::NotFound,
    )
)]
#[get("/articles/{slug_or_id}/preview")]
pub async fn get_article_preview(
    state: web::Data<AppState>,
    user: AuthUser,
    _query: web::Query<NoParams>,
    slug_or_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let raw = slug_or_id.into_inner();
    let article = crate::db::find_one(&state.pool, "article", raw, move |conn, raw| {
        match writes::find_for_editor(conn, &user, &IdOrSlug::parse(raw), now)? {
            Some(row) => Ok(Some(queries::preview(conn, now, row)?)),
            None => Ok(None),
        }
    })
    .await?;
    Ok(editor_response(StatusCode::OK, &article))
}

/// Make a shareable preview link.
///
/// A signed token, valid for this one article for 7 days, that shows its preview to
/// anyone at `GET /api/v1/preview/{token}` without an account.
#[utoipa::path(
    tag = "articles",
    security(("bearer" = []), ("integration_token" = [])),
    params(("slug_or_id" = String, Path, description = "The article's id or slug")),
    responses(
        (status = 201, description = "The link", body = PreviewLink),
        responses::SignedIn,
        responses::NotFound,
    )
)]
#[post("/articles/{slug_or_id}/preview-link")]
pub async fn create_preview_link(
    state: web::Data<AppState>,
    user: AuthUser,
    slug_or_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let raw = slug_or_id.into_inner();
    let now = state.clock.now();
    let id = crate::db::find_one(&state.pool, "article", raw, move |conn, raw| {
        Ok(writes::find_for_editor(conn, &user, &IdOrSlug::parse(raw), now)?.map(|row| row.id))
    })
    .await?;
    let (token, expires_at) = state
        .auth
        .tokens
        .issue_preview(id)
        .map_err(ApiError::Internal)?;
    Ok(HttpResponse::Created().json(PreviewLink {
        path: format!("/api/v1/preview/{token}"),
        token,
        expires_at,
    }))
}

/// A shared preview.
///
/// No account needed: the token in the path is the permission, for one article, until
/// it expires.
#[utoipa::path(
    tag = "articles",
    security(()),
    params(("token" = String, Path, description = "The preview token")),
    responses(
        (status = 200, description = "The preview", body = Article),
        responses::InvalidPreviewLink,
        responses::NotFound,
        responses::ServiceUnavailable,
    )
)]
#[get("/preview/{token}")]
pub async fn get_shared_preview(
    state: web::Data<AppState>,
    _query: web::Query<NoParams>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id =
        state.auth.tokens.verify_preview(&token).map_err(|_| {
            ApiError::Unauthorized("the preview link is invalid or has expired".into())
        })?;
    let now = state.clock.now();
    let article = crate::db::find_one(&state.pool, "article", id.to_string(), move |conn, _| {
        match queries::by_id(conn, id)? {
            Some(row) => Ok(Some(queries::preview(conn, now, row)?)),
            None => Ok(None),
        }
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(article))
}
