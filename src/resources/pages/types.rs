use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::kinds::{Line, Slug, Text};
use crate::input::{Optional, Patch};
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

impl PublicationStatus {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
        }
    }
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

/// A new static page.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "关于我们", "slug": "about", "summary": "《南方大视野》杂志简介",
    "body_html": "<p>《南方大视野》……</p>", "status": "published"
}))]
pub struct NewPage {
    #[schema(inline)]
    pub title: Line<200>,
    /// Made from the title (Chinese in pinyin) when left out.
    #[serde(default)]
    #[schema(inline)]
    pub slug: Optional<Slug>,
    #[serde(default)]
    #[schema(inline)]
    pub summary: Patch<Text<2000>>,
    /// HTML, sanitised on the way in (no scripts, event handlers or unsafe URLs).
    #[serde(default)]
    #[schema(inline)]
    pub body_html: Patch<Text<500000>>,
    /// `draft` (not public) when left out.
    #[serde(default)]
    #[schema(inline)]
    pub status: Optional<PublicationStatus>,
    /// The `<title>` override (`seo.title`); the page's title when left out or `null`.
    #[serde(default)]
    #[schema(inline)]
    pub seo_title: Patch<Line<200>>,
    /// The description override (`seo.description`); the summary when left out or `null`.
    #[serde(default)]
    #[schema(inline)]
    pub seo_description: Patch<Line<500>>,
}

/// Changes to a static page: the fields to change, the others left out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "published", "summary": "加入我们", "seo_title": "招聘职位 - 南方大视野"}))]
pub struct PageChanges {
    #[serde(default)]
    #[schema(inline)]
    pub title: Optional<Line<200>>,
    #[serde(default)]
    #[schema(inline)]
    pub slug: Optional<Slug>,
    /// `null` clears it.
    #[serde(default)]
    #[schema(inline)]
    pub summary: Patch<Text<2000>>,
    /// HTML, sanitised on the way in (no scripts, event handlers or unsafe URLs); `null` clears it.
    #[serde(default)]
    #[schema(inline)]
    pub body_html: Patch<Text<500000>>,
    /// `published` makes the page public, `draft` takes it back.
    #[serde(default)]
    #[schema(inline)]
    pub status: Optional<PublicationStatus>,
    /// `null` clears it (the page's title is used).
    #[serde(default)]
    #[schema(inline)]
    pub seo_title: Patch<Line<200>>,
    /// `null` clears it (the summary is used).
    #[serde(default)]
    #[schema(inline)]
    pub seo_description: Patch<Line<500>>,
}
