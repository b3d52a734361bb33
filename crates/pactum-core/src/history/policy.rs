//! Approval policies evaluated against a change of a contract: which apply, and whether the
//! approvers meet them. What the policies say is read in [`crate::repo::policies`].

use serde::Serialize;
use serde_json::Value;

use crate::contract::Contract;
use crate::diff::ContractDiff;
use crate::repo::policies::{GOVERNANCE, Policies, PolicyConfig, Requirement};
use crate::repo::policies::{identities, parse_condition};

/// What a pending change needs under the policies: how many contracts it changes, and the
/// verdict of each policy that applies, as (contract id or path, path, verdict).
#[derive(Debug, Clone, Default)]
pub struct Pending {
    pub changed: usize,
    pub verdicts: Vec<(String, String, Verdict)>,
    /// What of the rules the change alters (`pactum.toml [repository] contracts`, `schemas`).
    pub rules_changed: Vec<String>,
    /// Contracts the change's own settings would stop checking (a moved contracts folder, a
    /// new `exclude`): (id or path, path).
    pub no_longer_checked: Vec<(String, String)>,
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
    /// contract it changes, and `[governance]` when `rules_changed` names anything, or when
    /// the change adopts a contract signed outside the repository (seals an executed contract
    /// that had no seal). `approvers` approved it; `author` proposed it (no approver of it,
    /// unless a policy allows self-approval).
    #[must_use]
    pub fn pending(
        &self,
        (old, new): (&[Contract], &[Contract]),
        rules_changed: Vec<String>,
        (approvers, author): (&[String], Option<&str>),
        options: &crate::diff::DiffOptions,
    ) -> Pending {
        let mut pending = Pending::default();
        for (id, before, after) in crate::diff::pair(old, new) {
            pending.changed += 1;
            let diff = crate::diff::diff(before, after, options);
            let either = after.or(before).expect("a pair has a side");
            let change = Change { id: id.clone(), before, after, diff: &diff };
            for verdict in self.evaluate(&change, approvers, author) {
                pending.verdicts.push((id.clone(), either.path.clone(), verdict));
            }
            if change.adopts() {
                pending.verdicts.push((id.clone(), either.path.clone(), self.adoption_verdict(&id, approvers, author)));
            }
        }
        if !rules_changed.is_empty() {
            pending.changed += 1;
            pending.verdicts.push((
                "rules".to_owned(),
                "pactum.toml".to_owned(),
                self.governance_verdict(approvers, author),
            ));
        }
        pending.rules_changed = rules_changed;
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
    pub(crate) fn governance_verdict(&self, approvers: &[String], merger: Option<&str>) -> Verdict {
        let allowed = self.governance.allow_self_approval;
        self.verdict(GOVERNANCE, "pactum.toml", &self.governance_requirement(), approvers, merger, allowed)
    }

    /// The verdict on adopting `contract` as signed outside the repository: the governance
    /// approvers' to give, as a change to the record.
    #[must_use]
    pub(crate) fn adoption_verdict(&self, contract: &str, approvers: &[String], merger: Option<&str>) -> Verdict {
        let allowed = self.governance.allow_self_approval;
        self.verdict(ADOPTION, contract, &self.governance_requirement(), approvers, merger, allowed)
    }

    /// Who approves changes to the rules: `[governance] require`, else one approval from anyone
    /// a policy or group names.
    fn governance_requirement(&self) -> Requirement {
        self.governance.require.clone().unwrap_or_else(|| {
            let mut users: Vec<String> = self.groups.values().flatten().cloned().collect();
            for policy in &self.policies {
                users.extend(self.eligible(&policy.require));
            }
            Requirement { users, groups: Vec::new(), count: 1 }
        })
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
        let eligible = self.eligible(requirement);
        let mut not_counted = Vec::new();
        let mut given: Vec<Vec<String>> = Vec::new();
        for approver in approvers {
            let names = identities(approver);
            if names.iter().any(|n| merger.contains(n)) {
                not_counted.push(NotCounted {
                    approver: approver.trim().to_owned(),
                    reason: "merged the change: this policy does not allow self-approval".to_owned(),
                });
            } else {
                if !eligible.is_empty() && !eligible.iter().any(|person| names.contains(person)) {
                    not_counted.push(NotCounted {
                        approver: approver.trim().to_owned(),
                        reason: format!(
                            "is none of {} (compared by @handle, name, e-mail address or its local part)",
                            eligible.join(", ")
                        ),
                    });
                }
                given.push(names);
            }
        }
        let mut approved_by: Vec<String> = if eligible.is_empty() {
            // Nobody named: anyone but the merger approves.
            given.iter().filter_map(|names| names.first().cloned()).collect()
        } else {
            eligible.iter().filter(|person| given.iter().any(|names| names.contains(person))).cloned().collect()
        };
        approved_by.sort();
        approved_by.dedup();
        let met = approved_by.len() >= requirement.count;
        // Whom to ask, as the forge names them: those who can still give an approval.
        let request = if met {
            Vec::new()
        } else {
            let mut request: Vec<String> = self
                .named(requirement)
                .iter()
                .filter_map(|person| crate::repo::codeowners::addressable(person))
                .filter(|person| {
                    let names = identities(person);
                    !approved_by.iter().any(|a| names.contains(a)) && !names.iter().any(|n| merger.contains(n))
                })
                .collect();
            request.sort();
            request.dedup();
            request
        };
        Verdict {
            policy: name.to_owned(),
            contract: contract.to_owned(),
            required: requirement.count,
            eligible,
            met,
            approved_by,
            not_counted,
            request,
        }
    }
}

/// The name of the built-in requirement on adopting a contract signed outside the repository.
pub(crate) const ADOPTION: &str = "Adopting a contract signed outside the repository";

/// One contract's change, as policies see it.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub id: String,
    /// The contract before the change (none when it is new) and after it (none when removed).
    pub before: Option<&'a Contract>,
    pub after: Option<&'a Contract>,
    pub diff: &'a ContractDiff,
}

impl Change<'_> {
    fn status(side: Option<&Contract>) -> &str {
        side.and_then(|c| c.meta.status).map_or("none", crate::contract::Status::as_str)
    }

    /// Whether the change seals a contract that was executed without a seal: an agreement
    /// signed before it came into the repository, adopted (`pactum execute --adopt`).
    #[must_use]
    pub(crate) fn adopts(&self) -> bool {
        let unsealed_executed =
            |c: &Contract| c.meta.status == Some(crate::contract::Status::Executed) && c.meta.body_sha256.is_none();
        self.before.is_some_and(unsealed_executed) && self.after.is_some_and(|c| c.meta.body_sha256.is_some())
    }
}

/// Whether a policy applies to a change. Its contract types and `when` conditions are judged
/// on both sides: a change that lowers the value under a threshold, or changes the type, in
/// the same change as the edit the policy gates is still gated by it.
fn applies(policy: &PolicyConfig, changed: &globset::GlobSet, change: &Change<'_>) -> bool {
    let matches = |contract: &Contract| {
        let front = contract.front.as_ref().map_or(Value::Null, |f| f.value.clone());
        let kind = contract.meta.kind.as_deref().unwrap_or("");
        (policy.types.is_empty() || policy.types.iter().any(|t| t == kind))
            && policy.when.iter().filter_map(|c| parse_condition(c).ok()).all(|c| c.holds(&front))
    };
    if !change.before.into_iter().chain(change.after).any(matches) {
        return false;
    }
    if let Some(transition) = &policy.transition {
        let (from, to) = transition
            .split_once("->")
            .or_else(|| transition.split_once('→'))
            .map_or(("*", "*"), |(a, b)| (a.trim(), b.trim()));
        let before = Change::status(change.before);
        let after = Change::status(change.after);
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
    /// Approvals recorded that do not count, and why.
    pub not_counted: Vec<NotCounted>,
    /// While unmet, whom to ask in the forge's terms: each eligible person named by `@handle`,
    /// `@org/team` or e-mail address who has not approved and did not propose the change.
    pub request: Vec<String>,
}

/// An approval recorded that a policy does not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotCounted {
    /// As recorded (`@handle`, or `Name <e-mail>` from an `Approved-by:` trailer).
    pub approver: String,
    pub reason: String,
}

impl Verdict {
    /// What was recorded, for people: who approved, and for each approval that does not count,
    /// why; `none` when nobody approved.
    #[must_use]
    pub fn recorded(&self) -> String {
        let mut parts = self.approved_by.clone();
        parts.extend(self.not_counted.iter().map(|n| format!("{} (not counted: {})", n.approver, n.reason)));
        if parts.is_empty() { "none".to_owned() } else { parts.join("; ") }
    }
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
        let matches =
            |pattern: &str, text: &str| crate::repo::policies::glob(pattern).unwrap().compile_matcher().is_match(text);
        assert!(matches("clause:liability*", "clause:liability-cap"));
        assert!(matches("field:/value/*", "field:/value/amount"));
        assert!(matches("*indemn*", "clause:Indemnification"));
        assert!(!matches("clause:9.*", "clause:19.2"));
        assert!(matches("clause:9.*", "clause:9.2"));
        assert!(matches("clause:{liability,indemnity}*", "clause:Indemnity"));
    }

    #[test]
    fn approvals_that_do_not_count_are_named_with_why() {
        let config = crate::repo::Config::parse("[groups]\nlegal = [\"@alice\"]\n\n[[policies]]\nname = \"Legal\"\nrequire = { groups = [\"legal\"], count = 1 }\n").unwrap();
        let policies = Policies::from_config(&config);
        let approvers = ["Carol <carol@example.com>".to_owned(), "@alice".to_owned()];
        // Carol is no one the policy names; Alice merged her own change.
        let verdict = policies.governance_verdict(&approvers, Some("@alice"));
        assert!(!verdict.met);
        assert_eq!(verdict.not_counted.len(), 2, "{verdict:?}");
        let recorded = verdict.recorded();
        assert!(recorded.contains("Carol <carol@example.com> (not counted: is none of alice"), "{recorded}");
        assert!(recorded.contains("@alice (not counted: merged the change"), "{recorded}");
        // Approved by Alice, merged by someone else: counted, nothing left over.
        let verdict = policies.governance_verdict(&["Alice <alice@example.com>".to_owned()], Some("@bea"));
        assert!(verdict.met && verdict.not_counted.is_empty(), "{verdict:?}");
        assert_eq!(verdict.recorded(), "alice");
    }

    #[test]
    fn a_changed_pattern_that_is_no_glob_is_refused() {
        let error = crate::repo::Config::parse(
            "[[policies]]\nname = \"Caps\"\nchanged = [\"clause:[liability\"]\nrequire = { users = [\"@bea\"] }\n",
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("Caps") && error.contains("clause:[liability"), "{error}");
    }
}
