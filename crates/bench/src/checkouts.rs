//! `kassa-bench [checkouts] [seconds] [connections] [rounds] [--postgres URL]`:
//! `POST /checkouts` throughput and p99 as a ratio of a ceiling measured in
//! the same run with the same load generator and body.
//!
//! On the embedded default (durable SQLite, group commit) the ceiling is
//! the plain-HTTP JSON echo (perf-limits.md H2). On PostgreSQL (`--postgres
//! URL`, or `KASSA_BENCH_DATABASE_URL`) a JSON echo would flatter nothing:
//! every durable commit there costs a round trip to another process, so
//! the ceiling is what the same box does with the least code on that
//! path, an axum handler doing one sqlx `INSERT … RETURNING` through a pool
//! of 16 (perf-limits.md P5). Kassa and the ceiling each work in a fresh
//! schema that is dropped afterwards.

use kassa_server::WorkerConfig;

use crate::pg::{RawCeiling, Schema};
use crate::{Cost, Data, Fresh, arg, checkout_body, echo_server, load_in_child, report};

/// `--postgres URL` (anywhere among `args`) or `KASSA_BENCH_DATABASE_URL`,
/// and the other arguments.
fn postgres_url(args: &[String]) -> anyhow::Result<(Option<String>, Vec<String>)> {
    let mut url = None;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--postgres" {
            let value = it.next().filter(|v| v.starts_with("postgres"));
            url = Some(value.cloned().ok_or_else(|| {
                anyhow::anyhow!(
                    "--postgres takes a URL, e.g. postgres://postgres@127.0.0.1:5432/test"
                )
            })?);
        } else {
            rest.push(a.clone());
        }
    }
    let url = url.or_else(|| std::env::var("KASSA_BENCH_DATABASE_URL").ok());
    Ok((url, rest))
}

/// What Kassa is measured against, and what keeps it alive.
enum Ceiling {
    Echo,
    Postgres(RawCeiling),
}

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let (postgres, args) = postgres_url(args)?;
    let seconds: u64 = arg(&args, 0, 10)?;
    let connections: usize = arg(&args, 1, 64)?;
    let rounds = arg(&args, 2, 5usize)?.max(1);

    let (fresh, ceiling, ceiling_url) = match &postgres {
        None => {
            let fresh = Fresh::start(WorkerConfig::default()).await?;
            println!(
                "kassa-bench: {seconds} s per run, {connections} connections, SQLite synchronous=FULL"
            );
            (fresh, Ceiling::Echo, echo_server().await?)
        }
        Some(url) => {
            let schema = Schema::create(url, "kassa").await?;
            let kassa_schema = schema.name.clone();
            let fresh = Fresh::start_on(Data::Postgres(schema), WorkerConfig::default()).await?;
            let raw = RawCeiling::start(url).await?;
            println!(
                "kassa-bench: {seconds} s per run, {connections} connections, PostgreSQL: Kassa in schema \
                 {kassa_schema}, the ceiling (axum + sqlx INSERT … RETURNING, pool {}) in {}; \
                 server CPU counts this process only, not PostgreSQL's",
                crate::pg::POOL,
                raw.schema_name()
            );
            let url = raw.url.clone();
            (fresh, Ceiling::Postgres(raw), url)
        }
    };
    let ceiling_name = match ceiling {
        Ceiling::Echo => "  ceiling: POST /echo",
        Ceiling::Postgres(_) => "  ceiling: sqlx INSERT",
    };
    let http = reqwest::Client::new();
    let (checkouts, checkout) = checkout_body(&http, &fresh.base, &fresh.key.secret).await?;

    // Warm both up, then measure the ceiling and Kassa back to back.
    let run = |url: &str, key: &str, secs: u64| {
        let (url, key, body) = (url.to_owned(), key.to_owned(), checkout.clone());
        tokio::task::spawn_blocking(move || load_in_child(&url, &key, &body, secs, connections))
    };
    run(&ceiling_url, "", 1).await??;
    run(&checkouts, &fresh.key.secret, 1).await??;
    // The machine is noisy (perf-limits.md: 6-44 % between runs), so pair
    // each Kassa run with a ceiling run just before it and report the median.
    let mut ratios = Vec::with_capacity(rounds);
    let mut errors = 0;
    for round in 1..=rounds {
        println!("round {round} of {rounds}");
        let cost = Cost::start();
        let ceiling = run(&ceiling_url, "", seconds).await??;
        report(ceiling_name, &ceiling, cost);
        let cost = Cost::start();
        let kassa = run(&checkouts, &fresh.key.secret, seconds).await??;
        report("  kassa: POST /checkouts", &kassa, cost);
        let ratio = kassa.rps / ceiling.rps;
        match &fresh.data {
            Data::Sqlite(dir) => {
                let size =
                    |name: &str| std::fs::metadata(dir.path().join(name)).map_or(0, |m| m.len());
                println!(
                    "  ratio {ratio:.2}   (database {:.1} MB, WAL {:.1} MB)",
                    size("kassa.db") as f64 / 1e6,
                    size("kassa.db-wal") as f64 / 1e6
                );
            }
            Data::Postgres(_) => println!(
                "  ratio {ratio:.2}   (kassa {:.0} checkouts/s, ceiling {:.0} inserts/s)",
                kassa.rps, ceiling.rps
            ),
        }
        ratios.push(ratio);
        errors += kassa.errors + ceiling.errors;
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    match ceiling {
        Ceiling::Echo => println!(
            "median ratio {median:.2} of the ceiling over {rounds} rounds (target >= 0.50)"
        ),
        Ceiling::Postgres(raw) => {
            println!("median ratio {median:.2} of the raw PostgreSQL ceiling over {rounds} rounds");
            raw.stop().await;
        }
    }
    fresh.server.stop().await?;
    if errors > 0 {
        anyhow::bail!("{errors} requests failed");
    }
    Ok(())
}
