//! JSON Schemas for front matter: the registry of schemas and validation with findings that
//! point at TOML values.
//!
//! The built-in schemas (`schemas/` of this project) are embedded in the binary, so a
//! repository without its own still validates. A repository's `schemas/<name>.schema.json`
//! replaces the built-in file of the same name, and adds new types. Type schemas build on
//! `contract.schema.json` with `$ref`; every schema is registered under one base URI, so a
//! relative `$ref` finds its sibling and nothing is ever fetched from the network.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Registry, Validator};
use serde_json::Value;

use crate::contract::Contract;
use crate::findings::Diagnostic;
use crate::findings::rule;

/// The base URI every schema is registered under. `.invalid` is a reserved name that never
/// resolves: schemas are only ever looked up in the registry.
const BASE: &str = "https://pactum.invalid/schemas/";

/// Where pactum publishes its schemas: the absolute `$id` of each built-in schema, which
/// editors (Taplo, VS Code) need. A schema with this `$id` is registered under its file name
/// like any other, so a repository's edited copy replaces the built-in one.
pub(crate) const PUBLISHED: &str = "https://raw.githubusercontent.com/pactum-dev/pactum/main/schemas/";

/// The schemas built into pactum: file name → text.
pub(crate) const BUILT_IN: &[(&str, &str)] = &[
    ("contract.schema.json", include_str!("../../../../schemas/contract.schema.json")),
    ("nda.schema.json", include_str!("../../../../schemas/nda.schema.json")),
    ("msa.schema.json", include_str!("../../../../schemas/msa.schema.json")),
    ("sow.schema.json", include_str!("../../../../schemas/sow.schema.json")),
    ("order-form.schema.json", include_str!("../../../../schemas/order-form.schema.json")),
    ("dpa.schema.json", include_str!("../../../../schemas/dpa.schema.json")),
    ("saas.schema.json", include_str!("../../../../schemas/saas.schema.json")),
    ("services.schema.json", include_str!("../../../../schemas/services.schema.json")),
    ("employment.schema.json", include_str!("../../../../schemas/employment.schema.json")),
    ("amendment.schema.json", include_str!("../../../../schemas/amendment.schema.json")),
];

/// The schema of `pactum.toml`, for editors (draft-07, which Taplo reads).
pub const CONFIG: (&str, &str) = ("pactum.schema.json", include_str!("../../../../schemas/pactum.schema.json"));

/// The schemas of the `--format json` outputs (and of `check --format gitlab`), under
/// `output/`: the published form of the interface `docs/output.md` describes.
pub(crate) const OUTPUT: &[(&str, &str)] = &[
    ("check.schema.json", include_str!("../../../../schemas/output/check.schema.json")),
    ("gitlab-code-quality.schema.json", include_str!("../../../../schemas/output/gitlab-code-quality.schema.json")),
    ("inspect.schema.json", include_str!("../../../../schemas/output/inspect.schema.json")),
    ("diff.schema.json", include_str!("../../../../schemas/output/diff.schema.json")),
    ("remind.schema.json", include_str!("../../../../schemas/output/remind.schema.json")),
    ("report.schema.json", include_str!("../../../../schemas/output/report.schema.json")),
    ("approvals.schema.json", include_str!("../../../../schemas/output/approvals.schema.json")),
    ("policy.schema.json", include_str!("../../../../schemas/output/policy.schema.json")),
    ("codeowners.schema.json", include_str!("../../../../schemas/output/codeowners.schema.json")),
    ("log.schema.json", include_str!("../../../../schemas/output/log.schema.json")),
    ("audit.schema.json", include_str!("../../../../schemas/output/audit.schema.json")),
];

/// A published schema as a copy in a folder has it: without its absolute `$id`, so that its
/// `$ref`s to other files (`contract.schema.json`) resolve beside it, as standard validators
/// and editors resolve them, and nothing is fetched from the network.
#[must_use]
pub fn local_copy(text: &str) -> String {
    text.lines()
        .filter(|line| !(line.starts_with("  \"$id\": \"https://") && line.ends_with("\",")))
        .flat_map(|line| [line, "\n"])
        .collect()
}

/// Every schema pactum publishes, as (path relative to the export folder, text): the contract
/// types, `pactum.toml`'s, and the outputs' under `output/`.
#[must_use]
pub fn published() -> Vec<(String, &'static str)> {
    let mut all: Vec<(String, &'static str)> =
        BUILT_IN.iter().map(|(name, text)| ((*name).to_owned(), *text)).collect();
    all.push((CONFIG.0.to_owned(), CONFIG.1));
    all.extend(OUTPUT.iter().map(|(name, text)| (format!("output/{name}"), *text)));
    all
}

/// Why the schemas could not be loaded: a problem of the repository's configuration.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// A schema file could not be read.
    #[error("cannot read schema {path}: {source}")]
    Read { path: String, source: std::io::Error },
    /// A schema file is not JSON.
    #[error("schema {path} is not valid JSON: {source}")]
    Json { path: String, source: serde_json::Error },
    /// The schemas do not form a valid registry (a bad `$id` or `$ref`).
    #[error("the schemas cannot be registered: {0}")]
    Registry(String),
    /// A type schema is not a valid JSON Schema.
    #[error("schema {name} is not a valid JSON Schema: {message}")]
    Invalid { name: String, message: String },
}

/// The schemas of a repository, with validators compiled on first use of each type.
pub struct SchemaSet {
    registry: Registry<'static>,
    documents: BTreeMap<String, Value>,
    validators: HashMap<String, OnceLock<Result<Validator, String>>>,
    /// Where each schema came from, for messages: `built-in` or a path.
    origins: BTreeMap<String, String>,
}

impl std::fmt::Debug for SchemaSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaSet").field("types", &self.types()).finish_non_exhaustive()
    }
}

impl SchemaSet {
    /// The built-in schemas, overridden and extended by the `*.schema.json` files of `dir`.
    ///
    /// # Errors
    /// When a schema file cannot be read or parsed, or the set cannot be registered.
    pub fn load(dir: Option<&Path>) -> Result<Self, SchemaError> {
        let mut documents = BTreeMap::new();
        let mut origins = BTreeMap::new();
        for (name, text) in BUILT_IN {
            let value =
                serde_json::from_str(text).map_err(|source| SchemaError::Json { path: (*name).to_owned(), source })?;
            documents.insert((*name).to_owned(), value);
            origins.insert((*name).to_owned(), "built-in".to_owned());
        }
        if let Some(dir) = dir.filter(|d| d.is_dir()) {
            let entries = std::fs::read_dir(dir)
                .map_err(|source| SchemaError::Read { path: dir.display().to_string(), source })?;
            let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
            paths.sort();
            for path in paths {
                let Some(name) = path.file_name().and_then(|n| n.to_str()).filter(|n| n.ends_with(".schema.json"))
                else {
                    continue;
                };
                let shown = path.display().to_string();
                let text = std::fs::read_to_string(&path)
                    .map_err(|source| SchemaError::Read { path: shown.clone(), source })?;
                let value =
                    serde_json::from_str(&text).map_err(|source| SchemaError::Json { path: shown.clone(), source })?;
                documents.insert(name.to_owned(), value);
                origins.insert(name.to_owned(), shown);
            }
        }
        Self::from_documents(documents, origins)
    }

    fn from_documents(
        mut documents: BTreeMap<String, Value>,
        origins: BTreeMap<String, String>,
    ) -> Result<Self, SchemaError> {
        for (name, document) in &mut documents {
            if let Value::Object(object) = document {
                // A relative or missing `$id` would resolve against a base of its own; pin every
                // schema to its name under the one base. So is pactum's published `$id`: its
                // `$ref`s name the other schemas by file name, found in this set.
                let pinned = object
                    .get("$id")
                    .and_then(Value::as_str)
                    .is_none_or(|id| !id.contains("://") || id.starts_with(PUBLISHED));
                if pinned {
                    object.insert("$id".to_owned(), Value::String(format!("{BASE}{name}")));
                }
            }
        }
        let mut builder = Registry::new();
        for (name, document) in &documents {
            builder = builder
                .add(format!("{BASE}{name}"), document.clone())
                .map_err(|e| SchemaError::Registry(e.to_string()))?;
        }
        let registry = builder.prepare().map_err(|e| SchemaError::Registry(e.to_string()))?;
        let validators = documents
            .keys()
            .filter_map(|name| name.strip_suffix(".schema.json"))
            .filter(|name| *name != "contract")
            .map(|name| (name.to_owned(), OnceLock::new()))
            .collect();
        Ok(Self { registry, documents, validators, origins })
    }

    /// The contract types that have a schema.
    #[must_use]
    pub fn types(&self) -> Vec<&str> {
        self.validators.keys().map(String::as_str).collect::<std::collections::BTreeSet<_>>().into_iter().collect()
    }

    /// Compile every type's validator now, so that a broken schema is a configuration error
    /// reported once rather than a finding on every contract.
    ///
    /// # Errors
    /// The first schema that is not a valid JSON Schema.
    pub(crate) fn compile_all(&self) -> Result<(), SchemaError> {
        for name in self.types() {
            if let Err(message) = self.validator(name).expect("listed type") {
                let origin = self.origins.get(&format!("{name}.schema.json")).cloned().unwrap_or_default();
                return Err(SchemaError::Invalid { name: format!("{name} ({origin})"), message: message.clone() });
            }
        }
        Ok(())
    }

    fn validator(&self, kind: &str) -> Option<&Result<Validator, String>> {
        let cell = self.validators.get(kind)?;
        Some(cell.get_or_init(|| {
            let document = &self.documents[&format!("{kind}.schema.json")];
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .with_registry(&self.registry)
                .with_base_uri(BASE)
                .build(document)
                .map_err(|error| error.to_string())
        }))
    }

    /// Validate a contract's front matter against the schema of its type.
    #[must_use]
    pub fn validate(&self, contract: &Contract) -> Vec<Diagnostic> {
        let Some(front) = &contract.front else { return Vec::new() };
        let source = contract.source();
        let mut diagnostics = Vec::new();
        let kind = front.value.get("type").and_then(Value::as_str);
        let validator = match kind.map(|k| (k, self.validator(k))) {
            Some((_, Some(Ok(validator)))) => validator,
            Some((_, Some(Err(_)))) => return diagnostics,
            Some((kind, None)) => {
                diagnostics.push(
                    source
                        .diagnostic(
                            rule::SCHEMA_UNKNOWN_TYPE,
                            front.spans.value_or_ancestor("/type"),
                            format!("there is no schema for contract type `{kind}`"),
                        )
                        .with_help(format!(
                            "known types: {}; add `schemas/{kind}.schema.json` to the repository to define a new one",
                            self.types().join(", ")
                        )),
                );
                // Still check what every contract must have.
                diagnostics.extend(self.validate_base(contract));
                return diagnostics;
            }
            None => return self.validate_base(contract),
        };
        let document = kind.map_or(&Value::Null, |kind| &self.documents[&format!("{kind}.schema.json")]);
        for error in validator.iter_errors(&front.value) {
            diagnostics.extend(finding(contract, &error, document));
        }
        if let Some(kind) = kind {
            diagnostics.extend(self.undeclared(contract, kind));
        }
        diagnostics
    }

    /// The top-level keys the schema of `kind` declares (its `properties`, and those of the
    /// schemas it builds on through `allOf`/`$ref`), or `None` when it leaves the top level to
    /// a rule of its own (`additionalProperties`, `patternProperties`).
    fn declared(&self, name: &str, depth: usize) -> Option<std::collections::BTreeSet<String>> {
        let document = self.documents.get(name)?;
        if document.get("additionalProperties").is_some() || document.get("patternProperties").is_some() {
            return None;
        }
        let mut keys: std::collections::BTreeSet<String> = document
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect();
        let mut refs: Vec<&str> = document.get("$ref").and_then(Value::as_str).into_iter().collect();
        for part in document.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            refs.extend(part.get("$ref").and_then(Value::as_str));
            keys.extend(
                part.get("properties").and_then(Value::as_object).into_iter().flatten().map(|(k, _)| k.clone()),
            );
        }
        for reference in refs {
            let file = reference.split('#').next().unwrap_or_default().rsplit('/').next().unwrap_or_default();
            if file.is_empty() || depth > 8 {
                continue;
            }
            keys.extend(self.declared(file, depth + 1)?);
        }
        Some(keys)
    }

    /// A warning for each top-level key no schema of the contract's type declares: a misspelt
    /// field (`governing_lwa`) is no field, and nothing else would say so. A field of the
    /// team's own is declared in its type's schema.
    fn undeclared(&self, contract: &Contract, kind: &str) -> Vec<Diagnostic> {
        let Some(front) = &contract.front else { return Vec::new() };
        let Some(object) = front.value.as_object() else { return Vec::new() };
        let Some(declared) = self.declared(&format!("{kind}.schema.json"), 0) else { return Vec::new() };
        let source = contract.source();
        object
            .keys()
            .filter(|key| !declared.contains(*key))
            .map(|key| {
                let nearest = crate::text::nearest(key, declared.iter().map(String::as_str), MISSPELT_KEY)
                    .map(|known| format!("did you mean `{known}`? "));
                let span = front.spans.key_or_value(&format!("/{key}"));
                source
                    .diagnostic(
                        rule::FRONTMATTER_UNDECLARED_KEY,
                        span,
                        format!("`{key}` is not a field of the `{kind}` schema, so nothing reads it"),
                    )
                    .with_help(format!(
                        "{}a field of your own is declared in schemas/{kind}.schema.json (`properties`)",
                        nearest.unwrap_or_default()
                    ))
            })
            .collect()
    }

    /// Validate against the base schema alone (for a contract whose type has no schema).
    fn validate_base(&self, contract: &Contract) -> Vec<Diagnostic> {
        let Some(front) = &contract.front else { return Vec::new() };
        let base = &self.documents["contract.schema.json"];
        let Ok(validator) = jsonschema::options().with_registry(&self.registry).with_base_uri(BASE).build(base) else {
            return Vec::new();
        };
        validator
            .iter_errors(&front.value)
            .filter(|error| error.instance_path().as_str() != "/type")
            .flat_map(|error| finding(contract, &error, base))
            .collect()
    }
}

/// The most edits between a key and the declared field it is taken to misspell.
pub(crate) const MISSPELT_KEY: usize = 2;

/// What a schema says of one front-matter field, for an editor's hover and completion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldDoc {
    pub description: Option<String>,
    /// The values it takes, when the schema lists them (`enum`, `const`).
    pub values: Vec<String>,
    /// What it holds: the schema's `type`, or the name of the definition it refers to (`date`,
    /// `duration`).
    pub kind: Option<String>,
    /// Whether it is a list of tables (`[[parties]]`).
    pub tables: bool,
}

/// A place in the set's documents: the file, and a value in it.
#[derive(Clone, Copy)]
struct Node<'a> {
    document: &'a str,
    value: &'a Value,
}

/// How deep `$ref`s are followed: a cycle of references stops here.
const MAX_REFS: usize = 16;

impl SchemaSet {
    /// The fields the schema of contract type `kind` declares at `path` (the top level when
    /// empty; `["renewal"]`, `["parties"]` for the tables of a list), with what it says of
    /// each, sorted by name. An unknown type is read as the base schema.
    #[must_use]
    pub fn fields(&self, kind: Option<&str>, path: &[&str]) -> Vec<(String, FieldDoc)> {
        let Some(node) = self.node_at(kind, path) else { return Vec::new() };
        let mut fields: BTreeMap<String, FieldDoc> = BTreeMap::new();
        for (name, field) in self.properties(node, 0) {
            let doc = self.doc(field, 0);
            let entry = fields.entry(name).or_default();
            // A type's own schema comes first and says most: keep what it says, add the rest.
            if entry.description.is_none() {
                entry.description = doc.description;
            }
            if entry.values.is_empty() {
                entry.values = doc.values;
            }
            if entry.kind.is_none() {
                entry.kind = doc.kind;
            }
            entry.tables |= doc.tables;
        }
        fields.into_iter().collect()
    }

    /// What the schema of `kind` says of the field at `path`.
    #[must_use]
    pub fn field(&self, kind: Option<&str>, path: &[&str]) -> Option<FieldDoc> {
        let (last, parent) = path.split_last()?;
        self.fields(kind, parent).into_iter().find(|(name, _)| name == last).map(|(_, doc)| doc)
    }

    /// The schema node whose properties are the fields at `path`.
    fn node_at(&self, kind: Option<&str>, path: &[&str]) -> Option<Node<'_>> {
        let name = kind
            .map(|kind| format!("{kind}.schema.json"))
            .filter(|name| self.documents.contains_key(name))
            .unwrap_or_else(|| "contract.schema.json".to_owned());
        let (document, value) = self.documents.get_key_value(&name)?;
        let mut node = Node { document, value };
        for segment in path {
            let field = self.properties(node, 0).into_iter().find(|(name, _)| name == segment)?.1;
            node = self.items(field, 0).unwrap_or(field);
        }
        Some(node)
    }

    /// The node a `$ref` names: `#/$defs/date` in the same document, `contract.schema.json`,
    /// `contract.schema.json#/$defs/duration`.
    fn follow<'a>(&'a self, from: Node<'a>, reference: &str) -> Option<Node<'a>> {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let file = file.rsplit('/').next().unwrap_or_default();
        let (document, value) = if file.is_empty() {
            self.documents.get_key_value(from.document)?
        } else {
            self.documents.get_key_value(file)?
        };
        let value = if pointer.is_empty() { value } else { value.pointer(pointer)? };
        Some(Node { document, value })
    }

    /// The nodes `node` is made of: itself, what it refers to and what `allOf` adds, nearest first.
    fn parts<'a>(&'a self, node: Node<'a>, depth: usize) -> Vec<Node<'a>> {
        let mut out = vec![node];
        if depth > MAX_REFS {
            return out;
        }
        if let Some(target) = node.value.get("$ref").and_then(Value::as_str).and_then(|r| self.follow(node, r)) {
            out.extend(self.parts(target, depth + 1));
        }
        for part in node.value.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            out.extend(self.parts(Node { document: node.document, value: part }, depth + 1));
        }
        out
    }

    fn properties<'a>(&'a self, node: Node<'a>, depth: usize) -> Vec<(String, Node<'a>)> {
        self.parts(node, depth)
            .into_iter()
            .flat_map(|part| {
                part.value
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(move |(name, value)| (name.clone(), Node { document: part.document, value }))
            })
            .collect()
    }

    /// The node of a list's elements, when `node` is a list.
    fn items<'a>(&'a self, node: Node<'a>, depth: usize) -> Option<Node<'a>> {
        self.parts(node, depth)
            .into_iter()
            .find_map(|part| part.value.get("items").map(|value| Node { document: part.document, value }))
    }

    fn doc(&self, node: Node<'_>, depth: usize) -> FieldDoc {
        let parts = self.parts(node, depth);
        let description =
            parts.iter().find_map(|part| part.value.get("description").and_then(Value::as_str)).map(str::to_owned);
        let text = |value: &Value| value.as_str().map_or_else(|| value.to_string(), str::to_owned);
        let values = parts
            .iter()
            .find_map(|part| {
                part.value
                    .get("enum")
                    .and_then(Value::as_array)
                    .map(|values| values.iter().map(text).collect())
                    .or_else(|| part.value.get("const").map(|value| vec![text(value)]))
            })
            .unwrap_or_default();
        let named =
            node.value.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit('/').next()).map(str::to_owned);
        let kind = named.or_else(|| {
            parts.iter().find_map(|part| part.value.get("type").and_then(Value::as_str)).map(str::to_owned)
        });
        let tables = self
            .items(node, depth)
            .is_some_and(|items| self.parts(items, depth).iter().any(|part| part.value.get("properties").is_some()));
        FieldDoc { description, values, kind, tables }
    }
}

/// A JSON pointer as people write the key: `/parties/0/role` → `parties[0].role`.
#[must_use]
pub fn field_name(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.bytes().all(|b| b.is_ascii_digit()) && !segment.is_empty() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    if out.is_empty() { "the front matter".to_owned() } else { out }
}

fn show(value: &Value) -> String {
    match value {
        Value::String(text) => format!("\"{text}\""),
        Value::Object(_) => "a table".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        other => other.to_string(),
    }
}

/// What a pattern of the built-in schemas means, for a message people can act on.
fn pattern_help(pattern: &str) -> &'static str {
    if pattern.contains("business") {
        "write a duration as \"<n> <unit>\" with unit day(s), week(s), month(s), year(s) or business day(s), for example \"12 months\""
    } else if pattern.contains("[0-9]{4}-") {
        "write a date as a TOML date without quotes: 2025-01-01"
    } else if pattern.contains("[a-z0-9][a-z0-9-]*") {
        "use lower-case letters, digits and hyphens, starting with a letter or digit: \"acme-msa-2025\""
    } else if pattern.contains("[A-Z]{3}") {
        "use a three-letter ISO 4217 currency code: \"USD\", \"EUR\", \"NOK\""
    } else if pattern.starts_with("^(@") {
        "name a user (\"@alice\"), a team (\"@legal/commercial\") or an e-mail address"
    } else {
        "change the value to match the schema"
    }
}

/// The patterns at the place in `schema` where matching failed: the `pattern` itself, or each
/// key of `patternProperties`; empty when the place lies behind a `$ref`.
fn patterns_at(schema: &Value, schema_path: &str) -> Vec<String> {
    let mut at = schema;
    for segment in schema_path.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        let next = match at {
            Value::Object(map) => map.get(&segment),
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(value) => at = value,
            None => return Vec::new(),
        }
    }
    match at {
        Value::String(pattern) => vec![pattern.clone()],
        Value::Object(map) if schema_path.ends_with("patternProperties") => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

fn finding(contract: &Contract, error: &jsonschema::ValidationError<'_>, schema: &Value) -> Vec<Diagnostic> {
    let Some(front) = &contract.front else { return Vec::new() };
    let source = contract.source();
    let pointer = error.instance_path().as_str();
    let field = field_name(pointer);
    let span = front.spans.value_or_ancestor(pointer);
    let value = error.instance();
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let key = property.as_str().unwrap_or_default();
            let message = if pointer.is_empty() {
                format!("the front matter is missing the required key `{key}`")
            } else {
                format!("`{field}` is missing the required key `{key}`")
            };
            vec![source.diagnostic(rule::SCHEMA_REQUIRED, span, message).with_help(format!("add `{key} = …` here"))]
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|key| {
                let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                source
                    .diagnostic(
                        rule::SCHEMA_UNKNOWN_KEY,
                        front.spans.key_or_value(&child),
                        format!("`{}` is not a key the schema allows", field_name(&child)),
                    )
                    .with_help("check the spelling, or allow the key in the contract type's schema")
            })
            .collect(),
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<String> = options.as_array().into_iter().flatten().map(show).collect();
            vec![
                source
                    .diagnostic(
                        rule::SCHEMA_INVALID,
                        span,
                        format!("`{field}` is {}, which is not one of the allowed values", show(value)),
                    )
                    .with_help(format!("use one of: {}", allowed.join(", "))),
            ]
        }
        ValidationErrorKind::Constant { expected_value } => vec![source.diagnostic(
            rule::SCHEMA_INVALID,
            span,
            format!("`{field}` is {}, but this schema requires {}", show(value), show(expected_value)),
        )],
        ValidationErrorKind::Pattern { pattern } => vec![
            source
                .diagnostic(
                    rule::SCHEMA_INVALID,
                    span,
                    format!("`{field}` is {}, which does not have the expected form", show(value)),
                )
                .with_help(pattern_help(pattern)),
        ],
        ValidationErrorKind::Type { kind } => {
            let expected = format!("{kind:?}").to_lowercase().replace("single(", "").replace(')', "");
            let hint = if front.spans.is_datetime(pointer) { " (TOML read a date here)" } else { "" };
            vec![source.diagnostic(
                rule::SCHEMA_INVALID,
                span,
                format!("`{field}` must be of type {expected}, not {}{hint}", show(value)),
            )]
        }
        // The regex engine gave up (too much backtracking): the value is not taken to match,
        // and the finding names the pattern so that the schema's author can simplify it.
        ValidationErrorKind::BacktrackLimitExceeded { .. } | ValidationErrorKind::RegexEngineFailure { .. } => {
            let patterns = patterns_at(schema, error.schema_path().as_str());
            let named = if patterns.is_empty() {
                format!("the pattern at `{}` of the schema", error.schema_path().as_str())
            } else {
                patterns.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
            };
            vec![
                source
                    .diagnostic(
                        rule::SCHEMA_INVALID,
                        span,
                        format!(
                            "`{field}` could not be checked against {named}: the pattern needs more backtracking than pactum allows, so the value is treated as not matching"
                        ),
                    )
                    .with_help(
                        "simplify the schema's pattern: avoid nested or overlapping repetition such as `(a|a)*` and back-references",
                    ),
            ]
        }
        ValidationErrorKind::MinItems { limit } => vec![source.diagnostic(
            rule::SCHEMA_INVALID,
            span,
            format!("`{field}` needs at least {limit} entr{}", if *limit == 1 { "y" } else { "ies" }),
        )],
        _ => vec![source.diagnostic(rule::SCHEMA_INVALID, span, format!("`{field}`: {error}"))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::FrontMatterRule;

    fn check(text: &str) -> Vec<(String, String)> {
        let schemas = SchemaSet::load(None).unwrap();
        schemas.compile_all().unwrap();
        let contract = Contract::read("c.md", text.to_owned(), FrontMatterRule::Required, &mut Vec::new());
        schemas.validate(&contract).into_iter().map(|d| (d.code.to_owned(), d.message)).collect()
    }

    const GOOD: &str = "+++\nid = \"a\"\ntitle = \"A\"\ntype = \"nda\"\nstatus = \"draft\"\nowner = \"@legal/alice\"\neffective_date = 2025-01-01\n[[parties]]\nname = \"X\"\nrole = \"discloser\"\n[[parties]]\nname = \"Y\"\nrole = \"recipient\"\n+++\n";

    #[test]
    fn built_in_schemas_compile_and_accept_a_good_contract() {
        assert_eq!(check(GOOD), []);
    }

    #[test]
    fn errors_name_the_field() {
        let bad = GOOD.replace("status = \"draft\"", "status = \"pending\"").replace("id = \"a\"\n", "");
        let found = check(&bad);
        assert!(
            found.contains(&("schema/required".into(), "the front matter is missing the required key `id`".into())),
            "{found:?}"
        );
        assert!(
            found.iter().any(|(code, message)| code == "schema/invalid" && message.contains("`status` is \"pending\"")),
            "{found:?}"
        );
    }

    #[test]
    fn unknown_type() {
        let found = check(&GOOD.replace("type = \"nda\"", "type = \"lease\""));
        assert_eq!(found[0].0, "schema/unknown-type");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("/parties/0/role"), "parties[0].role");
        assert_eq!(field_name(""), "the front matter");
    }
}
