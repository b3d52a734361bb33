//! A redline as Word tracked changes: the base version's paragraphs and the head version's,
//! merged so that "Accept all" gives the head's export and "Reject all" the base's.
//!
//! Paragraphs are aligned by their words (a renumbered clause is the same paragraph; Word's
//! numbering renumbers it). Where the two versions differ, an old paragraph is paired with the
//! most alike new one in the same place and the words between them are struck and inserted;
//! a paragraph whose words left one place and arrived at another is a Word move. What pairs
//! with nothing is a deleted or an inserted paragraph, its paragraph mark tracked too.

use std::collections::HashMap;

use similar::{Algorithm, DiffOp, DiffTag, capture_diff_slices};

use super::model::{Change, Document, Formerly, Para, Run};
use super::numbering::{Instance, Numbering};

/// Words and the spaces after them, each with the look of the run it came from.
fn tokens(runs: &[Run]) -> Vec<(String, &Run)> {
    let mut out: Vec<(String, &Run)> = Vec::new();
    for run in runs {
        let mut word = String::new();
        for c in run.text.chars() {
            let boundary = c.is_whitespace() || (c.is_ascii_punctuation() && !matches!(c, '\'' | '-'));
            if boundary {
                if !word.is_empty() {
                    out.push((std::mem::take(&mut word), run));
                }
                out.push((c.to_string(), run));
            } else {
                word.push(c);
            }
        }
        if !word.is_empty() {
            out.push((word, run));
        }
    }
    out
}

fn push(runs: &mut Vec<Run>, text: &str, look: &Run, change: Change) {
    match runs.last_mut() {
        Some(last)
            if last.change == change
                && last.bold == look.bold
                && last.italic == look.italic
                && last.code == look.code =>
        {
            last.text.push_str(text);
        }
        _ => runs.push(Run { text: text.to_owned(), change, ..look.clone() }),
    }
}

/// The runs of `new` with the words `old` had struck and the words it lacks inserted.
fn word_redline(old: &[Run], new: &[Run]) -> Vec<Run> {
    let (a, b) = (tokens(old), tokens(new));
    let left: Vec<&str> = a.iter().map(|(t, _)| t.as_str()).collect();
    let right: Vec<&str> = b.iter().map(|(t, _)| t.as_str()).collect();
    let mut runs = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &left, &right) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for (text, look) in &b[new_range] {
                    push(&mut runs, text, look, Change::None);
                }
            }
            DiffTag::Delete | DiffTag::Insert | DiffTag::Replace => {
                for (text, look) in &a[old_range] {
                    push(&mut runs, text, look, Change::Deleted);
                }
                for (text, look) in &b[new_range] {
                    push(&mut runs, text, look, Change::Inserted);
                }
            }
        }
    }
    runs
}

type Rows = Vec<Vec<Vec<Run>>>;

/// A table's rows with the change of each: rows alike by their words are the same row, their
/// cells redlined word by word; the rest are deleted or inserted rows.
fn table_redline(old: &Rows, new: &Rows) -> (Rows, Vec<Change>) {
    let text = |row: &Vec<Vec<Run>>| {
        row.iter().map(|cell| cell.iter().map(|r| r.text.as_str()).collect::<String>()).collect::<Vec<_>>().join("\t")
    };
    let left: Vec<String> = old.iter().map(text).collect();
    let right: Vec<String> = new.iter().map(text).collect();
    let whole = |row: &Vec<Vec<Run>>, change: Change| -> Vec<Vec<Run>> {
        row.iter().map(|cell| cell.iter().map(|r| Run { change, ..r.clone() }).collect()).collect()
    };
    let (mut rows, mut changes) = (Vec::new(), Vec::new());
    for op in capture_diff_slices(Algorithm::Myers, &left, &right) {
        let (tag, a, b) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            rows.extend(new[b].iter().cloned());
            changes.extend(std::iter::repeat_n(Change::None, a.len()));
            continue;
        }
        let paired = a.len().min(b.len());
        for (i, j) in a.clone().zip(b.clone()).take(paired) {
            if old[i].len() == new[j].len() {
                let cells = old[i].iter().zip(&new[j]).map(|(x, y)| word_redline(x, y)).collect();
                rows.push(cells);
                changes.push(Change::None);
            } else {
                rows.push(whole(&old[i], Change::Deleted));
                changes.push(Change::Deleted);
                rows.push(whole(&new[j], Change::Inserted));
                changes.push(Change::Inserted);
            }
        }
        for i in a.skip(paired) {
            rows.push(whole(&old[i], Change::Deleted));
            changes.push(Change::Deleted);
        }
        for j in b.skip(paired) {
            rows.push(whole(&new[j], Change::Inserted));
            changes.push(Change::Inserted);
        }
    }
    (rows, changes)
}

/// How alike two paragraphs' words are, 0 to 1.
fn likeness(old: &Para, new: &Para) -> f32 {
    words_likeness(&old.words(), &new.words())
}

/// How alike two texts are by their words, 0 to 1: twice the words in common over all words.
#[must_use]
pub(crate) fn words_likeness(a: &str, b: &str) -> f32 {
    let a: Vec<&str> = a.split_whitespace().collect();
    let b: Vec<&str> = b.split_whitespace().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let same: usize = capture_diff_slices(Algorithm::Myers, &a, &b)
        .iter()
        .filter(|op| op.tag() == DiffTag::Equal)
        .map(|op| op.new_range().len())
        .sum();
    (2 * same) as f32 / (a.len() + b.len()) as f32
}

/// A paragraph of one version as the redline shows it whole: inserted, deleted or moved.
fn whole(para: &Para, change: Change, moved: Option<u32>) -> Para {
    let mut out = para.clone();
    out.mark = change;
    out.moved = moved;
    for run in &mut out.runs {
        run.change = change;
    }
    if let Some(rows) = &mut out.table {
        for cell in rows.iter_mut().flatten() {
            for run in cell.iter_mut() {
                run.change = change;
            }
        }
        out.row_changes = vec![change; rows.len()];
    }
    out
}

/// The tracked-change document that takes `base` to `head`. Both must come from
/// [`super::model::document`]; the result keeps the head's numbering and properties.
#[must_use]
pub fn redline(base: &Document, head: &Document) -> Document {
    let key = |p: &Para| (p.words(), p.table.is_some());
    let old: Vec<_> = base.paras.iter().map(key).collect();
    let new: Vec<_> = head.paras.iter().map(key).collect();
    let ops = capture_diff_slices(Algorithm::Patience, &old, &new);
    // Moves: a paragraph deleted in one place and inserted, word for word, in another.
    let mut inserted: HashMap<&(String, bool), Vec<usize>> = HashMap::new();
    for op in &ops {
        if matches!(op.tag(), DiffTag::Insert | DiffTag::Replace) {
            for j in op.new_range() {
                if !new[j].0.trim().is_empty() {
                    inserted.entry(&new[j]).or_default().push(j);
                }
            }
        }
    }
    let mut moved_to: HashMap<usize, u32> = HashMap::new();
    let mut moved_from: HashMap<usize, u32> = HashMap::new();
    for op in &ops {
        if matches!(op.tag(), DiffTag::Delete | DiffTag::Replace) {
            for i in op.old_range() {
                if let Some(targets) = inserted.get_mut(&old[i])
                    && !targets.is_empty()
                {
                    let j = targets.remove(0);
                    let name = moved_from.len() as u32 + 1;
                    moved_from.insert(i, name);
                    moved_to.insert(j, name);
                }
            }
        }
    }
    // Base paragraphs keep their own numbering, as the redline's numbering holds it.
    let (numbering, instance_of) = merged_numbering(base, &head.numbering);
    let numbered = |para: &Para| {
        let mut para = para.clone();
        para.numbered = para.numbered.map(|(num, level)| (instance_of.get(&num).copied().unwrap_or(num), level));
        para
    };
    // A paragraph of both versions whose numbering, level or style differ: the base's recorded
    // as a tracked property change.
    let formerly = |old: &Para, new: &mut Para| {
        let old = numbered(old);
        if (old.style, old.numbered, old.indent) != (new.style, new.numbered, new.indent) && new.table.is_none() {
            new.formerly = Some(Formerly { style: old.style, numbered: old.numbered, indent: old.indent });
        }
    };
    // An old paragraph leaves: struck, or moved away.
    let gone = |i: usize| match moved_from.get(&i) {
        Some(&name) => whole(&numbered(&base.paras[i]), Change::MovedFrom, Some(name)),
        None => whole(&numbered(&base.paras[i]), Change::Deleted, None),
    };
    let mut paras: Vec<Para> = Vec::new();
    for op in &ops {
        if let DiffOp::Equal { old_index, new_index, len } = *op {
            for k in 0..len {
                let mut para = head.paras[new_index + k].clone();
                formerly(&base.paras[old_index + k], &mut para);
                paras.push(para);
            }
            continue;
        }
        let olds: Vec<usize> = op.old_range().collect();
        let mut pending: Vec<usize> = Vec::new();
        let mut o = 0;
        // In order: each new paragraph is paired with the next old one alike enough; the old
        // ones passed on the way leave, the new ones waiting arrive before the pair.
        for j in op.new_range() {
            // A partner is looked for among the next few old paragraphs only: a long stretch of
            // rewritten text would otherwise compare every old paragraph with every new one.
            let partner = (o..olds.len().min(o + PAIRING_WINDOW)).find(|&k| {
                let i = olds[k];
                let (old, new) = (&base.paras[i], &head.paras[j]);
                !moved_from.contains_key(&i)
                    && !moved_to.contains_key(&j)
                    && old.table.is_some() == new.table.is_some()
                    && (old.table.is_some() || likeness(old, new) >= 0.5)
            });
            let Some(k) = partner else {
                pending.push(j);
                continue;
            };
            paras.extend(olds[o..k].iter().map(|&i| gone(i)));
            paras.extend(pending.drain(..).map(|n| arriving(head, n, &moved_to)));
            let old = &base.paras[olds[k]];
            let mut para = head.paras[j].clone();
            formerly(old, &mut para);
            para.runs = word_redline(&old.runs, &head.paras[j].runs);
            if let (Some(before), Some(after)) = (&old.table, &head.paras[j].table) {
                let (rows, changes) = table_redline(before, after);
                para.table = Some(rows);
                para.row_changes = changes;
            }
            if para.literal != old.literal {
                // A footnote's label is no numbering: its change is tracked as words.
                let mut labels = Vec::new();
                for (text, change) in [(&old.literal, Change::Deleted), (&para.literal, Change::Inserted)] {
                    if !text.is_empty() {
                        labels.push(Run { text: format!("{text} "), change, ..Run::default() });
                    }
                }
                para.literal.clear();
                para.runs.splice(0..0, labels);
            }
            paras.push(para);
            o = k + 1;
        }
        paras.extend(olds[o..].iter().map(|&i| gone(i)));
        paras.extend(pending.drain(..).map(|n| arriving(head, n, &moved_to)));
    }
    join_insertions(&mut paras);
    Document { paras, numbering, properties: head.properties.clone() }
}

/// A paragraph inserted after one whose words end with an insertion: the insertion of a
/// paragraph mark is recorded on the paragraph before, as Word records pressing Enter at its
/// end, and the new paragraph's own mark is the old one. Both are the same change to Word, but
/// `LibreOffice` joins the two adjacent insertions into one range across the untracked mark
/// between them, and rejecting that range would take the mark, joining the paragraph with the
/// one after the insertion. The mark left to the joined paragraph has the properties of the
/// paragraph before, as a tracked property change where they differ.
fn join_insertions(paras: &mut [Para]) {
    for i in 1..paras.len() {
        let (before, after) = paras.split_at_mut(i);
        let (a, b) = (&mut before[i - 1], &mut after[0]);
        let ends_inserted = a.runs.last().is_some_and(|r| r.change == Change::Inserted);
        let inserted_whole = b.mark == Change::Inserted && b.runs.iter().all(|r| r.change == Change::Inserted);
        if a.mark != Change::None || !ends_inserted || !inserted_whole || a.table.is_some() || b.table.is_some() {
            continue;
        }
        let kept = a.formerly.take().unwrap_or(Formerly { style: a.style, numbered: a.numbered, indent: a.indent });
        a.mark = Change::Inserted;
        b.mark = Change::None;
        b.formerly = ((kept.style, kept.numbered, kept.indent) != (b.style, b.numbered, b.indent)).then_some(kept);
    }
}

/// The redline's numbering: the head's, with the base's definitions and instances added where
/// the head's differ, and for each base instance the redline instance that numbers as it did.
///
/// A base definition is the head's definition at the same place when the levels the base's
/// paragraphs use (and those above them, which their labels may show) are the same (each part
/// of a contract has its own, so two parts never share a list); a base instance is the head's
/// of the same id when it has that definition and the same start overrides.
fn merged_numbering(base_document: &Document, head: &Numbering) -> (Numbering, HashMap<u32, u32>) {
    let base = &base_document.numbering;
    // The deepest level the base's paragraphs use, per definition.
    let mut deepest: HashMap<usize, usize> = HashMap::new();
    for (num, level) in base_document.paras.iter().filter_map(|p| p.numbered) {
        if let Some(instance) = base.instances.get(&num.to_string()) {
            let at = deepest.entry(instance.definition).or_default();
            *at = (*at).max(level);
        }
    }
    let mut out = head.clone();
    let definition_of: Vec<usize> = base
        .definitions
        .iter()
        .enumerate()
        .map(|(d, levels)| {
            let used = deepest.get(&d).map_or(0, |deepest| deepest + 1).min(levels.len());
            let same =
                head.definitions.get(d).is_some_and(|theirs| theirs.len() >= used && levels[..used] == theirs[..used]);
            if same {
                d
            } else {
                out.definitions.push(levels.clone());
                out.definitions.len() - 1
            }
        })
        .collect();
    let mut ids: Vec<(u32, &Instance)> =
        base.instances.iter().filter_map(|(id, instance)| Some((id.parse().ok()?, instance))).collect();
    ids.sort_by_key(|(id, _)| *id);
    let mut next = out.instances.keys().filter_map(|id| id.parse::<u32>().ok()).max().unwrap_or(0);
    let mut instance_of = HashMap::new();
    for (id, instance) in ids {
        let mapped = Instance { definition: definition_of[instance.definition], starts: instance.starts.clone() };
        if head.instances.get(&id.to_string()) == Some(&mapped) {
            instance_of.insert(id, id);
        } else {
            next += 1;
            out.instances.insert(next.to_string(), mapped);
            instance_of.insert(id, next);
        }
    }
    (out, instance_of)
}

/// How many old paragraphs ahead a new one looks for its partner.
const PAIRING_WINDOW: usize = 16;

/// A new paragraph arrives: inserted, or moved here.
fn arriving(head: &Document, j: usize, moved_to: &HashMap<usize, u32>) -> Para {
    match moved_to.get(&j) {
        Some(&name) => whole(&head.paras[j], Change::MovedTo, Some(name)),
        None => whole(&head.paras[j], Change::Inserted, None),
    }
}
