//! The one fix of a finding that has one, and the references to update after clauses were
//! renumbered.
//!
//! A finding has one fix where the check itself says what was meant: a reference whose title is
//! exactly another clause's heading meant that clause (its number is stale); a title that is the
//! heading written another way is the heading; a field name one or two letters from a field of
//! the schema is that field. Where the check is unsure (`ref/title-unconfirmed`), there is no fix
//! to offer, only the finding.

use std::collections::HashMap;
use std::ops::Range;

use crate::contract::clauses::Label;
use crate::contract::{Clause, Contract, Reference};
use crate::findings::rule;
use crate::lint::contract::{Titled, judge_title, named_by_title};
use crate::schema::SchemaSet;

use super::{Edit, RenameError, first_line, schema_path};

/// A change that fixes a finding, or that an edit makes due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The rule of the finding it fixes; none for an offer no finding asks for.
    pub code: Option<&'static str>,
    /// Where it is offered: the finding's span, or the places it changes.
    pub at: Vec<Range<usize>>,
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Whether `text[at]` can start or end a clause number: no letter, digit or dot around it.
fn bounded(text: &str, span: &Range<usize>) -> bool {
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    let joined =
        |c: char| c.is_alphanumeric() || c == '.' && text[span.end..].chars().nth(1).is_some_and(char::is_alphanumeric);
    !before.is_some_and(|c| c.is_alphanumeric() || c == '.') && !after.is_some_and(joined)
}

/// Where `number` is written inside `span` of the contract's text: the first place it stands
/// alone.
pub(crate) fn number_in(text: &str, span: Range<usize>, number: &str) -> Option<Range<usize>> {
    if number.is_empty() {
        return None;
    }
    let inside = &text[span.clone()];
    inside
        .match_indices(number)
        .map(|(at, _)| span.start + at..span.start + at + number.len())
        .find(|found| bounded(text, found))
}

/// Where a clause's own number is written on its first line, for a clause numbered with
/// digits and dots (`7.2`); none for a list item Markdown numbers itself, or a lettered one.
pub(crate) fn written_number(contract: &Contract, clause: &Clause) -> Option<Range<usize>> {
    if !matches!(clause.label, Label::Dotted(_)) {
        return None;
    }
    number_in(&contract.text, first_line(contract, clause), clause.local_number())
}

/// Whether `number` reads as a clause number of digits, letters and dots.
fn is_number(number: &str) -> bool {
    !number.is_empty()
        && number.split('.').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The clause and every clause under it.
fn subtree(clauses: &[Clause], at: usize, out: &mut Vec<usize>) {
    out.push(at);
    // Children always follow their parent, so this ends.
    for &child in &clauses[at].children {
        subtree(clauses, child, out);
    }
}

/// The edits that renumber `clause` to `new`: its number, the numbers written under it that
/// start with its own, and every reference to it or a clause under it.
pub(crate) fn renumber(contract: &Contract, clause: &Clause, new: &str) -> Result<Vec<super::Edit>, RenameError> {
    let old = clause.local_number().to_owned();
    if written_number(contract, clause).is_none() {
        return Err(RenameError::Nothing);
    }
    if !is_number(new) {
        return Err(RenameError::BadNumber);
    }
    let clauses = &contract.body.clauses;
    if new != old && clauses.iter().any(|c| c.part == clause.part && c.local_number() == new) {
        return Err(RenameError::NumberTaken(new.to_owned()));
    }
    let at = clauses.iter().position(|c| std::ptr::eq(c, clause)).ok_or(RenameError::Nothing)?;
    let mut under = Vec::new();
    subtree(clauses, at, &mut under);
    let moved = |number: &str| {
        number == old
            || number.strip_prefix(old.as_str()).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('('))
    };
    let mut edits = Vec::new();
    for &index in &under {
        let inner = &clauses[index];
        if moved(inner.local_number())
            && let Some(span) = written_number(contract, inner)
        {
            edits.push(Edit { span: span.start..span.start + old.len(), text: new.to_owned() });
        }
    }
    for reference in &contract.references {
        let Some(target) = contract.resolve(reference) else { continue };
        let names_under = under.iter().any(|&index| std::ptr::eq(&raw const clauses[index], target));
        if names_under
            && moved(&reference.target)
            && let Some(span) = number_in(&contract.text, reference.span.clone(), &reference.target)
        {
            edits.push(Edit { span: span.start..span.start + old.len(), text: new.to_owned() });
        }
    }
    edits.sort_by_key(|edit| edit.span.start);
    edits.dedup();
    Ok(edits)
}

/// The number a reference at `reference` would write for `clause`: its number within the
/// reference's part of the document, or its whole number where that cites it alone.
fn cited_number(contract: &Contract, reference: &Reference, clause: &Clause) -> Option<String> {
    let part = contract.body.part_at(reference.span.start);
    let number = if clause.part == part { clause.local_number() } else { clause.number.as_str() };
    (!number.is_empty() && !number.contains('›')).then(|| number.to_owned())
}

/// The edit that makes `reference` cite `clause` by number instead of its target.
fn point_at(contract: &Contract, reference: &Reference, clause: &Clause) -> Option<Edit> {
    let number = cited_number(contract, reference, clause)?;
    let span = number_in(&contract.text, reference.span.clone(), &reference.target)?;
    Some(Edit { span, text: number })
}

/// Where the title of a reference is written: the text inside its last parentheses.
fn title_span(contract: &Contract, reference: &Reference, title: &str) -> Option<Range<usize>> {
    let inside = &contract.text[reference.span.clone()];
    let at = inside.rfind(title)?;
    Some(reference.span.start + at..reference.span.start + at + title.len())
}

/// The fixes of the findings in `contract` that have exactly one.
#[must_use]
pub fn fixes(contract: &Contract, schemas: &SchemaSet) -> Vec<Fix> {
    let mut out = Vec::new();
    let clauses = &contract.body.clauses;
    for reference in contract.references.iter().filter(|r| !r.by_id) {
        let Some(title) = &reference.title else { continue };
        let fix = match contract.resolve(reference) {
            Some(clause) => match judge_title(clauses, clause, title) {
                Titled::Elsewhere(meant) => point_at(contract, reference, meant)
                    .map(|edit| (rule::REF_TITLE_MISMATCH, format!("Cite clause {} ({title})", edit.text), edit)),
                Titled::Loose => clause.heading.as_ref().and_then(|heading| {
                    let span = title_span(contract, reference, title)?;
                    Some((
                        rule::REF_TITLE_LOOSE,
                        format!("Write the title as the heading: \"{heading}\""),
                        Edit { span, text: heading.clone() },
                    ))
                }),
                Titled::Agrees | Titled::Unconfirmed(_) => None,
            },
            None => named_by_title(clauses, title).and_then(|meant| {
                point_at(contract, reference, meant)
                    .map(|edit| (rule::REF_UNRESOLVED, format!("Cite clause {} ({title})", edit.text), edit))
            }),
        };
        if let Some((rule, title, edit)) = fix {
            out.push(Fix { code: Some(rule.code), at: vec![reference.span.clone()], title, edits: vec![edit] });
        }
    }
    out.extend(misspelt_fields(contract, schemas));
    out.extend(misspelt_terms(contract));
    out
}

/// A phrase a letter from a defined term: the term, keeping a plural or possessive ending the
/// phrase has and the term lacks (`Affiiates` → `Affiliates`).
fn misspelt_terms(contract: &Contract) -> Vec<Fix> {
    contract
        .misspelt_terms()
        .into_iter()
        .map(|found| {
            let term = contract.terms[found.term].term.as_str();
            let written = &contract.text[found.span.clone()];
            let ending = ["’s", "'s", "s"].into_iter().find(|ending| {
                written.strip_suffix(ending).is_some_and(|bare| {
                    !term.ends_with(ending) && strsim::osa_distance(term, bare) < strsim::osa_distance(term, written)
                })
            });
            let text = format!("{term}{}", ending.unwrap_or_default());
            Fix {
                code: Some(rule::TERM_MISSPELT.code),
                at: vec![found.span.clone()],
                title: format!("Write the defined term: \"{text}\""),
                edits: vec![Edit { span: found.span, text }],
            }
        })
        .collect()
}

/// A field name one or two letters from a field of the schema: the field the finding's help
/// names (`text::nearest`).
fn misspelt_fields(contract: &Contract, schemas: &SchemaSet) -> Vec<Fix> {
    let Some(front) = &contract.front else { return Vec::new() };
    let kind = contract.meta.kind.as_deref();
    let mut known: HashMap<Vec<&str>, Vec<String>> = HashMap::new();
    let mut out = Vec::new();
    for (pointer, span) in front.spans.iter() {
        let Some(key) = span.key.clone() else { continue };
        let path = schema_path(pointer);
        let Some((name, parent)) = path.split_last() else { continue };
        let fields = known
            .entry(parent.to_vec())
            .or_insert_with(|| schemas.fields(kind, parent).into_iter().map(|(name, _)| name).collect());
        if fields.is_empty() || fields.iter().any(|field| field == name) {
            continue;
        }
        // The field the finding's help names.
        let Some(field) = crate::text::nearest(name, fields.iter().map(String::as_str), crate::schema::MISSPELT_KEY)
        else {
            continue;
        };
        let code = if parent.is_empty() { rule::FRONTMATTER_UNDECLARED_KEY } else { rule::SCHEMA_UNKNOWN_KEY };
        out.push(Fix {
            code: Some(code.code),
            at: vec![key.clone()],
            title: format!("Rename `{name}` to `{field}`"),
            edits: vec![Edit { span: key, text: field.to_owned() }],
        });
    }
    out.sort_by_key(|fix| fix.at[0].start);
    out
}

/// What identifies a clause across two versions of a contract: its heading, else its own text
/// after its number, with spaces normalised.
fn identity(contract: &Contract, clause: &Clause) -> Option<String> {
    if let Some(heading) = &clause.heading {
        return Some(heading.to_lowercase());
    }
    let own = &contract.text[clause.start..clause.own_end.max(clause.start)];
    let after = own.trim_start().strip_prefix(clause.local_number()).unwrap_or(own);
    let words: Vec<&str> = after.split_whitespace().take(40).collect();
    (words.len() >= 3).then(|| words.join(" "))
}

/// The clauses of `contract` by identity, for those whose identity is unique.
fn by_identity(contract: &Contract) -> HashMap<String, &Clause> {
    let mut seen: HashMap<String, Option<&Clause>> = HashMap::new();
    for clause in contract.body.clauses.iter().filter(|c| matches!(c.label, Label::Dotted(_))) {
        if let Some(key) = identity(contract, clause) {
            seen.entry(key).and_modify(|found| *found = None).or_insert(Some(clause));
        }
    }
    seen.into_iter().filter_map(|(key, clause)| Some((key, clause?))).collect()
}

/// After an edit renumbered clauses (`before` is the contract as it was, `after` as it is), the
/// one change that points the references still citing an old number at the clause's new one:
/// each reference whose number was a moved clause's, and now names no clause or a different
/// one. None when nothing was renumbered or every reference follows already.
#[must_use]
pub fn renumbered(before: &Contract, after: &Contract) -> Option<Fix> {
    let old = by_identity(before);
    let new = by_identity(after);
    // Old number → new number, for the clauses that kept their identity and changed number.
    let mut moves: Vec<(String, String, String)> = Vec::new();
    for (key, was) in &old {
        let Some(now) = new.get(key) else { continue };
        if was.local_number() != now.local_number() && was.part == now.part {
            moves.push((was.local_number().to_owned(), now.local_number().to_owned(), key.clone()));
        }
    }
    if moves.is_empty() {
        return None;
    }
    let mut edits = Vec::new();
    let mut at = Vec::new();
    for reference in after.references.iter().filter(|r| !r.by_id) {
        // The longest old number the target starts with: `7.2(a)` moves with `7.2`.
        let Some((from, to, key)) = moves
            .iter()
            .filter(|(from, _, _)| {
                reference.target == *from
                    || reference
                        .target
                        .strip_prefix(from.as_str())
                        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('('))
            })
            .max_by_key(|(from, _, _)| from.len())
        else {
            continue;
        };
        // Still right when it names the clause it named before.
        let named = after.resolve(reference).and_then(|clause| identity(after, clause));
        if named.as_deref() == Some(key.as_str()) {
            continue;
        }
        if let Some(span) = number_in(&after.text, reference.span.clone(), &reference.target) {
            edits.push(Edit { span: span.start..span.start + from.len(), text: to.clone() });
            at.push(reference.span.clone());
        }
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|edit| edit.span.start);
    edits.dedup();
    // Offered on each moved clause's heading too.
    for (_, _, key) in &moves {
        if let Some(clause) = new.get(key) {
            at.push(first_line(after, clause));
        }
    }
    let count = edits.len();
    Some(Fix {
        code: None,
        at,
        title: format!(
            "Update {} to renumbered clauses",
            if count == 1 { "1 reference".to_owned() } else { format!("{count} references") }
        ),
        edits,
    })
}
