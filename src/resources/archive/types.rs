use serde::Serialize;
use utoipa::ToSchema;

/// Published articles in one month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArchiveMonth {
    /// 1–12.
    pub month: i32,
    pub count: i64,
}

/// Published articles in one year, by month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArchiveYear {
    pub year: i32,
    pub count: i64,
    /// Months with articles, newest first.
    pub months: Vec<ArchiveMonth>,
}

/// Article counts by year and month in the site's time zone, newest first. List a
/// month's articles with `GET /api/v1/articles?year=&month=`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"data": [{"year": 2021, "count": 3, "months": [{"month": 11, "count": 3}]}]}))]
pub struct Archive {
    pub data: Vec<ArchiveYear>,
}
