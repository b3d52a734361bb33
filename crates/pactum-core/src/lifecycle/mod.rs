//! Contract dates: durations, terms, renewals, notice deadlines, obligations, computed state.
//!
//! This is the part that must never be wrong (docs/format.md, "Dates and durations"), so it follows two rules:
//!
//! - **Month arithmetic is computed from the anchor date, never step by step**, and clamps to
//!   the month's last day. 2024-01-31 + 1 month is 2024-02-29 and + 2 months is 2024-03-31;
//!   stepping month by month would give 2024-03-29 and drift for ever after.
//! - **Term ends are inclusive.** A term of N months that starts on D ends on the day *before*
//!   D + N months: 2025-01-01 + "12 months" ends 2025-12-31.
//!
//! Everything takes "today" as an argument; nothing here reads the clock.

mod duration;
mod event;
mod terms;

pub use duration::{Duration, DurationError, Holidays, Unit};
pub use event::EventKind;
pub use terms::{Calendar, ContractDates, Overview, RenewalKind, State, Term, TermsError};
