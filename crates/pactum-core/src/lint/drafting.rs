//! The drafting material: templates (`templates/*.md`) and the clause library
//! (`clauses/*.md`), checked as `pactum new` would use them, so that a broken `{{ }}` or a
//! clause id the library lacks is found by `check` in review, at its line in the file, and not
//! by the next person who drafts a contract.
//!
//! Each template is drafted with its defaults, and a sample value for each required variable
//! without one; each clause is read and parsed (its `{{ }}` are tried when a template drafts it).

use std::collections::BTreeMap;
use std::path::Path;

use crate::contract::frontmatter;
use crate::findings::{Diagnostic, SourceFile, rule};
use crate::template::{Library, Template, TemplateError};
use crate::text::LineIndex;

/// The folders of drafting material, relative to the repository root.
pub(crate) const FOLDERS: [&str; 2] = ["templates", "clauses"];

/// Whether `shown` (a path relative to the repository root) is drafting material.
#[must_use]
pub fn is_material(shown: &str) -> bool {
    FOLDERS.iter().any(|folder| shown.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/')))
        && crate::repo::is_markdown(Path::new(shown))
}

/// The drafting material under `root`, as paths relative to it, sorted.
#[must_use]
pub fn files(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for folder in FOLDERS {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_file()
                && crate::repo::is_markdown(&path)
                && let Some(name) = path.file_name().and_then(|n| n.to_str())
            {
                found.push(format!("{folder}/{name}"));
            }
        }
    }
    found.sort();
    found
}

/// A sample value of a variable's type, for drafting a template that requires it.
fn sample(name: &str, kind: &str) -> String {
    match kind {
        "date" => "2026-01-01".to_owned(),
        "duration" => "1 year".to_owned(),
        "number" => "1".to_owned(),
        "boolean" => "true".to_owned(),
        _ => format!("Sample {}", name.replace('_', " ")),
    }
}

/// The 1-based line and column a Tera message names (` --> name:LINE:COL`), if any.
fn tera_position(message: &str) -> Option<(usize, usize)> {
    let at = message.find("--> ")?;
    let place = message[at + 4..].split_whitespace().next()?;
    let mut parts = place.rsplit(':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((line, column))
}

/// A finding on `shown`: at the line Tera names (counted from `first_line`, where the part
/// Tera read begins), else at the file's start.
fn finding(shown: &str, text: &str, first_line: usize, message: &str, help: &str) -> Diagnostic {
    let lines = LineIndex::new(text);
    let source = SourceFile { path: shown, text, lines: &lines };
    let span = match tera_position(message) {
        Some((line, column)) => {
            let range = lines.line_range(text, (first_line + line).saturating_sub(1));
            let start = (range.start + column.saturating_sub(1)).min(range.end);
            start..range.end
        }
        None => 0..lines.line_range(text, 0).end,
    };
    // Tera's own rendering of the position repeats what the excerpt shows.
    // Tera's first line, without its `error: ` and the template's name before it.
    let first = message.lines().next().unwrap_or(message).trim_end_matches(':');
    let message = first.replace("error: ", "").trim().to_owned();
    source.diagnostic(rule::TEMPLATE_INVALID, span, message).with_help(help.to_owned())
}

/// The line (0-based) where the body after the front matter starts.
fn body_line(text: &str) -> usize {
    frontmatter::split(text).map_or(0, |layout| text[..layout.body].matches('\n').count())
}

/// Check the drafting material `wanted` (paths relative to `root`, as [`files`] lists them),
/// drafting templates with `library` (the repository's, as the check read it; empty when it
/// cannot be read, whose broken clause is then reported here).
#[must_use]
pub fn check(root: &Path, wanted: &[String], library: &Library, today: chrono::NaiveDate) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The library, read clause by clause, so that one broken clause is one finding.
    for path in wanted.iter().filter(|p| p.starts_with("clauses/")) {
        let Ok(text) = std::fs::read_to_string(root.join(path)) else { continue };
        let first = body_line(&text);
        if let Err(message) = clause_readable(&text) {
            out.push(finding(path, &text, first, &message, "a library clause is `+++` front matter (id, version, title), then its text; `{{ field }}` takes the contract's front matter"));
        }
    }
    for path in wanted.iter().filter(|p| p.starts_with("templates/")) {
        let Ok(text) = std::fs::read_to_string(root.join(path)) else { continue };
        let name = path.trim_start_matches("templates/").trim_end_matches(".md");
        let template = match Template::load(root, name) {
            Ok(template) => template,
            Err(error) => {
                out.push(finding(
                    path,
                    &text,
                    0,
                    &error.to_string(),
                    "a template is `+++` front matter declaring its variables, then the contract it drafts",
                ));
                continue;
            }
        };
        let given: BTreeMap<String, String> = template
            .variables
            .iter()
            .filter(|(_, v)| v.default.is_none())
            .map(|(name, v)| (name.clone(), sample(name, &v.kind)))
            .collect();
        let drafted = crate::template::resolve(&template, &given, today)
            .and_then(|values| crate::template::draft(&template, &values, library));
        let first = body_line(&text);
        match drafted {
            Ok(drafted) => {
                if let Err(error) = crate::template::stamp(&drafted, &template, "sample") {
                    out.push(finding(
                        path,
                        &text,
                        first,
                        &error.to_string(),
                        "the template's own front matter must draft TOML front matter",
                    ));
                }
            }
            // A clause the template drafts failed with this template's values: said at the clause.
            Err(TemplateError::Render { name: clause, message }) if clause != template.name => {
                let clause_path = format!("clauses/{clause}.md");
                let clause_text = std::fs::read_to_string(root.join(&clause_path)).unwrap_or_default();
                let message = format!("drafting {path}: {}", message.strip_prefix("error: ").unwrap_or(&message));
                out.push(finding(
                    &clause_path,
                    &clause_text,
                    body_line(&clause_text),
                    &message,
                    "a clause's `{{ field }}` takes the front matter the template drafts: name a field it has",
                ));
            }
            Err(TemplateError::Render { message, .. }) => {
                out.push(finding(
                    path,
                    &text,
                    first,
                    &message,
                    "`pactum new` drafts it so; fix the tag, or the clause it names in clauses/",
                ));
            }
            Err(error) => out.push(finding(path, &text, 0, &error.to_string(), "`pactum new` drafts it so")),
        }
    }
    out
}

/// Whether a clause file reads as a library clause: front matter with its id and version, and
/// text whose `{{ }}` parse.
fn clause_readable(text: &str) -> Result<(), String> {
    let layout = frontmatter::split(text).map_err(|e| e.to_string())?;
    let header: toml::Table = toml::from_str(&text[layout.toml.clone()]).map_err(|e| e.to_string())?;
    for key in ["id", "version"] {
        if !header.get(key).is_some_and(toml::Value::is_str) {
            return Err(format!("the front matter needs `{key}` (a string)"));
        }
    }
    let id = header["id"].as_str().unwrap_or_default();
    // Parsed only: what its `{{ }}` name is tried when a template drafts the clause.
    match crate::template::clause_template(id, &text[layout.body..]) {
        Err(TemplateError::Render { message, .. }) => Err(message),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn material_is_what_lies_in_its_folders() {
        assert!(is_material("templates/nda.md"));
        assert!(is_material("clauses/governing-law.md"));
        assert!(!is_material("contracts/templates/nda.md"));
        assert!(!is_material("templates.md"));
        assert!(!is_material("templates/notes.txt"));
    }

    #[test]
    fn tera_positions_are_read() {
        assert_eq!(tera_position("rendering nda: error\n --> nda:3:5\n  |"), Some((3, 5)));
        assert_eq!(tera_position("error\n --> governing-law:12:1\n"), Some((12, 1)));
        assert_eq!(tera_position("the clause library has no clause `x`"), None);
    }
}
