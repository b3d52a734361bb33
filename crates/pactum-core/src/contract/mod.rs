//! One contract: its front matter with spans, its clause tree, defined terms, references and
//! placeholders.
//!
//! Reading never fails on a contract's content: what cannot be read becomes a [`Diagnostic`]
//! and the rest is still read, so one `pactum check` shows every problem of a file at once.
//! Only a file that is not text at all (binary, invalid UTF-8) yields no [`Contract`].

pub mod amount;
pub mod clauses;
pub mod frontmatter;
pub mod metadata;
pub mod prose;
pub mod seal;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::findings::{Diagnostic, SourceFile};

/// A key term of a contract, as a cover page can show it (`[word] cover` in `pactum.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyTerm {
    Id,
    Type,
    Status,
    EffectiveDate,
    Term,
    Renewal,
    Value,
    GoverningLaw,
    Owner,
}

impl KeyTerm {
    /// Every key term, in the order a page shows them.
    pub(crate) const ALL: &[Self] = &[
        Self::Id,
        Self::Type,
        Self::Status,
        Self::EffectiveDate,
        Self::Term,
        Self::Renewal,
        Self::Value,
        Self::GoverningLaw,
        Self::Owner,
    ];

    /// What a counterparty's copy shows by default: the terms of the deal. The contract's id,
    /// type, workflow status and internal owner are the team's own and stay off.
    pub const COUNTERPARTY: &[Self] =
        &[Self::EffectiveDate, Self::Term, Self::Renewal, Self::Value, Self::GoverningLaw];

    /// The name `pactum.toml` and a Word file's properties give it: `effective_date`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Type => "type",
            Self::Status => "status",
            Self::EffectiveDate => "effective_date",
            Self::Term => "term",
            Self::Renewal => "renewal",
            Self::Value => "value",
            Self::GoverningLaw => "governing_law",
            Self::Owner => "owner",
        }
    }

    /// The key term named `name`.
    #[must_use]
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|term| term.name() == name)
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Id => "Contract",
            Self::Type => "Type",
            Self::Status => "Status",
            Self::EffectiveDate => "Effective date",
            Self::Term => "Initial term",
            Self::Renewal => "Renewal",
            Self::Value => "Value",
            Self::GoverningLaw => "Governing law",
            Self::Owner => "Owner",
        }
    }
}
use crate::text::LineIndex;

use crate::findings::rule;
pub use amount::Amount;
pub use clauses::{Body, Clause};
pub use frontmatter::{FrontMatter, Layout};
pub use metadata::{Metadata, Status};
pub use prose::{Misspelt, Placeholder, Reference, Term};

/// A contract file as read.
#[derive(Debug, Clone)]
pub struct Contract {
    /// The path as shown to people: relative to the repository, with `/` separators.
    pub path: String,
    /// The file's text, without a byte-order mark.
    pub text: String,
    pub lines: LineIndex,
    pub layout: Option<Layout>,
    pub front: Option<FrontMatter>,
    pub meta: Metadata,
    pub body: Body,
    pub terms: Vec<Term>,
    pub references: Vec<Reference>,
    pub placeholders: Vec<Placeholder>,
    /// Clauses by number and id, and by heading anchor, each built on its first lookup:
    /// resolving every reference of a long contract is then no scan of all clauses per
    /// reference.
    index: ClauseIndex,
    anchors: std::sync::OnceLock<AnchorIndex>,
    /// Each clause's words as compared (`clauses::clause_text`), built on the first diff: a
    /// version in the history is compared twice, once with the version before it and once
    /// with the one after.
    texts: std::sync::OnceLock<Vec<String>>,
}

/// Where to find clauses without scanning them: clause positions sorted by number, local
/// number or id (equal keys in document order), searched by bisection. Nothing is copied or
/// hashed, and each order is sorted only when first asked for: most contracts are only ever
/// looked up by number.
#[derive(Debug, Clone, Default)]
struct ClauseIndex {
    by_number: std::sync::OnceLock<Vec<usize>>,
    by_local_number: std::sync::OnceLock<Vec<usize>>,
    by_id: std::sync::OnceLock<Vec<usize>>,
}

impl ClauseIndex {
    /// The positions of the clauses whose `key` is `wanted`, in document order.
    fn find<'a>(
        order: &'a std::sync::OnceLock<Vec<usize>>,
        clauses: &[Clause],
        key: fn(&Clause) -> &str,
        wanted: &str,
    ) -> &'a [usize] {
        let sorted = order.get_or_init(|| {
            let mut at: Vec<usize> = (0..clauses.len()).collect();
            // Stable: among equal keys, the first in the document comes first.
            at.sort_by(|&a, &b| key(&clauses[a]).cmp(key(&clauses[b])));
            at
        });
        let from = sorted.partition_point(|&at| key(&clauses[at]) < wanted);
        let to = from + sorted[from..].partition_point(|&at| key(&clauses[at]) == wanted);
        &sorted[from..to]
    }
}

/// Where links by anchor land: the clauses' heading anchors as GitHub renders them, and the
/// document's other targets. Built only when a link is looked up that no clause id answers.
#[derive(Debug, Clone, Default)]
struct AnchorIndex {
    by_heading_anchor: HashMap<String, usize>,
    targets: HashSet<String>,
}

/// Whether a file must have front matter: contracts must; a Markdown file given to `inspect`
/// or `diff --files` need not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontMatterRule {
    Required,
    Optional,
}

/// Turn a file's bytes into text, or say why they are not text.
///
/// A byte-order mark is removed (and reported as a warning); invalid UTF-8 and NUL bytes are
/// findings that stop the file from being read further.
///
/// # Errors
/// A diagnostic for binary data or invalid UTF-8.
/// Whether most of a text's line breaks are a carriage return alone.
fn has_lone_cr_line_endings(text: &str) -> bool {
    let bytes = text.as_bytes();
    let lone = memchr::memchr_iter(b'\r', bytes).filter(|&at| bytes.get(at + 1) != Some(&b'\n')).count();
    lone > 0 && lone > memchr::memchr_iter(b'\n', bytes).count()
}

pub fn decode(path: &str, bytes: Vec<u8>) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    if bytes.contains(&0) {
        return Err(Diagnostic::file(rule::FILE_BINARY, path, "this file holds binary data (it has NUL bytes), not Markdown text")
            .with_help("contracts are Markdown text files; move binary files (PDFs, images) out of the contracts folder or rename them"));
    }
    let (bytes, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest.to_vec(), true),
        None => (bytes, false),
    };
    match String::from_utf8(bytes) {
        Ok(text) if has_lone_cr_line_endings(&text) => Err(Diagnostic::file(
            rule::FILE_LINE_ENDINGS,
            path,
            "the lines of this file end in a carriage return alone (CR, as classic Mac OS saved text): Markdown reads it as one long line, so it was not read",
        )
        .with_help("save the file with LF (or CRLF) line endings; most editors offer this under \"line endings\"")),
        Ok(text) => {
            let bom = bom.then(|| {
                Diagnostic::file(rule::FILE_BOM, path, "the file starts with a UTF-8 byte-order mark")
                    .with_help("pactum reads the file without it; save the file as UTF-8 without BOM")
            });
            Ok((text, bom))
        }
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let mut diagnostic = Diagnostic::file(
                rule::FILE_INVALID_UTF8,
                path,
                format!(
                    "the file is not valid UTF-8: byte {valid} (line {line}, column {column}) is 0x{:02X}",
                    bytes[valid]
                ),
            )
            .with_help("save the file as UTF-8");
            diagnostic.location.line = line;
            diagnostic.location.column = column;
            diagnostic.location.end_line = line;
            diagnostic.location.end_column = column + 1;
            Err(diagnostic)
        }
    }
}

/// How much of a contract is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// The front matter; the body as text.
    Front,
    /// The front matter and the clauses.
    Outline,
    /// Everything: clauses and prose (terms, references, placeholders).
    Whole,
}

impl Contract {
    /// A front-matter value as text, by a dotted key (`renewal.notice`).
    #[must_use]
    pub fn field(&self, key: &str) -> Option<String> {
        let mut at = &self.front.as_ref()?.value;
        for part in key.split('.') {
            at = at.get(part)?;
        }
        Some(match at {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        })
    }

    /// The key terms a cover page shows, by label, those the front matter states: id, type,
    /// status, dates, term, renewal, value, governing law and owner.
    #[must_use]
    pub fn key_terms(&self) -> Vec<(&'static str, String)> {
        self.key_terms_of(KeyTerm::ALL)
    }

    /// The key terms named, in the order named, those the front matter states.
    #[must_use]
    pub(crate) fn key_terms_of(&self, which: &[KeyTerm]) -> Vec<(&'static str, String)> {
        which.iter().filter_map(|term| Some((term.label(), self.key_term(*term)?))).collect()
    }

    fn key_term(&self, term: KeyTerm) -> Option<String> {
        match term {
            KeyTerm::Id => self.field("id"),
            KeyTerm::Type => self.field("type"),
            KeyTerm::Status => self.field("status"),
            KeyTerm::EffectiveDate => self.field("effective_date"),
            KeyTerm::Term => self.field("term").or_else(|| self.field("end_date").map(|d| format!("until {d}"))),
            KeyTerm::Renewal => self.field("renewal.kind").map(|kind| {
                let period = self.field("renewal.period").map(|p| format!(" for {p}")).unwrap_or_default();
                let notice = self.field("renewal.notice").map(|n| format!(", notice {n}")).unwrap_or_default();
                format!("{kind}{period}{notice}")
            }),
            KeyTerm::Value => self.field("value.amount").map(|amount| {
                let currency = self.field("value.currency").unwrap_or_default();
                let per = self.field("value.per").map(|p| format!(" per {p}")).unwrap_or_default();
                format!("{currency} {amount}{per}")
            }),
            KeyTerm::GoverningLaw => self.field("governing_law"),
            KeyTerm::Owner => self.field("owner"),
        }
    }

    /// Read a contract from its text; findings made while reading are added to `diagnostics`.
    #[must_use]
    pub fn read(path: &str, text: String, rule: FrontMatterRule, diagnostics: &mut Vec<Diagnostic>) -> Self {
        Self::read_as(path, text, rule, diagnostics, Depth::Whole)
    }

    /// Read a contract's front matter only, its body kept as text but not read into clauses:
    /// what the rules over the whole repository need of a contract whose own findings are not
    /// asked for (ids, links, seals and terms, hashed from the text).
    #[must_use]
    pub(crate) fn read_front(path: &str, text: String) -> Self {
        Self::read_as(path, text, FrontMatterRule::Optional, &mut Vec::new(), Depth::Front)
    }

    /// Read a contract's front matter and clauses only, without its prose (defined terms,
    /// references, placeholders): what the history needs to say which clauses changed, at a
    /// fraction of the cost, over tens of thousands of versions.
    #[must_use]
    pub(crate) fn read_outline(path: &str, text: String) -> Self {
        Self::read_as(path, text, FrontMatterRule::Optional, &mut Vec::new(), Depth::Outline)
    }

    fn read_as(
        path: &str,
        text: String,
        rule: FrontMatterRule,
        diagnostics: &mut Vec<Diagnostic>,
        depth: Depth,
    ) -> Self {
        let lines = LineIndex::new(&text);
        let source = SourceFile { path, text: &text, lines: &lines };
        let (layout, front) = match frontmatter::split(&text) {
            Ok(layout) => {
                match frontmatter::parse(&text, &layout) {
                    Ok(front) => (Some(layout), Some(front)),
                    Err(error) => {
                        diagnostics.push(
                        source
                            .diagnostic(rule::FRONTMATTER_SYNTAX, error.span, format!("the front matter is not valid TOML: {}", error.message))
                            .with_help("the front matter between the `+++` lines is TOML; see https://toml.io for its syntax"),
                    );
                        (Some(layout), None)
                    }
                }
            }
            Err(frontmatter::SplitError::Missing) => {
                if rule == FrontMatterRule::Required {
                    let first = lines.line_range(&text, 0);
                    diagnostics.push(
                        source
                            .diagnostic(rule::FRONTMATTER_MISSING, first, "this contract has no front matter")
                            .with_help("start the file with a `+++` line, the contract's TOML metadata (id, title, type, status, owner, parties), and another `+++` line"),
                    );
                }
                (None, None)
            }
            Err(frontmatter::SplitError::Unclosed { opening }) => {
                diagnostics.push(
                    source
                        .diagnostic(rule::FRONTMATTER_UNCLOSED, opening, "the front matter opened here is never closed")
                        .with_help("end the front matter with a line holding only `+++`"),
                );
                (None, None)
            }
        };
        let body_start = layout.as_ref().map_or(0, |l| l.body);
        let body = if depth == Depth::Front { Body::default() } else { clauses::read(&text[body_start..], body_start) };
        let meta = front.as_ref().map(|f| Metadata::from_json(&f.value)).unwrap_or_default();
        let (terms, references, placeholders) =
            if depth == Depth::Whole { Self::prose(&text, &body, layout.as_ref()) } else { Default::default() };
        Self {
            path: path.to_owned(),
            text,
            lines,
            layout,
            front,
            meta,
            body,
            terms,
            references,
            placeholders,
            index: ClauseIndex::default(),
            anchors: std::sync::OnceLock::new(),
            texts: std::sync::OnceLock::new(),
        }
    }

    /// The defined terms, references and placeholders of a contract's prose.
    fn prose(text: &str, body: &Body, layout: Option<&Layout>) -> (Vec<Term>, Vec<Reference>, Vec<Placeholder>) {
        let prose = prose::Prose::new(text, &body.prose);
        let terms = prose.terms();
        let mut references = prose.references();
        // `[Section K. Payment](/terms#k-payment)` cites the linked document.
        if !body.links_out.is_empty() {
            // Links are in document order and never overlap: the one that may hold a reference
            // is the last that starts at or before it.
            references.retain(|r| {
                let at = body.links_out.partition_point(|link| link.start <= r.span.start);
                at.checked_sub(1).is_none_or(|i| r.span.end > body.links_out[i].end)
            });
        }
        references.extend(body.anchors.iter().map(|anchor| Reference {
            text: text[anchor.span.clone()].to_owned(),
            target: anchor.target.clone(),
            by_id: true,
            title: None,
            span: anchor.span.clone(),
            range_end: false,
        }));
        references.sort_by_key(|r| r.span.start);
        let mut placeholders = prose.placeholders();
        // Unfilled template variables in the front matter count too.
        if let Some(layout) = layout {
            let front_prose = prose::Prose::new(text, std::slice::from_ref(&layout.toml));
            let mut found = front_prose.placeholders();
            found.retain(|p| p.text.starts_with("{{") || p.text.starts_with("{%") || p.text == "TBD");
            placeholders.splice(0..0, found);
        }
        (terms, references, placeholders)
    }

    /// Each clause's words as compared, in clause order: without numbers, markup or escapes.
    #[must_use]
    pub(crate) fn clause_texts(&self) -> &[String] {
        self.texts.get_or_init(|| self.body.clauses.iter().map(|c| clauses::clause_text(&self.text, c)).collect())
    }

    /// Read only the front matter, for commands that need metadata and not the body (reminders
    /// over thousands of contracts). `None` when there is no readable front matter.
    #[must_use]
    pub(crate) fn read_metadata(text: &str) -> Option<Metadata> {
        let layout = frontmatter::split(text).ok()?;
        let front = frontmatter::parse(text, &layout).ok()?;
        Some(Metadata::from_json(&front.value))
    }

    /// A view for making diagnostics that point into this file.
    #[must_use]
    pub fn source(&self) -> SourceFile<'_> {
        SourceFile { path: &self.path, text: &self.text, lines: &self.lines }
    }

    /// The 1-based line of byte `offset`.
    #[must_use]
    pub fn line(&self, offset: usize) -> usize {
        self.lines.line_of(offset) + 1
    }

    /// The clause a reference names: by number (`8.1(a)` falls back to `8.1` when 8.1 has no
    /// lettered clauses, since then its `(a)` is an inline enumeration), or by id or heading
    /// anchor. Where numbering restarts under unnumbered headings, `Section 2` names clause 2
    /// of the reference's own part.
    #[must_use]
    pub fn resolve(&self, reference: &Reference) -> Option<&Clause> {
        let clauses = &self.body.clauses;
        if reference.by_id {
            return self
                .by_id(&reference.target)
                .or_else(|| self.by_heading_anchor(&reference.target))
                .map(|at| &clauses[at]);
        }
        let part = self.body.part_at(reference.span.start);
        let numbered = |number: &str| {
            if let Some(at) = self.by_number(number) {
                return Some(&clauses[at]);
            }
            let local = self.by_local_number(number);
            let first = &clauses[*local.first()?];
            if first.part == part {
                return Some(first);
            }
            local.iter().map(|&at| &clauses[at]).find(|c| c.part == part).or(Some(first))
        };
        if let Some(found) = numbered(&reference.target) {
            return Some(found);
        }
        let base_end = reference.target.find('(')?;
        let base = numbered(&reference.target[..base_end])?;
        let has_sub = base.children.iter().any(|&child| clauses[child].number.ends_with(')'));
        (!has_sub).then_some(base)
    }

    /// Past this many clauses, lookups go through an index built once; below it, a scan costs
    /// less than building one.
    const INDEXED: usize = 64;

    fn by_number(&self, number: &str) -> Option<usize> {
        let clauses = &self.body.clauses;
        if clauses.len() <= Self::INDEXED {
            return clauses.iter().position(|c| c.number == number);
        }
        ClauseIndex::find(&self.index.by_number, clauses, |c| &c.number, number).first().copied()
    }

    fn by_local_number(&self, number: &str) -> Vec<usize> {
        let clauses = &self.body.clauses;
        if clauses.len() <= Self::INDEXED {
            return (0..clauses.len()).filter(|&at| clauses[at].local_number() == number).collect();
        }
        ClauseIndex::find(&self.index.by_local_number, clauses, Clause::local_number, number).to_vec()
    }

    fn by_id(&self, id: &str) -> Option<usize> {
        let clauses = &self.body.clauses;
        if clauses.len() <= Self::INDEXED {
            return clauses.iter().position(|c| c.id == id);
        }
        ClauseIndex::find(&self.index.by_id, clauses, |c| &c.id, id).first().copied()
    }

    /// The clause whose heading carries the anchor `target` as GitHub renders it (`#b-account-terms`).
    fn by_heading_anchor(&self, target: &str) -> Option<usize> {
        if self.body.clauses.len() <= Self::INDEXED {
            return (0..self.body.clauses.len()).find(|&at| self.heading_anchor(at).as_deref() == Some(target));
        }
        self.anchors().by_heading_anchor.get(target).copied()
    }

    fn heading_anchor(&self, at: usize) -> Option<String> {
        let clause = &self.body.clauses[at];
        (clause.form == clauses::Form::Heading).then(|| {
            let line = self.text[clause.start..clause.own_end].lines().next().unwrap_or("");
            crate::text::github_anchor(&clauses::heading::heading_text(line))
        })
    }

    fn anchors(&self) -> &AnchorIndex {
        self.anchors.get_or_init(|| {
            let mut anchors = AnchorIndex::default();
            for at in 0..self.body.clauses.len() {
                if let Some(anchor) = self.heading_anchor(at) {
                    anchors.by_heading_anchor.entry(anchor).or_insert(at);
                }
            }
            anchors.targets = self.body.targets.iter().cloned().collect();
            anchors
        })
    }

    /// Whether a link to `#target` lands somewhere in the document: on a clause, a heading or
    /// an HTML `id`.
    #[must_use]
    pub(crate) fn has_target(&self, target: &str) -> bool {
        let few = self.body.clauses.len() <= Self::INDEXED && self.body.targets.len() <= Self::INDEXED;
        self.by_id(target).is_some()
            || if few { self.body.has_target(target) } else { self.anchors().targets.contains(target) }
    }

    /// The capitalised phrases of the prose a letter or two from a defined term, defined
    /// nowhere (`prose::misspelt`).
    #[must_use]
    pub fn misspelt_terms(&self) -> Vec<Misspelt> {
        prose::misspelt(&self.text, &self.body.prose, &self.terms)
    }

    /// The span of the value at a front-matter pointer, or the opening line.
    #[must_use]
    pub(crate) fn span_of(&self, pointer: &str) -> Range<usize> {
        match &self.front {
            Some(front) => front.spans.value_or_ancestor(pointer),
            None => 0..0,
        }
    }
}
