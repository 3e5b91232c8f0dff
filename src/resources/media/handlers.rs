use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::types::Image;
use super::{queries, writes};
use crate::auth::extract::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::http::params::NoParams;
use crate::http::preconditions::if_match;
use crate::http::responses;
use crate::resources::editing;
use crate::state::AppState;

async fn load(state: &AppState, id: i64) -> Result<Image, ApiError> {
    crate::db::find_one(&state.pool, "media", id.to_string(), move |conn, _| {
        Ok(queries::by_id(conn, id)?)
    })
    .await
}

/// One media record.
///
/// By numeric id: URL, alternative text, caption, size and type. With a token, editors get
/// the version ETag to send back as `If-Match`.
#[utoipa::path(
    tag = "media",
    security((), ("bearer" = []), ("integration_token" = [])),
    params(("id" = i64, Path, description = "The media record's id")),
    responses(
        (status = 200, description = "The media record", body = Image),
        responses::PublicLookup,
    )
)]
#[get("/media/{id}")]
pub async fn get_media(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    _query: web::Query<NoParams>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let image = load(&state, crate::http::params::path_id(&id, "media")?).await?;
    if user.0.is_some() {
        return Ok(editing::respond(StatusCode::OK, image.version, &image));
    }
    Ok(HttpResponse::Ok().json(image))
}

/// Add a media record.
///
/// Any signed-in role. The file itself lives on a media host; this records its URL,
/// alternative text, caption, size and type.
#[utoipa::path(
    tag = "media",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "`url` (required: http(s), mailto, tel or a relative path), `mime_type` (required), `alt`, `caption`, `width`, `height`",
        example = json!({"url": "/media/2021/11/humiao-training.jpg", "mime_type": "image/jpeg", "alt": "培训现场", "caption": "培训现场", "width": 1080, "height": 720})),
    responses(
        (status = 201, description = "Created", body = Image,
            headers(("Location" = String, description = "The new resource's URL"), ("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Write,
    )
)]
#[post("/media")]
pub async fn create_media(
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
    let image = load(&state, id).await?;
    Ok(editing::created(
        &format!("/api/v1/media/{id}"),
        image.version,
        &image,
    ))
}

/// Change a media record.
///
/// Editors and admins; honours `If-Match`.
#[utoipa::path(
    tag = "media",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "Any of `url`, `mime_type`, `alt`, `caption`, `width`, `height`"),
    params(
        ("id" = i64, Path, description = "The media record's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 200, description = "Changed", body = Image,
            headers(("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Update,
    )
)]
#[patch("/media/{id}")]
pub async fn update_media(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let id = crate::http::params::path_id(&id, "media")?;
    let changes = writes::Changes::parse(body.into_inner(), false)?;
    let now = state.clock.now();
    let precondition = if_match(&req);
    crate::db::run(&state.pool, move |conn| {
        writes::update(conn, &user, id, precondition.as_deref(), changes, now)
    })
    .await?;
    let image = load(&state, id).await?;
    Ok(editing::respond(StatusCode::OK, image.version, &image))
}

/// Delete a media record.
///
/// Editors and admins; covers using it become empty. Honours `If-Match`.
#[utoipa::path(
    tag = "media",
    security(("bearer" = []), ("integration_token" = [])),
    params(
        ("id" = i64, Path, description = "The media record's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        responses::Delete,
    )
)]
#[delete("/media/{id}")]
pub async fn delete_media(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = crate::http::params::path_id(&id, "media")?;
    let now = state.clock.now();
    let precondition = if_match(&req);
    crate::db::run(&state.pool, move |conn| {
        writes::delete(conn, &user, id, precondition.as_deref(), now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
