//! Snapshot tests over the fixture repositories in `tests/fixtures/`: the exact findings, in
//! the human and JSON formats, of a repository with one of every mistake.
//!
//! `PACTUM_BLESS=1 cargo test --test fixtures` rewrites the expected files after a deliberate
//! change; review the difference before committing it.

use std::path::Path;
use std::process::Command;

fn check_snapshot(repo: &str, format: &str, expected: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(repo);
    let output = Command::new(env!("CARGO_BIN_EXE_pactum"))
        .args(["check", "--format", format, "--color", "never"])
        .current_dir(&root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let actual = String::from_utf8(output.stdout).unwrap();
    let path = root.join(expected);
    if std::env::var_os("PACTUM_BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let wanted = std::fs::read_to_string(&path).unwrap_or_default();
    if actual != wanted {
        let first = actual
            .lines()
            .zip(wanted.lines())
            .position(|(a, w)| a != w)
            .unwrap_or(actual.lines().count().min(wanted.lines().count()));
        panic!(
            "{} differs from the output at line {}:\n  expected: {:?}\n  actual:   {:?}\n(PACTUM_BLESS=1 rewrites it)",
            path.display(),
            first + 1,
            wanted.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn broken_repository_human() {
    check_snapshot("broken-repo", "human", "expected.txt");
}

#[test]
fn broken_repository_json() {
    check_snapshot("broken-repo", "json", "expected.json");
}
