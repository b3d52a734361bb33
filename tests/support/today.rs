//! Running pactum on a fixed day, for tests whose findings depend on the date.

use std::path::Path;
use std::process::Output;

/// The day every test in this family runs on.
pub const TODAY: &str = "2026-11-27";

/// A signature for the counterparty, as `pactum execute --signature` takes it.
pub const SIGN_ACME: &str = "party=\"Acme, Inc.\",name=Jane Doe,title=CEO,date=2026-11-26";
/// A signature for our side.
pub const SIGN_US: &str = "party=Our Company AS,name=Ola Nordmann,title=Managing Director,date=2026-11-26";

/// Run pactum in `root` as of [`TODAY`].
pub fn pactum(root: &Path, args: &[&str]) -> Output {
    super::pactum_with(root, &[args, &["--as-of", TODAY]].concat(), &[])
}

/// Run pactum in `root` as of [`TODAY`], insist that it succeeds, and return what it said.
pub fn ok(root: &Path, args: &[&str]) -> String {
    let output = pactum(root, args);
    assert!(output.status.success(), "pactum {args:?}: {}", super::text(&output));
    super::text(&output)
}

/// `pactum check --format json` in `root` as of [`TODAY`], with `args` after: its exit code and
/// its findings.
pub fn check_json(root: &Path, args: &[&str]) -> (Option<i32>, Vec<serde_json::Value>) {
    let output = pactum(root, &[&["check", "--format", "json"][..], args].concat());
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", super::text(&output)));
    (output.status.code(), report["diagnostics"].as_array().unwrap().clone())
}
