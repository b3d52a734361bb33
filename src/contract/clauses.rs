//! The clause tree of a contract body.
//!
//! Real contracts written in Markdown number their clauses in three ways, often mixed in one
//! file, and the Markdown structure is not always what the author meant:
//!
//! 1. headings: `## 5. Term and Termination`, `### 5.2 Renewal {#renewal}`;
//! 2. ordered lists: each item is a clause numbered by its position, so the second item of a
//!    list nested in item 5 is `5.2` although the Markdown shows only `2.`;
//! 3. numbered paragraphs: `5.2.`, `**5.2 Renewal**.`, `(a)`, where the *numbering*, not the
//!    indentation, gives the nesting.
//!
//! The third kind is why this reader does more than walk the Markdown tree. In published
//! agreements `  1.1.  Recipient …` indented by two spaces under `1.  RECITALS` is, for
//! `CommonMark`, a lazy continuation of the list item or a new top-level paragraph, and the same
//! text indented by four spaces is an indented code block. A lawyer sees clause 1.1 in all three
//! cases, so paragraphs and indented blocks are split at lines that open with a clause number,
//! and `1.1` finds its parent `1` by number wherever `1` was read.
//!
//! Block quotes (quoted statutes) and fenced code are never clauses.

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::text::slug;

/// How a clause is numbered, for telling siblings apart from children and checking sequences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Label {
    /// `5`, `5.2`, `5.2.1`: every component.
    Dotted(Vec<u32>),
    /// `(a)`, `a.`
    Letter(u32),
    /// `(i)`, `(iv)`
    Roman(u32),
    /// `(A)`
    Upper(u32),
    /// `(1)`, and list items under a lettered clause.
    Paren(u32),
}

impl Label {
    /// The number that orders this label among its siblings.
    #[must_use]
    pub fn ordinal(&self) -> u32 {
        match self {
            Self::Dotted(parts) => parts.last().copied().unwrap_or(0),
            Self::Letter(n) | Self::Roman(n) | Self::Upper(n) | Self::Paren(n) => *n,
        }
    }

    #[must_use]
    pub fn same_kind(&self, other: &Self) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// Which Markdown structure a clause was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    Heading,
    ListItem,
    Paragraph,
}

/// One clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clause {
    /// The number as a reader would cite it: `5.2`, `5.3(b)`.
    pub number: String,
    /// An explicit `{#id}` or HTML `id`, else a slug of the heading, else the number.
    pub id: String,
    /// Whether `id` was written by the author (and so must be unique).
    #[serde(skip)]
    pub explicit_id: bool,
    pub heading: Option<String>,
    #[serde(skip)]
    pub label: Label,
    #[serde(skip)]
    pub form: Form,
    /// Byte offset in the file where the clause starts.
    #[serde(skip)]
    pub start: usize,
    /// End of the clause's own text, before its first child or the next clause.
    #[serde(skip)]
    pub own_end: usize,
    /// End of the clause with all its descendants.
    #[serde(skip)]
    pub end: usize,
    #[serde(skip)]
    pub parent: Option<usize>,
    #[serde(skip)]
    pub children: Vec<usize>,
    /// Index of the part (text between unnumbered headings) the clause belongs to.
    #[serde(skip)]
    pub part: usize,
}

impl Clause {
    #[must_use]
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// A problem met while reading the clause structure (not a numbering finding: those are
/// checked over the finished tree).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StructureIssue {
    /// Clauses nested deeper than [`MAX_DEPTH`]; deeper items are read as text.
    TooDeep { at: usize },
}

/// A Markdown link to a clause id, `[Renewal](#renewal)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub span: Range<usize>,
    pub target: String,
}

/// Everything the body reader collects in its one pass over the Markdown.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// All clauses in document order; `parent` and `children` index into it.
    pub clauses: Vec<Clause>,
    pub roots: Vec<usize>,
    /// Byte ranges of prose (paragraphs, headings, table cells) outside quotes and code, where
    /// terms, references and placeholders are looked for.
    pub prose: Vec<Range<usize>>,
    pub anchors: Vec<Anchor>,
    pub issues: Vec<StructureIssue>,
}

/// The deepest clause nesting read; a 60-level list is not a contract, and a bound keeps
/// every later walk over the tree safe from unbounded recursion.
pub const MAX_DEPTH: usize = 24;

/// Read the clause tree of `body`, which starts at byte `offset` of its file; every span in the
/// result is an offset into the file.
#[must_use]
pub fn read(body: &str, offset: usize) -> Body {
    let mut reader = Reader::new(body, offset);
    reader.run();
    reader.finish()
}

#[derive(Debug)]
enum Frame {
    List {
        ordered: bool,
        next: u64,
        container: Option<usize>,
    },
    /// A list item; `inline` is the text of a tight item, which Markdown gives no paragraph.
    Item {
        clause: Option<usize>,
        container: Option<usize>,
        blocks: usize,
        id: usize,
        inline: Option<Range<usize>>,
    },
    Quote,
    Other,
}

struct Reader<'a> {
    body: &'a str,
    offset: usize,
    out: Body,
    frames: Vec<Frame>,
    /// Most recent clause by number, for finding `1.1`'s parent `1`.
    by_number: FxHashMap<Vec<u32>, usize>,
    /// The innermost numbered heading: the container of lists and lettered paragraphs at top level.
    section: Option<(usize, HeadingLevel)>,
    /// The clause that lettered paragraphs attach to, and the lettered clauses open under it.
    anchor: Option<usize>,
    letters: Vec<usize>,
    part: usize,
    /// Clause starts that end a previous clause's own text: headings and item ends.
    boundaries: Vec<usize>,
    /// For each clause, the item frame it was read inside, to bound its text by the item's end.
    item_of: Vec<Option<usize>>,
    item_ends: HashMap<usize, usize>,
    next_item_id: usize,
    depth_reported: bool,
}

impl<'a> Reader<'a> {
    fn new(body: &'a str, offset: usize) -> Self {
        Self {
            body,
            offset,
            out: Body::default(),
            frames: Vec::new(),
            by_number: FxHashMap::default(),
            section: None,
            anchor: None,
            letters: Vec::new(),
            part: 0,
            boundaries: Vec::new(),
            item_of: Vec::new(),
            item_ends: HashMap::new(),
            next_item_id: 0,
            depth_reported: false,
        }
    }

    fn in_quote(&self) -> bool {
        self.frames.iter().any(|frame| matches!(frame, Frame::Quote))
    }

    fn innermost_item(&self) -> Option<(usize, &Frame)> {
        self.frames.iter().enumerate().rev().find(|(_, frame)| matches!(frame, Frame::Item { .. }))
    }

    /// The clause that new list items and unanchored clauses nest under.
    fn container(&self) -> Option<usize> {
        match self.innermost_item() {
            Some((_, Frame::Item { clause, container, .. })) => clause.or(*container),
            _ => self.section.map(|(clause, _)| clause),
        }
    }

    fn current_item_id(&self) -> Option<usize> {
        match self.innermost_item() {
            Some((_, Frame::Item { id, .. })) => Some(*id),
            _ => None,
        }
    }

    fn run(&mut self) {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_HEADING_ATTRIBUTES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_TASKLISTS;
        let body = self.body;
        let mut heading: Option<(HeadingLevel, Option<String>, Range<usize>)> = None;
        for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
            if is_inline(&event) {
                if let Some(Frame::Item { inline, .. }) = self.frames.last_mut() {
                    let start = inline.as_ref().map_or(range.start, |r| r.start.min(range.start));
                    let end = inline.as_ref().map_or(range.end, |r| r.end.max(range.end));
                    *inline = Some(start..end);
                }
            } else if matches!(event, Event::Start(_) | Event::End(TagEnd::Item)) {
                self.flush_inline();
            }
            match event {
                Event::Start(Tag::List(start)) => {
                    self.count_block();
                    let container = self.container();
                    self.frames.push(Frame::List { ordered: start.is_some(), next: start.unwrap_or(1), container });
                }
                Event::Start(Tag::Item) => self.start_item(range.start),
                Event::End(TagEnd::Item) => {
                    if let Some(Frame::Item { id, .. }) = self.frames.pop() {
                        self.item_ends.insert(id, self.offset + range.end);
                    }
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    self.count_block();
                    self.frames.push(Frame::Quote);
                }
                Event::Start(Tag::Heading { level, id, .. }) => {
                    heading = Some((level, id.map(|id| id.to_string()), range));
                    self.frames.push(Frame::Other);
                }
                Event::End(TagEnd::Heading(_)) => {
                    self.frames.pop();
                    if let Some((level, id, range)) = heading.take() {
                        self.heading(level, id, range);
                    }
                }
                Event::Start(Tag::Paragraph) => self.frames.push(Frame::Other),
                Event::End(TagEnd::Paragraph) => {
                    self.frames.pop();
                    if !self.in_quote() {
                        self.paragraph(range);
                    }
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                    if !self.in_quote() {
                        self.indented_block(range);
                    }
                    self.frames.push(Frame::Other);
                }
                Event::Start(Tag::TableCell) => {
                    if !self.in_quote() {
                        self.out.prose.push(self.offset + range.start..self.offset + range.end);
                    }
                    self.frames.push(Frame::Other);
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    if let Some(target) = dest_url.strip_prefix('#')
                        && !self.in_quote()
                        && !target.is_empty()
                    {
                        self.out.anchors.push(Anchor {
                            span: self.offset + range.start..self.offset + range.end,
                            target: target.to_owned(),
                        });
                    }
                }
                Event::Start(tag) if is_container(&tag) => {
                    self.count_block();
                    self.frames.push(Frame::Other);
                }
                Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::CodeBlock | TagEnd::TableCell) => {
                    self.frames.pop();
                }
                Event::End(end) if is_container_end(end) => {
                    self.frames.pop();
                }
                _ => {}
            }
        }
    }

    /// Read the text of a tight list item as the paragraph it is.
    fn flush_inline(&mut self) {
        let range = match self.frames.last_mut() {
            Some(Frame::Item { inline, .. }) => inline.take(),
            _ => None,
        };
        if let Some(range) = range
            && !self.in_quote()
        {
            self.paragraph(range);
        }
    }

    /// Count a block inside the innermost list item, so the item knows which block is its first.
    fn count_block(&mut self) {
        if let Some(Frame::Item { blocks, .. }) = self.frames.last_mut() {
            *blocks += 1;
        }
    }

    fn start_item(&mut self, start: usize) {
        let id = self.next_item_id;
        self.next_item_id += 1;
        let (ordered, number, container) = match self.frames.last_mut() {
            Some(Frame::List { ordered, next, container }) => {
                let number = *next;
                *next += 1;
                (*ordered, number, *container)
            }
            _ => (false, 0, None),
        };
        let clause = if ordered && !self.in_quote() {
            let number = u32::try_from(number).unwrap_or(u32::MAX);
            let label = match container.map(|c| &self.out.clauses[c].label) {
                Some(Label::Dotted(parts)) => Label::Dotted(parts.iter().copied().chain([number]).collect()),
                Some(_) => Label::Paren(number),
                None => Label::Dotted(vec![number]),
            };
            let clause = self.add_clause(label, container, Form::ListItem, self.offset + start, id);
            if let Some(clause) = clause {
                self.set_anchor(clause);
            }
            clause
        } else {
            None
        };
        let container = container.or_else(|| self.container());
        self.frames.push(Frame::Item { clause, container, blocks: 0, id, inline: None });
    }

    fn set_anchor(&mut self, clause: usize) {
        self.anchor = Some(clause);
        self.letters.clear();
    }

    fn depth(&self, parent: Option<usize>) -> usize {
        let mut depth = 0;
        let mut at = parent;
        while let Some(clause) = at {
            depth += 1;
            at = self.out.clauses[clause].parent;
        }
        depth
    }

    /// Add a clause under `parent`; `None` when it would nest too deep.
    fn add_clause(
        &mut self,
        label: Label,
        parent: Option<usize>,
        form: Form,
        start: usize,
        item: usize,
    ) -> Option<usize> {
        self.add_clause_in(label, parent, form, start, Some(item))
    }

    fn add_clause_in(
        &mut self,
        label: Label,
        parent: Option<usize>,
        form: Form,
        start: usize,
        item: Option<usize>,
    ) -> Option<usize> {
        if self.depth(parent) >= MAX_DEPTH {
            if !self.depth_reported {
                self.depth_reported = true;
                self.out.issues.push(StructureIssue::TooDeep { at: start });
            }
            return None;
        }
        let parent_number = parent.map(|p| self.out.clauses[p].number.as_str());
        let number = match (&label, parent_number) {
            (Label::Dotted(parts), _) => dotted(parts),
            (Label::Letter(n), parent) => format!("{}({})", parent.unwrap_or(""), letters(*n)),
            (Label::Upper(n), parent) => format!("{}({})", parent.unwrap_or(""), letters(*n).to_uppercase()),
            (Label::Roman(n), parent) => format!("{}({})", parent.unwrap_or(""), roman(*n)),
            (Label::Paren(n), parent) => format!("{}({n})", parent.unwrap_or("")),
        };
        let index = self.out.clauses.len();
        if let Label::Dotted(parts) = &label {
            self.by_number.insert(parts.clone(), index);
        }
        self.out.clauses.push(Clause {
            id: String::new(),
            explicit_id: false,
            number,
            heading: None,
            label,
            form,
            start,
            own_end: start,
            end: start,
            parent,
            children: Vec::new(),
            part: self.part,
        });
        self.item_of.push(item);
        match parent {
            Some(parent) => self.out.clauses[parent].children.push(index),
            None => self.out.roots.push(index),
        }
        Some(index)
    }

    fn heading(&mut self, level: HeadingLevel, id: Option<String>, range: Range<usize>) {
        let in_quote = self.in_quote();
        let raw = &self.body[range.clone()];
        let text = heading_text(raw);
        let start = self.offset + range.start;
        if !in_quote {
            self.out.prose.push(start..self.offset + range.end);
        }
        // A heading that is the first block of a list-item clause names that item.
        if let Some((_, Frame::Item { clause: Some(clause), blocks: 0, .. })) = self.innermost_item() {
            let clause = *clause;
            self.count_block();
            let (_, rest) = split_heading_number(&text);
            self.name(clause, Some(rest.to_owned()), id);
            return;
        }
        self.count_block();
        if in_quote {
            return;
        }
        self.boundaries.push(start);
        let (number, rest) = split_heading_number(&text);
        // Headings close deeper or equal sections.
        if let Some((_, open)) = self.section
            && open >= level
        {
            self.section = None;
        }
        let Some(parts) = number else {
            // An unnumbered heading ("Exhibit A", "Schedule 1") starts a new part of the document.
            self.part += 1;
            self.section = None;
            self.anchor = None;
            self.letters.clear();
            return;
        };
        let parent =
            self.parent_by_number(&parts).or_else(|| if parts.len() > 1 { self.section.map(|(c, _)| c) } else { None });
        let item = self.current_item_id();
        if let Some(clause) = self.add_clause_in(Label::Dotted(parts), parent, Form::Heading, start, item) {
            let heading = (!rest.is_empty()).then(|| rest.to_owned());
            self.name(clause, heading, id);
            self.section = Some((clause, level));
            self.set_anchor(clause);
        }
    }

    fn parent_by_number(&self, parts: &[u32]) -> Option<usize> {
        (1..parts.len()).rev().find_map(|len| self.by_number.get(&parts[..len]).copied())
    }

    /// Set a clause's heading and id: explicit id, else slug of the heading, else the number.
    fn name(&mut self, clause: usize, heading: Option<String>, explicit: Option<String>) {
        let entry = &mut self.out.clauses[clause];
        entry.heading = heading.filter(|h| !h.is_empty());
        match explicit {
            Some(id) if !id.is_empty() => {
                entry.id = id;
                entry.explicit_id = true;
            }
            _ => {
                if let Some(heading) = &entry.heading {
                    entry.id = slug(heading);
                }
            }
        }
    }

    fn paragraph(&mut self, range: Range<usize>) {
        let item_lead = match self.frames.last() {
            Some(Frame::Item { clause: Some(clause), blocks: 0, .. }) => Some(*clause),
            _ => None,
        };
        self.count_block();
        self.out.prose.push(self.offset + range.start..self.offset + range.end);
        self.lines(range, item_lead);
    }

    /// An indented code block in a contract is indentation, not code: read its paragraphs.
    fn indented_block(&mut self, range: Range<usize>) {
        self.count_block();
        self.out.prose.push(self.offset + range.start..self.offset + range.end);
        let mut start: Option<usize> = None;
        let mut at = range.start;
        for line in self.body[range.clone()].split_inclusive('\n') {
            let blank = line.trim().is_empty();
            match (blank, start) {
                (true, Some(s)) => {
                    self.lines(s..at, None);
                    start = None;
                }
                (false, None) => start = Some(at),
                _ => {}
            }
            at += line.len();
        }
        if let Some(s) = start {
            self.lines(s..range.end, None);
        }
    }

    /// Read the lines of a paragraph: its first line (or, for the first paragraph of a list
    /// item, its lead), and every later line that opens with a clause number after a line that
    /// ended a sentence.
    fn lines(&mut self, range: Range<usize>, item_lead: Option<usize>) {
        let body = self.body;
        let text = &body[range.clone()];
        // Split the paragraph into segments, each opening a clause (or, first, the lead).
        let mut segments: Vec<(usize, Option<Number>)> = Vec::new();
        let mut at = range.start;
        let mut previous: Option<&str> = None;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let trimmed = content.trim_start();
            let lead_start = at + (content.len() - trimmed.len());
            at += line.len();
            let opens = match previous {
                None => true,
                Some(previous) => ends_unit(previous) && starts_with_number(trimmed).is_some(),
            };
            if opens {
                let number = if previous.is_none() && item_lead.is_some() {
                    None
                } else {
                    starts_with_number(trimmed).map(|(n, _)| n)
                };
                segments.push((lead_start, number));
            }
            previous = Some(content);
        }
        for (index, (start, number)) in segments.iter().enumerate() {
            let end = segments.get(index + 1).map_or(range.end, |next| next.0);
            // `{#id}` anywhere in the segment names the clause; it is no part of the heading.
            let (segment, anchor) = take_anchor(&body[*start..end]);
            let standalone = segment.trim_end().lines().count() <= 1;
            match number {
                None if index == 0 => {
                    if let Some(clause) = item_lead {
                        let (heading, id) = lead_heading(&segment, standalone);
                        self.name(clause, heading, anchor.or(id));
                    }
                }
                None => {}
                Some(number) => {
                    let rest = starts_with_number(&segment).map_or("", |(_, rest)| rest);
                    self.numbered(number.clone(), rest, anchor, standalone, self.offset + start);
                }
            }
        }
    }

    fn numbered(&mut self, number: Number, rest: &str, anchor: Option<String>, standalone: bool, start: usize) {
        let item = self.current_item_id();
        let clause = match number {
            Number::Dotted(parts) => {
                let parent = if parts.len() > 1 {
                    self.parent_by_number(&parts)
                } else {
                    self.innermost_item().and(self.container())
                };
                let clause = self.add_clause_in(Label::Dotted(parts), parent, Form::Paragraph, start, item);
                if let Some(clause) = clause {
                    self.set_anchor(clause);
                }
                clause
            }
            Number::Sub(text, kind) => {
                let label = self.resolve_sub(&text, kind);
                // A sibling of the same kind closes it and everything opened under it.
                let sibling = self.letters.iter().rposition(|&c| self.out.clauses[c].label.same_kind(&label));
                let parent = match sibling {
                    Some(position) => {
                        let parent = self.out.clauses[self.letters[position]].parent;
                        self.letters.truncate(position);
                        parent
                    }
                    None => self.letters.last().copied().or(self.anchor).or_else(|| self.container()),
                };
                let clause = self.add_clause_in(label, parent, Form::Paragraph, start, item);
                if let Some(clause) = clause {
                    self.letters.push(clause);
                }
                clause
            }
        };
        if let Some(clause) = clause {
            let (heading, id) = lead_heading(rest, standalone);
            self.name(clause, heading, anchor.or(id));
        }
    }

    /// `(i)` is the ninth letter after `(h)` and the first roman numeral anywhere else; `(v)`
    /// and `(x)` are roman numerals only after `(iv)` and `(ix)`.
    fn resolve_sub(&self, text: &str, kind: SubKind) -> Label {
        let open = |f: &dyn Fn(&Label) -> bool| {
            self.letters
                .iter()
                .rev()
                .find(|&&c| f(&self.out.clauses[c].label))
                .map(|&c| self.out.clauses[c].label.ordinal())
        };
        match kind {
            SubKind::Paren => Label::Paren(text.parse().unwrap_or(0)),
            SubKind::Upper => Label::Upper(letter_value(text)),
            SubKind::Lower => {
                let as_letter = letter_value(text);
                let Some(as_roman) = roman_value(text) else { return Label::Letter(as_letter) };
                if text.len() > 1 {
                    return Label::Roman(as_roman);
                }
                let previous_letter = open(&|l| matches!(l, Label::Letter(_)));
                let previous_roman = open(&|l| matches!(l, Label::Roman(_)));
                if previous_letter == Some(as_letter - 1) {
                    Label::Letter(as_letter)
                } else if previous_roman == Some(as_roman - 1) || text == "i" {
                    Label::Roman(as_roman)
                } else {
                    Label::Letter(as_letter)
                }
            }
        }
    }

    fn finish(mut self) -> Body {
        let body_end = self.offset + self.body.len();
        let mut starts: Vec<usize> =
            self.out.clauses.iter().map(|c| c.start).chain(self.boundaries.iter().copied()).collect();
        starts.sort_unstable();
        for (index, clause) in self.out.clauses.iter_mut().enumerate() {
            let next = starts.partition_point(|&s| s <= clause.start);
            let mut end = starts.get(next).copied().unwrap_or(body_end);
            if let Some(item_end) = self.item_of[index].and_then(|item| self.item_ends.get(&item)) {
                end = end.min(*item_end);
            }
            clause.own_end = end.max(clause.start);
            clause.end = clause.own_end;
            if clause.id.is_empty() {
                clause.id.clone_from(&clause.number);
            }
        }
        // Whole spans: children come after their parents in document order, so walking
        // backwards sees every child before its parent.
        for index in (0..self.out.clauses.len()).rev() {
            let end = self.out.clauses[index].end;
            if let Some(parent) = self.out.clauses[index].parent {
                let parent = &mut self.out.clauses[parent];
                parent.end = parent.end.max(end);
            }
        }
        disambiguate_ids(&mut self.out.clauses);
        self.out
    }
}

fn is_inline(event: &Event<'_>) -> bool {
    match event {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::InlineMath(_) => true,
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Superscript
                | Tag::Subscript
        ),
        Event::End(end) => matches!(
            end,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript
        ),
        _ => false,
    }
}

fn is_container(tag: &Tag<'_>) -> bool {
    matches!(tag, Tag::FootnoteDefinition(_) | Tag::Table(_) | Tag::HtmlBlock | Tag::CodeBlock(_) | Tag::DefinitionList)
}

fn is_container_end(end: TagEnd) -> bool {
    matches!(end, TagEnd::FootnoteDefinition | TagEnd::Table | TagEnd::HtmlBlock | TagEnd::DefinitionList)
}

/// The words of a clause's own text as a reader compares versions: without its number, list
/// marker or heading marks, `{#id}` attributes and emphasis, white space collapsed. Renumbering
/// a clause does not change its text; rewording does.
#[must_use]
pub fn clause_text(file: &str, clause: &Clause) -> String {
    let raw = &file[clause.start..clause.own_end];
    let (raw, _) = take_anchor(raw);
    let mut rest = raw.trim_start();
    if clause.form == Form::Heading {
        rest = rest.trim_start_matches('#').trim_start();
        let (_, after) = split_heading_number(rest.lines().next().unwrap_or(""));
        let first_len = rest.lines().next().map_or(0, str::len);
        let tail = &rest[first_len..];
        return collapse(&strip_markup(&format!("{after}\n{tail}")));
    }
    if clause.form == Form::ListItem {
        // The item's own marker: `12.` or `3)`.
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && matches!(rest.as_bytes().get(digits), Some(b'.' | b')')) {
            rest = rest[digits + 1..].trim_start();
        }
    }
    if let Some((_, after)) = starts_with_number(rest) {
        rest = after;
    }
    collapse(&strip_markup(rest))
}

fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // The marker of a nested list whose first item is a child clause (`- (a) …`) is no word
    // of the parent.
    let mut words: Vec<&str> = text.split_whitespace().collect();
    while words.last().is_some_and(|w| {
        matches!(*w, "-" | "*" | "+")
            // `ends_with` first: it makes the last character one byte, so the slice is safe.
            || (w.len() > 1 && w.ends_with(['.', ')']) && w[..w.len() - 1].bytes().all(|b| b.is_ascii_digit()))
    }) {
        words.pop();
    }
    for word in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Derived ids that collide (two clauses headed "Materials") get the clause number appended;
/// explicit ids are left as written, and a duplicate among them is a finding.
fn disambiguate_ids(clauses: &mut [Clause]) {
    let mut seen: FxHashSet<String> = FxHashSet::default();
    seen.reserve(clauses.len());
    for clause in clauses {
        if seen.contains(&clause.id) && !clause.explicit_id {
            clause.id = format!("{}-{}", clause.id, slug(&clause.number));
        }
        seen.insert(clause.id.clone());
    }
}

/// The kind of a parenthesised or lettered sub-number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SubKind {
    Lower,
    Upper,
    Paren,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Number {
    Dotted(Vec<u32>),
    Sub(String, SubKind),
}

/// A clause number at the start of `line` (`5.2`, `5.2.`, `**5.2 Renewal**`, `(a)`, `a.`), and
/// the text after it. A bold opening around the number is kept on the rest, so that
/// `**5.2 Renewal**.` leaves `**Renewal**.`.
fn starts_with_number(line: &str) -> Option<(Number, &str)> {
    let (bold, inner) = match line.strip_prefix("**").or_else(|| line.strip_prefix("__")) {
        Some(inner) => (true, inner.trim_start()),
        None => (false, line),
    };
    let (number, consumed) = parse_number(inner)?;
    let after = &inner[consumed..];
    // The number must stand alone: followed by white space, the end, or the bold's close.
    let closes = after.starts_with("**") || after.starts_with("__");
    if !(after.is_empty() || after.starts_with(char::is_whitespace) || closes) {
        return None;
    }
    let rest = after.trim_start();
    if bold {
        // `**5.2 Renewal**.` → `**Renewal**.`; `**5.2**` → ``
        // and `**5.2 Renewal**.` → `Renewal**.`, whose heading ends at the bold's close.
        let rest = rest.strip_prefix("**").or_else(|| rest.strip_prefix("__")).map_or(rest, str::trim_start);
        return Some((number, rest));
    }
    Some((number, rest))
}

fn parse_number(text: &str) -> Option<(Number, usize)> {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b'(') {
        let close = text[1..].find(')')? + 1;
        let inner = &text[1..close];
        let kind = if !inner.is_empty() && inner.len() <= 3 && inner.bytes().all(|b| b.is_ascii_digit()) {
            SubKind::Paren
        } else if inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_uppercase()) {
            SubKind::Upper
        } else if inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_lowercase())
            || (inner.len() <= 6 && roman_value(inner).is_some())
        {
            SubKind::Lower
        } else {
            return None;
        };
        return Some((Number::Sub(inner.to_owned(), kind), close + 1));
    }
    if bytes.first().is_some_and(u8::is_ascii_lowercase) && bytes.get(1) == Some(&b'.') {
        return Some((Number::Sub(text[..1].to_owned(), SubKind::Lower), 2));
    }
    // Dotted: digit groups of at most three digits (a year is no clause number), with a dot
    // between and optionally after; a single number needs its dot ("5." but not "5").
    let mut parts = Vec::new();
    let mut at = 0;
    loop {
        let digits = bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || digits > 3 {
            break;
        }
        parts.push(text[at..at + digits].parse().ok()?);
        at += digits;
        if bytes.get(at) == Some(&b'.') && bytes.get(at + 1).is_some_and(u8::is_ascii_digit) {
            at += 1;
            continue;
        }
        break;
    }
    if parts.is_empty() {
        return None;
    }
    let dot = bytes.get(at) == Some(&b'.');
    if dot {
        at += 1;
    } else if parts.len() == 1 {
        return None;
    }
    Some((Number::Dotted(parts), at))
}

/// Whether a line ends a unit of text, so that a number opening the next line opens a clause
/// rather than continuing a sentence ("… under Section\n5.2 above").
fn ends_unit(line: &str) -> bool {
    let trimmed = line.trim_end();
    trimmed.ends_with(['.', ':', ';'])
        || line.ends_with("  ")
        || line.ends_with('\\')
        || (trimmed.len() <= 60 && is_title_like(trimmed))
}

const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "nor", "but", "of", "to", "for", "in", "on", "by", "with", "from", "at", "as", "vs",
    "via", "per", "upon", "into", "under", "than", "its", "their",
];

/// Whether `text` reads as a title: at most ten words, each capitalised but for small words.
fn is_title_like(text: &str) -> bool {
    if text.len() > 90 {
        return false;
    }
    let mut letters = false;
    for (i, word) in text.split_whitespace().enumerate() {
        if i >= 10 {
            return false;
        }
        let Some(first) = word.chars().find(|c| c.is_alphanumeric()) else { continue };
        letters = true;
        if first.is_lowercase() {
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
            if i == 0 || !SMALL_WORDS.iter().any(|small| small.eq_ignore_ascii_case(bare)) {
                return false;
            }
        }
    }
    letters
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '\'' | '‘')
}

/// The heading of a clause from the text after its number, and an HTML `id` if a `<span>`
/// carries one.
///
/// A heading is leading bold, italic or `<span>`-wrapped text that ends with a period or stands
/// alone; else a short title-case lead-in that ends with a period or colon, as lawyers write
/// them (`7.2. Audit Rights. Customer may …`). A definition (`"Action" means …`) has none.
fn lead_heading(rest: &str, standalone: bool) -> (Option<String>, Option<String>) {
    let rest = rest.trim_start();
    if rest.starts_with(is_quote) {
        return (None, None);
    }
    if rest.starts_with("<span") {
        return span_heading(rest, standalone);
    }
    for marker in ["**", "__", "*", "_"] {
        if let Some(inner_start) = rest.strip_prefix(marker) {
            let Some(close) = inner_start.find(marker) else { continue };
            let inner = &inner_start[..close];
            let after = &inner_start[close + marker.len()..];
            return (emphasis_heading(inner, after, standalone), None);
        }
    }
    (plain_heading(rest, standalone), None)
}

fn emphasis_heading(inner: &str, after: &str, standalone: bool) -> Option<String> {
    let inner = inner.trim();
    if inner.is_empty() || inner.starts_with(is_quote) {
        return None;
    }
    // `**Disclaimer. Confidential Information is provided …**`: the heading is the first sentence.
    if let Some(stop) = inner.find(". ") {
        let first = &inner[..stop];
        return (first.split_whitespace().count() <= 12).then(|| clean_heading(first));
    }
    let after = after.trim_start();
    let ends = inner.ends_with(['.', ':'])
        || after.starts_with(['.', ':'])
        || after.is_empty() && standalone
        || after.is_empty();
    (ends && inner.split_whitespace().count() <= 16).then(|| clean_heading(inner))
}

fn span_heading(rest: &str, standalone: bool) -> (Option<String>, Option<String>) {
    let Some(tag_end) = rest.find('>') else { return (None, None) };
    let tag = &rest[..tag_end];
    let id = attribute(tag, "id");
    let Some(close) = rest[tag_end..].find("</span>") else { return (None, id) };
    let inner = &rest[tag_end + 1..tag_end + close];
    let after = rest[tag_end + close + "</span>".len()..].trim_start();
    let inner = strip_markup(inner);
    let ends = inner.trim_end().ends_with('.') || after.starts_with(['.', ':']) || (after.is_empty() && standalone);
    let heading = (ends && !inner.trim().is_empty()).then(|| clean_heading(&inner));
    (heading, id)
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    let value = &tag[at..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    let end = value.find(quote)?;
    Some(value[..end].to_owned())
}

fn plain_heading(rest: &str, standalone: bool) -> Option<String> {
    let first_line = rest.lines().next().unwrap_or("");
    // A heading is at most ninety characters: look no further for its end.
    let bytes = &first_line.as_bytes()[..first_line.len().min(120)];
    let stop = (0..bytes.len())
        .find(|&i| matches!(bytes[i], b'.' | b':') && bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace));
    let candidate = match stop {
        Some(stop) => &first_line[..stop],
        None if standalone => first_line,
        None => return None,
    };
    let candidate = strip_markup(candidate);
    (is_title_like(&candidate) && !candidate.trim_start().starts_with(is_quote)).then(|| clean_heading(&candidate))
}

fn strip_markup(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['<', '*', '_']) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            '*' | '_' if !in_tag => {}
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.into()
}

fn clean_heading(text: &str) -> String {
    let text = strip_markup(text);
    let mut out = String::with_capacity(text.len());
    for word in text.trim().trim_end_matches(['.', ':']).split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `[5, 2, 1]` → `5.2.1`.
fn dotted(parts: &[u32]) -> String {
    let mut out = String::with_capacity(parts.len() * 3);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        push_number(&mut out, *part);
    }
    out
}

fn push_number(out: &mut String, n: u32) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// Remove `{#id}` attributes from a clause's text, returning the text and the first id.
fn take_anchor(text: &str) -> (std::borrow::Cow<'_, str>, Option<String>) {
    // Most clauses have no `{` at all: one memchr decides.
    let bytes = text.as_bytes();
    let Some(open) = memchr::memchr_iter(b'{', bytes).find(|&at| bytes.get(at + 1) == Some(&b'#')) else {
        return (text.into(), None);
    };
    let Some(close) = text[open..].find('}').map(|c| open + c) else { return (text.into(), None) };
    let id = &text[open + 2..close];
    if id.is_empty() || !id.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')) {
        return (text.into(), None);
    }
    let before = text[..open].trim_end_matches([' ', '\t']);
    (format!("{before}{}", &text[close + 1..]).into(), Some(id.to_owned()))
}

/// The text of a heading line without its `#` marks, closing `#`s and `{#id}` attributes.
fn heading_text(raw: &str) -> String {
    let mut lines: Vec<&str> = raw.lines().collect();
    // Setext: drop the underline.
    if lines.len() > 1 && lines.last().is_some_and(|l| l.trim().chars().all(|c| c == '=' || c == '-')) {
        lines.pop();
    }
    let joined = lines.join(" ");
    let mut text = joined.trim().trim_start_matches('#').trim();
    if let Some(open) = text.rfind('{')
        && text.ends_with('}')
    {
        text = text[..open].trim_end();
    }
    let text = text.trim_end_matches('#').trim_end();
    strip_markup(text).trim().to_owned()
}

/// A heading's number and the rest: `5. Term` → (`[5]`, `Term`); `Section 5.2 Renewal` →
/// (`[5, 2]`, `Renewal`); `Exhibit A` → (none, `Exhibit A`).
fn split_heading_number(text: &str) -> (Option<Vec<u32>>, &str) {
    let mut rest = text;
    for word in ["Section ", "SECTION ", "Article ", "ARTICLE ", "Clause ", "CLAUSE ", "§ ", "§"] {
        if let Some(after) = rest.strip_prefix(word) {
            rest = after;
            break;
        }
    }
    let bytes = rest.as_bytes();
    let mut parts = Vec::new();
    let mut at = 0;
    loop {
        let digits = bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || digits > 4 {
            break;
        }
        let Ok(part) = rest[at..at + digits].parse() else { break };
        parts.push(part);
        at += digits;
        if bytes.get(at) == Some(&b'.') && bytes.get(at + 1).is_some_and(u8::is_ascii_digit) {
            at += 1;
        } else {
            break;
        }
    }
    if parts.is_empty() {
        return (None, text);
    }
    let after = rest[at..].strip_prefix('.').unwrap_or(&rest[at..]);
    if !(after.is_empty() || after.starts_with(char::is_whitespace) || after.starts_with(['—', '–', '-', ':'])) {
        return (None, text);
    }
    let heading = after.trim_start_matches([' ', '\t', '—', '–', '-', ':']).trim();
    (Some(parts), heading)
}

fn letter_value(text: &str) -> u32 {
    text.bytes().next().map_or(0, |b| u32::from(b.to_ascii_lowercase().saturating_sub(b'a')) + 1)
}

fn letters(n: u32) -> String {
    u8::try_from(n)
        .ok()
        .filter(|n| (1..=26).contains(n))
        .map_or_else(|| n.to_string(), |n| char::from(b'a' + n - 1).to_string())
}

/// The value of a lower-case roman numeral up to 39, the range lawyers number sub-items in.
fn roman_value(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| matches!(b, b'i' | b'v' | b'x')) {
        return None;
    }
    (1..40).find(|&n| roman(n) == text)
}

fn roman(n: u32) -> String {
    const TABLE: [(u32, &str); 6] = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"), (0, "")];
    let mut n = n;
    let mut out = String::new();
    for (value, digits) in TABLE {
        while value > 0 && n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(body: &str) -> Vec<(String, Option<String>)> {
        read(body, 0).clauses.into_iter().map(|c| (c.number, c.heading)).collect()
    }

    fn numbers(body: &str) -> Vec<String> {
        read(body, 0).clauses.into_iter().map(|c| c.number).collect()
    }

    #[test]
    fn headings_with_numbers_and_ids() {
        let body = read(
            "# MSA\n\n## 5. Term and Termination\n\nText.\n\n### 5.2 Renewal {#renewal}\n\nMore.\n\n## Exhibit A\n",
            0,
        );
        let clauses = &body.clauses;
        assert_eq!(clauses.len(), 2);
        assert_eq!(
            (clauses[0].number.as_str(), clauses[0].heading.as_deref(), clauses[0].id.as_str()),
            ("5", Some("Term and Termination"), "term-and-termination")
        );
        assert_eq!(
            (clauses[1].number.as_str(), clauses[1].id.as_str(), clauses[1].parent),
            ("5.2", "renewal", Some(0))
        );
        assert!(clauses[1].explicit_id);
    }

    #[test]
    fn nested_list_items_are_numbered_by_position() {
        let body = "1. **Services**. Provider will:\n   1. host;\n   2. back up.\n2. **Fees**. Customer pays.\n";
        assert_eq!(
            outline(body),
            [
                ("1".into(), Some("Services".into())),
                ("1.1".into(), None),
                ("1.2".into(), None),
                ("2".into(), Some("Fees".into())),
            ]
        );
    }

    #[test]
    fn lists_under_a_numbered_heading_continue_its_number() {
        assert_eq!(numbers("## 5. Payment\n\n1. Monthly.\n2. In advance.\n"), ["5", "5.1", "5.2"]);
    }

    #[test]
    fn numbered_paragraphs_nest_by_number_not_indentation() {
        let body = "1.  RECITALS\n  1.1.  Employee is an employee.\n\n  1.2.  Another.\n\n2.  DEFINITIONS\n\n  2.1.  \"Agreement\" shall mean this.\n\n    2.1.1.  Deep one.\n";
        let read = read(body, 0);
        let numbers: Vec<_> = read.clauses.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(numbers, ["1", "1.1", "1.2", "2", "2.1", "2.1.1"]);
        assert_eq!(read.clauses[0].heading.as_deref(), Some("RECITALS"));
        assert_eq!(read.clauses[4].parent, Some(3));
        assert_eq!(read.clauses[5].parent, Some(4));
        assert_eq!(read.clauses[4].heading, None);
    }

    #[test]
    fn lettered_items_attach_to_the_clause_before_them() {
        let body = "5. **Permitted Disclosures**.\n\n  (a) _Representatives_. May disclose.\n\n  (b) _Required by Law_. May disclose.\n\n6. **Term**. Starts.\n";
        assert_eq!(
            outline(body),
            [
                ("5".into(), Some("Permitted Disclosures".into())),
                ("5(a)".into(), Some("Representatives".into())),
                ("5(b)".into(), Some("Required by Law".into())),
                ("6".into(), Some("Term".into())),
            ]
        );
        let bullets =
            "5. **Permitted Disclosures**.\n\n   - (a) _Representatives_. May.\n\n   - (b) _Required by Law_. May.\n";
        assert_eq!(numbers(bullets), ["5", "5(a)", "5(b)"]);
    }

    #[test]
    fn roman_numerals_and_letters_are_told_apart() {
        let body = "1. Terms:\n\n   (a) first;\n\n   (i) sub one;\n\n   (ii) sub two;\n\n   (b) second;\n";
        assert_eq!(numbers(body), ["1", "1(a)", "1(a)(i)", "1(a)(ii)", "1(b)"]);
        let letters: String = (b'a'..=b'j')
            .flat_map(|b| ["(", &char::from(b).to_string(), ") x;\n\n"].concat().chars().collect::<Vec<_>>())
            .collect();
        let got = numbers(&format!("1. Terms:\n\n{letters}"));
        assert_eq!(got[9], "1(i)");
        assert_eq!(got[10], "1(j)");
    }

    #[test]
    fn headings_from_lead_ins() {
        let cases = [
            ("1. **What the Company owns.** The Company owns", Some("What the Company owns")),
            ("1. **Disclaimer. Information is provided as is.**", Some("Disclaimer")),
            ("7.2. Audit Rights. Customer may audit.", Some("Audit Rights")),
            ("5.  INJUNCTIVE RELIEF.  Recipient acknowledges.", Some("INJUNCTIVE RELIEF")),
            ("4.1.  Confidential Information:", Some("Confidential Information")),
            ("2.1 \"**Action**\" means a claim.", None),
            ("1. For purposes of this Agreement, a thing.", None),
            ("4.2.  Recipient may disclose Confidential Information as required.", None),
            ("1. <span id=\"intro\">Introduction.</span> This agreement", Some("Introduction")),
            ("1. The <span class=\"x\">Purpose</span> is fixed.", None),
        ];
        for (text, expected) in cases {
            let read = read(text, 0);
            assert_eq!(read.clauses[0].heading.as_deref(), expected, "{text}");
        }
        assert_eq!(read("1. <span id=\"intro\">Introduction.</span> This", 0).clauses[0].id, "intro");
    }

    #[test]
    fn ids_on_list_items_and_paragraphs() {
        let read = read("1. **True-up** {#true-up}. Each quarter.\n\n1.2 **Capacity.** Reserve it.\n{#capacity}\n", 0);
        let named: Vec<_> = read.clauses.iter().map(|c| (c.id.as_str(), c.heading.as_deref(), c.explicit_id)).collect();
        assert_eq!(named, [("true-up", Some("True-up"), true), ("capacity", Some("Capacity"), true)]);
    }

    #[test]
    fn quotes_and_fenced_code_hold_no_clauses() {
        assert!(numbers("> 2870\\.  (a) Any provision\n> (1) Relate\n\n```\n1.1 code\n```\n").is_empty());
    }

    #[test]
    fn a_number_that_continues_a_sentence_opens_no_clause() {
        assert_eq!(numbers("1. As set out in Section\n5.2 above, the fee.\n"), ["1"]);
    }

    #[test]
    fn spans_cover_children_and_own_text_stops_at_them() {
        let body = "1. Lead:\n\n   (a) one;\n\n   (b) two.\n\n2. Next.\n";
        let read = read(body, 10);
        let first = &read.clauses[0];
        assert_eq!(first.start, 10);
        assert_eq!(first.own_end, 10 + body.find("(a)").unwrap());
        assert!(first.end >= 10 + body.find("two.").unwrap());
        assert!(first.end <= 10 + body.find("2. Next").unwrap());
    }

    #[test]
    fn clause_text_leaves_out_numbers_and_markup() {
        let body = "## 5. Term {#term}\n\nThe term.\n\n5.2 **Renewal.** It  renews.\n\n1. **Fees**. Pay.\n";
        let read = read(body, 0);
        let texts: Vec<String> = read.clauses.iter().map(|c| clause_text(body, c)).collect();
        assert_eq!(texts, ["Term The term.", "Renewal. It renews.", "Fees. Pay."]);
    }

    #[test]
    fn clause_text_of_a_lone_quotation_mark() {
        // Regression: a trailing word of one multi-byte character was sliced mid-character.
        let body = "1. **A**. Text “\n";
        let read = read(body, 0);
        assert_eq!(clause_text(body, &read.clauses[0]), "A. Text “");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep: String = (0..200).map(|depth| "   ".repeat(depth) + "1. item\n").collect();
        let read = read(&deep, 0);
        assert_eq!(read.clauses.len(), MAX_DEPTH);
        assert_eq!(read.issues.len(), 1);
    }

    #[test]
    fn colliding_derived_ids_are_made_unique() {
        let read = read("1. Materials: one.\n2. Materials: two.\n", 0);
        assert_eq!(read.clauses[0].id, "materials");
        assert_eq!(read.clauses[1].id, "materials-2");
    }
}
