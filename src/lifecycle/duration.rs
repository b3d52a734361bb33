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
    pub fn after(self, date: NaiveDate, holidays: &[NaiveDate]) -> Option<NaiveDate> {
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
    pub fn before(self, date: NaiveDate, holidays: &[NaiveDate]) -> Option<NaiveDate> {
        match self.unit {
            Unit::Day => date.checked_sub_days(Days::new(self.count.into())),
            Unit::Week => date.checked_sub_days(Days::new(u64::from(self.count) * 7)),
            Unit::Month | Unit::Year => date.checked_sub_months(Months::new(self.months()?)),
            Unit::BusinessDay => step_business_days(date, self.count, holidays, -1),
        }
    }

    /// An upper bound of the length in days, for comparing durations of different units.
    #[must_use]
    pub fn max_days(self) -> u64 {
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

    /// A lower bound of the length in days.
    #[must_use]
    pub fn min_days(self) -> u64 {
        let count = u64::from(self.count);
        match self.unit {
            Unit::Day | Unit::BusinessDay => count,
            Unit::Week => count * 7,
            Unit::Month => count * 28,
            Unit::Year => count * 365,
        }
    }
}

/// Whether `date` is a business day: not a Saturday, Sunday or listed holiday.
#[must_use]
pub fn is_business_day(date: NaiveDate, holidays: &[NaiveDate]) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&date)
}

fn step_business_days(mut date: NaiveDate, count: u32, holidays: &[NaiveDate], direction: i8) -> Option<NaiveDate> {
    let mut left = count;
    while left > 0 {
        date = if direction > 0 { date.succ_opt()? } else { date.pred_opt()? };
        if is_business_day(date, holidays) {
            left -= 1;
        }
    }
    Some(date)
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
        assert_eq!(dur("1 month").after(d("2024-01-31"), &[]), Some(d("2024-02-29")));
        assert_eq!(dur("2 months").after(d("2024-01-31"), &[]), Some(d("2024-03-31")));
        assert_eq!(dur("1 year").after(d("2024-02-29"), &[]), Some(d("2025-02-28")));
        assert_eq!(dur("3 months").before(d("2025-05-31"), &[]), Some(d("2025-02-28")));
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        // 2025-12-29 is a Monday; stepping back 3 business days over Christmas and a weekend.
        let holidays = [d("2025-12-25"), d("2025-12-26")];
        assert_eq!(dur("3 business days").before(d("2025-12-29"), &holidays), Some(d("2025-12-22")));
        assert_eq!(dur("1 business day").after(d("2025-12-24"), &holidays), Some(d("2025-12-29")));
        assert_eq!(dur("0 business days").before(d("2025-12-27"), &holidays), Some(d("2025-12-27")));
    }
}
