//! Reporters for the approval record: `approvals`, `policy`, `log` and `audit`, for people
//! (one line each, text from commits and contracts made safe for a terminal) and as JSON
//! (`docs/output.md`, `schemas/output/`).

use serde_json::json;

use pactum_core::history::ledger::{Audit, Entry, Log};
use pactum_core::history::policy::Pending;
use pactum_core::text::push_line;

fn to_json(value: &impl serde::Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("serializes");
    text.push('\n');
    text
}

/// `, approved by A, B` after `separator`, or nothing when nobody approved.
fn approved_by(separator: &str, approvers: &[String]) -> String {
    if approvers.is_empty() { String::new() } else { format!("{separator}approved by {}", approvers.join(", ")) }
}

/// The ledger, one landing and contract a line, oldest first.
#[must_use]
pub fn approvals_human(branch: &str, entries: &[Entry]) -> String {
    let mut out = String::new();
    if !entries.is_empty() {
        out.push_str(&format!(
            "{:<10}  {:<10}  {:<6} {:<6} merged by  contract (path)  status  clauses changed  approvers\n",
            "merged", "commit", "how", "pr"
        ));
    }
    for e in entries {
        let pr = e.pull_request.map_or_else(|| "-".to_owned(), |n| format!("#{n}"));
        let status = match (&e.status_before, &e.status_after) {
            (a, b) if a == b => b.clone().unwrap_or_default(),
            (a, b) => format!("{} → {}", a.as_deref().unwrap_or("(new)"), b.as_deref().unwrap_or("(removed)")),
        };
        let landing =
            serde_json::to_value(e.landing).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        let approvers = approved_by("  ", &e.approvers);
        push_line(
            &mut out,
            &format!(
                "{}  {}  {landing:<6} {pr:<6} {}  {} ({})  {status}  {}{approvers}\n",
                &e.merged_at[..10.min(e.merged_at.len())],
                &e.commit[..10],
                e.merged_by,
                e.contract.as_deref().unwrap_or("-"),
                e.path,
                pactum_core::text::count(e.clauses_changed.len(), "clause")
            ),
        );
    }
    push_line(
        &mut out,
        &format!("{} on {branch}\n", pactum_core::text::count(entries.len(), "ledger entry/ledger entries")),
    );
    out
}

#[must_use]
pub fn approvals_json(branch: &str, entries: &[Entry]) -> String {
    /// Written straight from the entries: a ledger of tens of thousands of entries is not
    /// built as a JSON tree first.
    #[derive(serde::Serialize)]
    struct Document<'a> {
        version: u32,
        branch: &'a str,
        entries: &'a [Entry],
    }
    to_json(&Document { version: 1, branch, entries })
}

/// What a pending change needs, one policy and contract a line, then the stale approvals.
#[must_use]
pub fn policy_human(pending: &Pending, stale: &[String]) -> String {
    let mut out = String::new();
    if pending.verdicts.is_empty() {
        push_line(
            &mut out,
            &format!("{} changed; no policy applies\n", pactum_core::text::count(pending.changed, "contract")),
        );
    }
    for (id, path, v) in &pending.verdicts {
        let mark = if v.met { "✓" } else { "✗" };
        let by =
            if v.approved_by.is_empty() && v.not_counted.is_empty() { "nobody yet".to_owned() } else { v.recorded() };
        let ask = if v.request.is_empty() { String::new() } else { format!("; ask {}", v.request.join(", ")) };
        push_line(
            &mut out,
            &format!(
                "{mark} {id} ({path}): \"{}\" needs {} from {}: approved by {by}{ask}\n",
                v.policy,
                pactum_core::text::count(v.required, "approval"),
                v.eligible.join(", ")
            ),
        );
    }
    if !pending.rules_changed.is_empty() {
        push_line(&mut out, &format!("rules changed: {}\n", pending.rules_changed.join(", ")));
    }
    for (id, path) in &pending.no_longer_checked {
        push_line(
            &mut out,
            &format!("no longer checked: {id} ({path}) is left out of the contracts by the change's settings\n"),
        );
    }
    for note in stale {
        push_line(&mut out, &format!("stale: {note}\n"));
    }
    push_line(
        &mut out,
        &format!("{}, {} unmet\n", pactum_core::text::count(pending.verdicts.len(), "requirement"), pending.unmet()),
    );
    out
}

#[must_use]
pub fn policy_json(revisions: (&str, &str), approvers: &[String], stale: &[String], pending: &Pending) -> String {
    let verdicts: Vec<_> = pending
        .verdicts
        .iter()
        .map(|(id, path, verdict)| json!({ "contract": id, "path": path, "verdict": verdict }))
        .collect();
    to_json(&json!({
        "version": 1,
        "base": revisions.0,
        "head": revisions.1,
        "approvers": approvers,
        "stale_approvals": stale,
        "verdicts": verdicts,
        "rules_changed": pending.rules_changed,
        "no_longer_checked": pending
            .no_longer_checked
            .iter()
            .map(|(id, path)| json!({ "contract": id, "path": path }))
            .collect::<Vec<_>>(),
        "met": pending.unmet() == 0,
        "request": request(pending),
    }))
}

/// Whom to ask for the approvals still missing, as GitHub's API for requesting reviewers takes
/// them: logins (`reviewers`) and team slugs (`team_reviewers`); e-mail addresses are in each
/// verdict's `request` alone.
fn request(pending: &Pending) -> serde_json::Value {
    let asked: std::collections::BTreeSet<&str> =
        pending.verdicts.iter().flat_map(|(_, _, v)| v.request.iter().map(String::as_str)).collect();
    let handles = asked.iter().filter_map(|person| person.strip_prefix('@'));
    let (teams, users): (Vec<&str>, Vec<&str>) = handles.partition(|handle| handle.contains('/'));
    let teams: Vec<&str> = teams.iter().filter_map(|team| team.split_once('/').map(|(_, slug)| slug)).collect();
    json!({ "reviewers": users, "team_reviewers": teams })
}

/// The CODEOWNERS entries the policies imply (`pactum codeowners --format json`).
#[must_use]
pub fn codeowners_json(file: &str, implied: &pactum_core::repo::codeowners::Implied) -> String {
    to_json(&json!({
        "version": 1,
        "file": file,
        "entries": implied.entries,
        "unaddressable": implied.unaddressable,
    }))
}

/// One contract's life, an event a line, and its cycle time.
#[must_use]
pub fn log_human(log: &Log) -> String {
    // The contract as asked for, and its path when that was not it.
    let path = log.path.as_deref().filter(|p| *p != log.contract).map(|p| format!(" ({p})")).unwrap_or_default();
    let mut out = format!("{}{path}\n", log.contract);
    for e in &log.events {
        let pr = e.pull_request.map(|n| format!(" #{n}")).unwrap_or_default();
        let approvers = approved_by(", ", &e.approvers);
        push_line(
            &mut out,
            &format!(
                "  {}  {}  {}{pr} by {}{approvers}\n",
                &e.date[..10.min(e.date.len())],
                e.detail,
                &e.commit[..10],
                e.merged_by
            ),
        );
    }
    if let Some(days) = log.cycle_time_days {
        push_line(
            &mut out,
            &format!("cycle time: {days} day{} from first draft to executed\n", if days == 1 { "" } else { "s" }),
        );
    }
    out
}

#[must_use]
pub fn log_json(log: &Log) -> String {
    to_json(&serde_json::to_value(log).expect("serializes"))
}

/// The audit's findings, a line each, and what rests on commit text alone.
#[must_use]
pub fn audit_human(branch: &str, audit: &Audit) -> String {
    let mut out = String::new();
    for f in &audit.findings {
        push_line(&mut out, &format!("{}: {}\n", f.kind, f.message));
    }
    if !audit.unverified.is_empty() {
        push_line(
            &mut out,
            &format!(
                "note: {} read as reviewed merges from their commit text alone; `--github` has GitHub confirm them\n",
                if audit.unverified.len() == 1 {
                    "1 landing is".to_owned()
                } else {
                    format!("{} landings are", audit.unverified.len())
                }
            ),
        );
    }
    push_line(&mut out, &format!("audited {branch}: {}\n", pactum_core::text::count(audit.findings.len(), "finding")));
    out
}

#[must_use]
pub fn audit_json(branch: &str, audit: &Audit) -> String {
    to_json(&json!({ "version": 1, "branch": branch, "findings": audit.findings, "unverified": audit.unverified }))
}
