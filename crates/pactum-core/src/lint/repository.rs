//! Rules over the whole repository: unique ids and links between contracts.
//!
//! Checking runs over thousands of files in parallel and keeps none of them in memory; each
//! file leaves an [`Entry`] with the few facts these rules need, and where to point.

use std::collections::{HashMap, HashSet};

use std::collections::BTreeMap;

use crate::contract::Contract;
use crate::contract::seal::{self, Amended, SealChange, SignedRecord, SinceSigning, TermChange};
use crate::findings::Diagnostic;
use crate::findings::rule;
use crate::repo::facts::{BlobKey, FileFacts};

/// A value from a contract's front matter and a finding already pointed at it, to be sent with
/// its message filled in if the rule fails.
#[derive(Debug, Clone)]
pub struct Located {
    pub value: String,
    /// `None` on a file whose findings are not reported: nothing is pointed at in it.
    pub at: Option<Box<Diagnostic>>,
}

/// The keys of front matter that link one contract to another.
const LINKS: [&str; 3] = ["amends", "supersedes", "parent"];

/// What the repository rules need from one contract.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: String,
    pub id: Option<Located>,
    /// `amends`, `supersedes`, `parent`: the key and the id it names.
    pub links: Vec<(&'static str, Located)>,
    /// For an executed contract whose body no longer hashes as signed: the body's hash now,
    /// and a finding pointed at the stored hash.
    pub(crate) changed_body: Option<Box<Located>>,
    /// For an executed contract whose agreed terms no longer read as signed: the fields'
    /// digests now, and a finding pointed at each field that differs.
    pub(crate) changed_terms: Option<ChangedTerms>,
    /// On an executed amendment: the contract it amends, and that contract's text and terms as
    /// amended. A draft, or one marked executed without its own seal and every party's
    /// signature, amends nothing.
    pub amends: Option<(String, Amended)>,
    /// For a contract executed in the repository's history: what it changed of the version
    /// signed there. The seal in the file is then not what the text is held to.
    pub(crate) since_signing: Option<Box<Signed>>,
}

/// What a contract changed of its version signed in history, each change with a finding
/// already pointed at it.
#[derive(Debug, Clone)]
pub struct Signed {
    pub changes: SinceSigning,
    /// The commit that holds the version signed, in short form.
    pub commit: String,
    /// The signed version's id, and whether it was found by its path alone.
    pub id: Option<String>,
    pub by_path: bool,
    /// The clauses whose text differs from the version signed, by number.
    pub clauses: Vec<String>,
    /// Where to point a finding on the body, each field (with its value as signed), the status,
    /// the seal.
    pub(crate) at_body: Diagnostic,
    pub(crate) at_fields: Vec<(String, String, Diagnostic)>,
    pub(crate) at_status: Diagnostic,
    pub(crate) at_seal: Diagnostic,
}

/// The sealed fields of an executed contract that differ from what was signed.
#[derive(Debug, Clone)]
pub struct ChangedTerms {
    /// Every sealed field's digest now, to compare with what an amendment recorded.
    pub now: BTreeMap<String, String>,
    /// One finding per field that changed (`None`: the status), already pointed at it.
    pub findings: Vec<(Option<String>, Diagnostic)>,
}

impl Entry {
    /// The entry of `contract`, compared with its version in `signed` when there is one.
    #[must_use]
    pub fn of(contract: &Contract, operational: &[String], signed: Option<&SignedRecord>) -> Self {
        Self::read(contract, operational, signed, None)
    }

    /// [`Entry::of`] a contract read from the bytes whose Git blob id is `blob`: where those
    /// are the very bytes signed, nothing is compared.
    pub(crate) fn of_bytes(
        contract: &Contract,
        operational: &[String],
        signed: Option<&SignedRecord>,
        blob: &BlobKey,
    ) -> Self {
        Self::read(contract, operational, signed, Some(blob))
    }

    /// What the rules over the whole repository need of a contract whose own findings are not
    /// reported (a check of named files): its id, links and what it amends, which the named
    /// files' findings depend on; kept between runs (`repo::facts`). Its seal is not compared
    /// with its text, nor its text with the version signed: those findings are its own, and
    /// would be thrown away.
    pub(crate) fn facts(contract: &Contract) -> FileFacts {
        let meta = &contract.meta;
        FileFacts {
            id: meta.id.clone(),
            links: LINKS
                .into_iter()
                .zip([&meta.amends, &meta.supersedes, &meta.parent])
                .filter_map(|(key, value)| Some((key.to_owned(), value.clone()?)))
                .collect(),
            amends: meta.amends.as_ref().and_then(|target| Some((target.clone(), Amended::by(contract, target)?))),
        }
    }

    /// The entry of the contract at `path`, whose findings are not reported, from its facts.
    /// The findings it would point at are on its own path, which is not reported, so they point
    /// at the file.
    pub(crate) fn of_facts(path: &str, facts: &FileFacts) -> Self {
        let locate = |value: &str| Located { value: value.to_owned(), at: None };
        Self {
            path: path.to_owned(),
            id: facts.id.as_deref().map(locate),
            links: facts
                .links
                .iter()
                .filter_map(|(key, value)| {
                    let key = LINKS.into_iter().find(|known| known == key)?;
                    Some((key, locate(value)))
                })
                .collect(),
            changed_body: None,
            changed_terms: None,
            amends: facts.amends.clone(),
            since_signing: None,
        }
    }

    /// The entry, its seal and its version signed in history compared too.
    fn read(
        contract: &Contract,
        operational: &[String],
        signed: Option<&SignedRecord>,
        blob: Option<&BlobKey>,
    ) -> Self {
        let locate = |code: &'static crate::findings::Rule, pointer: &str, value: &Option<String>| {
            value.as_ref().map(|value| Located {
                value: value.clone(),
                at: Some(Box::new(contract.source().diagnostic(code, contract.span_of(pointer), String::new()))),
            })
        };
        let meta = &contract.meta;
        let links = LINKS
            .into_iter()
            .zip([&meta.amends, &meta.supersedes, &meta.parent])
            .filter_map(|(key, value)| Some((key, locate(rule::LINK_UNKNOWN_CONTRACT, &format!("/{key}"), value)?)))
            .collect();
        let amends = meta.amends.as_ref().and_then(|target| Some((target.clone(), Amended::by(contract, target)?)));
        // A check reads the text of every version a contract it reports can be held to.
        let version = signed
            .and_then(|record| record.of(contract))
            .filter(|version| blob.is_none_or(|blob| !version.is(blob)))
            .and_then(|version| Some((version, version.contract()?)));
        // A contract that reads as signed keeps nothing of the comparison: no rule has a
        // finding to make of it.
        let compared =
            version.map(|(version, signed)| (version, SinceSigning::of(&signed, contract, operational), signed));
        let since_signing = compared.filter(|(_, changes, _)| !changes.is_empty()).map(|(version, changes, signed)| {
            let point = |code: &'static crate::findings::Rule, pointer: &str| {
                contract.source().diagnostic(code, contract.span_of(pointer), String::new())
            };
            let signed_front = signed.front.as_ref().map(|f| &f.value);
            let at_fields = changes
                .fields
                .iter()
                .map(|(field, change, _)| {
                    let pointer =
                        if *change == TermChange::Removed { "/execution".to_owned() } else { format!("/{field}") };
                    let value = signed_front
                        .and_then(|f| f.get(field))
                        .map_or_else(|| "(absent)".to_owned(), ToString::to_string);
                    (field.clone(), value, point(rule::EXECUTED_TERMS_CHANGED, &pointer))
                })
                .collect();
            // Which clauses differ, only where the body does: the redline costs more than a hash.
            let clauses = if changes.body.is_some() {
                crate::diff::diff(Some(&signed), Some(contract), &crate::diff::DiffOptions::default()).clauses_changed()
            } else {
                Vec::new()
            };
            let seal_pointer = if meta.body_sha256.is_some() { "/execution/body_sha256" } else { "/status" };
            Box::new(Signed {
                changes,
                commit: version.commit.clone(),
                id: version.id.clone(),
                by_path: version.id.as_ref() != meta.id.as_ref(),
                clauses,
                at_body: point(rule::EXECUTED_BODY_CHANGED, seal_pointer),
                at_fields,
                at_status: point(rule::EXECUTED_TERMS_CHANGED, "/status"),
                at_seal: point(rule::EXECUTED_SEAL_CHANGED, seal_pointer),
            })
        });
        // Its own seal too: a contract whose first executed version already carried a seal
        // that does not match its text was never sealed as it reads.
        let changed_body = meta.body_sha256.as_ref().and_then(|stored| {
            let now = seal::body_hash(seal::body_of(contract));
            (&now != stored)
                .then(|| locate(rule::EXECUTED_BODY_CHANGED, "/execution/body_sha256", &Some(now)))
                .flatten()
        });
        let changed_terms = changed_terms(contract, operational);
        Self {
            path: contract.path.clone(),
            id: locate(rule::ID_DUPLICATE, "/id", &meta.id),
            links,
            changed_body: changed_body.map(Box::new),
            changed_terms,
            amends,
            since_signing,
        }
    }

    /// What the executed amendments among `entries` record of this contract.
    fn amended<'a>(&self, entries: &'a [Entry]) -> Vec<&'a Amended> {
        let Some(id) = self.id.as_ref().map(|i| i.value.as_str()) else { return Vec::new() };
        entries
            .iter()
            .filter_map(|other| other.amends.as_ref())
            .filter(|(target, _)| target == id)
            .map(|(_, amended)| amended)
            .collect()
    }
}

/// The agreed terms of an executed contract that differ from its seal, each as a finding on
/// the field; a status that left the executed path is one too.
fn changed_terms(contract: &Contract, operational: &[String]) -> Option<ChangedTerms> {
    let front = &contract.front.as_ref()?.value;
    let sealed = contract.meta.sealed_terms.as_ref();
    let mut findings = Vec::new();
    let status = contract.meta.status.map(crate::contract::Status::as_str);
    if (sealed.is_some() || contract.meta.body_sha256.is_some())
        && let Some(status) = status.filter(|s| !seal::STATUSES_AFTER_EXECUTION.contains(s))
    {
        findings.push((
            None,
            contract
                .source()
                .diagnostic(
                    rule::EXECUTED_TERMS_CHANGED,
                    contract.span_of("/status"),
                    format!("this contract was executed, and its status is now `{status}`"),
                )
                .with_help("an executed contract stays `executed` until it is `terminated` or `superseded`"),
        ));
    }
    // Digesting every field costs more than reading the front matter: only done where a seal
    // is compared or a finding is kept with the terms as they are now.
    if sealed.is_none() && findings.is_empty() {
        return None;
    }
    let now = seal::term_digests(front, operational);
    if let Some(sealed) = sealed {
        for (field, change) in seal::changed_terms(sealed, &now) {
            let what = match change {
                TermChange::Changed => format!("`{field}` changed after the contract was signed"),
                TermChange::Added => format!("`{field}` was added after the contract was signed"),
                TermChange::Removed => format!("`{field}` was removed after the contract was signed"),
            };
            let span = if change == TermChange::Removed {
                contract.span_of("/execution")
            } else {
                contract.span_of(&format!("/{field}"))
            };
            findings.push((
                Some(field),
                contract.source().diagnostic(rule::EXECUTED_TERMS_CHANGED, span, what).with_help(
                    "restore the signed value (`git log -p` on the file shows it), or change the terms through an amendment: \
                     `pactum execute` on the amendment records the amended terms; a field that may change after signing \
                     belongs in `[execution] operational` in pactum.toml",
                ),
            ));
        }
    }
    (!findings.is_empty()).then_some(ChangedTerms { now, findings })
}

/// The repository rules over every contract's entry.
#[must_use]
pub fn check(entries: &[Entry]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut by_id: HashMap<&str, Vec<&Entry>> = HashMap::new();
    for entry in entries {
        if let Some(id) = &entry.id {
            by_id.entry(&id.value).or_default().push(entry);
        }
    }
    for (id, holders) in &by_id {
        if holders.len() < 2 {
            continue;
        }
        for holder in holders {
            // A few names, then a count: 12,000 files sharing an id must not print each list.
            let named: Vec<&str> =
                holders.iter().filter(|h| h.path != holder.path).take(3).map(|h| h.path.as_str()).collect();
            let more = (holders.len() - 1).saturating_sub(named.len());
            let named = named.join(", ");
            let Some(at) = &holder.id.as_ref().expect("grouped by id").at else { continue };
            let mut diagnostic = (**at).clone();
            diagnostic.message = if more == 0 {
                format!("the id `{id}` is also used by {named}")
            } else {
                format!("the id `{id}` is also used by {named} and {more} more")
            };
            out.push(diagnostic.with_help("every contract needs its own id: other contracts, reminders and the approval ledger name contracts by id"));
        }
    }
    let known: HashSet<&str> = by_id.keys().copied().collect();
    for entry in entries {
        let own = entry.id.as_ref().map(|id| id.value.as_str());
        for (key, target) in &entry.links {
            let Some(at) = &target.at else { continue };
            if Some(target.value.as_str()) == own {
                let mut diagnostic = (**at).clone();
                diagnostic.code = rule::LINK_SELF.code;
                diagnostic.message = format!("`{key}` names this contract itself");
                out.push(diagnostic);
            } else if !known.contains(target.value.as_str()) {
                let mut diagnostic = (**at).clone();
                diagnostic.message =
                    format!("`{key}` names `{}`, but no contract in the repository has that id", target.value);
                let close = closest(&target.value, &known);
                out.push(match close {
                    Some(close) => diagnostic.with_help(format!("did you mean `{close}`?")),
                    None => diagnostic.with_help("name the id of an existing contract"),
                });
            }
        }
    }
    for entry in entries {
        let Some(changed) = &entry.changed_terms else { continue };
        let amendments = entry.amended(entries);
        // What the comparison with the version signed in history reports, it reports once.
        let history = entry.since_signing.as_ref().map(|s| &s.changes);
        let in_history = |field: &Option<String>| {
            history.is_some_and(|h| match field {
                Some(field) => h.fields.iter().any(|(f, _, _)| f == field),
                None => h.status.is_some(),
            })
        };
        // A field stands as an executed amendment recorded it; a status that left the executed
        // path no amendment answers for.
        let amended = |field: &str| {
            amendments.iter().any(|a| a.terms.as_ref().is_some_and(|terms| terms.get(field) == changed.now.get(field)))
        };
        out.extend(
            changed
                .findings
                .iter()
                .filter(|(field, _)| field.as_deref().is_none_or(|f| !amended(f)) && !in_history(field))
                .map(|(_, finding)| finding.clone()),
        );
    }
    for entry in entries {
        let Some(changed) = &entry.changed_body else { continue };
        if entry.since_signing.as_ref().is_some_and(|s| s.changes.body.is_some()) {
            continue;
        }
        let amended = entry.amended(entries).iter().any(|a| a.body.as_deref() == Some(changed.value.as_str()));
        if !amended {
            let Some(at) = &changed.at else { continue };
            let mut diagnostic = (**at).clone();
            "the body of this executed contract changed after it was signed".clone_into(&mut diagnostic.message);
            out.push(diagnostic.with_help("restore the signed text, or change it through an amendment: `pactum execute` on the amendment records the amended text"));
        }
    }
    for entry in entries {
        let Some(signed) = &entry.since_signing else { continue };
        // A path reused by another contract, whose own signed version is still held by its id.
        if signed.by_path && signed.id.as_ref().is_some_and(|id| known.contains(id.as_str())) {
            continue;
        }
        out.extend(since_signing_findings(signed, &entry.amended(entries)));
    }
    out.sort_by(|a, b| (&a.path, a.location.line).cmp(&(&b.path, b.location.line)));
    out
}

/// The findings on what a contract changed of its version signed in history, less what
/// executed amendments record.
fn since_signing_findings(signed: &Signed, amended: &[&Amended]) -> Vec<Diagnostic> {
    let amended: Vec<Amended> = amended.iter().map(|a| (*a).clone()).collect();
    let left = signed.changes.unexcused(&amended);
    let commit = &signed.commit;
    let mut out = Vec::new();
    if left.body.is_some() {
        let mut finding = signed.at_body.clone();
        finding.message = match signed.clauses.as_slice() {
            [] => format!("the body of this executed contract differs from the text signed in {commit}"),
            [one] => format!(
                "the body of this executed contract changed after it was signed: clause {one} differs from the text signed in {commit}"
            ),
            many => format!(
                "the body of this executed contract changed after it was signed: clauses {} differ from the text signed in {commit}",
                many.join(", ")
            ),
        };
        out.push(finding.with_help(
            "restore the signed text (`git show` on that commit has it), or change it through an amendment that is itself executed: `pactum execute` on the amendment records the amended text",
        ));
    }
    for (field, change, _) in &left.fields {
        let Some((_, value, at)) = signed.at_fields.iter().find(|(f, _, _)| f == field) else { continue };
        let mut finding = at.clone();
        finding.message = match change {
            TermChange::Changed => {
                format!("`{field}` changed after the contract was signed; signed in {commit} as {value}")
            }
            TermChange::Added => format!("`{field}` was added after the contract was signed in {commit}"),
            TermChange::Removed => {
                format!("`{field}` was removed after the contract was signed; signed in {commit} as {value}")
            }
        };
        out.push(finding.with_help(
            "restore the signed value, or change the terms through an amendment that is itself executed; a field that may change after signing belongs in `[execution] operational` in pactum.toml",
        ));
    }
    if let Some(status) = &left.status {
        let mut finding = signed.at_status.clone();
        finding.message = format!("this contract was executed in {commit}, and its status is now `{status}`");
        out.push(finding.with_help(
            "an executed contract stays `executed` until it is `terminated` or `superseded`: executing it again does not make its changed text signed",
        ));
    }
    if let Some(change) = left.seal {
        let mut finding = signed.at_seal.clone();
        finding.message = match change {
            SealChange::Removed => format!("the seal recorded when this contract was executed in {commit} was removed"),
            SealChange::Replaced => {
                format!("the seal differs from the one recorded when this contract was executed in {commit}")
            }
        };
        out.push(finding.with_help(
            "restore the `[execution]` record as it was signed: a seal is recorded once, when the contract is executed",
        ));
    }
    out
}

/// Contracts executed in history that are still in the working tree but no longer among the
/// files checked: the contracts folder moved away from them, or `[repository] exclude` names
/// them. `checked` holds the paths checked, `held` the ids found among them.
#[must_use]
pub(crate) fn not_checked(record: &SignedRecord, checked: &HashSet<&str>, held: &HashSet<&str>) -> Vec<Diagnostic> {
    record
        .versions
        .iter()
        .filter(|v| !checked.contains(v.path.as_str()))
        .filter(|v| v.id.as_deref().is_none_or(|id| !held.contains(id)))
        .filter(|v| record.is_present(v))
        .map(|v| {
            Diagnostic::file(
                rule::EXECUTED_NOT_CHECKED,
                &v.path,
                format!(
                    "this contract was executed in {}, and the settings now leave it out of the contracts checked",
                    v.commit
                ),
            )
            .with_help("an executed contract stays checked: undo the `[repository] contracts` or `exclude` setting that leaves it out, or move the file with the contracts")
        })
        .collect()
}

/// The known id nearest to `wanted` by edit distance, if it is near enough to be a typo.
fn closest<'a>(wanted: &str, known: &HashSet<&'a str>) -> Option<&'a str> {
    crate::text::nearest(wanted, known.iter().copied(), 2.max(wanted.len() / 5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_id_is_suggested_for_a_typo() {
        let known: HashSet<&str> = ["acme-msa", "acme-nda", "globex-msa"].into();
        assert_eq!(closest("acme-mas", &known), Some("acme-msa"));
        assert_eq!(closest("initech-sow", &known), None);
    }
}
