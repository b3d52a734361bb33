//! A contract as the paragraphs of a Word document.
//!
//! The body is cut into segments that cover it end to end: a segment starts at every block
//! (heading, paragraph, list item, table, quote, code) and at every clause, so that clauses
//! numbered inside one Markdown paragraph (`5.1 …` / `5.2 …`) are paragraphs of their own.
//! Each segment keeps where its words sit in the file ([`Origin::Body`]): import writes a
//! paragraph whose words and number came back unchanged as the very bytes it was made from,
//! which is what makes export followed by import the identity.
//!
//! A clause's number becomes Word numbering when Word will show that very number: the label is
//! taken off the text, and the paragraph points at a numbering level of its part of the
//! document. Where Word would count differently (a skipped number, `Section 5`, a number inside
//! bold) the label stays in the text, so the page always shows the contract's own numbers.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use sha2::{Digest, Sha256};

use super::numbering::{Counter, Format, Instance, Level, Numbering};
use crate::contract::clauses::number::{Segment, split_heading};
use crate::contract::clauses::opening::opening;
use crate::contract::clauses::{Form, Label};
use crate::contract::{Contract, KeyTerm};

static ANCHOR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[ \t]*\{#[A-Za-z0-9_.:-]+\}").expect("valid pattern"));
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[A-Za-z/][^>]*>").expect("valid pattern"));

pub(crate) const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES)
    .union(Options::ENABLE_FOOTNOTES);

/// A tracked change on a run of text or on a paragraph's mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Change {
    #[default]
    None,
    Inserted,
    Deleted,
    MovedFrom,
    MovedTo,
}

impl Change {
    /// The element Word writes the change as: `w:ins`, `w:del`, `w:moveFrom`, `w:moveTo`.
    #[must_use]
    pub fn tag(self) -> Option<&'static str> {
        match self {
            Self::None => None,
            Self::Inserted => Some("w:ins"),
            Self::Deleted => Some("w:del"),
            Self::MovedFrom => Some("w:moveFrom"),
            Self::MovedTo => Some("w:moveTo"),
        }
    }

    /// The change an element of that name records, if it records one.
    #[must_use]
    pub(crate) fn of_tag(tag: &str) -> Option<Self> {
        [Self::Inserted, Self::Deleted, Self::MovedFrom, Self::MovedTo].into_iter().find(|c| c.tag() == Some(tag))
    }
}

/// A run of text with one formatting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    pub change: Change,
}

impl Run {
    #[must_use]
    pub fn plain(text: impl Into<String>) -> Self {
        Self { text: text.into(), ..Self::default() }
    }

    fn same_look(&self, other: &Self) -> bool {
        self.bold == other.bold && self.italic == other.italic && self.code == other.code && self.change == other.change
    }
}

/// The paragraph style a paragraph is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Title,
    Heading(u8),
    Normal,
    Quote,
    Code,
}

/// Where an exported paragraph comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The cover page `render` prints: title and key terms.
    Cover,
    /// A segment of the body: `segment` covers it in the file, `content` the words shown.
    Body { segment: Range<usize>, content: Range<usize> },
    /// A party's signature block.
    Signature,
}

/// One paragraph (or table) of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    pub origin: Origin,
    pub style: Style,
    /// Shown before the runs and not part of the words: a footnote's `[1]`.
    pub literal: String,
    pub runs: Vec<Run>,
    /// The numbering instance and level Word numbers this paragraph with.
    pub numbered: Option<(u32, usize)>,
    /// The label Word shows by that numbering (`5.`, `5.2`, `(b)`); empty without.
    pub label: String,
    /// Indentation, in clause levels, of a paragraph Word does not number.
    pub indent: usize,
    /// The clause this paragraph opens.
    pub clause: Option<usize>,
    /// A table's cells, row by row; `runs` is then empty.
    pub table: Option<Vec<Vec<Vec<Run>>>>,
    pub(crate) page_break_before: bool,
    /// A tracked change on the paragraph mark: an inserted or deleted paragraph.
    pub mark: Change,
    /// For a moved paragraph, the move it belongs to: its two ends share the number.
    pub moved: Option<u32>,
    /// The bold mark the words start inside, when the number was taken out of the bold.
    pub reopen: &'static str,
    /// For a table in a redline, each row's tracked change (inserted or deleted rows); empty
    /// where no row is.
    pub(crate) row_changes: Vec<Change>,
    /// In a redline, the paragraph's properties in the base version where they differ from
    /// these (another numbering, level or style): a tracked property change, so that "Reject
    /// all" numbers it as the base did.
    pub(crate) formerly: Option<Formerly>,
}

/// A paragraph's properties before a tracked change of them (Word's `w:pPrChange`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formerly {
    pub style: Style,
    pub numbered: Option<(u32, usize)>,
    pub indent: usize,
}

impl Para {
    fn new(origin: Origin, style: Style, runs: Vec<Run>) -> Self {
        Self {
            origin,
            style,
            literal: String::new(),
            runs,
            numbered: None,
            label: String::new(),
            indent: 0,
            clause: None,
            table: None,
            page_break_before: false,
            mark: Change::None,
            moved: None,
            reopen: "",
            row_changes: Vec::new(),
            formerly: None,
        }
    }

    /// The words of the paragraph (a table's cells joined by tabs and line breaks), without
    /// labels.
    #[must_use]
    pub fn words(&self) -> String {
        match &self.table {
            Some(rows) => rows
                .iter()
                .map(|row| row.iter().map(|cell| joined(cell)).collect::<Vec<_>>().join("\t"))
                .collect::<Vec<_>>()
                .join("\n"),
            None => joined(&self.runs),
        }
    }

    /// What a reader sees: label, literal and words.
    #[must_use]
    pub fn shown(&self) -> String {
        let mut out = String::new();
        for part in [self.label.as_str(), self.literal.as_str()] {
            if !part.is_empty() {
                out.push_str(part);
                out.push(' ');
            }
        }
        out.push_str(&self.words());
        out
    }
}

fn joined(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}

/// What the document properties record about the export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties {
    pub contract: Option<String>,
    pub path: String,
    pub title: String,
    /// SHA-256 of the contract file as exported.
    pub(crate) source_sha256: String,
    /// SHA-256 of the exported text: every paragraph as shown, one per line.
    pub(crate) text_sha256: String,
    /// The key terms on the cover page, by name, comma-separated.
    pub cover: String,
}

/// A contract as Word paragraphs with their numbering.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub paras: Vec<Para>,
    pub numbering: Numbering,
    pub properties: Properties,
}

impl Document {
    /// The exported text: every paragraph as shown, one per line.
    #[must_use]
    pub fn text(&self) -> String {
        let mut out = String::new();
        for para in &self.paras {
            out.push_str(&para.shown());
            out.push('\n');
        }
        out
    }
}

/// SHA-256 of text, in hex.
#[must_use]
pub fn sha256(text: &str) -> String {
    crate::text::hex(&Sha256::digest(text.as_bytes()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Heading(u8),
    Paragraph,
    Item,
    Table,
    Quote,
    Code,
    Html,
    Rule,
    Footnote,
}

/// The body's segment starts with the block each opens.
fn segment_starts(contract: &Contract, body: usize) -> Vec<(usize, Block)> {
    let text = &contract.text[body..];
    let mut starts: Vec<(usize, Block)> = Vec::new();
    let mut opaque = 0usize;
    let mut item_opened = false;
    for (event, range) in Parser::new_ext(text, OPTIONS).into_offset_iter() {
        let at = body + range.start;
        match event {
            Event::Start(tag) => {
                let block = match &tag {
                    Tag::Heading { level, .. } => Some(Block::Heading(*level as u8)),
                    Tag::Paragraph if item_opened => None,
                    Tag::Paragraph | Tag::CodeBlock(CodeBlockKind::Indented) => Some(Block::Paragraph),
                    Tag::Item => Some(Block::Item),
                    Tag::Table(_) => Some(Block::Table),
                    Tag::BlockQuote(_) => Some(Block::Quote),
                    Tag::CodeBlock(CodeBlockKind::Fenced(_)) => Some(Block::Code),
                    Tag::HtmlBlock => Some(Block::Html),
                    Tag::FootnoteDefinition(_) => Some(Block::Footnote),
                    _ => None,
                };
                item_opened = matches!(tag, Tag::Item);
                if let Some(block) = block
                    && opaque == 0
                {
                    starts.push((at, block));
                }
                if matches!(
                    tag,
                    Tag::Table(_)
                        | Tag::BlockQuote(_)
                        | Tag::CodeBlock(_)
                        | Tag::HtmlBlock
                        | Tag::FootnoteDefinition(_)
                ) {
                    opaque += 1;
                }
            }
            Event::End(end) => {
                if matches!(
                    end,
                    TagEnd::Table
                        | TagEnd::BlockQuote(_)
                        | TagEnd::CodeBlock
                        | TagEnd::HtmlBlock
                        | TagEnd::FootnoteDefinition
                ) {
                    opaque = opaque.saturating_sub(1);
                }
            }
            Event::Rule if opaque == 0 => starts.push((at, Block::Rule)),
            _ => {}
        }
    }
    // A clause opens a segment; one starting at a block's start (or within its marker) is that
    // block's.
    let mut opened = Vec::new();
    for clause in &contract.body.clauses {
        let at = clause.start;
        let within = starts.partition_point(|(s, _)| *s <= at);
        if !within.checked_sub(1).is_some_and(|i| same_block(&contract.text, starts[i].0, at)) {
            opened.push((at, Block::Paragraph));
        }
    }
    starts.append(&mut opened);
    // A segment starts at the start of its line when only indentation comes before it there:
    // an item's indentation is its own, so that it stays with it when the item before it is
    // removed or a new one is written after it.
    for (start, _) in &mut starts {
        let line = contract.text[..*start].rfind('\n').map_or(0, |n| n + 1).max(body);
        if contract.text[line..*start].bytes().all(|b| matches!(b, b' ' | b'\t')) {
            *start = line;
        }
    }
    starts.sort_by_key(|(s, _)| *s);
    starts.dedup_by_key(|(s, _)| *s);
    starts
}

/// Whether a clause starting at `clause` belongs to the block starting at `block`: only
/// indentation or a list marker lies between.
fn same_block(text: &str, block: usize, clause: usize) -> bool {
    let between = &text[block..clause];
    between.trim().is_empty() || (between.len() < 12 && !between.contains('\n'))
}

/// The label Word must show for a clause, and the numbering level that shows it, if any.
fn word_level(contract: &Contract, clause: usize, depth: usize) -> Option<(String, Level)> {
    let c = &contract.body.clauses[clause];
    let (label, format, text) = match &c.label {
        Label::Dotted(segments) => {
            let kind = |segment: &Segment| match segment {
                Segment::Number(_) => Some(Format::Decimal),
                Segment::Letter(_) => Some(Format::UpperLetter),
                Segment::LowerLetter(_) => Some(Format::LowerLetter),
                Segment::Roman(_) => Some(Format::UpperRoman),
                Segment::Annex(..) | Segment::Inserted(..) => None,
            };
            if segments.len() != depth + 1 || segments.iter().any(|s| kind(s).is_none()) {
                return None;
            }
            let mut ancestors = c.parent;
            while let Some(p) = ancestors {
                if !matches!(contract.body.clauses[p].label, Label::Dotted(_)) {
                    return None;
                }
                ancestors = contract.body.clauses[p].parent;
            }
            let text = (1..=depth + 1).map(|n| format!("%{n}")).collect::<Vec<_>>().join(".");
            let text = if depth == 0 { format!("{text}.") } else { text };
            let label =
                segments.iter().map(|s| kind(s).expect("checked").write(s.ordinal())).collect::<Vec<_>>().join(".");
            let label = if depth == 0 { format!("{label}.") } else { label };
            (label, kind(segments.last()?).expect("checked"), text)
        }
        Label::Letter(n) => {
            (format!("({})", Format::LowerLetter.write(*n)), Format::LowerLetter, format!("(%{})", depth + 1))
        }
        Label::Roman(n) => {
            (format!("({})", Format::LowerRoman.write(*n)), Format::LowerRoman, format!("(%{})", depth + 1))
        }
        Label::Upper(n) => {
            (format!("({})", Format::UpperLetter.write(*n)), Format::UpperLetter, format!("(%{})", depth + 1))
        }
        Label::Paren(n) => (format!("({n})"), Format::Decimal, format!("(%{})", depth + 1)),
        Label::Unnumbered => return None,
    };
    (depth < 9).then_some((label, Level { format, text, start: 1, ..Level::default() }))
}

/// Where the words of a segment start once its Markdown marks (and, for `strip_label`, the
/// clause number) are passed, and where they end before trailing marks and blank lines.
///
/// A number inside bold (`**1. Binding Agreement.** …`) is taken out of the bold: the words then
/// start inside it, and the third value is the mark that opens the bold again.
fn content_of(
    text: &str,
    segment: Range<usize>,
    block: Block,
    clause: Option<(Form, bool)>,
) -> (Range<usize>, bool, &'static str) {
    let s = &text[segment.clone()];
    let indent = s.len() - s.trim_start_matches([' ', '\t']).len();
    let mut lead = indent;
    let rest = &s[lead..];
    match block {
        Block::Heading(_) if rest.starts_with('#') => {
            let marks = rest.len() - rest.trim_start_matches('#').len();
            lead += marks + (rest[marks..].len() - rest[marks..].trim_start_matches([' ', '\t']).len());
        }
        Block::Item => {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let marker = if digits > 0 && matches!(rest.as_bytes().get(digits), Some(b'.' | b')')) {
                digits + 1
            } else {
                usize::from(rest.starts_with(['-', '*', '+']))
            };
            lead += marker + (rest[marker..].len() - rest[marker..].trim_start_matches([' ', '\t']).len());
        }
        Block::Footnote => {
            if let Some(close) = rest.find("]:") {
                lead += close + 2;
                lead += s[lead..].len() - s[lead..].trim_start_matches([' ', '\t']).len();
            }
        }
        _ => {}
    }
    // The end: before trailing blank lines, a setext underline, closing `#`s and `{#id}`.
    let mut end = s.trim_end().len().max(lead);
    if let Block::Heading(_) = block {
        let body = &s[lead..end];
        let last_line = body.rsplit('\n').next().unwrap_or("");
        if body.contains('\n') && !last_line.trim().is_empty() && last_line.trim().chars().all(|c| c == '=' || c == '-')
        {
            end = lead + body.len() - last_line.len();
            end = lead + s[lead..end].trim_end().len();
        }
        let body = &s[lead..end];
        if let Some(found) = ANCHOR.find_iter(body).last().filter(|m| m.end() == body.len()) {
            end = lead + found.start();
        }
        let body = &s[lead..end];
        let closing = body.trim_end_matches('#');
        if closing.len() < body.len() && (closing.is_empty() || closing.ends_with([' ', '\t'])) {
            end = lead + closing.trim_end().len();
        }
    }
    let mut stripped = false;
    let mut reopen = "";
    if let Some((form, strip)) = clause
        && strip
    {
        let words = &s[lead..end];
        let rest = match form {
            Form::ListItem => Some(words),
            Form::Heading => {
                // `Section 5` and `Article IV` keep their word: Word would show the number alone.
                const WORDED: [&str; 9] =
                    ["Section", "SECTION", "Article", "ARTICLE", "Clause", "CLAUSE", "Part", "PART", "§"];
                let first = words.split_whitespace().next().unwrap_or("");
                let worded = WORDED.iter().any(|w| first.starts_with(w));
                let (number, rest) = split_heading(words);
                (!worded && number.is_some()).then_some(rest)
            }
            Form::Paragraph => opening(words).map(|o| {
                if o.bold_tail.is_some() {
                    reopen = if words.starts_with("__") { "__" } else { "**" };
                }
                o.rest
            }),
        };
        if let Some(rest) = rest {
            let offset = rest.as_ptr() as usize - words.as_ptr() as usize;
            lead += offset;
            stripped = true;
        }
    }
    let lead = lead.min(end);
    (segment.start + lead..segment.start + end, stripped, if stripped { reopen } else { "" })
}

/// Markdown inline text as runs: emphasis kept, links as their text, tags dropped, comments
/// and every word kept.
#[must_use]
pub(crate) fn runs_of(markdown: &str) -> Vec<Run> {
    let dedented: String = markdown.lines().map(str::trim_start).collect::<Vec<_>>().join("\n");
    let cleaned = ANCHOR.replace_all(&dedented, "");
    let mut runs: Vec<Run> = Vec::new();
    let (mut bold, mut italic) = (0usize, 0usize);
    let mut blocks = 0usize;
    let push = |runs: &mut Vec<Run>, text: &str, bold: bool, italic: bool, code: bool| {
        if text.is_empty() {
            return;
        }
        let run = Run { text: text.to_owned(), bold, italic, code, change: Change::None };
        match runs.last_mut() {
            Some(last) if last.same_look(&run) => last.text.push_str(text),
            _ => runs.push(run),
        }
    };
    for event in Parser::new_ext(&cleaned, OPTIONS) {
        match event {
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::CodeBlock(_)) => {
                if blocks > 0 {
                    push(&mut runs, "\n", false, false, false);
                }
                blocks += 1;
            }
            Event::Text(text) => push(&mut runs, &text, bold > 0, italic > 0, false),
            Event::Code(text) => push(&mut runs, &text, bold > 0, italic > 0, true),
            Event::SoftBreak => push(&mut runs, " ", bold > 0, italic > 0, false),
            Event::HardBreak => push(&mut runs, "\n", bold > 0, italic > 0, false),
            Event::Html(html) | Event::InlineHtml(html) => {
                let kept = if html.trim_start().starts_with("<!--") {
                    html.to_string()
                } else {
                    TAG.replace_all(&html, "").into_owned()
                };
                push(&mut runs, kept.trim_end_matches('\n'), bold > 0, italic > 0, false);
            }
            Event::FootnoteReference(label) => push(&mut runs, &format!("[{label}]"), bold > 0, italic > 0, false),
            Event::TaskListMarker(done) => push(&mut runs, if done { "[x] " } else { "[ ] " }, false, false, false),
            _ => {}
        }
    }
    if let Some(last) = runs.last_mut() {
        let trimmed = last.text.trim_end().len();
        last.text.truncate(trimmed);
    }
    runs.retain(|r| !r.text.is_empty());
    runs
}

/// Make the first occurrence of `term` bold.
fn embolden(runs: &mut Vec<Run>, term: &str) {
    let mut at = 0;
    let joined = joined(runs);
    let Some(start) = joined.find(term) else { return };
    let end = start + term.len();
    let mut out = Vec::with_capacity(runs.len() + 2);
    for run in runs.drain(..) {
        let (from, to) = (at, at + run.text.len());
        at = to;
        if to <= start || from >= end || run.bold {
            out.push(run);
            continue;
        }
        let cut = |a: usize, b: usize| run.text.get(a.saturating_sub(from)..b.min(to) - from).unwrap_or("").to_owned();
        let before = cut(from, start.max(from));
        let inside = cut(start.max(from), end);
        let after = cut(end.min(to), to);
        for (text, bold) in [(before, false), (inside, true), (after, false)] {
            if !text.is_empty() {
                out.push(Run { text, bold, ..run.clone() });
            }
        }
    }
    *runs = out;
}

/// The cells of a Markdown table.
fn table_of(markdown: &str) -> Vec<Vec<Vec<Run>>> {
    let mut rows: Vec<Vec<Vec<Run>>> = Vec::new();
    let mut cell: Option<String> = None;
    for (event, range) in Parser::new_ext(markdown, OPTIONS).into_offset_iter() {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell = Some(markdown[range].trim().trim_matches('|').trim().to_owned()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(text), Some(row)) = (cell.take(), rows.last_mut()) {
                    row.push(runs_of(&text));
                }
            }
            _ => {}
        }
    }
    rows
}

/// The document `export` writes for a contract.
#[must_use]
pub fn document(contract: &Contract, cover_terms: &[KeyTerm]) -> Document {
    let body = contract.layout.as_ref().map_or(0, |l| l.body);
    let text = &contract.text;
    let mut paras = cover(contract, cover_terms);
    let starts = segment_starts(contract, body);
    let depth = |mut clause: usize| {
        let mut d = 0;
        while let Some(p) = contract.body.clauses[clause].parent {
            d += 1;
            clause = p;
        }
        d
    };
    // Numbering: one definition per part of the document, its levels taken from the first
    // clause at each depth; one instance per part, and another wherever Word must restart.
    let mut part_definition: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut part_instance: std::collections::HashMap<usize, u32> = std::collections::HashMap::new();
    let mut numbering = Numbering::default();
    let mut counter = Counter::default();
    // A paragraph's words as runs, with the terms it defines in bold.
    let words_of = |content: &Range<usize>, reopen: &str| {
        let mut runs = runs_of(&format!("{reopen}{}", &text[content.clone()]));
        for term in &contract.terms {
            if content.contains(&term.span.start) {
                embolden(&mut runs, &text[term.span.clone()]);
            }
        }
        runs
    };
    for (i, &(start, block)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |(s, _)| *s);
        let first = contract.body.clauses.partition_point(|c| c.start < start);
        let clause = contract
            .body
            .clauses
            .get(first)
            .filter(|c| c.start < end && same_block(text, start, c.start))
            .map(|_| first);
        let innermost = clause.or_else(|| contract.body.clauses[..first].iter().rposition(|c| start < c.end));
        let level = clause.map(|c| (c, depth(c)));
        let wanted = level.and_then(|(c, d)| word_level(contract, c, d));
        let form = clause.map(|c| contract.body.clauses[c].form);
        let (content, stripped, reopen) = content_of(text, start..end, block, form.map(|f| (f, wanted.is_some())));
        if matches!(block, Block::Rule) || (content.is_empty() && clause.is_none()) {
            continue;
        }
        let words = &text[content.clone()];
        let origin = Origin::Body { segment: start..end, content: content.clone() };
        let style = match block {
            Block::Heading(level) => Style::Heading(level.clamp(1, 6)),
            Block::Quote => Style::Quote,
            Block::Code => Style::Code,
            _ => Style::Normal,
        };
        let mut para = match block {
            Block::Table => {
                let mut para = Para::new(origin, style, Vec::new());
                para.table = Some(table_of(words));
                para
            }
            Block::Quote => Para::new(
                origin,
                style,
                runs_of(&words.lines().map(|l| l.trim_start().trim_start_matches('>')).collect::<Vec<_>>().join("\n")),
            ),
            Block::Code => {
                let inner: Vec<&str> = words.lines().collect();
                let inner = if inner.len() >= 2 { inner[1..inner.len() - 1].join("\n") } else { String::new() };
                Para::new(origin, style, vec![Run { text: inner, code: true, ..Run::default() }])
            }
            _ => Para::new(origin, style, words_of(&content, reopen)),
        };
        if block == Block::Footnote {
            let s = &text[start..content.start];
            para.literal = s.trim().trim_end_matches(':').replace("[^", "[");
        }
        para.indent = innermost.map_or(0, |c| depth(c) + usize::from(clause.is_none()));
        if let (Some((c, d)), Some((label, wanted)), true) = (level, wanted, stripped) {
            let part = contract.body.clauses[c].part;
            let definitions = &mut numbering.definitions;
            let definition = *part_definition.entry(part).or_insert_with(|| {
                definitions.push(Vec::new());
                definitions.len() - 1
            });
            let levels = &mut definitions[definition];
            while levels.len() <= d {
                let at = levels.len();
                levels.push(if at == d {
                    wanted.clone()
                } else {
                    Level {
                        format: Format::Decimal,
                        text: (1..=at + 1).map(|n| format!("%{n}")).collect::<Vec<_>>().join("."),
                        start: 1,
                        ..Level::default()
                    }
                });
            }
            if levels[d] == wanted {
                let instances = &mut numbering.instances;
                let mut num = *part_instance.entry(part).or_insert_with(|| {
                    let id = instances.len() as u32 + 1;
                    instances.insert(id.to_string(), Instance { definition, starts: Vec::new() });
                    id
                });
                let mut probe = counter.clone();
                let mut shown = probe.next(&numbering, &num.to_string(), d);
                if shown.as_deref() != Some(label.as_str()) && d == 0 {
                    // A root clause Word would count differently: a new instance starts there.
                    let ordinal = contract.body.clauses[c].label.ordinal();
                    num = numbering.instances.len() as u32 + 1;
                    numbering.instances.insert(num.to_string(), Instance { definition, starts: vec![(0, ordinal)] });
                    part_instance.insert(part, num);
                    probe = counter.clone();
                    shown = probe.next(&numbering, &num.to_string(), d);
                }
                if shown.as_deref() == Some(label.as_str()) {
                    counter = probe;
                    para.numbered = Some((num, d));
                    para.label = label;
                }
            }
        }
        if para.numbered.is_none() && stripped {
            // The label was taken off for numbering that did not happen: put it back.
            let (content, ..) = content_of(text, start..end, block, None);
            para.runs = words_of(&content, "");
            para.origin = Origin::Body { segment: start..end, content };
        }
        para.clause = clause;
        if para.numbered.is_some() {
            para.reopen = reopen;
        }
        paras.push(para);
    }
    // Segments cover the body end to end: what no paragraph shows (a rule, blank lines) goes
    // with the paragraph before it.
    let mut next_start = text.len();
    for para in paras.iter_mut().rev() {
        if let Origin::Body { segment, .. } = &mut para.origin {
            segment.end = next_start;
            next_start = segment.start;
        }
    }
    if let Some(first) = paras.iter_mut().find(|p| matches!(p.origin, Origin::Body { .. }))
        && contract.front.is_some()
    {
        // The cover page is a page of its own.
        first.page_break_before = true;
    }
    paras.extend(signatures(contract));
    let mut document = Document {
        paras,
        numbering,
        properties: Properties {
            contract: contract.meta.id.clone(),
            path: contract.path.clone(),
            title: title(contract),
            source_sha256: sha256(&contract.text),
            text_sha256: String::new(),
            cover: cover_terms.iter().map(|t| t.name()).collect::<Vec<_>>().join(","),
        },
    };
    document.properties.text_sha256 = sha256(&document.text());
    document
}

fn title(contract: &Contract) -> String {
    contract.meta.title.clone().unwrap_or_else(|| contract.path.clone())
}

/// The cover page: the title, the parties and the key terms, as `render` prints them.
fn cover(contract: &Contract, terms: &[KeyTerm]) -> Vec<Para> {
    if contract.front.is_none() {
        return Vec::new();
    }
    let mut paras = vec![Para::new(Origin::Cover, Style::Title, vec![Run::plain(title(contract))])];
    if !contract.meta.parties.is_empty() {
        let names: Vec<String> = contract
            .meta
            .parties
            .iter()
            .map(|p| match &p.role {
                Some(role) => format!("{} ({role})", p.name),
                None => p.name.clone(),
            })
            .collect();
        paras.push(Para::new(
            Origin::Cover,
            Style::Normal,
            vec![Run::plain(format!("Between {}", names.join(" and ")))],
        ));
    }
    let rows: Vec<Vec<Vec<Run>>> = contract
        .key_terms_of(terms)
        .into_iter()
        .map(|(label, text)| vec![vec![Run::plain(label)], vec![Run::plain(text)]])
        .collect();
    if !rows.is_empty() {
        let mut table = Para::new(Origin::Cover, Style::Normal, Vec::new());
        table.table = Some(rows);
        paras.push(table);
    }
    paras
}

/// A signature block per party, signed or to be signed.
fn signatures(contract: &Contract) -> Vec<Para> {
    let mut paras = Vec::new();
    for (i, party) in contract.meta.parties.iter().enumerate() {
        let signed = contract.meta.signatures.iter().find(|s| s.party == party.name);
        let mut name = Para::new(
            Origin::Signature,
            Style::Normal,
            vec![Run { text: party.name.clone(), bold: true, ..Run::default() }],
        );
        name.page_break_before = i == 0;
        paras.push(name);
        let lines = [
            ("By", String::new()),
            ("Name", signed.and_then(|s| s.name.clone()).unwrap_or_default()),
            ("Title", signed.and_then(|s| s.title.clone()).unwrap_or_default()),
            ("Date", signed.and_then(|s| s.date).map(|d| d.to_string()).unwrap_or_default()),
        ];
        for (label, value) in lines {
            let value = if value.is_empty() { "________________________________".to_owned() } else { value };
            paras.push(Para::new(Origin::Signature, Style::Normal, vec![Run::plain(format!("{label}: {value}"))]));
        }
    }
    paras
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Contract {
        Contract::read_outline("c.md", text.to_owned())
    }

    fn full(text: &str) -> Contract {
        Contract::read("c.md", text.to_owned(), crate::contract::FrontMatterRule::Optional, &mut Vec::new())
    }

    #[test]
    fn headings_and_numbered_paragraphs_take_word_numbering() {
        let contract = full(
            "## 1. Definitions\n\n\"Services\" means the work.\n\n## 2. Payment\n\n2.1 Fees are due.\n2.2 Late fees apply.\n\n(a) first;\n\n(b) second.\n",
        );
        let document = document(&contract, KeyTerm::COUNTERPARTY);
        let shown: Vec<(String, String)> = document.paras.iter().map(|p| (p.label.clone(), p.words())).collect();
        assert_eq!(
            shown,
            [
                ("1.".to_owned(), "Definitions".to_owned()),
                (String::new(), "\"Services\" means the work.".to_owned()),
                ("2.".to_owned(), "Payment".to_owned()),
                ("2.1".to_owned(), "Fees are due.".to_owned()),
                ("2.2".to_owned(), "Late fees apply.".to_owned()),
                ("(a)".to_owned(), "first;".to_owned()),
                ("(b)".to_owned(), "second.".to_owned()),
            ]
        );
        assert!(document.paras[1].runs.iter().any(|r| r.bold && r.text == "Services"), "{:?}", document.paras[1].runs);
    }

    #[test]
    fn a_number_word_would_count_differently_stays_in_the_text() {
        let document =
            document(&read("## 1. One\n\n## 3. Three\n\n3.1 Text.\n\n3.3 Skipped.\n"), KeyTerm::COUNTERPARTY);
        let shown: Vec<String> = document.paras.iter().map(Para::shown).collect();
        assert_eq!(shown, ["1. One", "3. Three", "3.1 Text.", "3.3 Skipped."]);
        assert!(document.paras[3].numbered.is_none());
        assert!(document.paras[1].numbered.is_some());
    }

    #[test]
    fn segments_cover_the_body_end_to_end() {
        let text =
            "Preamble.\n\n## 1. Terms {#terms}\n\n1.1 One.\n1.2 Two.\n\n| a | b |\n|---|---|\n| c | d |\n\n> quoted\n";
        let document = document(&read(text), KeyTerm::COUNTERPARTY);
        let mut at = 0;
        for para in &document.paras {
            let Origin::Body { segment, content } = &para.origin else { panic!() };
            assert_eq!(segment.start, at);
            assert!(segment.start <= content.start && content.end <= segment.end);
            at = segment.end;
        }
        assert_eq!(at, text.len());
        assert_eq!(document.paras[1].words(), "Terms");
        assert_eq!(document.paras[4].words(), "a\tb\nc\td");
    }
}
