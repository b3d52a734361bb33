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
//!
//! This file holds the model of a diff and puts it together; `align` pairs the clauses and
//! `words` writes the word-level redline.

mod align;
mod words;

use align::{align, longest_in_order, sides};
use words::count_words;
pub(crate) use words::redline;
pub use words::spaced;

use crate::contract::Contract;
use crate::contract::clauses::Clause;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

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
    pub(crate) material_fields: Vec<String>,
    /// Words that make a clause material when its heading or id contains them.
    pub(crate) material_clauses: Vec<String>,
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
}

/// The words of `[diff] material` clauses, in lower case, each with the form an id takes
/// (`limitation-of-liability`): made once per diff, not once per clause compared.
struct Material(Vec<(String, String)>);

impl Material {
    fn of(options: &DiffOptions) -> Self {
        Self(
            options
                .material_clauses
                .iter()
                .map(|word| {
                    let word = word.to_lowercase();
                    let id = word.replace(' ', "-");
                    (word, id)
                })
                .collect(),
        )
    }

    /// A clause is material when it or any clause it sits in is named by `[diff] material`.
    fn clause(&self, clause: &ClauseRef) -> bool {
        !self.0.is_empty()
            && clause.names().any(|(id, heading)| {
                let heading = heading.unwrap_or("").to_lowercase();
                let id = id.to_lowercase();
                self.0.iter().any(|(word, as_id)| heading.contains(word.as_str()) || id.contains(as_id.as_str()))
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
    // The same body, word for word: no clause changed (a status, a signature, a field), and
    // nothing is read or aligned to say so. Most landings of a contract's history are such.
    let same_body = matches!((old, new), (Some(old), Some(new)) if body_of(old) == body_of(new));
    let mut clauses = if same_body { Vec::new() } else { clauses(old, new, options) };
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

/// A contract's text after its front matter.
fn body_of(contract: &Contract) -> &str {
    let start = contract.layout.as_ref().map_or(0, |layout| layout.body.min(contract.text.len()));
    &contract.text[start..]
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

fn clauses(old: Option<&Contract>, new: Option<&Contract>, options: &DiffOptions) -> Vec<ClauseDiff> {
    let (olds, news) = (sides(old), sides(new));
    let pairs = align(&olds, &news);
    let named = Material::of(options);
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
        let material = change != ClauseChange::Renumbered && (named.clause(&old_ref) || named.clause(&new_ref));
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
        let material = named.clause(&new_ref);
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
        let material = named.clause(&old_ref);
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

/// What kind of text a unit that is not a clause holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    Preamble,
    Part,
    Footnote,
}

/// What pairs a unit by heading: a clause's heading, compared as a title (case and
/// punctuation aside), or another unit's name, as written. Made into a key only for the units
/// the first two passes leave unpaired, which in most diffs are none.
enum HeadingKey<'a> {
    Title(&'a str),
    Name(String),
}

impl HeadingKey<'_> {
    fn key(&self) -> String {
        match self {
            Self::Title(heading) => crate::contract::prose::title_chars(heading).collect(),
            Self::Name(name) => name.clone(),
        }
    }
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
    /// What pairs it by heading in the third pass.
    heading: Option<HeadingKey<'a>>,
    /// How the clause's number is written (see [`numbering_style`]); `None` for a unit.
    style: Option<(u8, u8)>,
}

#[cfg(test)]
mod tests;
