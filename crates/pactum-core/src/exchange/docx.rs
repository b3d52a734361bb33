//! Writing a [`Document`] as a Word package (Office Open XML, ECMA-376).
//!
//! The XML is written directly: the parts are few and fixed, and every element tracked changes
//! need (`w:ins`, `w:del`, `w:moveFrom`, `w:moveTo`, their range marks and a paragraph mark's
//! own change) is written exactly where Word writes it. Every paragraph carries a hidden
//! bookmark `_pactum_N`, N its place in the export, by which import finds it again.

use std::fmt::Write as _;
use std::io::Write as _;

use super::model::{Change, Document, Para, Run, Style};
use super::numbering::Format;
use crate::text::xml_escape as escape;

/// Who made the tracked changes of a redline, and when (`2026-11-27T10:00:00Z`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub author: String,
    pub date: String,
}

/// The prefix of the bookmarks that name exported paragraphs.
pub(crate) const BOOKMARK: &str = "_pactum_";

/// Custom document properties: their names.
pub(crate) const PROPERTY_CONTRACT: &str = "pactum.contract";
pub const PROPERTY_PATH: &str = "pactum.path";
pub const PROPERTY_SOURCE: &str = "pactum.source-sha256";
pub(crate) const PROPERTY_TEXT: &str = "pactum.text-sha256";
/// The key terms on the cover page, by name, comma-separated: the import rebuilds the page
/// the copy was sent with.
pub(crate) const PROPERTY_COVER: &str = "pactum.cover";

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A Word package that could not be written (in memory: the zip writer refused a part).
#[derive(Debug, thiserror::Error)]
#[error("writing {part} of the Word package: {source}")]
pub struct WriteError {
    pub part: &'static str,
    pub source: zip::result::ZipError,
}

/// The package: every part, zipped.
///
/// # Errors
/// When the zip writer refuses a part.
pub fn write(document: &Document, revision: Option<&Revision>) -> Result<Vec<u8>, WriteError> {
    let mut parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", package_rels()),
        ("docProps/core.xml", core(document)),
        ("docProps/app.xml", app()),
        ("docProps/custom.xml", custom(document)),
        ("word/_rels/document.xml.rels", document_rels()),
        ("word/styles.xml", styles()),
        ("word/settings.xml", settings()),
        ("word/numbering.xml", numbering(document)),
    ];
    parts.push(("word/document.xml", body(document, revision)));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // The fastest deflate level: Word XML is repetitive and packs well even so (a 1 MB contract's
    // export is some 55 KB), and the redline of a 1,000-clause contract takes about 75 ms
    // instead of about 100 (`cargo bench --bench diff`).
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for (name, xml) in parts {
        let failed = |source| WriteError { part: name, source };
        zip.start_file(name, options).map_err(failed)?;
        zip.write_all(xml.as_bytes()).map_err(|e| failed(e.into()))?;
    }
    Ok(zip.finish().map_err(|source| WriteError { part: "the central directory", source })?.into_inner())
}

fn content_types() -> String {
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/><Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>"#
        .to_owned()
}

fn package_rels() -> String {
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>"#
        .to_owned()
}

fn document_rels() -> String {
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#
        .to_owned()
}

fn core(document: &Document) -> String {
    let p = &document.properties;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:identifier>{}</dc:identifier><cp:keywords>pactum</cp:keywords></cp:coreProperties>"#,
        escape(&p.title),
        escape(p.contract.as_deref().unwrap_or(&p.path)),
    )
}

fn app() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>pactum {}</Application></Properties>"#,
        env!("CARGO_PKG_VERSION")
    )
}

fn custom(document: &Document) -> String {
    let p = &document.properties;
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
    );
    let mut pid = 2;
    for (name, value) in [
        (PROPERTY_CONTRACT, p.contract.as_deref()),
        (PROPERTY_PATH, Some(p.path.as_str())),
        (PROPERTY_SOURCE, Some(p.source_sha256.as_str())),
        (PROPERTY_TEXT, Some(p.text_sha256.as_str())),
        (PROPERTY_COVER, Some(p.cover.as_str())),
    ] {
        let Some(value) = value else { continue };
        let _ = write!(
            out,
            r#"<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{name}"><vt:lpwstr>{}</vt:lpwstr></property>"#,
            escape(value)
        );
        pid += 1;
    }
    out.push_str("</Properties>");
    out
}

fn settings() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W}"><w:defaultTabStop w:val="567"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#
    )
}

fn styles() -> String {
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia" w:cs="Georgia" w:eastAsia="Georgia"/><w:sz w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="2400" w:after="480"/></w:pPr><w:rPr><w:b/><w:sz w:val="44"/></w:rPr></w:style>"#
    );
    for level in 1..=6 {
        let size = [32, 28, 24, 22, 22, 22][level - 1];
        let _ = write!(
            out,
            r#"<w:style w:type="paragraph" w:styleId="Heading{level}"><w:name w:val="heading {level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="{}"/></w:pPr><w:rPr><w:b/><w:sz w:val="{size}"/></w:rPr></w:style>"#,
            level - 1
        );
    }
    out.push_str(r#"<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="720" w:right="720"/></w:pPr><w:rPr><w:i/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="SourceCode"><w:name w:val="Source Code"/><w:basedOn w:val="Normal"/><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/><w:sz w:val="20"/></w:rPr></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#);
    out
}

/// One level's indentation, in twentieths of a point: a centimetre a level.
const STEP: usize = 567;

fn numbering(document: &Document) -> String {
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W}">"#
    );
    for (id, levels) in document.numbering.definitions.iter().enumerate() {
        let _ = write!(out, r#"<w:abstractNum w:abstractNumId="{id}"><w:multiLevelType w:val="multilevel"/>"#);
        for ilvl in 0..9 {
            let (format, text, start) = levels.get(ilvl).map_or_else(
                || (Format::Decimal, (1..=ilvl + 1).map(|n| format!("%{n}")).collect::<Vec<_>>().join("."), 1),
                |l| (l.format, l.text.clone(), l.start),
            );
            let _ = write!(
                out,
                r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{}"/><w:lvlText w:val="{}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{}" w:hanging="{STEP}"/></w:pPr></w:lvl>"#,
                format.word_name(),
                escape(&text),
                STEP * (ilvl + 1),
            );
        }
        out.push_str("</w:abstractNum>");
    }
    // Instances in the order of their ids, which are numbers.
    let mut instances: Vec<(&String, &super::numbering::Instance)> = document.numbering.instances.iter().collect();
    instances.sort_by_key(|(id, _)| (id.len(), id.as_str()));
    for (id, instance) in instances {
        let _ = write!(out, r#"<w:num w:numId="{id}"><w:abstractNumId w:val="{}"/>"#, instance.definition);
        for (level, start) in &instance.starts {
            let _ =
                write!(out, r#"<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>"#);
        }
        out.push_str("</w:num>");
    }
    out.push_str("</w:numbering>");
    out
}

/// The id of the Word style a paragraph style is written with; none for Normal.
fn style_id(style: Style) -> Option<String> {
    match style {
        Style::Title => Some("Title".to_owned()),
        Style::Heading(level) => Some(format!("Heading{level}")),
        Style::Quote => Some("Quote".to_owned()),
        Style::Code => Some("SourceCode".to_owned()),
        Style::Normal => None,
    }
}

/// Writes `word/document.xml`, numbering tracked changes as it goes.
struct BodyWriter<'a> {
    out: String,
    revision: Option<&'a Revision>,
    next_id: u32,
}

impl BodyWriter<'_> {
    fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    fn change_attributes(&mut self) -> String {
        let id = self.id();
        let (author, date) = self.revision.map_or(("pactum", ""), |r| (r.author.as_str(), r.date.as_str()));
        let date = if date.is_empty() { String::new() } else { format!(r#" w:date="{}""#, escape(date)) };
        format!(r#"w:id="{id}" w:author="{}"{date}"#, escape(author))
    }

    fn run(&mut self, run: &Run) {
        let deleted = matches!(run.change, Change::Deleted | Change::MovedFrom);
        let wrapper = run.change.tag();
        if let Some(wrapper) = wrapper {
            let attributes = self.change_attributes();
            let _ = write!(self.out, "<{wrapper} {attributes}>");
        }
        self.out.push_str("<w:r>");
        if run.bold || run.italic || run.code {
            self.out.push_str("<w:rPr>");
            if run.code {
                self.out.push_str(r#"<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>"#);
            }
            if run.bold {
                self.out.push_str("<w:b/>");
            }
            if run.italic {
                self.out.push_str("<w:i/>");
            }
            self.out.push_str("</w:rPr>");
        }
        let tag = if deleted { "w:delText" } else { "w:t" };
        for (i, line) in run.text.split('\n').enumerate() {
            if i > 0 {
                self.out.push_str("<w:br/>");
            }
            for (j, piece) in line.split('\t').enumerate() {
                if j > 0 {
                    self.out.push_str("<w:tab/>");
                }
                if !piece.is_empty() {
                    let _ = write!(self.out, r#"<{tag} xml:space="preserve">{}</{tag}>"#, escape(piece));
                }
            }
        }
        self.out.push_str("</w:r>");
        if let Some(wrapper) = wrapper {
            let _ = write!(self.out, "</{wrapper}>");
        }
    }

    fn paragraph(&mut self, para: &Para, runs: &[Run], index: Option<usize>) {
        self.out.push_str("<w:p><w:pPr>");
        if let Some(style) = style_id(para.style) {
            let _ = write!(self.out, r#"<w:pStyle w:val="{style}"/>"#);
        }
        if para.page_break_before {
            self.out.push_str("<w:pageBreakBefore/>");
        }
        if let Some((num, level)) = para.numbered {
            let _ = write!(self.out, r#"<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>"#);
        } else if para.indent > 0 && para.table.is_none() {
            let _ = write!(self.out, r#"<w:ind w:left="{}"/>"#, STEP * para.indent);
        }
        let mark = para.mark.tag();
        if let Some(mark) = mark {
            let attributes = self.change_attributes();
            let _ = write!(self.out, "<w:rPr><{mark} {attributes}/></w:rPr>");
        }
        if let Some(formerly) = para.formerly {
            let attributes = self.change_attributes();
            let _ = write!(self.out, "<w:pPrChange {attributes}><w:pPr>");
            if let Some(style) = style_id(formerly.style) {
                let _ = write!(self.out, r#"<w:pStyle w:val="{style}"/>"#);
            }
            if let Some((num, level)) = formerly.numbered {
                let _ = write!(self.out, r#"<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>"#);
            } else if formerly.indent > 0 {
                let _ = write!(self.out, r#"<w:ind w:left="{}"/>"#, STEP * formerly.indent);
            }
            self.out.push_str("</w:pPr></w:pPrChange>");
        }
        self.out.push_str("</w:pPr>");
        if let Some(index) = index {
            let id = self.id();
            let _ = write!(
                self.out,
                r#"<w:bookmarkStart w:id="{id}" w:name="{BOOKMARK}{index}"/><w:bookmarkEnd w:id="{id}"/>"#
            );
        }
        let range = match (para.moved, para.mark) {
            (Some(name), Change::MovedFrom) => Some(("w:moveFromRange", name)),
            (Some(name), Change::MovedTo) => Some(("w:moveToRange", name)),
            _ => None,
        };
        let range_id = range.map(|(tag, name)| {
            let attributes = self.change_attributes();
            let _ = write!(self.out, r#"<{tag}Start {attributes} w:name="move{name}"/>"#);
            attributes.split('"').nth(1).unwrap_or("0").to_owned()
        });
        if !para.literal.is_empty() {
            let literal = Run {
                text: format!("{} ", para.literal),
                change: runs.first().map_or(Change::None, |r| r.change),
                ..Run::default()
            };
            self.run(&literal);
        }
        for run in runs {
            self.run(run);
        }
        if let (Some((tag, _)), Some(id)) = (range, range_id) {
            let _ = write!(self.out, r#"<{tag}End w:id="{id}"/>"#);
        }
        self.out.push_str("</w:p>");
    }

    fn table(&mut self, para: &Para, rows: &[Vec<Vec<Run>>], index: usize) {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let width = 9000 / columns;
        self.out.push_str(r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="999999"/></w:tblBorders><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>"#);
        for _ in 0..columns {
            let _ = write!(self.out, r#"<w:gridCol w:w="{width}"/>"#);
        }
        self.out.push_str("</w:tblGrid>");
        // Each cell is written as a plain paragraph of this one's kind: made once, without the
        // table (a copy of the whole table for each cell would make a long table quadratic).
        let mut cell_para = Para { table: None, row_changes: Vec::new(), runs: Vec::new(), ..para.clone() };
        cell_para.mark = Change::None;
        cell_para.moved = None;
        cell_para.numbered = None;
        cell_para.indent = 0;
        cell_para.style = Style::Normal;
        cell_para.page_break_before = false;
        cell_para.formerly = None;
        for (r, row) in rows.iter().enumerate() {
            self.out.push_str("<w:tr>");
            let change = match para.row_changes.get(r) {
                Some(Change::Inserted | Change::MovedTo) => Some("w:ins"),
                Some(Change::Deleted | Change::MovedFrom) => Some("w:del"),
                _ => None,
            };
            if let Some(change) = change {
                let attributes = self.change_attributes();
                let _ = write!(self.out, "<w:trPr><{change} {attributes}/></w:trPr>");
            }
            for c in 0..columns {
                let _ = write!(self.out, r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>"#);
                let cell = row.get(c).map_or(&[][..], Vec::as_slice);
                self.paragraph(&cell_para, cell, (r == 0 && c == 0).then_some(index));
                self.out.push_str("</w:tc>");
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
    }
}

fn body(document: &Document, revision: Option<&Revision>) -> String {
    let mut writer = BodyWriter {
        out: format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>"#
        ),
        revision,
        next_id: 0,
    };
    let mut previous_table = false;
    for (index, para) in document.paras.iter().enumerate() {
        if let Some(rows) = &para.table {
            if previous_table {
                // Two tables in a row would be one table to Word.
                writer.out.push_str("<w:p/>");
            }
            writer.table(para, rows, index);
            previous_table = true;
        } else {
            writer.paragraph(para, &para.runs, Some(index));
            previous_table = false;
        }
    }
    writer.out.push_str(r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1247" w:right="1134" w:bottom="1247" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr></w:body></w:document>"#);
    writer.out
}
