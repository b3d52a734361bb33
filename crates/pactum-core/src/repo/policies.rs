//! Approval policies as `pactum.toml` states them: who must approve what. Their evaluation
//! against a change is `history::policy`.
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

use super::SettingError;

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

/// `[governance]`: who approves changes to the rules themselves — any setting of
/// `pactum.toml`, the schemas, templates and clause library, `CODEOWNERS` — and the adoption of
/// contracts signed outside the repository.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GovernanceConfig {
    pub require: Option<Requirement>,
    pub allow_self_approval: bool,
}

/// The name of the built-in policy over changes to the rules.
pub(crate) const GOVERNANCE: &str = "Changes to the repository's rules";

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
pub(crate) struct Condition {
    path: Vec<String>,
    operator: Operator,
    value: String,
}

pub(crate) fn parse_condition(text: &str) -> Result<Condition, String> {
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
    pub(crate) fn holds(&self, front: &Value) -> bool {
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

/// A `changed` pattern as a glob (globset's syntax: `*`, `?`, `[…]`, `{a,b}`), ignoring case;
/// `*` runs over `/` too, for JSON pointers (`field:/value/*`).
///
/// # Errors
/// When the pattern is not a glob (an unclosed `[` or `{`).
pub(crate) fn glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    globset::GlobBuilder::new(pattern).case_insensitive(true).literal_separator(false).build()
}

/// The policies of a repository, checked.
#[derive(Debug, Clone, Default)]
pub struct Policies {
    pub groups: BTreeMap<String, Vec<String>>,
    pub policies: Vec<PolicyConfig>,
    pub governance: GovernanceConfig,
    /// Each policy's `changed` patterns, compiled once, in the order of `policies`. A pattern
    /// that is not a glob is left out (`validate` refuses it when the configuration is read).
    pub changed: Vec<globset::GlobSet>,
}

/// The names an approver can be known by: `Bea Lawyer <bea@example.com>` is `bea lawyer`,
/// `bea@example.com` and `bea`; `@bea` is `bea`.
pub(crate) fn identities(approver: &str) -> Vec<String> {
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
pub(crate) fn normalize_user(name: &str) -> String {
    name.trim().trim_start_matches('@').to_lowercase()
}

impl Policies {
    /// The policies `pactum.toml` states.
    #[must_use]
    pub(crate) fn from_config(config: &super::Config) -> Self {
        let changed = config
            .policies
            .iter()
            .map(|policy| {
                let mut set = globset::GlobSetBuilder::new();
                for pattern in &policy.changed {
                    if let Ok(glob) = glob(pattern) {
                        set.add(glob);
                    }
                }
                set.build().unwrap_or_else(|_| globset::GlobSet::empty())
            })
            .collect();
        Self {
            groups: config.groups.clone(),
            policies: config.policies.clone(),
            governance: config.governance.clone(),
            changed,
        }
    }

    /// Check the policies: conditions parse, groups exist.
    ///
    /// # Errors
    /// A message naming the policy and what is wrong.
    pub fn validate(&self) -> Result<(), SettingError> {
        for policy in &self.policies {
            let wrong =
                |problem: String| SettingError::Invalid { setting: format!("policy \"{}\"", policy.name), problem };
            for condition in &policy.when {
                parse_condition(condition).map_err(wrong)?;
            }
            for pattern in &policy.changed {
                glob(pattern)
                    .map_err(|e| wrong(format!("in `changed`, `{pattern}` is not a pattern pactum reads: {e}")))?;
            }
            for group in &policy.require.groups {
                if !self.groups.contains_key(group) {
                    return Err(wrong(format!("requires group `{group}`, which [groups] does not define")));
                }
            }
            if let Some(transition) = &policy.transition
                && !transition.contains("->")
                && !transition.contains('→')
            {
                return Err(wrong(format!("transition `{transition}` is not `from -> to` (`*` for any)")));
            }
            if policy.require.count == 0 || (policy.require.users.is_empty() && policy.require.groups.is_empty()) {
                return Err(wrong("requires nobody: name users or groups and a count of at least 1".to_owned()));
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
}
