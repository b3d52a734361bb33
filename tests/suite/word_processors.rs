//! Word files as a real word processor writes them. A counterparty's edits are made in
//! `LibreOffice` through its own API with Record Changes on (`tests/support/libreoffice.py`),
//! saved as Word 2007–365 `.docx`, and imported: each must arrive as exactly that edit.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::support;

use support::{corpus, manifest, pactum_with, text};

fn pactum(dir: &Path, args: &[&str]) -> std::process::Output {
    pactum_with(dir, args, &[])
}

/// A Python that has `LibreOffice`'s bridge (`python3-uno`), and `soffice` beside it; `None`
/// where they are not installed (outside CI, which installs them).
fn uno_python() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = match std::env::var_os("PACTUM_UNO_PYTHON") {
        Some(path) => vec![PathBuf::from(path)],
        None => vec![PathBuf::from("/usr/bin/python3"), PathBuf::from("python3")],
    };
    let found = candidates
        .into_iter()
        .find(|python| Command::new(python).args(["-c", "import uno"]).output().is_ok_and(|o| o.status.success()));
    let soffice = support::tool("PACTUM_SOFFICE", "soffice");
    if found.is_none() {
        assert!(std::env::var("CI").is_err(), "CI must install python3-uno (see .ci/run)");
        eprintln!("skipped: no Python with LibreOffice's bridge (install python3-uno, or set PACTUM_UNO_PYTHON)");
    }
    found.filter(|_| soffice.is_some())
}

/// Run `LibreOffice` jobs (see `tests/support/libreoffice.py`).
fn libreoffice(python: &Path, jobs: &Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jobs.json");
    std::fs::write(&file, serde_json::to_vec(jobs).unwrap()).unwrap();
    let run = Command::new(python).arg(manifest().join("tests/support/libreoffice.py")).arg(&file).output().unwrap();
    assert!(run.status.success(), "LibreOffice failed: {}", text(&run));
}

/// A contract copied as `contract.md` into a folder of its own and exported as `contract.docx`.
fn exported(source: &Path, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let copy = dir.join("contract.md");
    std::fs::copy(source, &copy).unwrap();
    if std::fs::read_to_string(&copy).unwrap().contains("status = \"executed\"") {
        // A return is imported into a contract being negotiated.
        support::in_negotiation(&copy);
    }
    let made = pactum(dir, &["export", "contract.md", "-o", "contract.docx"]);
    assert!(made.status.success(), "{}: {}", source.display(), text(&made));
}

#[test]
fn opened_and_saved_in_libreoffice_every_contract_imports_as_no_change() {
    let Some(python) = uno_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let sources = corpus();
    assert!(sources.len() >= 100, "{}", sources.len());
    let mut jobs = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let at = dir.path().join(i.to_string());
        exported(source, &at);
        jobs.push(json!({"open": at.join("contract.docx"), "save": at.join("saved.docx")}));
    }
    libreoffice(&python, &Value::Array(jobs));
    let mut failed = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let at = dir.path().join(i.to_string());
        let before = std::fs::read(at.join("contract.md")).unwrap();
        let imported = pactum(&at, &["import", "saved.docx", "--into", "contract.md"]);
        let after = std::fs::read(at.join("contract.md")).unwrap();
        if !imported.status.success() || !text(&imported).contains("no change to contract.md") || before != after {
            failed.push(format!("{}: {}", source.display(), text(&imported)));
        }
    }
    assert!(failed.is_empty(), "{} of {} changed:\n{}", failed.len(), sources.len(), failed.join("\n"));
}

/// The contract's text with one edit made by hand, as a lawyer would make it in the Markdown.
struct Expected(String);

impl Expected {
    fn of(source: &str) -> Self {
        Self(source.to_owned())
    }

    /// `old` (which occurs exactly once) replaced by `new`.
    fn replace(mut self, old: &str, new: &str) -> Self {
        assert_eq!(self.0.matches(old).count(), 1, "{old:?} must occur once");
        self.0 = self.0.replacen(old, new, 1);
        self
    }

    /// The paragraph that holds `words` taken out, with the blank lines after it.
    fn remove_paragraph(mut self, words: &str) -> Self {
        let (start, end) = self.paragraph(words);
        self.0.replace_range(start..end, "");
        self
    }

    /// The paragraph that holds `words` moved to after the paragraph that holds `after`.
    fn move_paragraph(mut self, words: &str, after: &str) -> Self {
        let (start, end) = self.paragraph(words);
        let moved = self.0[start..end].to_owned();
        self.0.replace_range(start..end, "");
        let (_, to) = self.paragraph(after);
        self.0.insert_str(to, &moved);
        self
    }

    /// The lines of the paragraph that holds `words`, and the blank lines after it (a blank
    /// line may end in `\r\n`).
    fn paragraph(&self, words: &str) -> (usize, usize) {
        let at = self.0.find(words).unwrap_or_else(|| panic!("{words:?} is not in the contract"));
        let mut lines: Vec<(usize, &str)> = Vec::new();
        let mut start = 0;
        for line in self.0.split_inclusive('\n') {
            lines.push((start, line));
            start += line.len();
        }
        let blank = |i: usize| lines[i].1.trim().is_empty();
        let mut first = lines.iter().rposition(|(s, _)| *s <= at).unwrap();
        while first > 0 && !blank(first - 1) {
            first -= 1;
        }
        let mut last = first;
        while last < lines.len() && !blank(last) {
            last += 1;
        }
        while last < lines.len() && blank(last) {
            last += 1;
        }
        (lines[first].0, lines.get(last).map_or(self.0.len(), |(s, _)| *s))
    }
}

/// One counterparty return: the edits made in `LibreOffice`, the contract they should give,
/// and what the import should say.
struct Case {
    source: &'static str,
    steps: Value,
    expected: Box<dyn Fn(&str) -> Expected>,
    says: &'static [&'static str],
}

const MSA: &str = "example-repo/contracts/acme/msa.md";
const BONTERMS: &str = "tests/corpus/bonterms-mutual-nda/Mutual-NDA.v2-0daebed.md";
const PAPERTRAIL: &str = "tests/corpus/papertrail-nda/nda-long-corporate.md";

fn cases() -> Vec<Case> {
    vec![
        Case {
            source: MSA,
            steps: json!([{"replace": "within thirty days", "with": "within sixty days"}]),
            expected: Box::new(|s| Expected::of(s).replace("Work within thirty days", "Work within sixty days")),
            says: &["changed: clause 3.1 — Fees"],
        },
        Case {
            source: MSA,
            steps: json!([{"replace": "Sections 5, 8 and 10 survive termination. ", "with": ""}]),
            expected: Box::new(|s| Expected::of(s).replace("Sections 5, 8 and 10 survive termination. ", "")),
            says: &["changed: clause 9.4 — Effect of Termination"],
        },
        Case {
            source: MSA,
            steps: json!([{"delete": "Provider will assign suitably qualified personnel"}]),
            expected: Box::new(|s| {
                Expected::of(s)
                    .remove_paragraph("Provider will assign suitably qualified personnel")
                    .replace("2.3 **Order of Precedence.**", "2.2 **Order of Precedence.**")
            }),
            says: &["removed: clause 2.2 — Personnel", "renumbered: clause 2.3 — Order of Precedence → 2.2"],
        },
        Case {
            source: MSA,
            steps: json!([
                {"delete": "Provider will perform the Services described"},
                {"delete": "Provider will assign suitably qualified personnel"},
                {"delete": "If a Statement of Work conflicts"},
                {"delete": "Services"},
            ]),
            expected: Box::new(|s| {
                let mut e = Expected::of(s)
                    .remove_paragraph("## 2. Services")
                    .remove_paragraph("Provider will perform the Services described")
                    .remove_paragraph("Provider will assign suitably qualified personnel")
                    .remove_paragraph("If a Statement of Work conflicts");
                // Every later section moves up one.
                for n in 3..=10 {
                    e = e.replace(&format!("## {n}. "), &format!("## {}. ", n - 1));
                    for m in 1..=4 {
                        let old = format!("\n{n}.{m} ");
                        if e.0.contains(&old) {
                            e = e.replace(&old, &format!("\n{}.{m} ", n - 1));
                        }
                        let old = format!("### {n}.{m} ");
                        if e.0.contains(&old) {
                            e = e.replace(&old, &format!("### {}.{m} ", n - 1));
                        }
                    }
                }
                e
            }),
            says: &["removed: clause 2 — Services; clause 2.1 — Performance; clause 2.2 — Personnel; clause 2.3"],
        },
        Case {
            source: MSA,
            steps: json!([{
                "replace": "Fees. Customer will pay the fees set out in each Statement of Work within thirty days of receiving a correct invoice.",
                "with": "",
            }]),
            expected: Box::new(|s| Expected::of(s).remove_paragraph("3.1 **Fees.**")),
            says: &["removed: clause 3.1 — Fees (its words deleted)"],
        },
        Case {
            source: MSA,
            steps: json!([{
                "insert_after": "Provider will assign suitably qualified personnel",
                "text": "Subcontracting. Provider may subcontract only with Customer's consent.",
            }]),
            expected: Box::new(|s| {
                Expected::of(s).replace(
                    "2.3 **Order of Precedence.**",
                    "2.3 Subcontracting. Provider may subcontract only with Customer's consent.\n\n2.4 **Order of Precedence.**",
                )
            }),
            says: &["added: clause 2.3", "renumbered: clause 2.3 — Order of Precedence → 2.4"],
        },
        Case {
            source: MSA,
            steps: json!([{"move": "Neither party is liable for indirect", "after": "Each party's total liability"}]),
            expected: Box::new(|s| {
                Expected::of(s)
                    .move_paragraph("8.1 Neither party", "8.2 Each party's total liability")
                    .replace("8.2 Each party's total", "8.1 Each party's total")
                    .replace("8.1 Neither party", "8.2 Neither party")
            }),
            says: &["moved: clause 8.1 → 8.2", "renumbered: clause 8.2 → 8.1"],
        },
        // Text typed in Word that looks like Markdown stays text.
        Case {
            source: MSA,
            steps: json!([
                {"insert_after": "takes effect on 1 January 2025", "text": "## 9. Extra {#liability}"},
                {"insert_after": "## 9. Extra", "text": "---"},
            ]),
            expected: Box::new(|s| {
                Expected::of(s)
                    .replace("## 1. Definitions", "\\## 9. Extra \\{#liability}\n\n\\---\n\n## 1. Definitions")
            }),
            says: &["added: a new paragraph after the preamble"],
        },
        // The Bonterms NDA: list items whose sub-items are indented lists.
        Case {
            source: BONTERMS,
            steps: json!([
                {"delete": "Recipient’s obligations in this NDA do not apply"},
                {"move": "Confidential Information is provided without warranties", "after": "The Governing Law governs"},
            ]),
            expected: Box::new(|s| {
                let mut e = Expected::of(s)
                    .remove_paragraph("4. **Exceptions**")
                    .move_paragraph("9. **Disclaimer.", "10. **Governing Law");
                for (old, new) in [
                    ("5. **Permitted", "4. **Permitted"),
                    ("6. **Term", "5. **Term"),
                    ("7. **Return", "6. **Return"),
                    ("8. **Proprietary", "7. **Proprietary"),
                    ("10. **Governing", "8. **Governing"),
                    ("11. **Equitable", "10. **Equitable"),
                    ("12. **General", "11. **General"),
                ] {
                    e = e.replace(&format!("\n{old}"), &format!("\n{new}"));
                }
                e
            }),
            says: &["moved: clause 9 — Disclaimer → 9", "removed: clause 4 — Exceptions"],
        },
        Case {
            source: BONTERMS,
            steps: json!([{"delete": "Recipient may disclose Confidential Information to the extent required"}]),
            expected: Box::new(|s| Expected::of(s).remove_paragraph("(b) _Required by Law_")),
            says: &["removed: clause 5(b) — Required by Law"],
        },
        Case {
            source: BONTERMS,
            steps: json!([{
                "insert_after": "Recipient may disclose Confidential Information to its employees",
                "text": "Regulators. Recipient may disclose Confidential Information to a regulator.",
            }]),
            expected: Box::new(|s| {
                Expected::of(s).replace(
                    "   - (b) _Required by Law_",
                    "   - (b) Regulators. Recipient may disclose Confidential Information to a regulator.\n\n   - (c) _Required by Law_",
                )
            }),
            says: &["renumbered: clause 5(b) — Required by Law → 5(c)"],
        },
        // A long corporate NDA: numbered sections, indented sub-clauses.
        Case {
            source: PAPERTRAIL,
            steps: json!([{"delete": "is very sensitive in nature and often requires strict confidentiality"}]),
            expected: Box::new(|s| {
                Expected::of(s)
                    .remove_paragraph("is very sensitive in nature and often requires strict")
                    .replace("  1.4.  Recipient may", "  1.3.  Recipient may")
                    .replace("  1.5.  The parties", "  1.4.  The parties")
                    .replace("  1.6.  Recipient understands", "  1.5.  Recipient understands")
            }),
            says: &["removed: clause 1.3"],
        },
        // A sub-clause deleted and another inserted beside it: the clause after them, untouched,
        // keeps its indentation.
        Case {
            source: PAPERTRAIL,
            steps: json!([
                {"delete": "Recipient may disclose Confidential Information to his/her legal counsel"},
                {"insert_after": "Recipient may only disclose Confidential Information to [AKA]", "text": "Recipient may disclose Confidential Information to its auditors."},
            ]),
            expected: Box::new(|s| {
                let kept = Expected::of(s)
                    .remove_paragraph("Recipient may disclose Confidential Information to his/her legal counsel");
                let (_, end) = kept.paragraph("Recipient may only disclose Confidential Information to [AKA]");
                let mut e = kept;
                e.0.insert_str(
                    end,
                    "    4.1.4.  Recipient may disclose Confidential Information to its auditors.\r\n\r\n",
                );
                e
            }),
            says: &["added: clause 4.1.4", "removed: clause 4.1.4"],
        },
        Case {
            source: PAPERTRAIL,
            steps: json!([{"replace": "very sensitive in nature", "with": "commercially sensitive"}]),
            expected: Box::new(|s| Expected::of(s).replace("very sensitive in nature", "commercially sensitive")),
            says: &["changed: clause 1.3"],
        },
    ]
}

#[test]
fn each_counterparty_edit_made_in_libreoffice_arrives_as_exactly_that_edit() {
    let Some(python) = uno_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let cases = cases();
    let mut jobs = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let at = dir.path().join(i.to_string());
        exported(&manifest().join(case.source), &at);
        jobs.push(json!({"open": at.join("contract.docx"), "steps": case.steps, "save": at.join("return.docx")}));
    }
    libreoffice(&python, &Value::Array(jobs));
    for (i, case) in cases.iter().enumerate() {
        let at = dir.path().join(i.to_string());
        let before = std::fs::read_to_string(at.join("contract.md")).unwrap();
        let imported = pactum(&at, &["import", "return.docx", "--into", "contract.md"]);
        let said = text(&imported);
        assert!(imported.status.success(), "{} {}: {said}", case.source, case.steps);
        let after = std::fs::read_to_string(at.join("contract.md")).unwrap();
        let expected = (case.expected)(&before).0;
        assert!(
            after == expected,
            "{} {}: the import is not exactly the edit:\n{}\n{said}",
            case.source,
            case.steps,
            line_diff(&expected, &after)
        );
        for line in case.says {
            assert!(said.contains(line), "{} {}: {line:?} not said:\n{said}", case.source, case.steps);
        }
    }
}

/// The lines that differ, for a failure message.
fn line_diff(expected: &str, actual: &str) -> String {
    let diff = similar::TextDiff::from_lines(expected, actual);
    diff.unified_diff().context_radius(1).header("expected", "imported").to_string()
}

/// Every paragraph as `LibreOffice` shows it: its list label and its words.
fn shown(path: &Path) -> Vec<(String, String)> {
    let read: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    read.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let words = p["text"].as_str().unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
            (p["label"].as_str().unwrap_or_default().to_owned(), words)
        })
        .filter(|(label, words)| !label.is_empty() || !words.is_empty())
        .collect()
}

#[test]
fn accept_all_and_reject_all_of_a_redline_saved_by_libreoffice_give_the_head_and_the_base() {
    let Some(python) = uno_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let corpus = manifest().join("tests/corpus");
    let msa = std::fs::read_to_string(manifest().join(MSA)).unwrap();
    let variant = |name: &str, edits: &[(&str, &str)]| {
        let mut text = msa.clone();
        for (old, new) in edits {
            assert_eq!(text.matches(old).count(), 1, "{old:?}");
            text = text.replacen(old, new, 1);
        }
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let pairs = [
        (
            corpus.join("bonterms-mutual-nda/Mutual-NDA.v1-82cf9dc.md"),
            corpus.join("bonterms-mutual-nda/Mutual-NDA.v2-0daebed.md"),
        ),
        (
            corpus.join("commonpaper-mutual-nda/Mutual-NDA.v0-335270c.md"),
            corpus.join("commonpaper-mutual-nda/Mutual-NDA.v1-f90b8ac.md"),
        ),
        (
            corpus.join("github-balanced-employee-ip/Balanced_Employee_IP_Agreement.v1.0.1.md"),
            corpus.join("github-balanced-employee-ip/Balanced_Employee_IP_Agreement.v2.0.0.md"),
        ),
        (
            corpus.join("github-site-policy/amendment-us-federal-government-users.v04c8757.md"),
            corpus.join("github-site-policy/amendment-us-federal-government-users.v3c81029.md"),
        ),
        (manifest().join("tests/fixtures/diff/review/old.md"), manifest().join("tests/fixtures/diff/review/new.md")),
        // A clause deleted, and the rest of its section renumbered.
        (
            manifest().join(MSA),
            variant(
                "deleted.md",
                &[
                    (
                        "2.2 **Personnel.** Provider will assign suitably qualified personnel and remains responsible\nfor its subcontractors.\n\n",
                        "",
                    ),
                    ("2.3 **Order of", "2.2 **Order of"),
                ],
            ),
        ),
        // Words added at the end of a clause, and a new clause after it.
        (
            manifest().join(MSA),
            variant(
                "appended.md",
                &[
                    (
                        "in accordance with this Agreement.\n\n2.2 **Personnel.**",
                        "in accordance with this Agreement and the law.\n\n2.2 **Subcontracting.** Provider may subcontract.\n\n2.3 **Personnel.**",
                    ),
                    ("2.3 **Order of", "2.4 **Order of"),
                ],
            ),
        ),
        // A section numbered apart (Word restarts its list there), deleted: its paragraphs
        // keep the base's Word numbering, not a number typed in its place.
        (
            variant(
                "apart.md",
                &[
                    ("## 10. General", "## 12. General"),
                    ("\n10.1 ", "\n12.1 "),
                    ("\n10.2 ", "\n12.2 "),
                    ("\n10.3 ", "\n12.3 "),
                ],
            ),
            {
                let path = dir.path().join("apart-deleted.md");
                std::fs::write(&path, format!("{}\n", msa[..msa.find("## 10. General").unwrap()].trim_end())).unwrap();
                path
            },
        ),
    ];
    let mut jobs = Vec::new();
    for (i, (old, new)) in pairs.iter().enumerate() {
        let at = |name: &str| dir.path().join(format!("{i}-{name}"));
        for (source, name) in [(old, "base.docx"), (new, "head.docx")] {
            let made = pactum(dir.path(), &["export", source.to_str().unwrap(), "-o", at(name).to_str().unwrap()]);
            assert!(made.status.success(), "{}", text(&made));
        }
        let made = pactum(
            dir.path(),
            &[
                "diff",
                "--files",
                old.to_str().unwrap(),
                new.to_str().unwrap(),
                "--format",
                "docx",
                "-o",
                at("redline.docx").to_str().unwrap(),
            ],
        );
        assert!(made.status.success(), "{}", text(&made));
        // The redline as a reviewer keeps it: opened in LibreOffice and saved, then every
        // change accepted, or every change rejected.
        jobs.extend([
            json!({"open": at("base.docx"), "read": at("base.json")}),
            json!({"open": at("head.docx"), "read": at("head.json")}),
            json!({"open": at("redline.docx"), "save": at("saved.docx")}),
            json!({"open": at("saved.docx"), "steps": [{"accept_all": true}], "read": at("accepted.json")}),
            json!({"open": at("saved.docx"), "steps": [{"reject_all": true}], "read": at("rejected.json")}),
        ]);
    }
    libreoffice(&python, &Value::Array(jobs));
    for (i, (_, new)) in pairs.iter().enumerate() {
        let at = |name: &str| dir.path().join(format!("{i}-{name}"));
        let redline = std::fs::read(at("redline.docx")).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(redline)).unwrap();
        let mut document = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut document).unwrap();
        // LibreOffice does not restore a paragraph's properties when it rejects a tracked
        // property change (Word does, as the standard says): where the redline holds one, the
        // base's numbering is checked by words only.
        let numbering_tracked = document.contains("<w:pPrChange");
        for (side, want) in [("accepted", "head"), ("rejected", "base")] {
            let (got, want) = (shown(&at(&format!("{side}.json"))), shown(&at(&format!("{want}.json"))));
            let strip = |p: &[(String, String)]| p.iter().map(|(_, w)| w.clone()).collect::<Vec<_>>();
            if side == "rejected" && numbering_tracked {
                assert_eq!(strip(&got), strip(&want), "{}: the redline {side}", new.display());
            } else {
                assert_eq!(got, want, "{}: the redline {side}", new.display());
            }
        }
    }
}

#[test]
fn a_comment_made_in_libreoffice_quotes_its_words_where_the_return_numbers_them_as_text() {
    let Some(python) = uno_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    exported(&manifest().join(MSA), dir.path());
    let steps = json!([
        {"insert_after": "Provider will assign suitably qualified personnel", "text": "Subcontracting. Provider may subcontract."},
        {"comment": "expressly amends a named Section", "text": "Why <b>named</b>? @legal-team ![x](https://x.example/p.png) ```rm```", "author": "Dana <Counsel>"},
    ]);
    libreoffice(
        &python,
        &json!([{"open": dir.path().join("contract.docx"), "steps": steps, "save": dir.path().join("return.docx")}]),
    );
    let imported = pactum(dir.path(), &["import", "return.docx", "--into", "contract.md", "--comments", "review.md"]);
    assert!(imported.status.success(), "{}", text(&imported));
    let review = std::fs::read_to_string(dir.path().join("review.md")).unwrap();
    // Named as the return numbers it, with the number it had.
    assert!(review.contains("## Clause 2.4 — Order of Precedence (2.3 before this return)"), "{review}");
    // The words commented on, not the whole clause.
    assert!(review.contains("\n> expressly amends a named Section\n"), "{review}");
    // Nothing of the comment is markup: no HTML, no image, no code, no mention.
    let comments = &review[review.find("\n## ").unwrap()..];
    let parsed = pulldown_cmark::Parser::new(comments);
    for event in parsed {
        assert!(
            !matches!(
                event,
                pulldown_cmark::Event::Html(_)
                    | pulldown_cmark::Event::InlineHtml(_)
                    | pulldown_cmark::Event::Code(_)
                    | pulldown_cmark::Event::Start(
                        pulldown_cmark::Tag::Image { .. } | pulldown_cmark::Tag::CodeBlock(_)
                    )
            ),
            "{event:?} in {review}"
        );
    }
    assert!(!review.contains("@legal-team"), "a mention would notify: {review}");
    // LibreOffice wrote no date for the comment: none is printed, rather than "0-00-00".
    assert!(!review.contains("(0"), "{review}");
}

/// Every clause of a contract, its number as the reader gives it (the last part, without a
/// trailing dot), in order.
fn clause_numbers(dir: &Path, contract: &str) -> Vec<String> {
    fn flat(clauses: &Value, out: &mut Vec<String>) {
        for clause in clauses.as_array().into_iter().flatten() {
            if let Some(number) = clause["number"].as_str() {
                out.push(number.rsplit(" › ").next().unwrap_or(number).trim_end_matches('.').to_owned());
            }
            flat(&clause["children"], out);
        }
    }
    let inspected = pactum(dir, &["inspect", contract, "--format", "json"]);
    assert!(inspected.status.success(), "{}", text(&inspected));
    let report: Value = serde_json::from_slice(&inspected.stdout).unwrap();
    let mut out = Vec::new();
    flat(&report["clauses"], &mut out);
    out
}

#[test]
fn word_agreements_written_by_others_are_adopted_with_the_numbers_libreoffice_shows() {
    let Some(python) = uno_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut sources: Vec<PathBuf> = std::fs::read_dir(manifest().join("tests/corpus/word"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    sources.sort();
    assert!(sources.len() >= 3);
    let jobs: Vec<Value> = sources
        .iter()
        .enumerate()
        .map(|(i, source)| json!({"open": source, "read": dir.path().join(format!("{i}.json"))}))
        .collect();
    libreoffice(&python, &Value::Array(jobs));
    for (i, source) in sources.iter().enumerate() {
        let labels: Vec<String> = shown(&dir.path().join(format!("{i}.json")))
            .into_iter()
            .map(|(label, _)| {
                label.trim_matches(|c: char| c.is_whitespace() || c == '\u{200b}').trim_end_matches('.').to_owned()
            })
            .filter(|label| !label.is_empty())
            .collect();
        assert!(labels.len() >= 50, "{}: {labels:?}", source.display());
        let contract = format!("adopted-{i}.md");
        let adopted = pactum(dir.path(), &["import", source.to_str().unwrap(), "--new", &contract]);
        assert!(adopted.status.success(), "{}: {}", source.display(), text(&adopted));
        // Every number LibreOffice shows is a clause of the adopted contract, in the same order.
        let numbers = clause_numbers(dir.path(), &contract);
        let mut rest = numbers.iter();
        for label in &labels {
            assert!(
                rest.any(|n| n == label),
                "{}: clause {label} (as LibreOffice numbers it) is not read in its place; the reader has {numbers:?}",
                source.display()
            );
        }
        // What the document does not state is left to a person, never made up; nothing else is
        // an error.
        let checked = pactum(dir.path(), &["check", &contract, "--format", "json"]);
        let report: Value = serde_json::from_slice(&checked.stdout).unwrap();
        let errors: Vec<&str> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error" && d["code"] != "schema/required")
            .filter_map(|d| d["message"].as_str())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", source.display());
    }
}
