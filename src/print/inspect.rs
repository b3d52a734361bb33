//! Reporters for `pactum inspect`: what pactum read from one contract.

use serde::Serialize;
use serde_json::Value;

use pactum_core::contract::Contract;
use pactum_core::lifecycle::Overview;

/// A clause as `inspect` shows it, with its children.
#[derive(Debug, Serialize)]
pub struct ClauseView {
    /// `None` for a section named by its heading alone.
    pub number: Option<String>,
    pub id: String,
    pub heading: Option<String>,
    pub line: usize,
    pub children: Vec<ClauseView>,
}

#[derive(Debug, Serialize)]
pub struct TermView {
    pub term: String,
    pub line: usize,
    pub uses: usize,
}

#[derive(Debug, Serialize)]
pub struct ReferenceView {
    pub text: String,
    pub target: String,
    pub line: usize,
    pub resolved: bool,
    /// The number of the clause it resolves to.
    pub clause: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PlaceholderView {
    pub text: String,
    pub line: usize,
}

/// The `inspect` document (docs/output.md).
#[derive(Debug, Serialize)]
pub struct InspectReport {
    pub version: u32,
    pub path: String,
    pub id: Option<String>,
    pub metadata: Value,
    pub clauses: Vec<ClauseView>,
    pub terms: Vec<TermView>,
    pub references: Vec<ReferenceView>,
    pub placeholders: Vec<PlaceholderView>,
    /// Computed dates; `null` without an effective date.
    pub dates: Option<Overview>,
    /// Why dates could not be computed, if they could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dates_error: Option<String>,
}

impl InspectReport {
    #[must_use]
    pub fn new(contract: &Contract, dates: Result<Option<Overview>, String>) -> Self {
        let view = |index: usize| -> ClauseView { clause_view(contract, index) };
        let (dates, dates_error) = match dates {
            Ok(dates) => (dates, None),
            Err(error) => (None, Some(error)),
        };
        Self {
            version: 1,
            path: contract.path.clone(),
            id: contract.meta.id.clone(),
            metadata: contract.front.as_ref().map_or(Value::Null, |f| f.value.clone()),
            clauses: contract.body.roots.iter().map(|&root| view(root)).collect(),
            terms: contract
                .terms
                .iter()
                .map(|t| TermView { term: t.term.clone(), line: contract.line(t.span.start), uses: t.uses() })
                .collect(),
            references: contract
                .references
                .iter()
                .map(|r| {
                    let resolved = contract.resolve(r);
                    ReferenceView {
                        text: r.text.clone(),
                        target: r.target.clone(),
                        line: contract.line(r.span.start),
                        resolved: resolved.is_some(),
                        clause: resolved.map(|c| c.number.clone()),
                    }
                })
                .collect(),
            placeholders: contract
                .placeholders
                .iter()
                .map(|p| PlaceholderView { text: p.text.clone(), line: contract.line(p.span.start) })
                .collect(),
            dates,
            dates_error,
        }
    }

    #[must_use]
    pub fn json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("inspect report serializes");
        text.push('\n');
        text
    }

    /// The report for people.
    #[must_use]
    pub fn human(&self) -> String {
        let mut out = String::new();
        pactum_core::text::push_line(&mut out, &self.path);
        let field = |key: &str| self.metadata.get(key).and_then(Value::as_str).map(str::to_owned);
        if self.metadata.is_null() {
            pactum_core::text::push_line(&mut out, "  (no front matter)");
        } else {
            for key in ["id", "title", "type", "status", "owner"] {
                if let Some(value) = field(key) {
                    pactum_core::text::push_line(&mut out, &format!("  {key:<8} {value}"));
                }
            }
            if let Some(parties) = self.metadata.get("parties").and_then(Value::as_array) {
                let names: Vec<String> = parties
                    .iter()
                    .map(|p| {
                        let name = p.get("name").and_then(Value::as_str).unwrap_or("?");
                        p.get("role")
                            .and_then(Value::as_str)
                            .map_or_else(|| name.to_owned(), |role| format!("{name} ({role})"))
                    })
                    .collect();
                pactum_core::text::push_line(&mut out, &format!("  parties  {}", names.join("; ")));
            }
        }
        if let Some(dates) = &self.dates {
            pactum_core::text::push_line(&mut out, &format!("\nDates as of {}", dates.as_of));
            pactum_core::text::push_line(&mut out, &format!("  effective        {}", dates.effective_date));
            if let Some(state) = dates.state {
                pactum_core::text::push_line(
                    &mut out,
                    &format!(
                        "  state            {}",
                        serde_json::to_value(state)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default()
                    ),
                );
            }
            if let Some(end) = dates.initial_term_end {
                pactum_core::text::push_line(&mut out, &format!("  initial term end {end}"));
            }
            if let Some(term) = &dates.current_term {
                let end = term.end.map_or_else(|| "until terminated".to_owned(), |e| e.to_string());
                let which =
                    if term.index == 0 { "initial term".to_owned() } else { format!("renewal term {}", term.index) };
                pactum_core::text::push_line(
                    &mut out,
                    &format!("  current term     {} to {end} ({which})", term.start),
                );
            }
            if let Some(deadline) = dates.next_notice_deadline {
                pactum_core::text::push_line(&mut out, &format!("  notice deadline  {deadline}"));
            }
            if let Some(renewal) = dates.next_renewal {
                pactum_core::text::push_line(&mut out, &format!("  next renewal     {renewal}"));
            }
            if let Some(expiry) = dates.expiry {
                pactum_core::text::push_line(&mut out, &format!("  expires          {expiry}"));
            }
        }
        if let Some(error) = &self.dates_error {
            pactum_core::text::push_line(&mut out, &format!("\nDates cannot be computed: {error}"));
        }
        pactum_core::text::push_line(&mut out, "\nClauses");
        if self.clauses.is_empty() {
            pactum_core::text::push_line(&mut out, "  (none found)");
        }
        let mut stack: Vec<(&ClauseView, usize)> = self.clauses.iter().rev().map(|c| (c, 0)).collect();
        while let Some((clause, depth)) = stack.pop() {
            let heading = clause.heading.as_deref().unwrap_or("");
            let number = clause.number.as_deref().unwrap_or_default();
            let id = if clause.id == number { String::new() } else { format!("  #{}", clause.id) };
            let label = if number.is_empty() { heading.to_owned() } else { format!("{number} {heading}") };
            pactum_core::text::push_line(
                &mut out,
                &format!("  {:indent$}{label}{id}  (line {})", "", clause.line, indent = depth * 2),
            );
            stack.extend(clause.children.iter().rev().map(|c| (c, depth + 1)));
        }
        if !self.terms.is_empty() {
            pactum_core::text::push_line(&mut out, "\nDefined terms");
            for term in &self.terms {
                pactum_core::text::push_line(
                    &mut out,
                    &format!(
                        "  \"{}\"  line {}, {} use{}",
                        term.term,
                        term.line,
                        term.uses,
                        if term.uses == 1 { "" } else { "s" }
                    ),
                );
            }
        }
        if !self.references.is_empty() {
            pactum_core::text::push_line(&mut out, "\nReferences");
            for reference in &self.references {
                let target =
                    reference.clause.as_ref().map_or_else(|| "unresolved".to_owned(), |c| format!("clause {c}"));
                pactum_core::text::push_line(
                    &mut out,
                    &format!("  line {}: {} → {target}", reference.line, reference.text),
                );
            }
        }
        if !self.placeholders.is_empty() {
            pactum_core::text::push_line(&mut out, "\nPlaceholders");
            for placeholder in &self.placeholders {
                pactum_core::text::push_line(&mut out, &format!("  line {}: {}", placeholder.line, placeholder.text));
            }
        }
        out
    }
}

fn clause_view(contract: &Contract, index: usize) -> ClauseView {
    let clause = &contract.body.clauses[index];
    ClauseView {
        number: (!clause.number.is_empty()).then(|| clause.number.clone()),
        id: clause.id.clone(),
        heading: clause.heading.clone(),
        line: contract.line(clause.start),
        // Depth is bounded by the reader's maximum nesting, so this recursion is too.
        children: clause.children.iter().map(|&child| clause_view(contract, child)).collect(),
    }
}
