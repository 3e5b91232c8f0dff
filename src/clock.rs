//! The current time, injectable so tests can move it (scheduled articles depend on it).

use std::sync::{Arc, RwLock};

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, SubsecRound, Utc};

/// A clock shared by the app: the system clock, or a settable one in tests.
#[derive(Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<RwLock<NaiveDateTime>>>,
}

impl Clock {
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock that stays at `now` until [`Clock::set`] moves it.
    pub fn fixed(now: NaiveDateTime) -> Self {
        Self {
            fixed: Some(Arc::new(RwLock::new(now))),
        }
    }

    pub fn set(&self, now: NaiveDateTime) {
        if let Some(fixed) = &self.fixed {
            if let Ok(mut guard) = fixed.write() {
                *guard = now;
            }
        }
    }

    /// Now, in UTC, to the microsecond (what both backends store).
    pub fn now(&self) -> NaiveDateTime {
        let now = match &self.fixed {
            Some(fixed) => fixed
                .read()
                .map(|guard| *guard)
                .unwrap_or_else(|_| Utc::now().naive_utc()),
            None => Utc::now().naive_utc(),
        };
        now.trunc_subsecs(6)
    }
}

/// A stored UTC instant shown at the UTC offset it belongs to.
pub fn at_offset(utc: NaiveDateTime, offset_minutes: i32) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(offset_minutes * 60).unwrap_or(Utc.fix());
    utc.and_utc().with_timezone(&offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_shown_in_their_offset() {
        let utc = chrono::NaiveDate::from_ymd_opt(2021, 11, 16)
            .and_then(|d| d.and_hms_opt(2, 0, 0))
            .unwrap_or_default();
        assert_eq!(
            at_offset(utc, 480).to_rfc3339(),
            "2021-11-16T10:00:00+08:00"
        );
    }
}
