//! `pactum diff`.

use std::path::{Path, PathBuf};

use crate::print::redline::{self as render, DiffReport};
use anyhow::{Result, anyhow, bail};
use clap::{Args, ValueEnum};
use pactum_core::contract::{Contract, FrontMatterRule, decode};
use pactum_core::diff::DiffOptions;
use pactum_core::history::{Git, compare};
use pactum_core::repo::Repo;
use pactum_core::workspace::Workspace;

use super::{ColorWhen, GlobalArgs, Outcome};

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// BASE, BASE..HEAD or BASE...HEAD, then HEAD (default: the merge base of the main branch
    /// and HEAD, against the working tree with uncommitted changes)
    #[arg(value_name = "REVISION", num_args = 0..=2)]
    revisions: Vec<String>,
    /// Limit the diff to these contracts or folders
    #[arg(last = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Compare two files, without Git
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"], conflicts_with = "revisions")]
    files: Option<Vec<PathBuf>>,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Terminal)]
    format: DiffFormat,
    /// Write the output to this file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit with 1 when a contract changed, 0 when none did (as `git diff --exit-code`)
    #[arg(long)]
    exit_code: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    /// a redline for the terminal
    Terminal,
    /// a pull-request comment
    Markdown,
    /// a standalone redline page
    Html,
    /// one JSON document (stable interface)
    Json,
    /// Word tracked changes on the base version's export (one contract; write it with -o)
    Docx,
}

fn read_contract(path: &Path) -> Result<Contract> {
    if path.is_dir() {
        bail!("{} is a directory: --files compares two files", path.display());
    }
    let shown = path.to_string_lossy();
    let (text, _) = decode(&shown, super::files::read_input(path)?).map_err(|d| anyhow!("{shown}: {}", d.message))?;
    Ok(Contract::read(&shown, text, FrontMatterRule::Optional, &mut Vec::new()))
}

fn options(repo: Option<&Repo>) -> DiffOptions {
    repo.map_or_else(DiffOptions::default, |repo| Workspace::of(repo).diff_options())
}

pub fn run(global: &GlobalArgs, args: &DiffArgs) -> Result<Outcome> {
    if args.format == DiffFormat::Docx {
        return word(global, args);
    }
    let (report, language) = match &args.files {
        Some(files) => (files_report(&files[0], &files[1])?, super::language_of(&files[1], &files[0])?),
        None => revisions_report(global, args)?,
    };
    // A file named with -o gets no colour unless asked for.
    let color = match global.color {
        ColorWhen::Auto => args.output.is_none() && global.wants_color(),
        _ => global.wants_color(),
    };
    let text = match args.format {
        DiffFormat::Terminal => render::terminal(&report, color),
        DiffFormat::Markdown => render::markdown(&report),
        DiffFormat::Html => render::html(&report, &language),
        DiffFormat::Json => report.json(),
        DiffFormat::Docx => unreachable!("a Word redline is written by `word`"),
    };
    super::deliver(global, args.output.as_deref(), &text, args.format == DiffFormat::Terminal)?;
    Ok(if args.exit_code && !report.contracts.is_empty() { Outcome::Findings } else { Outcome::Clean })
}

fn files_report(old: &Path, new: &Path) -> Result<DiffReport> {
    if old == Path::new("-") && new == Path::new("-") {
        bail!("only one of the two files can be standard input (-)");
    }
    let (before, after) = (read_contract(old)?, read_contract(new)?);
    let repo =
        Repo::discover(new.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))).ok().flatten();
    let contracts = compare::versions(&before, &after, &options(repo.as_ref())).into_iter().collect();
    Ok(DiffReport { version: 1, base: old.display().to_string(), head: new.display().to_string(), contracts })
}

/// The repository and the two sides the revisions name.
fn sides(global: &GlobalArgs, args: &DiffArgs) -> Result<(Repo, compare::Sides)> {
    const FILES: &str = "compare two files with `pactum diff --files OLD NEW`";
    let repo = super::repository(global, FILES)?;
    let git = Git::open(&repo.root).map_err(|error| anyhow!("{error}; {FILES}"))?;
    let sides = compare::sides(&repo, &git, &args.revisions, &args.paths)?;
    Ok((repo, sides))
}

/// The redline between two revisions, and the language of the repository's contracts.
fn revisions_report(global: &GlobalArgs, args: &DiffArgs) -> Result<(DiffReport, String)> {
    let (repo, sides) = sides(global, args)?;
    let comparison = compare::compare(sides.old, sides.new, &options(Some(&repo)));
    for reason in &comparison.left_out {
        global.warn(format_args!("{reason}; left out of the diff"));
    }
    global.log(format_args!("compared {} old and {} new contracts", comparison.old, comparison.new));
    let report = DiffReport { version: 1, base: sides.base, head: sides.head, contracts: comparison.contracts };
    Ok((report, repo.config.repository.language))
}

/// `--format docx`: the one changed contract as Word tracked changes.
fn word(global: &GlobalArgs, args: &DiffArgs) -> Result<Outcome> {
    use pactum_core::exchange::{docx, model, redline};
    let Some(output) = args.output.as_deref() else {
        bail!("a Word redline is a binary file: name it with -o redline.docx");
    };
    let (old, new, revision, cover) = if let Some(files) = &args.files {
        (
            vec![read_contract(&files[0])?],
            vec![read_contract(&files[1])?],
            None,
            super::exchange::cover_terms(&files[1])?,
        )
    } else {
        let (repo, sides) = sides(global, args)?;
        let revision = match sides.head_commit {
            Some(commit) => {
                let info = Git::open(&repo.root)?.info(commit)?;
                let date =
                    chrono::DateTime::from_timestamp(info.time, 0).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string());
                Some(docx::Revision { author: info.author.name, date: date.unwrap_or_default() })
            }
            None => None,
        };
        (compare::read_side(sides.old).0, compare::read_side(sides.new).0, revision, repo.config.word.cover)
    };
    let (before, after) = if args.files.is_some() {
        (&old[0], &new[0])
    } else {
        compare::one_change(&old, &new, &DiffOptions::default()).map_err(|error| match error {
            compare::NotOneChange::Several(count, first) => anyhow!(
                "{count} contracts changed; a Word redline holds one: name it after --, as in `pactum diff {} --format docx -o redline.docx -- {first}`",
                args.revisions.join(" "),
            ),
            other => anyhow!(other),
        })?
    };
    let revision = revision.unwrap_or_else(|| docx::Revision {
        author: std::env::var("GIT_AUTHOR_NAME").unwrap_or_else(|_| "pactum".to_owned()),
        date: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    });
    let document = redline::redline(&model::document(before, &cover), &model::document(after, &cover));
    let bytes = docx::write(&document, Some(&revision))?;
    super::files::write_binary(output, &bytes)?;
    if !global.quiet && output != Path::new("-") {
        global.say(crate::print::exchange::redlined(output, &document, &revision.author));
    }
    Ok(if args.exit_code { Outcome::Findings } else { Outcome::Clean })
}
