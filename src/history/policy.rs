//! Approval policies evaluated against a change of a contract: which apply, and whether the
//! approvers meet them. What the policies say is read in [`crate::repo::policies`].

use serde::Serialize;
use serde_json::Value;

use crate::contract::Contract;
use crate::diff::ContractDiff;
pub use crate::repo::policies::*;
use crate::repo::policies::{identities, parse_condition};

/// What a pending change needs under the policies: how many contracts it changes, and the
/// verdict of each policy that applies, as (contract id or path, path, verdict).
#[derive(Debug, Clone, Default)]
pub struct Pending {
    pub changed: usize,
    pub verdicts: Vec<(String, String, Verdict)>,
}

impl Pending {
    /// How many verdicts are not met.
    #[must_use]
    pub fn unmet(&self) -> usize {
        self.verdicts.iter().filter(|(_, _, v)| !v.met).count()
    }
}

impl Policies {
    /// Judge a pending change from the contracts `old` to `new`: every policy over each
    /// contract it changes, and `[governance]` when `rules_changed`. `approvers` approved it;
    /// `author` proposed it (no approver of it, unless a policy allows self-approval).
    #[must_use]
    pub fn pending(
        &self,
        (old, new): (&[Contract], &[Contract]),
        rules_changed: bool,
        (approvers, author): (&[String], Option<&str>),
        options: &crate::diff::DiffOptions,
    ) -> Pending {
        let mut pending = Pending::default();
        for (id, before, after) in crate::diff::pair(old, new) {
            pending.changed += 1;
            let diff = crate::diff::diff(before, after, options);
            let either = after.or(before).expect("a pair has a side");
            let status = |c: Option<&Contract>| c.and_then(|c| c.meta.status).map(|s| s.as_str().to_owned());
            let change = Change {
                id: id.clone(),
                contract: either,
                status_before: status(before),
                status_after: status(after),
                diff: &diff,
            };
            for verdict in self.evaluate(&change, approvers, author) {
                pending.verdicts.push((id.clone(), either.path.clone(), verdict));
            }
        }
        if rules_changed {
            pending.changed += 1;
            pending.verdicts.push((
                "rules".to_owned(),
                "pactum.toml".to_owned(),
                self.governance_verdict(approvers, author),
            ));
        }
        pending
    }

    /// Evaluate every policy against one contract's change. `merger` is whoever merges it:
    /// not one of its approvers, unless the policy allows self-approval.
    #[must_use]
    pub fn evaluate(&self, change: &Change<'_>, approvers: &[String], merger: Option<&str>) -> Vec<Verdict> {
        self.policies
            .iter()
            .zip(&self.changed)
            .filter(|(policy, changed)| applies(policy, changed, change))
            .map(|(policy, _)| {
                self.verdict(&policy.name, &change.id, &policy.require, approvers, merger, policy.allow_self_approval)
            })
            .collect()
    }

    /// The verdict on a change to the rules themselves (`[[policies]]`, `[groups]`, `[lint]`,
    /// `[governance]`, `[execution]`, schemas): the requirement `[governance]` names, else one
    /// approval from anyone any policy or group names, else from anyone but the merger.
    #[must_use]
    pub fn governance_verdict(&self, approvers: &[String], merger: Option<&str>) -> Verdict {
        let requirement = self.governance.require.clone().unwrap_or_else(|| {
            let mut users: Vec<String> = self.groups.values().flatten().cloned().collect();
            for policy in &self.policies {
                users.extend(self.eligible(&policy.require));
            }
            Requirement { users, groups: Vec::new(), count: 1 }
        });
        self.verdict(GOVERNANCE, "pactum.toml", &requirement, approvers, merger, self.governance.allow_self_approval)
    }

    fn verdict(
        &self,
        name: &str,
        contract: &str,
        requirement: &Requirement,
        approvers: &[String],
        merger: Option<&str>,
        allow_self_approval: bool,
    ) -> Verdict {
        let merger = merger.filter(|_| !allow_self_approval).map(identities).unwrap_or_default();
        let given: Vec<Vec<String>> =
            approvers.iter().map(|a| identities(a)).filter(|names| !names.iter().any(|n| merger.contains(n))).collect();
        let eligible = self.eligible(requirement);
        let mut approved_by: Vec<String> = if eligible.is_empty() {
            // Nobody named: anyone but the merger approves.
            given.iter().filter_map(|names| names.first().cloned()).collect()
        } else {
            eligible.iter().filter(|person| given.iter().any(|names| names.contains(person))).cloned().collect()
        };
        approved_by.sort();
        approved_by.dedup();
        Verdict {
            policy: name.to_owned(),
            contract: contract.to_owned(),
            required: requirement.count,
            eligible,
            met: approved_by.len() >= requirement.count,
            approved_by,
        }
    }
}

/// One contract's change, as policies see it.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub id: String,
    /// The contract after the change, or before it when it was removed.
    pub contract: &'a Contract,
    pub status_before: Option<String>,
    pub status_after: Option<String>,
    pub diff: &'a ContractDiff,
}

fn applies(policy: &PolicyConfig, changed: &globset::GlobSet, change: &Change<'_>) -> bool {
    let front = change.contract.front.as_ref().map_or(Value::Null, |f| f.value.clone());
    let kind = change.contract.meta.kind.as_deref().unwrap_or("");
    if !policy.types.is_empty() && !policy.types.iter().any(|t| t == kind) {
        return false;
    }
    if !policy.when.iter().filter_map(|c| parse_condition(c).ok()).all(|c| c.holds(&front)) {
        return false;
    }
    if let Some(transition) = &policy.transition {
        let (from, to) = transition
            .split_once("->")
            .or_else(|| transition.split_once('→'))
            .map_or(("*", "*"), |(a, b)| (a.trim(), b.trim()));
        let before = change.status_before.as_deref().unwrap_or("none");
        let after = change.status_after.as_deref().unwrap_or("none");
        if before == after || !(from == "*" || from == before) || !(to == "*" || to == after) {
            return false;
        }
    }
    if !policy.changed.is_empty() {
        let touched: Vec<String> = change
            .diff
            .clauses
            .iter()
            .flat_map(|c| c.old.iter().chain(c.new.iter()))
            // A clause pattern matches a clause through its own id, number or heading, or
            // through any enclosing clause's id or heading: lowering the cap in 8.2 changes
            // "Limitation of Liability".
            .flat_map(|r| {
                std::iter::once(format!("clause:{}", r.number)).chain(r.names().flat_map(|(id, heading)| {
                    std::iter::once(format!("clause:{id}")).chain(heading.map(|h| format!("clause:{h}")))
                }))
            })
            .chain(change.diff.fields.iter().map(|f| format!("field:{}", f.pointer)))
            .collect();
        if !touched.iter().any(|t| changed.is_match(t)) {
            return false;
        }
    }
    true
}

/// Whether one policy is met for one contract's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub policy: String,
    pub contract: String,
    /// How many approvals it needs.
    pub required: usize,
    /// Who can give them.
    pub eligible: Vec<String>,
    /// Who did.
    pub approved_by: Vec<String>,
    pub met: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions() {
        let front = serde_json::json!({ "value": { "amount": 150_000, "currency": "USD" }, "governing_law": "NO" });
        let holds = |text: &str| parse_condition(text).unwrap().holds(&front);
        assert!(holds("value.amount > 100000"));
        assert!(holds("value.amount >= 150_000"));
        assert!(!holds("value.amount < 100000"));
        assert!(holds("governing_law == NO"));
        assert!(holds("governing_law != \"US-DE\""));
        assert!(holds("term != 12 months"), "a missing key differs from any value");
        assert!(parse_condition("value.amount").is_err());
    }

    #[test]
    fn globs() {
        let matches = |pattern: &str, text: &str| glob(pattern).unwrap().compile_matcher().is_match(text);
        assert!(matches("clause:liability*", "clause:liability-cap"));
        assert!(matches("field:/value/*", "field:/value/amount"));
        assert!(matches("*indemn*", "clause:Indemnification"));
        assert!(!matches("clause:9.*", "clause:19.2"));
        assert!(matches("clause:9.*", "clause:9.2"));
        assert!(matches("clause:{liability,indemnity}*", "clause:Indemnity"));
    }

    #[test]
    fn a_changed_pattern_that_is_no_glob_is_refused() {
        let error = crate::repo::Config::parse(
            "[[policies]]\nname = \"Caps\"\nchanged = [\"clause:[liability\"]\nrequire = { users = [\"@bea\"] }\n",
        )
        .unwrap_err();
        assert!(error.contains("Caps") && error.contains("clause:[liability"), "{error}");
    }
}
