//! Reading a Word document: its paragraphs with their tracked changes, comments, bookmarks and
//! numbering, and the two texts a reviewer can get from it: every change accepted, or every
//! change rejected.

use std::collections::HashMap;
use std::io::Read as _;

/// Why a Word document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WordError {
    #[error("this is not a Word document (.docx): not a zip package: {0}")]
    NotZip(zip::result::ZipError),
    #[error("this is not a Word document (.docx): it has no main document part ({0})")]
    NoMainPart(String),
    #[error("{part} unpacks to more than {} MB; pactum reads no Word document that large", MAX_PART / 1024 / 1024)]
    TooLarge { part: String },
    #[error("unpacking {part}: {source}")]
    Unpack { part: String, source: std::io::Error },
    #[error("{0} is not UTF-8 XML")]
    NotUtf8(String),
    /// A part's XML is malformed: which part, and what the XML reader says.
    #[error("reading {part}: malformed XML{message}")]
    Xml { part: String, message: String },
}

type Result<T, E = WordError> = std::result::Result<T, E>;
use quick_xml::events::{BytesStart, Event};

use super::model::Change;
use super::numbering::{Counter, Format, Instance, Level, Numbering};

/// A run of text as read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub change: Change,
    /// Hidden text (`w:vanish`): in the file, not on the page.
    pub hidden: bool,
}

/// What a paragraph can hold that the contract's text cannot, as the import reports it.
pub(crate) const TEXT_BOX: &str = "a text box (not read: the contract's text holds none)";
pub(crate) const FOOTNOTE: &str = "a footnote (not read: the contract's text holds none)";
pub(crate) const ALT_CHUNK: &str =
    "embedded content Word shows as part of the text (an altChunk: HTML, RTF or another document; not read)";

/// A paragraph as stored, with every tracked change in it.
#[derive(Debug, Clone, Default)]
pub struct Paragraph {
    pub runs: Vec<Run>,
    pub style: Option<String>,
    /// `(numId, ilvl)` from the paragraph or its style.
    pub number: Option<(String, usize)>,
    /// The numbering before a tracked change of the paragraph's properties (`w:pPrChange`),
    /// where one changed it.
    pub number_before: Option<Option<(String, usize)>>,
    pub mark: Change,
    pub bookmarks: Vec<String>,
    pub comments: Vec<String>,
    /// `(table, row, column)` for a paragraph in a table cell.
    pub cell: Option<(usize, usize, usize)>,
    /// A formatting change was tracked (`w:rPrChange`, `w:pPrChange`).
    pub(crate) formatting_changed: bool,
    /// The heading level its style gives, 1 for the top.
    pub heading: Option<usize>,
    /// What it holds that is not read as its words, each said whole: `a text box (not read: …)`.
    pub(crate) unread: Vec<String>,
}

/// A comment from `word/comments.xml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: String,
    pub author: String,
    pub date: String,
    pub text: String,
}

/// A Word document as read.
#[derive(Debug, Clone, Default)]
pub struct WordDocument {
    pub paragraphs: Vec<Paragraph>,
    pub comments: Vec<Comment>,
    pub numbering: Numbering,
    /// The words each comment was made on (its range), by comment id.
    pub commented: HashMap<String, String>,
    /// Custom document properties by name.
    pub properties: HashMap<String, String>,
    pub title: Option<String>,
}

/// Which text of a document with tracked changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Every change accepted: the proposal.
    Accepted,
    /// Every change rejected: the text before the changes.
    Rejected,
}

/// A paragraph as one view shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shown {
    pub runs: Vec<Run>,
    pub style: Option<String>,
    pub number: Option<(String, usize)>,
    /// The label Word shows by numbering: `5.`, `5.2`, `(b)`.
    pub label: Option<String>,
    pub bookmarks: Vec<String>,
    pub comments: Vec<String>,
    pub cell: Option<(usize, usize, usize)>,
    /// The stored paragraphs this one is made of.
    pub from: Vec<usize>,
    /// Some text or mark in it was changed, or its formatting.
    pub changed: bool,
    /// Word recorded it as moved here (`w:moveTo`): its words, or its mark, arrived by a move.
    pub moved: bool,
    pub(crate) formatting_changed: bool,
    pub heading: Option<usize>,
    pub(crate) unread: Vec<String>,
}

impl Shown {
    #[must_use]
    pub fn words(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_or_else(|_| a.value.to_string(), std::borrow::Cow::into_owned)
    })
}

fn flag(element: &BytesStart<'_>) -> bool {
    !matches!(attribute(element, "w:val").as_deref(), Some("0" | "false" | "off"))
}

/// The most one part of a Word package may unpack to: a contract's text is a small fraction of
/// it, and a package that unpacks to more (a "zip bomb") is refused before it fills memory.
const MAX_PART: u64 = 64 * 1024 * 1024;

fn part(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Result<Option<String>> {
    let Ok(file) = archive.by_name(name) else { return Ok(None) };
    let too_large = || WordError::TooLarge { part: name.to_owned() };
    if file.size() > MAX_PART {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    // The size a package declares is not trusted: reading stops past the limit.
    file.take(MAX_PART + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| WordError::Unpack { part: name.to_owned(), source })?;
    if bytes.len() as u64 > MAX_PART {
        return Err(too_large());
    }
    String::from_utf8(bytes).map(Some).map_err(|_| WordError::NotUtf8(name.to_owned()))
}

/// Text content, with entity references resolved.
fn push_text(out: &mut String, event: &Event<'_>) {
    match event {
        Event::Text(text) => out.push_str(text),
        Event::CData(text) => out.push_str(text),
        Event::GeneralRef(reference) => {
            if let Ok(Some(c)) = reference.resolve_char_ref() {
                out.push(c);
            } else if let Some(text) = quick_xml::escape::resolve_xml_entity(reference) {
                out.push_str(text);
            }
        }
        _ => {}
    }
}

/// A package relationship: its type (the last segment of the type URI: `officeDocument`,
/// `styles`) and the part it points to.
struct Relationship {
    kind: String,
    target: String,
}

/// The relationships of the part `source` (`""` for the package itself), their targets
/// resolved to part names.
fn relationships(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, source: &str) -> Result<Vec<Relationship>> {
    let (folder, file) = source.rsplit_once('/').unwrap_or(("", source));
    let name = if folder.is_empty() { format!("_rels/{file}.rels") } else { format!("{folder}/_rels/{file}.rels") };
    let Some(xml) = part(archive, &name)? else { return Ok(Vec::new()) };
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = Vec::new();
    while let Ok(event) = reader.read_event() {
        match &event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if attribute(e, "TargetMode").as_deref() == Some("External") {
                    continue;
                }
                let (Some(kind), Some(target)) = (attribute(e, "Type"), attribute(e, "Target")) else { continue };
                let kind = kind.rsplit('/').next().unwrap_or_default().to_owned();
                out.push(Relationship { kind, target: resolve(folder, &target) });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// A relationship's target as a part name: relative to the source's folder unless it starts
/// with `/`, with `.` and `..` taken out.
fn resolve(folder: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None if folder.is_empty() => target.to_owned(),
        None => format!("{folder}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The part a relationship of `kind` names, else the part pactum writes there.
fn related(relationships: &[Relationship], kind: &str, default: &str) -> String {
    relationships.iter().find(|r| r.kind == kind).map_or_else(|| default.to_owned(), |r| r.target.clone())
}

/// Read a `.docx` package. Its parts are found as the standard says (ECMA-376 Part 2): the main
/// document through the package's relationships, styles, numbering and comments through the
/// main document's.
pub fn read(bytes: &[u8]) -> Result<WordDocument> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(WordError::NotZip)?;
    let package = relationships(&mut archive, "")?;
    let main = related(&package, "officeDocument", "word/document.xml");
    let Some(document) = part(&mut archive, &main)? else {
        return Err(WordError::NoMainPart(main));
    };
    let own = relationships(&mut archive, &main)?;
    let mut out = WordDocument::default();
    let styles =
        part(&mut archive, &related(&own, "styles", "word/styles.xml"))?.map(|x| styles(&x)).unwrap_or_default();
    (out.paragraphs, out.commented) =
        body(&document, &styles).map_err(|message| WordError::Xml { part: main.clone(), message })?;
    let numbering_part = related(&own, "numbering", "word/numbering.xml");
    if let Some(xml) = part(&mut archive, &numbering_part)? {
        out.numbering = numbering(&xml).map_err(|message| WordError::Xml { part: numbering_part, message })?;
    }
    let comments_part = related(&own, "comments", "word/comments.xml");
    if let Some(xml) = part(&mut archive, &comments_part)? {
        out.comments = comments(&xml).map_err(|message| WordError::Xml { part: comments_part, message })?;
    }
    if let Some(xml) = part(&mut archive, &related(&package, "custom-properties", "docProps/custom.xml"))? {
        out.properties = custom_properties(&xml);
    }
    if let Some(xml) = part(&mut archive, &related(&package, "core-properties", "docProps/core.xml"))? {
        out.title = element_text(&xml, "dc:title").filter(|t| !t.trim().is_empty());
    }
    Ok(out)
}

fn element_text(xml: &str, name: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut inside = false;
    let mut text = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.name().as_ref() == name => inside = true,
            Event::End(e) if e.name().as_ref() == name => return Some(text),
            event @ (Event::Text(_) | Event::GeneralRef(_) | Event::CData(_)) if inside => push_text(&mut text, &event),
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn custom_properties(xml: &str) -> HashMap<String, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = HashMap::new();
    let mut name: Option<String> = None;
    let mut value = String::new();
    while let Ok(event) = reader.read_event() {
        match &event {
            Event::Start(e) if e.name().as_ref() == "property" => {
                name = attribute(e, "name");
                value.clear();
            }
            Event::End(e) if e.name().as_ref() == "property" => {
                if let Some(name) = name.take() {
                    out.insert(name, std::mem::take(&mut value));
                }
            }
            Event::Text(_) | Event::GeneralRef(_) if name.is_some() => push_text(&mut value, &event),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// What pactum needs of a style: the numbering a paragraph style carries (Word and
/// `LibreOffice` number headings this way), the heading level it gives, and the emphasis a
/// character style gives (`LibreOffice` writes bold as the style `StrongEmphasis`).
#[derive(Debug, Clone, Default)]
struct StyleInfo {
    num: Option<String>,
    level: Option<usize>,
    based_on: Option<String>,
    outline: Option<usize>,
    name: String,
    bold: bool,
    italic: bool,
    hidden: bool,
}

type Styles = HashMap<String, StyleInfo>;

fn styles(xml: &str) -> Styles {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Styles = HashMap::new();
    let mut current: Option<String> = None;
    let mut in_rpr = false;
    while let Ok(event) = reader.read_event() {
        match &event {
            Event::Start(e) if e.name().as_ref() == "w:style" => current = attribute(e, "w:styleId"),
            Event::End(e) if e.name().as_ref() == "w:style" => current = None,
            Event::Start(e) if e.name().as_ref() == "w:rPr" => in_rpr = true,
            Event::End(e) if e.name().as_ref() == "w:rPr" => in_rpr = false,
            Event::Start(e) | Event::Empty(e) => {
                let Some(style) = &current else { continue };
                let entry = out.entry(style.clone()).or_default();
                match e.name().as_ref() {
                    "w:numId" => entry.num = attribute(e, "w:val"),
                    "w:ilvl" => entry.level = attribute(e, "w:val").and_then(|v| v.parse().ok()),
                    "w:basedOn" => entry.based_on = attribute(e, "w:val"),
                    "w:outlineLvl" => entry.outline = attribute(e, "w:val").and_then(|v| v.parse().ok()),
                    "w:name" => entry.name = attribute(e, "w:val").unwrap_or_default(),
                    "w:b" if in_rpr => entry.bold = flag(e),
                    "w:i" if in_rpr => entry.italic = flag(e),
                    "w:vanish" if in_rpr => entry.hidden = flag(e),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// A style and the styles it is based on, nearest first.
fn lineage<'a>(styles: &'a Styles, style: &str) -> impl Iterator<Item = &'a StyleInfo> {
    let mut at = styles.get(style);
    std::iter::from_fn(move || {
        let this = at?;
        at = this.based_on.as_deref().and_then(|b| styles.get(b));
        Some(this)
    })
    .take(10)
}

/// The numbering a style gives: its instance and its level, each from the nearest style in the
/// lineage that sets it (`Heading 2` sets the level, `Heading 1` it is based on the instance).
fn style_number(styles: &Styles, style: &str) -> Option<(String, usize)> {
    let num = lineage(styles, style).find_map(|s| s.num.clone())?;
    let level = lineage(styles, style).find_map(|s| s.level).unwrap_or(0);
    Some((num, level))
}

/// Embedding, override and isolate controls of the Unicode bidirectional algorithm.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A paragraph's numbering: its own `w:numPr` (`numId` 0 takes numbering off), else its
/// style's, at the paragraph's level if it names one.
fn paragraph_number(
    styles: &Styles,
    style: Option<&str>,
    num_id: Option<String>,
    ilvl: Option<usize>,
) -> Option<(String, usize)> {
    match num_id {
        Some(num) => (num != "0").then(|| (num, ilvl.unwrap_or(0))),
        None => style
            .and_then(|style| style_number(styles, style))
            .filter(|(n, _)| n != "0")
            .map(|(n, l)| (n, ilvl.unwrap_or(l))),
    }
}

/// The heading level (1 for the top) a paragraph style gives: by its name (`heading 2`) or
/// its outline level.
fn heading_level(styles: &Styles, style: &str) -> Option<usize> {
    lineage(styles, style).find_map(|s| {
        let name = s.name.to_ascii_lowercase();
        let by_name = name.strip_prefix("heading").and_then(|n| n.trim().parse::<usize>().ok());
        by_name.or(s.outline.map(|o| o + 1))
    })
}

#[cfg(test)]
fn paragraphs(xml: &str, styles: &Styles) -> Result<Vec<Paragraph>, String> {
    body(xml, styles).map(|(paragraphs, _)| paragraphs)
}

/// The body's paragraphs, and the words each comment's range covers (by comment id), as the
/// document reads with every change accepted.
fn body(xml: &str, styles: &Styles) -> Result<(Vec<Paragraph>, HashMap<String, String>), String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut body = Body::new(styles);
    loop {
        let event = reader.read_event().map_err(|e| format!(" at byte {}: {e}", reader.buffer_position()))?;
        if body.skipping > 0 {
            match &event {
                Event::Start(_) => body.skipping += 1,
                Event::End(_) => body.skipping -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match &event {
            // Inside a text box, or the fallback copy of a drawing: paragraphs there are not
            // the body's.
            Event::Start(e) if matches!(e.name().as_ref(), "w:txbxContent" | "mc:Fallback" | "v:textbox") => {
                if let Some(p) = body.para.as_mut()
                    && e.name().as_ref() == "w:txbxContent"
                {
                    p.unread.push(TEXT_BOX.to_owned());
                }
                body.skipping = 1;
            }
            Event::Start(e) => body.start(e, false),
            Event::Empty(e) => body.start(e, true),
            Event::End(e) => body.end(e.name().as_ref()),
            Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) if body.inside.text => {
                if let Some(r) = body.run.as_mut() {
                    push_text(&mut r.text, &event);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((body.out, body.commented))
}

/// The body being read: the paragraphs so far, the one and the run open, and where the reader
/// stands in the XML (in paragraph or run properties, a tracked change, a table).
struct Body<'a> {
    styles: &'a Styles,
    out: Vec<Paragraph>,
    para: Option<Paragraph>,
    run: Option<Run>,
    /// The tracked changes the reader is inside, innermost last.
    changes: Vec<Change>,
    inside: Inside,
    /// Inside the paragraph's properties before a tracked change of them (`w:pPrChange`).
    in_ppr_change: bool,
    num_id: Option<String>,
    ilvl: Option<usize>,
    /// The paragraph's style, numbering instance and level before a tracked change of its
    /// properties (`w:pPrChange`).
    before: (Option<String>, Option<String>, Option<usize>),
    /// Open tables: (index, row, cell).
    tables: Vec<(usize, usize, usize)>,
    table_count: usize,
    /// Bookmarks and comments met between paragraphs: the next paragraph's.
    pending_bookmarks: Vec<String>,
    pending_comments: Vec<String>,
    /// The words each comment's range covers, by comment id, and the ranges open.
    commented: HashMap<String, String>,
    open_comments: Vec<String>,
    /// How deep the reader is inside content it skips (a text box, a drawing's fallback, a
    /// run's properties before a change); 0 outside.
    skipping: usize,
}

/// Which properties or text the reader is inside.
#[derive(Debug, Default)]
struct Inside {
    /// Paragraph properties (`w:pPr`).
    ppr: bool,
    /// Run properties (`w:rPr`), also the paragraph mark's inside `w:pPr`.
    rpr: bool,
    /// Text (`w:t`, `w:delText`).
    text: bool,
}

impl<'a> Body<'a> {
    fn new(styles: &'a Styles) -> Self {
        Self {
            styles,
            out: Vec::new(),
            para: None,
            run: None,
            changes: Vec::new(),
            inside: Inside::default(),
            in_ppr_change: false,
            num_id: None,
            ilvl: None,
            before: (None, None, None),
            tables: Vec::new(),
            table_count: 0,
            pending_bookmarks: Vec::new(),
            pending_comments: Vec::new(),
            commented: HashMap::new(),
            open_comments: Vec::new(),
            skipping: 0,
        }
    }

    /// An element opens (`empty`: and closes at once).
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let name = e.name();
        match name.as_ref() {
            "w:tbl" if !empty => {
                self.tables.push((self.table_count, 0, 0));
                self.table_count += 1;
            }
            "w:tr" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.1 += 1;
                    t.2 = 0;
                }
            }
            "w:tc" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.2 += 1;
                }
            }
            "w:p" => {
                let mut p = Paragraph {
                    cell: self.tables.last().map(|t| (t.0, t.1.saturating_sub(1), t.2.saturating_sub(1))),
                    ..Paragraph::default()
                };
                p.bookmarks.append(&mut self.pending_bookmarks);
                p.comments.append(&mut self.pending_comments);
                self.num_id = None;
                self.ilvl = None;
                self.before = (None, None, None);
                if empty {
                    self.out.push(p);
                } else {
                    self.para = Some(p);
                }
            }
            "w:pPr" if !empty => self.inside.ppr = true,
            "w:rPr" if !empty => self.inside.rpr = true,
            "w:pPrChange" if !empty => {
                self.in_ppr_change = true;
                if let Some(p) = self.para.as_mut() {
                    p.formatting_changed = true;
                }
            }
            "w:pStyle" if self.in_ppr_change => self.before.0 = attribute(e, "w:val"),
            "w:numId" if self.in_ppr_change => self.before.1 = attribute(e, "w:val"),
            "w:ilvl" if self.in_ppr_change => self.before.2 = attribute(e, "w:val").and_then(|v| v.parse().ok()),
            "w:rPrChange" if !empty => {
                // The self.run's properties self.before the change: not the self.run's.
                if let Some(p) = self.para.as_mut() {
                    p.formatting_changed = true;
                }
                self.skipping = 1;
            }
            "w:pStyle" if self.inside.ppr => {
                if let Some(p) = self.para.as_mut() {
                    p.style = attribute(e, "w:val");
                }
            }
            "w:numId" if self.inside.ppr => self.num_id = attribute(e, "w:val"),
            "w:ilvl" if self.inside.ppr => self.ilvl = attribute(e, "w:val").and_then(|v| v.parse().ok()),
            tag if self.inside.ppr && self.inside.rpr && Change::of_tag(tag).is_some() => {
                if let (Some(p), Some(change)) = (self.para.as_mut(), Change::of_tag(tag)) {
                    p.mark = change;
                }
            }
            tag if !empty && Change::of_tag(tag).is_some() => self.changes.extend(Change::of_tag(tag)),
            "w:r" if !empty && !self.inside.ppr => {
                self.run = Some(Run { change: self.changes.last().copied().unwrap_or_default(), ..Run::default() });
            }
            "w:b" if self.inside.rpr => {
                if let Some(r) = self.run.as_mut() {
                    r.bold = flag(e);
                }
            }
            "w:i" if self.inside.rpr => {
                if let Some(r) = self.run.as_mut() {
                    r.italic = flag(e);
                }
            }
            "w:rStyle" if self.inside.rpr => {
                if let (Some(r), Some(style)) = (self.run.as_mut(), attribute(e, "w:val")) {
                    r.bold |= lineage(self.styles, &style).any(|s| s.bold);
                    r.italic |= lineage(self.styles, &style).any(|s| s.italic);
                    r.hidden |= lineage(self.styles, &style).any(|s| s.hidden);
                }
            }
            "w:vanish" if self.inside.rpr && !self.inside.ppr => {
                if let Some(r) = self.run.as_mut() {
                    r.hidden = flag(e);
                }
            }
            "w:altChunk" => {
                // Body content of another format, placed between paragraphs: a paragraph
                // of its own that says so.
                let mut p = Paragraph {
                    cell: self.tables.last().map(|t| (t.0, t.1.saturating_sub(1), t.2.saturating_sub(1))),
                    ..Paragraph::default()
                };
                p.unread.push(ALT_CHUNK.to_owned());
                self.out.push(p);
            }
            "w:t" | "w:delText" if !empty => self.inside.text = true,
            "w:tab" if !self.inside.ppr => {
                if let Some(r) = self.run.as_mut() {
                    r.text.push('\t');
                }
            }
            // A page or column break is layout, not text (`LibreOffice` writes a paragraph's
            // "page break before" as one at the end of the paragraph self.before); a text-wrapping
            // break, the default, and a carriage return are line breaks.
            "w:br" if matches!(attribute(e, "w:type").as_deref(), Some("page" | "column")) => {}
            "w:br" | "w:cr" => {
                if let Some(r) = self.run.as_mut() {
                    r.text.push('\n');
                }
            }
            "w:footnoteReference" | "w:endnoteReference" => {
                if let Some(p) = self.para.as_mut() {
                    p.unread.push(FOOTNOTE.to_owned());
                }
            }
            "w:noBreakHyphen" => {
                if let Some(r) = self.run.as_mut() {
                    r.text.push('\u{2011}');
                }
            }
            "w:bookmarkStart" => {
                if let Some(name) = attribute(e, "w:name") {
                    match self.para.as_mut() {
                        Some(p) => p.bookmarks.push(name),
                        None => self.pending_bookmarks.push(name),
                    }
                }
            }
            "w:commentRangeStart" => {
                if let Some(id) = attribute(e, "w:id") {
                    self.commented.entry(id.clone()).or_default();
                    self.open_comments.push(id.clone());
                    match self.para.as_mut() {
                        Some(p) if !p.comments.contains(&id) => p.comments.push(id),
                        Some(_) => {}
                        None => self.pending_comments.push(id),
                    }
                }
            }
            "w:commentRangeEnd" => {
                if let Some(id) = attribute(e, "w:id") {
                    self.open_comments.retain(|open| *open != id);
                }
            }
            "w:commentReference" => {
                if let Some(id) = attribute(e, "w:id") {
                    match self.para.as_mut() {
                        Some(p) if !p.comments.contains(&id) => p.comments.push(id),
                        Some(_) => {}
                        None => self.pending_comments.push(id),
                    }
                }
            }
            _ => {}
        }
    }

    /// An element closes.
    fn end(&mut self, name: &str) {
        match name {
            "w:tbl" => {
                self.tables.pop();
            }
            "w:p" => self.end_paragraph(),
            "w:pPrChange" => self.in_ppr_change = false,
            "w:pPr" if self.in_ppr_change => {}
            "w:pPr" => self.inside.ppr = false,
            "w:rPr" => self.inside.rpr = false,
            tag if !self.inside.ppr && Change::of_tag(tag).is_some() => {
                self.changes.pop();
            }
            "w:r" => self.end_run(),
            "w:t" | "w:delText" => self.inside.text = false,
            _ => {}
        }
    }

    /// A paragraph closes: its heading level and number, read from its style and numbering,
    /// and the number it had before a tracked change of its properties.
    fn end_paragraph(&mut self) {
        for id in &self.open_comments {
            let words = self.commented.entry(id.clone()).or_default();
            if !words.is_empty() && !words.ends_with(' ') {
                words.push(' ');
            }
        }
        if let Some(mut p) = self.para.take() {
            p.heading = p.style.as_deref().and_then(|s| heading_level(self.styles, s));
            p.number = paragraph_number(self.styles, p.style.as_deref(), self.num_id.take(), self.ilvl);
            if p.formatting_changed && (self.before.0.is_some() || self.before.1.is_some() || self.before.2.is_some()) {
                let (style, num, level) = std::mem::take(&mut self.before);
                let was = paragraph_number(self.styles, style.as_deref(), num, level);
                if was != p.number {
                    // A numbering change, which the labels carry: not formatting.
                    p.number_before = Some(was);
                    p.formatting_changed = false;
                }
            }
            self.out.push(p);
        }
    }

    /// A run closes: its words go to the paragraph (and to the comments open on them), less
    /// what the page does not show or shows in another order, which is said.
    fn end_run(&mut self) {
        if let (Some(mut r), Some(p)) = (self.run.take(), self.para.as_mut())
            && !r.text.is_empty()
        {
            let controls: Vec<String> =
                r.text.chars().filter(|c| is_bidi_control(*c)).map(|c| format!("U+{:04X}", c as u32)).collect();
            if !controls.is_empty() {
                // Characters that make text show in another order than it is
                // stored in: the words are taken without them, and that is said.
                r.text.retain(|c| !is_bidi_control(c));
                p.unread.push(format!(
                        "bidirectional control characters ({}) taken out of the words (not imported: they make text display in another order than it reads)",
                        controls.join(", ")
                    ));
            }
            if !matches!(r.change, Change::Deleted | Change::MovedFrom) && !r.hidden {
                for id in &self.open_comments {
                    self.commented.entry(id.clone()).or_default().push_str(&r.text);
                }
            }
            if r.hidden {
                // Words the page does not show: what the counterparty read is
                // not what the file holds. Left self.out of the words, and reported.
                p.unread.push(format!(
                    "hidden text “{}” (not imported: Word does not show it, so the page reads otherwise than the file)",
                    crate::text::one_line(r.text.trim())
                ));
            } else {
                p.runs.push(r);
            }
        }
    }
}

type Starts = Vec<(usize, u32)>;

fn numbering(xml: &str) -> Result<Numbering, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Numbering::default();
    let mut abstract_ids: HashMap<String, usize> = HashMap::new();
    // Each instance: its id, its definition's id and its start overrides.
    let mut abstract_of: Vec<(String, String, Starts)> = Vec::new();
    let mut current_abstract: Option<usize> = None;
    let mut current_num: Option<usize> = None;
    let mut level: Option<usize> = None;
    let mut override_level: Option<usize> = None;
    loop {
        let event = reader.read_event().map_err(|e| format!(": {e}"))?;
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "w:abstractNum" => {
                    let id = attribute(e, "w:abstractNumId").unwrap_or_default();
                    abstract_ids.insert(id, out.definitions.len());
                    current_abstract = Some(out.definitions.len());
                    out.definitions.push(Vec::new());
                }
                "w:lvl" if current_abstract.is_some() => {
                    let at: usize = attribute(e, "w:ilvl").and_then(|v| v.parse().ok()).unwrap_or(0).min(8);
                    let levels = &mut out.definitions[current_abstract.expect("checked")];
                    while levels.len() <= at {
                        levels.push(Level {
                            format: Format::Decimal,
                            text: String::new(),
                            start: 1,
                            ..Level::default()
                        });
                    }
                    level = Some(at);
                }
                "w:start" => {
                    if let (Some(a), Some(l)) = (current_abstract, level) {
                        out.definitions[a][l].start = attribute(e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                }
                "w:numFmt" => {
                    if let (Some(a), Some(l)) = (current_abstract, level) {
                        out.definitions[a][l].format = Format::from_word(&attribute(e, "w:val").unwrap_or_default());
                    }
                }
                "w:isLgl" => {
                    if let (Some(a), Some(l)) = (current_abstract, level) {
                        out.definitions[a][l].legal = flag(e);
                    }
                }
                "w:lvlRestart" => {
                    if let (Some(a), Some(l)) = (current_abstract, level) {
                        out.definitions[a][l].restart = attribute(e, "w:val").and_then(|v| v.parse().ok());
                    }
                }
                "w:lvlText" => {
                    if let (Some(a), Some(l)) = (current_abstract, level) {
                        out.definitions[a][l].text = attribute(e, "w:val").unwrap_or_default();
                    }
                }
                "w:num" => {
                    let id = attribute(e, "w:numId").unwrap_or_default();
                    abstract_of.push((id, String::new(), Vec::new()));
                    current_num = Some(abstract_of.len() - 1);
                }
                "w:abstractNumId" => {
                    if let Some(n) = current_num {
                        abstract_of[n].1 = attribute(e, "w:val").unwrap_or_default();
                    }
                }
                "w:lvlOverride" => override_level = attribute(e, "w:ilvl").and_then(|v| v.parse().ok()),
                "w:startOverride" => {
                    if let (Some(n), Some(l)) = (current_num, override_level) {
                        let start = attribute(e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(1);
                        abstract_of[n].2.push((l, start));
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "w:abstractNum" => current_abstract = None,
                "w:lvl" => level = None,
                "w:num" => current_num = None,
                "w:lvlOverride" => override_level = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    for (id, definition, starts) in abstract_of {
        if let Some(&definition) = abstract_ids.get(&definition) {
            out.instances.insert(id, Instance { definition, starts });
        }
    }
    Ok(out)
}

fn comments(xml: &str) -> Result<Vec<Comment>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current: Option<Comment> = None;
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| format!(": {e}"))?;
        match &event {
            Event::Start(e) if e.name().as_ref() == "w:comment" => {
                current = Some(Comment {
                    id: attribute(e, "w:id").unwrap_or_default(),
                    author: attribute(e, "w:author").unwrap_or_default(),
                    date: attribute(e, "w:date").unwrap_or_default(),
                    text: String::new(),
                });
            }
            Event::Start(e) if e.name().as_ref() == "w:p" => {
                if let Some(c) = current.as_mut()
                    && !c.text.is_empty()
                {
                    c.text.push('\n');
                }
            }
            Event::Start(e) if e.name().as_ref() == "w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == "w:t" => in_text = false,
            Event::End(e) if e.name().as_ref() == "w:comment" => out.extend(current.take()),
            Event::Text(_) | Event::GeneralRef(_) if in_text => {
                if let Some(c) = current.as_mut() {
                    push_text(&mut c.text, &event);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

impl WordDocument {
    /// The paragraphs as `view` shows them, numbered as Word numbers them.
    ///
    /// A paragraph whose mark the view removes joins the next paragraph, whose properties the
    /// joined paragraph takes, as in Word.
    #[must_use]
    pub fn view(&self, view: View) -> Vec<Shown> {
        let gone = |change: Change| match view {
            View::Accepted => matches!(change, Change::Deleted | Change::MovedFrom),
            View::Rejected => matches!(change, Change::Inserted | Change::MovedTo),
        };
        let mut out: Vec<Shown> = Vec::new();
        let mut carried = Shown::default();
        for (i, p) in self.paragraphs.iter().enumerate() {
            let mut survives = !gone(p.mark);
            for run in &p.runs {
                if run.change != Change::None {
                    carried.changed = true;
                }
                if gone(run.change) {
                    continue;
                }
                survives = true;
                carried.moved |= run.change == Change::MovedTo && view == View::Accepted;
                let run = Run { change: Change::None, ..run.clone() };
                match carried.runs.last_mut() {
                    Some(last) if last.bold == run.bold && last.italic == run.italic => last.text.push_str(&run.text),
                    _ => carried.runs.push(run),
                }
            }
            // A paragraph this view removes whole (its words and its mark) is not the one its
            // words join: its bookmarks, which name it, go with it.
            if survives {
                carried.bookmarks.extend(p.bookmarks.iter().cloned());
            }
            carried.comments.extend(p.comments.iter().cloned());
            carried.from.push(i);
            carried.formatting_changed |= p.formatting_changed;
            carried.unread.extend(p.unread.iter().cloned());
            if p.mark != Change::None {
                carried.changed = true;
            }
            // A paragraph inside a table cell never joins what follows the cell.
            let joins = gone(p.mark) && self.paragraphs.get(i + 1).is_some_and(|next| next.cell == p.cell);
            if joins {
                continue;
            }
            if gone(p.mark) && carried.runs.is_empty() {
                carried = Shown::default();
                continue;
            }
            carried.style.clone_from(&p.style);
            carried.heading = p.heading;
            match (&p.number_before, view) {
                (Some(before), View::Rejected) => carried.number.clone_from(before),
                _ => carried.number.clone_from(&p.number),
            }
            carried.cell = p.cell;
            out.push(std::mem::take(&mut carried));
        }
        let mut counter = Counter::default();
        for shown in &mut out {
            if let Some((num, level)) = &shown.number {
                shown.label = counter.next(&self.numbering, num, *level);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<w:document xmlns:w="w"><w:body>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:bookmarkStart w:id="1" w:name="_pactum_0"/><w:r><w:t>Fees</w:t></w:r></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:rPr><w:ins w:id="2" w:author="C"/></w:rPr></w:pPr><w:ins w:id="3" w:author="C"><w:r><w:t>New &amp; shiny</w:t></w:r></w:ins></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:commentRangeStart w:id="7"/><w:r><w:t xml:space="preserve">Pay </w:t></w:r><w:del w:id="4" w:author="C"><w:r><w:delText>30</w:delText></w:r></w:del><w:ins w:id="5" w:author="C"><w:r><w:t>60</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> days</w:t></w:r></w:p>
</w:body></w:document>"#;

    #[test]
    fn text_boxes_hyperlinks_and_proofing_marks_are_read_as_word_writes_them() {
        let xml = r#"<w:document xmlns:w="w"><w:body>
<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r><w:proofErr w:type="spellStart"/><w:hyperlink r:id="rId9"><w:r><w:t>the portal</w:t></w:r></w:hyperlink><w:proofErr w:type="spellEnd"/><w:r><w:rPr><w:rStyle w:val="X"/></w:rPr><w:t>.</w:t></w:r><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>In a box</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:p><w:r><w:t>In a box</w:t></w:r></w:p></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t xml:space="preserve"> Then</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>
<w:p><w:r><w:t>Next</w:t></w:r></w:p>
</w:body></w:document>"#;
        let document =
            WordDocument { paragraphs: paragraphs(xml, &HashMap::new()).unwrap(), ..WordDocument::default() };
        let shown = document.view(View::Accepted);
        let words: Vec<String> = shown.iter().map(Shown::words).collect();
        assert_eq!(words, ["See the portal. Then", "Next"]);
        assert_eq!(shown[0].unread, [TEXT_BOX, FOOTNOTE]);
    }

    #[test]
    fn numbering_a_heading_style_carries_is_counted() {
        let styles = styles(
            r#"<w:styles xmlns:w="w"><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Heading1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style><w:style w:type="character" w:styleId="Strong"><w:rPr><w:b/></w:rPr></w:style></w:styles>"#,
        );
        let xml = r#"<w:document xmlns:w="w"><w:body>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Term</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>Renewal</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Fees</w:t></w:r></w:p>
</w:body></w:document>"#;
        let mut document = WordDocument { paragraphs: paragraphs(xml, &styles).unwrap(), ..WordDocument::default() };
        document.numbering = numbering(
            r#"<w:numbering xmlns:w="w"><w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum><w:num w:numId="4"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num></w:numbering>"#,
        )
        .unwrap();
        let shown = document.view(View::Accepted);
        let labels: Vec<(Option<String>, Option<usize>, bool)> =
            shown.iter().map(|s| (s.label.clone(), s.heading, s.runs.iter().any(|r| r.bold))).collect();
        assert_eq!(
            labels,
            [
                (Some("5.".into()), Some(1), false),
                (Some("5.1".into()), Some(2), true),
                (Some("6.".into()), Some(1), false)
            ]
        );
    }

    #[test]
    fn views_accept_and_reject_every_change() {
        let mut document =
            WordDocument { paragraphs: paragraphs(DOC, &HashMap::new()).unwrap(), ..WordDocument::default() };
        document.numbering.definitions =
            vec![vec![Level { format: Format::Decimal, text: "%1.".into(), start: 1, ..Level::default() }]];
        document.numbering.instances.insert("1".into(), Instance::default());
        let accepted = document.view(View::Accepted);
        let words: Vec<(Option<String>, String)> = accepted.iter().map(|s| (s.label.clone(), s.words())).collect();
        assert_eq!(
            words,
            [
                (Some("1.".into()), "Fees".into()),
                (Some("2.".into()), "New & shiny".into()),
                (Some("3.".into()), "Pay 60 days".into())
            ]
        );
        assert_eq!(accepted[0].bookmarks, ["_pactum_0"]);
        assert_eq!(accepted[2].comments, ["7"]);
        let rejected: Vec<String> = document.view(View::Rejected).iter().map(Shown::words).collect();
        assert_eq!(rejected, ["Fees", "Pay 30 days"]);
    }
}
