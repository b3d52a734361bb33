//! Requests: a contract from the request issue to execution and performance. The request is
//! an issue of the local GitHub the tracker tests use, read back as the forge's API gives it;
//! the draft, the execution and the performance record each land through a merged pull request
//! of a real Git history; the report measures the cycle from the request and the compliance.

use std::io::{Read as _, Write as _};
use std::path::Path;

use crate::support;
use support::git::{ALICE, BEA, GITHUB, Script};
use support::text;
use support::tracker::{Dialect, FakeTracker};

fn pactum(root: &Path, as_of: &str, args: &[&str]) -> std::process::Output {
    support::pactum_with(root, &[&["--as-of", as_of][..], args].concat(), &[])
}

fn ok(root: &Path, as_of: &str, args: &[&str]) -> String {
    let output = pactum(root, as_of, args);
    assert!(output.status.success(), "pactum {args:?}: {}", text(&output));
    text(&output)
}

/// GET `path` from the local tracker, as a workflow's `gh api` would: the issue as GitHub
/// answers it.
fn get(tracker: &FakeTracker, path: &str) -> serde_json::Value {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", tracker.port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\nAccept: application/vnd.github+json\r\nConnection: close\r\n\r\n",
        tracker.token
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    serde_json::from_str(body).unwrap_or_else(|_| panic!("{answer}"))
}

/// Merge `branch` into main as GitHub's merge button does, approved by Alice.
fn land(script: &mut Script, branch: &str, number: u32) {
    script.checkout(&["main"]);
    script.merge(
        &ALICE,
        &GITHUB,
        &[branch],
        &format!("Merge pull request #{number} from northwind/{branch}\n\nApproved-by: Alice <alice@example.com>"),
    );
}

#[test]
fn a_request_becomes_a_contract_executed_performed_and_reported_from_the_request() {
    let mut script = Script::new();
    let root = script.root().to_path_buf();
    ok(&root, "2025-01-01", &["init", "--org", "Northwind AS"]);
    script.commit(&ALICE, &ALICE, "Adopt pactum");
    // The request, filed with the form `init` wrote: the answers as GitHub stores them.
    let form = std::fs::read_to_string(root.join(".github/ISSUE_TEMPLATE/contract-request-nda.yml")).unwrap();
    assert!(form.contains("id: counterparty") && form.contains("labels: [\"contract-request\"]"), "{form}");
    let tracker = FakeTracker::start(Dialect::GitHub);
    let body = "### Template\n\nnda\n\n### Id\n\nacme-nda\n\n### Counterparty\n\nAcme, Inc.\n\n### Effective date\n\n2025-01-15\n\n### Governing law\n\n_No response_\n\n### Our name\n\n_No response_\n\n### Owner\n\n@alice\n\n### Term\n\n2 years\n";
    let number = tracker.insert("Contract request: NDA with Acme", body, true, &["contract-request"]);
    let issue = get(&tracker, &format!("/repos/{}/issues/{number}", tracker.repository()));
    let event = serde_json::json!({ "action": "labeled", "issue": issue });
    let event_path = root.join("../event.json");
    std::fs::write(&event_path, event.to_string()).unwrap();
    // The requests workflow's step: a branch with the draft (a draft pull request, merged
    // once reviewed and completed).
    let workflow = std::fs::read_to_string(root.join(".github/workflows/requests.yml")).unwrap();
    assert!(
        workflow.contains("pactum new --from-request \"$GITHUB_EVENT_PATH\"")
            && workflow.contains("gh pr create --draft")
    );
    script.checkout(&["-b", "pactum/request-1"]);
    ok(&root, "2025-01-03", &["new", "--from-request", event_path.to_str().unwrap()]);
    let drafted = std::fs::read_to_string(root.join("contracts/acme-nda.md")).unwrap();
    let url = format!("https://github.com/{}/issues/{number}", tracker.repository());
    assert!(drafted.contains(&format!("[request]\nurl = \"{url}\"\nopened = 2024-12-20\n")), "{drafted}");
    assert!(drafted.contains("name = \"Acme, Inc.\"") && drafted.contains("owner = \"@alice\""), "{drafted}");
    // Completed in review: a monthly report the counterparty is owed.
    let with_obligation = drafted.replacen(
        "\n[template]",
        "\n[[obligations]]\nid = \"report\"\nsummary = \"Report on the evaluation\"\nowner = \"@bea\"\nevery = \"1 month\"\nstarting = 2025-02-28\n\n[template]",
        1,
    );
    script.write("contracts/acme-nda.md", &with_obligation);
    script.commit(&BEA, &BEA, "Draft the NDA requested in #1");
    land(&mut script, "pactum/request-1", 2);
    // Executed through its own pull request.
    script.checkout(&["-b", "execute"]);
    ok(
        &root,
        "2025-01-20",
        &[
            "execute",
            "contracts/acme-nda.md",
            "--signature",
            "party=Northwind AS,name=Ola Nordmann,title=CEO,date=2025-01-20",
            "--signature",
            "party=\"Acme, Inc.\",name=Jane Doe,title=CEO,date=2025-01-20",
        ],
    );
    script.commit(&BEA, &BEA, "Executed");
    land(&mut script, "execute", 3);
    let executed_at: i64 = String::from_utf8(script.git(&ALICE, &ALICE, &["log", "-1", "--format=%ct", "main"]).stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // The daily sync tells the request that its contract was executed, once.
    let api = tracker.api_url();
    let sync = [
        "--as-of",
        "2025-01-25",
        "remind",
        "--sync",
        "github",
        "--api-url",
        &api,
        "--repository",
        tracker.repository(),
    ];
    for _ in 0..2 {
        let synced = support::pactum_with(&root, &sync, &[("GITHUB_TOKEN", &tracker.token)]);
        assert!(synced.status.success(), "{}", text(&synced));
    }
    let request = tracker.issues().into_iter().find(|i| i.number == number).unwrap();
    assert_eq!(request.comments.len(), 1, "told once: {:?}", request.comments);
    assert!(
        request.comments[0].contains("was executed on 2025-01-20") && request.comments[0].contains("acme-nda"),
        "{:?}",
        request.comments
    );
    // February's report is met on time; March's is not.
    script.checkout(&["-b", "performance"]);
    ok(
        &root,
        "2025-03-02",
        &["perform", "contracts/acme-nda.md", "report", "--due", "2025-02-28", "--on", "2025-02-27", "--by", "@bea"],
    );
    script.commit(&BEA, &BEA, "February's report");
    land(&mut script, "performance", 4);
    let checked = pactum(&root, "2025-04-05", &["check"]);
    assert!(checked.status.success(), "{}", text(&checked));
    let report = pactum(&root, "2025-04-05", &["report", "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_slice(&report.stdout).unwrap_or_else(|_| panic!("{}", text(&report)));
    let row = report["rows"].as_array().unwrap().iter().find(|r| r["id"] == "acme-nda").unwrap();
    let opened =
        chrono::NaiveDate::from_ymd_opt(2024, 12, 20).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
    assert_eq!(row["cycle_days"], (executed_at - opened) / 86_400, "from the request to execution: {row}");
    // The drafts' history alone is a few days; the request was opened two weeks before.
    assert!(row["cycle_days"].as_i64().unwrap() >= 14, "{row}");
    assert_eq!(
        row["compliance"],
        serde_json::json!({ "met_on_time": 1, "met_late": 0, "missed": 1, "open": 3 }),
        "{row}"
    );
    assert_eq!(report["compliance"]["by_owner"]["@bea"]["missed"], 1);
    assert_eq!(report["compliance"]["by_counterparty"]["Acme, Inc."]["met_on_time"], 1);
}

#[test]
fn a_request_that_does_not_fit_its_template_is_answered_field_by_field() {
    let script = Script::new();
    let root = script.root().to_path_buf();
    ok(&root, "2025-01-01", &["init", "--org", "Northwind AS"]);
    let body = "### Template\n\nnda\n\n### Id\n\nacme-nda\n\n### Counterparty\n\nAcme\n\n### Favourite colour\n\nblue\n\n### Budget\n\n10\n";
    std::fs::write(root.join("request.md"), body).unwrap();
    let refused = pactum(&root, "2025-01-03", &["new", "--from-request", "request.md"]);
    assert_eq!(refused.status.code(), Some(2));
    let said = text(&refused);
    assert!(said.contains("\"Favourite colour\"") && said.contains("\"Budget\""), "each answer said: {said}");
    assert!(!root.join("contracts/acme-nda.md").exists(), "nothing written");
    let wrong = pactum(&root, "2025-01-03", &["new", "msa", "--from-request", "request.md"]);
    assert!(text(&wrong).contains("asks for template nda, not msa"), "{}", text(&wrong));
}
