use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::pagination::PageMeta;
use crate::resources::categories::types::CategoryRef;
use crate::resources::media::types::Image;
use crate::resources::tags::types::TagRef;

/// Another article named from this one: previous/next and related links.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 2, "slug": "family-civilization-team",
    "title": "助力全国文明城市创建,全市首支家庭文明示范队成立",
    "published_at": "2021-11-12T10:00:00+08:00", "path": "/articles/family-civilization-team"
}))]
pub struct ArticleLink {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// When it was published, at the offset it was published in (RFC 3339).
    pub published_at: DateTime<FixedOffset>,
    /// Where a frontend routes for this article.
    pub path: String,
}

/// An article in a list: everything but the body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleSummary {
    pub id: i64,
    /// URL-safe identifier; may contain Chinese characters; never all digits.
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// Plain-text standfirst for list views.
    pub summary: String,
    pub cover: Option<Image>,
    pub category: Option<CategoryRef>,
    pub tags: Vec<TagRef>,
    /// The byline.
    pub author_name: Option<String>,
    /// Where the story comes from (来源).
    pub source: Option<String>,
    /// When it was published, at the offset it was published in (RFC 3339).
    pub published_at: DateTime<FixedOffset>,
    pub path: String,
}

/// SEO overrides for the page's `<title>` and description.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Seo {
    /// Falls back to the article title when null.
    pub title: Option<String>,
    /// Falls back to the summary when null.
    pub description: Option<String>,
}

/// A whole article with what its page shows around it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub summary: String,
    /// The body as sanitised HTML: paragraphs, `<h2>` section headings, `<figure>`s with
    /// `<figcaption>`s.
    pub body_html: String,
    pub cover: Option<Image>,
    /// The images used in the body, in order, with captions and sizes.
    pub images: Vec<Image>,
    pub category: Option<CategoryRef>,
    pub tags: Vec<TagRef>,
    pub author_name: Option<String>,
    pub source: Option<String>,
    pub published_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    pub seo: Seo,
    pub path: String,
    /// The article published just before this one in the same category (上一条); null
    /// for the oldest.
    pub prev: Option<ArticleLink>,
    /// The article published just after this one in the same category (下一条); null
    /// for the newest.
    pub next: Option<ArticleLink>,
    /// Up to 6 related articles (相关文章): those sharing a tag with this one first, then
    /// others of its category; newest first within each.
    pub related: Vec<ArticleLink>,
}

/// A page of article summaries.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleList {
    pub data: Vec<ArticleSummary>,
    pub meta: PageMeta,
}

/// Sort orders for article lists.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub enum ArticleSort {
    /// Newest first (the default).
    #[serde(rename = "-published_at")]
    NewestFirst,
    /// Oldest first.
    #[serde(rename = "published_at")]
    OldestFirst,
}

/// Filters and pagination for `GET /articles`. Unknown parameters are refused.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListArticlesQuery {
    /// Category slug; articles in its subcategories are included.
    #[param(example = "news")]
    pub category: Option<String>,
    /// Tag slug.
    #[param(example = "humiao")]
    pub tag: Option<String>,
    /// Publication year, in the site's time zone.
    #[param(value_type = Option<i32>, minimum = 1970, maximum = 9999, example = 2021)]
    pub year: Option<String>,
    /// Publication month (1–12); needs `year`.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 12, example = 11)]
    pub month: Option<String>,
    /// Author name, exactly as in the byline.
    pub author: Option<String>,
    /// `-published_at` (newest first, default) or `published_at` (oldest first).
    #[param(value_type = Option<ArticleSort>)]
    pub sort: Option<String>,
    /// Page number, from 1. Not with `cursor`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000, example = 1)]
    pub page: Option<String>,
    /// Items per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, example = 20)]
    pub per_page: Option<String>,
    /// `meta.next_cursor` of the previous page: the same cost at any depth. Not with `page`.
    pub cursor: Option<String>,
}
