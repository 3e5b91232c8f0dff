//! Writing menus (editors and admins): a whole tree in one PUT, or one item at a time.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use super::types::MenuItemKind;
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::{articles, categories, magazine_issues, menu_items, menus, pages, tags};
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::input;
use crate::http::preconditions::{check_if_match, swapped};
use crate::resources::audit;

const MAX_ITEMS: usize = 500;
const MAX_DEPTH: usize = 4;

/// One checked item, with its children.
#[derive(Debug, Clone)]
pub struct ItemInput {
    label: String,
    kind: MenuItemKind,
    target_id: Option<i64>,
    url: Option<String>,
    children: Vec<ItemInput>,
}

/// A whole menu.
#[derive(Debug)]
pub struct MenuInput {
    name: String,
    items: Vec<ItemInput>,
}

/// Checks one item's own fields (not its children), reporting under `path`.
fn parse_item_fields(
    value: &Value,
    path: &str,
    known: &[&str],
    errors: &mut Vec<FieldError>,
) -> Option<(String, MenuItemKind, Option<i64>, Option<String>)> {
    let Some(fields) = value.as_object() else {
        errors.push(FieldError::new(path, "must be an object"));
        return None;
    };
    for key in fields.keys() {
        if !known.contains(&key.as_str()) {
            errors.push(FieldError::new(format!("{path}.{key}"), "is not a field"));
        }
    }
    let label = fields
        .get("label")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or_default();
    if label.is_empty() || label.chars().count() > 100 {
        errors.push(FieldError::new(
            format!("{path}.label"),
            "is required, at most 100 characters",
        ));
    } else if let Err(message) = input::single_line(label) {
        errors.push(FieldError::new(format!("{path}.label"), message));
    }
    let kind = fields
        .get("kind")
        .and_then(Value::as_str)
        .and_then(MenuItemKind::parse);
    if kind.is_none() {
        errors.push(FieldError::new(
            format!("{path}.kind"),
            "must be category, article, page, magazine_issue, tag, url or group",
        ));
    }
    let target_id = fields
        .get("target_id")
        .and_then(Value::as_i64)
        .filter(|id| *id > 0);
    let url = fields
        .get("url")
        .and_then(Value::as_str)
        .map(str::trim)
        .map(str::to_owned);
    let url_error = match url.as_deref() {
        None => Some("a url item needs a URL".to_owned()),
        Some(url) if url.chars().count() > 2_000 => Some("must be at most 2000 characters".into()),
        Some(url) => input::check_url(url).err(),
    };
    match (kind, url_error) {
        (Some(MenuItemKind::Url), Some(message)) => {
            errors.push(FieldError::new(format!("{path}.url"), message))
        }
        (Some(MenuItemKind::Url | MenuItemKind::Group) | None, _) => {}
        (Some(_), _) if target_id.is_none() => errors.push(FieldError::new(
            format!("{path}.target_id"),
            "is required for this kind",
        )),
        (Some(_), _) => {}
    }
    Some((label.to_owned(), kind?, target_id, url))
}

fn parse_items(
    value: Option<&Value>,
    path: &str,
    depth: usize,
    count: &mut usize,
    errors: &mut Vec<FieldError>,
) -> Vec<ItemInput> {
    let Some(value) = value else {
        return Vec::new();
    };
    let Some(items) = value.as_array() else {
        errors.push(FieldError::new(path, "must be an array"));
        return Vec::new();
    };
    if depth > MAX_DEPTH {
        errors.push(FieldError::new(
            path,
            format!("menus nest at most {MAX_DEPTH} levels"),
        ));
        return Vec::new();
    }
    let mut parsed = Vec::new();
    for (index, item) in items.iter().enumerate() {
        *count += 1;
        let item_path = format!("{path}[{index}]");
        let fields = parse_item_fields(
            item,
            &item_path,
            &["label", "kind", "target_id", "url", "children"],
            errors,
        );
        let children = parse_items(
            item.get("children"),
            &format!("{item_path}.children"),
            depth + 1,
            count,
            errors,
        );
        if let Some((label, kind, target_id, url)) = fields {
            parsed.push(ItemInput {
                label,
                kind,
                target_id,
                url,
                children,
            });
        }
    }
    parsed
}

impl MenuInput {
    pub fn parse(body: &Value) -> Result<Self, ApiError> {
        let mut errors = Vec::new();
        let Some(fields) = body.as_object() else {
            return Err(ApiError::Invalid(vec![FieldError::new(
                "body",
                "must be a JSON object",
            )]));
        };
        for key in fields.keys() {
            if key != "name" && key != "items" {
                errors.push(FieldError::new(
                    key.clone(),
                    "is not a field; expected name, items",
                ));
            }
        }
        let name = fields
            .get("name")
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or_default()
            .to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            errors.push(FieldError::new(
                "name",
                "is required, at most 100 characters",
            ));
        } else if let Err(message) = input::single_line(&name) {
            errors.push(FieldError::new("name", message));
        }
        if !fields.contains_key("items") {
            errors.push(FieldError::new(
                "items",
                "is required (an empty array empties the menu)",
            ));
        }
        let mut count = 0;
        let items = parse_items(fields.get("items"), "items", 1, &mut count, &mut errors);
        if count > MAX_ITEMS {
            errors.push(FieldError::new(
                "items",
                format!("at most {MAX_ITEMS} items"),
            ));
        }
        if errors.is_empty() {
            Ok(Self { name, items })
        } else {
            Err(ApiError::Invalid(errors))
        }
    }
}

/// The target an item names must exist (it may be unpublished: it then shows once
/// published).
fn target_exists(conn: &mut AnyConnection, kind: MenuItemKind, id: i64) -> QueryResult<bool> {
    let count: i64 = match kind {
        MenuItemKind::Category => categories::table
            .filter(categories::id.eq(id))
            .count()
            .get_result(conn)?,
        MenuItemKind::Article => articles::table
            .filter(articles::id.eq(id))
            .count()
            .get_result(conn)?,
        MenuItemKind::Page => pages::table
            .filter(pages::id.eq(id))
            .count()
            .get_result(conn)?,
        MenuItemKind::MagazineIssue => magazine_issues::table
            .filter(magazine_issues::id.eq(id))
            .count()
            .get_result(conn)?,
        MenuItemKind::Tag => tags::table
            .filter(tags::id.eq(id))
            .count()
            .get_result(conn)?,
        MenuItemKind::Url | MenuItemKind::Group => 1,
    };
    Ok(count > 0)
}

fn check_targets(
    conn: &mut AnyConnection,
    items: &[ItemInput],
    path: &str,
    errors: &mut Vec<FieldError>,
) -> QueryResult<()> {
    for (index, item) in items.iter().enumerate() {
        let item_path = format!("{path}[{index}]");
        if let Some(id) = item
            .target_id
            .filter(|_| !matches!(item.kind, MenuItemKind::Url | MenuItemKind::Group))
        {
            if !target_exists(conn, item.kind, id)? {
                errors.push(FieldError::new(
                    format!("{item_path}.target_id"),
                    format!("no {} has id {id}", item.kind.as_str()),
                ));
            }
        }
        check_targets(
            conn,
            &item.children,
            &format!("{item_path}.children"),
            errors,
        )?;
    }
    Ok(())
}

fn insert_items(
    conn: &mut AnyConnection,
    menu_id: i64,
    parent: Option<i64>,
    items: &[ItemInput],
) -> QueryResult<()> {
    for (position, item) in items.iter().enumerate() {
        let (target_id, url) = match item.kind {
            MenuItemKind::Url => (None, item.url.clone()),
            MenuItemKind::Group => (None, None),
            _ => (item.target_id, None),
        };
        let id: i64 = diesel::insert_into(menu_items::table)
            .values((
                menu_items::menu_id.eq(menu_id),
                menu_items::parent_id.eq(parent),
                menu_items::position.eq(position as i32),
                menu_items::label.eq(&item.label),
                menu_items::kind.eq(item.kind.as_str()),
                menu_items::target_id.eq(target_id),
                menu_items::url.eq(url),
            ))
            .returning(menu_items::id)
            .get_result(conn)?;
        insert_items(conn, menu_id, Some(id), &item.children)?;
    }
    Ok(())
}

/// Replaces a menu's name and whole tree, creating the menu if needed. Returns whether
/// it was created.
pub fn put(
    conn: &mut AnyConnection,
    user: &Actor,
    key: &str,
    if_match: Option<&str>,
    input: MenuInput,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    user.require(&[Role::Admin, Role::Editor])?;
    if crate::slug::check(key).is_err() {
        return Err(ApiError::invalid(
            "key",
            "a menu key is a slug: lowercase letters, digits, hyphens",
        ));
    }
    crate::db::write(conn, |conn| {
        let mut errors = Vec::new();
        check_targets(conn, &input.items, "items", &mut errors)?;
        if !errors.is_empty() {
            return Err(ApiError::Invalid(errors));
        }
        let existing: Option<(i64, i64)> = menus::table
            .filter(menus::key.eq(key))
            .select((menus::id, menus::version))
            .first(conn)
            .optional()?;
        let (menu_id, created) = match existing {
            Some((id, version)) => {
                check_if_match(if_match, "menu", version)?;
                let bumped = diesel::update(
                    menus::table
                        .filter(menus::id.eq(id))
                        .filter(menus::version.eq(version)),
                )
                .set((menus::name.eq(&input.name), menus::version.eq(version + 1)))
                .execute(conn)?;
                swapped(bumped, "menu")?;
                diesel::delete(menu_items::table.filter(menu_items::menu_id.eq(id)))
                    .execute(conn)?;
                (id, false)
            }
            None => {
                if if_match.is_some_and(|header| header.trim() != "*") {
                    return Err(ApiError::PreconditionFailed(
                        "the menu does not exist yet".into(),
                    ));
                }
                let id: i64 = diesel::insert_into(menus::table)
                    .values((menus::key.eq(key), menus::name.eq(&input.name)))
                    .returning(menus::id)
                    .get_result(conn)?;
                (id, true)
            }
        };
        insert_items(conn, menu_id, None, &input.items)?;
        audit::queries::record(
            conn,
            user,
            if created { "create" } else { "update" },
            "menu",
            Some(menu_id),
            key,
            now,
        )?;
        Ok(created)
    })
}

pub fn delete(
    conn: &mut AnyConnection,
    user: &Actor,
    key: &str,
    if_match: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    user.require(&[Role::Admin, Role::Editor])?;
    crate::db::write(conn, |conn| {
        let (id, _) = menu_for_write(conn, key, if_match)?;
        diesel::delete(menus::table.filter(menus::id.eq(id))).execute(conn)?;
        audit::queries::record(conn, user, "delete", "menu", Some(id), key, now)?;
        Ok(())
    })
}

/// An item changed: the menu's version moves on, by compare-and-set from the one read.
fn bump_version(conn: &mut AnyConnection, menu_id: i64, version: i64) -> Result<(), ApiError> {
    let bumped = diesel::update(
        menus::table
            .filter(menus::id.eq(menu_id))
            .filter(menus::version.eq(version)),
    )
    .set(menus::version.eq(version + 1))
    .execute(conn)?;
    swapped(bumped, "menu")
}

/// The menu a write addresses, once `If-Match` agrees: (id, version).
fn menu_for_write(
    conn: &mut AnyConnection,
    key: &str,
    if_match: Option<&str>,
) -> Result<(i64, i64), ApiError> {
    let (id, version): (i64, i64) = menus::table
        .filter(menus::key.eq(key))
        .select((menus::id, menus::version))
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("menu", key))?;
    check_if_match(if_match, "menu", version)?;
    Ok((id, version))
}

/// Deletes one item (and its children) from a menu; the menu's version moves on.
pub fn delete_item(
    conn: &mut AnyConnection,
    user: &Actor,
    key: &str,
    item_id: i64,
    if_match: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    user.require(&[Role::Admin, Role::Editor])?;
    crate::db::write(conn, |conn| {
        let (menu_id, version) = menu_for_write(conn, key, if_match)?;
        let deleted = diesel::delete(
            menu_items::table
                .filter(menu_items::id.eq(item_id))
                .filter(menu_items::menu_id.eq(menu_id)),
        )
        .execute(conn)?;
        if deleted == 0 {
            return Err(ApiError::not_found("menu item", item_id.to_string()));
        }
        bump_version(conn, menu_id, version)?;
        audit::queries::record(conn, user, "delete", "menu_item", Some(item_id), key, now)?;
        Ok(())
    })
}

/// What a single-item PATCH body may hold, checked before the database is touched.
fn check_item_patch_shape(body: &Value) -> Result<(), ApiError> {
    let Some(fields) = body.as_object() else {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "body",
            "must be a JSON object",
        )]));
    };
    let mut errors = Vec::new();
    for (name, value) in fields {
        let ok = match name.as_str() {
            "label" | "url" => value.is_string(),
            "kind" => value.as_str().and_then(MenuItemKind::parse).is_some(),
            "target_id" => value.is_null() || value.as_i64().is_some_and(|id| id > 0),
            "position" => value.as_i64().is_some_and(|p| (0..=100_000).contains(&p)),
            _ => {
                errors.push(FieldError::new(
                    name.clone(),
                    "is not a field; expected label, kind, target_id, url, position",
                ));
                continue;
            }
        };
        if !ok {
            errors.push(FieldError::new(name.clone(), "has the wrong type or value"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(errors))
    }
}

/// An item as stored: label, kind, target id, url, position.
type StoredItem = (String, String, Option<i64>, Option<String>, i32);

/// Changes one item: any of `label`, `kind`, `target_id`, `url`, `position`; the result
/// must still be a valid item. The menu's version moves on.
pub fn update_item(
    conn: &mut AnyConnection,
    user: &Actor,
    key: &str,
    item_id: i64,
    if_match: Option<&str>,
    body: &Value,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    user.require(&[Role::Admin, Role::Editor])?;
    // The body's own shape first: a malformed request is the client's error whatever the
    // stored version (422, not 412).
    check_item_patch_shape(body)?;
    crate::db::write(conn, |conn| {
        let (menu_id, version) = menu_for_write(conn, key, if_match)?;
        let current: Option<StoredItem> = menu_items::table
            .filter(menu_items::id.eq(item_id))
            .filter(menu_items::menu_id.eq(menu_id))
            .select((
                menu_items::label,
                menu_items::kind,
                menu_items::target_id,
                menu_items::url,
                menu_items::position,
            ))
            .first(conn)
            .optional()?;
        let (label, kind, target_id, url, position) =
            current.ok_or_else(|| ApiError::not_found("menu item", item_id.to_string()))?;
        // The item as it would be, checked like a new one.
        let mut merged =
            serde_json::json!({"label": label, "kind": kind, "target_id": target_id, "url": url});
        let mut errors = Vec::new();
        let mut new_position = position;
        match body.as_object() {
            Some(fields) => {
                for (name, value) in fields {
                    match name.as_str() {
                        "label" | "kind" | "target_id" | "url" => {
                            merged[name.as_str()] = value.clone()
                        }
                        "position" => match value.as_i64() {
                            Some(p) if (0..=100_000).contains(&p) => new_position = p as i32,
                            _ => errors.push(FieldError::new(
                                "position",
                                "must be an integer from 0 to 100000",
                            )),
                        },
                        other => errors.push(FieldError::new(
                            other,
                            "is not a field; expected label, kind, target_id, url, position",
                        )),
                    }
                }
            }
            None => errors.push(FieldError::new("body", "must be a JSON object")),
        }
        let parsed = parse_item_fields(
            &merged,
            "item",
            &["label", "kind", "target_id", "url"],
            &mut errors,
        );
        let errors: Vec<FieldError> = errors
            .into_iter()
            .map(|error| {
                FieldError::new(
                    error.field.trim_start_matches("item.").to_owned(),
                    error.message,
                )
            })
            .collect();
        let Some((label, kind, target_id, url)) = parsed.filter(|_| errors.is_empty()) else {
            return Err(ApiError::Invalid(errors));
        };
        let item = ItemInput {
            label,
            kind,
            target_id,
            url,
            children: Vec::new(),
        };
        let mut missing = Vec::new();
        check_targets(conn, std::slice::from_ref(&item), "items", &mut missing)?;
        if !missing.is_empty() {
            return Err(ApiError::Invalid(vec![FieldError::new(
                "target_id",
                "no such target",
            )]));
        }
        let (target_id, url) = match item.kind {
            MenuItemKind::Url => (None, item.url.clone()),
            MenuItemKind::Group => (None, None),
            _ => (item.target_id, None),
        };
        diesel::update(menu_items::table.filter(menu_items::id.eq(item_id)))
            .set((
                menu_items::label.eq(&item.label),
                menu_items::kind.eq(item.kind.as_str()),
                menu_items::target_id.eq(target_id),
                menu_items::url.eq(url),
                menu_items::position.eq(new_position),
            ))
            .execute(conn)?;
        bump_version(conn, menu_id, version)?;
        audit::queries::record(conn, user, "update", "menu_item", Some(item_id), key, now)?;
        Ok(())
    })
}

/// Adds one item to a menu, under `parent_id` or at the top, at `position` (default
/// last). Returns its id; the menu's version moves on.
pub fn add_item(
    conn: &mut AnyConnection,
    user: &Actor,
    key: &str,
    if_match: Option<&str>,
    body: &Value,
    now: NaiveDateTime,
) -> Result<i64, ApiError> {
    user.require(&[Role::Admin, Role::Editor])?;
    let mut errors = Vec::new();
    let fields = parse_item_fields(
        body,
        "item",
        &["label", "kind", "target_id", "url", "parent_id", "position"],
        &mut errors,
    );
    let parent_id = match body.get("parent_id") {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_i64().filter(|id| *id > 0) {
            Some(id) => Some(id),
            None => {
                errors.push(FieldError::new("parent_id", "must be an item id"));
                None
            }
        },
    };
    let position = match body.get("position") {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_i64().filter(|p| (0..=100_000).contains(p)) {
            Some(p) => Some(p as i32),
            None => {
                errors.push(FieldError::new(
                    "position",
                    "must be an integer from 0 to 100000",
                ));
                None
            }
        },
    };
    let errors: Vec<FieldError> = errors
        .into_iter()
        .map(|error| {
            FieldError::new(
                error.field.trim_start_matches("item.").to_owned(),
                error.message,
            )
        })
        .collect();
    let Some((label, kind, target_id, url)) = fields.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Invalid(errors));
    };
    crate::db::write(conn, |conn| {
        let (menu_id, version) = menu_for_write(conn, key, if_match)?;
        if let Some(parent) = parent_id {
            let found: i64 = menu_items::table
                .filter(menu_items::id.eq(parent))
                .filter(menu_items::menu_id.eq(menu_id))
                .count()
                .get_result(conn)?;
            if found == 0 {
                return Err(ApiError::Invalid(vec![FieldError::new(
                    "parent_id",
                    "no such item in this menu",
                )]));
            }
        }
        let item = ItemInput {
            label,
            kind,
            target_id,
            url,
            children: Vec::new(),
        };
        let mut missing = Vec::new();
        check_targets(conn, std::slice::from_ref(&item), "items", &mut missing)?;
        if !missing.is_empty() {
            return Err(ApiError::Invalid(vec![FieldError::new(
                "target_id",
                "no such target",
            )]));
        }
        let position = match position {
            Some(position) => position,
            None => {
                let siblings = menu_items::table
                    .filter(menu_items::menu_id.eq(menu_id))
                    .into_boxed();
                let siblings = match parent_id {
                    Some(parent) => siblings.filter(menu_items::parent_id.eq(parent)),
                    None => siblings.filter(menu_items::parent_id.is_null()),
                };
                siblings.count().get_result::<i64>(conn)? as i32
            }
        };
        let (target_id, url) = match item.kind {
            MenuItemKind::Url => (None, item.url.clone()),
            MenuItemKind::Group => (None, None),
            _ => (item.target_id, None),
        };
        let id: i64 = diesel::insert_into(menu_items::table)
            .values((
                menu_items::menu_id.eq(menu_id),
                menu_items::parent_id.eq(parent_id),
                menu_items::position.eq(position),
                menu_items::label.eq(&item.label),
                menu_items::kind.eq(item.kind.as_str()),
                menu_items::target_id.eq(target_id),
                menu_items::url.eq(url),
            ))
            .returning(menu_items::id)
            .get_result(conn)?;
        bump_version(conn, menu_id, version)?;
        audit::queries::record(conn, user, "create", "menu_item", Some(id), key, now)?;
        Ok(id)
    })
}
