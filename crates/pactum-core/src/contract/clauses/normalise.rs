//! Clause text as versions are compared: without numbers, list markers, heading marks, `{#id}`
//! attributes, emphasis and escapes, white space collapsed. Renumbering a clause does not
//! change its text; rewording does.

use std::borrow::Cow;

use super::number::split_heading;
use super::opening::opening;
use super::tree::{Clause, Form};

/// The words of a clause's own text as a reader compares versions.
#[must_use]
pub fn clause_text(file: &str, clause: &Clause) -> String {
    let raw = &file[clause.start..clause.own_end];
    Seen::text(raw, clause.form)
}

/// The clause texts this thread read lately, by their raw Markdown and form: a history walk
/// reads each contract again at every version, and most of its clauses are as they were, so
/// most texts are found here instead of being read again. (The text depends on nothing else:
/// see [`read_text`].)
#[derive(Default)]
struct Seen {
    /// Per form (heading, list item, paragraph): raw Markdown → text.
    texts: [rustc_hash::FxHashMap<Box<str>, String>; 3],
    bytes: usize,
}

/// Past this many bytes of raw text kept, the memory starts again.
const SEEN_BYTES: usize = 4 << 20;

thread_local! {
    static SEEN: std::cell::RefCell<Seen> = std::cell::RefCell::default();
}

impl Seen {
    fn text(raw: &str, form: Form) -> String {
        let kind = match form {
            Form::Heading => 0,
            Form::ListItem => 1,
            Form::Paragraph => 2,
        };
        SEEN.with_borrow_mut(|seen| {
            if let Some(text) = seen.texts[kind].get(raw) {
                return text.clone();
            }
            let text = read_text(raw, form);
            if seen.bytes + raw.len() + text.len() > SEEN_BYTES {
                seen.texts.iter_mut().for_each(rustc_hash::FxHashMap::clear);
                seen.bytes = 0;
            }
            seen.bytes += raw.len() + text.len();
            seen.texts[kind].insert(raw.into(), text.clone());
            text
        })
    }
}

/// The words of a clause's raw Markdown (from its start to where its first child begins), read
/// as a clause of `form`.
fn read_text(raw: &str, form: Form) -> String {
    let (raw, _) = take_anchor(raw);
    let mut rest = raw.trim_start();
    if form == Form::Heading {
        rest = rest.trim_start_matches('#').trim_start();
        let first = rest.lines().next().unwrap_or("");
        let first_text = unescape(first);
        let (_, after) = split_heading(&first_text);
        let tail = &rest[first.len()..];
        return words(&format!("{after}\n{tail}"));
    }
    if form == Form::ListItem {
        // The item's own marker: `12.` or `3)`.
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && matches!(rest.as_bytes().get(digits), Some(b'.' | b')')) {
            rest = rest[digits + 1..].trim_start();
        }
    }
    if let Some(found) = opening(rest) {
        // The rest starts after the number; a bold that opened before the number has lost its
        // opening marks, and loses its closing ones below.
        rest = found.rest;
    }
    words(rest)
}

/// The words of Markdown text as versions are compared: without escapes, emphasis or tags, white
/// space collapsed, and a nested list's trailing marker (`- (a) …` starts a child clause) left
/// to the child.
fn words(markdown: &str) -> String {
    collapse(&strip_markup(&unescape(without_trailing_marker(markdown))))
}

/// The text without a last line that holds only a list marker (`-`, `*`, `+`, `3.`, `3)`): the
/// marker of a nested list whose first item is a child clause. A marker-like word that ends a
/// sentence (`… as specified in Section 8.`) is a word of the clause.
fn without_trailing_marker(markdown: &str) -> &str {
    let body = markdown.trim_end();
    let line_start = body.rfind('\n').map_or(0, |at| at + 1);
    let last = body[line_start..].trim();
    let digits = last.len().saturating_sub(1);
    let marker = matches!(last, "-" | "*" | "+")
        || (digits > 0 && last.ends_with(['.', ')']) && last.as_bytes()[..digits].iter().all(u8::is_ascii_digit));
    if marker { &body[..line_start] } else { markdown }
}

/// The words of text no clause holds (a preamble, an exhibit, a footnote) as versions are
/// compared: each line's heading marks and the `{#id}` attribute taken off, then without
/// escapes, emphasis or tags, white space collapsed. Every word counts: there is no child clause
/// whose marker could end it.
#[must_use]
pub(crate) fn unit_text(raw: &str) -> String {
    let lines: Vec<&str> = raw.lines().map(|line| line.trim_start().trim_start_matches('#')).collect();
    let joined = lines.join("\n");
    let (without_anchor, _) = take_anchor(&joined);
    strip_markup(&unescape(&without_anchor)).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in crate::text::split_words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Text without HTML tags and emphasis marks. An autolink (`<https://…>`, `<mailto:…>`) is text,
/// not a tag: it keeps its address, without the brackets.
#[must_use]
pub(crate) fn strip_markup(text: &str) -> Cow<'_, str> {
    // The marks are ASCII: a byte search finds them, and never inside a character.
    let special = |text: &str| memchr::memchr3(b'<', b'*', b'_', text.as_bytes());
    let Some(first) = special(text) else { return text.into() };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut at = first;
    // Between marks, whole runs of text are copied at once.
    while at < text.len() {
        let rest = &text[at..];
        if rest.starts_with(['*', '_']) {
            at += 1;
        } else if let Some(inner) = rest.strip_prefix('<') {
            let Some(close) = rest.find('>') else {
                // An opened tag never closed hides the rest, as before.
                break;
            };
            if is_autolink(inner) {
                out.push_str(&rest[1..close]);
            }
            at += close + 1;
        } else {
            let run = special(rest).unwrap_or(rest.len());
            out.push_str(&rest[..run]);
            at += run;
        }
    }
    out.into()
}

/// Whether text after a `<` is an autolink up to its `>`: a URI scheme and a colon, or an email
/// address, with no space before the `>`.
fn is_autolink(rest: &str) -> bool {
    let Some(end) = rest.find('>') else { return false };
    let inner = &rest[..end];
    if inner.is_empty() || inner.contains(char::is_whitespace) || inner.contains('<') {
        return false;
    }
    let scheme = inner.split(':').next().unwrap_or("");
    let is_scheme = (2..=32).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        && inner.len() > scheme.len();
    let is_email = inner.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
    is_scheme || is_email
}

/// Text without Markdown's backslash escapes: `3\. Payment` → `3. Payment`.
#[must_use]
pub(crate) fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('\\') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && next.is_ascii_punctuation()
        {
            continue;
        }
        out.push(c);
    }
    out.into()
}

/// Text with HTML character references decoded, as a page shows them: `&ldquo;Contributor&rdquo;`
/// → `“Contributor”`, `Fees &amp; Taxes` → `Fees & Taxes`, `&#167;` → `§`. A reference pactum
/// does not know is left as written.
#[must_use]
pub(crate) fn decode_entities(text: &str) -> Cow<'_, str> {
    // Headings are short: a plain loop finds no `&` sooner than a vector search is set up.
    if !text.bytes().any(|b| b == b'&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest[1..].find(';').filter(|&end| end <= 8).and_then(|end| {
            let name = &rest[1..=end];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "ldquo" => '“',
                "rdquo" => '”',
                "lsquo" => '‘',
                "rsquo" => '’',
                "ndash" => '–',
                "mdash" => '—',
                "sect" => '§',
                "hellip" => '…',
                _ => {
                    let number = name.strip_prefix('#')?;
                    let value = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(value)?
                }
            };
            Some((c, end + 2))
        });
        let (c, length) = decoded.unwrap_or(('&', 1));
        out.push(c);
        rest = &rest[length..];
    }
    out.push_str(rest);
    out.into()
}

/// Remove `{#id}` attributes from a clause's text, returning the text and the first id.
#[must_use]
pub(crate) fn take_anchor(text: &str) -> (Cow<'_, str>, Option<String>) {
    // Most clauses have no `{` at all: one memchr decides.
    let bytes = text.as_bytes();
    let Some(open) = memchr::memchr_iter(b'{', bytes).find(|&at| bytes.get(at + 1) == Some(&b'#')) else {
        return (text.into(), None);
    };
    let Some(close) = text[open..].find('}').map(|c| open + c) else { return (text.into(), None) };
    let id = &text[open + 2..close];
    if id.is_empty() || !id.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')) {
        return (text.into(), None);
    }
    let before = text[..open].trim_end_matches([' ', '\t']);
    (format!("{before}{}", &text[close + 1..]).into(), Some(id.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::{Form, Seen, read_text, strip_markup};

    #[test]
    fn texts_seen_before_are_the_texts_read() {
        let raw = "## 3. Fees {#fees}\n\nThe *Customer* pays.\n";
        for form in [Form::Heading, Form::Paragraph, Form::ListItem] {
            // Read, then found: the same text, and each form's own.
            assert_eq!(Seen::text(raw, form), read_text(raw, form));
            assert_eq!(Seen::text(raw, form), read_text(raw, form));
        }
        assert_ne!(Seen::text(raw, Form::Heading), Seen::text(raw, Form::Paragraph));
        assert_eq!(Seen::text(raw, Form::Heading), "Fees The Customer pays.");
    }

    #[test]
    fn character_references_are_decoded() {
        use super::decode_entities;
        assert_eq!(decode_entities("&ldquo;Contributor&rdquo;"), "“Contributor”");
        assert_eq!(
            decode_entities("Fees &amp; Taxes &#167; 3 &#x2013; AT&T &unknown; &"),
            "Fees & Taxes § 3 – AT&T &unknown; &"
        );
    }

    #[test]
    fn markup_goes_and_autolinks_stay() {
        assert_eq!(strip_markup("**Fees**. Pay _now_ <br/>please"), "Fees. Pay now please");
        assert_eq!(strip_markup("see <https://example.com/terms_v2> now"), "see https://example.com/terms_v2 now");
        assert_eq!(strip_markup("write to <legal@example.com>."), "write to legal@example.com.");
        assert_eq!(strip_markup("<span class=\"x\">kept</span> a > b"), "kept a > b");
        // A tag never closed hides what follows it, as a browser would.
        assert_eq!(strip_markup("before <div unclosed"), "before ");
        assert_eq!(strip_markup("plain text"), "plain text");
    }
}
