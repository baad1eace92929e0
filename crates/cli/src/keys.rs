//! `kassa keys create`: mint an API key, optionally for a new business.
//! Prints the secret alone on stdout (it is shown once); notes go to stderr.

use clap::Subcommand;
use kassa_core::id::BusinessId;
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
                (Some(id), _) => BusinessId::parse(&id)?,
                (None, Some(name)) => {
                    let created = app.create_business(&name).await?;
                    eprintln!("Created business \"{}\" ({}).", created.name, created.id);
                    created.id
                }
                (None, None) => {
                    let all = app.businesses().await?;
                    match all.as_slice() {
                        [only] => only.id.clone(),
                        [] => anyhow::bail!(
                            "no business yet: run `kassa serve` once, or pass --new-business"
                        ),
                        _ => anyhow::bail!("several businesses exist: pass --business bus_…"),
                    }
                }
            };
            let issued = app.issue_api_key(&business, mode).await?;
            eprintln!("{mode} key for {business} (shown once):");
            println!("{}", issued.secret);
            Ok(())
        }
    }
}
