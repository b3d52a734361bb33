//! What the reader decides from the whole document before it reads a clause: how the document
//! divides itself by headings.
//!
//! A clause read in isolation cannot say whether `## Account Terms` is a section of the
//! agreement or the title of an exhibit. The document as a whole can: where no heading of a
//! level carries a number, the headings of that level are how the document divides itself, and
//! each is a clause addressed by its heading. Where some heading of a level is numbered
//! (`## 5. Fees`), the unnumbered headings beside it (`## Exhibit A`) open parts of the
//! document, as before. A heading alone at its level (the document's title, a letterhead) is
//! never a clause, and the reader adds one more condition it alone can see: the named sections
//! must come before any numbered clause at the top of the document, for headings that follow
//! numbered sections (`## Exhibit A` after clauses 1 to 8) are exhibits, not sections.
//!
//! The scan reads lines, not Markdown: ATX headings and setext underlines outside fenced code
//! and block quotes. It runs before the Markdown parser, over every contract, so it looks at
//! the first bytes of each line only.

use super::heading::heading_text;
use super::number::split_heading;

/// Heading levels run from 1 to 6; index 0 is unused.
const LEVELS: usize = 7;

/// How a document uses its headings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeadingScheme {
    /// Levels at which at least one heading carries a clause number.
    numbered: [bool; LEVELS],
    /// How many headings each level has.
    count: [u32; LEVELS],
    /// Paragraphs at the left margin that open with a bold label (`**Term:** The season …`).
    bold_labels: u32,
    /// Whether a line opens with a clause number (`5.`, `(a)`, `**7.2**`); looked for only
    /// where there are bold labels.
    numbered_lines: u32,
}

impl HeadingScheme {
    /// Scan `body` for its headings.
    #[must_use]
    pub fn of(body: &str) -> Self {
        let mut scheme = Self::default();
        let mut fence: Option<u8> = None;
        let mut previous: Option<&str> = None;
        // A Jekyll page's YAML header at the top is metadata, as the Markdown reader reads it.
        let mut from = 0;
        if body.starts_with("---") {
            let mut lines = lines_of(body);
            if lines.next().is_some_and(|first| first.trim_end() == "---")
                && let Some(close) = lines.find(|line| matches!(line.trim_end(), "---" | "..."))
            {
                from = close.as_ptr() as usize - body.as_ptr() as usize + close.len();
            }
        }
        let lines = lines_of(&body[from..]);
        for line in lines {
            // Only the first bytes of a line decide anything here.
            let indent = line.bytes().take_while(|b| matches!(b, b' ' | b'\t')).count();
            let trimmed = &line[indent..];
            let Some(&first) = trimmed.as_bytes().first().filter(|b| **b != b'\r') else {
                previous = None;
                continue;
            };
            if indent < 4 && matches!(first, b'`' | b'~') && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
                fence = match fence {
                    Some(open) if first == open => None,
                    Some(open) => Some(open),
                    None => Some(first),
                };
                previous = None;
                continue;
            }
            if fence.is_some() {
                continue;
            }
            match first {
                b'#' if indent < 4 => {
                    let marks = trimmed.bytes().take_while(|&b| b == b'#').count();
                    let after = trimmed.as_bytes().get(marks);
                    if marks < LEVELS && after.is_none_or(|b| *b == b' ' || *b == b'\t') {
                        scheme.add(marks, trimmed);
                        previous = None;
                        continue;
                    }
                }
                mark @ (b'=' | b'-') if indent < 4 => {
                    let run = trimmed.trim_end();
                    let underline = run.bytes().all(|b| b == mark) && (mark == b'=' || run.len() >= 2);
                    if underline && let Some(text) = previous.filter(|text| is_plain(text)) {
                        scheme.add(if mark == b'=' { 1 } else { 2 }, text.trim_start());
                        previous = None;
                        continue;
                    }
                }
                b'*' | b'_' if indent == 0 && previous.is_none() && bold_label(trimmed).is_some() => {
                    scheme.bold_labels += 1;
                }
                _ => {}
            }
            previous = Some(line);
        }
        // Only a document with bold labels asks whether it numbers anything: a second look, for
        // those documents alone.
        if scheme.bold_labels >= 2 {
            scheme.numbered_lines = u32::from(body.lines().any(|line| {
                let trimmed = line.trim_start();
                matches!(trimmed.as_bytes().first(), Some(b'0'..=b'9' | b'(' | b'*' | b'_'))
                    && super::heading::opening(trimmed).is_some()
            }));
        }
        scheme
    }

    fn add(&mut self, level: usize, raw: &str) {
        // Most headings are plain text: their number reads straight off the line. Markup, an
        // attribute or a setext pair is stripped first, as the reader strips it.
        let plain = raw.trim().trim_start_matches('#').trim();
        if plain.is_empty() {
            return;
        }
        let numbered = if plain.contains(['*', '_', '<', '{', '&', '\n']) {
            let text = heading_text(raw);
            if text.is_empty() {
                return;
            }
            split_heading(&text).0.is_some()
        } else {
            split_heading(plain).0.is_some()
        };
        self.count[level] += 1;
        self.numbered[level] |= numbered;
    }

    /// Whether the headings of `level` may be sections named by their headings alone: no
    /// heading of the level is numbered, and the document has more than one of them, or divides
    /// itself so at a level above (a heading alone at its level at the top is a title or a
    /// label, not a way of dividing; under named sections it is a sub-section).
    #[must_use]
    pub fn divides_by_name(&self, level: usize) -> bool {
        let named = |l: usize| self.count[l] > 1 && !self.numbered[l];
        level < LEVELS
            && self.count[level] > 0
            && !self.numbered[level]
            && (self.count[level] > 1 || (1..level).any(named))
    }
}

impl HeadingScheme {
    /// Whether the document divides itself by bold run-in labels (`**Term:** …`, `**Fees.**
    /// …`): it has at least two at the left margin, and no numbered clause or heading, and no
    /// headings that divide it.
    #[must_use]
    pub fn divides_by_labels(&self) -> bool {
        self.bold_labels >= 2
            && self.numbered_lines == 0
            && !self.numbered.iter().any(|&n| n)
            && !(1..LEVELS).any(|level| self.divides_by_name(level))
    }
}

/// The label a paragraph opens with in bold, ended by a colon or period inside the bold or
/// right after it: `**Term:** The season …` → `Term`. At most eight words, not a quoted term
/// (`**"Fees"** means …` is a definition) and not a number.
#[must_use]
pub fn bold_label(line: &str) -> Option<&str> {
    let marker = ["**", "__"].into_iter().find(|m| line.starts_with(m))?;
    let inner_start = &line[2..];
    let close = inner_start.find(marker).filter(|&close| close <= 80)?;
    let inner = inner_start[..close].trim();
    let after = &inner_start[close + 2..];
    let ended = inner.ends_with([':', '.']) || after.starts_with([':', '.']);
    let label = inner.trim_end_matches([':', '.']).trim_end();
    let plain = label.starts_with(|c: char| c.is_alphabetic())
        && !label.contains(super::heading::is_quote)
        && super::heading::opening(line).is_none();
    (ended && plain && label.split_whitespace().count() <= 8).then_some(label)
}

/// The lines of `text` (without their `\n`), split by a byte search.
fn lines_of(text: &str) -> Lines<'_> {
    Lines { text, at: Some(0) }
}

struct Lines<'a> {
    text: &'a str,
    /// Where the next line starts; `None` once the last is given.
    at: Option<usize>,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let start = self.at?;
        let rest = &self.text.as_bytes()[start..];
        match memchr::memchr(b'\n', rest) {
            Some(end) => {
                self.at = Some(start + end + 1);
                self.text.get(start..start + end)
            }
            None => {
                self.at = None;
                self.text.get(start..)
            }
        }
    }
}

/// Whether a line can be a setext heading's text: a plain line of a paragraph, not quoted, not
/// indented as code, not a heading, not a list item (under which `---` is a thematic break).
fn is_plain(line: &str) -> bool {
    let trimmed = line.trim_start();
    line.len() - trimmed.len() < 4 && !trimmed.starts_with(['>', '#']) && !is_list_item(trimmed)
}

/// `- x`, `* x`, `+ x`, `1. x`, `1) x`.
fn is_list_item(line: &str) -> bool {
    let bytes = line.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let marker = match bytes.first() {
        Some(b'-' | b'*' | b'+') => 1,
        _ if (1..10).contains(&digits) && matches!(bytes.get(digits), Some(b'.' | b')')) => digits + 1,
        _ => return false,
    };
    bytes.get(marker).is_none_or(|b| *b == b' ' || *b == b'\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unnumbered_sections_under_a_title() {
        let scheme = HeadingScheme::of("# Terms of Service\n\nIntro.\n\n## Account Terms\n\n1. x\n\n## Liability\n");
        assert!(!scheme.divides_by_name(1), "the title is no section");
        assert!(scheme.divides_by_name(2));
    }

    #[test]
    fn a_numbered_level_keeps_its_unnumbered_headings_as_parts() {
        let scheme = HeadingScheme::of("## 1. Fees\n\nPay.\n\n## Exhibit A\n\nA table.\n");
        assert!(!scheme.divides_by_name(2));
    }

    #[test]
    fn setext_headings_and_fences() {
        let scheme = HeadingScheme::of("Terms\n=====\n\n8\\. Service Terms\n----\n\n```\n## 1. not a heading\n```\n");
        assert!(!scheme.divides_by_name(2) && scheme.numbered[2]);
        assert!(!scheme.divides_by_name(1), "the setext title");
        assert!(!HeadingScheme::of("## [Company Name]\n\n### AGREEMENT\n\n1. RECITALS\n").divides_by_name(3));
        let unnumbered = HeadingScheme::of("Acceptance\n----------\n\nText.\n\nCopyright License\n-----------------\n");
        assert!(unnumbered.divides_by_name(2));
        // A YAML header is no heading.
        assert_eq!(HeadingScheme::of("---\ntitle: Terms\n---\n\n## A\n").count[2], 1);
        // A thematic break after a blank line is no underline.
        assert_eq!(HeadingScheme::of("Text.\n\n---\n").count, [0; LEVELS]);
    }
}
