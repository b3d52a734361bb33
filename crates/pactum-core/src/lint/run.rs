//! A whole `pactum check` run: read every file in parallel, check each, then the repository.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::contract::{Contract, FrontMatterRule, decode};
use crate::findings::rule;
use crate::findings::{Diagnostic, LintConfig};
use crate::lifecycle::Calendar;
use crate::lint::repository::{self, Entry};
use crate::repo::facts::{Facts, FileFacts, Learned, Staged};
use crate::repo::{FileRef, NotRead};
use crate::schema::SchemaSet;

/// What a check run needs besides the files.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub max_file_size: u64,
    pub calendar: Calendar,
    pub lint: LintConfig,
    /// The clause library, for the playbook check.
    pub library: Option<std::sync::Arc<crate::template::Library>>,
    /// Front-matter fields the seal of an executed contract leaves out, besides the built-in ones.
    pub operational: Vec<String>,
    /// Whether an executed contract without a seal is an error (`[execution] require_seal`).
    pub require_seal: bool,
    /// The versions signed, from the repository's history: executed contracts are held to
    /// them. None outside Git.
    pub signed: Option<std::sync::Arc<crate::contract::seal::SignedRecord>>,
    /// What earlier runs learned of files by their content (`repo::facts`): a file whose
    /// findings are not reported is then not read into a contract again.
    pub facts: Option<std::sync::Arc<Facts>>,
    /// What the Git index says of the working tree: which files are unchanged since staged,
    /// and their blob ids.
    pub staged: Option<std::sync::Arc<Staged>>,
}

impl CheckOptions {
    /// The options a repository's configuration sets.
    #[must_use]
    pub(crate) fn from_config(config: &crate::repo::Config) -> Self {
        Self {
            max_file_size: config.check.max_file_size,
            calendar: config.settings.calendar.clone(),
            lint: config.lint(),
            library: None,
            operational: config.execution.operational.clone(),
            require_seal: config.execution.require_seal,
            signed: None,
            facts: None,
            staged: None,
        }
    }
}

/// The findings of a run, sorted by file and position.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// How many files were checked (and reported on).
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// With facts in the options: the facts of every file read, to keep for the next run.
    pub(crate) learned: Vec<Learned<Option<FileFacts>>>,
}

/// Check `files` against `schemas` and the drafting and repository rules. With `only`, the
/// repository rules still see every file (an id is duplicated across the whole repository),
/// but only findings in the named paths are reported.
#[must_use]
pub fn check(
    files: &[FileRef],
    schemas: &SchemaSet,
    options: &CheckOptions,
    only: Option<&HashSet<String>>,
) -> CheckReport {
    run(files, schemas, options, only, &|_| (), options.facts.as_deref()).0
}

/// `pactum check` of files outside any repository: the built-in schemas, the default rules.
///
/// # Errors
/// When the built-in schemas cannot be compiled.
pub fn check_loose(files: &[FileRef]) -> Result<CheckReport, crate::schema::SchemaError> {
    let schemas = SchemaSet::load(None)?;
    Ok(check(files, &schemas, &CheckOptions::from_config(&crate::repo::Config::default()), None))
}

/// [`check`], also keeping what `keep` takes from each contract read (its metadata, say), so
/// that a command that needs both reads every file once.
pub(crate) fn check_and_keep<T: Send>(
    files: &[FileRef],
    schemas: &SchemaSet,
    options: &CheckOptions,
    only: Option<&HashSet<String>>,
    keep: impl Fn(&Contract) -> T + Sync,
) -> (CheckReport, Vec<(String, T)>) {
    // Facts stand for a file not read into a contract, from which nothing could be kept.
    run(files, schemas, options, only, &keep, None)
}

fn run<T: Send>(
    files: &[FileRef],
    schemas: &SchemaSet,
    options: &CheckOptions,
    only: Option<&HashSet<String>>,
    keep: &(impl Fn(&Contract) -> T + Sync),
    facts: Option<&Facts>,
) -> (CheckReport, Vec<(String, T)>) {
    // A file whose findings are not reported is read for the rules over the whole repository
    // only (its id, links and seal): its own rules would be thrown away.
    let results: Vec<Checked<T>> = files
        .par_iter()
        .map(|file| {
            let reported = only.is_none_or(|only| only.contains(&file.shown));
            check_file(file, schemas, options, keep, (reported, facts))
        })
        .collect();
    let mut entries = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    // Sized once: kept values are moved out while the results stay, and a vector grown by
    // doubling would hold up to twice what it keeps (a report over 100,000 contracts).
    let mut kept = Vec::with_capacity(results.iter().filter(|checked| checked.kept.is_some()).count());
    let mut learned = Vec::new();
    for (checked, file) in results.into_iter().zip(files) {
        diagnostics.extend(checked.diagnostics);
        entries.extend(checked.entry);
        if let Some(value) = checked.kept {
            kept.push((file.shown.clone(), value));
        }
        learned.extend(checked.facts);
    }
    diagnostics.extend(repository::check(&entries));
    if let Some(record) = &options.signed {
        let checked: HashSet<&str> = files.iter().map(|f| f.shown.as_str()).collect();
        let held: HashSet<&str> = entries.iter().filter_map(|e| e.id.as_ref()).map(|id| id.value.as_str()).collect();
        diagnostics.extend(repository::not_checked(record, &checked, &held));
    }
    options.lint.apply(&mut diagnostics);
    let reported = match only {
        Some(only) => {
            diagnostics.retain(|d| only.contains(&d.path));
            files.iter().filter(|f| only.contains(&f.shown)).count()
        }
        None => files.len(),
    };
    diagnostics.sort_by(|a, b| {
        (&a.path, a.location.line, a.location.column, a.code).cmp(&(
            &b.path,
            b.location.line,
            b.location.column,
            b.code,
        ))
    });
    summarise_repeats(&mut diagnostics);
    (CheckReport { files: reported, diagnostics, learned }, kept)
}

/// The most findings of one rule reported on one line; past it, one more finding says how many
/// were left out (a line of 60,000 `TBD`s is one problem to fix, not 60,000).
const MAX_PER_LINE: usize = 10;

/// Fold the findings of one rule on one line past [`MAX_PER_LINE`] into one that counts them.
/// `diagnostics` is sorted by path, line and column.
fn summarise_repeats(diagnostics: &mut Vec<Diagnostic>) {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    let mut run = 0;
    let mut left_out = 0;
    for diagnostic in diagnostics.drain(..) {
        let same = out.last().is_some_and(|last| {
            (last.path.as_str(), last.location.line, last.code)
                == (diagnostic.path.as_str(), diagnostic.location.line, diagnostic.code)
        });
        run = if same { run + 1 } else { 1 };
        if !same {
            left_out = 0;
        }
        if run <= MAX_PER_LINE {
            out.push(diagnostic);
            continue;
        }
        left_out += 1;
        if run == MAX_PER_LINE + 1 {
            out.push(diagnostic);
        }
        let last = out.last_mut().expect("the summary was pushed");
        last.message = format!(
            "{left_out} more finding{} of `{}` on line {}, not listed one by one",
            if left_out == 1 { "" } else { "s" },
            last.code,
            last.location.line
        );
    }
    *diagnostics = out;
}

/// What checking one file gives.
struct Checked<T> {
    diagnostics: Vec<Diagnostic>,
    entry: Option<Entry>,
    kept: Option<T>,
    /// With facts to learn: the file's key and facts.
    facts: Option<Learned<Option<FileFacts>>>,
}

impl<T> Checked<T> {
    fn finding(diagnostic: Diagnostic) -> Self {
        Self { diagnostics: vec![diagnostic], entry: None, kept: None, facts: None }
    }
}

/// Check one file; `reported` says whether its findings are reported, `facts` holds what
/// earlier runs learned (and asks for this file's facts too).
fn check_file<T>(
    file: &FileRef,
    schemas: &SchemaSet,
    options: &CheckOptions,
    keep: &(impl Fn(&Contract) -> T + Sync),
    (reported, facts): (bool, Option<&Facts>),
) -> Checked<T> {
    let path = file.shown.as_str();
    if let Some(problem) = &file.not_read {
        let diagnostic = match problem {
            NotRead::Outside => Diagnostic::file(
                rule::FILE_OUTSIDE_REPOSITORY,
                path,
                "this symbolic link points outside the repository; it was not read",
            )
            .with_help("keep contracts inside the repository, so that their history is the record"),
            NotRead::Dangling => Diagnostic::file(
                rule::FILE_BROKEN_LINK,
                path,
                "this symbolic link points at a file that does not exist; it was not read",
            )
            .with_help("remove the link, or point it at the contract it stands for"),
            NotRead::Unresolvable(reason) => Diagnostic::file(
                rule::FILE_BROKEN_LINK,
                path,
                format!("this symbolic link cannot be followed ({reason}); it was not read"),
            )
            .with_help("a link that leads back to itself names no file: remove it, or point it at the contract"),
            NotRead::Link => Diagnostic::file(
                rule::FILE_SYMLINK,
                path,
                "this contract is a symbolic link; it was not read",
            )
            .with_help("Git keeps the history of the link, not of the text it points at, so a change to that text would pass review unseen: move the file here in place of the link"),
            NotRead::NotAFile => Diagnostic::file(
                rule::FILE_BROKEN_LINK,
                path,
                "this symbolic link points at something that is not a file; it was not read",
            )
            .with_help("point it at the contract's Markdown file, or remove it"),
            NotRead::Unwalkable(reason) => {
                Diagnostic::file(rule::FILE_UNREADABLE, path, format!("cannot read this file or folder: {reason}"))
                    .with_help("a path longer than the system allows cannot be read, so shorten its folder names; otherwise check its permissions")
            }
        };
        return Checked::finding(diagnostic);
    }
    let metadata = std::fs::metadata(&file.path).ok();
    let size = metadata.as_ref().map_or(0, std::fs::Metadata::len);
    if size > options.max_file_size {
        let diagnostic = Diagnostic::file(
            rule::FILE_TOO_LARGE,
            path,
            format!("the file is {size} bytes, more than the {} bytes pactum reads", options.max_file_size),
        )
        .with_help("raise `[check] max_file_size` in pactum.toml if this really is one contract");
        return Checked::finding(diagnostic);
    }
    // The bytes' key: to look up and keep their facts, and to tell a contract that is the very
    // version signed. The index has it for a file unchanged since it was staged.
    let keyed = facts.is_some() || options.signed.is_some();
    let staged = match (&options.staged, &metadata) {
        (Some(staged), Some(metadata)) if keyed => staged.blob(path, metadata),
        _ => None,
    };
    if !reported
        && let (Some(facts), Some(key)) = (facts, staged)
        && let Some(known) = facts.files.get(&key)
    {
        let entry = known.as_ref().map(|known| Entry::of_facts(path, known));
        return Checked { diagnostics: Vec::new(), entry, kept: None, facts: Some(Learned::Used(key)) };
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(error) => {
            return Checked::finding(Diagnostic::file(
                rule::FILE_UNREADABLE,
                path,
                format!("cannot read the file: {error}"),
            ));
        }
    };
    let key = if keyed { staged.or_else(|| Facts::key(&bytes)) } else { None };
    let learn = |found: Option<FileFacts>| facts.and(key).map(|key| Learned::New(key, found));
    if !reported
        && let (Some(facts), Some(key)) = (facts, key)
        && let Some(known) = facts.files.get(&key)
    {
        let entry = known.as_ref().map(|known| Entry::of_facts(path, known));
        return Checked { diagnostics: Vec::new(), entry, kept: None, facts: Some(Learned::Used(key)) };
    }
    let mut diagnostics = Vec::new();
    let text = match decode(path, bytes) {
        Ok((text, bom)) => {
            diagnostics.extend(bom);
            text
        }
        Err(diagnostic) => {
            let mut checked = Checked::finding(diagnostic);
            checked.facts = learn(None);
            return checked;
        }
    };
    if !reported {
        // Its front matter, and its body as text: what its entry needs.
        let contract = Contract::read_front(path, text);
        let found = contract.front.is_some().then(|| Entry::facts(&contract));
        let entry = found.as_ref().map(|found| Entry::of_facts(path, found));
        let kept = contract.front.is_some().then(|| keep(&contract));
        return Checked { diagnostics: Vec::new(), entry, kept, facts: learn(found) };
    }
    let contract = Contract::read(path, text, FrontMatterRule::Required, &mut diagnostics);
    diagnostics.extend(schemas.validate(&contract));
    diagnostics.extend(crate::lint::contract::check(&contract, &options.calendar));
    if let Some(library) = &options.library {
        diagnostics.extend(crate::lint::library::check(&contract, library));
    }
    drop_shadowed(&mut diagnostics);
    diagnostics.extend(seal_findings(&contract, options));
    let entry = contract.front.is_some().then(|| match &key {
        Some(key) => Entry::of_bytes(&contract, &options.operational, options.signed.as_deref(), key),
        None => Entry::of(&contract, &options.operational, options.signed.as_deref()),
    });
    let kept = contract.front.is_some().then(|| keep(&contract));
    let facts = learn(contract.front.is_some().then(|| Entry::facts(&contract)));
    Checked { diagnostics, entry, kept, facts }
}

/// An executed contract without a seal (a warning, an error under `require_seal`), and one that
/// could not be compared with the version signed because the history is cut short.
fn seal_findings(contract: &Contract, options: &CheckOptions) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if contract.meta.status != Some(crate::contract::Status::Executed) {
        return out;
    }
    if contract.meta.body_sha256.is_none() {
        let mut finding = contract.source().diagnostic(
            rule::EXECUTED_UNSEALED,
            contract.span_of("/status"),
            "this contract is executed, but has no seal: a change to its text or terms would show nowhere",
        );
        if options.require_seal {
            finding.severity = crate::findings::Severity::Error;
        }
        out.push(finding.with_help(
            "record how it was signed and seal its text as found: `pactum execute --adopt FILE` (with `--signature` for each party, unless `[[signatures]]` lists them)",
        ));
    }
    if options.signed.as_ref().is_some_and(|record| record.shallow) {
        out.push(
            contract
                .source()
                .diagnostic(
                    rule::EXECUTED_UNVERIFIED,
                    contract.span_of("/status"),
                    "the history is cut short (a shallow clone), so this contract was checked against its own seal only, not against the version signed",
                )
                .with_help("fetch the whole history: `git fetch --unshallow`, or `fetch-depth: 0` for actions/checkout"),
        );
    }
    out
}

/// Where a specific rule and the schema both object to one value (a duration the schema's
/// pattern rejects and the duration reader explains), keep the specific finding.
fn drop_shadowed(diagnostics: &mut Vec<Diagnostic>) {
    let specific: Vec<crate::findings::Location> =
        diagnostics.iter().filter(|d| d.code.starts_with("date/")).map(|d| d.location).collect();
    diagnostics.retain(|d| !d.is(rule::SCHEMA_INVALID) || !specific.contains(&d.location));
}
