//! What an editor asks of a contract while it is drafted: the outline, what the word under the
//! cursor is (a defined term, a cross-reference, a clause, a front-matter field), where it is
//! defined and used, how to rename it, what to complete, and the one fix of a finding that has
//! one.
//!
//! Everything here works on a [`Contract`] as read, in byte offsets of its text; the language
//! server turns them into the editor's lines and columns. Nothing here reads the disk.

mod complete;
mod fixes;

use std::ops::Range;

use chrono::NaiveDate;

use crate::contract::{Clause, Contract, Reference, Term};
use crate::repo::Settings;
use crate::schema::SchemaSet;

pub use complete::{Completion, CompletionKind, completions, template_completions};
pub use fixes::{Fix, fixes, renumbered};

/// A replacement of the text at `span`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Range<usize>,
    pub text: String,
}

/// What a symbol of the outline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// The `+++` front matter.
    FrontMatter,
    /// A part of the body under an unnumbered heading (`## Exhibit A`).
    Part,
    Clause,
}

/// One entry of the outline: the clause tree, under the parts of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// All of it.
    pub span: Range<usize>,
    /// What to select when it is chosen: the clause's first line.
    pub selection: Range<usize>,
    pub children: Vec<Symbol>,
}

/// What stands at a place in the contract.
#[derive(Debug, Clone)]
pub enum Target<'a> {
    /// A defined term, at its definition or at one of its uses (`span` is the word).
    Term { term: &'a Term, span: Range<usize> },
    /// A cross-reference to a clause of this contract.
    Reference(&'a Reference),
    /// A clause's own number or heading, on its first line.
    Clause(&'a Clause),
    /// A front-matter field: its JSON pointer (`/renewal/notice`).
    Field { pointer: &'a str, span: Range<usize> },
}

/// The first line of a clause: its number and heading.
fn first_line(contract: &Contract, clause: &Clause) -> Range<usize> {
    let text = &contract.text[clause.start..clause.own_end.max(clause.start)];
    let end = text.find('\n').unwrap_or(text.len());
    clause.start..clause.start + text[..end].trim_end().len()
}

/// What stands at byte `at` (or just before it, where the cursor ends a word).
#[must_use]
pub fn target_at(contract: &Contract, at: usize) -> Option<Target<'_>> {
    let inside = |span: &Range<usize>| span.start <= at && at <= span.end;
    // A reference's title may hold a defined term (`Section 1.7 (Customer Content)`): the
    // reference, title and all, names the clause.
    // The innermost: a reference written inside a link's text is what the cursor is on.
    // Of a text that cites several (`Sections 16.2 or 16.3`), the one whose number is there.
    let innermost = contract.references.iter().filter(|r| inside(&r.span)).map(|r| r.span.len()).min();
    let reference = innermost.and_then(|len| {
        let here = || contract.references.iter().filter(move |r| inside(&r.span) && r.span.len() == len);
        here()
            .find(|r| fixes::number_in(&contract.text, r.span.clone(), &r.target).is_some_and(|n| inside(&n)))
            .or_else(|| here().next())
    });
    if let Some(reference) = reference {
        return Some(Target::Reference(reference));
    }
    for term in &contract.terms {
        let spans = std::iter::once(&term.span).chain(&term.redefined).chain(&term.used);
        if let Some(span) = spans.into_iter().find(|span| inside(span)) {
            return Some(Target::Term { term, span: span.clone() });
        }
    }
    if let Some(front) = &contract.front
        && contract.layout.as_ref().is_some_and(|layout| layout.toml.contains(&at))
        && let Some((pointer, span)) = front.spans.at(at)
    {
        return Some(Target::Field { pointer, span });
    }
    // The innermost clause whose first line holds `at`.
    contract.body.clauses.iter().rev().find(|clause| inside(&first_line(contract, clause))).map(Target::Clause)
}

/// The outline: the front matter, then the clauses as a tree, under the parts they stand in
/// (the reader opens the first part, untitled, where the body starts).
#[must_use]
pub fn symbols(contract: &Contract) -> Vec<Symbol> {
    let mut out = Vec::new();
    if let Some(layout) = &contract.layout {
        let title = contract.meta.title.clone().or_else(|| contract.meta.id.clone());
        out.push(Symbol {
            name: "Front matter".to_owned(),
            detail: title,
            kind: SymbolKind::FrontMatter,
            span: 0..layout.body.min(contract.text.len()),
            selection: 0..contract.text.find('\n').unwrap_or(0),
            children: Vec::new(),
        });
    }
    let clauses = &contract.body.clauses;
    let tree = |at: usize| clause_symbol(contract, clauses, at, 0);
    let parts = &contract.body.parts;
    for (index, part) in parts.iter().enumerate() {
        let roots: Vec<Symbol> =
            contract.body.roots.iter().filter(|&&at| clauses[at].part == index).map(|&at| tree(at)).collect();
        match &part.title {
            Some(title) => {
                let end = parts.get(index + 1).map_or(contract.text.len(), |next| next.start);
                let line_end = contract.text[part.start..].find('\n').map_or(contract.text.len(), |e| part.start + e);
                out.push(Symbol {
                    name: title.rsplit(" › ").next().unwrap_or(title).to_owned(),
                    detail: None,
                    kind: SymbolKind::Part,
                    span: part.start..end.max(part.start),
                    selection: part.start..line_end,
                    children: roots,
                });
            }
            None => out.extend(roots),
        }
    }
    out
}

fn clause_symbol(contract: &Contract, clauses: &[Clause], at: usize, depth: usize) -> Symbol {
    let clause = &clauses[at];
    let number = clause.local_number();
    let name = match (&clause.heading, number.is_empty()) {
        (Some(heading), false) => format!("{number} {heading}"),
        (Some(heading), true) => heading.clone(),
        (None, _) => number.to_owned(),
    };
    // The tree is at most `MAX_DEPTH` deep; the bound keeps this recursion safe regardless.
    let children = if depth < crate::contract::clauses::MAX_DEPTH {
        clause.children.iter().map(|&child| clause_symbol(contract, clauses, child, depth + 1)).collect()
    } else {
        Vec::new()
    };
    Symbol {
        name: if name.is_empty() { "(clause)".to_owned() } else { name },
        detail: None,
        kind: SymbolKind::Clause,
        span: clause.span(),
        selection: first_line(contract, clause),
        children,
    }
}

/// The most of a clause or definition a hover quotes, in bytes.
const QUOTED: usize = 700;

/// `text`, cut at a character boundary near `QUOTED` bytes, as a Markdown block quote.
fn quote(text: &str) -> String {
    let text = text.trim();
    let cut = crate::text::floor_char_boundary(text, QUOTED.min(text.len()));
    let mut quoted = String::new();
    for line in text[..cut].lines() {
        quoted.push_str("> ");
        quoted.push_str(line);
        quoted.push('\n');
    }
    if cut < text.len() {
        quoted.push_str("> …\n");
    }
    quoted
}

/// The prose (paragraph, heading, cell) around byte `at`.
fn prose_around(contract: &Contract, at: usize) -> &str {
    contract.body.prose.iter().find(|range| range.contains(&at)).map_or("", |range| &contract.text[range.clone()])
}

/// What an editor needs besides the contract: the schemas and the dates' settings.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub schemas: &'a SchemaSet,
    pub settings: &'a Settings,
    pub today: NaiveDate,
}

/// A hover: the span it is about and what to show, in Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub span: Range<usize>,
    pub markdown: String,
}

/// What to show of what stands at `at`: a term's definition, the clause a reference names, a
/// field's description (and, for a date, the deadlines it yields).
#[must_use]
pub fn hover(contract: &Contract, at: usize, context: &Context<'_>) -> Option<Hover> {
    match target_at(contract, at)? {
        Target::Term { term, span } => {
            let line = contract.line(term.span.start);
            let uses = crate::text::count(term.uses(), "use");
            let mut markdown = format!("**\"{}\"**, defined on line {line} ({uses})\n\n", term.term);
            markdown.push_str(&quote(prose_around(contract, term.span.start)));
            Some(Hover { span, markdown })
        }
        Target::Reference(reference) => {
            let markdown = match contract.resolve(reference) {
                Some(clause) => clause_card(contract, clause),
                None => format!("`{}` names no clause of this contract", reference.target),
            };
            Some(Hover { span: reference.span.clone(), markdown })
        }
        Target::Clause(clause) => {
            let cited = references_to(contract, clause).len();
            let markdown = format!(
                "Clause **{}**{}: referred to {}",
                clause.cite(),
                clause.heading.as_deref().map(|h| format!(" ({h})")).unwrap_or_default(),
                match cited {
                    0 => "nowhere in this contract".to_owned(),
                    1 => "once in this contract".to_owned(),
                    n => format!("{n} times in this contract"),
                }
            );
            Some(Hover { span: first_line(contract, clause), markdown })
        }
        Target::Field { pointer, span } => {
            let markdown = field_card(contract, pointer, context);
            Some(Hover { span, markdown })
        }
    }
}

/// A clause as a hover shows it: its number, heading and line, then its own text.
fn clause_card(contract: &Contract, clause: &Clause) -> String {
    let mut out = format!("**Clause {}**", clause.cite());
    if let Some(heading) = &clause.heading {
        out.push_str(&format!(" — {heading}"));
    }
    out.push_str(&format!(" (line {})\n\n", contract.line(clause.start)));
    out.push_str(&quote(&contract.text[clause.start..clause.own_end.max(clause.start)]));
    out
}

/// The path of object keys in a pointer: `/parties/0/name` → `["parties", "name"]`.
fn schema_path(pointer: &str) -> Vec<&str> {
    pointer.split('/').skip(1).filter(|segment| !segment.chars().all(|c| c.is_ascii_digit())).collect()
}

/// A field as a hover shows it: its name, what the schema says of it and, for the fields the
/// dates are computed from, the dates as of today.
fn field_card(contract: &Contract, pointer: &str, context: &Context<'_>) -> String {
    let path = schema_path(pointer);
    let kind = contract.meta.kind.as_deref();
    let doc = context.schemas.field(kind, &path);
    let mut out = format!("**`{}`**", crate::schema::field_name(pointer));
    if let Some(kind) = doc.as_ref().and_then(|doc| doc.kind.as_deref()) {
        out.push_str(&format!(" ({kind})"));
    }
    out.push('\n');
    match doc.as_ref().and_then(|doc| doc.description.as_deref()) {
        Some(description) => out.push_str(&format!("\n{description}\n")),
        None if doc.is_none() => {
            out.push_str(&format!("\nNo field of the `{}` schema.\n", kind.unwrap_or("contract")));
        }
        None => {}
    }
    if let Some(values) = doc.as_ref().map(|doc| &doc.values).filter(|values| values.len() > 1) {
        out.push_str(&format!(
            "\nOne of: {}\n",
            values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    let dated = matches!(path.first(), Some(&("effective_date" | "end_date" | "term" | "renewal")));
    if dated {
        out.push_str(&dates_card(contract, context));
    }
    // `/obligations/2/starting`: that obligation's next due days.
    let obligation =
        pointer.strip_prefix("/obligations/").and_then(|rest| rest.split('/').next()?.parse::<usize>().ok());
    if let Some(obligation) = obligation.and_then(|at| contract.meta.obligations.get(at)) {
        out.push_str(&due_card(obligation, context.today));
    }
    out
}

/// The dates the front matter yields as of today: the term, the notice deadline, the renewal.
fn dates_card(contract: &Contract, context: &Context<'_>) -> String {
    let meta = &contract.meta;
    let dates = match meta.dates() {
        Ok(Some(dates)) => dates,
        Ok(None) => return "\nNo dates yet: the contract has no `effective_date`.\n".to_owned(),
        Err((field, error)) => return format!("\n`{field}` does not read: {error}\n"),
    };
    let executed = meta.status == Some(crate::contract::Status::Executed);
    let settings = context.settings;
    let Ok(overview) = dates.overview(context.today, executed, settings.expiring_within, &settings.calendar) else {
        return String::new();
    };
    let mut lines = vec![format!("As of {}:", overview.as_of)];
    if let Some(end) = overview.initial_term_end {
        lines.push(format!("- the initial term ends {end}"));
    }
    if let Some(deadline) = overview.next_notice_deadline {
        lines.push(format!("- notice of non-renewal by **{deadline}**"));
    }
    if let Some(renewal) = overview.next_renewal {
        lines.push(format!("- renews on {renewal}"));
    }
    if let Some(expiry) = overview.expiry {
        lines.push(format!("- expires after {expiry}"));
    }
    if let Some(state) = overview.state {
        lines.push(format!("- state: {}", format!("{state:?}").to_lowercase()));
    }
    format!("\n{}\n", lines.join("\n"))
}

/// The most occurrences of an obligation looked through for the next due days: a daily
/// obligation over 27 years.
const MAX_OCCURRENCES: u32 = 10_000;

/// An obligation's due days around today: the last one passed, and the next three.
fn due_card(obligation: &crate::contract::metadata::Obligation, today: NaiveDate) -> String {
    use crate::remind::performance::due_of;
    let mut last = None;
    let mut next = Vec::new();
    for n in 0..MAX_OCCURRENCES {
        let Some(day) = due_of(obligation, n) else { break };
        if day < today {
            last = Some(day);
        } else {
            next.push(day.to_string());
            if next.len() == 3 {
                break;
            }
        }
    }
    if last.is_none() && next.is_empty() {
        return "\nNo due day yet: the obligation needs `due`, or `every` and `starting`.\n".to_owned();
    }
    let mut out = format!("\nAs of {today}:");
    if let Some(last) = last {
        out.push_str(&format!("\n- last due {last}"));
    }
    if !next.is_empty() {
        out.push_str(&format!("\n- next due {}", next.join(", ")));
    }
    out.push('\n');
    out
}

/// The references of the contract that name `clause`.
#[must_use]
pub fn references_to<'a>(contract: &'a Contract, clause: &Clause) -> Vec<&'a Reference> {
    contract
        .references
        .iter()
        .filter(|reference| contract.resolve(reference).is_some_and(|found| std::ptr::eq(found, clause)))
        .collect()
}

/// Where what stands at `at` is defined: a term's definition, the clause a reference names.
#[must_use]
pub fn definition(contract: &Contract, at: usize) -> Option<Range<usize>> {
    match target_at(contract, at)? {
        Target::Term { term, .. } => Some(term.span.clone()),
        Target::Reference(reference) => contract.resolve(reference).map(|clause| first_line(contract, clause)),
        Target::Clause(clause) => Some(first_line(contract, clause)),
        Target::Field { .. } => None,
    }
}

/// Every place what stands at `at` is written: a term's definitions and uses, or a clause's
/// first line and every reference to it (its first line only with `declaration`).
#[must_use]
pub fn references(contract: &Contract, at: usize, declaration: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    match target_at(contract, at) {
        Some(Target::Term { term, .. }) => {
            if declaration {
                out.push(term.span.clone());
                out.extend(term.redefined.iter().cloned());
            }
            out.extend(term.used.iter().cloned());
        }
        Some(Target::Reference(reference)) => {
            if let Some(clause) = contract.resolve(reference) {
                if declaration {
                    out.push(first_line(contract, clause));
                }
                out.extend(references_to(contract, clause).into_iter().map(|r| r.span.clone()));
            }
        }
        Some(Target::Clause(clause)) => {
            if declaration {
                out.push(first_line(contract, clause));
            }
            out.extend(references_to(contract, clause).into_iter().map(|r| r.span.clone()));
        }
        Some(Target::Field { .. }) | None => {}
    }
    out.sort_by_key(|span| span.start);
    out.dedup();
    out
}

/// Why a rename was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    #[error("only a defined term or a clause number can be renamed here")]
    Nothing,
    #[error("a term's name is one line of text without quotation marks or emphasis")]
    BadTerm,
    #[error("\"{0}\" is defined already: the two terms would merge")]
    Taken(String),
    #[error("a clause number is letters, digits, dots and brackets, like 7.2 or 4(b)")]
    BadNumber,
    #[error("clause {0} exists already")]
    NumberTaken(String),
}

/// The span a rename at `at` would change: the term's name, or the clause's number.
#[must_use]
pub fn rename_span(contract: &Contract, at: usize) -> Option<Range<usize>> {
    match target_at(contract, at)? {
        Target::Term { span, .. } => Some(span),
        Target::Reference(reference) => {
            let clause = contract.resolve(reference)?;
            fixes::number_in(&contract.text, reference.span.clone(), clause.local_number())
        }
        Target::Clause(clause) => fixes::written_number(contract, clause),
        Target::Field { .. } => None,
    }
}

/// The edits that rename what stands at `at` to `new`: a defined term at its definitions and
/// every use; a clause number at its heading, the numbers written under it that start with it,
/// and every reference to it or to a clause under it.
///
/// # Errors
/// When nothing renameable stands there, or the new name would be wrong or taken.
pub fn rename(contract: &Contract, at: usize, new: &str) -> Result<Vec<Edit>, RenameError> {
    let new = new.trim();
    match target_at(contract, at).ok_or(RenameError::Nothing)? {
        Target::Term { term, .. } => {
            if new.is_empty() || new.contains(['\n', '"', '“', '”', '*', '_']) {
                return Err(RenameError::BadTerm);
            }
            if new != term.term && contract.terms.iter().any(|other| other.term == new) {
                return Err(RenameError::Taken(new.to_owned()));
            }
            let spans = std::iter::once(&term.span).chain(&term.redefined).chain(&term.used);
            Ok(spans.map(|span| Edit { span: span.clone(), text: new.to_owned() }).collect())
        }
        Target::Reference(reference) => {
            let clause = contract.resolve(reference).ok_or(RenameError::Nothing)?;
            fixes::renumber(contract, clause, new)
        }
        Target::Clause(clause) => fixes::renumber(contract, clause, new),
        Target::Field { .. } => Err(RenameError::Nothing),
    }
}

#[cfg(test)]
mod tests;
