use std::borrow::Cow;

use serde::{de, Deserialize, Deserializer, Serialize};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::input::kinds::{Id, Int, Line, Url};
use crate::input::{Optional, Patch};

/// Menus nest at most this many levels.
const MAX_DEPTH: usize = 4;
/// A menu holds at most this many items, nested ones included.
const MAX_ITEMS: usize = 500;

/// An item's place among its siblings, from 0.
pub type Position = Int<0, 100_000>;

/// What a menu item links to.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MenuItemKind {
    Category,
    Article,
    Page,
    MagazineIssue,
    Tag,
    /// A URL: external (`https://…`) or a frontend path (`/`).
    Url,
    /// A heading that only groups its children.
    Group,
}

/// Every kind, for the schema of the link rule.
const KINDS: [MenuItemKind; 7] = [
    MenuItemKind::Category,
    MenuItemKind::Article,
    MenuItemKind::Page,
    MenuItemKind::MagazineIssue,
    MenuItemKind::Tag,
    MenuItemKind::Url,
    MenuItemKind::Group,
];

impl MenuItemKind {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "category" => Self::Category,
            "article" => Self::Article,
            "page" => Self::Page,
            "magazine_issue" => Self::MagazineIssue,
            "tag" => Self::Tag,
            "url" => Self::Url,
            "group" => Self::Group,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Category => "category",
            Self::Article => "article",
            Self::Page => "page",
            Self::MagazineIssue => "magazine_issue",
            Self::Tag => "tag",
            Self::Url => "url",
            Self::Group => "group",
        }
    }

    /// The field an item of this kind links with: `target_id`, `url`, or none (a group).
    pub fn link_field(self) -> Option<&'static str> {
        match self {
            Self::Url => Some("url"),
            Self::Group => None,
            _ => Some("target_id"),
        }
    }
}

/// One menu entry, with its children.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 5, "label": "新闻动态", "kind": "category", "target_id": 1, "target_slug": "news",
    "url": null, "path": "/categories/news", "external": false, "broken": false, "children": []
}))]
pub struct MenuItem {
    pub id: i64,
    pub label: String,
    pub kind: MenuItemKind,
    /// The id of the linked category, article, page, magazine issue or tag.
    #[schema(required = true)]
    pub target_id: Option<i64>,
    /// The slug of the linked category, article, page or tag.
    #[schema(required = true)]
    pub target_slug: Option<String>,
    /// The URL of a `url` item.
    #[schema(required = true)]
    pub url: Option<String>,
    /// Where a frontend routes (`/articles/{slug}`, `/categories/{slug}`, …) or the URL of
    /// a `url` item; null for a `group`.
    #[schema(required = true)]
    pub path: Option<String>,
    /// True when `path` leaves the site.
    pub external: bool,
    /// Editors only ever see true: the target is gone or unpublished, so the public menu
    /// leaves this item out.
    pub broken: bool,
    /// Nested items in display order.
    #[schema(no_recursion)]
    pub children: Vec<MenuItem>,
}

/// A navigation menu. Items whose target is unpublished or gone are left out.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "key": "header", "name": "页头导航",
    "items": [
        {"id": 1, "label": "返回首页", "kind": "url", "target_id": null, "target_slug": null, "url": "/",
         "path": "/", "external": false, "broken": false, "children": []},
        {"id": 2, "label": "联系我们", "kind": "page", "target_id": 2, "target_slug": "contact", "url": null,
         "path": "/pages/contact", "external": false, "broken": false, "children": []}
    ],
    "version": 1
}))]
pub struct Menu {
    /// `header`, `sidebar`, `footer` …
    pub key: String,
    pub name: String,
    pub items: Vec<MenuItem>,
    /// Incremented on every change; editors send it back as `If-Match: "<version>"`.
    pub version: i64,
}

/// All menus.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MenuList {
    pub data: Vec<Menu>,
}

/// A menu's name and whole item tree, for `PUT`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "页头导航", "items": [
    {"label": "返回首页", "kind": "url", "url": "/"},
    {"label": "新闻动态", "kind": "category", "target_id": 1, "children": [
        {"label": "行业新闻", "kind": "category", "target_id": 2}
    ]}
]}))]
pub struct MenuContent {
    #[schema(inline)]
    pub name: Line<100>,
    // Described by `MenuTree`'s schema.
    #[schema(inline)]
    pub items: MenuTree,
}

/// Items in display order with their children: at most [`MAX_DEPTH`] levels and
/// [`MAX_ITEMS`] items in all.
#[derive(Debug)]
pub struct MenuTree(pub Vec<MenuTreeItem>);

/// One item of a menu tree, with its children. Its `kind` says which of `target_id` and
/// `url` it needs.
// `remote = "Self"`: serde derives an inherent `deserialize`, which the `Deserialize` impl
// below wraps with the rule across fields ([`linked`]).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct MenuTreeItem {
    #[schema(inline)]
    pub label: Line<100>,
    pub kind: MenuItemKind,
    /// The id of the linked category, article, page, magazine issue or tag: required for
    /// those kinds, ignored for `url` and `group`.
    #[serde(default)]
    #[schema(inline)]
    pub target_id: Patch<Id>,
    /// Required for a `url` item, ignored for the others: an http(s), mailto or tel URL,
    /// or a relative reference.
    #[serde(default)]
    #[schema(inline)]
    pub url: Patch<Url<2000>>,
    /// Nested items, in display order; menus nest at most 4 levels.
    #[serde(default)]
    #[schema(no_recursion)]
    pub children: Vec<MenuTreeItem>,
}

/// A new item, added to a menu.
// `remote = "Self"`: as for `MenuTreeItem`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
#[schema(example = json!({"label": "合作伙伴", "kind": "page", "target_id": 17, "parent_id": 30}))]
pub struct NewMenuItem {
    #[schema(inline)]
    pub label: Line<100>,
    pub kind: MenuItemKind,
    /// The id of the linked category, article, page, magazine issue or tag: required for
    /// those kinds, ignored for `url` and `group`.
    #[serde(default)]
    #[schema(inline)]
    pub target_id: Patch<Id>,
    /// Required for a `url` item, ignored for the others: an http(s), mailto or tel URL,
    /// or a relative reference.
    #[serde(default)]
    #[schema(inline)]
    pub url: Patch<Url<2000>>,
    /// The item of this menu to nest it under; left out or null, it goes at the top level.
    #[serde(default)]
    #[schema(inline)]
    pub parent_id: Patch<Id>,
    /// Its place among its siblings, from 0; left out or null, it goes last.
    #[serde(default)]
    #[schema(inline)]
    pub position: Patch<Position>,
}

/// Changes to one item: the fields to change, the others left out. The item must still
/// have what its kind needs (`target_id` or `url`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"label": "关于我们"}))]
pub struct MenuItemChanges {
    #[serde(default)]
    #[schema(inline)]
    pub label: Optional<Line<100>>,
    #[serde(default)]
    #[schema(inline)]
    pub kind: Optional<MenuItemKind>,
    /// The id of the linked category, article, page, magazine issue or tag; `null` clears
    /// it (for a `url` or `group` item).
    #[serde(default)]
    #[schema(inline)]
    pub target_id: Patch<Id>,
    /// The URL of a `url` item; `null` clears it (for another kind).
    #[serde(default)]
    #[schema(inline)]
    pub url: Patch<Url<2000>>,
    /// Its place among its siblings, from 0.
    #[serde(default)]
    #[schema(inline)]
    pub position: Optional<Position>,
}

/// The rule no field states alone: an item has the field its kind links with. Broken, it
/// names that field as missing.
fn linked<E: de::Error, A, B>(
    kind: MenuItemKind,
    target_id: &Patch<A>,
    url: &Patch<B>,
) -> Result<(), E> {
    match kind.link_field() {
        Some(field @ "target_id") if !matches!(target_id, Patch::Value(_)) => {
            Err(E::missing_field(field))
        }
        Some(field @ "url") if !matches!(url, Patch::Value(_)) => Err(E::missing_field(field)),
        _ => Ok(()),
    }
}

/// [`linked`] as a schema, for the request schemas that hold it (`NewMenuItem`,
/// `MenuTreeItem`): one branch per link field, so a client generated from the spec refuses a
/// `url` item without `url` or a category item without `target_id`, as the server does.
pub fn link_rule() -> Schema {
    let kinds = |field: Option<&str>| -> Vec<serde_json::Value> {
        KINDS
            .iter()
            .filter(|kind| kind.link_field() == field)
            .map(|kind| kind.as_str().into())
            .collect()
    };
    let branch = |link: Option<(&'static str, Type)>| {
        let mut branch = ObjectBuilder::new().property(
            "kind",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(kinds(link.as_ref().map(|(field, _)| *field)))),
        );
        if let Some((field, value)) = link {
            branch = branch
                .property(field, ObjectBuilder::new().schema_type(value))
                .required(field);
        }
        branch.required("kind").build()
    };
    Schema::OneOf(
        OneOfBuilder::new()
            .item(branch(Some(("target_id", Type::Integer))))
            .item(branch(Some(("url", Type::String))))
            .item(branch(None))
            .build(),
    )
}

impl<'de> Deserialize<'de> for MenuTreeItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let item = Self::deserialize(deserializer)?;
        linked(item.kind, &item.target_id, &item.url)?;
        Ok(item)
    }
}

impl<'de> Deserialize<'de> for NewMenuItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let item = Self::deserialize(deserializer)?;
        linked(item.kind, &item.target_id, &item.url)?;
        Ok(item)
    }
}

impl MenuTree {
    /// All the items, nested ones included.
    fn count(items: &[MenuTreeItem]) -> usize {
        items
            .iter()
            .map(|item| 1 + Self::count(&item.children))
            .sum()
    }

    /// The first item below `depth` levels that has children, by its path.
    fn too_deep(items: &[MenuTreeItem], path: &str, depth: usize) -> Option<String> {
        items.iter().enumerate().find_map(|(index, item)| {
            let at = format!("{path}[{index}]");
            if item.children.is_empty() {
                None
            } else if depth >= MAX_DEPTH {
                Some(at)
            } else {
                Self::too_deep(&item.children, &format!("{at}.children"), depth + 1)
            }
        })
    }
}

impl<'de> Deserialize<'de> for MenuTree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<MenuTreeItem>::deserialize(deserializer)?;
        let count = Self::count(&items);
        if count > MAX_ITEMS {
            return Err(de::Error::custom(format!(
                "must hold at most {MAX_ITEMS} items in all, nested ones included (it has {count})"
            )));
        }
        if let Some(at) = Self::too_deep(&items, "items", 1) {
            return Err(de::Error::custom(format!(
                "menus nest at most {MAX_DEPTH} levels: {at} may have no children"
            )));
        }
        Ok(Self(items))
    }
}

impl PartialSchema for MenuTree {
    fn schema() -> RefOr<Schema> {
        ArrayBuilder::new()
            .items(Ref::from_schema_name(MenuTreeItem::name()))
            .max_items(Some(MAX_ITEMS))
            .description(Some(format!(
                "The items in display order, each with its `children`; an empty list empties \
                 the menu. At most {MAX_ITEMS} items in all, nested ones included, at most \
                 {MAX_DEPTH} levels deep."
            )))
            .into()
    }
}

impl ToSchema for MenuTree {
    fn name() -> Cow<'static, str> {
        // Always inlined: an array of `MenuTreeItem`.
        Cow::Borrowed(crate::input::kinds::PLACEHOLDER_NAME)
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((MenuTreeItem::name().into(), MenuTreeItem::schema()));
        MenuTreeItem::schemas(schemas);
    }
}
