//! `kassa keys create`, `list` and `revoke` on a data dir, as an operator
//! runs them: a revoked key is listed with its revocation time and refused
//! by the server that starts on that data afterwards.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

fn kassa(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_kassa"))
        .args(args)
        .output()
        .expect("kassa runs");
    assert!(
        out.status.success(),
        "kassa {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The listed row of `key_id`, split at tabs.
fn row(listing: &str, key_id: &str) -> Vec<String> {
    listing
        .lines()
        .find(|l| l.starts_with(key_id))
        .unwrap_or_else(|| panic!("{key_id} is not in\n{listing}"))
        .split('\t')
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn a_key_revoked_with_the_cli_is_listed_as_revoked_and_refused_by_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let created = kassa(&[
        "keys",
        "create",
        "--data-dir",
        data,
        "--new-business",
        "Shop",
    ]);
    let secret = stdout(&created).trim().to_owned();
    assert!(secret.starts_with("sk_test_"), "{secret}");

    let listing = stdout(&kassa(&["keys", "list", "--data-dir", data]));
    let line = listing
        .lines()
        .find(|l| l.contains(&secret[..12]))
        .expect("the new key is listed");
    let key_id = line.split('\t').next().unwrap().to_owned();
    assert_eq!(row(&listing, &key_id)[5], "-", "not revoked yet");

    let revoked = kassa(&["keys", "revoke", "--data-dir", data, &key_id]);
    let note = String::from_utf8_lossy(&revoked.stderr);
    assert!(note.contains(&key_id), "{note}");
    let listing = stdout(&kassa(&["keys", "list", "--data-dir", data]));
    let cells = row(&listing, &key_id);
    assert_eq!(cells[1], "test");
    assert_ne!(cells[5], "-", "the revocation time is listed: {cells:?}");

    let mut child = Command::new(env!("CARGO_BIN_EXE_kassa"))
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir", data])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kassa serve starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("kassa prints its address").unwrap();
        if let Some(url) = line.strip_prefix("Kassa listening on ") {
            break url.to_owned();
        }
    };
    let status = reqwest::Client::new()
        .get(format!("{url}/customers"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("the server answers")
        .status();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, 401, "a revoked key is refused");
}
