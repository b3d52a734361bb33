//! What was done of a contract's obligations: performance records, kept beside the contract.
//!
//! An executed contract's front matter and text are sealed; that an obligation was met is a
//! fact of its performance, not of its terms, so it is recorded in a file of its own beside the
//! contract, `msa.performance.toml` for `msa.md`, one `[[performed]]` table per occurrence met:
//!
//! ```toml
//! [[performed]]
//! obligation = "uptime-report"   # the obligation's `id` in the contract
//! due = 2026-01-31               # the occurrence, by its due day
//! on = 2026-01-29                # when it was met
//! by = "@ops/bob"                # who met it (optional)
//! evidence = "https://…"         # a link or a path (optional)
//! ```
//!
//! An occurrence due before today without a record is missed; one due today or later is open.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::contract::metadata::{Metadata, Obligation};

/// How a performance file's name ends, after the contract's name without `.md`.
pub const SUFFIX: &str = crate::repo::PERFORMANCE_SUFFIX;

/// One occurrence of an obligation met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    pub obligation: String,
    pub due: NaiveDate,
    pub on: NaiveDate,
    pub by: Option<String>,
    pub evidence: Option<String>,
}

/// The performance file of the contract at `contract`: `msa.performance.toml` beside `msa.md`.
#[must_use]
pub fn path_for(contract: &Path) -> PathBuf {
    let stem = contract.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    contract.with_file_name(format!("{stem}{SUFFIX}"))
}

/// The contract a performance file belongs to: `msa.md` beside `msa.performance.toml`.
#[must_use]
pub fn contract_for(performance: &Path) -> Option<PathBuf> {
    let name = performance.file_name()?.to_str()?;
    let stem = name.strip_suffix(SUFFIX)?;
    Some(performance.with_file_name(format!("{stem}.md")))
}

/// The records of a performance file's text, or what is wrong with it (which record, which key).
///
/// # Errors
/// When it is not TOML, or a record lacks a key, has one of the wrong kind, or one unknown.
pub fn parse(text: &str) -> Result<Vec<Record>, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.message().to_owned())?;
    let mut records = Vec::new();
    for key in table.keys() {
        if key != "performed" {
            return Err(format!("`{key}` is no key of a performance file (only `[[performed]]` tables)"));
        }
    }
    let Some(performed) = table.get("performed") else { return Ok(records) };
    let toml::Value::Array(items) = performed else {
        return Err("`performed` is an array of tables: `[[performed]]`".to_owned());
    };
    for (index, item) in items.iter().enumerate() {
        let at = format!("record {}", index + 1);
        let toml::Value::Table(record) = item else { return Err(format!("{at} is not a table")) };
        for key in record.keys() {
            if !["obligation", "due", "on", "by", "evidence"].contains(&key.as_str()) {
                return Err(format!("{at}: `{key}` is no key of a record (obligation, due, on, by, evidence)"));
            }
        }
        let text = |key: &str, required: bool| -> Result<Option<String>, String> {
            match record.get(key) {
                Some(toml::Value::String(value)) if !value.trim().is_empty() => Ok(Some(value.clone())),
                None if !required => Ok(None),
                None => Err(format!("{at} has no `{key}`")),
                Some(_) => Err(format!("{at}: `{key}` is text")),
            }
        };
        let date = |key: &str| -> Result<NaiveDate, String> {
            match record.get(key) {
                Some(toml::Value::Datetime(value)) if value.time.is_none() && value.offset.is_none() => {
                    let day = value.date.ok_or_else(|| format!("{at}: `{key}` is a date"))?;
                    NaiveDate::from_ymd_opt(i32::from(day.year), u32::from(day.month), u32::from(day.day))
                        .ok_or_else(|| format!("{at}: `{key}` is no day of the calendar"))
                }
                None => Err(format!("{at} has no `{key}`")),
                Some(_) => Err(format!("{at}: `{key}` is a TOML date, written YYYY-MM-DD without quotes")),
            }
        };
        records.push(Record {
            obligation: text("obligation", true)?.unwrap_or_default(),
            due: date("due")?,
            on: date("on")?,
            by: text("by", false)?,
            evidence: text("evidence", false)?,
        });
    }
    Ok(records)
}

/// A performance file's text with `record` added at its end (a new file when `existing` is
/// none), its other lines as they were.
#[must_use]
pub fn appended(existing: Option<&str>, contract_id: &str, record: &Record) -> String {
    let mut out = match existing {
        Some(text) if !text.is_empty() => {
            let mut text = text.to_owned();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push('\n');
            text
        }
        _ => format!(
            "# What was done of the obligations of {contract_id}: one [[performed]] table per occurrence met.\n\n"
        ),
    };
    let quoted = |text: &str| toml::Value::String(text.to_owned()).to_string();
    out.push_str(&format!(
        "[[performed]]\nobligation = {}\ndue = {}\non = {}\n",
        quoted(&record.obligation),
        record.due,
        record.on
    ));
    if let Some(by) = &record.by {
        out.push_str(&format!("by = {}\n", quoted(by)));
    }
    if let Some(evidence) = &record.evidence {
        out.push_str(&format!("evidence = {}\n", quoted(evidence)));
    }
    out
}

/// A performance file's text with those of `records` added that it does not hold yet (the
/// same obligation and due day), and which those are; `existing` is the file's text, none
/// when there is no file. The text is none when nothing is new.
///
/// # Errors
/// When `existing` does not read as a performance file.
pub fn with_added<'r>(
    existing: Option<&str>,
    contract_id: &str,
    records: &'r [Record],
) -> Result<(Option<String>, Vec<&'r Record>), String> {
    let mut known = existing.map(parse).transpose()?.unwrap_or_default();
    let mut text = existing.map(str::to_owned);
    let mut added = Vec::new();
    for record in records {
        if known.iter().any(|k| k.obligation == record.obligation && k.due == record.due) {
            continue;
        }
        text = Some(appended(text.as_deref(), contract_id, record));
        known.push(record.clone());
        added.push(record);
    }
    Ok((if added.is_empty() { None } else { text }, added))
}

/// The due days of an obligation from its first through `to`, each with its occurrence number.
#[must_use]
pub fn due_through(obligation: &Obligation, to: NaiveDate) -> Vec<(u32, NaiveDate)> {
    let from = obligation.due.or(obligation.starting).unwrap_or(NaiveDate::MIN);
    super::occurrences(obligation, from, to)
}

/// The due day of occurrence `n` of an obligation (`starting + n × every`, or `due` for n = 0).
#[must_use]
pub fn due_of(obligation: &Obligation, n: u32) -> Option<NaiveDate> {
    if let Some(due) = obligation.due {
        return (n == 0).then_some(due);
    }
    let every: crate::lifecycle::Duration = obligation.every.as_deref()?.parse().ok()?;
    every.times(n)?.after(obligation.starting?, &crate::lifecycle::Holidays::NONE)
}

/// The record an obligation's reminder issue closed as done stands for: the contract's path
/// among `sources` and the record (met on the day it was closed, else `today`; by whoever
/// closed it, where the tracker says; the issue as evidence). None when the key names no
/// obligation occurrence of a contract read.
#[must_use]
pub fn from_done(
    done: &super::sync::Done,
    sources: &[super::Source<'_>],
    today: NaiveDate,
) -> Option<(String, Record)> {
    let mut parts = done.key.rsplitn(3, '/');
    let n: u32 = parts.next()?.parse().ok()?;
    let obligation_id = parts.next()?;
    let contract_id = parts.next()?.strip_suffix("/obligation")?;
    let source = sources.iter().find(|s| s.meta.id.as_deref() == Some(contract_id))?;
    let obligation = source.meta.obligations.iter().find(|o| o.id.as_deref() == Some(obligation_id))?;
    let due = due_of(obligation, n)?;
    let record = Record {
        obligation: obligation_id.to_owned(),
        due,
        on: done.on.unwrap_or(today),
        by: done.by.clone(),
        evidence: done.url.clone().or_else(|| Some(format!("issue #{}", done.issue))),
    };
    Some((source.path.to_owned(), record))
}

/// The last `count` due days of an obligation through `to`, latest first, as a list to read:
/// "2026-11-30, 2026-10-31, 2026-09-30".
#[must_use]
pub fn last_due_days(obligation: &Obligation, to: NaiveDate, count: usize) -> String {
    let days = due_through(obligation, to);
    days.iter().rev().take(count).map(|(_, day)| day.to_string()).collect::<Vec<_>>().join(", ")
}

/// Whether `due` is a due day of the obligation.
#[must_use]
pub fn is_due_day(obligation: &Obligation, due: NaiveDate) -> bool {
    super::occurrences(obligation, due, due).iter().any(|(_, day)| *day == due)
}

/// How a contract's obligations were performed, as of a day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Compliance {
    /// Occurrences met by their due day.
    pub met_on_time: usize,
    /// Occurrences met after it.
    pub met_late: usize,
    /// Occurrences due before the day and not met.
    pub missed: usize,
    /// Occurrences due from the day through `ahead`, not met yet.
    pub open: usize,
}

impl Compliance {
    /// Add another's counts.
    pub fn add(&mut self, other: Self) {
        self.met_on_time += other.met_on_time;
        self.met_late += other.met_late;
        self.missed += other.missed;
        self.open += other.open;
    }

    /// Whether there is nothing to count.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The obligations of `meta` as performed by `records`, as of `as_of`, occurrences counted
/// through `ahead` and, unless met, from `since` (where the record starts: occurrences before
/// it were never recorded here, and are not counted as missed): each obligation's owner and
/// counts.
#[must_use]
pub fn compliance(
    meta: &Metadata,
    records: &[Record],
    (as_of, ahead): (NaiveDate, NaiveDate),
    since: Option<NaiveDate>,
) -> Vec<(Option<String>, Compliance)> {
    let mut out = Vec::new();
    for obligation in &meta.obligations {
        let Some(id) = obligation.id.as_deref() else { continue };
        let mut counts = Compliance::default();
        for (_, due) in due_through(obligation, ahead) {
            match records.iter().find(|r| r.obligation == id && r.due == due) {
                Some(record) if record.on <= due => counts.met_on_time += 1,
                Some(_) => counts.met_late += 1,
                None if since.is_some_and(|since| due < since) => {}
                None if due < as_of => counts.missed += 1,
                None => counts.open += 1,
            }
        }
        out.push((obligation.owner.clone(), counts));
    }
    out
}

/// What is wrong with records against the contract's obligations, as of `today`: records of
/// no obligation (an error: the record names something the contract does not have), and
/// records of no due day, or met after `today`, or twice (warnings), each with its record's
/// number.
#[must_use]
pub fn problems(meta: &Metadata, records: &[Record], today: NaiveDate) -> (Vec<String>, Vec<String>) {
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for (index, record) in records.iter().enumerate() {
        let at = index + 1;
        let Some(obligation) = meta.obligations.iter().find(|o| o.id.as_deref() == Some(record.obligation.as_str()))
        else {
            let known: Vec<&str> = meta.obligations.iter().filter_map(|o| o.id.as_deref()).collect();
            errors.push(format!(
                "record {at} names obligation `{}`, which the contract does not have ({})",
                record.obligation,
                if known.is_empty() { "it has none".to_owned() } else { format!("it has {}", known.join(", ")) }
            ));
            continue;
        };
        if !is_due_day(obligation, record.due) {
            warnings.push(format!(
                "record {at}: `{}` is not due on {} (its due days: {})",
                record.obligation,
                record.due,
                last_due_days(obligation, record.due.max(today), 3)
            ));
        }
        if record.on > today {
            warnings.push(format!("record {at}: `{}` met on {}, after today ({today})", record.obligation, record.on));
        }
        if records[..index].iter().any(|r| r.obligation == record.obligation && r.due == record.due) {
            warnings.push(format!("record {at}: `{}` due {} is recorded twice", record.obligation, record.due));
        }
    }
    (errors, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn monthly() -> Metadata {
        let mut meta = Metadata::default();
        meta.obligations.push(Obligation {
            id: Some("report".into()),
            every: Some("1 month".into()),
            starting: Some(day("2026-01-31")),
            ..Obligation::default()
        });
        meta
    }

    #[test]
    fn records_read_and_written_back() {
        let record = Record {
            obligation: "report".into(),
            due: day("2026-01-31"),
            on: day("2026-02-02"),
            by: Some("@ops/bob".into()),
            evidence: Some("https://tracker.example/1 \"quoted\"".into()),
        };
        let text = appended(None, "acme-msa", &record);
        assert_eq!(parse(&text).unwrap(), std::slice::from_ref(&record));
        let twice = appended(Some(&text), "acme-msa", &record);
        assert_eq!(parse(&twice).unwrap().len(), 2);
        assert!(twice.starts_with(&text), "the lines before stay as they were");
        // Added only where new: an occurrence held already, or given twice, is added once.
        let next = Record { due: day("2026-02-28"), ..record.clone() };
        let given = [record.clone(), next.clone(), next.clone()];
        let (more, added) = with_added(Some(&text), "acme-msa", &given).unwrap();
        assert_eq!(added, [&next]);
        assert_eq!(parse(&more.unwrap()).unwrap(), [record.clone(), next]);
        assert_eq!(with_added(Some(&text), "acme-msa", std::slice::from_ref(&record)).unwrap().0, None);
        assert!(with_added(Some("[[done]]\n"), "acme-msa", &[]).is_err());
    }

    #[test]
    fn broken_records_say_what_is_wrong() {
        let error = |text: &str| parse(text).unwrap_err();
        assert!(
            error("[[performed]]\nobligation = \"r\"\ndue = \"2026-01-31\"\non = 2026-02-01\n").contains("TOML date")
        );
        assert!(error("[[performed]]\nobligation = \"r\"\non = 2026-02-01\n").contains("has no `due`"));
        assert!(
            error("[[performed]]\nobligation = \"r\"\ndue = 2026-01-31\non = 2026-02-01\nwho = \"x\"\n")
                .contains("`who`")
        );
        assert!(error("[performed]\nobligation = \"r\"\n").contains("array of tables"));
        assert!(error("[[done]]\n").contains("`done`"));
        assert!(
            error("[[performed]]\nobligation = \"r\"\ndue = 2026-01-31T10:00:00\non = 2026-02-01\n")
                .contains("TOML date")
        );
        assert!(parse("").unwrap().is_empty());
    }

    #[test]
    fn met_on_time_late_missed_and_open() {
        let meta = monthly();
        let met = |due: &str, on: &str| Record {
            obligation: "report".into(),
            due: day(due),
            on: day(on),
            by: None,
            evidence: None,
        };
        // Due Jan 31, Feb 28, Mar 31, Apr 30, May 31; as of Apr 15, counted through May 31.
        let records = [met("2026-01-31", "2026-01-30"), met("2026-02-28", "2026-03-03")];
        let counts = compliance(&meta, &records, (day("2026-04-15"), day("2026-05-31")), None);
        assert_eq!(counts[0].1, Compliance { met_on_time: 1, met_late: 1, missed: 1, open: 2 });
        // From where the record starts: March's occurrence, before it, is not missed.
        let since = compliance(&meta, &records, (day("2026-04-15"), day("2026-05-31")), Some(day("2026-04-01")));
        assert_eq!(since[0].1, Compliance { met_on_time: 1, met_late: 1, missed: 0, open: 2 });
        let (errors, warnings) = problems(&meta, &[met("2026-02-27", "2026-02-27")], day("2026-04-15"));
        assert!(errors.is_empty() && warnings[0].contains("not due on 2026-02-27"), "{warnings:?}");
        let other = Record { obligation: "audit".into(), ..met("2026-01-31", "2026-01-31") };
        let (errors, _) = problems(&meta, &[other], day("2026-04-15"));
        assert!(errors[0].contains("`audit`") && errors[0].contains("it has report"), "{errors:?}");
        let (_, warnings) = problems(&meta, &[records[0].clone(), records[0].clone()], day("2026-04-15"));
        assert!(warnings.iter().any(|w| w.contains("twice")), "{warnings:?}");
        let (_, warnings) = problems(&meta, &[met("2026-03-31", "2026-05-01")], day("2026-04-15"));
        assert!(warnings.iter().any(|w| w.contains("after today")), "{warnings:?}");
    }

    #[test]
    fn the_performance_file_sits_beside_its_contract() {
        assert_eq!(path_for(Path::new("contracts/acme/msa.md")), Path::new("contracts/acme/msa.performance.toml"));
        assert_eq!(
            contract_for(Path::new("contracts/acme/msa.performance.toml")).unwrap(),
            Path::new("contracts/acme/msa.md")
        );
        assert!(contract_for(Path::new("contracts/acme/msa.toml")).is_none());
    }
}
