//! Obligation performance: `pactum perform` records an occurrence met beside the contract,
//! `check` validates the records, and `report` counts obligations met on time, late, missed
//! and open.

use std::path::Path;

use crate::support;
use support::git::{ADMIN, ALICE, Script};
use support::{manifest, text};

fn pactum(dir: &Path, args: &[&str]) -> std::process::Output {
    support::pactum_with(dir, args, &[])
}

const MSA: &str = "contracts/acme/msa.md";
const RECORDS: &str = "contracts/acme/msa.performance.toml";

/// The example repository in a real Git repository, its record starting `since`.
fn example(since: &str) -> Script {
    let mut script = Script::new();
    support::copy_dir(&manifest().join("example-repo"), script.root());
    let config = std::fs::read_to_string(script.root().join("pactum.toml")).unwrap();
    let config = config.replace("since = \"2026-12-07\"", &format!("since = \"{since}\""));
    std::fs::write(script.root().join("pactum.toml"), config).unwrap();
    script.git(&ADMIN, &ADMIN, &["add", "-A"]);
    script.commit(&ALICE, &ALICE, "The example contracts");
    script
}

fn reported(root: &Path, as_of: &str) -> serde_json::Value {
    let output = pactum(root, &["--as-of", as_of, "report", "--no-history", "--format", "json"]);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", text(&output)))
}

#[test]
fn an_obligation_met_on_time_late_and_missed_shows_in_the_report() {
    let script = example("2026-09-01");
    let root = script.root().to_path_buf();
    let sealed = std::fs::read_to_string(root.join(MSA)).unwrap();
    // The monthly uptime report: due Sep 30 (met on time), Oct 31 (met late), Nov 30 (missed),
    // as of Dec 7; Dec 31, Jan 31 and Feb 28 are open (the reminders' window is 90 days).
    let on_time = pactum(
        &root,
        &[
            "perform",
            MSA,
            "uptime-report",
            "--due",
            "2026-09-30",
            "--on",
            "2026-09-29",
            "--by",
            "@ops/bob",
            "--evidence",
            "https://tracker.example/acme/9",
        ],
    );
    assert!(on_time.status.success(), "{}", text(&on_time));
    let late = pactum(&root, &["--as-of", "2026-11-03", "perform", MSA, "uptime-report"]);
    assert!(text(&late).contains("due 2026-10-31 as met on 2026-11-03, 3 days late"), "{}", text(&late));
    assert_eq!(std::fs::read_to_string(root.join(MSA)).unwrap(), sealed, "the sealed contract is never touched");
    let checked = pactum(&root, &["--as-of", "2026-12-07", "check"]);
    assert!(checked.status.success() && text(&checked).contains("0 errors, 0 warnings"), "{}", text(&checked));
    let report = reported(&root, "2026-12-07");
    let msa = report["rows"].as_array().unwrap().iter().find(|r| r["path"] == MSA).unwrap();
    assert_eq!(msa["compliance"], serde_json::json!({ "met_on_time": 1, "met_late": 1, "missed": 1, "open": 3 }));
    let bob = &report["compliance"]["by_owner"]["@ops/bob"];
    assert_eq!(bob["met_on_time"], 1, "the obligation's owner: {bob}");
    assert!(report["compliance"]["by_counterparty"]["Acme Inc."]["missed"].as_u64().unwrap() >= 1);
    let human = text(&pactum(&root, &["--as-of", "2026-12-07", "report", "--no-history"]));
    assert!(human.contains("Obligations performed") && human.contains("@ops/bob"), "{human}");
    // Before the record starts nothing is missed: occurrences then were never recorded here.
    let earlier = reported(&root, "2026-09-15");
    let msa = earlier["rows"].as_array().unwrap().iter().find(|r| r["path"] == MSA).unwrap();
    assert_eq!(msa["compliance"]["missed"], 0, "{msa}");
}

#[test]
fn records_that_cannot_be_true_are_errors_and_doubtful_ones_warnings() {
    let script = example("2026-09-01");
    let root = script.root().to_path_buf();
    // Refused by `perform`, the file left as it was (none).
    let unknown = pactum(&root, &["perform", MSA, "uptime"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown).contains("has no obligation `uptime`") && text(&unknown).contains("uptime-report"));
    let not_due = pactum(&root, &["perform", MSA, "uptime-report", "--due", "2026-10-30"]);
    assert!(
        text(&not_due).contains("not due on 2026-10-30") && text(&not_due).contains("2026-10-31"),
        "{}",
        text(&not_due)
    );
    assert!(!root.join(RECORDS).exists());
    assert!(
        pactum(&root, &["perform", MSA, "uptime-report", "--due", "2026-10-31", "--on", "2026-10-30"]).status.success()
    );
    let twice = pactum(&root, &["perform", MSA, "uptime-report", "--due", "2026-10-31", "--on", "2026-11-01"]);
    assert!(text(&twice).contains("recorded already"), "{}", text(&twice));
    let written = std::fs::read_to_string(root.join(RECORDS)).unwrap();
    // Edited by hand: an obligation the contract lacks is an error; a day not due, a warning.
    let finding = |extra: &str| {
        std::fs::write(root.join(RECORDS), format!("{written}\n{extra}")).unwrap();
        let output = pactum(&root, &["--as-of", "2026-12-07", "check", "--format", "json"]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let found: Vec<(String, String, String)> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"] == RECORDS)
            .map(|d| {
                let field = |k: &str| d[k].as_str().unwrap().to_owned();
                (field("code"), field("severity"), field("message"))
            })
            .collect();
        (output.status.code(), found)
    };
    let (code, found) = finding("[[performed]]\nobligation = \"uptime\"\ndue = 2026-10-31\non = 2026-10-30\n");
    assert_eq!(code, Some(1));
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("performance/invalid", "error"), "{found:?}");
    // Named, as a pull request's check names what it changed: read as a performance file, not
    // as a contract.
    let named = pactum(&root, &["--as-of", "2026-12-07", "check", RECORDS, "--format", "json"]);
    let named: serde_json::Value = serde_json::from_slice(&named.stdout).unwrap();
    let codes: Vec<&str> =
        named["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["performance/invalid"], "{named}");
    // The same for the repository's other files a pull request may name: none is a contract.
    for other in ["pactum.toml", "CODEOWNERS"] {
        let named = pactum(&root, &["--as-of", "2026-12-07", "check", other, "--format", "json"]);
        let report: serde_json::Value = serde_json::from_slice(&named.stdout).unwrap();
        assert_eq!(report["diagnostics"], serde_json::json!([]), "{other}: {report}");
        assert!(named.status.success(), "{other}: {}", text(&named));
    }
    let (code, found) = finding("[[performed]]\nobligation = \"uptime-report\"\ndue = 2026-11-29\non = 2026-11-29\n");
    assert_eq!(code, Some(0));
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("performance/unmatched", "warning"), "{found:?}");
    assert!(found[0].2.contains("not due on 2026-11-29"), "{found:?}");
    let (code, found) =
        finding("[[performed]]\nobligation = \"uptime-report\"\ndue = \"2026-11-30\"\non = 2026-11-29\n");
    assert_eq!(code, Some(1));
    assert!(found[0].2.contains("TOML date"), "{found:?}");
    // A performance file whose contract is gone.
    std::fs::write(root.join(RECORDS), &written).unwrap();
    std::fs::rename(root.join(RECORDS), root.join("contracts/acme/old.performance.toml")).unwrap();
    let checked = text(&pactum(&root, &["check"]));
    assert!(checked.contains("no contract contracts/acme/old.md beside it"), "{checked}");
}
