use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::kinds::{Id, Int, Line, Slug, Text};
use crate::input::{Optional, Patch};

/// A category named from another resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "slug": "news", "name": "新闻动态", "path": "/categories/news"}))]
pub struct CategoryRef {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// Where a frontend routes for this category.
    pub path: String,
}

/// A category with its subcategories, for sidebars.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "slug": "news", "name": "新闻动态", "description": "", "position": 0,
    "path": "/categories/news", "article_count": 9,
    "children": [{"id": 2, "slug": "industry-news", "name": "行业新闻", "description": "", "position": 0,
                  "path": "/categories/industry-news", "article_count": 3, "children": []}]
}))]
pub struct CategoryNode {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Display order among siblings.
    pub position: i32,
    pub path: String,
    /// Published articles in this category and all its descendants.
    pub article_count: i64,
    /// Subcategories in display order.
    #[schema(no_recursion)]
    pub children: Vec<CategoryNode>,
}

/// One category with its place in the tree.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 2, "slug": "industry-news", "name": "行业新闻", "description": "行业新闻与政策动态", "position": 0,
    "path": "/categories/industry-news", "article_count": 3,
    "parent": {"id": 1, "slug": "news", "name": "新闻动态", "path": "/categories/news"},
    "ancestors": [{"id": 1, "slug": "news", "name": "新闻动态", "path": "/categories/news"}],
    "children": [], "version": 1
}))]
pub struct Category {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i32,
    pub path: String,
    /// Published articles in this category and all its descendants.
    pub article_count: i64,
    /// The parent category; null at the top level.
    #[schema(required = true)]
    pub parent: Option<CategoryRef>,
    /// Breadcrumb from the top level down to the parent.
    pub ancestors: Vec<CategoryRef>,
    /// Subcategories, with theirs nested.
    pub children: Vec<CategoryNode>,
    /// Incremented on every change; editors send it back as `If-Match: "<version>"`.
    pub version: i64,
}

/// The category tree.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryTree {
    /// Top-level categories, each with its subcategories nested.
    pub data: Vec<CategoryNode>,
}

/// Display order among siblings: lower first.
pub type Position = Int<-1_000_000, 1_000_000>;

/// A new category.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "行业新闻", "slug": "industry-news", "parent_id": 1, "position": 0}))]
pub struct NewCategory {
    #[schema(inline)]
    pub name: Line<100>,
    /// Made from the name (Chinese in pinyin) when left out.
    #[serde(default)]
    #[schema(inline)]
    pub slug: Optional<Slug>,
    #[serde(default)]
    #[schema(inline)]
    pub description: Patch<Text<2000>>,
    /// The parent category; left out or `null`: top level.
    #[serde(default)]
    #[schema(inline)]
    pub parent_id: Patch<Id>,
    /// Display order among siblings, lower first; 0 when left out.
    #[serde(default)]
    #[schema(inline)]
    pub position: Optional<Position>,
}

/// Changes to a category: the fields to change, the others left out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "公司新闻", "parent_id": null}))]
pub struct CategoryChanges {
    #[serde(default)]
    #[schema(inline)]
    pub name: Optional<Line<100>>,
    #[serde(default)]
    #[schema(inline)]
    pub slug: Optional<Slug>,
    /// `null` clears it.
    #[serde(default)]
    #[schema(inline)]
    pub description: Patch<Text<2000>>,
    /// The new parent category; `null` moves the category to the top level.
    #[serde(default)]
    #[schema(inline)]
    pub parent_id: Patch<Id>,
    /// Display order among siblings, lower first.
    #[serde(default)]
    #[schema(inline)]
    pub position: Optional<Position>,
}
