//! Whether a PostgreSQL test runs: the one place every such test asks.
//!
//! A test that needs PostgreSQL calls [`postgres_url`] first. With
//! `KASSA_TEST_DATABASE_URL` set it gets the URL and runs. Without it, a
//! test must not pass as if it had run: under `CI=true` it fails, and
//! elsewhere it returns early after appending its name to the file that
//! `KASSA_PG_SKIP_LOG` names, so `scripts/test.sh` can say how many were
//! skipped (a passing test's own output is captured and never seen).
//!
//! It lives here rather than in the testkit because the conformance macro
//! of this crate needs it, and this crate cannot depend on the testkit.

use std::io::Write;
use std::path::Path;

/// The database PostgreSQL tests use (each in a fresh schema of its own).
pub const DATABASE_URL_VAR: &str = "KASSA_TEST_DATABASE_URL";
/// A file that every skipped PostgreSQL test appends its name to.
pub const SKIP_LOG_VAR: &str = "KASSA_PG_SKIP_LOG";

/// The URL of the test database, or `None` when `test` is to be skipped:
/// the skip is printed and recorded in `KASSA_PG_SKIP_LOG`. Under `CI=true`
/// an unset URL panics instead, so CI can never pass without PostgreSQL.
pub fn postgres_url(test: &str) -> Option<String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let url = var(DATABASE_URL_VAR);
    let ci = var("CI").is_some_and(|v| v == "true");
    let log = var(SKIP_LOG_VAR);
    decide(test, url, ci, log.as_deref().map(Path::new))
}

/// [`postgres_url`] on its inputs, for testing without the environment.
fn decide(test: &str, url: Option<String>, ci: bool, log: Option<&Path>) -> Option<String> {
    if url.is_some() {
        return url;
    }
    if ci {
        panic!(
            "{test} needs PostgreSQL but {DATABASE_URL_VAR} is not set; under CI=true a \
             PostgreSQL test fails rather than skips (CI's server: \
             postgres://postgres@127.0.0.1:5432/test)"
        );
    }
    eprintln!("skipped {test}: {DATABASE_URL_VAR} is not set");
    if let Some(path) = log {
        // One write of one short line: appends from tests running in
        // parallel (threads and processes) never interleave.
        let line = format!("{test}\n");
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(line.as_bytes()))
            .unwrap_or_else(|e| {
                panic!(
                    "{test}: cannot record its skip in {SKIP_LOG_VAR}={}: {e}",
                    path.display()
                )
            });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::decide;

    fn log_path(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("kassa-skips-{}-{name}", std::process::id()))
    }

    #[test]
    fn a_configured_database_runs_the_test_and_records_no_skip() {
        let log = log_path("configured");
        let url = decide("t", Some("postgres://x/test".into()), true, Some(&log));
        assert_eq!(url.as_deref(), Some("postgres://x/test"));
        assert!(!log.exists(), "nothing was skipped");
    }

    #[test]
    fn an_unconfigured_database_skips_and_appends_one_line_per_test() {
        let log = log_path("skips");
        let _ = std::fs::remove_file(&log);
        assert_eq!(decide("a::one", None, false, Some(&log)), None);
        assert_eq!(decide("b::two", None, false, Some(&log)), None);
        let written = std::fs::read_to_string(&log).unwrap();
        std::fs::remove_file(&log).unwrap();
        assert_eq!(written, "a::one\nb::two\n");
    }

    #[test]
    fn an_unconfigured_database_skips_without_a_log_too() {
        assert_eq!(decide("t", None, false, None), None);
    }

    #[test]
    #[should_panic(expected = "under CI=true a PostgreSQL test fails")]
    fn an_unconfigured_database_under_ci_fails_the_test() {
        decide("t", None, true, None);
    }
}
