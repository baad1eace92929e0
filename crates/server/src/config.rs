//! Configuration in layers: flags > `KASSA_*` environment > `kassa.toml` > defaults.
//!
//! clap resolves the first two (each flag has an env twin); whatever is
//! still unset is taken from the TOML file, then from the defaults below.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

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
        Ok(Config {
            bind,
            backend,
            public_url: args.public_url.clone().or(file.public_url),
            tax_table: args.tax_table.clone().or(file.tax_table),
            fx_rates: args.fx_rates.clone().or(file.fx_rates),
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

    #[test]
    fn a_non_postgres_database_url_is_refused() {
        let args = ConfigArgs {
            database_url: Some("mysql://x".into()),
            ..ConfigArgs::default()
        };
        assert!(Config::load(&args).is_err());
    }
}
