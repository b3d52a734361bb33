//! The portfolio at a glance: counts and values by status, type, counterparty, owner and
//! governing law; what renews or expires soon; contracts that need attention; and cycle times
//! from the approval ledger.
//!
//! Values are summed per currency, never converted. A value `per` month, quarter or year is
//! annualised; a value `per = "once"` is a one-off and summed apart. Only contracts in force
//! (executed and neither expired, terminated nor superseded as of the day) count towards the
//! value totals; every contract counts in the tallies.

pub mod portfolio;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::contract::{Amount, Metadata, Status};
use crate::lifecycle::{Calendar, Duration, State};
use crate::remind::{self, EventKind, RemindOptions, Source};

/// One contract's row.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub path: String,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    /// The computed state as of the day, for executed contracts.
    pub state: Option<State>,
    pub owner: Option<String>,
    pub counterparties: Vec<String>,
    pub governing_law: Option<String>,
    pub amount: Option<Amount>,
    pub currency: Option<String>,
    pub per: Option<String>,
    /// The yearly value, for recurring values.
    pub annual_value: Option<Amount>,
    pub effective_date: Option<NaiveDate>,
    pub next_notice_deadline: Option<NaiveDate>,
    /// The last day to give notice of non-renewal before the next renewal: the deadline that
    /// governs `next_event`, which may already have passed.
    pub notice_by: Option<NaiveDate>,
    /// The next renewal or expiry.
    pub next_event: Option<String>,
    pub next_event_date: Option<NaiveDate>,
    /// Errors and warnings `pactum check` reports.
    pub findings: usize,
    /// Days from the first commit (or the request it was drafted from, when opened earlier or
    /// later) to the landing that made it executed.
    pub cycle_days: Option<i64>,
    /// Days in review (from status review to the next status).
    pub review_days: Option<i64>,
    /// How its obligations were performed (executed contracts with obligations), from the
    /// performance file beside it.
    pub compliance: Option<crate::remind::performance::Compliance>,
}

/// A tally of one group.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Tally {
    pub count: usize,
    /// Yearly value of contracts in force, per currency.
    pub annual_value: BTreeMap<String, Amount>,
}

/// Totals per currency.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Money {
    pub annual: Amount,
    pub one_off: Amount,
    pub contracts: usize,
}

/// Something coming up.
#[derive(Debug, Clone, Serialize)]
pub struct Upcoming {
    pub id: String,
    pub kind: EventKind,
    pub date: NaiveDate,
    pub days: i64,
    pub notice_deadline: Option<NaiveDate>,
}

/// Median and spread of cycle times, in days.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Spread {
    pub count: usize,
    pub median: f64,
    pub min: i64,
    pub max: i64,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub as_of: NaiveDate,
    pub contracts: usize,
    pub by_status: BTreeMap<String, Tally>,
    pub by_type: BTreeMap<String, Tally>,
    pub by_counterparty: BTreeMap<String, Tally>,
    pub by_owner: BTreeMap<String, Tally>,
    pub by_governing_law: BTreeMap<String, Tally>,
    pub value: BTreeMap<String, Money>,
    /// Renewals and expiries in the next 30, 60 and 90 days (each list includes the shorter).
    pub upcoming: BTreeMap<String, Vec<Upcoming>>,
    pub without_owner: Vec<String>,
    pub with_findings: Vec<String>,
    pub cycle_times: BTreeMap<String, Spread>,
    pub review_times: BTreeMap<String, Spread>,
    pub slowest: Vec<(String, i64)>,
    /// Why cycle times are missing, when they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history_note: Option<String>,
    /// Which parties are ours is not known (no `[report] our_names`, and no party on most
    /// contracts): counterparties are every party.
    #[serde(skip)]
    pub ours_unknown: bool,
    /// Obligations performed: over all executed contracts, by counterparty and by owner.
    pub compliance: ComplianceSummary,
    pub rows: Vec<Row>,
}

/// A contract as the report reads it.
pub struct Input<'a> {
    pub path: &'a str,
    pub meta: &'a Metadata,
    pub findings: usize,
}

/// From the ledger: when a contract was created, executed, entered and left review.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timeline {
    pub created: Option<i64>,
    pub executed: Option<i64>,
    pub(crate) review_started: Option<i64>,
    pub(crate) review_ended: Option<i64>,
}

fn annual(amount: Amount, per: Option<&str>) -> Option<Amount> {
    match per {
        Some("year") => Some(amount),
        Some("quarter") => Some(amount.times(4)),
        Some("month") => Some(amount.times(12)),
        _ => None,
    }
}

fn median(values: &mut [i64]) -> f64 {
    values.sort_unstable();
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 { values[n / 2] as f64 } else { f64::midpoint(values[n / 2 - 1] as f64, values[n / 2] as f64) }
}

fn spread(mut values: Vec<i64>) -> Option<Spread> {
    if values.is_empty() {
        return None;
    }
    let median = median(&mut values);
    Some(Spread { count: values.len(), median, min: values[0], max: values[values.len() - 1] })
}

/// Which party is "us": the name that appears among the parties of the most contracts, unless
/// `ours` names them.
fn our_names(inputs: &[Input<'_>], ours: &[String]) -> Vec<String> {
    if !ours.is_empty() {
        return ours.to_vec();
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for input in inputs {
        for party in &input.meta.parties {
            *counts.entry(party.name.as_str()).or_default() += 1;
        }
    }
    let most = counts.values().copied().max().unwrap_or(0);
    // Only a name on more than half the contracts, and on more than any other name, is
    // plausibly ours: the two parties of a first contract tie, and neither is known to be us.
    let top: Vec<&str> = counts.iter().filter(|(_, c)| **c == most).map(|(n, _)| *n).collect();
    if most * 2 <= inputs.len() || top.len() != 1 {
        return Vec::new();
    }
    vec![top[0].to_owned()]
}

/// Build the report. A contract is "expiring" when it ends, without renewing, within
/// `expiring_within` (`[lifecycle] expiring_within`), as `pactum inspect` says.
#[must_use]
pub fn build(
    inputs: &[Input<'_>],
    timelines: Option<&HashMap<String, Timeline>>,
    as_of: NaiveDate,
    calendar: &Calendar,
    ours: &[String],
    expiring_within: Duration,
) -> Report {
    // The upcoming lists reach 90 days.
    let within: Duration = "90 days".parse().expect("a valid duration");
    let ours = our_names(inputs, ours);
    let remind_options = RemindOptions {
        as_of,
        within,
        overdue: "0 days".parse().expect("a valid duration"),
        lead_times: Vec::new(),
        calendar: calendar.clone(),
        obligations: false,
    };
    let sources: Vec<Source<'_>> = inputs.iter().map(|i| Source { path: i.path, meta: i.meta }).collect();
    let events = remind::events(&sources, &remind_options);
    let horizon = RemindOptions { within: "5 years".parse().expect("a valid duration"), ..remind_options.clone() };
    // Each contract's next notice deadline and next renewal or expiry, found from its own
    // events over five years, one contract at a time: every contract's at once is millions of
    // events over 100,000 contracts.
    let next_by_contract: HashMap<&str, Next> = {
        use rayon::prelude::*;
        sources
            .par_iter()
            .filter_map(|source| {
                let id = source.meta.id.as_deref()?;
                let events = remind::contract_events(source, &horizon);
                let first = |kinds: &[EventKind]| {
                    events
                        .iter()
                        .filter(|e| kinds.contains(&e.kind))
                        .min_by(|a, b| (a.date, a.kind, &a.key).cmp(&(b.date, b.kind, &b.key)))
                        .map(|e| (e.kind, e.date))
                };
                let deadline = first(&[EventKind::NoticeDeadline]).map(|(_, date)| date);
                Some((id, (deadline, first(&[EventKind::Renewal, EventKind::Expiry]))))
            })
            .collect::<Vec<_>>()
            .into_iter()
            // Two contracts with one id (a finding of its own) share their earliest events.
            .fold(HashMap::new(), |mut all, (id, (deadline, next))| {
                let entry: &mut Next = all.entry(id).or_default();
                entry.0 = entry.0.into_iter().chain(deadline).min();
                entry.1 = entry.1.into_iter().chain(next).min_by_key(|&(kind, date)| (date, kind));
                all
            })
    };
    let mut rows = Vec::with_capacity(inputs.len());
    for input in inputs {
        let meta = input.meta;
        let id = meta.id.clone().unwrap_or_else(|| input.path.to_owned());
        let status = meta.status.map_or("unknown", Status::as_str).to_owned();
        let state = match meta.status {
            Some(Status::Executed) => {
                meta.dates().ok().flatten().and_then(|d| d.state(as_of, expiring_within, calendar).ok())
            }
            Some(Status::Terminated) => Some(State::Terminated),
            Some(Status::Superseded) => Some(State::Superseded),
            _ => None,
        };
        let (next_notice_deadline, next) = next_by_contract.get(id.as_str()).copied().unwrap_or_default();
        let notice_by = next.and_then(|(kind, date)| governing_notice(meta, kind, date, calendar));
        let money = meta.value.as_ref();
        let amount = money.and_then(|v| v.amount);
        let per = money.and_then(|v| v.per.clone());
        let timeline = timelines.and_then(|t| t.get(&id)).copied().unwrap_or_default();
        let days = |from: Option<i64>, to: Option<i64>| from.zip(to).map(|(a, b)| (b - a) / 86_400);
        // A contract that arrived already executed (imported with its history elsewhere) has no
        // cycle to measure here.
        let cycle_end = timeline.executed.filter(|executed| timeline.created != Some(*executed));
        // A contract drafted from a request: its cycle starts when the request was opened.
        let requested = meta.request_opened.and_then(|day| day.and_hms_opt(0, 0, 0)).map(|t| t.and_utc().timestamp());
        let cycle_start = requested.or(timeline.created);
        rows.push(Row {
            id,
            path: input.path.to_owned(),
            title: meta.title.clone().unwrap_or_default(),
            kind: meta.kind.clone().unwrap_or_else(|| "unknown".to_owned()),
            status,
            state,
            owner: meta.owner.clone(),
            counterparties: meta.parties.iter().filter(|p| !ours.contains(&p.name)).map(|p| p.name.clone()).collect(),
            governing_law: meta.governing_law.clone(),
            amount,
            currency: money.and_then(|v| v.currency.clone()),
            annual_value: amount.and_then(|a| annual(a, per.as_deref())),
            per,
            effective_date: meta.effective_date,
            next_notice_deadline,
            notice_by,
            next_event: next.map(|(kind, _)| kind.as_str().to_owned()),
            next_event_date: next.map(|(_, date)| date),
            findings: input.findings,
            cycle_days: days(cycle_start, cycle_end),
            review_days: days(timeline.review_started, timeline.review_ended),
            compliance: None,
        });
    }
    // In place (a stable sort copies the rows); the path parts rows of one id, as before.
    rows.sort_unstable_by(|a, b| (&a.id, &a.path).cmp(&(&b.id, &b.path)));
    let in_force = |row: &Row| row.status == "executed" && !matches!(row.state, Some(State::Expired | State::Pending));
    let mut by_status: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_type: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_counterparty: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_owner: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_law: BTreeMap<String, Tally> = BTreeMap::new();
    let mut value: BTreeMap<String, Money> = BTreeMap::new();
    for row in &rows {
        let counted = in_force(row).then(|| row.currency.clone().zip(row.annual_value)).flatten();
        let add = |map: &mut BTreeMap<String, Tally>, key: &str| {
            let tally = map.entry(key.to_owned()).or_default();
            tally.count += 1;
            if let Some((currency, amount)) = &counted {
                let sum = tally.annual_value.entry(currency.clone()).or_default();
                *sum = sum.plus(*amount);
            }
        };
        add(&mut by_status, &row.status);
        add(&mut by_type, &row.kind);
        for counterparty in &row.counterparties {
            add(&mut by_counterparty, counterparty);
        }
        add(&mut by_owner, row.owner.as_deref().unwrap_or("(none)"));
        add(&mut by_law, row.governing_law.as_deref().unwrap_or("(none)"));
        if let (true, Some(currency), Some(amount)) = (in_force(row), &row.currency, row.amount) {
            let money = value.entry(currency.clone()).or_default();
            money.contracts += 1;
            match row.annual_value {
                Some(yearly) => money.annual = money.annual.plus(yearly),
                None => money.one_off = money.one_off.plus(amount),
            }
        }
    }
    let meta_of: HashMap<&str, &Metadata> =
        inputs.iter().map(|input| (input.meta.id.as_deref().unwrap_or(input.path), input.meta)).collect();
    let mut upcoming: BTreeMap<String, Vec<Upcoming>> = BTreeMap::new();
    for bucket in [30, 60, 90] {
        let list = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Renewal | EventKind::Expiry | EventKind::NoticeDeadline))
            .filter(|e| (e.date - as_of).num_days() <= bucket)
            .map(|e| Upcoming {
                id: e.contract.clone(),
                kind: e.kind,
                date: e.date,
                days: (e.date - as_of).num_days(),
                notice_deadline: meta_of
                    .get(e.contract.as_str())
                    .and_then(|meta| governing_notice(meta, e.kind, e.date, calendar)),
            })
            .collect();
        upcoming.insert(format!("within_{bucket}_days"), list);
    }
    let mut cycle: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut review: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for row in &rows {
        if let Some(days) = row.cycle_days {
            cycle.entry(row.kind.clone()).or_default().push(days);
        }
        if let Some(days) = row.review_days {
            review.entry(row.kind.clone()).or_default().push(days);
        }
    }
    let mut slowest: Vec<(String, i64)> = rows.iter().filter_map(|r| r.cycle_days.map(|d| (r.id.clone(), d))).collect();
    slowest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    slowest.truncate(5);
    Report {
        version: 1,
        as_of,
        contracts: rows.len(),
        by_status,
        by_type,
        by_counterparty,
        by_owner,
        by_governing_law: by_law,
        value,
        upcoming,
        without_owner: rows
            .iter()
            .filter(|r| r.owner.as_deref().is_none_or(str::is_empty))
            .map(|r| r.id.clone())
            .collect(),
        with_findings: rows.iter().filter(|r| r.findings > 0).map(|r| r.id.clone()).collect(),
        cycle_times: cycle.into_iter().filter_map(|(k, v)| spread(v).map(|s| (k, s))).collect(),
        review_times: review.into_iter().filter_map(|(k, v)| spread(v).map(|s| (k, s))).collect(),
        slowest,
        history_note: timelines.is_none().then(|| "no Git history: cycle times are left out".to_owned()),
        ours_unknown: ours.is_empty() && !rows.is_empty(),
        compliance: ComplianceSummary::default(),
        rows,
    }
}

/// Obligations performed across the portfolio.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ComplianceSummary {
    pub total: crate::remind::performance::Compliance,
    pub by_counterparty: BTreeMap<String, crate::remind::performance::Compliance>,
    pub by_owner: BTreeMap<String, crate::remind::performance::Compliance>,
}

impl Report {
    /// Count each executed contract's obligations as performed by `records` (its performance
    /// records, by row path), as of the report's day, occurrences through `ahead`.
    pub fn add_compliance(
        &mut self,
        metas: &HashMap<&str, &Metadata>,
        records: &HashMap<String, Vec<crate::remind::performance::Record>>,
        ahead: NaiveDate,
        since: Option<NaiveDate>,
    ) {
        let mut summary = ComplianceSummary::default();
        for row in &mut self.rows {
            let Some(meta) = metas.get(row.path.as_str()) else { continue };
            if meta.status != Some(Status::Executed) || meta.obligations.is_empty() {
                continue;
            }
            let performed = records.get(&row.path).map_or(&[][..], Vec::as_slice);
            let mut counts = crate::remind::performance::Compliance::default();
            // Each obligation counts for its own owner, else the contract's.
            for (owner, of_one) in crate::remind::performance::compliance(meta, performed, (self.as_of, ahead), since) {
                counts.add(of_one);
                let owner = owner.or_else(|| row.owner.clone()).unwrap_or_else(|| "(no owner)".to_owned());
                summary.by_owner.entry(owner).or_default().add(of_one);
            }
            summary.total.add(counts);
            for counterparty in &row.counterparties {
                summary.by_counterparty.entry(counterparty.clone()).or_default().add(counts);
            }
            row.compliance = Some(counts);
        }
        self.compliance = summary;
    }
}

/// A notice deadline as people read it beside its event: the date, or `passed 2026-11-01` once
/// it has gone by.
#[must_use]
pub fn notice_shown(deadline: NaiveDate, as_of: NaiveDate) -> String {
    if deadline < as_of { format!("passed {deadline}") } else { deadline.to_string() }
}

/// The last day to give the notice that decides `event`, passed or not: for a renewal, the
/// notice deadline of the term that ends the day before it; a notice deadline is its own.
/// A contract's next notice deadline, and its next renewal or expiry (kind and date).
type Next = (Option<NaiveDate>, Option<(EventKind, NaiveDate)>);

fn governing_notice(meta: &Metadata, kind: EventKind, date: NaiveDate, calendar: &Calendar) -> Option<NaiveDate> {
    match kind {
        EventKind::NoticeDeadline => Some(date),
        EventKind::Renewal => {
            let last_day = date.pred_opt()?;
            let term = meta.dates().ok().flatten()?.term_containing(last_day, calendar).ok().flatten()?;
            term.notice_deadline.filter(|_| term.renews && term.end == Some(last_day))
        }
        _ => None,
    }
}

/// Timelines of every contract from the ledger's status changes.
#[must_use]
pub(crate) fn timelines(changes: &[crate::history::ledger::StatusChange]) -> HashMap<String, Timeline> {
    let mut out: HashMap<String, Timeline> = HashMap::new();
    for change in changes {
        let time = change.time;
        let timeline = out.entry(change.contract.clone()).or_default();
        timeline.created.get_or_insert(time);
        let (before, after) = (change.before.as_deref(), change.after.as_deref());
        if after == Some("executed") && before != Some("executed") {
            timeline.executed.get_or_insert(time);
        }
        if after == Some("review") && before != Some("review") {
            timeline.review_started.get_or_insert(time);
        }
        if before == Some("review") && after != Some("review") && timeline.review_started.is_some() {
            timeline.review_ended.get_or_insert(time);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::float_cmp)] // halves of small integers are exact
    fn medians() {
        assert_eq!(median(&mut [5, 1, 3]), 3.0);
        assert_eq!(median(&mut [4, 1, 3, 2]), 2.5);
    }
}
