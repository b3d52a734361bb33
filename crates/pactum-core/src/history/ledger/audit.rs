//! The audit of the ledger (`pactum audit`): every landing since the record's start held to
//! the policies of its time, its claims (a pull request that merged it) checked against the
//! forge, and what is wrong said.

use std::collections::HashMap;

use git2::Oid;
use serde::Serialize;

use super::{Landed, Landing, PullRequest, Scope, landed, setting, walk};
use crate::contract::Contract;
use crate::diff::{self, DiffOptions};
use crate::history::policy::{Change, Verdict};
use crate::history::{CommitInfo, Git, HistoryError};
use crate::repo::policies::Policies;

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
    for commit in git.first_parent_history(tip)?.iter() {
        let landed = landed(commit);
        let (Some("github"), Some(number)) = (landed.platform, landed.pull_request) else { continue };
        let Some(&parent) = commit.parents.first() else { continue };
        let mut touched = !git.rules_changed(parent, commit.id).is_empty();
        for folder in &scope.folders {
            touched = touched || !git.contract_changes(commit, folder)?.is_empty();
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
