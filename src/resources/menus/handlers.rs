use actix_web::{get, web, HttpResponse};

use super::queries;
use super::types::{Menu, MenuList};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// All navigation menus.
///
/// Each with its item tree; every item has a resolved `path` a frontend can route on.
#[utoipa::path(
    tag = "menus",
    responses(
        (status = 200, description = "All menus, by key", body = MenuList),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/menus")]
pub async fn list_menus(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let data = crate::db::run(&state.pool, move |conn| Ok(queries::load(conn, now, None)?)).await?;
    Ok(HttpResponse::Ok().json(MenuList { data }))
}

/// One navigation menu by key.
#[utoipa::path(
    tag = "menus",
    params(("key" = String, Path, description = "The menu's key: `header`, `sidebar`, `footer` …", example = "footer")),
    responses(
        (status = 200, description = "The menu with its item tree", body = Menu),
        (status = 404, description = "No menu has this key", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/menus/{key}")]
pub async fn get_menu(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let menu = crate::db::find_one(&state.pool, "menu", key.into_inner(), move |conn, key| {
        Ok(queries::load(conn, now, Some(key))?.into_iter().next())
    })
    .await?;
    Ok(HttpResponse::Ok().json(menu))
}
