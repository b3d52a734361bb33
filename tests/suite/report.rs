//! `pactum report` on a repository whose answers are known: every number is checked, in each
//! format, and the HTML page in a real browser.

use crate::support;

use support::text;

use support::git::{ALICE, BEA, Script};
use support::today::pactum;

#[allow(clippy::too_many_arguments)] // one argument per front-matter key the report reads
fn contract(
    id: &str,
    kind: &str,
    status: &str,
    owner: Option<&str>,
    party: &str,
    law: Option<&str>,
    value: Option<(u32, &str, &str)>,
    dates: &str,
) -> String {
    let owner = owner.map(|o| format!("owner = \"{o}\"\n")).unwrap_or_default();
    let law = law.map(|l| format!("governing_law = \"{l}\"\n")).unwrap_or_default();
    let value = value
        .map(|(amount, currency, per)| {
            format!("\n[value]\namount = {amount}\ncurrency = \"{currency}\"\nper = \"{per}\"\n")
        })
        .unwrap_or_default();
    let signatures = if matches!(status, "executed" | "terminated") {
        // Signed and sealed, as `pactum execute` leaves a contract.
        let seal = pactum_core::contract::seal::body_hash(BODY);
        format!(
            "\n[[signatures]]\nparty = \"Northwind AS\"\nname = \"Ola\"\ntitle = \"MD\"\ndate = 2025-12-01\n\n[[signatures]]\nparty = \"{party}\"\nname = \"X\"\ntitle = \"CEO\"\ndate = 2025-12-01\n\n[execution]\nbody_sha256 = \"{seal}\"\n"
        )
    } else {
        String::new()
    };
    format!(
        "+++\nid = \"{id}\"\ntitle = \"Agreement {id}\"\ntype = \"{kind}\"\nstatus = \"{status}\"\n{owner}{law}{dates}\n[[parties]]\nname = \"Northwind AS\"\nrole = \"us\"\n\n[[parties]]\nname = \"{party}\"\nrole = \"them\"\n{value}{signatures}+++\n\n{BODY}\n"
    )
}

const BODY: &str = "# Agreement\n\n1. **Scope**. Work.";

const MSA_DATES: &str = "effective_date = 2026-01-01\nterm = \"12 months\"\n\n[renewal]\nkind = \"auto\"\nperiod = \"12 months\"\nnotice = \"60 days\"\n";
const SAAS_DATES: &str = "effective_date = 2026-01-01\nend_date = 2026-12-31\n\n[renewal]\nkind = \"fixed\"\n";
const PLAIN_DATES: &str = "effective_date = 2026-01-01\n";

fn msa(status: &str) -> String {
    contract("a-msa", "msa", status, Some("@alice"), "Acme", Some("NO"), Some((120_000, "USD", "year")), MSA_DATES)
}

fn saas(status: &str) -> String {
    contract("b-saas", "saas", status, Some("@bob"), "Bravo", Some("US-CA"), Some((1_000, "USD", "month")), SAAS_DATES)
}

fn services(status: &str) -> String {
    contract(
        "d-services",
        "services",
        status,
        Some("@bob"),
        "Delta",
        None,
        Some((5_000, "EUR", "once")),
        "effective_date = 2026-01-01\n\n[renewal]\nkind = \"evergreen\"\n",
    )
}

/// Six contracts with a history: a-msa drafted on day 1, in review from day 3, executed on
/// day 8 (cycle 7 days, review 5); b-saas drafted on day 2, executed on day 4 (cycle 2);
/// d-services drafted on day 9, executed on day 12 (cycle 3).
fn repository() -> Script {
    let mut s = Script::new();
    s.write("pactum.toml", "");
    s.write("contracts/a-msa.md", &msa("draft"));
    s.commit(&ALICE, &ALICE, "Draft a-msa"); // day 1
    s.write("contracts/b-saas.md", &saas("draft"));
    s.commit(&BEA, &BEA, "Draft b-saas"); // day 2
    s.write("contracts/a-msa.md", &msa("review"));
    s.commit(&ALICE, &ALICE, "a-msa to review"); // day 3
    s.write("contracts/b-saas.md", &saas("executed"));
    s.commit(&BEA, &BEA, "b-saas executed"); // day 4
    for _ in 0..3 {
        s.tick();
    }
    s.write("contracts/a-msa.md", &msa("executed"));
    s.commit(&ALICE, &ALICE, "a-msa executed"); // day 8
    s.write("contracts/c-nda.md", &contract("c-nda", "nda", "draft", None, "Charlie", None, None, PLAIN_DATES));
    s.write("contracts/d-services.md", &services("draft"));
    s.write(
        "contracts/e-dpa.md",
        &contract(
            "e-dpa",
            "dpa",
            "terminated",
            Some("@alice"),
            "Echo",
            Some("NO"),
            Some((3_000, "EUR", "year")),
            PLAIN_DATES,
        ),
    );
    s.write(
        "contracts/f-msa.md",
        &contract(
            "f-msa",
            "msa",
            "review",
            Some("@alice"),
            "Foxtrot",
            Some("NO"),
            Some((200_000, "USD", "year")),
            MSA_DATES,
        ),
    );
    s.commit(&BEA, &BEA, "More contracts"); // day 9
    for _ in 0..2 {
        s.tick();
    }
    s.write("contracts/d-services.md", &services("executed"));
    s.commit(&BEA, &BEA, "d-services executed"); // day 12
    s
}

#[test]
fn every_number_of_the_report() {
    let s = repository();
    let output = pactum(s.root(), &["report", "--format", "json"]);
    assert!(output.status.success(), "{}", text(&output));
    let r: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(r["contracts"], 6);
    let count = |group: &str, key: &str| r[group][key]["count"].as_u64().unwrap_or(0);
    assert_eq!(
        (
            count("by_status", "executed"),
            count("by_status", "draft"),
            count("by_status", "review"),
            count("by_status", "terminated")
        ),
        (3, 1, 1, 1)
    );
    assert_eq!((count("by_type", "msa"), count("by_type", "saas"), count("by_type", "nda")), (2, 1, 1));
    assert_eq!(
        (count("by_counterparty", "Acme"), count("by_counterparty", "Northwind AS")),
        (1, 0),
        "we are no counterparty of ours"
    );
    assert_eq!((count("by_owner", "@alice"), count("by_owner", "@bob"), count("by_owner", "(none)")), (3, 2, 1));
    assert_eq!(
        (count("by_governing_law", "NO"), count("by_governing_law", "US-CA"), count("by_governing_law", "(none)")),
        (3, 1, 2)
    );
    // In force: a-msa (USD 120,000/year), b-saas (USD 1,000/month = 12,000/year), d-services
    // (EUR 5,000 once). Not: e-dpa (terminated), f-msa (in review).
    assert_eq!(r["value"]["USD"], serde_json::json!({ "annual": 132_000.0, "one_off": 0.0, "contracts": 2 }));
    assert_eq!(r["value"]["EUR"], serde_json::json!({ "annual": 0.0, "one_off": 5_000.0, "contracts": 1 }));
    assert_eq!(r["by_type"]["msa"]["annual_value"]["USD"], 120_000.0);
    assert_eq!(r["by_owner"]["@bob"]["annual_value"]["USD"], 12_000.0);
    // Coming up: b-saas expires 2026-12-31 (34 days), a-msa renews 2027-01-01 (35 days).
    let soon = |bucket: &str| -> Vec<(String, String, i64)> {
        r["upcoming"][bucket]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                (
                    u["id"].as_str().unwrap().to_owned(),
                    u["kind"].as_str().unwrap().to_owned(),
                    u["days"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    // The renewal's notice deadline is the one that decides it (passed on 2026-11-01), not the
    // next in the calendar (2027-11-01, for the renewal after).
    let renewal = r["upcoming"]["within_60_days"].as_array().unwrap().iter().find(|u| u["id"] == "a-msa").unwrap();
    assert_eq!(renewal["notice_deadline"], "2026-11-01", "{renewal}");
    assert_eq!(soon("within_30_days"), Vec::<(String, String, i64)>::new());
    assert_eq!(
        soon("within_60_days"),
        [("b-saas".into(), "expiry".into(), 34), ("a-msa".into(), "renewal".into(), 35)]
    );
    assert_eq!(soon("within_90_days").len(), 2);
    // Attention: c-nda has no owner (and so a finding from check).
    assert_eq!(r["without_owner"], serde_json::json!(["c-nda"]));
    assert_eq!(r["with_findings"], serde_json::json!(["c-nda"]));
    // Cycle times from the history.
    assert_eq!(r["cycle_times"]["msa"], serde_json::json!({ "count": 1, "median": 7.0, "min": 7, "max": 7 }));
    assert_eq!(r["cycle_times"]["saas"]["median"], 2.0);
    assert_eq!(r["cycle_times"]["services"]["median"], 3.0);
    assert_eq!(r["review_times"]["msa"]["median"], 5.0);
    assert_eq!(r["slowest"], serde_json::json!([["a-msa", 7], ["d-services", 3], ["b-saas", 2]]));
    let row = r["rows"].as_array().unwrap().iter().find(|row| row["id"] == "b-saas").unwrap();
    assert_eq!(
        (row["annual_value"].as_f64(), row["state"].as_str(), row["next_event"].as_str()),
        (Some(12_000.0), Some("expiring"), Some("expiry"))
    );
}

#[test]
fn table_csv_and_markdown() {
    let s = repository();
    let table = text(&pactum(s.root(), &["report"]));
    assert!(table.contains("USD  132,000/year recurring, 0 one-off, 2 contracts"), "{table}");
    assert!(table.contains("msa              median    7.0  min    7  max    7  (1 contract)"), "{table}");
    let csv = String::from_utf8(pactum(s.root(), &["report", "--format", "csv"]).stdout).unwrap();
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 7, "a header and one row per contract");
    assert!(lines[0].starts_with("id,title,type,status,state,owner,counterparties"));
    assert!(
        lines.iter().any(|l| l
            // `@bob` would start a formula in a spreadsheet: the cell is kept as text.
            .starts_with("b-saas,Agreement b-saas,saas,executed,expiring,'@bob,Bravo,US-CA,1000,USD,month,12000,")),
        "{csv}"
    );
    let markdown = String::from_utf8(pactum(s.root(), &["report", "--format", "markdown"]).stdout).unwrap();
    assert!(markdown.contains("| USD | 132,000 | 0 | 2 |"), "{markdown}");
    assert!(markdown.contains("| 2026-12-31 | expiry | `b-saas` |"), "{markdown}");
    assert!(markdown.contains("| 2027-01-01 | renewal | `a-msa` | passed 2026-11-01 |"), "{markdown}");
    // Without history: a note, no cycle times.
    let output = pactum(s.root(), &["report", "--format", "json", "--no-history"]);
    let r: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(r["cycle_times"], serde_json::json!({}));
    assert!(r["history_note"].is_string());
    let a_msa = r["rows"].as_array().unwrap().iter().find(|row| row["id"] == "a-msa").unwrap();
    assert_eq!(
        (a_msa["notice_by"].as_str(), a_msa["next_notice_deadline"].as_str()),
        (Some("2026-11-01"), Some("2027-11-01"))
    );
    // The page says why there are no cycle times instead of showing none.
    let page = pactum(s.root(), &["report", "--format", "html", "--no-history"]);
    assert!(text(&page).contains("<p id=\"cycle-times-note\">Not measured: "), "{}", text(&page));
    // A shallow clone's history starts part-way: no cycle times from it, and the page says so.
    let shallow = tempfile::tempdir().unwrap();
    let url = format!("file://{}", s.root().display());
    let clone = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url, shallow.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(clone.status.success(), "{}", String::from_utf8_lossy(&clone.stderr));
    let page = pactum(shallow.path(), &["report", "--format", "html"]);
    assert!(page.status.success(), "{}", text(&page));
    assert!(
        text(&page).contains("Not measured: no history to measure cycle times: this is a shallow clone"),
        "{}",
        text(&page)
    );
}

/// The page in Debian's Chromium: it loads without script errors, shows the numbers, and its
/// table sorts when a header is clicked.
#[test]
fn html_page_in_a_browser() {
    let Some(chromium) = support::browser::chromium() else { return };
    let s = repository();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("portfolio.html");
    let output = pactum(s.root(), &["report", "--format", "html", "-o", page.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"), "no external assets");
    // Record script errors, then click the "Value per year" header twice (descending).
    let probe = html.replace(
        "<head>",
        "<head><script>window.errors=[];window.addEventListener('error',e=>window.errors.push(e.message));</script>",
    ).replace(
        "</body>",
        "<script>const th=document.querySelectorAll('#contracts th button')[6];th.focus();document.body.dataset.focused=document.activeElement===th&&th.tabIndex===0;th.click();th.click();document.body.dataset.sorted=th.parentElement.getAttribute('aria-sort');document.body.dataset.notice=Array.from(document.querySelectorAll('#contracts tbody tr')).map(r=>r.cells[0].textContent+'='+r.cells[8].textContent).join(';');document.body.dataset.order=Array.from(document.querySelectorAll('#contracts tbody tr')).map(r=>r.cells[0].textContent).join(',');document.body.dataset.errors=window.errors.join('|')||'none';</script></body>",
    );
    let probe_path = dir.path().join("probe.html");
    std::fs::write(&probe_path, probe).unwrap();
    let dom = support::browser::dom(chromium, dir.path(), &probe_path);
    assert!(
        dom.contains("data-errors=\"none\""),
        "script errors: {}",
        dom.lines().find(|l| l.contains("data-errors")).unwrap_or("")
    );
    // Each header is a button: reached by Tab (focusable), operated like a click.
    assert!(dom.contains("data-focused=\"true\"") && dom.contains("data-sorted=\"descending\""), "{dom}");
    // "Notice by" is the deadline that governs the next renewal (2027-01-01), which has passed,
    // not the next deadline in the calendar (the one for 2028).
    assert!(
        dom.contains("a-msa=passed 2026-11-01: renews automatically;"),
        "{}",
        dom.lines().find(|l| l.contains("data-notice")).unwrap_or("")
    );
    // Largest yearly value first after the second click.
    assert!(
        dom.contains("data-order=\"f-msa,a-msa,b-saas,e-dpa,"),
        "{}",
        dom.lines().find(|l| l.contains("data-order")).unwrap_or("")
    );
    assert!(dom.contains("<b class=\"annual\">132,000</b>"), "the USD card shows the yearly value");
    assert!(dom.contains("id=\"upcoming-count\">2<"), "two events in 90 days");
    assert_eq!(dom.matches("class=\"event\"").count(), 2, "two markers on the timeline");
}

/// The report counts what `pactum check` finds (clause-library findings too) and calls a
/// contract expiring by `[lifecycle] expiring_within`, as `inspect` does.
#[test]
fn report_and_check_agree_and_expiring_follows_the_configuration() {
    // A contract drafted from the clause library, one of whose clauses was then reworded.
    let mut drafted = Script::new();
    support::today::ok(drafted.root(), &["init"]);
    support::today::ok(drafted.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    let path = drafted.root().join("contracts/acme-nda.md");
    let original = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, original.replace("uses it only to evaluate", "uses it freely to evaluate")).unwrap();
    drafted.commit(&ALICE, &ALICE, "Drafted and reworded");
    let check = pactum(drafted.root(), &["check", "--format", "json"]);
    let check: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let codes: Vec<&str> =
        check["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"clause/deviates-from-library"), "{codes:?}");
    let report = pactum(drafted.root(), &["report", "--format", "json"]);
    assert!(report.status.success(), "{}", text(&report));
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let found = check["diagnostics"].as_array().unwrap().iter().filter(|d| d["severity"] != "info").count();
    assert_eq!(report["rows"][0]["findings"].as_u64(), Some(found as u64), "{check}");

    let mut s = Script::new();
    let ends = "effective_date = 2026-01-01\nend_date = 2027-04-26\n";
    std::fs::create_dir_all(s.root().join("contracts")).unwrap();
    std::fs::write(
        s.root().join("contracts/a.md"),
        contract("a", "msa", "executed", Some("@a"), "Acme", None, None, ends),
    )
    .unwrap();
    for (within, state) in [("90 days", "active"), ("200 days", "expiring")] {
        std::fs::write(s.root().join("pactum.toml"), format!("[lifecycle]\nexpiring_within = \"{within}\"\n")).unwrap();
        s.commit(&ALICE, &ALICE, "Configure");
        let report = pactum(s.root(), &["report", "--format", "json"]);
        let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
        assert_eq!(report["rows"][0]["state"], state, "{within}");
        let inspect = pactum(s.root(), &["inspect", "contracts/a.md", "--format", "json"]);
        let inspect: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
        assert_eq!(inspect["dates"]["state"], state, "inspect, {within}");
    }
}
