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
    // Which blobs each landing changed, each once, in the order committed (versions written
    // together are stored together, and read from one delta base after another).
    let mut landings = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut versions: Vec<(Oid, String, &CommitInfo)> = Vec::new();
    // Oldest first.
    for commit in history.iter().rev() {
        let changes = git.contract_changes(commit, folder)?;
        if changes.is_empty() {
            continue;
        }
        for (path, id) in changes.iter().flat_map(|change| change.old.iter().chain(change.new.iter())) {
            if seen.insert(*id) {
                versions.push((*id, path.clone(), commit));
            }
        }
        landings.push((commit.time, changes));
    }
    // Each version read once, and only its id and status kept: from Git on one thread, its
    // front matter parsed on every core meanwhile. A version the working tree holds unchanged
    // (as the index says) is read from its file where it is parsed, not undone from the pack's
    // deltas (and from Git after all, should the file have gone meanwhile); one too large to
    // read has no status to give.
    let status_of = |path: &str, bytes: Option<Vec<u8>>| {
        let meta =
            bytes.and_then(|bytes| decode(path, bytes).ok()).and_then(|(text, _)| Contract::read_metadata(&text));
        meta.map_or((None, None), |meta| (meta.id, meta.status))
    };
    let read = git.read_then_parse(
        &versions,
        |git, (id, path, commit)| {
            let (id, path) = (*id, path.as_str());
            match working.and_then(|(root, staged)| staged.holds(root, path, key_of(id), max_file_size)) {
                Some(file) => Ok(Err(file)),
                None => Ok(Ok(git.blob_within(id, max_file_size).map_err(|e| damaged(e, id, path, commit))?.ok())),
            }
        },
        |(id, path, _), stored: Result<Option<Vec<u8>>, std::path::PathBuf>| {
            let bytes = match stored {
                Ok(bytes) => bytes,
                Err(file) => Some(std::fs::read(file).ok()?),
            };
            Some((*id, status_of(path, bytes)))
        },
    )?;
    let mut metadata: HashMap<Oid, (Option<String>, Option<Status>)> = HashMap::new();
    for (version, read) in versions.iter().zip(read) {
        let (id, path, commit) = (version.0, version.1.as_str(), version.2);
        let (id, status) = if let Some(read) = read {
            read
        } else {
            let bytes = git.blob_within(id, max_file_size).map_err(|e| damaged(e, id, path, commit))?.ok();
            (id, status_of(path, bytes))
        };
        metadata.insert(id, status);
    }

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
