//! Reminders as an RFC 5545 calendar that calendar applications import and subscribe to.
//!
//! The output is reproducible: `UID` is the event key, and `DTSTAMP` is derived from `--as-of`
//! rather than the clock, so the same repository and day give the same bytes. Events are
//! all-day; each lead time becomes a `VALARM`. Lines end in CRLF and are folded at 75 octets
//! without splitting a UTF-8 character, as the RFC requires.

use chrono::NaiveDate;

use super::Event;
use crate::lifecycle::{Duration, Holidays, Unit};

/// Escape a TEXT value (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Append one content line, folded at 75 octets (RFC 5545 §3.1).
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let size = c.len_utf8();
        if width + size > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += size;
    }
    out.push_str("\r\n");
}

fn date(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

/// The alarm trigger for a lead time: relative for days and weeks, an absolute time (09:00 UTC
/// on the day) for months, years and business days, which have no fixed length.
fn trigger(lead: Duration, day: NaiveDate, holidays: &Holidays) -> Option<String> {
    match lead.unit {
        Unit::Day => Some(format!("TRIGGER:-P{}D", lead.count)),
        Unit::Week => Some(format!("TRIGGER:-P{}W", lead.count)),
        _ => lead.before(day, holidays).map(|at| format!("TRIGGER;VALUE=DATE-TIME:{}T090000Z", date(at))),
    }
}

/// The calendar of `events`, stamped as of `as_of`.
#[must_use]
pub fn calendar(events: &[Event], as_of: NaiveDate, holidays: &Holidays) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, &format!("PRODID:-//pactum//pactum {}//EN", env!("CARGO_PKG_VERSION")));
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, "X-WR-CALNAME:Contract reminders");
    let stamp = format!("DTSTAMP:{}T000000Z", date(as_of));
    for event in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}@pactum", escape(&event.key)));
        line(&mut out, &stamp);
        line(&mut out, &format!("DTSTART;VALUE=DATE:{}", date(event.date)));
        line(&mut out, &format!("DTEND;VALUE=DATE:{}", date(event.date.succ_opt().unwrap_or(event.date))));
        line(&mut out, &format!("SUMMARY:{}", escape(&event.title)));
        let mut description = event.detail.clone();
        if let Some(owner) = &event.owner {
            description.push_str(&format!("\nOwner: {owner}"));
        }
        if !event.path.is_empty() {
            description.push_str(&format!("\nContract: {}", event.path));
        }
        line(&mut out, &format!("DESCRIPTION:{}", escape(&description)));
        line(&mut out, &format!("CATEGORIES:{}", event.kind.as_str()));
        line(&mut out, "TRANSP:TRANSPARENT");
        for lead in &event.lead_times {
            let Some(trigger) = trigger(*lead, event.date, holidays) else { continue };
            line(&mut out, "BEGIN:VALARM");
            line(&mut out, "ACTION:DISPLAY");
            line(&mut out, &format!("DESCRIPTION:{}", escape(&format!("In {lead}: {}", event.title))));
            line(&mut out, &trigger);
            line(&mut out, "END:VALARM");
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        line(&mut out, &long);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
