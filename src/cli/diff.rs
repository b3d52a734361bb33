//! `pactum diff`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::print::redline::{self as render, DiffReport};
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use pactum_core::contract::{Contract, FrontMatterRule, decode};
use pactum_core::diff::{self, DiffOptions};
use pactum_core::history::Git;
use pactum_core::repo::{self, Repo};

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

/// One side of a comparison: contract files by path.
type Files = Vec<(String, Vec<u8>)>;

fn read_contract(path: &str, bytes: Vec<u8>, rule: FrontMatterRule) -> Result<Contract> {
    let (text, _) = decode(path, bytes).map_err(|d| anyhow::anyhow!("{path}: {}", d.message))?;
    Ok(Contract::read(path, text, rule, &mut Vec::new()))
}

fn options(repo: Option<&Repo>) -> DiffOptions {
    repo.map_or_else(DiffOptions::default, |repo| pactum_core::workspace::Workspace::of(repo).diff_options())
}

/// Pair the contracts of two sides: by id (so a moved file is a rename), else by path.
fn compare(old: Files, new: Files, options: &DiffOptions, global: &GlobalArgs) -> Vec<diff::ContractDiff> {
    let read = |side: Files| -> Vec<Contract> {
        side.into_iter()
            .filter_map(|(path, bytes)| match read_contract(&path, bytes, FrontMatterRule::Optional) {
                Ok(contract) => Some(contract),
                Err(error) => {
                    global.warn(format_args!("{error:#}; left out of the diff"));
                    None
                }
            })
            .collect()
    };
    let (old, new) = (read(old), read(new));
    let mut out: Vec<diff::ContractDiff> = diff::pair(&old, &new)
        .into_iter()
        .map(|(_, before, after)| diff::diff(before, after, options))
        .filter(|d| !d.is_empty())
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    global.log(format_args!("compared {} old and {} new contracts", old.len(), new.len()));
    out
}

/// The working tree's contract files.
fn working_tree(repo: &Repo) -> Result<Files> {
    let mut files = Vec::new();
    for file in repo.contract_files()? {
        if file.not_read.is_some() {
            continue;
        }
        let bytes = std::fs::read(&file.path).with_context(|| format!("reading {}", file.shown))?;
        files.push((file.shown, bytes));
    }
    Ok(files)
}

/// Keep the files under the paths given after `--`.
fn limit(files: Files, only: &[String]) -> Files {
    if only.is_empty() {
        return files;
    }
    files
        .into_iter()
        .filter(|(path, _)| {
            only.iter().any(|o| path == o || path.starts_with(&format!("{}/", o.trim_end_matches('/'))))
        })
        .collect()
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
    let read = |path: &Path| -> Result<Contract> {
        if path.is_dir() {
            bail!("{} is a directory: --files compares two files", path.display());
        }
        let bytes = super::files::read_input(path)?;
        read_contract(&path.to_string_lossy(), bytes, FrontMatterRule::Optional)
    };
    if old == Path::new("-") && new == Path::new("-") {
        bail!("only one of the two files can be standard input (-)");
    }
    let (before, after) = (read(old)?, read(new)?);
    let repo =
        Repo::discover(new.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))).ok().flatten();
    let mut diff = diff::diff(Some(&before), Some(&after), &options(repo.as_ref()));
    // Two files are two versions of one contract, not a rename.
    diff.change = diff::ContractChange::Modified;
    diff.old_path = None;
    let contracts = if diff.is_empty() { Vec::new() } else { vec![diff] };
    Ok(DiffReport { version: 1, base: old.display().to_string(), head: new.display().to_string(), contracts })
}

/// The two sides of a comparison of revisions: labels, files, and the head commit (none for the
/// working tree).
struct Sides {
    base: String,
    head: String,
    old: Files,
    new: Files,
    head_commit: Option<git2::Oid>,
    repo: Repo,
}

/// The redline between two revisions, and the language of the repository's contracts.
fn revisions_report(global: &GlobalArgs, args: &DiffArgs) -> Result<(DiffReport, String)> {
    let sides = revision_sides(global, args)?;
    let contracts = compare(sides.old, sides.new, &options(Some(&sides.repo)), global);
    let language = sides.repo.config.repository.language.clone();
    Ok((DiffReport { version: 1, base: sides.base, head: sides.head, contracts }, language))
}

fn revision_sides(global: &GlobalArgs, args: &DiffArgs) -> Result<Sides> {
    let repo = super::repository(global, "compare two files with `pactum diff --files OLD NEW`")?;
    let git = Git::open(&repo.root)
        .map_err(|error| anyhow::anyhow!("{error}; compare two files with `pactum diff --files OLD NEW`"))?;
    let folder = PathBuf::from(&repo.config.repository.contracts);
    let main = || {
        git.main_branch(&repo.config.repository.main_branch).with_context(|| {
            format!(
                "no branch `{}` (or `master`) to compare with; name the revisions: pactum diff BASE [HEAD]",
                repo.config.repository.main_branch
            )
        })
    };
    // Two files named where revisions go: say how to compare files rather than "unknown revision".
    if let [a, b] = args.revisions.as_slice()
        && Path::new(a).is_file()
        && Path::new(b).is_file()
        && git.commit(a).is_err()
    {
        bail!("`{a}` and `{b}` are files, not revisions: compare them with `pactum diff --files {a} {b}`");
    }
    // (base label, base files, head label, head files)
    let (base, head, old, new) = match args.revisions.as_slice() {
        [] => {
            let main = main()?;
            let base = git.merge_base(&main, "HEAD")?;
            (
                format!("{main} ({})", git.short(base)),
                "working tree".to_owned(),
                git.files_at(base, &folder)?,
                working_tree(&repo)?,
            )
        }
        [range] if range.contains("...") => {
            let (a, b) = range.split_once("...").expect("contains ...");
            let (a, b) = (if a.is_empty() { "HEAD" } else { a }, if b.is_empty() { "HEAD" } else { b });
            let base = git.merge_base(a, b)?;
            (
                format!("{a}...{b} ({})", git.short(base)),
                b.to_owned(),
                git.files_at(base, &folder)?,
                git.files_at(git.commit(b)?, &folder)?,
            )
        }
        [range] if range.contains("..") => {
            let (a, b) = range.split_once("..").expect("contains ..");
            let (a, b) = (if a.is_empty() { "HEAD" } else { a }, if b.is_empty() { "HEAD" } else { b });
            (a.to_owned(), b.to_owned(), git.files_at(git.commit(a)?, &folder)?, git.files_at(git.commit(b)?, &folder)?)
        }
        [base] => {
            (base.clone(), "working tree".to_owned(), git.files_at(git.commit(base)?, &folder)?, working_tree(&repo)?)
        }
        [base, head] => (
            base.clone(),
            head.clone(),
            git.files_at(git.commit(base)?, &folder)?,
            git.files_at(git.commit(head)?, &folder)?,
        ),
        _ => bail!("give at most two revisions"),
    };
    let only: Vec<String> = args
        .paths
        .iter()
        .map(|p| {
            let absolute = std::path::absolute(p).unwrap_or_else(|_| p.clone());
            repo::shown_relative(&repo.root, &absolute)
        })
        .collect();
    for (path, given) in only.iter().zip(&args.paths) {
        let known: HashSet<&str> = old.iter().chain(new.iter()).map(|(p, _)| p.as_str()).collect();
        if !known.iter().any(|k| *k == path || k.starts_with(&format!("{}/", path.trim_end_matches('/')))) {
            bail!("{} is not a contract of this repository at either revision", given.display());
        }
    }
    let head_commit = if head == "working tree" { None } else { Some(git.commit(&head)?) };
    Ok(Sides { base, head, old: limit(old, &only), new: limit(new, &only), head_commit, repo })
}

/// `--format docx`: the one changed contract as Word tracked changes.
fn word(global: &GlobalArgs, args: &DiffArgs) -> Result<Outcome> {
    use pactum_core::exchange::{docx, model, redline};
    let Some(output) = args.output.as_deref() else {
        bail!("a Word redline is a binary file: name it with -o redline.docx");
    };
    let (old, new, revision, cover) = if let Some(files) = &args.files {
        let read = |path: &Path| -> Result<Contract> {
            read_contract(&path.to_string_lossy(), super::files::read_input(path)?, FrontMatterRule::Optional)
        };
        (vec![read(&files[0])?], vec![read(&files[1])?], None, super::exchange::cover_terms(&files[1])?)
    } else {
        let sides = revision_sides(global, args)?;
        let read = |side: Files| -> Vec<Contract> {
            side.into_iter()
                .filter_map(|(path, bytes)| read_contract(&path, bytes, FrontMatterRule::Optional).ok())
                .collect()
        };
        let revision = match sides.head_commit {
            Some(commit) => {
                let git = Git::open(&sides.repo.root)?;
                let info = git.info(commit)?;
                let date =
                    chrono::DateTime::from_timestamp(info.time, 0).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string());
                Some(docx::Revision { author: info.author.name, date: date.unwrap_or_default() })
            }
            None => None,
        };
        let cover = sides.repo.config.word.cover.clone();
        (read(sides.old), read(sides.new), revision, cover)
    };
    let options = DiffOptions::default();
    let changed: Vec<(Option<&Contract>, Option<&Contract>)> = if args.files.is_some() {
        vec![(old.first(), new.first())]
    } else {
        diff::pair(&old, &new)
            .into_iter()
            .map(|(_, before, after)| (before, after))
            .filter(|(before, after)| !diff::diff(*before, *after, &options).is_empty())
            .collect()
    };
    let (before, after) = match changed.as_slice() {
        [(Some(before), Some(after))] => (*before, *after),
        [(None, Some(_))] => bail!("the contract is new at the head: export it with `pactum export` instead"),
        [(Some(_), None)] => bail!("the contract is removed at the head: there is nothing to redline"),
        [] => bail!("no contract changed between the two revisions"),
        many => bail!(
            "{} contracts changed; a Word redline holds one: name it after --, as in `pactum diff {} --format docx -o redline.docx -- {}`",
            many.len(),
            args.revisions.join(" "),
            many.iter().find_map(|(a, b)| b.or(*a)).map_or("contracts/…", |c| c.path.as_str())
        ),
    };
    let revision = revision.unwrap_or_else(|| docx::Revision {
        author: std::env::var("GIT_AUTHOR_NAME").unwrap_or_else(|_| "pactum".to_owned()),
        date: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    });
    let document = redline::redline(&model::document(before, &cover), &model::document(after, &cover));
    let bytes = docx::write(&document, Some(&revision))?;
    super::files::write_binary(output, &bytes)?;
    if !global.quiet && output != Path::new("-") {
        let tracked = document
            .paras
            .iter()
            .filter(|p| p.mark != model::Change::None || p.runs.iter().any(|r| r.change != model::Change::None))
            .count();
        global.say(format_args!(
            "wrote {} ({} with tracked changes by {})\n",
            output.display(),
            pactum_core::text::count(tracked, "paragraph"),
            revision.author
        ));
    }
    Ok(if args.exit_code { Outcome::Findings } else { Outcome::Clean })
}
