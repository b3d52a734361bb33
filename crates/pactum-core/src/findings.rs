//! Findings: what reading and checking contracts found, and the rules that find it.
//!
//! A finding is not an error of pactum's: it is a [`Diagnostic`] collected while reading and
//! checking, and the run goes on. Every rule has a stable kebab-case code (`ref/title-mismatch`)
//! and a default severity that `pactum.toml` `[lint]` can change or turn off; [`RULES`] is the
//! one list of them, which the docs, SARIF's rule table and the configuration check all read.
//!
//! This is the bottom of the house: every module that finds something (the reader, the schema
//! check, the lint rules, the ledger) and every output that shows findings depend on it, and it
//! depends on nothing of pactum's but `text`.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::text::LineIndex;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// A configured level for a rule: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    #[must_use]
    pub fn severity(self) -> Option<Severity> {
        match self {
            Self::Off => None,
            Self::Info => Some(Severity::Info),
            Self::Warning => Some(Severity::Warning),
            Self::Error => Some(Severity::Error),
        }
    }
}

/// One rule: its stable code, default severity and what it checks.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

/// Declares each rule once: a constant of [`rule`] that findings name it by (so a rule
/// pactum does not have cannot be named: it does not compile), and its place in [`RULES`].
macro_rules! rules {
    ($($name:ident = $code:literal, $severity:ident, $summary:literal;)*) => {
        /// The rules, one constant each, named after their codes: `rule::TERM_UNUSED` is
        /// `term/unused`.
        pub mod rule {
            use super::Rule;
            use super::Severity::{Error as E, Info as I, Warning as W};
            $(
                #[doc = concat!("`", $code, "`: ", $summary, ".")]
                pub const $name: &Rule = &Rule { code: $code, severity: $severity, summary: $summary };
            )*
        }

        /// Every rule pactum knows, in the order the reference documents them.
        pub const RULES: &[&Rule] = &[$(rule::$name),*];
    };
}

rules! {
    FILE_UNREADABLE = "file/unreadable", E, "the file could not be read";
    FILE_INVALID_UTF8 = "file/invalid-utf8", E, "the file is not valid UTF-8 text";
    FILE_BINARY = "file/binary", E, "the file holds binary data, not text";
    FILE_LINE_ENDINGS = "file/line-endings", E, "the file's lines end in a carriage return alone";
    FILE_TOO_LARGE = "file/too-large", E, "the file is larger than `[check] max_file_size`";
    FILE_OUTSIDE_REPOSITORY = "file/outside-repository", E, "a symbolic link points outside the repository";
    FILE_BROKEN_LINK = "file/broken-link", E, "a symbolic link names no file: it dangles or loops";
    FILE_SYMLINK = "file/symlink", E, "a contract is a symbolic link: its history would be the link's, not the text's";
    FILE_BOM = "file/bom", W, "the file starts with a byte-order mark";
    FRONTMATTER_MISSING = "frontmatter/missing", E, "a contract has no `+++` front matter";
    FRONTMATTER_UNCLOSED = "frontmatter/unclosed", E, "the front matter has no closing `+++` line";
    FRONTMATTER_SYNTAX = "frontmatter/syntax", E, "the front matter is not valid TOML";
    SCHEMA_UNKNOWN_TYPE = "schema/unknown-type", E, "no schema exists for the contract's `type`";
    SCHEMA_REQUIRED = "schema/required", E, "a required key is missing";
    SCHEMA_INVALID = "schema/invalid", E, "a value does not match its schema";
    SCHEMA_UNKNOWN_KEY = "schema/unknown-key", E, "a key the schema does not allow";
    FRONTMATTER_UNDECLARED_KEY = "frontmatter/undeclared-key", W, "a top-level front-matter key no schema of the contract's type declares: a misspelt field is no field";
    DATE_NOT_A_DATE = "date/not-a-date", E, "a date is written as a string instead of a TOML date";
    DATE_INVALID_DURATION = "date/invalid-duration", E, "a duration is not `<n> <unit>`";
    DATE_ORDER = "date/order", E, "dates are out of order (for example effective after end)";
    DATE_NOTICE_EXCEEDS_TERM = "date/notice-exceeds-term", E, "the notice period is as long as the term or longer";
    ID_DUPLICATE = "id/duplicate", E, "two contracts have the same `id`";
    LINK_UNKNOWN_CONTRACT = "link/unknown-contract", E, "`amends`, `supersedes` or `parent` names no contract";
    LINK_SELF = "link/self", E, "a contract names itself in `amends`, `supersedes` or `parent`";
    CLAUSE_NUMBERING_GAP = "clause/numbering-gap", W, "clause numbering skips a number";
    CLAUSE_NUMBERING_REPEAT = "clause/numbering-repeat", W, "clause numbering repeats or goes backwards";
    CLAUSE_DUPLICATE_ID = "clause/duplicate-id", E, "two clauses have the same explicit id";
    CLAUSE_TOO_DEEP = "clause/too-deep", W, "clauses nest deeper than pactum reads";
    REF_UNRESOLVED = "ref/unresolved", E, "a cross-reference names no clause";
    REF_TITLE_MISMATCH = "ref/title-mismatch", E, "a cross-reference's title is not the clause's heading";
    REF_UNCERTAIN = "ref/uncertain", W, "a cross-reference names no clause of this document, but may cite another instrument";
    REF_TITLE_UNCONFIRMED = "ref/title-unconfirmed", W, "a cross-reference's title is not the clause's heading, and names no other clause";
    REF_TITLE_LOOSE = "ref/title-loose", I, "a cross-reference's title is the clause's heading written another way";
    TERM_DUPLICATE = "term/duplicate", W, "a term is defined more than once";
    TERM_UNUSED = "term/unused", W, "a defined term is never used";
    TERM_MISSPELT = "term/misspelt", W, "a capitalised phrase is one edit from a defined term, and defined nowhere";
    PLACEHOLDER_UNFILLED = "placeholder/unfilled", W, "a placeholder is left from a template (an error once approved)";
    MARKUP_HIDES_TEXT = "markup/hides-text", W, "raw HTML can hide or restyle words or run code (an error once approved)";
    SIGNATURE_MISSING = "signature/missing", E, "an executed contract lacks a signature for a party";
    SIGNATURE_UNKNOWN_PARTY = "signature/unknown-party", E, "a signature names a party the contract does not have";
    OBLIGATION_UNKNOWN_CLAUSE = "obligation/unknown-clause", E, "an obligation names no clause of the contract";
    CLAUSE_DEVIATES_FROM_LIBRARY = "clause/deviates-from-library", W, "a clause drafted from the library no longer reads as the library's";
    CLAUSE_LIBRARY_OUTDATED = "clause/library-outdated", I, "the library has a newer version of a clause the contract uses";
    CLAUSE_LIBRARY_MISSING = "clause/library-missing", W, "a clause the contract records from the library is missing";
    PERFORMANCE_INVALID = "performance/invalid", E, "a performance record cannot be read, or names an obligation or contract that does not exist";
    PERFORMANCE_UNMATCHED = "performance/unmatched", W, "a performance record names no due day of its obligation, a day after today, or an occurrence twice";
    CODEOWNERS_MISSING_REVIEWER = "codeowners/missing-reviewer", W, "CODEOWNERS does not ask for a reviewer a policy requires of a contract";
    CODEOWNERS_STALE = "codeowners/stale", W, "the CODEOWNERS entries `pactum codeowners` wrote are not what the policies imply now";
    TEMPLATE_INVALID = "template/invalid", E, "a template or library clause cannot be drafted from (`pactum new` would fail)";
    EXECUTED_BODY_CHANGED = "executed/body-changed", E, "an executed contract's text changed after signing, not through an amendment";
    EXECUTED_TERMS_CHANGED = "executed/terms-changed", E, "an executed contract's agreed terms changed after signing, not through an amendment";
    EXECUTED_SEAL_CHANGED = "executed/seal-changed", E, "an executed contract's seal was edited, computed again or removed after signing";
    EXECUTED_UNSEALED = "executed/unsealed", W, "an executed contract has no seal (an error once `[execution] require_seal = true`)";
    EXECUTED_NOT_CHECKED = "executed/not-checked", E, "a contract executed in history is left out of the contracts checked by the settings";
    EXECUTED_UNVERIFIED = "executed/unverified", W, "an executed contract could not be compared with the version signed: the history is cut short";
}

/// The rule with `code`, if pactum has one.
#[must_use]
pub(crate) fn rule_for(code: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.code == code)
}

/// Where a finding points: 1-based lines and columns, end inclusive of the last character's
/// column + 1 (the position just after the span), as editors use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// The lines of source a finding points at, kept so that reporters can show a snippet without
/// reading the file again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The 1-based number of the first line of `text`.
    pub first_line: usize,
    /// Whole lines of the file, at most a few; on a long line, a window around the span.
    pub text: String,
    /// The span inside `text`.
    pub span: Range<usize>,
    /// Whether `text` starts or ends inside a line (so columns counted in it are not the
    /// file's).
    pub cut: bool,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub path: String,
    #[serde(flatten)]
    pub location: Location,
    pub message: String,
    pub help: Option<String>,
    #[serde(skip)]
    pub excerpt: Option<Excerpt>,
}

/// A file's text with its line index, for making diagnostics that point into it.
pub struct SourceFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub lines: &'a LineIndex,
}

/// The longest excerpt kept, in lines.
const EXCERPT_LINES: usize = 4;

/// The most bytes an excerpt keeps before and after its span, and of the span itself: a
/// 240 KB line must not be copied into every finding on it.
const EXCERPT_WIDTH: usize = 240;

impl SourceFile<'_> {
    /// A finding of `rule` at byte `span` of this file, at the rule's default severity.
    #[must_use]
    pub fn diagnostic(&self, rule: &'static Rule, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let start = self.lines.position(self.text, span.start);
        let end = self.lines.position(self.text, span.end.max(span.start));
        let first = start.line - 1;
        let last = (end.line - 1).min(first + EXCERPT_LINES - 1);
        let from = self.lines.line_range(self.text, first).start;
        let to = self.lines.line_range(self.text, last).end;
        let excerpt_start = crate::text::floor_char_boundary(self.text, span.start).max(from);
        let excerpt_end = crate::text::floor_char_boundary(self.text, span.end.min(excerpt_start + 2 * EXCERPT_WIDTH))
            .clamp(excerpt_start, to.max(excerpt_start));
        let to = to.max(from);
        let (from, to, cut) = if to - from > 4 * EXCERPT_WIDTH {
            let start =
                crate::text::floor_char_boundary(self.text, excerpt_start.saturating_sub(EXCERPT_WIDTH)).max(from);
            let end =
                crate::text::floor_char_boundary(self.text, (excerpt_end + EXCERPT_WIDTH).min(to)).max(excerpt_end);
            (start, end, start > from || end < to)
        } else {
            (from, to, false)
        };
        Diagnostic {
            code: rule.code,
            severity: rule.severity,
            path: self.path.to_owned(),
            location: Location { line: start.line, column: start.column, end_line: end.line, end_column: end.column },
            message: message.into(),
            help: None,
            excerpt: Some(Excerpt {
                first_line: first + 1,
                text: self.text[from..to].to_owned(),
                span: excerpt_start - from..excerpt_end - from,
                cut,
            }),
        }
    }
}

impl Diagnostic {
    /// A finding of `rule` about a whole file, with no text to point at.
    #[must_use]
    pub fn file(rule: &'static Rule, path: &str, message: impl Into<String>) -> Self {
        Self {
            code: rule.code,
            severity: rule.severity,
            path: path.to_owned(),
            location: Location { line: 1, column: 1, end_line: 1, end_column: 1 },
            message: message.into(),
            help: None,
            excerpt: None,
        }
    }

    /// Whether this is a finding of `rule`.
    #[must_use]
    pub fn is(&self, rule: &Rule) -> bool {
        self.code == rule.code
    }

    #[must_use]
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub(crate) fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// Rule levels configured in `pactum.toml` `[lint]`, applied to findings after they are made.
#[derive(Debug, Clone, Default)]
pub struct LintConfig {
    pub levels: BTreeMap<String, Level>,
}

impl LintConfig {
    /// Apply the configured levels: drop what is off, change what is set.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.levels.is_empty() {
            return;
        }
        diagnostics.retain_mut(|diagnostic| match self.levels.get(diagnostic.code) {
            None => true,
            Some(level) => match level.severity() {
                None => false,
                Some(severity) => {
                    diagnostic.severity = severity;
                    true
                }
            },
        });
    }
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    #[must_use]
    pub fn of(files: usize, diagnostics: &[Diagnostic]) -> Self {
        let count = |severity| diagnostics.iter().filter(|d| d.severity == severity).count();
        Self { files, errors: count(Severity::Error), warnings: count(Severity::Warning) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented() {
        let reference = include_str!("../../../docs/rules.md");
        for rule in RULES {
            assert!(reference.contains(&format!("## {}\n", rule.code)), "docs/rules.md lacks {}", rule.code);
        }
    }

    #[test]
    fn codes_are_unique_kebab_case_paths() {
        let mut seen = std::collections::HashSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.code), "{} twice", rule.code);
            let (area, name) = rule.code.split_once('/').expect("area/name");
            for part in [area, name] {
                assert!(
                    !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                    "{}",
                    rule.code
                );
            }
        }
    }
}
