//! Positions as the editor counts them and byte offsets as the library does, and file paths as
//! `file:` URIs.
//!
//! An LSP position is a line and a column counted in UTF-16 code units unless the client and
//! server agree on UTF-8 bytes (`positionEncoding`); the library's findings count columns in
//! characters. Everything converts through the line's text, so a contract in any script lands
//! on the right character.

use std::ops::Range;
use std::path::PathBuf;

use lsp_types::{Position, Range as LspRange, Uri};
use percent_encoding::percent_decode_str;

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// A document's text with where each line starts.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_lines(text));
        Self { text, starts, encoding }
    }

    /// The text of line `line` (0-based) without its line break.
    fn line(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line) else { return "" };
        let end = self.starts.get(line + 1).map_or(self.text.len(), |next| next - 1);
        self.text[start..end.max(start)].trim_end_matches('\r')
    }

    /// The byte offset of an editor position; a position past the end of its line or of the
    /// text is taken as that end, as the protocol asks.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else { return self.text.len() };
        let text = self.line(line);
        let wanted = position.character as usize;
        let mut units = 0;
        for (at, c) in text.char_indices() {
            if units >= wanted {
                return start + at;
            }
            units += match self.encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        start + text.len()
    }

    /// The editor position of byte `offset`.
    pub fn position(&self, offset: usize) -> Position {
        let offset = pactum_core::text::floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let before = &self.text[self.starts[line]..offset];
        let character = match self.encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.chars().map(char::len_utf16).sum(),
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, span: &Range<usize>) -> LspRange {
        LspRange::new(self.position(span.start), self.position(span.end))
    }

    pub fn span(&self, range: LspRange) -> Range<usize> {
        let start = self.offset(range.start);
        start..self.offset(range.end).max(start)
    }

    /// The editor position of a finding's 1-based line and character column.
    pub fn at_location(&self, line: usize, column: usize) -> Position {
        let index = line.saturating_sub(1);
        let Some(&start) = self.starts.get(index) else { return self.position(self.text.len()) };
        let text = self.line(index);
        let at = text.char_indices().nth(column.saturating_sub(1)).map_or(text.len(), |(at, _)| at);
        self.position(start + at)
    }
}

/// The offsets just after each line break.
fn memchr_lines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(at, _)| at + 1)
}

/// Apply an edit the editor sent (a range of the text as it stands, and what replaces it).
pub fn apply(text: &mut String, range: Option<LspRange>, new: &str, encoding: Encoding) {
    match range {
        Some(range) => {
            let span = Lines::new(text, encoding).span(range);
            text.replace_range(span, new);
        }
        None => new.clone_into(text),
    }
}

/// The file a `file:` URI names; none for another scheme (an unsaved buffer, `untitled:`).
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///home/…`, `file://localhost/home/…`; Windows: `file:///C:/…`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let decoded = percent_decode_str(rest).decode_utf8().ok()?;
    let bytes = decoded.as_bytes();
    let windows = bytes.len() > 3 && bytes[0] == b'/' && bytes[1].is_ascii_alphabetic() && bytes[2] == b':';
    let path = if windows && cfg!(windows) { &decoded[1..] } else { &decoded[..] };
    Some(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_or_bytes() {
        let text = "ab\nç𝄞x\r\nlast";
        let utf16 = Lines::new(text, Encoding::Utf16);
        let x = text.find('x').unwrap();
        // ç is one unit, the clef two.
        assert_eq!(utf16.position(x), Position::new(1, 3));
        assert_eq!(utf16.offset(Position::new(1, 3)), x);
        assert_eq!(utf16.offset(Position::new(1, 99)), text.find('\r').unwrap());
        assert_eq!(utf16.offset(Position::new(9, 0)), text.len());
        assert_eq!(utf16.at_location(2, 3), Position::new(1, 3));
        let utf8 = Lines::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(x), Position::new(1, 6));
        assert_eq!(utf8.offset(Position::new(1, 6)), x);
    }

    #[test]
    fn edits_apply_at_their_range() {
        let mut text = "one\ntwo ç three\n".to_owned();
        // "three", after a character of two bytes and one UTF-16 unit.
        apply(&mut text, Some(LspRange::new(Position::new(1, 6), Position::new(1, 11))), "and", Encoding::Utf16);
        assert_eq!(text, "one\ntwo ç and\n");
        apply(&mut text, None, "all new", Encoding::Utf16);
        assert_eq!(text, "all new");
    }

    #[test]
    fn file_uris_name_files() {
        let uri = "file:///tmp/a%20contract/msa%231.md".parse().unwrap();
        assert_eq!(path_of(&uri).unwrap(), std::path::Path::new("/tmp/a contract/msa#1.md"));
        let uri = "file://localhost/srv/c%C3%A7.md".parse().unwrap();
        assert_eq!(path_of(&uri).unwrap(), std::path::Path::new("/srv/cç.md"));
        assert_eq!(path_of(&"untitled:Untitled-1".parse().unwrap()), None);
    }
}
