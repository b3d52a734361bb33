//! Approval policies from `pactum.toml`: who must approve what.
//!
//! ```toml
//! [groups]
//! legal = ["@alice", "@bea"]
//! finance = ["@carol"]
//!
//! [[policies]]
//! name = "Large deals need finance"
//! types = ["msa", "saas"]                 # contract types (any when left out)
//! when = ["value.amount > 100000"]        # conditions on the front matter, all must hold
//! transition = "* -> executed"            # a status change (`from -> to`, `*` for any)
//! changed = ["clause:liability*", "field:/value/*"]   # what the change touched (any)
//! require = { groups = ["finance"], count = 1 }
//! ```
//!
//! A policy applies to a change of one contract when every condition it states holds. It is
//! met when at least `count` approvers are among its users and the members of its groups.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::contract::Contract;
use crate::diff::ContractDiff;

/// A policy as written in `pactum.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    pub name: String,
    #[serde(default)]
    pub types: Vec<String>,
    #[serde(default)]
    pub when: Vec<String>,
    #[serde(default)]
    pub transition: Option<String>,
    #[serde(default)]
    pub changed: Vec<String>,
    pub require: Requirement,
    /// Whether the person who merges a change may count as one of its approvers.
    #[serde(default)]
    pub allow_self_approval: bool,
}

/// `[governance]`: who approves changes to the rules themselves — policies, groups, lint
/// levels, the seal's operational fields, schemas.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GovernanceConfig {
    pub require: Option<Requirement>,
    pub allow_self_approval: bool,
}

/// The name of the built-in policy over changes to the rules.
pub const GOVERNANCE: &str = "Changes to policies, groups, lint levels or schemas";

/// Who must approve.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    #[serde(default)]
    pub users: Vec<String>,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default = "one")]
    pub count: usize,
}

fn one() -> usize {
    1
}

/// A comparison in a `when` condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

/// A parsed `when` condition: `value.amount > 100000`.
#[derive(Debug, Clone, PartialEq)]
struct Condition {
    path: Vec<String>,
    operator: Operator,
    value: String,
}

fn parse_condition(text: &str) -> Result<Condition, String> {
    const OPERATORS: [(&str, Operator); 6] = [
        (">=", Operator::GreaterOrEqual),
        ("<=", Operator::LessOrEqual),
        ("!=", Operator::NotEqual),
        ("==", Operator::Equal),
        (">", Operator::Greater),
        ("<", Operator::Less),
    ];
    for (symbol, operator) in OPERATORS {
        if let Some((left, right)) = text.split_once(symbol) {
            let path: Vec<String> = left.trim().split('.').map(str::to_owned).collect();
            let value = right.trim().trim_matches('"').to_owned();
            if path.iter().any(String::is_empty) || value.is_empty() {
                break;
            }
            return Ok(Condition { path, operator, value });
        }
    }
    Err(format!(
        "condition `{text}` is not `<key> <op> <value>` with op ==, !=, >, >=, < or <= (for example \"value.amount > 100000\")"
    ))
}

impl Condition {
    fn holds(&self, front: &Value) -> bool {
        let mut at = front;
        for key in &self.path {
            match at.get(key) {
                Some(next) => at = next,
                None => return self.operator == Operator::NotEqual,
            }
        }
        let number = |text: &str| text.replace('_', "").parse::<f64>().ok();
        if let (Some(left), Some(right)) = (at.as_f64(), number(&self.value)) {
            match self.operator {
                Operator::Equal => (left - right).abs() < f64::EPSILON,
                Operator::NotEqual => (left - right).abs() >= f64::EPSILON,
                Operator::Greater => left > right,
                Operator::GreaterOrEqual => left >= right,
                Operator::Less => left < right,
                Operator::LessOrEqual => left <= right,
            }
        } else {
            let left = at.as_str().map_or_else(|| at.to_string(), str::to_owned);
            match self.operator {
                Operator::Equal => left == self.value,
                Operator::NotEqual => left != self.value,
                _ => false,
            }
        }
    }
}

/// `*` matches any run of characters; everything else itself, ignoring case.
#[must_use]
pub fn glob(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.to_lowercase(), text.to_lowercase());
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut at = 0;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        if i == 0 {
            if !text.starts_with(part) {
                return false;
            }
            at = part.len();
        } else if i == parts.len() - 1 {
            return text.len() >= at + part.len() && text[at..].ends_with(part);
        } else {
            match text[at..].find(part) {
                Some(found) => at += found + part.len(),
                None => return false,
            }
        }
    }
    true
}

/// The policies of a repository, checked.
#[derive(Debug, Clone, Default)]
pub struct Policies {
    pub groups: BTreeMap<String, Vec<String>>,
    pub policies: Vec<PolicyConfig>,
    pub governance: GovernanceConfig,
}

/// The names an approver can be known by: `Bea Lawyer <bea@example.com>` is `bea lawyer`,
/// `bea@example.com` and `bea`; `@bea` is `bea`.
fn identities(approver: &str) -> Vec<String> {
    let approver = approver.trim();
    let mut names = vec![normalize_user(approver)];
    if let (Some(open), Some(close)) = (approver.find('<'), approver.rfind('>')) {
        let email = approver[open + 1..close].trim().to_lowercase();
        names.push(approver[..open].trim().to_lowercase());
        if let Some((local, _)) = email.split_once('@') {
            names.push(local.to_owned());
        }
        names.push(email);
    } else if let Some((local, _)) = approver.split_once('@').filter(|(l, _)| !l.is_empty()) {
        names.push(local.to_lowercase());
    }
    names
}

/// Lower-case, without a leading `@`: how approver names compare.
#[must_use]
pub fn normalize_user(name: &str) -> String {
    name.trim().trim_start_matches('@').to_lowercase()
}

impl Policies {
    /// Check the policies: conditions parse, groups exist.
    ///
    /// # Errors
    /// A message naming the policy and what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        for policy in &self.policies {
            for condition in &policy.when {
                parse_condition(condition).map_err(|e| format!("policy \"{}\": {e}", policy.name))?;
            }
            for group in &policy.require.groups {
                if !self.groups.contains_key(group) {
                    return Err(format!(
                        "policy \"{}\" requires group `{group}`, which [groups] does not define",
                        policy.name
                    ));
                }
            }
            if let Some(transition) = &policy.transition
                && !transition.contains("->")
                && !transition.contains('→')
            {
                return Err(format!(
                    "policy \"{}\": transition `{transition}` is not `from -> to` (`*` for any)",
                    policy.name
                ));
            }
            if policy.require.count == 0 || (policy.require.users.is_empty() && policy.require.groups.is_empty()) {
                return Err(format!(
                    "policy \"{}\" requires nobody: name users or groups and a count of at least 1",
                    policy.name
                ));
            }
        }
        Ok(())
    }

    /// Everyone who can satisfy a requirement.
    #[must_use]
    pub fn eligible(&self, requirement: &Requirement) -> Vec<String> {
        let mut people: Vec<String> = requirement.users.iter().map(|u| normalize_user(u)).collect();
        for group in &requirement.groups {
            people.extend(self.groups.get(group).into_iter().flatten().map(|u| normalize_user(u)));
        }
        people.sort();
        people.dedup();
        people
    }

    /// Evaluate every policy against one contract's change. `merger` is whoever merges it:
    /// not one of its approvers, unless the policy allows self-approval.
    #[must_use]
    pub fn evaluate(&self, change: &Change<'_>, approvers: &[String], merger: Option<&str>) -> Vec<Verdict> {
        self.policies
            .iter()
            .filter(|policy| applies(policy, change))
            .map(|policy| {
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

fn applies(policy: &PolicyConfig, change: &Change<'_>) -> bool {
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
        if !policy.changed.iter().any(|pattern| touched.iter().any(|t| glob(pattern, t))) {
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
        assert!(glob("clause:liability*", "clause:liability-cap"));
        assert!(glob("field:/value/*", "field:/value/amount"));
        assert!(glob("*indemn*", "clause:Indemnification"));
        assert!(!glob("clause:9.*", "clause:19.2"));
        assert!(glob("clause:9.*", "clause:9.2"));
    }
}
