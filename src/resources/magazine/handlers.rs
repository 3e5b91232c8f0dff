use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

use super::queries;
use super::types::{
    ListIssuesQuery, MagazineIssue, MagazineIssueChanges, MagazineIssueList, NewMagazineIssue,
};
use super::writes::MagazineIssues;
use crate::auth::extract::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::http::params;
use crate::http::params::{IdOrSlug, NoParams};
use crate::http::responses;
use crate::http::valid::Valid;
use crate::resources::editing::{self, Editable};
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

/// Create a magazine issue.
///
/// Editors and admins. A draft (the default) is not public. `cover_media_id` and every id
/// in `article_ids` must name an existing media record and article (422 naming the field).
#[utoipa::path(
    tag = "magazine",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = NewMagazineIssue,
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
    body: Valid<NewMagazineIssue>,
) -> Result<HttpResponse, ApiError> {
    editing::create::<MagazineIssues>(&state, user.0, body.0).await
}

/// Change a magazine issue.
///
/// Editors and admins; partial, `article_ids` replaces the running order. `cover_media_id`
/// and every id in `article_ids` must name an existing media record and article (422
/// naming the field). Honours `If-Match`.
#[utoipa::path(
    tag = "magazine",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = MagazineIssueChanges,
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
    body: Valid<MagazineIssueChanges>,
) -> Result<HttpResponse, ApiError> {
    let id = params::path_id(&id, MagazineIssues::KIND)?;
    editing::update::<MagazineIssues>(&state, &req, user.0, IdOrSlug::Id(id), body.0).await
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
    let id = params::path_id(&id, MagazineIssues::KIND)?;
    editing::delete::<MagazineIssues>(&state, &req, user.0, IdOrSlug::Id(id)).await
}
