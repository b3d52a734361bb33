//! Roles: the CODEOWNERS entries the policies imply (`pactum codeowners`), read back by Git's
//! own pattern matching, and `check`'s findings where a CODEOWNERS file disagrees.

use std::path::Path;
use std::process::Command;

use crate::support;
use support::git::{ADMIN, ALICE, BEA, Script};
use support::{manifest, text};

fn pactum(dir: &Path, args: &[&str]) -> std::process::Output {
    support::pactum_with(dir, args, &[])
}

/// The example repository in a real Git repository, one commit.
fn example() -> Script {
    let mut script = Script::new();
    support::copy_dir(&manifest().join("example-repo"), script.root());
    script.git(&ADMIN, &ADMIN, &["add", "-A"]);
    script.commit(&ALICE, &ALICE, "The example contracts");
    script
}

/// Who a CODEOWNERS file asks to review `path`: each rule's pattern is a gitignore pattern,
/// matched here by Git itself (`git check-ignore`, one pattern at a time), and the last rule
/// that matches wins, as GitHub and GitLab read the file. (One gitignore of all the patterns
/// would not do: Git never looks inside a folder a pattern excludes, where CODEOWNERS lets a
/// later rule for a file in it win.)
fn requested(root: &Path, codeowners: &str, path: &str) -> Vec<String> {
    let rules: Vec<(String, Vec<String>)> = codeowners
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (pattern, owners) = line.split_once(' ').unwrap_or((line, ""));
            (pattern.to_owned(), owners.split_whitespace().map(str::to_owned).collect())
        })
        .collect();
    let pattern_file = tempfile::NamedTempFile::new().unwrap();
    let matches = |pattern: &str| {
        std::fs::write(pattern_file.path(), format!("{pattern}\n")).unwrap();
        Command::new("git")
            .current_dir(root)
            .args(["-c", &format!("core.excludesFile={}", pattern_file.path().display())])
            .args(["check-ignore", "--no-index", "-q", path])
            .status()
            .unwrap()
            .success()
    };
    rules.iter().rev().find(|(pattern, _)| matches(pattern)).map(|(_, owners)| owners.clone()).unwrap_or_default()
}

/// Who `pactum policy` waits for on the pending change, per contract path.
fn awaited(root: &Path) -> Vec<(String, Vec<String>)> {
    let output = pactum(root, &["policy", "--format", "json"]);
    let policy: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", text(&output)));
    policy["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let eligible = v["verdict"]["eligible"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_owned());
            (v["path"].as_str().unwrap().to_owned(), eligible.collect())
        })
        .collect()
}

#[test]
fn codeowners_from_the_example_policies_requests_everyone_a_change_to_each_kind_of_contract_waits_for() {
    let mut script = example();
    let root = script.root().to_path_buf();
    let written = pactum(&root, &["codeowners", "--write"]);
    assert!(written.status.success(), "{:?} {}", written.status, text(&written));
    let codeowners = std::fs::read_to_string(root.join("CODEOWNERS")).unwrap();
    assert!(codeowners.starts_with("# Who reviews what."), "the hand-written lines stay first:\n{codeowners}");
    let again = pactum(&root, &["codeowners", "--write"]);
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(std::fs::read_to_string(root.join("CODEOWNERS")).unwrap(), codeowners, "written once");
    let checked = pactum(&root, &["check", "--format", "json"]);
    assert!(!text(&checked).contains("codeowners/"), "{}", text(&checked));
    // The example's CODEOWNERS has the entries already: nothing may be left to commit.
    script.git(&ALICE, &ALICE, &["add", "-A"]);
    script.git(&ALICE, &ALICE, &["commit", "-q", "--allow-empty", "-m", "CODEOWNERS from the policies"]);
    // One change per contract, each on its own branch: executed, and a sentence added.
    let mut kinds = std::collections::BTreeSet::new();
    let contracts: Vec<String> = walk(&root.join("contracts"));
    for (n, contract) in contracts.iter().enumerate() {
        let original = std::fs::read_to_string(root.join(contract)).unwrap();
        let kind = original.lines().find_map(|l| l.strip_prefix("type = ")).unwrap_or("").trim_matches('"').to_owned();
        let status = original.lines().find(|l| l.starts_with("status = ")).unwrap_or("").to_owned();
        let changed = original.replacen(&status, "status = \"executed\"", 1) + "\nA sentence added in review.\n";
        script.checkout(&["-q", "-b", &format!("change-{n}"), "main"]);
        script.write(contract, &changed);
        script.commit(&BEA, &BEA, &format!("Change {contract}"));
        for (path, eligible) in awaited(&root) {
            assert_eq!(&path, contract);
            let asked = requested(&root, &codeowners, &path);
            for person in &eligible {
                assert!(
                    asked.iter().any(|a| a.trim_start_matches('@').eq_ignore_ascii_case(person)),
                    "{path} ({kind}): `policy` waits for {person}, CODEOWNERS asks {asked:?}\n{codeowners}"
                );
            }
        }
        let asked = requested(&root, &codeowners, contract);
        assert_eq!(asked.contains(&"@dpo-dina".to_owned()), kind == "dpa", "{contract} ({kind}): {asked:?}");
        kinds.insert(kind);
        script.checkout(&["-q", "main"]);
    }
    assert!(kinds.len() >= 5, "every kind of contract of the example: {kinds:?}");
    // The rules themselves are the governance approvers' to review.
    assert!(requested(&root, &codeowners, "pactum.toml").contains(&"@carol".to_owned()));
}

fn walk(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            let shown = path.to_string_lossy();
            let at = shown.find("contracts/").unwrap();
            found.push(shown[at..].to_owned());
        }
    }
    found.sort();
    found
}

#[test]
fn check_warns_where_codeowners_leaves_out_an_approver_and_where_the_written_entries_are_stale() {
    let mut script = example();
    let root = script.root().to_path_buf();
    // The DPO reviews nothing in this CODEOWNERS: a DPA's change waits for her all the same.
    std::fs::write(root.join("CODEOWNERS"), "/contracts/ @alice @bea @carol\n").unwrap();
    let checked = pactum(&root, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
    let found: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("codeowners/"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let message = found[0]["message"].as_str().unwrap();
    assert_eq!(found[0]["code"], "codeowners/missing-reviewer");
    assert_eq!(found[0]["severity"], "warning", "a warning: the policy check itself still holds the line");
    assert!(message.contains("@dpo-dina") && message.contains("contracts/acme/dpa.md"), "{message}");
    assert!(!message.contains("@alice"), "{message}");
    assert!(checked.status.success(), "warnings do not fail the check: {}", text(&checked));
    // A team may hold anyone: pactum cannot see its members, and does not guess.
    std::fs::write(root.join("CODEOWNERS"), "/contracts/ @northwind/legal\n").unwrap();
    assert!(!text(&pactum(&root, &["check"])).contains("codeowners/"));
    // Written by `codeowners --write`, then a policy changes: the entries are stale.
    std::fs::remove_file(root.join("CODEOWNERS")).unwrap();
    assert!(pactum(&root, &["codeowners", "--write"]).status.success());
    assert!(!text(&pactum(&root, &["check"])).contains("codeowners/"));
    let config = std::fs::read_to_string(root.join("pactum.toml")).unwrap();
    std::fs::write(root.join("pactum.toml"), config.replace("privacy = [\"@dpo-dina\"]", "privacy = [\"@dpo-eva\"]"))
        .unwrap();
    let checked = text(&pactum(&root, &["check"]));
    assert!(checked.contains("codeowners/stale"), "{checked}");
    assert!(checked.contains("codeowners/missing-reviewer") && checked.contains("@dpo-eva"), "{checked}");
    // A check of named contracts leaves CODEOWNERS to the checks that read it.
    let named = text(&pactum(&root, &["check", "contracts/acme/dpa.md"]));
    assert!(!named.contains("codeowners/"), "{named}");
    let named = text(&pactum(&root, &["check", "CODEOWNERS", "contracts/acme/dpa.md"]));
    assert!(named.contains("codeowners/stale"), "{named}");
    script.tick();
}

#[test]
fn policy_names_whom_to_ask_in_the_forges_terms() {
    let mut script = example();
    let root = script.root().to_path_buf();
    // A second DPA, in review on main, executed on a branch.
    let dpa = "contracts/acme/dpa-2026.md";
    let original = std::fs::read_to_string(root.join("contracts/acme/dpa.md")).unwrap().replacen(
        "id = \"acme-dpa-2025\"",
        "id = \"acme-dpa-2026\"",
        1,
    );
    script.write(dpa, &original.replacen("status = \"executed\"", "status = \"review\"", 1));
    script.commit(&ALICE, &ALICE, "A DPA for 2026");
    script.checkout(&["-q", "-b", "execute-dpa"]);
    script.write(dpa, &original);
    script.commit(&BEA, &BEA, "Execute the DPA");
    let policy = |approvers: &[&str]| {
        let mut args = vec!["policy", "--format", "json"];
        for approver in approvers {
            args.extend(["--approver", approver]);
        }
        let output = pactum(&root, &args);
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap_or_else(|_| panic!("{}", text(&output)))
    };
    let asked = |report: &serde_json::Value, policy_name: &str| -> Vec<String> {
        let verdict = report["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["verdict"]["policy"] == policy_name)
            .unwrap_or_else(|| panic!("{policy_name} in {report}"));
        verdict["verdict"]["request"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_owned()).collect()
    };
    // Nobody approved yet: legal's other lawyer (Bea proposed the change) and the DPO.
    let none = policy(&[]);
    assert_eq!(asked(&none, "Legal approves every execution"), ["@alice"]);
    assert_eq!(asked(&none, "Data processing terms need the DPO"), ["@dpo-dina"]);
    assert_eq!(none["request"]["reviewers"], serde_json::json!(["alice", "dpo-dina"]));
    assert_eq!(none["request"]["team_reviewers"], serde_json::json!([]));
    // Alice approved: only the DPO is left to ask.
    let alice = policy(&["@alice"]);
    assert!(asked(&alice, "Legal approves every execution").is_empty());
    assert_eq!(alice["request"]["reviewers"], serde_json::json!(["dpo-dina"]));
    let human = text(&pactum(&root, &["policy", "--approver", "@alice"]));
    assert!(human.contains("ask @dpo-dina"), "{human}");
}
