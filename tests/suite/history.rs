//! The approval ledger, policies, contract log and audit, on real Git repositories built by a
//! script with pinned dates and every way of landing a change: GitHub merge commits (committed
//! by GitHub), squash and rebase merges, GitLab and Gitea merges with trailers, direct pushes,
//! an octopus merge, a merge of merges, a renamed file and an unrelated history.

use crate::support;

use support::text;

use std::path::Path;
use std::process::Command;

use support::git::{ADMIN, ALICE, BEA, DAN, GITHUB, Script};
use support::tracker::{Dialect, FakeTracker};

const CONFIG: &str = r#"[groups]
legal = ["@alice", "@bea"]
finance = ["@carol"]

[[policies]]
name = "Legal approves executions"
transition = "* -> executed"
require = { groups = ["legal"], count = 1 }

[[policies]]
name = "Large deals need finance"
types = ["msa"]
when = ["value.amount > 100000"]
changed = ["field:/value/*"]
require = { groups = ["finance"], count = 1 }
"#;

fn msa(status: &str, amount: u32, fees: &str, signatures: bool) -> String {
    let signed = if signatures {
        "\n[[signatures]]\nparty = \"Acme Inc.\"\nname = \"Jane Doe\"\ntitle = \"CEO\"\ndate = 2025-03-01\n\n[[signatures]]\nparty = \"Northwind AS\"\nname = \"Ola\"\ntitle = \"MD\"\ndate = 2025-03-01\n"
    } else {
        ""
    };
    format!(
        "+++\nid = \"acme-msa\"\ntitle = \"MSA\"\ntype = \"msa\"\nstatus = \"{status}\"\nowner = \"@alice\"\neffective_date = 2025-01-01\ngoverning_law = \"NO\"\n\n[[parties]]\nname = \"Acme Inc.\"\nrole = \"customer\"\n\n[[parties]]\nname = \"Northwind AS\"\nrole = \"provider\"\n\n[value]\namount = {amount}\ncurrency = \"EUR\"\n{signed}+++\n\n# MSA\n\n## 1. Services\n\n1.1 Provider provides the services.\n\n## 2. Fees\n\n2.1 {fees}\n\n## 3. Term\n\n3.1 One year.\n"
    )
}

/// An NDA with the MSA's shape: `<name>-nda`, of type `nda`.
fn nda(name: &str, status: &str, amount: u32, fees: &str, signatures: bool) -> String {
    msa(status, amount, fees, signatures)
        .replace("acme-msa", &format!("{name}-nda"))
        .replace("type = \"msa\"", "type = \"nda\"")
}

fn amendment() -> String {
    "+++\nid = \"acme-msa-amendment-1\"\ntitle = \"Amendment 1\"\ntype = \"amendment\"\nstatus = \"executed\"\nowner = \"@alice\"\namends = \"acme-msa\"\neffective_date = 2025-06-01\n\n[[parties]]\nname = \"Acme Inc.\"\nrole = \"customer\"\n\n[[parties]]\nname = \"Northwind AS\"\nrole = \"provider\"\n+++\n\n1. **Fees**. Clause 2.1 of the MSA is replaced.\n".to_owned()
}

/// The scripted history of `main`, oldest first (with the landing each commit should be read as).
fn history() -> Script {
    let mut s = Script::new();
    // 1. direct push: the repository and a draft MSA.
    s.write("pactum.toml", CONFIG);
    s.write("contracts/acme-msa.md", &msa("draft", 90_000, "Customer pays monthly.", false));
    s.write("README.md", "contracts\n");
    s.commit(&ADMIN, &ADMIN, "Set up the contracts repository");
    // 2. GitHub merge commit: authored by the person who merged, committed by GitHub.
    s.checkout(&["-b", "review"]);
    s.write("contracts/acme-msa.md", &msa("review", 90_000, "Customer pays monthly in advance.", false));
    s.commit(&BEA, &BEA, "Fees in advance");
    s.checkout(&["main"]);
    s.merge(&BEA, &GITHUB, &["review"], "Merge pull request #1 from northwind/review\n\nFees in advance");
    // 3. GitHub squash merge raising the value: authored by Dan, committed by GitHub. No
    //    recorded approval, so the finance policy is unmet (unless reviews say otherwise).
    s.write("contracts/acme-msa.md", &msa("review", 150_000, "Customer pays monthly in advance.", false));
    s.commit(&DAN, &GITHUB, "Raise the value (#2)\n\n* Raise the value");
    // 4. GitLab merge: executed and signed, approved by Alice (legal).
    s.checkout(&["-b", "sign"]);
    s.write("contracts/acme-msa.md", &msa("executed", 150_000, "Customer pays monthly in advance.", true));
    s.commit(&ALICE, &ALICE, "Executed");
    s.checkout(&["main"]);
    s.merge(&ALICE, &ALICE, &["sign"], "Merge branch 'sign' into 'main'\n\nExecuted\n\nSee merge request legal/contracts!3\n\nApproved-by: Alice <alice@example.com>");
    // 5. Gitea merge: an amendment that changes the executed MSA's fees with it.
    s.checkout(&["-b", "amend"]);
    //    The amendment is itself executed, so it excuses the change it records.
    s.write(
        "contracts/acme-msa-amendment-1.md",
        &amendment().replace("status = \"executed\"", "status = \"approved\""),
    );
    s.write("contracts/acme-msa.md", &msa("executed", 150_000, "Customer pays quarterly in advance.", true));
    let executed = pactum(
        s.root(),
        &[
            "execute",
            "contracts/acme-msa-amendment-1.md",
            "--signature",
            "party=Acme Inc.,name=Ann,date=2025-06-01",
            "--signature",
            "party=Northwind AS,name=Ola,date=2025-06-01",
        ],
        &[],
    );
    assert!(executed.status.success(), "{}", text(&executed));
    s.commit(&BEA, &BEA, "Amendment 1");
    s.checkout(&["main"]);
    s.merge(&BEA, &BEA, &["amend"], "Merge pull request 'Amendment 1' (#4) from amend into main\n\nReviewed-on: https://gitea.example/legal/contracts/pulls/4\nReviewed-by: carol <carol@example.com>");
    // 6. GitHub rebase merge: Dan's commit, committed by GitHub, no merge commit.
    s.write("contracts/globex-nda.md", &nda("globex", "draft", 1_000, "No fees.", false));
    s.commit(&DAN, &GITHUB, "Draft the Globex NDA");
    // 7. A merge of merges: branch `outer` merges `inner` before landing; and a rename.
    s.checkout(&["-b", "inner"]);
    s.write("contracts/globex-nda.md", &nda("globex", "review", 1_000, "No fees at all.", false));
    s.commit(&DAN, &DAN, "Globex review");
    s.checkout(&["main"]);
    s.checkout(&["-b", "outer"]);
    s.merge(&DAN, &DAN, &["inner"], "Merge inner into outer");
    std::fs::create_dir_all(s.root().join("contracts/globex")).unwrap();
    s.git(&DAN, &DAN, &["mv", "contracts/globex-nda.md", "contracts/globex/nda.md"]);
    s.commit(&DAN, &DAN, "Move Globex into its folder");
    s.checkout(&["main"]);
    s.merge(&BEA, &GITHUB, &["outer"], "Merge pull request #5 from northwind/outer");
    // 8. An octopus merge of two branches, each adding a contract.
    for name in ["initech", "hooli"] {
        s.checkout(&["-b", name]);
        s.write(&format!("contracts/{name}.md"), &nda(name, "draft", 500, "Free.", false));
        s.commit(&DAN, &DAN, &format!("Add {name}"));
        s.checkout(&["main"]);
    }
    s.merge(&ALICE, &GITHUB, &["initech", "hooli"], "Merge pull request #6 from northwind/octopus");
    // 9. An unrelated history merged in.
    s.checkout(&["--orphan", "imported"]);
    s.git(&ADMIN, &ADMIN, &["rm", "-rq", "--cached", "."]);
    for entry in std::fs::read_dir(s.root()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != ".git" {
            if entry.path().is_dir() {
                std::fs::remove_dir_all(entry.path()).unwrap();
            } else {
                std::fs::remove_file(entry.path()).unwrap();
            }
        }
    }
    s.write("contracts/legacy/umbrella.md", &nda("umbrella", "executed", 100, "Legacy.", true));
    s.commit(&ADMIN, &ADMIN, "Legacy contracts");
    s.checkout(&["main"]);
    s.tick();
    s.git(
        &ALICE,
        &GITHUB,
        &[
            "merge",
            "-q",
            "--no-ff",
            "--allow-unrelated-histories",
            "-m",
            "Merge pull request #7 from northwind/imported",
            "imported",
        ],
    );
    // 10. A direct push that edits the executed MSA's body: flagged twice by the audit.
    s.write("contracts/acme-msa.md", &msa("executed", 150_000, "Customer pays yearly in advance.", true));
    s.commit(&DAN, &DAN, "Quick fix");
    s
}

use support::pactum_with as pactum;

fn json(root: &Path, args: &[&str], env: &[(&str, &str)]) -> serde_json::Value {
    let output = pactum(root, args, env);
    assert!(matches!(output.status.code(), Some(0 | 1)), "{}", text(&output));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&output)))
}

#[test]
fn the_ledger_reads_every_way_of_landing() {
    let s = history();
    let report = json(s.root(), &["approvals", "--format", "json"], &[]);
    let entries = report["entries"].as_array().unwrap();
    let row = |e: &serde_json::Value| {
        (
            e["landing"].as_str().unwrap().to_owned(),
            e["pull_request"].as_u64(),
            e["contract"].as_str().unwrap_or("-").to_owned(),
            format!(
                "{} → {}",
                e["status_before"].as_str().unwrap_or("none"),
                e["status_after"].as_str().unwrap_or("none")
            ),
        )
    };
    let rows: Vec<_> = entries.iter().map(row).collect();
    let expected = [
        ("direct", None, "acme-msa", "none → draft"),
        ("merge", Some(1), "acme-msa", "draft → review"),
        ("squash", Some(2), "acme-msa", "review → review"),
        ("merge", Some(3), "acme-msa", "review → executed"),
        ("merge", Some(4), "acme-msa", "executed → executed"),
        ("merge", Some(4), "acme-msa-amendment-1", "none → executed"),
        ("rebase", None, "globex-nda", "none → draft"),
        ("merge", Some(5), "globex-nda", "draft → review"),
        ("merge", Some(6), "hooli-nda", "none → draft"),
        ("merge", Some(6), "initech-nda", "none → draft"),
        ("merge", Some(7), "umbrella-nda", "none → executed"),
        ("direct", None, "acme-msa", "executed → executed"),
    ];
    let expected: Vec<_> =
        expected.iter().map(|(l, p, c, s)| ((*l).to_owned(), *p, (*c).to_owned(), (*s).to_owned())).collect();
    assert_eq!(rows, expected);
    // GitHub commits its web merges; the merge commit's author is who pressed the button.
    assert_eq!(entries[1]["merged_by"], "Bea <bea@example.com>");
    assert_eq!(entries[3]["approvers"], serde_json::json!(["Alice <alice@example.com>"]));
    assert_eq!(entries[4]["approvers"], serde_json::json!(["carol <carol@example.com>"]));
    assert_eq!(entries[1]["clauses_changed"], serde_json::json!(["2.1"]));
    assert_eq!(entries[7]["path"], "contracts/globex/nda.md", "the rename is one contract, followed by id");
    assert_eq!(entries[0]["merged_at"], "2025-01-02T10:00:00+00:00");
    assert_eq!(entries[1]["commit"].as_str().unwrap().len(), 40);
    // One path only; and a Markdown file without front matter is followed too.
    let acme = json(s.root(), &["approvals", "contracts/acme-msa.md", "--format", "json"], &[]);
    assert_eq!(acme["entries"].as_array().unwrap().len(), 6);
    let readme = json(s.root(), &["approvals", "README.md", "--format", "json"], &[]);
    assert_eq!(readme["entries"].as_array().unwrap().len(), 1);
    assert_eq!(readme["entries"][0]["status_after"], serde_json::Value::Null);
    // Detached HEAD: the ledger is the main branch's, whatever is checked out.
    s.checkout(&["--detach", "HEAD~3"]);
    let detached = json(s.root(), &["approvals", "--format", "json"], &[]);
    assert_eq!(detached["entries"].as_array().unwrap().len(), 12);
}

#[test]
fn the_audit_flags_direct_pushes_unmet_policies_and_edited_executed_contracts() {
    let s = history();
    let output = pactum(s.root(), &["audit", "--format", "json"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap().to_owned(), f["message"].as_str().unwrap().to_owned()))
        .collect();
    let kinds: Vec<&str> = findings.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "direct-push",
            "policy-unmet",
            "policy-unmet",
            "policy-unmet",
            "policy-unmet",
            "direct-push",
            "executed-changed"
        ],
        "{findings:#?}"
    );
    assert!(
        findings[1].1.contains("(#2)")
            && findings[1].1.contains("Large deals need finance")
            && findings[1].1.contains("carol"),
        "{}",
        findings[1].1
    );
    // The GitLab merge (#3) carries an Approved-by trailer from Alice, who merged it herself:
    // the merger is no approver of her own change (`allow_self_approval` is off).
    // The finding names her approval, and why it does not count.
    assert!(
        findings[2].1.contains("(#3)")
            && findings[2].1.contains("recorded: Alice <alice@example.com> (not counted: merged the change"),
        "{}",
        findings[2].1
    );
    // The amendment (#4) and the imported contract (#7) were executed without a legal approver
    // on record (Carol reviewed #4, but she is finance).
    assert!(findings[3].1.contains("(#4)") && findings[3].1.contains("Legal approves executions"), "{}", findings[3].1);
    assert!(findings[4].1.contains("(#7)"), "{}", findings[4].1);
    // The amendment changed the executed MSA's fees through an amendment: not flagged as an
    // edit of executed text.
    assert!(!findings.iter().any(|(k, m)| k == "executed-changed" && m.contains("Amendment")));

    // With GitHub's reviews, Carol's approval of #2 counts; her later comment does not withdraw
    // it, and Dan's dismissed review never counted.
    let tracker = FakeTracker::start(Dialect::GitHub);
    // GitHub confirms each pull request merged the commit that names it.
    let log = s.git(&ADMIN, &ADMIN, &["log", "--first-parent", "--format=%H %s"]);
    for line in String::from_utf8(log.stdout).unwrap().lines() {
        let (sha, subject) = line.split_once(' ').unwrap();
        let number = subject
            .strip_prefix("Merge pull request #")
            .map(|rest| rest.split(' ').next().unwrap())
            .or_else(|| subject.rsplit_once("(#").map(|(_, n)| n.trim_end_matches(')')));
        if let Some(number) = number.and_then(|n| n.parse().ok()) {
            tracker.add_merged_pull(number, sha);
        }
    }
    tracker.add_review(2, "dan", "APPROVED");
    tracker.add_review(2, "carol", "APPROVED");
    tracker.add_review(2, "carol", "COMMENTED");
    tracker.add_review(2, "dan", "DISMISSED");
    let api = tracker.api_url();
    let env = [("GITHUB_TOKEN", tracker.token.as_str())];
    let output = pactum(
        s.root(),
        &["audit", "--format", "json", "--github", "--api-url", &api, "--repository", "northwind/contracts"],
        &env,
    );
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&output)));
    let kinds: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["direct-push", "policy-unmet", "policy-unmet", "policy-unmet", "direct-push", "executed-changed"]
    );
}

#[test]
fn policy_checks_a_pending_change() {
    let mut s = history();
    s.checkout(&["-b", "bigger"]);
    s.write("contracts/acme-msa.md", &msa("executed", 250_000, "Customer pays yearly in advance.", true));
    s.commit(&BEA, &BEA, "Bigger deal");
    let missing = pactum(s.root(), &["policy"], &[]);
    assert_eq!(missing.status.code(), Some(1), "{}", text(&missing));
    assert!(text(&missing).contains("✗ acme-msa (contracts/acme-msa.md): \"Large deals need finance\" needs 1 approval from carol: approved by nobody yet"), "{}", text(&missing));
    let wrong = pactum(s.root(), &["policy", "--approver", "@bea"], &[]);
    assert_eq!(wrong.status.code(), Some(1));
    let met = pactum(s.root(), &["policy", "--approver", "@carol", "--format", "json"], &[]);
    assert_eq!(met.status.code(), Some(0), "{}", text(&met));
    let report: serde_json::Value = serde_json::from_slice(&met.stdout).unwrap();
    assert_eq!(report["met"], true);
    assert_eq!(report["verdicts"][0]["verdict"]["approved_by"], serde_json::json!(["carol"]));
    // From the pull request's reviews on GitHub, as in a pull_request workflow.
    let tracker = FakeTracker::start(Dialect::GitHub);
    tracker.add_review(9, "carol", "APPROVED");
    let api = tracker.api_url();
    let env = [
        ("GITHUB_TOKEN", tracker.token.as_str()),
        ("GITHUB_REF", "refs/pull/9/merge"),
        ("GITHUB_REPOSITORY", "northwind/contracts"),
        ("GITHUB_API_URL", api.as_str()),
    ];
    let from_reviews = pactum(s.root(), &["policy", "--github"], &env);
    assert_eq!(from_reviews.status.code(), Some(0), "{}", text(&from_reviews));
    // A change no policy covers passes.
    s.checkout(&["main"]);
    s.checkout(&["-b", "typo"]);
    s.write("contracts/initech.md", &nda("initech", "draft", 500, "Free of charge.", false));
    s.commit(&BEA, &BEA, "Typo");
    let none = pactum(s.root(), &["policy"], &[]);
    assert_eq!(none.status.code(), Some(0), "{}", text(&none));
    assert!(text(&none).contains("no policy applies"));
}

#[test]
fn a_contracts_life() {
    let s = history();
    let log = json(s.root(), &["log", "acme-msa", "--format", "json"], &[]);
    let kinds: Vec<&str> = log["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    // The squash merge that only raised the value is a "fields" event naming the field.
    assert_eq!(kinds, ["created", "revised", "status", "fields", "status", "signed", "revised", "amended", "revised"]);
    let details: Vec<&str> = log["events"].as_array().unwrap().iter().map(|e| e["detail"].as_str().unwrap()).collect();
    assert_eq!(details[2], "status draft → review");
    assert_eq!(details[3], "changed /value/amount");
    assert_eq!(details[5], "signed for Acme Inc., Northwind AS");
    assert!(details[7].starts_with("amended by acme-msa-amendment-1"));
    // Created on 2 January, executed when the GitLab merge landed on 7 January.
    assert_eq!(log["cycle_time_days"], 5);
    let by_path = json(s.root(), &["log", "contracts/acme-msa.md", "--format", "json"], &[]);
    assert_eq!(by_path["events"].as_array().unwrap().len(), 9);
    let human = text(&pactum(s.root(), &["log", "acme-msa"], &[]));
    assert!(human.contains("cycle time: 5 days"), "{human}");
    assert_eq!(pactum(s.root(), &["log", "no-such-contract"], &[]).status.code(), Some(2));
}

#[test]
fn a_shallow_clone_is_explained_not_misread() {
    let s = history();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", s.root().display());
    let output =
        Command::new("git").args(["clone", "-q", "--depth", "1", &url]).arg(clone.path().join("c")).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let shallow = clone.path().join("c");
    for command in ["approvals", "audit"] {
        let output = pactum(&shallow, &[command], &[]);
        assert_eq!(output.status.code(), Some(2));
        assert!(
            text(&output).contains("shallow clone") && text(&output).contains("fetch-depth: 0"),
            "{}",
            text(&output)
        );
    }
}

/// In a GitLab merge request pipeline, `policy --gitlab` reads the merge request's approvals;
/// an approval given before a push that changed the contract is stale, whatever GitLab's
/// setting for resetting approvals.
#[test]
fn policy_reads_a_gitlab_merge_requests_approvals() {
    let mut s = history();
    s.checkout(&["-b", "bigger"]);
    s.write("contracts/acme-msa.md", &msa("executed", 250_000, "Customer pays yearly in advance.", true));
    s.commit(&BEA, &BEA, "Bigger deal");
    let head = |s: &Script| text(&s.git(&BEA, &BEA, &["rev-parse", "HEAD"])).trim().to_owned();
    let tracker = FakeTracker::start(Dialect::GitLab);
    tracker.add_merge_request(12, &head(&s));
    // Enough comments that the notes come in two pages.
    for n in 0..120 {
        tracker.note(12, "dan", &format!("comment {n}"), false);
    }
    tracker.approve_merge_request(12, "carol");
    let api = tracker.api_url();
    let env = [
        ("GITLAB_TOKEN", tracker.token.as_str()),
        ("CI_API_V4_URL", api.as_str()),
        ("CI_PROJECT_ID", "northwind/contracts"),
        ("CI_MERGE_REQUEST_IID", "12"),
    ];
    let met = pactum(s.root(), &["policy", "--gitlab", "--format", "json"], &env);
    assert_eq!(met.status.code(), Some(0), "{}", text(&met));
    let report: serde_json::Value = serde_json::from_slice(&met.stdout).unwrap();
    assert_eq!(report["approvers"], serde_json::json!(["carol"]), "{report}");
    assert!(tracker.requests().iter().all(|r| r.authorized), "every request carries the token");
    assert_eq!(tracker.requests().iter().filter(|r| r.path.ends_with("/notes")).count(), 2, "notes come in two pages");
    // A push after the approval raises the value again: carol approved the older commit.
    s.write("contracts/acme-msa.md", &msa("executed", 900_000, "Customer pays yearly in advance.", true));
    s.commit(&BEA, &BEA, "Even bigger");
    tracker.push_merge_request(12, &head(&s));
    let stale = pactum(s.root(), &["policy", "--gitlab"], &env);
    assert_eq!(stale.status.code(), Some(1), "{}", text(&stale));
    assert!(text(&stale).contains("stale: carol approved !12 at"), "{}", text(&stale));
    // Approving again after the push counts.
    tracker.approve_merge_request(12, "carol");
    let again = pactum(s.root(), &["policy", "--gitlab"], &env);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    // Without a token, or without the merge request, a clear error.
    let no_token = pactum(s.root(), &["policy", "--gitlab"], &env[1..]);
    assert_eq!(no_token.status.code(), Some(2));
    assert!(text(&no_token).contains("GITLAB_TOKEN"), "{}", text(&no_token));
    let no_mr = pactum(s.root(), &["policy", "--gitlab"], &env[..3]);
    assert_eq!(no_mr.status.code(), Some(2));
    assert!(text(&no_mr).contains("--pr N"), "{}", text(&no_mr));
    // An answer without the fields pactum needs is an error, not an empty approval list.
    let unknown = pactum(s.root(), &["policy", "--gitlab", "--pr", "99"], &env);
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown));
    assert!(text(&unknown).contains("!99"), "{}", text(&unknown));
}

/// The walk reads Git on a thread of its own and hands the versions over a batch of commits
/// at a time (64): over a generated history of 200 commits that edit, revert to an earlier
/// text (a blob seen before), move, copy (one blob at two paths), delete and bring back
/// contracts, each commit's entries are the changes the script made, and no version is read
/// twice or missed at a batch's edge (the debug build asserts the fetch handed over every
/// version the walk read).
#[test]
fn a_long_history_of_edits_reverts_moves_and_copies_is_read_commit_by_commit() {
    use std::collections::BTreeMap;
    /// An entry: path, status before and after.
    type Row = (String, Option<String>, Option<String>);
    const STATUSES: [&str; 4] = ["draft", "review", "approved", "executed"];
    let text = |id: &str, revision: usize| {
        format!(
            "+++\nid = \"{id}\"\ntitle = \"{id}\"\ntype = \"nda\"\nstatus = \"{}\"\nowner = \"@legal\"\n+++\n\n1. **Term**. Revision {revision} of {id}.\n",
            STATUSES[revision % STATUSES.len()]
        )
    };
    let mut s = Script::new();
    s.write("pactum.toml", "");
    // path -> (id, revision) of what the working tree holds.
    let mut state: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut gone: Vec<(String, (String, usize))> = Vec::new();
    let mut expected: Vec<Vec<Row>> = Vec::new();
    let mut seed = 7u64;
    let mut next = |bound: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap() % bound
    };
    let status = |revision: usize| Some(STATUSES[revision % STATUSES.len()].to_owned());
    for n in 0..200 {
        let before = state.clone();
        if state.len() < 3 {
            let id = format!("c{n}");
            state.insert(format!("contracts/{id}.md"), (id, 0));
        } else {
            let paths: Vec<String> = state.keys().cloned().collect();
            let path = paths[next(paths.len())].clone();
            match next(6) {
                // An edit.
                0 | 1 => state.get_mut(&path).unwrap().1 += 1,
                // Back to an earlier text: a blob the history holds already.
                2 => {
                    let entry = state.get_mut(&path).unwrap();
                    entry.1 = entry.1.saturating_sub(1 + next(3));
                }
                // A move, the text unchanged.
                3 => {
                    let moved = state.remove(&path).unwrap();
                    state.insert(format!("contracts/moved/{}-{n}.md", moved.0), moved);
                }
                // A copy of the same text at another path: one blob, two paths.
                4 if state.len() < 8 => {
                    let copy = state[&path].clone();
                    state.insert(format!("contracts/copies/{n}.md"), copy);
                }
                // A removal, brought back later at the same path with the same text.
                _ => {
                    if let Some(back) = (!gone.is_empty() && next(2) == 0).then(|| gone.remove(0)) {
                        state.insert(back.0, back.1);
                    } else {
                        gone.push((path.clone(), state.remove(&path).unwrap()));
                    }
                }
            }
        }
        if state == before {
            // A return to the text it has: an edit instead, so that every commit changes one.
            state.values_mut().next().unwrap().1 += 1;
        }
        for path in before.keys().filter(|p| !state.contains_key(*p)) {
            std::fs::remove_file(s.root().join(path)).unwrap();
        }
        for (path, (id, revision)) in &state {
            if before.get(path) != Some(&(id.clone(), *revision)) {
                s.write(path, &text(id, *revision));
            }
        }
        s.commit(&ALICE, &ALICE, &format!("Change {n}"));
        // What the ledger should say: a change at a path, else an addition and a removal of the
        // same contract paired as one move (by id), else each on its own.
        let mut rows = Vec::new();
        let mut removed: Vec<(&String, &(String, usize))> =
            before.iter().filter(|(p, _)| !state.contains_key(*p)).collect();
        for (path, now) in &state {
            match before.get(path) {
                Some(was) if was != now => rows.push((path.clone(), status(was.1), status(now.1))),
                Some(_) => {}
                None => match removed.iter().position(|(_, was)| was.0 == now.0) {
                    Some(at) => {
                        let (_, was) = removed.remove(at);
                        rows.push((path.clone(), status(was.1), status(now.1)));
                    }
                    None => rows.push((path.clone(), None, status(now.1))),
                },
            }
        }
        rows.extend(removed.into_iter().map(|(path, was)| (path.clone(), status(was.1), None)));
        rows.sort();
        expected.push(rows);
    }
    let report = json(s.root(), &["approvals", "--format", "json"], &[]);
    let mut read: Vec<(String, Vec<Row>)> = Vec::new();
    for entry in report["entries"].as_array().unwrap() {
        let row = (
            entry["path"].as_str().unwrap().to_owned(),
            entry["status_before"].as_str().map(str::to_owned),
            entry["status_after"].as_str().map(str::to_owned),
        );
        let commit = entry["commit"].as_str().unwrap().to_owned();
        match read.last_mut() {
            Some((last, rows)) if *last == commit => rows.push(row),
            _ => read.push((commit, vec![row])),
        }
    }
    let mut read: Vec<_> = read.into_iter().map(|(_, mut rows)| (rows.sort(), rows).1).collect();
    // The first commit adds pactum.toml with the first contract; commits that change nothing
    // are not in the ledger.
    expected.retain(|rows| !rows.is_empty());
    read.retain(|rows| !rows.is_empty());
    assert_eq!(read.len(), expected.len());
    for (at, (read, expected)) in read.iter().zip(&expected).enumerate() {
        assert_eq!(read, expected, "commit {at}");
    }
}
