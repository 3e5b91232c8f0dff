use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::status::ArticleStatus;
use crate::http::pagination::PageMeta;
use crate::input::kinds::{Id, Ids, Instant, Line, Slug, Text};
use crate::input::{Optional, Patch};
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
#[schema(example = json!({
    "id": 1, "slug": "humiao-safety-training-nanshan",
    "title": "护苗有我 安全同行 南山区开展首次儿童主任网络安全专题培训暨护苗工作站交流活动",
    "subtitle": null,
    "summary": "11月15日,深圳市南山区儿童主任网络安全专题培训暨“护苗有我 安全同行”2021年护苗工作站系列活动在腾讯滨海大厦举行。",
    "cover": {"id": 1, "url": "/media/2021/11/humiao-training.jpg", "alt": "南山区儿童主任网络安全专题培训暨护苗工作站交流活动",
              "caption": "南山区儿童主任网络安全专题培训暨护苗工作站交流活动", "width": 1080, "height": 720, "mime_type": "image/jpeg",
              "credit": null, "byte_size": 182113, "placeholder": "LEHV6nWB2yk8pyo0adR*.7kCMdnj", "focal_point": null,
              "renditions": [{"url": "/media/2021/11/3f9a0c1e2b7d-4a55c1d2/w320.webp", "width": 320, "height": 213, "mime_type": "image/webp"}],
              "version": 1},
    "category": {"id": 1, "slug": "news", "name": "新闻动态", "path": "/categories/news"},
    "tags": [{"id": 2, "slug": "humiao", "name": "护苗", "path": "/tags/humiao"}],
    "author_name": "南方大视野编辑部", "source": "南方大视野", "status": "published",
    "published_at": "2021-11-16T10:00:00+08:00", "path": "/articles/humiao-safety-training-nanshan"
}))]
pub struct ArticleSummary {
    pub id: i64,
    /// URL-safe identifier; may contain Chinese characters; never all digits.
    pub slug: String,
    pub title: String,
    #[schema(required = true)]
    pub subtitle: Option<String>,
    /// Plain-text standfirst for list views.
    pub summary: String,
    #[schema(required = true)]
    pub cover: Option<Image>,
    #[schema(required = true)]
    pub category: Option<CategoryRef>,
    pub tags: Vec<TagRef>,
    /// The byline.
    #[schema(required = true)]
    pub author_name: Option<String>,
    /// Where the story comes from (来源).
    #[schema(required = true)]
    pub source: Option<String>,
    /// `published` in the public API; editors' lists show the workflow state.
    #[schema(value_type = ArticleStatus)]
    pub status: String,
    /// When it was published, at the offset it was published in (RFC 3339). For a draft
    /// without a date, its last change.
    pub published_at: DateTime<FixedOffset>,
    pub path: String,
}

/// SEO overrides for the page's `<title>` and description.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Seo {
    /// Falls back to the article title when null.
    #[schema(required = true)]
    pub title: Option<String>,
    /// Falls back to the summary when null.
    #[schema(required = true)]
    pub description: Option<String>,
}

/// A whole article with what its page shows around it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "slug": "humiao-safety-training-nanshan",
    "title": "护苗有我 安全同行 南山区开展首次儿童主任网络安全专题培训暨护苗工作站交流活动",
    "subtitle": null, "summary": "11月15日,深圳市南山区儿童主任网络安全专题培训……",
    "body_html": "<p>11月15日,……</p><h2>多方合力,共同落实未保法</h2><figure><img src=\"/media/2021/11/humiao-training.jpg\" alt=\"…\" width=\"1080\" height=\"720\"><figcaption>南山区儿童主任网络安全专题培训暨护苗工作站交流活动</figcaption></figure>",
    "cover": null, "images": [],
    "category": {"id": 1, "slug": "news", "name": "新闻动态", "path": "/categories/news"},
    "tags": [{"id": 2, "slug": "humiao", "name": "护苗", "path": "/tags/humiao"}],
    "author_name": "南方大视野编辑部", "source": "南方大视野",
    "published_at": "2021-11-16T10:00:00+08:00", "updated_at": "2021-11-16T10:00:00+08:00",
    "seo": {"title": null, "description": null}, "path": "/articles/humiao-safety-training-nanshan",
    "status": "published", "version": 1,
    "prev": {"id": 2, "slug": "family-civilization-team", "title": "助力全国文明城市创建,全市首支家庭文明示范队成立",
             "published_at": "2021-11-12T09:30:00+08:00", "path": "/articles/family-civilization-team"},
    "next": {"id": 3, "slug": "nanshan-police-bust-gang", "title": "深圳南山警方打掉一网络传播淫秽物品犯罪团伙,刑拘5人",
             "published_at": "2021-11-18T15:00:00+08:00", "path": "/articles/nanshan-police-bust-gang"},
    "related": [{"id": 4, "slug": "shenzhen-hongkong-youth-sports-2024", "title": "2024深港青少年体育交流赛启动",
                 "published_at": "2024-12-06T10:00:00+08:00", "path": "/articles/shenzhen-hongkong-youth-sports-2024"}]
}))]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub title: String,
    #[schema(required = true)]
    pub subtitle: Option<String>,
    pub summary: String,
    /// The body as sanitised HTML: paragraphs, `<h2>` section headings, `<figure>`s with
    /// `<figcaption>`s.
    pub body_html: String,
    #[schema(required = true)]
    pub cover: Option<Image>,
    /// The images used in the body, in order, with captions and sizes.
    pub images: Vec<Image>,
    #[schema(required = true)]
    pub category: Option<CategoryRef>,
    pub tags: Vec<TagRef>,
    #[schema(required = true)]
    pub author_name: Option<String>,
    #[schema(required = true)]
    pub source: Option<String>,
    /// When it was published, at the offset it was published in (RFC 3339). For a draft
    /// without a date, its last change.
    pub published_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    pub seo: Seo,
    pub path: String,
    /// `published` in the public API; editors also see `draft`, `review`, `scheduled`,
    /// `archived`.
    #[schema(value_type = ArticleStatus)]
    pub status: String,
    /// Incremented on every change; editors send it back as `If-Match: "<version>"`.
    pub version: i64,
    /// The article published just before this one in the same category (上一条); null
    /// for the oldest.
    #[schema(required = true)]
    pub prev: Option<ArticleLink>,
    /// The article published just after this one in the same category (下一条); null
    /// for the newest.
    #[schema(required = true)]
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

/// Filters and pagination for `GET /articles`. Unknown or repeated parameters are
/// refused (400). Text values are trimmed; one that is empty after trimming is refused.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListArticlesQuery {
    /// Category slug; articles in its subcategories are included. It must name an existing
    /// category: an unknown slug is 400, not an empty list (a typo must not pass for "no
    /// articles").
    #[param(
        example = "news",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\s\u0085]"
    )]
    pub category: Option<String>,
    /// Tag slug. It must name an existing tag: an unknown slug is 400.
    #[param(
        example = "humiao",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\s\u0085]"
    )]
    pub tag: Option<String>,
    /// Publication year, in the site's time zone (1900–2200: the years an article's
    /// `published_at` may fall in).
    #[param(value_type = Option<i32>, minimum = 1900, maximum = 2200, example = 2021)]
    pub year: Option<String>,
    /// Publication month (1–12), in the site's time zone. Needs `year`: a `month` alone is
    /// 400.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 12, example = 11)]
    pub month: Option<String>,
    /// Only articles that match this search (the rules of `GET /search`'s `q`), in this
    /// list's own order: for results ranked by relevance, with snippets, use `/search`.
    #[param(
        example = "护苗",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\s\u0085]"
    )]
    pub q: Option<String>,
    /// Author name, exactly as in the byline.
    #[param(
        example = "南方大视野编辑部",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\s\u0085]"
    )]
    pub author: Option<String>,
    /// `-published_at` (newest first, default) or `published_at` (oldest first).
    #[param(value_type = Option<ArticleSort>)]
    pub sort: Option<String>,
    /// Page number, from 1. Not with `cursor`: both together are 400.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000, example = 1)]
    pub page: Option<String>,
    /// Items per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, example = 20)]
    pub per_page: Option<String>,
    /// `meta.next_cursor` of the previous page: the same cost at any depth. Opaque: only a
    /// cursor this API issued, with the `sort` it was issued for, is valid (400 otherwise).
    /// Not with `page`.
    #[param(min_length = 1, max_length = 200, pattern = "^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
    /// Editors only: any state but `published` needs a token (401 without one). Authors
    /// see their own articles in the states other than published.
    #[param(value_type = Option<ArticleStatus>, example = "draft")]
    pub status: Option<String>,
}

/// A new article. Only `title` is required; on the optional fields that allow it, `null` is
/// the same as leaving the field out (`slug` and `status` must be a value when sent).
/// Whether the category, tags and media named exist is checked against the database (all
/// missing ids named in one 422), and so is whether a slug given is free.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "护苗有我 安全同行", "summary": "南山区开展首次儿童主任网络安全专题培训",
    "body_html": "<p>11月15日,……</p><h2>多方合力,共同落实未保法</h2>",
    "category_id": 1, "tag_ids": [1, 2], "status": "scheduled", "published_at": "2026-12-01T08:00:00+08:00"
}))]
pub struct NewArticle {
    #[schema(inline)]
    pub title: Line<200>,
    /// Made from the title when left out (Chinese becomes toneless pinyin:
    /// 护苗有我 → `hu-miao-you-wo`), made unique with `-2`, `-3` ….
    #[serde(default)]
    #[schema(inline)]
    pub slug: Optional<Slug>,
    #[serde(default)]
    #[schema(inline)]
    pub subtitle: Patch<Line<200>>,
    #[serde(default)]
    #[schema(inline)]
    pub summary: Patch<Text<2000>>,
    /// HTML, sanitised on write: scripts, event handlers, `javascript:` URLs and styles
    /// are removed; headings, paragraphs, links, images, figures, captions, tables stay.
    #[serde(default)]
    #[schema(inline)]
    pub body_html: Patch<Text<500000>>,
    #[serde(default)]
    #[schema(inline)]
    pub category_id: Patch<Id>,
    #[serde(default)]
    #[schema(inline)]
    pub tag_ids: Patch<Ids<50>>,
    #[serde(default)]
    #[schema(inline)]
    pub cover_media_id: Patch<Id>,
    /// The article's inline images, in order; uploaded pictures the body shows are added
    /// after them.
    #[serde(default)]
    #[schema(inline)]
    pub image_ids: Patch<Ids<200>>,
    /// Related articles chosen by an editor, in order: shown before the computed ones (at
    /// most 12).
    #[serde(default)]
    #[schema(inline)]
    pub related_ids: Patch<Ids<12>>,
    #[serde(default)]
    #[schema(inline)]
    pub source: Patch<Line<200>>,
    /// The byline; the signed-in user's name when left out.
    #[serde(default)]
    #[schema(inline)]
    pub author_name: Patch<Line<200>>,
    /// `draft` when left out; `scheduled` needs a future `published_at`. Authors may use
    /// `draft` and `review` only.
    #[serde(default)]
    #[schema(inline)]
    pub status: Optional<ArticleStatus>,
    /// RFC 3339 with its offset, in the years 1900–2200 once in UTC. For `published`, now
    /// when left out; the offset given is the one the article is shown in.
    #[serde(default)]
    #[schema(inline)]
    pub published_at: Patch<Instant>,
    #[serde(default)]
    #[schema(inline)]
    pub seo_title: Patch<Line<200>>,
    #[serde(default)]
    #[schema(inline)]
    pub seo_description: Patch<Line<500>>,
}

/// Changes to an article: the fields to change, the others left out; `null` clears a
/// nullable field (an empty text or list for `summary`, `body_html`, `tag_ids`,
/// `image_ids` and `related_ids`). References and a new slug are checked against the database, as on create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "scheduled", "published_at": "2026-12-01T08:00:00+08:00"}))]
pub struct ArticleChanges {
    #[serde(default)]
    #[schema(inline)]
    pub title: Optional<Line<200>>,
    /// The old slug keeps answering 301 with the new one.
    #[serde(default)]
    #[schema(inline)]
    pub slug: Optional<Slug>,
    #[serde(default)]
    #[schema(inline)]
    pub subtitle: Patch<Line<200>>,
    #[serde(default)]
    #[schema(inline)]
    pub summary: Patch<Text<2000>>,
    /// HTML, sanitised on write, as on create.
    #[serde(default)]
    #[schema(inline)]
    pub body_html: Patch<Text<500000>>,
    #[serde(default)]
    #[schema(inline)]
    pub category_id: Patch<Id>,
    /// Replaces the article's tags.
    #[serde(default)]
    #[schema(inline)]
    pub tag_ids: Patch<Ids<50>>,
    #[serde(default)]
    #[schema(inline)]
    pub cover_media_id: Patch<Id>,
    /// Replaces the article's inline images, in order; uploaded pictures the body shows are
    /// added after them.
    #[serde(default)]
    #[schema(inline)]
    pub image_ids: Patch<Ids<200>>,
    /// Replaces the related articles chosen by an editor, in order (at most 12); `null` or
    /// `[]` leaves only the computed ones.
    #[serde(default)]
    #[schema(inline)]
    pub related_ids: Patch<Ids<12>>,
    #[serde(default)]
    #[schema(inline)]
    pub source: Patch<Line<200>>,
    #[serde(default)]
    #[schema(inline)]
    pub author_name: Patch<Line<200>>,
    /// `scheduled` needs a future `published_at`. Authors may use `draft` and `review`
    /// only, on their own articles.
    #[serde(default)]
    #[schema(inline)]
    pub status: Optional<ArticleStatus>,
    /// RFC 3339 with its offset, in the years 1900–2200 once in UTC; the offset given is
    /// the one the article is shown in.
    #[serde(default)]
    #[schema(inline)]
    pub published_at: Patch<Instant>,
    #[serde(default)]
    #[schema(inline)]
    pub seo_title: Patch<Line<200>>,
    #[serde(default)]
    #[schema(inline)]
    pub seo_description: Patch<Line<500>>,
}

/// A link that shows one unpublished article to anyone who has it, until it expires.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewLink {
    /// The token alone.
    pub token: String,
    /// The API path that serves the preview: `/api/v1/preview/{token}`.
    pub path: String,
    pub expires_at: DateTime<chrono::Utc>,
}
