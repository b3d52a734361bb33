//! What the reader decides only once it has read the whole document: how the document divides
//! itself where it gives its divisions no numbers.
//!
//! A heading read in isolation cannot say whether `## Account Terms` is a section of the
//! agreement or the title of an exhibit. The document as a whole can: where no heading of a
//! level carries a number, the headings of that level are how the document divides itself, and
//! each is a clause addressed by its heading. Where some heading of a level is numbered
//! (`## 5. Fees`), the unnumbered headings beside it (`## Exhibit A`) open parts of the
//! document. A heading alone at the top level it uses (the document's title, a letterhead) is
//! never a clause; under named sections, a lone sub-heading is a sub-section. The reader adds
//! one more condition it sees as it reads: the named sections must come before any numbered
//! clause, for headings that follow numbered sections (`## Exhibit A` after clauses 1 to 8) are
//! exhibits, not sections. A document with no numbered clause and no such headings may divide
//! itself by bold run-in labels (`**Term:** The season starts …`).
//!
//! The reader counts as it reads (one pass, no second scan of the text) and places the named
//! sections when it has finished, each holding the clauses read under it.

/// Heading levels run from 1 to 6; index 0 is unused.
const LEVELS: usize = 7;

/// How a document uses its headings and labels, counted as it is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct HeadingScheme {
    /// Levels at which at least one heading carries a clause number.
    numbered: [bool; LEVELS],
    /// How many headings each level has.
    count: [u32; LEVELS],
    /// Paragraphs outside lists that open with a bold label (`**Term:** The season …`).
    bold_labels: u32,
}

impl HeadingScheme {
    /// Count a heading of `level`, numbered or not.
    pub fn count(&mut self, level: usize, numbered: bool) {
        if let Some(count) = self.count.get_mut(level) {
            *count += 1;
            self.numbered[level] |= numbered;
        }
    }

    /// Count a paragraph that opens with a bold label.
    pub(crate) fn count_label(&mut self) {
        self.bold_labels += 1;
    }

    /// Whether the headings of `level` may be sections named by their headings alone: no
    /// heading of the level is numbered, and the document has more than one of them, or divides
    /// itself so at a level above.
    #[must_use]
    pub(crate) fn divides_by_name(&self, level: usize) -> bool {
        let named = |l: usize| self.count[l] > 1 && !self.numbered[l];
        level < LEVELS
            && self.count[level] > 0
            && !self.numbered[level]
            && (self.count[level] > 1 || (1..level).any(named))
    }

    /// Whether the document divides itself by bold run-in labels: at least two, no numbered
    /// heading, and no headings that divide it. (The reader adds: no numbered clause.)
    #[must_use]
    pub(crate) fn divides_by_labels(&self) -> bool {
        self.bold_labels >= 2
            && !self.numbered.iter().any(|&n| n)
            && !(1..LEVELS).any(|level| self.divides_by_name(level))
    }
}

/// The label a paragraph opens with in bold, ended by a colon or period inside the bold or
/// right after it: `**Term:** The season …` → `Term`. At most eight words, not a quoted term
/// (`**"Fees"** means …` is a definition) and not a number.
#[must_use]
pub(crate) fn bold_label(line: &str) -> Option<&str> {
    let marker = ["**", "__"].into_iter().find(|m| line.starts_with(m))?;
    let inner_start = &line[2..];
    let close = inner_start.find(marker).filter(|&close| close <= 80)?;
    let inner = inner_start[..close].trim();
    let after = &inner_start[close + 2..];
    let ended = inner.ends_with([':', '.']) || after.starts_with([':', '.']);
    let label = inner.trim_end_matches([':', '.']).trim_end();
    let plain = label.starts_with(|c: char| c.is_alphabetic())
        && !label.contains(super::heading::is_quote)
        && super::opening::opening(line).is_none();
    (ended && plain && label.split_whitespace().count() <= 8).then_some(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme(headings: &[(usize, bool)]) -> HeadingScheme {
        let mut scheme = HeadingScheme::default();
        for &(level, numbered) in headings {
            scheme.count(level, numbered);
        }
        scheme
    }

    #[test]
    fn unnumbered_sections_under_a_title() {
        let scheme = scheme(&[(1, false), (2, false), (2, false)]);
        assert!(!scheme.divides_by_name(1), "the title is no section");
        assert!(scheme.divides_by_name(2));
        // A lone sub-heading under named sections is a section too.
        let mut nested = scheme;
        nested.count(3, false);
        assert!(nested.divides_by_name(3));
    }

    #[test]
    fn a_numbered_level_keeps_its_unnumbered_headings_as_parts() {
        assert!(!scheme(&[(2, true), (2, false)]).divides_by_name(2));
        // A letterhead over a title: each alone at its level, none divides.
        let letterhead = scheme(&[(2, false), (3, false)]);
        assert!(!letterhead.divides_by_name(2) && !letterhead.divides_by_name(3));
    }

    #[test]
    fn bold_labels_divide_only_a_document_without_numbers() {
        let mut labels = HeadingScheme::default();
        labels.count_label();
        labels.count_label();
        assert!(labels.divides_by_labels());
        labels.count(2, true);
        assert!(!labels.divides_by_labels());
        assert_eq!(bold_label("**Term:** The season starts."), Some("Term"));
        assert_eq!(bold_label("**Fees**. Due monthly."), Some("Fees"));
        assert_eq!(bold_label("**\"Fees\"** means the fees."), None);
        assert_eq!(bold_label("**5. Fees.** Due monthly."), None);
    }
}
