//! Tracker sync: exactly one issue per reminder event, however often CI runs.
//!
//! Each event's key is written as a hidden marker in its issue's body. A run lists every issue
//! carrying pactum's label (open and closed), plans what to create, update and close, applies
//! the plan, then lists again and closes duplicates: a run after a failure half-way, or two runs
//! at once, converge on one open issue per event. An issue a person closed stays closed.
//!
//! ```text
//! <!-- pactum:key=acme-msa-2025/notice-deadline/1 -->
//! ```

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::Event;
use crate::forge::{Draft, Issue, Tracker, TrackerError};

const MARKER_OPEN: &str = "<!-- pactum:key=";
const MARKER_CLOSE: &str = " -->";
/// The marker a closed duplicate gets instead of its key, so that it no longer counts.
const DUPLICATE_MARKER: &str = "<!-- pactum:duplicate -->";
/// The line pactum adds above the key of an issue it closed because its event went away: when
/// the event returns, pactum reopens the issue; one a person closed stays closed.
const CLOSED_MARKER: &str = "<!-- pactum:closed -->";

/// The event key an issue body carries, if any: read only from the body's last line, where
/// pactum writes it, so that a marker inside a contract's title or a person's edit above it
/// names nothing.
#[must_use]
pub fn key_of(body: &str) -> Option<&str> {
    let last = body.trim_end().lines().next_back()?.trim();
    let key = last.strip_prefix(MARKER_OPEN)?.strip_suffix(MARKER_CLOSE.trim_start())?;
    Some(key.trim()).filter(|k| !k.is_empty() && !k.contains(['<', '>', '\n']))
}

/// Text from a contract as it may stand in an issue: no HTML (so no comment can pose as a
/// marker, no image load, no table broken) and no line break.
fn inert(text: &str) -> String {
    crate::text::xml_escape(text).replace(['\n', '\r'], " ")
}

/// How issues are written.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Labels applied to every reminder issue; the first identifies pactum's issues.
    pub labels: Vec<String>,
}

/// The issue an event should have.
#[must_use]
pub fn draft(event: &Event, options: &SyncOptions) -> Draft {
    let (assignees, mention) = match event.owner.as_deref() {
        // `@alice` is a user: assign her. `@legal/contracts` is a team: mention it.
        Some(owner) if owner.starts_with('@') && !owner.contains('/') => {
            (vec![owner.trim_start_matches('@').to_owned()], None)
        }
        Some(owner) => (Vec::new(), Some(owner)),
        None => (Vec::new(), None),
    };
    let what = match event.kind {
        super::EventKind::NoticeDeadline => "Notice deadline",
        super::EventKind::Renewal => "Renewal",
        super::EventKind::Expiry => "Expiry",
        super::EventKind::Obligation => "Obligation due",
    };
    let mut body = format!("**{what}: {}**\n\n{}\n\n", event.date, inert(&event.detail));
    body.push_str(&format!("- Contract: `{}`", inert(&event.contract).replace('`', "'")));
    if !event.path.is_empty() {
        body.push_str(&format!(" ({})", inert(&event.path)));
    }
    body.push_str(&format!("\n- Date: {}\n- Remind from: {}\n", event.date, event.remind_on));
    if let Some(owner) = &event.owner {
        body.push_str(&format!("- Owner: {owner}\n"));
    }
    if let Some(team) = mention {
        body.push_str(&format!("\n{team}: this reminder is for you.\n"));
    }
    body.push_str(&format!("\n_Kept up to date by pactum; it closes this issue when the event no longer applies._\n\n{MARKER_OPEN}{}{MARKER_CLOSE}\n", event.key));
    Draft {
        title: format!("{}: {}", event.date, event.title.replace(['\n', '\r'], " ")),
        body,
        labels: options.labels.clone(),
        assignees,
        due: Some(event.date),
    }
}

/// One planned change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "lowercase")]
pub enum Change {
    Create { key: String, title: String },
    Update { key: String, number: u64, title: String },
    Close { key: String, number: u64, reason: String },
    Reopen { key: String, number: u64, title: String },
}

/// What a sync does (or, with `--dry-run`, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// Issues already as they should be.
    pub unchanged: usize,
    /// Events whose issue a person closed: left closed.
    pub closed_by_people: usize,
    #[serde(skip)]
    drafts: BTreeMap<String, Draft>,
    #[serde(skip)]
    closing_bodies: BTreeMap<u64, String>,
}

fn sorted(names: &[String]) -> Vec<String> {
    let mut names = names.to_vec();
    names.sort();
    names
}

/// Plan the changes that make `existing` match `events`. Open issues whose key is in
/// `still_applies` but not among `events` (an event beyond the window), or belongs to a
/// contract in `keep` (one that could not be read this run; `*` for all), are left alone.
#[must_use]
pub fn plan(
    events: &[Event],
    still_applies: &HashSet<String>,
    keep: &HashSet<String>,
    existing: &[Issue],
    options: &SyncOptions,
) -> Plan {
    let mut plan = Plan::default();
    let mut by_key: BTreeMap<&str, Vec<&Issue>> = BTreeMap::new();
    for issue in existing {
        if let Some(key) = key_of(&issue.body) {
            by_key.entry(key).or_default().push(issue);
        }
    }
    for issues in by_key.values_mut() {
        issues.sort_by_key(|i| i.number);
    }
    let wanted: HashSet<&str> = events.iter().map(|e| e.key.as_str()).collect();
    for event in events {
        let draft = draft(event, options);
        let issues = by_key.get(event.key.as_str()).map(Vec::as_slice).unwrap_or_default();
        match issues.iter().find(|i| i.open) {
            Some(open) => {
                if open.title == draft.title
                    && open.body == draft.body
                    && sorted(&open.assignees) == sorted(&draft.assignees)
                {
                    plan.unchanged += 1;
                } else {
                    plan.changes.push(Change::Update {
                        key: event.key.clone(),
                        number: open.number,
                        title: draft.title.clone(),
                    });
                }
            }
            // pactum closed it when the event went away; the event is back.
            None if issues.iter().any(|i| i.body.contains(CLOSED_MARKER)) => {
                let number = issues.iter().rev().find(|i| i.body.contains(CLOSED_MARKER)).map_or(0, |i| i.number);
                plan.changes.push(Change::Reopen { key: event.key.clone(), number, title: draft.title.clone() });
            }
            None if !issues.is_empty() => plan.closed_by_people += 1,
            None => plan.changes.push(Change::Create { key: event.key.clone(), title: draft.title.clone() }),
        }
        plan.drafts.insert(event.key.clone(), draft);
    }
    for (key, issues) in &by_key {
        let open: Vec<&&Issue> = issues.iter().filter(|i| i.open).collect();
        // Duplicates of one event (two runs at once, a create retried after a lost answer):
        // keep the oldest.
        for duplicate in open.iter().skip(1) {
            plan.changes.push(Change::Close {
                key: (*key).to_owned(),
                number: duplicate.number,
                reason: format!("duplicate of #{}", open[0].number),
            });
            plan.closing_bodies.insert(
                duplicate.number,
                duplicate.body.replace(&format!("{MARKER_OPEN}{key}{MARKER_CLOSE}"), DUPLICATE_MARKER),
            );
        }
        if let Some(first) = open.first()
            && !wanted.contains(key)
            && !still_applies.contains(*key)
            && !keep
                .iter()
                .any(|contract| key.strip_prefix(contract.as_str()).is_some_and(|rest| rest.starts_with('/')))
            && !keep.contains("*")
        {
            plan.changes.push(Change::Close {
                key: (*key).to_owned(),
                number: first.number,
                reason: "no longer applies".to_owned(),
            });
            let marker = format!("{MARKER_OPEN}{key}{MARKER_CLOSE}");
            plan.closing_bodies
                .insert(first.number, first.body.replace(&marker, &format!("{CLOSED_MARKER}\n{marker}")));
        }
    }
    plan
}

/// An obligation's reminder issue a person closed as done: the occurrence it names (its key,
/// `<id>/obligation/<obligation>/<n>`), and when, by whom and where it was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Done {
    pub key: String,
    pub issue: u64,
    pub on: Option<chrono::NaiveDate>,
    pub by: Option<String>,
    pub url: Option<String>,
}

/// The obligations' reminder issues closed as done among `issues`: not those pactum closed
/// itself (an event gone, a duplicate), nor those closed as not planned.
#[must_use]
pub fn done(issues: &[Issue]) -> Vec<Done> {
    let mut found: Vec<Done> = issues
        .iter()
        .filter(|issue| !issue.body.contains(CLOSED_MARKER) && !issue.body.contains(DUPLICATE_MARKER))
        .filter_map(|issue| {
            let closed = issue.closed.as_ref().filter(|closed| closed.completed)?;
            let key = key_of(&issue.body).filter(|key| key.contains("/obligation/"))?;
            Some(Done {
                key: key.to_owned(),
                issue: issue.number,
                on: closed.on,
                by: closed.by.clone(),
                url: closed.url.clone(),
            })
        })
        .collect();
    found.sort_by(|a, b| a.key.cmp(&b.key).then(a.issue.cmp(&b.issue)));
    // One record per occurrence: the first issue closed for it.
    found.dedup_by(|later, first| later.key == first.key);
    found
}

/// The marker of pactum's comment on a request whose contract was executed.
const EXECUTED_MARKER: &str = "<!-- pactum:executed -->";

/// The number of the issue a request link names on the tracker of `repository`
/// (`owner/repo`, or GitLab's project path, `%2F` for `/`): `…/owner/repo/issues/12` or
/// `…/group/project/-/issues/12`. A numeric GitLab project id cannot be matched to a path, so
/// any issue link is taken to be its own.
#[must_use]
pub fn request_issue(url: &str, repository: &str) -> Option<u64> {
    let repository = repository.replace("%2F", "/").replace("%2f", "/");
    let (before, after) = url.rsplit_once("/issues/")?;
    let number: u64 = after.trim_end_matches('/').parse().ok()?;
    let project = before.trim_end_matches("/-");
    let numeric = repository.chars().all(|c| c.is_ascii_digit());
    (numeric || project.ends_with(&format!("/{}", repository.trim_matches('/')))).then_some(number)
}

/// Tell each request whose contract was executed on or after `since` (its last signature's
/// date) that it was, once: a comment carrying a marker, so a later run finds it and says
/// nothing again. The number of requests told.
///
/// # Errors
/// When the tracker fails.
pub fn announce_executed(
    tracker: &mut dyn Tracker,
    sources: &[super::Source<'_>],
    repository: &str,
    since: chrono::NaiveDate,
) -> Result<usize, TrackerError> {
    let mut told = 0;
    for source in sources {
        let meta = source.meta;
        if meta.status != Some(crate::contract::Status::Executed) {
            continue;
        }
        let Some(number) = meta.request_url.as_deref().and_then(|url| request_issue(url, repository)) else {
            continue;
        };
        let Some(signed) = meta.signatures.iter().filter_map(|s| s.date).max().filter(|day| *day >= since) else {
            continue;
        };
        if tracker.comments(number)?.iter().any(|body| body.contains(EXECUTED_MARKER)) {
            continue;
        }
        let id = meta.id.as_deref().unwrap_or(source.path);
        let title = inert(meta.title.as_deref().unwrap_or(id));
        tracker.comment(
            number,
            &format!(
                "The contract requested here, {title} (`{}`, `{}`), was executed on {signed}.\n\n{EXECUTED_MARKER}",
                inert(id),
                inert(source.path)
            ),
        )?;
        told += 1;
    }
    Ok(told)
}

/// What a sync did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub created: usize,
    pub updated: usize,
    pub closed: usize,
    pub reopened: usize,
    pub unchanged: usize,
    pub closed_by_people: usize,
    /// HTTP requests sent.
    pub requests: usize,
    /// Obligations' reminder issues people closed as done (`remind --sync --record` records
    /// them as performed).
    pub done: Vec<Done>,
    /// Requests told that their contract was executed.
    pub announced: usize,
}

fn comment(reason: &str) -> String {
    if let Some(number) = reason.strip_prefix("duplicate of ") {
        format!("pactum closes this issue as a duplicate of {number}, which tracks the same event.")
    } else {
        "pactum closes this reminder: the contract no longer has this event (it was renewed, terminated or superseded, notice was recorded, or its date has passed).".to_owned()
    }
}

/// Apply a plan.
///
/// # Errors
/// The first request that fails; what was done before it stays done, and the next run picks
/// up from there.
pub fn apply(tracker: &mut dyn Tracker, plan: &Plan, report: &mut Report) -> Result<(), TrackerError> {
    for change in &plan.changes {
        match change {
            Change::Create { key, .. } => {
                create(tracker, key, &plan.drafts[key])?;
                report.created += 1;
            }
            Change::Update { key, number, .. } => {
                tracker.update(*number, &plan.drafts[key])?;
                report.updated += 1;
            }
            Change::Close { number, reason, .. } => {
                tracker.close(*number, &comment(reason), plan.closing_bodies.get(number).map(String::as_str))?;
                report.closed += 1;
            }
            Change::Reopen { key, number, .. } => {
                tracker.reopen(*number, &plan.drafts[key])?;
                report.reopened += 1;
            }
        }
    }
    Ok(())
}

/// How many creates of one issue may lose their answer before the run gives up.
const LOST_CREATES: usize = 3;

/// Create the issue for `key`. When the answer to the create is lost, the tracker may have
/// made the issue: look for it (by its key, among the issues with pactum's label) before
/// creating it again, so that no duplicate is ever opened, and nobody is notified twice.
fn create(tracker: &mut dyn Tracker, key: &str, draft: &Draft) -> Result<(), TrackerError> {
    let label = draft.labels.first().map_or("contract-reminder", String::as_str);
    let mut lost = 0;
    loop {
        match tracker.create(draft) {
            Ok(_) => return Ok(()),
            Err(TrackerError::Lost { .. }) if lost + 1 < LOST_CREATES => {
                lost += 1;
                if tracker.list(label)?.iter().any(|issue| issue.open && key_of(&issue.body) == Some(key)) {
                    return Ok(());
                }
            }
            Err(error) => return Err(error),
        }
    }
}

/// Sync `events` to the tracker: list, plan, apply, then list again and close duplicates that
/// a concurrent run or a retried create left.
///
/// # Errors
/// When a request fails.
pub fn sync(
    tracker: &mut dyn Tracker,
    events: &[Event],
    still_applies: &HashSet<String>,
    keep: &HashSet<String>,
    options: &SyncOptions,
) -> Result<Report, TrackerError> {
    let label = options.labels.first().map_or("contract-reminder", String::as_str);
    let existing = tracker.list(label)?;
    let first = plan(events, still_applies, keep, &existing, options);
    let mut report = Report {
        unchanged: first.unchanged,
        closed_by_people: first.closed_by_people,
        done: done(&existing),
        ..Report::default()
    };
    apply(tracker, &first, &mut report)?;
    if first.changes.iter().any(|c| matches!(c, Change::Create { .. })) {
        let after = tracker.list(label)?;
        let heal = plan(events, still_applies, keep, &after, options);
        let duplicates = Plan {
            changes: heal
                .changes
                .into_iter()
                .filter(|c| matches!(c, Change::Close { reason, .. } if reason.starts_with("duplicate")))
                .collect(),
            ..heal
        };
        apply(tracker, &duplicates, &mut report)?;
    }
    report.requests = tracker.requests();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_links_name_issues_of_this_tracker_only() {
        assert_eq!(request_issue("https://github.com/northwind/contracts/issues/12", "northwind/contracts"), Some(12));
        assert_eq!(request_issue("https://github.com/other/repo/issues/12", "northwind/contracts"), None);
        assert_eq!(request_issue("https://gitlab.com/legal/contracts/-/issues/3", "legal%2Fcontracts"), Some(3));
        assert_eq!(request_issue("https://gitlab.com/legal/contracts/-/issues/3", "4521"), Some(3));
        assert_eq!(request_issue("https://github.com/northwind/contracts/pull/12", "northwind/contracts"), None);
        assert_eq!(request_issue("https://github.com/northwind/contracts-old/issues/1", "northwind/contracts"), None);
    }

    #[test]
    fn markers_round_trip() {
        let body = format!("text\n\n{MARKER_OPEN}acme/renewal/1{MARKER_CLOSE}\n");
        assert_eq!(key_of(&body), Some("acme/renewal/1"));
        assert_eq!(key_of("no marker"), None);
        assert_eq!(key_of(DUPLICATE_MARKER), None);
        // A marker anywhere but the last line — from a contract's title, say — names nothing.
        let forged = format!("title {MARKER_OPEN}victim/renewal/1{MARKER_CLOSE}\n\nmore\n");
        assert_eq!(key_of(&forged), None);
    }
}
