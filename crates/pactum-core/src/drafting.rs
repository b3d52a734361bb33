//! Writing contracts: a new one drafted from a template, and one executed (its signatures
//! recorded, its text and terms sealed). Each is checked as `pactum check` would check it once
//! written, with the repository around it, before anything is written: what fails is refused.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;

use crate::contract::seal::{self, ExecuteError, Execution, Signature};
use crate::contract::{Contract, Status, frontmatter};
use crate::findings::{Diagnostic, Severity};
use crate::lint::run::check;
use crate::repo::{FileRef, RepoError};
use crate::schema::SchemaError;
use crate::template::{self, Template, TemplateError};
use crate::workspace::{Workspace, WorkspaceError};

/// Why a contract was not drafted or executed.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("the new contract needs an id: --id acme-nda")]
    NoId,
    #[error("`{0}` is not a valid id: use lower-case letters, digits and hyphens, starting with a letter or digit")]
    InvalidId(String),
    #[error("{0} exists already; pactum new never overwrites a contract (choose another --id)")]
    Exists(String),
    #[error(
        "the signature of {party} is dated {date}, after today ({today}): record a signature once it is made (if the date is right and today is wrong, give --as-of)"
    )]
    SignedLater { party: String, date: NaiveDate, today: NaiveDate },
    #[error(
        "give the signatures: --signature 'party=…,name=…,title=…,date=YYYY-MM-DD' (repeatable) or --signatures FILE.toml"
    )]
    NoSignatures,
    #[error("the amended contract `{0}` is not in the repository")]
    NoAmended(String),
    #[error("{path}: {source}")]
    Execute { path: String, source: ExecuteError },
    /// The contract would not pass `pactum check`: where it goes, and its findings at error
    /// level.
    #[error("{shown} would not pass `pactum check`")]
    FailsCheck { shown: String, errors: Vec<Diagnostic> },
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error("loading schemas: {0}")]
    Schemas(#[from] SchemaError),
    #[error("checking the contract: {0}")]
    Scratch(std::io::Error),
}

/// Whether `id` can be a contract's id, which is also its file name: a slug, so that it can
/// name no other place.
pub(crate) fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A new contract, drafted and checked, not yet written.
#[derive(Debug)]
pub struct Draft {
    /// Where it goes, relative to the repository root (`contracts/<id>.md`).
    pub shown: String,
    pub text: String,
}

/// Draft a contract from `template` with the values `given` (its `id` among them).
///
/// # Errors
/// No id or an invalid one, a file at its path already, values the template refuses, or
/// findings at error level on the draft.
pub fn draft(
    workspace: &Workspace<'_>,
    template: &Template,
    given: &BTreeMap<String, String>,
    (today, request): (NaiveDate, Option<&template::request::Link>),
) -> Result<Draft, DraftError> {
    let repo = workspace.repo;
    let id = given.get("id").cloned().ok_or(DraftError::NoId)?;
    if !is_valid_id(&id) {
        return Err(DraftError::InvalidId(id));
    }
    let values = template::resolve(template, given, today)?;
    // The library read once: for drafting here, and for checking the draft below.
    let library = workspace.library()?.unwrap_or_default();
    let drafted = template::draft(template, &values, &library)?;
    let mut text = template::stamp(&drafted, template, &id)?;
    if let Some(link) = request {
        text = template::stamp_request(&text, link)?;
    }
    let shown = format!("{}/{id}.md", repo.config.repository.contracts.trim_end_matches('/'));
    if repo.root.join(&shown).exists() {
        return Err(DraftError::Exists(shown));
    }
    let errors = check_candidate(workspace, &shown, &text)?;
    if !errors.is_empty() {
        return Err(DraftError::FailsCheck { shown, errors });
    }
    Ok(Draft { shown, text })
}

/// A contract executed: its new text, checked, not yet written.
#[derive(Debug)]
pub struct Executed {
    pub text: String,
    /// How many signatures it records.
    pub signatures: usize,
}

/// Execute `contract` (at `shown`) with `signatures`, or adopt it as signed outside the
/// repository (`how`), as of `today`.
///
/// # Errors
/// A signature dated after today, none where one is needed, an amended contract not in the
/// repository, what [`seal::execute`] refuses, or findings at error level on the result.
pub fn execute(
    workspace: &Workspace<'_>,
    (contract, shown): (&Contract, &str),
    signatures: &[Signature],
    how: Execution,
    today: NaiveDate,
) -> Result<Executed, DraftError> {
    let repo = workspace.repo;
    // A signature is given when it was made: one dated after today (a day's grace for time
    // zones) is a typing error, or a record made before the signing.
    if let Some(late) = signatures.iter().find(|s| s.date > today + chrono::Days::new(1)) {
        return Err(DraftError::SignedLater { party: late.party.clone(), date: late.date, today });
    }
    let adopt = how == Execution::Adopted;
    // A sealed contract is refused for that, signatures or not; an adopted one may bring its own.
    let sealed = (contract.meta.status == Some(Status::Executed) && !adopt) || contract.meta.body_sha256.is_some();
    let recorded = adopt && !contract.meta.signatures.is_empty();
    if signatures.is_empty() && !sealed && !recorded {
        return Err(DraftError::NoSignatures);
    }
    // An amendment records the amended contract's text and terms as they now stand.
    let amended = match &contract.meta.amends {
        Some(amended) => Some(repo.contract_text(amended)?.ok_or_else(|| DraftError::NoAmended(amended.clone()))?),
        None => None,
    };
    let operational = &workspace.config().execution.operational;
    let text = seal::execute(contract, signatures, amended.as_deref(), operational, how)
        .map_err(|source| DraftError::Execute { path: shown.to_owned(), source })?;
    let errors = check_candidate(workspace, shown, &text)?;
    if !errors.is_empty() {
        return Err(DraftError::FailsCheck { shown: shown.to_owned(), errors });
    }
    let signatures = if signatures.is_empty() { contract.meta.signatures.len() } else { signatures.len() };
    Ok(Executed { text, signatures })
}

/// The front matter of a contract's text, as written (empty when it has none).
pub fn front_matter(text: &str) -> &str {
    frontmatter::split(text).map(|layout| &text[layout.toml]).unwrap_or_default()
}

/// Check a contract that is not written yet, as `pactum check` would once it is: with the
/// repository around it. Returns the findings at error level.
fn check_candidate(workspace: &Workspace<'_>, shown: &str, text: &str) -> Result<Vec<Diagnostic>, DraftError> {
    let repo = workspace.repo;
    let scratch = tempfile::tempdir().map_err(DraftError::Scratch)?;
    let path = scratch.path().join("candidate.md");
    std::fs::write(&path, text).map_err(DraftError::Scratch)?;
    let mut files: Vec<FileRef> = repo.contract_files_if_any()?.into_iter().filter(|f| f.shown != shown).collect();
    files.push(FileRef { path, shown: shown.to_owned(), not_read: None });
    let schemas = workspace.schemas()?;
    let options = workspace.check_options()?;
    let only: HashSet<String> = [shown.to_owned()].into();
    let report = check(&files, schemas, &options, Some(&only));
    Ok(report.diagnostics.into_iter().filter(|d| d.severity == Severity::Error).collect())
}
