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

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use git2::Oid;
use serde::Serialize;

use super::policy::{Change, Verdict};
use super::{CommitInfo, FileChange, Git, HistoryError};
use crate::contract::{Contract, FrontMatterRule, decode};
use crate::diff::{self, DiffOptions};
use crate::repo::policies::Policies;

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
    cache: HashMap<(Oid, String), Result<Contract, Unreadable>>,
}

impl<'a> Reader<'a> {
    /// A reader of whole contracts, or with `outline` of their front matter and clauses only.
    #[must_use]
    pub fn new(git: &'a Git, max_size: u64, outline: bool) -> Self {
        Self { git, max_size, outline, cache: HashMap::new() }
    }

    /// The versions a batch of commits names that are not read yet, each once: (commit, path,
    /// blob).
    fn unread<'c>(&self, batch: &'c [(&'c CommitInfo, Vec<FileChange>)]) -> Vec<(&'c CommitInfo, &'c str, Oid)> {
        let mut queued = std::collections::HashSet::new();
        batch
            .iter()
            .flat_map(|(commit, changes)| {
                changes.iter().flat_map(|c| c.old.iter().chain(c.new.iter())).map(|(path, id)| (*commit, path, *id))
            })
            .filter(|(_, path, id)| {
                let key = (*id, (*path).clone());
                !self.cache.contains_key(&key) && queued.insert(key)
            })
            .map(|(commit, path, id)| (commit, path.as_str(), id))
            .collect()
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
            let contract = read_version(self.git, path, id, self.max_size, self.outline)?;
            self.cache.insert(key.clone(), contract);
        }
        Ok(self.cache[&key].as_ref().map_err(|why| *why))
    }
}

/// A version read: its blob, and its contract or why it was not read.
type Read = ((Oid, String), Result<Contract, Unreadable>);

/// Read and parse versions on every core, a share each, each share through its own handle on
/// the repository (Git reads on one thread per handle).
fn read_versions(
    opener: &super::Opener,
    versions: &[(&CommitInfo, &str, Oid)],
    max_size: u64,
    outline: bool,
) -> Result<Vec<Read>, HistoryError> {
    use rayon::prelude::*;
    if versions.is_empty() {
        return Ok(Vec::new());
    }
    let share = versions.len().div_ceil(rayon::current_num_threads().max(1));
    let read: Vec<Vec<Read>> = versions
        .par_chunks(share)
        .map(|chunk| {
            let git = opener.open()?;
            chunk
                .iter()
                .map(|&(commit, path, id)| {
                    let contract =
                        read_version(&git, path, id, max_size, outline).map_err(|e| damaged(e, id, path, commit))?;
                    Ok(((id, path.to_owned()), contract))
                })
                .collect()
        })
        .collect::<Result<_, HistoryError>>()?;
    Ok(read.into_iter().flatten().collect())
}

/// One version: its contract, or why it was not read (too large, not text).
fn read_version(
    git: &Git,
    path: &str,
    id: Oid,
    max_size: u64,
    outline: bool,
) -> Result<Result<Contract, Unreadable>, HistoryError> {
    let size = git.blob_size(id)?;
    Ok(if size > max_size { Err(Unreadable::TooLarge(size)) } else { parse(path, git.blob(id)?, outline) })
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
    /// the contracts folder (see [`contract_folders`]), or the whole tree (one empty path).
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

impl Scope {
    fn keeps(&self, path: &str) -> bool {
        self.paths.is_empty()
            || self.paths.iter().any(|p| path == p || path.starts_with(&format!("{}/", p.trim_end_matches('/'))))
    }
}

/// The contract files each commit of `history` changed under `folders`, in the order of
/// `history`: found on every core, each through its own handle on the repository.
///
/// # Errors
/// When a tree cannot be read.
pub(crate) fn changed_files(
    git: &Git,
    history: &[CommitInfo],
    folders: &[std::path::PathBuf],
) -> Result<Vec<Vec<FileChange>>, HistoryError> {
    use rayon::prelude::*;
    let share = history.len().div_ceil(rayon::current_num_threads().max(1) * 4).max(64);
    let opener = git.opener();
    let chunks = history
        .par_chunks(share)
        .map(|chunk| {
            let git = opener.open()?;
            chunk
                .iter()
                .map(|commit| {
                    let mut changes = Vec::new();
                    for folder in folders {
                        changes.extend(
                            git.contract_changes(commit, folder)
                                .map_err(|e| damaged(e, commit.id, "a folder of its tree", commit))?,
                        );
                    }
                    Ok(changes)
                })
                .collect::<Result<Vec<_>, HistoryError>>()
        })
        .collect::<Result<Vec<_>, HistoryError>>()?;
    Ok(chunks.into_iter().flatten().collect())
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
/// Which files each commit changed is found on every core, each through its own handle on the
/// repository; then, a batch at a time, the batch's new versions are read and parsed on every
/// core, and the batch is visited. Only the versions current at the walk's place stay read: a
/// version a batch replaced is forgotten, so memory follows the number of contracts, not the
/// length of the history.
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
    let mut history = git.first_parent_history(tip)?;
    history.reverse();
    let opener = git.opener();
    let changes: Vec<Vec<FileChange>> = changed_files(git, &history, &scope.folders)?
        .into_iter()
        .map(|changes| {
            changes
                .into_iter()
                .filter(|c| c.old.iter().chain(c.new.iter()).any(|(path, _)| scope.keeps(path)))
                .collect()
        })
        .collect();
    let changed: Vec<(&CommitInfo, Vec<FileChange>)> =
        history.iter().zip(changes).filter(|(_, changes)| !changes.is_empty()).collect();
    let mut reader = Reader::new(git, scope.max_file_size, outline);
    let mut batches: Vec<Vec<(&CommitInfo, Vec<FileChange>)>> = Vec::new();
    let mut rest = changed.into_iter().peekable();
    while rest.peek().is_some() {
        batches.push(rest.by_ref().take(WALK_BATCH).collect());
    }
    let first = batches.first().map(|b| reader.unread(b)).unwrap_or_default();
    let mut ahead = read_versions(&opener, &first, reader.max_size, outline)?;
    // Versions the walk has moved past, freed on a worker while the next batch is visited:
    // freeing tens of thousands of contracts on this thread would hold up every batch.
    let mut retired: Vec<Result<Contract, Unreadable>> = Vec::new();
    for at in 0..batches.len() {
        reader.cache.extend(ahead);
        let batch = std::mem::take(&mut batches[at]);
        let mut paired = Vec::with_capacity(batch.len());
        for (commit, changes) in batch {
            let pairs = pair_changes(commit, changes, &mut reader)?;
            // Read every version into the cache (a version forgotten too early is read again).
            for (old, new) in &pairs {
                for (path, id) in old.iter().chain(new.iter()) {
                    let _ = reader.contract(path, *id).map_err(|e| damaged(e, *id, path, commit))?;
                }
            }
            paired.push((commit, pairs));
        }
        // The next batch is read while this one is visited.
        let next = batches.get(at + 1).map(|b| reader.unread(b)).unwrap_or_default();
        let steps: Vec<Step<'_>> = paired.iter().map(|(commit, pairs)| step(commit, pairs, &reader)).collect();
        let mut read_ahead = None;
        let max_size = reader.max_size;
        let retiring = std::mem::take(&mut retired);
        rayon::in_place_scope(|scope| {
            scope.spawn(|_| read_ahead = Some(read_versions(&opener, &next, max_size, outline)));
            scope.spawn(move |_| drop(retiring));
            visit(&steps)
        })?;
        ahead = read_ahead.unwrap_or_else(|| Ok(Vec::new()))?;
        drop(steps);
        // Forget the versions the batch replaced, unless the batch brought them back.
        let current: std::collections::HashSet<&(String, Oid)> =
            paired.iter().flat_map(|(_, pairs)| pairs.iter().filter_map(|(_, new)| new.as_ref())).collect();
        for (_, pairs) in &paired {
            for (old, _) in pairs {
                if let Some((path, id)) = old.as_ref().filter(|side| !current.contains(side)) {
                    retired.extend(reader.forget(path, *id));
                }
            }
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

/// A finding of the audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `direct-push`, `unverified-merge`, `policy-unmet`, `governance-unapproved`,
    /// `executed-changed` or `unreadable-version`.
    pub kind: &'static str,
    pub commit: String,
    pub contract: Option<String>,
    pub path: String,
    pub message: String,
}

/// What the forge says of a pull request: the commit its merge made, and who approved it on
/// which commit.
#[derive(Debug, Clone, Default)]
pub struct PullRequest {
    pub merge_commit: Option<String>,
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

/// How far a landing's claim to be a reviewed pull request is confirmed.
enum Claim<'a> {
    /// The forge says this pull request merged this very commit.
    Verified(&'a PullRequest),
    /// The commit's text names a pull request that the forge says did not merge it.
    Refuted(u64),
    /// The forge was not asked: the claim rests on the commit's text.
    Unverified,
    /// No pull request is claimed.
    None,
}

fn claim<'a>(landed: &Landed, commit: &CommitInfo, forge: Option<&'a HashMap<u64, PullRequest>>) -> Claim<'a> {
    let Some(number) = landed.pull_request else { return Claim::None };
    match forge {
        Some(pulls) if landed.platform == Some("github") => match pulls.get(&number) {
            Some(pull) if pull.merge_commit.as_deref() == Some(commit.id.to_string().as_str()) => Claim::Verified(pull),
            _ => Claim::Refuted(number),
        },
        // Without a forge, and for GitLab and Gitea merges, whose forges are not asked, the
        // claim rests on the commit's text.
        _ => Claim::Unverified,
    }
}

/// A text setting of `pactum.toml` as read from history: `[table] key`.
fn setting(settings: &toml::Table, table: &str, key: &str) -> Option<String> {
    settings.get(table)?.get(key)?.as_str().map(str::to_owned)
}

/// The configuration in force at a commit: its own `pactum.toml`, when that reads.
fn config_at(git: &Git, commit: Oid) -> Option<crate::repo::Config> {
    git.file_at(commit, "pactum.toml")
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| crate::repo::Config::parse(&text).ok())
}

/// The policies in force at a commit: its own `pactum.toml`.
fn policies_at(git: &Git, commit: Oid) -> Policies {
    config_at(git, commit).map(|config| Policies::from_config(&config)).unwrap_or_default()
}

/// Where the record starts, for a repository that adopted pactum after its history began:
/// `[audit] since` or `--since`, a commit (landings after it) or a date (landings on or after it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    Commit(Oid),
    Time(i64),
}

/// Where the record starts, as given: `[audit] since` (a setting) or `--since` (the reader's
/// choice), a date `YYYY-MM-DD` or a commit. Read against the history a command walks anyway
/// (see [`Start::recorded`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub text: String,
    /// Whether it is the setting: then the landing that set it, and every landing after it,
    /// stays on the record, so that moving the start later (`since = "2099-01-01"`) cannot
    /// hide the change that moved it, or any change after it.
    pub setting: bool,
}

impl Start {
    /// Where an audit starts: `given` (the reader's own choice) over `setting` (`[audit]
    /// since`, which keeps the landing that set it on the record); none: the first commit.
    pub fn chosen(given: Option<&str>, setting: Option<&str>) -> Option<Self> {
        match (given, setting) {
            (Some(text), _) => Some(Self { text: text.to_owned(), setting: false }),
            (None, Some(text)) => Some(Self { text: text.to_owned(), setting: true }),
            (None, None) => None,
        }
    }
}

impl Start {
    /// Which commits of `history` (the first-parent history, newest first) the record covers:
    /// all without a start.
    ///
    /// # Errors
    /// When the start is neither a date nor a commit, or a commit that is not in `history`.
    pub fn recorded(
        start: Option<&Self>,
        git: &Git,
        history: &[CommitInfo],
    ) -> Result<impl Fn(&CommitInfo) -> bool + use<>, HistoryError> {
        let resolved = match start {
            Some(start) => Some(start.resolve(git, history)?),
            None => None,
        };
        recorded_since(history, resolved.as_ref())
    }

    fn resolve(&self, git: &Git, history: &[CommitInfo]) -> Result<(Since, Option<SetAt>), HistoryError> {
        let since = match chrono::NaiveDate::parse_from_str(&self.text, "%Y-%m-%d") {
            Ok(date) => Since::Time(date.and_hms_opt(0, 0, 0).expect("midnight").and_utc().timestamp()),
            Err(_) => Since::Commit(git.commit(&self.text).map_err(|_| HistoryError::NoStart(self.text.clone()))?),
        };
        Ok((since, if self.setting { since_set_at(git, history, &self.text) } else { None }))
    }
}

/// Where a start set in `pactum.toml` was set: the landing, and whether that landing adopted
/// pactum (it brought the repository's first `pactum.toml`).
#[derive(Debug, Clone, Copy)]
struct SetAt {
    landing: Oid,
    adoption: bool,
}

/// The oldest landing of `history` (newest first) from which on `pactum.toml`'s `[audit]
/// since` has been `value` without a break: the landing that set it.
fn since_set_at(git: &Git, history: &[CommitInfo], value: &str) -> Option<SetAt> {
    let mut set_at = None;
    let mut read: HashMap<Option<Oid>, Option<String>> = HashMap::new();
    let mut older = history.len();
    for (at, commit) in history.iter().enumerate() {
        let config = git.entry_id_in(commit.tree, "pactum.toml");
        let since =
            read.entry(config).or_insert_with(|| setting(&git.settings_at(commit.id)?, "audit", "since")).clone();
        if since.as_deref() != Some(value) {
            older = at;
            break;
        }
        set_at = Some(commit.id);
    }
    // The landing adopted pactum when no landing before it had a `pactum.toml` at all.
    let adoption = history[older.min(history.len())..].iter().all(|c| git.entry_id_in(c.tree, "pactum.toml").is_none());
    set_at.map(|landing| SetAt { landing, adoption })
}

/// The GitHub pull requests the main branch's landings claim to be, among those that changed
/// a contract or the rules (what `audit --github` asks GitHub to confirm): read from the
/// commits and their trees, without reading a contract.
///
/// # Errors
/// When Git cannot be read.
pub fn claimed_pull_requests(
    git: &Git,
    tip: Oid,
    scope: &Scope,
) -> Result<std::collections::BTreeSet<u64>, HistoryError> {
    let mut numbers = std::collections::BTreeSet::new();
    for commit in git.first_parent_history(tip)? {
        let landed = landed(&commit);
        let (Some("github"), Some(number)) = (landed.platform, landed.pull_request) else { continue };
        let Some(&parent) = commit.parents.first() else { continue };
        let mut touched = !git.rules_changed(parent, commit.id).is_empty();
        for folder in &scope.folders {
            touched = touched || !git.contract_changes(&commit, folder)?.is_empty();
        }
        if touched {
            numbers.insert(number);
        }
    }
    Ok(numbers)
}

/// Audit the main branch: direct pushes that touched contracts, merges that did not satisfy
/// the policies in force before them (as far as the recorded approvals show, the merger never
/// counting as an approver unless a policy allows it), changes to the rules themselves without
/// the approval `[governance]` names, and changes to the body of an executed contract other
/// than through an amendment.
///
/// # Errors
/// When Git cannot be read.
pub fn audit(
    git: &Git,
    tip: Oid,
    scope: &Scope,
    options: &DiffOptions,
    forge: Option<&HashMap<u64, PullRequest>>,
    start: Option<&Start>,
) -> Result<Audit, HistoryError> {
    let mut findings = Vec::new();
    let mut unverified = Vec::new();
    let history = git.first_parent_history(tip)?;
    let recorded = Start::recorded(start, git, &history)?;
    // Who approved a landing: the forge's approvals that cover what landed where the forge was
    // asked (GitHub writes no trailers, so trailers there are only text), else the trailers.
    let approvers_of = |commit: &CommitInfo, landed: &Landed, paths: &[String]| match claim(landed, commit, forge) {
        Claim::Verified(pull) => pull
            .approvals
            .iter()
            .filter(|a| a.covers(git, commit.id, paths))
            .map(|a| a.login.clone())
            .collect::<Vec<_>>(),
        Claim::Refuted(_) => Vec::new(),
        Claim::Unverified | Claim::None => landed.approvers.clone(),
    };
    // A landing whose text claims a pull request the forge denies is a direct push.
    let refuted = |commit: &CommitInfo, landed: &Landed| match claim(landed, commit, forge) {
        Claim::Refuted(number) => Some(format!(
            "{} claims to be pull request #{number}, but GitHub says that pull request did not merge this commit",
            git.short(commit.id)
        )),
        _ => None,
    };
    // Changes to the rules, whether or not they touched a contract.
    for commit in history.iter().rev() {
        let Some(&parent) = commit.parents.first() else { continue };
        if !recorded(commit) {
            continue;
        }
        let changed = git.rules_changed(parent, commit.id);
        if changed.is_empty() {
            continue;
        }
        let landed = landed(commit);
        let approvers = approvers_of(commit, &landed, &[]);
        let verdict = policies_at(git, parent).governance_verdict(&approvers, Some(&landed.merged_by));
        let direct = landed.landing == Landing::Direct || refuted(commit, &landed).is_some();
        if direct || !verdict.met {
            findings.push(Finding {
                kind: "governance-unapproved",
                commit: commit.id.to_string(),
                contract: None,
                path: "pactum.toml".to_owned(),
                message: format!(
                    "{} changed the repository's rules ({}){}: {}",
                    git.short(commit.id),
                    changed.join(", "),
                    if direct { " without a verified review" } else { "" },
                    unmet_message(&git.short(commit.id), &landed, &verdict)
                ),
            });
        }
    }
    walk(git, tip, scope, |commit, steps, unreadable| {
        if !recorded(commit) {
            return Ok(());
        }
        let landed = landed(commit);
        let short = git.short(commit.id);
        for (path, why) in unreadable {
            findings.push(Finding {
                kind: "unreadable-version",
                commit: commit.id.to_string(),
                contract: None,
                path: path.clone(),
                message: format!(
                    "{short} holds a version of {path} that {}: it cannot be audited",
                    why.reason(scope.max_file_size)
                ),
            });
        }
        if matches!(claim(&landed, commit, forge), Claim::Unverified) {
            unverified.push(commit.id.to_string());
        }
        // The rules in force before the landing, read once: a change cannot loosen its own rules.
        let rules = commit.parents.first().and_then(|&parent| config_at(git, parent)).unwrap_or_default();
        let policies = Policies::from_config(&rules);
        let operational = &rules.execution.operational;
        let paths: Vec<String> =
            steps.iter().flat_map(|(old, new)| old.iter().chain(new.iter()).map(|c| c.path.clone())).collect();
        let approvers = approvers_of(commit, &landed, &paths);
        let refutation = refuted(commit, &landed);
        // Amendments this landing holds executed: the text and terms they record as amended.
        let amendments: Vec<&Contract> =
            steps.iter().filter_map(|(_, new)| *new).filter(|n| n.meta.amends.is_some()).collect();
        for (old, new) in steps {
            let either = new.or(*old).expect("one side");
            let (id, path) = (either.meta.id.clone(), either.path.clone());
            let finding = |kind, message: String| Finding {
                kind,
                commit: commit.id.to_string(),
                contract: id.clone(),
                path: path.clone(),
                message,
            };
            if let Some(refutation) = &refutation {
                findings.push(finding("unverified-merge", format!("{refutation}: it changed {path} without review")));
            } else if landed.landing == Landing::Direct {
                findings.push(finding(
                    "direct-push",
                    format!(
                        "{short} \"{}\" changed {path} by a direct push, without review (if it landed before changes went through reviewed pull requests, start the record after it: `[audit] since = \"{short}\"` in pactum.toml, itself landed through a reviewed pull request)",
                        commit.message.lines().next().unwrap_or("")
                    ),
                ));
            } else {
                let diff = diff::diff(*old, *new, options);
                let change =
                    Change { id: id.clone().unwrap_or_else(|| path.clone()), before: *old, after: *new, diff: &diff };
                let verdicts = policies.evaluate(&change, &approvers, Some(&landed.merged_by));
                for verdict in verdicts.into_iter().filter(|v| !v.met) {
                    findings.push(finding("policy-unmet", unmet_message(&short, &landed, &verdict)));
                }
                if change.adopts() {
                    let verdict = policies.adoption_verdict(&change.id, &approvers, Some(&landed.merged_by));
                    if !verdict.met {
                        findings.push(finding("governance-unapproved", unmet_message(&short, &landed, &verdict)));
                    }
                }
            }
            if let (Some(before), Some(after)) = (old, new) {
                let amended: Vec<crate::contract::seal::Amended> = id
                    .as_deref()
                    .map(|id| amendments.iter().filter_map(|a| crate::contract::seal::Amended::by(a, id)).collect())
                    .unwrap_or_default();
                let changed = crate::contract::seal::SinceSigning::of(before, after, operational).unexcused(&amended);
                let changed = changed.phrases();
                if !changed.is_empty() {
                    findings.push(finding(
                        "executed-changed",
                        format!(
                            "{short} changed executed contract {path} ({}) other than through an executed amendment: executed text and terms stay as signed",
                            changed.join("; ")
                        ),
                    ));
                }
            }
        }
        Ok(())
    })?;
    // Oldest landing first, the rules' changes among the others.
    let position: HashMap<String, usize> =
        history.iter().rev().enumerate().map(|(at, commit)| (commit.id.to_string(), at)).collect();
    findings.sort_by_key(|f| position.get(&f.commit).copied().unwrap_or(usize::MAX));
    Ok(Audit { findings, unverified })
}

/// What the audit found, and which landings rest on their commit text alone.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Audit {
    pub findings: Vec<Finding>,
    /// Landings read as reviewed merges from their text (a subject's `(#12)`, trailers) that no
    /// forge confirmed: `--github` asks GitHub.
    pub unverified: Vec<String>,
}

/// Which landings the record covers: all, or those after the start, and every landing from the
/// one that set the start onwards.
fn recorded_since(
    history: &[CommitInfo],
    start: Option<&(Since, Option<SetAt>)>,
) -> Result<impl Fn(&CommitInfo) -> bool + use<>, HistoryError> {
    let since = start.map(|(since, _)| since);
    // Newest first: the landing that set the start and everything newer is on the record, but
    // for the landing that adopted pactum: what it brought is the baseline the record starts
    // from (there were no rules to approve it by). A later landing that sets the start, even by
    // removing `pactum.toml` and adding it again, stays on the record.
    let set_at = start.and_then(|&(_, set_at)| set_at);
    let baseline = set_at.filter(|s| s.adoption).map(|s| s.landing);
    let always: std::collections::HashSet<Oid> = match set_at {
        Some(set_at) => match history.iter().position(|c| c.id == set_at.landing) {
            Some(at) => history[..=at].iter().map(|c| c.id).filter(|id| Some(*id) != baseline).collect(),
            None => std::collections::HashSet::new(),
        },
        None => std::collections::HashSet::new(),
    };
    let before: std::collections::HashSet<Oid> = match since {
        Some(Since::Commit(start)) => {
            // Newest first: the start and everything older is before the record.
            match history.iter().position(|c| c.id == *start) {
                Some(at) => history[at..].iter().map(|c| c.id).collect(),
                None => return Err(HistoryError::NotOnMain(start.to_string())),
            }
        }
        _ => std::collections::HashSet::new(),
    };
    let from_time = match since {
        Some(Since::Time(time)) => Some(*time),
        _ => None,
    };
    Ok(move |commit: &CommitInfo| {
        always.contains(&commit.id)
            || (Some(commit.id) != baseline
                && !before.contains(&commit.id)
                && from_time.is_none_or(|t| commit.time >= t))
    })
}

fn unmet_message(short: &str, landed: &Landed, verdict: &Verdict) -> String {
    let pr = landed.pull_request.map(|n| format!(" (#{n})")).unwrap_or_default();
    let given = verdict.recorded();
    format!(
        "{short}{pr}: policy \"{}\" needs {} from {}; recorded: {given}",
        verdict.policy,
        crate::text::count(verdict.required, "approval"),
        verdict.eligible.join(", ")
    )
}

/// One event of a contract's life.
#[derive(Debug, Clone, Serialize)]
pub struct LogEvent {
    pub commit: String,
    pub date: String,
    /// `created`, `revised`, `status`, `signed`, `amended`, `renamed`, `removed`.
    pub kind: &'static str,
    pub detail: String,
    pub landing: Landing,
    pub pull_request: Option<u64>,
    pub merged_by: String,
    pub approvers: Vec<String>,
}

/// A contract's lifecycle from Git.
#[derive(Debug, Clone, Serialize)]
pub struct Log {
    pub version: u32,
    pub contract: String,
    pub path: Option<String>,
    pub events: Vec<LogEvent>,
    /// Days from the first commit to the landing that made it executed.
    pub cycle_time_days: Option<i64>,
}

/// The life of contract `wanted` (an id or a path) on the main branch.
///
/// # Errors
/// When Git cannot be read.
pub fn log(git: &Git, tip: Oid, scope: &Scope, wanted: &str, options: &DiffOptions) -> Result<Log, HistoryError> {
    let mut events = Vec::new();
    let mut path = None;
    let mut created: Option<i64> = None;
    let mut executed: Option<i64> = None;
    // Asked for by path, the contract is known by its id once found (amendments name the id).
    let mut known_id: Option<String> = None;
    walk(git, tip, scope, |commit, steps, _| {
        let landed = landed(commit);
        let event = |kind, detail: String| LogEvent {
            commit: commit.id.to_string(),
            date: time(commit),
            kind,
            detail,
            landing: landed.landing,
            pull_request: landed.pull_request,
            merged_by: landed.merged_by.clone(),
            approvers: landed.approvers.clone(),
        };
        // The contract's own changes first, then amendments landing with them.
        let mut steps: Vec<&(Option<&Contract>, Option<&Contract>)> = steps.iter().collect();
        steps.sort_by_key(|(old, new)| {
            !new.or(*old).is_some_and(|c| c.meta.id.as_deref() == Some(wanted) || c.path == wanted)
        });
        for (old, new) in steps {
            let matches =
                |c: Option<&Contract>| c.is_some_and(|c| c.meta.id.as_deref() == Some(wanted) || c.path == wanted);
            if !matches(*old) && !matches(*new) {
                let amends = |n: &&Contract| {
                    n.meta.amends.as_deref().is_some_and(|a| a == wanted || known_id.as_deref() == Some(a))
                };
                if let Some(amendment) = new.filter(amends)
                    && old.is_none()
                {
                    events.push(event(
                        "amended",
                        format!("amended by {} ({})", amendment.meta.id.as_deref().unwrap_or("?"), amendment.path),
                    ));
                }
                continue;
            }
            if known_id.is_none() {
                known_id = new.or(*old).and_then(|c| c.meta.id.clone());
            }
            match (old, new) {
                (None, Some(new)) => {
                    path = Some(new.path.clone());
                    created.get_or_insert(commit.time);
                    events.push(event(
                        "created",
                        format!(
                            "created at {} with status {}",
                            new.path,
                            status(Some(new)).unwrap_or_else(|| "(none)".to_owned())
                        ),
                    ));
                }
                (Some(old), None) => events.push(event("removed", format!("removed from {}", old.path))),
                (Some(old), Some(new)) => {
                    path = Some(new.path.clone());
                    if old.path != new.path {
                        events.push(event("renamed", format!("moved from {} to {}", old.path, new.path)));
                    }
                    let diff = diff::diff(Some(old), Some(new), options);
                    if !diff.clauses.is_empty() {
                        let clauses: Vec<String> = diff
                            .clauses
                            .iter()
                            .map(|c| {
                                format!(
                                    "{} {}",
                                    c.new.as_ref().or(c.old.as_ref()).map_or("?", |r| r.cite()),
                                    c.change.as_str()
                                )
                            })
                            .collect();
                        events.push(event(
                            "revised",
                            format!("{}: {}", crate::text::count(clauses.len(), "clause change"), clauses.join(", ")),
                        ));
                    }
                    // Front-matter changes other than the status and signatures, which have their
                    // own events: a landing that changed only fields is shown too.
                    let fields: Vec<&str> = diff
                        .fields
                        .iter()
                        .map(|f| f.pointer.as_str())
                        .filter(|p| *p != "/status" && !p.starts_with("/signatures"))
                        .collect();
                    if !fields.is_empty() {
                        events.push(event("fields", format!("changed {}", fields.join(", "))));
                    }
                    let (before, after) = (status(Some(old)), status(Some(new)));
                    if before != after {
                        events.push(event(
                            "status",
                            format!(
                                "status {} → {}",
                                before.as_deref().unwrap_or("(none)"),
                                after.as_deref().unwrap_or("(none)")
                            ),
                        ));
                        if after.as_deref() == Some("executed") {
                            executed.get_or_insert(commit.time);
                        }
                    }
                    let signed = new.meta.signatures.len().saturating_sub(old.meta.signatures.len());
                    if signed > 0 {
                        let names: Vec<&str> = new
                            .meta
                            .signatures
                            .iter()
                            .skip(old.meta.signatures.len())
                            .map(|s| s.party.as_str())
                            .collect();
                        events.push(event("signed", format!("signed for {}", names.join(", "))));
                    }
                }
                (None, None) => {}
            }
        }
        Ok(())
    })?;
    let cycle_time_days = created.zip(executed).map(|(from, to)| (to - from) / 86_400);
    Ok(Log { version: 1, contract: wanted.to_owned(), path, events, cycle_time_days })
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
