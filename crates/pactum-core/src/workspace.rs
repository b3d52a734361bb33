//! The contracts repository a command works on, opened once: its configuration as read, its
//! clause library, and the options of every feature built from them, so that `check`,
//! `report` and `new` check alike, and `remind` and `report` see the same dates.

use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;

use crate::diff::DiffOptions;
use crate::history::signed::Wanted;
use crate::lifecycle::Duration;
use crate::lint::run::CheckOptions;
use crate::remind::RemindOptions;
use crate::repo::facts::{Facts, Staged};
use crate::repo::policies::Policies;
use crate::repo::{Config, Repo, Settings};
use crate::schema::{SchemaError, SchemaSet};
use crate::template::Library;

/// The ids of the files named in `only`, as their front matter gives them.
fn ids_of(
    files: &[crate::repo::FileRef],
    only: &std::collections::HashSet<String>,
    max_size: u64,
) -> std::collections::HashSet<String> {
    files
        .iter()
        .filter(|file| file.not_read.is_none() && only.contains(&file.shown))
        .filter(|file| std::fs::metadata(&file.path).is_ok_and(|m| m.len() <= max_size))
        .filter_map(|file| {
            let (text, _) = crate::contract::decode(&file.shown, std::fs::read(&file.path).ok()?).ok()?;
            crate::contract::Contract::read_metadata(&text)?.id
        })
        .collect()
}

/// The longest reminder window, forward or back: ten years.
const MAX_WINDOW_DAYS: u64 = 10 * 366;

/// Why a repository's options could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkspaceError {
    /// The clause library cannot be read: why.
    #[error("reading the clause library: {0}")]
    Library(String),
    /// A reminder window longer than ten years: which setting, and its value.
    #[error("{setting} is {window}: a reminder window is at most 10 years")]
    WindowTooLong { setting: &'static str, window: Duration },
}

/// What a check of a repository could not do, and did without: said, not fatal.
#[derive(Debug, thiserror::Error)]
pub enum CheckShortfall {
    /// The clause library cannot be read: clauses were not compared with it (the drafting
    /// check reports the clause that breaks it).
    #[error("clauses were not compared with the clause library: {0}")]
    Library(WorkspaceError),
    /// The history cannot be read: executed contracts were held to their own seals only.
    #[error("executed contracts were checked against their own seals only: the history cannot be read ({0})")]
    History(crate::history::HistoryError),
}

/// A repository's check: the findings, every file reported on, and what the check did without.
#[derive(Debug)]
pub struct Checked {
    pub report: crate::lint::run::CheckReport,
    /// The files reported on, in order: those named, else every contract and then the
    /// templates and clauses.
    pub files: Vec<String>,
    pub shortfalls: Vec<CheckShortfall>,
}

/// A repository with what its commands need, each read at most once.
#[derive(Debug)]
pub struct Workspace<'a> {
    pub repo: &'a Repo,
    library: OnceLock<Result<Option<Arc<Library>>, WorkspaceError>>,
    schemas: OnceLock<Arc<SchemaSet>>,
    /// Whether `check` keeps what it learns of files and versions between runs, in the Git
    /// directory (`repo::facts`).
    facts: bool,
    /// Whether what `check` learns is kept for the next run (else facts are only read).
    keep_facts: bool,
}

impl<'a> Workspace<'a> {
    #[must_use]
    pub fn of(repo: &'a Repo) -> Self {
        Self { repo, library: OnceLock::new(), schemas: OnceLock::new(), facts: true, keep_facts: true }
    }

    /// The same, with `check` neither reading nor keeping facts between runs (`--no-cache`).
    #[must_use]
    pub fn without_cache(mut self) -> Self {
        self.facts = false;
        self
    }

    /// The same, reading what earlier checks learned but keeping nothing: for checks of text
    /// that is not what the files hold (an editor's unsaved buffer), run at every keystroke.
    #[must_use]
    pub fn reading_facts_only(mut self) -> Self {
        self.keep_facts = false;
        self
    }

    /// The same, validating against `schemas` as loaded already (a language server keeps them
    /// between checks, their validators compiled once).
    #[must_use]
    pub fn with_schemas(self, schemas: Arc<SchemaSet>) -> Self {
        let _ = self.schemas.set(schemas);
        self
    }

    /// The schemas contracts are validated against: the built-in ones, overridden and extended
    /// by the repository's `schemas/`, every one compiled, so that a broken schema is said at
    /// once and not left to the first contract of its type. Read on first use.
    ///
    /// # Errors
    /// When a schema cannot be read, parsed or compiled.
    pub fn schemas(&self) -> Result<&SchemaSet, SchemaError> {
        if let Some(schemas) = self.schemas.get() {
            return Ok(schemas);
        }
        let schemas = SchemaSet::load(Some(&self.repo.schemas_dir()))?;
        schemas.compile_all()?;
        Ok(self.schemas.get_or_init(|| Arc::new(schemas)))
    }

    #[must_use]
    pub fn config(&self) -> &'a Config {
        &self.repo.config
    }

    /// `pactum.toml`'s dates and durations, as read.
    #[must_use]
    pub fn settings(&self) -> &'a Settings {
        &self.repo.config.settings
    }

    /// The clause library, if the repository has one; read on first use.
    ///
    /// # Errors
    /// When the library cannot be read.
    pub fn library(&self) -> Result<Option<Arc<Library>>, WorkspaceError> {
        self.library
            .get_or_init(|| {
                let library = Library::load(&self.repo.root).map_err(|e| WorkspaceError::Library(e.to_string()))?;
                Ok((!library.is_empty()).then(|| Arc::new(library)))
            })
            .clone()
    }

    /// What `check` applies: the configuration and the clause library.
    ///
    /// # Errors
    /// When the clause library cannot be read.
    pub(crate) fn check_options(&self) -> Result<CheckOptions, WorkspaceError> {
        let mut options = CheckOptions::from_config(self.config());
        options.library = self.library()?;
        Ok(options)
    }

    /// `pactum check` of `files` (with `only`, findings of those paths alone, the repository
    /// rules still seeing every file), and of the templates and clause library: every one on a
    /// whole check, else those named. Dates as of `today`.
    ///
    /// # Errors
    /// When a schema cannot be read or compiled.
    pub fn check(
        &self,
        files: &[crate::repo::FileRef],
        only: Option<&std::collections::HashSet<String>>,
        today: NaiveDate,
    ) -> Result<Checked, SchemaError> {
        use crate::lint::drafting;
        let mut shortfalls = Vec::new();
        let mut options = self.check_options().unwrap_or_else(|error| {
            shortfalls.push(CheckShortfall::Library(error));
            CheckOptions::from_config(self.config())
        });
        let git = crate::history::Git::open(&self.repo.root).ok();
        let cache = git.as_ref().filter(|_| self.facts).map(|git| Facts::path_in(git.dir()));
        let known = cache.as_deref().map(Facts::load).map(Arc::new);
        let staged = git.as_ref().and_then(|_| self.repo.staged());
        // A check of named files holds them alone to the versions signed.
        let wanted = only
            .map(|only| Wanted { paths: only.clone(), ids: ids_of(files, only, self.config().check.max_file_size) });
        let mut versions = None;
        match self.signed_record(git.as_ref(), (known.as_deref(), staged.as_deref()), wanted.as_ref()) {
            Ok(record) => {
                options.signed = record.map(|(record, learned)| {
                    versions = Some(learned);
                    Arc::new(record)
                });
            }
            Err(error) => shortfalls.push(CheckShortfall::History(error)),
        }
        options.facts.clone_from(&known);
        options.staged = staged;
        let schemas = self.schemas()?;
        let mut report = crate::lint::run::check(files, schemas, &options, only);
        if let (Some(cache), Some(known)) = (cache.filter(|_| self.keep_facts), known) {
            let files = std::mem::take(&mut report.learned);
            if let Some(kept) = known.after(files, versions.unwrap_or_default()) {
                kept.save(&cache);
            }
        }
        let material = match only {
            Some(only) => only.iter().filter(|shown| drafting::is_material(shown)).cloned().collect(),
            None => drafting::files(&self.repo.root),
        };
        if !material.is_empty() {
            // The library the playbook check read (none when it cannot be read).
            let library = self.library().ok().flatten().unwrap_or_default();
            let mut found = drafting::check(&self.repo.root, &material, &library, today);
            options.lint.apply(&mut found);
            report.files += material.len();
            report.diagnostics.extend(found);
        }
        // Performance records against their contracts' obligations.
        let mut found = self.performance_findings(only, today);
        if !found.is_empty() {
            options.lint.apply(&mut found);
            report.diagnostics.extend(found);
        }
        // CODEOWNERS against the policies, when it is checked: on a whole check, or named.
        let codeowners = crate::repo::codeowners::find(&self.repo.root)
            .filter(|found| only.is_none_or(|only| only.contains(&found.shown)));
        if let Some(codeowners) = codeowners {
            // `files` are every contract, named or not: the rules see the whole repository.
            let mut found = self.repo.codeowners_findings(&codeowners, &self.policies(), files);
            options.lint.apply(&mut found);
            report.diagnostics.extend(found);
        }
        let files = match only {
            Some(only) => {
                let mut shown: Vec<String> = only.iter().cloned().collect();
                shown.sort();
                shown
            }
            None => files.iter().map(|f| f.shown.clone()).chain(material).collect(),
        };
        Ok(Checked { report, files, shortfalls })
    }

    /// What is wrong with the performance records under the contracts folder (those named, with
    /// `only`), as of `today`.
    fn performance_findings(
        &self,
        only: Option<&std::collections::HashSet<String>>,
        today: NaiveDate,
    ) -> Vec<crate::findings::Diagnostic> {
        use crate::findings::{Diagnostic, rule};
        use crate::remind::performance;
        let root = &self.repo.root;
        let max_size = self.config().check.max_file_size;
        // Named files: those named that are performance files, without walking the folder
        // (a pull request's check costs what it changed); else every one under it.
        let mut files: Vec<(std::path::PathBuf, String)> = match only {
            Some(only) => only
                .iter()
                .filter(|shown| shown.ends_with(performance::SUFFIX))
                .map(|shown| (root.join(shown), shown.clone()))
                .filter(|(path, _)| path.is_file())
                .collect(),
            None => self
                .repo
                .performance_files()
                .unwrap_or_default()
                .into_iter()
                .map(|path| {
                    let shown = crate::repo::shown_relative(root, &path);
                    (path, shown)
                })
                .collect(),
        };
        files.sort_by(|a, b| a.1.cmp(&b.1));
        let mut found = Vec::new();
        for (path, shown) in files {
            let invalid = |message: String| {
                Diagnostic::file(rule::PERFORMANCE_INVALID, &shown, message)
                    .with_help("one [[performed]] table per occurrence met: obligation, due, on, and optionally by and evidence (`pactum perform` writes them)")
            };
            let text = match std::fs::metadata(&path) {
                Ok(meta) if meta.len() > max_size => {
                    found.push(invalid(format!("{} bytes, more than `[check] max_file_size`", meta.len())));
                    continue;
                }
                _ => std::fs::read_to_string(&path),
            };
            let records = match text.map_err(|e| e.to_string()).and_then(|text| performance::parse(&text)) {
                Ok(records) => records,
                Err(why) => {
                    found.push(invalid(why));
                    continue;
                }
            };
            let contract_path = performance::contract_for(&path).unwrap_or_default();
            let contract_shown = crate::repo::shown_relative(root, &contract_path);
            let Ok(contract_text) = std::fs::read_to_string(&contract_path) else {
                found.push(invalid(format!(
                    "no contract {contract_shown} beside it: performance belongs to a contract"
                )));
                continue;
            };
            let contract = crate::contract::Contract::read_front(&contract_shown, contract_text);
            let (errors, warnings) = performance::problems(&contract.meta, &records, today);
            found.extend(errors.into_iter().map(invalid));
            found.extend(warnings.into_iter().map(|why| Diagnostic::file(rule::PERFORMANCE_UNMATCHED, &shown, why)));
        }
        found
    }

    /// The versions of contracts as first executed, from the first-parent history of `HEAD`
    /// (every folder that was the contracts folder) from where the record starts (`[audit]
    /// since`), for `check` to hold executed contracts to. None outside Git and before the
    /// first commit.
    ///
    /// # Errors
    /// When the history cannot be read.
    fn signed_record(
        &self,
        git: Option<&crate::history::Git>,
        (facts, staged): (Option<&Facts>, Option<&Staged>),
        wanted: Option<&Wanted>,
    ) -> Result<Option<crate::history::signed::Signed>, crate::history::HistoryError> {
        let Some(git) = git else { return Ok(None) };
        let Ok(head) = git.commit("HEAD") else { return Ok(None) };
        let start = self.config().audit.since.clone().map(|text| crate::history::ledger::Start { text, setting: true });
        let limits = (self.repo.root.as_path(), self.config().check.max_file_size);
        let contracts = &self.config().repository.contracts;
        crate::history::signed::signed_versions(git, head, contracts, start.as_ref(), limits, (facts, staged, wanted))
            .map(Some)
    }

    /// What counts as material in a redline.
    #[must_use]
    pub fn diff_options(&self) -> DiffOptions {
        DiffOptions::from_config(&self.config().diff)
    }

    /// The approval policies.
    #[must_use]
    pub fn policies(&self) -> Policies {
        Policies::from_config(self.config())
    }

    /// The reminders as of `as_of`: events up to `within` ahead (else `[remind] within`),
    /// obligations overdue up to `[remind] overdue`.
    ///
    /// # Errors
    /// When a window is longer than ten years: decades of daily obligations would be millions
    /// of events, and no calendar or tracker wants them.
    pub fn remind_options(&self, as_of: NaiveDate, within: Option<Duration>) -> Result<RemindOptions, WorkspaceError> {
        let settings = self.settings();
        let within = within.unwrap_or(settings.remind_within);
        let overdue = settings.remind_overdue;
        for (setting, window) in [("--within (or [remind] within)", within), ("[remind] overdue", overdue)] {
            if window.max_days() > MAX_WINDOW_DAYS {
                return Err(WorkspaceError::WindowTooLong { setting, window });
            }
        }
        Ok(RemindOptions {
            as_of,
            within,
            overdue,
            lead_times: settings.lead_times.clone(),
            calendar: settings.calendar.clone(),
            obligations: true,
        })
    }
}
