use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::kinds::{Line, Slug, Text};
use crate::input::{Optional, Patch};

/// A tag named from another resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "slug": "humiao", "name": "护苗", "path": "/tags/humiao"}))]
pub struct TagRef {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub path: String,
}

/// A tag with its published article count.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 2, "slug": "humiao", "name": "护苗", "description": "", "path": "/tags/humiao", "article_count": 1, "version": 1
}))]
pub struct Tag {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub path: String,
    /// Published articles carrying this tag.
    pub article_count: i64,
    /// Incremented on every change; editors send it back as `If-Match: "<version>"`.
    pub version: i64,
}

/// All tags.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TagList {
    /// Tags ordered by name.
    pub data: Vec<Tag>,
}

/// A new tag.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "护苗", "slug": "humiao"}))]
pub struct NewTag {
    #[schema(inline)]
    pub name: Line<100>,
    /// Made from the name (Chinese in pinyin) when left out.
    #[serde(default)]
    #[schema(inline)]
    pub slug: Optional<Slug>,
    #[serde(default)]
    #[schema(inline)]
    pub description: Patch<Text<2000>>,
}

/// Changes to a tag: the fields to change, the others left out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"description": "未成年人网络保护"}))]
pub struct TagChanges {
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
}
