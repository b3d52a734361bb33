//! `pactum report`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use pactum_core::history::Git;
use pactum_core::history::ledger;
use pactum_core::lint::run::check_and_keep;
use pactum_core::repo::Repo;
use pactum_core::report::{self, Input};

use super::{GlobalArgs, Outcome};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Write the output to this file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Our own name among the parties (repeatable; default: the party on most contracts)
    #[arg(long = "our-name", value_name = "NAME")]
    our_names: Vec<String>,
    /// Leave out cycle times (do not read the Git history)
    #[arg(long)]
    no_history: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Table,
    Json,
    Csv,
    Markdown,
    Html,
}

pub fn run(global: &GlobalArgs, args: &ReportArgs) -> Result<Outcome> {
    let repo = super::repository(global, "use --repo DIR")?;
    let started = std::time::Instant::now();
    let files = repo.contract_files()?;
    // Findings per file, from the same check `pactum check` runs.
    let workspace = pactum_core::workspace::Workspace::of(&repo);
    let schemas = workspace.schemas().context("loading schemas")?;
    // The same options `pactum check` uses, clause library included.
    let options = workspace.check_options().map_err(anyhow::Error::msg)?;
    // One pass: the findings of `pactum check`, and each contract's metadata.
    // The history (mostly Git, on one thread) is read while the contracts are checked.
    let ((checked, contracts), timelines) = rayon::join(
        || check_and_keep(&files, schemas, &options, None, |contract| contract.meta.clone()),
        || if args.no_history { Err("left out with --no-history".to_owned()) } else { history(&repo, global) },
    );
    let mut findings: HashMap<&str, usize> = HashMap::new();
    for diagnostic in &checked.diagnostics {
        if diagnostic.severity != pactum_core::lint::Severity::Info {
            *findings.entry(diagnostic.path.as_str()).or_default() += 1;
        }
    }
    global.log(format_args!("read and checked {} contracts in {:.1?}", contracts.len(), started.elapsed()));
    let inputs: Vec<Input<'_>> = contracts
        .iter()
        .map(|(path, meta)| Input { path, meta, findings: findings.get(path.as_str()).copied().unwrap_or(0) })
        .collect();
    global.log(format_args!("read the history in {:.1?}", started.elapsed()));
    let calendar = repo.config.settings.calendar.clone();
    let ours: Vec<String> =
        if args.our_names.is_empty() { repo.config.report.our_names.clone() } else { args.our_names.clone() };
    let expiring_within = repo.config.settings.expiring_within;
    let mut report = report::build(&inputs, timelines.as_ref().ok(), global.today(), &calendar, &ours, expiring_within);
    if let Err(why) = timelines {
        report.history_note = Some(format!("no history to measure cycle times: {why}"));
    }
    let text = match args.format {
        ReportFormat::Table => crate::print::report::table(&report),
        ReportFormat::Json => crate::print::report::json(&report),
        ReportFormat::Csv => crate::print::report::csv(&report),
        ReportFormat::Markdown => crate::print::report::markdown(&report),
        ReportFormat::Html => crate::print::report_page::page(&report, &repo.config.repository.language),
    };
    super::deliver(global, args.output.as_deref(), &text, args.format == ReportFormat::Table)?;
    Ok(Outcome::Clean)
}

/// Timelines from the approval ledger, or why there are none (also said on standard error).
fn history(repo: &Repo, global: &GlobalArgs) -> Result<HashMap<String, report::Timeline>, String> {
    let attempt = || -> Result<HashMap<String, report::Timeline>> {
        let git = Git::open(&repo.root)?;
        git.require_full_history()?;
        let (_, tip) = ledger::main_tip(&git, &repo.config.repository.main_branch)?;
        let changes = ledger::status_history(
            &git,
            tip,
            Path::new(&repo.config.repository.contracts),
            repo.config.check.max_file_size,
        )?;
        Ok(report::timelines(&changes))
    };
    attempt().map_err(|error| {
        global.warn(format_args!("cycle times are left out: {error:#}"));
        format!("{error:#}")
    })
}
