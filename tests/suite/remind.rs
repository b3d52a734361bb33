//! `pactum remind`: events, the calendar, and tracker sync against local trackers that keep
//! state like GitHub, GitLab and Gitea, with failures injected half-way.

use crate::support;

use support::text;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use icalendar::Component as _;
use support::tracker::{Dialect, Failure, FakeTracker};

const AS_OF: &str = "2026-11-27";

fn contract(id: &str, owner: &str, extra: &str) -> String {
    format!(
        "+++\nid = \"{id}\"\ntitle = \"Agreement {id}\"\ntype = \"services\"\nstatus = \"executed\"\nowner = \"{owner}\"\n\
         effective_date = 2025-12-15\nterm = \"12 months\"\n\n[[parties]]\nname = \"A\"\nrole = \"supplier\"\n\n\
         [[parties]]\nname = \"B\"\nrole = \"customer\"\n\n[renewal]\nkind = \"auto\"\nperiod = \"12 months\"\nnotice = \"30 days\"\n\
         {extra}\n[[signatures]]\nparty = \"A\"\nname = \"X\"\ntitle = \"CEO\"\ndate = 2025-12-01\n\n\
         [[signatures]]\nparty = \"B\"\nname = \"Y\"\ntitle = \"CEO\"\ndate = 2025-12-01\n+++\n\n# Agreement\n\n1. **Services**. Work.\n2. **Reporting** {{#reporting}}. Reports.\n"
    )
}

const REPORT: &str = "\n[[obligations]]\nid = \"report\"\nsummary = \"Send the monthly report\"\nclause = \"reporting\"\nowner = \"@bob\"\nevery = \"1 month\"\nstarting = 2026-01-31\n";

/// A repository with three executed contracts: two renew on 2026-12-15 (notice deadline
/// 2026-11-15, past), one has a monthly obligation owned by @bob.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pactum.toml"), "[remind]\nlabels = [\"contract-reminder\", \"legal\"]\n").unwrap();
    std::fs::create_dir_all(dir.path().join("contracts")).unwrap();
    std::fs::write(dir.path().join("contracts/alpha.md"), contract("alpha", "@alice", REPORT)).unwrap();
    std::fs::write(dir.path().join("contracts/beta.md"), contract("beta", "@legal/contracts", "")).unwrap();
    std::fs::write(dir.path().join("contracts/gamma.md"), contract("gamma", "@erik", "")).unwrap();
    dir
}

/// Run pactum as of [`AS_OF`]. Retries wait 5 ms, not half a second: the waits are the same
/// code, only shorter (`rate_limits_are_waited_out` keeps the server's own waits).
fn pactum(root: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let envs = [envs, &[("PACTUM_HTTP_BACKOFF_MS", "5")]].concat();
    support::pactum_with(root, &[args, &["--as-of", AS_OF]].concat(), &envs)
}

fn event_keys(root: &Path) -> Vec<String> {
    let output = pactum(root, &["remind", "--format", "json"], &[]);
    assert!(output.status.success(), "{}", text(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["events"].as_array().unwrap().iter().map(|e| e["key"].as_str().unwrap().to_owned()).collect()
}

fn token_variable(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::GitHub => "GITHUB_TOKEN",
        Dialect::GitLab => "GITLAB_TOKEN",
        Dialect::Gitea => "GITEA_TOKEN",
    }
}

fn tracker_name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::GitHub => "github",
        Dialect::GitLab => "gitlab",
        Dialect::Gitea => "gitea",
    }
}

fn sync(root: &Path, tracker: &FakeTracker, extra: &[&str]) -> Output {
    let api = tracker.api_url();
    let mut args = vec![
        "remind",
        "--sync",
        tracker_name(tracker.dialect),
        "--api-url",
        &api,
        "--repository",
        tracker.repository(),
    ];
    args.extend_from_slice(extra);
    pactum(root, &args, &[(token_variable(tracker.dialect), &tracker.token)])
}

/// Open issues per event key (from the hidden marker).
fn open_by_key(tracker: &FakeTracker) -> BTreeMap<String, Vec<u64>> {
    let mut map: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for issue in tracker.issues().into_iter().filter(|i| i.open) {
        if let Some(key) = pactum_core::remind::sync::key_of(&issue.body) {
            map.entry(key.to_owned()).or_default().push(issue.number);
        }
    }
    map
}

fn assert_one_issue_per_event(root: &Path, tracker: &FakeTracker) {
    let open = open_by_key(tracker);
    let keys = event_keys(root);
    assert_eq!(
        open.keys().cloned().collect::<Vec<_>>(),
        {
            let mut k = keys.clone();
            k.sort();
            k
        },
        "{open:?}"
    );
    for (key, numbers) in &open {
        assert_eq!(numbers.len(), 1, "{key} has issues {numbers:?}");
    }
}

fn mutations(tracker: &FakeTracker) -> usize {
    tracker.requests().iter().filter(|r| r.method != "GET").count()
}

#[test]
fn events_in_the_window() {
    let dir = repo();
    let keys = event_keys(dir.path());
    // The renewals on 2026-12-15 and the obligation due 2026-11-30, 2026-12-31, … within 90 days.
    assert_eq!(
        keys,
        [
            "alpha/obligation/report/9",
            "alpha/obligation/report/10",
            "alpha/renewal/1",
            "beta/renewal/1",
            "gamma/renewal/1",
            "alpha/obligation/report/11",
            "alpha/obligation/report/12",
        ]
    );
    let table = text(&pactum(dir.path(), &["remind"], &[]));
    assert!(table.contains("2026-11-30  in 3 days"), "{table}");
    let markdown = text(&pactum(dir.path(), &["remind", "--format", "markdown", "--within", "30d"], &[]));
    assert!(markdown.starts_with("## Contract reminders as of 2026-11-27"), "{markdown}");
    assert_eq!(markdown.matches("| 20").count(), 5, "{markdown}");
}

#[test]
fn the_calendar_parses_and_is_reproducible() {
    let dir = repo();
    let first = pactum(dir.path(), &["remind", "--format", "ics"], &[]);
    let second = pactum(dir.path(), &["remind", "--format", "ics"], &[]);
    assert_eq!(first.stdout, second.stdout, "same repository and day, same bytes");
    let ics = String::from_utf8(first.stdout).unwrap();
    assert!(ics.lines().all(|l| l.len() <= 76), "lines are folded");
    assert!(ics.split("\r\n").all(|l| !l.contains('\n')), "every line ends in CRLF");
    let calendar: icalendar::Calendar = ics.parse().unwrap();
    let events: Vec<&icalendar::Event> = calendar.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), 7);
    let renewal = events.iter().find(|e| e.get_uid() == Some("beta/renewal/1@pactum")).unwrap();
    assert_eq!(renewal.get_summary(), Some("Agreement beta (beta) renews for 12 months"));
    assert_eq!(
        renewal.get_start(),
        Some(icalendar::DatePerhapsTime::Date(chrono::NaiveDate::from_ymd_opt(2026, 12, 15).unwrap()))
    );
    assert_eq!(renewal.property_value("DTSTAMP"), Some("20261127T000000Z"));
    assert!(ics.contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:In 30 days: Agreement beta"), "{ics}");
}

fn sync_round_trip(dialect: Dialect) {
    let dir = repo();
    let root = dir.path();
    let tracker = FakeTracker::start(dialect);
    // Somebody's own issue with the label, and an unrelated issue: both left alone.
    tracker.insert("Renegotiate beta", "no marker here", true, &["contract-reminder"]);
    let first = sync(root, &tracker, &[]);
    assert!(first.status.success(), "{}", text(&first));
    assert!(text(&first).contains("7 created"), "{}", text(&first));
    assert_one_issue_per_event(root, &tracker);
    let issues = tracker.issues();
    let obligation = issues.iter().find(|i| i.body.contains("alpha/obligation/report/10")).unwrap();
    assert_eq!(obligation.title, "2026-11-30: Send the monthly report (alpha)");
    assert_eq!(obligation.assignees, ["bob"], "an @user owner is assigned");
    assert!(
        obligation.labels.contains(&"legal".to_owned()) && obligation.labels.contains(&"contract-reminder".to_owned())
    );
    let team = issues.iter().find(|i| i.body.contains("beta/renewal/1")).unwrap();
    assert!(
        team.assignees.is_empty() && team.body.contains("@legal/contracts: this reminder is for you"),
        "a team is mentioned"
    );
    assert!(issues[0].open && issues[0].body == "no marker here");

    // Again: nothing to do, only the listing.
    let before = tracker.request_count();
    let again = sync(root, &tracker, &[]);
    assert!(text(&again).contains("0 created, 0 updated, 0 closed, 0 reopened, 7 unchanged"), "{}", text(&again));
    assert_eq!(tracker.request_count() - before, 1);

    // The owner changes: the issue is updated in place.
    let path = root.join("contracts/gamma.md");
    std::fs::write(&path, std::fs::read_to_string(&path).unwrap().replace("@erik", "@alice")).unwrap();
    let number = tracker.issues().iter().find(|i| i.body.contains("gamma/renewal/1")).unwrap().number;
    let updated = sync(root, &tracker, &[]);
    assert!(text(&updated).contains("1 updated"), "{}", text(&updated));
    let gamma = tracker.issues().into_iter().find(|i| i.number == number).unwrap();
    assert_eq!(gamma.assignees, ["alice"]);

    // Beta is terminated: its reminder no longer applies and is closed with a comment.
    let path = root.join("contracts/beta.md");
    std::fs::write(
        &path,
        std::fs::read_to_string(&path).unwrap().replace("status = \"executed\"", "status = \"terminated\""),
    )
    .unwrap();
    let closed = sync(root, &tracker, &[]);
    assert!(text(&closed).contains("1 closed"), "{}", text(&closed));
    let beta = tracker.issues().into_iter().find(|i| i.body.contains("beta/renewal/1")).unwrap();
    assert!(!beta.open);
    assert!(beta.comments.last().unwrap().contains("no longer has this event"));
    assert_one_issue_per_event(root, &tracker);

    // The termination is undone: pactum closed the issue, so pactum reopens it.
    std::fs::write(
        &path,
        std::fs::read_to_string(&path).unwrap().replace("status = \"terminated\"", "status = \"executed\""),
    )
    .unwrap();
    let reopened = sync(root, &tracker, &[]);
    assert!(text(&reopened).contains("1 reopened"), "{}", text(&reopened));
    assert!(tracker.issues().into_iter().find(|i| i.body.contains("beta/renewal/1")).unwrap().open);
    assert_one_issue_per_event(root, &tracker);

    // A typo in gamma's front matter: gamma has no events this run, but its issue stays open
    // and the run fails; fixed, nothing changed.
    let gamma_path = root.join("contracts/gamma.md");
    let gamma_text = std::fs::read_to_string(&gamma_path).unwrap();
    assert!(gamma_text.contains("[renewal]"));
    std::fs::write(&gamma_path, gamma_text.replacen("[renewal]", "[renewal", 1)).unwrap();
    let typo = sync(root, &tracker, &[]);
    assert_eq!(typo.status.code(), Some(1), "{}", text(&typo));
    assert!(text(&typo).contains("0 closed"), "{}", text(&typo));
    assert!(tracker.issues().into_iter().find(|i| i.number == number).unwrap().open, "gamma's issue stays open");
    std::fs::write(&gamma_path, gamma_text).unwrap();
    let fixed = sync(root, &tracker, &[]);
    assert_eq!(fixed.status.code(), Some(0), "{}", text(&fixed));
    assert!(tracker.issues().into_iter().find(|i| i.number == number).unwrap().open);

    // A person closes an obligation's issue (done): it stays closed.
    let done = tracker.issues().into_iter().find(|i| i.body.contains("alpha/obligation/report/9")).unwrap();
    tracker.set_open(done.number, false);
    let after = sync(root, &tracker, &[]);
    assert!(text(&after).contains("0 created") && text(&after).contains("1 closed by people"), "{}", text(&after));
    assert!(!tracker.issues().into_iter().find(|i| i.number == done.number).unwrap().open);
}

#[test]
fn github_sync_round_trip() {
    sync_round_trip(Dialect::GitHub);
}

#[test]
fn gitlab_sync_round_trip() {
    sync_round_trip(Dialect::GitLab);
}

#[test]
fn gitea_sync_round_trip() {
    sync_round_trip(Dialect::Gitea);
}

fn converges_after(dialect: Dialect, failure: Failure, at: usize) {
    let dir = repo();
    let root = dir.path();
    let tracker = FakeTracker::start(dialect);
    tracker.fail(at, failure);
    let first = sync(root, &tracker, &[]);
    // Retried failures succeed; a lost answer may leave a duplicate, or the run may give up.
    let second = sync(root, &tracker, &[]);
    assert!(second.status.success(), "{failure:?}: {}\n{}", text(&first), text(&second));
    assert_one_issue_per_event(root, &tracker);
    let third = sync(root, &tracker, &[]);
    assert!(text(&third).contains("0 created, 0 updated, 0 closed"), "{}", text(&third));
}

#[test]
fn a_server_error_on_the_third_request_is_retried() {
    for dialect in [Dialect::GitHub, Dialect::GitLab, Dialect::Gitea] {
        converges_after(dialect, Failure::ServerError, 3);
    }
}

#[test]
fn rate_limits_are_waited_out() {
    let dir = repo();
    let tracker = FakeTracker::start(Dialect::GitHub);
    tracker.fail(2, Failure::RateLimited(1));
    tracker.fail(4, Failure::RateLimitReset);
    let started = std::time::Instant::now();
    let output = sync(dir.path(), &tracker, &[]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(started.elapsed() >= std::time::Duration::from_secs(1), "retry-after was honoured");
    assert_one_issue_per_event(dir.path(), &tracker);
}

#[test]
fn connection_resets_before_and_after_the_change() {
    for dialect in [Dialect::GitHub, Dialect::GitLab, Dialect::Gitea] {
        converges_after(dialect, Failure::ResetBefore, 2);
        // The create on request 2 (after the listing) happens, but its answer is lost.
        converges_after(dialect, Failure::ResetAfter, 2);
    }
}

#[test]
fn a_run_that_gives_up_half_way_is_finished_by_the_next() {
    let dir = repo();
    let tracker = FakeTracker::start(Dialect::GitHub);
    for at in 4..=9 {
        tracker.fail(at, Failure::ServerError);
    }
    let first = sync(dir.path(), &tracker, &[]);
    assert_eq!(first.status.code(), Some(2), "{}", text(&first));
    let created = tracker.issues().len();
    assert!(created > 0 && created < 7, "{created} issues after the failed run");
    let second = sync(dir.path(), &tracker, &[]);
    assert!(second.status.success(), "{}", text(&second));
    assert_one_issue_per_event(dir.path(), &tracker);
}

#[test]
fn two_runs_at_once_converge() {
    let dir = repo();
    let tracker = FakeTracker::start(Dialect::GitHub);
    let root = dir.path().to_path_buf();
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let (root, tracker) = (root.clone(), tracker.clone());
            std::thread::spawn(move || sync(&root, &tracker, &[]))
        })
        .collect();
    for run in runs {
        let output = run.join().unwrap();
        assert!(output.status.success(), "{}", text(&output));
    }
    // Each run closes the duplicates it sees after creating; the next run closes any the other
    // run created later. Either way one issue per event stays open.
    let next = sync(&root, &tracker, &[]);
    assert!(next.status.success());
    assert_one_issue_per_event(&root, &tracker);
    let duplicates = tracker.issues().into_iter().filter(|i| !i.open && i.body.contains("pactum:duplicate")).count();
    let total_open = tracker.issues().into_iter().filter(|i| i.open).count();
    assert_eq!(total_open, 7, "{duplicates} duplicates closed");
}

#[test]
fn dry_run_changes_nothing_and_tokens_never_show() {
    let dir = repo();
    let tracker = FakeTracker::start(Dialect::GitHub);
    let output = sync(dir.path(), &tracker, &["--dry-run"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("7 changes"), "{}", text(&output));
    assert_eq!(mutations(&tracker), 0);
    assert!(tracker.issues().is_empty());
    // A wrong token: a clear error without the token in it.
    let api = tracker.api_url();
    let bad = pactum(
        dir.path(),
        &["remind", "--sync", "github", "--api-url", &api, "--repository", "northwind/contracts"],
        &[("GITHUB_TOKEN", "wrong-token-123")],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("401") && text(&bad).contains("Bad credentials"), "{}", text(&bad));
    assert!(!text(&bad).contains("wrong-token-123"));
    let good = sync(dir.path(), &tracker, &["-v"]);
    assert!(!text(&good).contains(&tracker.token));
    // No token at all: a usage error naming the variable.
    let none = pactum(dir.path(), &["remind", "--sync", "github", "--repository", "o/r"], &[]);
    assert_eq!(none.status.code(), Some(2));
    assert!(text(&none).contains("GITHUB_TOKEN"), "{}", text(&none));
}

#[test]
fn ci_variables_name_the_tracker() {
    let dir = repo();
    let tracker = FakeTracker::start(Dialect::GitLab);
    let api = tracker.api_url();
    let output = pactum(
        dir.path(),
        &["remind", "--sync", "gitlab"],
        &[("CI_API_V4_URL", &api), ("CI_PROJECT_ID", "northwind/contracts"), ("GITLAB_TOKEN", &tracker.token)],
    );
    assert!(output.status.success(), "{}", text(&output));
    assert_one_issue_per_event(dir.path(), &tracker);
}

/// A repository whose contracts have 1,000 events in the window.
fn thousand_events() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pactum.toml"), "").unwrap();
    std::fs::create_dir_all(dir.path().join("contracts")).unwrap();
    for n in 0..1000 {
        let obligation = format!(
            "\n[[obligations]]\nid = \"pay\"\nsummary = \"Pay invoice {n}\"\ndue = 2026-12-{:02}\n",
            1 + n % 28
        );
        let text = contract(&format!("c{n:04}"), "@alice", &obligation).replace(
            "effective_date = 2025-12-15\nterm = \"12 months\"",
            "effective_date = 2025-01-01\nterm = \"36 months\"",
        );
        std::fs::write(dir.path().join(format!("contracts/c{n:04}.md")), text).unwrap();
    }
    dir
}

#[test]
fn a_thousand_issues_are_listed_in_ten_requests() {
    let dir = thousand_events();
    let tracker = FakeTracker::start(Dialect::GitHub);
    let first = sync(dir.path(), &tracker, &["--format", "json"]);
    assert!(first.status.success(), "{}", text(&first));
    assert_eq!(tracker.issues().len(), 1000);
    let before = tracker.request_count();
    let second = sync(dir.path(), &tracker, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(report["report"]["unchanged"], 1000);
    let requests = tracker.request_count() - before;
    assert!(requests <= 11, "{requests} requests");
    assert_eq!(requests, 10, "ten pages of 100");
    assert_eq!(report["report"]["requests"], 10);
}

/// The GitHub requests pactum sends match GitHub's own `OpenAPI` description (the npm package
/// `@octokit/openapi`, which `.ci/run` installs): every method and path exists, every query
/// parameter is declared with a valid value, every body validates against its schema.
#[test]
fn github_requests_match_the_openapi_description() {
    let spec_path = std::env::var("PACTUM_GITHUB_OPENAPI").map_or_else(
        |_| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/openapi/node_modules/@octokit/openapi/generated/api.github.com.json")
        },
        PathBuf::from,
    );
    if !spec_path.exists() {
        assert!(std::env::var("CI").is_err(), "CI must install @octokit/openapi (see .ci/run)");
        eprintln!("skipped: {} is missing; `.ci/run` installs it", spec_path.display());
        return;
    }
    let dir = repo();
    let tracker = FakeTracker::start(Dialect::GitHub);
    assert!(sync(dir.path(), &tracker, &[]).status.success());
    let path = dir.path().join("contracts/gamma.md");
    std::fs::write(&path, std::fs::read_to_string(&path).unwrap().replace("@erik", "@alice")).unwrap();
    let path = dir.path().join("contracts/beta.md");
    std::fs::write(
        &path,
        std::fs::read_to_string(&path).unwrap().replace("status = \"executed\"", "status = \"terminated\""),
    )
    .unwrap();
    assert!(sync(dir.path(), &tracker, &[]).status.success());
    let requests = tracker.requests();
    let methods: Vec<&str> = requests.iter().map(|r| r.method.as_str()).collect();
    assert!(methods.contains(&"GET") && methods.contains(&"POST") && methods.contains(&"PATCH"), "{methods:?}");
    support::openapi::check_requests(&spec_path, &requests);
}

/// The `OpenAPI` check is no test that cannot fail: a request GitHub would reject is caught.
#[test]
fn the_openapi_check_rejects_what_github_would() {
    let spec_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/openapi/node_modules/@octokit/openapi/generated/api.github.com.json");
    let spec_path = std::env::var("PACTUM_GITHUB_OPENAPI").map_or(spec_path, PathBuf::from);
    if !spec_path.exists() {
        assert!(std::env::var("CI").is_err(), "CI must install @octokit/openapi (see .ci/run)");
        return;
    }
    let request =
        |method: &str, path: &str, query: &[(&str, &str)], body: serde_json::Value| support::tracker::Request {
            method: method.into(),
            path: path.into(),
            query: query.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            body,
            authorized: true,
            headers: Vec::new(),
        };
    let bad = [
        request("PATCH", "/repos/o/r/issues/1", &[], serde_json::json!({ "state": "finished" })),
        request("GET", "/repos/o/r/issues", &[("state", "everything")], serde_json::Value::Null),
        request("GET", "/repos/o/r/issues", &[("search", "x")], serde_json::Value::Null),
        request("POST", "/repos/o/r/issues", &[], serde_json::json!({ "body": "no title" })),
        request("PUT", "/repos/o/r/issues", &[], serde_json::Value::Null),
    ];
    for bad in bad {
        let shown = format!("{} {} {:?}", bad.method, bad.path, bad.query);
        let caught =
            std::panic::catch_unwind(|| support::openapi::check_requests(&spec_path, std::slice::from_ref(&bad)));
        assert!(caught.is_err(), "{shown} passed the check");
    }
}

/// A window of centuries over daily obligations would be millions of events: the window is
/// bounded, with a message that says so, and a long window within the bound still works.
#[test]
fn the_reminder_window_is_bounded() {
    let dir = repo();
    let daily = REPORT.replace("1 month", "1 day");
    std::fs::write(dir.path().join("contracts/alpha.md"), contract("alpha", "@alice", &daily)).unwrap();
    let output = pactum(dir.path(), &["remind", "--within", "300 years", "--format", "json"], &[]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("at most 10 years"), "{}", text(&output));
    let output = pactum(dir.path(), &["remind", "--within", "10 years", "--format", "json"], &[]);
    assert!(output.status.success(), "{}", text(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let obligations = json["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "obligation").count();
    assert!((3_600..=3_700).contains(&obligations), "{obligations} daily obligations in 10 years");
    std::fs::write(dir.path().join("pactum.toml"), "[remind]\noverdue = \"99 years\"\n").unwrap();
    let output = pactum(dir.path(), &["remind"], &[]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("[remind] overdue"), "{}", text(&output));
}

/// A contract renewing daily since 1990 has passed thirteen thousand terms: it is still
/// renewing, with its renewals listed, however many terms came before.
#[test]
fn long_running_renewals_are_not_expired() {
    let dir = repo();
    let daily = contract("alpha", "@alice", "")
        .replace("effective_date = 2025-12-15", "effective_date = 1990-01-01")
        .replace("term = \"12 months\"", "term = \"1 day\"")
        .replace("period = \"12 months\"\nnotice = \"30 days\"", "period = \"1 day\"\nnotice = \"0 days\"");
    std::fs::write(dir.path().join("contracts/alpha.md"), daily).unwrap();
    let output = pactum(dir.path(), &["inspect", "contracts/alpha.md", "--format", "json"], &[]);
    assert!(output.status.success(), "{}", text(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["dates"]["state"], "renewed", "{json}");
    let output = pactum(dir.path(), &["remind", "--within", "3 days", "--format", "json"], &[]);
    assert!(output.status.success(), "{}", text(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let renewals: Vec<&str> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["contract"] == "alpha" && e["kind"] == "renewal")
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert_eq!(renewals, ["2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30"], "{json}");
}

/// GitHub's media type and API version header go to GitHub only: GitLab and Gitea are asked
/// for plain JSON.
#[test]
fn each_forge_gets_its_own_headers() {
    for dialect in [Dialect::GitHub, Dialect::GitLab, Dialect::Gitea] {
        let dir = repo();
        let tracker = FakeTracker::start(dialect);
        let output = sync(dir.path(), &tracker, &[]);
        assert!(output.status.success(), "{}", text(&output));
        for request in tracker.requests() {
            let header = |name: &str| request.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
            if dialect == Dialect::GitHub {
                assert_eq!(header("x-github-api-version"), Some("2022-11-28"), "{request:?}");
                assert_eq!(header("accept"), Some("application/vnd.github+json"));
            } else {
                assert_eq!(header("x-github-api-version"), None, "{dialect:?}: {request:?}");
                assert_eq!(header("accept"), Some("application/json"), "{dialect:?}");
            }
        }
    }
}

/// A create whose answer is lost (the connection reset, or a gateway's 502, after the tracker
/// made the issue) is not sent again blindly: pactum looks for the issue by its key first, so
/// no duplicate is ever opened (and nobody is notified of one); the run succeeds.
#[test]
fn a_lost_create_is_looked_for_before_it_is_sent_again() {
    for dialect in [Dialect::GitHub, Dialect::GitLab, Dialect::Gitea] {
        for failure in [Failure::ResetAfter, Failure::BadGatewayAfter] {
            let dir = repo();
            let tracker = FakeTracker::start(dialect);
            // Request 1 lists; the first create follows (on GitLab after looking up its
            // assignee's id, on Gitea after listing and creating its two labels).
            let first_create = match dialect {
                Dialect::GitHub => 2,
                Dialect::GitLab => 3,
                Dialect::Gitea => 5,
            };
            tracker.fail(first_create, failure);
            let output = sync(dir.path(), &tracker, &[]);
            assert!(output.status.success(), "{dialect:?} {failure:?}: {}", text(&output));
            let failed = &tracker.requests()[first_create - 1];
            assert!(failed.method == "POST" && failed.path.ends_with("/issues"), "{dialect:?}: {failed:?}");
            let keys = event_keys(dir.path());
            assert_eq!(tracker.issues().len(), keys.len(), "{dialect:?} {failure:?}: no issue was opened twice");
            assert!(tracker.issues().iter().all(|i| i.open && i.comments.is_empty()), "{dialect:?} {failure:?}");
            assert_one_issue_per_event(dir.path(), &tracker);
        }
    }
}

/// GitLab and Gitea issues carry the event's date as their due date (GitHub issues have none).
#[test]
fn reminder_issues_are_due_on_the_event_date() {
    for dialect in [Dialect::GitLab, Dialect::Gitea, Dialect::GitHub] {
        let dir = repo();
        let tracker = FakeTracker::start(dialect);
        let output = sync(dir.path(), &tracker, &[]);
        assert!(output.status.success(), "{}", text(&output));
        let issues = tracker.issues();
        assert!(!issues.is_empty());
        for issue in issues {
            let date = &issue.title[..10];
            let expected = match dialect {
                Dialect::GitLab => Some(date.to_owned()),
                Dialect::Gitea => Some(format!("{date}T00:00:00Z")),
                Dialect::GitHub => None,
            };
            assert_eq!(issue.due_date, expected, "{dialect:?}: {}", issue.title);
        }
    }
}

/// A self-hosted tracker behind a certificate of a private authority (a TLS front to the local
/// GitLab): refused at once, with what to do, while the authority is unknown (a certificate
/// error is not retried as if it were temporary); trusted through `SSL_CERT_FILE`, as OpenSSL
/// and the system's trust store read it.
#[test]
fn a_private_certificate_authority_is_trusted_through_the_system_store() {
    use std::io::BufRead as _;
    let Some(openssl) = support::tool("PACTUM_OPENSSL", "openssl") else { return };
    let certs = tempfile::tempdir().unwrap();
    let at = |name: &str| certs.path().join(name).to_str().unwrap().to_owned();
    std::fs::write(
        certs.path().join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    for args in [
        vec![
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &at("ca.key"),
            "-out",
            &at("ca.pem"),
            "-days",
            "2",
            "-subj",
            "/CN=Northwind private CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
        vec![
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &at("server.key"),
            "-out",
            &at("server.csr"),
            "-subj",
            "/CN=localhost",
        ],
        vec![
            "x509",
            "-req",
            "-in",
            &at("server.csr"),
            "-CA",
            &at("ca.pem"),
            "-CAkey",
            &at("ca.key"),
            "-CAcreateserial",
            "-out",
            &at("server.pem"),
            "-days",
            "2",
            "-extfile",
            &at("server.ext"),
        ],
    ] {
        let output = Command::new(&openssl).args(&args).output().unwrap();
        assert!(output.status.success(), "{}", text(&output));
    }
    // Someone else's authority, for a trust store that does not have the server's.
    let other = Command::new(&openssl)
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=Another CA", "-days", "2"])
        .args(["-keyout", &at("other.key"), "-out", &at("other.pem")])
        .output()
        .unwrap();
    assert!(other.status.success(), "{}", text(&other));
    let tracker = FakeTracker::start(Dialect::GitLab);
    let count = certs.path().join("connections");
    let mut proxy = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/tls_proxy.py"))
        .args([at("server.pem"), at("server.key"), tracker.port.to_string(), count.to_str().unwrap().to_owned()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(proxy.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let api = format!("https://localhost:{}/api/v4", line.trim());
    let dir = repo();
    let run = |env: &[(&str, &str)]| {
        let mut vars = vec![("GITLAB_TOKEN", tracker.token.as_str())];
        vars.extend_from_slice(env);
        pactum(
            dir.path(),
            &["remind", "--sync", "gitlab", "--api-url", &api, "--repository", tracker.repository()],
            &vars,
        )
    };
    // A trust store without the authority (another one's only): refused on the first connection.
    let refused = run(&[("SSL_CERT_FILE", &at("other.pem")), ("SSL_CERT_DIR", &at("no-such-folder"))]);
    let said = text(&refused);
    assert_eq!(refused.status.code(), Some(2), "{said}");
    assert!(said.contains("SSL_CERT_FILE") && said.contains("trust store"), "{said}");
    assert!(!said.contains("gave up after"), "not retried: {said}");
    let connections = std::fs::read_to_string(&count).unwrap_or_default().lines().count();
    assert!(connections <= 1, "{connections} connections");
    assert!(tracker.issues().is_empty());
    // Named in SSL_CERT_FILE, it is trusted.
    let trusted = run(&[("SSL_CERT_FILE", &at("ca.pem"))]);
    assert!(trusted.status.success(), "{}", text(&trusted));
    assert_one_issue_per_event(dir.path(), &tracker);
    let _ = proxy.kill();
    let _ = proxy.wait();
}

/// With nothing to remind of, `remind` says why: on a new repository, because reminders come
/// from executed contracts and none is yet.
#[test]
fn no_reminders_says_why() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["init"][..], &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]] {
        let output = pactum(dir.path(), args, &[]);
        assert!(output.status.success(), "{}", text(&output));
    }
    let table = pactum(dir.path(), &["remind"], &[]);
    assert!(
        text(&table).contains("no reminders as of 2026-11-27: reminders come from executed contracts, and the one contract is not executed yet"),
        "{}",
        text(&table)
    );
    let markdown = pactum(dir.path(), &["remind", "--format", "markdown"], &[]);
    assert!(text(&markdown).contains("No reminders: Reminders come from executed contracts"), "{}", text(&markdown));
}

/// Closing an obligation's reminder issue as done is how most teams record that it was met:
/// `remind --sync --record` writes it into the performance file beside the contract, once,
/// on every tracker; an issue closed as not planned, or closed by pactum, records nothing.
#[test]
fn obligations_closed_as_done_in_the_tracker_are_recorded_as_performed() {
    for dialect in [Dialect::GitHub, Dialect::GitLab, Dialect::Gitea] {
        let dir = repo();
        let root = dir.path();
        let tracker = FakeTracker::start(dialect);
        let synced = sync(root, &tracker, &[]);
        assert!(synced.status.success(), "{dialect:?}: {}", text(&synced));
        let obligation = |key: &str| {
            tracker
                .issues()
                .into_iter()
                .find(|issue| issue.body.trim_end().ends_with(&format!("pactum:key={key} -->")))
                .unwrap_or_else(|| panic!("{dialect:?}: no issue for {key}: {:?}", tracker.issues()))
                .number
        };
        // Due 2026-11-30: met (closed as done) on 2026-12-02, by bob.
        let november = obligation("alpha/obligation/report/10");
        tracker.close_by_person(november, "bob", "2026-12-02T09:30:00Z", "completed");
        let recorded = sync(root, &tracker, &["--record"]);
        assert!(recorded.status.success(), "{dialect:?}: {}", text(&recorded));
        assert!(text(&recorded).contains("recorded 1 performance"), "{dialect:?}: {}", text(&recorded));
        let file = root.join("contracts/alpha.performance.toml");
        let written = std::fs::read_to_string(&file).unwrap();
        let parsed: toml::Table = written.parse().unwrap();
        let record = &parsed["performed"].as_array().unwrap()[0];
        assert_eq!(record["obligation"].as_str(), Some("report"), "{written}");
        assert_eq!(record["due"].to_string(), "2026-11-30", "{written}");
        assert_eq!(record["on"].to_string(), "2026-12-02", "{written}");
        assert!(record["evidence"].as_str().unwrap().ends_with(&format!("/issues/{november}")), "{written}");
        if dialect == Dialect::GitLab {
            assert_eq!(record["by"].as_str(), Some("@bob"), "GitLab's list says who closed it: {written}");
        }
        // Again: recorded once.
        let again = sync(root, &tracker, &["--record"]);
        assert!(again.status.success() && !text(&again).contains("recorded"), "{dialect:?}: {}", text(&again));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
        // The check accepts the record (a warning: met after this test's "today"); the report
        // counts November as met late.
        let checked = pactum(root, &["check"], &[]);
        assert!(checked.status.success(), "{dialect:?}: {}", text(&checked));
        let report = pactum(root, &["report", "--no-history", "--format", "json"], &[]);
        let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
        let alpha = report["rows"].as_array().unwrap().iter().find(|r| r["id"] == "alpha").unwrap();
        assert_eq!(alpha["compliance"]["met_late"], 1, "due 2026-11-30, met 2026-12-02: {alpha}");
        if dialect == Dialect::GitHub {
            // Closed as not planned: nothing to record.
            let december = obligation("alpha/obligation/report/11");
            tracker.close_by_person(december, "bob", "2026-12-20T09:30:00Z", "not_planned");
            let skipped = sync(root, &tracker, &["--record"]);
            assert!(!text(&skipped).contains("recorded"), "{}", text(&skipped));
            assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
        }
    }
}
