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
