//! Rules over the whole repository: unique ids and links between contracts.
//!
//! Checking runs over thousands of files in parallel and keeps none of them in memory; each
//! file leaves an [`Entry`] with the few facts these rules need, and where to point.

use std::collections::{HashMap, HashSet};

use std::collections::BTreeMap;

use crate::contract::Contract;
use crate::contract::seal::{self, TermChange};
use crate::findings::Diagnostic;
use crate::findings::rule;

/// A value from a contract's front matter and a finding already pointed at it, to be sent with
/// its message filled in if the rule fails.
#[derive(Debug, Clone)]
pub struct Located {
    pub value: String,
    pub at: Diagnostic,
}

/// What the repository rules need from one contract.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: String,
    pub id: Option<Located>,
    /// `amends`, `supersedes`, `parent`: the key and the id it names.
    pub links: Vec<(&'static str, Located)>,
    /// For an executed contract whose body no longer hashes as signed: the body's hash now,
    /// and a finding pointed at the stored hash.
    pub changed_body: Option<Located>,
    /// On an amendment: the contract it amends and that contract's body hash as amended.
    pub amends_body: Option<(String, String)>,
    /// For an executed contract whose agreed terms no longer read as signed: the fields'
    /// digests now, and a finding pointed at each field that differs.
    pub changed_terms: Option<ChangedTerms>,
    /// On an amendment: the contract it amends and that contract's terms as amended.
    pub amends_terms: Option<(String, BTreeMap<String, String>)>,
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
    #[must_use]
    pub fn of(contract: &Contract, operational: &[String]) -> Self {
        let locate = |code: &'static crate::findings::Rule, pointer: &str, value: &Option<String>| {
            value.as_ref().map(|value| Located {
                value: value.clone(),
                at: contract.source().diagnostic(code, contract.span_of(pointer), String::new()),
            })
        };
        let meta = &contract.meta;
        let links = [("amends", &meta.amends), ("supersedes", &meta.supersedes), ("parent", &meta.parent)]
            .into_iter()
            .filter_map(|(key, value)| Some((key, locate(rule::LINK_UNKNOWN_CONTRACT, &format!("/{key}"), value)?)))
            .collect();
        let body = contract.layout.as_ref().map_or(contract.text.as_str(), |l| &contract.text[l.body..]);
        let changed_body = meta.body_sha256.as_ref().and_then(|stored| {
            let now = crate::contract::seal::body_hash(body);
            (&now != stored)
                .then(|| locate(rule::EXECUTED_BODY_CHANGED, "/execution/body_sha256", &Some(now)))
                .flatten()
        });
        let amends_body = meta.amends.clone().zip(meta.amends_body_sha256.clone());
        Self {
            path: contract.path.clone(),
            id: locate(rule::ID_DUPLICATE, "/id", &meta.id),
            links,
            changed_body,
            amends_body,
            changed_terms: changed_terms(contract, operational),
            amends_terms: meta.amends.clone().zip(meta.amends_terms.clone()),
        }
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
            let mut diagnostic = holder.id.as_ref().expect("grouped by id").at.clone();
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
            if Some(target.value.as_str()) == own {
                let mut diagnostic = target.at.clone();
                diagnostic.code = rule::LINK_SELF.code;
                diagnostic.message = format!("`{key}` names this contract itself");
                out.push(diagnostic);
            } else if !known.contains(target.value.as_str()) {
                let mut diagnostic = target.at.clone();
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
        let id = entry.id.as_ref().map(|i| i.value.as_str());
        let amendments: Vec<&BTreeMap<String, String>> = entries
            .iter()
            .filter_map(|other| other.amends_terms.as_ref())
            .filter(|(target, _)| Some(target.as_str()) == id)
            .map(|(_, terms)| terms)
            .collect();
        // A field stands as an executed amendment recorded it; a status that left the executed
        // path no amendment answers for.
        let amended = |field: &str| amendments.iter().any(|terms| terms.get(field) == changed.now.get(field));
        out.extend(
            changed
                .findings
                .iter()
                .filter(|(field, _)| field.as_deref().is_none_or(|f| !amended(f)))
                .map(|(_, finding)| finding.clone()),
        );
    }
    for entry in entries {
        let Some(changed) = &entry.changed_body else { continue };
        let id = entry.id.as_ref().map(|i| i.value.as_str());
        let amended = entries.iter().any(|other| {
            other
                .amends_body
                .as_ref()
                .is_some_and(|(target, hash)| Some(target.as_str()) == id && *hash == changed.value)
        });
        if !amended {
            let mut diagnostic = changed.at.clone();
            "the body of this executed contract changed after it was signed".clone_into(&mut diagnostic.message);
            out.push(diagnostic.with_help("restore the signed text, or change it through an amendment: `pactum execute` on the amendment records the amended text"));
        }
    }
    out.sort_by(|a, b| (&a.path, a.location.line).cmp(&(&b.path, b.location.line)));
    out
}

/// The known id nearest to `wanted` by edit distance, if it is near enough to be a typo.
fn closest<'a>(wanted: &str, known: &HashSet<&'a str>) -> Option<&'a str> {
    known
        .iter()
        .map(|candidate| (strsim::levenshtein(wanted, candidate), *candidate))
        .filter(|(distance, _)| *distance <= 2.max(wanted.len() / 5))
        .min()
        .map(|(_, candidate)| candidate)
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
