//! Clause alignment: the clauses of two versions flattened into units (numbered clauses,
//! paragraphs, footnotes) and paired in the four passes the module describes, with what moved.

use rustc_hash::FxHashMap as HashMap;

use super::{ClauseRef, HeadingKey, Side, UnitKind, reference};
use crate::contract::Contract;

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

pub(crate) fn sides(contract: Option<&Contract>) -> Vec<Side<'_>> {
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
                    heading: clause.heading.as_deref().map(HeadingKey::Title),
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
                    heading: Some(HeadingKey::Name(unit.name.clone())),
                    style: None,
                }
            }
        })
        .collect()
}

/// The id that pairs a unit across versions, when it names the unit rather than its number.
fn stable<'s>(side: &'s Side<'_>) -> Option<&'s str> {
    side.stable_id.then_some(side.reference.id.as_str())
}

/// Pair old and new clauses (indices), in four passes.
pub(crate) fn align(olds: &[Side<'_>], news: &[Side<'_>]) -> Vec<(usize, usize)> {
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
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::default();
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
        let mut map: HashMap<String, Option<usize>> = HashMap::default();
        for (index, side) in sides.iter().enumerate() {
            if let (true, Some(heading)) = (free[index], &side.heading) {
                map.entry(heading.key()).and_modify(|v| *v = None).or_insert(Some(index));
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
    let mut new_at: HashMap<(&str, usize), Option<usize>> = HashMap::default();
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
    let mut seen: HashMap<&str, Option<usize>> = HashMap::default();
    for (index, key) in keys.enumerate() {
        if let Some(key) = key {
            seen.entry(key).and_modify(|v| *v = None).or_insert(Some(index));
        }
    }
    seen
}

/// For pairs sorted by old index: which lie on a longest run of pairs whose new indices also
/// increase. The others are the ones that moved.
pub(crate) fn longest_in_order(pairs: &[(usize, usize)]) -> Vec<bool> {
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
