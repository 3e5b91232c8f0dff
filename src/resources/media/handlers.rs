use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

use super::queries;
use super::types::{Image, MediaChanges, NewMedia};
use super::writes::Media;
use crate::auth::extract::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::http::params::{path_id, IdOrSlug, NoParams};
use crate::http::responses;
use crate::http::valid::Valid;
use crate::resources::editing::{self, Editable};
use crate::state::AppState;

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
    let id = path_id(&id, Media::KIND)?;
    let image = crate::db::find_one(&state.pool, Media::KIND, id.to_string(), move |conn, _| {
        Ok(queries::by_id(conn, id)?)
    })
    .await?;
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
    request_body = NewMedia,
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
    body: Valid<NewMedia>,
) -> Result<HttpResponse, ApiError> {
    editing::create::<Media>(&state, user.0, body.0).await
}

/// Change a media record.
///
/// Editors and admins; partial. Honours `If-Match`.
#[utoipa::path(
    tag = "media",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = MediaChanges,
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
    body: Valid<MediaChanges>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id, Media::KIND)?;
    editing::update::<Media>(&state, &req, user.0, IdOrSlug::Id(id), body.0).await
}

/// Delete a media record.
///
/// Editors and admins; covers using it become empty and inline image lists drop it.
/// Honours `If-Match`.
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
    let id = path_id(&id, Media::KIND)?;
    editing::delete::<Media>(&state, &req, user.0, IdOrSlug::Id(id)).await
}
