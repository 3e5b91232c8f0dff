use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::pagination::PageMeta;
use crate::resources::articles::types::ArticleSummary;

/// What to search for and where. Unknown or repeated parameters are refused (400).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What to search for, 1–200 characters: Chinese, letters, digits. Words separated by
    /// spaces or punctuation must all be found, in any order; characters written together
    /// are found together (`网络安全` finds 网络安全, not 网络 and 安全 apart). One
    /// Chinese character finds the words it starts. Case, full-width forms and traditional
    /// characters do not matter. Required: without it, or with nothing to search for in it
    /// (only punctuation), the answer is 400.
    #[param(
        required = true,
        example = "护苗",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"
    )]
    pub q: Option<String>,
    /// Category slug; its subcategories are included. An unknown slug is 400.
    #[param(
        example = "news",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\s\u0085]"
    )]
    pub category: Option<String>,
    /// Tag slug. An unknown slug is 400.
    #[param(
        example = "humiao",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\s\u0085]"
    )]
    pub tag: Option<String>,
    /// Published on or after this day (the site's time zone), `YYYY-MM-DD`.
    #[param(value_type = Option<String>, format = Date, example = "2021-11-01", min_length = 10, max_length = 10, pattern = r"^\d{4}-\d{2}-\d{2}$")]
    pub from: Option<String>,
    /// Published on or before this day (the site's time zone), `YYYY-MM-DD`.
    #[param(value_type = Option<String>, format = Date, example = "2021-11-30", min_length = 10, max_length = 10, pattern = r"^\d{4}-\d{2}-\d{2}$")]
    pub to: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000, example = 1)]
    pub page: Option<String>,
    /// Results per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, example = 20)]
    pub per_page: Option<String>,
}

/// One search result: the article's summary, and where it matched.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "slug": "humiao-safety-training-nanshan",
    "title": "护苗有我 安全同行 南山区开展首次儿童主任网络安全专题培训暨护苗工作站交流活动",
    "subtitle": null,
    "summary": "11月15日,深圳市南山区儿童主任网络安全专题培训暨“护苗有我 安全同行”2021年护苗工作站系列活动在腾讯滨海大厦举行。",
    "cover": null,
    "category": {"id": 1, "slug": "news", "name": "新闻动态", "path": "/categories/news"},
    "tags": [{"id": 2, "slug": "humiao", "name": "护苗", "path": "/tags/humiao"}],
    "author_name": "南方大视野编辑部", "source": "南方大视野", "status": "published",
    "published_at": "2021-11-16T10:00:00+08:00", "path": "/articles/humiao-safety-training-nanshan",
    "title_html": "<mark>护苗</mark>有我 安全同行 南山区开展首次儿童主任网络安全专题培训暨<mark>护苗</mark>工作站交流活动",
    "snippet_html": "11月15日,深圳市南山区儿童主任网络安全专题培训暨“<mark>护苗</mark>有我 安全同行”2021年<mark>护苗</mark>工作站系列活动在腾讯滨海大厦举行。…"
}))]
pub struct SearchHit {
    #[serde(flatten)]
    pub article: ArticleSummary,
    /// The title, HTML-escaped, with every match in `<mark>`.
    pub title_html: String,
    /// Up to 160 characters of the summary and text around the first match, HTML-escaped,
    /// every match in `<mark>`, `…` where it was cut.
    pub snippet_html: String,
}

/// A page of search results, best first (title matches weigh more than text), with totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    pub data: Vec<SearchHit>,
    pub meta: PageMeta,
}

/// What a type-ahead box has typed.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// What has been typed so far, 1–100 characters: Chinese (found in titles, the last
    /// character as the start of a word) or pinyin, whole syllables or initials, with or
    /// without spaces, tone marks or not (`humiao`, `hu miao`, `hùmiáo`, `hm` find 护苗);
    /// `v` stands for `ü` as input methods type it (`lvse` finds 绿色); words apart each
    /// start a word of the title (`humiao anquan` finds 护苗有我 安全同行).
    #[param(
        required = true,
        example = "humiao",
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"
    )]
    pub q: Option<String>,
    /// How many titles, 1–20 (default 8).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 20, example = 8)]
    pub limit: Option<String>,
}

/// A title for a type-ahead box.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "slug": "humiao-safety-training-nanshan", "path": "/articles/humiao-safety-training-nanshan",
    "title": "护苗有我 安全同行 南山区开展首次儿童主任网络安全专题培训暨护苗工作站交流活动",
    "title_html": "<mark>护苗</mark>有我 安全同行 南山区开展首次儿童主任网络安全专题培训暨<mark>护苗</mark>工作站交流活动"
}))]
pub struct Suggestion {
    pub id: i64,
    pub slug: String,
    /// The article's path on the site.
    pub path: String,
    pub title: String,
    /// The title, HTML-escaped, with what matched in `<mark>`: the Chinese typed, or what
    /// pinyin typed spells (`humi` and `hm` mark 护苗, `hu` every 护).
    pub title_html: String,
}

/// Titles for a type-ahead box, best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestions {
    pub data: Vec<Suggestion>,
}

/// The most characters of an article's text indexed: far beyond a news article, and it keeps
/// a PostgreSQL tsvector under its 1 MB limit (positions past 16,383 are not kept anyway).
pub const MAX_INDEXED_CHARS: usize = 60_000;

/// What an article says, as search and related articles read it.
pub struct ArticleText {
    pub title: String,
    pub body: String,
}

impl ArticleText {
    pub fn of(title: &str, subtitle: Option<&str>, summary: &str, body_html: &str) -> Self {
        let title = match subtitle {
            Some(subtitle) if !subtitle.is_empty() => format!("{title} {subtitle}"),
            _ => title.to_owned(),
        };
        let mut body = summary.to_owned();
        body.push(' ');
        body.push_str(&crate::http::html::text(body_html));
        let body = body.chars().take(MAX_INDEXED_CHARS).collect();
        Self { title, body }
    }
}
