//! Test helpers shared by the integration tests.
#![allow(dead_code)]

pub mod browser;
pub mod contracts;
pub mod git;
pub mod lsp;
pub mod openapi;
pub mod today;
pub mod tracker;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Settings a CI runner may carry that would point pactum at a real tracker or pull request.
const OUTSIDE_SETTINGS: [&str; 10] = [
    "GITHUB_TOKEN",
    "GITHUB_REF",
    "GITLAB_TOKEN",
    "CI_JOB_TOKEN",
    "GITEA_TOKEN",
    "GITHUB_API_URL",
    "GITHUB_REPOSITORY",
    "CI_API_V4_URL",
    "CI_PROJECT_ID",
    "GITEA_API_URL",
];

/// Run the pactum binary in `dir` as a user would: no colour, nothing from the surrounding
/// CI's tracker settings, then `envs`.
pub fn pactum_with(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    command(dir, args).envs(envs.iter().copied()).output().unwrap()
}

/// The one way the tests start pactum: the binary under test, in `dir`, with `args`, no
/// colour, and nothing from the surrounding CI's tracker settings. Add standard input, more
/// variables or a timeout to the command it returns.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pactum"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    for var in OUTSIDE_SETTINGS {
        command.env_remove(var);
    }
    command
}

/// Standard output and standard error together, for messages and assertion failures.
pub fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// Run pactum as [`pactum_with`] does, and fail the test if it has not finished within
/// `limit`: for inputs that once made it hang.
pub fn pactum_within(dir: &Path, args: &[&str], limit: std::time::Duration) -> Output {
    let child =
        command(dir, args).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let id = child.id();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    if let Ok(output) = receiver.recv_timeout(limit) {
        return output.unwrap();
    }
    let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
    panic!("pactum {args:?} was still running after {limit:?}");
}

/// An external tool a test checks pactum's output with: `env_var` if set, else `name` on the
/// `PATH`. Missing, the test is skipped with a note, except under `CI`, where `.ci/run`
/// installs it and its absence is a failure.
pub fn tool(env_var: &str, name: &str) -> Option<std::path::PathBuf> {
    if let Some(path) = std::env::var_os(env_var) {
        return Some(std::path::PathBuf::from(path));
    }
    let found = std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|p| p.is_file());
    if found.is_none() {
        assert!(std::env::var("CI").is_err(), "CI must install {name} (see .ci/run)");
        eprintln!("skipped: {name} is not installed (set {env_var}, or run .ci/run, which installs it)");
    }
    found
}

/// `PATH` with `dir` first: for scripts that must find a program there (the pactum under test,
/// a stand-in tool) before anything installed.
pub fn path_with(dir: &Path) -> std::ffi::OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&rest))).unwrap()
}

/// `PATH` with the folder of the pactum under test first, as CI has it after installing it.
pub fn path_with_pactum() -> std::ffi::OsString {
    path_with(Path::new(env!("CARGO_BIN_EXE_pactum")).parent().unwrap())
}

/// Copy a folder and everything under it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Compare `actual` with the expected file at `path`, byte for byte; `SNAPSHOTS=overwrite`
/// rewrites the file after a deliberate change (review the difference before committing it).
pub fn snapshot(path: &Path, actual: &str) {
    snapbox::Assert::new().action_env("SNAPSHOTS").eq(actual, snapbox::Data::read_from(path, None).raw());
}

/// The clause changes of the first contract of a `pactum diff --format json` report:
/// (change, old number, new number), `-` for a side without the clause.
pub fn clause_changes(report: &serde_json::Value) -> Vec<(String, String, String)> {
    let number = |side: &serde_json::Value| side.get("number").and_then(|n| n.as_str()).unwrap_or("-").to_owned();
    report["contracts"][0]["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["change"].as_str().unwrap().to_owned(), number(&c["old"]), number(&c["new"])))
        .collect()
}

/// One expected clause change, for comparing with [`clause_changes`].
pub fn t(change: &str, old: &str, new: &str) -> (String, String, String) {
    (change.into(), old.into(), new.into())
}

/// Put the contract at `path` back as it stood in negotiation, before it was executed: in
/// review, without signatures or seal, the rest of its text as it is.
pub fn in_negotiation(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let end = 3 + text[3..].find("\n+++").unwrap() + 1;
    let mut front: toml_edit::DocumentMut = text[4..end].parse().unwrap();
    front.remove("execution");
    front.remove("signatures");
    front["status"] = toml_edit::value("review");
    std::fs::write(path, format!("+++\n{front}{}", &text[end..])).unwrap();
}

/// The project's own folder (where `Cargo.toml` is).
pub fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every contract of the bundled corpus and the example repository, sorted.
pub fn corpus() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for root in ["tests/corpus", "example-repo/contracts"] {
        let mut stack = vec![manifest().join(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "md")
                    && name != "README.md"
                    && !name.starts_with("LICENSE")
                {
                    out.push(path);
                }
            }
        }
    }
    out.sort();
    assert!(out.len() >= 30, "the corpus is missing: {out:?}");
    out
}
