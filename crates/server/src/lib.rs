//! The Kassa server: picks the storage backend, builds the router with its
//! middleware, serves HTTP, and shuts down gracefully. The only crate that
//! knows which backend is in use.

pub mod config;
mod cors;
mod dialects;
mod edge;
mod http;
mod idempotency;
mod observe;
mod openapi;
mod webhooks;

pub use webhooks::start_worker;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use kassa_app::App;
use kassa_core::clock::SystemClock;
use kassa_store::Store;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{Backend, Config, ConfigArgs, WebhookConfig};
pub use cors::CorsOrigins;
pub use edge::EdgeConfig;
pub use kassa_jobs::WorkerConfig;
pub use observe::init_tracing;

/// Opens (and migrates) the configured store.
pub async fn open_store(backend: &Backend) -> anyhow::Result<Arc<dyn Store>> {
    Ok(match backend {
        Backend::Sqlite { data_dir } => {
            std::fs::create_dir_all(data_dir)
                .with_context(|| format!("creating data dir {}", data_dir.display()))?;
            let path = data_dir.join("kassa.db");
            let store = kassa_store_sqlite::SqliteStore::open(&path)
                .with_context(|| format!("opening SQLite store {}", path.display()))?;
            Arc::new(store)
        }
        Backend::Postgres { url } => {
            let store = kassa_store_postgres::PgStore::connect(url)
                .await
                .context("connecting to PostgreSQL")?;
            Arc::new(store)
        }
    })
}

/// Holds the data dir for one serving process while it lives.
pub struct DataDirLock {
    _file: Option<std::fs::File>,
}

/// Takes the data dir of an embedded store for this process, so a second
/// `kassa serve` on the same SQLite file stops at start instead of changing
/// products behind the first one's back (its catalog cache relies on being
/// the only writer of the catalog). Several nodes share PostgreSQL, which
/// needs no lock. The lock goes with the process, however it ends.
pub fn lock_data_dir(backend: &Backend) -> anyhow::Result<DataDirLock> {
    let Backend::Sqlite { data_dir } = backend else {
        return Ok(DataDirLock { _file: None });
    };
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating data dir {}", data_dir.display()))?;
    let path = data_dir.join("kassa.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(DataDirLock { _file: Some(file) }),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "another `kassa serve` is using the data dir {}; one SQLite file serves one \
             node (run several nodes on PostgreSQL with --database-url)",
            data_dir.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("locking {}", path.display()))
        }
    }
}

/// The application over the configured store, on the wall clock.
pub async fn open_app(backend: &Backend) -> anyhow::Result<Arc<App>> {
    let store = open_store(backend).await?;
    Ok(Arc::new(App::new(store, Arc::new(SystemClock))))
}

/// The application as `config` describes it: its store, and the operator's
/// tax table and exchange rates when given. A table that does not parse
/// stops the start with the file and line at fault.
pub async fn open_configured_app(config: &Config) -> anyhow::Result<Arc<App>> {
    let store = open_store(&config.backend).await?;
    let mut app = App::new(store, Arc::new(SystemClock))
        .with_webhook_settings(config.webhooks.settings.clone());
    if let Some(path) = &config.tax_table {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the tax table {}", path.display()))?;
        let table = kassa_core::tax::TaxTable::parse(&text)
            .with_context(|| format!("parsing the tax table {}", path.display()))?;
        app = app.with_tax_table(table);
    }
    if let Some(path) = &config.fx_rates {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the exchange rates {}", path.display()))?;
        let rates = kassa_core::fx::FxRates::parse(&text)
            .with_context(|| format!("parsing the exchange rates {}", path.display()))?;
        app = app.with_fx_rates(rates);
    }
    Ok(Arc::new(app))
}

/// A server accepting connections in the background, with its webhook
/// delivery worker.
pub struct RunningServer {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    worker: Option<kassa_jobs::WorkerHandle>,
}

impl RunningServer {
    /// Stops accepting, lets in-flight requests and webhook attempts
    /// finish, then returns.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        (&mut self.task).await.context("server task panicked")??;
        if let Some(worker) = self.worker.take() {
            worker.stop().await;
        }
        Ok(())
    }

    /// Waits until the server stops on its own (it only does on error).
    pub async fn wait(&mut self) -> anyhow::Result<()> {
        (&mut self.task).await.context("server task panicked")??;
        Ok(())
    }
}

/// Binds `bind` (port 0 picks a free port) and serves `app`, delivering
/// webhooks on each endpoint's dialect's schedule.
pub async fn serve(app: Arc<App>, bind: SocketAddr) -> anyhow::Result<RunningServer> {
    let worker = default_worker(&app);
    serve_with(app, bind, worker).await
}

/// The webhook worker [`serve`] runs: each dialect's schedule, and `app`'s
/// policy on private targets.
pub fn default_worker(app: &App) -> WorkerConfig {
    WorkerConfig {
        private_targets: app.webhook_settings().private_targets,
        ..WorkerConfig::default()
    }
}

/// [`serve`] with the webhook worker configured as given.
pub async fn serve_with(
    app: Arc<App>,
    bind: SocketAddr,
    worker: WorkerConfig,
) -> anyhow::Result<RunningServer> {
    serve_configured(app, bind, worker, &EdgeConfig::default()).await
}

/// [`serve_with`], the edge too configured as given (CORS origins, strict
/// request fields), as `kassa serve` runs.
pub async fn serve_configured(
    app: Arc<App>,
    bind: SocketAddr,
    worker: WorkerConfig,
    edge: &EdgeConfig,
) -> anyhow::Result<RunningServer> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("binding {bind}"))?;
    let addr = listener.local_addr()?;
    // Unless `--public-url` said otherwise, browsers reach us where we listen.
    app.set_public_url(&format!("http://{addr}"), true);
    let worker = webhooks::start_worker(&app, worker);
    let router = http::router(app, edge);
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await
    });
    Ok(RunningServer {
        addr,
        shutdown: Some(tx),
        task,
        worker: Some(worker),
    })
}
