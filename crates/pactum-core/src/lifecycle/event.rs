//! The kinds of dated event a contract's terms produce.

use serde::Serialize;

/// What kind of date an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// The last day to give notice of non-renewal (or termination).
    NoticeDeadline,
    /// The first day of a renewal term.
    Renewal,
    /// The last day of a term that does not renew.
    Expiry,
    /// An obligation's due day.
    Obligation,
}

impl EventKind {
    pub(crate) const ALL: [Self; 4] = [Self::NoticeDeadline, Self::Renewal, Self::Expiry, Self::Obligation];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoticeDeadline => "notice-deadline",
            Self::Renewal => "renewal",
            Self::Expiry => "expiry",
            Self::Obligation => "obligation",
        }
    }
}
