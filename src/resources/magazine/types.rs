use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::input::kinds::{Day, Id, Ids, Int, Line, Text, Year};
use crate::input::{Optional, Patch};
use crate::resources::articles::types::ArticleSummary;
use crate::resources::media::types::Image;
use crate::resources::pages::types::PublicationStatus;

/// A magazine issue in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "number": 85, "title": "大视野第85期", "year": 2019, "description": "",
    "cover": null, "published_on": "2019-01-01", "path": "/magazine/issues/1", "article_count": 8
}))]
pub struct MagazineIssueSummary {
    pub id: i64,
    /// The issue number; null for yearly collections.
    #[schema(required = true)]
    pub number: Option<i32>,
    pub title: String,
    pub year: i32,
    pub description: String,
    #[schema(required = true)]
    pub cover: Option<Image>,
    /// The issue date (a calendar date, no time zone).
    pub published_on: NaiveDate,
    pub path: String,
    /// Published articles in the issue.
    pub article_count: i64,
}

/// A magazine issue with its articles in running order.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "number": 85, "title": "大视野第85期", "year": 2019, "description": "", "cover": null,
    "published_on": "2019-01-01", "path": "/magazine/issues/1",
    "articles": [], "status": "published", "version": 1
}))]
pub struct MagazineIssue {
    pub id: i64,
    #[schema(required = true)]
    pub number: Option<i32>,
    pub title: String,
    pub year: i32,
    pub description: String,
    #[schema(required = true)]
    pub cover: Option<Image>,
    pub published_on: NaiveDate,
    pub path: String,
    /// The published articles of the issue, in running order.
    pub articles: Vec<ArticleSummary>,
    /// `published` in the public API; editors also see `draft`.
    #[schema(value_type = PublicationStatus)]
    pub status: String,
    /// Incremented on every change; editors send it back as `If-Match: "<version>"`.
    pub version: i64,
}

/// Magazine issues, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MagazineIssueList {
    pub data: Vec<MagazineIssueSummary>,
}

/// Filters for `GET /magazine/issues`. Unknown parameters are refused.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListIssuesQuery {
    /// Only issues of this year (1900–2200).
    #[param(value_type = Option<i32>, minimum = 1900, maximum = 2200, example = 2018)]
    pub year: Option<String>,
}

/// A new magazine issue.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "大视野第86期", "number": 86, "year": 2019, "published_on": "2019-02-01",
    "description": "本期聚焦未成年人网络保护", "status": "published", "article_ids": [10, 11]
}))]
pub struct NewMagazineIssue {
    #[schema(inline)]
    pub title: Line<200>,
    /// The issue number; left out or null for a yearly collection.
    #[serde(default)]
    #[schema(inline)]
    pub number: Patch<Int<0, 1_000_000>>,
    #[schema(inline)]
    pub year: Year,
    /// The issue date (a calendar date, no time zone).
    #[schema(inline)]
    pub published_on: Day,
    #[serde(default)]
    #[schema(inline)]
    pub description: Patch<Text<2000>>,
    /// A media record's id; it must exist.
    #[serde(default)]
    #[schema(inline)]
    pub cover_media_id: Patch<Id>,
    /// `draft` (the default) is not public.
    #[serde(default)]
    #[schema(inline)]
    pub status: Optional<PublicationStatus>,
    /// The issue's articles in running order; each must exist.
    #[serde(default)]
    #[schema(inline)]
    pub article_ids: Patch<Ids<500>>,
}

/// Changes to a magazine issue: the fields to change, the others left out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "published", "article_ids": [11, 10, 12]}))]
pub struct MagazineIssueChanges {
    #[serde(default)]
    #[schema(inline)]
    pub title: Optional<Line<200>>,
    /// `null` makes it a yearly collection, without a number.
    #[serde(default)]
    #[schema(inline)]
    pub number: Patch<Int<0, 1_000_000>>,
    #[serde(default)]
    #[schema(inline)]
    pub year: Optional<Year>,
    #[serde(default)]
    #[schema(inline)]
    pub published_on: Optional<Day>,
    /// `null` clears it.
    #[serde(default)]
    #[schema(inline)]
    pub description: Patch<Text<2000>>,
    /// A media record's id, which must exist; `null` removes the cover.
    #[serde(default)]
    #[schema(inline)]
    pub cover_media_id: Patch<Id>,
    /// `published` makes it public; `draft` hides it again.
    #[serde(default)]
    #[schema(inline)]
    pub status: Optional<PublicationStatus>,
    /// Replaces the running order; each id must exist. `null` or `[]` empties the issue.
    #[serde(default)]
    #[schema(inline)]
    pub article_ids: Patch<Ids<500>>,
}
