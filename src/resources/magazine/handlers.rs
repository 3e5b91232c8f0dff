use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::types::{ListIssuesQuery, MagazineIssue, MagazineIssueList};
use super::{queries, writes};
use crate::auth::extract::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::http::params;
use crate::http::params::NoParams;
use crate::http::preconditions::if_match;
use crate::http::responses;
use crate::resources::editing;
use crate::state::AppState;

/// List magazine issues.
///
/// Newest first, optionally for one year (for the 杂志导读 archive by year).
#[utoipa::path(
    tag = "magazine",
    security(()),
    params(ListIssuesQuery),
    responses(
        (status = 200, description = "Magazine issues, newest first", body = MagazineIssueList),
        responses::PublicList,
        responses::InvalidToken,
    )
)]
#[get("/magazine/issues")]
pub async fn list_magazine_issues(
    state: web::Data<AppState>,
    _viewer: MaybeAuthUser,
    query: web::Query<ListIssuesQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = params::year("year", query.year.as_deref())?;
    let now = state.clock.now();
    let data = crate::db::run(&state.pool, move |conn| Ok(queries::list(conn, now, year)?)).await?;
    Ok(HttpResponse::Ok().json(MagazineIssueList { data }))
}

/// One magazine issue with its articles.
///
/// By numeric id; its published articles in running order. With a token, editors also
/// see draft issues and get the version ETag to send back as `If-Match`.
#[utoipa::path(
    tag = "magazine",
    params(("id" = i64, Path, description = "The issue's id", example = 1)),
    security((), ("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "The issue with its published articles in order", body = MagazineIssue),
        responses::PublicLookup,
    )
)]
#[get("/magazine/issues/{id}")]
pub async fn get_magazine_issue(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    _query: web::Query<NoParams>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let editor = user.0.is_some_and(|user| user.role.edits_all_content());
    let issue = crate::db::find_one(
        &state.pool,
        "magazine issue",
        id.into_inner(),
        move |conn, raw| {
            // A non-numeric id names no issue: 404 like any unknown id.
            match params::IdOrSlug::parse(raw) {
                params::IdOrSlug::Id(id) if editor => Ok(queries::by_id_any_status(conn, now, id)?),
                params::IdOrSlug::Id(id) => Ok(queries::by_id(conn, now, id)?),
                params::IdOrSlug::Slug(_) => Ok(None),
            }
        },
    )
    .await?;
    if editor {
        return Ok(editing::respond(StatusCode::OK, issue.version, &issue));
    }
    Ok(HttpResponse::Ok().json(issue))
}

async fn load_for_editor(state: &AppState, id: i64) -> Result<MagazineIssue, ApiError> {
    let now = state.clock.now();
    crate::db::find_one(
        &state.pool,
        "magazine issue",
        id.to_string(),
        move |conn, _| Ok(queries::by_id_any_status(conn, now, id)?),
    )
    .await
}

/// Create a magazine issue.
///
/// Editors and admins. A draft (the default) is not public.
#[utoipa::path(
    tag = "magazine",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "`title`, `year`, `published_on` (required; years 1900–2200); `number`, `description`, `cover_media_id`, `status` (draft/published), `article_ids` (running order)",
        example = json!({"title": "大视野第86期", "number": 86, "year": 2019, "published_on": "2019-02-01", "status": "published", "article_ids": [10, 11]})),
    responses(
        (status = 201, description = "Created", body = MagazineIssue,
            headers(("Location" = String, description = "The new resource's URL"), ("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Write,
    )
)]
#[post("/magazine/issues")]
pub async fn create_magazine_issue(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let changes = writes::Changes::parse(body.into_inner(), true)?;
    let now = state.clock.now();
    let id = crate::db::run(&state.pool, move |conn| {
        writes::create(conn, &user, changes, now)
    })
    .await?;
    let issue = load_for_editor(&state, id).await?;
    Ok(editing::created(
        &format!("/api/v1/magazine/issues/{id}"),
        issue.version,
        &issue,
    ))
}

/// Change a magazine issue.
///
/// Editors and admins; `article_ids` replaces the running order. Honours `If-Match`.
#[utoipa::path(
    tag = "magazine",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "Any of `title`, `number`, `year`, `description`, `cover_media_id`, `published_on`, `status`, `article_ids`"),
    params(
        ("id" = i64, Path, description = "The issue's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 200, description = "Changed", body = MagazineIssue,
            headers(("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Update,
    )
)]
#[patch("/magazine/issues/{id}")]
pub async fn update_magazine_issue(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let id = crate::http::params::path_id(&id, "magazine issue")?;
    let changes = writes::Changes::parse(body.into_inner(), false)?;
    let now = state.clock.now();
    let precondition = if_match(&req);
    crate::db::run(&state.pool, move |conn| {
        writes::update(conn, &user, id, precondition.as_deref(), changes, now)
    })
    .await?;
    let issue = load_for_editor(&state, id).await?;
    Ok(editing::respond(StatusCode::OK, issue.version, &issue))
}

/// Delete a magazine issue.
///
/// Editors and admins; its articles stay. Honours `If-Match`.
#[utoipa::path(
    tag = "magazine",
    security(("bearer" = []), ("integration_token" = [])),
    params(
        ("id" = i64, Path, description = "The issue's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        responses::Delete,
    )
)]
#[delete("/magazine/issues/{id}")]
pub async fn delete_magazine_issue(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = crate::http::params::path_id(&id, "magazine issue")?;
    let now = state.clock.now();
    let precondition = if_match(&req);
    crate::db::run(&state.pool, move |conn| {
        writes::delete(conn, &user, id, precondition.as_deref(), now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
