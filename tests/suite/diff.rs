//! `pactum diff`: the published agreements' real revisions, a real Git repository with a
//! branch, a merge and uncommitted edits, every output format, and bad input.

use std::path::Path;
use std::process::{Command, Output};

use crate::support;

use support::{clause_changes, manifest, t, text};

fn pactum(dir: &Path, args: &[&str]) -> Output {
    support::pactum_with(dir, args, &[])
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec![args[0], "--format", "json"];
    all.extend(&args[1..]);
    let output = pactum(dir, &all);
    assert!(output.status.success(), "{}", text(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// (change, old number, new number) of each clause of the first contract.
fn corpus_diff(old: &str, new: &str) -> serde_json::Value {
    let dir = manifest().join("tests/corpus");
    json(&dir, &["diff", "--files", old, new])
}

#[test]
fn common_paper_small_revisions() {
    let report = corpus_diff(
        "commonpaper-mutual-nda/Mutual-NDA.v0-335270c.md",
        "commonpaper-mutual-nda/Mutual-NDA.v1-f90b8ac.md",
    );
    assert_eq!(
        clause_changes(&report),
        [
            t("modified", "1", "1"),
            t("modified", "2", "2"),
            t("modified", "3", "3"),
            t("modified", "5", "5"),
            t("modified", "6", "6"),
            t("modified", "11", "11"),
            // The footer under the last clause: its version and link changed.
            t("modified", "", ""),
        ]
    );
    let clauses = report["contracts"][0]["clauses"].as_array().unwrap();
    // "prior approval" became "prior written approval".
    let use_clause = &clauses[1];
    assert_eq!((use_clause["inserted_words"].as_u64(), use_clause["deleted_words"].as_u64()), (Some(5), Some(0)));
    assert!(use_clause["redline"].as_array().unwrap().iter().any(|s| s["op"] == "insert" && s["text"] == "written"));
    // Clause 3 only changed commas to semicolons: modified, with no word inserted or deleted.
    assert_eq!((clauses[2]["inserted_words"].as_u64(), clauses[2]["deleted_words"].as_u64()), (Some(0), Some(0)));
    // Term and Termination is material by default.
    assert_eq!(clauses[3]["material"], true);
}

#[test]
fn bonterms_formatting_only_revision_changes_no_clause() {
    // v2 only moved the lettered paragraphs into a bullet list inside item 5.
    let report =
        corpus_diff("bonterms-mutual-nda/Mutual-NDA.v1-82cf9dc.md", "bonterms-mutual-nda/Mutual-NDA.v2-0daebed.md");
    assert_eq!(report["contracts"].as_array().unwrap().len(), 0, "{report}");
}

#[test]
fn github_ip_agreement_major_rewrite() {
    let report = corpus_diff(
        "github-balanced-employee-ip/Balanced_Employee_IP_Agreement.v1.0.1.md",
        "github-balanced-employee-ip/Balanced_Employee_IP_Agreement.v2.0.0.md",
    );
    assert_eq!(
        clause_changes(&report),
        [
            t("modified", "", ""),   // the preamble
            t("modified", "1", "1"), // rewritten; absorbs "Works made for hire"
            t("modified", "2", "2"),
            t("modified", "3", "3"), // renamed: "Contribution of your IP…" → "License to the Company for Your IP"
            t("added", "-", "3(a)"),
            t("added", "-", "3(b)"),
            t("added", "-", "4"),    // "Check with Legal on using non-Company IP"
            t("modified", "4", "5"), // renamed and renumbered
            t("removed", "5", "-"),  // "Works made for hire", merged into 1
            t("modified", "6", "6"),
            t("modified", "7", "7"), // "IP protection" → "Cooperation"
            // "Confidentiality" rewritten in its place as "Survivorship": the last clause, at the
            // same number after the same neighbour.
            t("modified", "8", "8"),
            // The closing text, and the exhibit of state laws with a part per state, which v2
            // dropped: text outside numbered clauses is reported too.
            t("modified", "", ""),
            t("removed", "", "-"),
            t("removed", "", "-"),
            t("removed", "", "-"),
            t("removed", "", "-"),
            t("removed", "", "-"),
            t("removed", "", "-"),
            t("removed", "", "-"),
            t("removed", "", "-"),
            t("removed", "", "-"),
            t("removed", "", "-"),
            t("removed", "", "-"),
        ]
    );
    let clauses = report["contracts"][0]["clauses"].as_array().unwrap();
    assert_eq!(clauses[0]["new"]["unit"], "preamble");
    assert_eq!(clauses[3]["old"]["heading"], "Contribution of your IP to Company projects");
    assert_eq!(clauses[3]["new"]["heading"], "License to the Company for Your IP");
    assert_eq!(clauses[13]["old"]["unit"], "part");
    assert!(clauses[13]["old"]["heading"].as_str().unwrap().starts_with("Exhibit A"), "{}", clauses[13]);
}

#[test]
fn github_federal_amendment_revision_under_lettered_numbers() {
    // "Agency" became "Government" throughout, and F.1 "Changes to standard ToS" was struck, so
    // F.2 and F.3 moved up. Clauses keep the numbers a lawyer cites: B.1, not 1.
    let report = corpus_diff(
        "github-site-policy/amendment-us-federal-government-users.v04c8757.md",
        "github-site-policy/amendment-us-federal-government-users.v3c81029.md",
    );
    assert_eq!(
        clause_changes(&report),
        [
            t("modified", "", ""), // the preamble says "Government" too
            t("modified", "A.1", "A.1"),
            t("modified", "A.2", "A.2"),
            t("modified", "B.1", "B.1"),
            t("modified", "B.2", "B.2"),
            t("modified", "C.1", "C.1"),
            t("modified", "C.2", "C.2"),
            t("modified", "D.1", "D.1"),
            t("modified", "D.2", "D.2"),
            t("modified", "E.1", "E.1"),
            t("modified", "E.4", "E.4"),
            t("removed", "F.1", "-"),
            t("modified", "F.2", "F.1"),
            t("renumbered", "F.3", "F.2"),
        ]
    );
    let clauses = report["contracts"][0]["clauses"].as_array().unwrap();
    assert_eq!(clauses[6]["old"]["heading"], "Agency responsibilities under paid usage plans");
    assert_eq!(clauses[6]["new"]["heading"], "Government responsibilities under paid usage plans");
    // Every word change in A.1 is Agency → Government.
    let redline = clauses[1]["redline"].as_array().unwrap();
    let changed: Vec<&str> =
        redline.iter().filter(|s| s["op"] != "equal").map(|s| s["text"].as_str().unwrap().trim()).collect();
    assert!(changed.iter().all(|w| w.starts_with("Agency") || w.starts_with("Government")), "{changed:?}");
}

#[test]
fn clauses_under_unnumbered_headings_align_by_their_heading_path() {
    let dir = tempfile::tempdir().unwrap();
    let old = "## Payment\n\n1. Pay monthly in advance.\n2. Fees exclude taxes.\n\n\
               ## Cancellation\n\n1. Cancel any time from the account page.\n2. Data is deleted after thirty days.\n";
    let new = "## Payment\n\n1. Prices may change with notice.\n2. Pay monthly in advance.\n3. Fees exclude taxes.\n\n\
               ## Cancellation\n\n1. Cancel any time from the billing page.\n2. Data is deleted after thirty days.\n";
    std::fs::write(dir.path().join("old.md"), old).unwrap();
    std::fs::write(dir.path().join("new.md"), new).unwrap();
    let report = json(dir.path(), &["diff", "--files", "old.md", "new.md"]);
    assert_eq!(
        clause_changes(&report),
        [
            t("added", "-", "Payment › 1"),
            t("renumbered", "Payment › 1", "Payment › 2"),
            t("renumbered", "Payment › 2", "Payment › 3"),
            t("modified", "Cancellation › 1", "Cancellation › 1"),
        ]
    );
}

#[test]
fn moved_renumbered_modified_added_removed_and_material() {
    let dir = manifest().join("tests/fixtures/diff");
    let report = json(&dir, &["diff", "--files", "old.md", "new.md"]);
    assert_eq!(report["version"], 1);
    assert_eq!((report["base"].as_str(), report["head"].as_str()), (Some("old.md"), Some("new.md")));
    let contract = &report["contracts"][0];
    assert_eq!((contract["id"].as_str(), contract["change"].as_str()), (Some("acme-msa-2025"), Some("modified")));
    assert_eq!(contract["fields"][0]["pointer"], "/value/amount");
    assert_eq!(
        (contract["fields"][0]["old"].as_i64(), contract["fields"][0]["new"].as_i64()),
        (Some(120_000), Some(150_000))
    );
    assert_eq!(
        clause_changes(&report),
        [
            t("added", "-", "2.2"),
            t("renumbered", "2.2", "2.3"),
            t("renumbered", "2.3", "2.4"),
            t("modified", "3.2", "3.2"),
            t("removed", "4.3", "-"),
            t("moved", "10.3", "10.1"),
            t("renumbered", "10.1", "10.2"),
            t("renumbered", "10.2", "10.3"),
        ]
    );
    assert_eq!(contract["clauses"][3]["old"]["heading"], "Late Payment");
}

/// Compare an output with the expected file next to the fixtures (`SNAPSHOTS=overwrite`
/// rewrites it).
fn snapshot(format: &str, file: &str) {
    let dir = manifest().join("tests/fixtures/diff");
    let output = pactum(&dir, &["diff", "--files", "old.md", "new.md", "--format", format, "--color", "never"]);
    assert!(output.status.success(), "{}", text(&output));
    support::snapshot(&dir.join(file), &String::from_utf8(output.stdout).unwrap());
}

#[test]
fn terminal_snapshot() {
    snapshot("terminal", "expected.txt");
}

#[test]
fn markdown_snapshot() {
    snapshot("markdown", "expected.md");
}

#[test]
fn html_snapshot() {
    snapshot("html", "expected.html");
}

#[test]
fn terminal_colours_deletions_and_insertions() {
    let dir = manifest().join("tests/fixtures/diff");
    let output = text(&pactum(&dir, &["diff", "--files", "old.md", "new.md", "--color", "always"]));
    assert!(
        output.contains("\u{1b}[31;9mthe rate set by the Norwegian") && output.contains("Interest Act\u{1b}[0m"),
        "{output}"
    );
    assert!(output.contains("\u{1b}[32;4m8% a year\u{1b}[0m"), "{output}");
    let plain = text(&pactum(&dir, &["diff", "--files", "old.md", "new.md"]));
    assert!(
        plain.contains("[-the rate set by the Norwegian Late Payment")
            && plain.contains("{+8% a year+}")
            && !plain.contains('\u{1b}')
    );
}

#[test]
fn markdown_comment_stays_within_githubs_limit() {
    let dir = tempfile::tempdir().unwrap();
    let clause = |n: usize, word: &str| {
        format!(
            "{n}. **Clause {n}**. The parties agree that {word} applies to clause {n} and nothing else, in every case, at all times.\n"
        )
    };
    let old: String = (1..=800).map(|n| clause(n, "the old rule")).collect();
    let new: String = (1..=800).map(|n| clause(n, "the new rule")).collect();
    std::fs::write(dir.path().join("old.md"), old).unwrap();
    std::fs::write(dir.path().join("new.md"), new).unwrap();
    let output = pactum(dir.path(), &["diff", "--files", "old.md", "new.md", "--format", "markdown"]);
    let comment = String::from_utf8(output.stdout).unwrap();
    assert!(comment.len() < 65_536, "{} characters", comment.len());
    assert!(comment.starts_with("<!-- pactum:diff -->"));
    assert!(comment.contains("more change(s) not shown"), "a clear note says what was left out");
    assert!(comment.contains("| new.md | modified | 800 |"), "a file without an id is named by its path");
}

// ---- a real Git repository ----

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=Alice Lawyer",
            "-c",
            "user.email=alice@example.com",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2025-03-01T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2025-03-01T10:00:00Z")
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

fn write(dir: &Path, path: &str, content: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

fn nda(id: &str, purpose: &str) -> String {
    format!(
        "+++\nid = \"{id}\"\ntitle = \"NDA {id}\"\ntype = \"nda\"\nstatus = \"draft\"\nowner = \"@legal\"\neffective_date = 2025-01-01\n\n[[parties]]\nname = \"A\"\nrole = \"one\"\n\n[[parties]]\nname = \"B\"\nrole = \"two\"\n+++\n\n# NDA\n\n1. **Purpose**. {purpose}\n2. **Term**. Two years.\n3. **Law**. Norwegian law applies.\n"
    )
}

/// main: two NDAs. feature (branched off main): acme's purpose reworded, globex's file moved,
/// a third NDA added; merged into main with a real merge commit after main got its own commit.
/// Working tree: an uncommitted edit.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "pactum.toml", "");
    write(root, "contracts/acme.md", &nda("acme-nda", "Evaluating a partnership."));
    write(root, "contracts/globex.md", &nda("globex-nda", "Evaluating an acquisition."));
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "Two NDAs"]);
    git(root, &["tag", "v1"]);
    git(root, &["checkout", "-q", "-b", "feature"]);
    write(root, "contracts/acme.md", &nda("acme-nda", "Evaluating a joint venture in Norway."));
    std::fs::create_dir_all(root.join("contracts/globex")).unwrap();
    git(root, &["mv", "contracts/globex.md", "contracts/globex/nda.md"]);
    write(root, "contracts/initech.md", &nda("initech-nda", "Evaluating a licence."));
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "Rework acme, move globex, add initech"]);
    git(root, &["checkout", "-q", "main"]);
    write(root, "README.md", "contracts\n");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "Readme on main"]);
    git(root, &["checkout", "-q", "feature"]);
    dir
}

fn contracts_changed(report: &serde_json::Value) -> Vec<(String, String)> {
    report["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_owned(), c["change"].as_str().unwrap().to_owned()))
        .collect()
}

fn pair(id: &str, change: &str) -> (String, String) {
    (id.into(), change.into())
}

#[test]
fn every_way_of_naming_revisions() {
    let dir = repository();
    let root = dir.path();
    let branch = vec![pair("acme-nda", "modified"), pair("globex-nda", "renamed"), pair("initech-nda", "added")];
    // Default: merge base of main and HEAD against the working tree, as a pull request shows.
    assert_eq!(contracts_changed(&json(root, &["diff"])), branch);
    // An uncommitted edit shows in the default diff.
    write(root, "contracts/globex/nda.md", &nda("globex-nda", "Evaluating an acquisition of shares."));
    let report = json(root, &["diff"]);
    assert_eq!(
        contracts_changed(&report),
        [pair("acme-nda", "modified"), pair("globex-nda", "renamed"), pair("initech-nda", "added")]
    );
    assert_eq!(report["contracts"][1]["old_path"], "contracts/globex.md");
    assert_eq!(report["contracts"][1]["path"], "contracts/globex/nda.md");
    assert_eq!(report["contracts"][1]["clauses"][0]["change"], "modified");
    assert_eq!(report["head"], "working tree");
    // BASE HEAD, BASE..HEAD and BASE...HEAD name committed states only.
    assert_eq!(contracts_changed(&json(root, &["diff", "main", "feature"])), branch);
    assert_eq!(contracts_changed(&json(root, &["diff", "v1..feature"])), branch);
    assert_eq!(contracts_changed(&json(root, &["diff", "main...feature"])), branch);
    // BASE alone: against the working tree.
    let against_tree = json(root, &["diff", "v1"]);
    assert_eq!(against_tree["contracts"][1]["clauses"][0]["change"], "modified");
    // The other way round: removed and renamed back.
    assert_eq!(
        contracts_changed(&json(root, &["diff", "feature", "main"])),
        [pair("acme-nda", "modified"), pair("globex-nda", "renamed"), pair("initech-nda", "removed")]
    );
    // -- PATH limits the diff.
    assert_eq!(
        contracts_changed(&json(root, &["diff", "main", "feature", "--", "contracts/initech.md"])),
        [pair("initech-nda", "added")]
    );
    // After the merge, main has everything: nothing left to show against feature.
    git(root, &["checkout", "-q", "--", "."]);
    git(root, &["checkout", "-q", "main"]);
    git(root, &["merge", "-q", "--no-ff", "-m", "Merge pull request #1 from northwind/feature", "feature"]);
    assert_eq!(contracts_changed(&json(root, &["diff", "feature", "main"])), Vec::<(String, String)>::new());
    assert_eq!(contracts_changed(&json(root, &["diff", "HEAD~1", "HEAD"])), branch);
    let clause = &json(root, &["diff", "HEAD^1", "HEAD"])["contracts"][0]["clauses"][0];
    assert_eq!((clause["change"].as_str(), clause["new"]["heading"].as_str()), (Some("modified"), Some("Purpose")));
}

#[test]
fn bad_revisions_paths_and_files_are_clear_errors() {
    let dir = repository();
    let root = dir.path();
    let unknown = pactum(root, &["diff", "no-such-branch"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown).contains("unknown revision `no-such-branch`"), "{}", text(&unknown));
    let not_contract = pactum(root, &["diff", "main", "feature", "--", "README.md"]);
    assert_eq!(not_contract.status.code(), Some(2));
    assert!(text(&not_contract).contains("is not a contract"), "{}", text(&not_contract));
    std::fs::write(root.join("binary.md"), [0u8, 159, 146, 150]).unwrap();
    let binary = pactum(root, &["diff", "--files", "contracts/acme.md", "binary.md"]);
    assert_eq!(binary.status.code(), Some(2));
    assert!(text(&binary).contains("binary"), "{}", text(&binary));
    let missing = pactum(root, &["diff", "--files", "contracts/acme.md", "nope.md"]);
    assert_eq!(missing.status.code(), Some(2));
    let files_as_revisions = pactum(root, &["diff", "contracts/acme.md", "binary.md"]);
    assert_eq!(files_as_revisions.status.code(), Some(2));
    assert!(
        text(&files_as_revisions).contains("pactum diff --files contracts/acme.md binary.md"),
        "{}",
        text(&files_as_revisions)
    );
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("pactum.toml"), "").unwrap();
    let no_git = pactum(outside.path(), &["diff"]);
    assert_eq!(no_git.status.code(), Some(2));
    assert!(text(&no_git).contains("--files"), "{}", text(&no_git));
    // A contract that cannot be parsed in one revision is left out with a warning, not a crash.
    write(root, "contracts/broken.md", "+++\nid = = \n+++\n1. **X**. Y.\n");
    let output = pactum(root, &["diff", "--format", "json"]);
    assert!(output.status.success(), "{}", text(&output));
}

/// The HTML redline as a reader sees it, in a real browser: Debian's Chromium renders the page
/// headless and the test reads the DOM it built (`.ci/run` installs Chromium).
#[test]
fn html_redline_in_a_browser() {
    let Some(chromium) = support::browser::chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("redline.html");
    let fixtures = manifest().join("tests/fixtures/diff");
    let output =
        pactum(&fixtures, &["diff", "--files", "old.md", "new.md", "--format", "html", "-o", page.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    let dom = support::browser::dom(chromium, dir.path(), &page);
    // A screen reader hears what a change is: the words say it, hidden from sight.
    assert!(
        dom.contains(
            "<del><span class=\"sr\">[deleted: </span>the rate set by the Norwegian Late Payment Interest Act<span class=\"sr\">]</span></del>"
        ),
        "{dom}"
    );
    assert!(dom.contains("<ins><span class=\"sr\">[inserted: </span>8% a year<span class=\"sr\">]</span></ins>"));
    assert!(
        dom.contains("class=\"moved-from\"") && dom.contains("class=\"moved-to\""),
        "moved text is marked at both ends"
    );
    assert!(dom.contains("href=\"#c0-3\""), "the change list links to each clause");
    // The styles the browser computed, written into the DOM by a probe script.
    let probe = dir.path().join("probe.html");
    let html = std::fs::read_to_string(&page).unwrap().replace(
        "</body>",
        "<script>const d=getComputedStyle(document.querySelector('del')),i=getComputedStyle(document.querySelector('ins'));\
         const m=getComputedStyle(document.querySelector('.moved-from')),h=document.querySelector('.sr').getBoundingClientRect();\
         const flag=document.querySelector('section.material h3').textContent;\
         document.body.setAttribute('data-probe',[d.color,d.textDecorationLine,i.color,i.textDecorationLine,m.textDecorationLine,h.width<=1&&h.height<=1,/material/.test(flag)].join('|'));</script></body>",
    );
    std::fs::write(&probe, html).unwrap();
    let dom = support::browser::dom(chromium, dir.path(), &probe);
    // Deletions red and struck, insertions blue and underlined; the "moved from" note readable,
    // not struck; the hidden words take no room; a material clause says so in words.
    assert!(
        dom.contains("data-probe=\"rgb(176, 0, 32)|line-through|rgb(0, 51, 204)|underline|none|true|true\""),
        "{}",
        dom.lines().find(|l| l.contains("data-probe")).unwrap_or("")
    );
}

/// The redline a reviewer reads first, on a real merge: a clause inserted, one moved, the rest
/// renumbered, a defined term renamed, the liability cap and the payment days lowered, a clause
/// rewritten in place, sub-clauses relabelled, a link changed, and the preamble, an exhibit and a
/// footnote edited; another contract removed.
#[test]
fn a_reviewers_redline() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let fixtures = manifest().join("tests/fixtures/diff/review");
    let old = std::fs::read_to_string(fixtures.join("old.md")).unwrap();
    let new = std::fs::read_to_string(fixtures.join("new.md")).unwrap();
    git(root, &["init", "-q"]);
    write(root, "pactum.toml", "");
    write(root, "contracts/acme/msa.md", &old);
    write(root, "contracts/globex.md", &nda("globex-nda", "Evaluating an acquisition."));
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "The MSA as signed"]);
    git(root, &["checkout", "-q", "-b", "renegotiation"]);
    write(root, "contracts/acme/msa.md", &new);
    git(root, &["rm", "-q", "contracts/globex.md"]);
    git(root, &["commit", "-q", "-am", "Renegotiated terms"]);
    git(root, &["checkout", "-q", "main"]);
    git(root, &["merge", "-q", "--no-ff", "-m", "Merge pull request #7 from northwind/renegotiation", "renegotiation"]);
    let report = json(root, &["diff", "HEAD^1", "HEAD"]);
    let msa = report["contracts"].as_array().unwrap().iter().find(|c| c["id"] == "acme-msa").unwrap();
    let clauses = msa["clauses"].as_array().unwrap();
    let find = |name: &str| {
        clauses
            .iter()
            .find(|c| {
                let side = if c["new"].is_null() { &c["old"] } else { &c["new"] };
                side["number"] == name || side["heading"] == name
            })
            .unwrap_or_else(|| panic!("no change to {name}: {msa}"))
    };
    // 0. Every word belongs to a unit the redline reports.
    for (unit, kind, inserted) in
        [("Preamble", "preamble", "2035"), ("Exhibit A", "part", "5,000"), ("Footnote 1", "footnote", "and travel")]
    {
        let change = find(unit);
        assert_eq!((change["change"].as_str(), change["new"]["unit"].as_str()), (Some("modified"), Some(kind)));
        assert!(change["redline"].as_array().unwrap().iter().any(|s| s["op"] == "insert" && s["text"] == inserted));
    }
    // 1. Material by an ancestor's heading; renumbering alone never; a moved material clause stays.
    assert_eq!(find("2.1")["material"], true, "2.1 sits under Payment");
    assert_eq!(find("6.2")["material"], true, "6.2 sits under Limitation of Liability");
    assert_eq!(find("8")["change"], "renumbered");
    assert_eq!(find("8")["material"], false, "Term and Termination was only renumbered");
    assert_eq!((find("7")["change"].as_str(), find("7")["material"].as_bool()), (Some("moved"), Some(true)));
    // 5. The renamed term once, with the clauses that follow from it.
    assert_eq!(
        msa["terms"],
        serde_json::json!([{ "old": "Deliverables", "new": "Work Product", "clauses": ["1.1", "3", "3.1", "3.2"] }])
    );
    assert_eq!(find("3.1")["follows_rename"], true);
    assert!(find("2.1").get("follows_rename").is_none());
    // 6. 3.3 rewritten in place: modified, with a full redline.
    assert_eq!(
        (find("3.3")["change"].as_str(), find("3.3")["old"]["number"].as_str()),
        (Some("modified"), Some("3.3"))
    );
    // 7. (a) → (i) with the same words is a relabelling by hand, which changes how the clause is
    // cited: modified, with no word inserted or deleted; a changed link is shown.
    assert_eq!(
        (find("5.1(i)")["change"].as_str(), find("5.1(i)")["old"]["number"].as_str()),
        (Some("modified"), Some("4.1(a)"))
    );
    assert!(
        find("9.2")["redline"].as_array().unwrap().iter().any(|s| s["op"] == "insert" && s["text"] == "notices-v2")
    );

    let terminal = text(&pactum(root, &["diff", "HEAD^1", "HEAD", "--color", "never"]));
    // 2. Added clauses show their words; 3. with the parent's heading.
    assert!(
        terminal.contains("  + 4.1 — Audit (added +10 −0)\n      {+Customer may audit Provider once a year"),
        "{terminal}"
    );
    assert!(terminal.contains("  ~ 6.2 — Limitation of Liability (modified +1 −1) [material]\n"), "{terminal}");
    // 4. Runs of renumbered clauses are one line; the removed contract is one line.
    assert!(terminal.contains("  # 7–8.1 renumbered to 8–9.1\n"), "{terminal}");
    assert!(terminal.contains("  # 4–4.1 renumbered to 5–5.1\n"), "{terminal}");
    // Relabelled (a) → (i) by hand: its own line, modified though no word changed.
    assert!(terminal.contains("  ~ 4.1(a) → 5.1(i) — Confidentiality (modified)\n"), "{terminal}");
    assert!(terminal.contains("contracts/globex.md (globex-nda): removed\n\n"), "{terminal}");
    assert!(terminal.contains("  term renamed: “Deliverables” → “Work Product” (1.1, 3, 3.1, 3.2)\n"), "{terminal}");
    let markdown = text(&pactum(root, &["diff", "HEAD^1", "HEAD", "--format", "markdown"]));
    assert!(markdown.contains("<p>7–8.1 renumbered to 8–9.1: same words.</p>"), "{markdown}");
    assert!(!markdown.contains("Term and Termination — renumbered"), "{markdown}");
    let material = &markdown[markdown.find("Material changes").unwrap()..markdown.find("### contracts/acme").unwrap()];
    assert!(material.contains("clause 6.2 — Limitation of Liability (modified)"), "{material}");
    assert!(!material.contains("renumbered") && !material.contains("globex"), "{material}");
    let html = text(&pactum(root, &["diff", "HEAD^1", "HEAD", "--format", "html"]));
    assert!(html.contains(">7–8.1 renumbered to 8–9.1</a> — renumbered</li>"), "{html}");
    assert!(html.contains("<p>The contract was removed.</p>"));
}

/// However many contracts change, the comment stays under its cap: the summary table and the
/// material list are capped too, each with a note of what it left out.
#[test]
fn markdown_comment_is_capped_for_any_number_of_contracts() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "pactum.toml", "");
    let contract = |n: usize, days: &str| {
        format!(
            "+++\nid = \"supplier-agreement-number-{n:04}\"\ntitle = \"Supplier {n}\"\ntype = \"msa\"\nstatus = \"draft\"\n[value]\namount = {n}\ncurrency = \"USD\"\n+++\n\n## 1. Payment\n\n1.1 Customer pays within {days} days.\n"
        )
    };
    for n in 0..400 {
        write(root, &format!("contracts/supplier-{n:04}.md"), &contract(n, "thirty"));
    }
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "Suppliers"]);
    for n in 0..400 {
        write(root, &format!("contracts/supplier-{n:04}.md"), &contract(n + 1, "sixty"));
    }
    git(root, &["commit", "-q", "-am", "New terms for every supplier"]);
    let comment = String::from_utf8(pactum(root, &["diff", "HEAD~1", "HEAD", "--format", "markdown"]).stdout).unwrap();
    assert!(comment.chars().count() <= 60_000, "{} characters", comment.chars().count());
    assert!(comment.contains("more contracts, not shown"), "the table says what it left out");
    assert!(comment.contains("more material changes, not shown"), "the material list too");
    assert!(comment.contains("more change(s) not shown"), "and the sections");
}

/// The ledger's details: `approvals` lists a clause once however many changes touched its
/// number, and `log` shows a landing that changed only front-matter fields, naming them.
#[test]
fn ledger_lists_clauses_once_and_field_only_landings() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "pactum.toml", "");
    let contract = |amount: u32, body: &str| {
        format!(
            "+++\nid = \"acme\"\ntitle = \"Acme\"\ntype = \"msa\"\nstatus = \"draft\"\n[value]\namount = {amount}\ncurrency = \"USD\"\n+++\n\n{body}"
        )
    };
    let three =
        "1. **Scope**. Alpha bravo charlie.\n2. **Audit**. Delta echo foxtrot.\n3. **Fees**. Golf hotel india.\n";
    write(root, "contracts/acme.md", &contract(100, three));
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "Acme"]);
    // Clause 2 struck: Fees becomes 2. Two changes name clause 2; it is listed once.
    let two = "1. **Scope**. Alpha bravo charlie.\n2. **Fees**. Golf hotel india.\n";
    write(root, "contracts/acme.md", &contract(100, two));
    git(root, &["commit", "-q", "-am", "Strike the audit clause"]);
    // Only the value changes.
    write(root, "contracts/acme.md", &contract(250, two));
    git(root, &["commit", "-q", "-am", "A bigger deal"]);
    let approvals = json(root, &["approvals"]);
    let entries = approvals["entries"].as_array().unwrap();
    assert_eq!(entries[1]["clauses_changed"], serde_json::json!(["2"]), "{}", entries[1]);
    assert_eq!(entries[2]["clauses_changed"], serde_json::json!([]));
    let log = json(root, &["log", "acme"]);
    let events: Vec<(&str, &str)> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["detail"].as_str().unwrap()))
        .collect();
    assert_eq!(events.last(), Some(&("fields", "changed /value/amount")), "{events:?}");
    assert!(text(&pactum(root, &["log", "acme"])).contains("changed /value/amount"));
}

/// The ledger reads history in batches, forgets versions a later commit replaced, and reads the
/// next batch while it diffs the current one. Over 150 landings, with a revert to a forgotten
/// version, a copy, a rename and a removal, every entry agrees with `pactum diff` of the commit
/// against its parent, which reads both trees directly.
#[test]
fn ledger_over_many_batches_agrees_with_diff_of_each_commit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "pactum.toml", "");
    let contract = |id: &str, n: usize| {
        let mut clauses = String::new();
        for c in 1..=6 {
            let word = if c == 1 + n % 6 { format!("revision {n}") } else { "the first wording".to_owned() };
            clauses.push_str(&format!("{c}. **Clause {c}**. The parties agree to {word} in clause {c}.\n"));
        }
        format!("+++\nid = \"{id}\"\ntitle = \"{id}\"\ntype = \"msa\"\nstatus = \"draft\"\n+++\n\n# {id}\n\n{clauses}")
    };
    write(root, "contracts/a.md", &contract("a", 0));
    write(root, "contracts/b.md", &contract("b", 0));
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "Start"]);
    for n in 1..=150 {
        match n {
            // Back to the version of commit 3, long forgotten by then.
            90 => write(root, "contracts/a.md", &contract("a", 3)),
            // A copy: the same blob at two paths, then one of them edited.
            100 => write(root, "contracts/c.md", &std::fs::read_to_string(root.join("contracts/b.md")).unwrap()),
            101 => write(root, "contracts/c.md", &contract("b-copy", 101)),
            120 => {
                std::fs::create_dir_all(root.join("contracts/moved")).unwrap();
                git(root, &["mv", "contracts/b.md", "contracts/moved/b.md"]);
            }
            140 => {
                git(root, &["rm", "-q", "contracts/c.md"]);
            }
            _ if n % 2 == 0 => write(root, "contracts/a.md", &contract("a", n)),
            _ => {
                let b = if n > 120 { "contracts/moved/b.md" } else { "contracts/b.md" };
                write(root, b, &contract("b", n));
            }
        }
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", &format!("Change {n}")]);
    }
    let approvals = json(root, &["approvals"]);
    let entries = approvals["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2 + 150, "one entry a landing, two for the first");
    let commits: Vec<String> = {
        let output = Command::new("git").args(["rev-list", "--reverse", "HEAD"]).current_dir(root).output().unwrap();
        String::from_utf8(output.stdout).unwrap().lines().map(str::to_owned).collect()
    };
    for entry in &entries[2..] {
        // The copy has b's id too until the next commit: `diff` pairs contracts by id, the ledger
        // by file. The ledger names the copy by its own path, though its blob is b's.
        if entry["subject"] == "Change 100" {
            assert_eq!((entry["path"].as_str(), entry["status_before"].as_str()), (Some("contracts/c.md"), None));
            continue;
        }
        if entry["subject"] == "Change 101" {
            assert_eq!((entry["path"].as_str(), entry["contract"].as_str()), (Some("contracts/c.md"), Some("b-copy")));
            continue;
        }
        let commit = entry["commit"].as_str().unwrap();
        let at = commits.iter().position(|c| c == commit).unwrap();
        let diff = json(root, &["diff", &commits[at - 1], commit]);
        let changed = diff["contracts"].as_array().unwrap();
        assert_eq!(changed.len(), 1, "{commit}: {diff}");
        let mut expected: Vec<String> = Vec::new();
        for clause in changed[0]["clauses"].as_array().unwrap() {
            let side = if clause["new"].is_null() { &clause["old"] } else { &clause["new"] };
            let cited = match side["number"].as_str().unwrap() {
                "" => side["heading"].as_str().unwrap().to_owned(),
                number => number.to_owned(),
            };
            if !expected.contains(&cited) {
                expected.push(cited);
            }
        }
        assert_eq!(entry["clauses_changed"], serde_json::json!(expected), "{commit} ({})", entry["subject"]);
        assert_eq!(entry["path"], changed[0]["path"], "{commit}");
    }
    // The revert shows the clause it changed back; the rename is one entry at the new path.
    let revert = entries.iter().find(|e| e["subject"] == "Change 90").unwrap();
    // Commit 88 had rewritten clause 5; the version of commit 3 rewrites clause 4.
    assert_eq!(revert["clauses_changed"], serde_json::json!(["4", "5"]), "{revert}");
    let moved = entries.iter().find(|e| e["subject"] == "Change 120").unwrap();
    assert_eq!(moved["path"], "contracts/moved/b.md");
}

/// `--exit-code`, as `git diff --exit-code`: 1 when a contract changed, 0 when none did, and
/// the redline is written either way.
#[test]
fn exit_code_says_whether_a_contract_changed() {
    let dir = tempfile::tempdir().unwrap();
    let nda = manifest().join("example-repo/contracts/globex/mutual-nda.md");
    let original = std::fs::read_to_string(&nda).unwrap();
    std::fs::write(dir.path().join("same.md"), &original).unwrap();
    std::fs::write(dir.path().join("other.md"), original.replacen("confidential", "secret", 1)).unwrap();
    let files = |new: &str| {
        pactum(dir.path(), &["diff", "--files", nda.to_str().unwrap(), new, "--format", "markdown", "--exit-code"])
    };
    let same = files("same.md");
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));
    let changed = files("other.md");
    assert_eq!(changed.status.code(), Some(1), "{}", text(&changed));
    assert!(String::from_utf8_lossy(&changed.stdout).contains("secret"));
    let without = pactum(dir.path(), &["diff", "--files", nda.to_str().unwrap(), "other.md"]);
    assert_eq!(without.status.code(), Some(0), "without --exit-code a change is no failure");
}
