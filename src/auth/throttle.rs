//! Login attempts limited per account and per address within a window. An attempt is
//! counted *before* its password is checked ([`LoginThrottle::reserve`], one step under
//! one lock), so parallel guesses cannot all pass the check before any is recorded; a
//! right password then clears the account's count, as before.
//! In memory, so each instance counts its own (several instances multiply the limit).

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::email::Email;

/// Counted attempts by key (`account:…`, `address:…`), oldest first.
#[derive(Debug, Default)]
struct Attempts {
    by_key: HashMap<String, VecDeque<Instant>>,
    /// Reservations since the last sweep of stale keys.
    since_sweep: usize,
}

#[derive(Debug)]
pub struct LoginThrottle {
    window: Duration,
    per_account: usize,
    per_address: usize,
    max_keys: usize,
    attempts: Mutex<Attempts>,
}

/// One attempt, counted against its account and its address until the window passes,
/// unless it is given back through [`LoginThrottle::succeeded`] or
/// [`LoginThrottle::refund`]. Dropping it keeps it counted: a failure.
#[derive(Debug)]
#[must_use = "an attempt is settled by `succeeded`, `refund`, or counts as a failure when dropped"]
pub struct Attempt {
    account: String,
    address: String,
    at: Instant,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self::new(Duration::from_secs(15 * 60), 5, 20)
    }
}

/// Stale keys are swept after this many reservations, so that guessing many accounts
/// cannot grow the map without bound.
const SWEEP_EVERY: usize = 1024;

/// At most this many keys are tracked (with emails capped at 254 characters, a few tens
/// of MiB at worst). Past it, and after a sweep, an attempt for a key not yet tracked is
/// refused as if limited: memory stays bounded however many accounts are guessed within
/// one window.
const MAX_KEYS: usize = 100_000;

impl LoginThrottle {
    pub fn new(window: Duration, per_account: usize, per_address: usize) -> Self {
        Self {
            window,
            per_account,
            per_address,
            max_keys: MAX_KEYS,
            attempts: Mutex::new(Attempts::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Attempts> {
        // The map stays consistent whatever panicked while holding it.
        self.attempts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn forget_old(&self, times: &mut VecDeque<Instant>, now: Instant) {
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
    }

    /// Counts an attempt for `account` from `address` before its password is checked.
    /// `Err(seconds to wait)` when either is at its limit; nothing is counted then.
    pub fn reserve(&self, account: &Email, address: &str) -> Result<Attempt, u64> {
        let now = Instant::now();
        let attempt = Attempt {
            account: format!("account:{account}"),
            address: format!("address:{address}"),
            at: now,
        };
        let mut attempts = self.lock();
        attempts.since_sweep += 1;
        let full = attempts.by_key.len() + 2 > self.max_keys;
        if attempts.since_sweep >= SWEEP_EVERY || full {
            attempts.since_sweep = 0;
            attempts.by_key.retain(|_, times| {
                self.forget_old(times, now);
                !times.is_empty()
            });
        }
        let untracked = [&attempt.account, &attempt.address]
            .iter()
            .filter(|key| !attempts.by_key.contains_key(key.as_str()))
            .count();
        if attempts.by_key.len() + untracked > self.max_keys {
            return Err(self.window.as_secs().max(1));
        }
        let mut wait: Option<u64> = None;
        for (key, limit) in [
            (&attempt.account, self.per_account),
            (&attempt.address, self.per_address),
        ] {
            let Some(times) = attempts.by_key.get_mut(key) else {
                continue;
            };
            self.forget_old(times, now);
            if times.len() >= limit {
                let oldest = times.front().copied().unwrap_or(now);
                let left = self.window.saturating_sub(now.duration_since(oldest));
                let seconds = left.as_secs().max(1);
                wait = Some(wait.map_or(seconds, |w| w.max(seconds)));
            }
        }
        if let Some(seconds) = wait {
            return Err(seconds);
        }
        for key in [&attempt.account, &attempt.address] {
            attempts
                .by_key
                .entry(key.clone())
                .or_default()
                .push_back(now);
        }
        Ok(attempt)
    }

    fn give_back(times: Option<&mut VecDeque<Instant>>, at: Instant) {
        if let Some(times) = times {
            if let Some(index) = times.iter().position(|t| *t == at) {
                times.remove(index);
            }
        }
    }

    /// The password was right: the account's failures are cleared and this attempt does
    /// not count against the address (the address's failures stay).
    pub fn succeeded(&self, attempt: Attempt) {
        let mut attempts = self.lock();
        attempts.by_key.remove(&attempt.account);
        Self::give_back(attempts.by_key.get_mut(&attempt.address), attempt.at);
    }

    /// No password was checked after all (the server was busy, the database away): the
    /// attempt does not count.
    pub fn refund(&self, attempt: Attempt) {
        let mut attempts = self.lock();
        for key in [&attempt.account, &attempt.address] {
            Self::give_back(attempts.by_key.get_mut(key), attempt.at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_account_and_per_address() {
        let [a, upper_a, b, c] = ["a@x", " A@x", "b@x", "c@x"].map(Email::normalize);
        let throttle = LoginThrottle::new(Duration::from_secs(60), 2, 3);
        let first = throttle.reserve(&a, "1.1.1.1");
        assert!(first.is_ok());
        drop(first);
        drop(throttle.reserve(&upper_a, "1.1.1.1"));
        assert!(
            throttle.reserve(&a, "2.2.2.2").is_err(),
            "the account is locked everywhere"
        );
        drop(throttle.reserve(&b, "1.1.1.1"));
        assert!(
            throttle.reserve(&c, "1.1.1.1").is_err(),
            "the address is locked for all accounts"
        );
        // A right password clears the account; a refund gives an attempt back.
        let on_c = throttle.reserve(&c, "3.3.3.3");
        let Ok(on_c) = on_c else {
            panic!("c is not locked")
        };
        throttle.refund(on_c);
        let Ok(on_c) = throttle.reserve(&c, "3.3.3.3") else {
            panic!("still not locked")
        };
        throttle.succeeded(on_c);
        let again = throttle.reserve(&c, "3.3.3.3");
        assert!(again.is_ok());
        drop(again);
    }

    #[test]
    fn guessing_many_accounts_cannot_grow_memory_past_the_key_cap() {
        let mut throttle = LoginThrottle::new(Duration::from_secs(60), 5, 1_000_000);
        throttle.max_keys = 100;
        let refused = (0..1_000)
            .filter(|n| {
                throttle
                    .reserve(&Email::normalize(&format!("guess{n}@x")), "1.1.1.1")
                    .is_err()
            })
            .count();
        assert!(throttle.lock().by_key.len() <= 100);
        assert_eq!(
            refused,
            1_000 - 99,
            "one key is the address, the rest accounts"
        );
    }

    #[test]
    fn the_limit_holds_for_attempts_not_yet_settled() {
        let throttle = LoginThrottle::new(Duration::from_secs(60), 5, 100);
        let account = Email::normalize("a@x");
        let pending: Vec<_> = (0..40)
            .filter_map(|_| throttle.reserve(&account, "1.1.1.1").ok())
            .collect();
        assert_eq!(pending.len(), 5);
    }
}
