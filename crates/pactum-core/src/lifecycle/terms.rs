//! Terms, renewals, notice deadlines and a contract's computed state as of a day.

use chrono::NaiveDate;
use serde::Serialize;

use super::duration::{Duration, Holidays};

/// Non-working days beyond weekends, from `pactum.toml` `[calendar] holidays`.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    pub holidays: Holidays,
}

/// How a contract's term continues when it ends (`renewal.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RenewalKind {
    /// Renews for `renewal.period` unless notice of non-renewal is given in time.
    Auto,
    /// Ends at the end of its term.
    Fixed,
    /// Runs until terminated; `notice` is the termination notice period.
    Evergreen,
    /// No renewal: ends at the end of its term, if it has one.
    None,
}

impl RenewalKind {
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "auto" => Some(Self::Auto),
            "fixed" => Some(Self::Fixed),
            "evergreen" => Some(Self::Evergreen),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

/// One term of a contract: the initial term (index 0) or renewal term k.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Term {
    pub index: u32,
    pub start: NaiveDate,
    /// The last day of the term, inclusive; `None` for an evergreen contract.
    pub end: Option<NaiveDate>,
    /// The last day on which notice of non-renewal (or termination) can be given.
    pub notice_deadline: Option<NaiveDate>,
    /// Whether another term follows this one.
    pub renews: bool,
}

/// A contract's lifecycle as computed from its dates, as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Pending,
    Active,
    Expiring,
    Renewed,
    Expired,
    Terminated,
    Superseded,
}

/// Why dates could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermsError {
    /// An auto-renewing contract needs the length of each renewal.
    #[error("an auto-renewing contract needs `renewal.period`")]
    MissingPeriod,
    /// A date fell outside the calendar chrono can represent.
    #[error("the dates run past the end of the calendar")]
    OutOfRange,
    /// A renewal period of zero would renew for ever on the same day.
    #[error("a renewal period of zero length never ends")]
    ZeroPeriod,
}

/// The inputs to every date computation of one contract.
#[derive(Debug, Clone)]
pub struct ContractDates {
    pub effective: NaiveDate,
    /// The initial term; with `end_date`, whichever is given.
    pub term: Option<Duration>,
    /// An explicit last day of the initial term.
    pub end_date: Option<NaiveDate>,
    pub kind: RenewalKind,
    pub period: Option<Duration>,
    pub notice: Option<Duration>,
}

fn day_before(date: NaiveDate) -> Result<NaiveDate, TermsError> {
    date.pred_opt().ok_or(TermsError::OutOfRange)
}

impl ContractDates {
    /// The last day of the initial term, if the contract has one.
    ///
    /// # Errors
    /// When the date falls outside the calendar.
    pub(crate) fn initial_end(&self, calendar: &Calendar) -> Result<Option<NaiveDate>, TermsError> {
        if let Some(end) = self.end_date {
            return Ok(Some(end));
        }
        match self.term {
            None => Ok(None),
            Some(term) => {
                let next = term.after(self.effective, &calendar.holidays).ok_or(TermsError::OutOfRange)?;
                day_before(next).map(Some)
            }
        }
    }

    /// The last day of term `k` (0 is the initial term) of an auto-renewing contract.
    ///
    /// When the term and the period are both in months or years, the end is one addition from
    /// the effective date (effective + term + k × period, then the day before), so that month
    /// ends do not drift; otherwise it is (effective + term) + k × period, then the day before.
    fn renewal_end(&self, k: u32, calendar: &Calendar) -> Result<Option<NaiveDate>, TermsError> {
        let Some(initial_end) = self.initial_end(calendar)? else { return Ok(None) };
        if k == 0 {
            return Ok(Some(initial_end));
        }
        let period = self.period.ok_or(TermsError::MissingPeriod)?;
        if period.count == 0 {
            return Err(TermsError::ZeroPeriod);
        }
        let holidays = &calendar.holidays;
        let next_start = if let (None, Some(term_months), Some(period_months)) =
            (self.end_date, self.term.and_then(Duration::months), period.months())
        {
            let months =
                period_months.checked_mul(k).and_then(|m| m.checked_add(term_months)).ok_or(TermsError::OutOfRange)?;
            self.effective.checked_add_months(chrono::Months::new(months))
        } else {
            let anchor = initial_end.succ_opt().ok_or(TermsError::OutOfRange)?;
            period.times(k).and_then(|p| p.after(anchor, holidays))
        };
        day_before(next_start.ok_or(TermsError::OutOfRange)?).map(Some)
    }

    fn notice_deadline(&self, end: Option<NaiveDate>, calendar: &Calendar) -> Option<NaiveDate> {
        let (end, notice) = (end?, self.notice?);
        notice.before(end, &calendar.holidays)
    }

    /// Term `k`: the initial term for 0, renewal term k after it. `None` when the contract has
    /// no such term (it does not renew, or has no term at all).
    ///
    /// # Errors
    /// When a renewal needs a period that is missing, or dates leave the calendar.
    pub fn term(&self, k: u32, calendar: &Calendar) -> Result<Option<Term>, TermsError> {
        match self.kind {
            RenewalKind::Evergreen => Ok((k == 0).then_some(Term {
                index: 0,
                start: self.effective,
                end: None,
                notice_deadline: None,
                renews: true,
            })),
            RenewalKind::Fixed | RenewalKind::None => {
                if k > 0 {
                    return Ok(None);
                }
                let end = self.initial_end(calendar)?;
                Ok(Some(Term { index: 0, start: self.effective, end, notice_deadline: None, renews: false }))
            }
            RenewalKind::Auto => {
                let start = if k == 0 {
                    self.effective
                } else {
                    match self.renewal_end(k - 1, calendar)? {
                        Some(previous) => previous.succ_opt().ok_or(TermsError::OutOfRange)?,
                        None => return Ok(None),
                    }
                };
                let Some(end) = self.renewal_end(k, calendar)? else {
                    // Auto renewal without a term: one open term.
                    return Ok((k == 0).then_some(Term {
                        index: 0,
                        start,
                        end: None,
                        notice_deadline: None,
                        renews: true,
                    }));
                };
                Ok(Some(Term {
                    index: k,
                    start,
                    end: Some(end),
                    notice_deadline: self.notice_deadline(Some(end), calendar),
                    renews: true,
                }))
            }
        }
    }

    /// The term that contains `day`, if any: `None` before the effective date and after the
    /// end of a contract that does not renew.
    ///
    /// # Errors
    /// As [`ContractDates::term`].
    pub fn term_containing(&self, day: NaiveDate, calendar: &Calendar) -> Result<Option<Term>, TermsError> {
        if day < self.effective {
            return Ok(None);
        }
        // Term ends grow with k: find the first term ending on or after `day` by doubling, then
        // bisecting, so a daily renewal from decades ago costs a few dozen terms, not thousands.
        let reaches = |k: u32| -> Result<Option<bool>, TermsError> {
            match self.term(k, calendar) {
                Ok(term) => Ok(term.map(|term| term.end.is_none_or(|end| end >= day))),
                // A term ending past the calendar's last day ends after `day`.
                Err(TermsError::OutOfRange) if k > 0 => Ok(Some(true)),
                Err(error) => Err(error),
            }
        };
        let (mut below, mut above) = (0, 0);
        loop {
            match reaches(above)? {
                None => return Ok(None),
                Some(true) => break,
                Some(false) => {
                    below = above;
                    above = match above.checked_mul(2) {
                        Some(0) => 1,
                        Some(next) => next,
                        None => return Ok(None),
                    };
                }
            }
        }
        if above == 0 {
            return self.term(0, calendar);
        }
        // `below` ends before `day`, `above` on or after it.
        while above - below > 1 {
            let middle = below + (above - below) / 2;
            match reaches(middle)? {
                Some(true) | None => above = middle,
                Some(false) => below = middle,
            }
        }
        self.term(above, calendar)
    }

    /// The computed state as of `day`, for a contract whose status is `executed`.
    ///
    /// "Expiring" means a contract that will not renew ends within `expiring_within` of `day`.
    ///
    /// # Errors
    /// As [`ContractDates::term`].
    pub fn state(&self, day: NaiveDate, expiring_within: Duration, calendar: &Calendar) -> Result<State, TermsError> {
        if day < self.effective {
            return Ok(State::Pending);
        }
        let Some(term) = self.term_containing(day, calendar)? else { return Ok(State::Expired) };
        if term.index > 0 {
            return Ok(State::Renewed);
        }
        if let (false, Some(end)) = (term.renews, term.end) {
            let horizon = expiring_within.after(day, &calendar.holidays).unwrap_or(NaiveDate::MAX);
            if end <= horizon {
                return Ok(State::Expiring);
            }
        }
        Ok(State::Active)
    }
}

/// What `inspect` shows of a contract's dates as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overview {
    pub as_of: NaiveDate,
    pub effective_date: NaiveDate,
    pub renewal: RenewalKind,
    /// The computed state, for an executed contract.
    pub state: Option<State>,
    pub initial_term_end: Option<NaiveDate>,
    /// The term that contains `as_of`.
    pub current_term: Option<Term>,
    /// The next last day to give notice of non-renewal, on or after `as_of`.
    pub next_notice_deadline: Option<NaiveDate>,
    /// The first day of the next renewal term.
    pub next_renewal: Option<NaiveDate>,
    /// The last day of a contract that does not renew.
    pub expiry: Option<NaiveDate>,
}

impl ContractDates {
    /// The dates of this contract as of `day`; `executed` says whether a state applies.
    ///
    /// # Errors
    /// As [`ContractDates::term`].
    pub fn overview(
        &self,
        day: NaiveDate,
        executed: bool,
        expiring_within: Duration,
        calendar: &Calendar,
    ) -> Result<Overview, TermsError> {
        let current = self.term_containing(day, calendar)?;
        let initial = self.term(0, calendar)?;
        let mut next_notice_deadline = None;
        let mut next_renewal = None;
        if self.kind == RenewalKind::Auto {
            let from = current.map_or(0, |t| t.index);
            for k in from..from.saturating_add(2) {
                let Some(term) = self.term(k, calendar)? else { break };
                if next_renewal.is_none() && term.end.is_some_and(|end| end >= day) {
                    next_renewal = term.end.and_then(|end| end.succ_opt());
                }
                if let Some(deadline) = term.notice_deadline.filter(|d| *d >= day) {
                    next_notice_deadline = Some(deadline);
                    break;
                }
            }
        }
        let expiry = match self.kind {
            RenewalKind::Fixed | RenewalKind::None => initial.and_then(|t| t.end),
            _ => None,
        };
        Ok(Overview {
            as_of: day,
            effective_date: self.effective,
            renewal: self.kind,
            state: if executed { Some(self.state(day, expiring_within, calendar)?) } else { None },
            initial_term_end: initial.and_then(|t| t.end),
            current_term: current,
            next_notice_deadline,
            next_renewal,
            expiry,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn auto(effective: &str, term: &str, period: &str, notice: &str) -> ContractDates {
        ContractDates {
            effective: d(effective),
            term: Some(term.parse().unwrap()),
            end_date: None,
            kind: RenewalKind::Auto,
            period: Some(period.parse().unwrap()),
            notice: Some(notice.parse().unwrap()),
        }
    }

    fn ends(dates: &ContractDates, count: u32) -> Vec<NaiveDate> {
        let calendar = Calendar::default();
        (0..count).map(|k| dates.term(k, &calendar).unwrap().unwrap().end.unwrap()).collect()
    }

    #[test]
    fn the_term_containing_a_day_is_found_however_many_terms_came_before() {
        // A daily renewal since 2000 is in its ten-thousands of terms by 2030; it is renewed,
        // not expired, and the term found is the one a walk from the start would reach.
        let calendar = Calendar::default();
        let dates = auto("2000-01-01", "1 day", "1 day", "1 day");
        let term = dates.term_containing(d("2030-06-15"), &calendar).unwrap().unwrap();
        assert_eq!((term.start, term.end), (d("2030-06-15"), Some(d("2030-06-15"))));
        assert_eq!(term.index, u32::try_from((d("2030-06-15") - d("2000-01-01")).num_days()).unwrap());
        let state = dates.state(d("2030-06-15"), "30 days".parse().unwrap(), &calendar).unwrap();
        assert_eq!(state, State::Renewed);
        // Every day of a monthly renewal's first years falls in the term that holds it.
        let monthly = auto("2024-01-31", "1 month", "1 month", "1 day");
        let mut day = d("2024-01-31");
        while day < d("2027-01-01") {
            let term = monthly.term_containing(day, &calendar).unwrap().unwrap();
            assert!(term.start <= day && term.end.is_some_and(|end| day <= end), "{day}: {term:?}");
            if term.index > 0 {
                let previous = monthly.term(term.index - 1, &calendar).unwrap().unwrap();
                assert!(previous.end.is_some_and(|end| end < day), "{day}: {previous:?}");
            }
            day = day.succ_opt().unwrap();
        }
        // Before the start there is no term; a fixed contract past its end has none either.
        assert_eq!(monthly.term_containing(d("2024-01-30"), &calendar).unwrap(), None);
        let fixed = ContractDates { kind: RenewalKind::Fixed, ..monthly };
        assert_eq!(fixed.term_containing(d("2024-03-01"), &calendar).unwrap(), None);
        assert_eq!(fixed.term_containing(d("2024-02-28"), &calendar).unwrap().map(|t| t.index), Some(0));
    }

    #[test]
    fn twelve_months_from_new_year_end_on_new_years_eve() {
        let dates = auto("2025-01-01", "12 months", "12 months", "60 days");
        let term = dates.term(0, &Calendar::default()).unwrap().unwrap();
        assert_eq!(term.end, Some(d("2025-12-31")));
        assert_eq!(term.notice_deadline, Some(d("2025-11-01")));
    }

    #[test]
    fn monthly_renewals_from_a_month_end_do_not_drift() {
        // The example of docs/format.md, "Dates and durations": one addition from the effective date each time.
        let dates = auto("2024-01-31", "1 month", "1 month", "1 day");
        assert_eq!(ends(&dates, 3), [d("2024-02-28"), d("2024-03-30"), d("2024-04-29")]);
        let second = dates.term(1, &Calendar::default()).unwrap().unwrap();
        assert_eq!(second.start, d("2024-02-29"));
    }

    #[test]
    fn mixed_units_renew_from_the_end_of_the_initial_term() {
        let dates = auto("2025-01-01", "90 days", "1 month", "10 days");
        // initial term 2025-01-01..2025-03-31; renewals anchor on 2025-04-01.
        assert_eq!(ends(&dates, 3), [d("2025-03-31"), d("2025-04-30"), d("2025-05-31")]);
    }

    #[test]
    fn the_term_containing_a_day_contains_it() {
        let dates = auto("2020-02-29", "1 year", "1 year", "3 months");
        let calendar = Calendar::default();
        let term = dates.term_containing(d("2026-11-27"), &calendar).unwrap().unwrap();
        assert_eq!(term.index, 6);
        assert_eq!((term.start, term.end), (d("2026-02-28"), Some(d("2027-02-27"))));
        assert_eq!(term.notice_deadline, Some(d("2026-11-27")));
        assert_eq!(dates.term_containing(d("2020-02-28"), &calendar).unwrap(), None);
    }

    #[test]
    fn states() {
        let calendar = Calendar::default();
        let within = "90 days".parse().unwrap();
        let fixed = ContractDates { kind: RenewalKind::Fixed, ..auto("2025-01-01", "12 months", "1 year", "30 days") };
        assert_eq!(fixed.state(d("2024-12-31"), within, &calendar), Ok(State::Pending));
        assert_eq!(fixed.state(d("2025-06-01"), within, &calendar), Ok(State::Active));
        assert_eq!(fixed.state(d("2025-10-02"), within, &calendar), Ok(State::Expiring));
        assert_eq!(fixed.state(d("2026-01-01"), within, &calendar), Ok(State::Expired));
        let renewing = auto("2025-01-01", "12 months", "12 months", "30 days");
        assert_eq!(renewing.state(d("2025-12-31"), within, &calendar), Ok(State::Active));
        assert_eq!(renewing.state(d("2026-01-01"), within, &calendar), Ok(State::Renewed));
        let evergreen = ContractDates { kind: RenewalKind::Evergreen, term: None, ..renewing };
        assert_eq!(evergreen.state(d("2040-01-01"), within, &calendar), Ok(State::Active));
    }

    #[test]
    fn auto_renewal_without_period_is_an_error() {
        let dates = ContractDates { period: None, ..auto("2025-01-01", "12 months", "1 year", "30 days") };
        assert_eq!(dates.term(1, &Calendar::default()), Err(TermsError::MissingPeriod));
    }
}
