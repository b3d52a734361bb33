//! Reminder events: notice deadlines, renewals, expiries and obligations, as of a day.
//!
//! Every event has a stable `key` that names *what* it is, not *when*: the notice deadline of
//! renewal term 2 of `acme-msa-2025` is `acme-msa-2025/notice-deadline/2` whatever its date.
//! Tracker sync finds its issue by that key, so when a contract's dates are corrected the
//! issue is updated in place, never duplicated.
//!
//! Only executed contracts produce events. A recorded notice of non-renewal
//! (`renewal.notice_given`) makes the term it falls in the last: its renewal becomes an expiry.

pub mod ics;
pub mod performance;
pub mod sync;

use chrono::NaiveDate;
use serde::Serialize;

use crate::contract::{Metadata, Status};
use crate::lifecycle::{Calendar, ContractDates, Duration, RenewalKind, Term};

pub use crate::lifecycle::EventKind;

/// One reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// The stable identity: `<contract>/<kind>/<term or obligation occurrence>`.
    pub key: String,
    /// The contract's id.
    pub contract: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub path: String,
    pub kind: EventKind,
    pub date: NaiveDate,
    /// The first day to remind on: the date less the longest lead time.
    pub remind_on: NaiveDate,
    pub title: String,
    pub owner: Option<String>,
    /// Every lead time, longest first, for calendar alarms.
    pub lead_times: Vec<Duration>,
    /// Whether the date has passed (an obligation still listed as overdue).
    pub overdue: bool,
    /// More detail for people: what the event means.
    pub detail: String,
}

/// Lead times per event kind, and how far around today events are listed.
#[derive(Debug, Clone)]
pub struct RemindOptions {
    pub as_of: NaiveDate,
    /// Events dated `as_of` through `as_of + within` are listed.
    pub within: Duration,
    /// Obligations due this long before `as_of` are still listed, as overdue.
    pub overdue: Duration,
    pub lead_times: Vec<(EventKind, Vec<Duration>)>,
    pub calendar: Calendar,
    /// Whether obligations are listed (a report of terms leaves them out).
    pub obligations: bool,
}

impl RemindOptions {
    fn leads(&self, kind: EventKind) -> Vec<Duration> {
        let mut leads = self.lead_times.iter().find(|(k, _)| *k == kind).map(|(_, l)| l.clone()).unwrap_or_default();
        leads.sort_by_key(|d| std::cmp::Reverse(d.max_days()));
        leads
    }

    fn window(&self) -> (NaiveDate, NaiveDate) {
        let end = self.within.after(self.as_of, &self.calendar.holidays).unwrap_or(NaiveDate::MAX);
        (self.as_of, end)
    }
}

/// A contract as reminders need it: its path and front matter.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub path: &'a str,
    pub meta: &'a Metadata,
}

/// The most terms walked through the window (a daily renewal for 27 years, more than the
/// longest window holds).
const MAX_TERMS: u32 = 10_000;

/// Every event of `contracts` that falls in the window of `options`, sorted by date.
#[must_use]
pub fn events(contracts: &[Source<'_>], options: &RemindOptions) -> Vec<Event> {
    use rayon::prelude::*;
    let mut events: Vec<Event> = contracts.par_iter().flat_map_iter(|c| contract_events(c, options)).collect();
    events.sort_by(|a, b| (a.date, &a.contract, a.kind, &a.key).cmp(&(b.date, &b.contract, b.kind, &b.key)));
    events
}

/// One contract's events in the window, unsorted: for a caller that wants a few events of each
/// contract, not every contract's at once.
pub(crate) fn contract_events(source: &Source<'_>, options: &RemindOptions) -> Vec<Event> {
    let meta = source.meta;
    let mut out = Vec::new();
    let (Some(id), Some(Status::Executed)) = (meta.id.as_deref(), meta.status) else { return out };
    let title = meta.title.as_deref().unwrap_or(id);
    let (from, to) = options.window();
    let new_event =
        |kind: EventKind, suffix: String, date: NaiveDate, title: String, owner: Option<&String>, detail: String| {
            let lead_times = options.leads(kind);
            let remind_on =
                lead_times.first().and_then(|lead| lead.before(date, &options.calendar.holidays)).unwrap_or(date);
            Event {
                key: format!("{id}/{}/{suffix}", kind.as_str()),
                contract: id.to_owned(),
                path: source.path.to_owned(),
                kind,
                date,
                remind_on,
                title,
                owner: owner.or(meta.owner.as_ref()).cloned(),
                lead_times,
                overdue: date < options.as_of,
                detail,
            }
        };
    if let Ok(Some(dates)) = meta.dates() {
        let notice_given = meta.renewal.as_ref().and_then(|r| r.notice_given);
        for term in terms_in_window(&dates, notice_given, from, to, &options.calendar) {
            let Some(end) = term.end else { continue };
            if term.renews {
                if let Some(deadline) = term.notice_deadline.filter(|d| (from..=to).contains(d)) {
                    let notice = dates.notice.map(|n| n.to_string()).unwrap_or_default();
                    out.push(new_event(
                        EventKind::NoticeDeadline,
                        term.index.to_string(),
                        deadline,
                        format!("Last day to give notice of non-renewal: {title} ({id})"),
                        None,
                        format!("{title} renews on {} unless notice of non-renewal is given by {deadline} ({notice} before the term ends on {end}).", end.succ_opt().unwrap_or(end)),
                    ));
                }
                let renewal = end.succ_opt().unwrap_or(end);
                if (from..=to).contains(&renewal) {
                    let period = dates.period.map(|p| format!(" for {p}")).unwrap_or_default();
                    out.push(new_event(
                        EventKind::Renewal,
                        (term.index + 1).to_string(),
                        renewal,
                        format!("{title} ({id}) renews{period}"),
                        None,
                        format!("Renewal term {} of {title} starts on {renewal}.", term.index + 1),
                    ));
                }
            } else if (from..=to).contains(&end) {
                out.push(new_event(
                    EventKind::Expiry,
                    term.index.to_string(),
                    end,
                    format!("{title} ({id}) expires"),
                    None,
                    format!("{title} ends on {end} and does not renew."),
                ));
            }
        }
    }
    if !options.obligations {
        return out;
    }
    let overdue_from = options.overdue.before(options.as_of, &options.calendar.holidays).unwrap_or(NaiveDate::MIN);
    for obligation in &meta.obligations {
        let Some(obligation_id) = obligation.id.as_deref() else { continue };
        let summary = obligation.summary.as_deref().unwrap_or(obligation_id);
        let clause = obligation.clause.as_deref().map(|c| format!(" (clause {c})")).unwrap_or_default();
        for (occurrence, date) in occurrences(obligation, overdue_from, to) {
            out.push(new_event(
                EventKind::Obligation,
                format!("{obligation_id}/{occurrence}"),
                date,
                format!("{summary} ({id})"),
                obligation.owner.as_ref(),
                format!("Obligation `{obligation_id}` of {title}{clause}, due {date}."),
            ));
        }
    }
    out
}

/// The terms of a contract that can hold an event in `from..=to`, with a recorded notice of
/// non-renewal ending the term it falls in.
fn terms_in_window(
    dates: &ContractDates,
    notice_given: Option<NaiveDate>,
    from: NaiveDate,
    to: NaiveDate,
    calendar: &Calendar,
) -> Vec<Term> {
    let mut terms = Vec::new();
    // Start from the term just before the window (or the one in which notice was given): the
    // terms before it cannot hold an event in the window.
    let before = from.pred_opt().unwrap_or(from);
    let start = notice_given.map_or(before, |given| given.min(before));
    let mut k = dates.term_containing(start, calendar).ok().flatten().map_or(0, |term| term.index);
    let last_k = k.saturating_add(MAX_TERMS);
    while k < last_k {
        let Ok(Some(mut term)) = dates.term(k, calendar) else { break };
        if term.start > to {
            break;
        }
        let last = notice_given.is_some_and(|given| term.end.is_none_or(|end| given <= end) && given >= term.start);
        if last && dates.kind == RenewalKind::Auto {
            term.renews = false;
            term.notice_deadline = None;
        }
        // A term ending before the window can still matter: its renewal is the next day.
        if term.end.is_none_or(|end| end.succ_opt().unwrap_or(end) >= from) {
            terms.push(term);
        }
        if last || !term.renews {
            break;
        }
        k += 1;
    }
    terms
}

/// The occurrences of an obligation in `from..=to`: its occurrence number and due day.
fn occurrences(
    obligation: &crate::contract::metadata::Obligation,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(u32, NaiveDate)> {
    if let Some(due) = obligation.due {
        return if (from..=to).contains(&due) { vec![(0, due)] } else { Vec::new() };
    }
    let (Some(starting), Some(every)) =
        (obligation.starting, obligation.every.as_deref().and_then(|e| e.parse::<Duration>().ok()))
    else {
        return Vec::new();
    };
    if every.count == 0 {
        return Vec::new();
    }
    // Occurrence k is `starting + k × every`, each computed from the anchor. Skip ahead to near
    // the window by days, then walk.
    let mut k = u32::try_from(u64::try_from((from - starting).num_days()).unwrap_or(0) / every.max_days().max(1))
        .unwrap_or(0)
        .saturating_sub(1);
    let mut out = Vec::new();
    while k < MAX_TERMS * 10 {
        let Some(date) = every.times(k).and_then(|d| d.after(starting, &crate::lifecycle::Holidays::NONE)) else {
            break;
        };
        if date > to {
            break;
        }
        if date >= from {
            out.push((k, date));
        }
        k += 1;
    }
    out
}

/// Every contract's front matter, read in parallel for reminders.
#[derive(Debug, Default)]
pub struct Read {
    /// Contracts read: (shown path, front matter).
    pub contracts: Vec<(String, Metadata)>,
    /// The contracts that could not be read, each with why.
    pub unreadable: Vec<String>,
    /// The ids of the contracts that could not be read (`*` where not even the id could be
    /// found): their reminder issues are kept as they are, since a typo must not close them.
    pub keep: std::collections::HashSet<String>,
}

impl Read {
    /// The sources reminders are computed from.
    pub fn sources(&self) -> Vec<Source<'_>> {
        self.contracts.iter().map(|(path, meta)| Source { path, meta }).collect()
    }

    /// How many of the contracts read are executed (the ones reminders come from).
    pub fn executed(&self) -> usize {
        self.contracts.iter().filter(|(_, meta)| meta.status == Some(Status::Executed)).count()
    }
}

/// Read the front matter of every contract of `repo`, in parallel.
///
/// # Errors
/// When the contracts folder cannot be walked.
pub fn read(repo: &crate::repo::Repo) -> Result<Read, crate::repo::RepoError> {
    use rayon::prelude::*;
    // A contract read, or why not and its id when its id line says.
    type One = Result<(String, Metadata), (String, Option<String>)>;
    let files = repo.contract_files()?;
    let results: Vec<One> = files
        .par_iter()
        .map(|file| {
            let bytes = std::fs::read(&file.path).map_err(|e| (format!("{}: {e}", file.shown), None))?;
            let (text, _) = crate::contract::decode(&file.shown, bytes)
                .map_err(|d| (format!("{}: {}", file.shown, d.message), None))?;
            let meta = crate::contract::Contract::read_metadata(&text)
                .ok_or_else(|| (format!("{}: no readable front matter", file.shown), id_line(&text)))?;
            Ok((file.shown.clone(), meta))
        })
        .collect();
    let mut read = Read { contracts: Vec::with_capacity(results.len()), ..Read::default() };
    for result in results {
        match result {
            Ok(contract) => read.contracts.push(contract),
            Err((problem, id)) => {
                read.unreadable.push(problem);
                read.keep.insert(id.unwrap_or_else(|| "*".to_owned()));
            }
        }
    }
    Ok(read)
}

/// The id of a contract whose front matter is not valid TOML, from its `id = "…"` line.
fn id_line(text: &str) -> Option<String> {
    text.lines().skip(1).take_while(|l| l.trim() != "+++").find_map(|line| {
        let value = line.trim().strip_prefix("id")?.trim_start().strip_prefix('=')?.trim();
        let id = value.strip_prefix('"')?.split('"').next()?;
        (!id.is_empty()).then(|| id.to_owned())
    })
}

/// The keys of the events that still apply, within or beyond the window: an open issue for any
/// of them stays open.
pub fn still_applying(sources: &[Source<'_>], options: &RemindOptions) -> std::collections::HashSet<String> {
    let horizon = RemindOptions { within: "3 years".parse().expect("a valid duration"), ..options.clone() };
    events(sources, &horizon).into_iter().map(|e| e.key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::metadata::{Obligation, Renewal};

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn options(as_of: &str) -> RemindOptions {
        RemindOptions {
            as_of: d(as_of),
            within: "90 days".parse().unwrap(),
            overdue: "30 days".parse().unwrap(),
            lead_times: vec![(EventKind::NoticeDeadline, vec!["7 days".parse().unwrap(), "30 days".parse().unwrap()])],
            calendar: Calendar::default(),
            obligations: true,
        }
    }

    fn msa() -> Metadata {
        Metadata {
            id: Some("acme-msa".into()),
            title: Some("MSA".into()),
            status: Some(Status::Executed),
            owner: Some("@legal/alice".into()),
            effective_date: Some(d("2025-01-01")),
            term: Some("12 months".into()),
            renewal: Some(Renewal {
                kind: Some("auto".into()),
                period: Some("12 months".into()),
                notice: Some("60 days".into()),
                notice_given: None,
            }),
            obligations: vec![Obligation {
                id: Some("report".into()),
                summary: Some("Monthly report".into()),
                owner: Some("@bob".into()),
                every: Some("1 month".into()),
                starting: Some(d("2025-01-31")),
                ..Obligation::default()
            }],
            ..Metadata::default()
        }
    }

    fn summary(events: &[Event]) -> Vec<(String, String)> {
        events.iter().map(|e| (e.key.clone(), e.date.to_string())).collect()
    }

    #[test]
    fn an_auto_renewing_contract_near_its_deadline() {
        let meta = msa();
        let events = events(&[Source { path: "msa.md", meta: &meta }], &options("2025-10-15"));
        assert_eq!(
            summary(&events),
            [
                ("acme-msa/obligation/report/8".into(), "2025-09-30".into()),
                ("acme-msa/obligation/report/9".into(), "2025-10-31".into()),
                ("acme-msa/notice-deadline/0".into(), "2025-11-01".into()),
                ("acme-msa/obligation/report/10".into(), "2025-11-30".into()),
                ("acme-msa/obligation/report/11".into(), "2025-12-31".into()),
                ("acme-msa/renewal/1".into(), "2026-01-01".into()),
            ]
        );
        let deadline = &events[2];
        assert_eq!(deadline.remind_on, d("2025-10-02"), "30 days, the longest lead, before the deadline");
        assert_eq!(deadline.owner.as_deref(), Some("@legal/alice"));
        assert!(events[0].overdue && !deadline.overdue);
        assert_eq!(events[1].owner.as_deref(), Some("@bob"), "an obligation's owner comes first");
    }

    #[test]
    fn notice_given_turns_the_renewal_into_an_expiry() {
        let mut meta = msa();
        meta.renewal.as_mut().unwrap().notice_given = Some(d("2025-10-20"));
        let source = Source { path: "msa.md", meta: &meta };
        let events = events(&[source], &options("2025-10-15"));
        let kinds: Vec<&str> =
            events.iter().filter(|e| e.kind != EventKind::Obligation).map(|e| e.key.as_str()).collect();
        assert_eq!(kinds, ["acme-msa/expiry/0"]);
    }

    #[test]
    fn only_executed_contracts_remind() {
        let meta = Metadata { status: Some(Status::Approved), ..msa() };
        assert!(events(&[Source { path: "", meta: &meta }], &options("2025-10-15")).is_empty());
    }

    #[test]
    fn keys_do_not_change_when_dates_move() {
        let before = msa();
        let after = Metadata { effective_date: Some(d("2025-01-15")), ..msa() };
        let key = |meta: &Metadata| {
            events(&[Source { path: "", meta }], &options("2025-10-15"))
                .into_iter()
                .find(|e| e.kind == EventKind::NoticeDeadline)
                .map(|e| (e.key, e.date))
                .unwrap()
        };
        let (old_key, old_date) = key(&before);
        let (new_key, new_date) = key(&after);
        assert_eq!(old_key, new_key);
        assert_ne!(old_date, new_date);
    }

    #[test]
    fn many_terms_later() {
        let meta = Metadata { effective_date: Some(d("2000-02-29")), ..msa() };
        let events = events(&[Source { path: "", meta: &meta }], &options("2026-11-01"));
        let deadline = events.iter().find(|e| e.kind == EventKind::NoticeDeadline).unwrap();
        // Term 26 ends on 2027-02-27 (the day before 2000-02-29 + 27 years, clamped to the 28th).
        assert_eq!((deadline.key.as_str(), deadline.date), ("acme-msa/notice-deadline/26", d("2026-12-29")));
    }
}
