//! Status changes along the ledger: when each contract became draft, in review, executed,
//! for the report's cycle times, read from the front matter alone.

use std::collections::HashMap;
use std::path::Path;

use git2::Oid;

use super::damaged;
use crate::contract::{Contract, decode};
use crate::history::{CommitInfo, Git, HistoryError};

/// A change of a contract's status in the ledger (a landing that added or changed it).
#[derive(Debug, Clone)]
pub(crate) struct StatusChange {
    pub contract: String,
    /// Seconds since the epoch.
    pub time: i64,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Every landing's effect on contracts' statuses, oldest first, reading only front matter:
/// what cycle times need, at a fraction of the full ledger's cost.
///
/// # Errors
/// When Git cannot be read.
pub(crate) fn status_history(
    git: &Git,
    tip: Oid,
    folder: &Path,
    max_file_size: u64,
) -> Result<Vec<StatusChange>, HistoryError> {
    use rayon::prelude::*;
    let mut history = git.first_parent_history(tip)?;
    history.reverse();
    // Which blobs each landing changed; then read every blob once (Git is single-threaded here)
    // and parse their front matter on all cores.
    let mut landings = Vec::new();
    let mut blobs: HashMap<Oid, (String, &CommitInfo)> = HashMap::new();
    for commit in &history {
        let changes = git.contract_changes(commit, folder)?;
        for change in &changes {
            for (path, id) in change.old.iter().chain(change.new.iter()) {
                blobs.entry(*id).or_insert_with(|| (path.clone(), commit));
            }
        }
        if !changes.is_empty() {
            landings.push((commit.time, changes));
        }
    }
    let mut bytes = Vec::with_capacity(blobs.len());
    for (id, (path, commit)) in &blobs {
        // A version too large to read has no status to give.
        let size = git.blob_size(*id).map_err(|e| damaged(e, *id, path, commit))?;
        if size <= max_file_size {
            bytes.push((*id, path.as_str(), git.blob(*id).map_err(|e| damaged(e, *id, path, commit))?));
        }
    }
    let metadata: HashMap<Oid, Option<crate::contract::Metadata>> = bytes
        .into_par_iter()
        .map(|(id, path, bytes)| (id, decode(path, bytes).ok().and_then(|(text, _)| Contract::read_metadata(&text))))
        .collect();
    let status = |side: &Option<(String, Oid)>| -> (Option<String>, Option<String>) {
        let meta = side.as_ref().and_then(|(_, id)| metadata.get(id)).and_then(Option::as_ref);
        (meta.and_then(|m| m.id.clone()), meta.and_then(|m| m.status).map(|s| s.as_str().to_owned()))
    };
    let mut out = Vec::new();
    for (time, changes) in landings {
        for change in changes {
            let (old_id, before) = status(&change.old);
            let (new_id, after) = status(&change.new);
            let Some(contract) = new_id.or(old_id) else { continue };
            out.push(StatusChange { contract, time, before, after });
        }
    }
    Ok(out)
}
