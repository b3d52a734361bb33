//! Status changes along the ledger: when each contract became draft, in review, executed,
//! for the report's cycle times, read from the front matter alone.

use std::collections::HashMap;
use std::path::Path;

use git2::Oid;

use super::damaged;
use crate::contract::{Contract, Status, decode};
use crate::history::{CommitInfo, Git, HistoryError};
use crate::repo::facts::{Staged, key_of};

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
/// what cycle times need, at a fraction of the full ledger's cost. `working` is the working
/// tree's root and what its index says, whose unchanged files stand for the versions they are.
///
/// # Errors
/// When Git cannot be read.
pub(crate) fn status_history(
    git: &Git,
    tip: Oid,
    folder: &Path,
    max_file_size: u64,
    working: Option<(&Path, &Staged)>,
) -> Result<Vec<StatusChange>, HistoryError> {
    let history = git.first_parent_history(tip)?;
    // Which blobs each landing changed; then read every blob once (Git is single-threaded here)
    // and parse their front matter on all cores.
    let mut landings = Vec::new();
    let mut blobs: HashMap<Oid, (String, &CommitInfo)> = HashMap::new();
    // Oldest first.
    for commit in history.iter().rev() {
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
    // Each version read once, on every core, and only its id and status kept: a version the
    // working tree holds unchanged (as the index says) is read from its file, not undone
    // from the pack's deltas.
    let versions: Vec<(Oid, &str, &CommitInfo)> =
        blobs.iter().map(|(id, (path, commit))| (*id, path.as_str(), *commit)).collect();
    let read = git.map_parallel(&versions, |git, &(id, path, commit)| {
        let in_place = working
            .and_then(|(root, staged)| staged.holds(root, path, key_of(id), max_file_size))
            .and_then(|file| std::fs::read(file).ok());
        let bytes = match in_place {
            Some(bytes) => bytes,
            None => match git.blob_within(id, max_file_size).map_err(|e| damaged(e, id, path, commit))? {
                Ok(bytes) => bytes,
                // A version too large to read has no status to give.
                Err(_) => return Ok(None),
            },
        };
        let meta = decode(path, bytes).ok().and_then(|(text, _)| Contract::read_metadata(&text));
        Ok(Some((id, meta.map_or((None, None), |meta| (meta.id, meta.status)))))
    })?;
    let metadata: HashMap<Oid, (Option<String>, Option<Status>)> = read.into_iter().flatten().collect();
    let status = |side: &Option<(String, Oid)>| -> (Option<String>, Option<String>) {
        let Some((id, status)) = side.as_ref().and_then(|(_, blob)| metadata.get(blob)) else { return (None, None) };
        (id.clone(), status.map(|s| s.as_str().to_owned()))
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
