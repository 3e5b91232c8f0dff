use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, put, web, FromRequest, HttpRequest, HttpResponse};

use super::queries;
use super::types::{Image, MediaChanges, NewMedia};
use super::upload::{self, FileForm, UploadForm};
use super::writes::{Media, MediaEdit, NewMediaItem};
use crate::auth::extract::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::http::params::{path_id, IdOrSlug, NoParams};
use crate::http::responses;
use crate::http::valid::Valid;
use crate::resources::editing::{self, Action, Editable};
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

/// Add a media record: upload a picture, or record a file kept elsewhere.
///
/// Any signed-in role. As `multipart/form-data`: a `file` part (JPEG, PNG, WebP or GIF, told
/// by its bytes; at most the server's upload limit, 20 MiB by default: 413 beyond) with
/// optional `alt`, `caption` and `credit` parts. The server keeps a full-size copy with its
/// metadata (EXIF, GPS) removed and turned upright, and sized copies (`renditions`, WebP
/// and the file's own format, never wider than the picture); a file that is not a picture,
/// is damaged, or has more pixels than the server's limit is a 422 naming `file`, refused
/// before its pixels are decoded. As JSON: a record of a file that lives on another host.
#[utoipa::path(
    tag = "media",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content(
        (UploadForm = "multipart/form-data"),
        (NewMedia = "application/json"),
    )),
    responses(
        (status = 201, description = "Created", body = Image,
            headers(("Location" = String, description = "The new resource's URL"), ("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Write,
        responses::Upload,
    )
)]
#[post("/media")]
pub async fn create_media(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    payload: web::Payload,
) -> actix_web::Result<HttpResponse> {
    if !upload::is_multipart(&req) {
        let body = Valid::<NewMedia>::from_request(&req, &mut payload.into_inner()).await?;
        return Ok(editing::create::<Media>(&state, user.0, NewMediaItem::Record(body.0)).await?);
    }
    Media::authorize(&user.0, Action::Create)?;
    let files = &state.media;
    let mut form: UploadForm = upload::read(
        &req,
        payload.into_inner(),
        files.settings.max_upload_bytes,
        state.body_timeout,
    )
    .await?;
    let stored = files
        .store(std::mem::take(&mut form.file.0), state.clock.now())
        .await?;
    let folder = stored.folder.clone();
    let created =
        editing::create::<Media>(&state, user.0, NewMediaItem::Upload(stored, form)).await;
    if created.is_err() {
        files.remove(&folder).await;
    }
    Ok(created?)
}

/// Replace a media record's file.
///
/// Editors and admins. A `multipart/form-data` body with a `file` part alone, checked as
/// on upload (change the text with PATCH). The record keeps its id, text and focal point; its URLs, size and renditions
/// are the new file's, and the old file's copies go. Honours `If-Match`.
#[utoipa::path(
    tag = "media",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content((FileForm = "multipart/form-data"))),
    params(
        ("id" = i64, Path, description = "The media record's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 200, description = "Replaced", body = Image,
            headers(("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Replace,
    )
)]
#[put("/media/{id}/file")]
pub async fn replace_media_file(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id, Media::KIND)?;
    Media::authorize(&user.0, Action::Update)?;
    if !upload::is_multipart(&req) {
        return Err(ApiError::Refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the file as multipart/form-data".into(),
        ));
    }
    let files = &state.media;
    let form: FileForm = upload::read(
        &req,
        payload.into_inner(),
        files.settings.max_upload_bytes,
        state.body_timeout,
    )
    .await?;
    let previous = folder_of(&state, id).await?;
    let stored = files.store(form.file.0, state.clock.now()).await?;
    let folder = stored.folder.clone();
    let replaced = editing::update::<Media>(
        &state,
        &req,
        user.0,
        IdOrSlug::Id(id),
        MediaEdit::File(stored),
    )
    .await;
    match (&replaced, previous) {
        (Err(_), _) => files.remove(&folder).await,
        (Ok(_), Some(previous)) => files.remove(&previous).await,
        (Ok(_), None) => {}
    }
    replaced
}

/// The folder of a media record's uploaded file, if it has one.
async fn folder_of(state: &AppState, id: i64) -> Result<Option<String>, ApiError> {
    crate::db::run(&state.pool, move |conn| Ok(queries::folder(conn, id)?)).await
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
    editing::update::<Media>(
        &state,
        &req,
        user.0,
        IdOrSlug::Id(id),
        MediaEdit::Fields(body.0),
    )
    .await
}

/// Delete a media record.
///
/// Editors and admins. Refused (409, naming them) while an article, a magazine issue or
/// the site logo shows it. An uploaded file's copies go with it. Honours `If-Match`.
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
    let folder = folder_of(&state, id).await?;
    let deleted = editing::delete::<Media>(&state, &req, user.0, IdOrSlug::Id(id)).await?;
    if let Some(folder) = folder {
        state.media.remove(&folder).await;
    }
    Ok(deleted)
}
