//! What is read from a contract's prose: defined terms and their uses, cross-references, and
//! placeholders left from a template.
//!
//! Everything here scans the raw Markdown of the prose ranges the body reader found (never block
//! quotes or code), so every match has an exact byte span in the file.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// A defined term: `(the "**Term**")`, `"**Term**" means`, `("Term")`, `"Term" shall mean`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    pub term: String,
    /// Span of the term's text in its definition.
    #[serde(skip)]
    pub span: Range<usize>,
    /// Further definitions of the same term.
    #[serde(skip)]
    pub redefined: Vec<Range<usize>>,
    /// Number of uses outside its definitions.
    pub uses: usize,
}

/// A cross-reference to a clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The reference as written: `Section 4.3 (Late Payment)`, `[Renewal](#renewal)`.
    pub text: String,
    /// The clause number (`8.1(a)`) or id (`renewal`) it names.
    pub target: String,
    #[serde(skip)]
    pub by_id: bool,
    /// A parenthetical title that must match the clause's heading.
    pub title: Option<String>,
    #[serde(skip)]
    pub span: Range<usize>,
}

/// A placeholder left from a template: `[Company Name]`, `{{ var }}`, `TBD`, `_____`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    pub text: String,
    #[serde(skip)]
    pub span: Range<usize>,
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|error| panic!("built-in pattern {pattern}: {error}"))
}

static URLS: LazyLock<Regex> = LazyLock::new(|| regex(r"(?:https?|mailto|ftp)://[^\s)>\]]+|<[a-z]+:[^>\s]+>"));
/// `“**Term**”`, `"**Term**"`, `**"Term"**`, `“__Term__”`; the closing quote may not match.
static BOLD_TERM: LazyLock<Regex> = LazyLock::new(|| {
    regex(r#"[“"](?:\*\*|__)([^*_\n“”"]{1,80}?)(?:\*\*|__)[”"“]|(?:\*\*|__)[“"]([^*_\n“”"]{1,80}?)[”"“](?:\*\*|__)"#)
});
/// `("Term")`, `(the "Term")`, `(together, "All IP")`, `(the "Company" or the "Individual")`.
static PAREN_TERM: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"\(\s*(?:[A-Za-z]+,?\s+){0,3}?[“"]([A-Z\[][^“”"\n*]{0,60}?)[”"]((?:\s*(?:,|or|and)?\s*(?:the\s+|a\s+|an\s+)?[“"][A-Z\[][^“”"\n*]{0,60}?[”"])*)\s*\)"#,
    )
});
/// `"Term" means`, `"Term" shall mean`, `"Term" shall include`.
static MEANS_TERM: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"[“"]([A-Z\[][^“”"\n*]{0,60}?)[”"]\s+(?:shall(?:,[^,\n]{1,60},)?\s+)?(means|mean|has the meaning|have the meaning|refers to|shall include|includes|include)\b"#,
    )
});
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    let number = r"\d{1,3}(?:\.\d{1,3})*(?:\([a-zA-Z0-9]{1,4}\))*";
    regex(&format!(
        r"(?-u:\b)(?:Sections?|Clauses?|Articles?)\s+({number}(?:(?:\s*,\s*|\s+(?:and|or|through|to)\s+|\s*[-–]\s*){number})*)(?:\s+\(([^()\n]{{1,80}})\))?|§§?\s*({number})"
    ))
});
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"\[([^\[\]\n]{1,80})\]|\{\{[^}\n]{0,80}\}\}|\{%[^%\n]{0,80}%\}|(?-u:\b)TBD(?-u:\b)|_{3,}|＿{2,}|●")
});

/// The prose of a contract: the file's text and the byte ranges of its prose.
///
/// Patterns run once over the region from the first prose range to the last, and keep the
/// matches that lie inside one prose range and outside URLs: one pass over the text instead of
/// one search per paragraph.
pub struct Prose<'a> {
    text: &'a str,
    ranges: Vec<Range<usize>>,
    region: Range<usize>,
    urls: Vec<Range<usize>>,
}

impl<'a> Prose<'a> {
    #[must_use]
    pub fn new(text: &'a str, ranges: &[Range<usize>]) -> Self {
        let mut ranges = ranges.to_vec();
        ranges.sort_by_key(|r| r.start);
        let region = match (ranges.first(), ranges.iter().map(|r| r.end).max()) {
            (Some(first), Some(end)) => first.start..end,
            _ => 0..0,
        };
        let haystack = &text[region.clone()];
        let may_have_urls = memchr::memmem::find(haystack.as_bytes(), b"://").is_some()
            || memchr::memmem::find(haystack.as_bytes(), b"mailto:").is_some();
        let urls = if may_have_urls {
            URLS.find_iter(haystack).map(|m| region.start + m.start()..region.start + m.end()).collect()
        } else {
            Vec::new()
        };
        Self { text, ranges, region, urls }
    }

    /// The region's text and where it starts.
    fn region(&self) -> (usize, &'a str) {
        (self.region.start, &self.text[self.region.clone()])
    }

    /// Whether a match at `span` (file offsets) is prose: inside one prose range, not in a URL.
    fn keeps(&self, span: &Range<usize>) -> bool {
        let after = self.ranges.partition_point(|r| r.start <= span.start);
        let inside = after > 0 && self.ranges[after - 1].end >= span.end;
        inside && !self.urls.iter().any(|u| u.start <= span.start && span.start < u.end)
    }

    /// The parts of the region where a definition can be: around each quotation mark. Every
    /// definition holds a quotation mark, starts at most [`BEFORE_QUOTE`] bytes before its first
    /// one and ends at most [`AFTER_QUOTE`] bytes after it, so running the definition patterns
    /// over these windows finds exactly what a run over the whole region would, in a fraction
    /// of the time (most of a contract is no definition).
    fn quote_windows(&self) -> Vec<Range<usize>> {
        let (start, chunk) = self.region();
        let bytes = chunk.as_bytes();
        let mut windows: Vec<Range<usize>> = Vec::new();
        // `"` and the first byte of `“` (E2 80 9C) and `”` (E2 80 9D).
        for at in memchr::memchr2_iter(b'"', 0xE2, bytes) {
            if bytes[at] == 0xE2
                && !(bytes.get(at + 1) == Some(&0x80) && matches!(bytes.get(at + 2), Some(0x9C | 0x9D)))
            {
                continue;
            }
            let from = crate::text::floor_char_boundary(chunk, at.saturating_sub(BEFORE_QUOTE));
            let to = crate::text::floor_char_boundary(chunk, (at + AFTER_QUOTE).min(chunk.len()));
            match windows.last_mut() {
                Some(last) if last.end >= from => last.end = last.end.max(to),
                _ => windows.push(from..to),
            }
        }
        windows.into_iter().map(|w| start + w.start..start + w.end).collect()
    }

    /// The defined terms, in order of definition, with their uses counted.
    #[must_use]
    pub fn terms(&self) -> Vec<Term> {
        let mut found: Vec<(String, Range<usize>, bool)> = Vec::new();
        for window in self.quote_windows() {
            self.definitions_in(window, &mut found);
        }
        found.sort_by_key(|(_, span, _)| span.start);
        found.dedup_by(|a, b| a.1 == b.1);
        let mut terms: Vec<Term> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (term, span, elaboration) in found {
            if term.is_empty() {
                continue;
            }
            match index.get(&term) {
                // "X" includes … after X was defined elaborates the definition; it is no second one.
                Some(_) if elaboration => {}
                Some(&at) => terms[at].redefined.push(span),
                None => {
                    index.insert(term.clone(), terms.len());
                    terms.push(Term { term, span, redefined: Vec::new(), uses: 0 });
                }
            }
        }
        self.count_uses(&mut terms);
        terms
    }

    fn definitions_in(&self, window: Range<usize>, found: &mut Vec<(String, Range<usize>, bool)>) {
        let start = window.start;
        let chunk = &self.text[window];
        let mut covered: Vec<Range<usize>> = Vec::new();
        let overlaps = |covered: &[Range<usize>], whole: &Range<usize>| {
            covered.iter().any(|c| c.start < whole.end && whole.start < c.end)
        };
        // The patterns find where definitions are; the quoted terms inside are read by hand,
        // which costs far less than capture groups on every match.
        for whole in BOLD_TERM.find_iter(chunk) {
            let at = start + whole.start();
            if !self.keeps(&(at..start + whole.end())) {
                continue;
            }
            if let Some(term) = quoted(whole.as_str()).next() {
                found.push((whole.as_str()[term.clone()].to_owned(), at + term.start..at + term.end, false));
                covered.push(whole.range());
            }
        }
        for whole in PAREN_TERM.find_iter(chunk) {
            let at = start + whole.start();
            if overlaps(&covered, &whole.range()) || !self.keeps(&(at..start + whole.end())) {
                continue;
            }
            for term in quoted(whole.as_str()) {
                found.push((whole.as_str()[term.clone()].to_owned(), at + term.start..at + term.end, false));
            }
            covered.push(whole.range());
        }
        for whole in MEANS_TERM.find_iter(chunk) {
            let at = start + whole.start();
            if overlaps(&covered, &whole.range()) || !self.keeps(&(at..start + whole.end())) {
                continue;
            }
            let text = whole.as_str();
            let Some(term) = quoted(text).next() else { continue };
            let elaboration = text[term.end..].contains("include");
            found.push((text[term.clone()].to_owned(), at + term.start..at + term.end, elaboration));
        }
    }

    fn count_uses(&self, terms: &mut [Term]) {
        if terms.is_empty() {
            return;
        }
        let (start, chunk) = self.region();
        let definitions: Vec<Range<usize>> =
            terms.iter().flat_map(|t| std::iter::once(t.span.clone()).chain(t.redefined.iter().cloned())).collect();
        // Every occurrence of every term, then the longest at each place: "Company IP" is a
        // use of "Company IP", not also of "Company".
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for (index, term) in terms.iter().enumerate() {
            let finder = memchr::memmem::Finder::new(term.term.as_bytes());
            for at in finder.find_iter(chunk.as_bytes()) {
                found.push((at, at + term.term.len(), index));
            }
        }
        found.sort_unstable_by_key(|&(at, end, _)| (at, std::cmp::Reverse(end)));
        let mut covered_to = 0;
        for (at, end, index) in found {
            if at < covered_to {
                continue;
            }
            let before = chunk[..at].chars().next_back();
            if before.is_some_and(char::is_alphanumeric) || !ends_word(&chunk[end..]) {
                continue;
            }
            let span = start + at..start + end;
            if definitions.iter().any(|d| d.start <= span.start && span.start < d.end) || !self.keeps(&span) {
                continue;
            }
            covered_to = end;
            terms[index].uses += 1;
        }
    }

    /// Cross-references by number (`Section 5.2`, `Sections 8.1 and 8.2`, `Section 4.3 (Late
    /// Payment)`); references to other documents (`Section 5 of the MSA`) are left out.
    #[must_use]
    pub fn references(&self) -> Vec<Reference> {
        let (start, chunk) = self.region();
        let mut references = Vec::new();
        for whole in REFERENCE.find_iter(chunk) {
            if !self.keeps(&(start + whole.start()..start + whole.end())) || refers_elsewhere(&chunk[whole.end()..]) {
                continue;
            }
            let text = whole.as_str();
            // `Section 4.3 (Late Payment)`: the title is the parenthesis after the numbers.
            let (list_end, title) =
                match text.strip_suffix(')').and_then(|t| t.rfind(" (").map(|open| (open, &t[open + 2..]))) {
                    Some((open, title))
                        if !title.starts_with(|c: char| c.is_ascii_alphanumeric() && !c.is_ascii_uppercase()) =>
                    {
                        (open, Some(title))
                    }
                    _ => (text.len(), None),
                };
            let numbers = numbers(&text[..list_end]);
            let title = title.filter(|t| numbers.len() == 1 && is_reference_title(t)).map(|t| t.trim().to_owned());
            // Without a title, a trailing "(…)" that is no title is not part of the reference.
            let text_end = if title.is_some() { text.len() } else { list_end };
            let shown = text[..text_end].to_owned();
            for number in numbers {
                references.push(Reference {
                    text: shown.clone(),
                    target: number.to_owned(),
                    by_id: false,
                    title: title.clone(),
                    span: start + whole.start()..start + whole.start() + text_end,
                });
            }
        }
        references
    }

    /// Placeholders left from a template.
    #[must_use]
    pub fn placeholders(&self) -> Vec<Placeholder> {
        let (start, chunk) = self.region();
        let mut placeholders = Vec::new();
        for found in PLACEHOLDER.find_iter(chunk) {
            let span = start + found.start()..start + found.end();
            if !self.keeps(&span) {
                continue;
            }
            let text = found.as_str();
            if text.starts_with('[') && !is_bracket_placeholder(chunk, found.start(), found.end()) {
                continue;
            }
            placeholders.push(Placeholder { text: text.to_owned(), span });
        }
        placeholders
    }
}

/// How far before its first quotation mark a definition can start: `(together, "`.
const BEFORE_QUOTE: usize = 160;
/// How far after its first quotation mark a definition can end: several quoted terms of up to
/// sixty characters (of up to four bytes) in one parenthesis, or a term and its verb.
const AFTER_QUOTE: usize = 1200;

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '”' | '“')
}

/// The spans of the quoted terms in a definition's text, without quotes and bold markers:
/// `(the "**Term**" or the "Other")` → `Term`, `Other`.
fn quoted(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let open = text[at..].find(is_open_quote)? + at;
        let inner = open + text[open..].chars().next()?.len_utf8();
        let close = text[inner..].find(is_close_quote)? + inner;
        at = close + text[close..].chars().next()?.len_utf8();
        let mut term = inner..close;
        let raw = &text[term.clone()];
        let stripped = raw.trim_start_matches(['*', '_', ' ']);
        term.start += raw.len() - stripped.len();
        let stripped = text[term.clone()].trim_end_matches(['*', '_', ' ']);
        term.end = term.start + stripped.len();
        Some(term)
    })
    .filter(|term| !term.is_empty())
}

/// The clause numbers in a reference's list: `5.2, 8.1(a) and 9` → `5.2`, `8.1(a)`, `9`.
fn numbers(list: &str) -> Vec<&str> {
    let bytes = list.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_digit() {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len()
            && (bytes[at].is_ascii_digit() || (bytes[at] == b'.' && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)))
        {
            at += 1;
        }
        while bytes.get(at) == Some(&b'(') {
            match list[at..].find(')') {
                Some(close) if close <= 5 => at += close + 1,
                _ => break,
            }
        }
        out.push(&list[start..at]);
    }
    out
}

/// Whether a term's match ends a word: followed by a non-letter, or by a plural `s` or `es`
/// ("Affiliates" uses "Affiliate").
fn ends_word(after: &str) -> bool {
    let word_end = after.find(|c: char| !c.is_alphanumeric()).unwrap_or(after.len());
    matches!(&after[..word_end], "" | "s" | "es")
}

/// `[Company Name]` is a placeholder; `[link](…)`, `[text][ref]`, `[x]`, `[^1]` and `![alt]` are not.
fn is_bracket_placeholder(chunk: &str, start: usize, end: usize) -> bool {
    let inner = &chunk[start + 1..end - 1];
    let next = chunk[end..].chars().next();
    let previous = chunk[..start].chars().next_back();
    let is_markup = matches!(next, Some('(' | '[' | ':')) || matches!(previous, Some('!' | ']'));
    let is_checkbox = matches!(inner, " " | "x" | "X");
    !(is_markup
        || is_checkbox
        || inner.starts_with('^')
        || inner.trim().is_empty()
        || inner.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether the text after a reference sends it to another document: `of the MSA`, `of title 18`.
fn refers_elsewhere(after: &str) -> bool {
    let after = after.trim_start();
    let Some(rest) = after.strip_prefix("of ") else { return false };
    let rest = rest.trim_start();
    // "of this Agreement" stays inside; "of the Agreement" in an amendment means the amended one.
    !(rest.starts_with("this ") || rest.starts_with("these "))
}

fn is_reference_title(text: &str) -> bool {
    let text = text.trim();
    text.chars().next().is_some_and(char::is_uppercase)
        && text.split_whitespace().count() <= 10
        && !text.contains(['"', '“'])
}

/// The characters of a title as compared: letters and digits in lower case, every run of
/// anything else one space, none at the ends.
pub fn title_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .enumerate()
        .flat_map(|(i, word)| (i > 0).then_some(' ').into_iter().chain(word.chars().flat_map(char::to_lowercase)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> Prose<'_> {
        Prose::new(text, std::slice::from_ref(&(0..text.len())))
    }

    fn terms(text: &str) -> Vec<(String, usize)> {
        prose(text).terms().into_iter().map(|t| (t.term, t.uses)).collect()
    }

    #[test]
    fn definitions_in_every_quoting_style() {
        let text = "This (“**MNDA**”) lets each party (\"**Discloser**\") and **\"Recipient\"** and “**Mismatch**\" and (the \"Company\" or the \"Individual\") and (together, \"All IP\"). \"Materials\" shall mean stuff. \"Officer\" shall, for this Agreement only, include a director. “Confidential Information” means info.";
        let got: Vec<String> = prose(text).terms().into_iter().map(|t| t.term).collect();
        assert_eq!(
            got,
            [
                "MNDA",
                "Discloser",
                "Recipient",
                "Mismatch",
                "Company",
                "Individual",
                "All IP",
                "Materials",
                "Officer",
                "Confidential Information"
            ]
        );
    }

    #[test]
    fn uses_are_whole_words_outside_the_definition() {
        let got = terms(
            "(the \"**Agreement**\") This Agreement and the Agreement’s terms; Agreements count; Agreementary and disagreement do not.",
        );
        assert_eq!(got, [("Agreement".to_owned(), 3)]);
    }

    #[test]
    fn a_second_definition_is_recorded_but_an_elaboration_is_not() {
        let found = prose("(\"Company IP\") x. \"Company IP\" includes ideas. \"Materials\" shall mean a. \"Materials\" shall mean b.").terms();
        assert!(found[0].redefined.is_empty());
        assert_eq!(found[1].redefined.len(), 1);
    }

    #[test]
    fn references_in_every_form() {
        let text = "See Section 5.2, Sections 8.1 and 8.2, Section 8.1(a), Section 4.3 (Late Payment), §7, Section 5 of the MSA, Section 6 of the Agreement, Section 9 of this Agreement, and http://x.test/Section 3.";
        let got: Vec<(String, Option<String>)> =
            prose(text).references().into_iter().map(|r| (r.target, r.title)).collect();
        assert_eq!(
            got,
            [
                ("5.2".into(), None),
                ("8.1".into(), None),
                ("8.2".into(), None),
                ("8.1(a)".into(), None),
                ("4.3".into(), Some("Late Payment".into())),
                ("7".into(), None),
                ("9".into(), None),
            ]
        );
    }

    #[test]
    fn placeholders_but_not_links_or_checkboxes() {
        let text = "[Company Name] and [●] and {{ party }} and TBD and ____ and ＿＿＿ but not [link](x) nor [x] nor [^1] nor [text][ref] nor http://a.test/[x]";
        let got: Vec<String> = prose(text).placeholders().into_iter().map(|p| p.text).collect();
        assert_eq!(got, ["[Company Name]", "[●]", "{{ party }}", "TBD", "____", "＿＿＿"]);
    }

    #[test]
    fn titles_normalise() {
        assert_eq!(title_chars("Warranties: From Supplier.").collect::<String>(), "warranties from supplier");
    }
}
