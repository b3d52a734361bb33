//! Printers for drafting: what `init` wrote, the templates `new --list` finds, a template's
//! variables (`new --describe`), and what `new` and `execute` wrote.

use std::path::Path;

use pactum_core::template::{Template, TemplateError};

/// What `init` created in `dir` and what it kept; `org_set` says whether the organisation's
/// names were given (else how to set them is said).
#[must_use]
pub fn init_summary(created: &[&str], kept: &[&str], dir: &Path, org_set: bool) -> String {
    let mut out = String::new();
    for path in created {
        out.push_str(&format!("created  {path}\n"));
    }
    for path in kept {
        out.push_str(&format!("kept     {path} (already there)\n"));
    }
    if !org_set && created.contains(&"pactum.toml") {
        out.push_str(
            "\nYour organisation's name is not set: `[report] our_names` in pactum.toml tells your parties from counterparties (or run `pactum init --org NAME` in a new folder).\n",
        );
    }
    out.push_str(&format!(
        "\n{} created in {}. Next: `pactum new nda --set counterparty=\"Acme Inc.\" --id acme-nda`, then `pactum check`.\n",
        pactum_core::text::count(created.len(), "file"),
        dir.display()
    ));
    out
}

/// The templates, one a line: name and description, or why one cannot be read.
#[must_use]
pub fn templates(list: &[Result<Template, TemplateError>]) -> String {
    let mut out = String::new();
    for template in list {
        match template {
            Ok(template) => out.push_str(&format!("{:<20} {}\n", template.name, template.description)),
            Err(error) => out.push_str(&format!("(unreadable) {error}\n")),
        }
    }
    out
}

/// A template's variables, as `--set` takes them.
#[must_use]
pub fn describe(template: &Template) -> String {
    let mut out = format!("{}: {}\n", template.name, template.description);
    for (name, variable) in &template.variables {
        let default = variable.default.as_ref().map(|d| format!(" (default: {d})")).unwrap_or_default();
        let required = if variable.required { " [required]" } else { "" };
        out.push_str(&format!("  --set {name}=…  {} — {}{required}{default}\n", variable.kind, variable.description));
    }
    out
}

/// What `new` wrote.
pub fn created(shown: &str, template: &Template) -> String {
    format!("created {shown} from template {} ({})\n", template.name, template.version)
}

/// What `execute` recorded (`adopted`: an agreement signed outside the repository).
pub fn executed(shown: &str, signatures: usize, adopted: bool) -> String {
    let signatures = pactum_core::text::count(signatures, "signature");
    if adopted {
        format!(
            "adopted {shown} as signed outside the repository: {signatures} recorded, status executed, body sealed as found\n"
        )
    } else {
        format!("executed {shown}: {signatures} recorded, status executed, body sealed\n")
    }
}
