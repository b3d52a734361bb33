//! One contract's history along the ledger (`pactum log`): its versions, who changed what and
//! when, under each of its paths and ids.

use git2::Oid;
use serde::Serialize;

use super::{Landing, Scope, landed, status, time, walk};
use crate::contract::Contract;
use crate::diff::{self, DiffOptions};
use crate::history::{Git, HistoryError};

/// One event of a contract's life.
#[derive(Debug, Clone, Serialize)]
pub struct LogEvent {
    pub commit: String,
    pub date: String,
    /// `created`, `revised`, `status`, `signed`, `amended`, `renamed`, `removed`.
    pub kind: &'static str,
    pub detail: String,
    pub landing: Landing,
    pub pull_request: Option<u64>,
    pub merged_by: String,
    pub approvers: Vec<String>,
}

/// A contract's lifecycle from Git.
#[derive(Debug, Clone, Serialize)]
pub struct Log {
    pub version: u32,
    pub contract: String,
    pub path: Option<String>,
    pub events: Vec<LogEvent>,
    /// Days from the first commit to the landing that made it executed.
    pub cycle_time_days: Option<i64>,
}

/// The life of contract `wanted` (an id or a path) on the main branch.
///
/// # Errors
/// When Git cannot be read.
pub fn log(git: &Git, tip: Oid, scope: &Scope, wanted: &str, options: &DiffOptions) -> Result<Log, HistoryError> {
    let mut events = Vec::new();
    let mut path = None;
    let mut created: Option<i64> = None;
    let mut executed: Option<i64> = None;
    // Asked for by path, the contract is known by its id once found (amendments name the id).
    let mut known_id: Option<String> = None;
    walk(git, tip, scope, |commit, steps, _| {
        let landed = landed(commit);
        let event = |kind, detail: String| LogEvent {
            commit: commit.id.to_string(),
            date: time(commit),
            kind,
            detail,
            landing: landed.landing,
            pull_request: landed.pull_request,
            merged_by: landed.merged_by.clone(),
            approvers: landed.approvers.clone(),
        };
        // The contract's own changes first, then amendments landing with them.
        let mut steps: Vec<&(Option<&Contract>, Option<&Contract>)> = steps.iter().collect();
        steps.sort_by_key(|(old, new)| {
            !new.or(*old).is_some_and(|c| c.meta.id.as_deref() == Some(wanted) || c.path == wanted)
        });
        for (old, new) in steps {
            let matches =
                |c: Option<&Contract>| c.is_some_and(|c| c.meta.id.as_deref() == Some(wanted) || c.path == wanted);
            if !matches(*old) && !matches(*new) {
                let amends = |n: &&Contract| {
                    n.meta.amends.as_deref().is_some_and(|a| a == wanted || known_id.as_deref() == Some(a))
                };
                if let Some(amendment) = new.filter(amends)
                    && old.is_none()
                {
                    events.push(event(
                        "amended",
                        format!("amended by {} ({})", amendment.meta.id.as_deref().unwrap_or("?"), amendment.path),
                    ));
                }
                continue;
            }
            if known_id.is_none() {
                known_id = new.or(*old).and_then(|c| c.meta.id.clone());
            }
            match (old, new) {
                (None, Some(new)) => {
                    path = Some(new.path.clone());
                    created.get_or_insert(commit.time);
                    events.push(event(
                        "created",
                        format!(
                            "created at {} with status {}",
                            new.path,
                            status(Some(new)).unwrap_or_else(|| "(none)".to_owned())
                        ),
                    ));
                }
                (Some(old), None) => events.push(event("removed", format!("removed from {}", old.path))),
                (Some(old), Some(new)) => {
                    path = Some(new.path.clone());
                    if old.path != new.path {
                        events.push(event("renamed", format!("moved from {} to {}", old.path, new.path)));
                    }
                    let diff = diff::diff(Some(old), Some(new), options);
                    if !diff.clauses.is_empty() {
                        let clauses: Vec<String> = diff
                            .clauses
                            .iter()
                            .map(|c| {
                                format!(
                                    "{} {}",
                                    c.new.as_ref().or(c.old.as_ref()).map_or("?", |r| r.cite()),
                                    c.change.as_str()
                                )
                            })
                            .collect();
                        events.push(event(
                            "revised",
                            format!("{}: {}", crate::text::count(clauses.len(), "clause change"), clauses.join(", ")),
                        ));
                    }
                    // Front-matter changes other than the status and signatures, which have their
                    // own events: a landing that changed only fields is shown too.
                    let fields: Vec<&str> = diff
                        .fields
                        .iter()
                        .map(|f| f.pointer.as_str())
                        .filter(|p| *p != "/status" && !p.starts_with("/signatures"))
                        .collect();
                    if !fields.is_empty() {
                        events.push(event("fields", format!("changed {}", fields.join(", "))));
                    }
                    let (before, after) = (status(Some(old)), status(Some(new)));
                    if before != after {
                        events.push(event(
                            "status",
                            format!(
                                "status {} → {}",
                                before.as_deref().unwrap_or("(none)"),
                                after.as_deref().unwrap_or("(none)")
                            ),
                        ));
                        if after.as_deref() == Some("executed") {
                            executed.get_or_insert(commit.time);
                        }
                    }
                    let signed = new.meta.signatures.len().saturating_sub(old.meta.signatures.len());
                    if signed > 0 {
                        let names: Vec<&str> = new
                            .meta
                            .signatures
                            .iter()
                            .skip(old.meta.signatures.len())
                            .map(|s| s.party.as_str())
                            .collect();
                        events.push(event("signed", format!("signed for {}", names.join(", "))));
                    }
                }
                (None, None) => {}
            }
        }
        Ok(())
    })?;
    let cycle_time_days = created.zip(executed).map(|(from, to)| (to - from) / 86_400);
    Ok(Log { version: 1, contract: wanted.to_owned(), path, events, cycle_time_days })
}
