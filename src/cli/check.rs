//! `pactum check`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use pactum::findings::rule;
use pactum::lint::run::{CheckOptions, check};
use pactum::lint::{RULES, Severity, Summary};
use pactum::output::check::{CheckFormat, CheckOutput, render};
use pactum::repo::{self, FileRef, Repo};
use pactum::schema::SchemaSet;

use super::{GlobalArgs, Outcome, emit, emit_raw};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Contracts or folders to check (default: every contract of the repository)
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
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
    let bytes = super::read_input(Path::new("-"))?;
    let mut file = tempfile::Builder::new().suffix(".md").tempfile().context("keeping standard input")?;
    std::io::Write::write_all(&mut file, &bytes).context("keeping standard input")?;
    let path = file.into_temp_path();
    let kept = path.to_path_buf();
    let _ = STDIN.set(path);
    Ok(kept)
}

fn target(global: &GlobalArgs, args: &CheckArgs) -> Result<Target> {
    for path in &args.paths {
        if path == Path::new("-") {
            continue;
        }
        if !path.exists() {
            bail!("{}: no such file or directory", path.display());
        }
    }
    // `pactum check example-repo`: a directory holding pactum.toml is its own repository.
    let repo = match (&global.repo, args.paths.as_slice()) {
        (Some(dir), _) => Some(Repo::open(dir)?),
        (None, [only]) if holds_config(only) || repo::is_bare(only) => {
            let repo = Repo::open(only)?;
            let found = repo.contracts()?;
            return Ok(Target { repo: Some(repo), files: found.files, only: None, excluded: found.excluded });
        }
        (None, _) => Repo::discover(Path::new("."))?,
    };
    let Some(repo) = repo else {
        if args.paths.is_empty() {
            bail!(
                "not inside a contracts repository (no pactum.toml or Git repository here or above): give the files to check, or --repo DIR"
            );
        }
        let mut files = Vec::new();
        for path in &args.paths {
            files.extend(expand(path, None)?);
        }
        return Ok(Target { repo: None, files, only: None, excluded: Vec::new() });
    };
    if args.paths.is_empty() {
        let found = repo.contracts()?;
        return Ok(Target { repo: Some(repo), files: found.files, only: None, excluded: found.excluded });
    }
    // Files named on the command line are read as given; the repository's other contracts
    // are read too, for the rules over the whole repository (unique ids, links).
    let mut files = repo.contract_files_if_any()?;
    let contracts: HashSet<String> = files.iter().map(|f| f.shown.clone()).collect();
    let mut only = HashSet::new();
    for path in &args.paths {
        for file in expand(path, Some(&repo.root))? {
            if args.contracts_only && !contracts.contains(&file.shown) {
                continue;
            }
            only.insert(file.shown.clone());
            if !files.iter().any(|f| f.shown == file.shown) {
                files.push(file);
            }
        }
    }
    Ok(Target { repo: Some(repo), files, only: Some(only), excluded: Vec::new() })
}

/// A path from the command line: a file as is, a folder walked for Markdown files.
fn expand(path: &Path, root: Option<&Path>) -> Result<Vec<FileRef>> {
    if path == Path::new("-") {
        return Ok(vec![FileRef { path: stdin_copy()?, shown: "-".to_owned(), not_read: None }]);
    }
    if path.is_dir() {
        return Ok(repo::walk(path, root)?.files);
    }
    let shown = root.map_or_else(|| path.to_string_lossy().replace('\\', "/"), |root| repo::shown_relative(root, path));
    // A file named on the command line is read as given, wherever it is: only links met while
    // walking a folder are kept inside the repository.
    Ok(vec![FileRef { path: path.to_path_buf(), shown, not_read: None }])
}

/// Where an executed contract's seal is broken and Git has the version that was signed, say
/// what differs from it: the clauses of the body, the signed value of each field.
fn name_what_changed_since_signing(repo: &Repo, files: &[FileRef], diagnostics: &mut [pactum::lint::Diagnostic]) {
    use pactum::contract::{Contract, FrontMatterRule, seal};
    let broken: HashSet<String> = diagnostics
        .iter()
        .filter(|d| d.is(rule::EXECUTED_BODY_CHANGED) || d.is(rule::EXECUTED_TERMS_CHANGED))
        .map(|d| d.path.clone())
        .collect();
    if broken.is_empty() {
        return;
    }
    let Ok(git) = pactum::history::Git::open(&repo.root) else { return };
    let read = |path: &str, bytes: Vec<u8>| {
        pactum::contract::decode(path, bytes)
            .ok()
            .map(|(text, _)| Contract::read(path, text, FrontMatterRule::Optional, &mut Vec::new()))
    };
    let operational = &repo.config.execution.operational;
    for path in broken {
        let Some(file) = files.iter().find(|f| f.shown == path) else { continue };
        let Some(now) = std::fs::read(&file.path).ok().and_then(|bytes| read(&path, bytes)) else { continue };
        let body_of = |c: &Contract| seal::body_hash(c.layout.as_ref().map_or(c.text.as_str(), |l| &c.text[l.body..]));
        // The body as signed: any version with the sealed body hash.
        let signed_body = now.meta.body_sha256.clone().and_then(|stored| {
            git.find_version(&path, 5_000, |bytes| read(&path, bytes.to_vec()).is_some_and(|c| body_of(&c) == stored))
        });
        // The terms as signed: the version whose fields digest as sealed.
        let signed_terms = now.meta.sealed_terms.clone().and_then(|sealed| {
            git.find_version(&path, 5_000, |bytes| {
                read(&path, bytes.to_vec()).is_some_and(|c| {
                    c.front.as_ref().is_some_and(|f| seal::term_digests(&f.value, operational) == sealed)
                })
            })
        });
        let clauses: Option<(String, Vec<String>)> = signed_body.and_then(|(commit, bytes)| {
            let then = read(&path, bytes)?;
            let changes = pactum::diff::diff(Some(&then), Some(&now), &pactum::diff::DiffOptions::default());
            let numbers = changes
                .clauses
                .iter()
                .filter_map(|c| c.new.as_ref().or(c.old.as_ref()).map(|r| r.number.clone()))
                .collect();
            Some((git.short(commit), numbers))
        });
        let terms: Option<(String, Contract)> =
            signed_terms.and_then(|(commit, bytes)| Some((git.short(commit), read(&path, bytes)?)));
        for diagnostic in diagnostics.iter_mut().filter(|d| d.path == path) {
            if diagnostic.is(rule::EXECUTED_BODY_CHANGED)
                && let Some((short, numbers)) = clauses.as_ref().filter(|(_, n)| !n.is_empty())
            {
                let many = numbers.len() > 1;
                diagnostic.message.push_str(&format!(
                    ": clause{} {} differ{} from the text signed in {short}",
                    if many { "s" } else { "" },
                    numbers.join(", "),
                    if many { "" } else { "s" }
                ));
            }
            if diagnostic.is(rule::EXECUTED_TERMS_CHANGED)
                && let Some((short, then)) = &terms
                && let Some(field) =
                    diagnostic.message.strip_prefix('`').and_then(|m| m.split('`').next()).map(str::to_owned)
            {
                let value = then
                    .front
                    .as_ref()
                    .and_then(|f| f.value.get(&field))
                    .map_or_else(|| "(absent)".to_owned(), ToString::to_string);
                diagnostic.message.push_str(&format!("; signed in {short} as {value}"));
            }
        }
    }
}

fn list_rules(global: &GlobalArgs) -> Result<Outcome> {
    let mut out = String::new();
    for rule in RULES {
        out.push_str(&format!("{:<28} {:<8} {}\n", rule.code, rule.severity.as_str(), rule.summary));
    }
    emit(global, &out)?;
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
            "skipped {} file(s) that `[repository] exclude` in pactum.toml names: {}",
            target.excluded.len(),
            target.excluded.join(", ")
        ));
    }
    let options = match &target.repo {
        Some(repo) => pactum::workspace::Workspace::of(repo).check_options().map_err(anyhow::Error::msg)?,
        None => CheckOptions::from_config(&pactum::repo::Config::default()),
    };
    let schemas_dir = target.repo.as_ref().map(Repo::schemas_dir);
    let schemas = SchemaSet::load(schemas_dir.as_deref()).context("loading schemas")?;
    schemas.compile_all().context("loading schemas")?;
    global.log(format_args!("read configuration and schemas in {:.1?}", started.elapsed()));
    let mut report = check(&target.files, &schemas, &options, target.only.as_ref());
    if let Some(repo) = &target.repo {
        name_what_changed_since_signing(repo, &target.files, &mut report.diagnostics);
    }
    global.log(format_args!("checked {} files in {:.1?}", target.files.len(), started.elapsed()));
    let summary = Summary::of(report.files, &report.diagnostics);
    let shown: Vec<String> = match &target.only {
        Some(only) => {
            let mut shown: Vec<String> = only.iter().cloned().collect();
            shown.sort();
            shown
        }
        None => target.files.iter().map(|f| f.shown.clone()).collect(),
    };
    let git_prefix = target.repo.as_ref().map(Repo::git_prefix).unwrap_or_default();
    let output = CheckOutput { diagnostics: &report.diagnostics, summary, files: &shown, git_prefix: &git_prefix };
    let color = args.format == CheckFormat::Human && global.wants_color();
    let mut text = render(args.format, &output, color);
    if global.quiet && args.format == CheckFormat::Human {
        // Keep the findings, drop the summary line.
        if let Some(cut) = text.trim_end().rfind('\n') {
            text.truncate(cut + 1);
        } else {
            text.clear();
        }
    }
    if args.format == CheckFormat::Human {
        emit(global, &text)?;
    } else {
        emit_raw(&text)?;
    }
    let denied =
        args.deny == Some(Deny::Warnings) && report.diagnostics.iter().any(|d| d.severity == Severity::Warning);
    Ok(if summary.errors > 0 || denied { Outcome::Findings } else { Outcome::Clean })
}
