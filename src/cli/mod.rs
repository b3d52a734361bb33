//! Command-line definitions and the commands: the only code that writes output.

mod check;
mod diff;
mod draft;
mod exchange;
mod files;
mod history;
mod inspect;
mod lsp;
mod remind;
mod report;
mod schema;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Contracts kept as code: validate, review and track contracts in a Git repository.
#[derive(Debug, Parser)]
#[command(name = "pactum", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Examples:\n  pactum check                   check every contract of the repository\n  pactum check example-repo      check the repository in example-repo/\n  pactum inspect contracts/acme/msa.md --format json"
)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The contracts repository (default: found from the current directory)
    #[arg(long, global = true, value_name = "DIR")]
    repo: Option<PathBuf>,
    /// When to use colour
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,
    /// Take "today" to be this date (YYYY-MM-DD) in every date computation
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_day)]
    as_of: Option<NaiveDate>,
    /// Print less: no summary lines
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more on standard error: what was read, how long it took
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate front matter against the schemas, lint the bodies, check the repository
    #[command(
        after_help = "Examples:\n  pactum check\n  pactum check contracts/acme --format github\n  pactum check --format sarif > pactum.sarif\n  pactum check --deny warnings"
    )]
    Check(check::CheckArgs),
    /// Clause-level redline between two revisions, or two files
    #[command(
        after_help = "Examples:\n  pactum diff                         what this branch changes, uncommitted edits included\n  pactum diff main...feature\n  pactum diff v1.0 v2.0 -- contracts/acme\n  pactum diff --files old.md new.md --format html -o redline.html"
    )]
    Diff(diff::DiffArgs),
    /// The approval ledger: each landing on the main branch that changed a contract
    #[command(
        after_help = "Examples:\n  pactum approvals\n  pactum approvals contracts/acme/msa.md --format json\n  GITHUB_TOKEN=… pactum approvals --github"
    )]
    Approvals(history::ApprovalsArgs),
    /// Which approvals the pending change needs under pactum.toml's policies, and whether it has them
    #[command(
        after_help = "Examples:\n  pactum policy --approver @alice --approver @carol\n  pactum policy --github            (in a pull_request workflow)"
    )]
    Policy(history::PolicyArgs),
    /// The CODEOWNERS entries the policies imply, so that the forge asks the approvers they require
    #[command(
        after_help = "Examples:\n  pactum codeowners\n  pactum codeowners --write\n  pactum codeowners --format json"
    )]
    Codeowners(history::CodeownersArgs),
    /// One contract's life from Git: created, revised, status changes, signatures, amendments
    #[command(after_help = "Examples:\n  pactum log acme-msa-2025\n  pactum log contracts/acme/msa.md --format json")]
    Log(history::LogArgs),
    /// Check the main branch: no direct pushes, policies met, executed contracts unchanged
    #[command(after_help = "Examples:\n  pactum audit\n  pactum audit --format json")]
    Audit(history::AuditArgs),
    /// Scaffold a contracts repository: configuration, schemas, templates, clauses, workflows
    #[command(after_help = "Examples:\n  pactum init contracts-repo")]
    Init(draft::InitArgs),
    /// Draft a contract from a template and the clause library
    #[command(
        after_help = "Examples:\n  pactum new --list\n  pactum new nda --describe\n  pactum new nda --id acme-nda --set counterparty=\"Acme Inc.\"\n  pactum new nda --id acme-nda --values acme.toml"
    )]
    New(draft::NewArgs),
    /// A printable HTML rendition for signing
    #[command(after_help = "Examples:\n  pactum render contracts/acme-nda.md -o acme-nda.html")]
    Render(draft::RenderArgs),
    /// A Word document of a contract for a counterparty: Word numbering, cover page, signature blocks
    #[command(after_help = "Examples:\n  pactum export contracts/acme/msa.md -o msa.docx")]
    Export(exchange::ExportArgs),
    /// A counterparty's Word copy into the contract as a proposal, or a Word agreement adopted
    #[command(
        after_help = "Examples:\n  pactum import returned.docx --into contracts/acme/msa.md --comments review.md\n  pactum import agreement.docx --new contracts/acme/msa.md"
    )]
    Import(exchange::ImportArgs),
    /// Record the signatures, set the status to executed and seal the body
    #[command(
        after_help = "Examples:\n  pactum execute contracts/acme-nda.md --signature 'party=\"Acme, Inc.\",name=Jane Doe,title=CEO,date=2025-01-02' --signature 'party=Our Company AS,name=Ola,title=CEO,date=2025-01-02'"
    )]
    Execute(draft::ExecuteArgs),
    /// Record that an occurrence of an obligation was met: when, by whom, with what evidence
    #[command(
        after_help = "Examples:\n  pactum perform contracts/acme/msa.md uptime-report --by @ops-bob --evidence https://tracker.example/acme/12\n  pactum perform contracts/acme/msa.md uptime-report --due 2026-01-31 --on 2026-02-02"
    )]
    Perform(draft::PerformArgs),
    /// Show what pactum read from one contract: metadata, clauses, terms, references, dates
    #[command(
        after_help = "Examples:\n  pactum inspect contracts/acme/msa.md\n  pactum inspect agreement.md --format json --as-of 2026-01-01"
    )]
    Inspect(inspect::InspectArgs),
    /// The portfolio: counts, values, what renews soon, what needs attention, cycle times
    #[command(
        after_help = "Examples:\n  pactum report\n  pactum report --format csv -o contracts.csv\n  pactum report --format html -o portfolio.html"
    )]
    Report(report::ReportArgs),
    /// Upcoming notice deadlines, renewals, expiries and obligations; calendar and tracker issues
    #[command(
        after_help = "Examples:\n  pactum remind --within 60d\n  pactum remind --format ics -o reminders.ics\n  GITHUB_TOKEN=… pactum remind --sync github --repository acme/contracts --dry-run"
    )]
    Remind(remind::RemindArgs),
    /// The JSON Schemas pactum publishes: contract types, pactum.toml, the JSON outputs
    #[command(after_help = "Examples:\n  pactum schema export .schemas")]
    Schema(schema::SchemaArgs),
    /// Shell completions: bash, zsh, fish, PowerShell or elvish
    #[command(
        after_help = "Examples:\n  pactum completions bash > ~/.local/share/bash-completion/completions/pactum\n  pactum completions zsh > ~/.zfunc/_pactum\n  pactum completions fish > ~/.config/fish/completions/pactum.fish"
    )]
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// A language server for editors, over standard input and output: findings as you type,
    /// hover, go to definition, references, completion, rename, outline, quick fixes
    #[command(
        after_help = "Examples:\n  pactum lsp                     started by the editor, which speaks to it over stdin/stdout\n  pactum lsp --repo ~/contracts  every document read as a file of that repository\n\nEditor set-up: docs/editors.md"
    )]
    Lsp(lsp::LspArgs),
    /// The manual page, in roff
    #[command(after_help = "Examples:\n  pactum man > pactum.1 && man ./pactum.1")]
    Man,
}

/// The completion script for `shell`.
fn completions(shell: clap_complete::Shell) -> Result<Outcome> {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "pactum", &mut script);
    emit_raw(&String::from_utf8_lossy(&script))?;
    Ok(Outcome::Clean)
}

/// The environment variables pactum reads, for the manual page's ENVIRONMENT section.
const ENVIRONMENT: &[(&str, &str)] = &[
    ("NO_COLOR", "Any non-empty value turns colour off (no-color.org)."),
    ("CLICOLOR_FORCE, FORCE_COLOR", "A value other than empty or 0 turns colour on, also through a pipe."),
    ("CLICOLOR", "0 turns colour off."),
    ("TERM", "dumb turns colour off."),
    ("GITHUB_TOKEN", "The token for --github and --sync github (and for Gitea when GITEA_TOKEN is not set)."),
    ("GITHUB_API_URL, GITHUB_REPOSITORY", "GitHub's API and the repository, as GitHub Actions sets them."),
    ("GITHUB_REF", "The pull request policy judges in a GitHub Actions run."),
    ("GITLAB_TOKEN, CI_JOB_TOKEN", "The token for --gitlab and --sync gitlab."),
    ("CI_API_V4_URL, CI_PROJECT_ID", "GitLab's API and the project, as GitLab CI sets them."),
    ("GITEA_TOKEN, GITEA_API_URL, GITEA_REPOSITORY", "The token, API and repository for --sync gitea."),
    ("GIT_AUTHOR_NAME", "The author of a Word redline of files outside Git."),
    ("SSL_CERT_FILE, SSL_CERT_DIR", "Certificate authorities to trust instead of the system's, as OpenSSL reads them."),
    (
        "PACTUM_HTTP_RETRIES, PACTUM_HTTP_BACKOFF_MS",
        "How often a tracker request is retried (4), and the first wait (500 ms).",
    ),
];

/// The manual page of pactum: what clap knows of the commands, then the commands (each
/// explained by `pactum COMMAND --help`: there is one page), the exit status and the
/// environment.
fn man() -> Result<Outcome> {
    let command = <Cli as clap::CommandFactory>::command();
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    let rendered = (|| -> io::Result<()> {
        man.render_title(&mut page)?;
        man.render_name_section(&mut page)?;
        man.render_synopsis_section(&mut page)?;
        man.render_description_section(&mut page)?;
        man.render_options_section(&mut page)?;
        let roff = |text: &str| text.replace('\\', "\\e").replace('-', "\\-").replace('\'', "\\(aq");
        let mut extra = String::from(".SH COMMANDS\n");
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
            let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
            extra.push_str(&format!(".TP\n\\fBpactum {}\\fR\n{}\n", roff(sub.get_name()), roff(&about)));
        }
        extra
            .push_str(".PP\nEach command's options and examples: \\fBpactum\\fR \\fIcommand\\fR \\fB\\-\\-help\\fR.\n");
        extra.push_str(
            ".SH \"EXIT STATUS\"\n.TP\n0\nNothing wrong.\n.TP\n1\nFindings at error level (or warnings with \\fB\\-\\-deny warnings\\fR), an unmet policy (\\fBpolicy\\fR), audit findings (\\fBaudit\\fR), changes not imported (\\fBimport\\fR), a contract changed (\\fBdiff \\-\\-exit\\-code\\fR).\n.TP\n2\nA usage, configuration or internal error; nothing was written.\n",
        );
        extra.push_str(".SH ENVIRONMENT\n");
        for (name, what) in ENVIRONMENT {
            extra.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(name), roff(what)));
        }
        if let Some(examples) = command.get_after_help().map(ToString::to_string) {
            extra.push_str(".SH EXAMPLES\n.nf\n");
            for line in examples.lines().filter(|l| l.trim() != "Examples:") {
                extra.push_str(&roff(line.strip_prefix("  ").unwrap_or(line)));
                extra.push('\n');
            }
            extra.push_str(".fi\n");
        }
        page.extend_from_slice(extra.as_bytes());
        man.render_version_section(&mut page)
    })();
    rendered.context("writing the manual page")?;
    emit_raw(&String::from_utf8_lossy(&page))?;
    Ok(Outcome::Clean)
}

impl GlobalArgs {
    /// "Today": `--as-of`, else the local date. The one place pactum reads the clock.
    fn today(&self) -> NaiveDate {
        self.as_of.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    fn color_choice(&self) -> anstream::ColorChoice {
        if self.wants_color() { anstream::ColorChoice::Always } else { anstream::ColorChoice::Never }
    }

    /// Whether standard output gets colour, decided in this one place (`color_wanted`).
    fn wants_color(&self) -> bool {
        color_wanted(self.color, |name| std::env::var_os(name), || std::io::IsTerminal::is_terminal(&io::stdout()))
    }

    /// A warning on standard error, whatever the verbosity.
    fn warn(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            let mut stderr = anstream::stderr();
            let _ = writeln!(stderr, "warning: {message}");
        }
    }

    /// A command's summary on standard error, unless `--quiet`. A reader that stopped reading
    /// (`pactum import … 2>&1 | head -1`) is no failure: the rest is dropped.
    fn say(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            let mut stderr = anstream::stderr();
            let _ = write!(stderr, "{message}");
        }
    }

    fn log(&self, message: impl std::fmt::Display) {
        if self.verbose {
            let mut stderr = anstream::stderr();
            let _ = writeln!(stderr, "{message}");
        }
    }
}

/// The contracts repository a command works on: `--repo`, else found from the current
/// directory. `hint` says what to do outside one.
fn repository(global: &GlobalArgs, hint: &str) -> Result<pactum_core::repo::Repo> {
    Ok(match &global.repo {
        Some(dir) => pactum_core::repo::Repo::open(dir)?,
        None => pactum_core::repo::Repo::discover(std::path::Path::new("."))?.with_context(|| {
            format!("not inside a contracts repository (no pactum.toml or Git repository here or above); {hint}")
        })?,
    })
}

/// What a command decided: the exit status it asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
}

/// A date given on the command line: `YYYY-MM-DD`, with an error that says what is expected and,
/// for a day-first date written with dots (`07.12.2026`), what was probably meant.
pub(crate) fn parse_day(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    let digits = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = text.split('-').collect();
    if let [year, month, day] = parts[..]
        && digits(year, 4)
        && digits(month, 2)
        && digits(day, 2)
    {
        return NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            format!("{text} is not a day of the calendar (a month 01 to 12, a day the month has); write YYYY-MM-DD")
        });
    }
    let dotted: Vec<&str> = text.split('.').collect();
    let meant = match dotted[..] {
        [day, month, year] if digits(year, 4) && (1..=2).contains(&day.len()) && (1..=2).contains(&month.len()) => {
            format!("{year}-{month:0>2}-{day:0>2}")
        }
        _ => String::new(),
    };
    if !meant.is_empty() && NaiveDate::parse_from_str(&meant, "%Y-%m-%d").is_ok() {
        return Err(format!("write the date as YYYY-MM-DD: {meant} (day {}, month {})", dotted[0], dotted[1]));
    }
    Err("write the date as YYYY-MM-DD, for example 2026-03-31".to_owned())
}

/// Whether output gets colour: `--color always|never`, else the conventions in their order of
/// precedence: `NO_COLOR` of any non-empty value (no-color.org) is off; `CLICOLOR_FORCE` or
/// `FORCE_COLOR` other than empty or `0` is on, also through a pipe, as CI logs want;
/// `CLICOLOR=0` or `TERM=dumb` is off; else whether the output is a terminal.
fn color_wanted(
    when: ColorWhen,
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
    terminal: impl FnOnce() -> bool,
) -> bool {
    let value = |name: &str| var(name).filter(|v| !v.is_empty());
    let on = |name: &str| value(name).is_some_and(|v| v != "0");
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if value("NO_COLOR").is_some() => false,
        ColorWhen::Auto if on("CLICOLOR_FORCE") || on("FORCE_COLOR") => true,
        ColorWhen::Auto
            if value("CLICOLOR").is_some_and(|v| v == "0") || value("TERM").is_some_and(|v| v == "dumb") =>
        {
            false
        }
        ColorWhen::Auto => terminal(),
    }
}

/// The repository `file` is in, if any.
fn repo_of(file: &std::path::Path) -> Result<Option<pactum_core::repo::Repo>> {
    let folder = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => std::path::Path::new("."),
    };
    Ok(pactum_core::repo::Repo::discover(folder)?)
}

/// The language pages about `file` are written in: `[repository] language` of the repository
/// it is in, else of the one `other` is in (a file compared with it), else English.
fn language_of(file: &std::path::Path, other: &std::path::Path) -> Result<String> {
    let repo = match repo_of(file)? {
        Some(repo) => Some(repo),
        None => repo_of(other)?,
    };
    Ok(repo.map_or_else(|| "en".to_owned(), |repo| repo.config.repository.language))
}

/// Write `text` to standard output, styled as `choice` allows.
fn emit(global: &GlobalArgs, text: &str) -> Result<()> {
    let mut stdout = anstream::AutoStream::new(io::stdout().lock(), global.color_choice());
    let written = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
    reader_left(written).context("writing to standard output")
}

/// Deliver a command's output, the one way every command does: to the file `-o` names, to
/// standard output for `-o -` or no `-o`; `styled` text (a terminal table) goes through the
/// colour handling, the rest as is.
fn deliver(global: &GlobalArgs, output: Option<&std::path::Path>, text: &str, styled: bool) -> Result<()> {
    match output {
        Some(path) if path != std::path::Path::new("-") => {
            // A file gets no colour: styled text is written as plain text.
            let plain = if styled { anstream::adapter::strip_str(text).to_string() } else { text.to_owned() };
            std::fs::write(path, plain).with_context(|| format!("writing {}", path.display()))
        }
        _ if styled => emit(global, text),
        _ => emit_raw(text),
    }
}

/// Write machine-readable `text` to standard output as is: no colour handling to scan it.
fn emit_raw(text: &str) -> Result<()> {
    let mut stdout = io::stdout().lock();
    let written = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
    reader_left(written).context("writing to standard output")
}

/// A reader that stopped reading (`pactum check | head -1`) is no failure of pactum's: the
/// command goes on and exits as its result says (1 for findings), as `pipefail` expects.
fn reader_left(written: io::Result<()>) -> io::Result<()> {
    match written {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| cause.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe))
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Check(args) => check::run(&cli.global, args),
        Command::Inspect(args) => inspect::run(&cli.global, args),
        Command::Diff(args) => diff::run(&cli.global, args),
        Command::Init(args) => draft::init(&cli.global, args),
        Command::New(args) => draft::new(&cli.global, args),
        Command::Render(args) => draft::render(&cli.global, args),
        Command::Export(args) => exchange::export(&cli.global, args),
        Command::Import(args) => exchange::import(&cli.global, args),
        Command::Execute(args) => draft::execute(&cli.global, args),
        Command::Perform(args) => draft::perform(&cli.global, args),
        Command::Approvals(args) => history::approvals(&cli.global, args),
        Command::Policy(args) => history::policy(&cli.global, args),
        Command::Codeowners(args) => history::codeowners(&cli.global, args),
        Command::Log(args) => history::log(&cli.global, args),
        Command::Audit(args) => history::audit(&cli.global, args),
        Command::Remind(args) => remind::run(&cli.global, args),
        Command::Report(args) => report::run(&cli.global, args),
        Command::Schema(args) => schema::run(&cli.global, args),
        Command::Completions { shell } => completions(*shell),
        Command::Lsp(args) => lsp::run(&cli.global, args),
        Command::Man => man(),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let mut stderr = anstream::stderr();
            let _ = writeln!(stderr, "error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// A forge's API, repository and token, resolved the one way every command does: the options
/// given, else the CI's own variables (`GITHUB_API_URL`, `CI_PROJECT_ID`, …), else the public
/// service; the token from the first of `tokens` that is set. `flag` and `repository_option`
/// name what to give in the errors.
fn forge(
    kind: pactum_core::forge::Kind,
    flag: &str,
    (api_url, repository): (Option<&String>, Option<&String>),
    repository_option: &str,
    tokens: &[&str],
) -> Result<(pactum_core::forge::Endpoint, String)> {
    use pactum_core::forge::Kind;
    let (api_default, api_vars, repo_vars): (&str, &[&str], &[&str]) = match kind {
        Kind::Github => ("https://api.github.com", &["GITHUB_API_URL"], &["GITHUB_REPOSITORY"]),
        Kind::Gitlab => ("https://gitlab.com/api/v4", &["CI_API_V4_URL"], &["CI_PROJECT_ID"]),
        Kind::Gitea => ("", &["GITEA_API_URL", "GITHUB_API_URL"], &["GITEA_REPOSITORY", "GITHUB_REPOSITORY"]),
    };
    let api_url = api_url
        .cloned()
        .or_else(|| api_vars.iter().find_map(|v| env(v)))
        .or_else(|| (!api_default.is_empty()).then(|| api_default.to_owned()));
    let Some(api_url) = api_url else {
        anyhow::bail!("{flag} needs the API URL: --api-url https://gitea.example/api/v1 or {}", api_vars.join(" or "))
    };
    let Some(repository) = repository.cloned().or_else(|| repo_vars.iter().find_map(|v| env(v))) else {
        anyhow::bail!("{flag} needs the repository: {repository_option}, or {}", repo_vars.join(" or "));
    };
    let Some(token) = tokens.iter().find_map(|v| env(v)) else {
        anyhow::bail!("{flag} needs a token in {}", tokens.join(" or "));
    };
    Ok((pactum_core::forge::Endpoint { kind, api_url, repository }, token))
}

/// An environment variable's value, unless it is unset or blank (CI services set empty ones).
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// How hard pactum tries a forge: the defaults, or what `PACTUM_HTTP_RETRIES` (retries of one
/// request) and `PACTUM_HTTP_BACKOFF_MS` (the first wait between them, doubling each time)
/// say, for a server that needs more patience, or less.
fn http_limits() -> Result<pactum_core::forge::http::Limits> {
    let mut limits = pactum_core::forge::http::Limits::default();
    let read = |name: &str| -> Result<Option<u64>> {
        match std::env::var(name) {
            Ok(value) if !value.trim().is_empty() => {
                value.trim().parse().map(Some).with_context(|| format!("{name}={value:?} is not a whole number"))
            }
            _ => Ok(None),
        }
    };
    if let Some(retries) = read("PACTUM_HTTP_RETRIES")? {
        limits.retries = u32::try_from(retries).unwrap_or(u32::MAX).min(20);
    }
    if let Some(millis) = read("PACTUM_HTTP_BACKOFF_MS")? {
        limits.backoff = std::time::Duration::from_millis(millis.min(60_000));
    }
    Ok(limits)
}

#[cfg(test)]
mod tests {
    use super::{ColorWhen, color_wanted};

    fn wanted(vars: &[(&str, &str)], terminal: bool) -> bool {
        color_wanted(
            ColorWhen::Auto,
            |name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).into()),
            || terminal,
        )
    }

    #[test]
    fn dates_say_what_is_expected() {
        use super::parse_day;
        assert_eq!(parse_day("2026-12-07").unwrap().to_string(), "2026-12-07");
        assert!(parse_day("2026-13-01").unwrap_err().contains("a month 01 to 12"));
        assert!(parse_day("2026-02-30").unwrap_err().contains("a day the month has"));
        assert_eq!(parse_day("07.12.2026").unwrap_err(), "write the date as YYYY-MM-DD: 2026-12-07 (day 07, month 12)");
        assert!(parse_day("7.13.2026").unwrap_err().ends_with("for example 2026-03-31"), "no such day: no guess");
        assert!(parse_day("12/07/2026").unwrap_err().starts_with("write the date as YYYY-MM-DD"));
        assert!(parse_day("2026-1-7").unwrap_err().starts_with("write the date as YYYY-MM-DD"));
    }

    #[test]
    fn colour_follows_the_conventions_in_order() {
        assert!(wanted(&[], true));
        assert!(!wanted(&[], false));
        for value in ["1", "0", "false", "yes"] {
            assert!(!wanted(&[("NO_COLOR", value)], true), "NO_COLOR={value}");
            assert!(!wanted(&[("NO_COLOR", value), ("CLICOLOR_FORCE", "1")], true), "NO_COLOR={value} wins");
        }
        assert!(wanted(&[("NO_COLOR", "")], true), "an empty NO_COLOR is unset");
        assert!(!wanted(&[("CLICOLOR", "0")], true));
        assert!(wanted(&[("CLICOLOR", "1")], true));
        assert!(!wanted(&[("TERM", "dumb")], true));
        assert!(wanted(&[("TERM", "dumb"), ("CLICOLOR_FORCE", "1")], false), "forced, also through a pipe");
        assert!(wanted(&[("FORCE_COLOR", "1")], false));
        assert!(!wanted(&[("FORCE_COLOR", "0")], false));
        assert!(color_wanted(ColorWhen::Always, |_| Some("1".into()), || false));
        assert!(!color_wanted(ColorWhen::Never, |_| None, || true));
    }
}
