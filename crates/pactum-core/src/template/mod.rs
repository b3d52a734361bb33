//! Drafting: contract templates, the clause library, and the printable rendition.
//!
//! A template is a Tera file in `templates/` whose own `+++` front matter declares its
//! variables; the rest is the contract it produces (front matter and body):
//!
//! ```text
//! +++
//! description = "Mutual NDA"
//! [variables.counterparty]
//! description = "The other party's legal name"
//! required = true
//! +++
//! +++
//! id = {{ id | toml }}
//! title = {{ ("Mutual NDA with " ~ counterparty) | toml }}
//! …
//! +++
//! 1. {{ clause(id="confidentiality") }}
//! ```
//!
//! User values are data: they reach the template as variables and are never parsed as template
//! code, so a value holding `{{ }}` is written as typed. `| toml` writes a value as a TOML
//! string, quotes and backslashes escaped. `clause(id=…)` inserts a clause of the library
//! (`clauses/<id>.md`) and the contract records which clause and version it came from.

pub(crate) mod jurisdiction;
pub mod request;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{Datelike as _, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::contract::frontmatter;
use crate::text::hex;

/// Why drafting failed.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// No such template.
    #[error("no template `{name}` in {dir}; `pactum new --list` shows the templates")]
    NotFound { name: String, dir: String },
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    /// The template's or clause's front matter is wrong.
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    /// Values are missing or of the wrong form.
    #[error("{0}")]
    Values(String),
    /// Tera could not render the template.
    #[error("rendering {name}: {message}")]
    Render { name: String, message: String },
    /// The rendered contract has no front matter pactum can edit: why.
    #[error("the template {0}")]
    NoFrontMatter(String),
}

/// A variable a template declares.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    #[serde(default)]
    pub description: String,
    /// `string` (default), `date`, `duration`, `number` or `boolean`.
    #[serde(default = "string_kind", rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub required: bool,
    /// Whether the value may run over several lines; a one-line field refuses line breaks.
    #[serde(default)]
    pub(crate) multiline: bool,
}

fn string_kind() -> String {
    "string".to_owned()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateHeader {
    #[serde(default)]
    description: String,
    #[serde(default)]
    variables: BTreeMap<String, Variable>,
}

/// A template, read.
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub path: PathBuf,
    pub description: String,
    pub variables: BTreeMap<String, Variable>,
    /// The Tera source of the contract.
    pub source: String,
    /// A hash of the template file, recorded in the contracts drafted from it.
    pub version: String,
}

/// A short content hash: the first 12 hex digits of SHA-256.
#[must_use]
pub(crate) fn short_hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))[..12].to_owned()
}

/// A template's name is a file name under `templates/`: no separators, no `..`.
fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.contains("..")
}

impl Template {
    /// Load `templates/<name>.md` under `root`.
    ///
    /// # Errors
    /// When it does not exist or its front matter is wrong.
    pub fn load(root: &Path, name: &str) -> Result<Self, TemplateError> {
        let dir = root.join("templates");
        if !safe_name(name) {
            return Err(TemplateError::NotFound { name: name.to_owned(), dir: dir.display().to_string() });
        }
        let path = dir.join(format!("{name}.md"));
        if !path.is_file() {
            return Err(TemplateError::NotFound { name: name.to_owned(), dir: dir.display().to_string() });
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|source| TemplateError::Read { path: path.display().to_string(), source })?;
        let shown = path.display().to_string();
        let layout = frontmatter::split(&text)
            .map_err(|e| TemplateError::Invalid { path: shown.clone(), message: e.to_string() })?;
        let header: TemplateHeader = toml::from_str(&text[layout.toml.clone()])
            .map_err(|e| TemplateError::Invalid { path: shown.clone(), message: e.to_string() })?;
        for (variable, declared) in &header.variables {
            if !matches!(declared.kind.as_str(), "string" | "date" | "duration" | "number" | "boolean") {
                return Err(TemplateError::Invalid {
                    path: shown,
                    message: format!(
                        "variable `{variable}` has type `{}`; use string, date, duration, number or boolean",
                        declared.kind
                    ),
                });
            }
        }
        Ok(Self {
            name: name.to_owned(),
            path,
            description: header.description,
            variables: header.variables,
            source: text[layout.body..].to_owned(),
            version: short_hash(text.as_bytes()),
        })
    }

    /// Every template under `root`.
    #[must_use]
    pub fn list(root: &Path) -> Vec<Result<Self, TemplateError>> {
        let mut names: Vec<String> = std::fs::read_dir(root.join("templates"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".md")).map(str::to_owned))
            .collect();
        names.sort();
        names.iter().map(|name| Self::load(root, name)).collect()
    }
}

/// A clause of the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryClause {
    pub id: String,
    pub version: String,
    pub title: String,
    /// The clause's Markdown, as inserted into contracts.
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClauseHeader {
    id: String,
    version: String,
    #[serde(default)]
    title: String,
}

/// The clause library: `clauses/<id>.md` holds the current version of each clause; earlier
/// versions a team keeps for comparison live beside it as `clauses/<id>@<version>.md`.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Every version, by (id, version).
    versions: HashMap<(String, String), LibraryClause>,
    /// The current version of each clause.
    current: HashMap<String, String>,
}

impl Library {
    /// Read `clauses/` under `root` (an empty library when there is none).
    ///
    /// # Errors
    /// When a clause file is unreadable or its front matter is wrong.
    pub fn load(root: &Path) -> Result<Self, TemplateError> {
        let mut library = Self::default();
        let dir = root.join("clauses");
        let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(library) };
        let mut paths: Vec<PathBuf> =
            entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| crate::repo::is_markdown(p)).collect();
        paths.sort();
        for path in paths {
            let shown = path.display().to_string();
            let text =
                std::fs::read_to_string(&path).map_err(|source| TemplateError::Read { path: shown.clone(), source })?;
            let layout = frontmatter::split(&text)
                .map_err(|e| TemplateError::Invalid { path: shown.clone(), message: e.to_string() })?;
            let header: ClauseHeader = toml::from_str(&text[layout.toml.clone()])
                .map_err(|e| TemplateError::Invalid { path: shown.clone(), message: e.to_string() })?;
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            let is_current = !stem.contains('@');
            let clause = LibraryClause {
                id: header.id.clone(),
                version: header.version.clone(),
                title: header.title,
                text: text[layout.body..].trim().to_owned(),
            };
            if is_current {
                library.current.insert(header.id.clone(), header.version.clone());
            }
            library.versions.insert((header.id, header.version), clause);
        }
        Ok(library)
    }

    /// The current version of a clause.
    #[must_use]
    pub fn current(&self, id: &str) -> Option<&LibraryClause> {
        let version = self.current.get(id)?;
        self.versions.get(&(id.to_owned(), version.clone()))
    }

    /// A given version of a clause, if the library keeps it.
    #[must_use]
    pub fn version(&self, id: &str, version: &str) -> Option<&LibraryClause> {
        self.versions.get(&(id.to_owned(), version.to_owned()))
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.versions.is_empty()
    }
}

/// The values for a template's variables, checked and completed with defaults.
///
/// # Errors
/// Every missing required value and every value of the wrong form, in one message.
pub fn resolve(
    template: &Template,
    given: &BTreeMap<String, String>,
    today: NaiveDate,
) -> Result<BTreeMap<String, String>, TemplateError> {
    let mut values = BTreeMap::new();
    let mut problems = Vec::new();
    for name in given.keys() {
        if name != "id" && !template.variables.contains_key(name) {
            problems.push(format!(
                "`{name}` is not a variable of template {} (it has: {})",
                template.name,
                template.variables.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    for (name, variable) in &template.variables {
        let value = given.get(name).cloned().or_else(|| {
            variable
                .default
                .clone()
                .map(|d| if d == "today" && variable.kind == "date" { today.to_string() } else { d })
        });
        let Some(value) = value else {
            if variable.required {
                problems.push(format!("`{name}` is required: {}", variable.description));
            }
            continue;
        };
        let ok = match variable.kind.as_str() {
            "date" => NaiveDate::parse_from_str(&value, "%Y-%m-%d").is_ok(),
            "duration" => value.parse::<crate::lifecycle::Duration>().is_ok(),
            "number" => value.parse::<f64>().is_ok(),
            "boolean" => matches!(value.as_str(), "true" | "false"),
            _ => true,
        };
        if !ok {
            problems.push(format!("`{name}` = \"{value}\" is not a {}", variable.kind));
        }
        if !variable.multiline && value.contains(['\n', '\r']) {
            problems.push(format!("`{name}` is one line, but the value given has a line break"));
        }
        values.insert(name.clone(), value);
    }
    if let Some(id) = given.get("id") {
        values.insert("id".to_owned(), id.clone());
    }
    if problems.is_empty() { Ok(values) } else { Err(TemplateError::Values(problems.join("\n"))) }
}

/// A drafted contract and the library clauses it took.
#[derive(Debug, Clone)]
pub struct Drafted {
    pub text: String,
    pub library: Vec<(String, String)>,
}

/// A value written into Markdown as text: every character that could open markup inline —
/// emphasis, code, links, HTML, entities, tables, `{#id}` attributes, template tags — and the
/// backslash itself are escaped. Dates, durations and numbers pass unchanged.
#[must_use]
pub(crate) fn markdown_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '{' | '}' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A front-matter value as clause text takes it: every string escaped for Markdown
/// ([`markdown_text`]), so that a party's name cannot open markup in the clause.
fn escaped(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::String(text) => serde_json::Value::String(markdown_text(text)),
        serde_json::Value::Array(items) => serde_json::Value::Array(items.iter().map(escaped).collect()),
        serde_json::Value::Object(fields) => {
            serde_json::Value::Object(fields.iter().map(|(k, v)| (k.clone(), escaped(v))).collect())
        }
        other => other.clone(),
    }
}

/// A library clause's text for one contract: `{{ … }}` in the clause take the contract's
/// front-matter values, as text (`{{ governing_law | jurisdiction }}` → "the State of
/// Delaware", `{{ parties[1].name }}`, `{{ confidentiality_period }}`), so that a clause reads
/// as the contract's own. `pactum new` writes it so, and the playbook check compares a
/// contract's clause with the library's text rendered for that contract.
///
/// # Errors
/// When the clause is not a valid template, or names a value the front matter lacks.
pub(crate) fn clause_for(id: &str, text: &str, front: &serde_json::Value) -> Result<String, TemplateError> {
    if !text.contains("{{") && !text.contains("{%") {
        return Ok(text.to_owned());
    }
    let (tera, name) = clause_template(id, text)?;
    let context = tera::Context::from_serialize(&escaped(front)).unwrap_or_else(|_| tera::Context::new());
    let rendered =
        tera.render(&name, &context).map_err(|e| TemplateError::Render { name, message: error_chain(&e) })?;
    Ok(rendered.replace(ANCHOR, "{#"))
}

/// `{#id}` anchors a clause and is no Tera comment: it is kept out of Tera's sight.
const ANCHOR: &str = "\u{fffc}anchor\u{fffc}";

/// A library clause's text as a Tera template, and its name there (the clause id).
///
/// # Errors
/// When its `{{ }}` or `{% %}` do not parse.
pub(crate) fn clause_template(id: &str, text: &str) -> Result<(tera::Tera, String), TemplateError> {
    let name = id.to_owned();
    let mut tera = tera::Tera::default();
    tera.autoescape_on(Vec::<&str>::new());
    tera.register_filter("jurisdiction", |value: &str, _: tera::Kwargs, _: &tera::State| {
        markdown_text(&jurisdiction::name(&crate::contract::clauses::normalise::unescape(value)))
    });
    let source = text.replace("{#", ANCHOR);
    tera.add_raw_template(&name, &source)
        .map_err(|e| TemplateError::Render { name: name.clone(), message: error_chain(&e) })?;
    Ok((tera, name))
}

/// Where `draft` puts library clause `index` until the front matter it renders can be read.
fn clause_marker(index: usize) -> String {
    format!("\u{fffc}clause-{index}\u{fffc}")
}

/// A value as a TOML basic string, quotes, backslashes and control characters escaped.
#[must_use]
pub(crate) fn toml_string(value: &str) -> String {
    toml::Value::String(value.to_owned()).to_string()
}

/// Render a template with resolved values.
///
/// # Errors
/// When Tera cannot render it, or it names a clause the library lacks.
pub fn draft(
    template: &Template,
    values: &BTreeMap<String, String>,
    library: &Library,
) -> Result<Drafted, TemplateError> {
    let mut tera = tera::Tera::default();
    // Contracts are Markdown and TOML, not HTML: no HTML escaping.
    tera.autoescape_on(Vec::<&str>::new());
    // Values are text wherever they land: the context holds them escaped for Markdown, so
    // `{{ counterparty }}` in the body cannot open bold, a link or an HTML tag, and `| toml`
    // takes the escapes off again before writing a TOML string.
    tera.register_filter("toml", |value: &str, _: tera::Kwargs, _: &tera::State| {
        toml_string(&crate::contract::clauses::normalise::unescape(value))
    });
    let used: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let clauses: HashMap<String, LibraryClause> =
        library.current.keys().filter_map(|id| library.current(id).map(|c| (id.clone(), c.clone()))).collect();
    let recorded = Arc::clone(&used);
    let texts: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let recorded_texts = Arc::clone(&texts);
    // A clause is inserted once the front matter is drafted: its `{{ … }}` take the contract's
    // values. Until then a marker holds its place.
    tera.register_function("clause", move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
        let id: &str = kwargs.must_get("id")?;
        let clause =
            clauses.get(id).ok_or_else(|| tera::Error::message(format!("the clause library has no clause `{id}`")))?;
        recorded.lock().expect("not poisoned").push((clause.id.clone(), clause.version.clone()));
        let mut texts = recorded_texts.lock().expect("not poisoned");
        texts.push((clause.id.clone(), clause.text.clone()));
        Ok(clause_marker(texts.len() - 1))
    });
    tera.add_raw_template(&template.name, &template.source)
        .map_err(|e| TemplateError::Render { name: template.name.clone(), message: error_chain(&e) })?;
    let mut context = tera::Context::new();
    for (name, value) in values {
        context.insert(name.clone(), &markdown_text(value));
    }
    let mut text = tera
        .render(&template.name, &context)
        .map_err(|e| TemplateError::Render { name: template.name.clone(), message: error_chain(&e) })?;
    let texts = texts.lock().expect("not poisoned").clone();
    if !texts.is_empty() {
        let front = frontmatter::split(&text)
            .ok()
            .and_then(|layout| frontmatter::parse(&text, &layout).ok())
            .map_or(serde_json::Value::Null, |front| front.value);
        for (index, (id, clause)) in texts.iter().enumerate() {
            text = text.replacen(&clause_marker(index), &clause_for(id, clause, &front)?, 1);
        }
    }
    let library = used.lock().expect("not poisoned").clone();
    Ok(Drafted { text: text.trim_start().to_owned(), library })
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// Record in a drafted contract's front matter what pactum knows and the template cannot:
/// its id and `status = "draft"`, the template and its version, and the library clauses used.
///
/// # Errors
/// When the rendered contract has no front matter pactum can edit.
/// A drafted contract's text with where it was requested recorded in its front matter:
/// `[request] url`, and `opened` when known.
///
/// # Errors
/// When the text has no front matter, or front matter that is not TOML.
pub fn stamp_request(text: &str, link: &request::Link) -> Result<String, TemplateError> {
    let layout = frontmatter::split(text)
        .map_err(|e| TemplateError::NoFrontMatter(format!("does not produce front matter: {e}")))?;
    let mut document: toml_edit::DocumentMut = text[layout.toml.clone()]
        .parse()
        .map_err(|e| TemplateError::NoFrontMatter(format!("produces front matter that is not TOML: {e}")))?;
    let mut table = toml_edit::Table::new();
    table["url"] = toml_edit::value(link.url.as_str());
    if let Some(opened) = link.opened {
        let date = toml_edit::Date {
            year: opened.year().try_into().unwrap_or(0),
            month: opened.month().try_into().unwrap_or(1),
            day: opened.day().try_into().unwrap_or(1),
        };
        table["opened"] = toml_edit::value(toml_edit::Datetime { date: Some(date), time: None, offset: None });
    }
    document["request"] = toml_edit::Item::Table(table);
    let toml = document.to_string();
    Ok(format!("+++\n{}{}+++\n{}", toml, if toml.ends_with('\n') { "" } else { "\n" }, &text[layout.body..]))
}

pub fn stamp(drafted: &Drafted, template: &Template, id: &str) -> Result<String, TemplateError> {
    let text = &drafted.text;
    let layout = frontmatter::split(text)
        .map_err(|e| TemplateError::NoFrontMatter(format!("does not produce front matter: {e}")))?;
    let mut document: toml_edit::DocumentMut = text[layout.toml.clone()]
        .parse()
        .map_err(|e| TemplateError::NoFrontMatter(format!("produces front matter that is not TOML: {e}")))?;
    document["id"] = toml_edit::value(id);
    document["status"] = toml_edit::value("draft");
    let mut provenance = toml_edit::Table::new();
    provenance["name"] = toml_edit::value(template.name.as_str());
    provenance["version"] = toml_edit::value(template.version.as_str());
    document["template"] = toml_edit::Item::Table(provenance);
    if !drafted.library.is_empty() {
        let mut array = toml_edit::ArrayOfTables::new();
        for (clause, version) in &drafted.library {
            let mut table = toml_edit::Table::new();
            table["clause"] = toml_edit::value(clause.as_str());
            table["version"] = toml_edit::value(version.as_str());
            array.push(table);
        }
        document["library"] = toml_edit::Item::ArrayOfTables(array);
    }
    let toml = document.to_string();
    Ok(format!("+++\n{}{}+++\n{}", toml, if toml.ends_with('\n') { "" } else { "\n" }, &text[layout.body..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_round_trip() {
        for value in ["Acme \"Big\" Inc.", "O'Brien & Co", "back\\slash", "two\nlines", "{{ id }}", "\"' mixed"] {
            let parsed: toml::Table = toml::from_str(&format!("x = {}", toml_string(value))).unwrap();
            assert_eq!(parsed["x"].as_str(), Some(value), "{value}");
        }
    }

    #[test]
    fn template_names_stay_inside() {
        assert!(safe_name("nda"));
        assert!(safe_name("mutual-nda_v2"));
        assert!(!safe_name("../secret"));
        assert!(!safe_name("a/b"));
        assert!(!safe_name(""));
    }
}
