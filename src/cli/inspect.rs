//! `pactum inspect FILE`.

use std::path::{Path, PathBuf};

use crate::print::inspect::InspectReport;
use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use pactum_core::contract::{Contract, FrontMatterRule, Status, decode};
use pactum_core::lifecycle::State;
use pactum_core::repo::Repo;

use super::{GlobalArgs, Outcome};

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The contract (or any Markdown file) to read
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = InspectFormat::Human)]
    format: InspectFormat,
    /// Write the output to this file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InspectFormat {
    Human,
    Json,
}

pub fn run(global: &GlobalArgs, args: &InspectArgs) -> Result<Outcome> {
    let path = &args.file;
    if path.is_dir() {
        bail!("{} is a directory: inspect reads one file", path.display());
    }
    let bytes = super::files::read_input(path)?;
    let repo = match &global.repo {
        Some(dir) => Some(Repo::open(dir)?),
        None => Repo::discover(path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")))?,
    };
    let shown = repo.as_ref().map_or_else(|| path.to_string_lossy().into_owned(), |r| r.shown(path));
    let text = match decode(&shown, bytes) {
        Ok((text, _)) => text,
        Err(diagnostic) => bail!("{}: {}", shown, diagnostic.message),
    };
    let contract = Contract::read(&shown, text, FrontMatterRule::Optional, &mut Vec::new());
    let settings = repo
        .as_ref()
        .map(pactum_core::workspace::Workspace::of)
        .map_or_else(pactum_core::repo::Settings::default, |workspace| workspace.settings().clone());
    let (calendar, within) = (settings.calendar, settings.expiring_within);
    let today = global.today();
    let dates = match contract.meta.dates() {
        Ok(None) => Ok(None),
        Ok(Some(dates)) => {
            let status = contract.meta.status;
            dates
                .overview(today, status == Some(Status::Executed), within, &calendar)
                .map(|mut overview| {
                    overview.state = match status {
                        Some(Status::Terminated) => Some(State::Terminated),
                        Some(Status::Superseded) => Some(State::Superseded),
                        _ => overview.state,
                    };
                    Some(overview)
                })
                .map_err(|e| e.to_string())
        }
        Err((pointer, error)) => Err(format!("{}: {error}", pactum_core::schema::field_name(pointer))),
    };
    let report = InspectReport::new(&contract, dates);
    match args.format {
        InspectFormat::Human => super::deliver(global, args.output.as_deref(), &report.human(), true)?,
        InspectFormat::Json => super::deliver(global, args.output.as_deref(), &report.json(), false)?,
    }
    Ok(Outcome::Clean)
}
