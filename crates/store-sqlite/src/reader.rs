//! Read connections: a small pool, so reads never wait for the writer (WAL);
//! short reads run inline, and only contention falls back to blocking threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use kassa_store::{StoreError, StoreResult};
use rusqlite::Connection;

#[derive(Clone)]
pub struct Readers {
    conns: Arc<Vec<Mutex<Connection>>>,
    next: Arc<AtomicUsize>,
}

impl Readers {
    pub fn new(conns: Vec<Connection>) -> Readers {
        Readers {
            conns: Arc::new(conns.into_iter().map(Mutex::new).collect()),
            next: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Runs `f` on a free connection (or waits for the next in turn).
    pub async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let conns = self.conns.clone();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        // A free connection runs the read right here, on the async worker:
        // our reads are indexed lookups of a few microseconds, and a hop to
        // the blocking pool and back costs more than that on a small
        // machine. Only when every connection is busy do we go to the pool.
        {
            let n = conns.len();
            if let Some(guard) = (0..n).find_map(|i| conns[(start + i) % n].try_lock().ok()) {
                return f(&guard);
            }
        }
        tokio::task::spawn_blocking(move || {
            let n = conns.len();
            let free = (0..n).find_map(|i| conns[(start + i) % n].try_lock().ok());
            let guard = match free {
                Some(guard) => guard,
                None => conns[start % n].lock().map_err(|_| poisoned())?,
            };
            f(&guard)
        })
        .await
        .map_err(|e| StoreError::Backend(Box::new(e)))?
    }
}

fn poisoned() -> StoreError {
    StoreError::Backend("a SQLite read connection was poisoned".into())
}
