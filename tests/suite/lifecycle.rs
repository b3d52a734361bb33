//! Contract dates that are never wrong: a table of hand-checked cases, and properties that hold
//! for every date, term and period.

use chrono::NaiveDate;
use pactum_core::lifecycle::{Calendar, ContractDates, Duration, Holidays, RenewalKind, State};
use proptest::prelude::*;

fn d(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn dur(text: &str) -> Duration {
    text.parse().unwrap()
}

fn auto(effective: &str, term: &str, period: &str, notice: &str) -> ContractDates {
    ContractDates {
        effective: d(effective),
        term: Some(dur(term)),
        end_date: None,
        kind: RenewalKind::Auto,
        period: Some(dur(period)),
        notice: Some(dur(notice)),
    }
}

fn end(dates: &ContractDates, k: u32, calendar: &Calendar) -> NaiveDate {
    dates.term(k, calendar).unwrap().unwrap().end.unwrap()
}

fn deadline(dates: &ContractDates, k: u32, calendar: &Calendar) -> NaiveDate {
    dates.term(k, calendar).unwrap().unwrap().notice_deadline.unwrap()
}

/// Each row was worked out by hand from the date rules of docs/format.md.
#[test]
fn hand_checked_terms() {
    let none = Calendar::default();
    let cases: &[(&str, &str, &str, u32, &str)] = &[
        // effective, term, period, term k, last day of term k
        ("2025-01-01", "12 months", "12 months", 0, "2025-12-31"),
        ("2025-01-01", "12 months", "12 months", 1, "2026-12-31"),
        // Month ends: one addition from the anchor, clamped.
        ("2024-01-31", "1 month", "1 month", 0, "2024-02-28"),
        ("2024-01-31", "1 month", "1 month", 1, "2024-03-30"),
        ("2024-01-31", "1 month", "1 month", 2, "2024-04-29"),
        ("2025-01-30", "1 month", "1 month", 0, "2025-02-27"),
        ("2025-01-30", "1 month", "1 month", 1, "2025-03-29"),
        ("2025-03-31", "1 month", "1 month", 0, "2025-04-29"),
        ("2025-03-31", "1 month", "1 month", 1, "2025-05-30"),
        ("2025-01-29", "1 month", "1 month", 0, "2025-02-27"),
        // Leap days.
        ("2024-02-29", "1 year", "1 year", 0, "2025-02-27"),
        ("2024-02-29", "1 year", "1 year", 3, "2028-02-28"),
        ("2024-02-29", "1 year", "1 year", 4, "2029-02-27"),
        // Many terms later, still from the anchor: 2000-01-31 + 301 months is 2025-02-28.
        ("2000-01-31", "1 month", "1 month", 300, "2025-02-27"),
        // Mixed units renew from the end of the initial term.
        ("2025-01-01", "90 days", "1 month", 0, "2025-03-31"),
        ("2025-01-01", "90 days", "1 month", 1, "2025-04-30"),
        ("2025-01-01", "90 days", "1 month", 12, "2026-03-31"),
        ("2025-01-01", "1 year", "4 weeks", 1, "2026-01-28"),
        ("2025-01-01", "2 weeks", "2 weeks", 3, "2025-02-25"),
    ];
    for (effective, term, period, k, expected) in cases {
        let dates = auto(effective, term, period, "1 day");
        assert_eq!(end(&dates, *k, &none), d(expected), "{effective} + {term}, renewing {period}: term {k}");
        if *k > 0 {
            let start = dates.term(*k, &none).unwrap().unwrap().start;
            assert_eq!(
                start,
                end(&dates, k - 1, &none).succ_opt().unwrap(),
                "term {k} starts the day after term {}",
                k - 1
            );
        }
    }
}

#[test]
fn hand_checked_notice_deadlines() {
    let none = Calendar::default();
    // 60 days before 2025-12-31.
    assert_eq!(deadline(&auto("2025-01-01", "12 months", "12 months", "60 days"), 0, &none), d("2025-11-01"));
    // Notice of 3 months against a 12-month term: 2025-12-31 − 3 months, clamped to 30 September.
    assert_eq!(deadline(&auto("2025-01-01", "12 months", "12 months", "3 months"), 0, &none), d("2025-09-30"));
    // A calendar-day deadline on a Sunday stays on the Sunday.
    let sunday = deadline(&auto("2025-01-01", "12 months", "12 months", "3 days"), 0, &none);
    assert_eq!(sunday, d("2025-12-28"));
    assert_eq!(sunday.format("%A").to_string(), "Sunday");
    // Five business days before Wednesday 2025-12-31, over a weekend and Christmas.
    let christmas = Calendar { holidays: Holidays::new(vec![d("2025-12-25"), d("2025-12-26")]) };
    assert_eq!(
        deadline(&auto("2025-01-01", "12 months", "12 months", "5 business days"), 0, &christmas),
        d("2025-12-22")
    );
    assert_eq!(deadline(&auto("2025-01-01", "12 months", "12 months", "5 business days"), 0, &none), d("2025-12-24"));
    // Renewal term 2's deadline is computed from its own end.
    assert_eq!(deadline(&auto("2024-01-31", "1 month", "1 month", "7 days"), 2, &none), d("2024-04-22"));
}

#[test]
fn hand_checked_states() {
    let calendar = Calendar::default();
    let within = dur("90 days");
    let evergreen = ContractDates {
        kind: RenewalKind::Evergreen,
        term: None,
        period: None,
        ..auto("2020-01-01", "1 year", "1 year", "3 months")
    };
    assert_eq!(evergreen.state(d("2019-12-31"), within, &calendar), Ok(State::Pending));
    assert_eq!(evergreen.state(d("2060-06-01"), within, &calendar), Ok(State::Active));
    assert_eq!(evergreen.term(0, &calendar).unwrap().unwrap().end, None);
    let fixed = ContractDates {
        kind: RenewalKind::Fixed,
        end_date: Some(d("2025-06-30")),
        term: None,
        ..auto("2025-01-01", "1 year", "1 year", "1 day")
    };
    assert_eq!(fixed.state(d("2025-04-01"), within, &calendar), Ok(State::Expiring));
    assert_eq!(fixed.state(d("2025-03-31"), within, &calendar), Ok(State::Active));
    assert_eq!(fixed.state(d("2025-07-01"), within, &calendar), Ok(State::Expired));
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (1990i32..2090, 1u32..=12, 1u32..=31)
        .prop_map(|(y, m, day)| (0..4).find_map(|back| NaiveDate::from_ymd_opt(y, m, day - back)).unwrap())
}

fn any_duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        (1u32..400).prop_map(|n| Duration { count: n, unit: pactum_core::lifecycle::Unit::Day }),
        (1u32..60).prop_map(|n| Duration { count: n, unit: pactum_core::lifecycle::Unit::Week }),
        (1u32..48).prop_map(|n| Duration { count: n, unit: pactum_core::lifecycle::Unit::Month }),
        (1u32..5).prop_map(|n| Duration { count: n, unit: pactum_core::lifecycle::Unit::Year }),
        (1u32..60).prop_map(|n| Duration { count: n, unit: pactum_core::lifecycle::Unit::BusinessDay }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Renewals tile time: each term starts the day after the previous ends, and none is empty
    /// or runs backwards; a notice deadline is never after its term's end.
    #[test]
    fn renewals_tile_time_and_deadlines_come_first(effective in any_date(), term in any_duration(), period in any_duration(), notice in any_duration()) {
        let calendar = Calendar { holidays: Holidays::new(vec![d("2025-12-25"), d("2030-01-01")]) };
        let dates = ContractDates { effective, term: Some(term), end_date: None, kind: RenewalKind::Auto, period: Some(period), notice: Some(notice) };
        let mut previous_end: Option<NaiveDate> = None;
        for k in 0..6 {
            let term = dates.term(k, &calendar).unwrap().unwrap();
            let end = term.end.unwrap();
            prop_assert!(term.start <= end, "term {} runs backwards: {} to {}", k, term.start, end);
            if let Some(previous) = previous_end {
                prop_assert_eq!(term.start, previous.succ_opt().unwrap());
            } else {
                prop_assert_eq!(term.start, effective);
            }
            prop_assert!(term.notice_deadline.unwrap() <= end);
            previous_end = Some(end);
        }
    }

    /// The term containing a day contains it.
    #[test]
    fn the_term_containing_a_day_contains_it(effective in any_date(), term in any_duration(), period in any_duration(), offset in 0i64..4000) {
        let calendar = Calendar::default();
        let dates = ContractDates { effective, term: Some(term), end_date: None, kind: RenewalKind::Auto, period: Some(period), notice: None };
        let day = effective + chrono::Days::new(offset.unsigned_abs());
        let found = dates.term_containing(day, &calendar).unwrap().unwrap();
        prop_assert!(found.start <= day && day <= found.end.unwrap(), "{} not in {} to {:?}", day, found.start, found.end);
    }

    /// Month arithmetic from the anchor never drifts: term k of a monthly contract ends the day
    /// before the same day of month k + 1 after the effective date (or that month's last day).
    #[test]
    fn monthly_terms_do_not_drift(effective in any_date(), k in 0u32..200) {
        let dates = auto(&effective.to_string(), "1 month", "1 month", "1 day");
        let end = dates.term(k, &Calendar::default()).unwrap().unwrap().end.unwrap();
        let next = effective.checked_add_months(chrono::Months::new(k + 1)).unwrap();
        prop_assert_eq!(end.succ_opt().unwrap(), next);
    }
}
