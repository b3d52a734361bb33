//! `pactum report`.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};
use pactum_core::report::portfolio::{Portfolio, Request, portfolio};
use pactum_core::workspace::Workspace;

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
    let request = Request { as_of: global.today(), our_names: &args.our_names, history: !args.no_history };
    let Portfolio { report, history_left_out } = portfolio(&Workspace::of(&repo), &request)?;
    if let Some(error) = history_left_out {
        global.warn(format_args!("cycle times are left out: {error}"));
    }
    global.log(format_args!("read and checked {} contracts in {:.1?}", report.contracts, started.elapsed()));
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
