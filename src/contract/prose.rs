//! What is read from a contract's prose: defined terms and their uses, cross-references, and
//! placeholders left from a template.
//!
//! Everything here scans the raw Markdown of the prose ranges the body reader found (never block
//! quotes or code), so every match has an exact byte span in the file.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
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
static MORE_TERMS: LazyLock<Regex> = LazyLock::new(|| regex(r#"[“"]([^“”"\n]{1,60}?)[”"]"#));
/// `"Term" means`, `"Term" shall mean`, `"Term" shall include`.
static MEANS_TERM: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"[“"]([A-Z\[][^“”"\n*]{0,60}?)[”"]\s+(?:shall(?:,[^,\n]{1,60},)?\s+)?(means|mean|has the meaning|have the meaning|refers to|shall include|includes|include)\b"#,
    )
});
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    let number = r"\d{1,3}(?:\.\d{1,3})*(?:\([a-zA-Z0-9]{1,4}\))*";
    regex(&format!(
        r"\b(?:Sections?|Clauses?|Articles?)\s+({number}(?:(?:\s*,\s*|\s+(?:and|or|through|to)\s+|\s*[-–]\s*){number})*)(?:\s+\(([^()\n]{{1,80}})\))?|§§?\s*({number})"
    ))
});
static NUMBER: LazyLock<Regex> = LazyLock::new(|| regex(r"\d{1,3}(?:\.\d{1,3})*(?:\([a-zA-Z0-9]{1,4}\))*"));
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| regex(r"\[([^\[\]\n]{1,80})\]|\{\{[^}\n]{0,80}\}\}|\{%[^%\n]{0,80}%\}|\bTBD\b|_{3,}|＿{2,}|●"));

/// The prose of a contract: the file's text and the byte ranges of its prose.
pub struct Prose<'a> {
    pub text: &'a str,
    pub ranges: &'a [Range<usize>],
}

impl Prose<'_> {
    fn chunks(&self) -> impl Iterator<Item = (usize, &str)> {
        self.ranges.iter().map(|range| (range.start, &self.text[range.clone()]))
    }

    /// Spans of URLs, which look like prose to a pattern but hold no references or terms.
    fn urls(chunk: &str, start: usize) -> Vec<Range<usize>> {
        URLS.find_iter(chunk).map(|m| start + m.start()..start + m.end()).collect()
    }

    /// The defined terms, in order of definition, with their uses counted.
    #[must_use]
    pub fn terms(&self) -> Vec<Term> {
        let mut found: Vec<(String, Range<usize>, bool)> = Vec::new();
        for (start, chunk) in self.chunks() {
            let mut covered: Vec<Range<usize>> = Vec::new();
            for captures in BOLD_TERM.captures_iter(chunk) {
                let term = captures.get(1).or_else(|| captures.get(2)).expect("one group matches");
                covered.push(captures.get(0).expect("whole match").range());
                found.push((term.as_str().trim().to_owned(), start + term.start()..start + term.end(), false));
            }
            for captures in PAREN_TERM.captures_iter(chunk) {
                let whole = captures.get(0).expect("whole match").range();
                if covered.iter().any(|c| c.start < whole.end && whole.start < c.end) {
                    continue;
                }
                let first = captures.get(1).expect("group 1");
                found.push((first.as_str().trim().to_owned(), start + first.start()..start + first.end(), false));
                if let Some(more) = captures.get(2) {
                    for extra in MORE_TERMS.captures_iter(more.as_str()) {
                        let term = extra.get(1).expect("group 1");
                        let at = start + more.start() + term.start();
                        found.push((term.as_str().trim().to_owned(), at..at + term.len(), false));
                    }
                }
                covered.push(whole);
            }
            for captures in MEANS_TERM.captures_iter(chunk) {
                let whole = captures.get(0).expect("whole match").range();
                if covered.iter().any(|c| c.start < whole.end && whole.start < c.end) {
                    continue;
                }
                let term = captures.get(1).expect("group 1");
                let elaboration = captures.get(2).is_some_and(|verb| verb.as_str().starts_with("include"));
                found.push((term.as_str().trim().to_owned(), start + term.start()..start + term.end(), elaboration));
            }
        }
        found.sort_by_key(|(_, span, _)| span.start);
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

    fn count_uses(&self, terms: &mut [Term]) {
        if terms.is_empty() {
            return;
        }
        let Ok(automaton) =
            AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(terms.iter().map(|t| &t.term))
        else {
            return;
        };
        let definitions: Vec<Range<usize>> =
            terms.iter().flat_map(|t| std::iter::once(t.span.clone()).chain(t.redefined.iter().cloned())).collect();
        for (start, chunk) in self.chunks() {
            for found in automaton.find_iter(chunk) {
                let before = chunk[..found.start()].chars().next_back();
                if before.is_some_and(char::is_alphanumeric) || !ends_word(&chunk[found.end()..]) {
                    continue;
                }
                let at = start + found.start();
                if definitions.iter().any(|d| d.start <= at && at < d.end) {
                    continue;
                }
                terms[found.pattern().as_usize()].uses += 1;
            }
        }
    }

    /// Cross-references by number (`Section 5.2`, `Sections 8.1 and 8.2`, `Section 4.3 (Late
    /// Payment)`); references to other documents (`Section 5 of the MSA`) are left out.
    #[must_use]
    pub fn references(&self) -> Vec<Reference> {
        let mut references = Vec::new();
        for (start, chunk) in self.chunks() {
            let urls = Self::urls(chunk, 0);
            for captures in REFERENCE.captures_iter(chunk) {
                let whole = captures.get(0).expect("whole match");
                if urls.iter().any(|u| u.start <= whole.start() && whole.start() < u.end)
                    || refers_elsewhere(&chunk[whole.end()..])
                {
                    continue;
                }
                let list = captures.get(1).or_else(|| captures.get(3)).expect("a number list");
                let numbers: Vec<_> = NUMBER.find_iter(list.as_str()).collect();
                let title = captures
                    .get(2)
                    .filter(|t| numbers.len() == 1 && is_reference_title(t.as_str()))
                    .map(|t| t.as_str().trim().to_owned());
                // Without a title, a trailing "(…)" that is no title is not part of the reference.
                let text_end = if title.is_some() { whole.end() } else { list.end() };
                let text = chunk[whole.start()..text_end].to_owned();
                for number in numbers {
                    references.push(Reference {
                        text: text.clone(),
                        target: number.as_str().to_owned(),
                        by_id: false,
                        title: title.clone(),
                        span: start + whole.start()..start + text_end,
                    });
                }
            }
        }
        references
    }

    /// Placeholders left from a template.
    #[must_use]
    pub fn placeholders(&self) -> Vec<Placeholder> {
        let mut placeholders = Vec::new();
        for (start, chunk) in self.chunks() {
            let urls = Self::urls(chunk, 0);
            for found in PLACEHOLDER.find_iter(chunk) {
                if urls.iter().any(|u| u.start <= found.start() && found.start() < u.end) {
                    continue;
                }
                let text = found.as_str();
                if text.starts_with('[') && !is_bracket_placeholder(chunk, found.start(), found.end()) {
                    continue;
                }
                placeholders
                    .push(Placeholder { text: text.to_owned(), span: start + found.start()..start + found.end() });
            }
        }
        placeholders
    }
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

/// Normalise a heading or reference title for comparison: case, punctuation and a trailing
/// period do not matter.
#[must_use]
pub fn normalize_title(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> Prose<'_> {
        let ranges = Box::leak(std::iter::once(0..text.len()).collect::<Box<[_]>>());
        Prose { text, ranges }
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
        assert_eq!(normalize_title("Warranties: From Supplier."), "warranties from supplier");
    }
}
