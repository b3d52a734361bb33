//! Hostile values in outputs: text from contracts that would act as a formula, break a
//! document's syntax or control a terminal where pactum prints it. Each test feeds the value
//! and asserts that it arrives as text.

mod support;

use std::path::Path;
use std::process::Output;

use support::git::{ALICE, Script};
use support::text;

fn pactum(root: &Path, args: &[&str]) -> Output {
    support::pactum_with(root, &[args, &["--as-of", "2026-11-27"]].concat(), &[])
}

fn repository(title: &str) -> Script {
    let mut s = Script::new();
    let output = pactum(s.root(), &["init"]);
    assert!(output.status.success(), "{}", text(&output));
    let output = pactum(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    assert!(output.status.success(), "{}", text(&output));
    let path = s.root().join("contracts/acme-nda.md");
    let drafted = std::fs::read_to_string(&path).unwrap();
    let line = drafted.lines().find(|l| l.starts_with("title = ")).unwrap().to_owned();
    std::fs::write(&path, drafted.replace(&line, &format!("title = {}", toml::Value::String(title.to_owned()))))
        .unwrap();
    s.commit(&ALICE, &ALICE, "Drafted");
    s
}

/// `report --format csv` writes `=HYPERLINK(…)` and `+cmd|…` as text, not formulas.
#[test]
fn csv_cells_are_never_formulas() {
    for title in ["=HYPERLINK(\"http://x.test\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\tleading tab"] {
        let s = repository(title);
        let output = pactum(s.root(), &["report", "--format", "csv"]);
        assert!(output.status.success(), "{}", text(&output));
        let csv = String::from_utf8(output.stdout).unwrap();
        let row = csv.lines().find(|l| l.starts_with("acme-nda")).unwrap();
        let cell = row.split(',').nth(1).unwrap();
        assert!(cell.trim_start_matches('"').starts_with('\''), "{title}: {row}");
    }
}

/// `JUnit` XML stays well-formed whatever a title holds.
#[test]
fn junit_is_well_formed_with_any_character() {
    let s = repository("Agreement \u{fffe}\u{ffff} <&> \u{1}");
    let path = s.root().join("contracts/acme-nda.md");
    let text = std::fs::read_to_string(&path).unwrap();
    // A finding whose message quotes the title's characters: an unused defined term named so.
    std::fs::write(&path, format!("{text}\nThe (\"Term \u{fffe}\u{ffff}\") is never used.\n")).unwrap();
    let output = pactum(s.root(), &["check", "--format", "junit"]);
    let xml = String::from_utf8(output.stdout).unwrap();
    assert!(!xml.contains('\u{fffe}') && !xml.contains('\u{ffff}'), "{xml}");
    assert!(xml.contains("\u{fffd}"), "{xml}");
}
