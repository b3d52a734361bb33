//! Reporters for `pactum check`: human, JSON, SARIF, GitHub annotations, `JUnit`.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;
use serde_json::json;

use super::{fingerprint, xml_escape};
use pactum_core::findings::{Diagnostic, RULES, Severity, Summary};

/// The output formats of `check`, as the command line names and explains them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// rustc-style snippets with `path:line:col`
    Human,
    /// one JSON document (stable interface)
    Json,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// GitHub Actions workflow annotations
    Github,
    /// `JUnit` XML, one test case per file
    Junit,
    /// Markdown for a job summary or a comment: every finding, grouped per contract
    Markdown,
    /// GitLab Code Quality (the Code Climate subset GitLab reads), for merge requests
    Gitlab,
}

/// Every rule with its code and default level, one a line (`check --list-rules`).
#[must_use]
pub fn rules() -> String {
    let mut out = String::new();
    for rule in RULES {
        out.push_str(&format!("{:<28} {:<8} {}\n", rule.code, rule.severity.as_str(), rule.summary));
    }
    out
}

/// A run's counts, as the human, GitHub and Markdown forms end: `3 files: 1 error, 0 warnings`
/// (the Markdown form says `3 files checked: …`).
fn counts(summary: Summary) -> String {
    use pactum_core::text::count;
    format!(
        "{}: {}, {}",
        count(summary.files, "file"),
        count(summary.errors, "error"),
        count(summary.warnings, "warning")
    )
}

/// Everything a check reporter needs.
pub struct CheckOutput<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub summary: Summary,
    /// The paths checked, for reporters that list every file (`JUnit`).
    pub files: &'a [String],
    /// Where the contracts repository sits in its Git work tree (`legal/`, or empty): the
    /// formats a CI service places on its own checkout (SARIF, GitHub, `JUnit`, GitLab) name
    /// files from the Git root, so a finding lands on the right file.
    pub git_prefix: &'a str,
}

impl CheckOutput<'_> {
    /// A finding's path from the Git root.
    fn ci_path(&self, path: &str) -> String {
        format!("{}{path}", self.git_prefix)
    }
}

/// How the human form is printed: in colour or not, with its summary line or without
/// (`--quiet`: the findings only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Printing {
    pub color: bool,
    pub summary: bool,
}

/// Render a check run in `format`; `printing` shapes the human form.
#[must_use]
pub fn render(format: CheckFormat, output: &CheckOutput<'_>, printing: Printing) -> String {
    match format {
        CheckFormat::Human => human(output, printing),
        CheckFormat::Json => json(output),
        CheckFormat::Sarif => sarif(output),
        CheckFormat::Github => github(output),
        CheckFormat::Junit => junit(output),
        CheckFormat::Markdown => markdown(output),
        CheckFormat::Gitlab => gitlab(output),
    }
}

/// GitLab Code Quality: a JSON array of issues, each with a description, the rule as
/// `check_name`, a stable fingerprint, a severity and the file and line. GitLab shows them in
/// the merge request's widget and on its diff.
fn gitlab(output: &CheckOutput<'_>) -> String {
    let issues: Vec<_> = output
        .diagnostics
        .iter()
        .map(|d| {
            let severity = match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            };
            let description = match &d.help {
                Some(help) => format!("{} (help: {help})", d.message),
                None => d.message.clone(),
            };
            json!({
                "type": "issue",
                "description": description,
                "check_name": d.code,
                "categories": ["Style"],
                "fingerprint": fingerprint(&[d.code, &d.path, &d.message, line_text(d)]),
                "severity": severity,
                "location": { "path": output.ci_path(&d.path), "lines": { "begin": d.location.line, "end": d.location.end_line.max(d.location.line) } },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).expect("issues serialize");
    text.push('\n');
    text
}

/// Every finding, grouped per contract, for a job summary: GitHub shows only ten annotations
/// of each level per step, the summary shows them all.
fn markdown(output: &CheckOutput<'_>) -> String {
    use pactum_core::text::markdown::{code, literal};
    let mut out = format!("## Contract check\n\n{}.\n", counts(output.summary));
    let mut path: Option<&str> = None;
    for diagnostic in output.diagnostics {
        if path != Some(diagnostic.path.as_str()) {
            path = Some(diagnostic.path.as_str());
            out.push_str(&format!(
                "\n### {}\n\n| Line | Level | Rule | Finding |\n|---:|---|---|---|\n",
                code(&pactum_core::text::one_line(&diagnostic.path))
            ));
        }
        let finding = match &diagnostic.help {
            Some(help) => format!("{} — {}", literal(&diagnostic.message), literal(help)),
            None => literal(&diagnostic.message),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {finding} |\n",
            diagnostic.location.line,
            diagnostic.severity.as_str(),
            code(diagnostic.code)
        ));
    }
    out
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// One finding as rustc shows it.
#[must_use]
pub fn human_one(diagnostic: &Diagnostic, renderer: &Renderer) -> String {
    // A file's name and what a finding quotes are the file's words, not the terminal's: a name
    // holding a line break must not start a line (`::warning file=…` is a CI command).
    let path = pactum_core::text::one_line(&diagnostic.path);
    let message = pactum_core::text::one_line(&diagnostic.message);
    let title = level(diagnostic.severity).primary_title(message.as_ref()).id(diagnostic.code);
    let mut groups: Vec<Group<'_>> = Vec::new();
    let location = format!("{}:{}:{}", path, diagnostic.location.line, diagnostic.location.column);
    let first = match &diagnostic.excerpt {
        // A window of a long line: its columns are not the file's, so the location is told apart.
        Some(excerpt) if excerpt.cut => title
            .element(
                Snippet::source(excerpt.text.as_str())
                    .line_start(excerpt.first_line)
                    .annotation(AnnotationKind::Primary.span(excerpt.span.clone())),
            )
            .element(Level::NOTE.message(format!("in {location} (part of a long line)"))),
        Some(excerpt) => title.element(
            Snippet::source(excerpt.text.as_str())
                .line_start(excerpt.first_line)
                .path(path.as_ref())
                .annotation(AnnotationKind::Primary.span(excerpt.span.clone())),
        ),
        None => title.element(Level::NOTE.message(format!("in {location}"))),
    };
    groups.push(first);
    let help = diagnostic.help.as_deref().map(pactum_core::text::one_line);
    if let Some(help) = &help {
        groups.push(Group::with_title(Level::HELP.secondary_title(help.as_ref())));
    }
    renderer.render(&groups)
}

fn human(output: &CheckOutput<'_>, printing: Printing) -> String {
    let renderer = if printing.color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for diagnostic in output.diagnostics {
        out.push_str(&human_one(diagnostic, &renderer));
        out.push_str("\n\n");
    }
    if printing.summary {
        out.push_str(&format!("checked {}\n", counts(output.summary)));
    }
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    diagnostics: &'a [Diagnostic],
    summary: Summary,
}

fn json(output: &CheckOutput<'_>) -> String {
    let report = JsonReport { version: 1, diagnostics: output.diagnostics, summary: output.summary };
    let mut text = serde_json::to_string_pretty(&report).expect("diagnostics serialize");
    text.push('\n');
    text
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The text of the line a finding starts on, for a fingerprint that survives edits elsewhere.
fn line_text(diagnostic: &Diagnostic) -> &str {
    diagnostic.excerpt.as_ref().map_or("", |e| e.text.lines().next().unwrap_or("").trim())
}

/// The rule reference, whose sections describe each rule (`## file/bom`).
const RULES_REFERENCE: &str = include_str!("../../docs/rules.md");

/// What the reference says of a rule: the paragraph under its heading.
fn rule_description(code: &str) -> Option<String> {
    let heading = format!("\n## {code}\n");
    let start = RULES_REFERENCE.find(&heading)? + heading.len();
    let section = &RULES_REFERENCE[start..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let text = section.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn sarif(output: &CheckOutput<'_>) -> String {
    let rules: Vec<_> = RULES
        .iter()
        .map(|rule| {
            let full = rule_description(rule.code).unwrap_or_else(|| rule.summary.to_owned());
            let uri = format!(
                "https://github.com/pactum-dev/pactum/blob/v{}/docs/rules.md#{}",
                env!("CARGO_PKG_VERSION"),
                pactum_core::text::github_anchor(rule.code)
            );
            json!({
                "id": rule.code,
                "name": rule.code.replace(['/', '-'], "_"),
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": full },
                "help": { "text": full, "markdown": format!("{full}\n\n[The rule in pactum's reference]({uri})") },
                "helpUri": uri,
                "defaultConfiguration": { "level": sarif_level(rule.severity) },
            })
        })
        .collect();
    let results: Vec<_> = output
        .diagnostics
        .iter()
        .map(|d| {
            let rule_index = RULES.iter().position(|r| r.code == d.code).unwrap_or(0);
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            json!({
                "ruleId": d.code,
                "ruleIndex": rule_index,
                "level": sarif_level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": pactum_core::text::percent_encode_path(&output.ci_path(&d.path)), "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": d.location.line,
                            "startColumn": d.location.column,
                            "endLine": d.location.end_line,
                            "endColumn": d.location.end_column.max(if d.location.end_line == d.location.line { d.location.column } else { 1 }),
                        }
                    }
                }],
                "partialFingerprints": { "pactumFinding/v1": fingerprint(&[d.code, &d.path, &d.message, line_text(d)]) },
            })
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "pactum",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/pactum-dev/pactum",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The root of the Git work tree." } } },
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&document).expect("SARIF serializes");
    text.push('\n');
    text
}

/// Escape a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn github(output: &CheckOutput<'_>) -> String {
    let mut out = String::new();
    for d in output.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let l = &d.location;
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&output.ci_path(&d.path)),
            l.line,
            l.column,
            l.end_line,
            l.end_column,
            escape_property(d.code),
            escape_data(&message)
        ));
    }
    out.push_str(&format!("pactum checked {}\n", counts(output.summary)));
    out
}

fn junit(output: &CheckOutput<'_>) -> String {
    // A test case per file; one that has errors is one failure, however many errors it has
    // (`failures` counts failing test cases, as JUnit readers count them).
    let failures = output
        .files
        .iter()
        .filter(|file| output.diagnostics.iter().any(|d| &d.path == *file && d.severity == Severity::Error))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"pactum check\" tests=\"{}\" failures=\"{failures}\">\n",
        output.files.len()
    ));
    out.push_str(&format!(
        "  <testsuite name=\"pactum check\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n",
        output.files.len()
    ));
    for file in output.files {
        let found: Vec<&Diagnostic> = output.diagnostics.iter().filter(|d| &d.path == file).collect();
        out.push_str(&format!(
            "    <testcase classname=\"pactum.check\" name=\"{}\"",
            xml_escape(&output.ci_path(file))
        ));
        if found.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        let body = |d: &Diagnostic| {
            format!(
                "{}:{}:{}: {} [{}]{}",
                output.ci_path(&d.path),
                d.location.line,
                d.location.column,
                d.message,
                d.code,
                d.help.as_ref().map(|h| format!("\nhelp: {h}")).unwrap_or_default()
            )
        };
        let (errors, others): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
            found.into_iter().partition(|d| d.severity == Severity::Error);
        if let Some(first) = errors.first() {
            let message = if errors.len() == 1 {
                first.message.clone()
            } else {
                format!("{} (and {} more)", first.message, pactum_core::text::count(errors.len() - 1, "error"))
            };
            out.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                xml_escape(first.code),
                xml_escape(&message),
                xml_escape(&errors.iter().map(|d| body(d)).collect::<Vec<_>>().join("\n"))
            ));
        }
        if !others.is_empty() {
            let text: Vec<String> = others.iter().map(|d| format!("{} {}", d.severity.as_str(), body(d))).collect();
            out.push_str(&format!("      <system-out>{}</system-out>\n", xml_escape(&text.join("\n"))));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_escape_what_would_break_them() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a,b:c"), "a%2Cb%3Ac");
    }
}
