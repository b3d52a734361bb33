//! The typed view of a contract's front matter.
//!
//! The schema decides what is valid; this view only takes what it can use, leniently, so that a
//! contract with one wrong value still gets every other check. A value of the wrong type reads
//! as absent here (and the schema reports it).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::lifecycle::{ContractDates, Duration, DurationError, RenewalKind};

/// What people decided about a contract, in lifecycle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Review,
    Approved,
    Executed,
    Terminated,
    Superseded,
}

impl Status {
    /// Every status, in lifecycle order.
    pub(crate) const ALL: [Self; 6] =
        [Self::Draft, Self::Review, Self::Approved, Self::Executed, Self::Terminated, Self::Superseded];

    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Review => "review",
            Self::Approved => "approved",
            Self::Executed => "executed",
            Self::Terminated => "terminated",
            Self::Superseded => "superseded",
        }
    }

    /// Whether the contract is past drafting: approved or later.
    #[must_use]
    pub(crate) fn is_final(self) -> bool {
        self >= Self::Approved
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Party {
    pub name: String,
    pub role: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Signature {
    pub party: String,
    pub name: Option<String>,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Obligation {
    pub id: Option<String>,
    pub summary: Option<String>,
    pub clause: Option<String>,
    pub owner: Option<String>,
    pub every: Option<String>,
    pub due: Option<NaiveDate>,
    pub starting: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Renewal {
    pub kind: Option<String>,
    pub period: Option<String>,
    pub notice: Option<String>,
    /// When notice of non-renewal was given: the term it falls in is the last.
    pub(crate) notice_given: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Money {
    pub amount: Option<super::Amount>,
    pub currency: Option<String>,
    pub per: Option<String>,
}

/// The front matter keys pactum itself reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metadata {
    pub id: Option<String>,
    pub title: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub status: Option<Status>,
    pub owner: Option<String>,
    pub effective_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub term: Option<String>,
    pub governing_law: Option<String>,
    pub renewal: Option<Renewal>,
    pub value: Option<Money>,
    pub parties: Vec<Party>,
    pub signatures: Vec<Signature>,
    pub obligations: Vec<Obligation>,
    pub amends: Option<String>,
    pub(crate) supersedes: Option<String>,
    pub parent: Option<String>,
    /// Library clauses the contract was drafted with: (clause id, version).
    pub library: Vec<(String, String)>,
    /// `[request] opened`: when the contract was requested, where it was.
    pub request_opened: Option<NaiveDate>,
    /// `[request] url`: where it was requested.
    pub request_url: Option<String>,
    /// `[execution] body_sha256`: the body as signed.
    pub body_sha256: Option<String>,
    /// `[execution] amends_body_sha256`, on an amendment: the amended contract's body as amended.
    pub amends_body_sha256: Option<String>,
    /// `[execution.terms]`: a digest of each agreed field as signed.
    pub(crate) sealed_terms: Option<BTreeMap<String, String>>,
    /// `[execution.amends_terms]`, on an amendment: the amended contract's fields as amended.
    pub(crate) amends_terms: Option<BTreeMap<String, String>>,
}

/// A table of strings from the front matter: `[execution.terms]`.
fn digests(value: &Value, key: &str) -> Option<BTreeMap<String, String>> {
    let table = value.get("execution")?.get(key)?.as_object()?;
    Some(table.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect())
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn date(value: &Value, key: &str) -> Option<NaiveDate> {
    value.get(key).and_then(Value::as_str).and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

fn list<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    value.get(key).and_then(Value::as_array).into_iter().flatten()
}

impl Metadata {
    /// Take what pactum uses from the front matter as JSON.
    #[must_use]
    pub(crate) fn from_json(value: &Value) -> Self {
        Self {
            id: text(value, "id"),
            title: text(value, "title"),
            kind: text(value, "type"),
            status: value.get("status").and_then(Value::as_str).and_then(Status::parse),
            owner: text(value, "owner"),
            effective_date: date(value, "effective_date"),
            request_opened: value.get("request").and_then(|request| date(request, "opened")),
            request_url: value.get("request").and_then(|request| text(request, "url")),
            end_date: date(value, "end_date"),
            term: text(value, "term"),
            governing_law: text(value, "governing_law"),
            renewal: value.get("renewal").filter(|r| r.is_object()).map(|r| Renewal {
                kind: text(r, "kind"),
                period: text(r, "period"),
                notice: text(r, "notice"),
                notice_given: date(r, "notice_given"),
            }),
            value: value.get("value").filter(|v| v.is_object()).map(|v| Money {
                amount: v.get("amount").and_then(super::Amount::from_json),
                currency: text(v, "currency"),
                per: text(v, "per"),
            }),
            parties: list(value, "parties")
                .filter_map(|p| Some(Party { name: text(p, "name")?, role: text(p, "role") }))
                .collect(),
            signatures: list(value, "signatures")
                .filter_map(|s| {
                    Some(Signature {
                        party: text(s, "party")?,
                        name: text(s, "name"),
                        title: text(s, "title"),
                        date: date(s, "date"),
                    })
                })
                .collect(),
            obligations: list(value, "obligations")
                .map(|o| Obligation {
                    id: text(o, "id"),
                    summary: text(o, "summary"),
                    clause: text(o, "clause"),
                    owner: text(o, "owner"),
                    every: text(o, "every"),
                    due: date(o, "due"),
                    starting: date(o, "starting"),
                })
                .collect(),
            amends: text(value, "amends"),
            supersedes: text(value, "supersedes"),
            parent: text(value, "parent"),
            library: list(value, "library").filter_map(|l| Some((text(l, "clause")?, text(l, "version")?))).collect(),
            body_sha256: value.get("execution").and_then(|e| text(e, "body_sha256")),
            amends_body_sha256: value.get("execution").and_then(|e| text(e, "amends_body_sha256")),
            sealed_terms: digests(value, "terms"),
            amends_terms: digests(value, "amends_terms"),
        }
    }

    /// What the portfolio report reads of a contract for its rows (names, status, owner,
    /// parties, value, dates), without the signatures, obligations, library clauses, links and
    /// seals it does not: a report over 100,000 contracts keeps this of each.
    #[must_use]
    pub fn summary(&self) -> Self {
        Self {
            id: self.id.clone(),
            title: self.title.clone(),
            kind: self.kind.clone(),
            status: self.status,
            owner: self.owner.clone(),
            effective_date: self.effective_date,
            end_date: self.end_date,
            term: self.term.clone(),
            governing_law: self.governing_law.clone(),
            renewal: self.renewal.clone(),
            value: self.value.clone(),
            parties: self.parties.clone(),
            obligations: self.obligations.clone(),
            request_opened: self.request_opened,
            ..Self::default()
        }
    }

    /// The inputs of every date computation, when the contract has an effective date.
    ///
    /// # Errors
    /// The pointer and error of the first duration that cannot be read.
    pub fn dates(&self) -> Result<Option<ContractDates>, (&'static str, DurationError)> {
        let Some(effective) = self.effective_date else { return Ok(None) };
        let duration =
            |pointer: &'static str, text: Option<&String>| -> Result<Option<Duration>, (&'static str, DurationError)> {
                text.map(|t| t.parse::<Duration>()).transpose().map_err(|e| (pointer, e))
            };
        let renewal = self.renewal.clone().unwrap_or_default();
        let kind = renewal.kind.as_deref().and_then(RenewalKind::parse).unwrap_or(RenewalKind::None);
        Ok(Some(ContractDates {
            effective,
            term: duration("/term", self.term.as_ref())?,
            end_date: self.end_date,
            kind,
            period: duration("/renewal/period", renewal.period.as_ref())?,
            notice: duration("/renewal/notice", renewal.notice.as_ref())?,
        }))
    }
}
