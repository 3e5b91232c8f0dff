use serde::Serialize;
use utoipa::ToSchema;

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
