//! Completion: clause references after `Section`, defined terms in the prose, front-matter keys
//! and their values from the schema of the contract's type, and a template's variables inside
//! `{{ }}`.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::contract::{Contract, frontmatter};
use crate::schema::SchemaSet;

/// What a completion inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// A clause number, after `Section`, `Clause`, `Article` or `§`.
    Clause,
    Term,
    /// A front-matter key.
    Field,
    /// A front-matter value the schema lists.
    Value,
    /// A template's variable.
    Variable,
}

/// One completion: `insert` replaces `replace`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    pub insert: String,
    pub replace: Range<usize>,
    pub kind: CompletionKind,
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|error| panic!("built-in pattern {pattern}: {error}"))
}

/// A reference being typed: the word that announces it, then what of the number is typed.
static CITING: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?:\b(?:Sections?|Clauses?|Articles?)\s+|§§?\s*)([0-9A-Za-z.()]*)$"));
/// A key being typed at the start of a front-matter line.
static KEY: LazyLock<Regex> = LazyLock::new(|| regex(r"^\s*([A-Za-z0-9_-]*)$"));
/// A value being typed: the key, `=`, and what of the value is typed (an opening quote too).
static VALUE: LazyLock<Regex> = LazyLock::new(|| regex(r#"^\s*([A-Za-z0-9_-]+)\s*=\s*("?[^"]*)$"#));
/// A line that sets a key: the key, and the start of its value without an opening quote.
static ASSIGNED: LazyLock<Regex> = LazyLock::new(|| regex(r#"^\s*([A-Za-z0-9_-]+)\s*=\s*"?([^"\n]*)"#));
/// A table header: `[renewal]`, `[[parties]]`.
static TABLE: LazyLock<Regex> = LazyLock::new(|| regex(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?"));
/// A template variable being typed inside `{{ }}` or `{% %}`.
static VARIABLE: LazyLock<Regex> = LazyLock::new(|| regex(r"(?:\{\{-?|\{%-?)[^}%]*?([A-Za-z_][A-Za-z0-9_]*)?$"));

/// The most completions offered at once: an editor filters as the user types.
const MAX: usize = 500;

/// The start of the line that holds `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |nl| nl + 1)
}

/// What to offer at byte `at` of `contract`: in the front matter, its keys and values; in the
/// body, clause numbers after a word that cites one, else the defined terms that continue what
/// is typed.
#[must_use]
pub fn completions(contract: &Contract, at: usize, schemas: &SchemaSet) -> Vec<Completion> {
    let text = &contract.text;
    let at = crate::text::floor_char_boundary(text, at.min(text.len()));
    let prefix = &text[line_start(text, at)..at];
    if let Some(layout) = &contract.layout
        && at < layout.body
    {
        return if layout.toml.start <= at { front_matter(contract, at, prefix, schemas) } else { Vec::new() };
    }
    if let Some(found) = CITING.captures(prefix) {
        let typed = found.get(1).map_or("", |m| m.as_str());
        return clauses(contract, at - typed.len()..at, typed);
    }
    terms(contract, at, prefix)
}

fn clauses(contract: &Contract, replace: Range<usize>, typed: &str) -> Vec<Completion> {
    let part = contract.body.part_at(replace.start);
    contract
        .body
        .clauses
        .iter()
        .filter(|clause| !clause.number.is_empty())
        .map(|clause| {
            let number = if clause.part == part { clause.local_number() } else { clause.number.as_str() };
            (clause, number)
        })
        .filter(|(_, number)| !number.contains('›') && number.starts_with(typed))
        .take(MAX)
        .map(|(clause, number)| Completion {
            label: number.to_owned(),
            detail: clause.heading.clone(),
            documentation: Some(super::quote(&contract.text[clause.start..clause.own_end.max(clause.start)])),
            insert: number.to_owned(),
            replace: replace.clone(),
            kind: CompletionKind::Clause,
        })
        .collect()
}

/// The defined terms that continue what is typed before `at`: the longest run of the last
/// words (up to a term's length) that starts the term, ignoring case.
fn terms(contract: &Contract, at: usize, prefix: &str) -> Vec<Completion> {
    let word_starts: Vec<usize> = prefix
        .char_indices()
        .filter(|&(index, c)| {
            c.is_alphanumeric() && prefix[..index].chars().next_back().is_none_or(|before| !before.is_alphanumeric())
        })
        .map(|(index, _)| index)
        .collect();
    let mut out = Vec::new();
    for term in &contract.terms {
        let words = term.term.split_whitespace().count();
        let typed = word_starts[word_starts.len().saturating_sub(words)..].iter().map(|&start| &prefix[start..]).find(
            |typed| {
                typed.len() < term.term.len()
                    && term.term.is_char_boundary(typed.len())
                    && term.term[..typed.len()].eq_ignore_ascii_case(typed)
            },
        );
        let typed = match typed {
            Some(typed) => typed,
            // Nothing of it typed: offered after a space or an opening quote.
            None if prefix.ends_with(['"', '“']) || prefix.is_empty() => "",
            None => continue,
        };
        out.push(Completion {
            label: term.term.clone(),
            detail: Some(format!("defined term, line {}", contract.line(term.span.start))),
            documentation: Some(super::quote(super::prose_around(contract, term.span.start))),
            insert: term.term.clone(),
            replace: at - typed.len()..at,
            kind: CompletionKind::Term,
        });
        if out.len() == MAX {
            break;
        }
    }
    out
}

/// The table the line at `at` of the front matter belongs to: the last header above it.
fn table_at(text: &str, from: usize, at: usize) -> Vec<String> {
    let above = &text[from..line_start(text, at)];
    above
        .lines()
        .rev()
        .find_map(|line| TABLE.captures(line))
        .map(|found| found[1].split('.').map(str::to_owned).collect())
        .unwrap_or_default()
}

fn front_matter(contract: &Contract, at: usize, prefix: &str, schemas: &SchemaSet) -> Vec<Completion> {
    let Some(layout) = &contract.layout else { return Vec::new() };
    let table = table_at(&contract.text, layout.toml.start, at);
    let path: Vec<&str> = table.iter().map(String::as_str).collect();
    let kind = contract.meta.kind.as_deref().or_else(|| front_kind(contract));
    if let Some(found) = KEY.captures(prefix) {
        let typed = found.get(1).map_or("", |m| m.as_str());
        let present = keys_present(&contract.text, &layout.toml, at);
        return schemas
            .fields(kind, &path)
            .into_iter()
            .filter(|(name, _)| name.starts_with(typed) && !present.contains(name))
            .map(|(name, doc)| {
                let object = doc.kind.as_deref() == Some("object");
                let insert = match (doc.tables, object, path.is_empty()) {
                    (true, _, true) => format!("[[{name}]]"),
                    (false, true, true) => format!("[{name}]"),
                    _ => format!("{name} = "),
                };
                Completion {
                    label: name,
                    detail: doc.kind,
                    documentation: doc.description,
                    insert,
                    replace: at - typed.len()..at,
                    kind: CompletionKind::Field,
                }
            })
            .collect();
    }
    let Some(found) = VALUE.captures(prefix) else { return Vec::new() };
    let key = &found[1];
    let typed = found.get(2).map_or("", |m| m.as_str());
    let mut field_path = path.clone();
    field_path.push(key);
    let values: Vec<String> = if path.is_empty() && key == "type" {
        schemas.types().into_iter().map(str::to_owned).collect()
    } else {
        schemas.field(kind, &field_path).map(|doc| doc.values).unwrap_or_default()
    };
    let bare = typed.trim_start_matches('"');
    values
        .into_iter()
        .filter(|value| value.starts_with(bare))
        .map(|value| Completion {
            insert: format!("\"{value}\""),
            label: value,
            detail: Some(key.to_owned()),
            documentation: None,
            replace: at - typed.len()..at,
            kind: CompletionKind::Value,
        })
        .collect()
}

/// The contract type written in the front matter, when the front matter does not parse yet
/// (a line half typed): read from its `type = "…"` line.
fn front_kind(contract: &Contract) -> Option<&str> {
    let layout = contract.layout.as_ref()?;
    contract.text[layout.toml.clone()].lines().find_map(|line| {
        let found = ASSIGNED.captures(line)?;
        (found.get(1)?.as_str() == "type").then(|| found.get(2).map(|m| m.as_str()))?
    })
}

/// The keys written already in the table that holds `at`: read from the lines, so that they
/// are known while a line half typed keeps the front matter from parsing.
fn keys_present(text: &str, toml: &Range<usize>, at: usize) -> Vec<String> {
    let here = line_start(text, at);
    let mut offset = toml.start;
    let lines: Vec<(usize, &str)> = text[toml.clone()]
        .split_inclusive('\n')
        .map(|line| {
            let start = offset;
            offset += line.len();
            (start, line)
        })
        .collect();
    let header = |index: &usize| TABLE.is_match(lines[*index].1);
    let current = lines.iter().rposition(|(start, _)| *start <= here).unwrap_or(0);
    let from = (0..=current).rev().find(header).map_or(0, |index| index + 1);
    let to = (current + 1..lines.len()).find(header).unwrap_or(lines.len());
    (from..to)
        .filter(|&index| index != current)
        .filter_map(|index| ASSIGNED.captures(lines[index].1).map(|found| found[1].to_owned()))
        .collect()
}

/// A template's variables inside `{{ }}` or `{% %}`, as its own front matter declares them
/// (and the contract's `id`, which every draft is given).
#[must_use]
pub fn template_completions(text: &str, at: usize) -> Vec<Completion> {
    let at = crate::text::floor_char_boundary(text, at.min(text.len()));
    let prefix = &text[line_start(text, at)..at];
    let Some(found) = VARIABLE.captures(prefix) else { return Vec::new() };
    let typed = found.get(1).map_or("", |m| m.as_str());
    let Ok(layout) = frontmatter::split(text) else { return Vec::new() };
    if at < layout.body {
        return Vec::new();
    }
    let header: toml::Table = toml::from_str(&text[layout.toml.clone()]).unwrap_or_default();
    let mut variables: Vec<(String, Option<String>)> = header
        .get("variables")
        .and_then(toml::Value::as_table)
        .into_iter()
        .flatten()
        .map(|(name, declared)| {
            let description = declared.get("description").and_then(toml::Value::as_str).map(str::to_owned);
            (name.clone(), description)
        })
        .collect();
    variables.push(("id".to_owned(), Some("The new contract's id (`pactum new --id`)".to_owned())));
    variables
        .into_iter()
        .filter(|(name, _)| name.starts_with(typed))
        .map(|(name, description)| Completion {
            label: name.clone(),
            detail: Some("template variable".to_owned()),
            documentation: description,
            insert: name,
            replace: at - typed.len()..at,
            kind: CompletionKind::Variable,
        })
        .collect()
}
