//! The Markdown-event reader: one pass over the body builds the clause tree.
//!
//! The reader keeps one piece of context: the clause read last. The clauses still open — those
//! a new clause can be a child or a sibling of — are that clause and its ancestors, so every
//! decision is a walk up from it:
//!
//! - a lettered paragraph `(b)` is the sibling of the nearest open `(a)`-kind clause, else the
//!   child of the clause read last (`5(a)` after `5. Permitted Disclosures`, also when the
//!   lettered paragraph is indented too little to belong to item 5's Markdown);
//! - an ordered list nests under the clause read last (`a. License grant.` then `1.` is
//!   `2(a)(1)`), unless it continues a list that a paragraph interrupted (`6.` after item 5);
//! - a heading nests under the open numbered heading of a higher level (`## B. Account Terms`
//!   over `### 1. Account Controls` is `B.1`), and an unnumbered heading at the level of the
//!   sections or above starts a new part of the document, where numbering may start again.
//!
//! Inside a list item nothing escapes the item: what is read there nests under the item.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rustc_hash::{FxHashMap, FxHashSet};

use super::heading::{attribute, ends_unit, heading_text, of_opening};
use super::normalise::take_anchor;
use super::number::{Number, Segment, SubKind, dotted, letter_value, letters, roman, roman_value, split_heading};
use super::opening::{Opening, opening};
use super::tree::{Anchor, Body, Clause, Form, Label, MAX_DEPTH, Part, StructureIssue};
use crate::text::{github_anchor, slug};

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
        start: usize,
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
    by_number: FxHashMap<Vec<Segment>, usize>,
    /// The open numbered headings, outermost first, with their levels.
    sections: Vec<(usize, HeadingLevel)>,
    /// The clause read last: it and its ancestors are the open clauses.
    last: Option<usize>,
    /// Clause starts that end a previous clause's own text: headings and item ends.
    boundaries: Vec<usize>,
    /// For each clause, the item frame it was read inside, to bound its text by the item's end.
    item_of: Vec<Option<usize>>,
    /// For each clause, whether its number was written whole (`2.41`, `### 5.2`) rather than
    /// as its last segment alone (`3.`, a list item): a number written alone follows only
    /// clauses numbered alone, so `4.` after `3.3` is section 4, not `3.4`.
    written_whole: Vec<bool>,
    item_ends: FxHashMap<usize, usize>,
    next_item_id: usize,
    depth_reported: bool,
    /// Heading anchors given so far, for GitHub's `-1`, `-2` suffixes on repeats.
    anchors_seen: FxHashMap<String, usize>,
    /// What the whole document says about its divisions, gathered as it is read and weighed
    /// when it has been read (see [`super::scheme`]).
    divisions: Divisions,
}

/// A heading or bold label that may be a section named by it alone: decided once the whole
/// document has been read.
#[derive(Debug)]
struct Candidate {
    start: usize,
    /// The heading level; `None` for a bold run-in label (`**Term:** …`).
    level: Option<usize>,
    heading: String,
    id: Option<String>,
    item: Option<usize>,
    part: usize,
}

#[derive(Debug, Default)]
struct Divisions {
    candidates: Vec<Candidate>,
    scheme: super::scheme::HeadingScheme,
    /// For each level, whether its first unnumbered heading came before any numbered clause.
    first_before_numbered: [Option<bool>; 7],
}

impl<'a> Reader<'a> {
    fn new(body: &'a str, offset: usize) -> Self {
        let mut out = Body::default();
        out.parts.push(Part { title: None, start: offset });
        // Room for the clauses at once, instead of growing the vectors clause by clause: most
        // clauses take two lines with the blank line after them. Capped, so that a huge file
        // reserves no more than a long contract needs.
        let room = (memchr::memchr_iter(b'\n', body.as_bytes()).count() / 2 + 1).min(4_096);
        out.clauses.reserve(room);
        Self {
            body,
            offset,
            out,
            frames: Vec::new(),
            by_number: FxHashMap::default(),
            sections: Vec::new(),
            last: None,
            boundaries: Vec::new(),
            item_of: Vec::with_capacity(room),
            written_whole: Vec::with_capacity(room),
            item_ends: FxHashMap::default(),
            next_item_id: 0,
            depth_reported: false,
            anchors_seen: FxHashMap::default(),
            divisions: Divisions::default(),
        }
    }

    fn in_quote(&self) -> bool {
        self.frames.iter().any(|frame| matches!(frame, Frame::Quote))
    }

    fn innermost_item(&self) -> Option<&Frame> {
        self.frames.iter().rev().find(|frame| matches!(frame, Frame::Item { .. }))
    }

    fn current_item_id(&self) -> Option<usize> {
        match self.innermost_item() {
            Some(Frame::Item { id, .. }) => Some(*id),
            _ => None,
        }
    }

    fn run(&mut self) {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_HEADING_ATTRIBUTES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_TASKLISTS
            // A Jekyll page's YAML header, kept in a body: metadata, not a heading.
            | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
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
                    let container = self.list_container(start.unwrap_or(1), start.is_some());
                    // A list counted from 0 inside a clause (scores, steps) enumerates in its
                    // text; at the top, counted from 0, it is the sections (the GNU GPL's
                    // `0. Definitions.`).
                    let ordered = start.is_some_and(|n| n > 0 || container.is_none());
                    self.frames.push(Frame::List { ordered, next: start.unwrap_or(1), container });
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
                    if !dest_url.starts_with('#') && !dest_url.is_empty() {
                        self.out.links_out.push(self.offset + range.start..self.offset + range.end);
                    }
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
                Event::Html(html) | Event::InlineHtml(html) => {
                    self.out.html.push(self.offset + range.start..self.offset + range.end);
                    // `<a id="x">` and `<span id="x">` are link targets too.
                    if html.contains("id=") {
                        for tag in html.split('<').skip(1) {
                            if let Some(id) = attribute(tag, " id").or_else(|| attribute(tag, "\tid")) {
                                self.out.targets.push(id);
                            }
                        }
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

    fn clause(&self, index: usize) -> &Clause {
        &self.out.clauses[index]
    }

    /// A list item whose Markdown item has ended: it can be continued by a sibling, or take
    /// lettered paragraphs that follow it, but a new list does not nest in it.
    fn is_closed_item(&self, clause: usize) -> bool {
        self.clause(clause).form == Form::ListItem
            && self.item_of[clause].is_some_and(|item| self.item_ends.contains_key(&item))
    }

    /// The innermost list item being read: the clause that what is read inside it nests under,
    /// and where it starts. `None` outside list items.
    fn item_floor(&self) -> Option<(Option<usize>, usize)> {
        match self.innermost_item() {
            Some(Frame::Item { clause, container, start, .. }) => Some((clause.or(*container), *start)),
            _ => None,
        }
    }

    /// The open clauses a new clause may nest under or follow, innermost first: the clause read
    /// last and its ancestors, but inside a list item only those read inside it, and not the
    /// item's own clause.
    fn scope(&self) -> Vec<usize> {
        let floor = self.item_floor();
        let mut scope = Vec::new();
        let mut at = self.last;
        while let Some(clause) = at {
            if let Some((floor_clause, item_start)) = floor
                && (Some(clause) == floor_clause || self.clause(clause).start < item_start)
            {
                break;
            }
            scope.push(clause);
            at = self.clause(clause).parent;
        }
        scope
    }

    /// The clause read last and all its ancestors, whatever item is being read.
    fn open_chain(&self) -> Vec<usize> {
        std::iter::successors(self.last, |&c| self.clause(c).parent).collect()
    }

    /// The clause an ordered list starting at `start` nests under.
    fn list_container(&self, start: u64, ordered: bool) -> Option<usize> {
        let scope = self.scope();
        // Bullets right after a numbered item, indented too little to belong to its Markdown,
        // still hold its lettered sub-items (`1. Scope:` then `- (a) …` at the margin), as
        // lettered paragraphs do.
        if !ordered && let Some(&last) = scope.first() {
            return Some(last);
        }
        // A list whose first number continues an open clause's sequence is that clause's
        // sibling: `4.` after `3.5` and its lettered paragraphs is section 4, not `3.5.4`. Inside
        // a bullet, which is no clause, the sequence is looked for above it too: `*  6. Disclaimer
        // of Warranty  *` in a box of asterisks after 5.3 is section 6.
        let in_bullet = matches!(self.innermost_item(), Some(Frame::Item { clause: None, .. }));
        let chain = if in_bullet { self.open_chain() } else { scope.clone() };
        if let Ok(start) = u32::try_from(start)
            && let Some(sibling) = self.continued(&chain, Segment::Number(start))
        {
            return self.clause(sibling).parent;
        }
        // `6.` after item 5 and a lettered paragraph continues item 5's list.
        if start > 1
            && let Some(&sibling) =
                scope.iter().find(|&&c| self.is_closed_item(c) && u64::from(self.clause(c).label.ordinal()) < start)
        {
            return self.clause(sibling).parent;
        }
        let floor = self.item_floor().and_then(|(clause, _)| clause);
        scope.into_iter().find(|&c| !self.is_closed_item(c)).or(floor)
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
            let label = child_label(container.map(|c| &self.clause(c).label), Segment::Number(number));
            let clause = self.add_clause(label, container, Form::ListItem, self.offset + start, Some(id));
            if clause.is_some() {
                self.last = clause;
            }
            clause
        } else {
            None
        };
        self.frames.push(Frame::Item { clause, container, blocks: 0, id, start: self.offset + start, inline: None });
    }

    fn depth(&self, parent: Option<usize>) -> usize {
        let mut depth = 0;
        let mut at = parent;
        while let Some(clause) = at {
            depth += 1;
            at = self.clause(clause).parent;
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
        item: Option<usize>,
    ) -> Option<usize> {
        if self.depth(parent) >= MAX_DEPTH {
            if !self.depth_reported {
                self.depth_reported = true;
                self.out.issues.push(StructureIssue::TooDeep { at: start });
            }
            return None;
        }
        let parent_number = parent.map_or("", |p| self.clause(p).number.as_str());
        let number = match &label {
            Label::Unnumbered => String::new(),
            Label::Dotted(segments) => dotted(segments),
            Label::Letter(n) => format!("{parent_number}({})", letters(*n)),
            Label::Upper(n) => format!("{parent_number}({})", letters(*n).to_uppercase()),
            Label::Roman(n) => format!("{parent_number}({})", roman(*n)),
            Label::Paren(n) => format!("{parent_number}({n})"),
        };
        let index = self.out.clauses.len();
        if let Label::Dotted(segments) = &label {
            self.by_number.insert(segments.clone(), index);
        }
        self.out.clauses.push(Clause {
            id: String::new(),
            explicit_id: false,
            local_number: String::new(),
            number,
            heading: None,
            label,
            form,
            start,
            own_end: start,
            end: start,
            parent,
            children: Vec::new(),
            part: self.out.parts.len() - 1,
        });
        self.item_of.push(item);
        self.written_whole.push(false);
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
        let (number, rest) = split_heading(&text);
        if !in_quote {
            // `## Section 3 – Conditions`: the heading's own number is no reference to itself.
            let prose_start = match number {
                Some(_) if !rest.is_empty() => raw.find(rest).map_or(range.start, |at| range.start + at),
                _ => range.start,
            };
            self.out.prose.push(self.offset + prose_start..self.offset + range.end);
            self.add_target(&text, id.as_deref());
        }
        // A heading that is the first block of a list-item clause names that item.
        if let Some(Frame::Item { clause: Some(clause), blocks: 0, .. }) = self.innermost_item() {
            let clause = *clause;
            self.count_block();
            self.name(clause, Some(rest.to_owned()), id);
            return;
        }
        self.count_block();
        if in_quote {
            return;
        }
        self.boundaries.push(start);
        while self.sections.last().is_some_and(|&(_, open)| open >= level) {
            self.sections.pop();
        }
        let Some(segments) = number else {
            // An unnumbered heading below the open numbered section titles a stretch of it; one
            // at its level or above ("Exhibit A", "Payment") starts a new part of the document,
            // and where the document divides itself by such headings it is a clause too, placed
            // once the whole document is read (`place_named_sections`).
            if let Some(&(section, _)) = self.sections.last() {
                self.last = Some(section);
                return;
            }
            self.out.parts.push(Part { title: Some(text.clone()), start });
            self.last = None;
            let depth = heading_level(level);
            let before_numbered = self.out.clauses.is_empty();
            self.divisions.first_before_numbered[depth].get_or_insert(before_numbered);
            if !text.is_empty() {
                self.divisions.scheme.count(depth, false);
                let item = self.current_item_id();
                let part = self.out.parts.len() - 1;
                self.divisions.candidates.push(Candidate { start, level: Some(depth), heading: text, id, item, part });
            }
            return;
        };
        self.divisions.scheme.count(heading_level(level), true);
        let section = self.sections.last().map(|&(clause, _)| clause);
        let segments_written = segments.len();
        let (label, parent) = if segments.len() > 1 {
            let parent = self.parent_by_number(&segments).or(section);
            (Label::Dotted(segments), parent)
        } else {
            let previous = match section {
                Some(parent) => self.clause(parent).children.last().copied(),
                None => self.out.roots.last().copied().filter(|&c| self.clause(c).part + 1 == self.out.parts.len()),
            };
            let previous = previous.filter(|&c| self.clause(c).form == Form::Heading);
            let segment = letter_or_roman(segments[0], previous.map(|c| &self.clause(c).label));
            (child_label(section.map(|c| &self.clause(c).label), segment), section)
        };
        let item = self.current_item_id();
        let whole = segments_written > 1;
        if let Some(clause) = self.add_clause(label, parent, Form::Heading, start, item) {
            self.written_whole[clause] = whole;
            let heading = (!rest.is_empty()).then(|| rest.trim_end_matches(['.', ':']).to_owned());
            self.name(clause, heading, id);
            self.sections.push((clause, level));
            self.last = Some(clause);
        }
    }

    /// Record where a link to this heading lands: its `{#id}`, else its anchor as GitHub
    /// renders it, with `-1`, `-2` added to repeats.
    fn add_target(&mut self, text: &str, id: Option<&str>) {
        if let Some(id) = id {
            self.out.targets.push(id.to_owned());
            return;
        }
        let anchor = github_anchor(text);
        let seen = self.anchors_seen.entry(anchor.clone()).or_insert(0);
        let target = if *seen == 0 { anchor } else { format!("{anchor}-{seen}") };
        *seen += 1;
        self.out.targets.push(target);
    }

    fn parent_by_number(&self, segments: &[Segment]) -> Option<usize> {
        (1..segments.len()).rev().find_map(|len| self.by_number.get(&segments[..len]).copied())
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
        // `**Term:** The season …` where the document divides itself by such labels: a section
        // named by its label.
        if item_lead.is_none()
            && self.body[range.clone()].starts_with(['*', '_'])
            && self.item_floor().is_none()
            && let Some(label) = super::scheme::bold_label(&self.body[range.clone()])
        {
            let heading = super::heading::clean_heading(label);
            let part = self.out.parts.len() - 1;
            let start = self.offset + range.start;
            self.divisions.scheme.count_label();
            self.divisions.candidates.push(Candidate { start, level: None, heading, id: None, item: None, part });
        }
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
        let mut starts: Vec<usize> = Vec::new();
        let mut at = range.start;
        let mut previous: Option<&str> = None;
        for line in split_lines_inclusive(text) {
            let content = line.trim_end_matches(['\n', '\r']);
            // Bullets indented into a code block keep their markers as text: `- (a) …` opens
            // clause (a) as the same bullet at the margin does.
            let trimmed = strip_bullet(content.trim_start());
            let lead_start = at + (content.len() - trimmed.len());
            at += line.len();
            let opens = match previous {
                None => true,
                Some(previous) => ends_unit(previous) && opening(trimmed).is_some(),
            };
            if opens {
                starts.push(lead_start);
            }
            previous = Some(content);
        }
        for (index, start) in starts.iter().enumerate() {
            let end = starts.get(index + 1).map_or(range.end, |&next| next);
            // `{#id}` anywhere in the segment names the clause; it is no part of the heading.
            let (segment, anchor) = take_anchor(&body[*start..end]);
            let standalone = segment.trim_end().lines().count() <= 1;
            if index == 0
                && let Some(clause) = item_lead
            {
                // The first line of a list item is the item's own lead, whatever it opens with.
                let (heading, id) = super::heading::lead_heading(&segment, standalone);
                self.name(clause, heading, anchor.or(id));
                continue;
            }
            let found = opening(&segment)
                .or_else(|| super::heading::undotted_opening(&segment))
                .or_else(|| super::heading::worded_opening(&segment));
            if let Some(found) = found.filter(|found| !inline_enumeration(found, &segment)) {
                self.numbered(&found, anchor, standalone, self.offset + start);
            }
        }
    }

    fn numbered(&mut self, found: &Opening<'_>, anchor: Option<String>, standalone: bool, start: usize) {
        let item = self.current_item_id();
        let floor = self.item_floor().and_then(|(clause, _)| clause);
        let scope = self.scope();
        let (label, parent) = match &found.number {
            Number::Dotted(segments) if segments.len() > 1 => {
                (Label::Dotted(segments.clone()), self.parent_by_number(segments))
            }
            Number::Dotted(segments) => {
                let segment = segments[0];
                if self.item_floor().is_some() {
                    (child_label(floor.map(|c| &self.clause(c).label), segment), floor)
                } else {
                    // The open clause whose sequence this number continues, innermost first:
                    // `**3. Services**` after `2.41` follows `2`, not `2.41`, and `3. Agreement`
                    // after `## 2. Grant` and `2.6` is the next section. Otherwise
                    // `**2. Age Restrictions.**` after `**1. Binding Agreement.**` is a
                    // sibling, and under `## B. Account Terms` the first such paragraph is `B.1`.
                    let sibling = self.continued(&scope, segment).or_else(|| {
                        scope
                            .iter()
                            .copied()
                            .find(|&c| self.clause(c).form != Form::Heading && self.counts_alone(c, segment))
                    });
                    let parent = match sibling {
                        Some(sibling) => self.clause(sibling).parent,
                        None => self.sections.last().map(|&(clause, _)| clause),
                    };
                    (child_label(parent.map(|c| &self.clause(c).label), segment), parent)
                }
            }
            Number::Sub(text, kind) => {
                let label = self.resolve_sub(text, *kind, &scope);
                let sibling = scope.iter().copied().find(|&c| self.clause(c).label.same_kind(&label));
                let parent = match sibling {
                    Some(sibling) => self.clause(sibling).parent,
                    None => scope.first().copied().or(floor),
                };
                // A lettered label that starts no sequence, under no clause, is no clause:
                // `(C) 2024 Acme` is a copyright line, not item (c) of nothing.
                if sibling.is_none() && parent.is_none() && label.ordinal() > 1 {
                    return;
                }
                (label, parent)
            }
        };
        let whole = matches!(&found.number, Number::Dotted(segments) if segments.len() > 1);
        let lettered = matches!(found.number, Number::Sub(..));
        if let Some(clause) = self.add_clause(label, parent, Form::Paragraph, start, item) {
            self.written_whole[clause] = whole;
            let (mut heading, id) = of_opening(found, standalone);
            if heading.is_none() && lettered && found.bold_tail.is_none() {
                heading = super::heading::lettered_heading(found.rest);
            }
            self.name(clause, heading, anchor.or(id));
            self.last = Some(clause);
        }
    }

    /// The open clause, innermost first, whose sequence a number written alone as `segment`
    /// continues: one numbered alone in the same kind, one less. Clauses whose numbers are
    /// written whole (`3.3`) count in their own sequence, which `4.` does not continue.
    fn continued(&self, scope: &[usize], segment: Segment) -> Option<usize> {
        scope
            .iter()
            .copied()
            .find(|&c| self.counts_alone(c, segment) && self.clause(c).label.ordinal() + 1 == segment.ordinal())
    }

    /// Whether clause `c` counts in the sequence a number written alone as `segment` counts
    /// in: a dotted number of the same kind, itself written alone (or with one segment).
    fn counts_alone(&self, c: usize, segment: Segment) -> bool {
        matches!(&self.clause(c).label, Label::Dotted(s) if s.last().is_some_and(|l| l.same_kind(segment))
            && (s.len() == 1 || !self.written_whole[c]))
    }

    /// The headings and labels the document divides itself by, as clauses named by them: each
    /// in its place in document order, holding the clauses read under it (see
    /// [`super::scheme`]). Decided here, with the whole document read.
    fn place_named_sections(&mut self) {
        let divisions = std::mem::take(&mut self.divisions);
        let scheme = &divisions.scheme;
        let numbered_clauses = !self.out.clauses.is_empty();
        let chosen: Vec<Candidate> = divisions
            .candidates
            .into_iter()
            .filter(|candidate| match candidate.level {
                Some(level) => scheme.divides_by_name(level) && divisions.first_before_numbered[level] == Some(true),
                None => !numbered_clauses && scheme.divides_by_labels(),
            })
            .collect();
        if chosen.is_empty() {
            return;
        }
        let old = std::mem::take(&mut self.out.clauses);
        let old_items = std::mem::take(&mut self.item_of);
        // How numbers were written matters only while reading.
        self.written_whole.clear();
        let mut remap = vec![0; old.len()];
        let mut merged: Vec<Clause> = Vec::with_capacity(old.len() + chosen.len());
        // The open sections, innermost last, with their levels (a label is innermost: 7).
        let mut open: Vec<(usize, usize)> = Vec::new();
        let mut chosen = chosen.into_iter().peekable();
        let mut old = old.into_iter().zip(old_items).enumerate().peekable();
        loop {
            let take_section = match (chosen.peek(), old.peek()) {
                (Some(section), Some((_, (clause, _)))) => section.start <= clause.start,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if take_section {
                let Some(section) = chosen.next() else { break };
                let level = section.level.unwrap_or(LABEL_LEVEL);
                while open.last().is_some_and(|&(_, open_level)| open_level >= level) {
                    open.pop();
                }
                let explicit_id = section.id.as_ref().is_some_and(|id| !id.is_empty());
                let id = match section.id.filter(|id| !id.is_empty()) {
                    Some(id) => id,
                    None => slug(&section.heading),
                };
                open.push((merged.len(), level));
                merged.push(Clause {
                    number: String::new(),
                    id,
                    explicit_id,
                    heading: Some(section.heading),
                    label: Label::Unnumbered,
                    form: if section.level.is_some() { Form::Heading } else { Form::Paragraph },
                    local_number: String::new(),
                    start: section.start,
                    own_end: section.start,
                    end: section.start,
                    parent: open.len().checked_sub(2).map(|at| open[at].0),
                    children: Vec::new(),
                    part: section.part,
                });
                self.item_of.push(section.item);
            } else {
                let Some((index, (mut clause, item))) = old.next() else { break };
                remap[index] = merged.len();
                clause.parent = match clause.parent {
                    Some(parent) => Some(remap[parent]),
                    None => open.last().map(|&(section, _)| section),
                };
                clause.children.clear();
                merged.push(clause);
                self.item_of.push(item);
            }
        }
        self.out.roots.clear();
        for index in 0..merged.len() {
            match merged[index].parent {
                Some(parent) => merged[parent].children.push(index),
                None => self.out.roots.push(index),
            }
        }
        self.out.clauses = merged;
    }

    /// `(i)` is the ninth letter after `(h)` and the first roman numeral anywhere else; `(v)`
    /// and `(x)` are roman numerals only after `(iv)` and `(ix)`.
    fn resolve_sub(&self, text: &str, kind: SubKind, scope: &[usize]) -> Label {
        let open = |f: &dyn Fn(&Label) -> bool| {
            scope.iter().find(|&&c| f(&self.clause(c).label)).map(|&c| self.clause(c).label.ordinal())
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
        self.place_named_sections();
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
        qualify_restarted_numbers(&mut self.out);
        for clause in &mut self.out.clauses {
            if clause.id.is_empty() {
                clause.id = if clause.local_number.is_empty() { clause.number.clone() } else { slug(&clause.number) };
            }
        }
        disambiguate_ids(&mut self.out.clauses);
        self.out
    }
}

/// The level a bold run-in label sections at: inside any heading's.
const LABEL_LEVEL: usize = 7;

/// The label of a clause numbered `segment` under a clause labelled `parent`: a list nested in
/// item 5, or a heading under `## B.`, continues the parent's number (`5.2`, `B.1`); under a
/// lettered clause it is a parenthesised number (`2(a)(1)`).
fn child_label(parent: Option<&Label>, segment: Segment) -> Label {
    match parent {
        Some(Label::Dotted(segments)) => Label::Dotted(segments.iter().copied().chain([segment]).collect()),
        Some(Label::Unnumbered) | None => Label::Dotted(vec![segment]),
        Some(_) => Label::Paren(segment.ordinal()),
    }
}

/// `I`, `V` and `X` are letters after `H`, `U` and `W`, and roman numerals after `IV`, `IX`,
/// or as the first of their headings (`## I. Introduction`).
fn letter_or_roman(segment: Segment, previous: Option<&Label>) -> Segment {
    let Segment::Letter(letter) = segment else { return segment };
    let previous = match previous {
        Some(Label::Dotted(segments)) => segments.last().copied(),
        _ => None,
    };
    let as_roman = roman_value(&letters(letter));
    match (previous, as_roman) {
        (Some(Segment::Letter(before)), _) if before + 1 == letter => segment,
        (Some(Segment::Roman(before)), Some(value)) if before + 1 == value => Segment::Roman(value),
        (None, Some(1)) => Segment::Roman(1),
        _ => segment,
    }
}

/// Where two parts of the document number their clauses from the same start (`## Payment` with
/// `1.`, `2.`, then `## Cancellation` with its own `1.`), a number alone names two clauses: the
/// clauses of those parts are cited with their heading, `Payment › 1`.
fn qualify_restarted_numbers(body: &mut Body) {
    let mut owners: FxHashMap<&str, usize> = FxHashMap::default();
    let mut restarted: FxHashSet<usize> = FxHashSet::default();
    // The first numbered level: clauses at the top, or under sections named by heading alone.
    let top = |clause: &Clause| {
        clause.label != Label::Unnumbered && clause.parent.is_none_or(|p| body.clauses[p].label == Label::Unnumbered)
    };
    for clause in body.clauses.iter().filter(|c| top(c)) {
        match owners.get(clause.number.as_str()) {
            Some(&part) if part != clause.part => {
                restarted.insert(part);
                restarted.insert(clause.part);
            }
            Some(_) => {}
            None => {
                owners.insert(clause.number.as_str(), clause.part);
            }
        }
    }
    if restarted.is_empty() {
        return;
    }
    for clause in &mut body.clauses {
        if let Some(title) = restarted.contains(&clause.part).then(|| body.parts[clause.part].title.as_ref()).flatten()
            && !clause.number.is_empty()
        {
            let qualified = format!("{title} › {}", clause.number);
            clause.local_number = std::mem::replace(&mut clause.number, qualified);
        }
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

/// Whether a line that opens with `(1)` goes on to `(2)` itself: an enumeration inside a
/// sentence that a line break happened to start a line with (`(1) assert copyright on the
/// software, and (2) offer you this License`), not a clause.
fn inline_enumeration(found: &Opening<'_>, segment: &str) -> bool {
    let Number::Sub(text, kind) = &found.number else { return false };
    let first_line = segment.lines().next().unwrap_or_default();
    // Most lettered lines hold no second parenthesis on their first line: nothing to look for.
    let Some(open) = found.rest.find('(') else { return false };
    if found.rest[..open].contains('\n') {
        return false;
    }
    let next = match kind {
        SubKind::Paren => text.parse::<u32>().map(|n| (n + 1).to_string()).unwrap_or_default(),
        _ if text.len() == 1 => char::from_u32(u32::from(text.as_bytes()[0]) + 1).map(String::from).unwrap_or_default(),
        _ => roman_value(text).map(|n| roman(n + 1)).unwrap_or_default(),
    };
    !next.is_empty() && first_line.contains(&format!("({next})"))
}

/// The lines of `text` with their `\n`, split by a byte search (a paragraph's lines are many
/// and short).
fn split_lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    std::iter::from_fn(move || {
        let rest = text.get(start..).filter(|rest| !rest.is_empty())?;
        let length = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |at| at + 1);
        start += length;
        rest.get(..length)
    })
}

/// A line without its bullet marker: `- (a) host` → `(a) host`.
fn strip_bullet(line: &str) -> &str {
    match line.as_bytes() {
        [b'-' | b'*' | b'+', b' ' | b'\t', ..] => line[2..].trim_start(),
        _ => line,
    }
}

fn heading_level(level: HeadingLevel) -> usize {
    // `H1` is 1, …, `H6` is 6.
    level as usize
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::clauses::clause_text;

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

    /// The shapes of numbering that documents nobody here wrote use, each read as a lawyer
    /// reads it: minimal examples of each construct, not quotations.
    #[test]
    fn a_number_continues_the_sequence_it_follows() {
        // Bold section numbers over dotted sub-clauses, with a colon, a tab or a trailing space.
        let body = "**1. DEFINITIONS:**\n\n1.1. “Agreement” means this.\n\n1.2. “Party” means one.\n\n\
                    **2. GRANTS:**\n\n2.1. A licence.\n\n**3.\tServices**. \n\n3.1. Provider serves.\n";
        assert_eq!(
            outline(body),
            [
                ("1".into(), Some("DEFINITIONS".into())),
                ("1.1".into(), None),
                ("1.2".into(), None),
                ("2".into(), Some("GRANTS".into())),
                ("2.1".into(), None),
                ("3".into(), Some("Services".into())),
                ("3.1".into(), None),
            ]
        );
        // After a heading section and its dotted clause, a bare number is the next section.
        let body = "## 2. Grant\n\nText.\n\n2.6 Reservation of Rights. All reserved.\n\n3. Agreement\n\n(a) You have read it.\n";
        assert_eq!(numbers(body), ["2", "2.6", "3", "3(a)"]);
        // A list that continues a bare-numbered section after dotted sub-clauses.
        let body = "1. RECITALS\n\n  1.1. One.\n\n  1.2. Two.\n\n2. TERMS\n";
        assert_eq!(numbers(body), ["1", "1.1", "1.2", "2"]);
        // Without a number to continue, a bare number nests as before.
        assert_eq!(numbers("## 5. Payment\n\n1. Monthly.\n2. In advance.\n3. In euros.\n"), ["5", "5.1", "5.2", "5.3"]);
    }

    #[test]
    fn lettered_labels_in_every_form() {
        // `a)` (a right parenthesis only), also bold inside a bullet, and `(a).`.
        assert_eq!(numbers("1. Scope:\n\n   a) the work;\n\n   b) the rest.\n"), ["1", "1(a)", "1(b)"]);
        assert_eq!(numbers("1. Scope:\n\n   * **a)** The work.\n   * **b)** The rest.\n"), ["1", "1(a)", "1(b)"]);
        assert_eq!(numbers("**1. Scope.** It covers:\n\n(a). the work;\n\n(b). the rest.\n"), ["1", "1(a)", "1(b)"]);
    }

    #[test]
    fn lower_case_lettered_headings_are_sub_sections() {
        let body = "8\\. Specific Service Terms\n---------\n\nIntro.\n\n### a. Websites\n\nText.\n\n### b. Payments\n\nText.\n";
        assert_eq!(
            outline(body),
            [
                ("8".into(), Some("Specific Service Terms".into())),
                ("8.a".into(), Some("Websites".into())),
                ("8.b".into(), Some("Payments".into())),
            ]
        );
    }

    #[test]
    fn run_in_headings_of_lettered_items_in_every_punctuation() {
        let body = "1. Membership.\n\n(a) Open Source. We publish.\n\n(b) Platform agnostic. We support all.\n\n\
                    (c) Academic and Non-Profit members: The fee is waived.\n\n(d) Composition – the Board has five.\n";
        let headings: Vec<Option<String>> = read(body, 0).clauses.into_iter().map(|c| c.heading).collect();
        assert_eq!(
            headings,
            [
                Some("Membership".into()),
                Some("Open Source".into()),
                Some("Platform agnostic".into()),
                Some("Academic and Non-Profit members".into()),
                Some("Composition".into()),
            ]
        );
    }

    #[test]
    fn entities_in_headings_are_decoded() {
        let body = "**1.1. &ldquo;Contributor&rdquo;**\nmeans each person.\n\n**1.2. Fees &amp; Taxes.** Pay.\n";
        let headings: Vec<Option<String>> = read(body, 0).clauses.into_iter().map(|c| c.heading).collect();
        assert_eq!(headings, [Some("Contributor".into()), Some("Fees & Taxes".into())]);
    }

    #[test]
    fn a_list_counted_from_zero_is_text_of_its_clause() {
        let body = "## 4. Scoring\n\n4.1 Each bid is scored:\n\n0. not met;\n1. partly met;\n2. met;\n3. exceeded.\n\n4.2 Ties.\n";
        assert_eq!(numbers(body), ["4", "4.1", "4.2"]);
    }

    #[test]
    fn sections_named_by_heading_alone_are_clauses() {
        let body =
            "# Licence\n\nPreamble.\n\n## Acceptance\n\nText.\n\n## Copyright License\n\nText.\n\n### Scope\n\nMore.\n";
        let read = read(body, 0);
        let got: Vec<(&str, Option<&str>, Option<usize>)> =
            read.clauses.iter().map(|c| (c.number.as_str(), c.heading.as_deref(), c.parent)).collect();
        assert_eq!(
            got,
            [("", Some("Acceptance"), None), ("", Some("Copyright License"), None), ("", Some("Scope"), Some(1))]
        );
        assert_eq!(read.clauses[1].id, "copyright-license");
        // Bold run-in labels used as a document's divisions are such sections too.
        let body =
            "Intro.\n\n**Term:** The season starts in May.\n\n**Fees:** Due monthly.\n\n**Termination.** Any time.\n";
        let labels: Vec<(String, Option<String>)> = outline(body);
        assert_eq!(
            labels,
            [
                (String::new(), Some("Term".into())),
                (String::new(), Some("Fees".into())),
                (String::new(), Some("Termination".into())),
            ]
        );
    }

    #[test]
    fn bullets_read_the_same_at_the_margin_indented_or_in_an_item() {
        // The same lettered bullets, in the item, at the margin after it, and indented four
        // spaces into a code block after a numbered paragraph: the same clauses.
        let in_item = "1. **Scope.** Provider will:\n\n    - (a) host;\n    - (b) back up.\n\n2. **Fees.** Pay.\n";
        let at_margin = "1. **Scope.** Provider will:\n\n- (a) host;\n- (b) back up.\n\n2. **Fees.** Pay.\n";
        assert_eq!(numbers(in_item), ["1", "1(a)", "1(b)", "2"]);
        assert_eq!(numbers(at_margin), ["1", "1(a)", "1(b)", "2"]);
        let code = "**1.1** Scope. Provider will:\n\n    - (a) host;\n    - (b) back up.\n\n**1.2** Fees. Pay.\n";
        let plain = "**1.1** Scope. Provider will:\n\n- (a) host;\n- (b) back up.\n\n**1.2** Fees. Pay.\n";
        assert_eq!(numbers(code), ["1.1", "1.1(a)", "1.1(b)", "1.2"]);
        assert_eq!(numbers(plain), numbers(code));
        let texts = |body: &str| read(body, 0).clauses.iter().map(|c| clause_text(body, c)).collect::<Vec<_>>();
        assert_eq!(texts(code), texts(plain));
        assert_eq!(texts(in_item), texts(at_margin));
    }

    #[test]
    fn links_to_other_documents_are_recorded() {
        let body = "1. Fees per [Section K. Payment](/terms#k-payment); see [Term](#term).\n";
        let read = read(body, 0);
        let link = body.find("[Section").unwrap()..body.find("; see").unwrap();
        assert_eq!(read.links_out, vec![link]);
    }

    /// Plain-text agreements set as their publishers set them, read as a lawyer reads them.
    #[test]
    fn plain_text_layouts() {
        // Sections counted from 0 at the top are sections; a line that opens with `(1)` and
        // goes on to `(2)` is a sentence, not a clause.
        let gpl = "Rights protected in two steps:\n(1) assert copyright, and (2) offer this License.\n\n\
                   TERMS\n\n  0. Definitions.\n\n  Text.\n\n  1. Source Code.\n\n  Text.\n";
        assert_eq!(outline(gpl), [("0".into(), Some("Definitions".into())), ("1".into(), Some("Source Code".into()))]);
        // `1 Definitions` without a dot, on a line of its own, over `1.1`.
        assert_eq!(
            numbers("1 Definitions\n\n  1.1 'Licence' means this.\n\n2 Applicability\n\n  2.1 It applies.\n"),
            ["1", "1.1", "2", "2.1"]
        );
        assert_eq!(numbers("2 weeks' notice is due.\n"), Vec::<String>::new());
        // A heading on a line of its own in sentence case, or over a sentence on the next line;
        // a term in quotes on a line of its own over its definition; a title wrapped in two.
        let body = "1.  Definitions\nThe terms mean this.\n\n2. Scope of the rights granted by the Licence\n\nText.\n\n\
                    2.1. \"Contributor\"\n    means each person.\n\n\
                    2.2. Distributing Source Code Form that is Incompatible With Secondary\nLicenses\n\nText.\n";
        let headings: Vec<Option<String>> = read(body, 0).clauses.into_iter().map(|c| c.heading).collect();
        assert_eq!(
            headings,
            [
                Some("Definitions".into()),
                Some("Scope of the rights granted by the Licence".into()),
                Some("Contributor".into()),
                Some("Distributing Source Code Form that is Incompatible With Secondary Licenses".into()),
            ]
        );
        // Two sections inside a box of asterisks after 5.3 are sections 6 and 7.
        let boxed = "5. Termination\n\n5.1. Ends.\n\n5.3. Survives.\n\n****************\n*              *\n\
                     *  6. Disclaimer of Warranty  *\n*              *\n*  7. Limitation of Liability  *\n****************\n\n\
                     8. Litigation\n";
        assert_eq!(numbers(boxed), ["5", "5.1", "5.3", "6", "7", "8"]);
        // A copyright line is no item (c); the list after it is the clauses.
        assert_eq!(
            numbers("(C) [year] [fullname]\n\nRestrictions:\n\n1. Keep this notice.\n2. Mark changes.\n"),
            ["1", "2"]
        );
        // An article line in capitals, with its word: `Article 1 - DEFINITIONS`.
        let articles = "    Article 1 - DEFINITIONS\n\nText.\n\n    Article 2 - OBJET\n\n2.1 Le premier paragraphe.\n\nSection 5 applies here.\n";
        assert_eq!(numbers("Part 1 - GENERAL\n\nText.\n\nPart 2 - FEES\n\n2.1 Pay.\n"), ["1", "2", "2.1"]);
        assert_eq!(
            outline(articles),
            [("1".into(), Some("DEFINITIONS".into())), ("2".into(), Some("OBJET".into())), ("2.1".into(), None),]
        );
    }

    #[test]
    fn colliding_derived_ids_are_made_unique() {
        let read = read("1. Materials: one.\n2. Materials: two.\n", 0);
        assert_eq!(read.clauses[0].id, "materials");
        assert_eq!(read.clauses[1].id, "materials-2");
    }
}
