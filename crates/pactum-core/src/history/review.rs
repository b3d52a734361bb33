//! A change under review (`pactum policy`): judged by the rules of its target branch, never by
//! its own, on the contracts of both sides, with the approvals that still stand for its head.
//!
//! A change that raises a threshold or empties a group must not pass by its own rules, so the
//! policies are the base's `pactum.toml`'s. Both sides are read from the contracts folders of
//! both sides' settings, excluded files too: a change that moves the folder or excludes a file
//! is seen with what it hides. An approval counts for the commit it was given on: a later push
//! that changed a contract or the rules leaves it behind, a rebase that changed neither keeps it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use git2::Oid;

use super::ledger::{self, Approval};
use super::policy::Pending;
use super::{Git, HistoryError};
use crate::contract::{Contract, FrontMatterRule, decode};
use crate::diff::DiffOptions;
use crate::forge::http::Limits;
use crate::forge::{Endpoint, TrackerError, reviews};
use crate::repo::policies::Policies;
use crate::repo::{Config, ContractPaths, RepoError};

/// Why a change could not be judged.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// A side's `pactum.toml` cannot be read.
    #[error("pactum.toml at the {side} of the change ({commit}): {source}")]
    Config { side: &'static str, commit: String, source: crate::repo::SettingError },
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Repo(#[from] RepoError),
    /// The forge could not be read: what was asked, and why.
    #[error("reading {what}: {source}")]
    Forge { what: String, source: TrackerError },
}

/// A change from `base` to `head`, read.
#[derive(Debug)]
pub struct Review {
    base: Oid,
    head: Oid,
    policies: Policies,
    /// Whoever proposed the change (the head commit's author): no approver of it, unless a
    /// policy allows that.
    author: Option<String>,
    folders: Vec<PathBuf>,
    old: Vec<Contract>,
    new: Vec<Contract>,
    /// Contracts the change's own settings would leave out (id or path, and path).
    pub no_longer_checked: Vec<(String, String)>,
}

fn read(path: &str, bytes: Vec<u8>) -> Option<Contract> {
    decode(path, bytes).ok().map(|(text, _)| Contract::read(path, text, FrontMatterRule::Optional, &mut Vec::new()))
}

impl Review {
    /// The change from `base` (none: the merge base of the main branch and `head`) to `head`,
    /// read, and the base as named (the merge base's full id when computed).
    ///
    /// # Errors
    /// When a revision is unknown, or Git or a side's settings cannot be read.
    pub fn of_change(
        git: &Git,
        repo: &crate::repo::Repo,
        base: Option<&str>,
        head: &str,
    ) -> Result<(String, Self), ReviewError> {
        let base = if let Some(base) = base {
            base.to_owned()
        } else {
            let (main, _) = ledger::main_tip(git, &repo.config.repository.main_branch)?;
            git.merge_base(&main, head)?.to_string()
        };
        let (base_id, head_id) = (git.commit(&base)?, git.commit(head)?);
        let review = Self::open(git, &repo.root, &repo.config, base_id, head_id)?;
        Ok((base, review))
    }

    /// Read the change: both sides' settings and contracts. `root` and `current` are the
    /// working repository's (its folder also names contracts to read).
    ///
    /// # Errors
    /// When Git cannot be read, or a side's settings cannot.
    pub fn open(git: &Git, root: &Path, current: &Config, base: Oid, head: Oid) -> Result<Self, ReviewError> {
        let config_at =
            |commit: Oid, side: &'static str| -> Result<Config, ReviewError> {
                match git.file_at(commit, "pactum.toml") {
                    Some(bytes) => Config::parse(&String::from_utf8_lossy(&bytes))
                        .map_err(|source| ReviewError::Config { side, commit: git.short(commit), source }),
                    None => Ok(Config::default()),
                }
            };
        let base_config = config_at(base, "base")?;
        let head_config = config_at(head, "head")?;
        let author = git.info(head).map(|c| format!("{} <{}>", c.author.name, c.author.email)).ok();
        let folders = ledger::outermost(vec![
            base_config.repository.contracts.clone(),
            head_config.repository.contracts.clone(),
            current.repository.contracts.clone(),
        ]);
        let side = |commit: Oid| -> Result<Vec<Contract>, HistoryError> {
            let mut contracts = Vec::new();
            for folder in &folders {
                contracts
                    .extend(git.files_at(commit, folder)?.into_iter().filter_map(|(path, bytes)| read(&path, bytes)));
            }
            Ok(contracts)
        };
        let (old, new) = (side(base)?, side(head)?);
        let (was, is) = (ContractPaths::of(root, &base_config)?, ContractPaths::of(root, &head_config)?);
        let no_longer_checked = new
            .iter()
            .filter(|c| was.holds(&c.path) && !is.holds(&c.path))
            .map(|c| (c.meta.id.clone().unwrap_or_else(|| c.path.clone()), c.path.clone()))
            .collect();
        Ok(Self {
            base,
            head,
            policies: Policies::from_config(&base_config),
            author,
            folders,
            old,
            new,
            no_longer_checked,
        })
    }

    /// The contract files (relative to the contracts repository) that differ between the
    /// sides; every contract, where Git cannot compare them (an approval then covers nothing
    /// that changed).
    #[must_use]
    pub(crate) fn changed_paths(&self, git: &Git) -> Vec<String> {
        let mut paths = Vec::new();
        for folder in &self.folders {
            paths.extend(git.changed_markdown(self.base, self.head, folder).unwrap_or_else(|_| {
                git.files_at(self.head, folder).unwrap_or_default().into_iter().map(|(path, _)| path).collect()
            }));
        }
        paths
    }

    /// The approvals that count for the head, and a note on each that does not: given before
    /// a change to the contracts or the rules. `given_on` names where an approval was given,
    /// from the commit's short form (`!12 at 3f0c…`).
    #[must_use]
    pub fn weigh(
        &self,
        git: &Git,
        approvals: Vec<Approval>,
        given_on: impl Fn(&str) -> String,
    ) -> (Vec<String>, Vec<String>) {
        let changed = self.changed_paths(git);
        let (mut standing, mut stale) = (Vec::new(), Vec::new());
        for approval in approvals {
            if approval.covers(git, self.head, &changed) {
                standing.push(approval.login);
            } else {
                let commit =
                    approval.commit.as_deref().filter(|c| !c.is_empty()).map_or("?", |c| &c[..10.min(c.len())]);
                stale.push(format!(
                    "{} approved {}; the contracts or rules changed since",
                    approval.login,
                    given_on(commit)
                ));
            }
        }
        (standing, stale)
    }

    /// What the change needs under the base's policies, with `approvers`.
    #[must_use]
    pub fn pending(&self, git: &Git, approvers: &[String], options: &DiffOptions) -> Pending {
        let mut pending = self.policies.pending(
            (&self.old, &self.new),
            git.rules_changed(self.base, self.head),
            (approvers, self.author.as_deref()),
            options,
        );
        pending.no_longer_checked.clone_from(&self.no_longer_checked);
        pending
    }
}

/// The pull requests `numbers` on GitHub: what each merged, and its approvals with the commits
/// they were given on.
///
/// # Errors
/// When GitHub cannot be read.
pub fn github_pulls(
    github: &Endpoint,
    token: &str,
    numbers: impl IntoIterator<Item = u64>,
    limits: Limits,
) -> Result<HashMap<u64, ledger::PullRequest>, ReviewError> {
    let mut pulls = HashMap::new();
    for number in numbers {
        let pull = reviews::github_pull(&github.api_url, &github.repository, token.to_owned(), number, limits)
            .map_err(|source| ReviewError::Forge { what: format!("pull request #{number}"), source })?;
        let approvals = pull.approvals.into_iter().map(|(login, commit)| Approval { login, commit }).collect();
        let merge_commit = pull.merged.then_some(pull.merge_commit_sha).flatten();
        pulls.insert(number, ledger::PullRequest { merge_commit, approvals });
    }
    Ok(pulls)
}

/// The approvals of merge request `number` on GitLab, each with the commit it was given on.
///
/// # Errors
/// When GitLab cannot be read.
pub fn gitlab_approvals(
    gitlab: &Endpoint,
    token: &str,
    number: u64,
    limits: Limits,
) -> Result<Vec<Approval>, ReviewError> {
    let merge_request =
        reviews::gitlab_merge_request(&gitlab.api_url, &gitlab.repository, token.to_owned(), number, limits)
            .map_err(|source| ReviewError::Forge { what: format!("merge request !{number}"), source })?;
    Ok(merge_request.approvals.into_iter().map(|(login, commit)| Approval { login, commit: Some(commit) }).collect())
}
