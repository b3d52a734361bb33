//! Status changes along the ledger: when each contract became draft, in review, executed,
//! for the report's cycle times, read from the front matter alone.

use std::collections::HashMap;
use std::path::Path;

use git2::Oid;

use super::damaged;
use crate::contract::{Contract, Status, decode};
use crate::history::{CommitInfo, Git, HistoryError};
use crate::repo::facts::Staged;

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
    // Each version read once, on every core, and only its id and status kept: a version the
    // working tree holds unchanged (as the index says) is read from its file, not undone
    // from the pack's deltas.
    let versions: Vec<(Oid, &str, &CommitInfo)> =
        blobs.iter().map(|(id, (path, commit))| (*id, path.as_str(), *commit)).collect();
    let share = versions.len().div_ceil(rayon::current_num_threads().max(1) * 4).max(64);
    let opener = git.opener();
    let metadata: HashMap<Oid, (Option<String>, Option<Status>)> = versions
        .par_chunks(share)
        .map(|chunk| {
            let git = opener.open()?;
            let mut read = Vec::with_capacity(chunk.len());
            for &(id, path, commit) in chunk {
                let in_place = working.and_then(|(root, staged)| {
                    let file = root.join(path);
                    let metadata = std::fs::symlink_metadata(&file).ok()?;
                    let blob: [u8; 20] = id.as_bytes().try_into().ok()?;
                    (metadata.len() <= max_file_size && staged.blob(path, &metadata) == Some(blob))
                        .then(|| std::fs::read(&file).ok())
                        .flatten()
                });
                let bytes = match in_place {
                    Some(bytes) => bytes,
                    // A version too large to read has no status to give.
                    None if git.blob_size(id).map_err(|e| damaged(e, id, path, commit))? > max_file_size => continue,
                    None => git.blob(id).map_err(|e| damaged(e, id, path, commit))?,
                };
                let meta = decode(path, bytes).ok().and_then(|(text, _)| Contract::read_metadata(&text));
                read.push((id, meta.map_or((None, None), |meta| (meta.id, meta.status))));
            }
            Ok(read)
        })
        .collect::<Result<Vec<_>, HistoryError>>()?
        .into_iter()
        .flatten()
        .collect();
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
