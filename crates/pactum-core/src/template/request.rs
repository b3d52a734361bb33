//! Requests: a contract asked for in the forge's issue tracker, drafted from its answers.
//!
//! Someone in sales or procurement files a request with the forge's own form: a GitHub issue
//! form or a GitLab issue template whose fields are a template's variables (written by
//! [`github_form`] and [`gitlab_template`]). The forge stores the answers in the issue's body
//! as Markdown, a `### Label` heading over each answer; [`parse`] reads them back, from that
//! body, from the issue as the forge's API or a workflow's event gives it (JSON), or from a
//! JSON object of values. The draft records where it was requested (`[request]`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;

use super::Template;

/// The field that names the template, first in every form.
pub const TEMPLATE_FIELD: &str = "template";
/// The field of the new contract's id.
pub const ID_FIELD: &str = "id";

/// What a request asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// The template named, when the request names one.
    pub template: Option<String>,
    /// Answers by field label, as written in the request (labels are matched to variables by
    /// [`Request::values_for`]).
    pub answers: Vec<(String, String)>,
    /// Where the request is, and when it was opened, when the forge says.
    pub link: Option<Link>,
}

/// Where a contract was requested: recorded in its front matter as `[request]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub opened: Option<NaiveDate>,
}

/// A field's label as the forms write it: `counterparty_name` is "Counterparty name".
#[must_use]
pub fn label(name: &str) -> String {
    let spaced = name.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A label or variable name reduced for matching: lower case, words joined by `_`.
fn key(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// A YAML double-quoted string.
fn yaml(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// A GitHub issue form (`.github/ISSUE_TEMPLATE/contract-request-<name>.yml`) for `template`:
/// the template first, as a dropdown of one, then the id and every variable.
#[must_use]
pub fn github_form(template: &Template, name: &str, labels: &[String]) -> String {
    let mut out = format!(
        "# Written by `pactum new {name} --request-form github`: a request for a contract from template {name}.\nname: {}\ndescription: {}\ntitle: {}\nlabels: [{}]\nbody:\n",
        yaml(&format!("Contract request: {name}")),
        yaml(&if template.description.is_empty() {
            format!("Ask legal for a contract drafted from the {name} template")
        } else {
            format!("Ask legal for a contract drafted from the {name} template: {}", template.description)
        }),
        yaml("Contract request: "),
        labels.iter().map(|l| yaml(l)).collect::<Vec<_>>().join(", "),
    );
    out.push_str(&format!(
        "  - type: dropdown\n    id: {TEMPLATE_FIELD}\n    attributes:\n      label: {}\n      options: [{}]\n      default: 0\n    validations:\n      required: true\n",
        yaml(&label(TEMPLATE_FIELD)),
        yaml(name)
    ));
    out.push_str(&format!(
        "  - type: input\n    id: {ID_FIELD}\n    attributes:\n      label: {}\n      description: {}\n    validations:\n      required: true\n",
        yaml(&label(ID_FIELD)),
        yaml("The new contract's id: lower-case letters, digits and hyphens (also its file name)")
    ));
    for (variable, spec) in &template.variables {
        let kind = if spec.multiline { "textarea" } else { "input" };
        let mut description = spec.description.clone();
        let hint = match spec.kind.as_str() {
            "date" if !description.contains("YYYY") => Some("a date, YYYY-MM-DD".to_owned()),
            "duration" => Some("a duration, for example \"24 months\"".to_owned()),
            "number" => Some("a number".to_owned()),
            "boolean" => Some("true or false".to_owned()),
            _ => None,
        };
        // A default is said, not filled in: an answer left empty takes it (`today` is the day
        // the contract is drafted, not a word to answer).
        let default = spec.default.as_ref().map(|d| format!("default: {d}"));
        let notes: Vec<String> = hint.into_iter().chain(default).collect();
        if !notes.is_empty() {
            let notes = notes.join("; ");
            description = if description.is_empty() { notes } else { format!("{description} ({notes})") };
        }
        out.push_str(&format!(
            "  - type: {kind}\n    id: {}\n    attributes:\n      label: {}\n      description: {}\n",
            variable.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_', "-"),
            yaml(&label(variable)),
            yaml(&description)
        ));
        out.push_str(&format!("    validations:\n      required: {}\n", spec.required && spec.default.is_none()));
    }
    out
}

/// A GitLab issue description template (`.gitlab/issue_templates/contract-request-<name>.md`):
/// a `### Label` heading over a line to answer, per field.
#[must_use]
pub fn gitlab_template(template: &Template, name: &str, labels: &[String]) -> String {
    let mut out = format!(
        "<!-- Written by `pactum new {name} --request-form gitlab`: answer under each heading; leave a heading out or empty for no answer. -->\n\n### {}\n\n{name}\n\n### {}\n\n\n\n",
        label(TEMPLATE_FIELD),
        label(ID_FIELD)
    );
    for (variable, spec) in &template.variables {
        let required = if spec.required && spec.default.is_none() { " (required)" } else { "" };
        let default = spec.default.as_ref().map(|d| format!("; default: {d}")).unwrap_or_default();
        out.push_str(&format!(
            "### {}\n\n<!-- {}{required}{default} -->\n\n\n",
            label(variable),
            spec.description.replace("--", "—")
        ));
    }
    if !labels.is_empty() {
        out.push_str(&format!(
            "/label {}\n",
            labels.iter().map(|l| format!("~\"{}\"", l.replace('"', ""))).collect::<Vec<_>>().join(" ")
        ));
    }
    out
}

/// Read a request: an issue's Markdown body, the issue as JSON (GitHub's or Gitea's `body`
/// and `html_url`, GitLab's `description` and `web_url`, with `created_at`; a workflow's event,
/// which holds it under `issue`), or a JSON object `{"template", "values": {…}, "url"}`.
///
/// # Errors
/// When it is JSON of none of these shapes.
pub fn parse(text: &str) -> Result<Request, String> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') {
        return Ok(from_body(text, None));
    }
    let json: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let issue = json.get("issue").filter(|i| i.is_object()).unwrap_or(&json);
    let body = issue.get("body").or_else(|| issue.get("description")).and_then(Value::as_str);
    if let Some(body) = body {
        let url = issue.get("html_url").or_else(|| issue.get("web_url")).and_then(Value::as_str);
        let opened = issue
            .get("created_at")
            .and_then(Value::as_str)
            .and_then(|at| at.get(..10))
            .and_then(|day| day.parse().ok());
        let link = url.map(|url| Link { url: url.to_owned(), opened });
        return Ok(from_body(body, link));
    }
    let Some(values) = json.get("values").and_then(Value::as_object) else {
        return Err(
            "JSON of no request: an issue (`body` or `description`), a workflow's issue event, or {\"template\", \"values\": {…}}"
                .to_owned(),
        );
    };
    let mut answers = Vec::new();
    for (name, value) in values {
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Null => continue,
            other => other.to_string(),
        };
        answers.push((name.clone(), text));
    }
    let template = json.get("template").and_then(Value::as_str).map(str::to_owned);
    let link = json.get("url").and_then(Value::as_str).map(|url| Link {
        url: url.to_owned(),
        opened: json.get("opened").and_then(Value::as_str).and_then(|d| d.parse().ok()),
    });
    Ok(Request { template, answers, link })
}

/// The answers of an issue body: the text under each `### Label` heading, without HTML
/// comments; GitHub's `_No response_` is no answer.
fn from_body(body: &str, link: Option<Link>) -> Request {
    let mut answers: Vec<(String, String)> = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    let flush = |current: &mut Option<(String, Vec<&str>)>, answers: &mut Vec<(String, String)>| {
        if let Some((label, lines)) = current.take() {
            let text = strip_comments(&lines.join("\n"));
            let text = text.trim();
            if !text.is_empty() && text != "_No response_" {
                answers.push((label, text.to_owned()));
            }
        }
    };
    for line in body.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            flush(&mut current, &mut answers);
            current = Some((heading.trim().to_owned(), Vec::new()));
        } else if let Some((_, lines)) = current.as_mut() {
            // GitLab quick actions are the forge's, not answers.
            if !line.starts_with("/label ") {
                lines.push(line);
            }
        }
    }
    flush(&mut current, &mut answers);
    let template = answers.iter().find(|(label, _)| key(label) == TEMPLATE_FIELD).map(|(_, value)| value.clone());
    answers.retain(|(label, _)| key(label) != TEMPLATE_FIELD);
    Request { template, answers, link }
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        // An unclosed comment runs to the end.
        rest = rest[start..].find("-->").map_or("", |end| &rest[start + end + 3..]);
    }
    out.push_str(rest);
    out
}

impl Request {
    /// The answers as the template's variables (and `id`), or, field by field, why not: an
    /// answer to no field of the template.
    ///
    /// # Errors
    /// Every answer the template has no field for, each said.
    pub fn values_for(&self, template: &Template) -> Result<BTreeMap<String, String>, Vec<String>> {
        let mut values = BTreeMap::new();
        let mut errors = Vec::new();
        for (label, answer) in &self.answers {
            let wanted = key(label);
            let name = std::iter::once(ID_FIELD)
                .chain(template.variables.keys().map(String::as_str))
                .find(|name| key(name) == wanted);
            match name {
                Some(name) => {
                    values.insert(name.to_owned(), answer.clone());
                }
                None => errors.push(format!(
                    "the request answers \"{label}\", which is no field of template {} (its fields: id, {})",
                    template.name,
                    template.variables.keys().cloned().collect::<Vec<_>>().join(", ")
                )),
            }
        }
        if errors.is_empty() { Ok(values) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An issue body as GitHub stores an issue form's answers.
    const GITHUB_BODY: &str = "### Template\n\nnda\n\n### Id\n\nacme-nda\n\n### Counterparty\n\nAcme, Inc.\n\n### Effective date\n\n_No response_\n\n### Purpose\n\nEvaluating a partnership\nin two lines\n";

    #[test]
    fn a_github_issue_forms_body_reads_as_its_answers() {
        let request = parse(GITHUB_BODY).unwrap();
        assert_eq!(request.template.as_deref(), Some("nda"));
        assert_eq!(
            request.answers,
            [
                ("Id".to_owned(), "acme-nda".to_owned()),
                ("Counterparty".to_owned(), "Acme, Inc.".to_owned()),
                ("Purpose".to_owned(), "Evaluating a partnership\nin two lines".to_owned()),
            ]
        );
        assert!(request.link.is_none());
    }

    #[test]
    fn the_issue_as_json_from_each_forge_and_a_workflow_event() {
        let github = serde_json::json!({ "number": 7, "body": GITHUB_BODY, "html_url": "https://github.com/o/r/issues/7", "created_at": "2026-11-30T09:00:00Z" });
        let request = parse(&github.to_string()).unwrap();
        assert_eq!(
            request.link,
            Some(Link { url: "https://github.com/o/r/issues/7".into(), opened: "2026-11-30".parse().ok() })
        );
        let event = serde_json::json!({ "action": "labeled", "issue": github });
        assert_eq!(parse(&event.to_string()).unwrap(), request);
        let gitlab = serde_json::json!({ "iid": 3, "description": "### Template\n\nnda\n\n### Id\n\n<!-- lower case -->\nacme-nda\n\n/label ~\"contract-request\"\n", "web_url": "https://gitlab.com/o/r/-/issues/3", "created_at": "2026-11-29T10:00:00.000Z" });
        let request = parse(&gitlab.to_string()).unwrap();
        assert_eq!(request.answers, [("Id".to_owned(), "acme-nda".to_owned())]);
        assert_eq!(request.link.unwrap().opened, "2026-11-29".parse().ok());
        let values = serde_json::json!({ "template": "nda", "values": { "id": "x", "term": 24 } });
        let request = parse(&values.to_string()).unwrap();
        assert_eq!(request.answers, [("id".to_owned(), "x".to_owned()), ("term".to_owned(), "24".to_owned())]);
        assert!(parse("{\"title\": \"no body\"}").unwrap_err().contains("JSON of no request"));
    }

    #[test]
    fn labels_and_names_meet() {
        assert_eq!(label("effective_date"), "Effective date");
        assert_eq!(key("Effective date"), key("effective_date"));
        assert_eq!(key("  Counterparty-Name "), "counterparty_name");
    }
}
