//! Configuration in layers: flags > `KASSA_*` environment > `kassa.toml` > defaults.
//!
//! clap resolves the first two (each flag has an env twin); whatever is
//! still unset is taken from the TOML file, then from the defaults below.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::builder::BoolishValueParser;
use kassa_app::WebhookSettings;
use kassa_core::webhook::{PrivateTargets, RetrySchedule};
use kassa_jobs::WorkerConfig;
use serde::Deserialize;

use crate::cors::CorsOrigins;
use crate::edge::EdgeConfig;

/// Options of `kassa serve` (and of the commands that open the store).
#[derive(clap::Args, Debug, Default, Clone)]
pub struct ConfigArgs {
    /// Address to listen on.
    #[arg(long, env = "KASSA_BIND")]
    pub bind: Option<SocketAddr>,
    /// Directory for the embedded SQLite database.
    #[arg(long, env = "KASSA_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// `postgres://…` to use PostgreSQL instead of the embedded store.
    #[arg(long, env = "KASSA_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Base URL customers' browsers reach (checkout links); defaults to the bind address.
    #[arg(long, env = "KASSA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Configuration file (default: ./kassa.toml when it exists).
    #[arg(long, env = "KASSA_CONFIG")]
    pub config: Option<PathBuf>,
    /// Tax rate table (CSV: country,region,category,rate_ppm,name) replacing the built-in one.
    #[arg(long, env = "KASSA_TAX_TABLE")]
    pub tax_table: Option<PathBuf>,
    /// Exchange rates (CSV: FROM,TO,RATE) that turn on adaptive pricing.
    #[arg(long, env = "KASSA_FX_RATES")]
    pub fx_rates: Option<PathBuf>,
    /// Delays before each webhook attempt (default Dodo's: 0,5s,5m,30m,2h,5h,10h,10h).
    #[arg(long, env = "KASSA_WEBHOOK_RETRY_SCHEDULE")]
    pub webhook_retry_schedule: Option<String>,
    /// Webhook endpoints per business and mode (default 5, as Dodo).
    #[arg(long, env = "KASSA_WEBHOOK_ENDPOINT_LIMIT")]
    pub webhook_endpoint_limit: Option<usize>,
    /// Private/loopback webhook targets: test-only (default), always, never.
    #[arg(long, env = "KASSA_WEBHOOK_PRIVATE_TARGETS")]
    pub webhook_private_targets: Option<String>,
    /// Seconds a worker holds a delivery before another may take it over (default 60).
    #[arg(long, env = "KASSA_WEBHOOK_LEASE_SECONDS")]
    pub webhook_lease_seconds: Option<u32>,
    /// Browser origins allowed to call the API (comma-separated scheme://host[:port], or *; default none).
    #[arg(long, env = "KASSA_CORS_ORIGINS")]
    pub cors_origins: Option<String>,
    /// Refuse request fields Kassa does not know with a 422, instead of ignoring and naming them.
    #[arg(
        long,
        env = "KASSA_STRICT_FIELDS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        value_parser = BoolishValueParser::new(),
    )]
    pub strict_fields: Option<bool>,
}

/// The TOML file: the same keys as the flags, all optional.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    bind: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    public_url: Option<String>,
    tax_table: Option<PathBuf>,
    fx_rates: Option<PathBuf>,
    webhook_retry_schedule: Option<String>,
    webhook_endpoint_limit: Option<usize>,
    webhook_private_targets: Option<String>,
    webhook_lease_seconds: Option<u32>,
    cors_origins: Option<OriginList>,
    strict_fields: Option<bool>,
}

/// `cors_origins` in the file: a list, or the flag's comma-separated text.
#[derive(Deserialize, Debug)]
#[serde(untagged)]
enum OriginList {
    List(Vec<String>),
    Text(String),
}

/// Where data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// One SQLite file in this directory.
    Sqlite {
        data_dir: PathBuf,
    },
    Postgres {
        url: String,
    },
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub backend: Backend,
    pub public_url: Option<String>,
    /// The operator's tax table, replacing the built-in one.
    pub tax_table: Option<PathBuf>,
    /// The operator's exchange rates; adaptive pricing is off without them.
    pub fx_rates: Option<PathBuf>,
    pub webhooks: WebhookConfig,
    /// CORS origins and strict request fields.
    pub edge: EdgeConfig,
}

/// How webhooks are managed and delivered.
#[derive(Debug, Clone, Default)]
pub struct WebhookConfig {
    pub settings: WebhookSettings,
    pub worker: WorkerConfig,
}

impl Config {
    pub const DEFAULT_BIND: &'static str = "127.0.0.1:8080";
    pub const DEFAULT_DATA_DIR: &'static str = "kassa-data";

    pub fn load(args: &ConfigArgs) -> anyhow::Result<Config> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None if Path::new("kassa.toml").exists() => read_file(Path::new("kassa.toml"))?,
            None => FileConfig::default(),
        };
        let bind = args
            .bind
            .or(file.bind)
            .unwrap_or_else(|| Self::DEFAULT_BIND.parse().expect("default bind parses"));
        let backend = match args.database_url.clone().or(file.database_url) {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Backend::Postgres { url }
            }
            Some(url) => anyhow::bail!(
                "database_url must be a postgres:// URL (leave it unset for the embedded store), got `{url}`"
            ),
            None => Backend::Sqlite {
                data_dir: args
                    .data_dir
                    .clone()
                    .or(file.data_dir)
                    .unwrap_or_else(|| PathBuf::from(Self::DEFAULT_DATA_DIR)),
            },
        };
        let mut webhooks = WebhookConfig::default();
        if let Some(text) = args
            .webhook_retry_schedule
            .clone()
            .or(file.webhook_retry_schedule)
        {
            webhooks.worker.schedule = Some(RetrySchedule::parse(&text)?);
        }
        if let Some(limit) = args.webhook_endpoint_limit.or(file.webhook_endpoint_limit) {
            webhooks.settings.endpoint_limit = limit;
        }
        if let Some(text) = args
            .webhook_private_targets
            .clone()
            .or(file.webhook_private_targets)
        {
            let policy = PrivateTargets::parse(&text)?;
            webhooks.settings.private_targets = policy;
            webhooks.worker.private_targets = policy;
        }
        if let Some(secs) = args.webhook_lease_seconds.or(file.webhook_lease_seconds) {
            anyhow::ensure!(secs >= 1, "webhook_lease_seconds must be at least 1");
            webhooks.worker.lease = time::Duration::seconds(i64::from(secs));
            let timeout =
                std::time::Duration::from_secs(u64::from(secs)).min(webhooks.worker.timeout);
            webhooks.worker.timeout = timeout;
        }
        let cors_origins = match (&args.cors_origins, &file.cors_origins) {
            (Some(text), _) | (None, Some(OriginList::Text(text))) => CorsOrigins::parse(text)?,
            (None, Some(OriginList::List(list))) => {
                CorsOrigins::from_entries(list.iter().map(String::as_str))?
            }
            (None, None) => CorsOrigins::none(),
        };
        let edge = EdgeConfig {
            cors_origins,
            strict_fields: args.strict_fields.or(file.strict_fields).unwrap_or(false),
        };
        Ok(Config {
            bind,
            backend,
            public_url: args.public_url.clone().or(file.public_url),
            tax_table: args.tax_table.clone().or(file.tax_table),
            fx_rates: args.fx_rates.clone().or(file.fx_rates),
            webhooks,
            edge,
        })
    }
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading configuration file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing configuration file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = std::env::temp_dir().join(format!("kassa-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("kassa.toml");
        std::fs::write(
            &file,
            "bind = \"127.0.0.1:9999\"\ndata_dir = \"/from/file\"\n",
        )
        .unwrap();
        let args = ConfigArgs {
            bind: Some("127.0.0.1:7777".parse().unwrap()),
            config: Some(file.clone()),
            ..ConfigArgs::default()
        };
        let config = Config::load(&args).unwrap();
        assert_eq!(config.bind.port(), 7777);
        assert_eq!(
            config.backend,
            Backend::Sqlite {
                data_dir: "/from/file".into()
            }
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// `kassa serve`'s options as clap reads them from `argv` and the
    /// environment.
    fn parse_args(argv: &[&str]) -> ConfigArgs {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct Serve {
            #[command(flatten)]
            args: ConfigArgs,
        }
        let argv = std::iter::once("kassa").chain(argv.iter().copied());
        Serve::try_parse_from(argv).expect("parses").args
    }

    #[test]
    fn cors_origins_and_strict_fields_parse_from_flags() {
        let args = parse_args(&[
            "--cors-origins",
            "https://shop.example, http://localhost:5173",
            "--strict-fields",
        ]);
        let edge = Config::load(&args).unwrap().edge;
        assert_eq!(
            edge.cors_origins,
            CorsOrigins::parse("https://shop.example,http://localhost:5173").unwrap()
        );
        assert!(!edge.cors_origins.is_empty());
        assert!(edge.strict_fields);
        let off = parse_args(&["--strict-fields=false"]);
        assert!(!Config::load(&off).unwrap().edge.strict_fields);
    }

    #[test]
    fn by_default_no_origin_is_allowed_and_unknown_fields_are_ignored() {
        let edge = Config::load(&ConfigArgs::default()).unwrap().edge;
        assert!(edge.cors_origins.is_empty());
        assert!(!edge.strict_fields);
    }

    /// The environment is the process's: read in a child of this test
    /// binary, so no other test sees it change.
    #[test]
    fn cors_origins_and_strict_fields_parse_from_the_environment() {
        if std::env::var_os("KASSA_CONFIG_ENV_CHILD").is_some() {
            let edge = Config::load(&parse_args(&[])).unwrap().edge;
            assert_eq!(
                edge.cors_origins,
                CorsOrigins::parse("https://shop.example").unwrap()
            );
            assert!(edge.strict_fields);
            return;
        }
        let child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "config::tests::cors_origins_and_strict_fields_parse_from_the_environment",
            ])
            .env("KASSA_CONFIG_ENV_CHILD", "1")
            .env("KASSA_CORS_ORIGINS", "https://shop.example")
            .env("KASSA_STRICT_FIELDS", "1")
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&child.stdout);
        assert!(child.status.success() && out.contains("1 passed"), "{out}");
    }

    #[test]
    fn the_file_takes_cors_origins_as_a_list_and_strict_fields_as_a_bool() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kassa.toml");
        std::fs::write(
            &file,
            "cors_origins = [\"https://shop.example\"]\nstrict_fields = true\n",
        )
        .unwrap();
        let args = ConfigArgs {
            config: Some(file),
            ..ConfigArgs::default()
        };
        let edge = Config::load(&args).unwrap().edge;
        assert_eq!(
            edge.cors_origins,
            CorsOrigins::parse("https://shop.example").unwrap()
        );
        assert!(edge.strict_fields);
    }

    #[test]
    fn an_origin_that_is_not_one_stops_the_start_naming_it() {
        let args = ConfigArgs {
            cors_origins: Some("https://shop.example/checkout".into()),
            ..ConfigArgs::default()
        };
        let err = Config::load(&args).unwrap_err();
        let message = format!("{err:#}");
        assert!(
            message.contains("cors_origins") && message.contains("https://shop.example/checkout"),
            "{message}"
        );
    }

    #[test]
    fn a_non_postgres_database_url_is_refused() {
        let args = ConfigArgs {
            database_url: Some("mysql://x".into()),
            ..ConfigArgs::default()
        };
        assert!(Config::load(&args).is_err());
    }
}
