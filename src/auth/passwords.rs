//! Argon2id password hashes.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub const MIN_LENGTH: usize = 10;

pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| format!("hashing the password: {error}"))
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a random password nobody knows, verified against when the account does not
/// exist so that a wrong email costs as long as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash(&super::random_token()).unwrap_or_default())
}

/// Bounds the Argon2 work on a machine (sign-ins' verifications, and the hashes of
/// passwords admins set): a few at once (half the cores, so the other half keeps
/// serving), a short queue behind them, and an immediate "busy" for anything more. A flood of logins then costs the site one or two cores' worth of
/// hashing and no blocking threads or database connections beyond that; readers stay fast.
#[derive(Debug)]
pub struct PasswordGate {
    /// Verifications running or queued.
    admission: Arc<Semaphore>,
    /// Verifications running.
    running: Arc<Semaphore>,
}

/// A place in the gate's queue; dropped when the verification ends.
#[derive(Debug)]
pub struct Admitted {
    _place: OwnedSemaphorePermit,
}

impl PasswordGate {
    pub fn new(concurrent: usize, queued: usize) -> Self {
        let concurrent = concurrent.max(1);
        Self {
            admission: Arc::new(Semaphore::new(concurrent + queued)),
            running: Arc::new(Semaphore::new(concurrent)),
        }
    }

    /// Sized to this machine's cores.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let concurrent = (cores / 2).max(1);
        Self::new(concurrent, concurrent * 8)
    }

    /// A place in the queue, or `None` at once when the queue is full.
    pub fn admit(&self) -> Option<Admitted> {
        self.admission
            .clone()
            .try_acquire_owned()
            .ok()
            .map(|place| Admitted { _place: place })
    }

    /// Checks `password` against `stored` (or against a hash nobody knows when there is
    /// no stored one), once a slot is free.
    pub async fn verify(
        &self,
        admitted: Admitted,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, String> {
        self.run(admitted, move || {
            verify(&password, stored.as_deref().unwrap_or_else(|| dummy_hash()))
        })
        .await
        .map_err(|error| format!("password check failed: {error}"))
    }

    /// Hashes a new `password` (an admin setting one), once a slot is free: the same
    /// bound as sign-ins.
    pub async fn hash(&self, admitted: Admitted, password: String) -> Result<String, String> {
        self.run(admitted, move || hash(&password))
            .await
            .map_err(|error| format!("hashing the password: {error}"))?
    }

    /// Runs `work` on the blocking pool once a slot is free. The slot travels into the
    /// blocking task, so a client that hangs up cannot leave more hashing running than
    /// the gate allows.
    async fn run<T: Send + 'static>(
        &self,
        admitted: Admitted,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        let running = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|error| error.to_string())?;
        actix_web::web::block(move || {
            let _slots = (admitted, running);
            work()
        })
        .await
        .map_err(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let stored = hash("correct horse battery").unwrap_or_default();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("wrong", &stored));
        assert!(!verify("anything", dummy_hash()));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn the_gate_admits_the_running_and_the_queued_and_refuses_the_rest() {
        let gate = PasswordGate::new(1, 2);
        let admitted: Vec<_> = (0..5).filter_map(|_| gate.admit()).collect();
        assert_eq!(admitted.len(), 3);
        drop(admitted);
        assert!(gate.admit().is_some(), "places come back");
    }
}
