//! Checks recorded HTTP requests against an `OpenAPI` 3.0 description.

#![allow(dead_code)]

use std::path::Path;

use serde_json::Value;

use super::tracker::Request;

/// Escape a JSON pointer segment for use in a URI fragment.
fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1").replace('{', "%7B").replace('}', "%7D")
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => spec.pointer(pointer).unwrap_or(value),
        None => value,
    }
}

/// The path template of `spec` that matches `path`, preferring literal segments.
fn template<'a>(spec: &'a Value, path: &str) -> Option<&'a str> {
    let segments: Vec<&str> = path.split('/').collect();
    spec["paths"]
        .as_object()?
        .keys()
        .filter(|template| {
            let parts: Vec<&str> = template.split('/').collect();
            parts.len() == segments.len() && parts.iter().zip(&segments).all(|(p, s)| p.starts_with('{') || p == s)
        })
        .max_by_key(|template| template.split('/').filter(|p| !p.starts_with('{')).count())
        .map(String::as_str)
}

/// Panic with a description of every request that does not match the description.
pub fn check_requests(spec_path: &Path, requests: &[Request]) {
    let spec: Value = serde_json::from_slice(&std::fs::read(spec_path).unwrap()).unwrap();
    let mut problems = Vec::new();
    let mut validators: Vec<(String, jsonschema::Validator)> = Vec::new();
    for request in requests {
        let shown = format!("{} {}", request.method, request.path);
        let Some(template) = template(&spec, &request.path) else {
            problems.push(format!("{shown}: no such path"));
            continue;
        };
        let method = request.method.to_lowercase();
        let Some(operation) = spec["paths"][template].get(&method) else {
            problems.push(format!("{shown}: {template} has no {method}"));
            continue;
        };
        let parameters: Vec<&Value> =
            operation["parameters"].as_array().into_iter().flatten().map(|p| resolve(&spec, p)).collect();
        for (name, value) in &request.query {
            let Some(parameter) = parameters.iter().find(|p| p["name"] == name.as_str() && p["in"] == "query") else {
                problems.push(format!("{shown}: undeclared query parameter {name}"));
                continue;
            };
            let schema = &parameter["schema"];
            let ok = match schema["type"].as_str() {
                Some("integer") => value.parse::<i64>().is_ok(),
                _ => schema["enum"].as_array().is_none_or(|options| options.iter().any(|o| o == value.as_str())),
            };
            if !ok {
                problems.push(format!("{shown}: {name}={value} does not match {schema}"));
            }
        }
        if request.body.is_null() {
            continue;
        }
        let pointer =
            format!("#/paths/{}/{method}/requestBody/content/application~1json/schema", pointer_segment(template));
        if spec.pointer(&pointer[1..].replace("%7B", "{").replace("%7D", "}")).is_none() {
            problems.push(format!("{shown}: sends a body but the operation takes none"));
            continue;
        }
        if !validators.iter().any(|(p, _)| p == &pointer) {
            let mut root = spec.clone();
            root["$ref"] = Value::String(pointer.clone());
            let validator = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft7)
                .build(&root)
                .unwrap_or_else(|e| panic!("{pointer}: {e}"));
            validators.push((pointer.clone(), validator));
        }
        let validator = &validators.iter().find(|(p, _)| p == &pointer).unwrap().1;
        for error in validator.iter_errors(&request.body) {
            problems.push(format!("{shown}: body {}: {error}", request.body));
        }
    }
    assert!(problems.is_empty(), "requests that GitHub's OpenAPI description rejects:\n{}", problems.join("\n"));
}
