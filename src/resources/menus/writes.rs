//! Menus through the editing kit (editors and admins). `PUT` creates a menu or replaces
//! its name and whole tree; adding, changing and deleting one item are updates of the
//! menu, so each moves the menu's version (its ETag) on.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::queries;
use super::types::{Menu, MenuContent, MenuItemChanges, MenuItemKind, MenuTreeItem, NewMenuItem};
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::{articles, categories, magazine_issues, menu_items, menus, pages, tags};
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::params::IdOrSlug;
use crate::resources::editing::{Action, Creatable, Current, Deletable, Editable, Puttable};

pub struct Menus;

/// A menu's key, for the audit trail.
pub struct Row {
    key: String,
}

/// A menu `PUT` creates: its key, from the path, and its content.
pub struct NewMenu {
    pub key: String,
    pub content: MenuContent,
}

/// An update of a menu: a whole new tree, or one item.
pub enum MenuChange {
    Replace(MenuContent),
    AddItem(NewMenuItem),
    ChangeItem(i64, MenuItemChanges),
    DeleteItem(i64),
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

/// The item's target id and URL as stored: only the one its kind links with.
fn link(
    kind: MenuItemKind,
    target_id: Option<i64>,
    url: Option<String>,
) -> (Option<i64>, Option<String>) {
    match kind.link_field() {
        Some("target_id") => (target_id, None),
        Some("url") => (None, url),
        _ => (None, None),
    }
}

/// Notes under `field` a target that does not exist.
fn check_target(
    conn: &mut AnyConnection,
    kind: MenuItemKind,
    target_id: Option<i64>,
    field: String,
    errors: &mut Vec<FieldError>,
) -> QueryResult<()> {
    if let (Some(id), Some("target_id")) = (target_id, kind.link_field()) {
        if !target_exists(conn, kind, id)? {
            errors.push(FieldError::new(
                field,
                format!("no {} has id {id}", kind.as_str()),
            ));
        }
    }
    Ok(())
}

/// Notes every item of the tree whose target does not exist, by its path.
fn check_targets(
    conn: &mut AnyConnection,
    items: &[MenuTreeItem],
    path: &str,
    errors: &mut Vec<FieldError>,
) -> QueryResult<()> {
    for (index, item) in items.iter().enumerate() {
        let at = format!("{path}[{index}]");
        let target_id = item.target_id.clone().value().map(|id| id.0);
        check_target(
            conn,
            item.kind,
            target_id,
            format!("{at}.target_id"),
            errors,
        )?;
        check_targets(conn, &item.children, &format!("{at}.children"), errors)?;
    }
    Ok(())
}

fn refuse(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(errors))
    }
}

fn insert_items(
    conn: &mut AnyConnection,
    menu_id: i64,
    parent: Option<i64>,
    items: Vec<MenuTreeItem>,
) -> QueryResult<()> {
    for (position, item) in items.into_iter().enumerate() {
        let (target_id, url) = link(
            item.kind,
            item.target_id.value().map(|id| id.0),
            item.url.value().map(|url| url.0),
        );
        let id: i64 = diesel::insert_into(menu_items::table)
            .values((
                menu_items::menu_id.eq(menu_id),
                menu_items::parent_id.eq(parent),
                menu_items::position.eq(position as i32),
                menu_items::label.eq(item.label.0),
                menu_items::kind.eq(item.kind.as_str()),
                menu_items::target_id.eq(target_id),
                menu_items::url.eq(url),
            ))
            .returning(menu_items::id)
            .get_result(conn)?;
        insert_items(conn, menu_id, Some(id), item.children)?;
    }
    Ok(())
}

/// A new name and tree for the menu.
fn replace(conn: &mut AnyConnection, menu_id: i64, content: MenuContent) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    check_targets(conn, &content.items.0, "items", &mut errors)?;
    refuse(errors)?;
    diesel::update(menus::table.filter(menus::id.eq(menu_id)))
        .set(menus::name.eq(content.name.0))
        .execute(conn)?;
    diesel::delete(menu_items::table.filter(menu_items::menu_id.eq(menu_id))).execute(conn)?;
    insert_items(conn, menu_id, None, content.items.0)?;
    Ok(())
}

/// Adds one item, under `parent_id` or at the top, at `position` (default last): its id.
fn add_item(conn: &mut AnyConnection, menu_id: i64, item: NewMenuItem) -> Result<i64, ApiError> {
    let parent_id = item.parent_id.value().map(|id| id.0);
    let mut errors = Vec::new();
    if let Some(parent) = parent_id {
        let found: i64 = menu_items::table
            .filter(menu_items::id.eq(parent))
            .filter(menu_items::menu_id.eq(menu_id))
            .count()
            .get_result(conn)?;
        if found == 0 {
            errors.push(FieldError::new("parent_id", "no such item in this menu"));
        }
    }
    let (target_id, url) = link(
        item.kind,
        item.target_id.value().map(|id| id.0),
        item.url.value().map(|url| url.0),
    );
    check_target(conn, item.kind, target_id, "target_id".into(), &mut errors)?;
    refuse(errors)?;
    let position = match item.position.value() {
        Some(position) => position.0 as i32,
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
    Ok(diesel::insert_into(menu_items::table)
        .values((
            menu_items::menu_id.eq(menu_id),
            menu_items::parent_id.eq(parent_id),
            menu_items::position.eq(position),
            menu_items::label.eq(item.label.0),
            menu_items::kind.eq(item.kind.as_str()),
            menu_items::target_id.eq(target_id),
            menu_items::url.eq(url),
        ))
        .returning(menu_items::id)
        .get_result(conn)?)
}

/// An item as stored: kind, target id, url.
type Linked = (String, Option<i64>, Option<String>);

/// Changes one item; with the changes, it must still have what its kind links with.
fn change_item(
    conn: &mut AnyConnection,
    menu_id: i64,
    item_id: i64,
    changes: MenuItemChanges,
) -> Result<(), ApiError> {
    let (kind, target_id, url): Linked = menu_items::table
        .filter(menu_items::id.eq(item_id))
        .filter(menu_items::menu_id.eq(menu_id))
        .select((menu_items::kind, menu_items::target_id, menu_items::url))
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("menu item", item_id.to_string()))?;
    let kind = match changes.kind.value() {
        Some(kind) => kind,
        None => MenuItemKind::parse(&kind)
            .ok_or_else(|| ApiError::Internal(format!("menu item {item_id} has kind `{kind}`")))?,
    };
    let target_id = changes
        .target_id
        .into_update()
        .map_or(target_id, |id| id.map(|id| id.0));
    let url = changes
        .url
        .into_update()
        .map_or(url, |url| url.map(|url| url.0));
    let mut errors = Vec::new();
    match kind.link_field() {
        Some(field @ "target_id") if target_id.is_none() => errors.push(FieldError::new(
            field,
            format!("is required for a {} item", kind.as_str()),
        )),
        Some(field @ "url") if url.is_none() => {
            errors.push(FieldError::new(field, "is required for a url item"))
        }
        _ => {}
    }
    check_target(conn, kind, target_id, "target_id".into(), &mut errors)?;
    refuse(errors)?;
    let (target_id, url) = link(kind, target_id, url);
    diesel::update(menu_items::table.filter(menu_items::id.eq(item_id)))
        .set((
            changes
                .label
                .value()
                .map(|label| menu_items::label.eq(label.0)),
            menu_items::kind.eq(kind.as_str()),
            menu_items::target_id.eq(target_id),
            menu_items::url.eq(url),
            changes
                .position
                .value()
                .map(|position| menu_items::position.eq(position.0 as i32)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes one item; its children go with it (`ON DELETE CASCADE`).
fn delete_item(conn: &mut AnyConnection, menu_id: i64, item_id: i64) -> Result<(), ApiError> {
    let deleted = diesel::delete(
        menu_items::table
            .filter(menu_items::id.eq(item_id))
            .filter(menu_items::menu_id.eq(menu_id)),
    )
    .execute(conn)?;
    if deleted == 0 {
        return Err(ApiError::not_found("menu item", item_id.to_string()));
    }
    Ok(())
}

impl Editable for Menus {
    const KIND: &'static str = "menu";
    const TABLE: &'static str = "menus";
    type Changes = MenuChange;
    type Row = Row;
    type View = Menu;

    fn authorize(actor: &Actor, _: Action) -> Result<(), ApiError> {
        actor.require(&[Role::Admin, Role::Editor])
    }

    fn find(conn: &mut AnyConnection, key: &IdOrSlug) -> QueryResult<Option<Current<Row>>> {
        // A menu is named by its key, never by its id.
        Ok(menus::table
            .filter(menus::key.eq(key.to_string()))
            .select((menus::id, menus::version, menus::key))
            .first::<(i64, i64, String)>(conn)
            .optional()?
            .map(|(id, version, key)| Current {
                id,
                version,
                row: Row { key },
            }))
    }

    /// Its items as stored: positions (the view shows only their order) and links the
    /// view leaves out.
    fn unseen(conn: &mut AnyConnection, id: i64) -> QueryResult<serde_json::Value> {
        type Item = (
            i64,
            Option<i64>,
            i32,
            String,
            String,
            Option<i64>,
            Option<String>,
        );
        let items: Vec<Item> = menu_items::table
            .filter(menu_items::menu_id.eq(id))
            .order(menu_items::id.asc())
            .select((
                menu_items::id,
                menu_items::parent_id,
                menu_items::position,
                menu_items::label,
                menu_items::kind,
                menu_items::target_id,
                menu_items::url,
            ))
            .load(conn)?;
        Ok(serde_json::json!(items))
    }

    fn apply(
        conn: &mut AnyConnection,
        _: &Actor,
        current: &Current<Row>,
        change: MenuChange,
        _: NaiveDateTime,
    ) -> Result<String, ApiError> {
        let key = &current.row.key;
        Ok(match change {
            MenuChange::Replace(content) => {
                replace(conn, current.id, content)?;
                key.clone()
            }
            MenuChange::AddItem(item) => {
                let id = add_item(conn, current.id, item)?;
                format!("{key}: added item {id}")
            }
            MenuChange::ChangeItem(id, changes) => {
                change_item(conn, current.id, id, changes)?;
                format!("{key}: changed item {id}")
            }
            MenuChange::DeleteItem(id) => {
                delete_item(conn, current.id, id)?;
                format!("{key}: deleted item {id}")
            }
        })
    }

    fn view(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> Result<Menu, ApiError> {
        queries::for_editors(conn, now, id)?
            .ok_or_else(|| ApiError::not_found("menu", id.to_string()))
    }
}

impl Creatable for Menus {
    type New = NewMenu;

    fn insert(
        conn: &mut AnyConnection,
        _: &Actor,
        menu: NewMenu,
        _: NaiveDateTime,
    ) -> Result<(i64, String), ApiError> {
        if crate::slug::check(&menu.key).is_err() {
            return Err(ApiError::invalid(
                "key",
                "a menu key is a slug: lowercase letters, digits, hyphens",
            ));
        }
        let mut errors = Vec::new();
        check_targets(conn, &menu.content.items.0, "items", &mut errors)?;
        refuse(errors)?;
        let id: i64 = diesel::insert_into(menus::table)
            .values((
                menus::key.eq(&menu.key),
                menus::name.eq(menu.content.name.0),
            ))
            .returning(menus::id)
            .get_result(conn)?;
        insert_items(conn, id, None, menu.content.items.0)?;
        Ok((id, menu.key))
    }

    fn location(menu: &Menu) -> String {
        format!("/api/v1/menus/{}", menu.key)
    }
}

impl Puttable for Menus {
    fn replacing(menu: NewMenu) -> MenuChange {
        MenuChange::Replace(menu.content)
    }
}

impl Deletable for Menus {
    fn before_delete(
        _: &mut AnyConnection,
        _: &Actor,
        current: &Current<Row>,
    ) -> Result<String, ApiError> {
        // Its items go with it (`ON DELETE CASCADE`).
        Ok(current.row.key.clone())
    }
}
