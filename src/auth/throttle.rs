//! Login attempts limited per account and per address: failures within a window.
//! In memory, so each instance counts its own (several instances multiply the limit).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::email::Email;

#[derive(Debug)]
pub struct LoginThrottle {
    window: Duration,
    per_account: usize,
    per_address: usize,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self::new(Duration::from_secs(15 * 60), 5, 20)
    }
}

impl LoginThrottle {
    pub fn new(window: Duration, per_account: usize, per_address: usize) -> Self {
        Self {
            window,
            per_account,
            per_address,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(account: &Email, address: &str) -> [(String, bool); 2] {
        [
            (format!("account:{account}"), true),
            (format!("address:{address}"), false),
        ]
    }

    /// Seconds to wait when either key is over its limit.
    pub fn check(&self, account: &Email, address: &str) -> Option<u64> {
        let now = Instant::now();
        let mut failures = self.failures.lock().ok()?;
        let mut wait: Option<u64> = None;
        for (key, is_account) in Self::keys(account, address) {
            let Some(times) = failures.get_mut(&key) else {
                continue;
            };
            while times
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.window)
            {
                times.pop_front();
            }
            let limit = if is_account {
                self.per_account
            } else {
                self.per_address
            };
            if times.len() >= limit {
                let oldest = times.front().copied().unwrap_or(now);
                let left = self.window.saturating_sub(now.duration_since(oldest));
                let seconds = left.as_secs().max(1);
                wait = Some(wait.map_or(seconds, |w| w.max(seconds)));
            }
        }
        wait
    }

    pub fn record_failure(&self, account: &Email, address: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            for (key, _) in Self::keys(account, address) {
                failures.entry(key).or_default().push_back(Instant::now());
            }
        }
    }

    /// A successful login clears the account's failures (not the address's).
    pub fn record_success(&self, account: &Email) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&format!("account:{account}"));
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
        assert_eq!(throttle.check(&a, "1.1.1.1"), None);
        throttle.record_failure(&a, "1.1.1.1");
        throttle.record_failure(&upper_a, "1.1.1.1");
        assert!(
            throttle.check(&a, "2.2.2.2").is_some(),
            "the account is locked everywhere"
        );
        assert_eq!(throttle.check(&b, "2.2.2.2"), None);
        throttle.record_failure(&b, "1.1.1.1");
        assert!(
            throttle.check(&c, "1.1.1.1").is_some(),
            "the address is locked for all accounts"
        );
        throttle.record_success(&a);
        assert_eq!(throttle.check(&a, "2.2.2.2"), None);
    }
}
