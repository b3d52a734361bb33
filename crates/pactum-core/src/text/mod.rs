//! Positions in a source text: byte offsets to 1-based lines and columns.
//!
//! Every finding carries a byte span into the file as it is on disk; people read positions as
//! `line:column`, with columns counted in characters (a tab or an accented letter is one
//! column), which is what editors, GitHub annotations and SARIF viewers expect.
//!
//! Beside positions, the text helpers every layer shares, a file each: [`html`] (raw HTML
//! judged inert or not), [`markdown`] (text written into Markdown as text), escaping and
//! encoding (`escape.rs`), anchors and slugs (`anchor.rs`).

mod anchor;
mod escape;
pub mod html;
pub mod markdown;

pub use anchor::{github_anchor, slug};
pub use escape::{hex, percent_encode, percent_encode_path, redact_userinfo, strip_ansi, xml_escape};

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
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// The byte range of 0-based `line`, without its line ending.
    #[must_use]
    pub(crate) fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(text.len());
        let mut end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
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

/// The words of `text` as `str::split_whitespace` gives them, read a byte at a time when the
/// text is ASCII (most contract text is): comparing clauses splits every clause of every
/// version into words.
pub(crate) fn split_words(text: &str) -> impl Iterator<Item = &str> {
    // In ASCII, the white space of `char::is_whitespace` is the space and tab to carriage return.
    let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut unicode = (!text.is_ascii()).then(|| text.split_whitespace());
    std::iter::from_fn(move || {
        if let Some(words) = unicode.as_mut() {
            return words.next();
        }
        while at < bytes.len() && space(bytes[at]) {
            at += 1;
        }
        if at == bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && !space(bytes[at]) {
            at += 1;
        }
        Some(&text[start..at])
    })
}

/// Where the short ASCII mark `needle` (`**`, `. `) first stands in `text`. The clause reader
/// looks for such marks on every clause; `str::find` prepares a general substring search each
/// time, which costs more than the search itself on text this short.
#[must_use]
pub(crate) fn find_mark(text: &str, needle: &str) -> Option<usize> {
    let (&first, rest) = needle.as_bytes().split_first()?;
    debug_assert!(first.is_ascii(), "a mark starts with an ASCII byte, never inside a character");
    let bytes = text.as_bytes();
    memchr::memchr_iter(first, bytes).find(|&at| bytes[at + 1..].starts_with(rest))
}

/// The name among `known` nearest to `wanted` by edit distance, when at most `max` edits away:
/// what a misspelt name (a field, a table, an id) was probably meant to be. Of names as near,
/// the first in alphabetical order, so that the suggestion does not depend on their order.
pub fn nearest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>, max: usize) -> Option<&'a str> {
    known
        .into_iter()
        .map(|candidate| (strsim::levenshtein(wanted, candidate), candidate))
        .filter(|(distance, _)| *distance <= max)
        .min()
        .map(|(_, candidate)| candidate)
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

/// Text as one line of a terminal shows it, whatever it holds: line breaks become `⏎`, other
/// control characters their visible pictures (`␛` for escape), and the characters that reorder
/// text (bidirectional overrides) are dropped. A title holding `\n::error file=…` cannot start a
/// workflow command, and a commit subject holding `ESC]0;` cannot retitle the terminal.
#[must_use]
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
    };
    if !text.chars().any(unsafe_char) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push('⏎'),
            '\t' => out.push(' '),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c if (c as u32) < 0x20 => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
            '\u{7f}' => out.push('␡'),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out.into()
}

/// A count and its noun, in English: `1 edit`, `0 edits`, `2 edits`. Nouns with an irregular
/// plural are given as `"entry/entries"`.
#[must_use]
pub fn count(n: usize, noun: &str) -> String {
    let (one, many) = match noun.split_once('/') {
        Some((one, many)) => (one.to_owned(), many.to_owned()),
        None => (noun.to_owned(), format!("{noun}s")),
    };
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Append `line` to human output as one line (see [`one_line`]), after any blank lines it
/// starts with.
pub fn push_line(out: &mut String, line: &str) {
    let body = line.trim_start_matches('\n');
    out.push_str(&line[..line.len() - body.len()]);
    out.push_str(&one_line(body.strip_suffix('\n').unwrap_or(body)));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_sequences_are_stripped() {
        assert_eq!(strip_ansi("\u{1b}[31mred\u{1b}[0m and \u{1b}[1;4mbold\u{1b}[22m"), "red and bold");
        assert_eq!(strip_ansi("plain"), "plain");
        assert_eq!(strip_ansi("\u{1b}]x"), "x", "an escape that is no CSI takes one character");
    }

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(count(1, "edit"), "1 edit");
        assert_eq!(count(0, "edit"), "0 edits");
        assert_eq!(count(2, "entry/entries"), "2 entries");
        assert_eq!(count(1, "entry/entries"), "1 entry");
    }

    #[test]
    fn split_words_gives_the_words_of_split_whitespace() {
        let mut texts: Vec<String> = (0u8..128).map(|b| format!("a{}b  c{}", b as char, b as char)).collect();
        texts.extend(
            [
                "",
                " ",
                "one",
                "  lead and trail  ",
                "é\u{a0}nbsp\u{2003}em",
                "tab\tvt\u{b}ff\u{c}cr\r\nend",
                "\u{85}next",
            ]
            .map(str::to_owned),
        );
        for text in &texts {
            assert_eq!(split_words(text).collect::<Vec<_>>(), text.split_whitespace().collect::<Vec<_>>(), "{text:?}");
        }
    }

    #[test]
    fn a_mark_is_found_where_str_find_finds_it() {
        for text in ["**Term**. Rest", "Déf. ** é**", "*a* **", "no mark", "", "é. ", "x.", "**", "***"] {
            for mark in ["**", "__", ". ", "*"] {
                assert_eq!(find_mark(text, mark), text.find(mark), "{mark:?} in {text:?}");
            }
        }
    }

    #[test]
    fn hex_writes_two_lowercase_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn inert_markup_passes_and_the_rest_is_shown_as_text() {
        use super::html::{inert, not_inert};
        let fine = "<span id=\"x\" class='cover'>Purpose</span><br/><a href=\"#renewal\">Renewal</a><sup>1</sup>";
        assert_eq!(not_inert(fine), None);
        assert_eq!(not_inert("<label>How Confidential Information may be used</label> <b>and</b> <em>it</em>"), None);
        assert_eq!(
            inert(fine),
            "<span id=\"x\" class=\"cover\">Purpose</span><br><a href=\"#renewal\">Renewal</a><sup>1</sup>"
        );
        for (hostile, why) in [
            ("<span style=\"display:none\">not</span>", "`style` on `<span>`"),
            ("<script>alert(1)</script>", "`<script>`"),
            ("<a href=\"javascript:alert(1)\">x</a>", "`href` on `<a>`"),
            ("<span onmouseover=\"x()\">y</span>", "`onmouseover` on `<span>`"),
            ("<div hidden>z</div>", "`<div>`"),
            ("<!-- the fee is doubled -->", "HTML comment"),
            ("<a href=\"https://example.com\">site</a>", "`href` on `<a>`"),
        ] {
            assert!(not_inert(hostile).is_some_and(|w| w.contains(why)), "{hostile}: {:?}", not_inert(hostile));
        }
        assert_eq!(
            inert("<span style=\"display:none\">hidden</span>"),
            "&lt;span style=&quot;display:none&quot;&gt;hidden</span>"
        );
        assert_eq!(inert("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;");
        assert_eq!(inert("<!-- fee x2 -->"), "&lt;!-- fee x2 --&gt;");
    }

    #[test]
    fn urls_lose_their_user_and_password() {
        assert_eq!(redact_userinfo("GET https://user:ghs_x@api.test/repos?a=b@c"), "GET https://api.test/repos?a=b@c");
        assert_eq!(redact_userinfo("see http://h.test and ftp://u@f.test/x"), "see http://h.test and ftp://f.test/x");
    }

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
    fn the_nearest_name_is_the_closest_then_the_first() {
        assert_eq!(nearest("governing_lwa", ["governing_law", "owner"], 2), Some("governing_law"));
        // As near: the first alphabetically, whatever order they come in.
        assert_eq!(nearest("tag", ["tax", "tab"], 2), Some("tab"));
        assert_eq!(nearest("tag", ["tab", "tax"], 2), Some("tab"));
        assert_eq!(nearest("parties", ["owner", "title"], 2), None);
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Term and Termination"), "term-and-termination");
        assert_eq!(slug("What the Company doesn't own."), "what-the-company-doesnt-own");
        assert_eq!(slug("[AKA] Business"), "aka-business");
        assert_eq!(slug("  "), "");
    }
}
