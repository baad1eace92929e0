//! The single writer thread and its group commit.
//!
//! Callers send jobs over a channel. The thread blocks for the first job,
//! drains whatever else is queued (up to [`MAX_BATCH`]), and runs them all
//! in one `BEGIN IMMEDIATE … COMMIT`, each inside its own savepoint: a job
//! that fails is rolled back alone and gets its own error; the rest commit
//! together. A job of a single statement needs no savepoint of its own
//! ([`Writer::write_one`]): SQLite undoes a failed statement by itself.
//! Nobody hears back before the commit is durable (`synchronous=FULL`), yet
//! one fsync covers the whole batch. This is the design measured at ~28k
//! durable writes/s on this machine (perf-limits A1).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use kassa_store::{StoreError, StoreResult};
use rusqlite::Connection;
use tokio::sync::oneshot;

/// Largest number of jobs committed together.
pub const MAX_BATCH: usize = 256;

/// A batch smaller than this waits [`GATHER_PAUSE`] for company before it
/// commits, when the previous batch showed concurrent writers.
const GATHER_BELOW: usize = 32;
const GATHER_PAUSE: std::time::Duration = std::time::Duration::from_micros(200);

/// Delivers a job's result once the batch's fate is known.
type Finish = Box<dyn FnOnce(Result<(), Arc<rusqlite::Error>>) + Send>;
/// Runs after a job's commit (or its failure), on the writer thread.
type After = Box<dyn FnOnce() + Send>;
/// Runs a job's statements; says whether they succeeded.
type Job = Box<dyn FnOnce(&Connection) -> (bool, Finish) + Send>;

/// A job and whether it needs a savepoint to be undone alone.
struct Queued {
    job: Job,
    savepoint: bool,
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Queued>,
    commits: Arc<AtomicU64>,
}

impl Writer {
    /// Starts the writer thread on `conn`; it stops when every `Writer` clone is dropped.
    pub fn start(conn: Connection) -> Writer {
        let (jobs, queue) = mpsc::channel::<Queued>();
        let commits = Arc::new(AtomicU64::new(0));
        let counter = commits.clone();
        std::thread::Builder::new()
            .name("kassa-sqlite-writer".into())
            .spawn(move || run(conn, queue, counter))
            .expect("spawn the SQLite writer thread");
        Writer { jobs, commits }
    }

    /// Transactions committed so far (each may carry many jobs).
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// Runs `f` inside the next group commit and returns its result once
    /// the commit is durable. If `f` fails, everything it did is undone and
    /// the rest of the batch commits without it.
    pub async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.submit(f, true, None).await
    }

    /// [`Writer::write`], then `after` on the writer thread once the
    /// batch's fate is known (committed or not), before the caller hears of
    /// it: it runs even if the caller stopped waiting (a dropped request),
    /// so what must follow a commit (forgetting cached reads) never depends
    /// on the caller's future being polled to the end.
    pub async fn write_then<T, F, A>(&self, f: F, after: A) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
        A: FnOnce() + Send + 'static,
    {
        self.submit(f, true, Some(Box::new(after))).await
    }

    /// [`Writer::write`] for an `f` that runs exactly one data-changing
    /// statement and fails only when that statement does. A failed
    /// statement leaves no trace (SQLite's statement rollback), so `f`
    /// skips the savepoint, whose journal copies every page the job
    /// touches: the hot insert of a new checkout session. Nothing undoes an
    /// `f` that errs or panics after its statement succeeded.
    pub async fn write_one<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.submit(f, false, None).await
    }

    async fn submit<T, F>(&self, f: F, savepoint: bool, after: Option<After>) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<StoreResult<T>>();
        let job: Job = Box::new(move |conn| {
            let result = f(conn);
            let ok = result.is_ok();
            let finish: Finish = Box::new(move |commit| {
                if let Some(after) = after {
                    after();
                }
                let outcome = match (result, commit) {
                    (Ok(value), Ok(())) => Ok(value),
                    (Ok(_), Err(e)) => Err(StoreError::Backend(Box::new(e))),
                    (Err(e), _) => Err(e),
                };
                let _ = tx.send(outcome);
            });
            (ok, finish)
        });
        self.jobs
            .send(Queued { job, savepoint })
            .map_err(|_| writer_gone())?;
        rx.await.map_err(|_| writer_gone())?
    }
}

fn writer_gone() -> StoreError {
    StoreError::Backend("the SQLite writer dropped the request (see the log)".into())
}

fn run(conn: Connection, queue: mpsc::Receiver<Queued>, commits: Arc<AtomicU64>) {
    let mut last_batch = 0;
    while let Ok(first) = queue.recv() {
        if let Err(e) = exec(&conn, "BEGIN IMMEDIATE") {
            // Dropping the job drops its reply channel: the caller gets a
            // backend error, and the cause is logged here.
            tracing::error!(error = %e, "could not begin a write transaction");
            continue;
        }
        // Jobs that arrive while earlier ones run join this transaction:
        // the batch grows with the load instead of waiting a whole commit.
        let mut finishers = vec![run_job(&conn, first)];
        run_queued(&conn, &queue, &mut finishers);
        // Under concurrent load, a short pause before the commit lets more
        // jobs join it: one fsync and one write of each touched page then
        // serve more requests, which costs less CPU per request than the
        // pause costs in latency. A lone writer never waits.
        if last_batch > 1 && finishers.len() < GATHER_BELOW {
            std::thread::sleep(GATHER_PAUSE);
            run_queued(&conn, &queue, &mut finishers);
        }
        last_batch = finishers.len();
        let commit = exec(&conn, "COMMIT").map_err(Arc::new);
        if commit.is_err() {
            let _ = exec(&conn, "ROLLBACK");
        } else {
            commits.fetch_add(1, Ordering::Relaxed);
        }
        for finish in finishers {
            finish(commit.clone());
        }
    }
}

/// Runs the jobs already queued, up to [`MAX_BATCH`] in the batch.
fn run_queued(conn: &Connection, queue: &mpsc::Receiver<Queued>, finishers: &mut Vec<Finish>) {
    while finishers.len() < MAX_BATCH {
        match queue.try_recv() {
            Ok(job) => finishers.push(run_job(conn, job)),
            Err(_) => break,
        }
    }
}

/// Runs one job so that a failed job is undone alone: in its own savepoint,
/// unless it is a single statement (which SQLite undoes by itself).
fn run_job(conn: &Connection, queued: Queued) -> Finish {
    let Queued { job, savepoint } = queued;
    if savepoint {
        let _ = exec(conn, "SAVEPOINT job");
    }
    let (ok, finish) = match catch_unwind(AssertUnwindSafe(|| job(conn))) {
        Ok(done) => done,
        Err(_) => {
            tracing::error!("a store job panicked; its caller gets an error");
            (false, Box::new(|_| {}) as Finish)
        }
    };
    if savepoint {
        if !ok {
            let _ = exec(conn, "ROLLBACK TO job");
        }
        let _ = exec(conn, "RELEASE job");
    }
    finish
}

/// Runs one transaction-control statement, parsed once per connection.
fn exec(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(|_| ())
}
