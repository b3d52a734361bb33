//! Reporters for `pactum report`: the terminal table, CSV for spreadsheets, Markdown for a
//! job summary, and the JSON document (the page is `report_page`).

use std::collections::BTreeMap;

use pactum_core::report::{Report, Tally, notice_shown};
use pactum_core::text::markdown;

/// What the report says when it cannot tell our parties from counterparties.
const OURS_UNKNOWN: &str = "which parties are yours is not known, so every party is listed as a counterparty: name them in `[report] our_names` in pactum.toml (`pactum init --org NAME` writes it)";

/// A CSV cell. A cell that a spreadsheet would read as a formula (`=HYPERLINK(…)`, `+cmd|…`,
/// `@SUM(…)`, a leading tab or carriage return) is prefixed with `'`, as OWASP recommends, so
/// that it stays text; numbers, negative ones too, stay numbers.
fn csv_field(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.parse::<f64>().is_err();
    let text = if formula { format!("'{text}") } else { text.to_owned() };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// The report as one JSON document (docs/output.md).
#[must_use]
pub fn json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("report serializes");
    text.push('\n');
    text
}

/// One row per contract, for spreadsheets.
#[must_use]
pub fn csv(report: &Report) -> String {
    let mut out = String::from(
        "id,title,type,status,state,owner,counterparties,governing_law,amount,currency,per,annual_value,effective_date,next_notice_deadline,next_event,next_event_date,findings,cycle_days,review_days,path\r\n",
    );
    let opt = |v: Option<String>| v.unwrap_or_default();
    for r in &report.rows {
        let state = r.state.and_then(|s| serde_json::to_value(s).ok()).and_then(|v| v.as_str().map(str::to_owned));
        let fields = [
            r.id.clone(),
            r.title.clone(),
            r.kind.clone(),
            r.status.clone(),
            opt(state),
            opt(r.owner.clone()),
            r.counterparties.join("; "),
            opt(r.governing_law.clone()),
            opt(r.amount.map(|a| a.to_string())),
            opt(r.currency.clone()),
            opt(r.per.clone()),
            opt(r.annual_value.map(|a| a.to_string())),
            opt(r.effective_date.map(|d| d.to_string())),
            opt(r.next_notice_deadline.map(|d| d.to_string())),
            opt(r.next_event.clone()),
            opt(r.next_event_date.map(|d| d.to_string())),
            r.findings.to_string(),
            opt(r.cycle_days.map(|d| d.to_string())),
            opt(r.review_days.map(|d| d.to_string())),
            r.path.clone(),
        ];
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

fn tally_lines(title: &str, map: &BTreeMap<String, Tally>, out: &mut String) {
    out.push_str(&format!("\n{title}\n"));
    if map.is_empty() {
        out.push_str("  none\n");
    }
    for (key, tally) in map {
        let values: Vec<String> = tally.annual_value.iter().map(|(c, v)| format!("{c} {}", v.for_people())).collect();
        let values = if values.is_empty() { String::new() } else { format!("  {}/year", values.join(", ")) };
        pactum_core::text::push_line(out, &format!("  {key:<32} {:>5}{values}", tally.count));
    }
}

/// The terminal table.
#[must_use]
pub fn table(report: &Report) -> String {
    let mut out =
        format!("Portfolio as of {}: {}\n", report.as_of, pactum_core::text::count(report.contracts, "contract"));
    out.push_str("\nValue of contracts in force\n");
    if report.value.is_empty() {
        out.push_str("  none stated\n");
    }
    for (currency, m) in &report.value {
        pactum_core::text::push_line(
            &mut out,
            &format!(
                "  {currency}  {}/year recurring, {} one-off, {}\n",
                m.annual.for_people(),
                m.one_off.for_people(),
                pactum_core::text::count(m.contracts, "contract")
            ),
        );
    }
    tally_lines("By status", &report.by_status, &mut out);
    tally_lines("By type", &report.by_type, &mut out);
    tally_lines("By counterparty", &report.by_counterparty, &mut out);
    if report.ours_unknown {
        pactum_core::text::push_line(&mut out, &format!("  ({OURS_UNKNOWN})\n"));
    }
    tally_lines("By owner", &report.by_owner, &mut out);
    tally_lines("By governing law", &report.by_governing_law, &mut out);
    out.push_str("\nComing up (90 days)\n");
    if report.upcoming.get("within_90_days").is_none_or(Vec::is_empty) {
        out.push_str("  nothing\n");
    }
    for u in report.upcoming.get("within_90_days").into_iter().flatten() {
        let notice =
            u.notice_deadline.map(|d| format!(", notice by {}", notice_shown(d, report.as_of))).unwrap_or_default();
        pactum_core::text::push_line(
            &mut out,
            &format!("  {}  {:<16} {} (in {} days{notice})\n", u.date, u.kind.as_str(), u.id, u.days),
        );
    }
    if !report.without_owner.is_empty() {
        pactum_core::text::push_line(&mut out, &format!("\nWithout an owner: {}\n", report.without_owner.join(", ")));
    }
    if !report.with_findings.is_empty() {
        pactum_core::text::push_line(
            &mut out,
            &format!("\nWith findings from `pactum check`: {}\n", report.with_findings.join(", ")),
        );
    }
    compliance_lines(report, &mut out);
    if !report.cycle_times.is_empty() {
        out.push_str("\nCycle time, first draft to executed (days)\n");
        for (kind, s) in &report.cycle_times {
            pactum_core::text::push_line(
                &mut out,
                &format!(
                    "  {kind:<16} median {:>6.1}  min {:>4}  max {:>4}  ({})\n",
                    s.median,
                    s.min,
                    s.max,
                    pactum_core::text::count(s.count, "contract")
                ),
            );
        }
        let slowest: Vec<String> = report.slowest.iter().map(|(id, d)| format!("{id} ({d} days)")).collect();
        pactum_core::text::push_line(&mut out, &format!("  slowest: {}\n", slowest.join(", ")));
    }
    if let Some(note) = &report.history_note {
        pactum_core::text::push_line(&mut out, &format!("\n({note})\n"));
    }
    out
}

/// A Markdown summary, for a job summary or a wiki page.
#[must_use]
pub fn markdown(report: &Report) -> String {
    let mut out = format!(
        "## Contract portfolio as of {}\n\n{}.\n\n",
        report.as_of,
        pactum_core::text::count(report.contracts, "contract")
    );
    if report.value.is_empty() {
        out.push_str("No contract in force states a value.\n");
    } else {
        out.push_str("| Currency | Recurring per year | One-off | Contracts |\n|---|---:|---:|---:|\n");
    }
    for (currency, m) in &report.value {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            markdown::literal(currency),
            m.annual.for_people(),
            m.one_off.for_people(),
            m.contracts
        ));
    }
    if !report.by_status.is_empty() {
        out.push_str("\n| Status | Contracts |\n|---|---:|\n");
    }
    for (status, t) in &report.by_status {
        out.push_str(&format!("| {} | {} |\n", markdown::literal(status), t.count));
    }
    if report.ours_unknown {
        out.push_str(&format!("\nNote: {OURS_UNKNOWN}.\n"));
    }
    out.push_str("\n### Coming up in 90 days\n\n");
    if report.upcoming.get("within_90_days").is_none_or(Vec::is_empty) {
        out.push_str("Nothing.\n");
    } else {
        out.push_str("| Date | Event | Contract | Notice deadline |\n|---|---|---|---|\n");
    }
    for u in report.upcoming.get("within_90_days").into_iter().flatten() {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            u.date,
            u.kind.as_str(),
            markdown::code(&u.id),
            u.notice_deadline.map(|d| notice_shown(d, report.as_of)).unwrap_or_default()
        ));
    }
    if !report.cycle_times.is_empty() {
        out.push_str(
            "\n### Cycle times (days)\n\n| Type | Median | Min | Max | Contracts |\n|---|---:|---:|---:|---:|\n",
        );
        for (kind, s) in &report.cycle_times {
            out.push_str(&format!(
                "| {} | {:.1} | {} | {} | {} |\n",
                markdown::literal(kind),
                s.median,
                s.min,
                s.max,
                s.count
            ));
        }
    }
    out
}

/// How obligations were performed, for people: the totals, then by counterparty and by owner.
fn compliance_lines(report: &Report, out: &mut String) {
    use pactum_core::remind::performance::Compliance;
    let compliance = &report.compliance;
    if compliance.total.is_empty() {
        return;
    }
    let line = |name: &str, c: &Compliance| {
        format!(
            "  {name:<28} {:>4} on time  {:>4} late  {:>4} missed  {:>4} open\n",
            c.met_on_time, c.met_late, c.missed, c.open
        )
    };
    out.push_str("\nObligations performed (executed contracts; `pactum perform` records them)\n");
    pactum_core::text::push_line(out, &line("all", &compliance.total));
    for (title, groups) in [("By counterparty", &compliance.by_counterparty), ("By owner", &compliance.by_owner)] {
        pactum_core::text::push_line(out, &format!("  {title}\n"));
        for (name, counts) in groups {
            pactum_core::text::push_line(out, &format!("  {}", line(name, counts)));
        }
    }
}
