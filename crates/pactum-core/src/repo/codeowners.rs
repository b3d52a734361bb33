//! CODEOWNERS from the policies: who the forge should ask to review each contract, as the
//! policies of `pactum.toml` name them, and where a CODEOWNERS file asks someone else.
//!
//! The forge requests reviews by path (CODEOWNERS); pactum's policies say who must approve by
//! contract type, front-matter condition, status transition and what changed. What a path can
//! carry is the first two: a contract's reviewers are everyone a policy could require of a
//! change to it — the policies whose types and `when` conditions hold of it as it stands. A
//! policy over transitions or changed clauses may apply to any change of it, so its approvers
//! are among them.
//!
//! `pactum codeowners` writes these entries between two marker lines, so that what a team
//! writes by hand around them stays; `check` warns where a CODEOWNERS file leaves out someone a
//! policy will require (the pull request would wait for an approval nobody was asked for).

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::policies::{Policies, PolicyConfig, Requirement, parse_condition};
use crate::contract::Contract;

/// Where forges look for CODEOWNERS, relative to the repository, in the order GitHub does
/// (GitLab reads the same names but `.github/`, and `.gitlab/CODEOWNERS`).
pub const LOCATIONS: [&str; 4] = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"];

/// The first line of the entries pactum writes.
pub const BEGIN: &str = "# BEGIN pactum codeowners";
/// The last line of the entries pactum writes.
pub const END: &str = "# END pactum codeowners";

/// The files besides the contracts whose changes `[governance]` approves.
const GOVERNED: [&str; 4] = ["pactum.toml", "schemas/", "templates/", "clauses/"];

/// One CODEOWNERS entry: a path pattern and who reviews what it matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Owners {
    /// The pattern, as written in CODEOWNERS (from the root of the Git work tree).
    pub pattern: String,
    /// `@handle`, `@org/team` or an e-mail address, sorted.
    pub owners: Vec<String>,
    /// Why: the policies (or `[governance]`) that name them.
    pub policies: Vec<String>,
}

/// What the policies imply: the entries, and the people named who cannot be code owners.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Implied {
    pub entries: Vec<Owners>,
    /// People a policy or group names by a plain name: a forge cannot request their review.
    pub unaddressable: Vec<String>,
}

impl Implied {
    /// The entries as CODEOWNERS lines, between the marker lines.
    #[must_use]
    pub fn block(&self) -> String {
        let mut out = format!(
            "{BEGIN}: written by `pactum codeowners --write` from the policies in pactum.toml; change the policies, not these lines\n"
        );
        for entry in &self.entries {
            out.push_str(&escape(&entry.pattern));
            for owner in &entry.owners {
                out.push(' ');
                out.push_str(owner);
            }
            out.push('\n');
        }
        out.push_str(END);
        out.push('\n');
        out
    }

    /// `existing` (a CODEOWNERS file, or nothing) with the block replaced, or added at its end.
    #[must_use]
    pub fn written_into(&self, existing: Option<&str>) -> String {
        let block = self.block();
        let Some(text) = existing else { return block };
        match block_range(text) {
            Some(range) => format!("{}{block}{}", &text[..range.start], &text[range.end..]),
            None if text.is_empty() => block,
            None => format!("{}{}\n{block}", text, if text.ends_with('\n') { "" } else { "\n" }),
        }
    }
}

/// Where the block pactum wrote lies in a CODEOWNERS text: from its first marker line to the
/// end of its last.
#[must_use]
pub fn block_range(text: &str) -> Option<std::ops::Range<usize>> {
    let start = line_starts(text).find(|&at| text[at..].starts_with(BEGIN))?;
    let end_line = line_starts(text).filter(|&at| at > start).find(|&at| text[at..].starts_with(END))?;
    let end = text[end_line..].find('\n').map_or(text.len(), |n| end_line + n + 1);
    Some(start..end)
}

fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1)).filter(move |&at| at < text.len())
}

/// A path as a CODEOWNERS pattern: spaces escaped.
fn escape(pattern: &str) -> String {
    pattern.replace(' ', "\\ ")
}

/// Someone as a forge knows them: `@handle` and `@org/team` as written, `Name <e-mail>` as its
/// e-mail address, an e-mail address as written; none for a plain name.
#[must_use]
pub fn addressable(person: &str) -> Option<String> {
    let person = person.trim();
    if let Some(handle) = person.strip_prefix('@') {
        let valid = !handle.is_empty()
            && handle.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'));
        return valid.then(|| person.to_owned());
    }
    let email = match (person.find('<'), person.rfind('>')) {
        (Some(open), Some(close)) if open < close => &person[open + 1..close],
        _ => person,
    };
    let email = email.trim();
    (email.contains('@') && !email.contains(char::is_whitespace) && !email.starts_with('@')).then(|| email.to_owned())
}

impl Policies {
    /// Everyone a requirement names, users and members of its groups, as written.
    #[must_use]
    pub fn named(&self, requirement: &Requirement) -> Vec<String> {
        let mut people: Vec<String> = requirement.users.clone();
        for group in &requirement.groups {
            people.extend(self.groups.get(group).into_iter().flatten().cloned());
        }
        people
    }

    /// Whether a policy's contract types and `when` conditions hold of `contract` as it stands.
    #[must_use]
    pub fn may_apply(policy: &PolicyConfig, contract: &Contract) -> bool {
        let front = contract.front.as_ref().map_or(Value::Null, |f| f.value.clone());
        let kind = contract.meta.kind.as_deref().unwrap_or("");
        (policy.types.is_empty() || policy.types.iter().any(|t| t == kind))
            && policy.when.iter().filter_map(|c| parse_condition(c).ok()).all(|c| c.holds(&front))
    }

    /// Whether the policies judge contracts by what they say (types, `when`): then which
    /// reviewers a contract needs depends on its front matter, not only on its path.
    #[must_use]
    pub fn read_contracts(&self) -> bool {
        self.policies.iter().any(|p| !p.types.is_empty() || !p.when.is_empty())
    }

    /// The reviewers the policies could require of a change to `contract`, and the policies
    /// that name them.
    #[must_use]
    pub fn reviewers_of(&self, contract: &Contract) -> (Vec<String>, Vec<String>) {
        self.reviewers(self.policies.iter().filter(|p| Self::may_apply(p, contract)))
    }

    fn reviewers<'p>(&self, policies: impl Iterator<Item = &'p PolicyConfig>) -> (Vec<String>, Vec<String>) {
        let mut people = BTreeSet::new();
        let mut names = Vec::new();
        for policy in policies {
            people.extend(self.named(&policy.require).iter().filter_map(|p| addressable(p)));
            names.push(policy.name.clone());
        }
        (people.into_iter().collect(), names)
    }

    /// The CODEOWNERS entries the policies imply for `contracts` (path relative to the
    /// repository, and the contract read from it). `prefix` is where the repository lies in
    /// the Git work tree (`""` at its root); `folder` is the contracts folder.
    #[must_use]
    pub fn codeowners(&self, contracts: &[(String, Contract)], prefix: &str, folder: &str) -> Implied {
        let at =
            |path: &str| format!("/{}{path}", if prefix.is_empty() { String::new() } else { format!("{prefix}/") });
        let mut implied = Implied::default();
        let every: Vec<&PolicyConfig> =
            self.policies.iter().filter(|p| p.types.is_empty() && p.when.is_empty()).collect();
        let (default, default_names) = self.reviewers(every.iter().copied());
        let folder = folder.trim_matches('/');
        if !default.is_empty() {
            implied.entries.push(Owners {
                pattern: at(&format!("{folder}/")),
                owners: default.clone(),
                policies: default_names,
            });
        }
        let mut sorted: Vec<&(String, Contract)> = contracts.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, contract) in sorted {
            let (owners, policies) = self.reviewers_of(contract);
            if owners != default && !owners.is_empty() {
                implied.entries.push(Owners { pattern: at(path), owners, policies });
            }
        }
        // `[governance] require`, else anyone a group or policy names (as `policy` judges it).
        let governors: Vec<String> = match &self.governance.require {
            Some(require) => self.named(require),
            None => self
                .groups
                .values()
                .flatten()
                .cloned()
                .chain(self.policies.iter().flat_map(|p| self.named(&p.require)))
                .collect(),
        };
        let governors: BTreeSet<String> = governors.iter().filter_map(|p| addressable(p)).collect();
        if !governors.is_empty() {
            for path in GOVERNED.iter().chain(LOCATIONS.iter()) {
                implied.entries.push(Owners {
                    pattern: at(path),
                    owners: governors.iter().cloned().collect(),
                    policies: vec![crate::repo::policies::GOVERNANCE.to_owned()],
                });
            }
        }
        let mut plain: BTreeSet<String> = BTreeSet::new();
        for person in self.groups.values().flatten().chain(self.policies.iter().flat_map(|p| p.require.users.iter())) {
            if addressable(person).is_none() {
                plain.insert(person.trim().to_owned());
            }
        }
        implied.unaddressable = plain.into_iter().collect();
        implied
    }
}

/// A CODEOWNERS file read: its rules in order, each with its line and section.
#[derive(Debug, Clone)]
pub struct CodeOwners {
    rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
struct Rule {
    line: usize,
    /// GitLab's `[Section]`: each section's last matching rule applies, and their owners add up.
    section: usize,
    pattern: String,
    matcher: ignore::gitignore::Gitignore,
    owners: Vec<String>,
}

/// The rules of CODEOWNERS that apply to a path, and who they name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The lines of the rules that apply (none when no rule matches).
    pub lines: Vec<usize>,
    pub owners: Vec<String>,
}

impl CodeOwners {
    /// Read a CODEOWNERS file's text. A line whose pattern is not one is left out.
    #[must_use]
    pub fn parse(text: &str) -> Self {
        let mut rules = Vec::new();
        let mut section = 0;
        for (index, line) in text.lines().enumerate() {
            let line_text = line.trim();
            if line_text.is_empty() || line_text.starts_with('#') {
                continue;
            }
            // GitLab sections: `[Name]`, `^[Name]`, `[Name][2]`, with default owners after.
            if line_text.starts_with('[') || line_text.starts_with("^[") {
                section += 1;
                continue;
            }
            let (pattern, rest) = split_pattern(line_text);
            let owners: Vec<String> =
                rest.split_whitespace().take_while(|w| !w.starts_with('#')).map(str::to_owned).collect();
            let mut builder = ignore::gitignore::GitignoreBuilder::new("/");
            if builder.add_line(None, &pattern).is_err() {
                continue;
            }
            let Ok(matcher) = builder.build() else { continue };
            rules.push(Rule { line: index + 1, section, pattern, matcher, owners });
        }
        Self { rules }
    }

    /// Who CODEOWNERS asks to review a change to `path` (relative to the Git work tree).
    #[must_use]
    pub fn owners_of(&self, path: &str) -> Applied {
        let path = Path::new("/").join(path.trim_start_matches('/'));
        let mut last_in_section: Vec<(usize, &Rule)> = Vec::new();
        for rule in &self.rules {
            if rule.matcher.matched_path_or_any_parents(&path, false).is_ignore() {
                match last_in_section.iter_mut().find(|(section, _)| *section == rule.section) {
                    Some(slot) => slot.1 = rule,
                    None => last_in_section.push((rule.section, rule)),
                }
            }
        }
        let mut owners: Vec<String> = last_in_section.iter().flat_map(|(_, r)| r.owners.iter().cloned()).collect();
        owners.sort();
        owners.dedup();
        Applied { lines: last_in_section.iter().map(|(_, r)| r.line).collect(), owners }
    }

    /// The pattern of the rule at `line`.
    #[must_use]
    pub fn pattern_at(&self, line: usize) -> Option<&str> {
        self.rules.iter().find(|r| r.line == line).map(|r| r.pattern.as_str())
    }
}

/// A rule's pattern (spaces escaped by `\`) and the rest of its line.
fn split_pattern(line: &str) -> (String, &str) {
    let mut pattern = String::new();
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|(_, next)| *next == ' ') => {
                pattern.push(' ');
                chars.next();
            }
            c if c.is_whitespace() => return (pattern, &line[at..]),
            c => pattern.push(c),
        }
    }
    (pattern, "")
}

/// Whether CODEOWNERS asks for everyone a policy needs: each needed reviewer is an owner, or
/// some owner is a team (whose members pactum cannot see, so it may hold them).
#[must_use]
pub fn covers(given: &[String], needed: &[String]) -> bool {
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    given.iter().any(|g| g.starts_with('@') && g.contains('/'))
        || needed.iter().all(|n| given.iter().any(|g| same(g, n)))
}

/// A CODEOWNERS file found: where it is, how it is shown (relative to the repository), and
/// its text.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: std::path::PathBuf,
    pub shown: String,
    pub text: String,
    /// Where the repository lies relative to the folder the file's patterns start from: `""`
    /// for a file in the repository itself, the repository's folder for one at the root of a
    /// larger Git work tree.
    pub prefix: String,
}

/// Where the repository at `root` lies in its Git work tree, with `/` separators: `""` at the
/// work tree's root, or outside Git.
#[must_use]
pub fn git_prefix(root: &Path) -> String {
    work_tree(root)
        .and_then(|tree| {
            let root = root.canonicalize().ok()?;
            root.strip_prefix(&tree).ok().map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .unwrap_or_default()
}

/// The root of the Git work tree holding `root`, canonical; `root` itself outside Git.
fn work_tree(root: &Path) -> Option<std::path::PathBuf> {
    let repo = git2::Repository::discover(root).ok()?;
    repo.workdir()?.canonicalize().ok()
}

/// The CODEOWNERS file of the repository at `root`: the first of [`LOCATIONS`] at its root,
/// else at the root of its Git work tree, where the forge reads it when the contracts are a
/// folder of a larger repository.
#[must_use]
pub fn find(root: &Path) -> Option<Found> {
    let own = LOCATIONS.iter().map(|at| (root.join(at), String::new()));
    let tree = work_tree(root).map(|tree| (tree, git_prefix(root))).filter(|(_, prefix)| !prefix.is_empty());
    let outer =
        tree.into_iter().flat_map(|(tree, prefix)| LOCATIONS.iter().map(move |at| (tree.join(at), prefix.clone())));
    let (path, prefix) = own.chain(outer).find(|(path, _)| path.is_file())?;
    let text = std::fs::read_to_string(&path).ok()?;
    let shown = super::shown_relative(root, &path);
    Some(Found { path, shown, text, prefix })
}

/// Where `pactum codeowners --write` writes when no CODEOWNERS exists: `CODEOWNERS` at the
/// root of the Git work tree, where every forge reads it (the repository's root outside Git).
#[must_use]
pub fn default_location(root: &Path) -> (std::path::PathBuf, String) {
    match work_tree(root) {
        Some(tree) => (tree.join("CODEOWNERS"), git_prefix(root)),
        None => (root.join("CODEOWNERS"), String::new()),
    }
}

/// The contracts of `files` with their front matter read, as policies judge them.
fn fronts(files: &[super::FileRef], max_size: u64) -> Vec<(String, Contract)> {
    use rayon::prelude::*;
    files
        .par_iter()
        .filter(|file| file.not_read.is_none())
        .filter_map(|file| {
            let size = std::fs::metadata(&file.path).ok()?.len();
            let text = if size > max_size { String::new() } else { std::fs::read_to_string(&file.path).ok()? };
            Some((file.shown.clone(), Contract::read_front(&file.shown, text)))
        })
        .collect()
}

/// The reviewers the policies could require of each of `files`: from their front matter
/// (`contracts`, read when a policy judges contracts by it), else the same for all.
fn needs(
    policies: &Policies,
    files: &[super::FileRef],
    contracts: Option<&[(String, Contract)]>,
) -> Vec<(String, Vec<String>)> {
    if let Some(contracts) = contracts {
        return contracts.iter().map(|(shown, contract)| (shown.clone(), policies.reviewers_of(contract).0)).collect();
    }
    let every = policies.reviewers(policies.policies.iter()).0;
    files.iter().map(|file| (file.shown.clone(), every.clone())).collect()
}

impl super::Repo {
    /// The CODEOWNERS entries the policies imply for the contracts of this repository.
    /// `prefix` is where the repository lies relative to the folder CODEOWNERS patterns start
    /// from ([`Found::prefix`]).
    ///
    /// # Errors
    /// When the contracts folder cannot be walked.
    pub fn codeowners(&self, policies: &Policies, prefix: &str) -> Result<Implied, super::RepoError> {
        let files = self.contracts()?.files;
        let contracts =
            if policies.read_contracts() { fronts(&files, self.config.check.max_file_size) } else { Vec::new() };
        Ok(policies.codeowners(&contracts, prefix, &self.config.repository.contracts))
    }

    /// Where the CODEOWNERS file `found` and the policies disagree, over the repository's
    /// contracts (`files`): a rule that leaves out someone a policy requires, and entries
    /// `pactum codeowners` wrote that are no longer what the policies imply.
    #[must_use]
    pub fn codeowners_findings(
        &self,
        found: &Found,
        policies: &Policies,
        files: &[super::FileRef],
    ) -> Vec<crate::findings::Diagnostic> {
        use crate::findings::{Diagnostic, rule};
        let named_anyone = policies.policies.iter().any(|p| !policies.named(&p.require).is_empty());
        if !named_anyone {
            return Vec::new();
        }
        let prefix = found.prefix.clone();
        let in_tree = |shown: &str| if prefix.is_empty() { shown.to_owned() } else { format!("{prefix}/{shown}") };
        let owners = CodeOwners::parse(&found.text);
        let at_line = |diagnostic: Diagnostic, line: usize| {
            let mut diagnostic = diagnostic;
            diagnostic.location.line = line;
            diagnostic.location.end_line = line;
            diagnostic
        };
        // Contracts that miss someone, by the rules that apply to them.
        let mut missing: std::collections::BTreeMap<Vec<usize>, (Vec<String>, BTreeSet<String>)> =
            std::collections::BTreeMap::new();
        // Front matter read once, for both rules, and only when a policy judges by it.
        let contracts = policies.read_contracts().then(|| fronts(files, self.config.check.max_file_size));
        for (shown, needed) in needs(policies, files, contracts.as_deref()) {
            let applied = owners.owners_of(&in_tree(&shown));
            if !covers(&applied.owners, &needed) {
                let slot = missing.entry(applied.lines.clone()).or_default();
                slot.0.push(shown);
                slot.1.extend(needed.into_iter().filter(|n| !applied.owners.iter().any(|g| g.eq_ignore_ascii_case(n))));
            }
        }
        let mut findings = Vec::new();
        for (lines, (mut contracts, people)) in missing {
            contracts.sort();
            let count = contracts.len();
            let listed: Vec<&str> = contracts.iter().take(3).map(String::as_str).collect();
            let more = if count > 3 { format!(" and {} more", count - 3) } else { String::new() };
            let people: Vec<String> = people.into_iter().collect();
            let which = match lines.as_slice() {
                [] => "no rule of CODEOWNERS covers".to_owned(),
                [line] => format!("the rule on line {line} (`{}`) leaves out", owners.pattern_at(*line).unwrap_or("")),
                _ => format!(
                    "the rules on lines {} leave out",
                    lines.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
                ),
            };
            let message = format!(
                "{which} {} for {}: {}{more}; the policies require their approval of a change to {}",
                people.join(", "),
                crate::text::count(count, "contract"),
                listed.join(", "),
                if count == 1 { "it" } else { "them" },
            );
            let diagnostic = Diagnostic::file(rule::CODEOWNERS_MISSING_REVIEWER, &found.shown, message).with_help(
                "the forge asks CODEOWNERS to review, and `pactum policy` waits for the policies' approvers: add them to the rule, or run `pactum codeowners --write`",
            );
            findings.push(at_line(diagnostic, lines.first().copied().unwrap_or(1)));
        }
        if let Some(range) = block_range(&found.text) {
            let implied = policies.codeowners(
                contracts.as_deref().unwrap_or_default(),
                &prefix,
                &self.config.repository.contracts,
            );
            if found.text[range.clone()] != implied.block() {
                let line = found.text[..range.start].matches('\n').count() + 1;
                let diagnostic = Diagnostic::file(
                    rule::CODEOWNERS_STALE,
                    &found.shown,
                    "the entries `pactum codeowners` wrote are not what the policies and contracts imply now",
                )
                .with_help("run `pactum codeowners --write` to write them again (`pactum codeowners` shows them)");
                findings.push(at_line(diagnostic, line));
            }
        }
        findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_as_forges_address_them() {
        assert_eq!(addressable("@alice").as_deref(), Some("@alice"));
        assert_eq!(addressable("@northwind/legal").as_deref(), Some("@northwind/legal"));
        assert_eq!(addressable("Bea Lawyer <bea@example.com>").as_deref(), Some("bea@example.com"));
        assert_eq!(addressable("carol@example.com").as_deref(), Some("carol@example.com"));
        assert_eq!(addressable("Dina"), None);
        assert_eq!(addressable("@"), None);
        assert_eq!(addressable("@bad handle"), None);
    }

    #[test]
    fn the_last_matching_rule_names_the_owners_and_sections_add_up() {
        let owners = CodeOwners::parse(
            "# comment\n/contracts/ @legal\n/contracts/acme\\ dpa.md @dpo @legal # trailing\n*.toml @ops\n\n[Finance]\n/contracts/**/order-*.md @carol\n",
        );
        assert_eq!(owners.owners_of("contracts/nda.md").owners, ["@legal"]);
        assert_eq!(owners.owners_of("contracts/acme dpa.md").owners, ["@dpo", "@legal"]);
        assert_eq!(owners.owners_of("contracts/acme dpa.md").lines, [3]);
        assert_eq!(owners.owners_of("pactum.toml").owners, ["@ops"]);
        assert_eq!(owners.owners_of("contracts/acme/order-1.md").owners, ["@carol", "@legal"]);
        assert!(owners.owners_of("README.md").owners.is_empty());
        assert!(owners.owners_of("other/contracts/nda.md").owners.is_empty(), "anchored at the root");
    }

    #[test]
    fn the_block_is_replaced_in_place_and_hand_written_lines_stay() {
        let implied = Implied {
            entries: vec![Owners {
                pattern: "/contracts/a b.md".into(),
                owners: vec!["@alice".into()],
                policies: Vec::new(),
            }],
            unaddressable: Vec::new(),
        };
        let first = implied.written_into(Some("* @everyone"));
        assert!(first.starts_with("* @everyone\n\n# BEGIN pactum codeowners"), "{first}");
        assert!(first.contains("/contracts/a\\ b.md @alice\n"), "{first}");
        let again = implied.written_into(Some(&format!("{first}/docs/ @writers\n")));
        assert_eq!(again, format!("{first}/docs/ @writers\n"), "written twice, the same");
        let parsed = CodeOwners::parse(&again);
        assert_eq!(parsed.owners_of("contracts/a b.md").owners, ["@alice"]);
    }

    #[test]
    fn a_team_may_hold_anyone() {
        assert!(covers(&["@org/legal".into()], &["@alice".into()]));
        assert!(covers(&["@Alice".into(), "@bea".into()], &["@alice".into()]));
        assert!(!covers(&["@bea".into()], &["@alice".into()]));
        assert!(!covers(&[], &["@alice".into()]));
        assert!(covers(&[], &[]));
    }
}
