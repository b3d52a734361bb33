//! Reporters for `pactum remind`: a table, JSON, Markdown, and (in `remind::ics`) a calendar;
//! and the sync's plan (`--dry-run`) and report, for people and as JSON.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use pactum_core::remind::Event;
use pactum_core::remind::sync::{Change, Plan, Report};
use pactum_core::text::{count, markdown, redact_userinfo};

/// The `remind` JSON document (docs/output.md).
#[derive(Debug, Serialize)]
pub struct RemindReport<'a> {
    pub version: u32,
    pub as_of: NaiveDate,
    pub events: &'a [Event],
}

#[must_use]
pub fn json(as_of: NaiveDate, events: &[Event]) -> String {
    let mut text = serde_json::to_string_pretty(&RemindReport { version: 1, as_of, events }).expect("events serialize");
    text.push('\n');
    text
}

fn when(event: &Event, as_of: NaiveDate) -> String {
    let days = (event.date - as_of).num_days();
    match days {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        d if d < 0 => format!("{} days overdue", -d),
        d => format!("in {d} days"),
    }
}

/// A table for the terminal; `none` says why there is no event, when there is none.
#[must_use]
pub fn table(as_of: NaiveDate, events: &[Event], none: &str) -> String {
    if events.is_empty() {
        return format!("no reminders as of {as_of}: {none}\n");
    }
    let rows: Vec<[String; 6]> = events
        .iter()
        .map(|e| {
            [
                e.date.to_string(),
                when(e, as_of),
                e.kind.as_str().to_owned(),
                pactum_core::text::one_line(&e.contract).into_owned(),
                pactum_core::text::one_line(e.owner.as_deref().unwrap_or_default()).into_owned(),
                pactum_core::text::one_line(&e.title).into_owned(),
            ]
        })
        .collect();
    let headers = ["DATE", "WHEN", "KIND", "CONTRACT", "OWNER", "WHAT"];
    let mut widths = headers.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut write_row = |cells: &[&str]| {
        let last = cells.len() - 1;
        for (i, cell) in cells.iter().enumerate() {
            if i == last {
                let _ = writeln!(out, "{cell}");
            } else {
                let _ = write!(out, "{cell:<width$}  ", width = widths[i]);
            }
        }
    };
    write_row(&headers);
    for row in &rows {
        write_row(&row.iter().map(String::as_str).collect::<Vec<_>>());
    }
    let _ = writeln!(out, "\n{} as of {as_of}", count(events.len(), "reminder"));
    out
}

/// A Markdown table, for a job summary or an issue; `none` says why there is no event.
#[must_use]
pub fn markdown(as_of: NaiveDate, events: &[Event], none: &str) -> String {
    let mut out = format!("## Contract reminders as of {as_of}\n\n");
    if events.is_empty() {
        let mut chars = none.chars();
        let sentence: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
        out.push_str(&format!("No reminders: {}.\n", markdown::literal(&sentence)));
        return out;
    }
    out.push_str("| Date | When | Kind | Contract | Owner | What |\n|---|---|---|---|---|---|\n");
    for e in events {
        let id = markdown::code(&e.contract);
        let contract =
            if e.path.is_empty() { id } else { format!("[{id}]({})", pactum_core::text::percent_encode_path(&e.path)) };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {contract} | {} | {} |",
            e.date,
            when(e, as_of),
            e.kind.as_str(),
            markdown::literal(e.owner.as_deref().unwrap_or("")),
            markdown::literal(&e.title)
        );
    }
    out
}

/// A sync's plan, for people: what would change on the tracker at `api_url`, for `repository`.
#[must_use]
pub fn plan_human(repository: &str, api_url: &str, plan: &Plan) -> String {
    let mut text = format!("dry run against {repository} ({}): nothing was changed\n", redact_userinfo(api_url));
    for change in &plan.changes {
        text.push_str(&match change {
            Change::Create { key, title } => format!("  create  {title}  [{key}]\n"),
            Change::Update { key, number, title } => format!("  update  #{number} {title}  [{key}]\n"),
            Change::Close { key, number, reason } => format!("  close   #{number} ({reason})  [{key}]\n"),
            Change::Reopen { key, number, title } => format!("  reopen  #{number} {title}  [{key}]\n"),
        });
    }
    text.push_str(&format!(
        "{}, {} already up to date\n",
        count(plan.changes.len(), "change"),
        count(plan.unchanged, "issue")
    ));
    text
}

/// A sync's plan as JSON (docs/output.md).
#[must_use]
pub fn plan_json(as_of: NaiveDate, plan: &Plan) -> String {
    let mut text = serde_json::to_string_pretty(
        &serde_json::json!({ "version": 1, "as_of": as_of, "dry_run": true, "plan": plan }),
    )
    .expect("a plan serializes");
    text.push('\n');
    text
}

/// What a sync did, for people: `events` reminders to `repository`.
#[must_use]
pub fn sync_human(events: usize, repository: &str, report: &Report) -> String {
    format!(
        "synced {} to {repository}: {} created, {} updated, {} closed, {} reopened, {} unchanged, {} closed by people ({})\n",
        count(events, "reminder"),
        report.created,
        report.updated,
        report.closed,
        report.reopened,
        report.unchanged,
        report.closed_by_people,
        count(report.requests, "request")
    ) + &if report.announced > 0 {
        format!("told {} that its contract was executed\n", count(report.announced, "request"))
    } else {
        String::new()
    }
}

/// What a sync did, as JSON (docs/output.md).
#[must_use]
pub fn sync_json(as_of: NaiveDate, report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "as_of": as_of, "report": report }))
        .expect("a report serializes");
    text.push('\n');
    text
}

/// Why there is nothing, when there is nothing: a new repository's drafts have no dates yet.
pub fn nothing_due(contracts: usize, executed: usize, within: &pactum_core::lifecycle::Duration) -> String {
    match (contracts, executed) {
        (0, _) => "the repository has no contracts".to_owned(),
        (1, 0) => "reminders come from executed contracts, and the one contract is not executed yet".to_owned(),
        (n, 0) => format!("reminders come from executed contracts, and none of the {n} contracts is executed yet"),
        _ => format!("no notice deadline, renewal, expiry or obligation falls within {within}"),
    }
}
