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

use std::sync::Mutex;

use tokio::sync::Notify;

use crate::db::Pool;

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
            let found = crate::db::run(pool, |conn| Ok(crate::db::content_version(conn)?))
                .await
                .ok();
            turn.found = Some(found);
            drop(turn);
            return found;
        }
    }
}
