//! The printed shape of every command, as command cases in `tests/cmd/`: each `.toml` names
//! the arguments (`args`), the folder they run in (`fs.cwd`, from the case's folder: the
//! bundled example repository, or the broken one of `tests/fixtures/`) and the exit status
//! (`status.code`, 0 when not given); the `.stdout` and `.stderr` beside it hold what pactum
//! prints there, byte for byte. A change to a printed form shows as a change to these files in
//! review. (The layout is trycmd's; the comparison is exact, backslashes and all, which
//! trycmd's path normalising would blur in JSON.)
//!
//! After a deliberate change of output, `SNAPSHOTS=overwrite cargo test --test suite commands::`
//! rewrites the `.stdout` and `.stderr` files; read the difference before committing it.

use std::path::{Path, PathBuf};

use crate::support;

/// One case: its name, arguments, folder and expected status.
struct Case {
    name: PathBuf,
    args: Vec<String>,
    cwd: PathBuf,
    status: i32,
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let case: toml::Table = toml::from_str(&std::fs::read_to_string(&name).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", name.display()));
            assert_eq!(case["bin"]["name"].as_str(), Some("pactum"), "{}", name.display());
            let args = case["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()).collect();
            let cwd = dir.join(case["fs"]["cwd"].as_str().unwrap());
            let status = case.get("status").and_then(|s| s.get("code")).and_then(toml::Value::as_integer).unwrap_or(0);
            Case { name, args, cwd, status: i32::try_from(status).unwrap() }
        })
        .collect()
}

#[test]
fn every_command_prints_what_its_case_holds() {
    let cases = cases();
    assert!(cases.len() >= 20, "the command cases are missing: {}", cases.len());
    for case in cases {
        let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
        let output = support::pactum_with(&case.cwd, &args, &[("TERM", "dumb")]);
        let shown = case.name.display();
        assert_eq!(
            output.status.code(),
            Some(case.status),
            "{shown}: exit status\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        support::snapshot(&case.name.with_extension("stdout"), &String::from_utf8(output.stdout).unwrap());
        support::snapshot(&case.name.with_extension("stderr"), &String::from_utf8(output.stderr).unwrap());
    }
}
