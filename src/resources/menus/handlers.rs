use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};

use super::queries;
use super::types::{Menu, MenuList};
use crate::auth::extract::MaybeAuthUser;
use crate::error::ApiError;
use crate::http::params::NoParams;
use crate::http::responses;
use crate::resources::editing;
use crate::state::AppState;

/// All navigation menus.
///
/// Each with its item tree; every item has a resolved `path` a frontend can route on.
#[utoipa::path(
    tag = "menus",
    security(()),
    responses(
        (status = 200, description = "All menus, by key", body = MenuList),
        responses::PublicRead,
    )
)]
#[get("/menus")]
pub async fn list_menus(
    state: web::Data<AppState>,
    _viewer: MaybeAuthUser,
    _query: web::Query<NoParams>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let data = crate::db::run(&state.pool, move |conn| {
        Ok(queries::load(conn, now, None, false)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(MenuList { data }))
}

/// One navigation menu by key.
///
/// Its item tree with resolved paths; items whose target is unpublished or gone are left
/// out. With an editor's token they are kept and flagged `broken`, and the answer carries
/// the version ETag to send back as `If-Match`.
#[utoipa::path(
    tag = "menus",
    params(("key" = String, Path, description = "The menu's key: `header`, `sidebar`, `footer` …", example = "footer")),
    security((), ("bearer" = []), ("integration_token" = [])),
    responses(
        (status = 200, description = "The menu with its item tree", body = Menu),
        responses::PublicLookup,
    )
)]
#[get("/menus/{key}")]
pub async fn get_menu(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    _query: web::Query<NoParams>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let editors = user.0.is_some_and(|user| user.role.edits_all_content());
    let menu = crate::db::find_one(&state.pool, "menu", key.into_inner(), move |conn, key| {
        Ok(queries::load(conn, now, Some(key), editors)?
            .into_iter()
            .next())
    })
    .await?;
    if editors {
        // Editors see broken items flagged, and get the version ETag.
        return Ok(editing::respond(StatusCode::OK, menu.version, &menu));
    }
    Ok(HttpResponse::Ok().json(menu))
}
