//! Dodo's vocabulary stays above the dialect boundary: no Dodo error code,
//! field path, event name or webhook header in `core`, `store*`, `app`,
//! `jobs` or `processor`. The words come from the dialect itself (its
//! vocabulary module and the codes its error mapping answers), so a code
//! added to the dialect is guarded from then on.

use std::path::{Path, PathBuf};

use kassa_api_dodo::vocabulary;
use kassa_core::payment::DeclineReason;
use kassa_core::webhook::EventType;

/// The crates that must speak no dialect.
const NEUTRAL: &[&str] = &[
    "core",
    "store",
    "store-sqlite",
    "store-postgres",
    "app",
    "jobs",
    "processor",
];

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crates/")
        .to_owned()
}

/// Every word that is Dodo's and no one else's.
fn dodo_words() -> Vec<String> {
    let mut words: Vec<String> = vocabulary::FIELD_WORDS
        .iter()
        .map(|w| w.to_string())
        .collect();
    words.extend(
        EventType::ALL
            .iter()
            .map(|t| vocabulary::event_name(*t).to_owned()),
    );
    words.extend(
        DeclineReason::ALL
            .iter()
            .map(|r| vocabulary::decline_code(*r).to_owned()),
    );
    words.extend(
        [
            vocabulary::WEBHOOK_ID,
            vocabulary::WEBHOOK_TIMESTAMP,
            vocabulary::WEBHOOK_SIGNATURE,
        ]
        .map(str::to_owned),
    );
    // The codes of Dodo's error mapping: its quoted UPPER_SNAKE literals
    // (single words such as CONFLICT are plain English and SQL too).
    let mapping = std::fs::read_to_string(crates_dir().join("api-dodo/src/error.rs"))
        .expect("the dialect's error mapping");
    words.extend(quoted_codes(&mapping));
    words.sort();
    words.dedup();
    words
}

fn quoted_codes(source: &str) -> Vec<String> {
    source
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.contains('_') && s.len() > 3 && s.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
        })
        .map(str::to_owned)
        .collect()
}

/// `(line number, word)` for each dialect word in code (comments may
/// describe what a dialect does; code may not use its words).
fn findings(source: &str, words: &[String]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let code = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        for word in words {
            if code.contains(word.as_str()) {
                out.push((n + 1, word.clone()));
            }
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "sql") {
            out.push(path);
        }
    }
}

#[test]
fn no_dodo_word_appears_in_the_crates_below_the_dialect() {
    let words = dodo_words();
    assert!(words.len() > 60, "the vocabulary was read: {words:?}");
    let mut files = Vec::new();
    for krate in NEUTRAL {
        sources(&crates_dir().join(krate).join("src"), &mut files);
        sources(&crates_dir().join(krate).join("migrations"), &mut files);
    }
    assert!(files.len() > 50, "the neutral crates were found");
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a source file");
        for (line, word) in findings(&text, &words) {
            found.push(format!("{}:{line}: `{word}`", file.display()));
        }
    }
    assert!(
        found.is_empty(),
        "Dodo's vocabulary below the dialect (name it in crates/api-dodo instead):\n{}",
        found.join("\n")
    );
}

#[test]
fn a_dodo_word_in_code_is_found_and_one_in_a_comment_is_not() {
    let words = dodo_words();
    let source = "// Dodo calls it product_cart.\nlet path = \"product_cart[0]\";\n\
                  let code = \"DISCOUNT_CODE_EXPIRED\"; // expired\n\
                  let kind = \"payment.succeeded\";\n\
                  request.header(\"webhook-signature\", s);\n";
    let found: Vec<_> = findings(source, &words)
        .into_iter()
        .map(|(line, _)| line)
        .collect();
    assert_eq!(found, vec![2, 3, 4, 5]);
    assert!(words.contains(&"DISCOUNT_CODE_EXPIRED".to_owned()));
    assert!(words.contains(&"INVALID_REQUEST_BODY".to_owned()));
}
