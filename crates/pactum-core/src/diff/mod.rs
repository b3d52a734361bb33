//! Clause-level redlines: which clauses changed between two versions of a contract, and how.
//!
//! Reviewers do not want a line diff of Markdown. Clauses are aligned before words are
//! compared, in four passes, each over what the previous left unmatched:
//!
//! 1. by id, when the id was written by the author or derived from a heading (an id derived
//!    from a number would pair clause 5 with whatever is numbered 5 now);
//! 2. by identical text, so that unheaded clauses that were only renumbered still pair;
//! 3. by heading;
//! 4. by word similarity, for reworded clauses.
//!
//! A pair whose order among the other pairs changed (it is not on the longest run of pairs in
//! the same order) or whose parent changed has *moved*; one that kept its place but not its
//! number was *renumbered*; one whose words changed is *modified*, with a word-level redline.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use crate::contract::Contract;
use crate::contract::clauses::Clause;
use crate::contract::prose::title_chars;

/// What happened to a contract between two revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContractChange {
    Added,
    Removed,
    Modified,
    Renamed,
}

impl ContractChange {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Modified => "modified",
            Self::Renamed => "renamed",
        }
    }
}

/// What happened to a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClauseChange {
    Added,
    Removed,
    Modified,
    Moved,
    Renumbered,
}

impl ClauseChange {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Modified => "modified",
            Self::Moved => "moved",
            Self::Renumbered => "renumbered",
        }
    }
}

/// A clause as the diff names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseRef {
    pub number: String,
    pub id: String,
    pub heading: Option<String>,
    /// Set when the unit is not a clause but the preamble, an unnumbered part or a footnote;
    /// its `number` is then empty and `heading` names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitKind>,
    /// The clauses it sits in, outermost first: a change to 8.2 is a change under
    /// "8. Limitation of Liability" for policies and materiality alike.
    #[serde(skip)]
    pub ancestors: Vec<ClauseName>,
}

/// An enclosing clause's id and heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseName {
    pub id: String,
    pub heading: Option<String>,
}

impl ClauseRef {
    /// How the unit is cited: its number, or the name of a unit that has none.
    #[must_use]
    pub fn cite(&self) -> &str {
        if self.number.is_empty() { self.heading.as_deref().unwrap_or("") } else { &self.number }
    }

    /// The clause's own id and heading, then its ancestors'.
    pub fn names(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        std::iter::once((self.id.as_str(), self.heading.as_deref()))
            .chain(self.ancestors.iter().map(|a| (a.id.as_str(), a.heading.as_deref())))
    }
}

/// A piece of a word-level redline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum Segment {
    Equal(String),
    Delete(String),
    Insert(String),
}

/// One changed clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseDiff {
    pub change: ClauseChange,
    pub old: Option<ClauseRef>,
    pub new: Option<ClauseRef>,
    pub inserted_words: usize,
    pub deleted_words: usize,
    /// Whether the clause is one `pactum.toml` marks as material.
    pub material: bool,
    pub redline: Vec<Segment>,
    /// Every edit of the clause follows from a renamed defined term (see `terms`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub follows_rename: bool,
}

/// A defined term renamed: defined under its old name before, under its new name after, with
/// the old name replaced by the new in the clauses listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermRename {
    pub old: String,
    pub new: String,
    /// The clauses where the new name replaced the old, as cited on the new side.
    pub clauses: Vec<String>,
}

/// One changed front-matter value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub pointer: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
    pub material: bool,
}

/// The diff of one contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractDiff {
    pub path: String,
    /// Where the contract was before, when it moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    pub id: Option<String>,
    pub title: Option<String>,
    pub change: ContractChange,
    pub fields: Vec<FieldChange>,
    pub clauses: Vec<ClauseDiff>,
    /// Defined terms renamed, each reported once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<TermRename>,
}

impl ContractDiff {
    /// Whether anything material changed.
    #[must_use]
    pub fn material(&self) -> bool {
        self.fields.iter().any(|f| f.material) || self.clauses.iter().any(|c| c.material)
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.change == ContractChange::Modified && self.fields.is_empty() && self.clauses.is_empty()
    }

    /// The clauses the change touched, each once, in the order of the redline: their numbers
    /// after it, or before it for removed ones; a unit without a number by its name (`Preamble`).
    #[must_use]
    pub fn clauses_changed(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.clauses
            .iter()
            .filter_map(|c| c.new.as_ref().or(c.old.as_ref()).map(|r| r.cite().to_owned()))
            .filter(|cited| seen.insert(cited.clone()))
            .collect()
    }
}

/// What counts as material (`pactum.toml` `[diff]`).
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// Front-matter pointers (prefixes) whose changes are material.
    pub material_fields: Vec<String>,
    /// Words that make a clause material when its heading or id contains them.
    pub material_clauses: Vec<String>,
    /// Whether to compare in detail: front-matter fields, and changed clauses word by word (the
    /// redline, word counts, renamed terms). Without, a diff only says which clauses changed and
    /// how, as the ledger's `clauses_changed` needs.
    pub words: bool,
}

impl Default for DiffOptions {
    fn default() -> Self {
        let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
        Self {
            material_fields: strings(&[
                "/value",
                "/term",
                "/end_date",
                "/renewal",
                "/parties",
                "/governing_law",
                "/liability_cap",
            ]),
            material_clauses: strings(&[
                "liabilit",
                "indemn",
                "terminat",
                "warrant",
                "governing law",
                "payment",
                "fees",
                "renewal",
            ]),
            words: true,
        }
    }
}

impl DiffOptions {
    /// The defaults, with what `pactum.toml` `[diff]` sets.
    #[must_use]
    pub(crate) fn from_config(config: &crate::repo::config::DiffConfig) -> Self {
        let mut options = Self::default();
        if let Some(fields) = &config.material_fields {
            options.material_fields.clone_from(fields);
        }
        if let Some(clauses) = &config.material_clauses {
            options.material_clauses.clone_from(clauses);
        }
        options
    }

    fn field_is_material(&self, pointer: &str) -> bool {
        self.material_fields.iter().any(|prefix| pointer == prefix || pointer.starts_with(&format!("{prefix}/")))
    }

    /// A clause is material when it or any clause it sits in is named by `[diff] material`.
    fn clause_is_material(&self, clause: &ClauseRef) -> bool {
        clause.names().any(|(id, heading)| {
            let heading = heading.unwrap_or("").to_lowercase();
            let id = id.to_lowercase();
            self.material_clauses.iter().any(|word| {
                let word = word.to_lowercase();
                heading.contains(&word) || id.contains(&word.replace(' ', "-"))
            })
        })
    }
}

fn reference(all: &[Clause], index: usize) -> ClauseRef {
    let clause = &all[index];
    let mut ancestors = Vec::new();
    let mut at = clause.parent;
    while let Some(parent) = at {
        let parent = &all[parent];
        ancestors.push(ClauseName { id: parent.id.clone(), heading: parent.heading.clone() });
        at = parent.parent;
    }
    ancestors.reverse();
    ClauseRef {
        number: clause.number.clone(),
        id: clause.id.clone(),
        heading: clause.heading.clone(),
        unit: None,
        ancestors,
    }
}

/// One contract on the two sides of a change: `key` is its id, or its path when it has none.
pub(crate) type Pair<'a> = (String, Option<&'a Contract>, Option<&'a Contract>);

/// A contract before and after a change.
type Sides<'a> = (Option<&'a Contract>, Option<&'a Contract>);

/// Pair the contracts of two sides by id, so that a moved file is a rename, else by path;
/// pairs with the same text at the same path on both sides are left out. Sorted by key.
#[must_use]
pub fn pair<'a>(old: &'a [Contract], new: &'a [Contract]) -> Vec<Pair<'a>> {
    // An id and a path never meet: they are keyed apart.
    let key = |c: &Contract| c.meta.id.clone().map_or_else(|| (true, c.path.clone()), |id| (false, id));
    let mut pairs: std::collections::BTreeMap<(bool, String), Sides> = std::collections::BTreeMap::new();
    for contract in old {
        pairs.entry(key(contract)).or_default().0 = Some(contract);
    }
    for contract in new {
        pairs.entry(key(contract)).or_default().1 = Some(contract);
    }
    pairs
        .into_iter()
        .filter(|(_, sides)| !matches!(sides, (Some(b), Some(a)) if b.text == a.text && b.path == a.path))
        .map(|((_, key), (before, after))| (key, before, after))
        .collect()
}

/// The contract's change, from its two sides.
///
/// # Panics
/// When both sides are absent.
#[must_use]
pub fn diff(old: Option<&Contract>, new: Option<&Contract>, options: &DiffOptions) -> ContractDiff {
    let either = new.or(old).expect("a contract on one side at least");
    let change = match (old, new) {
        (None, _) => ContractChange::Added,
        (_, None) => ContractChange::Removed,
        (Some(old), Some(new)) if old.path != new.path => ContractChange::Renamed,
        _ => ContractChange::Modified,
    };
    let fields = if options.words { fields(old, new, options) } else { Vec::new() };
    let mut clauses = clauses(old, new, options);
    let terms = match (old, new) {
        (Some(old), Some(new)) if options.words => renamed_terms(old, new, &mut clauses),
        _ => Vec::new(),
    };
    ContractDiff {
        path: either.path.clone(),
        old_path: old.filter(|o| new.is_some_and(|n| n.path != o.path)).map(|o| o.path.clone()),
        id: either.meta.id.clone(),
        title: either.meta.title.clone(),
        change,
        fields,
        clauses,
        terms,
    }
}

/// The replacements a clause's redline makes: each deleted run with the inserted run that
/// follows it.
fn replacements(redline: &[Segment]) -> impl Iterator<Item = (&str, Option<&str>)> {
    redline.iter().enumerate().filter_map(|(at, segment)| match (segment, redline.get(at + 1)) {
        (Segment::Delete(gone), Some(Segment::Insert(came))) => Some((gone.as_str(), Some(came.as_str()))),
        (Segment::Delete(gone), _) => Some((gone.as_str(), None)),
        (Segment::Insert(came), _) if at == 0 || !matches!(redline[at - 1], Segment::Delete(_)) => {
            Some(("", Some(came.as_str())))
        }
        _ => None,
    })
}

/// Defined terms renamed between two versions: a term defined only before and one defined only
/// after, where some clause's redline replaces the one with the other. Clauses whose every edit
/// is such a replacement are marked as following from the rename.
fn renamed_terms(old: &Contract, new: &Contract, clauses: &mut [ClauseDiff]) -> Vec<TermRename> {
    let old_terms: std::collections::BTreeSet<&str> = old.terms.iter().map(|t| t.term.as_str()).collect();
    let new_terms: std::collections::BTreeSet<&str> = new.terms.iter().map(|t| t.term.as_str()).collect();
    let gone: Vec<&str> = old_terms.difference(&new_terms).copied().collect();
    let came: Vec<&str> = new_terms.difference(&old_terms).copied().collect();
    if gone.is_empty() || came.is_empty() {
        return Vec::new();
    }
    let replaces = |deleted: &str, inserted: &str, from: &str, to: &str| {
        deleted.contains(from) && deleted.replace(from, to) == inserted
    };
    // For each term that went, the new term most clauses replace it with.
    let mut renames: Vec<(String, String)> = Vec::new();
    for from in &gone {
        let best = came
            .iter()
            .map(|to| {
                let count = clauses
                    .iter()
                    .filter(|c| replacements(&c.redline).any(|(d, i)| i.is_some_and(|i| replaces(d, i, from, to))))
                    .count();
                (count, *to)
            })
            .filter(|(count, _)| *count > 0)
            .max_by_key(|(count, to)| (*count, std::cmp::Reverse(*to)));
        if let Some((_, to)) = best.filter(|(_, to)| !renames.iter().any(|(_, t)| t == to)) {
            renames.push(((*from).to_owned(), to.to_owned()));
        }
    }
    let mut out: Vec<TermRename> =
        renames.iter().map(|(o, n)| TermRename { old: o.clone(), new: n.clone(), clauses: Vec::new() }).collect();
    for clause in clauses.iter_mut().filter(|c| matches!(c.change, ClauseChange::Modified | ClauseChange::Moved)) {
        let mut all_renames = true;
        let mut touched = vec![false; renames.len()];
        for (deleted, inserted) in replacements(&clause.redline) {
            let found = renames.iter().position(|(from, to)| inserted.is_some_and(|i| replaces(deleted, i, from, to)));
            match found {
                Some(index) => touched[index] = true,
                None => all_renames = false,
            }
        }
        let cited = clause.new.as_ref().or(clause.old.as_ref()).map(|r| r.cite().to_owned()).unwrap_or_default();
        for (rename, touched) in out.iter_mut().zip(&touched) {
            if *touched {
                rename.clauses.push(cited.clone());
            }
        }
        clause.follows_rename = all_renames && touched.iter().any(|t| *t);
    }
    out.retain(|r| !r.clauses.is_empty());
    out
}

fn flatten(value: &Value, pointer: &mut String, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let length = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                flatten(child, pointer, out);
                pointer.truncate(length);
            }
        }
        Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            for (index, child) in items.iter().enumerate() {
                let length = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                flatten(child, pointer, out);
                pointer.truncate(length);
            }
        }
        other => out.push((pointer.clone(), other.clone())),
    }
}

fn fields(old: Option<&Contract>, new: Option<&Contract>, options: &DiffOptions) -> Vec<FieldChange> {
    let values = |contract: Option<&Contract>| {
        let mut out = Vec::new();
        if let Some(front) = contract.and_then(|c| c.front.as_ref()) {
            flatten(&front.value, &mut String::new(), &mut out);
        }
        out
    };
    let (old, new) = (values(old), values(new));
    let new_map: HashMap<&str, &Value> = new.iter().map(|(p, v)| (p.as_str(), v)).collect();
    let old_map: HashMap<&str, &Value> = old.iter().map(|(p, v)| (p.as_str(), v)).collect();
    let mut changes = Vec::new();
    for (pointer, value) in &old {
        match new_map.get(pointer.as_str()) {
            Some(after) if *after == value => {}
            after => changes.push(FieldChange {
                pointer: pointer.clone(),
                old: Some(value.clone()),
                new: after.map(|v| (*v).clone()),
                material: options.field_is_material(pointer),
            }),
        }
    }
    for (pointer, value) in &new {
        if !old_map.contains_key(pointer.as_str()) {
            changes.push(FieldChange {
                pointer: pointer.clone(),
                old: None,
                new: Some(value.clone()),
                material: options.field_is_material(pointer),
            });
        }
    }
    changes
}

/// A clause or another unit of one side, with what alignment compares.
struct Side<'a> {
    reference: ClauseRef,
    /// The side index of the clause it sits in.
    parent: Option<usize>,
    /// A clause's words, borrowed from its contract; a unit's, its own.
    text: std::borrow::Cow<'a, str>,
    /// Whether the id names the unit itself (explicit, from its heading, a unit's name), not its
    /// number.
    stable_id: bool,
    heading: Option<String>,
    /// How the clause's number is written (see [`numbering_style`]); `None` for a unit.
    style: Option<(u8, u8)>,
}

/// How a label is written, by its kind and, for a dotted number, the kind of its last segment:
/// `3.3.1` and `3.3(i)` differ, `(a)` and `(b)` do not. A clause whose number changed style
/// was relabelled by hand, which a reviewer must see as a change of its text, not as a
/// renumbering that follows an insertion.
fn numbering_style(label: &crate::contract::clauses::Label) -> (u8, u8) {
    use crate::contract::clauses::Label;
    use crate::contract::clauses::number::Segment;
    match label {
        Label::Dotted(segments) => (
            0,
            match segments.last() {
                Some(Segment::Number(_)) | None => 0,
                Some(Segment::Letter(_)) => 1,
                Some(Segment::LowerLetter(_)) => 2,
                Some(Segment::Roman(_)) => 3,
                Some(Segment::Annex(..)) => 4,
                Some(Segment::Inserted(..)) => 5,
            },
        ),
        Label::Letter(_) => (1, 0),
        Label::Roman(_) => (2, 0),
        Label::Upper(_) => (3, 0),
        Label::Paren(_) => (4, 0),
        Label::Unnumbered => (5, 0),
    }
}

/// Text that no clause holds, which the redline reports as clauses are: the preamble, an
/// unnumbered part (exhibit, schedule, signature block), a footnote.
struct Unit {
    start: usize,
    kind: UnitKind,
    name: String,
    text: String,
}

/// What kind of text a unit that is not a clause holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    Preamble,
    Part,
    Footnote,
}

/// A footnote definition's label, from a line that starts one: `[^1]: …` gives `1`.
fn footnote_label(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("[^")?;
    let close = rest.find("]:")?;
    Some(&rest[..close]).filter(|label| !label.is_empty() && !label.contains(char::is_whitespace))
}

/// The units between the clauses of a contract, in document order.
fn units(contract: &Contract) -> Vec<Unit> {
    let body_start = contract.layout.as_ref().map_or(0, |l| l.body);
    let text = &contract.text;
    let clauses = &contract.body.clauses;
    let first_clause = clauses.first().map_or(text.len(), |c| c.start);
    let mut gaps = Vec::new();
    let mut cursor = body_start;
    for clause in clauses {
        if clause.start > cursor {
            gaps.push(cursor..clause.start);
        }
        cursor = cursor.max(clause.own_end);
    }
    gaps.push(cursor..text.len());
    let mut units: Vec<Unit> = Vec::new();
    let mut push = |start: usize, end: usize, footnote: Option<&str>| {
        let words = crate::contract::clauses::normalise::unit_text(&text[start..end]);
        // A rule, a stray list marker: no words, nothing a reader would call text.
        if !words.chars().any(char::is_alphanumeric) {
            return;
        }
        let (kind, name) = if let Some(label) = footnote {
            (UnitKind::Footnote, format!("Footnote {label}"))
        } else if start < first_clause && units.iter().all(|u| u.kind == UnitKind::Footnote) {
            (UnitKind::Preamble, "Preamble".to_owned())
        } else {
            let part = &contract.body.parts[contract.body.part_at(start)];
            let name = part.title.clone().filter(|_| part.start >= first_clause || start < first_clause);
            (UnitKind::Part, name.unwrap_or_else(|| "Text after the clauses".to_owned()))
        };
        units.push(Unit { start, kind, name, text: words });
    };
    for gap in gaps {
        // Cut the gap where a part starts and where a footnote starts or ends.
        let mut start = gap.start;
        let mut footnote: Option<&str> = None;
        let mut offset = gap.start;
        for line in text[gap.clone()].split_inclusive('\n') {
            let part_starts =
                offset > gap.start && contract.body.parts.binary_search_by_key(&offset, |p| p.start).is_ok();
            let label = footnote_label(line);
            let ends_footnote = footnote.is_some() && !line.trim().is_empty() && !line.starts_with([' ', '\t']);
            if part_starts || label.is_some() || ends_footnote {
                push(start, offset, footnote);
                start = offset;
                footnote = label;
            }
            offset += line.len();
        }
        push(start, gap.end, footnote);
    }
    units
}

fn sides(contract: Option<&Contract>) -> Vec<Side<'_>> {
    let Some(contract) = contract else { return Vec::new() };
    let clauses = &contract.body.clauses;
    let texts = contract.clause_texts();
    let mut units: Vec<Option<Unit>> = units(contract).into_iter().map(Some).collect();
    // Clauses and units in document order (a unit never starts where a clause does).
    let mut order: Vec<(usize, Result<usize, usize>)> = clauses
        .iter()
        .enumerate()
        .map(|(index, clause)| (clause.start, Ok(index)))
        .chain(units.iter().flatten().enumerate().map(|(index, unit)| (unit.start, Err(index))))
        .collect();
    order.sort_by_key(|(start, _)| *start);
    let mut side_of = vec![0; clauses.len()];
    for (side, (_, which)) in order.iter().enumerate() {
        if let Ok(index) = which {
            side_of[*index] = side;
        }
    }
    order
        .into_iter()
        .map(|(_, which)| match which {
            Ok(index) => {
                let clause = &clauses[index];
                Side {
                    reference: reference(clauses, index),
                    parent: clause.parent.map(|p| side_of[p]),
                    text: texts[index].as_str().into(),
                    stable_id: clause.explicit_id || clause.heading.is_some(),
                    heading: clause.heading.as_deref().map(|h| title_chars(h).collect()),
                    style: Some(numbering_style(&clause.label)),
                }
            }
            Err(index) => {
                let unit = units[index].take().expect("each unit is placed once");
                Side {
                    reference: ClauseRef {
                        number: String::new(),
                        id: crate::text::slug(&unit.name),
                        heading: Some(unit.name.clone()),
                        unit: Some(unit.kind),
                        ancestors: Vec::new(),
                    },
                    parent: None,
                    text: unit.text.into(),
                    stable_id: true,
                    heading: Some(unit.name.clone()),
                    style: None,
                }
            }
        })
        .collect()
}

fn clauses(old: Option<&Contract>, new: Option<&Contract>, options: &DiffOptions) -> Vec<ClauseDiff> {
    let (olds, news) = (sides(old), sides(new));
    let pairs = align(&olds, &news);
    let mut matched_old = vec![false; olds.len()];
    let mut matched_new = vec![None; news.len()];
    for &(o, n) in &pairs {
        matched_old[o] = true;
        matched_new[n] = Some(o);
    }
    let in_order = longest_in_order(&pairs);
    // The old index each new clause's parent was paired with, to see a clause change parents.
    let parent_pair = |o: usize, n: usize| {
        let old_parent = olds[o].parent;
        let new_parent = news[n].parent;
        match (old_parent, new_parent) {
            (None, None) => true,
            (Some(op), Some(np)) => matched_new.get(np).copied().flatten() == Some(op),
            _ => false,
        }
    };
    let mut out: Vec<(usize, ClauseDiff)> = Vec::new();
    for (index, &(o, n)) in pairs.iter().enumerate() {
        let (before, after) = (&olds[o], &news[n]);
        let same_text = before.text == after.text;
        let moved = !in_order[index] || !parent_pair(o, n);
        let change = if moved {
            ClauseChange::Moved
        } else if !same_text || before.style != after.style {
            ClauseChange::Modified
        } else if before.reference.number != after.reference.number {
            ClauseChange::Renumbered
        } else {
            continue;
        };
        let (redline, inserted, deleted) = match (same_text, change) {
            // A moved clause shows its words where it arrived, even when they did not change.
            (true, ClauseChange::Moved) if options.words => (vec![Segment::Equal(after.text.to_string())], 0, 0),
            (false, _) if options.words => redline(&before.text, &after.text),
            _ => (Vec::new(), 0, 0),
        };
        let (old_ref, new_ref) = (before.reference.clone(), after.reference.clone());
        // A new number alone changes no term of the contract; a moved material clause stays
        // material.
        let material = change != ClauseChange::Renumbered
            && (options.clause_is_material(&old_ref) || options.clause_is_material(&new_ref));
        out.push((
            n * 2 + 1,
            ClauseDiff {
                change,
                old: Some(old_ref),
                new: Some(new_ref),
                inserted_words: inserted,
                deleted_words: deleted,
                material,
                redline,
                follows_rename: false,
            },
        ));
    }
    for (n, side) in news.iter().enumerate().filter(|(n, _)| matched_new[*n].is_none()) {
        let new_ref = side.reference.clone();
        let words = count_words(&side.text);
        let material = options.clause_is_material(&new_ref);
        out.push((
            n * 2 + 1,
            ClauseDiff {
                change: ClauseChange::Added,
                old: None,
                new: Some(new_ref),
                inserted_words: words,
                deleted_words: 0,
                material,
                redline: if options.words { vec![Segment::Insert(side.text.to_string())] } else { Vec::new() },
                follows_rename: false,
            },
        ));
    }
    // A removed clause sorts just before the new clause that follows its old neighbour: the
    // least new index among the pairs after it (pairs are sorted by old index).
    let mut least_new_after = vec![news.len(); pairs.len() + 1];
    for (at, &(_, n)) in pairs.iter().enumerate().rev() {
        least_new_after[at] = least_new_after[at + 1].min(n);
    }
    for (o, side) in olds.iter().enumerate().filter(|(o, _)| !matched_old[*o]) {
        let next_new = least_new_after[pairs.partition_point(|&(po, _)| po <= o)];
        let old_ref = side.reference.clone();
        let words = count_words(&side.text);
        let material = options.clause_is_material(&old_ref);
        out.push((
            next_new * 2,
            ClauseDiff {
                change: ClauseChange::Removed,
                old: Some(old_ref),
                new: None,
                inserted_words: 0,
                deleted_words: words,
                material,
                redline: if options.words { vec![Segment::Delete(side.text.to_string())] } else { Vec::new() },
                follows_rename: false,
            },
        ));
    }
    out.sort_by_key(|(order, _)| *order);
    out.into_iter().map(|(_, diff)| diff).collect()
}

/// The id that pairs a unit across versions, when it names the unit rather than its number.
fn stable<'s>(side: &'s Side<'_>) -> Option<&'s str> {
    side.stable_id.then_some(side.reference.id.as_str())
}

/// Pair old and new clauses (indices), in four passes.
fn align(olds: &[Side<'_>], news: &[Side<'_>]) -> Vec<(usize, usize)> {
    // A contract added or removed whole: nothing to pair.
    if olds.is_empty() || news.is_empty() {
        return Vec::new();
    }
    let mut old_free = vec![true; olds.len()];
    let mut new_free = vec![true; news.len()];
    let mut pairs = Vec::new();
    let take =
        |o: usize, n: usize, old_free: &mut Vec<bool>, new_free: &mut Vec<bool>, pairs: &mut Vec<(usize, usize)>| {
            old_free[o] = false;
            new_free[n] = false;
            pairs.push((o, n));
        };
    // 1. By id (unique on both sides).
    let new_ids = unique_keys(news.iter().map(stable));
    let old_ids = unique_keys(olds.iter().map(stable));
    for (o, side) in olds.iter().enumerate() {
        let Some(id) = stable(side) else { continue };
        if let (Some(Some(_)), Some(Some(n))) = (old_ids.get(id), new_ids.get(id)) {
            take(o, *n, &mut old_free, &mut new_free, &mut pairs);
        }
    }
    // 2. By identical text, in order.
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (n, side) in news.iter().enumerate().rev() {
        if new_free[n] && !side.text.is_empty() {
            by_text.entry(side.text.as_ref()).or_default().push(n);
        }
    }
    for (o, side) in olds.iter().enumerate() {
        if !old_free[o] || side.text.is_empty() {
            continue;
        }
        if let Some(n) = by_text.get_mut(side.text.as_ref()).and_then(Vec::pop) {
            take(o, n, &mut old_free, &mut new_free, &mut pairs);
        }
    }
    // 3. By heading (unique among the unmatched).
    let free_headings = |sides: &[Side<'_>], free: &[bool]| {
        let mut map: HashMap<String, Option<usize>> = HashMap::new();
        for (index, side) in sides.iter().enumerate() {
            if let (true, Some(heading)) = (free[index], &side.heading) {
                map.entry(heading.clone()).and_modify(|v| *v = None).or_insert(Some(index));
            }
        }
        map
    };
    let old_headings = free_headings(olds, &old_free);
    let new_headings = free_headings(news, &new_free);
    for (heading, o) in &old_headings {
        if let (Some(o), Some(Some(n))) = (o, new_headings.get(heading)) {
            take(*o, *n, &mut old_free, &mut new_free, &mut pairs);
        }
    }
    // 4. By word similarity, best pairs first, among what is left: first clauses with most of
    // their words in common wherever they are; then, within each gap between aligned pairs, a
    // clause with the same number under the same parent (a clause rewritten where the old one
    // stood); then, within each gap, clauses with a fair share in common.
    similar_pairs(olds, news, &mut old_free, &mut new_free, &mut pairs, false);
    same_place(olds, news, &mut old_free, &mut new_free, &mut pairs);
    similar_pairs(olds, news, &mut old_free, &mut new_free, &mut pairs, true);
    pairs.sort_unstable();
    pairs
}

type Words<'a> = rustc_hash::FxHashSet<std::borrow::Cow<'a, str>>;

/// A clause's words in lower case, without the punctuation around them. A word already in
/// lower case (most are) is borrowed, not copied.
fn word_set(text: &str) -> Words<'_> {
    crate::text::split_words(text)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
                std::borrow::Cow::Borrowed(w)
            } else {
                std::borrow::Cow::Owned(w.to_lowercase())
            }
        })
        .collect()
}

/// The clauses of both sides not aligned yet, each with its gap: how many aligned pairs come
/// before it on its side. An old and a new clause with the same gap sit between the same pairs.
struct Unmatched {
    old: Vec<(usize, usize)>,
    new: Vec<(usize, usize)>,
}

impl Unmatched {
    fn of(old_free: &[bool], new_free: &[bool], pairs: &[(usize, usize)]) -> Self {
        let side = |free: &[bool], paired: Vec<usize>| {
            let mut sorted = paired;
            sorted.sort_unstable();
            (0..free.len()).filter(|&i| free[i]).map(|i| (i, sorted.partition_point(|&p| p < i))).collect()
        };
        Self {
            old: side(old_free, pairs.iter().map(|p| p.0).collect()),
            new: side(new_free, pairs.iter().map(|p| p.1).collect()),
        }
    }
}

/// Pair unmatched clauses with the same number whose parents are paired (or that have none) and
/// that sit in the same gap between aligned pairs: the clause was rewritten in place.
fn same_place(
    olds: &[Side<'_>],
    news: &[Side<'_>],
    old_free: &mut [bool],
    new_free: &mut [bool],
    pairs: &mut Vec<(usize, usize)>,
) {
    let unmatched = Unmatched::of(old_free, new_free, pairs);
    let mut new_of_old: Vec<Option<usize>> = vec![None; olds.len()];
    for &(o, n) in pairs.iter() {
        new_of_old[o] = Some(n);
    }
    let mut new_at: HashMap<(&str, usize), Option<usize>> = HashMap::new();
    for &(n, gap) in unmatched.new.iter().filter(|(n, _)| news[*n].reference.unit.is_none()) {
        new_at.entry((news[n].reference.number.as_str(), gap)).and_modify(|v| *v = None).or_insert(Some(n));
    }
    // Old index order: a parent is paired before its children are looked at.
    for &(o, gap) in unmatched.old.iter().filter(|(o, _)| olds[*o].reference.unit.is_none()) {
        let Some(Some(n)) = new_at.get(&(olds[o].reference.number.as_str(), gap)).copied() else { continue };
        let parents_paired = match (olds[o].parent, news[n].parent) {
            (None, None) => true,
            (Some(op), Some(np)) => new_of_old[op] == Some(np),
            _ => false,
        };
        if parents_paired && new_free[n] {
            old_free[o] = false;
            new_free[n] = false;
            new_of_old[o] = Some(n);
            pairs.push((o, n));
        }
    }
}

fn similar_pairs(
    olds: &[Side<'_>],
    news: &[Side<'_>],
    old_free: &mut [bool],
    new_free: &mut [bool],
    pairs: &mut Vec<(usize, usize)>,
    lenient: bool,
) {
    let Unmatched { old: old_left, new: new_left } = Unmatched::of(old_free, new_free, pairs);
    // Every clause of one side paired already: no pair to find, and no word to count.
    if old_left.is_empty() || new_left.is_empty() {
        return;
    }
    let old_words: Vec<Words> = old_left.iter().map(|&(o, _)| word_set(&olds[o].text)).collect();
    let new_words: Vec<Words> = new_left.iter().map(|&(n, _)| word_set(&news[n].text)).collect();
    // Past a few hundred unmatched clauses a side, compare only near positions.
    let window = if old_left.len() * new_left.len() > 250_000 { 50 } else { usize::MAX };
    let mut candidates = Vec::new();
    for (i, ow) in old_words.iter().enumerate() {
        let near = i.saturating_sub(window)..i.saturating_add(window).saturating_add(1).min(new_words.len());
        for (j, nw) in new_words.iter().enumerate().take(near.end).skip(near.start) {
            if ow.is_empty() || nw.is_empty() || (lenient && old_left[i].1 != new_left[j].1) {
                continue;
            }
            let shared = ow.intersection(nw).count();
            let score = 2.0 * shared as f64 / (ow.len() + nw.len()) as f64;
            if score >= if lenient { 0.25 } else { 0.5 } {
                candidates.push((score, i, j));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i, j) in candidates {
        let (o, n) = (old_left[i].0, new_left[j].0);
        if old_free[o] && new_free[n] {
            old_free[o] = false;
            new_free[n] = false;
            pairs.push((o, n));
        }
    }
}

/// Each key with the index that holds it, or `None` when several do.
fn unique_keys<'a>(keys: impl Iterator<Item = Option<&'a str>>) -> HashMap<&'a str, Option<usize>> {
    let mut seen: HashMap<&str, Option<usize>> = HashMap::new();
    for (index, key) in keys.enumerate() {
        if let Some(key) = key {
            seen.entry(key).and_modify(|v| *v = None).or_insert(Some(index));
        }
    }
    seen
}

/// For pairs sorted by old index: which lie on a longest run of pairs whose new indices also
/// increase. The others are the ones that moved.
fn longest_in_order(pairs: &[(usize, usize)]) -> Vec<bool> {
    // Patience sorting: O(n log n).
    let mut tails: Vec<usize> = Vec::new();
    let mut previous = vec![usize::MAX; pairs.len()];
    for (index, &(_, n)) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].1 < n);
        if at > 0 {
            previous[index] = tails[at - 1];
        }
        if at == tails.len() {
            tails.push(index);
        } else {
            tails[at] = index;
        }
    }
    let mut keep = vec![false; pairs.len()];
    let mut at = tails.last().copied();
    while let Some(index) = at {
        keep[index] = true;
        at = (previous[index] != usize::MAX).then_some(previous[index]);
    }
    keep
}

fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Words and punctuation marks of a text, for the word-level redline, each with whether
/// whitespace came before it in the text.
fn tokens(text: &str) -> (Vec<&str>, Vec<bool>) {
    let (mut out, mut spaced) = (Vec::new(), Vec::new());
    for word in text.split_whitespace() {
        let first = out.len();
        let mut start = 0;
        for (at, c) in word.char_indices() {
            if !c.is_alphanumeric() && !matches!(c, '\'' | '’' | '-') {
                if start < at {
                    out.push(&word[start..at]);
                }
                out.push(&word[at..at + c.len_utf8()]);
                start = at + c.len_utf8();
            }
        }
        if start < word.len() {
            out.push(&word[start..]);
        }
        spaced.extend((first..out.len()).map(|index| index == first));
    }
    (out, spaced)
}

/// Join tokens as the text had them: a space where the text had whitespace.
fn join(tokens: &[&str], spaced: &[bool], out: &mut String) {
    for (token, spaced) in tokens.iter().zip(spaced) {
        if !out.is_empty() && *spaced {
            out.push(' ');
        }
        out.push_str(token);
    }
}

/// Whether a space goes between two pieces of a redline: none before closing marks, none after
/// opening ones.
#[must_use]
pub fn spaced(before: &str, after: &str) -> bool {
    let closing = after.starts_with(['.', ',', ';', ':', ')', ']', '”', '’', '!', '?', '%']);
    let opening = before.ends_with(['(', '[', '“', '$']);
    !before.is_empty() && !closing && !opening
}

/// The word-level redline of two texts, with the number of words inserted and deleted.
#[must_use]
pub fn redline(old: &str, new: &str) -> (Vec<Segment>, usize, usize) {
    let ((a, a_spaced), (b, b_spaced)) = (tokens(old), tokens(new));
    let ops = similar::capture_diff_slices(similar::Algorithm::Patience, &a, &b);
    let mut segments: Vec<Segment> = Vec::new();
    let (mut inserted, mut deleted) = (0, 0);
    let count = |tokens: &[&str]| tokens.iter().filter(|t| t.chars().any(char::is_alphanumeric)).count();
    let push = |segments: &mut Vec<Segment>, make: fn(String) -> Segment, words: &[&str], spaced: &[bool]| {
        if words.is_empty() {
            return;
        }
        let mut text = String::new();
        join(words, spaced, &mut text);
        segments.push(make(text));
    };
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let (old_words, old_spaced) = (&a[old_range.clone()], &a_spaced[old_range]);
        let (new_words, new_spaced) = (&b[new_range.clone()], &b_spaced[new_range]);
        match tag {
            // Unchanged words read as the new text spaces them.
            similar::DiffTag::Equal => push(&mut segments, Segment::Equal, new_words, new_spaced),
            similar::DiffTag::Delete => {
                deleted += count(old_words);
                push(&mut segments, Segment::Delete, old_words, old_spaced);
            }
            similar::DiffTag::Insert => {
                inserted += count(new_words);
                push(&mut segments, Segment::Insert, new_words, new_spaced);
            }
            similar::DiffTag::Replace => {
                deleted += count(old_words);
                inserted += count(new_words);
                push(&mut segments, Segment::Delete, old_words, old_spaced);
                push(&mut segments, Segment::Insert, new_words, new_spaced);
            }
        }
    }
    (segments, inserted, deleted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::FrontMatterRule;

    fn read(text: &str) -> Contract {
        Contract::read("c.md", text.to_owned(), FrontMatterRule::Optional, &mut Vec::new())
    }

    fn changes(old: &str, new: &str) -> Vec<(String, String, String)> {
        let (old, new) = (read(old), read(new));
        diff(Some(&old), Some(&new), &DiffOptions::default())
            .clauses
            .into_iter()
            .map(|c| {
                let number = |r: &Option<ClauseRef>| r.as_ref().map_or("-".to_owned(), |r| r.number.clone());
                (c.change.as_str().to_owned(), number(&c.old), number(&c.new))
            })
            .collect()
    }

    fn triple(change: &str, old: &str, new: &str) -> (String, String, String) {
        (change.into(), old.into(), new.into())
    }

    #[test]
    fn an_insertion_renumbers_what_follows() {
        let old = "1. **Scope**. Work.\n2. **Fees**. Pay.\n3. **Term**. One year.\n";
        let new = "1. **Scope**. Work.\n2. **Audit**. Customer may audit.\n3. **Fees**. Pay.\n4. **Term**. One year.\n";
        assert_eq!(
            changes(old, new),
            [triple("added", "-", "2"), triple("renumbered", "2", "3"), triple("renumbered", "3", "4")]
        );
    }

    #[test]
    fn unheaded_clauses_pair_by_text() {
        let old = "1. Alpha beta gamma.\n2. Delta epsilon.\n";
        let new = "1. Zeta eta theta iota.\n2. Alpha beta gamma.\n3. Delta epsilon.\n";
        assert_eq!(
            changes(old, new),
            [triple("added", "-", "1"), triple("renumbered", "1", "2"), triple("renumbered", "2", "3")]
        );
    }

    #[test]
    fn a_moved_clause_is_moved() {
        let old = "1. **Scope**. Work.\n2. **Fees**. Pay.\n3. **Term**. One year.\n4. **Law**. Norway.\n";
        let new = "1. **Scope**. Work.\n2. **Term**. One year.\n3. **Law**. Norway.\n4. **Fees**. Pay.\n";
        let found = changes(old, new);
        assert!(found.contains(&triple("moved", "2", "4")), "{found:?}");
        assert_eq!(found.iter().filter(|c| c.0 == "moved").count(), 1, "{found:?}");
    }

    /// Segments keep the text's own spacing: straight quotes, brackets and a comma that follows a
    /// change are not pulled apart.
    #[test]
    fn redline_keeps_the_spacing_of_the_text() {
        let (segments, inserted, deleted) = redline(
            "The Company owns any IP (\"Company IP\") that you create as its employee, but",
            "The Company owns any IP (\"Company IP\") that you create, during your employment, but",
        );
        assert_eq!((inserted, deleted), (3, 3));
        assert_eq!(
            segments,
            [
                Segment::Equal("The Company owns any IP (\"Company IP\") that you create".into()),
                Segment::Delete("as its employee".into()),
                Segment::Equal(",".into()),
                Segment::Insert("during your employment,".into()),
                Segment::Equal("but".into()),
            ]
        );
        assert!(spaced("create", "as its employee"));
        assert!(!spaced("as its employee", ","));
        assert!(!spaced("(", "iii"));
        assert!(!spaced("", "The"));
    }

    #[test]
    fn reworded_clauses_are_modified_with_a_redline() {
        let old = read("1. **Fees**. Customer pays within thirty days.\n");
        let new = read("1. **Fees**. Customer pays within sixty days of invoice.\n");
        let result = diff(Some(&old), Some(&new), &DiffOptions::default());
        let clause = &result.clauses[0];
        assert_eq!(clause.change, ClauseChange::Modified);
        assert_eq!((clause.inserted_words, clause.deleted_words), (3, 1));
        assert!(clause.material, "fees are material by default");
        assert_eq!(
            clause.redline,
            [
                Segment::Equal("Fees. Customer pays within".into()),
                Segment::Delete("thirty".into()),
                Segment::Insert("sixty".into()),
                Segment::Equal("days".into()),
                Segment::Insert("of invoice".into()),
                Segment::Equal(".".into()),
            ]
        );
    }

    #[test]
    fn front_matter_fields() {
        let old = read("+++\nid = \"a\"\n[value]\namount = 120000\ncurrency = \"USD\"\n+++\n");
        let new = read("+++\nid = \"a\"\nowner = \"@x\"\n[value]\namount = 150000\ncurrency = \"USD\"\n+++\n");
        let fields = diff(Some(&old), Some(&new), &DiffOptions::default()).fields;
        let shown: Vec<(String, String, bool)> =
            fields.iter().map(|f| (f.pointer.clone(), format!("{:?} → {:?}", f.old, f.new), f.material)).collect();
        assert_eq!(
            shown,
            [
                ("/value/amount".into(), "Some(Number(120000)) → Some(Number(150000))".into(), true),
                ("/owner".into(), "None → Some(String(\"@x\"))".into(), false),
            ]
        );
    }

    #[test]
    fn longest_run_in_order() {
        assert_eq!(longest_in_order(&[(0, 0), (1, 3), (2, 1), (3, 2)]), [true, false, true, true]);
        assert_eq!(longest_in_order(&[]), Vec::<bool>::new());
    }
}
