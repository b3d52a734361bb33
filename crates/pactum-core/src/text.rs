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

/// The largest character boundary of `text` at or before `offset`.
#[must_use]
pub(crate) fn floor_char_boundary(text: &str, offset: usize) -> usize {
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

/// Raw HTML in a contract body, judged against the markup that is inert: what a page shows of
/// it is what the Markdown says. Inert are `span`, `a`, `dfn`, `br`, `sup`, `sub`, `u`, `b`, `i`,
/// `em`, `strong` and `label` (Common Paper's cover page labels its fields with it), with `id`
/// and `class` attributes, and `href` on `a` only to an anchor of the page (`#…`). Any
/// other tag or attribute — `style`, `hidden`, event handlers, scripts, `javascript:` links —
/// and comments can hide or restyle words, or run code.
pub mod html {
    use std::borrow::Cow;

    const INERT_TAGS: &[&str] = &["span", "a", "dfn", "br", "sup", "sub", "u", "b", "i", "em", "strong", "label"];

    /// Why a fragment of raw HTML is not inert: the first tag or comment that is not.
    #[must_use]
    pub(crate) fn not_inert(fragment: &str) -> Option<String> {
        tokens(fragment).find_map(|token| match token {
            Token::Text(_) => None,
            Token::Comment(_) => Some("an HTML comment hides its words from the rendered page".to_owned()),
            // A closing tag closes what its opening tag was already reported for.
            Token::Tag(tag) if tag.starts_with("</") => None,
            Token::Tag(tag) => judge(tag).err(),
        })
    }

    /// The fragment with every tag and comment that is not inert written out as text, so that
    /// a page shows it instead of obeying it; inert tags are rebuilt with their allowed
    /// attributes, values escaped.
    #[must_use]
    pub fn inert(fragment: &str) -> Cow<'_, str> {
        if !fragment.contains('<') {
            return fragment.into();
        }
        let mut out = String::with_capacity(fragment.len());
        for token in tokens(fragment) {
            match token {
                Token::Text(text) => out.push_str(text),
                Token::Comment(text) => out.push_str(&super::xml_escape(text)),
                Token::Tag(tag) => match judge(tag) {
                    Ok(rebuilt) => out.push_str(&rebuilt),
                    Err(_) => out.push_str(&super::xml_escape(tag)),
                },
            }
        }
        out.into()
    }

    enum Token<'a> {
        Text(&'a str),
        Comment(&'a str),
        Tag(&'a str),
    }

    fn tokens(fragment: &str) -> impl Iterator<Item = Token<'_>> {
        let mut rest = fragment;
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let Some(open) = rest.find('<') else {
                let text = rest;
                rest = "";
                return Some(Token::Text(text));
            };
            if open > 0 {
                let text = &rest[..open];
                rest = &rest[open..];
                return Some(Token::Text(text));
            }
            if rest.starts_with("<!--") {
                let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
                let comment = &rest[..end];
                rest = &rest[end..];
                return Some(Token::Comment(comment));
            }
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let tag = &rest[..end];
            rest = &rest[end..];
            Some(Token::Tag(tag))
        })
    }

    /// An inert tag rebuilt, or why it is not inert.
    fn judge(tag: &str) -> Result<String, String> {
        let inner = tag.trim_start_matches('<').trim_end_matches('>').trim_end_matches('/').trim();
        if let Some(name) = inner.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            return if INERT_TAGS.contains(&name.as_str()) {
                Ok(format!("</{name}>"))
            } else {
                Err(format!("`<{name}>` is not plain text markup"))
            };
        }
        let name_end = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        if !INERT_TAGS.contains(&name.as_str()) {
            return Err(format!("`<{name}>` is not plain text markup"));
        }
        let mut rebuilt = format!("<{name}");
        for (key, value) in attributes(&inner[name_end..]) {
            let key = key.to_ascii_lowercase();
            let allowed = match key.as_str() {
                "id" | "class" => true,
                "href" => name == "a" && value.starts_with('#'),
                _ => false,
            };
            if !allowed {
                return Err(format!("`{key}` on `<{name}>` can hide, restyle or act on the text"));
            }
            rebuilt.push_str(&format!(" {key}=\"{}\"", super::xml_escape(&value)));
        }
        rebuilt.push('>');
        Ok(rebuilt)
    }

    /// `key="value"`, `key='value'`, `key=value` and bare `key` pairs of a tag.
    fn attributes(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut rest = text.trim();
        while !rest.is_empty() {
            let key_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
            let key = rest[..key_end].to_owned();
            rest = rest[key_end..].trim_start();
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start();
                let (found, remaining) = if let Some(quote @ ('"' | '\'')) = after.chars().next() {
                    let close = after[1..].find(quote).map_or(after.len(), |c| c + 1);
                    (&after[1..close], after.get(close + 1..).unwrap_or(""))
                } else {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                };
                found.clone_into(&mut value);
                rest = remaining.trim_start();
            }
            if !key.is_empty() {
                out.push((key, value));
            }
        }
        out
    }
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

/// `text` without its ANSI escape sequences (the colours of terminal output): what a terminal
/// shows of it, for measuring its width.
#[must_use]
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        // CSI (`ESC [` … a final byte from `@` to `~`), else the one character after ESC.
        if chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else {
            chars.next();
        }
    }
    out
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

/// `text` with the user and password of every URL in it removed:
/// `https://user:secret@host/x` → `https://host/x`.
#[must_use]
pub fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let authority_end = after.find(['/', ' ', '\n', '?', '#', '"', '>']).unwrap_or(after.len());
        match after[..authority_end].rfind('@') {
            Some(userinfo_end) => rest = &after[userinfo_end + 1..],
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// Escape text for XML and HTML content and attribute values; characters XML 1.0 cannot hold
/// at all become U+FFFD.
#[must_use]
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
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

/// Bytes as lower-case hexadecimal digits, two a byte (digests, for people and files).
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// The characters a URL keeps as they are: letters, digits and `-._~` (RFC 3986's unreserved).
const URL_COMPONENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `value` percent-encoded as one component of a URL (a query value, a path segment): `/` too.
#[must_use]
pub fn percent_encode(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, URL_COMPONENT).to_string()
}

/// A repository path percent-encoded as a relative URL: its `/` kept, every other byte outside
/// `-._~`, letters and digits encoded, so that no path ends a link early or names a scheme.
#[must_use]
pub fn percent_encode_path(path: &str) -> String {
    const URL_PATH: &percent_encoding::AsciiSet = &URL_COMPONENT.remove(b'/');
    percent_encoding::utf8_percent_encode(path, URL_PATH).to_string()
}

/// Text taken from contracts, written into Markdown that GitHub, GitLab or Gitea will render (a
/// pull-request comment, a job summary, an issue body). What the contract says is shown, never
/// obeyed: no HTML (`<img onerror>`, `</table>`), no images or links, no emphasis or table cells
/// it did not ask for, and no `@org/team` mention that would notify people.
pub mod markdown {
    /// `text` as literal Markdown on one line: HTML characters as entities, Markdown's
    /// punctuation backslash-escaped (and a leading `:`, so that text starting a line of a log
    /// never reads as a workflow command), control characters and line breaks made visible,
    /// and a zero-width space after an `@` that would start a mention.
    #[must_use]
    pub fn literal(text: &str) -> String {
        escape(text, true)
    }

    /// `text` for the inside of an HTML block of rendered Markdown (a `<summary>`), where
    /// Markdown is not parsed: entities for HTML, and mentions broken as in [`literal`].
    #[must_use]
    pub fn in_html(text: &str) -> String {
        escape(text, false)
    }

    fn escape(text: &str, markdown: bool) -> String {
        let text = super::one_line(text);
        let mut out = String::with_capacity(text.len() + 8);
        let mut chars = text.chars().peekable();
        if markdown && text.starts_with(':') {
            out.push('\\');
        }
        while let Some(c) = chars.next() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\\' | '`' | '*' | '_' | '[' | ']' | '!' | '|' | '~' | '#' | '$' | '^' if markdown => {
                    out.push('\\');
                    out.push(c);
                }
                '@' => {
                    out.push('@');
                    if chars.peek().is_some_and(|next| next.is_alphanumeric()) {
                        out.push('\u{200b}');
                    }
                }
                '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
                c => out.push(c),
            }
        }
        out
    }

    /// `text` as a code span on one line, fenced with more backticks than it holds, with `|`
    /// escaped so that it stays inside a table cell.
    #[must_use]
    pub fn code(text: &str) -> String {
        let text = super::one_line(text);
        let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest + 1);
        let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
        format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
    }
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
    fn slugs() {
        assert_eq!(slug("Term and Termination"), "term-and-termination");
        assert_eq!(slug("What the Company doesn't own."), "what-the-company-doesnt-own");
        assert_eq!(slug("[AKA] Business"), "aka-business");
        assert_eq!(slug("  "), "");
    }
}
