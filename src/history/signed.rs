//! The versions of contracts as they were first executed, read from the history of `HEAD`: what
//! `check` holds an executed contract to. A seal is a value in the file, so anyone who can edit
//! the text can edit or compute it again, remove it, or set the status back and execute anew;
//! the version in history that first read as executed cannot be changed by the same edit.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use git2::Oid;

use super::{Git, HistoryError};
use crate::contract::seal::{SignedRecord, SignedVersion, reads_executed};
use crate::contract::{Contract, FrontMatterRule, decode};

/// The first executed version of every contract under `folders` in the first-parent history
/// of `tip`, oldest first; `root` is the working tree, to say which are still there. A version
/// larger than `max_size`, or not text, is passed over: `audit` names those.
///
/// # Errors
/// When Git cannot be read.
pub fn signed_versions(
    git: &Git,
    tip: Oid,
    folders: &[PathBuf],
    root: &Path,
    max_size: u64,
) -> Result<SignedRecord, HistoryError> {
    let mut history = git.first_parent_history(tip)?;
    history.reverse();
    let mut versions: Vec<SignedVersion> = Vec::new();
    // Paths and ids whose first executed version is found: later versions are compared with it.
    let mut paths: HashSet<String> = HashSet::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut seen: HashSet<Oid> = HashSet::new();
    for commit in &history {
        for folder in folders {
            for change in git.contract_changes(commit, folder)? {
                let Some((path, blob)) = change.new else { continue };
                if paths.contains(&path) || !seen.insert(blob) || git.blob_size(blob)? > max_size {
                    continue;
                }
                let bytes = git.blob(blob)?;
                // Only a version that names its status, or carries a seal, can read as executed.
                if !contains(&bytes, b"executed") && !contains(&bytes, b"body_sha256") {
                    continue;
                }
                let Ok((text, _)) = decode(&path, bytes) else { continue };
                let Some(meta) = Contract::read_metadata(&text) else { continue };
                if meta.id.as_ref().is_some_and(|id| ids.contains(id)) {
                    continue;
                }
                let contract = Contract::read(&path, text, FrontMatterRule::Optional, &mut Vec::new());
                if !reads_executed(&contract) {
                    continue;
                }
                paths.insert(path.clone());
                if let Some(id) = &contract.meta.id {
                    ids.insert(id.clone());
                }
                let present = root.join(&path).is_file();
                versions.push(SignedVersion { commit: git.short(commit.id), contract, present });
            }
        }
    }
    Ok(SignedRecord::new(versions, git.is_shallow()))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}
