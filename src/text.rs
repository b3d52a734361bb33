//! Positions in a source text: byte offsets to 1-based lines and columns.
//!
//! Every finding carries a byte span into the file as it is on disk; people read positions as
//! `line:column`, with columns counted in characters (a tab or an accented letter is one
//! column), which is what editors, GitHub annotations and SARIF viewers expect.

use std::ops::Range;

/// Start offsets of every line of a text, for turning byte offsets into lines and columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self { starts }
    }

    /// The 0-based line that holds `offset`.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// The byte range of 0-based `line`, without its line ending.
    #[must_use]
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(text.len());
        let mut end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }

    #[must_use]
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 1-based position of `offset` in `text`; an offset inside a character or past the end
    /// is moved back to the nearest character boundary.
    #[must_use]
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.starts[line].min(offset);
        let column = text[start..offset].chars().count() + 1;
        Position { line: line + 1, column }
    }
}

/// The largest character boundary of `text` at or before `offset`.
#[must_use]
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The anchor GitHub (and most Markdown renderers after it) gives a heading: lower case, every
/// character but letters, digits, spaces, hyphens and underscores dropped, each space a hyphen.
/// `B. Account Terms` → `b-account-terms`; `Section 1 – Definitions.` → `section-1--definitions`.
#[must_use]
pub fn github_anchor(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// A slug of `text`: lower-case ASCII letters and digits joined by single hyphens.
#[must_use]
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric()) {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else if c != '\'' && c != '’' {
            pending_hyphen = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_anchors_as_github_makes_them() {
        assert_eq!(github_anchor("B. Account Terms"), "b-account-terms");
        assert_eq!(github_anchor("Section 1 – Definitions."), "section-1--definitions");
        assert_eq!(github_anchor("F. Copyright Infringement & DMCA Policy"), "f-copyright-infringement--dmca-policy");
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "ab\nçé x\r\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x), Position { line: 2, column: 4 });
        let last = text.find("last").unwrap();
        assert_eq!(index.position(text, last), Position { line: 3, column: 1 });
        assert_eq!(index.line_range(text, 1), 3..(text.find('\r').unwrap()));
        // inside a multi-byte character: moved back to its start
        assert_eq!(index.position(text, 4), Position { line: 2, column: 1 });
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Term and Termination"), "term-and-termination");
        assert_eq!(slug("What the Company doesn't own."), "what-the-company-doesnt-own");
        assert_eq!(slug("[AKA] Business"), "aka-business");
        assert_eq!(slug("  "), "");
    }
}
