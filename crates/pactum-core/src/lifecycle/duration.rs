//! Durations as contracts write them: `"12 months"`, `"60 days"`, `"10 business days"`.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::Serialize;

/// The unit of a [`Duration`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Day,
    BusinessDay,
    Week,
    Month,
    Year,
}

/// A length of time as written in a contract: a whole number of a [`Unit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Duration {
    pub count: u32,
    pub unit: Unit,
}

/// Why a duration could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{input}` is not a duration: write `<n> <unit>` with unit day(s), week(s), month(s), year(s) or business day(s), for example \"12 months\" or \"30 business days\""
)]
pub struct DurationError {
    /// The text that was given.
    pub input: String,
}

impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let error = || DurationError { input: input.to_owned() };
        let mut words = input.split_whitespace();
        let count: u32 = words.next().and_then(|n| n.parse().ok()).ok_or_else(error)?;
        let first = words.next().ok_or_else(error)?.to_ascii_lowercase();
        let unit = match first.as_str() {
            "day" | "days" => Unit::Day,
            "week" | "weeks" => Unit::Week,
            "month" | "months" => Unit::Month,
            "year" | "years" => Unit::Year,
            "business" => match words.next().map(str::to_ascii_lowercase).as_deref() {
                Some("day" | "days") => Unit::BusinessDay,
                _ => return Err(error()),
            },
            _ => return Err(error()),
        };
        if words.next().is_some() {
            return Err(error());
        }
        Ok(Self { count, unit })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            Unit::Day => "day",
            Unit::BusinessDay => "business day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        };
        let plural = if self.count == 1 { "" } else { "s" };
        write!(f, "{} {unit}{plural}", self.count)
    }
}

impl Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Duration {
    /// The length in months, when the unit is months or years.
    #[must_use]
    pub fn months(self) -> Option<u32> {
        match self.unit {
            Unit::Month => Some(self.count),
            Unit::Year => self.count.checked_mul(12),
            _ => None,
        }
    }

    /// This duration `times` times over (`k × period`).
    #[must_use]
    pub fn times(self, times: u32) -> Option<Self> {
        Some(Self { count: self.count.checked_mul(times)?, unit: self.unit })
    }

    /// `date` + this duration; months clamp to the month's last day. `None` past the calendar's end.
    #[must_use]
    pub fn after(self, date: NaiveDate, holidays: &Holidays) -> Option<NaiveDate> {
        match self.unit {
            Unit::Day => date.checked_add_days(Days::new(self.count.into())),
            Unit::Week => date.checked_add_days(Days::new(u64::from(self.count) * 7)),
            Unit::Month | Unit::Year => date.checked_add_months(Months::new(self.months()?)),
            Unit::BusinessDay => step_business_days(date, self.count, holidays, 1),
        }
    }

    /// `date` − this duration; months clamp to the month's last day. Subtracting N business
    /// days steps back over N days that are neither weekend days nor holidays.
    #[must_use]
    pub fn before(self, date: NaiveDate, holidays: &Holidays) -> Option<NaiveDate> {
        match self.unit {
            Unit::Day => date.checked_sub_days(Days::new(self.count.into())),
            Unit::Week => date.checked_sub_days(Days::new(u64::from(self.count) * 7)),
            Unit::Month | Unit::Year => date.checked_sub_months(Months::new(self.months()?)),
            Unit::BusinessDay => step_business_days(date, self.count, holidays, -1),
        }
    }

    /// An upper bound of the length in days, for comparing durations of different units.
    #[must_use]
    pub(crate) fn max_days(self) -> u64 {
        let count = u64::from(self.count);
        match self.unit {
            Unit::Day => count,
            // Each business day is at most a calendar day plus the weekend and holidays around it.
            Unit::BusinessDay => count.saturating_mul(3),
            Unit::Week => count * 7,
            Unit::Month => count * 31,
            Unit::Year => count * 366,
        }
    }
}

/// Days that are not business days besides weekends, sorted and without repeats, so that a
/// day is looked up by binary search and a span of business days is counted, not walked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays(Vec<NaiveDate>);

impl Holidays {
    /// No holidays: only weekends are not business days.
    pub(crate) const NONE: Self = Self(Vec::new());

    #[must_use]
    pub fn new(mut days: Vec<NaiveDate>) -> Self {
        days.sort_unstable();
        days.dedup();
        Self(days)
    }

    #[must_use]
    pub fn days(&self) -> &[NaiveDate] {
        &self.0
    }

    #[must_use]
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.0.binary_search(&day).is_ok()
    }

    /// How many holidays fall on weekdays in `from..=to`.
    fn weekdays_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let (first, last) = (self.0.partition_point(|&d| d < from), self.0.partition_point(|&d| d <= to));
        let count = self.0[first..last].iter().filter(|d| is_weekday(**d)).count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }
}

fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Whether `date` is a business day: not a Saturday, Sunday or listed holiday.
#[cfg(test)]
fn is_business_day(date: NaiveDate, holidays: &Holidays) -> bool {
    is_weekday(date) && !holidays.contains(date)
}

/// The `count`th weekday after `date` (before it when `direction` is negative): whole weeks
/// of five weekdays at once, then the last one to five days one by one.
fn step_weekdays(date: NaiveDate, count: u32, direction: i8) -> Option<NaiveDate> {
    if count == 0 {
        return Some(date);
    }
    let weeks = u64::from((count - 1) / 5);
    let mut left = count - (count - 1) / 5 * 5;
    let days = Days::new(weeks.checked_mul(7)?);
    let mut date = if direction > 0 { date.checked_add_days(days)? } else { date.checked_sub_days(days)? };
    while left > 0 {
        date = if direction > 0 { date.succ_opt()? } else { date.pred_opt()? };
        if is_weekday(date) {
            left -= 1;
        }
    }
    Some(date)
}

/// `count` business days after `date` (before it when `direction` is negative): the weekdays
/// stepped by arithmetic, then as many more as there were holidays among them, until no
/// holiday is left in the last stretch. Each round passes at least one holiday, so the cost
/// depends on the holidays in the span, never on its length.
fn step_business_days(date: NaiveDate, count: u32, holidays: &Holidays, direction: i8) -> Option<NaiveDate> {
    let (mut from, mut left) = (date, count);
    while left > 0 {
        let to = step_weekdays(from, left, direction)?;
        let (first, last) = if direction > 0 { (from.succ_opt()?, to) } else { (to, from.pred_opt()?) };
        left = holidays.weekdays_between(first, last);
        from = to;
    }
    Some(from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn dur(text: &str) -> Duration {
        text.parse().unwrap()
    }

    #[test]
    fn reads_every_accepted_form() {
        assert_eq!(dur("12 months"), Duration { count: 12, unit: Unit::Month });
        assert_eq!(dur("1 month"), Duration { count: 1, unit: Unit::Month });
        assert_eq!(dur(" 60  days "), Duration { count: 60, unit: Unit::Day });
        assert_eq!(dur("2 Weeks"), Duration { count: 2, unit: Unit::Week });
        assert_eq!(dur("1 year"), Duration { count: 1, unit: Unit::Year });
        assert_eq!(dur("10 business days"), Duration { count: 10, unit: Unit::BusinessDay });
        assert_eq!(dur("1 business day").to_string(), "1 business day");
        for bad in [
            "",
            "12",
            "months",
            "twelve months",
            "12 fortnights",
            "-1 days",
            "1.5 months",
            "3 months and 2 days",
            "10 business",
        ] {
            let error = bad.parse::<Duration>().unwrap_err();
            assert!(error.to_string().contains("business day(s)"), "{bad}: {error}");
        }
    }

    #[test]
    fn months_clamp_from_the_anchor() {
        assert_eq!(dur("1 month").after(d("2024-01-31"), &Holidays::NONE), Some(d("2024-02-29")));
        assert_eq!(dur("2 months").after(d("2024-01-31"), &Holidays::NONE), Some(d("2024-03-31")));
        assert_eq!(dur("1 year").after(d("2024-02-29"), &Holidays::NONE), Some(d("2025-02-28")));
        assert_eq!(dur("3 months").before(d("2025-05-31"), &Holidays::NONE), Some(d("2025-02-28")));
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        // 2025-12-29 is a Monday; stepping back 3 business days over Christmas and a weekend.
        let holidays = Holidays::new(vec![d("2025-12-26"), d("2025-12-25")]);
        assert_eq!(dur("3 business days").before(d("2025-12-29"), &holidays), Some(d("2025-12-22")));
        assert_eq!(dur("1 business day").after(d("2025-12-24"), &holidays), Some(d("2025-12-29")));
        assert_eq!(dur("0 business days").before(d("2025-12-27"), &holidays), Some(d("2025-12-27")));
    }

    /// Stepping by weeks and counting holidays lands where walking day by day does.
    #[test]
    fn business_days_by_arithmetic_are_business_days_walked() {
        let walk = |mut date: NaiveDate, count: u32, holidays: &Holidays, forward: bool| {
            let mut left = count;
            while left > 0 {
                date = if forward { date.succ_opt().unwrap() } else { date.pred_opt().unwrap() };
                if is_business_day(date, holidays) {
                    left -= 1;
                }
            }
            date
        };
        let start = d("2025-01-01");
        // Holidays on weekdays and weekends, in clusters and alone, and repeated.
        let holidays = Holidays::new(
            [0, 1, 2, 3, 4, 5, 6, 9, 30, 31, 33, 60, 61, 62, 63, 64, 65, 66, 67, 68, 90, 90, 200, 365, 400]
                .iter()
                .map(|&n| start + Days::new(n))
                .collect(),
        );
        for offset in 0..40 {
            let date = start + Days::new(offset);
            for count in 0..300 {
                for forward in [true, false] {
                    let duration = Duration { count, unit: Unit::BusinessDay };
                    let stepped =
                        if forward { duration.after(date, &holidays) } else { duration.before(date, &holidays) };
                    assert_eq!(stepped, Some(walk(date, count, &holidays, forward)), "{date} {count} {forward}");
                }
            }
        }
    }
}
