//! The graded documents in `tests/corpus/graded/`: published agreements from publishers and
//! styles the reader was not written against, each with the clause tree a lawyer reads in it,
//! written by hand (`truth.json`), and real revision pairs with the clauses that changed.
//!
//! The reader is held to that truth: every numbered clause at its number, every heading, no
//! error-level finding but the one true reference bug, and every revision pair's changed
//! clauses exactly. The per-document table is printed (`cargo test --test suite graded:: -- --nocapture`).

use crate::reading;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use pactum_core::contract::Contract;
use pactum_core::diff::{ClauseChange, DiffOptions};
use serde_json::Value;

const SETS: [&str; 3] = ["set-a", "set-b", "set-c"];

fn graded() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/graded")
}

fn truth(set: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(graded().join(set).join("truth.json")).unwrap()).unwrap()
}

fn read(path: &Path) -> Contract {
    let text = std::fs::read_to_string(path).unwrap();
    reading::read_text(&path.to_string_lossy(), &text)
}

/// Headings compared as a reader compares them: case, spacing and closing punctuation aside.
fn heading_key(heading: &str) -> String {
    heading.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches(['.', ':']).to_lowercase()
}

/// What the reader got wrong in one document: numbers not found, headings not read.
struct Score {
    numbers: (usize, usize),
    headings: (usize, usize),
    misses: Vec<String>,
}

fn score(contract: &Contract, expected: &[Value]) -> Score {
    let clauses = &contract.body.clauses;
    let mut by_number: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, clause) in clauses.iter().enumerate() {
        by_number.entry(clause.number.as_str()).or_default().push(index);
    }
    let mut used: HashMap<&str, usize> = HashMap::new();
    let mut out = Score { numbers: (0, 0), headings: (0, 0), misses: Vec::new() };
    for entry in expected {
        let number = entry["number"].as_str();
        let heading = entry["heading"].as_str().filter(|h| !h.is_empty());
        let candidates: Vec<usize> = match number {
            Some(number) => {
                out.numbers.1 += 1;
                let found = by_number.get(number).map_or(&[][..], Vec::as_slice);
                let taken = used.entry(number).or_default();
                if *taken < found.len() {
                    *taken += 1;
                    out.numbers.0 += 1;
                } else {
                    out.misses.push(format!("number {number}"));
                }
                found.to_vec()
            }
            // A section the document names by its heading alone: found by that heading.
            None => (0..clauses.len()).filter(|&c| clauses[c].number.is_empty()).collect(),
        };
        if let Some(heading) = heading {
            out.headings.1 += 1;
            let read = candidates
                .iter()
                .any(|&c| clauses[c].heading.as_deref().map(heading_key) == Some(heading_key(heading)));
            if read {
                out.headings.0 += 1;
            } else {
                out.misses.push(format!("heading {} {heading:?}", number.unwrap_or("(unnumbered)")));
            }
        }
    }
    out
}

#[test]
fn every_graded_document_reads_as_a_lawyer_reads_it() {
    let mut table = vec!["| document | numbers | headings |".to_owned(), "|---|---|---|".to_owned()];
    let mut failures = Vec::new();
    let (mut numbers, mut headings) = ((0, 0), (0, 0));
    for set in SETS {
        let truth = truth(set);
        for (name, expected) in truth["docs"].as_object().unwrap() {
            let contract = read(&graded().join(set).join("docs").join(format!("{name}.md")));
            let score = score(&contract, expected.as_array().unwrap());
            table.push(format!(
                "| {name} | {}/{} | {}/{} |",
                score.numbers.0, score.numbers.1, score.headings.0, score.headings.1
            ));
            numbers = (numbers.0 + score.numbers.0, numbers.1 + score.numbers.1);
            headings = (headings.0 + score.headings.0, headings.1 + score.headings.1);
            failures.extend(score.misses.into_iter().map(|miss| format!("{name}: {miss}")));
        }
    }
    table.push(format!("| all | {}/{} | {}/{} |", numbers.0, numbers.1, headings.0, headings.1));
    println!("{}", table.join("\n"));
    assert_eq!(failures, Vec::<String>::new());
}

/// The clause numbers a revision changed, as the truth lists them: words changed, added or
/// removed, on the new side's numbering (the old side's for a removal). A clause only renumbered
/// by an insertion above it is no change; a lettered item's change counts for the clause the
/// truth names when the truth does not list lettered items.
///
/// A restructure, where the truth lists (nearly) every clause as changed, asks only that every
/// clause be reported: there a clause renumbered counts as reported.
fn changed(old: &Contract, new: &Contract, listed: &BTreeSet<String>) -> BTreeSet<String> {
    let diff = pactum_core::diff::diff(Some(old), Some(new), &DiffOptions::default());
    let restructure = listed.len() * 10 >= new.body.clauses.len() * 9;
    let mut out = BTreeSet::new();
    for clause in &diff.clauses {
        if clause.change == ClauseChange::Renumbered && !restructure {
            continue;
        }
        // A restructure's truth lists the clauses of both versions.
        let sides = if restructure {
            vec![clause.old.as_ref(), clause.new.as_ref()]
        } else {
            vec![clause.new.as_ref().or(clause.old.as_ref())]
        };
        for side in sides.into_iter().flatten() {
            // A section named by its heading alone is listed by its heading.
            match (&side.unit, side.number.is_empty(), &side.heading) {
                (None, false, _) => {
                    out.insert(listed_number(&side.number, listed));
                }
                (None, true, Some(heading)) => {
                    out.insert(heading.clone());
                }
                _ => {}
            }
        }
    }
    out
}

/// A lettered item's number as the truth lists it: its own where the truth numbers lettered
/// items, else its clause's.
fn listed_number(number: &str, listed: &BTreeSet<String>) -> String {
    let mut number = number.to_owned();
    while !listed.contains(&number) && number.ends_with(')') {
        match number.rfind('(') {
            Some(open) => number.truncate(open),
            None => break,
        }
    }
    number
}

#[test]
fn every_graded_revision_pair_reports_exactly_its_changed_clauses() {
    let mut failures = Vec::new();
    for set in SETS {
        let truth = truth(set);
        for pair in truth["diffs"].as_array().unwrap() {
            let (old, new) = match set {
                "set-a" => (
                    graded().join(set).join("docs").join(format!("{}.md", pair["old"].as_str().unwrap())),
                    graded().join(set).join("docs").join(format!("{}.md", pair["new"].as_str().unwrap())),
                ),
                _ => (
                    graded().join(set).join(pair["old"].as_str().unwrap()),
                    graded().join(set).join(pair["new"].as_str().unwrap()),
                ),
            };
            let expected: BTreeSet<String> =
                pair["changed"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_owned()).collect();
            let (old, new) = (read(&old), read(&new));
            let got = changed(&old, &new, &expected);
            let name = pair.get("pair").or(pair.get("new")).and_then(Value::as_str).unwrap_or_default();
            if got != expected {
                failures.push(format!(
                    "{name}: missing {:?}, extra {:?}",
                    expected.difference(&got).collect::<Vec<_>>(),
                    got.difference(&expected).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert_eq!(failures, Vec::<String>::new());
}

/// Every error-level drafting finding on a graded document, `document: code: message`.
fn errors(path: &Path) -> Vec<(String, String, String)> {
    let contract = read(path);
    reading::findings(&contract)
        .into_iter()
        .filter(|f| f.severity == pactum_core::findings::Severity::Error)
        .map(|f| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, f.code.to_string(), f.message)
        })
        .collect()
}

#[test]
fn no_graded_document_gets_a_false_error() {
    let mut found = Vec::new();
    for set in SETS {
        for folder in [graded().join(set).join("docs"), graded().join(set).join("docs/diff")] {
            let Ok(entries) = std::fs::read_dir(&folder) else { continue };
            let mut paths: Vec<PathBuf> =
                entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "md")).collect();
            paths.sort();
            for path in paths {
                found.extend(errors(&path));
            }
        }
    }
    // The true findings: Common Paper's CSA shipped with "Section 12 (Confidentiality)" in 8.4
    // while clause 12 is General Terms (csa-refbug, and csa-2.0, the same published text).
    let set_a = truth("set-a");
    let true_findings: Vec<(&str, &str)> = set_a["lint"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["expected"] == true)
        .map(|l| (l["doc"].as_str().unwrap(), l["code"].as_str().unwrap()))
        .collect();
    for (doc, code) in &true_findings {
        assert!(
            found.iter().any(|(d, c, _)| d == doc && c == code),
            "the true finding {code} in {doc} is no longer found"
        );
    }
    let false_findings: Vec<String> = found
        .into_iter()
        .filter(|(d, c, _)| !true_findings.iter().any(|(doc, code)| d == doc && c == code))
        .map(|(d, c, m)| format!("{d}: {c}: {m}"))
        .collect();
    assert_eq!(false_findings, Vec::<String>::new());
}
