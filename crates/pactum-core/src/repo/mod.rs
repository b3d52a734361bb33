//! A contracts repository: finding its root, reading `pactum.toml`, walking its contract files.
//!
//! The root is the nearest directory upwards that holds `pactum.toml`, else the Git root. A
//! directory given on the command line that holds `pactum.toml` is its own repository, so
//! `pactum check example-repo` works from anywhere.
//!
//! Which files are contracts: every Markdown file under the contracts folder that Git tracks,
//! and the untracked ones `.gitignore` does not ignore (a contract being drafted). Nothing else
//! hides a file — no `.ignore` file, no hidden-file rule, no `.git/info/exclude` — so that a
//! committed `contracts/.ignore` holding `*` cannot make `check` pass over everything. What is
//! not a contract is said in `pactum.toml` (`[repository] exclude`), and `check` names what that
//! skipped. A symbolic link is never read as a contract: one inside the repository is a finding
//! (Git keeps the link's history, not the text's), one that leaves it or leads into `.git/` too.

pub mod codeowners;
pub mod config;
pub mod facts;
pub mod policies;

use std::path::{Path, PathBuf};

pub use config::{Config, ConfigError, Settings};

/// What is wrong with `pactum.toml`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    /// Not TOML, or a value of the wrong type: what the TOML reader says, with the place.
    #[error("{0}")]
    Toml(String),
    /// A table pactum does not have, and the nearest one it does, if any is near.
    #[error(
        "`{table}` is not a setting of pactum{} (settings of other tools go under `[tool.<name>]`)",
        nearest.map_or_else(String::new, |known| format!("; did you mean `{known}`?"))
    )]
    UnknownTable { table: String, nearest: Option<&'static str> },
    /// `[lint]` names a rule that does not exist.
    #[error("[lint] names `{0}`, which is not a rule; `pactum check --list-rules` lists them")]
    UnknownRule(String),
    /// A value that does not read: the setting (`[remind] within`, `policy "Legal"`), and why.
    #[error("{setting}: {problem}")]
    Invalid { setting: String, problem: String },
}

impl SettingError {
    pub(crate) fn invalid(setting: impl Into<String>, problem: impl std::fmt::Display) -> Self {
        Self::Invalid { setting: setting.into(), problem: problem.to_string() }
    }
}

/// Why a repository or its files could not be opened. These are usage or configuration
/// errors (exit code 2), not findings.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// The configuration file is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A path given on the command line does not exist.
    #[error("{0}: no such file or directory")]
    NotFound(String),
    /// `--repo` names something that is not a directory.
    #[error("{0} is not a directory: --repo takes the folder of a contracts repository")]
    NotADirectory(String),
    /// A bare repository has no working tree to read contracts from.
    #[error(
        "{0} is a bare Git repository, with no files to read: clone it (`git clone {0} <folder>`) and run pactum in the clone"
    )]
    Bare(String),
    /// A configured folder leaves the repository: `[repository] contracts = "../outside"`.
    #[error("`[repository] contracts = \"{0}\"` leaves the repository; name a folder inside it")]
    OutsideRepository(String),
    /// The contracts folder is a symbolic link: Git would keep the link's history, not the
    /// contracts'.
    #[error(
        "the contracts folder {0} is a symbolic link: Git keeps the history of the link, not of the contracts it leads to, so the approval record would see none of them; name the real folder in `[repository] contracts`"
    )]
    LinkedFolder(String),
    /// The contracts folder is missing: a mistyped `--repo` or `[repository] contracts`
    /// would otherwise check nothing and pass.
    #[error("no contracts folder at {0}: check --repo, or `[repository] contracts` in pactum.toml")]
    NoContractsFolder(String),
    /// A directory could not be walked.
    #[error("cannot read {path}: {message}")]
    Walk { path: String, message: String },
}

/// Whether `dir` is a bare Git repository: Git's own files, and no `.git` beside them.
#[must_use]
pub fn is_bare(dir: &Path) -> bool {
    !dir.join(".git").exists()
        && dir.join("HEAD").is_file()
        && dir.join("objects").is_dir()
        && dir.join("refs").is_dir()
        && !dir.join("pactum.toml").exists()
}

/// An opened contracts repository.
#[derive(Debug, Clone)]
pub struct Repo {
    pub root: PathBuf,
    pub config: Config,
    /// What the Git index says of the working tree, read once on first use.
    staged: std::sync::OnceLock<Option<std::sync::Arc<facts::Staged>>>,
    /// The performance files under the contracts folder, as the walk for contracts found them.
    performance: std::sync::OnceLock<Vec<PathBuf>>,
}

/// How the name of a contract's performance file ends (`msa.performance.toml` for `msa.md`).
pub const PERFORMANCE_SUFFIX: &str = ".performance.toml";

/// A file to check, as found by a walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRef {
    /// Where to read it.
    pub path: PathBuf,
    /// How to show it: relative to the repository root with `/` separators.
    pub shown: String,
    /// A symbolic link pactum does not follow: reported, never read.
    pub not_read: Option<NotRead>,
}

/// Why a symbolic link under the contracts folder is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRead {
    /// A link to a file inside the repository: Git keeps the link's history, not the text's.
    Link,
    /// It points outside the repository, or into `.git`.
    Outside,
    /// What it points at does not exist.
    Dangling,
    /// It cannot be resolved (it loops back on itself): the system's reason.
    Unresolvable(String),
    /// It points at something that is no file (a folder, a device).
    NotAFile,
    /// A file or folder the walk could not read (a path longer than the system allows, no
    /// permission): the system's reason. The rest of the folder is still read.
    Unwalkable(String),
}

/// The path an error of the walk is about, below the walked folder, if it names one.
fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        _ => None,
    }
}

impl Repo {
    /// The repository whose root is `root`.
    ///
    /// # Errors
    /// When `pactum.toml` exists but is invalid.
    pub fn open(root: &Path) -> Result<Self, RepoError> {
        if !root.exists() {
            return Err(RepoError::NotFound(root.display().to_string()));
        }
        if !root.is_dir() {
            return Err(RepoError::NotADirectory(root.display().to_string()));
        }
        if is_bare(root) {
            return Err(RepoError::Bare(root.display().to_string()));
        }
        let config_path = root.join("pactum.toml");
        let config = if config_path.is_file() { Config::load(&config_path)? } else { Config::default() };
        // Configured folders stay inside the repository: no `..`, no absolute path, no link out.
        let contracts = Path::new(&config.repository.contracts);
        let escapes_lexically = contracts.is_absolute()
            || contracts
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir | std::path::Component::Prefix(_)));
        let escapes_by_link = root
            .join(contracts)
            .canonicalize()
            .ok()
            .zip(root.canonicalize().ok())
            .is_some_and(|(folder, root)| !folder.starts_with(&root) || folder.starts_with(root.join(".git")));
        if escapes_lexically || escapes_by_link {
            return Err(RepoError::OutsideRepository(config.repository.contracts.clone()));
        }
        // Each folder of the path: `contracts` or `legal/contracts` with `legal` a link.
        let mut at = root.to_path_buf();
        for part in contracts.components() {
            at.push(part);
            if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(RepoError::LinkedFolder(config.repository.contracts.clone()));
            }
        }
        Ok(Self {
            root: root.to_path_buf(),
            config,
            staged: std::sync::OnceLock::new(),
            performance: std::sync::OnceLock::new(),
        })
    }

    /// The repository that contains `start`: the nearest `pactum.toml` upwards, else the Git
    /// root. `None` outside any repository.
    ///
    /// # Errors
    /// When the `pactum.toml` found is invalid.
    pub fn discover(start: &Path) -> Result<Option<Self>, RepoError> {
        let start = absolute(start);
        let mut git_root = None;
        for dir in start.ancestors() {
            if dir.join("pactum.toml").is_file() {
                return Self::open(dir).map(Some);
            }
            if git_root.is_none() && is_bare(dir) {
                return Err(RepoError::Bare(dir.display().to_string()));
            }
            if git_root.is_none() && dir.join(".git").exists() {
                git_root = Some(dir.to_path_buf());
            }
        }
        git_root.map(|root| Self::open(&root)).transpose()
    }

    /// Where the repository sits in its Git work tree, as a prefix for paths relative to the
    /// root (`legal/` when `pactum.toml` is in `legal/`), or empty: at the Git root, outside
    /// Git, or where the two cannot be compared.
    #[must_use]
    pub fn git_prefix(&self) -> String {
        let Ok(git) = git2::Repository::discover(&self.root) else { return String::new() };
        let (Some(Ok(workdir)), Ok(root)) = (git.workdir().map(Path::canonicalize), self.root.canonicalize()) else {
            return String::new();
        };
        let Ok(below) = root.strip_prefix(&workdir) else { return String::new() };
        let mut prefix = String::new();
        for part in below.components() {
            prefix.push_str(&part.as_os_str().to_string_lossy());
            prefix.push('/');
        }
        prefix
    }

    /// Where contracts live: `contracts/` (or `[repository] contracts`) under the root.
    #[must_use]
    pub(crate) fn contracts_dir(&self) -> PathBuf {
        self.root.join(&self.config.repository.contracts)
    }

    /// Where the repository's own schemas live.
    #[must_use]
    pub fn schemas_dir(&self) -> PathBuf {
        self.root.join("schemas")
    }

    /// How to show `path` to people: relative to the root, with `/` separators.
    #[must_use]
    pub fn shown(&self, path: &Path) -> String {
        shown_relative(&self.root, path)
    }

    /// Every contract file: the Markdown files under the contracts folder.
    ///
    /// # Errors
    /// When the contracts folder is missing or cannot be walked.
    pub fn contract_files(&self) -> Result<Vec<FileRef>, RepoError> {
        Ok(self.contracts()?.files)
    }

    /// The contract files, and the files `[repository] exclude` skipped.
    ///
    /// # Errors
    /// When the contracts folder is missing or cannot be walked.
    pub fn contracts(&self) -> Result<Walk, RepoError> {
        let dir = self.contracts_dir();
        if !dir.is_dir() {
            return Err(RepoError::NoContractsFolder(dir.display().to_string()));
        }
        let mut found = walk(&dir, Some(&self.root))?;
        let _ = self.performance.set(found.performance.clone());
        // Compared as paths below the contracts folder: no file system call per contract.
        let walked: std::collections::HashSet<PathBuf> =
            found.files.iter().filter_map(|f| f.path.strip_prefix(&dir).ok()).map(Path::to_path_buf).collect();
        let staged = self.staged();
        for relative in tracked_markdown(staged.as_deref(), &self.root, &dir, &walked) {
            let path = dir.join(&relative);
            let shown = shown_relative(&self.root, &path);
            found.files.push(FileRef { path, shown, not_read: None });
        }
        found.files.sort_by(|a, b| a.shown.cmp(&b.shown));
        if !self.config.repository.exclude.is_empty() {
            let exclude = exclusions(&self.root, &self.config.repository.exclude)?;
            let (excluded, kept): (Vec<FileRef>, Vec<FileRef>) =
                found.files.into_iter().partition(|f| exclude.matched_path_or_any_parents(&f.path, false).is_ignore());
            found.files = kept;
            found.excluded = excluded.into_iter().map(|f| f.shown).collect();
        }
        Ok(found)
    }

    /// The performance files under the contracts folder: as the walk for contracts found them
    /// (no second walk), else walked now.
    ///
    /// # Errors
    /// When the contracts folder cannot be walked.
    pub fn performance_files(&self) -> Result<Vec<PathBuf>, RepoError> {
        if let Some(found) = self.performance.get() {
            return Ok(found.clone());
        }
        let dir = self.contracts_dir();
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        Ok(walk(&dir, Some(&self.root))?.performance)
    }

    /// What the Git index says of the working tree: which files are unchanged since staged,
    /// and their blob ids. `None` outside Git. Read once.
    #[must_use]
    pub fn staged(&self) -> Option<std::sync::Arc<facts::Staged>> {
        self.staged.get_or_init(|| facts::Staged::read(&self.root).map(std::sync::Arc::new)).clone()
    }

    /// The text of the contract whose front matter has `id`, if the repository holds one.
    ///
    /// # Errors
    /// When the contracts folder cannot be walked.
    pub(crate) fn contract_text(&self, id: &str) -> Result<Option<String>, RepoError> {
        Ok(self.contract_files()?.into_iter().find_map(|file| {
            let bytes = std::fs::read(&file.path).ok()?;
            let (text, _) = crate::contract::decode(&file.shown, bytes).ok()?;
            crate::contract::Contract::read_metadata(&text).is_some_and(|m| m.id.as_deref() == Some(id)).then_some(text)
        }))
    }

    /// The contract files when there is a contracts folder, none when there is not: for
    /// commands that draft the first contract or read files named on the command line.
    ///
    /// # Errors
    /// When the folder cannot be walked.
    pub fn contract_files_if_any(&self) -> Result<Vec<FileRef>, RepoError> {
        if self.contracts_dir().is_dir() { self.contract_files() } else { Ok(Vec::new()) }
    }
}

/// `[repository] exclude` as a matcher of paths under `root`.
///
/// # Errors
/// When a pattern is not a `.gitignore` pattern.
pub(crate) fn exclusions(root: &Path, patterns: &[String]) -> Result<ignore::gitignore::Gitignore, RepoError> {
    let mut builder = ignore::gitignore::GitignoreBuilder::new(root);
    for pattern in patterns {
        builder.add_line(None, pattern).map_err(|error| RepoError::Walk {
            path: "pactum.toml".to_owned(),
            message: format!("[repository] exclude `{pattern}`: {error}"),
        })?;
    }
    builder.build().map_err(|error| RepoError::Walk {
        path: "pactum.toml".to_owned(),
        message: format!("[repository] exclude: {error}"),
    })
}

/// Which paths are contracts under a configuration: inside its contracts folder and not
/// excluded. For judging a version of the settings that is not the one on disk.
#[derive(Debug, Clone)]
pub(crate) struct ContractPaths {
    root: PathBuf,
    folder: String,
    exclude: Option<ignore::gitignore::Gitignore>,
}

impl ContractPaths {
    /// The contract paths `config` names, for a repository at `root`.
    ///
    /// # Errors
    /// When an `exclude` pattern is not a `.gitignore` pattern.
    pub fn of(root: &Path, config: &Config) -> Result<Self, RepoError> {
        let folder = config.repository.contracts.trim_start_matches("./").trim_end_matches('/');
        let exclude = if config.repository.exclude.is_empty() {
            None
        } else {
            Some(exclusions(root, &config.repository.exclude)?)
        };
        Ok(Self {
            root: root.to_path_buf(),
            folder: if folder == "." { String::new() } else { folder.to_owned() },
            exclude,
        })
    }

    /// Whether `path` (relative to the root, `/` separators) is a contract.
    #[must_use]
    pub fn holds(&self, path: &str) -> bool {
        let inside = self.folder.is_empty() || path.starts_with(&format!("{}/", self.folder));
        inside
            && self
                .exclude
                .as_ref()
                .is_none_or(|exclude| !exclude.matched_path_or_any_parents(self.root.join(path), false).is_ignore())
    }
}

/// What a walk found: the files, and those `[repository] exclude` skipped (shown paths).
#[derive(Debug, Clone, Default)]
pub struct Walk {
    pub files: Vec<FileRef>,
    pub excluded: Vec<String>,
    /// The performance files found on the way, sorted.
    pub performance: Vec<PathBuf>,
}

/// The Markdown files under `dir` that Git tracks, wherever `.gitignore` stands (a file
/// committed with `git add -f` is a contract all the same), as paths relative to `dir`: those
/// the walk did not find (`walked`), which alone are looked at on disk.
fn tracked_markdown(
    staged: Option<&facts::Staged>,
    root: &Path,
    dir: &Path,
    walked: &std::collections::HashSet<PathBuf>,
) -> Vec<PathBuf> {
    let Some(staged) = staged else { return Vec::new() };
    let (Ok(root), Ok(dir)) = (root.canonicalize(), dir.canonicalize()) else { return Vec::new() };
    let mut found: Vec<PathBuf> = staged
        .paths()
        .filter_map(|relative| {
            let path = root.join(relative);
            let below = path.strip_prefix(&dir).ok()?;
            if !is_markdown(&path) || walked.contains(below) {
                return None;
            }
            // Links are the walk's to judge: it knows where they lead.
            let plain_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
            plain_file.then(|| below.to_path_buf())
        })
        .collect();
    found.sort();
    found
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `path` relative to `root`, with `/` separators; as given when it is not under `root`.
#[must_use]
pub fn shown_relative(root: &Path, path: &Path) -> String {
    let absolute_path = absolute(path);
    let relative = absolute_path.strip_prefix(absolute(root)).map_or_else(|_| path.to_path_buf(), Path::to_path_buf);
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

/// The file a walk found at `entry`, if it is a Markdown file or a link to one; `root` is the
/// repository's real path, which a link must not leave.
fn found(entry: &ignore::DirEntry, root: Option<&Path>, shown: &impl Fn(&Path) -> String) -> Option<FileRef> {
    let path = entry.path();
    if !is_markdown(path) {
        return None;
    }
    let kind = entry.file_type()?;
    let not_read = if kind.is_symlink() {
        match (path.canonicalize(), root) {
            (Ok(target), _) if target.components().any(|c| c.as_os_str() == ".git") => Some(NotRead::Outside),
            (Ok(target), Some(root)) if !target.starts_with(root) => Some(NotRead::Outside),
            (Ok(target), _) if !target.is_file() => Some(NotRead::NotAFile),
            (Ok(_), Some(_)) => Some(NotRead::Link),
            (Ok(_), None) => None,
            (Err(error), _) if error.kind() == std::io::ErrorKind::NotFound => Some(NotRead::Dangling),
            (Err(error), _) => Some(NotRead::Unresolvable(error.to_string())),
        }
    } else if kind.is_file() {
        None
    } else {
        return None;
    };
    Some(FileRef { path: path.to_path_buf(), shown: shown(path), not_read })
}

/// Whether a file name is one pactum reads as a contract.
#[must_use]
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// The Markdown files under `dir`, sorted, skipping what `.gitignore` ignores and nothing
/// else: hidden files and folders are read, `.ignore` files are not obeyed, `.git/` is never
/// entered. With a `root`, paths are shown relative to it and symbolic links that leave it, or
/// lead into its `.git/`, are marked.
///
/// # Errors
/// When the walk fails on the directory itself.
pub fn walk(dir: &Path, root: Option<&Path>) -> Result<Walk, RepoError> {
    let root_real = root.and_then(|r| r.canonicalize().ok());
    let shown_root = root.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    // Every path walked is under `dir`: shown as `dir` is, and the rest of its path.
    let shown_dir = shown_relative(&shown_root, dir);
    let shown = |path: &Path| match path.strip_prefix(dir) {
        Ok(below) if !shown_dir.starts_with("..") && !Path::new(&shown_dir).is_absolute() => {
            let below = below.to_string_lossy().replace('\\', "/");
            if shown_dir.is_empty() || shown_dir == "." { below } else { format!("{shown_dir}/{below}") }
        }
        _ => shown_relative(&shown_root, path),
    };
    // On every core: one folder's entries are read while another's are.
    let files = std::sync::Mutex::new(Vec::new());
    let performance = std::sync::Mutex::new(Vec::new());
    let failed = std::sync::Mutex::new(None);
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .ignore(false)
        .git_exclude(false)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| entry.file_name() != ".git")
        .build_parallel();
    walker.run(|| {
        Box::new(|entry| {
            let file = match entry {
                Ok(entry)
                    if entry.file_type().is_some_and(|t| t.is_file())
                        && entry.file_name().to_string_lossy().ends_with(PERFORMANCE_SUFFIX) =>
                {
                    performance.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(entry.into_path());
                    None
                }
                Ok(entry) => found(&entry, root_real.as_deref(), &shown),
                // One path the system cannot read is a finding on it; the walk goes on.
                Err(error) if error_path(&error).is_some_and(|path| path != dir) => {
                    let path = error_path(&error).unwrap_or(dir).to_path_buf();
                    // The system's reason, without the path it repeats ("IO error for operation on …: ").
                    let reason = error.io_error().map_or_else(|| error.to_string(), ToString::to_string);
                    let reason = reason.rsplit(": ").next().unwrap_or(&reason).to_owned();
                    let shown = shown_relative(&shown_root, &path);
                    Some(FileRef { path, shown, not_read: Some(NotRead::Unwalkable(reason)) })
                }
                Err(error) => {
                    let error = RepoError::Walk { path: dir.display().to_string(), message: error.to_string() };
                    failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get_or_insert(error);
                    return ignore::WalkState::Quit;
                }
            };
            if let Some(file) = file {
                files.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(file);
            }
            ignore::WalkState::Continue
        })
    });
    if let Some(error) = failed.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
        return Err(error);
    }
    let mut files = files.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    // In the order of a walk that reads each folder's entries sorted by name.
    files.sort_by(|a: &FileRef, b: &FileRef| a.path.cmp(&b.path));
    let mut performance = performance.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    performance.sort();
    Ok(Walk { files, excluded: Vec::new(), performance })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovers_the_nearest_configuration() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("contracts/acme");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(dir.path().join("pactum.toml"), "").unwrap();
        let repo = Repo::discover(&nested).unwrap().unwrap();
        assert_eq!(repo.root.canonicalize().unwrap(), dir.path().canonicalize().unwrap());
    }

    #[test]
    fn walks_markdown_and_marks_links_that_leave() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let contracts = dir.path().join("contracts");
        std::fs::create_dir_all(contracts.join("a")).unwrap();
        std::fs::write(contracts.join("a/one.md"), "x").unwrap();
        std::fs::write(contracts.join("notes.txt"), "x").unwrap();
        std::fs::write(outside.path().join("secret.md"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path().join("secret.md"), contracts.join("leak.md")).unwrap();
        let repo = Repo::open(dir.path()).unwrap();
        let files = repo.contract_files().unwrap();
        let shown: Vec<(&str, bool)> = files.iter().map(|f| (f.shown.as_str(), f.not_read.is_some())).collect();
        #[cfg(unix)]
        assert_eq!(shown, [("contracts/a/one.md", false), ("contracts/leak.md", true)]);
    }
}
