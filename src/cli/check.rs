//! `pactum check`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::print::check::{CheckFormat, CheckOutput, Printing, render};
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use pactum_core::findings::{Severity, Summary};
use pactum_core::lint::run::check_loose;
use pactum_core::repo::{self, FileRef, Repo};
use pactum_core::workspace::Workspace;

use super::{GlobalArgs, Outcome, emit};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Contracts or folders to check (default: every contract of the repository)
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// Write the report to this file instead of standard output (written also when there are
    /// findings, so that CI can upload it)
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Treat findings of this level as errors for the exit code
    #[arg(long, value_enum, value_name = "LEVEL")]
    deny: Option<Deny>,
    /// List every rule with its code and default severity, and exit
    #[arg(long)]
    list_rules: bool,
    /// Of the paths given, check only the repository's contracts and pass over the other files
    /// (a README, templates): for hooks that hand over every changed Markdown file
    #[arg(long)]
    contracts_only: bool,
    /// Read standard input as the file at this path (for editors and hooks): findings name it,
    /// it is judged as that file of its repository, and the copy on disk is not read
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Neither read nor keep what checks learn of unchanged files (kept in `.git/pactum/`, so
    /// that a check of a few named files does not read every other contract's front matter
    /// again); findings are the same either way
    #[arg(long)]
    no_cache: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Deny {
    Warnings,
}

/// Which repository a run is about, and which of its files to report on.
struct Target {
    repo: Option<Repo>,
    files: Vec<FileRef>,
    only: Option<HashSet<String>>,
    /// Files `[repository] exclude` skipped, named so that nothing is skipped unseen.
    excluded: Vec<String>,
}

fn holds_config(path: &Path) -> bool {
    path.is_dir() && path.join("pactum.toml").is_file()
}

/// Standard input (`pactum check -`), kept in a temporary file for the run and shown as `-`.
static STDIN: std::sync::OnceLock<tempfile::TempPath> = std::sync::OnceLock::new();

fn stdin_copy() -> Result<PathBuf> {
    if let Some(path) = STDIN.get() {
        return Ok(path.to_path_buf());
    }
    let bytes = super::files::read_input(Path::new("-"))?;
    let mut file = tempfile::Builder::new().suffix(".md").tempfile().context("keeping standard input")?;
    std::io::Write::write_all(&mut file, &bytes).context("keeping standard input")?;
    let path = file.into_temp_path();
    let kept = path.to_path_buf();
    let _ = STDIN.set(path);
    Ok(kept)
}

fn target(global: &GlobalArgs, args: &CheckArgs) -> Result<Target> {
    // `--stdin-filename` alone: standard input is the file to check.
    let stdin_only = [PathBuf::from("-")];
    let paths: &[PathBuf] =
        if args.stdin_filename.is_some() && args.paths.is_empty() { &stdin_only } else { &args.paths };
    if args.stdin_filename.is_some() && !paths.iter().any(|p| p == Path::new("-")) {
        bail!("--stdin-filename names what standard input is: give `-` among the paths, or no path");
    }
    let stdin_as = args.stdin_filename.as_deref();
    for path in paths {
        if path == Path::new("-") {
            continue;
        }
        if !path.exists() {
            bail!("{}: no such file or directory", path.display());
        }
    }
    // `pactum check example-repo`: a directory holding pactum.toml is its own repository.
    let repo = match (&global.repo, paths) {
        (Some(dir), _) => Some(Repo::open(dir)?),
        (None, [only]) if holds_config(only) || repo::is_bare(only) => {
            let repo = Repo::open(only)?;
            let found = repo.contracts()?;
            return Ok(Target { repo: Some(repo), files: found.files, only: None, excluded: found.excluded });
        }
        // Standard input standing for a file is judged in that file's repository.
        (None, _) => match stdin_as.and_then(Path::parent).filter(|p| !p.as_os_str().is_empty() && p.is_dir()) {
            Some(folder) => Repo::discover(folder)?,
            None => Repo::discover(Path::new("."))?,
        },
    };
    let Some(repo) = repo else {
        if args.paths.is_empty() {
            bail!(
                "not inside a contracts repository (no pactum.toml or Git repository here or above): give the files to check, or --repo DIR"
            );
        }
        let mut files = Vec::new();
        for path in paths {
            files.extend(expand(path, None, stdin_as)?);
        }
        return Ok(Target { repo: None, files, only: None, excluded: Vec::new() });
    };
    if paths.is_empty() {
        let found = repo.contracts()?;
        return Ok(Target { repo: Some(repo), files: found.files, only: None, excluded: found.excluded });
    }
    // Files named on the command line are read as given; the repository's other contracts
    // are read too, for the rules over the whole repository (unique ids, links).
    let mut files = repo.contract_files_if_any()?;
    let contracts: HashSet<String> = files.iter().map(|f| f.shown.clone()).collect();
    let mut only = HashSet::new();
    for path in paths {
        for file in expand(path, Some(&repo.root), stdin_as)? {
            if args.contracts_only && !contracts.contains(&file.shown) {
                continue;
            }
            only.insert(file.shown.clone());
            // A template or library clause is checked as drafting material, not as a contract;
            // a file of the repository that is no Markdown (a performance record, CODEOWNERS,
            // pactum.toml) is checked by what reads it, never read as a contract.
            let drafting = pactum_core::lint::drafting::is_material(&file.shown);
            let no_contract = path != Path::new("-") && !pactum_core::repo::is_markdown(&file.path);
            if (drafting || no_contract) && !contracts.contains(&file.shown) {
                continue;
            }
            match files.iter_mut().find(|f| f.shown == file.shown) {
                // Standard input stands for the file on disk, which is not read.
                Some(on_disk) if path == Path::new("-") => *on_disk = file,
                Some(_) => {}
                None => files.push(file),
            }
        }
    }
    Ok(Target { repo: Some(repo), files, only: Some(only), excluded: Vec::new() })
}

/// A path from the command line: a file as is, a folder walked for Markdown files, `-`
/// standard input (shown as `stdin_as` when it stands for a file).
fn expand(path: &Path, root: Option<&Path>, stdin_as: Option<&Path>) -> Result<Vec<FileRef>> {
    if path == Path::new("-") {
        let shown = match (stdin_as, root) {
            (Some(file), Some(root)) => repo::shown_relative(root, file),
            (Some(file), None) => file.to_string_lossy().replace('\\', "/"),
            (None, _) => "-".to_owned(),
        };
        return Ok(vec![FileRef { path: stdin_copy()?, shown, not_read: None }]);
    }
    if path.is_dir() {
        return Ok(repo::walk(path, root)?.files);
    }
    let shown = root.map_or_else(|| path.to_string_lossy().replace('\\', "/"), |root| repo::shown_relative(root, path));
    // A file named on the command line is read as given, wherever it is: only links met while
    // walking a folder are kept inside the repository.
    Ok(vec![FileRef { path: path.to_path_buf(), shown, not_read: None }])
}

fn list_rules(global: &GlobalArgs) -> Result<Outcome> {
    emit(global, &crate::print::check::rules())?;
    Ok(Outcome::Clean)
}

pub fn run(global: &GlobalArgs, args: &CheckArgs) -> Result<Outcome> {
    if args.list_rules {
        return list_rules(global);
    }
    let started = Instant::now();
    let target = target(global, args)?;
    // Zero files is no failure (a new repository), but a mistyped folder should not pass unseen.
    if target.files.is_empty() {
        match (&target.repo, target.only.is_none()) {
            (Some(repo), true) => global.warn(format_args!(
                "no contract files under {}/ (the contracts folder; `[repository] contracts` in pactum.toml moves it)",
                repo.config.repository.contracts.trim_end_matches('/')
            )),
            _ if args.contracts_only => {}
            _ => global.warn("no Markdown files among the paths given"),
        }
    }
    if !target.excluded.is_empty() {
        global.warn(format_args!(
            "skipped {} that `[repository] exclude` in pactum.toml names: {}",
            pactum_core::text::count(target.excluded.len(), "file"),
            target.excluded.iter().map(|f| pactum_core::text::one_line(f)).collect::<Vec<_>>().join(", ")
        ));
    }
    let (report, shown) = match &target.repo {
        Some(repo) => {
            let workspace = Workspace::of(repo);
            let workspace = if args.no_cache { workspace.without_cache() } else { workspace };
            let checked =
                workspace.check(&target.files, target.only.as_ref(), global.today()).context("loading schemas")?;
            for shortfall in &checked.shortfalls {
                global.warn(shortfall);
            }
            (checked.report, checked.files)
        }
        None => (
            check_loose(&target.files).context("loading schemas")?,
            target.files.iter().map(|f| f.shown.clone()).collect(),
        ),
    };
    global.log(format_args!("checked {} files in {:.1?}", report.files, started.elapsed()));
    let summary = Summary::of(report.files, &report.diagnostics);
    let git_prefix = target.repo.as_ref().map(Repo::git_prefix).unwrap_or_default();
    let output = CheckOutput { diagnostics: &report.diagnostics, summary, files: &shown, git_prefix: &git_prefix };
    let printing = Printing {
        color: args.format == CheckFormat::Human && args.output.is_none() && global.wants_color(),
        summary: !global.quiet,
    };
    let text = render(args.format, &output, printing);
    super::deliver(global, args.output.as_deref(), &text, args.format == CheckFormat::Human)?;
    let denied =
        args.deny == Some(Deny::Warnings) && report.diagnostics.iter().any(|d| d.severity == Severity::Warning);
    Ok(if summary.errors > 0 || denied { Outcome::Findings } else { Outcome::Clean })
}
