//! The versions of contracts as they were first executed, read from the history of `HEAD`: what
//! `check` holds an executed contract to. A seal is a value in the file, so anyone who can edit
//! the text can edit or compute it again, remove it, or set the status back and execute anew;
//! the version in history that first read as executed cannot be changed by the same edit.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use git2::Oid;

use super::ledger::Start;
use super::{Git, HistoryError};
use crate::contract::seal::{SignedRecord, SignedVersion};
use crate::contract::{Contract, Status, decode};

/// The first executed version of every contract in the first-parent history of `tip` on the
/// record, under every folder that was the contracts folder (`current` now), oldest first; `root` is the working tree, to say which are still
/// there. Where the record starts later than the history (`[audit] since`), a contract is held
/// to its version at the start. A version larger than `max_size`, or not text, is passed over:
/// `audit` names those.
///
/// # Errors
/// When Git cannot be read, or the start is a commit not in the history.
pub(crate) fn signed_versions(
    git: &Git,
    tip: Oid,
    current: &str,
    start: Option<&Start>,
    (root, max_size): (&Path, u64),
) -> Result<SignedRecord, HistoryError> {
    let mut history = git.first_parent_history(tip)?;
    let folders: &[PathBuf] = &super::ledger::folders_in(git, &history, current);
    let recorded = Start::recorded(start, git, &history)?;
    history.reverse();
    let mut found = Found {
        root,
        max_size,
        versions: Vec::new(),
        paths: HashSet::new(),
        ids: HashSet::new(),
        seen: HashSet::new(),
    };
    // Before the record starts: the latest version at each path, held to once it starts.
    let mut before: BTreeMap<String, (Oid, Oid)> = BTreeMap::new();
    let mut started = false;
    let changed = super::ledger::changed_files(git, &history, folders)?;
    for (commit, changes) in history.iter().zip(changed) {
        if !recorded(commit) {
            for change in changes {
                if let Some((path, _)) = change.old {
                    before.remove(&path);
                }
                if let Some((path, blob)) = change.new {
                    before.insert(path, (blob, commit.id));
                }
            }
            continue;
        }
        if !started {
            started = true;
            for (path, (blob, at)) in std::mem::take(&mut before) {
                found.consider(git, &path, blob, at)?;
            }
        }
        for change in changes {
            if let Some((path, blob)) = change.new {
                found.consider(git, &path, blob, commit.id)?;
            }
        }
    }
    // A start after every commit: the record starts at the tip.
    for (path, (blob, at)) in before {
        found.consider(git, &path, blob, at)?;
    }
    Ok(SignedRecord::new(found.versions, git.is_shallow()))
}

/// The executed versions found so far, and the paths and ids they hold.
struct Found<'a> {
    root: &'a Path,
    max_size: u64,
    versions: Vec<SignedVersion>,
    paths: HashSet<String>,
    ids: HashSet<String>,
    seen: HashSet<Oid>,
}

impl Found<'_> {
    /// Keep the version `blob` of `path` (committed in `commit`) if it is the first executed
    /// version of its contract.
    fn consider(&mut self, git: &Git, path: &str, blob: Oid, commit: Oid) -> Result<(), HistoryError> {
        if self.paths.contains(path) || !self.seen.insert(blob) || git.blob_size(blob)? > self.max_size {
            return Ok(());
        }
        let bytes = git.blob(blob)?;
        // Only a version that names its status, or carries a seal, can read as executed.
        if !contains(&bytes, b"executed") && !contains(&bytes, b"body_sha256") {
            return Ok(());
        }
        let Ok((text, _)) = decode(path, bytes) else { return Ok(()) };
        let Some(meta) = Contract::read_metadata(&text) else { return Ok(()) };
        if meta.id.as_ref().is_some_and(|id| self.ids.contains(id)) {
            return Ok(());
        }
        // Executed: its status says so, or it carries a seal (as `seal::reads_executed`).
        if meta.status != Some(Status::Executed) && meta.body_sha256.is_none() {
            return Ok(());
        }
        self.paths.insert(path.to_owned());
        if let Some(id) = &meta.id {
            self.ids.insert(id.clone());
        }
        let present = self.root.join(path).is_file();
        self.versions.push(SignedVersion::new(git.short(commit), path.to_owned(), meta.id, text, present));
        Ok(())
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}
