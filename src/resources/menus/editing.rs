//! The editors' side of menus: a whole menu by `PUT`, or one item at a time. Item writes
//! are updates of the menu: the menu's ETag is the one for `If-Match`, and the answer is
//! the menu.

use actix_web::http::{header, StatusCode};
use actix_web::{delete, patch, post, put, web, HttpRequest, HttpResponse};

use super::types::{Menu, MenuContent, MenuItemChanges, NewMenuItem};
use super::writes::{MenuChange, Menus, NewMenu};
use crate::auth::extract::AuthUser;
use crate::error::{ApiError, Problem};
use crate::http::params::{path_id, IdOrSlug};
use crate::http::responses;
use crate::http::valid::Valid;
use crate::resources::editing;
use crate::state::AppState;

/// Replace a menu.
///
/// The whole tree in one request; creates the menu when the key is new (201). Every bad
/// item is named by its path (`items[2].children[0].target_id`). Beyond the schema: an
/// item needs the field its kind links with (`target_id` for category, article, page,
/// magazine_issue and tag; `url` for url), each target must exist (it may be unpublished:
/// the item shows once it is published), and a menu holds at most 500 items in all.
/// Editors and admins; honours `If-Match` (on a new key, only `*`).
#[utoipa::path(
    tag = "menus",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = MenuContent,
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
    body: Valid<MenuContent>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let menu = NewMenu {
        key: key.clone(),
        content: body.0,
    };
    editing::put::<Menus>(&state, &req, user.0, IdOrSlug::Slug(key), menu).await
}

/// Delete a menu.
///
/// With its items. Editors and admins; honours `If-Match`.
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
    editing::delete::<Menus>(&state, &req, user.0, IdOrSlug::Slug(key.into_inner())).await
}

/// Add one menu item.
///
/// Under `parent_id` or at the top level, at `position` (default: last). Beyond the
/// schema: the item needs the field its kind links with (`target_id` for category,
/// article, page, magazine_issue and tag; `url` for url), its target must exist, and
/// `parent_id` must name an item of this menu. Editors and admins; the menu's ETag is the
/// one for `If-Match`, and the answer is the menu.
#[utoipa::path(
    tag = "menus",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = NewMenuItem,
    params(
        ("key" = String, Path, description = "The menu's key"),
        ("If-Match" = Option<String>, Header, description = "The menu's ETag last read"),
    ),
    responses(
        (status = 201, description = "The menu after the addition", body = Menu,
            headers(("Location" = String, description = "The menu's URL"), ("ETag" = String, description = "The version as a strong ETag, for `If-Match`"), ("Cache-Control" = String, description = "`private, no-cache`"))),
        responses::Update,
    )
)]
#[post("/menus/{key}/items")]
pub async fn add_menu_item(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    key: web::Path<String>,
    body: Valid<NewMenuItem>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let location = format!("/api/v1/menus/{key}");
    let change = MenuChange::AddItem(body.0);
    let mut response =
        editing::update::<Menus>(&state, &req, user.0, IdOrSlug::Slug(key), change).await?;
    // The item is part of the menu, so the menu is the resource created under.
    *response.status_mut() = StatusCode::CREATED;
    if let Ok(value) = header::HeaderValue::from_str(&crate::http::location::encode_path(&location))
    {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// Change one menu item.
///
/// Any of `label`, `kind`, `target_id`, `url`, `position`. Beyond the schema: the item
/// must still have the field its kind links with (`target_id` for category, article,
/// page, magazine_issue and tag; `url` for url), and its target must exist. Editors and
/// admins; the menu's ETag is the one for `If-Match`, and the answer is the menu.
#[utoipa::path(
    tag = "menus",
    security(("bearer" = []), ("integration_token" = [])),
    request_body = MenuItemChanges,
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
    body: Valid<MenuItemChanges>,
) -> Result<HttpResponse, ApiError> {
    let (key, raw_id) = path.into_inner();
    let id = path_id(&raw_id, "menu item")?;
    let change = MenuChange::ChangeItem(id, body.0);
    editing::update::<Menus>(&state, &req, user.0, IdOrSlug::Slug(key), change).await
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
    let id = path_id(&raw_id, "menu item")?;
    let change = MenuChange::DeleteItem(id);
    editing::update::<Menus>(&state, &req, user.0, IdOrSlug::Slug(key), change).await?;
    Ok(HttpResponse::NoContent().finish())
}
