//! Word's list numbering as Word shows it: the levels of an abstract numbering definition, the
//! numbering instances paragraphs point at, and the counters that turn a paragraph's
//! `(numId, ilvl)` into the label on the page (`5.2`, `(b)`).
//!
//! The same counting serves both directions: export checks that the label Word will show is
//! the clause's own, and import reads the labels a counterparty's Word shows after they insert
//! or delete a clause.

use std::collections::HashMap;

/// How a level writes its counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Decimal,
    /// `01`, `02`, … `10`: legal numbering's `1.01`.
    DecimalZero,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    /// A bullet or `none`: the paragraph is a list item without a number.
    Unnumbered,
}

impl Format {
    #[must_use]
    pub(crate) fn from_word(name: &str) -> Self {
        match name {
            "decimal" => Self::Decimal,
            "decimalZero" => Self::DecimalZero,
            "lowerLetter" => Self::LowerLetter,
            "upperLetter" => Self::UpperLetter,
            "lowerRoman" => Self::LowerRoman,
            "upperRoman" => Self::UpperRoman,
            _ => Self::Unnumbered,
        }
    }

    #[must_use]
    pub(crate) fn word_name(self) -> &'static str {
        match self {
            Self::Decimal => "decimal",
            Self::DecimalZero => "decimalZero",
            Self::LowerLetter => "lowerLetter",
            Self::UpperLetter => "upperLetter",
            Self::LowerRoman => "lowerRoman",
            Self::UpperRoman => "upperRoman",
            Self::Unnumbered => "none",
        }
    }

    /// The counter `n` as this level writes it; Word's letters repeat past `z` (`aa`).
    #[must_use]
    pub fn write(self, n: u32) -> String {
        let letters = |n: u32| {
            let n = n.max(1);
            let letter = char::from(b'a' + ((n - 1) % 26) as u8);
            std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect::<String>()
        };
        match self {
            Self::Decimal => n.to_string(),
            Self::DecimalZero => format!("{n:02}"),
            Self::LowerLetter => letters(n),
            Self::UpperLetter => letters(n).to_uppercase(),
            Self::LowerRoman => roman(n),
            Self::UpperRoman => roman(n).to_uppercase(),
            Self::Unnumbered => String::new(),
        }
    }
}

fn roman(n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// One level of a numbering definition: `%1.%2` with its counter's format and start.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Level {
    pub format: Format,
    /// Word's level text: `%1.` shows level 0's counter and a dot.
    pub text: String,
    pub start: u32,
    /// `w:isLgl`: every level this one shows is written in decimal (`Article IV` → `4.01`).
    pub legal: bool,
    /// `w:lvlRestart`: this level starts again only after a paragraph at this level (1-based)
    /// or above; 0 never. `None`: after any level above it.
    pub(crate) restart: Option<usize>,
}

/// A numbering instance (`w:num`): an abstract definition, with levels started elsewhere.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Instance {
    pub definition: usize,
    /// `(level, start)` pairs of `w:lvlOverride/w:startOverride`.
    pub starts: Vec<(usize, u32)>,
}

/// Every numbering definition of a document.
#[derive(Debug, Clone, Default)]
pub struct Numbering {
    /// Abstract definitions: levels 0 to 8 (missing levels are unnumbered).
    pub definitions: Vec<Vec<Level>>,
    /// Instances by the id paragraphs cite.
    pub(crate) instances: HashMap<String, Instance>,
}

impl Numbering {
    /// The level `level` of the definition instance `num` uses, if it has one.
    #[must_use]
    pub fn level(&self, num: &str, level: usize) -> Option<&Level> {
        let instance = self.instances.get(num)?;
        self.definitions.get(instance.definition)?.get(level)
    }
}

/// Word's counters while it lays out paragraphs in order.
///
/// The counters belong to a definition (an abstract numbering), not to an instance: every
/// instance of one definition continues the same list, as Word counts (`LibreOffice` saves a list
/// as one instance per paragraph, all of one definition). An instance's start override restarts
/// its level where the instance is first used at that level. A paragraph at level `n` raises
/// level `n`'s counter and restarts every deeper level; a level never used shows its start value.
#[derive(Debug, Clone, Default)]
pub struct Counter {
    counts: HashMap<usize, [u32; 9]>,
    /// The instances and levels whose start override has taken effect.
    overridden: std::collections::HashSet<(String, usize)>,
}

impl Counter {
    /// The label Word shows on the next paragraph numbered `(num, level)`, and counts it. `None`
    /// for a level with no number (a bullet, `none`, or no such definition).
    pub fn next(&mut self, numbering: &Numbering, num: &str, level: usize) -> Option<String> {
        let instance = numbering.instances.get(num)?;
        let levels = numbering.definitions.get(instance.definition)?;
        let this = levels.get(level)?;
        let start = |at: usize| {
            instance
                .starts
                .iter()
                .find(|(l, _)| *l == at)
                .map(|(_, s)| *s)
                .or_else(|| levels.get(at).map(|l| l.start))
                .unwrap_or(1)
        };
        let counts = self.counts.entry(instance.definition).or_insert([0; 9]);
        // A shallower level not used yet shows its start value here, and is taken as used:
        // the next paragraph at that level counts on from it (`1.1` first, then `2.`).
        for (at, count) in counts.iter_mut().enumerate().take(level) {
            if *count == 0 {
                *count = start(at);
                self.overridden.insert((num.to_owned(), at));
            }
        }
        let restart = instance.starts.iter().find(|(l, _)| *l == level).map(|(_, s)| *s);
        counts[level] = match restart {
            Some(at) if self.overridden.insert((num.to_owned(), level)) => at,
            _ if counts[level] == 0 => start(level),
            _ => counts[level] + 1,
        };
        for (at, deeper) in counts.iter_mut().enumerate().skip(level + 1) {
            let restarts = match levels.get(at).and_then(|l| l.restart) {
                None => true,
                Some(0) => false,
                Some(after) => level < after,
            };
            if restarts {
                *deeper = 0;
            }
        }
        if this.format == Format::Unnumbered {
            return None;
        }
        let mut shown = String::new();
        let mut chars = this.text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(d)) if (1..=9).contains(&d) => {
                    chars.next();
                    let at = d as usize - 1;
                    let value = if counts[at] == 0 { start(at) } else { counts[at] };
                    let format = levels.get(at).map_or(Format::Decimal, |l| l.format);
                    let format = if this.legal && format != Format::DecimalZero { Format::Decimal } else { format };
                    let written = format.write(value);
                    if written.is_empty() && chars.peek() == Some(&'.') {
                        // A level shown as nothing takes its separator with it: `%1.%2.%3`
                        // with level 1 unnumbered reads `4.1`, as LibreOffice shows it.
                        chars.next();
                    }
                    shown.push_str(&written);
                }
                _ => shown.push(c),
            }
        }
        Some(shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbering() -> Numbering {
        let level = |format, text: &str| Level { format, text: text.to_owned(), start: 1, ..Level::default() };
        Numbering {
            definitions: vec![vec![
                level(Format::Decimal, "%1."),
                level(Format::Decimal, "%1.%2"),
                level(Format::LowerLetter, "(%3)"),
            ]],
            instances: HashMap::from([
                ("1".to_owned(), Instance { definition: 0, starts: vec![] }),
                ("2".to_owned(), Instance { definition: 0, starts: vec![(0, 7)] }),
            ]),
        }
    }

    #[test]
    fn counts_as_word_does() {
        let numbering = numbering();
        let mut counter = Counter::default();
        let shown: Vec<_> = [(0, "1"), (1, "1"), (1, "1"), (2, "1"), (2, "1"), (0, "1"), (1, "1"), (0, "2"), (1, "2")]
            .iter()
            .map(|(level, num)| counter.next(&numbering, num, *level).unwrap())
            .collect();
        assert_eq!(shown, ["1.", "1.1", "1.2", "(a)", "(b)", "2.", "2.1", "7.", "7.1"]);
    }

    #[test]
    fn a_level_not_yet_used_shows_its_start_and_counts_on_from_it() {
        let numbering = numbering();
        let mut counter = Counter::default();
        assert_eq!(counter.next(&numbering, "2", 1).unwrap(), "7.1");
        // As Word and LibreOffice count: 7 was shown, so the next is 8.
        assert_eq!(counter.next(&numbering, "2", 0).unwrap(), "8.");
        assert_eq!(counter.next(&numbering, "9", 0), None);
        assert_eq!(Format::LowerRoman.write(14), "xiv");
        assert_eq!(Format::LowerLetter.write(27), "aa");
    }

    #[test]
    fn legal_numbering_and_levels_that_do_not_restart() {
        let numbering = Numbering {
            definitions: vec![vec![
                Level { format: Format::UpperRoman, text: "Article %1".into(), start: 1, ..Level::default() },
                Level { format: Format::DecimalZero, text: "%1.%2".into(), start: 1, legal: true, ..Level::default() },
                Level {
                    format: Format::LowerLetter,
                    text: "(%3)".into(),
                    start: 1,
                    restart: Some(0),
                    ..Level::default()
                },
            ]],
            instances: HashMap::from([("1".to_owned(), Instance::default())]),
        };
        let mut counter = Counter::default();
        let shown: Vec<_> =
            [0, 1, 2, 1, 2, 0, 1].iter().map(|level| counter.next(&numbering, "1", *level).unwrap()).collect();
        assert_eq!(shown, ["Article I", "1.01", "(a)", "1.02", "(b)", "Article II", "2.01"]);
    }

    #[test]
    fn a_level_shown_as_nothing_takes_its_separator_with_it() {
        let level = |format, text: &str| Level { format, text: text.to_owned(), start: 1, ..Level::default() };
        let numbering = Numbering {
            definitions: vec![vec![
                level(Format::Unnumbered, "%1"),
                level(Format::Decimal, "%2."),
                level(Format::Decimal, "%1.%2.%3"),
            ]],
            instances: HashMap::from([("1".to_owned(), Instance::default())]),
        };
        let mut counter = Counter::default();
        let shown: Vec<_> =
            [1, 2, 2, 1, 2].iter().map(|level| counter.next(&numbering, "1", *level).unwrap()).collect();
        assert_eq!(shown, ["1.", "1.1", "1.2", "2.", "2.1"]);
    }

    #[test]
    fn instances_of_one_definition_continue_one_list() {
        // As LibreOffice saves a list: an instance per paragraph, one of them restarting at 0.
        let level = |format, text: &str| Level { format, text: text.to_owned(), start: 1, ..Level::default() };
        let numbering = Numbering {
            definitions: vec![vec![level(Format::Decimal, "%1."), level(Format::LowerLetter, "(%2)")]],
            instances: HashMap::from([
                ("4".to_owned(), Instance { definition: 0, starts: vec![(0, 0)] }),
                ("5".to_owned(), Instance { definition: 0, starts: vec![] }),
                ("6".to_owned(), Instance { definition: 0, starts: vec![] }),
                ("7".to_owned(), Instance { definition: 0, starts: vec![(0, 1)] }),
            ]),
        };
        let mut counter = Counter::default();
        let shown: Vec<_> = [(0, "4"), (0, "5"), (1, "5"), (1, "6"), (0, "6"), (0, "7"), (0, "7")]
            .iter()
            .map(|(level, num)| counter.next(&numbering, num, *level).unwrap())
            .collect();
        assert_eq!(shown, ["0.", "1.", "(a)", "(b)", "2.", "1.", "2."]);
    }
}
