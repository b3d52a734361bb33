//! Sums of money as contracts state them (`value.amount`), kept exact: decimal arithmetic, never
//! binary floating point, so that 0.1 a month is 1.2 a year and not 1.2000000000000002, and a
//! sum past what can be held exactly says so instead of wrapping or saturating.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// An exact amount, or one too large to hold exactly (beyond about 7.9 × 10²⁸).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    Exact(Decimal),
    TooLarge,
}

impl Default for Amount {
    fn default() -> Self {
        Self::Exact(Decimal::ZERO)
    }
}

impl Amount {
    /// The amount a front-matter number states: integers exactly; a TOML float as it is written
    /// (its shortest decimal form); `None` when the value is no number.
    #[must_use]
    pub(crate) fn from_json(value: &Value) -> Option<Self> {
        let Value::Number(number) = value else { return None };
        if let Some(whole) = number.as_i64() {
            return Some(Self::Exact(Decimal::from(whole)));
        }
        if let Some(whole) = number.as_u64() {
            return Some(Self::Exact(Decimal::from(whole)));
        }
        let float = number.as_f64()?;
        Some(Decimal::from_str(&float.to_string()).map_or(Self::TooLarge, Self::Exact))
    }

    /// `self` + `other`; too large stays too large.
    #[must_use]
    pub(crate) fn plus(self, other: Self) -> Self {
        match (self, other) {
            (Self::Exact(a), Self::Exact(b)) => a.checked_add(b).map_or(Self::TooLarge, Self::Exact),
            _ => Self::TooLarge,
        }
    }

    /// `self` × `times`.
    #[must_use]
    pub fn times(self, times: u32) -> Self {
        match self {
            Self::Exact(a) => a.checked_mul(Decimal::from(times)).map_or(Self::TooLarge, Self::Exact),
            Self::TooLarge => Self::TooLarge,
        }
    }

    /// For sorting and charts: the nearest float; the largest float when too large, so that
    /// it sorts last and fills a chart's scale.
    #[must_use]
    pub fn approximate(self) -> f64 {
        match self {
            Self::Exact(a) => a.to_f64().unwrap_or(f64::MAX),
            Self::TooLarge => f64::MAX,
        }
    }

    /// The amount for people: thousands separated, cents only when there are any (rounded to
    /// the cent), "too large" when it is.
    #[must_use]
    pub fn for_people(self) -> String {
        let Self::Exact(amount) = self else { return "too large".to_owned() };
        let cents = amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        let whole = cents.trunc().abs().to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if cents.is_sign_negative() && !cents.is_zero() { "-" } else { "" };
        let fraction = (cents.fract().abs() * Decimal::ONE_HUNDRED).trunc().to_u32().unwrap_or(0);
        if fraction == 0 { format!("{sign}{grouped}") } else { format!("{sign}{grouped}.{fraction:02}") }
    }
}

/// The plain decimal, for CSV: `1.2`, `120000`; "too large" when it is.
impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exact(amount) => write!(f, "{}", amount.normalize()),
            Self::TooLarge => f.write_str("too large"),
        }
    }
}

/// A JSON number (the nearest float to the exact decimal, which prints as the decimal for any
/// amount of up to 15 significant digits); `null` when too large to hold exactly.
impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Exact(_) => serializer.serialize_f64(self.approximate()),
            Self::TooLarge => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(json: &str) -> Amount {
        Amount::from_json(&serde_json::from_str(json).unwrap()).unwrap()
    }

    #[test]
    fn sums_are_exact() {
        assert_eq!(amount("0.1").times(12).to_string(), "1.2");
        assert_eq!(amount("0.1").plus(amount("0.2")).to_string(), "0.3");
        assert_eq!(amount("9223372036854775807").times(12).to_string(), "110680464442257309684");
        assert_eq!(amount("120000").to_string(), "120000");
    }

    #[test]
    fn too_large_says_so() {
        assert_eq!(amount("1e300"), Amount::TooLarge);
        let huge = amount("70000000000000000000000000000");
        assert_eq!(huge.plus(huge).for_people(), "too large");
        assert_eq!(huge.times(2).to_string(), "too large");
        assert_eq!(serde_json::to_string(&Amount::TooLarge).unwrap(), "null");
    }

    #[test]
    fn for_people() {
        assert_eq!(amount("1234567").for_people(), "1,234,567");
        assert_eq!(amount("50400.5").for_people(), "50,400.50");
        assert_eq!(amount("0").for_people(), "0");
        assert_eq!(amount("-1234.005").for_people(), "-1,234.01");
        assert_eq!(amount("9223372036854775807").times(12).for_people(), "110,680,464,442,257,309,684");
        assert_eq!(serde_json::to_string(&amount("0.1").times(12)).unwrap(), "1.2");
        assert_eq!(serde_json::to_string(&amount("150000")).unwrap(), "150000.0");
    }
}
