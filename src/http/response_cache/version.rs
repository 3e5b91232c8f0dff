//! The content version, read once for many requests. A cached answer may be served only if
//! the version was read *after the request arrived*: a read that began earlier could have
//! missed a write acknowledged before the request was sent. So each request waits for a read
//! that starts after it arrives, and one read serves every request that arrived before it
//! started: under load, one database round trip per read's duration instead of one per
//! request, and never a stale answer.
//!
//! At most one read runs at a time. A request that arrives while one runs waits for it to
//! end, then for the next, which one of the waiting requests starts. If the request reading
//! goes away (its client hung up), its guard hands the turn on.
//!
//! Each read also learns which keys changed since the last one (`content::changes`), before
//! any request is given its version: an entry that shows none of them stays fresh.

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::sync::Notify;

use crate::content::changes::{self, ChangeKey, PackedKey};
use crate::db::Pool;

/// The most changed keys one read takes in; more, and everything counts as changed (a
/// bulk write, or an instance that was idle through many writes).
const MAX_KEYS_READ: i64 = 5_000;

/// The most changed keys remembered; past it, everything counts as changed and the memory
/// is freed (entries made before then are dropped as they are met).
const MAX_KEYS_KEPT: usize = 50_000;

/// What the reads have learned of changes by key.
#[derive(Default)]
struct Changes {
    /// The version up to which changes are known (`None` before the first read).
    known: Option<i64>,
    /// Everything may have changed at this version: entries made before it are stale.
    everything_at: i64,
    /// Keys that changed since `everything_at`, each with its latest change.
    keys: HashMap<PackedKey, i64>,
}

impl Changes {
    fn learn(&mut self, version: i64, read: Option<Vec<(String, i64)>>) {
        match read {
            Some(keys) if keys.len() as i64 <= MAX_KEYS_READ => {
                for (name, at) in keys {
                    let packed = ChangeKey::parse(&name)
                        .filter(|key| *key != ChangeKey::Everything)
                        .and_then(ChangeKey::pack);
                    match packed {
                        Some(key) => {
                            let latest = self.keys.entry(key).or_insert(at);
                            *latest = (*latest).max(at);
                        }
                        // Everything, a name it does not know (a newer instance's), or an
                        // id no key holds.
                        None => self.everything_at = self.everything_at.max(at),
                    }
                }
                if self.keys.len() > MAX_KEYS_KEPT {
                    self.forget_keys(version);
                }
            }
            // The first read, or too many: nothing made before `version` can be trusted.
            _ => self.forget_keys(version),
        }
        self.known = Some(self.known.map_or(version, |known| known.max(version)));
    }

    fn forget_keys(&mut self, version: i64) {
        self.everything_at = self.everything_at.max(version);
        self.keys = HashMap::new();
    }
}

#[derive(Default)]
struct State {
    /// A read is running.
    running: bool,
    /// Reads started so far; the running one, if any, is number `started`.
    started: u64,
    /// The latest finished read: its number and what it found (`None`: it failed).
    last: Option<(u64, Option<i64>)>,
}

/// Shared by every worker, with the cache it guards.
#[derive(Default)]
pub struct VersionReads {
    state: Mutex<State>,
    finished: Notify,
    changes: Mutex<Changes>,
}

/// Ends a read when dropped, finished or not, so that waiters never wait for a read that
/// nobody runs.
struct Turn<'a> {
    reads: &'a VersionReads,
    number: u64,
    found: Option<Option<i64>>,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if let Ok(mut state) = self.reads.state.lock() {
            state.running = false;
            if let Some(found) = self.found {
                if state.last.is_none_or(|(number, _)| number < self.number) {
                    state.last = Some((self.number, found));
                }
            }
        }
        self.reads.finished.notify_waiters();
    }
}

impl VersionReads {
    /// The content version, read after this call began; `None` when the read failed (the
    /// caller then does without the cache).
    pub async fn current(&self, pool: &Pool) -> Option<i64> {
        let needed = self.state.lock().ok()?.started + 1;
        loop {
            let mut finished = std::pin::pin!(self.finished.notified());
            // Registered before the state is read: a read ending in between still wakes us.
            finished.as_mut().enable();
            let number = {
                let mut state = self.state.lock().ok()?;
                match state.last {
                    Some((number, found)) if number >= needed => return found,
                    _ if state.running => None,
                    _ => {
                        state.running = true;
                        state.started += 1;
                        Some(state.started)
                    }
                }
            };
            let Some(number) = number else {
                finished.await;
                continue;
            };
            let mut turn = Turn {
                reads: self,
                number,
                found: None,
            };
            let known = self.changes.lock().ok()?.known;
            let read = crate::db::run(pool, move |conn| {
                let version = changes::version(conn)?;
                let keys = match known {
                    // Nothing written since the last read (the usual case): no keys to ask
                    // for, one round trip fewer.
                    Some(after) if after == version => Some(Vec::new()),
                    Some(after) => Some(changes::since(conn, after, MAX_KEYS_READ + 1)?),
                    None => None,
                };
                Ok((version, keys))
            })
            .await
            .ok();
            let found = match read {
                Some((version, keys)) => {
                    self.changes.lock().ok()?.learn(version, keys);
                    Some(version)
                }
                None => None,
            };
            turn.found = Some(found);
            drop(turn);
            return found;
        }
    }
}

impl VersionReads {
    /// Whether an answer made at version `made_at` is still what a request given `version`
    /// would get: `shows` lists the keys it shows (`None`: it may show anything, so any
    /// change at all makes it stale).
    pub fn unchanged_since(&self, made_at: i64, shows: Option<&[PackedKey]>, version: i64) -> bool {
        let Some(shows) = shows else {
            return made_at == version;
        };
        let Ok(changes) = self.changes.lock() else {
            return false;
        };
        made_at >= changes.everything_at
            && shows
                .iter()
                .all(|key| changes.keys.get(key).is_none_or(|&at| at <= made_at))
    }
}
