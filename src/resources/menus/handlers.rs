use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::types::{Menu, MenuList};
use super::{queries, writes};
use crate::auth::extract::AuthUser;
use crate::auth::extract::MaybeAuthUser;
use crate::db::AnyConnection;
use crate::error::{ApiError, Problem};
use crate::http::params::NoParams;
use crate::http::preconditions::if_match;
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

/// Runs a write to the menu `key` and reads the menu back in the same transaction: the
/// answer is the menu as this write left it, and a delete that lands just after cannot
/// turn a write that happened into a 404.
async fn write_and_load<T, F>(
    state: &AppState,
    key: String,
    write: F,
) -> Result<(T, Menu), ApiError>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let now = state.clock.now();
    crate::db::run(&state.pool, move |conn| {
        crate::db::write(conn, |conn| {
            let outcome = write(conn)?;
            let menu = queries::load(conn, now, Some(&key), true)?
                .into_iter()
                .next()
                .ok_or_else(|| ApiError::not_found("menu", key.clone()))?;
            Ok((outcome, menu))
        })
    })
    .await
}

/// Replace a menu.
///
/// The whole tree in one request: `{"name": …, "items": [{label, kind, target_id | url,
/// children: […]}]}`. Creates the menu when the key is new (201). Every bad item is
/// named by its path (`items[2].children[0].target_id`). Editors and admins; honours
/// `If-Match`.
#[utoipa::path(
    tag = "menus",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "`name` and `items` (nested via `children`); item kinds: category, article, page, magazine_issue, tag (with `target_id`), url (with `url`), group",
        example = json!({"name": "页头导航", "items": [{"label": "返回首页", "kind": "url", "url": "/"}, {"label": "新闻动态", "kind": "category", "target_id": 1, "children": [{"label": "行业新闻", "kind": "category", "target_id": 2}]}]})),
    params(
        ("key" = String, Path, description = "The menu's key"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 200, description = "Replaced", body = Menu,
            headers(("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        (status = 201, description = "Created", body = Menu,
            headers(("Location" = String, description = "The new resource's URL"), ("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Write,
        responses::PreconditionFailed,
        (status = 400, description = "The body is not JSON, or the key is not a slug (`errors` names `key`)", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "/problems/invalid-parameter", "title": "Invalid parameter", "status": 400,
                "detail": "invalid parameter `key`: a menu key is a slug: lowercase letters, digits, hyphens", "code": "invalid_parameter",
                "errors": [{"field": "key", "message": "a menu key is a slug: lowercase letters, digits, hyphens"}]})),
    )
)]
#[put("/menus/{key}")]
pub async fn put_menu(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    key: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let input = writes::MenuInput::parse(&body)?;
    let key = key.into_inner();
    let now = state.clock.now();
    let precondition = if_match(&req);
    let write_key = key.clone();
    let (created, menu) = write_and_load(&state, key.clone(), move |conn| {
        writes::put(conn, &user, &write_key, precondition.as_deref(), input, now)
    })
    .await?;
    if created {
        return Ok(editing::created(
            &format!("/api/v1/menus/{key}"),
            menu.version,
            &menu,
        ));
    }
    Ok(editing::respond(StatusCode::OK, menu.version, &menu))
}

/// Delete a menu.
///
/// Editors and admins; honours `If-Match`.
#[utoipa::path(
    tag = "menus",
    security(("bearer" = []), ("integration_token" = [])),
    params(
        ("key" = String, Path, description = "The menu's key"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        responses::Delete,
    )
)]
#[delete("/menus/{key}")]
pub async fn delete_menu(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let now = state.clock.now();
    let precondition = if_match(&req);
    crate::db::run(&state.pool, move |conn| {
        writes::delete(conn, &user, &key, precondition.as_deref(), now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Change one menu item.
///
/// Any of `label`, `kind`, `target_id`, `url`, `position`. The menu's ETag is the one
/// for `If-Match`. Editors and admins.
#[utoipa::path(
    tag = "menus",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "Any of `label`, `kind`, `target_id`, `url`, `position`", example = json!({"label": "关于我们"})),
    params(
        ("key" = String, Path, description = "The menu's key"),
        ("id" = i64, Path, description = "The item's id"),
        ("If-Match" = Option<String>, Header, description = "The menu's ETag last read"),
    ),
    responses(
        (status = 200, description = "The menu after the change", body = Menu,
            headers(("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Update,
    )
)]
#[patch("/menus/{key}/items/{id}")]
pub async fn update_menu_item(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    path: web::Path<(String, String)>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let (key, raw_id) = path.into_inner();
    let id = crate::http::params::path_id(&raw_id, "menu item")?;
    let now = state.clock.now();
    let precondition = if_match(&req);
    let write_key = key.clone();
    let body = body.into_inner();
    let ((), menu) = write_and_load(&state, key, move |conn| {
        writes::update_item(
            conn,
            &user,
            &write_key,
            id,
            precondition.as_deref(),
            &body,
            now,
        )
    })
    .await?;
    Ok(editing::respond(StatusCode::OK, menu.version, &menu))
}

/// Delete one menu item (with its children).
///
/// Editors and admins; the menu's ETag is the one for `If-Match`.
#[utoipa::path(
    tag = "menus",
    security(("bearer" = []), ("integration_token" = [])),
    params(
        ("key" = String, Path, description = "The menu's key"),
        ("id" = i64, Path, description = "The item's id"),
        ("If-Match" = Option<String>, Header, description = "The menu's ETag last read"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        responses::Delete,
    )
)]
#[delete("/menus/{key}/items/{id}")]
pub async fn delete_menu_item(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (key, raw_id) = path.into_inner();
    let id = crate::http::params::path_id(&raw_id, "menu item")?;
    let now = state.clock.now();
    let precondition = if_match(&req);
    crate::db::run(&state.pool, move |conn| {
        writes::delete_item(conn, &user, &key, id, precondition.as_deref(), now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add one menu item.
///
/// Under `parent_id` or at the top level, at `position` (default: last). Editors and
/// admins; the menu's ETag is the one for `If-Match`.
#[utoipa::path(
    tag = "menus",
    security(("bearer" = []), ("integration_token" = [])),
    request_body(content = Object, description = "`label`, `kind`, `target_id` or `url`; optional `parent_id`, `position`",
        example = json!({"label": "合作伙伴", "kind": "page", "target_id": 17, "parent_id": 30})),
    params(
        ("key" = String, Path, description = "The menu's key"),
        ("If-Match" = Option<String>, Header, description = "The menu's ETag last read"),
    ),
    responses(
        (status = 201, description = "The menu after the addition", body = Menu,
            headers(("Location" = String, description = "The new resource's URL"), ("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Update,
    )
)]
#[post("/menus/{key}/items")]
pub async fn add_menu_item(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    key: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let now = state.clock.now();
    let precondition = if_match(&req);
    let write_key = key.clone();
    let body = body.into_inner();
    let (_, menu) = write_and_load(&state, key.clone(), move |conn| {
        writes::add_item(conn, &user, &write_key, precondition.as_deref(), &body, now)
    })
    .await?;
    Ok(editing::created(
        &format!("/api/v1/menus/{key}"),
        menu.version,
        &menu,
    ))
}
