//! The seal of an executed contract: what was signed, kept so that any later change shows.
//!
//! `pactum execute` seals two things: the body (one hash of its text) and the agreed terms —
//! every front-matter field but the operational ones, one digest per top-level key, so that a
//! change names the field that changed:
//!
//! ```toml
//! [execution]
//! body_sha256 = "…"
//!
//! [execution.terms]
//! effective_date = "3f0c…"
//! parties = "91aa…"
//! value = "c2d4…"
//! ```
//!
//! Operational fields legitimately change after signature and are left out: `owner`,
//! `terminated_on`, `renewal.notice_given`, the `[execution]` record itself, and whatever
//! `pactum.toml` lists in `[execution] operational`. `status` is sealed as a direction: an
//! executed contract may move on to `terminated` or `superseded`, and nowhere else.

use std::collections::BTreeMap;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::text::hex;

/// Fields that change after signature without changing what was agreed.
pub const OPERATIONAL: &[&str] = &["owner", "status", "terminated_on", "renewal.notice_given", "execution"];

/// Where an executed contract's status may go.
pub const STATUSES_AFTER_EXECUTION: &[&str] = &["executed", "terminated", "superseded"];

/// The hash of a body as `execute` seals it: line ends and surrounding white space do not
/// count, every other byte does.
#[must_use]
pub fn body_hash(body: &str) -> String {
    let normalized = body.replace("\r\n", "\n");
    hex(&Sha256::digest(normalized.trim().as_bytes()))
}

/// One digest per sealed top-level key of the front matter (as JSON), `extra` naming more
/// operational fields (`"tags"`, `"renewal.reminder"`).
#[must_use]
pub fn term_digests(front: &Value, extra: &[String]) -> BTreeMap<String, String> {
    let operational: Vec<&str> = OPERATIONAL.iter().copied().chain(extra.iter().map(String::as_str)).collect();
    let Some(table) = front.as_object() else { return BTreeMap::new() };
    table
        .iter()
        .filter(|(key, _)| !operational.contains(&key.as_str()))
        .map(|(key, value)| {
            let mut value = value.clone();
            // `renewal.notice_given`: operational fields inside a table are left out of its digest.
            for nested in operational.iter().filter_map(|o| o.strip_prefix(key.as_str())?.strip_prefix('.')) {
                remove_path(&mut value, nested);
            }
            (key.clone(), digest(&value))
        })
        .collect()
}

fn remove_path(value: &mut Value, path: &str) {
    let (head, rest) = path.split_once('.').map_or((path, None), |(h, r)| (h, Some(r)));
    let Some(object) = value.as_object_mut() else { return };
    match rest {
        None => {
            object.remove(head);
        }
        Some(rest) => {
            if let Some(inner) = object.get_mut(head) {
                remove_path(inner, rest);
            }
        }
    }
}

/// A short digest of a JSON value; objects hash with their keys in order, so TOML's key order
/// and formatting do not count.
fn digest(value: &Value) -> String {
    let canonical = serde_json::to_string(&sorted(value)).unwrap_or_default();
    hex(&Sha256::digest(canonical.as_bytes()))[..16].to_owned()
}

fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let ordered: BTreeMap<&String, Value> = map.iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(ordered.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// How a sealed field differs from what was signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TermChange {
    Changed,
    Added,
    Removed,
}

/// The fields whose digests differ between the seal and now.
#[must_use]
pub fn changed_terms(sealed: &BTreeMap<String, String>, now: &BTreeMap<String, String>) -> Vec<(String, TermChange)> {
    let mut changes: Vec<(String, TermChange)> = sealed
        .iter()
        .filter_map(|(key, digest)| match now.get(key) {
            None => Some((key.clone(), TermChange::Removed)),
            Some(current) if current != digest => Some((key.clone(), TermChange::Changed)),
            Some(_) => None,
        })
        .collect();
    changes.extend(now.keys().filter(|key| !sealed.contains_key(*key)).map(|key| (key.clone(), TermChange::Added)));
    changes.sort();
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn signed() -> Value {
        json!({
            "id": "acme", "status": "executed", "owner": "@alice",
            "value": {"amount": 100_000, "currency": "EUR"},
            "renewal": {"kind": "auto", "notice": "60 days"},
            "execution": {"body_sha256": "x"}
        })
    }

    #[test]
    fn operational_fields_are_not_sealed() {
        let sealed = term_digests(&signed(), &[]);
        assert_eq!(sealed.keys().collect::<Vec<_>>(), ["id", "renewal", "value"]);
        let mut later = signed();
        later["owner"] = json!("@bea");
        later["status"] = json!("terminated");
        later["renewal"]["notice_given"] = json!("2026-01-05");
        later["terminated_on"] = json!("2026-03-01");
        assert_eq!(changed_terms(&sealed, &term_digests(&later, &[])), []);
    }

    #[test]
    fn every_agreed_field_is_sealed() {
        let sealed = term_digests(&signed(), &[]);
        let mut later = signed();
        later["value"]["amount"] = json!(10_000);
        later["governing_law"] = json!("NO");
        later.as_object_mut().unwrap().remove("renewal");
        assert_eq!(
            changed_terms(&sealed, &term_digests(&later, &[])),
            [
                ("governing_law".to_owned(), TermChange::Added),
                ("renewal".to_owned(), TermChange::Removed),
                ("value".to_owned(), TermChange::Changed)
            ]
        );
        // Key order is no change.
        let reordered = json!({"value": {"currency": "EUR", "amount": 100_000}, "renewal": {"notice": "60 days", "kind": "auto"}, "id": "acme"});
        assert_eq!(changed_terms(&sealed, &term_digests(&reordered, &[])), []);
    }

    #[test]
    fn a_repository_names_more_operational_fields() {
        let extra = vec!["tags".to_owned(), "value.po_number".to_owned()];
        let mut before = signed();
        before["value"]["po_number"] = json!("PO-1");
        let sealed = term_digests(&before, &extra);
        let mut later = before.clone();
        later["tags"] = json!(["key-account"]);
        later["value"]["po_number"] = json!("PO-2");
        assert_eq!(changed_terms(&sealed, &term_digests(&later, &extra)), []);
    }
}
