//! Heading recognition: what names a clause.
//!
//! A heading line names its clause outright. A list item or numbered paragraph is named by its
//! lead-in, written in as many ways as there are drafting styles:
//!
//! ```text
//! **7. Termination.** Either party …      bold around number and heading
//! **7. Termination**. Either party …      the period after the bold
//! **7.2**. Effect. On termination …       bold around the number only
//! **7.3.** Survival.The sections …        no space after the heading's period
//! 7.4 _Audit_. Customer may …             italic lead-in
//! 7.5 Audit Rights. Customer may …        a short title-case lead-in ending with a period
//! 1. <span id="intro">Introduction.</span> This agreement …
//! ```
//!
//! A definition (`2.1 "**Action**" means …`) has no heading, and neither has a sentence that
//! merely starts in bold or wraps its first word in a `<span>`.

use super::normalise::{decode_entities, strip_markup, unescape};
use super::number::{self, Number, Place};
use super::opening::{BoldTail, Opening};

/// A line of its own numbered without a dot, as plain-text agreements set their sections:
/// `1 Definitions`, `5 DISCLAIMER AND LIABILITY`. The text after the number must read as a
/// title, so `2 weeks' notice` and `10 Downing Street, London` open nothing.
#[must_use]
pub(crate) fn undotted_opening(line: &str) -> Option<Opening<'_>> {
    if !line.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let line = line.trim_end();
    if line.contains('\n') {
        return None;
    }
    let (number, consumed) = number::parse(line, Place::Heading)?;
    let rest = line[consumed..].trim_start();
    let title = !rest.is_empty() && rest.split_whitespace().count() <= 8 && is_title_like(rest);
    title.then_some(Opening { number, rest, bold_tail: None })
}

/// A paragraph line that opens with a division word and a number and goes on as a title, as
/// plain-text agreements set their articles: `Article 1 - DEFINITIONS`, `Section 5. Term`,
/// `Part 2 - GENERAL`, `§ 3 Fees` (the words of [`number::after_division_word`]). A sentence that starts with a reference (`Section 5 applies to …`) opens nothing:
/// the text after the number must read as a title, or be nothing at all.
#[must_use]
pub(crate) fn worded_opening(line: &str) -> Option<Opening<'_>> {
    let first = line.lines().next()?.trim_end();
    // Unworded numbers are the paragraph grammar's (`opening`): only the worded form here.
    number::after_division_word(first)?;
    let (segments, rest) = number::split_heading(first);
    let title =
        rest.is_empty() || (rest.split_whitespace().count() <= 10 && is_title_like(rest.trim_end_matches(['.', ':'])));
    title.then_some(Opening { number: Number::Dotted(segments?), rest, bold_tail: None })
}

const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "nor", "but", "of", "to", "for", "in", "on", "by", "with", "from", "at", "as", "vs",
    "via", "per", "upon", "into", "under", "than", "its", "their", "this",
];

/// Whether `text` reads as a title: at most ten words, each capitalised but for small words.
#[must_use]
pub(crate) fn is_title_like(text: &str) -> bool {
    if text.len() > 90 {
        return false;
    }
    let mut letters = false;
    for (i, word) in text.split_whitespace().enumerate() {
        if i >= 10 {
            return false;
        }
        let Some(first) = word.chars().find(|c| c.is_alphanumeric()) else { continue };
        letters = true;
        if first.is_lowercase() {
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
            if i == 0 || !SMALL_WORDS.iter().any(|small| small.eq_ignore_ascii_case(bare)) {
                return false;
            }
        }
    }
    letters
}

/// Whether a line ends a unit of text, so that a number opening the next line opens a clause
/// rather than continuing a sentence ("… under Section\n5.2 above").
#[must_use]
pub(crate) fn ends_unit(line: &str) -> bool {
    let trimmed = line.trim_end();
    // A line of nothing but spaces a Markdown parser does not count as blank (an em space)
    // is a blank line to a reader.
    trimmed.is_empty()
        || trimmed.ends_with(['.', ':', ';'])
        || line.ends_with("  ")
        || line.ends_with('\\')
        || (trimmed.len() <= 60 && is_title_like(trimmed))
}

pub(crate) fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '\'' | '‘')
}

/// The heading of a numbered paragraph or list item from how it opens, and an HTML `id` if a
/// `<span>` carries one.
#[must_use]
pub(crate) fn of_opening(opening: &Opening<'_>, standalone: bool) -> (Option<String>, Option<String>) {
    match opening.bold_tail {
        Some(tail) => (bold_heading(tail, standalone), None),
        None => lead_heading(opening.rest, standalone),
    }
}

/// `**7. Termination.**`, `**7. Termination**.`, `**7 Termination** Either …`: the bold that
/// held the number names the clause when it is short and ends like a heading.
fn bold_heading(tail: BoldTail<'_>, standalone: bool) -> Option<String> {
    let decoded = decode_entities(tail.inner.trim());
    let inner = decoded.as_ref();
    // `**1.1. “Contributor”**` over its definition: the bold that holds the number names the
    // term it defines.
    if let Some(term) = quoted_alone(inner) {
        return Some(clean_heading(term));
    }
    if let Some(heading) = emphasis_heading(inner, tail.after, standalone) {
        return Some(heading);
    }
    (!inner.is_empty() && is_title_like(&strip_markup(inner))).then(|| clean_heading(inner))
}

/// The heading of a clause from the text after its number, and an HTML `id` if a `<span>`
/// carries one.
///
/// A heading is leading bold, italic or `<span>`-wrapped text that ends with a period or stands
/// alone; else a short title-case lead-in that ends with a period or colon, as lawyers write
/// them (`7.2. Audit Rights. Customer may …`). A definition (`"Action" means …`) has none.
#[must_use]
pub(crate) fn lead_heading(rest: &str, standalone: bool) -> (Option<String>, Option<String>) {
    let rest = rest.trim_start();
    if rest.starts_with(is_quote) {
        // `1.1. "Contributor"` on a line of its own, its definition below, names that term.
        let first_line = rest.lines().next().unwrap_or_default();
        let alone = standalone || rest.trim_end().contains('\n');
        return (quoted_alone(first_line).filter(|_| alone).map(clean_heading), None);
    }
    if rest.starts_with("<span") {
        return span_heading(rest, standalone);
    }
    for marker in ["**", "__", "*", "_"] {
        if let Some(inner_start) = rest.strip_prefix(marker) {
            let Some(close) = crate::text::find_mark(inner_start, marker) else { continue };
            let inner = &inner_start[..close];
            let after = &inner_start[close + marker.len()..];
            return (emphasis_heading(inner, after, standalone), None);
        }
    }
    (plain_heading(rest, standalone), None)
}

fn emphasis_heading(inner: &str, after: &str, standalone: bool) -> Option<String> {
    let inner = inner.trim().trim_matches(['*', '_']).trim();
    if inner.is_empty() || inner.starts_with(is_quote) {
        return None;
    }
    // `**Disclaimer. Confidential Information is provided …**`: the heading is the first sentence.
    if let Some(stop) = crate::text::find_mark(inner, ". ") {
        let first = &inner[..stop];
        return (first.split_whitespace().count() <= 12).then(|| clean_heading(first));
    }
    let after = after.trim_start();
    // `*Access and use* - Company acknowledges …`: a dash after the emphasis ends it too.
    let dash = after.starts_with(['-', '—', '–']) && after.chars().nth(1).is_some_and(char::is_whitespace);
    let ends = inner.ends_with(['.', ':']) || after.starts_with(['.', ':']) || dash || after.is_empty() && standalone;
    (ends && inner.split_whitespace().count() <= 16).then(|| clean_heading(inner))
}

fn span_heading(rest: &str, standalone: bool) -> (Option<String>, Option<String>) {
    let Some(tag_end) = rest.find('>') else { return (None, None) };
    let tag = &rest[..tag_end];
    let id = attribute(tag, "id");
    let Some(close) = rest[tag_end..].find("</span>") else { return (None, id) };
    let inner = &rest[tag_end + 1..tag_end + close];
    let after = rest[tag_end + close + "</span>".len()..].trim_start();
    let inner = strip_markup(inner);
    let ends = inner.trim_end().ends_with('.') || after.starts_with(['.', ':']) || (after.is_empty() && standalone);
    let heading = (ends && !inner.trim().is_empty()).then(|| clean_heading(&inner));
    (heading, id)
}

/// The term of a text that is nothing but one quoted term: `“Contributor”` → `Contributor`.
fn quoted_alone(text: &str) -> Option<&str> {
    let text = text.trim().trim_end_matches(['.', ':']).trim_end();
    let open = text.chars().next().filter(|c| is_quote(*c))?;
    let close = text.chars().last().filter(|c| is_quote(*c))?;
    // A lone quotation mark is both the first and the last character: no term.
    let inner = text.get(open.len_utf8()..text.len().checked_sub(close.len_utf8())?)?;
    (!inner.trim().is_empty() && !inner.contains(is_quote) && inner.split_whitespace().count() <= 8).then_some(inner)
}

/// The run-in heading of a lettered item, which drafters write in sentence case and end with
/// any punctuation: `(b) Platform agnostic. We …`, `(c) Academic members: The …`, `(d)
/// Composition – the Board …`. A short lead-in that starts with a capital and holds no verb a
/// sentence needs (`(a) Customer will pay.` is a sentence); lower-case items continue the
/// sentence before them and have none.
#[must_use]
pub(crate) fn lettered_heading(rest: &str) -> Option<String> {
    let rest = rest.trim_start();
    if !rest.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let first_line = rest.lines().next().unwrap_or_default();
    let cut = (0..=first_line.len().min(160)).rev().find(|&at| first_line.is_char_boundary(at)).unwrap_or(0);
    let first_line = &first_line[..cut];
    let stops = [". ", ": ", " – ", " — ", " - ", "- "];
    let (stop, mark) = stops.iter().filter_map(|mark| first_line.find(mark).map(|at| (at, *mark))).min()?;
    let lead = &first_line[..stop];
    let after = first_line[stop + mark.len()..].trim_start();
    let words: Vec<&str> = lead.split_whitespace().collect();
    let dash = mark.trim() != "." && mark.trim() != ":";
    let fits = !words.is_empty()
        && words.len() <= 8
        && !lead.contains(is_quote)
        && !has_sentence_word(lead)
        // After a period or colon the sentence starts again with a capital; after a dash it
        // may run on in lower case.
        && (dash || after.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()));
    fits.then(|| clean_heading(lead))
}

/// The value of attribute `name` in an HTML tag.
#[must_use]
pub(crate) fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    let value = &tag[at..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    let end = value.find(quote)?;
    Some(value[..end].to_owned())
}

fn plain_heading(rest: &str, standalone: bool) -> Option<String> {
    let first_line = rest.lines().next().unwrap_or("");
    // A heading is at most ninety characters: look no further for its end.
    let bytes = &first_line.as_bytes()[..first_line.len().min(120)];
    // A period or colon ends the lead-in before white space, or before a capital where the
    // space was forgotten (`Survival.The sections …`, but not `U.S.`).
    // An abbreviation's period (`U.S.`, `Inc.`'s single letters) ends nothing.
    let abbreviation = |i: usize| {
        let word_start = bytes[..i].iter().rposition(u8::is_ascii_whitespace).map_or(0, |s| s + 1);
        let word = &bytes[word_start..i];
        word.contains(&b'.') || word.len() == 1
    };
    let stop = (0..bytes.len()).find(|&i| {
        matches!(bytes[i], b'.' | b':')
            && match bytes.get(i + 1) {
                None => true,
                Some(next) if next.is_ascii_whitespace() => true,
                Some(next) => next.is_ascii_uppercase() && i > 1 && bytes[i - 1].is_ascii_lowercase(),
            }
            && !(bytes[i] == b'.' && abbreviation(i))
    });
    // `5.1 DISCLAIMER OF WARRANTY -- The Covered Source …`: a dash after a title ends it too.
    let dash = dash_stop(first_line);
    let stop = match (stop, dash) {
        (Some(stop), Some(dash)) => Some(stop.min(dash)),
        (stop, dash) => stop.or(dash),
    };
    // A line of its own is a heading also in sentence case (`2. Scope of the rights granted by
    // the Licence`), when it ends with no period and has no verb a sentence needs:
    // the paragraph is that line alone, or the text after it starts a sentence on the next line
    // (`1.  Definitions` over `The terms …`). A title wrapped over two lines of a paragraph of
    // its own is one heading.
    let alone = standalone || opens_sentence_below(rest);
    if stop.is_none()
        && !standalone
        && let Some(wrapped) = wrapped_title(rest)
    {
        return Some(clean_heading(&wrapped));
    }
    let candidate = match stop {
        Some(stop) => &first_line[..stop],
        None if alone => first_line,
        None => return None,
    };
    let candidate = strip_markup(candidate);
    let candidate = candidate.trim().trim_end_matches(['*', ' ']);
    // A sentence broken at the end of a line (`This Licence governs the use, copying,
    // modification, Conveying of`) is none: no comma, and no small word at its end.
    let ends_mid_sentence = || {
        candidate.split_whitespace().next_back().is_some_and(|last| SMALL_WORDS.contains(&last) || last.ends_with(','))
    };
    let line_heading = stop.is_none()
        && alone
        && candidate.starts_with(|c: char| c.is_uppercase())
        && !candidate.contains([',', ';'])
        && !ends_mid_sentence()
        && candidate.split_whitespace().count() <= 10
        && !has_sentence_word(candidate);
    ((line_heading || is_title_like(candidate)) && !candidate.starts_with(is_quote)).then(|| clean_heading(candidate))
}

/// Where ` -- `, ` — ` or ` – ` first stands in `line`, found by one byte search.
fn dash_stop(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    memchr::memchr2_iter(b'-', 0xE2, bytes).find_map(|at| {
        let rest = line.get(at..)?;
        let length = if rest.starts_with("--") {
            2
        } else if rest.starts_with(['—', '–']) {
            '—'.len_utf8()
        } else {
            return None;
        };
        (at > 0 && bytes[at - 1] == b' ' && bytes.get(at + length) == Some(&b' ')).then(|| at - 1)
    })
}

/// A title wrapped over the two lines of a paragraph of its own: `Distributing Source Code Form
/// that is Incompatible With Secondary` / `Licenses`.
fn wrapped_title(rest: &str) -> Option<String> {
    let mut lines = rest.trim_end().lines();
    let (first, second) = (lines.next()?.trim(), lines.next()?.trim());
    if lines.next().is_some() || first.ends_with(['.', ':', ';', ',']) {
        return None;
    }
    // The second line continues a title (`Licenses`) and ends no sentence, and most words are
    // capitalised: not `The terms mean this.`, nor `The Customer pays the fee` / `monthly`.
    let words = first.split_whitespace().chain(second.split_whitespace());
    let (count, capitalised) =
        words.fold((0, 0), |(n, c), w| (n + 1, c + usize::from(w.starts_with(|ch: char| ch.is_uppercase()))));
    let fits = count <= 14
        && second.split_whitespace().count() <= 4
        && first.len() + second.len() < 110
        && first.starts_with(|c: char| c.is_uppercase())
        && second.starts_with(|c: char| c.is_uppercase())
        && capitalised * 10 >= count * 6
        && !second.ends_with(['.', ',', ';', ':']);
    fits.then(|| format!("{first} {second}"))
}

/// Words that make a lead-in a sentence rather than a title: auxiliaries, modals, pronouns.
const SENTENCE_WORDS: &[&str] = &[
    "will", "shall", "may", "must", "can", "is", "are", "was", "were", "be", "has", "have", "had", "does", "do", "not",
    "we", "you", "it", "they", "he", "she", "i", "means", "includes", "if", "when", "unless",
];

fn has_sentence_word(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        let word = w.trim_matches(|c: char| !c.is_alphanumeric());
        SENTENCE_WORDS.iter().any(|s| s.eq_ignore_ascii_case(word))
    })
}

/// Whether the line after the first starts a sentence: the first line then stands as a line of
/// its own, as plain-text agreements set their headings.
fn opens_sentence_below(rest: &str) -> bool {
    let mut lines = rest.lines();
    let first = lines.next().unwrap_or_default().trim_end();
    let next = lines.next().map(str::trim_start).unwrap_or_default();
    !first.is_empty()
        && first.len() <= 90
        && !first.ends_with([',', ';', ':'])
        && !first.split_whitespace().last().is_some_and(|last| SMALL_WORDS.contains(&last))
        && next.starts_with(|c: char| c.is_uppercase() || is_quote(c))
}

/// A heading as shown: markup, escapes and a closing period or colon removed, white space
/// collapsed.
#[must_use]
pub(crate) fn clean_heading(text: &str) -> String {
    let text = strip_markup(text);
    // One look at the bytes says what else is needed: references to decode, spaces to collapse.
    let (mut entity, mut collapse, mut space) = (false, false, false);
    for &byte in text.as_bytes() {
        entity |= byte == b'&';
        collapse |= matches!(byte, b'\t' | b'\n' | b'\r') || (space && byte == b' ');
        space = byte == b' ';
    }
    let text = if entity { decode_entities(&text).into_owned().into() } else { text };
    let text = unescape(&text);
    let text = text.trim().trim_end_matches(['.', ':']);
    if !collapse {
        return text.trim_end().to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The text of a heading line without its `#` marks, closing `#`s, `{#id}` attributes and
/// Markdown escapes; a setext heading's underline is dropped.
#[must_use]
pub(crate) fn heading_text(raw: &str) -> String {
    let joined: std::borrow::Cow<'_, str> = if raw.trim_end().contains('\n') {
        let mut lines: Vec<&str> = raw.lines().collect();
        if lines.last().is_some_and(|l| l.trim().chars().all(|c| c == '=' || c == '-')) {
            lines.pop();
        }
        lines.join(" ").into()
    } else {
        raw.into()
    };
    let mut text = joined.trim().trim_start_matches('#').trim();
    if let Some(open) = text.rfind('{')
        && text.ends_with('}')
    {
        text = text[..open].trim_end();
    }
    let text = text.trim_end_matches('#').trim_end();
    decode_entities(&unescape(strip_markup(text).trim())).into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::opening::opening;
    use super::*;

    fn heading_of(line: &str) -> Option<String> {
        let opening = opening(line).expect("a number");
        of_opening(&opening, line.lines().count() <= 1).0
    }

    #[test]
    fn bold_run_in_headings_in_every_punctuation() {
        let cases = [
            ("**7. Termination.** Either party may end it.", "Termination"),
            ("**7. Termination**. Either party may end it.", "Termination"),
            ("**7.2**. Effect. On termination, access ends.", "Effect"),
            ("**7.3.** Survival.The sections survive.", "Survival"),
            ("**7 Termination** Either party may end it.", "Termination"),
            ("**X2-3. Transfers**", "Transfers"),
            ("7.4 _Audit_. Customer may audit.", "Audit"),
            ("7.5 *Access and use* - Company acknowledges it.", "Access and use"),
        ];
        for (line, expected) in cases {
            assert_eq!(heading_of(line).as_deref(), Some(expected), "{line}");
        }
    }

    #[test]
    fn sentences_in_bold_are_no_headings() {
        assert_eq!(heading_of("**1. The parties agree that** the fee is due."), None);
        assert_eq!(heading_of("1. U.S. law applies to the Services."), None);
    }

    #[test]
    fn dashes_end_a_title() {
        assert_eq!(dash_stop("DISCLAIMER -- The"), Some(10));
        assert_eq!(dash_stop("Composition – the Board"), Some(11));
        assert_eq!(dash_stop("Composition — the Board"), Some(11));
        assert_eq!(dash_stop("non--stop and a-b and ’quote’"), None);
        assert_eq!(dash_stop("-- at the start"), None);
    }

    #[test]
    fn a_long_line_of_wide_characters_is_cut_on_a_character() {
        let line = format!("Ü{}. Rest", "é".repeat(120));
        assert_eq!(lettered_heading(&line), None);
    }

    #[test]
    fn a_lone_quotation_mark_is_no_quoted_term() {
        for text in ["“", "\"", "“”", "“ ”"] {
            assert_eq!(quoted_alone(text), None, "{text}");
        }
        assert_eq!(quoted_alone("“Contributor”"), Some("Contributor"));
    }

    #[test]
    fn heading_lines_lose_marks_and_escapes() {
        assert_eq!(heading_text("## 3\\. Payment {#pay}"), "3. Payment");
        assert_eq!(heading_text("3\\. Payment\n---"), "3. Payment");
        assert_eq!(heading_text("### **5.2** Renewal ###"), "5.2 Renewal");
    }
}
