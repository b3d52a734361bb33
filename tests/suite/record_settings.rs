//! The record holds against its own settings and files: each test is an attempt to get an
//! executed contract changed, or a change past review, through the settings and files around
//! the contracts, in a real repository with real merges, through the commands a CI job runs
//! (`check` on the pull request, `policy` against its base, `audit` after the merge).

use crate::support;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use support::git::{ALICE, BEA, GITHUB, Script};
use support::text;
use support::today::{SIGN_ACME, SIGN_US, ok, pactum};

const NDA: &str = "contracts/acme-nda.md";

/// A repository made by `pactum init` (its policies, `require_seal`) with one NDA drafted and
/// executed on main.
fn signed() -> Script {
    let mut s = Script::new();
    ok(s.root(), &["init"]);
    ok(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    ok(s.root(), &["execute", NDA, "--signature", SIGN_ACME, "--signature", SIGN_US]);
    s.commit(&ALICE, &ALICE, "Executed the Acme NDA");
    s
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap()
}

fn edit(root: &Path, path: &str, from: &str, to: &str) {
    let text = read(root, path);
    assert!(text.contains(from), "{from} in {text}");
    std::fs::write(root.join(path), text.replacen(from, to, 1)).unwrap();
}

/// The term of the NDA, weakened in its body.
fn weaken(root: &Path) {
    edit(root, NDA, "survive it for three years", "survive it for three days");
}

/// The findings of `pactum check` as `code: message` lines, and its exit code.
fn check(root: &Path) -> (Option<i32>, Vec<String>) {
    let (code, found) = support::today::check_json(root, &[]);
    let findings = found
        .iter()
        .map(|d| {
            format!(
                "{}: {}: {}",
                d["path"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    (code, findings)
}

fn has(findings: &[String], path: &str, code: &str) -> bool {
    findings.iter().any(|f| f.starts_with(&format!("{path}: {code}:")))
}

/// Assert that `check` fails with a finding of each of `codes` on `path`; its findings.
fn refused(root: &Path, path: &str, codes: &[&str]) -> Vec<String> {
    let (code, findings) = check(root);
    assert_eq!(code, Some(1), "{findings:#?}");
    for wanted in codes {
        assert!(has(&findings, path, wanted), "{wanted} on {path} in {findings:#?}");
    }
    findings
}

/// `pactum policy` against main: its exit code and human output.
fn policy(root: &Path) -> (Option<i32>, String) {
    let output = pactum(root, &["policy"]);
    (output.status.code(), text(&output))
}

/// Merge `branch` into main as GitHub does, without any approval on record.
fn land(s: &mut Script, branch: &str, number: u32) {
    s.checkout(&["main"]);
    s.merge(&BEA, &GITHUB, &[branch], &format!("Merge pull request #{number} from acme/{branch}"));
}

/// `pactum audit`'s findings after the first commit (a direct push of its own), as (kind, path,
/// message).
fn audit(root: &Path) -> (Option<i32>, Vec<(String, String, String)>) {
    let output = pactum(root, &["audit", "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&output)));
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] != "direct-push")
        .map(|f| {
            let field = |key: &str| f[key].as_str().unwrap_or_default().to_owned();
            (field("kind"), field("path"), field("message"))
        })
        .collect();
    (output.status.code(), findings)
}

fn kinds(findings: &[(String, String, String)]) -> Vec<(&str, &str)> {
    findings.iter().map(|(kind, path, _)| (kind.as_str(), path.as_str())).collect()
}

/// The hash `pactum execute` seals a body with, of the file at `path` now.
fn body_hash(root: &Path, path: &str) -> String {
    let contract = pactum_core::contract::Contract::read(
        path,
        read(root, path),
        pactum_core::contract::FrontMatterRule::Required,
        &mut Vec::new(),
    );
    let body = &contract.text[contract.layout.as_ref().unwrap().body..];
    pactum_core::contract::seal::body_hash(body)
}

/// A pull request that changes `setting` in pactum.toml so that the NDA is no longer among the
/// contracts, and weakens the NDA in the same change: `check` and `policy` refuse it, and once
/// merged unapproved, `audit` reports both the rules changed and the executed contract changed.
fn hiding_the_nda_is_refused(setting: &str, (from, to): (&str, &str), number: u32) {
    let mut s = signed();
    s.checkout(&["-b", "hide"]);
    edit(s.root(), "pactum.toml", from, to);
    s.write("elsewhere/README.md", "Nothing here yet.\n");
    weaken(s.root());
    s.commit(&BEA, &BEA, "Tidy the settings; weaken the NDA");
    refused(s.root(), NDA, &["executed/not-checked"]);
    let (code, shown) = policy(s.root());
    assert_eq!(code, Some(1), "{shown}");
    assert!(shown.contains("✗ rules (pactum.toml): \"Changes to the repository's rules\""), "{shown}");
    assert!(shown.contains(&format!("rules changed: pactum.toml [repository] {setting}")), "{shown}");
    assert!(shown.contains("no longer checked: acme-nda (contracts/acme-nda.md)"), "{shown}");
    land(&mut s, "hide", number);
    let (code, findings) = audit(s.root());
    assert_eq!(code, Some(1));
    assert_eq!(
        kinds(&findings),
        [("governance-unapproved", "pactum.toml"), ("executed-changed", NDA)],
        "{findings:#?}"
    );
    assert!(findings[0].2.contains(&format!("[repository] {setting}")), "{}", findings[0].2);
}

#[test]
fn moving_the_contracts_folder_leaves_the_executed_contract_on_the_record() {
    hiding_the_nda_is_refused("contracts", ("contracts = \"contracts\"", "contracts = \"elsewhere\""), 1);
}

#[test]
fn excluding_an_executed_contract_hides_nothing() {
    let exclude = "contracts = \"contracts\"\nexclude = [\"contracts/acme-nda.md\"]";
    hiding_the_nda_is_refused("exclude", ("contracts = \"contracts\"", exclude), 5);
}

/// An amendment of the NDA recording its weakened body, as written by hand.
fn hand_written_amendment(root: &Path, status: &str) -> String {
    format!(
        "+++\nid = \"acme-nda-amendment-1\"\ntitle = \"Amendment 1\"\ntype = \"nda\"\nstatus = \"{status}\"\nowner = \"@legal\"\neffective_date = 2026-12-01\namends = \"acme-nda\"\n\n[[parties]]\nname = \"Our Company AS\"\nrole = \"party-1\"\n\n[[parties]]\nname = \"Acme, Inc.\"\nrole = \"party-2\"\n\n[execution]\namends_body_sha256 = \"{}\"\n+++\n\n# Amendment 1\n\n1. **Survival**. The duties of confidentiality of the NDA survive it for three days.\n",
        body_hash(root, NDA)
    )
}

#[test]
fn an_amendment_excuses_nothing_unless_it_is_itself_executed() {
    let mut s = signed();
    s.checkout(&["-b", "amend"]);
    weaken(s.root());
    let amendment = "contracts/acme-nda-amendment-1.md";
    s.write(amendment, &hand_written_amendment(s.root(), "draft"));
    s.commit(&BEA, &BEA, "Amend the NDA");
    refused(s.root(), NDA, &["executed/body-changed"]);
    // Typed as executed, with a seal of its own text but no signatures: still nothing.
    let typed = hand_written_amendment(s.root(), "executed");
    s.write(amendment, &typed);
    let own = body_hash(s.root(), amendment);
    s.write(amendment, &typed.replace("[execution]\n", &format!("[execution]\nbody_sha256 = \"{own}\"\n")));
    s.commit(&BEA, &BEA, "The amendment is executed");
    refused(s.root(), NDA, &["executed/body-changed"]);
    land(&mut s, "amend", 2);
    let (_, findings) = audit(s.root());
    assert!(kinds(&findings).contains(&("executed-changed", NDA)), "{findings:#?}");
    // Executed for real, signed by both parties, it excuses exactly the body it records.
    let mut s = signed();
    s.checkout(&["-b", "amend-properly"]);
    weaken(s.root());
    s.write(
        amendment,
        &hand_written_amendment(s.root(), "draft").replace("\n[execution]\namends_body_sha256 = \"", "\n# was: \""),
    );
    ok(s.root(), &["execute", amendment, "--signature", SIGN_ACME, "--signature", SIGN_US]);
    assert_eq!(check(s.root()).0, Some(0), "{:#?}", check(s.root()).1);
    s.commit(&BEA, &BEA, "Amendment 1, executed");
    assert_eq!(check(s.root()).0, Some(0), "{:#?}", check(s.root()).1);
    // One word more than it records is not excused.
    edit(s.root(), NDA, "three days", "three hours");
    assert!(has(&check(s.root()).1, NDA, "executed/body-changed"));
    edit(s.root(), NDA, "three hours", "three days");
    land(&mut s, "amend-properly", 6);
    let (_, findings) = audit(s.root());
    assert!(!kinds(&findings).iter().any(|(kind, _)| *kind == "executed-changed"), "{findings:#?}");
}

#[test]
fn a_seal_computed_again_by_hand_is_refused() {
    let mut s = signed();
    s.checkout(&["-b", "reseal"]);
    let sealed = body_hash(s.root(), NDA);
    weaken(s.root());
    edit(s.root(), NDA, &sealed, &body_hash(s.root(), NDA));
    s.commit(&BEA, &BEA, "Weaken and reseal");
    refused(s.root(), NDA, &["executed/body-changed", "executed/seal-changed"]);
}

/// The NDA's front matter without its `[execution]` record.
fn without_seal(text: &str) -> String {
    let start = text.find("\n[execution]").unwrap();
    let end = start + text[start..].find("\n+++").unwrap();
    format!("{}{}", &text[..start], &text[end..])
}

#[test]
fn a_removed_seal_is_refused() {
    let mut s = signed();
    s.checkout(&["-b", "unseal"]);
    weaken(s.root());
    s.write(NDA, &without_seal(&read(s.root(), NDA)));
    s.commit(&BEA, &BEA, "Drop the seal");
    let findings = refused(s.root(), NDA, &["executed/body-changed", "executed/seal-changed"]);
    assert!(
        findings.iter().any(|f| f.starts_with(&format!("{NDA}: executed/seal-changed")) && f.contains("was removed")),
        "{findings:#?}"
    );
}

#[test]
fn executing_again_does_not_sign_a_changed_text() {
    let mut s = signed();
    s.checkout(&["-b", "again"]);
    let text = without_seal(&read(s.root(), NDA));
    let signatures = text.find("\n[[signatures]]").unwrap();
    let front_end = text[signatures..].find("\n+++").unwrap() + signatures;
    let unsigned = format!("{}{}", &text[..signatures], &text[front_end..])
        .replace("status = \"executed\"", "status = \"approved\"");
    s.write(NDA, &unsigned);
    weaken(s.root());
    s.commit(&BEA, &BEA, "Back to approved");
    ok(s.root(), &["execute", NDA, "--signature", SIGN_ACME, "--signature", SIGN_US]);
    s.commit(&BEA, &BEA, "Executed again");
    refused(s.root(), NDA, &["executed/body-changed", "executed/seal-changed"]);
}

#[test]
fn moving_the_start_of_the_record_is_governed_and_stays_on_it() {
    let mut s = signed();
    s.checkout(&["-b", "since"]);
    // `init` wrote where the record starts; the change moves it past everything.
    let config = read(s.root(), "pactum.toml");
    let table = config.find("\n[audit]\n").unwrap();
    let at = table + config[table..].find("\nsince = \"").unwrap() + "\nsince = \"".len();
    s.write("pactum.toml", &format!("{}2099-01-01{}", &config[..at], &config[at + "YYYY-MM-DD".len()..]));
    weaken(s.root());
    s.commit(&BEA, &BEA, "Start the record later; weaken the NDA");
    let (code, shown) = policy(s.root());
    assert_eq!(code, Some(1), "{shown}");
    assert!(shown.contains("rules changed: pactum.toml [audit]"), "{shown}");
    land(&mut s, "since", 3);
    let (code, findings) = audit(s.root());
    assert_eq!(code, Some(1));
    assert_eq!(
        kinds(&findings),
        [("governance-unapproved", "pactum.toml"), ("executed-changed", NDA)],
        "{findings:#?}"
    );
}

#[test]
fn a_main_branch_of_ones_choosing_is_refused() {
    let mut s = signed();
    s.git(&BEA, &BEA, &["branch", "decoy"]);
    s.checkout(&["-b", "point"]);
    edit(s.root(), "pactum.toml", "main_branch = \"main\"", "main_branch = \"decoy\"");
    weaken(s.root());
    s.commit(&BEA, &BEA, "Read the record from elsewhere");
    // Against its base, the change of branch is a change to the rules …
    let output = pactum(s.root(), &["policy", "--base", "main"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(text(&output).contains("rules changed: pactum.toml [repository] main_branch"), "{}", text(&output));
    // … and the branch it names disowns the name, which policy says when it looks for main.
    let (code, shown) = policy(s.root());
    assert_eq!(code, Some(2), "{shown}");
    assert!(shown.contains("names `decoy` as the main branch"), "{shown}");
    land(&mut s, "point", 4);
    let output = pactum(s.root(), &["audit"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output)
            .contains("pactum.toml names `decoy` as the main branch, but `decoy`'s own pactum.toml names `main`"),
        "{}",
        text(&output)
    );
}

#[cfg(unix)]
#[test]
fn a_contract_that_is_a_symbolic_link_is_refused() {
    let mut s = signed();
    let nda = read(s.root(), NDA);
    s.write("notes/b.md", &nda.replace("acme-nda", "b-nda"));
    std::os::unix::fs::symlink("../notes/b.md", s.root().join("contracts/b.md")).unwrap();
    s.commit(&ALICE, &ALICE, "B, kept in notes");
    refused(s.root(), "contracts/b.md", &["file/symlink"]);
    // A contracts folder that is a link is refused outright.
    edit(s.root(), "pactum.toml", "contracts = \"contracts\"", "contracts = \"linked\"");
    std::os::unix::fs::symlink("contracts", s.root().join("linked")).unwrap();
    let output = pactum(s.root(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("is a symbolic link"), "{}", text(&output));
}

const DEAL_POLICIES: &str = "[groups]\nfinance = [\"@carol\"]\nlegal = [\"@alice\"]\n\n[[policies]]\nname = \"Large deals need finance\"\nwhen = [\"value.amount > 100000\"]\nrequire = { groups = [\"finance\"], count = 1 }\n\n[[policies]]\nname = \"MSAs need legal\"\ntypes = [\"msa\"]\nrequire = { groups = [\"legal\"], count = 1 }\n";

/// The Acme MSA of `kind`, worth `amount`, its liability capped at `cap`.
fn deal(kind: &str, amount: u32, cap: &str) -> String {
    support::contracts::deal(amount, cap).replace("type = \"msa\"", &format!("type = \"{kind}\""))
}

#[test]
fn a_policy_applies_when_either_side_of_the_change_matches() {
    let mut s = Script::new();
    s.write("pactum.toml", DEAL_POLICIES);
    s.write("contracts/acme-msa.md", &deal("msa", 250_000, "EUR 1,000,000"));
    s.commit(&ALICE, &ALICE, "MSA");
    // Below the threshold and no longer an MSA, in the same change as the lower cap.
    s.checkout(&["-b", "smaller"]);
    s.write("contracts/acme-msa.md", &deal("saas", 90_000, "EUR 10"));
    s.commit(&BEA, &BEA, "A smaller deal");
    let (code, shown) = policy(s.root());
    assert_eq!(code, Some(1), "{shown}");
    assert!(shown.contains("\"Large deals need finance\" needs 1 approval from carol"), "{shown}");
    assert!(shown.contains("\"MSAs need legal\" needs 1 approval from alice"), "{shown}");
    // Under the threshold on both sides, the finance policy does not apply.
    s.checkout(&["main"]);
    s.write("contracts/acme-msa.md", &deal("msa", 50_000, "EUR 1,000,000"));
    s.commit(&ALICE, &ALICE, "Smaller to begin with");
    s.checkout(&["-b", "small"]);
    s.write("contracts/acme-msa.md", &deal("msa", 40_000, "EUR 10"));
    s.commit(&BEA, &BEA, "Lower cap");
    let (_, shown) = policy(s.root());
    assert!(!shown.contains("Large deals need finance"), "{shown}");
}

#[test]
fn the_clause_library_schemas_templates_and_codeowners_are_governed() {
    for (path, new_text, named) in [
        ("clauses/confidentiality.md", None, "clauses"),
        ("templates/nda.md", None, "templates"),
        ("schemas/reseller.schema.json", Some("{\"allOf\": [{\"$ref\": \"contract.schema.json\"}]}\n"), "schemas"),
        ("CODEOWNERS", None, "CODEOWNERS"),
        ("pactum.toml", Some("[diff]\nmaterial_clauses = [\"price\"]\n"), "pactum.toml [diff]"),
    ] {
        let mut s = signed();
        s.checkout(&["-b", "rules"]);
        match new_text {
            // Rewritten in place, at the same version.
            None => {
                let before = read(s.root(), path);
                let lines: Vec<&str> = before.lines().collect();
                let last = lines.iter().rposition(|l| !l.trim().is_empty()).unwrap();
                s.write(path, &before.replacen(lines[last], &format!("{} Except as we decide.", lines[last]), 1));
            }
            Some(added) if path == "pactum.toml" => s.write(path, &format!("{}\n{added}", read(s.root(), path))),
            Some(added) => s.write(path, added),
        }
        s.commit(&BEA, &BEA, "Quietly change a rule");
        let (code, shown) = policy(s.root());
        assert_eq!(code, Some(1), "{path}: {shown}");
        assert!(shown.contains(&format!("rules changed: {named}\n")), "{path}: {shown}");
        // The governance approvers approve: met.
        let output = pactum(s.root(), &["policy", "--approver", "@your-lawyer"]);
        assert_eq!(output.status.code(), Some(0), "{path}: {}", text(&output));
    }
}

#[test]
fn a_misspelt_table_is_an_error_naming_the_one_meant() {
    let s = signed();
    for (wrong, meant) in [
        ("[[policy]]\nname = \"x\"\nrequire = { users = [\"@a\"] }\n", "policies"),
        ("[remindd]\nwithin = \"9 days\"\n", "remind"),
    ] {
        let config = read(s.root(), "pactum.toml");
        std::fs::write(s.root().join("pactum.toml"), format!("{config}\n{wrong}")).unwrap();
        for command in [&["check"][..], &["policy"]] {
            let output = pactum(s.root(), command);
            assert_eq!(output.status.code(), Some(2), "{command:?}: {}", text(&output));
            assert!(text(&output).contains(&format!("did you mean `{meant}`?")), "{}", text(&output));
        }
        std::fs::write(s.root().join("pactum.toml"), config).unwrap();
    }
}

#[test]
fn an_agreement_signed_before_it_came_here_is_adopted_and_sealed() {
    let mut s = Script::new();
    ok(s.root(), &["init"]);
    ok(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    let signatures = "\n[[signatures]]\nparty = \"Our Company AS\"\nname = \"Ola Nordmann\"\ndate = 2024-03-01\n\n[[signatures]]\nparty = \"Acme, Inc.\"\nname = \"Jane Doe\"\ndate = 2024-03-02\n+++";
    let draft = read(s.root(), NDA);
    let at = draft.find("\n+++").unwrap();
    let brought = format!("{}{signatures}{}", &draft[..at], &draft[at + 4..])
        .replace("status = \"draft\"", "status = \"executed\"");
    s.write(NDA, &brought);
    s.commit(&ALICE, &ALICE, "Bring in the signed NDA");
    // `init` requires a seal: an executed contract without one is an error …
    refused(s.root(), NDA, &["executed/unsealed"]);
    // … and a warning where the repository does not require it.
    let config = read(s.root(), "pactum.toml");
    std::fs::write(s.root().join("pactum.toml"), config.replace("require_seal = true", "require_seal = false"))
        .unwrap();
    let (code, findings) = check(s.root());
    assert_eq!(code, Some(0), "{findings:#?}");
    assert!(has(&findings, NDA, "executed/unsealed"), "{findings:#?}");
    std::fs::write(s.root().join("pactum.toml"), &config).unwrap();
    // Executing it is refused; adopting it seals the text as found, with its signatures.
    let executing = pactum(s.root(), &["execute", NDA, "--signature", SIGN_ACME, "--signature", SIGN_US]);
    assert_eq!(executing.status.code(), Some(2), "{}", text(&executing));
    assert!(
        text(&executing).contains("marked executed but has no seal") && text(&executing).contains("--adopt"),
        "{}",
        text(&executing)
    );
    s.checkout(&["-b", "adopt"]);
    ok(s.root(), &["execute", "--adopt", NDA]);
    assert!(read(s.root(), NDA).contains("body_sha256"));
    assert_eq!(read(s.root(), NDA).matches("[[signatures]]").count(), 2);
    assert_eq!(check(s.root()).0, Some(0), "{:#?}", check(s.root()).1);
    s.commit(&BEA, &BEA, "Adopt the NDA");
    // Adopting is a change to the record: the governance approvers approve it.
    let (code, shown) = policy(s.root());
    assert_eq!(code, Some(1), "{shown}");
    assert!(
        shown.contains("\"Adopting a contract signed outside the repository\" needs 1 approval from your-lawyer"),
        "{shown}"
    );
    assert_eq!(pactum(s.root(), &["policy", "--approver", "@your-lawyer"]).status.code(), Some(0));
    // Merged without that approval, the audit names it.
    land(&mut s, "adopt", 7);
    let (_, findings) = audit(s.root());
    assert!(
        findings.iter().any(|(kind, path, message)| kind == "governance-unapproved"
            && path == NDA
            && message
                .contains("\"Adopting a contract signed outside the repository\" needs 1 approval from your-lawyer")),
        "{findings:#?}"
    );
    // A party without a signature cannot be adopted as signed.
    let one =
        brought.replace("\n[[signatures]]\nparty = \"Acme, Inc.\"\nname = \"Jane Doe\"\ndate = 2024-03-02\n", "\n");
    s.write("contracts/other.md", &one.replace("acme-nda", "other-nda"));
    let output = pactum(s.root(), &["execute", "--adopt", "contracts/other.md"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("no signature of Acme, Inc."), "{}", text(&output));
}

#[test]
fn a_shallow_clone_says_the_seal_was_not_checked_against_history() {
    let mut s = signed();
    weaken(s.root());
    s.commit(&BEA, &BEA, "Weaken the NDA");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", s.root().display());
    let output = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url, clone.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let (code, findings) = check(clone.path());
    // Its own seal still shows the edit; the history that would show more is said to be missing.
    assert_eq!(code, Some(1), "{findings:#?}");
    assert!(has(&findings, NDA, "executed/unverified"), "{findings:#?}");
    assert!(has(&findings, NDA, "executed/body-changed"), "{findings:#?}");
}

#[test]
fn the_example_repository_seals_every_executed_contract() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-repo");
    let output = pactum(&example, &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let executed: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("executed/"))
        .collect();
    assert!(executed.is_empty(), "{executed:#?}");
    let config = std::fs::read_to_string(example.join("pactum.toml")).unwrap();
    assert!(config.contains("require_seal = true"), "{config}");
}

/// The parts of a Word package, and a package of them.
fn parts(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        out.insert(file.name().unwrap().to_string(), data);
    }
    out
}

fn package(parts: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_return_is_never_imported_into_an_executed_contract() {
    let s = signed();
    let docx = s.root().join("acme-nda.docx");
    let output = pactum(s.root(), &["export", NDA, "-o", docx.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    let mut word = parts(&std::fs::read(&docx).unwrap());
    let document = String::from_utf8(word["word/document.xml"].clone()).unwrap();
    assert!(document.contains("three years"), "the clause is in one run");
    word.insert("word/document.xml".to_owned(), document.replace("three years", "three days").into_bytes());
    let returned = s.root().join("returned.docx");
    std::fs::write(&returned, package(&word)).unwrap();
    let before = read(s.root(), NDA);
    let output = pactum(s.root(), &["import", returned.to_str().unwrap(), "--into", NDA]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("is executed: its text stays as signed"), "{}", text(&output));
    assert_eq!(read(s.root(), NDA), before, "nothing written");
    // A dry run still shows what the return proposes.
    let dry = pactum(s.root(), &["import", returned.to_str().unwrap(), "--into", NDA, "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry));
    assert!(String::from_utf8_lossy(&dry.stdout).contains("three days"));
}

#[test]
fn the_signing_copy_keeps_no_link_that_runs_code_or_reaches_out() {
    let s = signed();
    let draft = "contracts/links.md";
    let nda = read(s.root(), NDA);
    let body = "\n\nSee [the schedule](javascript:alert(document.cookie)), [this](vbscript:msgbox), [that](data:text/html;base64,PHNjcmlwdD4=) and ![logo](https://tracker.example/pixel.png) or ![x](javascript:alert(1)).\n";
    s.write(
        draft,
        &format!(
            "{}{body}",
            without_seal(&nda).replace("acme-nda", "links-nda").replace("status = \"executed\"", "status = \"draft\"")
        ),
    );
    let output = pactum(s.root(), &["render", draft]);
    assert!(output.status.success(), "{}", text(&output));
    let page = String::from_utf8(output.stdout).unwrap().to_lowercase();
    for scheme in ["javascript:", "vbscript:", "data:text", "tracker.example"] {
        assert!(!page.contains(scheme), "{scheme} in the signing copy");
    }
    assert!(page.contains("see the schedule, this, that and [image removed: logo]"), "{page}");
}

#[cfg(unix)]
#[test]
fn a_file_name_cannot_start_a_line_of_the_report() {
    let s = signed();
    let name = "contracts/x\n::warning file=acme-nda.md::all clear\n.md";
    std::fs::write(s.root().join(name), "no front matter\n").unwrap();
    let output = pactum(s.root(), &["check"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let shown = text(&output);
    assert!(shown.contains("frontmatter/missing"), "{shown}");
    assert!(!shown.lines().any(|line| line.trim_start().starts_with("::")), "{shown}");
    assert!(shown.contains("x⏎::warning"), "{shown}");
    // The Markdown report a job writes to its summary neither.
    let markdown = String::from_utf8(pactum(s.root(), &["check", "--format", "markdown"]).stdout).unwrap();
    assert!(!markdown.lines().any(|line| line.trim_start().starts_with("::")), "{markdown}");
}
