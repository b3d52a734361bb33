//! What is read from a contract's prose: defined terms and their uses, cross-references, and
//! placeholders left from a template.
//!
//! Everything here scans the raw Markdown of the prose ranges the body reader found (never block
//! quotes or code), so every match has an exact byte span in the file.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::contract::clauses::number::parse_reference;
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
    /// Where it is used, outside its definitions, in order (written out as the number of uses).
    #[serde(rename = "uses", serialize_with = "count")]
    pub used: Vec<Range<usize>>,
}

impl Term {
    /// How often it is used outside its definitions.
    #[must_use]
    pub fn uses(&self) -> usize {
        self.used.len()
    }
}

fn count<S: serde::Serializer>(used: &[Range<usize>], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(used.len() as u64)
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
    /// The number closes a range (`9` in `3 through 9`).
    #[serde(skip)]
    pub(crate) range_end: bool,
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
/// With the single quotes of British drafting: `‘Term’ means`. (Repetitions are unbounded
/// here and below, and the term's length checked after the match: a bounded repetition of a
/// Unicode class multiplies the pattern's compiled size by its bound.)
static SINGLE_QUOTED_MEANS_TERM: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"‘([A-Z\[][^‘’“”\n*]*?)’\s+(?:shall\s+)?(?:means|mean|has the meaning|have the meaning|refers to)\b")
});
/// `**Affiliate** means`, `__Adapted Material__ means`: a bold term without quotes, defined by
/// the verb after it.
static BOLD_MEANS_TERM: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?:\*\*|__)[A-Z][^*_\n]*?(?:\*\*|__)\s+(?:shall\s+)?(?:means|mean|has the meaning|have the meaning|refers to)\b",
    )
});
/// The longest term a definition pattern accepts, in bytes.
const MAX_TERM: usize = 240;

/// Up to this many defined terms, their uses are found by one search per term; past it, by one
/// pass over the words (the cost of the first grows with the number of terms).
const FEW_TERMS: usize = 32;

/// Where a cross-reference starts: the word that announces a clause number. The number after
/// it is read by the clause-number grammar, so a reference cites exactly what a heading or
/// paragraph can number.
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| regex(r"(?-u:\b)(?:Sections?|Clauses?|Articles?)\s+|§§?\s*"));
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"\[([^\[\]\n]{1,80})\]|\{\{[^}\n]{0,80}\}\}|\{%[^%\n]{0,80}%\}|(?-u:\b)TBD(?-u:\b)|_{3,}|＿{2,}|●")
});

/// The prose of a contract: the file's text and the byte ranges of its prose.
///
/// Patterns run once over the region from the first prose range to the last, and keep the
/// matches that lie inside one prose range and outside URLs: one pass over the text instead of
/// one search per paragraph.
pub(crate) struct Prose<'a> {
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
        // The URLs are found in order and never overlap.
        let url = self.urls.partition_point(|u| u.start <= span.start);
        inside && !(url > 0 && span.start < self.urls[url - 1].end)
    }

    /// The parts of the region where a definition can be: around each quotation mark, and
    /// before each defining verb (`means`, `refers to`) for bold terms without quotes. Every
    /// definition holds one of them, starts at most [`BEFORE_QUOTE`] bytes before it and ends at
    /// most [`AFTER_QUOTE`] bytes after it, so running the definition patterns over these
    /// windows finds exactly what a run over the whole region would, in a fraction of the time
    /// (most of a contract is no definition).
    fn definition_windows(&self) -> Vec<Range<usize>> {
        let (start, chunk) = self.region();
        let bytes = chunk.as_bytes();
        // `"` and the first byte of `“` (E2 80 9C), `”` (E2 80 9D) and `‘` (E2 80 98).
        let quotes = memchr::memchr2_iter(b'"', 0xE2, bytes).filter(|&at| {
            bytes[at] == b'"'
                || (bytes.get(at + 1) == Some(&0x80) && matches!(bytes.get(at + 2), Some(0x98 | 0x9C | 0x9D)))
        });
        let verbs = [&b" mean"[..], b" refers to", b" has the meaning", b" have the meaning"]
            .into_iter()
            .flat_map(|verb| memchr::memmem::find_iter(bytes, verb));
        let mut marks: Vec<usize> = quotes.chain(verbs).collect();
        marks.sort_unstable();
        let mut windows: Vec<Range<usize>> = Vec::new();
        for at in marks {
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
        for window in self.definition_windows() {
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
                    terms.push(Term { term, span, redefined: Vec::new(), used: Vec::new() });
                }
            }
        }
        self.count_uses(&mut terms);
        terms
    }

    fn definitions_in(&self, window: Range<usize>, found: &mut Vec<(String, Range<usize>, bool)>) {
        let start = window.start;
        let chunk = &self.text[window];
        // What definitions found so far cover, start to end; the ranges never overlap, so the
        // one starting last before a range ends is the only one that can overlap it.
        let mut covered: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        let overlaps = |covered: &std::collections::BTreeMap<usize, usize>, whole: &Range<usize>| {
            covered.range(..whole.end).next_back().is_some_and(|(_, &end)| end > whole.start)
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
                covered.insert(whole.start(), whole.end());
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
            covered.insert(whole.start(), whole.end());
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
            covered.insert(whole.start(), whole.end());
        }
        for whole in SINGLE_QUOTED_MEANS_TERM.find_iter(chunk) {
            let at = start + whole.start();
            if overlaps(&covered, &whole.range()) || !self.keeps(&(at..start + whole.end())) {
                continue;
            }
            let text = whole.as_str();
            let Some(term) = quoted(text).next().filter(|term| term.len() <= MAX_TERM) else { continue };
            found.push((text[term.clone()].to_owned(), at + term.start..at + term.end, false));
            covered.insert(whole.start(), whole.end());
        }
        for whole in BOLD_MEANS_TERM.find_iter(chunk) {
            let at = start + whole.start();
            if overlaps(&covered, &whole.range()) || !self.keeps(&(at..start + whole.end())) {
                continue;
            }
            // `**Term** means`: the term is between the opening marks and the next closing ones.
            let text = whole.as_str();
            let Some(close) = text[2..].find(&text[..2]).map(|c| c + 2) else { continue };
            let term = text[2..close].trim();
            if term.len() <= MAX_TERM {
                let term_start = at + 2 + (text[2..close].len() - text[2..close].trim_start().len());
                found.push((term.to_owned(), term_start..term_start + term.len(), false));
            }
        }
    }

    fn count_uses(&self, terms: &mut [Term]) {
        if terms.is_empty() {
            return;
        }
        let (start, chunk) = self.region();
        // Definitions sorted by start, with the furthest end reached so far: whether a place
        // lies inside one is a binary search, whatever the number of terms.
        let mut definitions: Vec<Range<usize>> =
            terms.iter().flat_map(|t| std::iter::once(t.span.clone()).chain(t.redefined.iter().cloned())).collect();
        definitions.sort_unstable_by_key(|d| d.start);
        let reach: Vec<usize> = definitions
            .iter()
            .scan(0, |furthest, d| {
                *furthest = (*furthest).max(d.end);
                Some(*furthest)
            })
            .collect();
        let in_definition = |at: usize| {
            let before = definitions.partition_point(|d| d.start <= at);
            before > 0 && reach[before - 1] > at
        };
        // Every place a term stands, then the longest at each place that is no part of a use
        // already counted: "Company IP" is a use of "Company IP", not also of "Company".
        let mut found = if terms.len() <= FEW_TERMS {
            occurrences_by_search(chunk, terms)
        } else {
            occurrences_at_words(chunk, terms)
        };
        found.sort_unstable_by_key(|&(at, end, _)| (at, std::cmp::Reverse(end)));
        let mut covered_to = 0;
        for (at, end, index) in found {
            let before = chunk[..at].chars().next_back();
            if at < covered_to || before.is_some_and(char::is_alphanumeric) || !ends_word(&chunk[end..]) {
                continue;
            }
            let span = start + at..start + end;
            if in_definition(span.start) || !self.keeps(&span) {
                continue;
            }
            covered_to = end;
            terms[index].used.push(span);
        }
    }

    /// Cross-references by number (`Section 5.2`, `Sections 8.1 and 8.2`, `Section 4.3 (Late
    /// Payment)`, `Section B.2`); citations of other instruments (`Section 5 of the MSA`, `48
    /// C.F.R. § 2.101`, `Article 28 GDPR`) are left out.
    #[must_use]
    pub fn references(&self) -> Vec<Reference> {
        let (start, chunk) = self.region();
        let mut found: Vec<Found> = Vec::new();
        for keyword in REFERENCE.find_iter(chunk) {
            if found.last().is_some_and(|last| keyword.start() < last.end) {
                continue;
            }
            let Some(mut reference) = read_reference(chunk, keyword.start(), keyword.end()) else { continue };
            if !self.keeps(&(start + reference.start..start + reference.end)) {
                continue;
            }
            reference.elsewhere = cites_instrument(&chunk[..reference.start], &chunk[reference.end..]);
            found.push(reference);
        }
        // `Clause 8.1(d) and Clause 8.5 of the SCCs`: the instrument named at the end of a
        // chain of references is the instrument of every reference in it.
        // A chain ends in `and` or `or` before its last reference (`Article 6, Article 7 and
        // Article 9 of the GDPR`); references separated by commas alone are a series of their own.
        let mut in_chain = false;
        for index in (1..found.len()).rev() {
            let joint = &chunk[found[index - 1].end..found[index].start];
            in_chain = match is_list_joint(joint) {
                Some(conjunction) => found[index].elsewhere && (conjunction || in_chain),
                None => false,
            };
            if in_chain {
                found[index - 1].elsewhere = true;
            }
        }
        // `such Section 365(n)` after `Section 365(n) of the Bankruptcy Code` cites the same
        // instrument again.
        let mut cited_elsewhere: Vec<usize> = Vec::new();
        for index in 0..found.len() {
            if found[index].elsewhere {
                cited_elsewhere.push(index);
            } else if !cited_elsewhere.is_empty()
                && cited_elsewhere.iter().any(|&earlier| found[earlier].numbers == found[index].numbers)
                && refers_back(&chunk[..found[index].start])
            {
                found[index].elsewhere = true;
            }
        }
        let mut references = Vec::new();
        for reference in found.into_iter().filter(|r| !r.elsewhere) {
            let span = start + reference.start..start + reference.end;
            let text = chunk[reference.start..reference.end].to_owned();
            for (index, target) in reference.numbers.into_iter().enumerate() {
                let range_end = !reference.range_ends.is_empty() && reference.range_ends.contains(&index);
                references.push(Reference {
                    text: text.clone(),
                    target,
                    by_id: false,
                    title: reference.title.clone(),
                    span: span.clone(),
                    range_end,
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
            if text.starts_with('_') && is_emphasis_run(chunk, found.start(), found.end()) {
                continue;
            }
            // `{{#tip}}`, `{{/tip}}`, `{{else}}`: a template's block tags hold no value to fill.
            if let Some(inner) = text.strip_prefix("{{")
                && (inner.trim_start().starts_with(['#', '/', '^', '!', '>']) || inner.trim_start().starts_with("else"))
            {
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
    matches!(c, '"' | '“' | '‘')
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
        let opener = text[open..].chars().next()?;
        let inner = open + opener.len_utf8();
        // A single quote closes only a single quote: `’` is also the apostrophe of `Licensor’s`.
        let close = if opener == '‘' { text[inner..].find('’') } else { text[inner..].find(is_close_quote) }? + inner;
        at = close + text[close..].chars().next()?.len_utf8();
        let mut term = inner..close;
        let raw = &text[term.clone()];
        let stripped = raw.trim_start_matches(['*', '_', ' ']);
        term.start += raw.len() - stripped.len();
        // `(“Terms,” “Agreement”)`: American punctuation inside the quotes is no part of the term.
        let stripped = text[term.clone()].trim_end_matches(['*', '_', ' ', ',', ';', '.']);
        term.end = term.start + stripped.len();
        Some(term)
    })
    .filter(|term| !term.is_empty())
}

/// A reference as read: its extent in the region, the numbers it cites, its title.
struct Found {
    start: usize,
    end: usize,
    numbers: Vec<String>,
    /// The numbers that close a range (`9` in `3 through 9`), by index; empty for most.
    range_ends: Vec<usize>,
    title: Option<String>,
    elsewhere: bool,
}

/// The reference whose keyword spans `keyword_start..numbers_start`: a list of numbers
/// (`5.2, 8.1(a) and 9`, `8.1 through 8.4`) and an optional parenthetical title.
fn read_reference(chunk: &str, keyword_start: usize, numbers_start: usize) -> Option<Found> {
    let mut at = numbers_start;
    let mut numbers = Vec::new();
    let mut range_ends: Vec<usize> = Vec::new();
    let mut closes_range = false;
    loop {
        let (number, length) = parse_reference(&chunk[at..])?;
        numbers.push(number);
        if closes_range {
            range_ends.push(numbers.len() - 1);
        }
        at += length;
        let Some(next) = list_continues(&chunk[at..]) else { break };
        if parse_reference(&chunk[at + next..]).is_none() {
            break;
        }
        closes_range = [" through ", " to ", "–", "-"].iter().any(|joint| chunk[at..].starts_with(joint));
        at += next;
    }
    let mut end = at;
    // `Section 4.3 (Late Payment)`: the title is the parenthesis after a single number.
    let mut title = None;
    if numbers.len() == 1
        && let Some(open) = chunk[at..].strip_prefix(" (").map(|_| at + 2)
        && let Some(close) = chunk[open..].find([')', '(', '\n']).map(|c| open + c)
        && chunk.as_bytes()[close] == b')'
        && close - open <= 80
        && is_reference_title(&chunk[open..close])
    {
        title = Some(chunk[open..close].trim().to_owned());
        end = close + 1;
    }
    Some(Found { start: keyword_start, end, numbers, range_ends, title, elsewhere: false })
}

/// How many bytes of `after` join one number of a list to the next: `, `, ` and `, `, and `,
/// ` or `, ` through `, ` to `, `–`.
fn list_continues(after: &str) -> Option<usize> {
    const JOINTS: [&str; 9] = [", and ", ", or ", ", ", " and ", " or ", " through ", " to ", "–", "-"];
    // Most references end a sentence or run on in words: one look at the first bytes says so.
    match after.as_bytes() {
        [b',' | b'-' | 0xE2, ..] | [b' ', b'a' | b'o' | b't', ..] => {
            JOINTS.iter().find(|joint| after.starts_with(**joint)).map(|joint| joint.len())
        }
        _ => None,
    }
}

/// Whether the text between two references only joins them into one list, and whether it
/// does so with a conjunction (`and`, `or`) rather than a comma alone.
fn is_list_joint(between: &str) -> Option<bool> {
    // Looked at only when short: the text between two references is usually a paragraph.
    if between.len() > 12 {
        return None;
    }
    match between.trim_matches(|c: char| c.is_whitespace() || c == ',') {
        "" => Some(false),
        "and" | "or" | "&" => Some(true),
        _ => None,
    }
}

/// Whether a reference cites another instrument rather than this contract: `Section 5 of the
/// MSA`, `Article 28 GDPR`, `48 C.F.R. § 2.101`, `Cal. Civ. Code § 1798.100`.
fn cites_instrument(before: &str, after: &str) -> bool {
    refers_elsewhere(after) || named_before(before) || named_after(after)
}

/// An instrument named just before the reference: an abbreviation with inner dots (`U.S.C.`,
/// `C.F.R.`), an acronym (`CFR`, `GDPR`), or a word such as `Code`, `Act` or `Regulation`.
fn named_before(before: &str) -> bool {
    let Some(word) = before.trim_end().rsplit(char::is_whitespace).next() else { return false };
    let word = word.trim_end_matches([',', ';']);
    let letters = word.chars().filter(char::is_ascii_alphabetic).count();
    let inner_dots = word.trim_end_matches('.').contains('.');
    (inner_dots && letters >= 2)
        || (letters >= 2 && word.chars().all(|c| c.is_ascii_uppercase()) && !is_shouted_word(word))
        || matches!(
            word,
            "Code" | "Act" | "Regulation" | "Regulations" | "Directive" | "Rules" | "Treaty" | "Convention"
        )
}

/// An instrument named just after the reference: `Article 28 GDPR`, `Section 5 DPA`.
fn named_after(after: &str) -> bool {
    let word: String = after.trim_start().chars().take_while(char::is_ascii_alphanumeric).collect();
    after.starts_with(' ')
        && word.len() >= 2
        && word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && !is_shouted_word(&word)
}

/// Capitalised words of running text written in capitals (`SECTION 5 AND SECTION 6`), which
/// name no instrument.
fn is_shouted_word(word: &str) -> bool {
    matches!(
        word,
        "AND"
            | "OR"
            | "OF"
            | "THE"
            | "TO"
            | "IN"
            | "IS"
            | "ARE"
            | "SHALL"
            | "WILL"
            | "NOT"
            | "ANY"
            | "IF"
            | "BY"
            | "FOR"
            | "AS"
            | "ON"
            | "AT"
            | "NO"
            | "BE"
            | "UNDER"
            | "WITH"
            | "FROM"
            | "PER"
            | "EXCEPT"
            | "SEE"
            | "PURSUANT"
            | "PROVIDED"
            | "INCLUDING"
            | "UNLESS"
            | "WITHOUT"
            | "THAN"
            | "THIS"
            | "THAT"
            | "SUCH"
            | "ABOVE"
            | "BELOW"
            | "HEREIN"
            | "HEREOF"
            | "HEREUNDER"
    )
}

/// Whether a term's match ends a word: followed by a non-letter, or by a plural `s` or `es`
/// ("Affiliates" uses "Affiliate").
/// Where each term stands in `chunk`, as (start, end, term): one vectorised search per term,
/// the fastest way for the few terms most contracts define.
fn occurrences_by_search(chunk: &str, terms: &[Term]) -> Vec<(usize, usize, usize)> {
    let mut found = Vec::new();
    for (index, term) in terms.iter().enumerate() {
        for at in memchr::memmem::find_iter(chunk.as_bytes(), term.term.as_bytes()) {
            found.push((at, at + term.term.len(), index));
        }
    }
    found
}

/// Where each term stands in `chunk` at the start of a word and ends where a word does (or
/// before a plural's "s"/"es"): one pass over the words, whatever the number of terms. A word
/// whose first character starts no term (most words: defined terms are capitalised) is passed
/// over at once, and only word ends of a term's length are looked up.
fn occurrences_at_words(chunk: &str, terms: &[Term]) -> Vec<(usize, usize, usize)> {
    let mut index: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    let mut first_words: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let mut lengths: Vec<bool> = Vec::new();
    let mut ascii_starts = [false; 128];
    let mut non_ascii_starts = false;
    for (at, term) in terms.iter().enumerate() {
        match term.term.chars().next() {
            Some(c) if c.is_ascii() => ascii_starts[c as usize] = true,
            Some(_) => non_ascii_starts = true,
            None => continue,
        }
        let word_end = term.term.find(|c: char| !c.is_alphanumeric()).unwrap_or(term.term.len());
        first_words.insert(&term.term[..word_end]);
        index.insert(&term.term, at);
        if lengths.len() <= term.term.len() {
            lengths.resize(term.term.len() + 1, false);
        }
        lengths[term.term.len()] = true;
    }
    let mut found = Vec::new();
    let mut previous_alphanumeric = false;
    for (at, c) in chunk.char_indices() {
        let starts_word = !previous_alphanumeric;
        previous_alphanumeric = c.is_alphanumeric();
        let may_start = if c.is_ascii() { ascii_starts[c as usize] } else { non_ascii_starts };
        if !starts_word || !may_start {
            continue;
        }
        // A term that starts with a word starts with the whole word (or its singular).
        if c.is_alphanumeric() {
            let word = &chunk[at..];
            let word = &word[..word.find(|c: char| !c.is_alphanumeric()).unwrap_or(word.len())];
            let singular = [word, word.strip_suffix('s').unwrap_or(word), word.strip_suffix("es").unwrap_or(word)];
            if !singular.iter().any(|w| first_words.contains(w)) {
                continue;
            }
        }
        let longest = lengths.len().min(chunk.len() - at + 1);
        for (length, _) in lengths.iter().enumerate().take(longest).skip(1).filter(|(_, is_term)| **is_term) {
            let end = at + length;
            if chunk.is_char_boundary(end)
                && ends_word(&chunk[end..])
                && let Some(&term) = index.get(&chunk[at..end])
            {
                found.push((at, end, term));
            }
        }
    }
    found
}

fn ends_word(after: &str) -> bool {
    let mut chars = after.chars();
    let ends = |next: Option<char>| !next.is_some_and(char::is_alphanumeric);
    match chars.next() {
        Some('s') => ends(chars.next()),
        Some('e') => chars.next() == Some('s') && ends(chars.next()),
        next => ends(next),
    }
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

/// Whether a run of underscores is emphasis (`___License grant.___`) rather than a blank to
/// fill: it opens against a word, or closes what a run of the same length opened earlier on
/// the line.
fn is_emphasis_run(chunk: &str, start: usize, end: usize) -> bool {
    let run = &chunk[start..end];
    let next = chunk[end..].chars().next();
    let previous = chunk[..start].chars().next_back();
    if next.is_some_and(char::is_alphanumeric) && previous.is_none_or(|c| !c.is_alphanumeric()) {
        return true;
    }
    let line_start = chunk[..start].rfind('\n').map_or(0, |at| at + 1);
    let before = &chunk[line_start..start];
    previous.is_some_and(|c| !c.is_whitespace())
        && before.match_indices(run).any(|(at, _)| {
            let after_opener = before[at + run.len()..].chars().next();
            after_opener.is_some_and(|c| !c.is_whitespace() && c != '_')
        })
}

/// Whether the words before a reference point back to one named before: `such Section`, `said
/// Article`.
fn refers_back(before: &str) -> bool {
    ends_with_word(before, &["such", "Such", "said", "Said"])
}

/// Whether the words around a reference say it is to this document: `this Section 6`, `Section
/// 3.2 of this DPA`, `Section 4 hereof`, `Section 2 herein`. `text` is the file the reference's
/// span points into; asked only where a reference names no clause.
#[must_use]
pub(crate) fn cites_this(text: &str, reference: &Reference) -> bool {
    let (Some(before), Some(after)) = (text.get(..reference.span.start), text.get(reference.span.end..)) else {
        return false;
    };
    let after = after.trim_start_matches([' ', '\t']);
    ends_with_word(before, &["this", "This", "these", "These"])
        || ["of this ", "of these ", "hereof", "herein"].iter().any(|word| after.starts_with(word))
}

/// Whether `before`, without its trailing spaces, ends with one of `words` as a whole word.
/// Looks at the last bytes only: references are many, and the text before one is long.
fn ends_with_word(before: &str, words: &[&str]) -> bool {
    let before = before.trim_end_matches([' ', '\t', '\n']);
    words.iter().any(|word| {
        before.ends_with(word)
            && before[..before.len() - word.len()].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
    })
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
pub(crate) fn title_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .enumerate()
        .flat_map(|(i, word)| (i > 0).then_some(' ').into_iter().chain(word.chars().flat_map(char::to_lowercase)))
}

/// Whether two titles name the same thing written another way: case, punctuation, `&` for
/// `and`, singular for plural, and an abbreviation for the words it abbreviates (`IP and
/// Marks` for `Intellectual Property and Marks`).
#[must_use]
pub(crate) fn titles_match_loosely(a: &str, b: &str) -> bool {
    let (a, b) = (loose_words(a), loose_words(b));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].1 == b[j].1 {
            i += 1;
            j += 1;
        } else if let Some(taken) = abbreviates(&a[i].0, &b[j..]) {
            i += 1;
            j += taken;
        } else if let Some(taken) = abbreviates(&b[j].0, &a[i..]) {
            i += taken;
            j += 1;
        } else {
            return false;
        }
    }
    i == a.len() && j == b.len()
}

/// Each word as written and as compared: lower case, singular, `&` as `and`.
fn loose_words(title: &str) -> Vec<(String, String)> {
    title
        .split(|c: char| !(c.is_alphanumeric() || c == '&'))
        .filter(|word| !word.is_empty())
        .map(|word| {
            let lower = if word == "&" { "and".to_owned() } else { word.to_lowercase() };
            let singular = if let Some(stem) = lower.strip_suffix("ies") {
                format!("{stem}y")
            } else if lower.len() > 3 && lower.ends_with('s') && !lower.ends_with("ss") {
                lower[..lower.len() - 1].to_owned()
            } else {
                lower
            };
            (word.to_owned(), singular)
        })
        .collect()
}

/// How many of `words` the acronym `word` abbreviates by their initials (`IP` → `Intellectual
/// Property`), if it is one.
fn abbreviates(word: &str, words: &[(String, String)]) -> Option<usize> {
    let letters = word.chars().count();
    if letters < 2 || !word.chars().all(|c| c.is_ascii_uppercase()) || words.len() < letters {
        return None;
    }
    let initials = words[..letters].iter().filter_map(|(written, _)| written.chars().next());
    initials.map(|c| c.to_ascii_uppercase()).eq(word.chars()).then_some(letters)
}

/// A capitalised phrase that is a letter or two from a defined term: the term's index among
/// the contract's terms, and where the phrase stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misspelt {
    pub term: usize,
    pub span: Range<usize>,
}

/// The shortest term looked for misspelt: below it, one letter makes another word (`Party`,
/// `Parts`).
const MIN_MISSPELT: usize = 6;

/// A phrase written this often is a word of its own, not a slip.
const MAX_MISSPELT: usize = 2;

/// Whether `a` and `b` are one word inflected: singular and plural, a possessive, a past
/// participle (`License`, `Licensed`).
fn inflected_word(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let Some(rest) = long.strip_prefix(short) else {
        // `Party` / `Parties`.
        return short.strip_suffix('y').zip(long.strip_suffix("ies")).is_some_and(|(s, l)| s == l);
    };
    matches!(rest, "s" | "es" | "'s" | "’s" | "d" | "ed")
}

/// Whether two phrases of as many words differ only by inflected words (`Statements of Work`).
fn inflected(a: &str, b: &str) -> bool {
    a.split(' ').zip(b.split(' ')).all(|(a, b)| a == b || inflected_word(a, b))
}

/// A hash of `word` as written and of each way of writing it with one character left out
/// (hashed whole, so that a way and the same letters written are one hash).
fn ways(word: &str) -> impl Iterator<Item = u64> + '_ {
    use std::hash::BuildHasher as _;
    let mut buffer: Vec<u8> = Vec::with_capacity(word.len());
    std::iter::once(None).chain(word.char_indices().map(Some)).map(move |left_out| {
        buffer.clear();
        match left_out {
            None => buffer.extend_from_slice(word.as_bytes()),
            Some((at, c)) => {
                buffer.extend_from_slice(&word.as_bytes()[..at]);
                buffer.extend_from_slice(&word.as_bytes()[at + c.len_utf8()..]);
            }
        }
        rustc_hash::FxBuildHasher.hash_one(&buffer)
    })
}

/// Capitalised phrases in the prose ranges of `text` that are one edit from a defined term (a
/// letter left out, added or changed, or two swapped), are defined nowhere, and are written at
/// most twice: `Confidental Information`, `Disclosng Party`. Case alone, singular against plural
/// and a word that begins a sentence are no misspelling.
pub(crate) fn misspelt(text: &str, ranges: &[Range<usize>], terms: &[Term]) -> Vec<Misspelt> {
    let defined: std::collections::HashSet<&str> = terms.iter().map(|t| t.term.as_str()).collect();
    // Each term looked for, and each way of writing it with one letter left out: a phrase one
    // edit from a term (a letter left out, added, changed, two swapped) shares one of them with
    // the term, found by a lookup whatever the number of terms. Kept as hashes, sorted: sixteen
    // bytes a way, and a hash that two ways share only adds a candidate the distance rules out.
    let mut index: Vec<(u64, u32)> = Vec::new();
    // For each number of words, the shortest and longest term.
    let mut lengths: std::collections::BTreeMap<usize, (usize, usize)> = std::collections::BTreeMap::new();
    for (index_of, term) in terms.iter().enumerate() {
        let name = term.term.as_str();
        let looked_for = name.starts_with(char::is_uppercase)
            && name.len() >= MIN_MISSPELT
            && name.chars().all(|c| c.is_alphanumeric() || c == ' ');
        let Ok(index_of) = u32::try_from(index_of) else { break };
        if !looked_for {
            continue;
        }
        index.extend(ways(name).map(|way| (way, index_of)));
        let (shortest, longest) = lengths.entry(name.split(' ').count()).or_insert((usize::MAX, 0));
        *shortest = (*shortest).min(name.len());
        *longest = (*longest).max(name.len());
    }
    if index.is_empty() {
        return Vec::new();
    }
    index.sort_unstable();
    index.dedup();
    let lookup = |way: u64| {
        let from = index.partition_point(|&(w, _)| w < way);
        index[from..].iter().take_while(move |&&(w, _)| w == way).map(|&(_, at)| at as usize)
    };
    // Where terms stand already, defined or used: no phrase there is a misspelling.
    let mut taken: Vec<Range<usize>> = terms
        .iter()
        .flat_map(|t| std::iter::once(t.span.clone()).chain(t.redefined.iter().cloned()).chain(t.used.iter().cloned()))
        .collect();
    taken.sort_unstable_by_key(|r| r.start);
    // A shorter term used inside the phrase (`Customer` in `Customer Daa`) does not stop it;
    // a term standing across its edge, or around it, does.
    let overlaps_taken = |span: &Range<usize>| {
        let after = taken.partition_point(|r| r.start < span.end);
        taken[..after].iter().rev().take(8).any(|r| r.end > span.start && !(r.start >= span.start && r.end <= span.end))
    };
    let mut found: Vec<(String, Misspelt)> = Vec::new();
    for range in ranges {
        let chunk = &text[range.clone()];
        // The words of the range: runs of letters and digits, with their spans in the file.
        let mut words: Vec<Range<usize>> = Vec::new();
        let mut start = None;
        for (at, c) in chunk.char_indices().chain(std::iter::once((chunk.len(), ' '))) {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(at),
                (false, Some(from)) => {
                    words.push(range.start + from..range.start + at);
                    start = None;
                }
                _ => {}
            }
        }
        for (i, word) in words.iter().enumerate() {
            let Some(first) = text[word.clone()].chars().next().filter(|c| c.is_uppercase()) else { continue };
            for (&k, &(shortest, longest)) in &lengths {
                let Some(last) = words.get(i + k - 1) else { break };
                // The words of a phrase are apart by one space.
                if words[i..i + k].windows(2).any(|pair| &text[pair[0].end..pair[1].start] != " ") {
                    break;
                }
                let span = word.start..last.end;
                let phrase = &text[span.clone()];
                // One letter more or less, and a plural or possessive ending (`’s`: five bytes).
                if phrase.len() + 1 < shortest || phrase.len() > longest + 6 {
                    continue;
                }
                if defined.contains(phrase) || overlaps_taken(&span) {
                    continue;
                }
                // A single word after a sentence's end is capitalised as a word, not as a term.
                let before = text[..word.start].trim_end_matches([' ', '*', '_', '"', '“']);
                if k == 1
                    && (before.is_empty()
                        || before.ends_with(['.', ':', ';', '!', '?', '(', '\n'])
                        || span.start == range.start)
                {
                    continue;
                }
                // A plural or possessive of a slip (`Affiiates`) is the slip.
                // (Not `es`: `Disclosures` less `es` is a slip of `Discloser`.)
                let bare = ["’s", "'s", "s"]
                    .iter()
                    .find_map(|ending| phrase.strip_suffix(ending).filter(|bare| bare.len() >= 3));
                if bare.is_some_and(|bare| defined.contains(bare)) {
                    continue;
                }
                let mut candidates: Vec<usize> =
                    std::iter::once(phrase).chain(bare).flat_map(ways).flat_map(lookup).collect();
                candidates.sort_unstable();
                candidates.dedup();
                for index_of in candidates {
                    let term = terms[index_of].term.as_str();
                    if !term.starts_with(first)
                        || term.split(' ').count() != k
                        || term.eq_ignore_ascii_case(phrase)
                        || inflected(term, phrase)
                    {
                        continue;
                    }
                    // Each word keeps its capital where the term has one.
                    let same_capitals = term
                        .split(' ')
                        .zip(phrase.split(' '))
                        .all(|(a, b)| a.starts_with(char::is_uppercase) == b.starts_with(char::is_uppercase));
                    // One slip. (Two in a word make another word as often as a slip:
                    // `Contribution`, `Contributor`.)
                    let distance = std::iter::once(phrase)
                        .chain(bare.filter(|bare| !term.ends_with('s') || bare.len() + 1 < phrase.len()))
                        .map(|written| strsim::osa_distance(term, written))
                        .min()
                        .unwrap_or(usize::MAX);
                    if same_capitals && distance == 1 {
                        found.push((phrase.to_owned(), Misspelt { term: index_of, span: span.clone() }));
                        break;
                    }
                }
            }
        }
    }
    let mut times: HashMap<&str, usize> = HashMap::new();
    for (phrase, _) in &found {
        *times.entry(phrase.as_str()).or_default() += 1;
    }
    let often: std::collections::HashSet<String> =
        times.into_iter().filter(|(_, n)| *n > MAX_MISSPELT).map(|(p, _)| p.to_owned()).collect();
    found.into_iter().filter(|(phrase, _)| !often.contains(phrase)).map(|(_, found)| found).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The phrases `misspelt` finds in `text`, as written, with the term each is near.
    fn slips(text: &str) -> Vec<(String, String)> {
        let prose = prose(text);
        let terms = prose.terms();
        let whole = std::iter::once(0..text.len()).collect::<Vec<_>>();
        misspelt(text, &whole, &terms)
            .into_iter()
            .map(|m| (text[m.span].to_owned(), terms[m.term].term.clone()))
            .collect()
    }

    #[test]
    fn a_slip_of_a_defined_term_is_found_and_its_inflections_are_not() {
        let defined = "\"Confidential Information\" means secrets. \"Disclosing Party\" means the discloser. \
                       \"License\" means the grant. \"Statement of Work\" means an order. \"Affiliate\" means kin. ";
        let text = format!(
            "{defined}The Disclosng Party keeps Confidental Information under the License, and its Affiiates too. \
             The Licensed rights, all Statements of Work and each Affiliate's staff follow the Disclosing Party."
        );
        assert_eq!(
            slips(&text),
            [
                ("Disclosng Party".to_owned(), "Disclosing Party".to_owned()),
                ("Confidental Information".to_owned(), "Confidential Information".to_owned()),
                ("Affiiates".to_owned(), "Affiliate".to_owned()),
            ]
        );
        // A word that begins a sentence is capitalised as a word; a phrase written three times
        // is a word of its own.
        assert_eq!(slips(&format!("{defined}Affliate rules apply.")), []);
        assert_eq!(slips(&format!("{defined}The Licensee pays. The Licensee signs. The Licensee leaves.")), []);
    }

    fn prose(text: &str) -> Prose<'_> {
        Prose::new(text, std::slice::from_ref(&(0..text.len())))
    }

    fn terms(text: &str) -> Vec<(String, usize)> {
        prose(text).terms().into_iter().map(|t| (t.term.clone(), t.uses())).collect()
    }

    #[test]
    fn definitions_in_every_quoting_style() {
        let text = "Here ‘Covered License’ means a licence, __Adapted Material__ means a work, (“Terms,” “Agreement”) are these. This (“**MNDA**”) lets each party (\"**Discloser**\") and **\"Recipient\"** and “**Mismatch**\" and (the \"Company\" or the \"Individual\") and (together, \"All IP\"). \"Materials\" shall mean stuff. \"Officer\" shall, for this Agreement only, include a director. “Confidential Information” means info.";
        let got: Vec<String> = prose(text).terms().into_iter().map(|t| t.term).collect();
        assert_eq!(
            got,
            [
                "Covered License",
                "Adapted Material",
                "Terms",
                "Agreement",
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
    fn citations_of_other_instruments_are_no_references() {
        let text = "Under 48 C.F.R. § 2.101, §§ 1798.100–1798.199, Section 17A of the Data Protection Act 2018, \
                    Clause 13 of the Standard Contractual Clauses, Clause 8.1(d) and Clause 8.5 of the SCCs, \
                    Article 6, Article 7 and Article 9 of the GDPR, Article 28 GDPR, 17 U.S.C. Section 512, \
                    Cal. Civ. Code § 1798.140, Section 1234, and Section 1.1000; but Section 4.10, Section B.2 \
                    and Sections 1, 5, and 8 apply, as do Section 3 (Fees) and Section 2(b)(1)-(2).";
        let got: Vec<String> = prose(text).references().into_iter().map(|r| r.target).collect();
        assert_eq!(got, ["4.10", "B.2", "1", "5", "8", "3", "2(b)(1)"]);
    }

    #[test]
    fn loose_titles_are_the_same_title_written_another_way() {
        assert!(titles_match_loosely(
            "Representations and Warranties From Provider",
            "Representations & Warranty From Provider"
        ));
        assert!(titles_match_loosely("Intellectual Property and Marks", "IP and Marks"));
        assert!(titles_match_loosely("Fees", "FEES."));
        assert!(!titles_match_loosely("Termination for Cause", "Term"));
        assert!(!titles_match_loosely("Fees", "Late Payment"));
    }

    #[test]
    fn placeholders_but_not_links_or_checkboxes() {
        let text = "[Company Name] and [●] and {{ party }} and TBD and ____ and ＿＿＿ but not [link](x) nor [x] nor [^1] nor [text][ref] nor http://a.test/[x] nor ___License grant.___ nor {{#tip}} {{/tip}}";
        let got: Vec<String> = prose(text).placeholders().into_iter().map(|p| p.text).collect();
        assert_eq!(got, ["[Company Name]", "[●]", "{{ party }}", "TBD", "____", "＿＿＿"]);
    }

    #[test]
    fn titles_normalise() {
        assert_eq!(title_chars("Warranties: From Supplier.").collect::<String>(), "warranties from supplier");
    }
}
