//! The playbook check: clauses drafted from the clause library, compared with the library.

use crate::contract::Contract;
use crate::contract::clauses::clause_text;
use crate::findings::Diagnostic;
use crate::findings::rule;
use crate::template::Library;

/// Compare each clause the contract took from the library with the library's text at the
/// recorded version, and say when the library has a newer one.
#[must_use]
pub fn check(contract: &Contract, library: &Library) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let source = contract.source();
    for (index, (id, version)) in contract.meta.library.iter().enumerate() {
        let at = contract.span_of(&format!("/library/{index}"));
        let Some(clause) = contract.body.clauses.iter().find(|c| &c.id == id) else {
            out.push(source.diagnostic(
                rule::CLAUSE_LIBRARY_MISSING,
                at,
                format!("the contract records library clause `{id}`, but has no clause with that id"),
            ));
            continue;
        };
        let Some(recorded) = library.version(id, version) else {
            out.push(
                source
                    .diagnostic(
                        rule::CLAUSE_LIBRARY_MISSING,
                        at,
                        format!("the library has no version {version} of clause `{id}` to compare with"),
                    )
                    .with_help(format!("keep earlier versions as clauses/{id}@{version}.md")),
            );
            continue;
        };
        // The library's words as they read in this contract: its values in the clause's `{{ }}`.
        let front = contract.front.as_ref().map_or(serde_json::Value::Null, |front| front.value.clone());
        let rendered =
            crate::template::clause_for(id, &recorded.text, &front).unwrap_or_else(|_| recorded.text.clone());
        let library_text = library_words(&rendered);
        let contract_text = clause_text(&contract.text, clause);
        if library_text != contract_text {
            let (segments, inserted, deleted) = crate::diff::redline(&library_text, &contract_text);
            let show = |keep: fn(&crate::diff::Segment) -> Option<&String>| {
                segments.iter().filter_map(keep).map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
            };
            let added = show(|s| if let crate::diff::Segment::Insert(t) = s { Some(t) } else { None });
            let removed = show(|s| if let crate::diff::Segment::Delete(t) = s { Some(t) } else { None });
            let mut what = Vec::new();
            if !removed.is_empty() {
                what.push(format!("deleted {removed}"));
            }
            if !added.is_empty() {
                what.push(format!("inserted {added}"));
            }
            out.push(
                source
                    .diagnostic(
                        rule::CLAUSE_DEVIATES_FROM_LIBRARY,
                        clause.start..clause.own_end.min(clause.start + 80),
                        format!(
                            "clause {} deviates from library clause `{id}` version {version} ({} inserted, {deleted} deleted): {}",
                            clause.number,
                            crate::text::count(inserted, "word"),
                            what.join("; ")
                        ),
                    )
                    .with_help("a deviation from the playbook needs legal's eye; restore the library's wording or keep the change deliberately"),
            );
        }
        if let Some(current) = library.current(id).filter(|c| &c.version != version) {
            out.push(source.diagnostic(
                rule::CLAUSE_LIBRARY_OUTDATED,
                at,
                format!("library clause `{id}` has a newer version {} (the contract has {version})", current.version),
            ));
        }
    }
    out
}

/// A library clause's words as `clause_text` reads a contract's clause: without `{#id}`, its
/// leading number if any, or emphasis.
fn library_words(text: &str) -> String {
    let body = crate::contract::clauses::read(text, 0);
    match body.clauses.first() {
        Some(first) if first.start == 0 || text[..first.start].trim().is_empty() => {
            // The library text is the clause itself: read it as one.
            let whole = crate::contract::clauses::Clause { own_end: text.len(), ..first.clone() };
            clause_text(text, &whole)
        }
        _ => {
            let plain = crate::contract::clauses::Clause {
                number: String::new(),
                local_number: String::new(),
                id: String::new(),
                explicit_id: false,
                heading: None,
                label: crate::contract::clauses::Label::Dotted(Vec::new()),
                form: crate::contract::clauses::Form::Paragraph,
                start: 0,
                own_end: text.len(),
                end: text.len(),
                parent: None,
                children: Vec::new(),
                part: 0,
            };
            clause_text(text, &plain)
        }
    }
}
