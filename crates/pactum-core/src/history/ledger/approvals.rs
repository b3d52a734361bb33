//! The approvals view of the ledger (`pactum approvals`): one entry per landing and contract
//! changed, with who merged it and who approved it (trailers, and the forge's reviews).

use std::collections::HashMap;

use git2::Oid;
use serde::Serialize;

use super::{Landing, Scope, landed, status, time, walk_batches};
use crate::diff::{self, DiffOptions};
use crate::history::{Git, HistoryError};

/// One entry of the ledger: a landing that changed a contract.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub contract: Option<String>,
    pub path: String,
    pub commit: String,
    pub merged_at: String,
    pub merged_by: String,
    pub pull_request: Option<u64>,
    pub approvers: Vec<String>,
    pub status_before: Option<String>,
    pub status_after: Option<String>,
    /// The clauses the landing changed (their numbers after it, or before for removed ones).
    pub clauses_changed: Vec<String>,
    pub landing: Landing,
    pub platform: Option<&'static str>,
    pub subject: String,
}

/// Add to each entry the approvals its pull request's reviews gave (`pulls`, by number).
pub fn add_reviews(entries: &mut [Entry], pulls: &HashMap<u64, PullRequest>) {
    for entry in entries {
        if let Some(pull) = entry.pull_request.and_then(|n| pulls.get(&n)) {
            for approval in &pull.approvals {
                if !entry.approvers.contains(&approval.login) {
                    entry.approvers.push(approval.login.clone());
                }
            }
        }
    }
}

/// The ledger: one entry per landing and contract, oldest first.
///
/// # Errors
/// When Git cannot be read.
pub fn approvals(git: &Git, tip: Oid, scope: &Scope, options: &DiffOptions) -> Result<Vec<Entry>, HistoryError> {
    use rayon::prelude::*;
    // Which clauses changed, not how: no word-level redlines, no prose.
    let options = DiffOptions { words: false, ..options.clone() };
    let mut entries = Vec::new();
    walk_batches(git, tip, scope, true, |steps| {
        let batch: Vec<Vec<Entry>> = steps
            .par_iter()
            .map(|step| {
                let commit = step.commit;
                let landed = landed(commit);
                step.contracts
                    .iter()
                    .map(|(old, new)| {
                        let diff = diff::diff(*old, *new, &options);
                        let either = new.or(*old).expect("one side");
                        Entry {
                            contract: either.meta.id.clone(),
                            path: either.path.clone(),
                            commit: commit.id.to_string(),
                            merged_at: time(commit),
                            merged_by: landed.merged_by.clone(),
                            pull_request: landed.pull_request,
                            approvers: landed.approvers.clone(),
                            status_before: status(*old),
                            status_after: status(*new),
                            clauses_changed: diff.clauses_changed(),
                            landing: landed.landing,
                            platform: landed.platform,
                            subject: commit.message.lines().next().unwrap_or("").to_owned(),
                        }
                    })
                    .collect()
            })
            .collect();
        entries.extend(batch.into_iter().flatten());
        Ok(())
    })?;
    Ok(entries)
}

/// What the forge says of a pull request: the commit its merge made, and who approved it on
/// which commit.
#[derive(Debug, Clone, Default)]
pub struct PullRequest {
    pub(crate) merge_commit: Option<String>,
    pub approvals: Vec<Approval>,
}

/// One reviewer's approval, and the commit it was given on (when the forge says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub login: String,
    pub commit: Option<String>,
}

impl Approval {
    /// Whether the approval covers what `landed` holds: the reviewed commit has the same
    /// contents at `paths` and the same rules. A rebase that changes no content keeps it; a
    /// push that changes a contract or the rules after it does not.
    #[must_use]
    pub fn covers(&self, git: &Git, landed: Oid, paths: &[String]) -> bool {
        let Some(reviewed) = self.commit.as_deref() else { return true };
        let Ok(reviewed) = Oid::from_str(reviewed) else { return false };
        git.info(reviewed).is_ok()
            && git.rules_changed(reviewed, landed).is_empty()
            && paths.iter().all(|path| git.entry_id_at(reviewed, path) == git.entry_id_at(landed, path))
    }
}
