//! The one grammar of clause numbers.
//!
//! Headings (`## B. Use of the Service`), numbered paragraphs (`**7.2**. Effect.`, `(iv)`,
//! `a.`), and cross-references (`Section B.2`, `Section 3(a)(1)(A)(i)`) all read numbers here,
//! so that what a heading numbers is exactly what a reference can cite, and the three never
//! disagree about where a number ends: `Section 1234` is no reference to clause 123, `## 2025
//! Amendments` is no clause 2025, and `4.10` is never `4.1`.
//!
//! A number is a run of *segments* separated by dots — arabic (`5`, at most three digits: a
//! year is no clause number), a letter (`B`, lettered sections), an upper-case roman numeral
//! (`IV`, articles), or an annex code (`X2`, as in `X2-3`, whose separator is a hyphen) —
//! optionally followed, in references, by parenthesised sub-numbers (`(a)`, `(iv)`, `(A)`,
//! `(1)`). Markdown converters escape the dot of a number at the start of a line (`3\.`), so a
//! backslash before the punctuation of a number is read as if it were not there.

use serde::Serialize;

/// One dot-separated segment of a clause number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Segment {
    /// `5`
    Number(u32),
    /// `B`: 1 for `A`.
    Letter(u32),
    /// `a` in `8.a`, as sub-sections headed `### a. Websites` under `8. Service Terms` number.
    LowerLetter(u32),
    /// `IV`
    Roman(u32),
    /// `X2` in `X2-3`: the letter (24 for `X`) and the number.
    Annex(u32, u32),
    /// `1A` in `## 1A. Payment Processing`, `4.1A`: a clause inserted after `1` or `4.1` by an
    /// amendment, the number and the letter (1 for `A`).
    Inserted(u32, u32),
}

impl Segment {
    /// The number that orders this segment among its siblings.
    #[must_use]
    pub(crate) fn ordinal(self) -> u32 {
        match self {
            Self::Number(n)
            | Self::Letter(n)
            | Self::LowerLetter(n)
            | Self::Roman(n)
            | Self::Annex(_, n)
            | Self::Inserted(n, _) => n,
        }
    }

    /// A segment of the same kind with another ordinal: the `C` between `B` and `D`.
    #[must_use]
    pub(crate) fn with_ordinal(self, n: u32) -> Self {
        match self {
            Self::Number(_) => Self::Number(n),
            Self::Letter(_) => Self::Letter(n),
            Self::LowerLetter(_) => Self::LowerLetter(n),
            Self::Roman(_) => Self::Roman(n),
            Self::Annex(letter, _) => Self::Annex(letter, n),
            Self::Inserted(_, letter) => Self::Inserted(n, letter),
        }
    }

    #[must_use]
    pub(crate) fn same_kind(self, other: Self) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }

    fn write(self, out: &mut String) {
        match self {
            Self::Number(n) => push_decimal(out, n),
            Self::Letter(n) => out.push_str(&letters(n).to_uppercase()),
            Self::LowerLetter(n) => out.push_str(&letters(n)),
            Self::Roman(n) => out.push_str(&roman(n).to_uppercase()),
            Self::Annex(letter, n) => {
                out.push_str(&letters(letter).to_uppercase());
                push_decimal(out, n);
            }
            Self::Inserted(n, letter) => {
                push_decimal(out, n);
                out.push_str(&letters(letter).to_uppercase());
            }
        }
    }
}

/// `[B, 1]` → `B.1`; `[X2, 3]` → `X2-3`.
#[must_use]
pub fn dotted(segments: &[Segment]) -> String {
    let mut out = String::with_capacity(segments.len() * 3);
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            out.push(if matches!(segments[i - 1], Segment::Annex(..)) { '-' } else { '.' });
        }
        segment.write(&mut out);
    }
    out
}

fn push_decimal(out: &mut String, n: u32) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// The kind of a parenthesised or lettered sub-number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubKind {
    /// `(a)`, `a.`, `(iv)`, `iv.`: a letter or a roman numeral, as the sequence decides.
    Lower,
    /// `(A)`, `A.`
    Upper,
    /// `(1)`
    Paren,
}

/// A clause number as written at the start of a heading or paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Number {
    Dotted(Vec<Segment>),
    Sub(String, SubKind),
}

/// Where a number stands, which decides what may follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A heading's text: `5 Term`, `5. Term`, `B. Use`, `Section 5 — Term`.
    Heading,
    /// The start of a paragraph or line: `5.2`, `5.`, `(a)`, `a.`, `A.`; a lone arabic number
    /// needs its dot (`5.` but not `5`).
    Paragraph,
}

/// The number at the start of `text` in `place`, and how many bytes it took (with its
/// trailing dot). `None` when `text` does not open with a clause number.
#[must_use]
pub fn parse(text: &str, place: Place) -> Option<(Number, usize)> {
    let mut cursor = Cursor { bytes: text.as_bytes(), at: 0 };
    if place == Place::Paragraph
        && let Some(sub) = sub_number(&mut cursor)
    {
        return Some(sub);
    }
    cursor.at = 0;
    let segments = segments(&mut cursor)?;
    let dot = cursor.eat(b'.');
    let single = segments.len() == 1;
    match (place, segments[0]) {
        // `A.` opening a paragraph is a lettered sub-item, as `a.` is.
        (Place::Paragraph, Segment::Letter(n)) if single && dot => {
            let letter = letters(n).to_uppercase();
            return cursor.ends_number().then_some((Number::Sub(letter, SubKind::Upper), cursor.at));
        }
        // A lone paragraph number needs its dot (`5.` but not `5`), and `A Note on Fees` and
        // `I Agree` are no numbers anywhere: a letter needs its dot.
        (Place::Paragraph, Segment::Number(_))
        | (_, Segment::Letter(_) | Segment::Roman(_) | Segment::Inserted(..))
            if single && !dot =>
        {
            return None;
        }
        _ => {}
    }
    cursor.ends_number().then_some((Number::Dotted(segments), cursor.at))
}

/// The text after the division word a heading or article line opens with (`Section `, `Article
/// `, `Clause `, `Part `, in either case, or `§`), if it opens with one.
#[must_use]
pub(crate) fn after_division_word(text: &str) -> Option<&str> {
    const WORDS: [&str; 10] =
        ["Section ", "SECTION ", "Article ", "ARTICLE ", "Clause ", "CLAUSE ", "Part ", "PART ", "§ ", "§"];
    // Most text opens with none: its first letter says so at once.
    if !text.starts_with(['S', 'A', 'C', 'P', '§']) {
        return None;
    }
    WORDS.iter().find_map(|word| text.strip_prefix(word))
}

/// A heading's number after an optional `Section`, `Article`, `Clause` or `§`, and the heading
/// after it: `5. Term` → (`[5]`, `Term`); `Article IV – Fees` → (`[IV]`, `Fees`); `Exhibit A`
/// and `2025 Amendments` → (none, the whole text).
#[must_use]
pub(crate) fn split_heading(text: &str) -> (Option<Vec<Segment>>, &str) {
    let (worded, rest) = match after_division_word(text) {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut cursor = Cursor { bytes: rest.as_bytes(), at: 0 };
    if let Some(lower) = lower_letter_heading(rest) {
        return (Some(vec![lower]), rest[2..].trim_start_matches([' ', '\t', '—', '–', '-', ':']).trim());
    }
    let Some(segments) = segments(&mut cursor) else { return (None, text) };
    let dot = cursor.eat(b'.');
    // `Article IV` needs no dot; a bare `B` or `IV` opening a heading does (`B. Use`).
    if !dot && !worded && segments.len() == 1 && !matches!(segments[0], Segment::Number(_)) {
        return (None, text);
    }
    let after = &rest[cursor.at..];
    if !(after.is_empty() || after.starts_with(char::is_whitespace) || after.starts_with(['—', '–', '-', ':'])) {
        return (None, text);
    }
    let heading = after.trim_start_matches([' ', '\t', '—', '–', '-', ':']).trim();
    (Some(segments), heading)
}

/// `a. Websites`: a heading numbered by one lower-case letter and its dot, then white space.
fn lower_letter_heading(text: &str) -> Option<Segment> {
    match text.as_bytes() {
        [letter @ b'a'..=b'z', b'.', space, ..] if space.is_ascii_whitespace() => {
            Some(Segment::LowerLetter(u32::from(letter - b'a') + 1))
        }
        _ => None,
    }
}

/// A number as a cross-reference cites it, after `Section`, `Clause`, `Article` or `§`:
/// `5.2`, `B.2`, `8.1(a)`, `3(a)(1)(A)(i)`. Returns the number as written and its length.
#[must_use]
pub(crate) fn parse_reference(text: &str) -> Option<(String, usize)> {
    let mut cursor = Cursor { bytes: text.as_bytes(), at: 0 };
    let segments = segments(&mut cursor)?;
    let mut number = dotted(&segments);
    while cursor.bytes.get(cursor.at) == Some(&b'(') {
        let rest = &text[cursor.at + 1..];
        let Some(close) = rest.find(')') else { break };
        let inner = &rest[..close];
        if !is_sub(inner) {
            break;
        }
        number.push('(');
        number.push_str(inner);
        number.push(')');
        cursor.at += close + 2;
    }
    // The number must end where the word ends: `1234`, `5AB` and `4.1x` are no numbers (`5A`,
    // an inserted clause, is one).
    let next = text[cursor.at..].chars().next();
    if next.is_some_and(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    Some((number, cursor.at))
}

fn is_sub(inner: &str) -> bool {
    let bytes = inner.as_bytes();
    (!bytes.is_empty() && bytes.len() <= 3 && bytes.iter().all(u8::is_ascii_digit))
        || (bytes.len() == 1 && bytes[0].is_ascii_alphabetic())
        || (bytes.len() <= 6 && (roman_value(inner).is_some() || roman_value(&inner.to_ascii_lowercase()).is_some()))
}

/// `(a)`, `(iv)`, `(A)`, `(1)`, `(a).`, `a.`, `a)`, `iv.`.
fn sub_number(cursor: &mut Cursor<'_>) -> Option<(Number, usize)> {
    let text = std::str::from_utf8(cursor.bytes).ok()?;
    if cursor.eat(b'(') {
        let start = cursor.at;
        let close = text[start..].find(')')? + start;
        let inner = &text[start..close];
        cursor.at = close;
        if !cursor.eat(b')') {
            return None;
        }
        let kind = if !inner.is_empty() && inner.len() <= 3 && inner.bytes().all(|b| b.is_ascii_digit()) {
            SubKind::Paren
        } else if inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_uppercase()) {
            SubKind::Upper
        } else if inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_lowercase())
            || (inner.len() <= 6 && roman_value(inner).is_some())
        {
            SubKind::Lower
        } else {
            return None;
        };
        // `(a).`: a period after the parenthesis belongs to the label.
        cursor.eat(b'.');
        return cursor.ends_number().then(|| (Number::Sub(inner.to_owned(), kind), cursor.at));
    }
    // `a.` or a lower-case roman numeral `iv.`: `i.e.` and `e.g.` are neither.
    let run = cursor.bytes.iter().take_while(|b| b.is_ascii_lowercase()).count();
    if run == 0 || !(run == 1 || roman_value(&text[..run]).is_some()) {
        return None;
    }
    cursor.at = run;
    // `a.`, or `a)` with a closing parenthesis only.
    if !cursor.eat(b'.') && !cursor.eat(b')') {
        return None;
    }
    cursor.ends_number().then(|| (Number::Sub(text[..run].to_owned(), SubKind::Lower), cursor.at))
}

/// The dotted segments at the cursor: `5.2.1`, `B.2`, `4.A`, `IV`, `X2-3`.
fn segments(cursor: &mut Cursor<'_>) -> Option<Vec<Segment>> {
    // Room for `1.2.3.4` at once: growing a one-segment vector costs a reallocation per clause.
    let mut segments = Vec::with_capacity(4);
    segments.push(first_segment(cursor)?);
    loop {
        let save = cursor.at;
        let annex = matches!(segments.last(), Some(Segment::Annex(..)));
        let separated = cursor.eat(b'.') || (annex && cursor.eat(b'-'));
        if !separated {
            break;
        }
        match next_segment(cursor) {
            Ok(Some(segment)) => segments.push(segment),
            Ok(None) => {
                cursor.at = save;
                break;
            }
            // `1.1000`: digits too many for a clause number make the whole no number.
            Err(()) => return None,
        }
    }
    Some(segments)
}

fn first_segment(cursor: &mut Cursor<'_>) -> Option<Segment> {
    match cursor.digits() {
        Digits::Value(n) => return Some(cursor.inserted(n)),
        Digits::TooLong => return None,
        Digits::None => {}
    }
    let run = cursor.bytes[cursor.at..].iter().take_while(|b| b.is_ascii_uppercase()).count();
    if run == 0 {
        return None;
    }
    let word = std::str::from_utf8(&cursor.bytes[cursor.at..cursor.at + run]).ok()?;
    cursor.at += run;
    if run == 1 {
        let letter = letter_value(word);
        return match cursor.digits() {
            Digits::Value(n) => Some(Segment::Annex(letter, n)),
            Digits::TooLong => None,
            Digits::None => Some(Segment::Letter(letter)),
        };
    }
    roman_value(&word.to_ascii_lowercase()).map(Segment::Roman)
}

/// A segment after a dot: digits, or a single capital letter standing alone (`4.A`); an error
/// for a run of digits too long to be one.
fn next_segment(cursor: &mut Cursor<'_>) -> Result<Option<Segment>, ()> {
    match cursor.digits() {
        Digits::Value(n) => return Ok(Some(cursor.inserted(n))),
        Digits::TooLong => return Err(()),
        Digits::None => {}
    }
    let Some(&letter) = cursor.bytes.get(cursor.at) else { return Ok(None) };
    let after = cursor.bytes.get(cursor.at + 1);
    if letter.is_ascii_uppercase() && after.is_none_or(|b| !b.is_ascii_alphanumeric()) {
        cursor.at += 1;
        return Ok(Some(Segment::Letter(u32::from(letter - b'A') + 1)));
    }
    Ok(None)
}

/// What a run of digits at the cursor is.
enum Digits {
    None,
    /// More than three digits: a year or an amount, never a clause number.
    TooLong,
    Value(u32),
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    /// Eat `c`, or `\c` as Markdown converters escape it.
    fn eat(&mut self, c: u8) -> bool {
        match self.bytes.get(self.at) {
            Some(&b) if b == c => {
                self.at += 1;
                true
            }
            Some(b'\\') if self.bytes.get(self.at + 1) == Some(&c) => {
                self.at += 2;
                true
            }
            _ => false,
        }
    }

    /// The segment of the number `n` just read: `1A` where one capital letter closes it
    /// (an inserted clause), else `1`.
    fn inserted(&mut self, n: u32) -> Segment {
        let Some(&letter) = self.bytes.get(self.at).filter(|b| b.is_ascii_uppercase()) else {
            return Segment::Number(n);
        };
        if self.bytes.get(self.at + 1).is_some_and(u8::is_ascii_alphanumeric) {
            return Segment::Number(n);
        }
        self.at += 1;
        Segment::Inserted(n, u32::from(letter - b'A') + 1)
    }

    /// A run of digits, eaten when it is short enough to be a clause number.
    fn digits(&mut self) -> Digits {
        let run = self.bytes[self.at..].iter().take_while(|b| b.is_ascii_digit()).count();
        if run == 0 {
            return Digits::None;
        }
        if run > 3 {
            return Digits::TooLong;
        }
        let value = self.bytes[self.at..self.at + run].iter().fold(0, |n, b| n * 10 + u32::from(b - b'0'));
        self.at += run;
        Digits::Value(value)
    }

    /// Whether a number may end here: at the end, before white space, or before the close of
    /// the bold or italic that wraps it.
    fn ends_number(&self) -> bool {
        match self.bytes.get(self.at) {
            None => true,
            Some(b) => b.is_ascii_whitespace() || matches!(b, b'*' | b'_'),
        }
    }
}

/// `a` → 1; `B` → 2.
#[must_use]
pub(crate) fn letter_value(text: &str) -> u32 {
    text.bytes().next().map_or(0, |b| u32::from(b.to_ascii_lowercase().saturating_sub(b'a')) + 1)
}

/// 1 → `a`; past `z`, the number itself.
#[must_use]
pub fn letters(n: u32) -> String {
    u8::try_from(n)
        .ok()
        .filter(|n| (1..=26).contains(n))
        .map_or_else(|| n.to_string(), |n| char::from(b'a' + n - 1).to_string())
}

/// The value of a lower-case roman numeral up to 39, the range lawyers number items in.
#[must_use]
pub(crate) fn roman_value(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 6 || !text.bytes().all(|b| matches!(b, b'i' | b'v' | b'x')) {
        return None;
    }
    (1..40).find(|&n| roman(n) == text)
}

/// 4 → `iv`.
#[must_use]
pub fn roman(n: u32) -> String {
    const TABLE: [(u32, &str); 6] = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"), (0, "")];
    let mut n = n;
    let mut out = String::new();
    for (value, digits) in TABLE {
        while value > 0 && n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(text: &str) -> Option<String> {
        split_heading(text).0.map(|s| dotted(&s))
    }

    fn paragraph(text: &str) -> Option<String> {
        parse(text, Place::Paragraph).map(|(number, _)| match number {
            Number::Dotted(s) => dotted(&s),
            Number::Sub(text, _) => format!("({text})"),
        })
    }

    #[test]
    fn headings_number_with_digits_letters_romans_and_annexes() {
        assert_eq!(heading("5. Term"), Some("5".into()));
        assert_eq!(heading("5 Term"), Some("5".into()));
        assert_eq!(heading("5.2 Renewal"), Some("5.2".into()));
        assert_eq!(heading("B. Use of the Service"), Some("B".into()));
        assert_eq!(heading("4.A Invoicing"), Some("4.A".into()));
        assert_eq!(heading("Article IV – Fees"), Some("IV".into()));
        assert_eq!(heading("IV. Fees"), Some("IV".into()));
        assert_eq!(heading("X2-3. Transfers"), Some("X2-3".into()));
        assert_eq!(heading("3\\. Payment"), Some("3".into()));
        assert_eq!(heading("Section 1 – Definitions."), Some("1".into()));
        assert_eq!(heading("1A. Payment Processing"), Some("1A".into()));
        assert_eq!(heading("4.1A Disclaimer"), Some("4.1A".into()));
        assert_eq!(paragraph("4.1A. Disclaimer"), Some("4.1A".into()));
        assert_eq!(parse_reference("1A.2 applies").map(|(n, _)| n).as_deref(), Some("1A.2"));
        assert_eq!(parse_reference("5AB"), None);
        assert_eq!(split_heading("Section 1 – Definitions.").1, "Definitions.");
    }

    #[test]
    fn what_is_no_heading_number() {
        for text in ["2025 Amendments", "A Note on Fees", "I Agree", "Exhibit A", "IV Fees", "5A Extra", "1234. Big"] {
            assert_eq!(heading(text), None, "{text}");
        }
    }

    #[test]
    fn paragraphs_open_with_dotted_numbers_and_sub_numbers() {
        assert_eq!(paragraph("5.2 Renewal"), Some("5.2".into()));
        assert_eq!(paragraph("5. Term"), Some("5".into()));
        assert_eq!(paragraph("5 Term"), None);
        assert_eq!(paragraph("(a) first"), Some("(a)".into()));
        assert_eq!(paragraph("(iv) fourth"), Some("(iv)".into()));
        assert_eq!(paragraph("iv. fourth"), Some("(iv)".into()));
        assert_eq!(paragraph("a. first"), Some("(a)".into()));
        assert_eq!(paragraph("A. reproduce"), Some("(A)".into()));
        assert_eq!(paragraph("3\\. Payment"), Some("3".into()));
        for text in ["i.e. this", "e.g. that", "ab. no", "2025. Year", "(abc) no", "A Note"] {
            assert_eq!(paragraph(text), None, "{text}");
        }
    }

    #[test]
    fn references_end_where_the_number_ends() {
        let reference = |text: &str| parse_reference(text).map(|(n, _)| n);
        assert_eq!(reference("4.10 applies"), Some("4.10".into()));
        assert_eq!(reference("B.2, and"), Some("B.2".into()));
        assert_eq!(reference("3(a)(1)(A)(i) of"), Some("3(a)(1)(A)(i)".into()));
        assert_eq!(reference("2(b)(1)-(2) are"), Some("2(b)(1)".into()));
        assert_eq!(reference("5."), Some("5".into()));
        assert_eq!(reference("1234 applies"), None);
        assert_eq!(reference("1.1000 applies"), None);
        // An inserted clause's number (`17A`) is a number; `of the Act` makes it a citation.
        assert_eq!(reference("17A of the Act"), Some("17A".into()));
        assert_eq!(reference("17AB of the Act"), None);
    }

    #[test]
    fn numbers_print_as_written() {
        assert_eq!(dotted(&[Segment::Annex(24, 2), Segment::Number(3)]), "X2-3");
        assert_eq!(dotted(&[Segment::Letter(2), Segment::Number(10)]), "B.10");
        assert_eq!(dotted(&[Segment::Roman(4)]), "IV");
    }
}
