//! `pactum remind`.

use std::collections::HashSet;

use crate::print::remind as report;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use pactum_core::forge::{self as tracker, Endpoint, Kind};
use pactum_core::lifecycle::Duration;
use pactum_core::remind::sync::{self, SyncOptions};
use pactum_core::remind::{self, RemindOptions, Source, ics};

use super::{GlobalArgs, Outcome, emit};

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// List events dated from --as-of through this much later ("90 days", "12 weeks", "30d");
    /// at most 10 years
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    within: Option<Duration>,
    /// Output format
    #[arg(long, value_enum, default_value_t = RemindFormat::Table)]
    format: RemindFormat,
    /// Write the output to this file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<std::path::PathBuf>,
    /// Create, update and close one tracker issue per event
    #[arg(long, value_enum, value_name = "TRACKER")]
    sync: Option<TrackerArg>,
    /// With --sync: show what would change, change nothing
    #[arg(long, requires = "sync")]
    dry_run: bool,
    /// With --sync: record each obligation whose reminder issue a person closed as done as
    /// performed, in the performance file beside its contract (for a pull request to review)
    #[arg(long, requires = "sync", conflicts_with = "dry_run")]
    record: bool,
    /// The tracker's API base URL (default: from the CI's variables, else the public service)
    #[arg(long, value_name = "URL", requires = "sync")]
    api_url: Option<String>,
    /// owner/repo on GitHub and Gitea, the project id or path on GitLab (default: from the CI's variables)
    #[arg(long, value_name = "NAME", requires = "sync")]
    repository: Option<String>,
}

/// The trackers `--sync` writes to, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TrackerArg {
    /// GitHub issues (`GITHUB_TOKEN`)
    Github,
    /// GitLab issues (`GITLAB_TOKEN`, or CI's `CI_JOB_TOKEN`)
    Gitlab,
    /// Gitea or Forgejo issues (`GITEA_TOKEN`)
    Gitea,
}

impl From<TrackerArg> for Kind {
    fn from(tracker: TrackerArg) -> Self {
        match tracker {
            TrackerArg::Github => Self::Github,
            TrackerArg::Gitlab => Self::Gitlab,
            TrackerArg::Gitea => Self::Gitea,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RemindFormat {
    Table,
    Json,
    Markdown,
    Ics,
}

/// A duration as contracts write it, or the short forms `30d`, `12w`, `3m`, `1y`.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let short = text.trim();
    if let Some(unit) = short.chars().last().filter(|c| "dwmy".contains(*c))
        && let Ok(count) = short[..short.len() - 1].parse::<u32>()
    {
        let unit = match unit {
            'd' => "days",
            'w' => "weeks",
            'm' => "months",
            _ => "years",
        };
        return format!("{count} {unit}").parse().map_err(|e: pactum_core::lifecycle::DurationError| e.to_string());
    }
    text.parse().map_err(|e: pactum_core::lifecycle::DurationError| e.to_string())
}

/// The tracker to sync to, from the options and each CI's own variables.
fn endpoint(kind: Kind, args: &RemindArgs) -> Result<(Endpoint, String)> {
    let flag = match kind {
        Kind::Github => "--sync github",
        Kind::Gitlab => "--sync gitlab",
        Kind::Gitea => "--sync gitea",
    };
    super::forge(kind, flag, (args.api_url.as_ref(), args.repository.as_ref()), "--repository", kind.token_variables())
}

pub fn run(global: &GlobalArgs, args: &RemindArgs) -> Result<Outcome> {
    let repo = super::repository(global, "use --repo DIR")?;
    let config = &repo.config;
    let as_of = global.today();
    let options = pactum_core::workspace::Workspace::of(&repo).remind_options(as_of, args.within)?;
    let started = std::time::Instant::now();
    let read = remind::read(&repo)?;
    if !read.unreadable.is_empty() {
        global.warn(format_args!(
            "{} could not be read and {} no reminders (`pactum check` says why):\n  {}",
            pactum_core::text::count(read.unreadable.len(), "contract"),
            if read.unreadable.len() == 1 { "has" } else { "have" },
            read.unreadable.join("\n  ")
        ));
    }
    global.log(format_args!("read the front matter of {} contracts", read.contracts.len()));
    let keep = &read.keep;
    let sources = read.sources();
    let events = remind::events(&sources, &options);
    global.log(format_args!("computed {} events in {:.1?}", events.len(), started.elapsed()));
    if let Some(kind) = args.sync {
        let input = SyncInput { root: &repo.root, sources: &sources, options: &options, events: &events, config, keep };
        let outcome = sync_to(global, args, kind.into(), &input)?;
        // A contract that could not be read has no reminders this run: that is a failure.
        return Ok(if keep.is_empty() { outcome } else { Outcome::Findings });
    }
    let none = report::nothing_due(read.contracts.len(), read.executed(), &options.within);
    let text = match args.format {
        RemindFormat::Table => report::table(as_of, &events, &none),
        RemindFormat::Json => report::json(as_of, &events),
        RemindFormat::Markdown => report::markdown(as_of, &events, &none),
        RemindFormat::Ics => ics::calendar(&events, as_of, &options.calendar.holidays),
    };
    super::deliver(global, args.output.as_deref(), &text, args.format == RemindFormat::Table)?;
    Ok(Outcome::Clean)
}

/// What a sync works from: the contracts read, their events, and the contracts that could not be
/// read, whose issues are kept as they are.
struct SyncInput<'a> {
    /// The contracts repository's root, where performance files are written.
    root: &'a std::path::Path,
    sources: &'a [Source<'a>],
    options: &'a RemindOptions,
    events: &'a [remind::Event],
    config: &'a pactum_core::repo::Config,
    keep: &'a HashSet<String>,
}

fn sync_to(global: &GlobalArgs, args: &RemindArgs, kind: Kind, input: &SyncInput<'_>) -> Result<Outcome> {
    let SyncInput { sources, options, events, config, keep, .. } = *input;
    let (endpoint, token) = endpoint(kind, args)?;
    // Events beyond the window still apply: their open issues stay open.
    let still_applies = remind::still_applying(sources, options);
    let sync_options = SyncOptions { labels: config.remind.labels.clone() };
    let mut tracker = tracker::open(&endpoint, token, super::http_limits()?);
    let text = if args.dry_run {
        let label = sync_options.labels.first().map_or("contract-reminder", String::as_str);
        let existing = tracker.list(label).with_context(|| format!("listing issues of {}", endpoint.repository))?;
        let plan = sync::plan(events, &still_applies, keep, &existing, &sync_options);
        match args.format {
            RemindFormat::Json => report::plan_json(options.as_of, &plan),
            _ => report::plan_human(&endpoint.repository, &endpoint.api_url, &plan),
        }
    } else {
        let mut done = sync::sync(tracker.as_mut(), events, &still_applies, keep, &sync_options)
            .with_context(|| format!("syncing reminders to {}", endpoint.repository))?;
        // Requests whose contract was executed lately (within `[remind] overdue`) are told so.
        let since = options.overdue.before(options.as_of, &options.calendar.holidays).unwrap_or(options.as_of);
        done.announced = sync::announce_executed(tracker.as_mut(), sources, &endpoint.repository, since)
            .with_context(|| format!("telling requests on {} of their executed contracts", endpoint.repository))?;
        done.requests = tracker.requests();
        if args.record {
            record_done(global, input, &done.done)?;
        }
        match args.format {
            RemindFormat::Json => report::sync_json(options.as_of, &done),
            _ => report::sync_human(events.len(), &endpoint.repository, &done),
        }
    };
    global.log(format_args!(
        "{} requests to {}",
        tracker.requests(),
        pactum_core::text::redact_userinfo(&endpoint.api_url)
    ));
    emit(global, &text)?;
    Ok(Outcome::Clean)
}

/// Record as performed each obligation occurrence whose reminder issue was closed as done, in
/// the performance file beside its contract, unless recorded already. Files are written whole
/// or not at all.
fn record_done(global: &GlobalArgs, input: &SyncInput<'_>, done: &[sync::Done]) -> Result<()> {
    use pactum_core::remind::performance;
    let root = input.root;
    let mut by_file: std::collections::BTreeMap<String, Vec<performance::Record>> = std::collections::BTreeMap::new();
    for item in done {
        let Some((path, record)) = performance::from_done(item, input.sources, input.options.as_of) else {
            global.warn(format_args!(
                "issue #{} was closed as done, but `{}` names no obligation of a contract read: not recorded",
                item.issue, item.key
            ));
            continue;
        };
        by_file.entry(path).or_default().push(record);
    }
    let mut recorded = Vec::new();
    for (contract, records) in by_file {
        let path = performance::path_for(&root.join(&contract));
        let existing = super::files::read_if_present(&path)?;
        let id = input
            .sources
            .iter()
            .find(|s| s.path == contract)
            .and_then(|s| s.meta.id.clone())
            .unwrap_or_else(|| contract.clone());
        match performance::with_added(existing.as_deref(), &id, &records) {
            Ok((Some(text), added)) => {
                super::files::write_whole(&path, text.as_bytes(), None)?;
                recorded.extend(added.iter().map(|record| {
                    format!("{contract}: `{}` due {} met on {}", record.obligation, record.due, record.on)
                }));
            }
            Ok((None, _)) => {}
            Err(why) => global.warn(format_args!("{} cannot be read ({why}): nothing recorded in it", path.display())),
        }
    }
    if !recorded.is_empty() {
        global.say(format_args!(
            "recorded {} from reminder issues closed as done:\n  {}\n",
            pactum_core::text::count(recorded.len(), "performance"),
            recorded.join("\n  ")
        ));
    }
    Ok(())
}
