use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::types::{Menu, MenuItem, MenuItemKind};
use crate::db::schema::{menu_items, menus};
use crate::db::AnyConnection;
use crate::resources::{articles, categories, magazine, pages, paths, tags};

#[derive(Debug, Clone, Queryable)]
struct ItemRow {
    id: i64,
    menu_id: i64,
    parent_id: Option<i64>,
    _position: i32,
    label: String,
    kind: String,
    target_id: Option<i64>,
    url: Option<String>,
}

/// Slugs (or ids) of every target the items name, each kind in one query.
struct Targets {
    categories: HashMap<i64, String>,
    articles: HashMap<i64, String>,
    pages: HashMap<i64, String>,
    tags: HashMap<i64, String>,
    issues: Vec<i64>,
}

impl Targets {
    fn load(conn: &mut AnyConnection, now: NaiveDateTime, items: &[ItemRow]) -> QueryResult<Self> {
        let ids_of = |kind: MenuItemKind| -> Vec<i64> {
            items
                .iter()
                .filter(|item| item.kind == kind.as_str())
                .filter_map(|item| item.target_id)
                .collect()
        };
        Ok(Self {
            categories: categories::queries::all(conn)?
                .into_iter()
                .map(|row| (row.id, row.slug))
                .collect(),
            articles: articles::queries::visible_slugs(conn, now, &ids_of(MenuItemKind::Article))?,
            pages: pages::queries::published_slugs(conn, &ids_of(MenuItemKind::Page))?,
            tags: tags::queries::slugs_by_ids(conn, &ids_of(MenuItemKind::Tag))?,
            issues: magazine::queries::published_ids(conn, &ids_of(MenuItemKind::MagazineIssue))?,
        })
    }

    /// `(target_slug, path)` of an item, or None when its target is not public.
    fn resolve(
        &self,
        kind: MenuItemKind,
        item: &ItemRow,
    ) -> Option<(Option<String>, Option<String>)> {
        let slug = |map: &HashMap<i64, String>| item.target_id.and_then(|id| map.get(&id)).cloned();
        match kind {
            MenuItemKind::Category => {
                slug(&self.categories).map(|s| (Some(s.clone()), Some(paths::category(&s))))
            }
            MenuItemKind::Article => {
                slug(&self.articles).map(|s| (Some(s.clone()), Some(paths::article(&s))))
            }
            MenuItemKind::Page => {
                slug(&self.pages).map(|s| (Some(s.clone()), Some(paths::page(&s))))
            }
            MenuItemKind::Tag => slug(&self.tags).map(|s| (Some(s.clone()), Some(paths::tag(&s)))),
            MenuItemKind::MagazineIssue => item
                .target_id
                .filter(|id| self.issues.contains(id))
                .map(|id| (None, Some(paths::magazine_issue(id)))),
            MenuItemKind::Url => item.url.clone().map(|url| (None, Some(url))),
            MenuItemKind::Group => Some((None, None)),
        }
    }
}

fn is_external(path: &str) -> bool {
    path.starts_with("http://") || path.starts_with("https://") || path.starts_with("//")
}

/// The item tree. The public view leaves out items whose target is not public (and their
/// children); the editors' view keeps them, flagged `broken`.
fn build(
    items: &[ItemRow],
    targets: &Targets,
    menu_id: i64,
    parent: Option<i64>,
    editors: bool,
) -> Vec<MenuItem> {
    items
        .iter()
        .filter(|item| item.menu_id == menu_id && item.parent_id == parent)
        .filter_map(|item| {
            let kind = MenuItemKind::parse(&item.kind)?;
            let resolved = targets.resolve(kind, item);
            let broken = resolved.is_none();
            if broken && !editors {
                return None;
            }
            let (target_slug, path) = resolved.unwrap_or((None, None));
            Some(MenuItem {
                id: item.id,
                label: item.label.clone(),
                kind,
                target_id: item
                    .target_id
                    .filter(|_| kind != MenuItemKind::Url && kind != MenuItemKind::Group),
                target_slug,
                url: item.url.clone().filter(|_| kind == MenuItemKind::Url),
                external: path.as_deref().is_some_and(is_external),
                path,
                broken,
                children: build(items, targets, menu_id, Some(item.id), editors),
            })
        })
        .collect()
}

/// Menus with their item trees; `key` limits it to one.
pub fn load(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    key: Option<&str>,
    editors: bool,
) -> QueryResult<Vec<Menu>> {
    let mut query = menus::table.into_boxed();
    if let Some(key) = key {
        query = query.filter(menus::key.eq(key.to_owned()));
    }
    let menu_rows: Vec<(i64, String, String, i64)> = query
        .order((menus::key.asc(), menus::id.asc()))
        .select((menus::id, menus::key, menus::name, menus::version))
        .load(conn)?;
    if menu_rows.is_empty() {
        return Ok(Vec::new());
    }
    let menu_ids: Vec<i64> = menu_rows.iter().map(|row| row.0).collect();
    let items: Vec<ItemRow> = menu_items::table
        .filter(menu_items::menu_id.eq_any(&menu_ids))
        .order((menu_items::position.asc(), menu_items::id.asc()))
        .select(menu_items::all_columns)
        .load(conn)?;
    let targets = Targets::load(conn, now, &items)?;
    Ok(menu_rows
        .into_iter()
        .map(|(id, key, name, version)| Menu {
            key,
            name,
            items: build(&items, &targets, id, None, editors),
            version,
        })
        .collect())
}

/// One menu by id, as editors see it (broken items kept and flagged).
pub fn for_editors(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    id: i64,
) -> QueryResult<Option<Menu>> {
    let key: Option<String> = menus::table
        .filter(menus::id.eq(id))
        .select(menus::key)
        .first(conn)
        .optional()?;
    match key {
        Some(key) => Ok(load(conn, now, Some(&key), true)?.into_iter().next()),
        None => Ok(None),
    }
}
