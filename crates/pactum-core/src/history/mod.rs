//! Git: contract files at revisions, merge bases, the main branch's first-parent history, and
//! what a shallow clone cannot tell.
//!
//! Only local repositories are read (git2 without network features). Paths are shown relative
//! to the contracts repository's root, which may be a folder inside the Git work tree.

use std::path::{Path, PathBuf};

pub mod compare;
pub mod ledger;
pub mod policy;
pub mod review;
pub mod signed;
mod trees;

use git2::{ObjectType, Oid, Repository, Tree, TreeWalkMode, TreeWalkResult};

/// The folders and files besides `pactum.toml` that decide what pactum or the forge accepts:
/// schemas, templates, the clause library, and who the forge asks to review.
pub(crate) const GOVERNED_INPUTS: &[&str] =
    &["schemas", "templates", "clauses", "CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"];

/// The mode Git gives a symbolic link.
const LINK: i32 = 0o120_000;

/// Why Git could not answer.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The folder is not inside a Git repository.
    #[error("{0} is not inside a Git repository")]
    NotARepository(String),
    /// A revision does not name a commit.
    #[error("unknown revision `{0}`: name a branch, tag or commit of this repository")]
    UnknownRevision(String),
    /// Two revisions share no history.
    #[error("`{0}` and `{1}` have no common ancestor")]
    NoMergeBase(String, String),
    /// A shallow clone's history stops short: its ledger would be wrong, not just short.
    #[error(
        "this is a shallow clone, so the history stops short and the approval record would be incomplete; fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` for actions/checkout)"
    )]
    Shallow,
    /// `[audit] since` or `--since` is neither a date nor a commit.
    #[error("audit since `{0}`: not a date (YYYY-MM-DD) nor a commit of this repository")]
    NoStart(String),
    /// `[audit] since` names a commit that is not on the main branch's first-parent history.
    #[error("`{0}` ([audit] since) is not a commit of the main branch's history: name a commit on it, or a date")]
    NotOnMain(String),
    /// The branch `[repository] main_branch` names says, in its own `pactum.toml`, that the
    /// record is another branch: the setting was changed outside that branch's record.
    #[error(
        "pactum.toml names `{configured}` as the main branch, but `{branch}`'s own pactum.toml names `{named}`: the record is read from the branch whose history names itself. Change `[repository] main_branch` through a reviewed change on `{named}` first"
    )]
    BranchDisagrees { configured: String, branch: String, named: String },
    /// An object the history needs cannot be read: which object, what it holds, and the commit.
    #[error(
        "cannot read Git object {object} ({what}) of commit {commit}: {message}. The repository is damaged: `git fsck` lists what is broken, and fetching from a good copy (or a fresh clone) repairs it"
    )]
    Corrupt { object: String, what: String, commit: String, message: String },
    /// The contracts folder holds a submodule, whose history is its own.
    #[error(
        "{0} is a Git submodule: the history of its contracts is its own, not this repository's, so pactum cannot read approvals from here; run pactum in {0}, or keep the contracts in this repository"
    )]
    Submodule(String),
    /// A path named for the history lies outside the repository.
    #[error("{path} is outside the repository at {root}")]
    Outside { path: String, root: String },
    /// Any other Git failure.
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

/// Opens handles on a repository, from any thread (see [`Git::opener`]): a handle is used by
/// one thread at a time.
pub(crate) struct Opener {
    path: PathBuf,
    prefix: PathBuf,
}

impl Opener {
    /// A new handle on the repository.
    ///
    /// # Errors
    /// When the repository cannot be opened again.
    pub fn open(&self) -> Result<Git, HistoryError> {
        let repo = Repository::open(&self.path)?;
        Ok(Git {
            repo,
            prefix: self.prefix.clone(),
            last_subtree: std::cell::RefCell::default(),
            trees: std::cell::RefCell::default(),
            history: std::cell::RefCell::default(),
        })
    }
}

pub struct Git {
    repo: Repository,
    /// The contracts repository's root, relative to the Git work tree (`""` when they coincide).
    prefix: PathBuf,
    /// The last commit tree whose contracts folder was looked up, with the folder's tree:
    /// walking first parents, a commit's parent is the commit looked up just before.
    /// The last few subtrees looked up, as (root tree, folder, subtree): a walk asks for each
    /// tree twice, as a commit's and as its child's parent's.
    last_subtree: std::cell::RefCell<Vec<(Oid, PathBuf, Option<Oid>)>>,
    /// The trees this handle read last, as Git stores them.
    trees: std::cell::RefCell<trees::Kept>,
    /// The first-parent history read last, and the tip it was read from: a command asks for it
    /// more than once (where the contracts folder was, where the record starts, the walk).
    history: std::cell::RefCell<Option<(Oid, History)>>,
}

/// A first-parent history, newest first, shared by whoever asks for it.
pub(crate) type History = std::sync::Arc<[CommitInfo]>;

impl std::fmt::Debug for Git {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Git").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

/// A file's path (relative to the contracts repository) and bytes at a revision.
pub type File = (String, Vec<u8>);

/// A commit, as the ledger reads it.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    pub id: Oid,
    pub(crate) parents: Vec<Oid>,
    pub message: String,
    pub author: Person,
    pub committer: Person,
    /// When the commit landed (committer time), seconds since the epoch, and its UTC offset in minutes.
    pub time: i64,
    pub(crate) offset_minutes: i32,
    /// The commit's tree, and its first parent's when the history it was read with has it:
    /// comparing the two needs no second lookup of either commit.
    pub tree: Oid,
    pub(crate) first_parent_tree: Option<Oid>,
}

/// An author or committer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// A contract file changed by a commit: where it was and where it is, with blob ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileChange {
    pub old: Option<(String, Oid)>,
    pub new: Option<(String, Oid)>,
}

impl Git {
    /// The Git repository holding a contracts repository, as the record of its contracts:
    /// refused when the contracts folder holds a submodule, whose history is not this one.
    ///
    /// # Errors
    /// When the repository is not in Git, or its contracts folder holds a submodule.
    pub fn record(repo: &crate::repo::Repo) -> Result<Self, HistoryError> {
        let git = Self::open(&repo.root)?;
        let folder = Path::new(&repo.config.repository.contracts);
        if let Some(submodule) = git.submodules_in(folder).into_iter().next() {
            return Err(HistoryError::Submodule(submodule));
        }
        Ok(git)
    }

    /// The Git repository that contains `root`.
    ///
    /// # Errors
    /// When there is none.
    pub fn open(root: &Path) -> Result<Self, HistoryError> {
        // Objects come from the local object database, which Git verified when it wrote them;
        // hashing every blob again on read costs more than reading it.
        git2::opts::strict_hash_verification(false);
        git2::opts::enable_caching(false);
        let repo = Repository::discover(root).map_err(|_| HistoryError::NotARepository(root.display().to_string()))?;
        let workdir = repo.workdir().map(Path::to_path_buf).unwrap_or_default();
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let workdir = workdir.canonicalize().unwrap_or(workdir);
        let prefix = root.strip_prefix(&workdir).map(Path::to_path_buf).unwrap_or_default();
        Ok(Self {
            repo,
            prefix,
            last_subtree: std::cell::RefCell::default(),
            trees: std::cell::RefCell::default(),
            history: std::cell::RefCell::default(),
        })
    }

    /// What opens other handles on the same repository, one per thread: a handle is used by
    /// one thread at a time.
    #[must_use]
    pub(crate) fn opener(&self) -> Opener {
        Opener { path: self.repo.path().to_path_buf(), prefix: self.prefix.clone() }
    }

    /// `read` on a thread of its own, through its own handle, handing what it reads to `take`
    /// on this thread over a channel a few items deep. Git is read on one thread because
    /// libgit2 locks a pack for each object it reads from it, so threads reading one pack mostly
    /// wait for each other; `take` spreads what it is handed over every core meanwhile.
    ///
    /// `read` hands each item over with the function it is given, which says `false` once
    /// `take` has stopped taking; its error (or a handle that cannot be opened) is handed over
    /// in place of an item, and ends the reading. `take` stopping, early or not, drops its end
    /// of the channel, which stops the reading.
    ///
    /// # Errors
    /// The first error handed over that `take` returns, or `take`'s own.
    pub(crate) fn read_alongside<T: Send, R>(
        &self,
        read: impl FnOnce(&Git, &dyn Fn(T) -> bool) -> Result<(), HistoryError> + Send,
        take: impl FnOnce(std::sync::mpsc::Receiver<Result<T, HistoryError>>) -> Result<R, HistoryError>,
    ) -> Result<R, HistoryError> {
        let opener = self.opener();
        let (send, receive) = std::sync::mpsc::sync_channel::<Result<T, HistoryError>>(2);
        std::thread::scope(|threads| {
            let opener = &opener;
            let reader = threads.spawn(move || {
                let hand_over = |item: T| send.send(Ok(item)).is_ok();
                if let Err(error) = opener.open().and_then(|git| read(&git, &hand_over)) {
                    // `take` says it; when it has stopped already, its own outcome stands.
                    let _ = send.send(Err(error));
                }
            });
            let taken = take(receive);
            if let Err(panic) = reader.join() {
                std::panic::resume_unwind(panic);
            }
            taken
        })
    }

    /// `read` over `items` in order, through [`Git::read_alongside`], and `parse` of what it
    /// read on every core meanwhile, a share at a time; results in the order of `items`. For
    /// work that reads objects from Git and spends longer making something of them.
    ///
    /// # Errors
    /// The first error of `read`, or a handle that cannot be opened.
    pub(crate) fn read_then_parse<T: Sync, B: Send, R: Send>(
        &self,
        items: &[T],
        read: impl Fn(&Git, &T) -> Result<B, HistoryError> + Sync,
        parse: impl Fn(&T, B) -> R + Sync,
    ) -> Result<Vec<R>, HistoryError> {
        use rayon::prelude::*;
        /// Items read ahead at a time: enough to keep every core parsing, few enough that what
        /// is read ahead stays small.
        const SHARE: usize = 256;
        if items.is_empty() {
            return Ok(Vec::new());
        }
        self.read_alongside(
            |git, hand_over| {
                for share in items.chunks(SHARE) {
                    let read = share.iter().map(|item| read(git, item)).collect::<Result<Vec<B>, _>>()?;
                    if !hand_over(read) {
                        break;
                    }
                }
                Ok(())
            },
            |shares| {
                let mut out = Vec::with_capacity(items.len());
                for (share, read) in items.chunks(SHARE).zip(shares) {
                    out.par_extend(share.par_iter().zip(read?).map(|(item, read)| parse(item, read)));
                }
                Ok(out)
            },
        )
    }

    /// `each` over `items` on every core, results in the order of `items`: each thread works
    /// through a share of them with its own handle on the repository (a handle is used by one
    /// thread at a time, and opening one costs more than reading a blob). The first error
    /// stops it.
    ///
    /// # Errors
    /// The first error of `each`, or a handle that cannot be opened.
    pub(crate) fn map_parallel<T: Sync, R: Send>(
        &self,
        items: &[T],
        each: impl Fn(&Git, &T) -> Result<R, HistoryError> + Sync,
    ) -> Result<Vec<R>, HistoryError> {
        use rayon::prelude::*;
        let share = items.len().div_ceil(rayon::current_num_threads().max(1) * 4).max(64);
        let opener = self.opener();
        let chunks = items
            .par_chunks(share)
            .map(|chunk| {
                let git = opener.open()?;
                chunk.iter().map(|item| each(&git, item)).collect::<Result<Vec<R>, HistoryError>>()
            })
            .collect::<Result<Vec<_>, HistoryError>>()?;
        Ok(chunks.into_iter().flatten().collect())
    }

    /// The Git directory (`.git`).
    #[must_use]
    pub(crate) fn dir(&self) -> &Path {
        self.repo.path()
    }

    /// Whether this is a shallow clone, whose history stops short.
    #[must_use]
    pub(crate) fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The commit a revision names (`main`, `v1.0`, `HEAD~2`, a hash).
    ///
    /// # Errors
    /// When it names none.
    pub fn commit(&self, revision: &str) -> Result<Oid, HistoryError> {
        let object =
            self.repo.revparse_single(revision).map_err(|_| HistoryError::UnknownRevision(revision.to_owned()))?;
        let commit = object.peel_to_commit().map_err(|_| HistoryError::UnknownRevision(revision.to_owned()))?;
        Ok(commit.id())
    }

    /// The merge base of two revisions.
    ///
    /// # Errors
    /// When either is unknown or they share no history.
    pub(crate) fn merge_base(&self, a: &str, b: &str) -> Result<Oid, HistoryError> {
        let (x, y) = (self.commit(a)?, self.commit(b)?);
        self.repo.merge_base(x, y).map_err(|_| HistoryError::NoMergeBase(a.to_owned(), b.to_owned()))
    }

    /// The main branch: the configured name if it exists, else `master`, locally or as
    /// `origin/…` (CI checks out pull requests without local branches).
    #[must_use]
    pub fn main_branch(&self, configured: &str) -> Option<String> {
        let candidates =
            [configured.to_owned(), format!("origin/{configured}"), "master".to_owned(), "origin/master".to_owned()];
        candidates.into_iter().find(|name| self.commit(name).is_ok())
    }

    /// Fail on a shallow clone: a ledger from a cut history is wrong, not just short.
    ///
    /// # Errors
    /// When the repository is shallow.
    pub(crate) fn require_full_history(&self) -> Result<(), HistoryError> {
        if self.is_shallow() { Err(HistoryError::Shallow) } else { Ok(()) }
    }

    /// A commit's message, parents, author and committer.
    ///
    /// # Errors
    /// When the commit cannot be read.
    pub fn info(&self, id: Oid) -> Result<CommitInfo, HistoryError> {
        let commit = self.repo.find_commit(id)?;
        let person = |signature: git2::Signature<'_>| Person {
            name: signature.name().unwrap_or_default().to_owned(),
            email: signature.email().unwrap_or_default().to_owned(),
        };
        Ok(CommitInfo {
            id,
            parents: commit.parent_ids().collect(),
            message: String::from_utf8_lossy(commit.message_bytes()).into_owned(),
            author: person(commit.author()),
            committer: person(commit.committer()),
            time: commit.time().seconds(),
            offset_minutes: commit.time().offset_minutes(),
            tree: commit.tree_id(),
            first_parent_tree: None,
        })
    }

    /// The first-parent history from `tip`, newest first: on a main branch, one commit per
    /// merge, squash or direct push.
    ///
    /// # Errors
    /// When a commit cannot be read.
    pub(crate) fn first_parent_history(&self, tip: Oid) -> Result<History, HistoryError> {
        if let Some((read, history)) = self.history.borrow().as_ref()
            && *read == tip
        {
            return Ok(std::sync::Arc::clone(history));
        }
        let mut out = Vec::new();
        let mut at = Some(tip);
        while let Some(id) = at {
            let info = self.info(id)?;
            at = info.parents.first().copied();
            out.push(info);
        }
        // Each commit's first parent is the next one read: its tree is known already.
        for at in 1..out.len() {
            out[at - 1].first_parent_tree = Some(out[at].tree);
        }
        let history: History = out.into();
        *self.history.borrow_mut() = Some((tip, std::sync::Arc::clone(&history)));
        Ok(history)
    }

    /// The id of `folder`'s tree in the commit whose tree is `root`.
    fn subtree(&self, root: Oid, folder: &Path) -> Result<Option<Oid>, HistoryError> {
        let cached =
            self.last_subtree.borrow().iter().find(|(r, f, _)| *r == root && f == folder).map(|(_, _, id)| *id);
        let id = if let Some(id) = cached {
            id
        } else {
            let tree = self.repo.find_tree(root)?;
            let inside = self.prefix.join(folder);
            let id = if inside.as_os_str().is_empty() {
                Some(tree.id())
            } else {
                match tree.get_path(&inside) {
                    Ok(entry) if entry.kind() == Some(ObjectType::Tree) => Some(entry.id()),
                    _ => None,
                }
            };
            let mut cache = self.last_subtree.borrow_mut();
            if cache.len() >= 8 {
                cache.remove(0);
            }
            cache.push((root, folder.to_path_buf(), id));
            id
        };
        Ok(id)
    }

    /// The contract files under `folder` that `commit` changed against its first parent.
    ///
    /// Only the contracts folder is compared, and subtrees with the same id are skipped whole:
    /// most commits leave contracts alone, and are then one comparison of two ids.
    ///
    /// # Errors
    /// When a tree cannot be read.
    pub(crate) fn contract_changes(&self, commit: &CommitInfo, folder: &Path) -> Result<Vec<FileChange>, HistoryError> {
        let parent_tree = match (commit.parents.first(), commit.first_parent_tree) {
            (None, _) => None,
            (Some(_), Some(tree)) => Some(tree),
            (Some(&parent), None) => Some(self.repo.find_commit(parent)?.tree_id()),
        };
        let old = parent_tree.map(|tree| self.subtree(tree, folder)).transpose()?.flatten();
        let new = self.subtree(commit.tree, folder)?;
        if old == new {
            return Ok(Vec::new());
        }
        let old = old.map(|id| self.raw_tree(id)).transpose()?;
        let new = new.map(|id| self.raw_tree(id)).transpose()?;
        let base = folder.to_string_lossy().replace('\\', "/");
        let base = base.trim_end_matches('/');
        let mut removed = Vec::new();
        let mut added = Vec::new();
        self.compare(old.as_deref(), new.as_deref(), base, &mut removed, &mut added)?;
        // A file at the same path on both sides is a change; the rest are additions and removals.
        let mut changes = Vec::new();
        for (path, new_id) in added {
            match removed.iter().position(|(p, _)| *p == path) {
                Some(at) => {
                    let (old_path, old_id) = removed.remove(at);
                    changes.push(FileChange { old: Some((old_path, old_id)), new: Some((path, new_id)) });
                }
                None => changes.push(FileChange { old: None, new: Some((path, new_id)) }),
            }
        }
        changes.extend(removed.into_iter().map(|old| FileChange { old: Some(old), new: None }));
        Ok(changes)
    }

    /// A tree as Git stores it: kept, or read and kept.
    fn raw_tree(&self, id: Oid) -> Result<std::sync::Arc<trees::RawTree>, HistoryError> {
        self.trees.borrow_mut().tree(&self.repo, id)
    }

    /// The Markdown files that differ between two trees, walked side by side in Git's order of
    /// entries, an entry with the same bytes on both sides (a subtree too) skipped whole.
    fn compare(
        &self,
        old: Option<&trees::RawTree>,
        new: Option<&trees::RawTree>,
        dir: &str,
        removed: &mut Vec<(String, Oid)>,
        added: &mut Vec<(String, Oid)>,
    ) -> Result<(), HistoryError> {
        let join = |name: &str| if dir.is_empty() { name.to_owned() } else { format!("{dir}/{name}") };
        for (before, after) in trees::differing(old, new)? {
            let (before, after) = (before.as_ref(), after.as_ref());
            let Some(name) = before.or(after).and_then(|e| std::str::from_utf8(e.name()).ok()) else { continue };
            let tree = |side: Option<&trees::RawEntry<'_>>| {
                side.filter(|e| e.is_tree()).map(|e| self.raw_tree(e.id())).transpose()
            };
            let (old_tree, new_tree) = (tree(before)?, tree(after)?);
            if old_tree.is_some() || new_tree.is_some() {
                self.compare(old_tree.as_deref(), new_tree.as_deref(), &join(name), removed, added)?;
            }
            // A symbolic link is no contract: `check` refuses one in the contracts folder.
            let blob = |side: Option<&trees::RawEntry<'_>>| {
                side.filter(|e| e.is_file() && crate::repo::is_markdown(Path::new(name))).map(trees::RawEntry::id)
            };
            if let Some(id) = blob(before) {
                removed.push((join(name), id));
            }
            if let Some(id) = blob(after) {
                added.push((join(name), id));
            }
        }
        Ok(())
    }

    /// A blob's bytes.
    ///
    /// # Errors
    /// When it cannot be read.
    pub fn blob(&self, id: Oid) -> Result<Vec<u8>, HistoryError> {
        Ok(self.repo.find_blob(id)?.content().to_vec())
    }

    /// A blob's bytes, or its size when it is larger than `max` bytes.
    ///
    /// One read: in a pack, a blob's size is found by walking its chain of deltas to the base,
    /// about the work of reading it, so asking for the size first read most blobs twice. A blob
    /// over the limit is held only while its size is taken.
    ///
    /// # Errors
    /// When it cannot be read, or is no blob.
    pub(crate) fn blob_within(&self, id: Oid, max: u64) -> Result<Result<Vec<u8>, u64>, HistoryError> {
        let odb = self.repo.odb()?;
        let object = odb.read(id)?;
        if object.kind() != ObjectType::Blob {
            return Err(HistoryError::Git(git2::Error::from_str(&format!("{id} is not a blob"))));
        }
        let size = object.len() as u64;
        Ok(if size > max { Err(size) } else { Ok(object.data().to_vec()) })
    }

    /// A file of the contracts repository (`pactum.toml`) at a commit.
    #[must_use]
    pub(crate) fn file_at(&self, commit: Oid, path: &str) -> Option<Vec<u8>> {
        let tree = self.repo.find_commit(commit).ok()?.tree().ok()?;
        let entry = tree.get_path(&self.prefix.join(path)).ok()?;
        self.blob(entry.id()).ok()
    }

    /// `pactum.toml` at a commit as a TOML table, if it is there and reads as TOML: for the few
    /// settings read from history (where the contracts were, the main branch, the record's start).
    #[must_use]
    pub(crate) fn settings_at(&self, commit: Oid) -> Option<toml::Table> {
        let bytes = self.file_at(commit, "pactum.toml")?;
        toml::from_str(&String::from_utf8_lossy(&bytes)).ok()
    }

    /// The id of the file or folder at `path` at a commit: equal ids, equal contents.
    #[must_use]
    pub(crate) fn entry_id_at(&self, commit: Oid, path: &str) -> Option<Oid> {
        self.entry_id_in(self.repo.find_commit(commit).ok()?.tree_id(), path)
    }

    /// The id of the file or folder at `path` in the tree `tree` (a commit's, as
    /// [`CommitInfo::tree`] names it): for walks that have the tree already.
    #[must_use]
    pub(crate) fn entry_id_in(&self, tree: Oid, path: &str) -> Option<Oid> {
        let tree = self.repo.find_tree(tree).ok()?;
        tree.get_path(&self.prefix.join(path)).ok().map(|entry| entry.id())
    }

    /// What of the repository's rules differs between two commits: each setting of
    /// `pactum.toml` that changed (see `crate::repo::Config::settings_changed`), and each
    /// folder or file pactum or the forge decides by (`schemas/`, `templates/`, `clauses/`,
    /// `CODEOWNERS`). Empty when the rules are the same.
    #[must_use]
    pub fn rules_changed(&self, before: Oid, after: Oid) -> Vec<String> {
        let tree = |commit: Oid| self.repo.find_commit(commit).and_then(|c| c.tree()).ok();
        let (old, new) = (tree(before), tree(after));
        // Each tree is looked up once, and two equal trees hold equal rules.
        if old.as_ref().map(Tree::id) == new.as_ref().map(Tree::id) {
            return Vec::new();
        }
        let entry = |tree: &Option<Tree<'_>>, path: &str| {
            tree.as_ref().and_then(|t| t.get_path(&self.prefix.join(path)).ok()).map(|e| e.id())
        };
        let mut changed = Vec::new();
        let (old_settings, new_settings) = (entry(&old, "pactum.toml"), entry(&new, "pactum.toml"));
        if old_settings != new_settings {
            let text = |blob: Option<Oid>| {
                blob.and_then(|id| self.blob(id).ok())
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default()
            };
            changed.extend(
                crate::repo::Config::settings_changed(&text(old_settings), &text(new_settings))
                    .into_iter()
                    .map(|setting| format!("pactum.toml {setting}")),
            );
        }
        changed.extend(
            GOVERNED_INPUTS
                .iter()
                .filter(|input| entry(&old, input) != entry(&new, input))
                .map(|input| (*input).to_owned()),
        );
        changed
    }

    /// The newest committed version of `path` (relative to the contracts repository) that
    /// `signed` recognises, and the commit that holds it: the text as executed, for naming what
    /// changed since. Looks back at most `limit` commits from `HEAD`.
    #[must_use]
    pub(crate) fn find_version(
        &self,
        path: &str,
        limit: usize,
        signed: impl Fn(&[u8]) -> bool,
    ) -> Option<(Oid, Vec<u8>)> {
        let mut walk = self.repo.revwalk().ok()?;
        walk.push_head().ok()?;
        walk.set_sorting(git2::Sort::TIME).ok()?;
        let mut seen = std::collections::HashSet::new();
        for commit in walk.take(limit).flatten() {
            let Some(blob) = self.entry_id_at(commit, path) else { continue };
            if !seen.insert(blob) {
                continue;
            }
            let bytes = self.blob(blob).ok()?;
            if signed(&bytes) {
                return Some((commit, bytes));
            }
        }
        None
    }

    /// Submodules at or below `folder` in the index: their files have a history of their own,
    /// which this repository's history does not hold.
    #[must_use]
    pub(crate) fn submodules_in(&self, folder: &Path) -> Vec<String> {
        let inside = self.prefix.join(folder);
        let Ok(index) = self.repo.index() else { return Vec::new() };
        index
            .iter()
            .filter(|entry| entry.mode == 0o160_000)
            .map(|entry| String::from_utf8_lossy(&entry.path).into_owned())
            .filter(|path| Path::new(path).starts_with(&inside))
            .collect()
    }

    /// Short form of a commit for people.
    #[must_use]
    pub fn short(&self, oid: Oid) -> String {
        oid.to_string()[..10].to_owned()
    }

    /// The Markdown files under `folder` (relative to the contracts repository) that differ
    /// between two commits: added, changed or removed, by Git's tree diff.
    ///
    /// # Errors
    /// When a commit's tree cannot be read.
    pub(crate) fn changed_markdown(&self, before: Oid, after: Oid, folder: &Path) -> Result<Vec<String>, HistoryError> {
        let (old, new) = (self.repo.find_commit(before)?.tree()?, self.repo.find_commit(after)?.tree()?);
        let inside = self.prefix.join(folder);
        let mut options = git2::DiffOptions::new();
        if !inside.as_os_str().is_empty() {
            options.pathspec(inside.to_string_lossy().replace('\\', "/"));
        }
        let diff = self.repo.diff_tree_to_tree(Some(&old), Some(&new), Some(&mut options))?;
        let mut paths: Vec<String> = diff
            .deltas()
            .flat_map(|delta| [delta.old_file().path(), delta.new_file().path()])
            .flatten()
            .filter(|path| crate::repo::is_markdown(path))
            .filter_map(|path| path.strip_prefix(&self.prefix).ok())
            .map(|path| path.to_string_lossy().replace('\\', "/"))
            .collect();
        paths.sort();
        paths.dedup();
        Ok(paths)
    }

    /// The Markdown files under `folder` (relative to the contracts repository) at `commit`.
    ///
    /// # Errors
    /// When the commit's tree cannot be read.
    pub(crate) fn files_at(&self, commit: Oid, folder: &Path) -> Result<Vec<File>, HistoryError> {
        let tree = self.repo.find_commit(commit)?.tree()?;
        let inside = self.prefix.join(folder);
        let subtree = if inside.as_os_str().is_empty() {
            tree
        } else {
            match tree.get_path(&inside) {
                Ok(entry) if entry.kind() == Some(ObjectType::Tree) => self.repo.find_tree(entry.id())?,
                _ => return Ok(Vec::new()),
            }
        };
        let mut blobs = Vec::new();
        subtree.walk(TreeWalkMode::PreOrder, |dir, entry| {
            if let (Some(ObjectType::Blob), Ok(name)) = (entry.kind(), entry.name())
                && entry.filemode() != LINK
                && crate::repo::is_markdown(Path::new(name))
            {
                blobs.push((format!("{dir}{name}"), entry.id()));
            }
            TreeWalkResult::Ok
        })?;
        let base = folder.to_string_lossy().replace('\\', "/");
        let mut files = Vec::with_capacity(blobs.len());
        for (path, id) in blobs {
            let blob = self.repo.find_blob(id)?;
            let shown = if base.is_empty() { path } else { format!("{}/{path}", base.trim_end_matches('/')) };
            files.push((shown, blob.content().to_vec()));
        }
        files.sort();
        Ok(files)
    }
}
