use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
