use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::resources::articles::types::Seo;

/// A static page.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "slug": "about", "title": "关于我们", "summary": "《南方大视野》杂志简介",
    "body_html": "<p>《南方大视野》……</p>", "seo": {"title": null, "description": null},
    "updated_at": "2021-11-16T10:00:00+08:00", "path": "/pages/about", "version": 1, "status": "published"
}))]
pub struct Page {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// The body as sanitised HTML.
    pub body_html: String,
    pub seo: Seo,
    /// Last change, at the site's UTC offset.
    pub updated_at: DateTime<FixedOffset>,
    pub path: String,
    /// Incremented on every change; editors send it back as `If-Match: "<version>"`.
    pub version: i64,
    /// `published` in the public API; editors also see `draft`.
    #[schema(value_type = PublicationStatus)]
    pub status: String,
}

/// Whether a page or a magazine issue is public.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicationStatus {
    Draft,
    Published,
}

/// A static page in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "slug": "about", "title": "关于我们", "summary": "《南方大视野》杂志简介", "path": "/pages/about"
}))]
pub struct PageSummary {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub path: String,
}

/// All published static pages.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PageList {
    /// Ordered by title.
    pub data: Vec<PageSummary>,
}
