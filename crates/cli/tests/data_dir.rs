//! One `kassa serve` per embedded data dir: a second one on the same SQLite
//! file stops at start with a clear message, and the dir is free again once
//! the first process is gone, however it ended.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn kassa_serve(data_dir: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kassa"));
    cmd.args(["serve", "--bind", "127.0.0.1:0", "--data-dir", data_dir]);
    cmd
}

/// Starts a server and waits until it listens.
fn start(data_dir: &str) -> Child {
    let mut child = kassa_serve(data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kassa starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    loop {
        let line = lines.next().expect("kassa prints its address").unwrap();
        if line.starts_with("Kassa listening on ") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    child
}

#[test]
fn a_second_server_on_the_same_data_dir_is_refused_until_the_first_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let mut first = start(data);

    let second = kassa_serve(data).output().expect("second kassa runs");
    assert!(!second.status.success(), "the second server must not start");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("another `kassa serve` is using the data dir"),
        "the refusal names the problem: {stderr}"
    );

    // A crash releases the dir: the next start succeeds.
    first.kill().unwrap();
    first.wait().unwrap();
    let mut third = start(data);
    third.kill().unwrap();
    third.wait().unwrap();
}

#[test]
fn servers_on_different_data_dirs_run_side_by_side() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut first = start(a.path().to_str().unwrap());
    let mut second = start(b.path().to_str().unwrap());
    for child in [&mut first, &mut second] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
