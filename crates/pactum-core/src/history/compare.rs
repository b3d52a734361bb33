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
    let (base, head, old, new) = match revisions {
        [] => {
            let main = main()?;
            let base = git.merge_base(&main, "HEAD")?;
            (
                format!("{main} ({})", git.short(base)),
                WORKING_TREE.to_owned(),
                git.files_at(base, &folder)?,
                working_tree(repo)?,
            )
        }
        [range] if range.contains("...") => {
            let (a, b) = ends(range, "...");
            let base = git.merge_base(&a, &b)?;
            let old = git.files_at(base, &folder)?;
            let new = git.files_at(git.commit(&b)?, &folder)?;
            (format!("{a}...{b} ({})", git.short(base)), b, old, new)
        }
        [range] if range.contains("..") => {
            let (a, b) = ends(range, "..");
            let old = git.files_at(git.commit(&a)?, &folder)?;
            let new = git.files_at(git.commit(&b)?, &folder)?;
            (a, b, old, new)
        }
        [base] => {
            (base.clone(), WORKING_TREE.to_owned(), git.files_at(git.commit(base)?, &folder)?, working_tree(repo)?)
        }
        [base, head] => (
            base.clone(),
            head.clone(),
            git.files_at(git.commit(base)?, &folder)?,
            git.files_at(git.commit(head)?, &folder)?,
        ),
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
    let head_commit = if head == WORKING_TREE { None } else { Some(git.commit(&head)?) };
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
