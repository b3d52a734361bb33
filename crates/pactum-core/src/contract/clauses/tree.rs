//! The clause tree as read: clauses, their labels, and what else the reader collects in its one
//! pass (prose ranges, links, heading anchors, the document's parts).

use std::ops::Range;

use serde::Serialize;

use super::number::{Segment, dotted};

/// How a clause is numbered, for telling siblings apart from children and checking sequences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Label {
    /// `5`, `5.2`, `B.1`, `X2-3`: every segment.
    Dotted(Vec<Segment>),
    /// `(a)`, `a.`
    Letter(u32),
    /// `(i)`, `(iv)`
    Roman(u32),
    /// `(A)`
    Upper(u32),
    /// `(1)`, and list items under a lettered clause.
    Paren(u32),
    /// A section the document divides by its heading alone (`## Account Terms`), with no
    /// number: cited by its heading, its `number` empty.
    Unnumbered,
}

impl Label {
    /// The number that orders this label among its siblings.
    #[must_use]
    pub(crate) fn ordinal(&self) -> u32 {
        match self {
            Self::Dotted(segments) => segments.last().map_or(0, |s| s.ordinal()),
            Self::Letter(n) | Self::Roman(n) | Self::Upper(n) | Self::Paren(n) => *n,
            Self::Unnumbered => 0,
        }
    }

    /// Whether two labels count in one sequence: `B` and `C` do, `B` and `3` do not.
    #[must_use]
    pub(crate) fn same_kind(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Dotted(a), Self::Dotted(b)) => match (a.last(), b.last()) {
                (Some(a), Some(b)) => a.same_kind(*b),
                _ => true,
            },
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }

    /// The label of the same kind with ordinal `n`, as a reader would write it (`clause 5.3`,
    /// `clause B`, `(c)`), given the parent's number.
    #[must_use]
    pub(crate) fn cite_with_ordinal(&self, n: u32, parent: &str) -> String {
        match self {
            Self::Dotted(segments) => {
                let mut segments = segments.clone();
                if let Some(last) = segments.last_mut() {
                    *last = last.with_ordinal(n);
                }
                format!("clause {}", dotted(&segments))
            }
            Self::Letter(_) => format!("clause {parent}({})", super::number::letters(n)),
            Self::Roman(_) => format!("clause {parent}({})", super::number::roman(n)),
            Self::Upper(_) => format!("clause {parent}({})", super::number::letters(n).to_uppercase()),
            Self::Paren(_) => format!("clause {parent}({n})"),
            Self::Unnumbered => String::new(),
        }
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
    /// The number as a reader would cite it: `5.2`, `5.3(b)`, `B.4`; where numbering restarts
    /// under unnumbered headings, with the heading's path: `Payment › 1`.
    pub number: String,
    /// An explicit `{#id}` or HTML `id`, else a slug of the heading, else the number.
    pub id: String,
    /// Whether `id` was written by the author (and so must be unique).
    #[serde(skip)]
    pub(crate) explicit_id: bool,
    pub heading: Option<String>,
    #[serde(skip)]
    pub label: Label,
    #[serde(skip)]
    pub form: Form,
    /// Where numbering restarts under unnumbered headings, the number within the part, without
    /// the part's heading path; empty where `number` is already that.
    #[serde(skip)]
    pub local_number: String,
    /// Byte offset in the file where the clause starts.
    #[serde(skip)]
    pub start: usize,
    /// End of the clause's own text, before its first child or the next clause.
    #[serde(skip)]
    pub(crate) own_end: usize,
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

    /// How a reader cites the clause: its number, or the heading of a section that has none.
    #[must_use]
    pub fn cite(&self) -> &str {
        if self.number.is_empty() { self.heading.as_deref().unwrap_or_default() } else { &self.number }
    }

    /// The number within the clause's part of the document: `1` for `Payment › 1`.
    #[must_use]
    pub fn local_number(&self) -> &str {
        if self.local_number.is_empty() { &self.number } else { &self.local_number }
    }
}

/// A problem met while reading the clause structure (not a numbering finding: those are
/// checked over the finished tree).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StructureIssue {
    /// Clauses nested deeper than [`MAX_DEPTH`]; deeper items are read as text.
    TooDeep { at: usize },
}

/// A Markdown link to an anchor in the same document, `[Renewal](#renewal)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub span: Range<usize>,
    pub target: String,
}

/// A part of the document: the text under one unnumbered heading (`## Payment`, `## Exhibit
/// A`), where numbering may start again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The headings that open the part, outermost first, joined with ` › `; none for the text
    /// before the first unnumbered heading.
    pub title: Option<String>,
    /// Where the part starts in the file.
    pub start: usize,
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
    /// Byte ranges of links to other documents (`[Section K. Payment](/terms#k-payment)`): a
    /// reference in a link's text cites the linked document, not this one.
    pub(crate) links_out: Vec<Range<usize>>,
    /// Byte ranges of raw HTML in the body (outside code), for the check that what a page
    /// shows is what the text says.
    pub html: Vec<Range<usize>>,
    /// Every place a link can point at: the anchor of every heading as GitHub renders it
    /// (`b-account-terms` for `## B. Account Terms`) and every HTML `id` in the text.
    pub targets: Vec<String>,
    pub parts: Vec<Part>,
    pub issues: Vec<StructureIssue>,
}

impl Body {
    /// The part of the document that holds byte `offset`.
    #[must_use]
    pub(crate) fn part_at(&self, offset: usize) -> usize {
        self.parts.partition_point(|p| p.start <= offset).saturating_sub(1)
    }

    /// Whether a link to `#target` lands somewhere: a heading's anchor or an HTML `id`.
    #[must_use]
    pub(crate) fn has_target(&self, target: &str) -> bool {
        self.targets.iter().any(|t| t == target)
    }
}

/// The deepest clause nesting read; a 60-level list is not a contract, and a bound keeps
/// every later walk over the tree safe from unbounded recursion.
pub const MAX_DEPTH: usize = 24;
