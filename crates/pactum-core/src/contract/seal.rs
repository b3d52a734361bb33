//! The seal of an executed contract: what was signed, kept so that any later change shows.
//!
//! `pactum execute` seals two things: the body (one hash of its text) and the agreed terms —
//! every front-matter field but the operational ones, one digest per top-level key, so that a
//! change names the field that changed:
//!
//! ```toml
//! [execution]
//! body_sha256 = "…"
//!
//! [execution.terms]
//! effective_date = "3f0c…"
//! parties = "91aa…"
//! value = "c2d4…"
//! ```
//!
//! Operational fields legitimately change after signature and are left out: `owner`,
//! `terminated_on`, `renewal.notice_given`, the `[execution]` record itself, and whatever
//! `pactum.toml` lists in `[execution] operational`. `status` is sealed as a direction: an
//! executed contract may move on to `terminated` or `superseded`, and nowhere else.

use std::collections::BTreeMap;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::text::hex;

/// Fields that change after signature without changing what was agreed.
pub(crate) const OPERATIONAL: &[&str] = &["owner", "status", "terminated_on", "renewal.notice_given", "execution"];

/// Where an executed contract's status may go.
pub(crate) const STATUSES_AFTER_EXECUTION: &[&str] = &["executed", "terminated", "superseded"];

/// The hash of a body as `execute` seals it: line ends and surrounding white space do not
/// count, every other byte does.
#[must_use]
pub fn body_hash(body: &str) -> String {
    let normalized = body.replace("\r\n", "\n");
    hex(&Sha256::digest(normalized.trim().as_bytes()))
}

/// One digest per sealed top-level key of the front matter (as JSON), `extra` naming more
/// operational fields (`"tags"`, `"renewal.reminder"`).
#[must_use]
pub fn term_digests(front: &Value, extra: &[String]) -> BTreeMap<String, String> {
    let operational: Vec<&str> = OPERATIONAL.iter().copied().chain(extra.iter().map(String::as_str)).collect();
    let Some(table) = front.as_object() else { return BTreeMap::new() };
    table
        .iter()
        .filter(|(key, _)| !operational.contains(&key.as_str()))
        .map(|(key, value)| {
            let mut value = value.clone();
            // `renewal.notice_given`: operational fields inside a table are left out of its digest.
            for nested in operational.iter().filter_map(|o| o.strip_prefix(key.as_str())?.strip_prefix('.')) {
                remove_path(&mut value, nested);
            }
            (key.clone(), digest(&value))
        })
        .collect()
}

fn remove_path(value: &mut Value, path: &str) {
    let (head, rest) = path.split_once('.').map_or((path, None), |(h, r)| (h, Some(r)));
    let Some(object) = value.as_object_mut() else { return };
    match rest {
        None => {
            object.remove(head);
        }
        Some(rest) => {
            if let Some(inner) = object.get_mut(head) {
                remove_path(inner, rest);
            }
        }
    }
}

/// A short digest of a JSON value; objects hash with their keys in order, so TOML's key order
/// and formatting do not count.
fn digest(value: &Value) -> String {
    let canonical = serde_json::to_string(&sorted(value)).unwrap_or_default();
    hex(&Sha256::digest(canonical.as_bytes()))[..16].to_owned()
}

fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let ordered: BTreeMap<&String, Value> = map.iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(ordered.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// How a sealed field differs from what was signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TermChange {
    Changed,
    Added,
    Removed,
}

/// The fields whose digests differ between the seal and now.
#[must_use]
pub(crate) fn changed_terms(
    sealed: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> Vec<(String, TermChange)> {
    let mut changes: Vec<(String, TermChange)> = sealed
        .iter()
        .filter_map(|(key, digest)| match now.get(key) {
            None => Some((key.clone(), TermChange::Removed)),
            Some(current) if current != digest => Some((key.clone(), TermChange::Changed)),
            Some(_) => None,
        })
        .collect();
    changes.extend(now.keys().filter(|key| !sealed.contains_key(*key)).map(|key| (key.clone(), TermChange::Added)));
    changes.sort();
    changes
}

/// The body of a contract, as the seal reads it.
#[must_use]
pub(crate) fn body_of(contract: &super::Contract) -> &str {
    contract.layout.as_ref().map_or(contract.text.as_str(), |l| &contract.text[l.body..])
}

/// Whether a contract reads as executed: its status says so, or it carries a seal.
#[must_use]
pub fn reads_executed(contract: &super::Contract) -> bool {
    contract.meta.status == Some(super::Status::Executed) || contract.meta.body_sha256.is_some()
}

/// Whether an amendment is itself executed, so that it may excuse a change of the contract it
/// amends: status `executed`, a seal that holds for its own text, and a signature of every party.
/// A hand-written `amends_body_sha256` on a draft, or on a contract marked executed without
/// signatures, excuses nothing.
#[must_use]
pub(crate) fn executed_amendment(amendment: &super::Contract) -> bool {
    let meta = &amendment.meta;
    let signed_by_all = !meta.parties.is_empty()
        && meta.parties.iter().all(|party| meta.signatures.iter().any(|s| s.party == party.name && s.date.is_some()));
    meta.amends.is_some()
        && meta.status == Some(super::Status::Executed)
        && meta.body_sha256.as_deref() == Some(body_hash(body_of(amendment)).as_str())
        && signed_by_all
}

/// What a version of an executed contract changed of the version signed: its body (the hash
/// now), each agreed field (with its digest now), its status (anywhere but on to terminated or
/// superseded), and its seal. `SinceSigning::unexcused` leaves out what an executed
/// amendment records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SinceSigning {
    /// The body's hash now, when the body differs from the one signed.
    pub body: Option<String>,
    /// Each agreed field that differs, how, and its digest now.
    pub fields: Vec<(String, TermChange, Option<String>)>,
    /// The status now, when it left the executed path.
    pub status: Option<String>,
    /// How the seal differs from the one recorded at signing, if it does.
    pub seal: Option<SealChange>,
}

/// How the seal of an executed contract differs from the one recorded when it was signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealChange {
    /// Removed.
    Removed,
    /// Edited, recomputed, or made anew by executing again.
    Replaced,
}

/// What an executed amendment records of the contract it amends: its body's hash and its
/// fields' digests as amended.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Amended {
    pub body: Option<String>,
    pub terms: Option<BTreeMap<String, String>>,
}

impl Amended {
    /// What `amendment` records of `target`, if it amends `target` and is itself executed
    /// (see `executed_amendment`).
    #[must_use]
    pub fn by(amendment: &super::Contract, target: &str) -> Option<Self> {
        (amendment.meta.amends.as_deref() == Some(target) && executed_amendment(amendment)).then(|| Self {
            body: amendment.meta.amends_body_sha256.clone(),
            terms: amendment.meta.amends_terms.clone(),
        })
    }
}

impl SinceSigning {
    /// What `now` changed of `signed` (a version of the same contract as executed); nothing
    /// when `signed` was not executed.
    #[must_use]
    pub fn of(signed: &super::Contract, now: &super::Contract, operational: &[String]) -> Self {
        if !reads_executed(signed) {
            return Self::default();
        }
        let body_now = body_hash(body_of(now));
        let front = |c: &super::Contract| c.front.as_ref().map_or(Value::Null, |f| f.value.clone());
        let terms_now = term_digests(&front(now), operational);
        let fields = changed_terms(&term_digests(&front(signed), operational), &terms_now)
            .into_iter()
            .map(|(field, change)| {
                let digest = terms_now.get(&field).cloned();
                (field, change, digest)
            })
            .collect();
        let seal = if signed.meta.body_sha256.is_none() {
            None
        } else if now.meta.body_sha256.is_none() {
            Some(SealChange::Removed)
        } else if now.meta.body_sha256 != signed.meta.body_sha256 || now.meta.sealed_terms != signed.meta.sealed_terms {
            Some(SealChange::Replaced)
        } else {
            None
        };
        Self {
            body: (body_hash(body_of(signed)) != body_now).then_some(body_now),
            fields,
            status: now
                .meta
                .status
                .map(super::Status::as_str)
                .filter(|s| !STATUSES_AFTER_EXECUTION.contains(s))
                .map(str::to_owned),
            seal,
        }
    }

    /// What is left once the executed amendments `amended` have excused the body and fields
    /// they record as they now stand; a status off the executed path and a changed seal no
    /// amendment excuses.
    #[must_use]
    pub(crate) fn unexcused(&self, amended: &[Amended]) -> Self {
        let body = self.body.clone().filter(|now| !amended.iter().any(|a| a.body.as_deref() == Some(now.as_str())));
        let fields = self
            .fields
            .iter()
            .filter(|(field, _, now)| {
                !amended.iter().any(|a| a.terms.as_ref().is_some_and(|terms| terms.get(field) == now.as_ref()))
            })
            .cloned()
            .collect();
        Self { body, fields, status: self.status.clone(), seal: self.seal }
    }

    /// Whether nothing differs.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.body.is_none() && self.fields.is_empty() && self.status.is_none() && self.seal.is_none()
    }

    /// Each change as a short phrase: "its body", "`value`", "its status, now `approved`",
    /// "its seal, removed".
    #[must_use]
    pub(crate) fn phrases(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.body.is_some() {
            out.push("its body".to_owned());
        }
        out.extend(self.fields.iter().map(|(field, _, _)| format!("`{field}`")));
        if let Some(status) = &self.status {
            out.push(format!("its status, now `{status}`"));
        }
        match self.seal {
            Some(SealChange::Removed) => out.push("its seal, removed".to_owned()),
            Some(SealChange::Replaced) => out.push("its seal".to_owned()),
            None => {}
        }
        out
    }
}

/// The versions of contracts as they were first executed, found in the repository's history:
/// what `check` compares an executed contract with, rather than with its own seal, which anyone
/// can edit or compute again.
#[derive(Debug, Clone, Default)]
pub struct SignedRecord {
    pub versions: Vec<SignedVersion>,
    /// Whether the history stops short (a shallow clone): then a contract with no version here
    /// may still have been executed before the history's cut.
    pub shallow: bool,
    /// The working tree, where a version's path is looked up when a check asks whether it is
    /// still there.
    root: std::path::PathBuf,
    by_id: std::collections::HashMap<String, usize>,
    by_path: std::collections::HashMap<String, usize>,
}

/// One contract as it was first executed: its text, read into a contract when a check asks
/// for it (a record of thousands of executed contracts holds their text, not their trees, and
/// a check of a few files reads only theirs).
#[derive(Debug, Clone)]
pub struct SignedVersion {
    /// The commit that holds it, in short form.
    pub commit: String,
    /// Where it was, and its id.
    pub path: String,
    pub id: Option<String>,
    text: SignedText,
}

/// A Git blob id: the SHA-1 of a file's bytes as Git stores them.
pub type BlobId = [u8; 20];

/// The Git blob id of `bytes`, as `git hash-object` gives it (with the collision detection Git
/// uses, so that bytes made to collide with a version signed do not pass for it: those have
/// none).
#[must_use]
pub fn blob_id(bytes: &[u8]) -> Option<BlobId> {
    let oid = git2::Oid::hash_object(git2::ObjectType::Blob, bytes).ok()?;
    oid.as_bytes().try_into().ok()
}

/// Where the text of a version signed is.
#[derive(Debug, Clone)]
pub enum SignedText {
    /// Left unread: no contract checked can be held to it (a check of named files reads only
    /// the versions their paths and ids name).
    Unread,
    Text(String),
    /// The working tree's file `file` is that very version, the blob `blob`: nearly every
    /// executed contract reads as it was signed, and the record does not keep a second copy
    /// of each.
    InPlace {
        file: std::path::PathBuf,
        blob: BlobId,
    },
}

impl SignedVersion {
    /// The version of the contract at `path` (its id `id`), committed in `commit`.
    #[must_use]
    pub fn new(commit: String, path: String, id: Option<String>, text: SignedText) -> Self {
        Self { commit, path, id, text }
    }

    /// The version, read; `None` where its text was left unread, or its file in the working
    /// tree changed since the record was read.
    #[must_use]
    pub fn contract(&self) -> Option<super::Contract> {
        let text = match &self.text {
            SignedText::Unread => return None,
            SignedText::Text(text) => text.clone(),
            SignedText::InPlace { file, blob } => {
                let bytes = std::fs::read(file).ok()?;
                if blob_id(&bytes) != Some(*blob) {
                    return None;
                }
                super::decode(&self.path, bytes).ok()?.0
            }
        };
        Some(super::Contract::read(&self.path, text, super::FrontMatterRule::Optional, &mut Vec::new()))
    }

    /// Whether the bytes whose Git blob id is `blob` are this version's own.
    #[must_use]
    pub fn is(&self, blob: &BlobId) -> bool {
        matches!(&self.text, SignedText::InPlace { blob: own, .. } if own == blob)
    }
}

impl SignedRecord {
    /// A record of `versions`, each the first executed version of its contract, oldest first;
    /// `root` is the working tree.
    #[must_use]
    pub fn new(versions: Vec<SignedVersion>, shallow: bool, root: std::path::PathBuf) -> Self {
        let mut record = Self { versions, shallow, root, ..Self::default() };
        for (at, version) in record.versions.iter().enumerate() {
            if let Some(id) = &version.id {
                record.by_id.entry(id.clone()).or_insert(at);
            }
            record.by_path.entry(version.path.clone()).or_insert(at);
        }
        record
    }

    /// Whether a file is at `version`'s path in the working tree now.
    #[must_use]
    pub fn is_present(&self, version: &SignedVersion) -> bool {
        self.root.join(&version.path).is_file()
    }

    /// The version of `contract` as signed: by its id, else by its path.
    #[must_use]
    pub fn of(&self, contract: &super::Contract) -> Option<&SignedVersion> {
        let at =
            contract.meta.id.as_ref().and_then(|id| self.by_id.get(id)).or_else(|| self.by_path.get(&contract.path));
        at.map(|&at| &self.versions[at])
    }
}

/// One signature, as `pactum execute` records it under `[[signatures]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub party: String,
    pub name: String,
    pub title: Option<String>,
    pub date: chrono::NaiveDate,
}

/// Why a signature, or a file of them, does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("not TOML: {0}")]
    NotToml(String),
    #[error("needs [[signatures]] tables")]
    NoSignatures,
    #[error("signature {0} is not a table")]
    NotATable(usize),
    /// The signature at this place in the file (from 1) does not read.
    #[error("signature {0}: {1}")]
    At(usize, Box<SignatureError>),
    #[error("`{0}` is not a field; use party, name, title and date")]
    UnknownField(String),
    #[error("`{0}` is missing")]
    Missing(&'static str),
    #[error("date {0} is not YYYY-MM-DD")]
    NotADate(String),
    #[error("a quote is not closed")]
    OpenQuote,
    #[error("`{0}` is not key=value")]
    NotKeyValue(String),
}

impl Signature {
    /// The signatures of a TOML file of `[[signatures]]` tables (party, name, title, date).
    ///
    /// # Errors
    /// A file that is not TOML, has no `[[signatures]]`, or a signature that does not read, by
    /// its place in the file.
    pub fn from_file(text: &str) -> Result<Vec<Self>, SignatureError> {
        let table: toml::Table = toml::from_str(text).map_err(|e| SignatureError::NotToml(e.message().to_owned()))?;
        let entries = table.get("signatures").and_then(toml::Value::as_array).ok_or(SignatureError::NoSignatures)?;
        entries
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                let table = entry.as_table().ok_or(SignatureError::NotATable(index + 1))?;
                let fields = table.iter().map(|(key, value)| {
                    (key.as_str(), value.as_str().map_or_else(|| value.to_string(), str::to_owned))
                });
                Self::from_fields(fields).map_err(|e| SignatureError::At(index + 1, Box::new(e)))
            })
            .collect()
    }

    /// A signature from its fields (`party`, `name`, `title`, `date`).
    ///
    /// # Errors
    /// An unknown field, a missing one, or a date that is not `YYYY-MM-DD`.
    pub(crate) fn from_fields<'a>(fields: impl IntoIterator<Item = (&'a str, String)>) -> Result<Self, SignatureError> {
        let mut found: BTreeMap<&str, String> = BTreeMap::new();
        for (key, value) in fields {
            if !matches!(key, "party" | "name" | "title" | "date") {
                return Err(SignatureError::UnknownField(key.to_owned()));
            }
            found.insert(key, value);
        }
        let mut take = |key: &'static str| found.remove(key).ok_or(SignatureError::Missing(key));
        let (party, name, date) = (take("party")?, take("name")?, take("date")?);
        let date =
            chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| SignatureError::NotADate(date.clone()))?;
        Ok(Self { party, name, title: found.remove("title"), date })
    }

    /// `party="Acme, Inc.",name=Jane Doe,title=CEO,date=2026-01-02`: a value in double quotes
    /// may hold commas.
    ///
    /// # Errors
    /// An unclosed quote, a piece that is not `key=value`, or what `Signature::from_fields`
    /// refuses.
    pub fn parse(text: &str) -> Result<Self, SignatureError> {
        let mut pieces = Vec::new();
        let mut current = String::new();
        let mut quoted = false;
        for c in text.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => pieces.push(std::mem::take(&mut current)),
                c => current.push(c),
            }
        }
        if quoted {
            return Err(SignatureError::OpenQuote);
        }
        pieces.push(current);
        let mut fields = Vec::new();
        for piece in pieces.iter().filter(|p| !p.trim().is_empty()) {
            let (key, value) = piece.split_once('=').ok_or_else(|| SignatureError::NotKeyValue(piece.clone()))?;
            fields.push((key.trim(), value.trim().to_owned()));
        }
        Self::from_fields(fields)
    }
}

/// Why a contract cannot be executed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExecuteError {
    /// It is executed already: its text and terms are sealed as signed.
    #[error(
        "it is already executed: its text and terms are sealed as signed. An executed contract changes only through an amendment: draft one with `amends = \"{0}\"` and execute that"
    )]
    AlreadyExecuted(String),
    /// It is marked executed but has no seal: signed somewhere, never sealed here.
    #[error(
        "it is marked executed but has no seal. If it was signed before it came into the repository, adopt it as signed: `pactum execute --adopt` seals the text as found, with its signatures"
    )]
    MarkedExecuted,
    /// It has no front matter to record the execution in.
    #[error("the contract has no front matter to record the execution in")]
    NoFrontMatter,
    /// No signature was given.
    #[error("no signature was given")]
    NoSignature,
    /// Adopting needs a signature of every party.
    #[error("no signature of {0}: an agreement adopted as signed needs a signature of every party")]
    Unsigned(String),
    /// Adopting takes the signatures from the file or from the command line, not both.
    #[error(
        "the file records signatures already: adopt it without --signature to seal it with them, or remove them from the file"
    )]
    SignaturesTwice,
    /// A signature names someone who is not a party.
    #[error("`{party}` is not a party to this contract; its parties are: {parties}")]
    UnknownParty { party: String, parties: String },
    /// The front matter cannot be edited as TOML.
    #[error("{0}")]
    FrontMatter(String),
}

/// How a contract is executed: signed now, through pactum, or adopted as signed before it came
/// into the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Execution {
    /// Signed now: the signatures given are recorded.
    Signed,
    /// Signed outside the repository: the text is sealed as found, with the signatures given or
    /// those the file records, every party's. A contract marked executed without a seal may be
    /// adopted; a sealed one never.
    Adopted,
}

/// The text of `contract` as executed: the signatures recorded, the status `executed`, the
/// body and the agreed terms sealed (`[execution]`), and for an amendment the amended
/// contract's text and terms as they now stand (`amended`, the amended contract's whole
/// text). Only the front matter changes; its formatting and comments are kept.
///
/// # Errors
/// When the contract is executed already (sealed, or marked executed unless adopted), has no
/// front matter, or a signature names no party of it; adopted, when a party has no signature.
pub fn execute(
    contract: &super::Contract,
    signatures: &[Signature],
    amended: Option<&str>,
    operational: &[String],
    how: Execution,
) -> Result<String, ExecuteError> {
    use super::frontmatter;
    if contract.meta.body_sha256.is_some() {
        return Err(ExecuteError::AlreadyExecuted(contract.meta.id.clone().unwrap_or_else(|| "<id>".to_owned())));
    }
    if contract.meta.status == Some(super::Status::Executed) && how == Execution::Signed {
        return Err(ExecuteError::MarkedExecuted);
    }
    let layout = contract.layout.clone().ok_or(ExecuteError::NoFrontMatter)?;
    let recorded = &contract.meta.signatures;
    if how == Execution::Adopted && !signatures.is_empty() && !recorded.is_empty() {
        return Err(ExecuteError::SignaturesTwice);
    }
    if signatures.is_empty() && (how == Execution::Signed || recorded.is_empty()) {
        return Err(ExecuteError::NoSignature);
    }
    let parties: Vec<&str> = contract.meta.parties.iter().map(|p| p.name.as_str()).collect();
    if let Some(stranger) = signatures.iter().find(|s| !parties.contains(&s.party.as_str())) {
        return Err(ExecuteError::UnknownParty { party: stranger.party.clone(), parties: parties.join(", ") });
    }
    if how == Execution::Adopted {
        let signed = |party: &str| {
            signatures.iter().any(|s| s.party == party) || recorded.iter().any(|s| s.party == party && s.date.is_some())
        };
        if let Some(unsigned) = parties.iter().find(|p| !signed(p)) {
            return Err(ExecuteError::Unsigned((*unsigned).to_owned()));
        }
    }
    let invalid = |e: &dyn std::fmt::Display| ExecuteError::FrontMatter(e.to_string());
    let mut document: toml_edit::DocumentMut = contract.text[layout.toml.clone()]
        .parse()
        .map_err(|e| invalid(&format!("the front matter is not TOML: {e}")))?;
    let array = document.entry("signatures").or_insert(toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new()));
    let array = array
        .as_array_of_tables_mut()
        .ok_or_else(|| ExecuteError::FrontMatter("`signatures` is not an array of tables".to_owned()))?;
    for signature in signatures {
        let mut table = toml_edit::Table::new();
        table["party"] = toml_edit::value(signature.party.as_str());
        table["name"] = toml_edit::value(signature.name.as_str());
        if let Some(title) = &signature.title {
            table["title"] = toml_edit::value(title.as_str());
        }
        let date: toml_edit::Datetime = signature.date.to_string().parse().map_err(|e| invalid(&e))?;
        table["date"] = toml_edit::value(date);
        array.push(table);
    }
    document["status"] = toml_edit::value("executed");
    let mut execution = toml_edit::Table::new();
    execution["body_sha256"] = toml_edit::value(body_hash(&contract.text[layout.body..]));
    if let Some(amended) = amended {
        let amended_layout = frontmatter::split(amended).map_err(|e| invalid(&e))?;
        execution["amends_body_sha256"] = toml_edit::value(body_hash(&amended[amended_layout.body..]));
    }
    // The agreed terms as they will stand, read exactly as `check` will read them.
    let assemble = |toml: &str| {
        format!(
            "{}{}{}{}",
            &contract.text[..layout.toml.start],
            toml,
            if toml.ends_with('\n') { "" } else { "\n" },
            &contract.text[layout.toml.end..]
        )
    };
    let front_of = |text: &str| -> Result<Value, ExecuteError> {
        let layout = frontmatter::split(text).map_err(|e| invalid(&e))?;
        Ok(frontmatter::parse(text, &layout).map_err(|e| invalid(&e.message))?.value)
    };
    let digest_table = |digests: &BTreeMap<String, String>| {
        let mut table = toml_edit::Table::new();
        for (field, digest) in digests {
            table[field.as_str()] = toml_edit::value(digest.as_str());
        }
        toml_edit::Item::Table(table)
    };
    let terms = term_digests(&front_of(&assemble(&document.to_string()))?, operational);
    execution["terms"] = digest_table(&terms);
    if let Some(amended) = amended {
        execution["amends_terms"] = digest_table(&term_digests(&front_of(amended)?, operational));
    }
    document["execution"] = toml_edit::Item::Table(execution);
    Ok(assemble(&document.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn signed() -> Value {
        json!({
            "id": "acme", "status": "executed", "owner": "@alice",
            "value": {"amount": 100_000, "currency": "EUR"},
            "renewal": {"kind": "auto", "notice": "60 days"},
            "execution": {"body_sha256": "x"}
        })
    }

    #[test]
    fn signatures_are_read_from_their_fields() {
        let signature = Signature::parse("party=\"Acme, Inc.\",name=Jane Doe,title=CEO,date=2026-11-30").unwrap();
        assert_eq!(signature.party, "Acme, Inc.");
        assert_eq!(signature.title.as_deref(), Some("CEO"));
        assert_eq!(signature.date.to_string(), "2026-11-30");
        assert_eq!(Signature::parse("party=A,date=2026-11-30").unwrap_err(), SignatureError::Missing("name"));
        assert_eq!(
            Signature::parse("party=A,name=B,date=30.11.2026").unwrap_err(),
            SignatureError::NotADate("30.11.2026".to_owned())
        );
        assert_eq!(Signature::parse("party=\"A,name=B").unwrap_err(), SignatureError::OpenQuote);
        assert_eq!(
            Signature::parse("party=A,name=B,date=2026-11-30,seal=yes").unwrap_err().to_string(),
            "`seal` is not a field; use party, name, title and date"
        );
        let file = "[[signatures]]\nparty = \"Acme, Inc.\"\nname = \"Jane Doe\"\ndate = 2026-11-30\n\n[[signatures]]\nparty = \"Us\"\nname = \"Ola\"\ndate = 2026-12-01\n";
        let read = Signature::from_file(file).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!((read[1].party.as_str(), read[1].date.to_string().as_str()), ("Us", "2026-12-01"));
        assert_eq!(Signature::from_file("x = 1\n").unwrap_err(), SignatureError::NoSignatures);
        assert_eq!(
            Signature::from_file("[[signatures]]\nparty = \"A\"\n").unwrap_err(),
            SignatureError::At(1, Box::new(SignatureError::Missing("name")))
        );
        assert!(matches!(Signature::from_file("not toml").unwrap_err(), SignatureError::NotToml(_)));
    }

    #[test]
    fn operational_fields_are_not_sealed() {
        let sealed = term_digests(&signed(), &[]);
        assert_eq!(sealed.keys().collect::<Vec<_>>(), ["id", "renewal", "value"]);
        let mut later = signed();
        later["owner"] = json!("@bea");
        later["status"] = json!("terminated");
        later["renewal"]["notice_given"] = json!("2026-01-05");
        later["terminated_on"] = json!("2026-03-01");
        assert_eq!(changed_terms(&sealed, &term_digests(&later, &[])), []);
    }

    #[test]
    fn every_agreed_field_is_sealed() {
        let sealed = term_digests(&signed(), &[]);
        let mut later = signed();
        later["value"]["amount"] = json!(10_000);
        later["governing_law"] = json!("NO");
        later.as_object_mut().unwrap().remove("renewal");
        assert_eq!(
            changed_terms(&sealed, &term_digests(&later, &[])),
            [
                ("governing_law".to_owned(), TermChange::Added),
                ("renewal".to_owned(), TermChange::Removed),
                ("value".to_owned(), TermChange::Changed)
            ]
        );
        // Key order is no change.
        let reordered = json!({"value": {"currency": "EUR", "amount": 100_000}, "renewal": {"notice": "60 days", "kind": "auto"}, "id": "acme"});
        assert_eq!(changed_terms(&sealed, &term_digests(&reordered, &[])), []);
    }

    #[test]
    fn a_repository_names_more_operational_fields() {
        let extra = vec!["tags".to_owned(), "value.po_number".to_owned()];
        let mut before = signed();
        before["value"]["po_number"] = json!("PO-1");
        let sealed = term_digests(&before, &extra);
        let mut later = before.clone();
        later["tags"] = json!(["key-account"]);
        later["value"]["po_number"] = json!("PO-2");
        assert_eq!(changed_terms(&sealed, &term_digests(&later, &extra)), []);
    }
}
