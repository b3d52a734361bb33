//! How a numbered paragraph or line opens: its number, and what follows it, looking through
//! bold around the number (`**5.2 Renewal**.`, `**7.2**. Effect.`). The grammar of numbers is
//! [`super::number`]'s; what names a clause is [`super::heading`]'s, and the words compared
//! are [`super::normalise`]'s: both build on this.

use super::number::{self, Number, Place};

/// How a numbered paragraph or line opens: its number, the text after it, and, when the number
/// stood inside bold text (`**7. Termination.**`), what the bold held after the number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Opening<'a> {
    pub number: Number,
    pub rest: &'a str,
    pub(crate) bold_tail: Option<BoldTail<'a>>,
}

/// The rest of the bold text a number opened: `Termination.` and what follows the bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BoldTail<'a> {
    pub inner: &'a str,
    pub after: &'a str,
}

/// The clause number at the start of `line` and what follows it. A bold opening around the
/// number (`**5.2 Renewal**.`, `**7.2**. Effect.`) is looked through.
#[must_use]
pub(crate) fn opening(line: &str) -> Option<Opening<'_>> {
    let (marker, inner) = match ["**", "__"].iter().find_map(|m| line.strip_prefix(m).map(|rest| (*m, rest))) {
        Some((marker, rest)) => (Some(marker), rest.trim_start()),
        None => (None, line),
    };
    // Inside bold, `**7 Termination**` is numbered as a heading line is.
    let (number, consumed) =
        number::parse(inner, Place::Paragraph).or_else(|| marker.and_then(|_| number::parse(inner, Place::Heading)))?;
    let after = &inner[consumed..];
    let Some(marker) = marker else {
        return Some(Opening { number, rest: after.trim_start(), bold_tail: None });
    };
    // `**7.2**. Effect.`: the bold closes right after the number; the punctuation after it
    // belongs to the number, not to the heading.
    if let Some(rest) = after.strip_prefix(marker) {
        let rest = rest.trim_start_matches(['.', ':', ')']).trim_start();
        return Some(Opening { number, rest, bold_tail: None });
    }
    let body = after.trim_start();
    let bold_tail =
        crate::text::find_mark(body, marker).map(|close| BoldTail { inner: &body[..close], after: &body[close + 2..] });
    Some(Opening { number, rest: body, bold_tail })
}
