//! The article workflow: the states an editor sees and how they map to what is stored.
//! Plain Rust, read by both the queries and the write rules.

use chrono::NaiveDateTime;

use crate::content::PUBLISHED;

/// The workflow states an editor sees. `scheduled` is stored as `published` with a future
/// `published_at`, so it goes live on time by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Review,
    Scheduled,
    Published,
    Archived,
}

impl Status {
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
}
