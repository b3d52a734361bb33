//! Drafting and execution: `pactum init`, `pactum new`, `pactum render`, `pactum execute`.
//! With `check` and `inspect` these are the commands that write files, and they write only
//! what they were asked to: never over an existing file, never a contract that fails `check`.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use crate::print::check::{CheckFormat, CheckOutput, Printing, render as render_findings};
use anyhow::{Context, Result, bail};
use clap::Args;
use pactum_core::drafting::{self, Draft, DraftError};
use pactum_core::repo::Repo;
use pactum_core::template::Template;
use pactum_core::workspace::Workspace;

use super::{GlobalArgs, Outcome, emit};

/// How the shipped workflows name the action that installs pactum.
const ACTION_PIN: &str = "pactum-dev/pactum@v0.1.0";

/// Every file `pactum init` writes: path and contents.
const SCAFFOLD: &[(&str, &str)] = &[
    ("pactum.toml", include_str!("scaffold/pactum.toml")),
    ("schemas/README.md", include_str!("scaffold/schemas-README.md")),
    ("templates/nda.md", include_str!("scaffold/nda.md")),
    ("clauses/confidential-information.md", include_str!("scaffold/confidential-information.md")),
    ("clauses/confidentiality.md", include_str!("scaffold/confidentiality.md")),
    ("clauses/governing-law.md", include_str!("scaffold/governing-law.md")),
    ("contracts/.gitkeep", ""),
    ("CODEOWNERS", include_str!("scaffold/CODEOWNERS")),
    // The language server, for the editors that read their settings from the repository.
    (".vscode/settings.json", include_str!("scaffold/vscode-settings.json")),
    (".vscode/extensions.json", include_str!("scaffold/vscode-extensions.json")),
    (".helix/languages.toml", include_str!("scaffold/helix-languages.toml")),
    (".nvim.lua", include_str!("scaffold/nvim.lua")),
    (".github/workflows/contracts.yml", include_str!("../../example-repo/.github/workflows/contracts.yml")),
    (".github/workflows/redline.yml", include_str!("../../example-repo/.github/workflows/redline.yml")),
    (".github/workflows/reminders.yml", include_str!("../../example-repo/.github/workflows/reminders.yml")),
    (".github/workflows/requests.yml", include_str!("../../example-repo/.github/workflows/requests.yml")),
];

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the repository (default: here)
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// Write GitLab CI (.gitlab-ci.yml) instead of GitHub Actions workflows
    #[arg(long)]
    gitlab: bool,
    /// Your organisation's legal name, as contracts name it (repeatable, for several
    /// companies): `[report] our_names`, and the templates' name for your side. Asked for on a
    /// terminal when not given
    #[arg(long = "org", value_name = "NAME")]
    org: Vec<String>,
}

/// The CI configuration `pactum init --gitlab` writes instead of the GitHub workflows.
const GITLAB_CI: (&str, &str) = (".gitlab-ci.yml", include_str!("../../example-repo/.gitlab-ci.yml"));

/// The organisation's names: `--org`, else asked for on a terminal, else none (said).
fn organisation(args: &InitArgs) -> Result<Vec<String>> {
    let given: Vec<String> = args.org.iter().map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).collect();
    if let Some(bad) = given.iter().find(|n| n.contains(['\n', '\r'])) {
        bail!("--org {bad:?}: a name is one line");
    }
    if !given.is_empty() || !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Ok(given);
    }
    let mut stderr = std::io::stderr();
    let _ = write!(stderr, "Your organisation's legal name, as your contracts name it (Enter to set it later): ");
    let _ = stderr.flush();
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the organisation's name")?;
    Ok(Some(line.trim().to_owned()).filter(|n| !n.is_empty()).into_iter().collect())
}

pub fn init(global: &GlobalArgs, args: &InitArgs) -> Result<Outcome> {
    let org = organisation(args)?;
    let our_names = toml::Value::Array(org.iter().cloned().map(toml::Value::String).collect()).to_string();
    let mut created = Vec::new();
    let mut kept = Vec::new();
    let files = SCAFFOLD
        .iter()
        .filter(|(path, _)| !(args.gitlab && path.starts_with(".github/workflows/")))
        .chain(args.gitlab.then_some(&GITLAB_CI));
    for (path, contents) in files {
        let target = args.dir.join(path);
        if target.exists() {
            kept.push((*path).to_owned());
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        // create_new: a file that appeared meanwhile is not overwritten either.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .with_context(|| format!("creating {}", target.display()))?;
        // The workflows install the release of the pactum that wrote them.
        let version = env!("CARGO_PKG_VERSION");
        let contents = contents
            .replace(ACTION_PIN, &format!("pactum-dev/pactum@v{version}"))
            .replace("PACTUM_VERSION: \"0.1.0\"", &format!("PACTUM_VERSION: \"{version}\""))
            .replace("AUDIT_SINCE", &global.today().to_string())
            .replace("vPACTUM_VERSION", &format!("v{version}"))
            .replace("our_names = OUR_NAMES", &format!("our_names = {our_names}"));
        // The templates draft your side under your name.
        let contents = match org.first() {
            Some(name) if path.starts_with("templates/") => contents
                .replace("default = \"Our Company AS\"", &format!("default = {}", toml::Value::String(name.clone()))),
            _ => contents,
        };
        file.write_all(contents.as_bytes()).with_context(|| format!("writing {}", target.display()))?;
        created.push((*path).to_owned());
    }
    // A request form for each template, for the forge the CI is written for: requests become
    // drafts (`pactum new --from-request`).
    let forge = if args.gitlab { RequestForge::Gitlab } else { RequestForge::Github };
    for template in Template::list(&args.dir).into_iter().flatten() {
        let (path, contents) = request_form(&template, forge);
        let target = args.dir.join(&path);
        if target.exists() {
            kept.push(path);
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        super::files::write_whole(&target, contents.as_bytes(), None)?;
        created.push(path);
    }
    let (created, kept): (Vec<&str>, Vec<&str>) =
        (created.iter().map(String::as_str).collect(), kept.iter().map(String::as_str).collect());
    emit(global, &crate::print::drafting::init_summary(&created, &kept, &args.dir, !org.is_empty()))?;
    Ok(Outcome::Clean)
}

fn open_repo(global: &GlobalArgs) -> Result<Repo> {
    super::repository(global, "`pactum init` creates one")
}

/// What a drafting command says when the library refuses: findings at error level are printed
/// as `pactum check` prints them, then `refused` says what was not written.
fn refused(error: DraftError, refused: &str) -> anyhow::Error {
    let DraftError::FailsCheck { shown, errors } = error else { return error.into() };
    let summary = pactum_core::findings::Summary::of(1, &errors);
    let rendered = render_findings(
        CheckFormat::Human,
        &CheckOutput { diagnostics: &errors, summary, files: &[shown], git_prefix: "" },
        Printing { color: false, summary: true },
    );
    let _ = anstream::stderr().write_all(rendered.as_bytes());
    anyhow::anyhow!("{refused}")
}

// ---- new ----

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The template (a file in templates/, without .md)
    #[arg(value_name = "TEMPLATE", required_unless_present_any = ["list", "from_request"])]
    template: Option<String>,
    /// Draft what a request asks for: an issue filed with the request form (its body as the
    /// forge stores it, the issue as JSON, or a workflow's issue event), or a JSON object
    /// {"template", "values": {…}}; its link is recorded as `[request]`
    #[arg(long, value_name = "FILE")]
    from_request: Option<PathBuf>,
    /// Print the template's request form for a forge instead: a GitHub issue form or a GitLab
    /// issue template (`pactum init` writes them for the templates it finds)
    #[arg(long, value_name = "FORGE", value_enum, conflicts_with_all = ["from_request", "dry_run"])]
    request_form: Option<RequestForge>,
    /// The new contract's id (also its file name: contracts/<id>.md)
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// A value for a template variable (repeatable): --set counterparty="Acme Inc."
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
    /// Values from a TOML file of `name = value` lines
    #[arg(long, value_name = "FILE")]
    values: Option<PathBuf>,
    /// List the templates and exit
    #[arg(long)]
    list: bool,
    /// Show the template's variables and exit
    #[arg(long)]
    describe: bool,
    /// Print the contract instead of writing it
    #[arg(long)]
    dry_run: bool,
}

/// The forges a request form is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RequestForge {
    Github,
    Gitlab,
}

/// The label request forms give their issues, which the requests workflow listens for.
pub(crate) const REQUEST_LABEL: &str = "contract-request";

/// A template's request form for `forge`, and where it goes in a repository.
pub(crate) fn request_form(template: &Template, forge: RequestForge) -> (String, String) {
    use pactum_core::template::request;
    let labels = [REQUEST_LABEL.to_owned()];
    match forge {
        RequestForge::Github => (
            format!(".github/ISSUE_TEMPLATE/contract-request-{}.yml", template.name),
            request::github_form(template, &template.name, &labels),
        ),
        RequestForge::Gitlab => (
            format!(".gitlab/issue_templates/contract-request-{}.md", template.name),
            request::gitlab_template(template, &template.name, &labels),
        ),
    }
}

fn ask(prompt: &str) -> Result<String> {
    let mut stderr = std::io::stderr();
    write!(stderr, "{prompt}: ")?;
    stderr.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_owned())
}

pub fn new(global: &GlobalArgs, args: &NewArgs) -> Result<Outcome> {
    let repo = open_repo(global)?;
    if args.list {
        emit(global, &crate::print::drafting::templates(&Template::list(&repo.root)))?;
        return Ok(Outcome::Clean);
    }
    let request = match &args.from_request {
        Some(file) => {
            let text = String::from_utf8(super::files::read_input(file)?)
                .with_context(|| format!("{} is not UTF-8 text", file.display()))?;
            Some(
                pactum_core::template::request::parse(&text)
                    .map_err(|why| anyhow::anyhow!("{}: {why}", file.display()))?,
            )
        }
        None => None,
    };
    let asked = request.as_ref().and_then(|r| r.template.as_deref());
    let name = match (args.template.as_deref(), asked) {
        (Some(name), Some(asked)) if name != asked => {
            bail!("the request asks for template {asked}, not {name}")
        }
        (Some(name), _) | (None, Some(name)) => name,
        (None, None) => bail!("the request names no template: name one (`pactum new TEMPLATE --from-request FILE`)"),
    };
    let template = Template::load(&repo.root, name)?;
    if args.describe {
        emit(global, &crate::print::drafting::describe(&template))?;
        return Ok(Outcome::Clean);
    }
    if let Some(forge) = args.request_form {
        emit(global, &request_form(&template, forge).1)?;
        return Ok(Outcome::Clean);
    }
    let mut given: BTreeMap<String, String> = BTreeMap::new();
    if let Some(request) = &request {
        given = request.values_for(&template).map_err(|errors| {
            anyhow::anyhow!("the request does not fit template {}:\n  {}", template.name, errors.join("\n  "))
        })?;
    }
    if let Some(file) = &args.values {
        let text = String::from_utf8(super::files::read_input(file)?)
            .with_context(|| format!("{} is not UTF-8 text", file.display()))?;
        let table: toml::Table = toml::from_str(&text).with_context(|| format!("{} is not TOML", file.display()))?;
        for (name, value) in table {
            let text = match value {
                toml::Value::String(s) => s,
                other => other.to_string(),
            };
            given.insert(name, text);
        }
    }
    for pair in &args.set {
        let (name, value) = pair.split_once('=').with_context(|| format!("--set {pair}: write NAME=VALUE"))?;
        given.insert(name.trim().to_owned(), value.to_owned());
    }
    if let Some(id) = &args.id {
        given.insert("id".to_owned(), id.clone());
    }
    // On a terminal, ask for what is still missing (a request's answers are all there is).
    if request.is_none() && std::io::stdin().is_terminal() {
        if !given.contains_key("id") {
            given.insert("id".to_owned(), ask("id of the new contract (lower-case letters, digits, hyphens)")?);
        }
        for (name, variable) in &template.variables {
            if variable.required && !given.contains_key(name) {
                given.insert(name.clone(), ask(&format!("{name} ({})", variable.description))?);
            }
        }
    }
    let link = request.as_ref().and_then(|r| r.link.as_ref());
    let Draft { shown, text } = drafting::draft(&Workspace::of(&repo), &template, &given, (global.today(), link))
        .map_err(|error| refused(error, "the drafted contract does not pass `pactum check`, so nothing was written"))?;
    let target = repo.root.join(&shown);
    if args.dry_run {
        emit(global, &text)?;
        return Ok(Outcome::Clean);
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .with_context(|| format!("creating {shown}"))?;
    file.write_all(text.as_bytes())?;
    emit(global, &crate::print::drafting::created(&shown, &template))?;
    Ok(Outcome::Clean)
}

// ---- render ----

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The contract
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Write the page here instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn render(global: &GlobalArgs, args: &RenderArgs) -> Result<Outcome> {
    let contract = super::files::read_file(&args.file)?;
    let page = crate::print::contract_page::page(&contract, &super::language_of(&args.file, &args.file)?);
    super::deliver(global, args.output.as_deref(), &page, false)?;
    Ok(Outcome::Clean)
}

// ---- execute ----

#[derive(Debug, Args)]
pub struct ExecuteArgs {
    /// The contract to execute
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// A signature (repeatable): 'party="Acme, Inc.",name=Jane Doe,title=CEO,date=2025-01-02'
    #[arg(long = "signature", value_name = "FIELDS")]
    signatures: Vec<String>,
    /// Signatures from a TOML file of [[signatures]] tables
    #[arg(long = "signatures", value_name = "FILE")]
    signatures_file: Option<PathBuf>,
    /// Adopt an agreement signed before it came into the repository: seal its text as found,
    /// with the signatures given (dated when they were made) or those the file records, every
    /// party's. Also for a contract marked executed without a seal. Adopting is a change to the
    /// record, which `pactum policy` asks the `[governance]` approvers to approve
    #[arg(long)]
    adopt: bool,
    /// Show the new front matter instead of writing it
    #[arg(long)]
    dry_run: bool,
}

// ---- perform ----

#[derive(Debug, Args)]
pub struct PerformArgs {
    /// The contract whose obligation was met
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The obligation's `id` in the contract's `[[obligations]]`
    #[arg(value_name = "OBLIGATION")]
    obligation: String,
    /// The occurrence met, by its due day (default: the last due day on or before --on)
    #[arg(long, value_name = "DATE", value_parser = super::parse_day)]
    due: Option<chrono::NaiveDate>,
    /// When it was met (default: today)
    #[arg(long, value_name = "DATE", value_parser = super::parse_day)]
    on: Option<chrono::NaiveDate>,
    /// Who met it (`@handle`, a name)
    #[arg(long, value_name = "WHO")]
    by: Option<String>,
    /// What shows it: a link or a path
    #[arg(long, value_name = "LINK")]
    evidence: Option<String>,
    /// Show the record instead of writing it
    #[arg(long)]
    dry_run: bool,
}

/// Record that an occurrence of an obligation was met, in the performance file beside the
/// contract (never in the contract: its terms are sealed).
pub fn perform(global: &GlobalArgs, args: &PerformArgs) -> Result<Outcome> {
    use pactum_core::remind::performance::{self, Record};
    let repo = open_repo(global)?;
    let contract = super::files::read_file(&args.file)?;
    let shown = repo.shown(&args.file);
    let meta = &contract.meta;
    let known: Vec<&str> = meta.obligations.iter().filter_map(|o| o.id.as_deref()).collect();
    let Some(obligation) = meta.obligations.iter().find(|o| o.id.as_deref() == Some(args.obligation.as_str())) else {
        bail!(
            "{shown} has no obligation `{}` ({})",
            args.obligation,
            if known.is_empty() { "it has none".to_owned() } else { format!("it has {}", known.join(", ")) }
        );
    };
    let on = args.on.unwrap_or_else(|| global.today());
    let due = match args.due {
        Some(due) if performance::is_due_day(obligation, due) => due,
        Some(due) => bail!(
            "`{}` is not due on {due}; its due days up to {on}: {}",
            args.obligation,
            performance::last_due_days(obligation, on.max(due), 4)
        ),
        None => performance::due_through(obligation, on)
            .last()
            .map(|(_, day)| *day)
            .with_context(|| format!("`{}` has no due day on or before {on}: name one with --due", args.obligation))?,
    };
    let path = performance::path_for(&args.file);
    let existing = super::files::read_if_present(&path)?;
    let record =
        Record { obligation: args.obligation.clone(), due, on, by: args.by.clone(), evidence: args.evidence.clone() };
    let id = meta.id.clone().unwrap_or_else(|| shown.clone());
    let (text, _) = performance::with_added(existing.as_deref(), &id, std::slice::from_ref(&record))
        .map_err(|why| anyhow::anyhow!("{}: {why}", path.display()))?;
    let Some(text) = text else {
        bail!("`{}` due {due} is recorded already in {}", args.obligation, path.display());
    };
    if args.dry_run {
        print!("{}", &text[existing.as_ref().map_or(0, String::len)..]);
        return Ok(Outcome::Clean);
    }
    super::files::write_whole(&path, text.as_bytes(), None)?;
    let late = if on > due { format!(", {} days late", (on - due).num_days()) } else { String::new() };
    global.say(format_args!("recorded `{}` due {due} as met on {on}{late} in {}\n", args.obligation, path.display()));
    Ok(Outcome::Clean)
}

pub fn execute(global: &GlobalArgs, args: &ExecuteArgs) -> Result<Outcome> {
    use pactum_core::contract::seal::{Execution, Signature};
    let repo = open_repo(global)?;
    let contract = super::files::read_file(&args.file)?;
    let shown = repo.shown(&args.file);
    let mut signatures = Vec::new();
    for text in &args.signatures {
        signatures.push(Signature::parse(text).map_err(|e| anyhow::anyhow!("--signature {text}: {e}"))?);
    }
    if let Some(file) = &args.signatures_file {
        let text = String::from_utf8(super::files::read_input(file)?)
            .with_context(|| format!("{} is not UTF-8 text", file.display()))?;
        signatures.extend(Signature::from_file(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?);
    }
    let how = if args.adopt { Execution::Adopted } else { Execution::Signed };
    let executed = drafting::execute(&Workspace::of(&repo), (&contract, &shown), &signatures, how, global.today())
        .map_err(|error| {
            refused(
                error,
                &format!("the executed contract would not pass `pactum check`, so {shown} was left as it was"),
            )
        })?;
    let text = executed.text;
    let toml = drafting::front_matter(&text).to_owned();
    if args.dry_run {
        emit(global, &toml)?;
        return Ok(Outcome::Clean);
    }
    super::files::replace_file(&args.file, &text)?;
    emit(global, &crate::print::drafting::executed(&shown, executed.signatures, args.adopt))?;
    Ok(Outcome::Clean)
}
