//! Test support: a real Kassa server on port 0 over a fresh store, with an
//! HTTP client that speaks to it like an SDK would.
//!
//! The store is a fresh SQLite file in a temporary directory, or a fresh
//! schema of the PostgreSQL test database ([`TestDb`]). [`on_each_backend!`]
//! runs one test body on both; a PostgreSQL test without a configured
//! database is skipped and counted, or fails under `CI=true`
//! ([`postgres_url`]).

pub mod faults;
pub mod receiver;

use std::path::Path;
use std::sync::Arc;

use kassa_app::App;
use kassa_core::tenancy::Mode;
use kassa_server::{Backend, RunningServer};
pub use kassa_store::testing::postgres_url;
pub use kassa_store_postgres::testing::TestSchema;
use serde_json::Value;

/// Where a test server keeps its data.
pub enum TestDb {
    /// A fresh SQLite file in the server's temporary directory.
    Sqlite,
    /// A fresh schema of the PostgreSQL test database, dropped with the
    /// server.
    Postgres(TestSchema),
}

impl TestDb {
    /// A fresh schema for `test`, or `None` when `test` is skipped (no
    /// `KASSA_TEST_DATABASE_URL`; under `CI=true` this panics instead).
    pub fn postgres(test: &str) -> Option<TestDb> {
        TestSchema::fresh(test, "api").map(TestDb::Postgres)
    }

    /// The server configuration's backend for this store.
    async fn backend(&self, dir: &Path) -> Backend {
        match self {
            TestDb::Sqlite => Backend::Sqlite {
                data_dir: dir.to_owned(),
            },
            TestDb::Postgres(schema) => Backend::Postgres {
                url: schema.create_url().await,
            },
        }
    }
}

/// Runs each named `async fn name(db: TestDb)` as two tests, `on_sqlite`
/// and `on_postgres`, in a module `name` beside the function (modules and
/// functions have namespaces of their own): `cargo test name` runs both,
/// `cargo test on_postgres` every PostgreSQL one. Each gets a fresh store
/// of its backend; the PostgreSQL one returns at once when
/// [`TestDb::postgres`] says it is skipped. A listed function is the test
/// body, left to rustfmt; an unlisted one is dead code, which clippy
/// refuses, so none is forgotten.
#[macro_export]
macro_rules! on_each_backend {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn on_sqlite() {
                super::$name($crate::TestDb::Sqlite).await;
            }

            #[tokio::test]
            async fn on_postgres() {
                let test = concat!(module_path!(), "::on_postgres");
                if let Some(db) = $crate::TestDb::postgres(test) {
                    super::$name(db).await;
                }
            }
        }
    )*};
}

pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// A test-mode key of the bootstrapped demo business.
    pub key: String,
    pub app: Arc<App>,
    pub http: reqwest::Client,
    server: Option<RunningServer>,
    /// Its store, for [`TestServer::second_node`] (servers from
    /// [`TestServer::start_in`] only).
    backend: Option<Backend>,
    _dir: tempfile::TempDir,
    /// Last: a PostgreSQL schema is dropped after everything using it.
    _db: TestDb,
}

/// Another node over a [`TestServer`]'s store (see
/// [`TestServer::second_node`]).
pub struct Node {
    pub url: String,
    http: reqwest::Client,
    _server: RunningServer,
}

impl Node {
    /// Sends `method path` with `key` and no body.
    pub async fn call_as(&self, key: &str, method: &str, path: &str) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(key);
        TestServer::read(req.send().await.expect("request")).await
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl TestServer {
    /// A server over a fresh embedded SQLite store.
    pub async fn start() -> TestServer {
        Self::start_in(TestDb::Sqlite).await
    }

    /// A server over a fresh store of `db`'s backend.
    pub async fn start_in(db: TestDb) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let backend = db.backend(dir.path()).await;
        let app = kassa_server::open_app(&backend).await.expect("open store");
        let mut server = Self::serve_app(app, dir, db, None).await;
        server.backend = Some(backend);
        server
    }

    /// A second node over this server's store, as a second `kassa serve`
    /// on the same database would be: its own app, caches and port.
    pub async fn second_node(&self) -> Node {
        let backend = self
            .backend
            .as_ref()
            .expect("a second node needs a server from TestServer::start_in");
        let app = kassa_server::open_app(backend).await.expect("open store");
        let worker = kassa_server::default_worker(&app);
        let bind = "127.0.0.1:0".parse().unwrap();
        let edge = kassa_server::EdgeConfig::default();
        let server = kassa_server::serve_configured(app, bind, worker, &edge)
            .await
            .expect("serve");
        Node {
            url: format!("http://{}", server.addr),
            http: self.http.clone(),
            _server: server,
        }
    }

    /// A server over a fresh store of `db` whose store refuses the next
    /// `failures` commits that would record a payment as succeeded
    /// ([`faults::FailingSettles`]).
    pub async fn start_failing_settles(db: TestDb, failures: usize) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let backend = db.backend(dir.path()).await;
        let store = kassa_server::open_store(&backend)
            .await
            .expect("open store");
        let store = Arc::new(faults::FailingSettles::new(store, failures));
        let app = Arc::new(App::new(store, Arc::new(kassa_core::clock::SystemClock)));
        Self::serve_app(app, dir, db, None).await
    }

    /// A server over a fresh store of `db` whose webhook worker runs as
    /// configured (a fast retry schedule, a short lease).
    pub async fn start_with_worker(db: TestDb, worker: kassa_server::WorkerConfig) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let backend = db.backend(dir.path()).await;
        let app = kassa_server::open_app(&backend).await.expect("open store");
        Self::serve_app(app, dir, db, Some(worker)).await
    }

    /// A server over a fresh store of `db` started as `kassa serve` would
    /// be with `--tax-table` and `--fx-rates` files holding these texts.
    pub async fn start_with_tables(
        db: TestDb,
        tax_table: Option<&str>,
        fx_rates: Option<&str>,
    ) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, text: Option<&str>| {
            text.map(|t| {
                let path = dir.path().join(name);
                std::fs::write(&path, t).expect("write table");
                path
            })
        };
        let config = kassa_server::Config {
            bind: "127.0.0.1:0".parse().unwrap(),
            backend: db.backend(dir.path()).await,
            public_url: None,
            tax_table: write("tax.csv", tax_table),
            fx_rates: write("fx.csv", fx_rates),
            webhooks: kassa_server::WebhookConfig::default(),
            edge: kassa_server::EdgeConfig::default(),
        };
        let app = kassa_server::open_configured_app(&config)
            .await
            .expect("open configured app");
        Self::serve_app(app, dir, db, None).await
    }

    /// A server on fresh SQLite whose edge runs as configured: the CORS
    /// origins of `--cors-origins`, `--strict-fields`.
    pub async fn start_with_edge(edge: kassa_server::EdgeConfig) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let backend = Backend::Sqlite {
            data_dir: dir.path().to_owned(),
        };
        let app = kassa_server::open_app(&backend).await.expect("open store");
        Self::serve_configured(app, dir, TestDb::Sqlite, None, edge).await
    }

    async fn serve_app(
        app: std::sync::Arc<kassa_app::App>,
        dir: tempfile::TempDir,
        db: TestDb,
        worker: Option<kassa_server::WorkerConfig>,
    ) -> TestServer {
        Self::serve_configured(app, dir, db, worker, kassa_server::EdgeConfig::default()).await
    }

    async fn serve_configured(
        app: std::sync::Arc<kassa_app::App>,
        dir: tempfile::TempDir,
        db: TestDb,
        worker: Option<kassa_server::WorkerConfig>,
        edge: kassa_server::EdgeConfig,
    ) -> TestServer {
        let (_, issued) = app
            .bootstrap()
            .await
            .expect("bootstrap")
            .expect("a fresh store bootstraps the demo business");
        let bind = "127.0.0.1:0".parse().unwrap();
        let worker = worker.unwrap_or_else(|| kassa_server::default_worker(&app));
        let server = kassa_server::serve_configured(app.clone(), bind, worker, &edge)
            .await
            .expect("serve");
        TestServer {
            url: format!("http://{}", server.addr),
            key: issued.secret,
            app,
            http: reqwest::Client::new(),
            server: Some(server),
            backend: None,
            _dir: dir,
            _db: db,
        }
    }

    /// A test key of a brand-new business (another tenant).
    pub async fn other_business_key(&self) -> String {
        let business = self.app.create_business("Other").await.expect("business");
        self.app
            .issue_api_key(&business.id, Mode::Test)
            .await
            .expect("key")
            .secret
    }

    /// A live key of the demo business (same tenant, other mode).
    pub async fn live_key(&self) -> String {
        let business = &self.app.businesses().await.expect("businesses")[0];
        self.app
            .issue_api_key(&business.id, Mode::Live)
            .await
            .expect("key")
            .secret
    }

    /// Sends `method path` with the demo key and an optional JSON body.
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        self.call_as(&self.key, method, path, body).await
    }

    pub async fn call_as(&self, key: &str, method: &str, path: &str, body: Option<Value>) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(key);
        if let Some(body) = body {
            req = req.json(&body);
        }
        Self::read(req.send().await.expect("request")).await
    }

    /// Sends a JSON POST with an `Idempotency-Key`.
    pub async fn post_idempotent(&self, path: &str, key: &str, body: Value) -> Reply {
        let req = self
            .http
            .post(format!("{}{path}", self.url))
            .bearer_auth(&self.key)
            .header("idempotency-key", key)
            .json(&body);
        Self::read(req.send().await.expect("request")).await
    }

    /// Sends raw bytes as a JSON body (for malformed-input tests).
    pub async fn call_raw(&self, method: &str, path: &str, raw: &str) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.key)
            .header("content-type", "application/json")
            .body(raw.to_owned());
        Self::read(req.send().await.expect("request")).await
    }

    /// Pays a session on its hosted page with a new `card` (expiry 11/33,
    /// CVC 321), as a browser without JavaScript would: (status,
    /// `Location`, body).
    pub async fn pay_on_page(
        &self,
        checkout_url: &str,
        card: &str,
    ) -> (u16, Option<String>, String) {
        self.submit_form(
            &format!("{checkout_url}/pay"),
            &[
                ("payment_method", "card"),
                ("card_number", card),
                ("card_expiry", "11/33"),
                ("card_cvc", "321"),
            ],
        )
        .await
    }

    /// Submits a hosted-page form as a browser without JavaScript would,
    /// not following the redirect: (status, `Location`, body).
    pub async fn submit_form(
        &self,
        url: &str,
        fields: &[(&str, &str)],
    ) -> (u16, Option<String>, String) {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let resp = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("form post");
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_owned);
        (status, location, resp.text().await.unwrap_or_default())
    }

    async fn read(resp: reqwest::Response) -> Reply {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await.expect("graceful stop");
        }
    }
}
