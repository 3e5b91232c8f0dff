//! The article workflow: the states an editor sees and how they map to what is stored.
//! Read by the queries, the write rules and, as a field of a write body, the parser.

use chrono::NaiveDateTime;
use serde::{de, Deserialize, Deserializer};
use utoipa::ToSchema;

use crate::content::PUBLISHED;

/// An article's workflow state. `scheduled` is stored as `published` with a future
/// `published_at`, so it goes live on time by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    Review,
    Scheduled,
    Published,
    Archived,
}

impl ArticleStatus {
    /// What a name that is none of them is told.
    pub const ONE_OF: &'static str = "must be one of draft, review, scheduled, published, archived";

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "draft" => Self::Draft,
            "review" => Self::Review,
            "scheduled" => Self::Scheduled,
            "published" => Self::Published,
            "archived" => Self::Archived,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Review => "review",
            Self::Scheduled => "scheduled",
            Self::Published => "published",
            Self::Archived => "archived",
        }
    }

    /// The state of a stored status and publication time at `now`.
    pub fn of_stored(
        status: &str,
        published_at: Option<NaiveDateTime>,
        now: NaiveDateTime,
    ) -> Self {
        match status {
            PUBLISHED if published_at.is_some_and(|at| at > now) => Self::Scheduled,
            PUBLISHED => Self::Published,
            "review" => Self::Review,
            "archived" => Self::Archived,
            _ => Self::Draft,
        }
    }

    /// States an author (not an editor) may leave an article in.
    pub fn open_to_authors(self) -> bool {
        matches!(self, Self::Draft | Self::Review)
    }

    /// Whether an article stored as `status` is in a state an author may still change
    /// ([`Self::open_to_authors`] of [`Self::of_stored`]) at any time: the clock only decides
    /// between scheduled and published, and neither is.
    pub fn stored_open_to_authors(status: &str) -> bool {
        !matches!(status, PUBLISHED | "archived")
    }
}

/// A state by its name, trimmed.
impl<'de> Deserialize<'de> for ArticleStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)
            .map_err(|_| de::Error::custom(ArticleStatus::ONE_OF))?;
        Self::parse(raw.trim()).ok_or_else(|| de::Error::custom(Self::ONE_OF))
    }
}
