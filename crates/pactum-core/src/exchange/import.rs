//! A counterparty's Word copy back into the contract: their tracked changes accepted, mapped to
//! the paragraphs pactum exported, and written into the body as a proposal.
//!
//! Each paragraph of the returned document is found again by the bookmark export put on it.
//! A bookmark is trusted only where the paragraph's words before the counterparty's changes
//! (every change rejected) are the exported words; otherwise the paragraph is found by those
//! words. A paragraph whose words and number came back unchanged is written as the very bytes
//! it was exported from, so an unmodified export imports as no change at all. A changed one
//! keeps its Markdown marks and clause number style, with Word's new number and new words.
//!
//! What cannot be written into the body (an edited table, cover page or signature block, a
//! formatting change) is returned as [`Unmapped`], never dropped.

use std::collections::HashMap;

use super::docx::BOOKMARK;
use super::model::{Document, Origin, Para};
use super::read::{Comment, Shown, View, WordDocument};
use crate::contract::Contract;

/// A change the body cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// Where: `clause 4.2`, `the cover page`, `a table after clause 3`.
    pub place: String,
    pub what: String,
}

/// A comment placed on the clause it was made on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub comment: Comment,
    /// `clause 3.2 — Late Payment`, `the preamble`, `a new paragraph after clause 4`.
    pub place: String,
    /// The words commented on, as the counterparty's copy shows them.
    pub words: String,
}

/// What one paragraph of the proposal does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Changed,
    Moved,
    Renumbered,
    Added,
    Removed,
}

/// The proposal an import makes.
#[derive(Debug, Clone, Default)]
pub struct Proposal {
    /// The contract file with the proposal written into its body.
    pub text: String,
    /// Each edited paragraph: what happened and where.
    pub edits: Vec<(Edit, String)>,
    pub comments: Vec<Placed>,
    pub unmapped: Vec<Unmapped>,
}

/// The name of the place a base paragraph is.
fn place(contract: &Contract, para: &Para) -> String {
    match (&para.origin, para.clause) {
        (Origin::Cover, _) => "the cover page".to_owned(),
        (Origin::Signature, _) => "the signature blocks".to_owned(),
        (Origin::Body { .. }, Some(c)) => clause_name(contract, c),
        (Origin::Body { segment, .. }, None) => {
            match contract.body.clauses.iter().rposition(|c| c.start < segment.start) {
                Some(c) if contract.body.clauses[c].end > segment.start => {
                    format!("{} (text)", clause_name(contract, c))
                }
                Some(c) => format!("the text after {}", clause_name(contract, c)),
                None => "the preamble".to_owned(),
            }
        }
    }
}

/// The clause number a paragraph gets when Word shows `label` on it (`no number` for none): its own clause number
/// with the part Word shows replaced (`5(b)` shown as `(c)` is `5(c)`; `2.3` shown as `2.4` is
/// `2.4`).
fn number_with(contract: &Contract, para: &Para, label: &str) -> String {
    let new = label.trim_end_matches('.');
    if new.is_empty() {
        return "no number".to_owned();
    }
    let old = para.label.trim_end_matches('.');
    match para.clause.map(|c| contract.body.clauses[c].number.as_str()) {
        Some(number) if !old.is_empty() && number.ends_with(old) => {
            format!("{}{new}", &number[..number.len() - old.len()])
        }
        _ => new.to_owned(),
    }
}

fn clause_name(contract: &Contract, clause: usize) -> String {
    let c = &contract.body.clauses[clause];
    match &c.heading {
        Some(heading) => format!("clause {} — {heading}", c.number),
        None => format!("clause {}", c.number),
    }
}

/// Markdown for runs of Word text that make a paragraph's words: emphasis as `**`/`*`,
/// characters Markdown would read as marks escaped, line breaks as hard breaks. Text typed in
/// Word that looks like Markdown (`## 9. Extra {#id}`, `---`, `1. `) stays text, on every line.
#[must_use]
pub fn markdown(runs: &[super::read::Run]) -> String {
    markdown_with(runs, true)
}

/// Markdown for words set inside a line: as [`markdown`], but the first line is not at the
/// start of a block, so what opens a block there needs no escape.
fn markdown_inline(runs: &[super::read::Run]) -> String {
    markdown_with(runs, false)
}

fn markdown_with(runs: &[super::read::Run], first_line_opens: bool) -> String {
    let mut out = String::new();
    for run in runs {
        let mut text = String::with_capacity(run.text.len());
        let mut chars = run.text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' | '*' | '_' | '`' | '[' | ']' | '<' => {
                    text.push('\\');
                    text.push(c);
                }
                // A heading's `{#id}` attribute.
                '{' if chars.peek() == Some(&'#') => text.push_str("\\{"),
                '\n' => text.push_str("\\\n"),
                '\t' => text.push(' '),
                c => text.push(c),
            }
        }
        let mark = match (run.bold, run.italic) {
            (true, true) => "***",
            (true, false) => "**",
            (false, true) => "*",
            (false, false) => "",
        };
        let inner = text.trim();
        if mark.is_empty() || inner.is_empty() {
            out.push_str(&text);
            continue;
        }
        let before = &text[..text.len() - text.trim_start().len()];
        let after = &text[text.trim_end().len()..];
        out.push_str(before);
        out.push_str(mark);
        out.push_str(inner);
        out.push_str(mark);
        out.push_str(after);
    }
    // A line must not open a block Markdown would read another way: a heading, a quote, a
    // list item, a thematic break, a table, a fence, a setext underline.
    let mut lines: Vec<String> = Vec::new();
    for (i, line) in out.split('\n').enumerate() {
        let at_start = i > 0 || first_line_opens;
        let indent = line.len() - line.trim_start_matches(' ').len();
        let (spaces, rest) = line.split_at(indent);
        // `5. ` or `5)` then a space or the line's end: a list item (`5.2` is none).
        let ordinal = rest.find(['.', ')']).filter(|&n| {
            n > 0
                && n <= 9
                && rest[..n].bytes().all(|b| b.is_ascii_digit())
                && rest[n + 1..].chars().next().is_none_or(|c| c == ' ' || c == '\t')
        });
        if !at_start {
            lines.push(line.to_owned());
        } else if let Some(n) = ordinal {
            // `5. ` would be a list item: the mark after the number is escaped.
            lines.push(format!("{spaces}{}\\{}", &rest[..n], &rest[n..]));
        } else if rest.starts_with(['#', '>', '-', '+', '|', '=', '~']) {
            lines.push(format!("{spaces}\\{rest}"));
        } else {
            lines.push(line.to_owned());
        }
    }
    lines.join("\n")
}

/// Replace the clause label `old` with `new` in a paragraph's lead (`## 5. `, `5.2 `, `(b) `,
/// a list marker `2. `).
fn relabel(lead: &str, old: &str, new: &str) -> Option<String> {
    let bare = |label: &str| label.trim_end_matches('.').to_owned();
    let (old, new) = (bare(old), bare(new));
    if new.is_empty() {
        // Word shows no number: the label goes, with the mark and spaces after it.
        let at = bounded_find(lead, &old)?;
        let rest = lead[at + old.len()..].trim_start_matches(['.', ')']).trim_start_matches([' ', '\t']);
        return Some(format!("{}{rest}", &lead[..at]));
    }
    // A list marker carries only the last number.
    let trimmed = lead.trim_start();
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(trimmed.as_bytes().get(digits), Some(b'.' | b')')) && !old.contains('.') {
        let last = new.rsplit(['.', '(']).next().unwrap_or(&new).trim_end_matches(')');
        if last.bytes().all(|b| b.is_ascii_digit()) {
            let indent = &lead[..lead.len() - trimmed.len()];
            return Some(format!("{indent}{last}{}", &trimmed[digits..]));
        }
    }
    let at = bounded_find(lead, &old)?;
    Some(format!("{}{new}{}", &lead[..at], &lead[at + old.len()..]))
}

/// Where `label` first stands in `lead` as a whole (no letter or digit either side).
fn bounded_find(lead: &str, label: &str) -> Option<usize> {
    if label.is_empty() {
        return None;
    }
    let bytes = lead.as_bytes();
    let mut from = 0;
    while let Some(found) = lead[from..].find(label) {
        let at = from + found;
        let end = at + label.len();
        let bounded = (at == 0 || !bytes[at - 1].is_ascii_alphanumeric())
            && (end == bytes.len() || !bytes[end].is_ascii_alphanumeric());
        if bounded {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn bookmark_index(shown: &Shown) -> Option<usize> {
    shown.bookmarks.iter().find_map(|b| b.strip_prefix(BOOKMARK)?.parse().ok())
}

/// One entry of the returned document: a paragraph, or a whole table.
struct Entry {
    shown: Shown,
    /// For a table, its cells' words in the exported layout.
    words: String,
}

fn entries(view: Vec<Shown>) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut table: Option<(usize, Vec<Vec<String>>)> = None;
    let flush = |table: &mut Option<(usize, Vec<Vec<String>>)>, out: &mut Vec<Entry>, first: &mut Option<Shown>| {
        if let (Some((_, rows)), Some(shown)) = (table.take(), first.take()) {
            let words = rows.iter().map(|r| r.join("\t")).collect::<Vec<_>>().join("\n");
            out.push(Entry { shown, words });
        }
    };
    let mut first: Option<Shown> = None;
    for shown in view {
        let Some((t, r, c)) = shown.cell else {
            flush(&mut table, &mut out, &mut first);
            let words = shown.words();
            out.push(Entry { shown, words });
            continue;
        };
        if table.as_ref().is_some_and(|(at, _)| *at != t) {
            flush(&mut table, &mut out, &mut first);
        }
        let (_, rows) = table.get_or_insert_with(|| (t, Vec::new()));
        while rows.len() <= r {
            rows.push(Vec::new());
        }
        while rows[r].len() <= c {
            rows[r].push(String::new());
        }
        if !rows[r][c].is_empty() {
            rows[r][c].push('\n');
        }
        rows[r][c].push_str(&shown.words());
        match first.as_mut() {
            Some(f) => {
                f.bookmarks.extend(shown.bookmarks.iter().cloned());
                f.comments.extend(shown.comments.iter().cloned());
                f.changed |= shown.changed;
                f.moved |= shown.moved;
                f.formatting_changed |= shown.formatting_changed;
            }
            None => first = Some(shown),
        }
    }
    flush(&mut table, &mut out, &mut first);
    out
}

/// Which base paragraph each entry of the returned document is.
fn map(base: &Document, accepted: &[Entry], rejected: &[Entry]) -> Vec<Option<usize>> {
    let before: HashMap<usize, &str> =
        rejected.iter().filter_map(|e| Some((bookmark_index(&e.shown)?, e.words.as_str()))).collect();
    let mut by_words: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, para) in base.paras.iter().enumerate() {
        by_words.entry(para.words()).or_default().push(k);
    }
    let mut used = vec![false; base.paras.len()];
    let mut out = Vec::with_capacity(accepted.len());
    let mut last = 0;
    for entry in accepted {
        let trusted = bookmark_index(&entry.shown).filter(|&k| {
            k < base.paras.len() && !used[k] && before.get(&k).is_some_and(|w| *w == base.paras[k].words())
        });
        let found = trusted.or_else(|| {
            // Without a bookmark to trust: the first unused paragraph with these words, after
            // the last one found.
            let candidates = by_words.get(&entry.words)?;
            candidates.iter().copied().find(|&k| k >= last && !used[k])
        });
        if let Some(k) = found {
            used[k] = true;
            last = k;
        }
        out.push(found);
    }
    // A paragraph the return deleted (its bookmark is in the copy before the changes, not
    // after) is not taken for a new paragraph that took its place: that is a removal and an
    // addition, as the counterparty recorded them.
    let after: std::collections::HashSet<usize> = accepted.iter().filter_map(|e| bookmark_index(&e.shown)).collect();
    let deleted: std::collections::HashSet<usize> =
        before.keys().copied().filter(|k| !after.contains(k) && !used.get(*k).copied().unwrap_or(true)).collect();
    // A paragraph neither bookmark nor words found (a copy that lost its bookmarks, then edited):
    // the unused paragraph between its found neighbours with the number Word shows on it, else
    // the one most alike, if at least half its words are the same.
    for i in 0..out.len() {
        if out[i].is_some() || accepted[i].words.trim().is_empty() {
            continue;
        }
        let after = out[..i].iter().rev().find_map(|k| *k).map_or(0, |k| k + 1);
        let before = out[i + 1..].iter().find_map(|k| *k).unwrap_or(base.paras.len());
        let candidates = || {
            (after..before.max(after)).filter(|&k| !used[k] && !deleted.contains(&k) && base.paras[k].table.is_none())
        };
        let label = accepted[i].shown.label.as_deref().filter(|l| !l.is_empty());
        let by_label = label.and_then(|l| candidates().find(|&k| base.paras[k].label == l));
        let by_likeness = || {
            candidates()
                .map(|k| (k, super::redline::words_likeness(&base.paras[k].words(), &accepted[i].words)))
                .filter(|(_, alike)| *alike >= 0.5)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(k, _)| k)
        };
        if let Some(k) = by_label.or_else(by_likeness) {
            used[k] = true;
            out[i] = Some(k);
        }
    }
    // A paragraph moved elsewhere (a Word move, or cut and pasted): the same words, anywhere.
    for i in 0..out.len() {
        if out[i].is_some() || accepted[i].words.trim().is_empty() {
            continue;
        }
        if let Some(&k) = by_words.get(&accepted[i].words).and_then(|ks| ks.iter().find(|&&k| !used[k])) {
            used[k] = true;
            out[i] = Some(k);
        }
    }
    out
}

/// Where each byte of a Markdown inline text's words sits in the text, if the text is made of
/// nothing but words, emphasis, links and code spans (anything else: `None`).
fn located_words(markdown: &str) -> Option<(String, Vec<usize>)> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut words = String::new();
    let mut at: Vec<usize> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, super::model::OPTIONS).into_offset_iter() {
        match event {
            Event::Text(t) => {
                let source = &markdown[range.clone()];
                // Escapes and entities are words of another length than their source: the
                // whole run of them maps to its start, and an edit inside falls back.
                let exact = source == &*t;
                for i in 0..t.len() {
                    at.push(if exact { range.start + i } else { usize::MAX });
                }
                words.push_str(&t);
            }
            Event::Code(t) => {
                let offset = markdown[range.clone()].find(&*t)?;
                at.extend((0..t.len()).map(|i| range.start + offset + i));
                words.push_str(&t);
            }
            Event::SoftBreak => {
                at.push(usize::MAX);
                words.push(' ');
            }
            Event::Start(Tag::Paragraph | Tag::Strong | Tag::Emphasis | Tag::Link { .. })
            | Event::End(TagEnd::Paragraph | TagEnd::Strong | TagEnd::Emphasis | TagEnd::Link) => {}
            _ => return None,
        }
    }
    Some((words, at))
}

/// Byte ranges of a text's words and of each space and punctuation mark between them.
fn token_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut word: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || (c.is_ascii_punctuation() && !matches!(c, '\'' | '-')) {
            if let Some(start) = word.take() {
                out.push(start..i);
            }
            out.push(i..i + c.len_utf8());
        } else if word.is_none() {
            word = Some(i);
        }
    }
    if let Some(start) = word {
        out.push(start..text.len());
    }
    out
}

/// The paragraph's Markdown with the counterparty's word edits made where the words sit, so
/// that links, code spans and escapes around them stay. `None` where that cannot be done
/// exactly (an edit inside markup, new emphasis): the paragraph is then written afresh.
fn edit_in_place(content: &str, old_words: &str, runs: &[super::read::Run]) -> Option<String> {
    use similar::{Algorithm, DiffTag, capture_diff_slices};
    let (words, at) = located_words(content)?;
    if words.trim_end() != old_words {
        return None;
    }
    let new_words: String = runs.iter().map(|r| r.text.as_str()).collect();
    // The emphasis of each byte of the new words: an edit may only add plain words.
    let plain: Vec<bool> = runs.iter().flat_map(|r| std::iter::repeat_n(!r.bold && !r.italic, r.text.len())).collect();
    let (old_tokens, new_tokens) = (token_ranges(old_words), token_ranges(&new_words));
    let left: Vec<&str> = old_tokens.iter().map(|r| &old_words[r.clone()]).collect();
    let right: Vec<&str> = new_tokens.iter().map(|r| &new_words[r.clone()]).collect();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &left, &right) {
        let (tag, a, b) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        let (from, to) = match (old_tokens.get(a.start), a.end.checked_sub(1).and_then(|e| old_tokens.get(e))) {
            (Some(first), Some(last)) if !a.is_empty() => (first.start, last.end),
            _ => {
                let point = old_tokens.get(a.start).map_or(old_words.len(), |t| t.start);
                (point, point)
            }
        };
        // The source of the words replaced: every byte located, one stretch with no mark in it.
        let source = if from == to {
            let point = at.get(from).copied().or_else(|| at.last().map(|l| l + 1)).filter(|p| *p != usize::MAX)?;
            point..point
        } else {
            let (start, end) = (at.get(from).copied()?, at.get(to - 1).copied()?);
            if start == usize::MAX || end == usize::MAX || end < start || end + 1 - start != to - from {
                return None;
            }
            start..end + 1
        };
        let inserted = b.clone().map(|i| &new_words[new_tokens[i].clone()]).collect::<String>();
        let inserted_plain =
            b.into_iter().all(|i| new_tokens[i].clone().all(|byte| plain.get(byte).copied().unwrap_or(true)));
        if !inserted_plain {
            return None;
        }
        let run = [super::read::Run { text: inserted, ..Default::default() }];
        // Words put at the very start of the paragraph's words start its block.
        let escaped = if source.start == 0 { markdown(&run) } else { markdown_inline(&run) };
        edits.push((source, escaped));
    }
    let mut out = content.to_owned();
    for (range, text) in edits.into_iter().rev() {
        out.replace_range(range, &text);
    }
    // Whatever was done, the words must come out as the counterparty's.
    let (check, _) = located_words(&out)?;
    (check.trim_end() == new_words.trim_end()).then_some(out)
}

/// The values of the longest strictly increasing run (not necessarily adjacent) of `values`.
fn longest_increasing(values: &[usize]) -> std::collections::HashSet<usize> {
    // Patience sorting: the smallest tail of a run of each length, and each value's predecessor.
    let mut tails: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; values.len()];
    for (i, &v) in values.iter().enumerate() {
        let at = tails.partition_point(|&t| values[t] < v);
        before[i] = at.checked_sub(1).map(|p| tails[p]);
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut out = std::collections::HashSet::new();
    let mut at = tails.last().copied();
    while let Some(i) = at {
        out.insert(values[i]);
        at = before[i];
    }
    out
}

/// What changed between two texts of a table or block, line by line (a table's row is a line):
/// `edited to: Value, USD 150000 per year` (cells apart by a tab).
fn changed_lines(old: &str, new: &str) -> String {
    let before: Vec<&str> = old.lines().collect();
    let after: Vec<&str> = new.lines().collect();
    let added: Vec<&str> = after.iter().copied().filter(|l| !before.contains(l)).collect();
    let removed: Vec<&str> = before.iter().copied().filter(|l| !after.contains(l)).collect();
    match (added.is_empty(), removed.is_empty()) {
        (false, _) if removed.len() == added.len() => format!("edited to: {}", added.join(" / ")),
        (false, true) => format!("added: {}", added.join(" / ")),
        (true, false) => format!("removed: {}", removed.join(" / ")),
        _ => format!("edited to: {}", added.join(" / ")),
    }
}

/// Why a returned Word document cannot be imported into a contract as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The document carries no pactum properties: it was never exported by pactum.
    NotExported,
    /// It was exported from another contract.
    OtherContract { from: String, this: String },
    /// It was exported from an earlier version of this contract: the commit that holds that
    /// version (short form) and its subject, when the history has it.
    EarlierVersion { commit: String, subject: String },
    /// It was exported from a version of this contract the repository does not have.
    UnknownVersion,
}

impl Refusal {
    /// What to tell whoever imports `file`.
    #[must_use]
    pub fn message(&self, file: &str) -> String {
        match self {
            Self::NotExported => format!(
                "{file} was not exported by pactum (it has no pactum document properties): adopt it with --new, or pass --force to map its paragraphs by their words"
            ),
            Self::OtherContract { from, this } => {
                format!("the document was exported from contract {from}, not {this}; pass --force to import it anyway")
            }
            Self::EarlierVersion { commit, subject } => format!(
                "the document was exported from an earlier version of {file} (commit {commit} \"{subject}\"), and the contract has changed since: export it again for the counterparty, or pass --force to map their changes onto the current text by its words"
            ),
            Self::UnknownVersion => format!(
                "the document was exported from a version of {file} that this repository does not have; pass --force to map its changes onto the current text by its words"
            ),
        }
    }
}

/// Whether `word` can be imported into `contract` as it is: exported by pactum, from this
/// contract, from its current text. `version_of` finds, by the hash of the text a copy was
/// exported from, the commit holding that version and its subject (the history's, asked only
/// when the text differs).
pub(crate) fn refusal(
    word: &WordDocument,
    contract: &Contract,
    version_of: impl FnOnce(&str) -> Option<(String, String)>,
) -> Option<Refusal> {
    let properties = &word.properties;
    let Some(source) = properties.get(super::docx::PROPERTY_SOURCE) else {
        return Some(Refusal::NotExported);
    };
    let exported_from =
        properties.get(super::docx::PROPERTY_CONTRACT).or_else(|| properties.get(super::docx::PROPERTY_PATH));
    let this = contract.meta.id.clone().unwrap_or_else(|| contract.path.clone());
    if let Some(from) = exported_from
        && properties.contains_key(super::docx::PROPERTY_CONTRACT) == contract.meta.id.is_some()
        && *from != this
    {
        return Some(Refusal::OtherContract { from: from.clone(), this });
    }
    if *source == super::model::sha256(&contract.text) {
        return None;
    }
    Some(match version_of(source) {
        Some((commit, subject)) => Refusal::EarlierVersion { commit, subject },
        None => Refusal::UnknownVersion,
    })
}

/// The version of `path` (relative to the repository root) in `repo`'s history whose text
/// hashes as `source`: its commit (short) and subject.
pub(crate) fn version_in_history(repo: &crate::repo::Repo, path: &str, source: &str) -> Option<(String, String)> {
    let git = crate::history::Git::open(&repo.root).ok()?;
    let (commit, _) = git.find_version(path, 10_000, |bytes| {
        let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
        super::model::sha256(&text) == source
    })?;
    let info = git.info(commit).ok()?;
    Some((git.short(commit), info.message.lines().next().unwrap_or("").to_owned()))
}

/// The cover page a copy was sent with: the key terms the copy records; every key term for a
/// copy exported before they were recorded; `default` for a document pactum did not export.
pub(crate) fn cover_of(word: &WordDocument, default: &[crate::contract::KeyTerm]) -> Vec<crate::contract::KeyTerm> {
    use crate::contract::KeyTerm;
    match word.properties.get(super::docx::PROPERTY_COVER) {
        Some(names) => names.split(',').filter_map(KeyTerm::named).collect(),
        None if word.properties.contains_key(super::docx::PROPERTY_SOURCE) => KeyTerm::ALL.to_vec(),
        None => default.to_vec(),
    }
}

/// A counterparty's return, received into `contract`: refused (unless `force`) when it was not
/// exported from this contract's current text, whose earlier versions `repo`'s history holds
/// (at `path`); else the proposal it makes against the contract as it was exported, with the
/// cover page the copy was sent with (`default_cover` for a document pactum did not export).
///
/// # Errors
/// The refusal, unless `force`.
pub fn receive(
    word: &WordDocument,
    contract: &Contract,
    history: Option<(&crate::repo::Repo, &str)>,
    default_cover: &[crate::contract::KeyTerm],
    force: bool,
) -> Result<Proposal, Refusal> {
    if !force
        && let Some(why) =
            refusal(word, contract, |source| history.and_then(|(repo, path)| version_in_history(repo, path, source)))
    {
        return Err(why);
    }
    let base = super::model::document(contract, &cover_of(word, default_cover));
    Ok(propose(contract, &base, word))
}

/// The proposal the returned document makes to `contract`, exported as `base`.
#[must_use]
pub(crate) fn propose(contract: &Contract, base: &Document, word: &WordDocument) -> Proposal {
    let text = &contract.text;
    let accepted = entries(word.view(View::Accepted));
    let rejected = entries(word.view(View::Rejected));
    let mapping = map(base, &accepted, &rejected);
    // The base paragraphs the counterparty's copy had: one it never had (the contract changed
    // after the export, and the import was told to proceed) is kept, not taken as removed.
    let mut in_copy = vec![false; base.paras.len()];
    for k in map(base, &rejected, &rejected).into_iter().flatten() {
        in_copy[k] = true;
    }
    let body_start = contract.layout.as_ref().map_or(0, |l| l.body);
    let first_segment = base.paras.iter().find_map(|p| match &p.origin {
        Origin::Body { segment, .. } => Some(segment.start),
        _ => None,
    });
    // The base paragraphs found in their own order (the longest such run): every other found
    // paragraph has moved. Word's own record comes first: a paragraph it marks as moved here
    // has moved.
    let in_order = longest_increasing(
        &mapping
            .iter()
            .zip(&accepted)
            .filter(|(_, entry)| !entry.shown.moved)
            .filter_map(|(k, _)| *k)
            .collect::<Vec<_>>(),
    );
    let mut writer = Writer {
        contract,
        base,
        word,
        comments: word.comments.iter().map(|c| (c.id.as_str(), c)).collect(),
        in_copy,
        in_order,
        out: String::with_capacity(text.len() + 1024),
        proposal: Proposal::default(),
        seen: vec![false; base.paras.len()],
        previous: None,
        at_level: HashMap::new(),
    };
    writer.out.push_str(&text[..first_segment.unwrap_or(text.len()).max(body_start)]);
    for (entry, found) in accepted.iter().zip(&mapping) {
        writer.notes(entry, *found);
        match *found {
            Some(k) => writer.found(entry, k),
            None => writer.added(entry),
        }
    }
    writer.finish(first_segment.is_some())
}

/// The contract written with a return's paragraphs, in their order, and what is said of them.
struct Writer<'a> {
    contract: &'a Contract,
    base: &'a Document,
    word: &'a WordDocument,
    comments: HashMap<&'a str, &'a Comment>,
    /// Which base paragraphs the counterparty's copy had, and which of those it kept in order.
    in_copy: Vec<bool>,
    in_order: std::collections::HashSet<usize>,
    out: String,
    proposal: Proposal,
    /// Which base paragraphs are written.
    seen: Vec<bool>,
    /// The base paragraph written last, and the last one at each numbering level.
    previous: Option<usize>,
    at_level: HashMap<(String, usize), usize>,
}

impl Writer<'_> {
    /// Where an entry of the return is (`found`: the base paragraph it is), named only when
    /// something is reported there.
    fn here(&self, found: Option<usize>) -> String {
        let (contract, base) = (self.contract, self.base);
        match (found, self.previous) {
            (Some(k), _) => place(contract, &base.paras[k]),
            (None, Some(p)) => format!("a new paragraph after {}", place(contract, &base.paras[p])),
            (None, None) => "a new paragraph at the start".to_owned(),
        }
    }

    /// A comment's place, named as the counterparty's copy numbers it.
    fn comment_place(&self, entry: &Entry, found: Option<usize>) -> String {
        let (contract, base) = (self.contract, self.base);
        match (found, entry.shown.label.as_deref()) {
            (Some(k), Some(label)) if base.paras[k].numbered.is_some() && label != base.paras[k].label => {
                let para = &base.paras[k];
                let heading = para
                    .clause
                    .and_then(|c| contract.body.clauses[c].heading.as_deref())
                    .map(|h| format!(" — {h}"))
                    .unwrap_or_default();
                let was = para.clause.map_or(para.label.as_str(), |c| contract.body.clauses[c].number.as_str());
                format!("clause {}{heading} ({was} before this return)", number_with(contract, para, label))
            }
            _ => self.here(found),
        }
    }

    /// The comments on an entry, what of it is not imported, and a formatting change.
    fn notes(&mut self, entry: &Entry, found: Option<usize>) {
        let word = self.word;
        // A comment's place is named as the counterparty's copy numbers it.
        for id in &entry.shown.comments {
            if let Some(comment) = self.comments.get(id.as_str()) {
                // The words the comment was made on, else its paragraph's.
                let words = word
                    .commented
                    .get(id)
                    .map(|w| w.trim())
                    .filter(|w| !w.is_empty())
                    .unwrap_or(&entry.words)
                    .to_owned();
                self.proposal.comments.push(Placed {
                    comment: (*comment).clone(),
                    place: self.comment_place(entry, found),
                    words,
                });
            }
        }
        for unread in &entry.shown.unread {
            self.proposal.unmapped.push(Unmapped { place: self.here(found), what: unread.clone() });
        }
        if entry.shown.formatting_changed {
            self.proposal.unmapped.push(Unmapped {
                place: self.here(found),
                what: "a formatting change (not kept: the contract's text carries no formatting but emphasis)"
                    .to_owned(),
            });
        }
    }

    /// An entry the base does not have: a new paragraph, written in the style of the paragraph
    /// at its numbering level; a new table, or a paragraph among the cover or signatures, is
    /// reported, not written.
    fn added(&mut self, entry: &Entry) {
        let (contract, base, text) = (self.contract, self.base, self.contract.text.as_str());
        let found = None;
        if entry.words.trim().is_empty() {
            return;
        }
        if entry.shown.cell.is_some() {
            self.proposal
                .unmapped
                .push(Unmapped { place: self.here(found), what: format!("a new table: {}", entry.words) });
            return;
        }
        if self.previous.is_some_and(|p| !matches!(base.paras[p].origin, Origin::Body { .. })) {
            self.proposal
                .unmapped
                .push(Unmapped { place: self.here(found), what: format!("a new paragraph: {}", entry.words) });
            return;
        }
        // A new paragraph: written in the style of the paragraph at its numbering level.
        let template = entry.shown.number.as_ref().and_then(|n| {
            self.at_level.get(n).copied().or_else(|| {
                base.paras
                    .iter()
                    .position(|p| p.numbered.is_some_and(|(num, level)| num.to_string() == n.0 && level == n.1))
            })
        });
        let mut lead = String::new();
        let mut trail = "\n\n".to_owned();
        if let (Some(t), Some(label)) = (template, entry.shown.label.as_deref()) {
            let para = &base.paras[t];
            if let Origin::Body { segment, content } = &para.origin {
                let old_lead = &text[segment.start..content.start];
                if let Some(new) = relabel(old_lead, &para.label, label) {
                    new.trim_start_matches('\n').clone_into(&mut lead);
                } else {
                    lead = format!("{} ", label.trim_end_matches('.'));
                }
                let old_trail = &text[content.end..segment.end];
                let ws = old_trail.len() - old_trail.trim_start_matches([' ', '\t', '\r', '\n']).len();
                let kept = &old_trail[..ws];
                if kept.contains('\n') {
                    kept.trim_start_matches([' ', '\t']).clone_into(&mut trail);
                }
            }
        } else if let Some(label) = entry.shown.label.as_deref() {
            lead = format!("{} ", label.trim_end_matches('.'));
        }
        if lead.is_empty() && !self.out.ends_with("\n\n") {
            // A paragraph of its own, not a continuation of the one before.
            self.out.push('\n');
        }
        self.out.push_str(&lead);
        self.out.push_str(&markdown(&entry.shown.runs));
        self.out.push_str(&trail);
        let label = entry.shown.label.clone().unwrap_or_default();
        let name = match template {
            _ if label.is_empty() => self.here(found),
            Some(t) => format!("clause {}", number_with(contract, &base.paras[t], &label)),
            None => format!("clause {}", label.trim_end_matches('.')),
        };
        self.proposal.edits.push((Edit::Added, name));
    }

    /// An entry that is base paragraph `k`: the base paragraphs it passed written as they are,
    /// then it, as it is, renumbered, moved or with its words changed.
    fn found(&mut self, entry: &Entry, k: usize) {
        let (contract, base, text) = (self.contract, self.base, self.contract.text.as_str());
        let found = Some(k);
        for j in self.previous.map_or(0, |p| p + 1)..k {
            if !self.in_copy[j]
                && !self.seen[j]
                && let Origin::Body { segment, .. } = &base.paras[j].origin
            {
                self.out.push_str(&text[segment.clone()]);
                self.seen[j] = true;
            }
        }
        self.seen[k] = true;
        let para = &base.paras[k];
        let moved = !self.in_order.contains(&k);
        self.previous = Some(k);
        if let (Some(n), Some(_)) = (&entry.shown.number, para.numbered) {
            self.at_level.insert(n.clone(), k);
        }
        if entry.words.trim().is_empty()
            && !para.words().trim().is_empty()
            && para.table.is_none()
            && matches!(para.origin, Origin::Body { .. })
        {
            // Every word of it deleted, its paragraph mark kept: Word shows an empty paragraph
            // (numbered, if it was), the contract has no clause without words.
            self.proposal.edits.push((Edit::Removed, format!("{} (its words deleted)", self.here(found))));
            return;
        }
        let words_same = entry.words == para.words();
        let label = entry.shown.label.clone().unwrap_or_default();
        let label_same = label == para.label || para.numbered.is_none();
        let Origin::Body { segment, content } = &para.origin else {
            if !words_same {
                self.proposal
                    .unmapped
                    .push(Unmapped { place: self.here(found), what: changed_lines(&para.words(), &entry.words) });
            }
            return;
        };
        if moved {
            let to =
                if label.is_empty() { String::new() } else { format!(" → {}", number_with(contract, para, &label)) };
            self.proposal.edits.push((Edit::Moved, format!("{}{to}", self.here(found))));
        }
        if words_same && label_same {
            self.out.push_str(&text[segment.clone()]);
            return;
        }
        if para.table.is_some() {
            self.proposal.unmapped.push(Unmapped {
                place: self.here(found),
                what: format!("a table {}", changed_lines(&para.words(), &entry.words)),
            });
            self.out.push_str(&text[segment.clone()]);
            return;
        }
        let old_lead = &text[segment.start..content.start];
        let lead = if label_same {
            old_lead.to_owned()
        } else {
            relabel(old_lead, &para.label, &label).unwrap_or_else(|| old_lead.to_owned())
        };
        self.out.push_str(&lead);
        if words_same {
            self.out.push_str(&text[content.clone()]);
            if !moved {
                self.proposal.edits.push((
                    Edit::Renumbered,
                    format!("{} → {}", self.here(found), number_with(contract, para, &label)),
                ));
            }
        } else {
            let words = markdown(&entry.shown.runs);
            if let Some(edited) = edit_in_place(&text[content.clone()], &para.words(), &entry.shown.runs) {
                self.out.push_str(&edited);
            } else if para.reopen.is_empty() {
                self.out.push_str(&words);
            } else if let Some(inside) = words.strip_prefix(para.reopen).filter(|w| !w.starts_with('*')) {
                // The lead opened the bold the number sits in; the words continue it.
                self.out.push_str(inside);
            } else {
                // The counterparty took the bold off the heading: the number closes its own.
                let trimmed = self.out.trim_end().len();
                self.out.truncate(trimmed);
                self.out.push_str(para.reopen);
                self.out.push(' ');
                self.out.push_str(&words);
            }
            self.proposal.edits.push((Edit::Changed, self.here(found)));
        }
        self.out.push_str(&text[content.end..segment.end]);
    }

    /// The base paragraphs the return has no place for: kept where the copy never had them,
    /// else removed. Without a body paragraph in the base, the contract is left as it is.
    fn finish(mut self, body_found: bool) -> Proposal {
        let (contract, base, text) = (self.contract, self.base, self.contract.text.as_str());
        for (k, para) in base.paras.iter().enumerate() {
            if let (false, false, Origin::Body { segment, .. }) = (self.seen[k], self.in_copy[k], &para.origin) {
                self.out.push_str(&text[segment.clone()]);
                continue;
            }
            if !self.seen[k] && matches!(para.origin, Origin::Body { .. }) && !para.words().trim().is_empty() {
                self.proposal.edits.push((Edit::Removed, place(contract, para)));
            } else if !self.seen[k] && self.in_copy[k] && !para.words().trim().is_empty() {
                self.proposal
                    .unmapped
                    .push(Unmapped { place: place(contract, para), what: format!("removed: {}", para.words()) });
            }
        }
        if !body_found {
            self.out.clear();
            self.out.push_str(text);
        }
        self.proposal.text = self.out;
        self.proposal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relabels_each_number_style() {
        assert_eq!(relabel("## 5. ", "5.", "6.").as_deref(), Some("## 6. "));
        assert_eq!(relabel("## 15. ", "5.", "6."), None);
        assert_eq!(relabel("5.2 ", "5.2", "5.3").as_deref(), Some("5.3 "));
        assert_eq!(relabel("   (b) ", "(b)", "(c)").as_deref(), Some("   (c) "));
        assert_eq!(relabel("2. ", "(2)", "(3)").as_deref(), Some("3. "));
        assert_eq!(relabel("2.2 ", "2.2", "").as_deref(), Some(""));
        assert_eq!(relabel("## 5. ", "5.", "").as_deref(), Some("## "));
    }

    #[test]
    fn word_edits_are_made_where_the_words_sit_keeping_links() {
        let run = |text: &str, bold| super::super::read::Run { text: text.into(), bold, ..Default::default() };
        let content = "See [the portal](https://x.example) and `code` within thirty days.";
        let old = "See the portal and code within thirty days.";
        assert_eq!(
            edit_in_place(content, old, &[run("See the portal and code within sixty calendar days.", false)])
                .as_deref(),
            Some("See [the portal](https://x.example) and `code` within sixty calendar days.")
        );
        assert_eq!(
            edit_in_place(
                content,
                old,
                &[run("See the portal and code within thirty days", false), run(" or less.", false)]
            )
            .as_deref(),
            Some("See [the portal](https://x.example) and `code` within thirty days or less.")
        );
        // Across a link's end, or with new emphasis: written afresh instead.
        assert_eq!(edit_in_place(content, old, &[run("See the and code within thirty days.", false)]), None);
        assert_eq!(
            edit_in_place(
                content,
                old,
                &[run("See the portal and code within ", false), run("sixty", true), run(" days.", false)]
            ),
            None
        );
    }

    #[test]
    fn markdown_keeps_emphasis_and_escapes_marks() {
        let run = |text: &str, bold| super::super::read::Run { text: text.into(), bold, ..Default::default() };
        assert_eq!(
            markdown(&[run("The ", false), run("Fees ", true), run("are 5*2.", false)]),
            "The **Fees** are 5\\*2."
        );
        assert_eq!(markdown(&[run("one\n1. two", false)]), "one\\\n1\\. two");
        // Text typed in Word that looks like Markdown stays text.
        assert_eq!(markdown(&[run("## 9. Extra {#liability}", false)]), "\\## 9. Extra \\{#liability}");
        assert_eq!(markdown(&[run("---", false)]), "\\---");
        assert_eq!(markdown(&[run("12) Fees", false)]), "12\\) Fees");
        assert_eq!(markdown(&[run("2.1 Fees", false)]), "2.1 Fees");
        assert_eq!(markdown_inline(&[run("- and 5. more", false)]), "- and 5. more");
    }
}
