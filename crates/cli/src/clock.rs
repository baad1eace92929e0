//! `kassa clock …`: show and advance a test-mode business's clock on a
//! running server, through its API (`/kassa/test-clock`).

use clap::Subcommand;
use serde_json::json;

use crate::webhooks::{Remote, call};

#[derive(Subcommand)]
pub enum ClockCommand {
    /// Print the business's now and how far it is ahead of the wall clock.
    Show {
        #[command(flatten)]
        remote: Remote,
    },
    /// Move the clock forward (`31d`, `2h`, `1h30m`), running every job
    /// that falls due on the way.
    Advance {
        #[command(flatten)]
        remote: Remote,
        by: String,
    },
}

pub async fn run(command: ClockCommand) -> anyhow::Result<()> {
    match command {
        ClockCommand::Show { remote } => {
            let clock = call(&remote, "GET", "/kassa/test-clock", None).await?;
            println!(
                "{} (+{}s)",
                clock["now"].as_str().unwrap_or("?"),
                clock["offset_seconds"]
            );
        }
        ClockCommand::Advance { remote, by } => {
            let body = json!({ "by": by });
            let done = call(&remote, "POST", "/kassa/test-clock/advance", Some(body)).await?;
            println!(
                "{} (+{}s), {} jobs run",
                done["now"].as_str().unwrap_or("?"),
                done["offset_seconds"],
                done["jobs_run"]
            );
        }
    }
    Ok(())
}
