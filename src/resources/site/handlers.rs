use actix_web::http::StatusCode;
use actix_web::{get, patch, web, HttpRequest, HttpResponse};

use super::queries::{self, SETTINGS_ID};
use super::types::{Site, SiteChanges};
use super::writes::Settings;
use crate::auth::extract::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::http::params::{IdOrSlug, NoParams};
use crate::http::response_cache::Shows;
use crate::http::responses;
use crate::http::valid::Valid;
use crate::resources::editing;
use crate::state::AppState;

/// Site metadata.
///
/// The name, description, logo (with its sizes when it is a media record), locale, time
/// zone, contact entries and credits line: what a frontend needs for its header, footer
/// and meta tags.
#[utoipa::path(
    tag = "site",
    security((), ("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "The site's metadata", body = Site),
        responses::PublicRead,
    )
)]
#[get("/site")]
pub async fn get_site(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    _query: web::Query<NoParams>,
) -> Result<HttpResponse, ApiError> {
    let mut site = crate::db::run(&state.pool, |conn| Ok(queries::load(conn)?)).await?;
    site.media_base_url = state.media.settings.base_url.clone();
    if user.0.is_some() {
        return Ok(editing::respond(StatusCode::OK, site.version, &site));
    }
    // Settings, contacts and the logo: site-wide content only.
    Ok(Shows::answer(&site, Vec::new()))
}

/// Change the site settings.
///
/// Admins only. Partial: only the fields sent change; `contacts`, when sent, replaces
/// the list. The logo is set one of two ways, so a body sends at most one of `logo_url`
/// (a file kept elsewhere) and `logo_media_id` (a media record, which must exist): both
/// at once is a 422 naming both, an unknown id a 422 naming `logo_media_id`. Either one
/// replaces the other, and `null` in either removes the logo. Honours `If-Match` (the
/// version is 0 before the first change).
#[utoipa::path(
    tag = "site",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = SiteChanges,
    params(("If-Match" = Option<String>, Header, description = "The ETag last read")),
    responses(
        (status = 200, description = "Changed", body = Site,
            headers(("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Write,
        responses::PreconditionFailed,
    )
)]
#[patch("/site")]
pub async fn update_site(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    body: Valid<SiteChanges>,
) -> Result<HttpResponse, ApiError> {
    let (mut site, version) =
        editing::updated::<Settings>(&state, &req, user.0, IdOrSlug::Id(SETTINGS_ID), body.0)
            .await?;
    site.media_base_url = state.media.settings.base_url.clone();
    Ok(editing::respond(StatusCode::OK, version, &site))
}
