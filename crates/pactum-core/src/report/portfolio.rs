//! The report of a whole repository: every contract read and checked once (the findings of
//! `pactum check`, with the same options), its front matter kept, and, from the main branch's
//! history read meanwhile on another thread, each contract's cycle times.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::{Input, Report, Timeline, build, timelines};
use crate::findings::Severity;
use crate::history::{Git, HistoryError, ledger};
use crate::lint::run::check_and_keep;
use crate::repo::RepoError;
use crate::schema::SchemaError;
use crate::workspace::{Workspace, WorkspaceError};

/// Why a repository's report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error("loading schemas: {0}")]
    Schemas(#[from] SchemaError),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
}

/// What the report is asked for.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub as_of: NaiveDate,
    /// Our own names among the parties; none: the party on most contracts, or `[report]
    /// our_names`.
    pub our_names: &'a [String],
    /// Whether to read the history for cycle times.
    pub history: bool,
}

/// A repository's report, and why its cycle times are left out, when they are for a reason
/// the reader should hear (no Git, a shallow clone), not by request.
#[derive(Debug)]
pub struct Portfolio {
    pub report: Report,
    pub history_left_out: Option<String>,
}

/// The report of `workspace`'s contracts.
///
/// # Errors
/// When the contracts cannot be listed, a schema or the clause library cannot be read.
pub fn portfolio(workspace: &Workspace<'_>, request: &Request<'_>) -> Result<Portfolio, ReportError> {
    let repo = workspace.repo;
    let files = repo.contract_files()?;
    let schemas = workspace.schemas()?;
    // The same options `pactum check` uses, clause library included.
    let options = workspace.check_options()?;
    // One pass: the findings of `pactum check`, and each contract's metadata. The history
    // (mostly Git, on one thread) is read while the contracts are checked.
    let ((checked, contracts), history) = rayon::join(
        || check_and_keep(&files, schemas, &options, None, |contract| contract.meta.summary()),
        || request.history.then(|| cycle_history(workspace)),
    );
    let mut findings: HashMap<&str, usize> = HashMap::new();
    for diagnostic in &checked.diagnostics {
        if diagnostic.severity != Severity::Info {
            *findings.entry(diagnostic.path.as_str()).or_default() += 1;
        }
    }
    let inputs: Vec<Input<'_>> = contracts
        .iter()
        .map(|(path, meta)| Input { path, meta, findings: findings.get(path.as_str()).copied().unwrap_or(0) })
        .collect();
    let config = &repo.config;
    let ours = if request.our_names.is_empty() { &config.report.our_names[..] } else { request.our_names };
    let timelines = match &history {
        Some(Ok(timelines)) => Some(timelines),
        _ => None,
    };
    let settings = &config.settings;
    let mut report = build(&inputs, timelines, request.as_of, &settings.calendar, ours, settings.expiring_within);
    // Obligations performed, from the performance files beside the executed contracts;
    // occurrences counted through the reminders' window.
    // The files the walk for contracts found (no open attempt per contract); one that does not
    // read counts nothing: `check` reports it.
    let records: HashMap<String, Vec<crate::remind::performance::Record>> = repo
        .performance_files()?
        .iter()
        .filter_map(|file| {
            let contract = crate::repo::shown_relative(&repo.root, &crate::remind::performance::contract_for(file)?);
            let text = std::fs::read_to_string(file).ok()?;
            Some((contract, crate::remind::performance::parse(&text).ok()?))
        })
        .collect();
    let metas: HashMap<&str, &crate::contract::metadata::Metadata> =
        contracts.iter().map(|(path, meta)| (path.as_str(), meta)).collect();
    let ahead = settings.remind_within.after(request.as_of, &settings.calendar.holidays).unwrap_or(request.as_of);
    // Where the record starts (`[audit] since`, when a date): occurrences due before it were
    // never recorded here.
    let since = config.audit.since.as_deref().and_then(|text| text.parse::<NaiveDate>().ok());
    report.add_compliance(&metas, &records, ahead, since);
    let mut history_left_out = None;
    match history {
        Some(Err(error)) => {
            report.history_note = Some(format!("no history to measure cycle times: {error}"));
            history_left_out = Some(error.to_string());
        }
        None => report.history_note = Some("no history to measure cycle times: left out with --no-history".to_owned()),
        Some(Ok(_)) => {}
    }
    Ok(Portfolio { report, history_left_out })
}

/// Each contract's timeline, from the status changes of the main branch's first-parent history.
fn cycle_history(workspace: &Workspace<'_>) -> Result<HashMap<String, Timeline>, HistoryError> {
    let repo = workspace.repo;
    let git = Git::open(&repo.root)?;
    git.require_full_history()?;
    let (_, tip) = ledger::main_tip(&git, &repo.config.repository.main_branch)?;
    let folder = Path::new(&repo.config.repository.contracts);
    let staged = repo.staged();
    let working = staged.as_deref().map(|staged| (repo.root.as_path(), staged));
    let changes = ledger::status_history(&git, tip, folder, repo.config.check.max_file_size, working)?;
    Ok(timelines(&changes))
}
