use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
