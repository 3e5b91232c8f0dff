//! One fill at a time per key. Requests that miss while another request is already making
//! the same answer wait for it, then are served from the cache if what it made is fresh for
//! them; otherwise (a write in between, an answer not kept) they make their own. Without
//! this, a popular article that just changed is rebuilt by every request that arrives while
//! the first rebuild runs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

#[derive(Default)]
pub struct Fills {
    running: Mutex<HashMap<String, Arc<Fill>>>,
}

#[derive(Default)]
struct Fill {
    ended: AtomicBool,
    waiters: Notify,
}

/// The right to fill a key; dropped (filled or not), it wakes the requests waiting.
pub struct Filling<'a> {
    fills: &'a Fills,
    key: String,
    fill: Arc<Fill>,
}

impl Drop for Filling<'_> {
    fn drop(&mut self) {
        if let Ok(mut running) = self.fills.running.lock() {
            running.remove(&self.key);
        }
        self.fill.ended.store(true, Ordering::Release);
        self.fill.waiters.notify_waiters();
    }
}

impl Fills {
    /// The right to fill `key`, or `None` after waiting for the request that had it.
    pub async fn fill_or_wait(&self, key: &str) -> Option<Filling<'_>> {
        let running_fill = {
            let mut running = self.running.lock().ok()?;
            match running.get(key) {
                Some(fill) => fill.clone(),
                None => {
                    let fill = Arc::new(Fill::default());
                    running.insert(key.to_owned(), fill.clone());
                    return Some(Filling {
                        fills: self,
                        key: key.to_owned(),
                        fill,
                    });
                }
            }
        };
        let mut ended = std::pin::pin!(running_fill.waiters.notified());
        // Registered before the flag is read: a fill ending in between still wakes us.
        ended.as_mut().enable();
        if !running_fill.ended.load(Ordering::Acquire) {
            ended.await;
        }
        None
    }
}
