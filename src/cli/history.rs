//! `pactum approvals`, `pactum policy`, `pactum log` and `pactum audit`: the main branch's
//! history as the approval record.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use pactum_core::diff::DiffOptions;
use pactum_core::history::Git;
use pactum_core::history::ledger::{self, Scope};
use pactum_core::history::review::{self, Review};
use pactum_core::repo::Repo;

use super::{GlobalArgs, Outcome, env};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Where approvals come from besides the commit trailers.
#[derive(Debug, Args)]
pub struct GithubArgs {
    /// Also read approvals from the pull requests' reviews on GitHub (`GITHUB_TOKEN`)
    #[arg(long)]
    github: bool,
    /// GitHub's API URL (default: `GITHUB_API_URL`, else the public service)
    #[arg(long, value_name = "URL", requires = "github")]
    api_url: Option<String>,
    /// owner/repo on GitHub (default: `GITHUB_REPOSITORY`)
    #[arg(long, value_name = "NAME", requires = "github")]
    repository: Option<String>,
}

impl GithubArgs {
    /// The pull requests on GitHub: what each merged, and its approvals with their commits.
    fn pulls(&self, numbers: impl IntoIterator<Item = u64>) -> Result<HashMap<u64, ledger::PullRequest>> {
        if !self.github {
            return Ok(HashMap::new());
        }
        let (github, token) = super::forge(
            pactum_core::forge::Kind::Github,
            "--github",
            (self.api_url.as_ref(), self.repository.as_ref()),
            "--repository owner/repo",
            &["GITHUB_TOKEN"],
        )?;
        Ok(review::github_pulls(&github, &token, numbers, super::http_limits()?)?)
    }
}

/// The repository, and its Git history as the record of its contracts.
fn open(global: &GlobalArgs) -> Result<(Repo, Git)> {
    let repo = super::repository(global, "use --repo DIR")?;
    let git = Git::record(&repo)?;
    Ok((repo, git))
}

fn diff_options(repo: &Repo) -> DiffOptions {
    pactum_core::workspace::Workspace::of(repo).diff_options()
}

/// How a history command prints its answer: the format, and where to.
#[derive(Debug, Args)]
pub struct Printed {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the output to this file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

fn output(
    global: &GlobalArgs,
    printed: &Printed,
    human: impl FnOnce() -> String,
    json: impl FnOnce() -> String,
) -> Result<()> {
    match printed.format {
        Format::Human => super::deliver(global, printed.output.as_deref(), &human(), true),
        Format::Json => super::deliver(global, printed.output.as_deref(), &json(), false),
    }
}

// ---- approvals ----

#[derive(Debug, Args)]
pub struct ApprovalsArgs {
    /// Only these contracts (any tracked path, also a Markdown file without front matter)
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    printed: Printed,
    #[command(flatten)]
    github: GithubArgs,
}

pub fn approvals(global: &GlobalArgs, args: &ApprovalsArgs) -> Result<Outcome> {
    let (repo, git) = open(global)?;
    let (branch, tip) = ledger::main_tip(&git, &repo.config.repository.main_branch)?;
    let started = std::time::Instant::now();
    let mut entries = ledger::approvals(&git, tip, &Scope::of(&repo, &git, tip, &args.paths)?, &diff_options(&repo))?;
    let pulls =
        args.github.pulls(entries.iter().filter_map(|e| e.pull_request).collect::<std::collections::BTreeSet<_>>())?;
    ledger::add_reviews(&mut entries, &pulls);
    global.log(format_args!("read the ledger of {branch} in {:.1?}", started.elapsed()));
    output(
        global,
        &args.printed,
        || crate::print::history::approvals_human(&branch, &entries),
        || crate::print::history::approvals_json(&branch, &entries),
    )?;
    Ok(Outcome::Clean)
}

// ---- codeowners ----

#[derive(Debug, Args)]
pub struct CodeownersArgs {
    /// Write the entries into CODEOWNERS (the file the forge reads, else `CODEOWNERS` at the
    /// root of the Git work tree), between their marker lines; lines outside them stay
    #[arg(long, conflicts_with = "output")]
    write: bool,
    #[command(flatten)]
    printed: Printed,
}

pub fn codeowners(global: &GlobalArgs, args: &CodeownersArgs) -> Result<Outcome> {
    use pactum_core::repo::codeowners;
    let repo = super::repository(global, "use --repo DIR")?;
    let policies = pactum_core::workspace::Workspace::of(&repo).policies();
    let found = codeowners::find(&repo.root);
    let (path, prefix) = match &found {
        Some(found) => (found.path.clone(), found.prefix.clone()),
        None => codeowners::default_location(&repo.root),
    };
    let implied = repo.codeowners(&policies, &prefix)?;
    if !implied.unaddressable.is_empty() {
        global.warn(format_args!(
            "a forge cannot ask {} to review: name them by @handle or e-mail address in [groups] and `require`",
            implied.unaddressable.join(", ")
        ));
    }
    if args.write {
        let text = implied.written_into(found.as_ref().map(|f| f.text.as_str()));
        if found.as_ref().is_some_and(|f| f.text == text) {
            global.log(format_args!("{} is up to date", path.display()));
            return Ok(Outcome::Clean);
        }
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
        }
        if found.is_some() {
            super::files::replace_file(&path, &text)?;
        } else {
            super::files::write_whole(&path, text.as_bytes(), None)?;
        }
        global.log(format_args!("wrote {} entries into {}", implied.entries.len(), path.display()));
        return Ok(Outcome::Clean);
    }
    let shown = pactum_core::repo::shown_relative(&repo.root, &path);
    output(global, &args.printed, || implied.block(), || crate::print::history::codeowners_json(&shown, &implied))?;
    Ok(Outcome::Clean)
}

// ---- policy ----

#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// The base of the change (default: the merge base of the main branch and --head)
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// The head of the change
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    head: String,
    /// Someone who approved the change (repeatable)
    #[arg(long = "approver", value_name = "NAME")]
    approvers: Vec<String>,
    /// The pull request whose reviews count, with --github (default: from `GITHUB_REF`), or the
    /// merge request whose approvals count, with --gitlab (default: `CI_MERGE_REQUEST_IID`)
    #[arg(long, value_name = "N")]
    pr: Option<u64>,
    #[command(flatten)]
    printed: Printed,
    #[command(flatten)]
    github: GithubArgs,
    /// Also read approvals from the merge request on GitLab (`GITLAB_TOKEN`, a token that can
    /// read the API)
    #[arg(long, conflicts_with = "github")]
    gitlab: bool,
    /// GitLab's API URL (default: `CI_API_V4_URL`, else <https://gitlab.com/api/v4>)
    #[arg(long, value_name = "URL", requires = "gitlab")]
    gitlab_url: Option<String>,
    /// The project on GitLab, by id or path (default: `CI_PROJECT_ID`)
    #[arg(long, value_name = "ID", requires = "gitlab")]
    project: Option<String>,
}

/// The merge request's number and its approvals on GitLab, each with the commit it was given
/// on (the review weighs which still stand).
fn gitlab_approvals(args: &PolicyArgs) -> Result<(u64, Vec<ledger::Approval>)> {
    let number = args.pr.or_else(|| env("CI_MERGE_REQUEST_IID").and_then(|n| n.trim().parse().ok())).context(
        "--gitlab needs the merge request: --pr N (CI_MERGE_REQUEST_IID gives it in a merge request pipeline)",
    )?;
    // The job token cannot read approvals: a token that can read the API.
    if env("GITLAB_TOKEN").is_none() {
        anyhow::bail!(
            "--gitlab needs a token in GITLAB_TOKEN that can read the API (a project access token with read_api; the job token cannot read approvals)"
        );
    }
    let (gitlab, token) = super::forge(
        pactum_core::forge::Kind::Gitlab,
        "--gitlab",
        (args.gitlab_url.as_ref(), args.project.as_ref()),
        "--project ID",
        &["GITLAB_TOKEN"],
    )?;
    Ok((number, review::gitlab_approvals(&gitlab, &token, number, super::http_limits()?)?))
}

/// The pull request number GitHub Actions gives a `pull_request` run: `refs/pull/N/merge`.
fn pr_from_environment() -> Option<u64> {
    let reference = std::env::var("GITHUB_REF").ok()?;
    reference.strip_prefix("refs/pull/")?.split('/').next()?.parse().ok()
}

pub fn policy(global: &GlobalArgs, args: &PolicyArgs) -> Result<Outcome> {
    let (repo, git) = open(global)?;
    let (base, review) = Review::of_change(&git, &repo, args.base.as_deref(), &args.head)?;
    let mut approvers = args.approvers.clone();
    let mut stale: Vec<String> = Vec::new();
    if args.github.github {
        let number = args
            .pr
            .or_else(pr_from_environment)
            .context("--github needs the pull request: --pr N (GITHUB_REF gives it in a pull_request workflow)")?;
        let approvals = args.github.pulls([number])?.remove(&number).unwrap_or_default().approvals;
        let (standing, gone) = review.weigh(&git, approvals, str::to_owned);
        approvers.extend(standing);
        stale.extend(gone);
    }
    if args.gitlab {
        let (number, approvals) = gitlab_approvals(args)?;
        let (standing, gone) = review.weigh(&git, approvals, |commit| format!("!{number} at {commit}"));
        approvers.extend(standing);
        stale.extend(gone);
    }
    let pending = review.pending(&git, &approvers, &diff_options(&repo));
    output(
        global,
        &args.printed,
        || crate::print::history::policy_human(&pending, &stale),
        || crate::print::history::policy_json((&base, &args.head), &approvers, &stale, &pending),
    )?;
    Ok(if pending.unmet() > 0 { Outcome::Findings } else { Outcome::Clean })
}

// ---- log ----

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The contract: its id or its path
    #[arg(value_name = "CONTRACT")]
    contract: String,
    #[command(flatten)]
    printed: Printed,
}

pub fn log(global: &GlobalArgs, args: &LogArgs) -> Result<Outcome> {
    let (repo, git) = open(global)?;
    let (_, tip) = ledger::main_tip(&git, &repo.config.repository.main_branch)?;
    let wanted = if Path::new(&args.contract).exists() {
        ledger::relative(&repo.root, Path::new(&args.contract))
    } else {
        args.contract.clone()
    };
    let scope = Scope::of(&repo, &git, tip, &[])?;
    let log = ledger::log(&git, tip, &scope, &wanted, &diff_options(&repo))?;
    if log.events.is_empty() {
        bail!("no contract `{}` in the history of the main branch", args.contract);
    }
    output(global, &args.printed, || crate::print::history::log_human(&log), || crate::print::history::log_json(&log))?;
    Ok(Outcome::Clean)
}

// ---- audit ----

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Where the record starts: a commit (landings after it) or a date (landings on or after
    /// it); default `[audit] since` in pactum.toml, else the first commit
    #[arg(long, value_name = "COMMIT|DATE")]
    since: Option<String>,
    #[command(flatten)]
    printed: Printed,
    #[command(flatten)]
    github: GithubArgs,
}

pub fn audit(global: &GlobalArgs, args: &AuditArgs) -> Result<Outcome> {
    let (repo, git) = open(global)?;
    let (branch, tip) = ledger::main_tip(&git, &repo.config.repository.main_branch)?;
    let scope = Scope::of(&repo, &git, tip, &[])?;
    let options = diff_options(&repo);
    let pulls = if args.github.github {
        // GitHub is asked about the landings that claim to be its pull requests.
        Some(args.github.pulls(ledger::claimed_pull_requests(&git, tip, &scope)?)?)
    } else {
        None
    };
    let start = ledger::Start::chosen(args.since.as_deref(), repo.config.audit.since.as_deref());
    let audit = ledger::audit(&git, tip, &scope, &options, pulls.as_ref(), start.as_ref())?;
    output(
        global,
        &args.printed,
        || crate::print::history::audit_human(&branch, &audit),
        || crate::print::history::audit_json(&branch, &audit),
    )?;
    Ok(if audit.findings.is_empty() { Outcome::Clean } else { Outcome::Findings })
}
