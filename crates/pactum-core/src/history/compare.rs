//! Two versions of a repository's contracts, compared: the revisions a comparison names (a
//! range, two revisions, one revision against the working tree) resolved to the contract files
//! on each side, and the contracts of the two sides paired and diffed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use git2::Oid;

use super::{File, Git, HistoryError};
use crate::contract::{Contract, FrontMatterRule, decode};
use crate::diff::{self, ContractDiff, DiffOptions};
use crate::repo::{self, Repo, RepoError};

/// Why two revisions cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error("no branch `{0}` (or `master`) to compare with; name the revisions: pactum diff BASE [HEAD]")]
    NoMainBranch(String),
    #[error("`{0}` and `{1}` are files, not revisions: compare them with `pactum diff --files {0} {1}`")]
    FilesNotRevisions(String, String),
    #[error("give at most two revisions")]
    TooManyRevisions,
    #[error("{0} is not a contract of this repository at either revision")]
    NotAContract(String),
    #[error("reading {path}: {source}")]
    Read { path: String, source: std::io::Error },
}

/// The two sides of a comparison: labels, contract files, and the head commit (none for the
/// working tree).
#[derive(Debug)]
pub struct Sides {
    pub base: String,
    pub head: String,
    pub old: Vec<File>,
    pub new: Vec<File>,
    pub head_commit: Option<Oid>,
}

/// The sides `revisions` name, limited to the contracts under `paths` (none: every contract):
/// no revision is the merge base of the main branch and `HEAD` against the working tree; `A`
/// is `A` against the working tree; `A..B` and `A B` are the two commits; `A...B` is their
/// merge base against `B`.
///
/// # Errors
/// An unknown revision, no main branch, more than two revisions, a path that is no contract
/// at either revision, or a file that cannot be read.
pub fn sides(repo: &Repo, git: &Git, revisions: &[String], paths: &[PathBuf]) -> Result<Sides, CompareError> {
    let folder = PathBuf::from(&repo.config.repository.contracts);
    let main = || {
        git.main_branch(&repo.config.repository.main_branch)
            .ok_or_else(|| CompareError::NoMainBranch(repo.config.repository.main_branch.clone()))
    };
    // Two files named where revisions go: say how to compare files rather than "unknown revision".
    if let [a, b] = revisions
        && Path::new(a).is_file()
        && Path::new(b).is_file()
        && git.commit(a).is_err()
    {
        return Err(CompareError::FilesNotRevisions(a.clone(), b.clone()));
    }
    let ends = |range: &str, separator: &str| -> (String, String) {
        let (a, b) = range.split_once(separator).expect("the range holds the separator");
        let or_head = |side: &str| if side.is_empty() { "HEAD".to_owned() } else { side.to_owned() };
        (or_head(a), or_head(b))
    };
    // (base label, base files, head label, head files, head commit: none for the working tree)
    let (base, old, head, new, head_commit) = match revisions {
        [] => {
            let main = main()?;
            let base = git.merge_base(&main, "HEAD")?;
            let old = git.files_at(base, &folder)?;
            (format!("{main} ({})", git.short(base)), old, WORKING_TREE.to_owned(), working_tree(repo)?, None)
        }
        [range] if range.contains("...") => {
            let (a, b) = ends(range, "...");
            let base = git.merge_base(&a, &b)?;
            let head = git.commit(&b)?;
            let (old, new) = (git.files_at(base, &folder)?, git.files_at(head, &folder)?);
            (format!("{a}...{b} ({})", git.short(base)), old, b, new, Some(head))
        }
        [range] if range.contains("..") => {
            let (a, b) = ends(range, "..");
            let (base, head) = (git.commit(&a)?, git.commit(&b)?);
            let (old, new) = (git.files_at(base, &folder)?, git.files_at(head, &folder)?);
            (a, old, b, new, Some(head))
        }
        [base] => {
            let old = git.files_at(git.commit(base)?, &folder)?;
            (base.clone(), old, WORKING_TREE.to_owned(), working_tree(repo)?, None)
        }
        [base, head] => {
            let (from, to) = (git.commit(base)?, git.commit(head)?);
            let (old, new) = (git.files_at(from, &folder)?, git.files_at(to, &folder)?);
            (base.clone(), old, head.clone(), new, Some(to))
        }
        _ => return Err(CompareError::TooManyRevisions),
    };
    let only: Vec<String> = paths
        .iter()
        .map(|p| {
            let absolute = std::path::absolute(p).unwrap_or_else(|_| p.clone());
            repo::shown_relative(&repo.root, &absolute)
        })
        .collect();
    let known: HashSet<&str> = old.iter().chain(new.iter()).map(|(p, _)| p.as_str()).collect();
    for (path, given) in only.iter().zip(paths) {
        if !known.iter().any(|k| under(k, path)) {
            return Err(CompareError::NotAContract(given.display().to_string()));
        }
    }
    Ok(Sides { base, head, old: limit(old, &only), new: limit(new, &only), head_commit })
}

/// How a side that is the working tree is labelled.
const WORKING_TREE: &str = "working tree";

/// Whether `path` is `folder` or a file under it.
fn under(path: &str, folder: &str) -> bool {
    path == folder || path.starts_with(&format!("{}/", folder.trim_end_matches('/')))
}

/// The working tree's contract files.
fn working_tree(repo: &Repo) -> Result<Vec<File>, CompareError> {
    let mut files = Vec::new();
    for file in repo.contract_files()? {
        if file.not_read.is_some() {
            continue;
        }
        let bytes =
            std::fs::read(&file.path).map_err(|source| CompareError::Read { path: file.shown.clone(), source })?;
        files.push((file.shown, bytes));
    }
    Ok(files)
}

/// Keep the files under the paths given (none given: every file).
fn limit(files: Vec<File>, only: &[String]) -> Vec<File> {
    if only.is_empty() {
        return files;
    }
    files.into_iter().filter(|(path, _)| only.iter().any(|o| under(path, o))).collect()
}

/// The contracts of one side, and why each file that is not one was left out.
pub fn read_side(files: Vec<File>) -> (Vec<Contract>, Vec<String>) {
    let mut contracts = Vec::with_capacity(files.len());
    let mut left_out = Vec::new();
    for (path, bytes) in files {
        match decode(&path, bytes) {
            Ok((text, _)) => contracts.push(Contract::read(&path, text, FrontMatterRule::Optional, &mut Vec::new())),
            Err(diagnostic) => left_out.push(format!("{path}: {}", diagnostic.message)),
        }
    }
    (contracts, left_out)
}

/// The contracts of two sides compared.
#[derive(Debug)]
pub struct Comparison {
    /// The contracts that changed, by path.
    pub contracts: Vec<ContractDiff>,
    /// Files of either side that are not contracts (binary, not text), with the reason.
    pub left_out: Vec<String>,
    /// How many contracts each side had.
    pub old: usize,
    pub new: usize,
}

/// Pair the contracts of two sides (by id, so that a moved file is a rename; else by path) and
/// diff each pair.
pub fn compare(old: Vec<File>, new: Vec<File>, options: &DiffOptions) -> Comparison {
    let (old, mut left_out) = read_side(old);
    let (new, more) = read_side(new);
    left_out.extend(more);
    let mut contracts: Vec<ContractDiff> = diff::pair(&old, &new)
        .into_iter()
        .map(|(_, before, after)| diff::diff(before, after, options))
        .filter(|d| !d.is_empty())
        .collect();
    contracts.sort_by(|a, b| a.path.cmp(&b.path));
    Comparison { contracts, left_out, old: old.len(), new: new.len() }
}

/// Why a comparison is not of exactly one contract changed on both sides.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NotOneChange {
    #[error("the contract is new at the head: export it with `pactum export` instead")]
    Added,
    #[error("the contract is removed at the head: there is nothing to redline")]
    Removed,
    #[error("no contract changed between the two revisions")]
    None,
    /// Several changed: how many, and the path of the first.
    #[error("{0} contracts changed")]
    Several(usize, String),
}

/// The one contract that changed between the sides, before and after.
///
/// # Errors
/// When none changed, several did, or the one that did is new or removed.
pub fn one_change<'a>(
    old: &'a [Contract],
    new: &'a [Contract],
    options: &DiffOptions,
) -> Result<(&'a Contract, &'a Contract), NotOneChange> {
    let changed: Vec<(Option<&Contract>, Option<&Contract>)> = diff::pair(old, new)
        .into_iter()
        .map(|(_, before, after)| (before, after))
        .filter(|(before, after)| !diff::diff(*before, *after, options).is_empty())
        .collect();
    match changed.as_slice() {
        [(Some(before), Some(after))] => Ok((before, after)),
        [(None, Some(_))] => Err(NotOneChange::Added),
        [(Some(_), None)] => Err(NotOneChange::Removed),
        [] => Err(NotOneChange::None),
        many => Err(NotOneChange::Several(
            many.len(),
            many.iter().find_map(|(a, b)| b.or(*a)).map_or_else(|| "contracts/…".to_owned(), |c| c.path.clone()),
        )),
    }
}

/// Two files compared as two versions of one contract (never a rename): the diff, or none when
/// nothing changed.
pub fn versions(before: &Contract, after: &Contract, options: &DiffOptions) -> Option<ContractDiff> {
    let mut diff = diff::diff(Some(before), Some(after), options);
    diff.change = diff::ContractChange::Modified;
    diff.old_path = None;
    (!diff.is_empty()).then_some(diff)
}
