//! Snapshot tests over the fixture repositories in `tests/fixtures/`: the exact findings, in
//! the human and JSON formats, of a repository with one of every mistake.
//!
//! `SNAPSHOTS=overwrite cargo test --test suite fixtures::` rewrites the expected files after a
//! deliberate change; review the difference before committing it.

use crate::support;

use std::path::Path;

fn check_snapshot(repo: &str, format: &str, expected: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(repo);
    let output = support::pactum_with(&root, &["check", "--format", format, "--color", "never"], &[]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    support::snapshot(&root.join(expected), &String::from_utf8(output.stdout).unwrap());
}

#[test]
fn broken_repository_human() {
    check_snapshot("broken-repo", "human", "expected.txt");
}

#[test]
fn broken_repository_json() {
    check_snapshot("broken-repo", "json", "expected.json");
}
