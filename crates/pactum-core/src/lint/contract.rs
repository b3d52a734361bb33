//! Drafting rules over one contract: clause numbering, clause ids, cross-references, defined
//! terms, placeholders, signatures, obligations and dates.

use rustc_hash::FxHashMap;

use crate::contract::clauses::number::Segment;
use crate::contract::clauses::{Form, Label, StructureIssue};
use crate::contract::prose::{Reference, title_chars, titles_match_loosely};
use crate::contract::{Clause, Contract, Status};
use crate::findings::Diagnostic;
use crate::findings::rule;
use crate::lifecycle::{Calendar, TermsError};

/// Every drafting rule over `contract`.
#[must_use]
pub fn check(contract: &Contract, calendar: &Calendar) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    structure(contract, &mut out);
    numbering(contract, &mut out);
    clause_ids(contract, &mut out);
    references(contract, &mut out);
    terms(contract, &mut out);
    misspelt_terms(contract, &mut out);
    placeholders(contract, &mut out);
    markup(contract, &mut out);
    if contract.front.is_some() {
        signatures(contract, &mut out);
        obligations(contract, &mut out);
        dates(contract, calendar, &mut out);
    }
    out
}

fn structure(contract: &Contract, out: &mut Vec<Diagnostic>) {
    for issue in &contract.body.issues {
        match issue {
            StructureIssue::TooDeep { at } => out.push(
                contract
                    .source()
                    .diagnostic(
                        rule::CLAUSE_TOO_DEEP,
                        *at..*at,
                        format!(
                            "clauses nest deeper than {} levels here; deeper items are read as text",
                            crate::contract::clauses::MAX_DEPTH
                        ),
                    )
                    .with_help("flatten the structure: a contract with this much nesting is hard to cite"),
            ),
        }
    }
}

/// The number a clause's sibling sequence should continue with.
fn expected_next(previous: &Clause) -> u32 {
    previous.label.ordinal() + 1
}

fn numbering(contract: &Contract, out: &mut Vec<Diagnostic>) {
    let clauses = &contract.body.clauses;
    let source = contract.source();
    let heading_span = |clause: &Clause| {
        clause.start
            ..clause
                .own_end
                .min(contract.lines.line_range(&contract.text, contract.lines.line_of(clause.start)).end)
                .max(clause.start)
    };
    let mut check_group = |siblings: &[usize]| {
        // Siblings of one kind form one sequence: a clause's lettered items and its numbered
        // sub-clauses are counted separately.
        let mut last_of_kind: Vec<&Clause> = Vec::new();
        for &index in siblings {
            let clause = &clauses[index];
            // A section named by its heading alone is in no sequence, nor is a clause inserted
            // between two (`1A` after `1`).
            let inserted = matches!(&clause.label, Label::Dotted(s) if matches!(s.last(), Some(Segment::Inserted(..))));
            if clause.label == Label::Unnumbered || inserted {
                continue;
            }
            let previous = last_of_kind.iter().rposition(|c| c.label.same_kind(&clause.label));
            let expected = previous.map_or(1, |p| expected_next(last_of_kind[p]));
            let ordinal = clause.label.ordinal();
            // A sequence may start at 0 (the GNU GPL's `0. Definitions.`).
            if previous.is_none() && ordinal == 0 {
                last_of_kind.push(clause);
                continue;
            }
            if let Label::Dotted(parts) = &clause.label
                && parts.len() > 1
                && clause.parent.is_none_or(
                    |p| !matches!(&clauses[p].label, Label::Dotted(pp) if pp[..] == parts[..parts.len() - 1]),
                )
            {
                let parent_number = crate::contract::clauses::number::dotted(&parts[..parts.len() - 1]);
                out.push(source.diagnostic(
                    rule::CLAUSE_NUMBERING_GAP,
                    heading_span(clause),
                    format!("clause {} has no clause {parent_number} above it", clause.number),
                ));
                last_of_kind.push(clause);
                continue;
            }
            if ordinal > expected {
                let missing = missing_numbers(clause, expected, ordinal);
                out.push(
                    source
                        .diagnostic(rule::CLAUSE_NUMBERING_GAP, heading_span(clause), format!("clause {} follows {}: {missing} is missing", clause.number, previous.map_or_else(|| "the start of its level".to_owned(), |p| format!("clause {}", last_of_kind[p].number))))
                        .with_help("renumber the clauses, and check that references to the renumbered ones still point where they should"),
                );
            } else if ordinal < expected {
                let earlier = previous.map(|p| last_of_kind[p]);
                let message = match earlier {
                    Some(earlier) if earlier.label.ordinal() == ordinal => format!(
                        "clause number {} appears twice (first on line {})",
                        clause.number,
                        contract.line(earlier.start)
                    ),
                    Some(earlier) => format!(
                        "clause {} comes after clause {}: numbering goes backwards",
                        clause.number, earlier.number
                    ),
                    None => format!("clause {} repeats a number", clause.number),
                };
                out.push(
                    source
                        .diagnostic(rule::CLAUSE_NUMBERING_REPEAT, heading_span(clause), message)
                        .with_help("renumber the clauses so that each number appears once, in order"),
                );
            }
            last_of_kind.push(clause);
        }
    };
    // Top-level clauses are counted per part of the document (an unnumbered heading such as
    // "Exhibit A" may restart numbering).
    let mut parts: Vec<Vec<usize>> = Vec::new();
    let mut current_part = usize::MAX;
    for &root in &contract.body.roots {
        if clauses[root].part != current_part {
            current_part = clauses[root].part;
            parts.push(Vec::new());
        }
        parts.last_mut().expect("pushed").push(root);
    }
    for part in &parts {
        check_group(part);
    }
    for clause in clauses {
        check_group(&clause.children);
    }
}

fn missing_numbers(clause: &Clause, expected: u32, found: u32) -> String {
    let prefix = match clause.number.rfind(['.', '(']) {
        Some(cut) if !matches!(clause.label, Label::Dotted(_)) => &clause.number[..cut],
        _ => "",
    };
    let name = |n: u32| match &clause.label {
        Label::Dotted(_) | Label::Letter(_) | Label::Roman(_) | Label::Upper(_) => {
            clause.label.cite_with_ordinal(n, prefix)
        }
        Label::Paren(_) => format!("item {n} of clause {prefix}"),
        Label::Unnumbered => String::new(),
    };
    if found == expected + 1 { name(expected) } else { format!("{} to {}", name(expected), name(found - 1)) }
}

fn clause_ids(contract: &Contract, out: &mut Vec<Diagnostic>) {
    let mut seen: FxHashMap<&str, &Clause> = FxHashMap::default();
    for clause in &contract.body.clauses {
        if let Some(first) = seen.get(clause.id.as_str()) {
            if clause.explicit_id {
                out.push(
                    contract
                        .source()
                        .diagnostic(
                            rule::CLAUSE_DUPLICATE_ID,
                            clause.start..clause.own_end.min(clause.start + 80),
                            format!(
                                "clause id `{}` is also the id of clause {} (line {})",
                                clause.id,
                                first.cite(),
                                contract.line(first.start)
                            ),
                        )
                        .with_help("give each clause a unique `{#id}`; links and obligations name clauses by id"),
                );
            }
        } else {
            seen.insert(&clause.id, clause);
        }
    }
}

fn references(contract: &Contract, out: &mut Vec<Diagnostic>) {
    let source = contract.source();
    let clauses = &contract.body.clauses;
    // Built once, and only for a contract with a reference that names no clause.
    let mut own: Option<OwnNumbering> = None;
    for reference in &contract.references {
        let Some(clause) = contract.resolve(reference) else {
            // A link to an unnumbered heading (`[Account Terms](#b-account-terms)`) or an HTML
            // `id` lands, though on no clause.
            if reference.by_id && contract.has_target(&reference.target) {
                continue;
            }
            // An error is a promise: where the reference may well be to something else, it is
            // a warning that says why.
            if let Some(why) = own.get_or_insert_with(|| OwnNumbering::of(contract)).doubt(&contract.text, reference) {
                out.push(
                    source
                        .diagnostic(
                            rule::REF_UNCERTAIN,
                            reference.span.clone(),
                            format!(
                                "`{}` names no clause of this document ({why}); it may cite another instrument",
                                reference.text
                            ),
                        )
                        .with_help(
                            "if it cites another instrument, name it (`Clause 13 of the SCCs`); if it is this \
                             document's, point it at an existing clause",
                        ),
                );
                continue;
            }
            let what = if reference.by_id {
                format!("no clause or heading has the anchor `{}`", reference.target)
            } else {
                format!("there is no clause {}", reference.target)
            };
            out.push(
                source
                    .diagnostic(
                        rule::REF_UNRESOLVED,
                        reference.span.clone(),
                        format!("`{}` refers to a clause that does not exist: {what}", reference.text),
                    )
                    .with_help("point the reference at an existing clause, or add the clause"),
            );
            continue;
        };
        let Some(title) = &reference.title else { continue };
        let titles = |c: &Clause| clause_titles(clauses, c);
        let elsewhere = match judge_title(clauses, clause, title) {
            Titled::Agrees => continue,
            Titled::Loose => {
                out.push(
                    source
                        .diagnostic(
                            rule::REF_TITLE_LOOSE,
                            reference.span.clone(),
                            format!(
                                "`{}` names \"{title}\", which is clause {}'s heading written another way: \"{}\"",
                                reference.text,
                                clause.cite(),
                                titles(clause).last().map_or("", String::as_str)
                            ),
                        )
                        .with_help("write the title as the heading is written, so that a search finds both"),
                );
                continue;
            }
            Titled::Unconfirmed(elsewhere) => {
                let heading = clause
                    .heading
                    .as_deref()
                    .map_or_else(|| "has no heading".to_owned(), |h| format!("is headed \"{h}\""));
                let why = match elsewhere {
                    Some(other) if other.start > clause.start => {
                        format!("it is the heading of clause {}, part of the clause cited", other.cite())
                    }
                    Some(other) => {
                        format!("it is the heading of clause {}, which holds the clause cited", other.cite())
                    }
                    None => "no clause has that heading".to_owned(),
                };
                out.push(
                    source
                        .diagnostic(
                            rule::REF_TITLE_UNCONFIRMED,
                            reference.span.clone(),
                            format!(
                                "`{}` names \"{title}\", but clause {} {heading}; {why}",
                                reference.text,
                                clause.cite()
                            ),
                        )
                        .with_help(
                            "check that the number and the title name the same clause, and write the title as its heading",
                        ),
                );
                continue;
            }
            Titled::Elsewhere(other) => other,
        };
        let heading =
            clause.heading.as_deref().map_or_else(|| "has no heading".to_owned(), |h| format!("is headed \"{h}\""));
        let help = format!(
            "the clause headed \"{}\" is {}: were the clauses renumbered?",
            elsewhere.heading.as_deref().unwrap_or_default(),
            elsewhere.cite()
        );
        out.push(
            source
                .diagnostic(
                    rule::REF_TITLE_MISMATCH,
                    reference.span.clone(),
                    format!("`{}` names \"{title}\", but clause {} {heading}", reference.text, clause.cite()),
                )
                .with_help(help),
        );
    }
}

/// How a reference's parenthetical title stands to the clause its number names.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Titled<'a> {
    /// The title is the clause's heading.
    Agrees,
    /// The title is the clause's heading written another way.
    Loose,
    /// The title is not the clause's heading, and names no other clause for certain: none, or
    /// one inside the clause cited or around it.
    Unconfirmed(Option<&'a Clause>),
    /// The title is exactly the heading of another clause, unrelated to the one cited: how a
    /// renumbering shows, and the clause the reference meant.
    Elsewhere(&'a Clause),
}

/// Judge a reference's `title` against the clause its number names.
pub(crate) fn judge_title<'a>(clauses: &'a [Clause], clause: &Clause, title: &str) -> Titled<'a> {
    let exact = |c: &Clause| names_exactly(clauses, c, title);
    if exact(clause) {
        return Titled::Agrees;
    }
    let elsewhere = clauses.iter().find(|c| exact(c));
    let loose = |c: &Clause| clause_titles(clauses, c).iter().any(|t| titles_match_loosely(t, title));
    if elsewhere.is_none() && loose(clause) {
        return Titled::Loose;
    }
    // Certain only where the title is exactly another clause's heading, and that clause is
    // not inside the one cited or around it (`Section 6 (Reservation of Rights)` naming its
    // own 6.3): that is how a renumbering shows. Otherwise the number may be right and the
    // title loose.
    match elsewhere {
        Some(other) if !related(clauses, clause, other) => Titled::Elsewhere(other),
        other => Titled::Unconfirmed(other),
    }
}

/// The clause whose heading a title names exactly, if exactly one clause's does.
pub(crate) fn named_by_title<'a>(clauses: &'a [Clause], title: &str) -> Option<&'a Clause> {
    let mut named = clauses.iter().filter(|c| names_exactly(clauses, c, title));
    let first = named.next()?;
    named.next().is_none().then_some(first)
}

/// Whether one clause is inside the other, or the same.
fn related(clauses: &[Clause], a: &Clause, b: &Clause) -> bool {
    let inside = |inner: &Clause, outer: &Clause| {
        let mut at = Some(inner);
        while let Some(clause) = at {
            if std::ptr::eq(clause, outer) {
                return true;
            }
            at = clause.parent.map(|p| &clauses[p]);
        }
        false
    };
    inside(a, b) || inside(b, a)
}

/// How a document numbers and names its own divisions, for telling a reference to it from a
/// citation of another instrument that names none.
struct OwnNumbering {
    /// The words the document uses for its own divisions where it says so (`this Section 6`,
    /// `Section 3.2 of this DPA`, a heading `Article IV`), lower case and singular.
    words: Vec<String>,
    /// The highest number of a top-level clause.
    last: u32,
}

impl OwnNumbering {
    fn of(contract: &Contract) -> Self {
        let mut words: Vec<String> = contract
            .references
            .iter()
            .filter(|r| !r.by_id && crate::contract::prose::cites_this(&contract.text, r))
            .filter_map(|r| division_word(&r.text))
            .collect();
        for clause in contract.body.clauses.iter().filter(|c| c.form == Form::Heading) {
            let line = contract.text[clause.start..clause.own_end].lines().next().unwrap_or_default();
            if let Some(word) = division_word(line.trim_start_matches('#').trim_start()) {
                words.push(word);
            }
        }
        words.sort_unstable();
        words.dedup();
        let last = contract
            .body
            .roots
            .iter()
            .filter_map(|&root| match &contract.body.clauses[root].label {
                Label::Dotted(segments) if segments.len() == 1 && matches!(segments[0], Segment::Number(_)) => {
                    Some(segments[0].ordinal())
                }
                _ => None,
            })
            .max()
            .unwrap_or(0);
        Self { words, last }
    }

    /// Why an unresolved reference may not be to this document, if there is a reason.
    fn doubt(&self, text: &str, reference: &Reference) -> Option<String> {
        if reference.by_id || crate::contract::prose::cites_this(text, reference) {
            return None;
        }
        if reference.range_end {
            return Some(format!(
                "`{}` closes a range, and a range may run past the last clause on purpose",
                reference.target
            ));
        }
        let top: u32 = reference.target.split(['.', '(']).next().and_then(|n| n.parse().ok()).unwrap_or(0);
        // Far beyond the last section (`Section 365(n)` in a contract of 17 sections): a statute's
        // or another instrument's number, not a clause that went missing.
        if self.last > 0 && top > 2 * self.last + 5 {
            return Some(format!("its sections end at {}", self.last));
        }
        let word = division_word(&reference.text)?;
        if !self.words.is_empty() && !self.words.contains(&word) {
            let own = self.words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" and ");
            return Some(format!("it calls its own divisions {own}, never \"{word}\""));
        }
        None
    }
}

/// The division word a reference or heading opens with, lower case and singular: `section`
/// for `Sections 1 and 3`, `§` for `§ 4`.
fn division_word(text: &str) -> Option<String> {
    if text.starts_with('§') {
        return Some("§".to_owned());
    }
    let word: String = text.chars().take_while(|c| c.is_alphabetic()).collect::<String>().to_lowercase();
    let singular = word.strip_suffix('s').unwrap_or(&word);
    matches!(singular, "section" | "clause" | "article").then(|| singular.to_owned())
}

/// Whether `title` is the clause's heading, ignoring case and punctuation, or its parent's
/// heading followed by its own.
fn names_exactly(clauses: &[Clause], clause: &Clause, title: &str) -> bool {
    let Some(heading) = clause.heading.as_deref() else { return false };
    if heading.eq_ignore_ascii_case(title) || title_chars(heading).eq(title_chars(title)) {
        return true;
    }
    clause.parent.and_then(|p| clauses[p].heading.as_deref()).is_some_and(|parent| {
        title_chars(parent).chain(std::iter::once(' ')).chain(title_chars(heading)).eq(title_chars(title))
    })
}

/// The titles a reference may give a clause: its heading, and its parent's heading followed by
/// its own (`Warranties From Supplier` for 6.3 "From Supplier" under 6 "Warranties").
fn clause_titles(clauses: &[Clause], clause: &Clause) -> Vec<String> {
    let Some(heading) = clause.heading.as_deref() else { return Vec::new() };
    let mut titles = vec![heading.to_owned()];
    if let Some(parent) = clause.parent.and_then(|p| clauses[p].heading.as_deref()) {
        titles.push(format!("{parent} {heading}"));
    }
    titles
}

/// A capitalised phrase in the prose that is a letter or two from a defined term and is no
/// term itself: `Confidental Information` for "Confidential Information". Said as a warning:
/// it may be a word of its own.
fn misspelt_terms(contract: &Contract, out: &mut Vec<Diagnostic>) {
    let source = contract.source();
    for found in contract.misspelt_terms() {
        let term = &contract.terms[found.term].term;
        let written = &contract.text[found.span.clone()];
        out.push(
            source
                .diagnostic(
                    rule::TERM_MISSPELT,
                    found.span.clone(),
                    format!("\"{written}\" is not defined; the defined term nearest it is \"{term}\""),
                )
                .with_help(format!("write \"{term}\" if that is meant; a phrase of its own that looks alike is better defined, or written in lower case")),
        );
    }
}

fn terms(contract: &Contract, out: &mut Vec<Diagnostic>) {
    let source = contract.source();
    for term in &contract.terms {
        for again in &term.redefined {
            out.push(
                source
                    .diagnostic(
                        rule::TERM_DUPLICATE,
                        again.clone(),
                        format!(
                            "\"{}\" is defined again here (first defined on line {})",
                            term.term,
                            contract.line(term.span.start)
                        ),
                    )
                    .with_help("keep one definition, or give the second meaning its own term"),
            );
        }
        if term.used.is_empty() {
            out.push(
                source
                    .diagnostic(
                        rule::TERM_UNUSED,
                        term.span.clone(),
                        format!("\"{}\" is defined but never used", term.term),
                    )
                    .with_help("remove the definition, or use the term where the contract means it"),
            );
        }
    }
}

fn placeholders(contract: &Contract, out: &mut Vec<Diagnostic>) {
    let status = contract.meta.status;
    let is_final = status.is_some_and(Status::is_final);
    for placeholder in &contract.placeholders {
        let mut diagnostic = contract
            .source()
            .diagnostic(
                rule::PLACEHOLDER_UNFILLED,
                placeholder.span.clone(),
                format!("`{}` is a placeholder left to fill in", placeholder.text),
            )
            .with_help(if is_final {
                "a contract that is approved or later must have every placeholder filled"
            } else {
                "fill it in before the contract is approved"
            });
        if is_final {
            diagnostic = diagnostic.with_severity(crate::findings::Severity::Error);
        }
        out.push(diagnostic);
    }
}

/// Raw HTML that can hide or restyle words, or run code: the rendered page would not show what
/// the text says. An error once the contract is approved, when the page is what gets signed.
fn markup(contract: &Contract, out: &mut Vec<Diagnostic>) {
    let is_final = contract.meta.status.is_some_and(Status::is_final);
    for span in &contract.body.html {
        let Some(why) = crate::text::html::not_inert(&contract.text[span.clone()]) else { continue };
        let mut diagnostic = contract
            .source()
            .diagnostic(rule::MARKUP_HIDES_TEXT, span.clone(), format!("this markup can change what the page shows: {why}"))
            .with_help("write the words as Markdown; `render` shows this markup as text, so the signing copy and the redline read the same");
        if is_final {
            diagnostic = diagnostic.with_severity(crate::findings::Severity::Error);
        }
        out.push(diagnostic);
    }
}

fn signatures(contract: &Contract, out: &mut Vec<Diagnostic>) {
    let meta = &contract.meta;
    let source = contract.source();
    for (index, signature) in meta.signatures.iter().enumerate() {
        if !meta.parties.iter().any(|p| p.name == signature.party) {
            let names: Vec<String> = meta.parties.iter().map(|p| format!("\"{}\"", p.name)).collect();
            out.push(
                source
                    .diagnostic(
                        rule::SIGNATURE_UNKNOWN_PARTY,
                        contract.span_of(&format!("/signatures/{index}/party")),
                        format!("the signature names \"{}\", which is not a party to this contract", signature.party),
                    )
                    .with_help(format!("a signature's `party` is one of the parties' names: {}", names.join(", "))),
            );
        }
    }
    if meta.status != Some(Status::Executed) {
        return;
    }
    for (index, party) in meta.parties.iter().enumerate() {
        if !meta.signatures.iter().any(|s| s.party == party.name) {
            out.push(
                source
                    .diagnostic(
                        rule::SIGNATURE_MISSING,
                        contract.span_of(&format!("/parties/{index}")),
                        format!("the contract is executed but has no signature for \"{}\"", party.name),
                    )
                    .with_help(format!(
                        "add a [[signatures]] table with party = \"{}\", name, title and date",
                        party.name
                    )),
            );
        }
    }
}

fn obligations(contract: &Contract, out: &mut Vec<Diagnostic>) {
    let clauses = &contract.body.clauses;
    for (index, obligation) in contract.meta.obligations.iter().enumerate() {
        let Some(clause) = &obligation.clause else { continue };
        if clauses.iter().any(|c| &c.id == clause || &c.number == clause) {
            continue;
        }
        out.push(
            contract
                .source()
                .diagnostic(
                    rule::OBLIGATION_UNKNOWN_CLAUSE,
                    contract.span_of(&format!("/obligations/{index}/clause")),
                    format!(
                        "obligation `{}` names clause `{clause}`, which this contract does not have",
                        obligation.id.as_deref().unwrap_or("?")
                    ),
                )
                .with_help("name a clause by its id or number, as `pactum inspect` lists them"),
        );
    }
}

const DATE_FIELDS: &[&str] = &["/effective_date", "/end_date", "/terminated_on"];

fn dates(contract: &Contract, calendar: &Calendar, out: &mut Vec<Diagnostic>) {
    let Some(front) = &contract.front else { return };
    let source = contract.source();
    let meta = &contract.meta;
    // A date in quotes is a string to TOML: the schema's pattern accepts its text, but pactum
    // wants real dates so that a typo such as "2025-02-30" cannot pass.
    let mut pointers: Vec<String> = DATE_FIELDS.iter().map(|p| (*p).to_owned()).collect();
    pointers.push("/renewal/notice_given".to_owned());
    pointers.extend((0..meta.signatures.len()).map(|i| format!("/signatures/{i}/date")));
    pointers.extend(
        (0..meta.obligations.len())
            .flat_map(|i| [format!("/obligations/{i}/due"), format!("/obligations/{i}/starting")]),
    );
    for pointer in &pointers {
        let Some(span) = front.spans.get(pointer) else { continue };
        if !span.datetime {
            out.push(
                source
                    .diagnostic(
                        rule::DATE_NOT_A_DATE,
                        span.value.clone(),
                        format!("`{}` is a string, not a date", crate::schema::field_name(pointer)),
                    )
                    .with_help("write dates as TOML dates, without quotes: effective_date = 2025-01-01"),
            );
        }
    }
    for (index, obligation) in meta.obligations.iter().enumerate() {
        if let Some(every) = &obligation.every
            && let Err(error) = every.parse::<crate::lifecycle::Duration>()
        {
            out.push(source.diagnostic(
                rule::DATE_INVALID_DURATION,
                contract.span_of(&format!("/obligations/{index}/every")),
                error.to_string(),
            ));
        }
    }
    let dates = match meta.dates() {
        Ok(Some(dates)) => dates,
        Ok(None) => return,
        Err((pointer, error)) => {
            out.push(source.diagnostic(rule::DATE_INVALID_DURATION, contract.span_of(pointer), error.to_string()));
            return;
        }
    };
    // `term = "0 days"` ends before it starts; `"99999999 months"` runs past the calendar.
    if let Some(term) = dates.term.filter(|_| meta.end_date.is_none()) {
        if term.count == 0 {
            out.push(
                source
                    .diagnostic(
                        rule::DATE_INVALID_DURATION,
                        contract.span_of("/term"),
                        format!("a term of {term} ends before it starts"),
                    )
                    .with_help("give the initial term's length, or `end_date`"),
            );
        } else if matches!(dates.initial_end(calendar), Err(TermsError::OutOfRange)) {
            out.push(
                source
                    .diagnostic(
                        rule::DATE_INVALID_DURATION,
                        contract.span_of("/term"),
                        format!("a term of {term} from {} runs past the end of the calendar", dates.effective),
                    )
                    .with_help("check the number: a term is counted in days, weeks, months or years"),
            );
        }
    }
    if let Some(end) = meta.end_date
        && end < dates.effective
    {
        out.push(source.diagnostic(
            rule::DATE_ORDER,
            contract.span_of("/end_date"),
            format!("the contract ends on {end}, before it takes effect on {}", dates.effective),
        ));
    }
    for (index, signature) in meta.signatures.iter().enumerate() {
        if let (Some(date), Some(end)) = (signature.date, meta.end_date)
            && date > end
        {
            out.push(source.diagnostic(
                rule::DATE_ORDER,
                contract.span_of(&format!("/signatures/{index}/date")),
                format!("signed on {date}, after the contract ended on {end}"),
            ));
        }
    }
    if let (Some(notice), Ok(Some(first))) = (dates.notice, dates.term(0, calendar))
        && let (Some(end), Some(deadline)) =
            (first.end, first.notice_deadline.or_else(|| notice.before(first.end?, &calendar.holidays)))
        && deadline < first.start
        && end >= first.start
    {
        out.push(
                    source
                        .diagnostic(rule::DATE_NOTICE_EXCEEDS_TERM, contract.span_of("/renewal/notice"), format!("a notice period of {notice} is longer than the initial term ({} to {end}): the notice deadline {deadline} falls before the term starts", first.start))
                        .with_help("shorten the notice period or check the term"),
                );
    }
    match dates.term(1, calendar) {
        Err(TermsError::MissingPeriod) => out.push(
            source
                .diagnostic(
                    rule::SCHEMA_REQUIRED,
                    contract.span_of("/renewal"),
                    "an auto-renewing contract needs `renewal.period`, the length of each renewal",
                )
                .with_help("add `period = \"12 months\"` (or the renewal length the contract states) to [renewal]"),
        ),
        Err(TermsError::ZeroPeriod) => out.push(source.diagnostic(
            rule::DATE_INVALID_DURATION,
            contract.span_of("/renewal/period"),
            "a renewal period of zero length never ends",
        )),
        _ => {}
    }
}
