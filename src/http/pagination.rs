//! Page-number and cursor pagination shared by every paginated list: the request
//! parameters, the `meta` object and the RFC 8288 `Link` header.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::http::params;

pub const DEFAULT_PER_PAGE: i64 = 20;
pub const MAX_PER_PAGE: i64 = 100;
/// Deep offsets are what cursors are for; this bound keeps `page * per_page` sane.
pub const MAX_PAGE: i64 = 1_000_000;

/// A position in a list ordered by `(published_at, id)`: the last item already seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub published_at: NaiveDateTime,
    pub id: i64,
    /// The sort the cursor was made for; a cursor is only valid with the same sort.
    pub ascending: bool,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let micros = self.published_at.and_utc().timestamp_micros();
        let direction = if self.ascending { "a" } else { "d" };
        URL_SAFE_NO_PAD.encode(format!("1:{direction}:{micros}:{}", self.id))
    }

    pub fn decode(raw: &str) -> Result<Self, ApiError> {
        let invalid = || ApiError::invalid("cursor", "is not a cursor this API issued");
        let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let mut parts = text.split(':');
        let (Some("1"), Some(direction), Some(micros), Some(id), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(invalid());
        };
        let ascending = match direction {
            "a" => true,
            "d" => false,
            _ => return Err(invalid()),
        };
        let micros: i64 = micros.parse().map_err(|_| invalid())?;
        let id: i64 = id.parse().map_err(|_| invalid())?;
        // Only instants a row can hold ([`crate::dates`]): a forged one far out would
        // compare wrongly on SQLite, where timestamps are text.
        let published_at = chrono::DateTime::from_timestamp_micros(micros)
            .map(|at| at.naive_utc())
            .filter(|at| crate::dates::instant_in_range(*at))
            .ok_or_else(invalid)?;
        Ok(Self {
            published_at,
            id,
            ascending,
        })
    }
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// 1-based page number (an offset).
    Page(i64),
    /// After the item a cursor names (a keyset seek: the same cost at any depth).
    After(Cursor),
}

/// A checked page request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub per_page: i64,
    pub position: Position,
}

impl PageRequest {
    /// Parses `page`, `per_page` and `cursor`; `page` and `cursor` exclude each other.
    pub fn parse(
        page: Option<&str>,
        per_page: Option<&str>,
        cursor: Option<&str>,
    ) -> Result<Self, ApiError> {
        let mut checks = params::Checks::default();
        let per_page = checks
            .take(params::int_in_range("per_page", per_page, 1, MAX_PER_PAGE))
            .flatten()
            .unwrap_or(DEFAULT_PER_PAGE);
        let page = checks
            .take(params::int_in_range("page", page, 1, MAX_PAGE))
            .flatten();
        let position = match (page, cursor) {
            (Some(_), Some(_)) => {
                checks.keep(ApiError::invalid(
                    "cursor",
                    "cannot be combined with `page`: use one or the other",
                ));
                None
            }
            (_, Some(cursor)) => checks.take(Cursor::decode(cursor)).map(Position::After),
            (page, None) => Some(Position::Page(page.unwrap_or(1))),
        };
        checks.done()?;
        Ok(Self {
            per_page,
            position: position.unwrap_or(Position::Page(1)),
        })
    }

    pub fn offset(&self) -> i64 {
        match self.position {
            Position::Page(page) => (page - 1) * self.per_page,
            Position::After(_) => 0,
        }
    }
}

/// Totals and positions of a paginated list.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "total": 17, "total_pages": 1, "per_page": 20, "page": 1, "next_cursor": null
}))]
pub struct PageMeta {
    /// Items matching the filters, on all pages.
    pub total: i64,
    /// Number of pages at this `per_page`.
    pub total_pages: i64,
    /// Items per page.
    pub per_page: i64,
    /// The current page number; null when the page was reached with a cursor.
    #[schema(required = true)]
    pub page: Option<i64>,
    /// Pass as `cursor` to get the page after this one; null on the last page, and on lists
    /// that page by number only (search results, the audit trail).
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// A page of items with its `meta`.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub meta: PageMeta,
}

impl PageMeta {
    pub fn new(
        request: &PageRequest,
        total: i64,
        returned: usize,
        has_more: bool,
        last: Option<Cursor>,
    ) -> Self {
        let total_pages = if total == 0 {
            0
        } else {
            (total + request.per_page - 1) / request.per_page
        };
        let page = match request.position {
            Position::Page(page) => Some(page),
            Position::After(_) => None,
        };
        let next_cursor = if has_more && returned > 0 {
            last.map(|cursor| cursor.encode())
        } else {
            None
        };
        Self {
            total,
            total_pages,
            per_page: request.per_page,
            page,
            next_cursor,
        }
    }

    /// The RFC 8288 `Link` header: `first`, `prev`, `next`, `last` for page numbers and
    /// `next` by cursor. `path` is the request path, `query` its other parameters.
    pub fn link_header(&self, path: &str, query: &[(String, String)]) -> Option<String> {
        let kept: Vec<&(String, String)> = query
            .iter()
            .filter(|(key, _)| key != "page" && key != "cursor")
            .collect();
        let url = |extra: (&str, String)| {
            let mut pairs: Vec<(&str, &str)> = kept
                .iter()
                .map(|(key, value)| (key.as_str(), value.as_str()))
                .collect();
            pairs.push((extra.0, extra.1.as_str()));
            let encoded = serde_urlencoded::to_string(&pairs).unwrap_or_default();
            format!("<{path}?{encoded}>")
        };
        let mut links = Vec::new();
        if let Some(page) = self.page {
            let last = self.total_pages.max(1);
            links.push(format!("{}; rel=\"first\"", url(("page", "1".into()))));
            if page > 1 {
                let prev = (page - 1).min(last);
                links.push(format!("{}; rel=\"prev\"", url(("page", prev.to_string()))));
            }
            if page < self.total_pages {
                let next = (page + 1).to_string();
                links.push(format!("{}; rel=\"next\"", url(("page", next))));
            }
            links.push(format!("{}; rel=\"last\"", url(("page", last.to_string()))));
        } else if let Some(cursor) = &self.next_cursor {
            links.push(format!("{}; rel=\"next\"", url(("cursor", cursor.clone()))));
        }
        (!links.is_empty()).then(|| links.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let cursor = Cursor {
            published_at: chrono::DateTime::from_timestamp_micros(1_637_000_000_123_456)
                .map(|t| t.naive_utc())
                .unwrap_or_default(),
            id: 42,
            ascending: false,
        };
        assert_eq!(Cursor::decode(&cursor.encode()).ok(), Some(cursor));
        for bad in ["", "abc", "MTp4OjE6Mg", "%%%"] {
            assert!(Cursor::decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn page_and_cursor_exclude_each_other() {
        assert!(PageRequest::parse(Some("2"), None, Some("x")).is_err());
        let request = PageRequest::parse(Some("3"), Some("10"), None).ok();
        assert_eq!(request.map(|r| r.offset()), Some(20));
    }
}
