//! Git: contract files at revisions, merge bases, and what a shallow clone cannot tell.
//!
//! Only local repositories are read (git2 without network features). Paths are shown relative
//! to the contracts repository's root, which may be a folder inside the Git work tree.

use std::path::{Path, PathBuf};

use git2::{ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};

/// Why Git could not answer.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The folder is not inside a Git repository.
    #[error("{0} is not inside a Git repository; compare two files with `pactum diff --files OLD NEW`")]
    NotARepository(String),
    /// A revision does not name a commit.
    #[error("unknown revision `{0}`: name a branch, tag or commit of this repository")]
    UnknownRevision(String),
    /// Two revisions share no history.
    #[error("`{0}` and `{1}` have no common ancestor")]
    NoMergeBase(String, String),
    /// Any other Git failure.
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

/// A Git repository holding a contracts repository at `root`.
pub struct Git {
    repo: Repository,
    /// The contracts repository's root, relative to the Git work tree (`""` when they coincide).
    prefix: PathBuf,
}

impl std::fmt::Debug for Git {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Git").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

/// A file's path (relative to the contracts repository) and bytes at a revision.
pub type File = (String, Vec<u8>);

impl Git {
    /// The Git repository that contains `root`.
    ///
    /// # Errors
    /// When there is none.
    pub fn open(root: &Path) -> Result<Self, HistoryError> {
        let repo = Repository::discover(root).map_err(|_| HistoryError::NotARepository(root.display().to_string()))?;
        let workdir = repo.workdir().map(Path::to_path_buf).unwrap_or_default();
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let workdir = workdir.canonicalize().unwrap_or(workdir);
        let prefix = root.strip_prefix(&workdir).map(Path::to_path_buf).unwrap_or_default();
        Ok(Self { repo, prefix })
    }

    /// Whether this is a shallow clone, whose history stops short.
    #[must_use]
    pub fn is_shallow(&self) -> bool {
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
    pub fn merge_base(&self, a: &str, b: &str) -> Result<Oid, HistoryError> {
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

    /// Short form of a commit for people.
    #[must_use]
    pub fn short(&self, oid: Oid) -> String {
        oid.to_string()[..10].to_owned()
    }

    /// The Markdown files under `folder` (relative to the contracts repository) at `commit`.
    ///
    /// # Errors
    /// When the commit's tree cannot be read.
    pub fn files_at(&self, commit: Oid, folder: &Path) -> Result<Vec<File>, HistoryError> {
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
