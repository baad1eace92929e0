//! The `kassa` binary: `serve`, `keys create`, `migrate`, `webhooks`.

mod clock;
mod keys;
mod webhooks;

/// mimalloc instead of glibc's malloc: a request allocates and frees many
/// small objects across two runtime threads, where glibc's arenas cost about
/// a seventh of the server's CPU under load (measured with `kassa-bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use kassa_server::{Config, ConfigArgs};

#[derive(Parser)]
#[command(
    name = "kassa",
    version,
    about = "Self-hosted checkout and payments server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (embedded SQLite in ./kassa-data unless configured otherwise).
    Serve(ConfigArgs),
    /// Manage API keys.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Create or upgrade the database schema, then exit.
    Migrate(ConfigArgs),
    /// Show and advance a test-mode business's clock on a running server.
    Clock {
        #[command(subcommand)]
        command: clock::ClockCommand,
    },
    /// Follow, resend and replay webhook deliveries of a running server.
    Webhooks {
        #[command(subcommand)]
        command: webhooks::WebhooksCommand,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    kassa_server::init_tracing();
    match Cli::parse().command {
        Command::Serve(args) => serve(Config::load(&args)?).await,
        Command::Keys { command } => keys::run(command).await,
        Command::Webhooks { command } => webhooks::run(command).await,
        Command::Clock { command } => clock::run(command).await,
        Command::Migrate(args) => {
            kassa_server::open_store(&Config::load(&args)?.backend).await?;
            println!("schema is up to date");
            Ok(())
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let _data_dir = kassa_server::lock_data_dir(&config.backend)?;
    let app = kassa_server::open_configured_app(&config).await?;
    if let Some(url) = &config.public_url {
        app.set_public_url(url, false);
    }
    if let Some((business, key)) = app.bootstrap().await? {
        println!("Created business \"{}\" ({}).", business.name, business.id);
        println!("Test API key (shown once): {}", key.secret);
    }
    let mut server = kassa_server::serve_configured(
        app,
        config.bind,
        config.webhooks.worker.clone(),
        &config.edge,
    )
    .await?;
    println!("Kassa listening on http://{}", server.addr);
    tokio::select! {
        result = server.wait() => result?,
        () = shutdown_signal() => {
            tracing::info!("shutting down: finishing in-flight requests");
            server.stop().await?;
        }
    }
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
