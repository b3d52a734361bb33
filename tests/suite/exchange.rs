//! The Word round trip: `pactum export` to a `.docx`, a counterparty's tracked changes and
//! comments written into it as Word writes them, `pactum import` back; the redline as tracked
//! changes. Word files are checked by readers that are not pactum's: pandoc and `LibreOffice`.

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support;

use support::git::{ADMIN, ALICE, Script};
use support::{clause_changes, corpus, manifest, pactum_with, t, text, tool};

fn pactum(dir: &Path, args: &[&str]) -> std::process::Output {
    pactum_with(dir, args, &[])
}

/// The parts of a Word package.
fn parts(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        out.insert(file.name().unwrap().to_string(), text);
    }
    out
}

fn package(parts: &BTreeMap<String, String>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A counterparty editing in Word with Track Changes on: the XML Word writes for each edit.
struct Counterparty {
    parts: BTreeMap<String, String>,
    next: u32,
    comments: Vec<(u32, String)>,
}

const WHO: &str = r#"w:author="Dana Counsel" w:date="2026-11-20T09:30:00Z""#;

impl Counterparty {
    fn open(path: &Path) -> Self {
        Self { parts: parts(&std::fs::read(path).unwrap()), next: 900, comments: Vec::new() }
    }

    fn id(&mut self) -> u32 {
        self.next += 1;
        self.next
    }

    fn document(&mut self) -> &mut String {
        self.parts.get_mut("word/document.xml").unwrap()
    }

    /// The paragraph (`<w:p>…</w:p>`) whose text holds `words`.
    fn paragraph(&mut self, words: &str) -> std::ops::Range<usize> {
        let xml = self.document();
        let at = xml.find(words).unwrap_or_else(|| panic!("{words:?} is not in the document"));
        let start = xml[..at].rfind("<w:p>").unwrap();
        let end = at + xml[at..].find("</w:p>").unwrap() + "</w:p>".len();
        start..end
    }

    /// Strike `words` (inside one run of plain text).
    fn delete(&mut self, words: &str) {
        let id = self.id();
        let tracked = format!(
            r#"</w:t></w:r><w:del w:id="{id}" {WHO}><w:r><w:delText xml:space="preserve">{words}</w:delText></w:r></w:del><w:r><w:t xml:space="preserve">"#
        );
        let xml = self.document();
        assert_eq!(xml.matches(words).count(), 1, "{words:?}");
        *xml = xml.replacen(words, &tracked, 1);
    }

    /// Strike `old`, where it first follows `context`, and type `new` in its place.
    fn replace(&mut self, context: &str, old: &str, new: &str) {
        let (a, b) = (self.id(), self.id());
        let tracked = format!(
            r#"</w:t></w:r><w:del w:id="{a}" {WHO}><w:r><w:delText xml:space="preserve">{old}</w:delText></w:r></w:del><w:ins w:id="{b}" {WHO}><w:r><w:t xml:space="preserve">{new}</w:t></w:r></w:ins><w:r><w:t xml:space="preserve">"#
        );
        let xml = self.document();
        let after = xml.find(context).unwrap_or_else(|| panic!("{context:?}"));
        let at = after + xml[after..].find(old).unwrap();
        xml.replace_range(at..at + old.len(), &tracked);
    }

    /// Press Enter at the end of the paragraph holding `after` and type a new paragraph: Word
    /// copies the paragraph's properties (its numbering) and marks the new text inserted.
    fn insert_after(&mut self, after: &str, words: &str) {
        let range = self.paragraph(after);
        let (mark, run) = (self.id(), self.id());
        let xml = self.document();
        let paragraph = &xml[range.clone()];
        let properties = &paragraph[..paragraph.find("</w:pPr>").unwrap()];
        let new = format!(
            r#"{properties}<w:rPr><w:ins w:id="{mark}" {WHO}/></w:rPr></w:pPr><w:ins w:id="{run}" {WHO}><w:r><w:t xml:space="preserve">{words}</w:t></w:r></w:ins></w:p>"#
        );
        xml.insert_str(range.end, &new);
    }

    /// A comment on the paragraph holding `words`.
    fn comment(&mut self, words: &str, comment: &str) {
        let range = self.paragraph(words);
        let id = self.id();
        let xml = self.document();
        let paragraph = xml[range.clone()].to_owned();
        let open = paragraph.find("</w:pPr>").unwrap() + "</w:pPr>".len();
        let commented = format!(
            r#"{}<w:commentRangeStart w:id="{id}"/>{}<w:commentRangeEnd w:id="{id}"/><w:r><w:commentReference w:id="{id}"/></w:r></w:p>"#,
            &paragraph[..open],
            &paragraph[open..paragraph.len() - "</w:p>".len()]
        );
        xml.replace_range(range, &commented);
        self.comments.push((id, comment.to_owned()));
    }

    fn save(mut self, path: &Path) {
        if !self.comments.is_empty() {
            let mut xml = String::from(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
            );
            for (id, text) in &self.comments {
                xml.push_str(&format!(
                    r#"<w:comment w:id="{id}" {WHO} w:initials="DC"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:comment>"#
                ));
            }
            xml.push_str("</w:comments>");
            self.parts.insert("word/comments.xml".into(), xml);
            let rels = self.parts.get_mut("word/_rels/document.xml.rels").unwrap();
            *rels = rels.replace(
                "</Relationships>",
                r#"<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>"#,
            );
            let types = self.parts.get_mut("[Content_Types].xml").unwrap();
            *types = types.replace(
                "</Types>",
                r#"<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>"#,
            );
        }
        std::fs::write(path, package(&self.parts)).unwrap();
    }
}

#[test]
fn an_unmodified_export_imports_as_no_change_for_every_contract() {
    let dir = tempfile::tempdir().unwrap();
    for source in corpus() {
        let copy = dir.path().join("contract.md");
        std::fs::copy(&source, &copy).unwrap();
        let exported = pactum(dir.path(), &["export", "contract.md", "-o", "contract.docx"]);
        assert!(exported.status.success(), "{}: {}", source.display(), text(&exported));
        let imported = pactum(dir.path(), &["import", "contract.docx", "--into", "contract.md"]);
        assert!(imported.status.success(), "{}: {}", source.display(), text(&imported));
        assert!(text(&imported).contains("no change to contract.md"), "{}: {}", source.display(), text(&imported));
        assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&source).unwrap(), "{}", source.display());
    }
}

/// The example repository in a real Git repository, one commit.
fn example() -> Script {
    let script = Script::new();
    support::copy_dir(&manifest().join("example-repo"), script.root());
    script.git(&ADMIN, &ADMIN, &["add", "-A"]);
    script.git(&ALICE, &ALICE, &["commit", "-qm", "The example contracts"]);
    script
}

/// The example repository, with one of its contracts exported for a counterparty.
struct Exported {
    script: Script,
    out: tempfile::TempDir,
    docx: PathBuf,
    /// The contract's text as exported.
    before: String,
}

fn exported(contract: &str) -> Exported {
    let script = example();
    let path = script.root().join(contract);
    // A return is imported into a contract being negotiated; an executed one changes only
    // through an amendment.
    support::in_negotiation(&path);
    script.git(&ALICE, &ALICE, &["commit", "-qam", "In negotiation"]);
    let out = tempfile::tempdir().unwrap();
    let name = Path::new(contract).file_stem().unwrap().to_string_lossy().into_owned();
    let docx = out.path().join(format!("{name}.docx"));
    let made = pactum(script.root(), &["export", contract, "-o", docx.to_str().unwrap()]);
    assert!(made.status.success(), "{}", text(&made));
    let before = std::fs::read_to_string(script.root().join(contract)).unwrap();
    Exported { script, out, docx, before }
}

#[test]
fn a_counterpartys_return_imports_as_exactly_their_clause_changes_and_comments() {
    let Exported { script, out, docx, before } = exported("contracts/acme/msa.md");
    let root = script.root();

    let mut counterparty = Counterparty::open(&docx);
    counterparty.delete("reasonable skill and care and ");
    counterparty.replace("will pay the fees", "thirty", "sixty");
    counterparty.insert_after(
        "days of receiving a correct invoice",
        "Early Payment. Customer may deduct two percent from an invoice it pays within ten days.",
    );
    counterparty.comment("99.5% of each month", "We need 99.9% for production workloads.");
    counterparty.comment("Each party will keep the other", "Should this survive for five years?");
    let returned = out.path().join("msa-returned.docx");
    counterparty.save(&returned);

    // The same return saved by an editor that drops bookmarks: paragraphs are then found by
    // their words and Word's numbers, and the proposal is the same.
    let mut unmarked = Counterparty::open(&returned);
    let bookmarks = regex::Regex::new(r"<w:bookmark(Start|End) [^>]*/>").unwrap();
    let stripped = bookmarks.replace_all(unmarked.document(), "").into_owned();
    *unmarked.document() = stripped;
    let unmarked_path = out.path().join("msa-unmarked.docx");
    unmarked.save(&unmarked_path);
    let dry =
        pactum(root, &["import", unmarked_path.to_str().unwrap(), "--into", "contracts/acme/msa.md", "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry));
    assert_eq!(
        std::fs::read_to_string(root.join("contracts/acme/msa.md")).unwrap(),
        before,
        "a dry run writes nothing"
    );

    let imported = pactum(
        root,
        &["import", returned.to_str().unwrap(), "--into", "contracts/acme/msa.md", "--comments", "review.md"],
    );
    assert!(imported.status.success(), "{}", text(&imported));
    let after = std::fs::read_to_string(root.join("contracts/acme/msa.md")).unwrap();
    assert_eq!(String::from_utf8_lossy(&dry.stdout), after, "found by words and numbers, the proposal is the same");
    for report in [text(&dry), text(&imported)] {
        assert!(report.contains("  changed: clause 2.1 — Performance; clause 3.1 — Fees\n"), "{report}");
        assert!(report.contains("  added: clause 3.2\n"), "{report}");
        assert!(!report.contains("removed"), "{report}");
    }
    let front = |t: &str| t[..t[3..].find("+++").unwrap() + 6].to_owned();
    assert_eq!(front(&after), front(&before), "the front matter is untouched");

    // The pull request's redline shows the proposal clause by clause, and nothing else.
    let diff = pactum(root, &["diff", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&diff.stdout).unwrap_or_else(|_| panic!("{}", text(&diff)));
    let changes: Vec<_> = clause_changes(&report).into_iter().filter(|c| c.0 != "unchanged").collect();
    assert_eq!(
        changes,
        [
            t("modified", "2.1", "2.1"),
            t("modified", "3.1", "3.1"),
            t("added", "-", "3.2"),
            t("renumbered", "3.2", "3.3"),
            t("renumbered", "3.3", "3.4"),
        ],
        "{}",
        text(&diff)
    );
    assert!(!after.contains("reasonable skill"), "{after}");
    assert!(after.contains("3.2 Early Payment. Customer may deduct two percent"), "{after}");
    assert!(after.contains("within sixty days"), "{after}");

    // The comments, placed on their clauses, ready to paste as a review.
    let review = std::fs::read_to_string(root.join("review.md")).unwrap();
    assert!(review.contains("## Clause 4.1 — Availability"), "{review}");
    assert!(review.contains("**Dana Counsel** (2026-11-20): We need 99.9% for production workloads."), "{review}");
    assert!(review.contains("## Clause 5.1\n"), "{review}");
    assert!(review.contains("Should this survive for five years?"), "{review}");
    assert_eq!(review.matches("\n## ").count(), 2, "{review}");

    // The same document again changes nothing more: it is refused, being from an older version.
    let again = pactum(root, &["import", returned.to_str().unwrap(), "--into", "contracts/acme/msa.md"]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
}

#[test]
fn a_document_from_another_contract_or_an_unknown_version_is_refused() {
    let mut script = example();
    let root = script.root().to_owned();
    let out = tempfile::tempdir().unwrap();
    let docx = out.path().join("dpa.docx");
    assert!(pactum(&root, &["export", "contracts/acme/dpa.md", "-o", docx.to_str().unwrap()]).status.success());
    let msa = std::fs::read(root.join("contracts/acme/msa.md")).unwrap();

    let other = pactum(&root, &["import", docx.to_str().unwrap(), "--into", "contracts/acme/msa.md"]);
    assert_eq!(other.status.code(), Some(2), "{}", text(&other));
    assert!(text(&other).contains("exported from contract acme-dpa-2025, not acme-msa-2025"), "{}", text(&other));
    assert_eq!(std::fs::read(root.join("contracts/acme/msa.md")).unwrap(), msa, "nothing written");

    // The contract changes and the change is committed: the export is of an earlier version.
    let dpa = std::fs::read_to_string(root.join("contracts/acme/dpa.md")).unwrap();
    script.tick();
    script.write("contracts/acme/dpa.md", &format!("{dpa}\nA line added after the export.\n"));
    script.git(&ALICE, &ALICE, &["commit", "-qam", "Add a line"]);
    let earlier = pactum(&root, &["import", docx.to_str().unwrap(), "--into", "contracts/acme/dpa.md"]);
    assert_eq!(earlier.status.code(), Some(2), "{}", text(&earlier));
    assert!(text(&earlier).contains("exported from an earlier version"), "{}", text(&earlier));
    assert!(text(&earlier).contains("\"The example contracts\""), "{}", text(&earlier));

    // A version the repository never had.
    let mut edited = Counterparty::open(&docx);
    let custom = edited.parts.get_mut("docProps/custom.xml").unwrap();
    let at = custom.find("pactum.source-sha256").unwrap();
    let value = at + custom[at..].find("<vt:lpwstr>").unwrap() + "<vt:lpwstr>".len();
    custom.replace_range(value..value + 64, &"0".repeat(64));
    let unknown = out.path().join("unknown.docx");
    edited.save(&unknown);
    let never = pactum(&root, &["import", unknown.to_str().unwrap(), "--into", "contracts/acme/dpa.md"]);
    assert_eq!(never.status.code(), Some(2), "{}", text(&never));
    assert!(
        text(&never).contains("a version of contracts/acme/dpa.md that this repository does not have"),
        "{}",
        text(&never)
    );

    // Told to proceed, the paragraphs are found by their words: nothing of the counterparty's
    // changed, so the contract stays as it is.
    let forced = pactum(&root, &["import", docx.to_str().unwrap(), "--into", "contracts/acme/dpa.md", "--force"]);
    assert!(forced.status.success(), "{}", text(&forced));
    assert!(
        std::fs::read_to_string(root.join("contracts/acme/dpa.md")).unwrap().contains("A line added after the export.")
    );

    // Not a Word document at all.
    std::fs::write(out.path().join("not.docx"), "plain text").unwrap();
    let not =
        pactum(&root, &["import", out.path().join("not.docx").to_str().unwrap(), "--into", "contracts/acme/dpa.md"]);
    assert_eq!(not.status.code(), Some(2), "{}", text(&not));
    assert!(text(&not).contains("not a Word document"), "{}", text(&not));
}

/// pandoc's plain text of a Word document, with tracked changes accepted or rejected.
fn pandoc(pandoc: &Path, docx: &Path, changes: &str) -> String {
    let output = Command::new(pandoc)
        .args(["--from", "docx", "--to", "plain", "--wrap=none", &format!("--track-changes={changes}")])
        .arg(docx)
        .output()
        .unwrap();
    assert!(output.status.success(), "pandoc: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn pandoc_reads_every_clause_of_an_export() {
    let Some(pandoc_path) = tool("PACTUM_PANDOC", "pandoc") else { return };
    let dir = tempfile::tempdir().unwrap();
    for source in corpus() {
        let docx = dir.path().join("c.docx");
        let exported = pactum(dir.path(), &["export", source.to_str().unwrap(), "-o", docx.to_str().unwrap()]);
        assert!(exported.status.success(), "{}", text(&exported));
        let read = pandoc(&pandoc_path, &docx, "accept");
        let words = |t: &str| {
            t.split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
        };
        // Every heading of the contract is in the document pandoc reads.
        let inspect = pactum(dir.path(), &["inspect", source.to_str().unwrap(), "--format", "json"]);
        let report: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
        let shown = words(&read).join(" ");
        for clause in report["clauses"].as_array().into_iter().flatten() {
            if let Some(heading) = clause["heading"].as_str() {
                let heading = words(heading).join(" ");
                assert!(shown.contains(&heading), "{}: {heading:?} is missing from pandoc's reading", source.display());
            }
        }
    }
}

#[test]
fn libreoffice_opens_an_export_and_prints_word_numbering() {
    let Some(soffice) = tool("PACTUM_SOFFICE", "soffice") else { return };
    let Some(pdftotext) = tool("PACTUM_PDFTOTEXT", "pdftotext") else { return };
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("msa.docx");
    let source = manifest().join("example-repo/contracts/acme/msa.md");
    assert!(pactum(dir.path(), &["export", source.to_str().unwrap(), "-o", docx.to_str().unwrap()]).status.success());
    let profile = dir.path().join("profile");
    let converted = Command::new(soffice)
        .args(["--headless", "--norestore", &format!("-env:UserInstallation=file://{}", profile.display())])
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&docx)
        .output()
        .unwrap();
    assert!(converted.status.success(), "{}", text(&converted));
    let pdf = dir.path().join("msa.pdf");
    assert!(pdf.is_file(), "LibreOffice wrote no PDF: {}", text(&converted));
    let output = Command::new(pdftotext).args(["-layout"]).arg(&pdf).arg("-").output().unwrap();
    let page = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<String> = page.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    // The numbers are Word's numbering, not text: the document holds none of them.
    for line in ["1. Definitions", "3.2 Late Payment.", "4.3 Service Credits.", "Governing law NO"] {
        assert!(lines.iter().any(|l| l.starts_with(line)), "{line:?} is not in the PDF:\n{page}");
    }
    // The cover page shows the counterparty the deal, not the team's own fields.
    for internal in ["@legal", "acme-msa-2025", "Status", "Owner"] {
        assert!(!page.contains(internal), "{internal:?} is on the counterparty's copy:\n{page}");
    }
    let document = &parts(&std::fs::read(&docx).unwrap())["word/document.xml"];
    assert!(!document.contains(">3.2 ") && document.contains("<w:numPr>"), "the numbers are numbering, not text");
}

/// pandoc's plain text, paragraph by paragraph, as Word's reader would compare it: words only.
///
/// Two things of pandoc's are not Word's and are left out: the list markers it numbers by its
/// own count (Word numbers the clauses), and what it keeps of a paragraph or table row whose
/// every word and mark were accepted away (an empty list item, an empty row). Word removes
/// those; pandoc keeps the husk.
fn paragraphs(plain: &str) -> Vec<String> {
    let marker = regex::Regex::new(r"^((\d+|[a-zA-Z]|[ivxlc]+)[.)]\s*)+").unwrap();
    plain
        .split("\n\n")
        .map(|block| {
            let lines: Vec<&str> = block.lines().filter(|l| !l.trim().chars().all(|c| c == '-' || c == ' ')).collect();
            let joined = lines.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
            marker.replace(&joined, "").into_owned()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

fn redline_round_trip(pandoc_path: &Path, dir: &Path, old: &Path, new: &Path, redline: &Path) {
    let export = |source: &Path, name: &str| {
        let out = dir.join(name);
        let exported = pactum(dir, &["export", source.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert!(exported.status.success(), "{}", text(&exported));
        paragraphs(&pandoc(pandoc_path, &out, "accept"))
    };
    let (base, head) = (export(old, "base.docx"), export(new, "head.docx"));
    if base != head {
        let document = &parts(&std::fs::read(redline).unwrap())["word/document.xml"];
        assert!(document.contains("<w:ins ") || document.contains("<w:del "), "{}: no tracked change", new.display());
    }
    let accepted = paragraphs(&pandoc(pandoc_path, redline, "accept"));
    let rejected = paragraphs(&pandoc(pandoc_path, redline, "reject"));
    for (side, got, want) in [("accepted", &accepted, &head), ("rejected", &rejected, &base)] {
        for (i, (g, w)) in got.iter().zip(want.iter()).enumerate() {
            assert_eq!(g, w, "{}: paragraph {i} of the redline {side}", new.display());
        }
        assert_eq!(got.len(), want.len(), "{}: the redline {side} has another number of paragraphs", new.display());
    }
}

#[test]
fn the_redline_of_every_corpus_revision_pair_accepts_to_head_and_rejects_to_base() {
    let Some(pandoc_path) = tool("PACTUM_PANDOC", "pandoc") else { return };
    let corpus = manifest().join("tests/corpus");
    let review = manifest().join("tests/fixtures/diff/review");
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
        (review.join("old.md"), review.join("new.md")),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (old, new) in &pairs {
        let redline = dir.path().join("redline.docx");
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
                "redline.docx",
            ],
        );
        assert!(made.status.success(), "{}", text(&made));
        redline_round_trip(&pandoc_path, dir.path(), old, new, &redline);
    }
    // The reviewer's fixture moves a clause: a Word move, its two ends named alike.
    let document = &parts(&std::fs::read(dir.path().join("redline.docx")).unwrap())["word/document.xml"];
    let from: Vec<&str> =
        document.match_indices("<w:moveFromRangeStart").map(|(at, _)| &document[at..at + 200]).collect();
    assert!(!from.is_empty(), "no move in the redline");
    for start in from {
        let name = &start[start.find("w:name=\"").unwrap() + 8..];
        let name = &name[..name.find('"').unwrap()];
        assert!(
            document.contains("<w:moveToRangeStart") && document.matches(&format!("w:name=\"{name}\"")).count() == 2,
            "{name}"
        );
    }
}

#[test]
fn a_merged_revision_as_tracked_changes_by_its_author() {
    let Some(pandoc_path) = tool("PACTUM_PANDOC", "pandoc") else { return };
    let mut script = example();
    let root = script.root().to_owned();
    let msa = std::fs::read_to_string(root.join("contracts/acme/msa.md")).unwrap();
    script.tick();
    script.git(&ALICE, &ALICE, &["checkout", "-qb", "longer-payment"]);
    script.write("contracts/acme/msa.md", &msa.replace("within thirty days", "within forty-five days"));
    script.git(&ALICE, &ALICE, &["commit", "-qam", "Payment within 45 days"]);
    script.tick();
    script.git(&ALICE, &ALICE, &["checkout", "-q", "main"]);
    script.git(
        &support::git::BEA,
        &support::git::BEA,
        &["merge", "--no-ff", "-q", "-m", "Merge longer payment", "longer-payment"],
    );

    let dir = tempfile::tempdir().unwrap();
    let redline = dir.path().join("redline.docx");
    let made = pactum(&root, &["diff", "HEAD^1", "HEAD", "--format", "docx", "-o", redline.to_str().unwrap()]);
    assert!(made.status.success(), "{}", text(&made));
    let document = &parts(&std::fs::read(&redline).unwrap())["word/document.xml"];
    assert!(document.contains(r#"w:author="Bea" w:date="2025-01-03T10:00:00Z""#), "the merge's author and date");
    assert!(document.contains(r#"<w:delText xml:space="preserve">thirty</w:delText>"#), "{document}");
    std::fs::write(dir.path().join("old.md"), &msa).unwrap();
    redline_round_trip(
        &pandoc_path,
        dir.path(),
        &dir.path().join("old.md"),
        &root.join("contracts/acme/msa.md"),
        &redline,
    );

    // A redline holds one contract; binary output needs a file.
    let none = pactum(&root, &["diff", "HEAD", "HEAD", "--format", "docx", "-o", "x.docx"]);
    assert_eq!(none.status.code(), Some(2), "{}", text(&none));
    assert!(text(&none).contains("no contract changed"), "{}", text(&none));
    let stdout = pactum(&root, &["diff", "HEAD^1", "HEAD", "--format", "docx"]);
    assert_eq!(stdout.status.code(), Some(2), "{}", text(&stdout));
    assert!(text(&stdout).contains("-o redline.docx"), "{}", text(&stdout));
}

/// The last part of each label, in order: `5(a)` → `a`, `A.1` → `1`, `1.` → `1`.
fn last_parts(labels: impl Iterator<Item = String>) -> Vec<String> {
    labels
        .map(|l| {
            let l = l.trim().trim_end_matches(['.', ')']).to_owned();
            l.rsplit(['.', '(']).next().unwrap_or(&l).trim_start_matches('(').to_owned()
        })
        .collect()
}

#[test]
fn a_word_agreement_made_by_libreoffice_is_adopted_with_the_clause_tree_word_shows() {
    let Some(pandoc_path) = tool("PACTUM_PANDOC", "pandoc") else { return };
    let Some(soffice) = tool("PACTUM_SOFFICE", "soffice") else { return };
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let corpus = manifest().join("tests/corpus");
    let agreements = [
        ("bonterms", "bonterms-mutual-nda/Mutual-NDA.v2-0daebed.md"),
        ("commonpaper", "commonpaper-mutual-nda/Mutual-NDA.v1-f90b8ac.md"),
        ("federal", "github-site-policy/amendment-us-federal-government-users.v3c81029.md"),
        ("papertrail", "papertrail-nda/nda-short-individual-or-corporate.md"),
    ];
    let label = regex::Regex::new(r"^\s*(?:#{1,6}\s+)?(\(?(?:\d+(?:\.\d+)*|[a-zA-Z]|[ivxIVX]{1,4})[.)])\s").unwrap();
    for (name, source) in agreements {
        // The published agreement as a Word document with Word's own list numbering, as
        // LibreOffice writes it from the agreement's HTML.
        let html = dir.path().join(format!("{name}.html"));
        let made = Command::new(&pandoc_path)
            .args(["--from", "markdown", "--to", "html", "--standalone", "--metadata", "pagetitle=agreement", "-o"])
            .arg(&html)
            .arg(corpus.join(source))
            .output()
            .unwrap();
        assert!(made.status.success(), "{}", text(&made));
        let converted = Command::new(&soffice)
            .args(["--headless", "--norestore", &format!("-env:UserInstallation=file://{}", profile.display())])
            .args(["--convert-to", "docx:MS Word 2007 XML", "--outdir"])
            .arg(dir.path())
            .arg(&html)
            .output()
            .unwrap();
        let docx = dir.path().join(format!("{name}.docx"));
        assert!(docx.is_file(), "LibreOffice wrote no document: {}", text(&converted));
        let numbering = &parts(&std::fs::read(&docx).unwrap())["word/numbering.xml"];
        assert!(numbering.contains("<w:abstractNum "), "{name}: no Word numbering to resolve");

        let adopted = pactum(dir.path(), &["import", docx.to_str().unwrap(), "--new", &format!("contracts/{name}.md")]);
        assert!(adopted.status.success(), "{}", text(&adopted));
        assert!(text(&adopted).contains("to complete: `owner`"), "{}", text(&adopted));

        // The clause tree pactum reads from the adopted contract…
        let inspect = pactum(dir.path(), &["inspect", &format!("contracts/{name}.md"), "--format", "json"]);
        let report: serde_json::Value =
            serde_json::from_slice(&inspect.stdout).unwrap_or_else(|_| panic!("{}", text(&inspect)));
        let mut numbers = Vec::new();
        let mut stack: Vec<&serde_json::Value> = report["clauses"].as_array().unwrap().iter().rev().collect();
        while let Some(clause) = stack.pop() {
            numbers.push(clause["number"].as_str().unwrap().to_owned());
            stack.extend(clause["children"].as_array().into_iter().flatten().rev());
        }
        // …is the numbering another reader of Word documents shows, label for label.
        let shown = Command::new(&pandoc_path)
            .args(["--from", "docx", "--to", "markdown", "--wrap=none"])
            .arg(&docx)
            .output()
            .unwrap();
        let word: Vec<String> = String::from_utf8_lossy(&shown.stdout)
            .lines()
            .filter_map(|line| label.captures(line).map(|c| c[1].to_owned()))
            .collect();
        assert!(word.len() >= 7, "{name}: {word:?}");
        assert_eq!(last_parts(numbers.into_iter()), last_parts(word.into_iter()), "{name}");
    }
    let federal = std::fs::read_to_string(dir.path().join("contracts/federal.md")).unwrap();
    assert!(
        federal
            .contains("title = \"Amendment to GitHub Terms of Service Applicable to U.S. Federal Government Users\""),
        "{federal}"
    );
    assert!(federal.contains("[[parties]]\nname = \"GitHub, Inc.\""), "{federal}");
    // An adoption never overwrites a contract unless told to.
    let again = pactum(
        dir.path(),
        &["import", dir.path().join("federal.docx").to_str().unwrap(), "--new", "contracts/federal.md"],
    );
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert_eq!(std::fs::read_to_string(dir.path().join("contracts/federal.md")).unwrap(), federal);
}

#[test]
fn changes_the_body_cannot_hold_are_listed_and_not_written() {
    let Exported { script, out, docx, before } = exported("contracts/acme/msa.md");
    let root = script.root();

    let mut counterparty = Counterparty::open(&docx);
    counterparty.replace("Value", "120000", "150000"); // the cover page's table
    counterparty.replace("By: ", "________________________________", "Dana Counsel"); // a signature block
    // Bold put on words, tracked as a formatting change only.
    let xml = counterparty.document();
    let at = xml.find("Provider will assign suitably").unwrap();
    let run = xml[..at].rfind("<w:r>").unwrap() + "<w:r>".len();
    xml.insert_str(
        run,
        r#"<w:rPr><w:b/><w:rPrChange w:id="990" w:author="Dana Counsel"><w:rPr/></w:rPrChange></w:rPr>"#,
    );
    let returned = out.path().join("returned.docx");
    counterparty.save(&returned);

    let imported = pactum(root, &["import", returned.to_str().unwrap(), "--into", "contracts/acme/msa.md"]);
    assert_eq!(imported.status.code(), Some(1), "{}", text(&imported));
    let report = text(&imported);
    assert!(report.contains("not imported, the cover page: edited to: Value\tUSD 150000 per year"), "{report}");
    assert!(report.contains("not imported, the signature blocks: edited to: By: Dana Counsel"), "{report}");
    assert!(report.contains("not imported, clause 2.2 — Personnel: a formatting change"), "{report}");
    assert!(report.contains("no change to contracts/acme/msa.md"), "{report}");
    assert_eq!(std::fs::read_to_string(root.join("contracts/acme/msa.md")).unwrap(), before);
}

#[test]
fn a_broken_or_hostile_word_file_is_a_clear_error() {
    let Exported { script, out, docx, before: msa } = exported("contracts/acme/msa.md");
    let root = script.root();
    let exported = parts(&std::fs::read(&docx).unwrap());
    let variant = |name: &str, edit: &dyn Fn(&mut BTreeMap<String, String>)| {
        let mut changed = exported.clone();
        edit(&mut changed);
        let path = out.path().join(name);
        std::fs::write(&path, package(&changed)).unwrap();
        path
    };
    let cases = [
        (
            variant("no-body.docx", &|p| {
                p.remove("word/document.xml");
            }),
            "it has no main document part (word/document.xml)",
        ),
        (
            variant("broken-xml.docx", &|p| {
                let xml = p.get_mut("word/document.xml").unwrap();
                let cut = xml.len() / 2;
                xml.truncate(cut);
                xml.push_str("</w:p></w:body>");
            }),
            "reading word/document.xml",
        ),
        // 70 MB of spaces pack into some 70 KB: refused before it fills memory.
        (
            variant("bomb.docx", &|p| {
                p.insert("word/document.xml".into(), " ".repeat(70 * 1024 * 1024));
            }),
            "unpacks to more than 64 MB",
        ),
    ];
    for (path, message) in cases {
        let imported = pactum(root, &["import", path.to_str().unwrap(), "--into", "contracts/acme/msa.md"]);
        assert_eq!(imported.status.code(), Some(2), "{}", text(&imported));
        assert!(text(&imported).contains(message), "{message:?}: {}", text(&imported));
        assert!(!text(&imported).contains("panicked"), "{}", text(&imported));
        assert_eq!(std::fs::read_to_string(root.join("contracts/acme/msa.md")).unwrap(), msa);
    }
}

#[test]
fn an_edit_next_to_links_keeps_the_links() {
    let Exported { script, out, docx, .. } = exported("contracts/globex/mutual-nda.md");
    let root = script.root();
    let mut counterparty = Counterparty::open(&docx);
    counterparty.replace("Version 1.0", "free to use", "free to use and adapt");
    let returned = out.path().join("returned.docx");
    counterparty.save(&returned);
    let imported = pactum(root, &["import", returned.to_str().unwrap(), "--into", "contracts/globex/mutual-nda.md"]);
    assert!(imported.status.success(), "{}", text(&imported));
    let after = std::fs::read_to_string(root.join("contracts/globex/mutual-nda.md")).unwrap();
    assert!(
        after.contains("[Version 1.0](https://commonpaper.com/standards/mutual-nda/1.0/) free to use and adapt under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)."),
        "{after}"
    );
}

#[test]
fn a_clause_the_counterparty_moved_comes_back_moved_with_its_markdown() {
    let Exported { script, out, docx, before } = exported("contracts/acme/msa.md");
    let root = script.root();

    // Word's move: the paragraph struck where it was, inserted where it went, both ends named.
    let mut counterparty = Counterparty::open(&docx);
    let from = counterparty.paragraph("If availability falls below");
    let xml = counterparty.document();
    let paragraph = xml[from.clone()].to_owned();
    let open = paragraph.find("</w:pPr>").unwrap();
    let (properties, content) =
        (&paragraph[..open], &paragraph[open + "</w:pPr>".len()..paragraph.len() - "</w:p>".len()]);
    let moved_from = format!(
        r#"{properties}<w:rPr><w:moveFrom w:id="951" {WHO}/></w:rPr></w:pPr><w:moveFromRangeStart w:id="952" {WHO} w:name="move1"/><w:moveFrom w:id="953" {WHO}>{}</w:moveFrom><w:moveFromRangeEnd w:id="952"/></w:p>"#,
        content.replace("<w:t ", "<w:delText ").replace("</w:t>", "</w:delText>")
    );
    let moved_to = format!(
        r#"{properties}<w:rPr><w:moveTo w:id="954" {WHO}/></w:rPr></w:pPr><w:moveToRangeStart w:id="955" {WHO} w:name="move1"/><w:moveTo w:id="956" {WHO}>{}</w:moveTo><w:moveToRangeEnd w:id="955"/></w:p>"#,
        regex::Regex::new(r"<w:bookmark(Start|End) [^>]*/>").unwrap().replace_all(content, "")
    );
    xml.replace_range(from, &moved_from);
    let to = counterparty.paragraph("Provider will make the hosted Services available");
    counterparty.document().insert_str(to.start, &moved_to);
    let returned = out.path().join("returned.docx");
    counterparty.save(&returned);

    let imported = pactum(root, &["import", returned.to_str().unwrap(), "--into", "contracts/acme/msa.md"]);
    assert!(imported.status.success(), "{}", text(&imported));
    assert!(text(&imported).contains("  moved: clause 4.3 — Service Credits → 4.1\n"), "{}", text(&imported));
    assert!(
        text(&imported).contains("  renumbered: clause 4.1 — Availability → 4.2; clause 4.2 — Reporting → 4.3\n"),
        "{}",
        text(&imported)
    );
    assert!(!text(&imported).contains("added") && !text(&imported).contains("removed"), "{}", text(&imported));
    let after = std::fs::read_to_string(root.join("contracts/acme/msa.md")).unwrap();
    let credits = after.find("Service Credits").unwrap();
    assert!(credits < after.find("Availability.").unwrap(), "{after}");
    assert_eq!(after.len(), before.len(), "the same words, numbers of the same length");
}

#[test]
fn the_main_part_is_the_one_the_package_relationships_name() {
    let Exported { script, out, docx, before } = exported("contracts/acme/msa.md");
    let root = script.root();
    // A valid package whose main part is word/document2.xml, named by the relationships.
    let mut renamed = parts(&std::fs::read(&docx).unwrap());
    let document = renamed.remove("word/document.xml").unwrap();
    renamed.insert("word/document2.xml".into(), document);
    let rels = renamed.remove("word/_rels/document.xml.rels").unwrap();
    renamed.insert("word/_rels/document2.xml.rels".into(), rels);
    for name in ["_rels/.rels", "[Content_Types].xml"] {
        let part = renamed.get_mut(name).unwrap();
        *part = part.replace("word/document.xml", "word/document2.xml");
    }
    let path = out.path().join("renamed.docx");
    std::fs::write(&path, package(&renamed)).unwrap();
    let imported = pactum(root, &["import", path.to_str().unwrap(), "--into", "contracts/acme/msa.md"]);
    assert!(imported.status.success(), "{}", text(&imported));
    assert!(text(&imported).contains("no change to contracts/acme/msa.md"), "{}", text(&imported));
    assert_eq!(std::fs::read_to_string(root.join("contracts/acme/msa.md")).unwrap(), before);
}

#[test]
fn hidden_text_embedded_content_and_bidirectional_controls_are_reported_not_imported() {
    let Exported { script, out, docx, before } = exported("contracts/acme/msa.md");
    let root = script.root();
    let mut counterparty = Counterparty::open(&docx);
    // "Neither party is not liable …" with "not " hidden: the page reads as before.
    let xml = counterparty.document();
    *xml = xml.replacen(
        "Neither party is liable",
        r#"Neither party is </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">not </w:t></w:r><w:r><w:t xml:space="preserve">liable"#,
        1,
    );
    // Embedded HTML Word would show as a clause of its own.
    let at = xml.find("<w:sectPr").unwrap();
    xml.insert_str(at, r#"<w:altChunk r:id="rId77"/>"#);
    // A right-to-left override inside words of a clause.
    *xml = xml.replacen("Once a year", "Once a \u{202e}raey\u{202c}", 1);
    let returned = out.path().join("returned.docx");
    counterparty.save(&returned);
    let imported = pactum(root, &["import", returned.to_str().unwrap(), "--into", "contracts/acme/msa.md"]);
    let report = text(&imported);
    assert_eq!(imported.status.code(), Some(1), "{report}");
    assert!(report.contains("not imported, clause 8.1: hidden text “not”"), "{report}");
    assert!(report.contains("an altChunk"), "{report}");
    assert!(report.contains("bidirectional control characters (U+202E, U+202C)"), "{report}");
    let after = std::fs::read_to_string(root.join("contracts/acme/msa.md")).unwrap();
    assert!(after.contains("8.1 Neither party is liable for indirect"), "the hidden word is not written");
    assert!(!after.contains('\u{202e}'), "no override character is written");
    assert_eq!(after.matches("Neither party").count(), before.matches("Neither party").count());
}

#[test]
fn a_tracked_numbering_change_reads_as_the_old_numbering_when_rejected() {
    let Exported { script, out, docx, before } = exported("contracts/acme/msa.md");
    let root = script.root();
    let mut counterparty = Counterparty::open(&docx);
    // Numbering taken off clause 2.2 with Track Changes on, and the old numbering kept in the
    // property change; bold put on, with its old properties (none) in a run property change.
    let range = counterparty.paragraph("Provider will assign suitably");
    let xml = counterparty.document();
    let paragraph = xml[range.clone()].to_owned();
    let number_start = paragraph.find("<w:numPr>").unwrap();
    let number_end = paragraph.find("</w:numPr>").unwrap() + "</w:numPr>".len();
    let old_numbering = &paragraph[number_start..number_end];
    let changed = format!(
        r#"{}<w:pPrChange w:id="980" {WHO}><w:pPr>{old_numbering}</w:pPr></w:pPrChange>{}"#,
        &paragraph[..number_start],
        &paragraph[number_end..]
    );
    xml.replace_range(range, &changed);
    let returned = out.path().join("returned.docx");
    counterparty.save(&returned);
    let imported = pactum(root, &["import", returned.to_str().unwrap(), "--into", "contracts/acme/msa.md"]);
    let report = text(&imported);
    // The paragraph is found as clause 2.2 (its words before the change are the export's), and
    // the numbering change is no "formatting change": what follows is renumbered.
    assert!(!report.contains("formatting change"), "{report}");
    assert!(
        report.contains("renumbered: clause 2.2 — Personnel → no number; clause 2.3 — Order of Precedence → 2.2"),
        "{report}"
    );
    let after = std::fs::read_to_string(root.join("contracts/acme/msa.md")).unwrap();
    let expected = before
        .replace("2.2 **Personnel.**", "**Personnel.**")
        .replace("2.3 **Order of Precedence.**", "2.2 **Order of Precedence.**");
    assert_eq!(after, expected);
}

#[test]
fn the_cover_page_shows_the_key_terms_pactum_toml_names() {
    let Exported { script, out, docx, .. } = exported("contracts/acme/msa.md");
    let root = script.root();
    let document = &parts(&std::fs::read(&docx).unwrap())["word/document.xml"];
    assert!(document.contains("Governing law") && document.contains("USD 120000 per year"));
    for internal in ["acme-msa-2025", "@legal/alice", ">Status<", ">Owner<"] {
        assert!(!document.contains(internal), "{internal} is on the counterparty's copy by default");
    }
    let config = root.join("pactum.toml");
    let mut toml = std::fs::read_to_string(&config).unwrap();
    toml.push_str("\n[word]\ncover = [\"id\", \"owner\"]\n");
    std::fs::write(&config, &toml).unwrap();
    let named = out.path().join("named.docx");
    let made = pactum(root, &["export", "contracts/acme/msa.md", "-o", named.to_str().unwrap()]);
    assert!(made.status.success(), "{}", text(&made));
    let document = &parts(&std::fs::read(&named).unwrap())["word/document.xml"];
    assert!(document.contains("acme-msa-2025") && document.contains("@legal/alice"));
    assert!(!document.contains("Governing law"));
    assert!(document.find("acme-msa-2025") < document.find("@legal/alice"), "in the order named");
    // A copy sent with another cover page imports as no change after the setting changed: the
    // copy records the page it was sent with.
    std::fs::write(&config, toml.replace("\n[word]\ncover = [\"id\", \"owner\"]\n", "")).unwrap();
    let imported = pactum(root, &["import", named.to_str().unwrap(), "--into", "contracts/acme/msa.md"]);
    assert!(imported.status.success(), "{}", text(&imported));
    assert!(
        text(&imported).contains("no change to contracts/acme/msa.md (0 edits, 0 comments)\n"),
        "{}",
        text(&imported)
    );
    // A name that is no key term is an error that lists them.
    std::fs::write(&config, toml.replace("\"owner\"]", "\"ownr\"]")).unwrap();
    let refused = pactum(root, &["export", "contracts/acme/msa.md", "-o", named.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("ownr") && text(&refused).contains("governing_law"), "{}", text(&refused));
}

/// `pactum import … --dry-run 2>&1 | head -1`: the reader leaves, and pactum exits as its result
/// says, without a panic.
#[test]
fn an_import_whose_reader_leaves_early_exits_as_its_result_says() {
    use std::process::Stdio;
    let Exported { script, docx, out: _out, .. } = exported("contracts/acme/msa.md");
    let mut child = support::command(
        script.root(),
        &["import", docx.to_str().unwrap(), "--into", "contracts/acme/msa.md", "--dry-run"],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

/// A table of 10,000 rows is exported in time proportional to its rows (it once took half a
/// minute: each cell copied the whole table). The limit only guards against that; the figures
/// are in `cargo bench --bench diff`.
#[test]
fn a_long_table_is_exported_and_imported_without_copying_it_per_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut contract = String::from(
        "+++\nid = \"prices\"\ntitle = \"Prices\"\n+++\n\n# Prices\n\n1. The prices are:\n\n| Item | Price |\n|---|---|\n",
    );
    for row in 0..10_000 {
        contract.push_str(&format!("| Item {row} | USD {} |\n", row * 10));
    }
    contract.push_str("\n2. The prices exclude VAT.\n");
    std::fs::write(dir.path().join("prices.md"), &contract).unwrap();
    let limit = std::time::Duration::from_secs(20);
    let exported = support::pactum_within(dir.path(), &["export", "prices.md", "-o", "prices.docx"], limit);
    assert!(exported.status.success(), "{}", text(&exported));
    let imported = support::pactum_within(dir.path(), &["import", "prices.docx", "--into", "prices.md"], limit);
    assert!(text(&imported).contains("no change to prices.md"), "{}", text(&imported));
    assert_eq!(std::fs::read_to_string(dir.path().join("prices.md")).unwrap(), contract);
}

/// A Word package of plain paragraphs, each `(text, bold)`: numbers typed, not Word numbering.
fn typed_agreement(paragraphs: &[(&str, bool)]) -> Vec<u8> {
    let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;");
    let mut body = String::new();
    for (text, bold) in paragraphs {
        let look = if *bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
        body.push_str(&format!(r#"<w:p><w:r>{look}<w:t xml:space="preserve">"#));
        body.push_str(&escape(text));
        body.push_str("</w:t></w:r></w:p>");
    }
    let parts = BTreeMap::from([
        (
            "[Content_Types].xml".to_owned(),
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels".to_owned(),
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "word/document.xml".to_owned(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
            ),
        ),
    ]);
    package(&parts)
}

#[test]
fn an_agreement_with_typed_numbers_and_labelled_parties_is_adopted_as_its_reader_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let docx = typed_agreement(&[
        ("SERVICE AGREEMENT", true),
        ("SERVICE PROVIDER: Acme Consulting Ltd, 1 High Street, London", false),
        ("CLIENT: Beta Retail Inc., 500 Main Street, Boston", false),
        ("This Service Agreement is made on 3 March 2024.", false),
        ("1. SERVICES", true),
        ("1.1 The Service Provider will provide the services described in Schedule 1.", false),
        ("1.2 The Service Provider will perform the services with reasonable care.", false),
        ("2. PRICING & PAYMENT", true),
        ("2.1 The Client will pay the fees within 30 days of invoice.", false),
        ("2.2 Late payment bears interest at 2% a month.", false),
        ("3. TERM", true),
        ("3.1 This Agreement lasts 12 months.", false),
    ]);
    std::fs::write(dir.path().join("agreement.docx"), docx).unwrap();
    let adopted = pactum(dir.path(), &["import", "agreement.docx", "--new", "service.md"]);
    assert!(adopted.status.success(), "{}", text(&adopted));
    let contract = std::fs::read_to_string(dir.path().join("service.md")).unwrap();
    for line in [
        "name = \"Acme Consulting Ltd\"\nrole = \"service provider\"",
        "name = \"Beta Retail Inc.\"\nrole = \"client\"",
        "effective_date = 2024-03-03",
        "\n# SERVICE AGREEMENT\n",
        "\n## 2. PRICING & PAYMENT\n",
        "\n2.1 The Client will pay",
    ] {
        assert!(contract.contains(line), "{line:?} is not in:\n{contract}");
    }
    let inspected = pactum(dir.path(), &["inspect", "service.md", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&inspected.stdout).unwrap();
    let tree: Vec<(String, usize)> = report["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["number"].as_str().unwrap().to_owned(), c["children"].as_array().map_or(0, Vec::len)))
        .collect();
    assert_eq!(tree, [("1".to_owned(), 2), ("2".to_owned(), 2), ("3".to_owned(), 1)], "{contract}");
}

/// Files pactum creates take the mode any new file gets (0666 less the umask), as a shell
/// redirection would make them, not the owner-only mode of a scratch file; a file replaced
/// keeps its own.
#[cfg(unix)]
#[test]
fn written_files_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let msa = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-repo/contracts/acme/msa.md");
    let run = |umask: &str, args: &[&str]| {
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_pactum"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {}", text(&output));
    };
    let mode = |name: &str| std::fs::metadata(dir.path().join(name)).unwrap().permissions().mode() & 0o777;
    run("022", &["export", msa.to_str().unwrap(), "-o", "msa.docx"]);
    assert_eq!(mode("msa.docx"), 0o644);
    run("002", &["import", "msa.docx", "--new", "adopted.md", "--force"]);
    assert_eq!(mode("adopted.md"), 0o664);
    run("022", &["diff", "--files", msa.to_str().unwrap(), "adopted.md", "--format", "docx", "-o", "redline.docx"]);
    assert_eq!(mode("redline.docx"), 0o644);
    // Written again over a file someone made private: it stays private.
    std::fs::set_permissions(dir.path().join("msa.docx"), std::fs::Permissions::from_mode(0o600)).unwrap();
    run("022", &["export", msa.to_str().unwrap(), "-o", "msa.docx"]);
    assert_eq!(mode("msa.docx"), 0o600);
}
