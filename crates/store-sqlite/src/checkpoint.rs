//! The background checkpointer: copies committed WAL frames back into the
//! database file off the writer thread.
//!
//! With SQLite's automatic checkpoint, the commit that crosses the threshold
//! also pays for the copy and its fsync, and every caller in that group
//! commit waits for it. Here a thread of its own runs passive checkpoints on
//! a timer, so on a multi-core machine the copy overlaps the next commits.
//! The writer keeps a far higher automatic threshold as a safety net, for
//! when this thread cannot keep up (a long read pins old frames).

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::Connection;

/// How often the WAL is copied back.
const INTERVAL: Duration = Duration::from_millis(100);

/// WAL pages after which the writer checkpoints by itself (~40 MB).
pub const WRITER_SAFETY_NET_PAGES: u32 = 2_000;

/// Stops the thread when the last store clone drops it, after one last
/// checkpoint, and waits for that: a dropped store has let go of its files
/// (a test or a benchmark may delete them next).
pub struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Checkpointer {
    pub fn start(path: &Path) -> rusqlite::Result<Checkpointer> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("kassa-sqlite-checkpoint".into())
            .spawn(move || run(conn, stopped))
            .expect("spawn the SQLite checkpoint thread");
        Ok(Checkpointer {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

fn run(conn: Connection, stopped: mpsc::Receiver<()>) {
    loop {
        let last = matches!(
            stopped.recv_timeout(INTERVAL),
            Err(mpsc::RecvTimeoutError::Disconnected)
        );
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "background WAL checkpoint failed; will retry");
        }
        if last {
            return;
        }
    }
}
