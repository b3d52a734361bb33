//! The approval ledger: the main branch's first-parent history, read as a record of who
//! approved what.
//!
//! Every first-parent commit of the main branch is one landing: a merge commit (GitHub's
//! "Merge pull request #N from …", GitLab's "See merge request group/project!N", Gitea's and
//! Forgejo's "Reviewed-on: …/pulls/N"), a squash merge ("… (#N)"), a rebase merge (GitHub
//! as committer, no merge commit), or a direct push. Each landing that changed a contract is
//! one entry per contract. Approvers come from `Approved-by:` and `Reviewed-by:` trailers.
//!
//! GitHub's web merges are *committed* by GitHub; the person who pressed the button is the
//! merge commit's *author*, so that is `merged_by`.
//!
//! This file reads the landings and walks them (each version of a contract read once, by blob
//! id); each view of the walk is a file of its own: [`approvals`], [`audit`], [`log`] and the
//! status changes the report's cycle times come from.

mod approvals;
mod audit;
mod log;
mod status;

pub use approvals::{Approval, Entry, PullRequest, add_reviews, approvals};
pub use audit::{Audit, Finding, Since, Start, audit, claimed_pull_requests};
pub use log::{Log, LogEvent, log};
pub(crate) use status::{StatusChange, status_history};

use super::{CommitInfo, FileChange, Git, HistoryError};
use crate::contract::{Contract, FrontMatterRule, decode};
use chrono::{DateTime, FixedOffset};
use git2::Oid;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// How a change reached the main branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Landing {
    Merge,
    Squash,
    Rebase,
    Direct,
}

/// What a commit's message and people say about how it landed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Landed {
    pub landing: Landing,
    /// `github`, `gitlab` or `gitea`, when the message says.
    pub platform: Option<&'static str>,
    pub pull_request: Option<u64>,
    pub approvers: Vec<String>,
    pub merged_by: String,
}

fn number_after(text: &str, marker: &str) -> Option<u64> {
    let at = text.find(marker)? + marker.len();
    let digits: String = text[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The trailers of a message (`Approved-by: …`), keys in lower case, as Git reads them
/// (`git interpret-trailers`: the last paragraph, continuation lines folded).
fn trailers(message: &str) -> Vec<(String, String)> {
    git2::message_trailers_strs(message)
        .map(|found| found.iter().map(|(key, value)| (key.to_ascii_lowercase(), value.trim().to_owned())).collect())
        .unwrap_or_default()
}

const GITHUB_COMMITTER: &str = "noreply@github.com";

/// Read how a commit landed.
#[must_use]
pub fn landed(commit: &CommitInfo) -> Landed {
    let subject = commit.message.lines().next().unwrap_or("").trim();
    let trailers = trailers(&commit.message);
    let reviewed_on = trailers
        .iter()
        .find(|(k, _)| k == "reviewed-on")
        .and_then(|(_, v)| number_after(v, "/pulls/").or_else(|| number_after(v, "/pull/")));
    let gitlab = number_after(&commit.message, "See merge request ").map(|_| {
        let at = commit.message.find("See merge request ").unwrap_or(0);
        let rest = &commit.message[at..];
        rest.find('!')
            .and_then(|bang| rest[bang + 1..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok())
    });
    let gitlab = gitlab.flatten().or_else(|| {
        let at = commit.message.find("See merge request ")?;
        let rest = &commit.message[at..];
        let bang = rest.find('!')?;
        rest[bang + 1..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()
    });
    let squash_number = subject
        .strip_suffix(')')
        .and_then(|s| s.rfind("(#").map(|at| &s[at + 2..]))
        .and_then(|n| n.parse::<u64>().ok());
    let merge = commit.parents.len() >= 2;
    let (landing, platform, pull_request) = if merge {
        if let Some(n) = number_after(subject, "Merge pull request #") {
            (Landing::Merge, Some("github"), Some(n))
        } else if let Some(n) = gitlab {
            (Landing::Merge, Some("gitlab"), Some(n))
        } else if let Some(n) =
            reviewed_on.or_else(|| number_after(subject, "(#").filter(|_| subject.starts_with("Merge pull request '")))
        {
            (Landing::Merge, Some("gitea"), Some(n))
        } else {
            (Landing::Merge, None, None)
        }
    } else if let Some(n) = gitlab {
        (Landing::Squash, Some("gitlab"), Some(n))
    } else if let Some(n) = reviewed_on {
        (Landing::Squash, Some("gitea"), Some(n))
    } else if let Some(n) = squash_number {
        (Landing::Squash, Some("github"), Some(n))
    } else if commit.committer.email == GITHUB_COMMITTER && commit.author.email != GITHUB_COMMITTER {
        (Landing::Rebase, Some("github"), None)
    } else {
        (Landing::Direct, None, None)
    };
    let approvers =
        trailers.iter().filter(|(k, _)| k == "approved-by" || k == "reviewed-by").map(|(_, v)| v.clone()).collect();
    // GitHub commits web merges as itself: the author pressed the button.
    let person = if commit.committer.email == GITHUB_COMMITTER { &commit.author } else { &commit.committer };
    let merged_by = if landing == Landing::Merge { &commit.author } else { person };
    Landed {
        landing,
        platform,
        pull_request,
        approvers,
        merged_by: format!("{} <{}>", merged_by.name, merged_by.email),
    }
}

fn time(commit: &CommitInfo) -> String {
    let offset = FixedOffset::east_opt(commit.offset_minutes * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
    DateTime::from_timestamp(commit.time, 0).map(|t| t.with_timezone(&offset).to_rfc3339()).unwrap_or_default()
}

/// Why a version of a contract in history was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Not text pactum reads (UTF-16, binary, NUL bytes, lone-CR line endings): why.
    NotText(&'static str),
    /// Larger than `[check] max_file_size`: its size in bytes.
    TooLarge(u64),
}

impl Unreadable {
    /// Why, for a message that names the version: "is not UTF-8 text".
    #[must_use]
    pub fn reason(self, limit: u64) -> String {
        match self {
            Self::NotText(why) => format!("is not text pactum reads ({why})"),
            Self::TooLarge(size) => format!("is {size} bytes, more than `[check] max_file_size` ({limit} bytes)"),
        }
    }
}

/// Reads contracts from blobs once each, however many commits share them, and none larger
/// than the repository's `max_file_size`. A version is kept by blob and path: the same blob at
/// two paths (a copy) is two contracts, each with its own path.
pub(crate) struct Reader<'a> {
    git: &'a Git,
    max_size: u64,
    /// Read front matter and clauses only ([`Contract::read_outline`]).
    outline: bool,
    cache: rustc_hash::FxHashMap<(Oid, String), Result<Contract, Unreadable>>,
    /// Versions read here because the fetch did not hand them over: none, when the fetch keeps
    /// the same account of what is read as the walk.
    late: usize,
}

impl<'a> Reader<'a> {
    /// A reader of whole contracts, or with `outline` of their front matter and clauses only.
    #[must_use]
    pub fn new(git: &'a Git, max_size: u64, outline: bool) -> Self {
        Self { git, max_size, outline, cache: rustc_hash::FxHashMap::default(), late: 0 }
    }

    /// Forget a version: the walk has moved past it. The contract is handed back, so that the
    /// caller can free it where it costs no waiting.
    pub(crate) fn forget(&mut self, path: &str, id: Oid) -> Option<Result<Contract, Unreadable>> {
        self.cache.remove(&(id, path.to_owned()))
    }

    fn get(&self, path: &str, id: Oid) -> Option<&Result<Contract, Unreadable>> {
        self.cache.get(&(id, path.to_owned()))
    }

    /// The contract in a blob, or why it was not read.
    ///
    /// # Errors
    /// When the blob cannot be read.
    pub fn contract(&mut self, path: &str, id: Oid) -> Result<Result<&Contract, Unreadable>, HistoryError> {
        let key = (id, path.to_owned());
        if !self.cache.contains_key(&key) {
            self.late += 1;
            let contract = read_version(self.git, path, id, self.max_size, self.outline)?;
            self.cache.insert(key.clone(), contract);
        }
        Ok(self.cache[&key].as_ref().map_err(|why| *why))
    }
}

/// A version read: its blob, and its contract or why it was not read.
type Read = ((Oid, String), Result<Contract, Unreadable>);

/// One version: its contract, or why it was not read (too large, not text).
fn read_version(
    git: &Git,
    path: &str,
    id: Oid,
    max_size: u64,
    outline: bool,
) -> Result<Result<Contract, Unreadable>, HistoryError> {
    Ok(match git.blob_within(id, max_size)? {
        Ok(bytes) => parse(path, bytes, outline),
        Err(size) => Err(Unreadable::TooLarge(size)),
    })
}

/// The contract in a version's bytes, whole or, with `outline`, without its prose.
fn parse(path: &str, bytes: Vec<u8>, outline: bool) -> Result<Contract, Unreadable> {
    decode(path, bytes)
        .map(|(text, _)| {
            if outline {
                Contract::read_outline(path, text)
            } else {
                Contract::read(path, text, FrontMatterRule::Optional, &mut Vec::new())
            }
        })
        .map_err(|diagnostic| Unreadable::NotText(diagnostic.code))
}

/// A Git failure while reading `object` for `commit`, said with both named.
fn damaged(error: HistoryError, object: Oid, what: &str, commit: &CommitInfo) -> HistoryError {
    match error {
        HistoryError::Git(error) => HistoryError::Corrupt {
            object: object.to_string(),
            what: what.to_owned(),
            commit: commit.id.to_string(),
            message: error.message().to_owned(),
        },
        other => other,
    }
}

/// A contract file before and after a commit: (path, blob) on each side that has it.
type SidePair = (Option<(String, Oid)>, Option<(String, Oid)>);

/// Pair a commit's file changes into contract changes: a removed and an added file with the
/// same id are one contract that moved.
fn pair_changes(
    commit: &CommitInfo,
    changes: Vec<FileChange>,
    reader: &mut Reader<'_>,
) -> Result<Vec<SidePair>, HistoryError> {
    let mut read = |path: &str, id: Oid| -> Result<Option<String>, HistoryError> {
        let contract = reader.contract(path, id).map_err(|e| damaged(e, id, path, commit))?;
        Ok(contract.ok().and_then(|c| c.meta.id.clone()))
    };
    let mut removed: Vec<(String, Oid, Option<String>)> = Vec::new();
    let mut added: Vec<(String, Oid, Option<String>)> = Vec::new();
    let mut paired = Vec::new();
    for change in changes {
        match (change.old, change.new) {
            (Some(old), Some(new)) => paired.push((Some(old), Some(new))),
            (Some((path, id)), None) => {
                let key = read(&path, id)?;
                removed.push((path, id, key));
            }
            (None, Some((path, id))) => {
                let key = read(&path, id)?;
                added.push((path, id, key));
            }
            (None, None) => {}
        }
    }
    for (path, id, key) in added {
        let twin = key.as_ref().and_then(|key| removed.iter().position(|(_, _, k)| k.as_ref() == Some(key)));
        match twin {
            Some(at) => {
                let (old_path, old_id, _) = removed.remove(at);
                paired.push((Some((old_path, old_id)), Some((path, id))));
            }
            None => paired.push((None, Some((path, id)))),
        }
    }
    paired.extend(removed.into_iter().map(|(path, id, _)| (Some((path, id)), None)));
    Ok(paired)
}

/// Which files to follow: the contracts folders, or the paths given.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The folders compared, relative to the contracts repository: every folder that was ever
    /// the contracts folder (see `contract_folders`), or the whole tree (one empty path).
    pub folders: Vec<std::path::PathBuf>,
    /// Paths (relative to the contracts repository) to keep; all when empty.
    pub paths: Vec<String>,
    /// Versions larger than this many bytes are named, not read (`[check] max_file_size`).
    pub max_file_size: u64,
}

impl Scope {
    /// What a history command reads: with no `paths`, every contract of every folder that was
    /// the contracts folder in the history from `tip`; else those paths (relative to the
    /// working directory, anywhere in the tree: a path may lie outside the contracts folder).
    ///
    /// # Errors
    /// When a path lies outside the repository, or the history cannot be read.
    pub fn of(
        repo: &crate::repo::Repo,
        git: &Git,
        tip: Oid,
        paths: &[std::path::PathBuf],
    ) -> Result<Self, HistoryError> {
        let max_file_size = repo.config.check.max_file_size;
        if paths.is_empty() {
            let folders = contract_folders(git, tip, &repo.config.repository.contracts)?;
            return Ok(Self { folders, paths: Vec::new(), max_file_size });
        }
        let mut shown = Vec::new();
        for path in paths {
            let relative = relative(&repo.root, path);
            if relative.starts_with("..") || Path::new(&relative).is_absolute() {
                return Err(HistoryError::Outside {
                    path: path.display().to_string(),
                    root: repo.root.display().to_string(),
                });
            }
            shown.push(relative);
        }
        Ok(Self { folders: vec![std::path::PathBuf::new()], paths: shown, max_file_size })
    }
}

impl Scope {
    fn keeps(&self, path: &str) -> bool {
        self.paths.is_empty()
            || self.paths.iter().any(|p| path == p || path.starts_with(&format!("{}/", p.trim_end_matches('/'))))
    }
}

/// The contract files each commit of `history` changed under `folders`, in the order of
/// `history`. On this thread: comparing trees is reading Git, which threads sharing a pack do
/// no faster than one (see [`fetch`]).
///
/// # Errors
/// When a tree cannot be read.
pub(crate) fn changed_files(
    git: &Git,
    history: &[CommitInfo],
    folders: &[std::path::PathBuf],
) -> Result<Vec<Vec<FileChange>>, HistoryError> {
    history.iter().map(|commit| commit_changes(git, commit, folders)).collect()
}

/// The contract files a commit changed under `folders`.
fn commit_changes(
    git: &Git,
    commit: &CommitInfo,
    folders: &[std::path::PathBuf],
) -> Result<Vec<FileChange>, HistoryError> {
    let mut changes = Vec::new();
    for folder in folders {
        changes.extend(
            git.contract_changes(commit, folder).map_err(|e| damaged(e, commit.id, "a folder of its tree", commit))?,
        );
    }
    Ok(changes)
}

/// Every folder that was the contracts folder (`[repository] contracts`) at some commit of the
/// first-parent history from `tip`, and `current`: a change that moves the folder leaves the
/// contracts of the old one on the record. A folder inside another one listed is left out,
/// since the other one holds it.
///
/// # Errors
/// When Git cannot be read.
pub(crate) fn contract_folders(git: &Git, tip: Oid, current: &str) -> Result<Vec<std::path::PathBuf>, HistoryError> {
    Ok(folders_in(git, &git.first_parent_history(tip)?, current))
}

/// [`contract_folders`] over a first-parent history already read.
#[must_use]
pub(crate) fn folders_in(git: &Git, history: &[CommitInfo], current: &str) -> Vec<std::path::PathBuf> {
    let mut seen: HashMap<Option<Oid>, String> = HashMap::new();
    let mut folders = vec![current.to_owned()];
    for commit in history {
        let config = git.entry_id_in(commit.tree, "pactum.toml");
        if seen.contains_key(&config) {
            continue;
        }
        let folder = config
            .and_then(|_| setting(&git.settings_at(commit.id)?, "repository", "contracts"))
            .unwrap_or_else(|| crate::repo::config::RepositoryConfig::default().contracts);
        folders.push(folder.clone());
        seen.insert(config, folder);
    }
    outermost(folders)
}

/// The folders, each once, without those inside another (`contracts/old` inside `contracts`).
pub(crate) fn outermost(folders: Vec<String>) -> Vec<std::path::PathBuf> {
    let mut paths: Vec<std::path::PathBuf> = folders
        .into_iter()
        .map(|f| {
            let path = std::path::PathBuf::from(f.trim_end_matches('/'));
            path.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect()
        })
        .collect();
    paths.sort();
    paths.dedup();
    let all = paths.clone();
    paths.retain(|p| !all.iter().any(|other| other != p && p.starts_with(other)));
    paths
}

/// One commit of the walk: each contract it changed, with both versions, and the versions
/// that could not be read.
pub(crate) struct Step<'a> {
    pub commit: &'a CommitInfo,
    pub contracts: Vec<(Option<&'a Contract>, Option<&'a Contract>)>,
    pub unreadable: Vec<(String, Unreadable)>,
}

/// How many commits the walk reads ahead: enough to keep every core busy, few enough that the
/// versions read ahead stay a small part of memory.
const WALK_BATCH: usize = 64;

/// Walk the ledger: for each first-parent commit from `tip` (oldest first), each contract it
/// changed, with both versions. `visit` returns an error to stop.
///
/// # Errors
/// When Git cannot be read.
pub fn walk(
    git: &Git,
    tip: Oid,
    scope: &Scope,
    mut visit: impl FnMut(
        &CommitInfo,
        &[(Option<&Contract>, Option<&Contract>)],
        &[(String, Unreadable)],
    ) -> Result<(), HistoryError>,
) -> Result<(), HistoryError> {
    walk_batches(git, tip, scope, false, |steps| {
        steps.iter().try_for_each(|step| visit(step.commit, &step.contracts, &step.unreadable))
    })
}

/// The walk a batch of commits at a time, in order, so that a batch's work can be spread over
/// every core. With `outline`, contracts are read without their prose.
///
/// Git is read on a thread of its own, through its own handle ([`fetch`]): each commit's
/// changed files, oldest first, and a batch at a time the bytes of the versions the batch names
/// that are not read yet. Meanwhile the batches it handed over are parsed and visited on every
/// core. Only the versions current at the walk's place stay read: a version a batch replaced is
/// forgotten, so memory follows the number of contracts, not the length of the history.
///
/// # Errors
/// When Git cannot be read.
pub(crate) fn walk_batches(
    git: &Git,
    tip: Oid,
    scope: &Scope,
    outline: bool,
    mut visit: impl FnMut(&[Step<'_>]) -> Result<(), HistoryError>,
) -> Result<(), HistoryError> {
    use rayon::prelude::*;
    let history = git.first_parent_history(tip)?;
    let mut reader = Reader::new(git, scope.max_file_size, outline);
    git.read_alongside(
        |git, hand_over| fetch(git, &history, scope, hand_over),
        |receive| {
            // Versions the walk has moved past, freed on a worker while the next batch is
            // visited: freeing tens of thousands of contracts on this thread would hold up every
            // batch.
            let mut retired: Vec<Result<Contract, Unreadable>> = Vec::new();
            for fetched in receive {
                let Fetched { commits, blobs } = fetched?;
                let parsed: Vec<Read> = blobs
                    .into_par_iter()
                    .map(|(key, bytes)| {
                        let contract = match bytes {
                            Ok(bytes) => parse(&key.1, bytes, outline),
                            Err(size) => Err(Unreadable::TooLarge(size)),
                        };
                        (key, contract)
                    })
                    .collect();
                reader.cache.extend(parsed);
                let mut paired = Vec::with_capacity(commits.len());
                for (commit, changes) in commits {
                    let pairs = pair_changes(commit, changes, &mut reader)?;
                    // Every version in the cache: one the fetch did not hand over is read here.
                    for (old, new) in &pairs {
                        for (path, id) in old.iter().chain(new.iter()) {
                            let _ = reader.contract(path, *id).map_err(|e| damaged(e, *id, path, commit))?;
                        }
                    }
                    paired.push((commit, pairs));
                }
                let steps: Vec<Step<'_>> = paired.iter().map(|(commit, pairs)| step(commit, pairs, &reader)).collect();
                let retiring = std::mem::take(&mut retired);
                rayon::in_place_scope(|scope| {
                    scope.spawn(move |_| drop(retiring));
                    visit(&steps)
                })?;
                drop(steps);
                // Forget the versions the batch replaced, unless the batch brought them back
                // (the fetch forgets the same ones).
                for (path, id) in
                    replaced(paired.iter().flat_map(|(_, pairs)| pairs.iter().map(|(o, n)| (o.as_ref(), n.as_ref()))))
                {
                    retired.extend(reader.forget(path, id));
                }
            }
            debug_assert_eq!(reader.late, 0, "the fetch hands over every version the walk reads");
            Ok(())
        },
    )
}

/// A batch of the walk as the fetch hands it over: each commit with the contract files it
/// changed, and the versions they name that the walk has not read, as Git stores them (or
/// their size, when over `max_file_size`).
struct Fetched<'h> {
    commits: Vec<(&'h CommitInfo, Vec<FileChange>)>,
    blobs: Vec<((Oid, String), Stored)>,
}

/// A version's bytes as Git stores them, or its size when it is over `max_file_size`.
type Stored = Result<Vec<u8>, u64>;

/// Which versions a batch replaced: the old side of each change, unless a change of the same
/// batch brought it back.
fn replaced<'a>(
    changes: impl Iterator<Item = (Option<&'a (String, Oid)>, Option<&'a (String, Oid)>)> + Clone,
) -> Vec<(&'a str, Oid)> {
    let current: rustc_hash::FxHashSet<&(String, Oid)> = changes.clone().filter_map(|(_, new)| new).collect();
    changes
        .filter_map(|(old, _)| old)
        .filter(|old| !current.contains(old))
        .map(|(path, id)| (path.as_str(), *id))
        .collect()
}

/// Read the history for the walk, oldest first, on the reading thread of
/// [`Git::read_alongside`], and hand it over a batch at a time: which contract files each commit
/// changed, and the bytes of the versions the walk has not read. It keeps the same account of
/// what is read as the walk.
///
/// # Errors
/// The first Git error; the fetch ends when the walk stops taking batches.
fn fetch<'h>(
    git: &Git,
    history: &'h [CommitInfo],
    scope: &Scope,
    hand_over: &dyn Fn(Fetched<'h>) -> bool,
) -> Result<(), HistoryError> {
    let mut read: rustc_hash::FxHashSet<(Oid, String)> = rustc_hash::FxHashSet::default();
    let mut commits = Vec::with_capacity(WALK_BATCH);
    let mut batches = history.iter().rev().peekable();
    while let Some(commit) = batches.next() {
        let mut changes = commit_changes(git, commit, &scope.folders)?;
        changes.retain(|c| c.old.iter().chain(c.new.iter()).any(|(path, _)| scope.keeps(path)));
        if !changes.is_empty() {
            commits.push((commit, changes));
        }
        if commits.len() < WALK_BATCH && batches.peek().is_some() {
            continue;
        }
        let mut blobs = Vec::new();
        for (commit, changes) in &commits {
            for (path, id) in changes.iter().flat_map(|c| c.old.iter().chain(c.new.iter())) {
                if read.insert((*id, path.clone())) {
                    let bytes = git.blob_within(*id, scope.max_file_size).map_err(|e| damaged(e, *id, path, commit))?;
                    blobs.push(((*id, path.clone()), bytes));
                }
            }
        }
        for (path, id) in
            replaced(commits.iter().flat_map(|(_, changes)| changes.iter().map(|c| (c.old.as_ref(), c.new.as_ref()))))
        {
            read.remove(&(id, path.to_owned()));
        }
        if !hand_over(Fetched { commits: std::mem::replace(&mut commits, Vec::with_capacity(WALK_BATCH)), blobs }) {
            break;
        }
    }
    Ok(())
}

/// A commit's contracts with both versions, from the reader's cache.
fn step<'a>(commit: &'a CommitInfo, pairs: &[SidePair], reader: &'a Reader<'_>) -> Step<'a> {
    let get = |side: &Option<(String, Oid)>| {
        side.as_ref().and_then(|(path, id)| reader.get(path, *id).and_then(|read| read.as_ref().ok()))
    };
    // A version pactum cannot read (not UTF-8, binary, too large) is named, and the record goes on.
    let unreadable = pairs
        .iter()
        .flat_map(|(old, new)| [old, new])
        .filter_map(|side| {
            let (path, id) = side.as_ref()?;
            let why = *reader.get(path, *id)?.as_ref().err()?;
            Some((path.clone(), why))
        })
        .collect();
    let contracts = pairs
        .iter()
        .map(|(old, new)| (get(old), get(new)))
        .filter(|(old, new)| old.is_some() || new.is_some())
        .collect();
    Step { commit, contracts, unreadable }
}

fn status(contract: Option<&Contract>) -> Option<String> {
    contract.and_then(|c| c.meta.status).map(|s| s.as_str().to_owned())
}

/// The tip of the main branch, refusing shallow clones, and a branch whose own `pactum.toml`
/// names another main branch: pointing `main_branch` at a branch of one's choosing would let
/// the audit read a record of one's choosing.
///
/// # Errors
/// When the clone is shallow, there is no main branch, or the branch disowns the name.
pub fn main_tip(git: &Git, configured: &str) -> Result<(String, Oid), HistoryError> {
    git.require_full_history()?;
    let name = git.main_branch(configured).ok_or_else(|| HistoryError::UnknownRevision(configured.to_owned()))?;
    let tip = git.commit(&name)?;
    let named = git
        .settings_at(tip)
        .and_then(|table| setting(&table, "repository", "main_branch"))
        .unwrap_or_else(|| crate::repo::config::RepositoryConfig::default().main_branch);
    if named != configured {
        return Err(HistoryError::BranchDisagrees { configured: configured.to_owned(), branch: name, named });
    }
    Ok((name, tip))
}

/// Where `path` (relative to the current directory) is, relative to the contracts repository.
#[must_use]
pub fn relative(root: &Path, path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    crate::repo::shown_relative(root, &absolute)
}

/// A text setting of `pactum.toml` as read from history: `[table] key`.
fn setting(settings: &toml::Table, table: &str, key: &str) -> Option<String> {
    settings.get(table)?.get(key)?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Person;

    fn commit(message: &str, parents: usize, author: (&str, &str), committer: (&str, &str)) -> CommitInfo {
        CommitInfo {
            id: Oid::ZERO_SHA1,
            parents: vec![Oid::ZERO_SHA1; parents],
            message: message.to_owned(),
            author: Person { name: author.0.into(), email: author.1.into() },
            committer: Person { name: committer.0.into(), email: committer.1.into() },
            time: 0,
            offset_minutes: 0,
            tree: Oid::ZERO_SHA1,
            first_parent_tree: None,
        }
    }

    #[test]
    fn every_way_of_landing() {
        let alice = ("Alice", "alice@example.com");
        let github = ("GitHub", GITHUB_COMMITTER);
        let merge = landed(&commit("Merge pull request #12 from northwind/renewal\n\nRaise the cap", 2, alice, github));
        assert_eq!((merge.landing, merge.platform, merge.pull_request), (Landing::Merge, Some("github"), Some(12)));
        assert_eq!(merge.merged_by, "Alice <alice@example.com>");
        let squash = landed(&commit("Raise the cap (#13)\n\n* edits", 1, alice, github));
        assert_eq!((squash.landing, squash.pull_request), (Landing::Squash, Some(13)));
        let rebase = landed(&commit("Raise the cap", 1, alice, github));
        assert_eq!(rebase.landing, Landing::Rebase);
        let gitlab = landed(&commit(
            "Merge branch 'cap' into 'main'\n\nRaise the cap\n\nSee merge request legal/contracts!7\n\nApproved-by: Bea <bea@example.com>",
            2,
            alice,
            alice,
        ));
        assert_eq!((gitlab.landing, gitlab.platform, gitlab.pull_request), (Landing::Merge, Some("gitlab"), Some(7)));
        assert_eq!(gitlab.approvers, ["Bea <bea@example.com>"]);
        let gitea = landed(&commit(
            "Merge pull request 'Raise the cap' (#9) from cap into main\n\nReviewed-on: https://gitea.example/legal/contracts/pulls/9\nReviewed-by: carol <carol@example.com>",
            2,
            alice,
            alice,
        ));
        assert_eq!((gitea.landing, gitea.platform, gitea.pull_request), (Landing::Merge, Some("gitea"), Some(9)));
        assert_eq!(gitea.approvers, ["carol <carol@example.com>"]);
        let direct = landed(&commit("Fix typo", 1, alice, alice));
        assert_eq!(direct.landing, Landing::Direct);
    }
}
