//! `kassa keys create|list|revoke`: mint an API key (optionally for a new
//! business), list a business's keys, revoke one. `create` prints the
//! secret alone on stdout (it is shown once); notes go to stderr. A revoked
//! key is refused by every node within a second.

use clap::Subcommand;
use kassa_core::id::{ApiKeyId, BusinessId};
use kassa_core::tenancy::Mode;
use kassa_server::{Config, ConfigArgs};

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Create an API key (for the only business, a named one, or a new one).
    Create {
        #[command(flatten)]
        config: ConfigArgs,
        /// Business to create the key for (default: the only business).
        #[arg(long, conflicts_with = "new_business")]
        business: Option<String>,
        /// Create a new business with this name and key it.
        #[arg(long)]
        new_business: Option<String>,
        /// `test` or `live`.
        #[arg(long, default_value = "test")]
        mode: String,
    },
    /// List a business's keys: id, mode, prefix, created, last used, revoked.
    List {
        #[command(flatten)]
        config: ConfigArgs,
        /// Business whose keys to list (default: the only business).
        #[arg(long)]
        business: Option<String>,
    },
    /// Revoke a key by its id (`key_…`, from `kassa keys list`).
    Revoke {
        #[command(flatten)]
        config: ConfigArgs,
        /// Business the key belongs to (default: the only business).
        #[arg(long)]
        business: Option<String>,
        key_id: String,
    },
}

/// The business named, or the only one there is.
async fn business_or_only(
    app: &kassa_app::App,
    business: Option<String>,
) -> anyhow::Result<BusinessId> {
    if let Some(id) = business {
        return Ok(BusinessId::parse(&id)?);
    }
    let all = app.businesses().await?;
    match all.as_slice() {
        [only] => Ok(only.id.clone()),
        [] => anyhow::bail!("no business yet: run `kassa serve` once, or pass --new-business"),
        _ => anyhow::bail!("several businesses exist: pass --business bus_…"),
    }
}

fn when(at: Option<time::OffsetDateTime>) -> String {
    at.and_then(|t| {
        t.format(&time::format_description::well_known::Rfc3339)
            .ok()
    })
    .unwrap_or_else(|| "-".to_owned())
}

pub async fn run(command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Create {
            config,
            business,
            new_business,
            mode,
        } => {
            let mode = Mode::parse(&mode)
                .ok_or_else(|| anyhow::anyhow!("--mode must be `test` or `live`, got `{mode}`"))?;
            let app = kassa_server::open_app(&Config::load(&config)?.backend).await?;
            let business = match (business, new_business) {
                (None, Some(name)) => {
                    let created = app.create_business(&name).await?;
                    eprintln!("Created business \"{}\" ({}).", created.name, created.id);
                    created.id
                }
                (named, _) => business_or_only(&app, named).await?,
            };
            let issued = app.issue_api_key(&business, mode).await?;
            eprintln!("{mode} key for {business} (shown once):");
            println!("{}", issued.secret);
            Ok(())
        }
        KeysCommand::List { config, business } => {
            let app = kassa_server::open_app(&Config::load(&config)?.backend).await?;
            let business = business_or_only(&app, business).await?;
            println!("id\tmode\tprefix\tcreated\tlast_used\trevoked");
            for key in app.api_keys(&business).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    key.id,
                    key.mode,
                    key.display_prefix,
                    when(Some(key.created_at)),
                    when(key.last_used_at),
                    when(key.revoked_at)
                );
            }
            Ok(())
        }
        KeysCommand::Revoke {
            config,
            business,
            key_id,
        } => {
            let app = kassa_server::open_app(&Config::load(&config)?.backend).await?;
            let business = business_or_only(&app, business).await?;
            let key = app
                .revoke_api_key(&business, &ApiKeyId::parse(&key_id)?)
                .await?;
            eprintln!(
                "Revoked {} ({}); every node refuses it within a second.",
                key.id, key.display_prefix
            );
            Ok(())
        }
    }
}
