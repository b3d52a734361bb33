//! `pactum.toml`: every key is optional and has a default.
//!
//! Read strictly: a misspelt key or table is an error that names the nearest known one, never
//! silently ignored, so that a policy under `[[policy]]` cannot stop applying unseen. Settings
//! of other tools go under `[tool.<name>]`, which pactum leaves alone.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use super::SettingError;
use crate::findings::{Level, LintConfig, rule_for};
use crate::lifecycle::{Calendar, Duration};

/// Why `pactum.toml` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    /// The file is not valid TOML or has a wrong key or value.
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// The top-level keys of `pactum.toml`: the tables below, and `tool` for other tools.
const TABLES: &[&str] = &[
    "repository",
    "check",
    "lint",
    "calendar",
    "lifecycle",
    "remind",
    "diff",
    "report",
    "groups",
    "policies",
    "execution",
    "governance",
    "audit",
    "word",
    "tool",
];

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Config {
    pub repository: RepositoryConfig,
    pub check: CheckConfig,
    /// Rule code → level: `"term/unused" = "off"`.
    pub lint: BTreeMap<String, Level>,
    pub calendar: CalendarConfig,
    pub lifecycle: LifecycleConfig,
    pub remind: RemindConfig,
    pub diff: DiffConfig,
    pub report: ReportConfig,
    /// Named groups of people, for approval policies: `legal = ["@alice", "@bea"]`.
    pub groups: BTreeMap<String, Vec<String>>,
    /// Who must approve what.
    pub policies: Vec<super::policies::PolicyConfig>,
    /// What `pactum execute` seals.
    pub execution: ExecutionConfig,
    /// Who approves changes to the rules themselves.
    pub governance: super::policies::GovernanceConfig,
    /// Where `pactum audit` starts reading the record.
    pub audit: AuditConfig,
    /// What Word files for a counterparty show.
    pub word: WordConfig,
    /// `[tool.<name>]`: settings of other tools, left alone.
    pub tool: BTreeMap<String, toml::Value>,
    /// The values the sections above hold as text, read once when the file is read.
    #[serde(skip)]
    pub settings: Settings,
}

/// What `pactum.toml` says, read: dates as dates, durations as durations. [`Config::parse`]
/// reads them once, so a command uses them as they are and a mistake is an error of reading
/// the file, naming its key.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `[calendar] holidays`.
    pub calendar: Calendar,
    /// `[lifecycle] expiring_within`.
    pub expiring_within: Duration,
    /// `[remind] within`.
    pub(crate) remind_within: Duration,
    /// `[remind] overdue`.
    pub(crate) remind_overdue: Duration,
    /// `[remind.lead_times]`, per event kind.
    pub lead_times: Vec<(crate::lifecycle::EventKind, Vec<Duration>)>,
}

impl Settings {
    /// Read the sections that hold text for dates and durations.
    ///
    /// # Errors
    /// A message naming the key and what is wrong with its value.
    pub fn read(
        calendar: &CalendarConfig,
        lifecycle: &LifecycleConfig,
        remind: &RemindConfig,
    ) -> Result<Self, SettingError> {
        let duration = |key: &str, text: &str| text.parse::<Duration>().map_err(|e| SettingError::invalid(key, e));
        Ok(Self {
            calendar: calendar.read()?,
            expiring_within: duration("[lifecycle] expiring_within", &lifecycle.expiring_within)?,
            remind_within: duration("[remind] within", &remind.within)?,
            remind_overdue: duration("[remind] overdue", &remind.overdue)?,
            lead_times: remind.lead_times()?,
        })
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self::read(&CalendarConfig::default(), &LifecycleConfig::default(), &RemindConfig::default())
            .expect("the defaults read")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RepositoryConfig {
    /// The branch whose history is the approval record.
    pub main_branch: String,
    /// The folder of contracts, relative to the root.
    pub contracts: String,
    /// Files under the contracts folder that are not contracts, as `.gitignore` patterns
    /// relative to the repository root: `["contracts/archive/", "*.draft.md"]`. Nothing else
    /// hides a file from pactum, and `check` names what these skipped.
    pub exclude: Vec<String>,
    /// The language the contracts are written in, as a BCP 47 tag (`en`, `en-GB`, `nb`): the
    /// `lang` of the pages pactum writes, which screen readers and hyphenation follow.
    pub language: String,
}

impl Default for RepositoryConfig {
    fn default() -> Self {
        Self {
            main_branch: "main".to_owned(),
            contracts: "contracts".to_owned(),
            exclude: Vec::new(),
            language: "en".to_owned(),
        }
    }
}

/// Whether `tag` has the shape of a BCP 47 language tag: a primary language of 2 to 3 letters
/// (or 5 to 8), then subtags of 1 to 8 letters or digits, joined by hyphens.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    matches!(primary.len(), 2 | 3 | 5..=8)
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// Files larger than this many bytes are reported and not read.
    pub max_file_size: u64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        Self { max_file_size: 10 * 1024 * 1024 }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarConfig {
    /// Days that are not business days besides weekends.
    pub holidays: Vec<toml::value::Datetime>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LifecycleConfig {
    /// A contract that will not renew is "expiring" when it ends within this long.
    pub expiring_within: String,
}

impl Default for LifecycleConfig {
    fn default() -> Self {
        Self { expiring_within: "90 days".to_owned() }
    }
}

/// `[execution]`: what the seal of an executed contract leaves out.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExecutionConfig {
    /// Front-matter fields that may change after signature besides `owner`, `status` (to
    /// terminated or superseded), `terminated_on` and `renewal.notice_given`: `["tags"]`, or
    /// dotted for a field inside a table, `["value.po_number"]`.
    pub operational: Vec<String>,
    /// Whether an executed contract without a seal is an error (else a warning): `init` sets
    /// it, so that every agreement signed is sealed, adopted ones through `execute --adopt`.
    pub require_seal: bool,
}

/// `[audit]`: where the record starts, for a repository that adopted pactum after its history
/// began (its first contracts arrived by a direct push).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditConfig {
    /// A commit of the main branch (landings after it are audited) or a date `YYYY-MM-DD`.
    pub since: Option<String>,
}

/// `[word]`: what the Word files pactum writes for a counterparty (`export`, a redline) show.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WordConfig {
    /// The key terms the cover page shows, in this order. Default: effective date, term,
    /// renewal, value and governing law; the contract's id, type, status and owner are the
    /// team's own and shown only when named here.
    pub cover: Vec<crate::contract::KeyTerm>,
}

impl Default for WordConfig {
    fn default() -> Self {
        Self { cover: crate::contract::KeyTerm::COUNTERPARTY.to_vec() }
    }
}

/// `[report]`: how the portfolio is summed up.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportConfig {
    /// Our own names among the parties; the rest are counterparties. Default: the party on
    /// most contracts.
    pub our_names: Vec<String>,
}

/// `[diff]`: what counts as a material change, flagged at the top of a redline.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiffConfig {
    /// Front-matter pointers whose changes are material (prefixes): `["/value", "/term"]`.
    pub(crate) material_fields: Option<Vec<String>>,
    /// Words that make a clause material when its heading or id contains them.
    pub(crate) material_clauses: Option<Vec<String>>,
}

/// `[remind]`: which events are listed, their lead times, and the tracker issues' labels.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RemindConfig {
    /// Events dated today through today + `within` are listed (`--within` overrides).
    pub within: String,
    /// Obligations due this long ago are still listed, as overdue.
    pub overdue: String,
    /// Labels of reminder issues; the first identifies pactum's issues.
    pub labels: Vec<String>,
    /// Lead times per event kind: `notice-deadline = ["60 days", "30 days", "7 days"]`.
    pub lead_times: BTreeMap<String, Vec<String>>,
}

impl Default for RemindConfig {
    fn default() -> Self {
        let leads = |l: &[&str]| l.iter().map(|d| (*d).to_owned()).collect::<Vec<_>>();
        Self {
            within: "90 days".to_owned(),
            overdue: "30 days".to_owned(),
            labels: vec!["contract-reminder".to_owned()],
            lead_times: BTreeMap::from([
                ("notice-deadline".to_owned(), leads(&["60 days", "30 days", "7 days"])),
                ("renewal".to_owned(), leads(&["30 days"])),
                ("expiry".to_owned(), leads(&["60 days", "14 days"])),
                ("obligation".to_owned(), leads(&["7 days"])),
            ]),
        }
    }
}

impl CalendarConfig {
    /// The holidays, read.
    ///
    /// # Errors
    /// When a holiday is not a plain date.
    pub fn read(&self) -> Result<Calendar, SettingError> {
        const SETTING: &str = "[calendar] holidays";
        let holidays = self
            .holidays
            .iter()
            .map(|holiday| match (holiday.date, holiday.time) {
                (Some(date), None) => {
                    NaiveDate::from_ymd_opt(i32::from(date.year), u32::from(date.month), u32::from(date.day))
                        .ok_or_else(|| SettingError::invalid(SETTING, format!("{holiday} is not a date")))
                }
                _ => Err(SettingError::invalid(SETTING, format!("{holiday} must be a date such as 2025-12-25"))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Calendar { holidays: crate::lifecycle::Holidays::new(holidays) })
    }
}

impl RemindConfig {
    /// The lead times, read.
    ///
    /// # Errors
    /// An unknown event kind or a duration that cannot be read.
    pub fn lead_times(&self) -> Result<Vec<(crate::lifecycle::EventKind, Vec<Duration>)>, SettingError> {
        const SETTING: &str = "[remind] lead_times";
        let mut out = Vec::new();
        for (kind, leads) in &self.lead_times {
            let kind = crate::lifecycle::EventKind::ALL.into_iter().find(|k| k.as_str() == kind).ok_or_else(|| {
                SettingError::invalid(
                    SETTING,
                    format!("`{kind}` is not an event kind (notice-deadline, renewal, expiry, obligation)"),
                )
            })?;
            let leads = leads
                .iter()
                .map(|l| l.parse::<Duration>().map_err(|e| SettingError::invalid(SETTING, e)))
                .collect::<Result<Vec<_>, _>>()?;
            out.push((kind, leads));
        }
        Ok(out)
    }
}

impl Config {
    /// Read and check `pactum.toml`.
    ///
    /// # Errors
    /// When the file cannot be read, is not TOML, or holds a wrong key or value.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: shown.clone(), source })?;
        Self::parse(&text).map_err(|error| ConfigError::Invalid { path: shown, message: error.to_string() })
    }

    /// Parse configuration text.
    ///
    /// # Errors
    /// A message saying what is wrong and where.
    pub fn parse(text: &str) -> Result<Self, SettingError> {
        let toml_error = |error: toml::de::Error| SettingError::Toml(error.to_string().trim_end().to_owned());
        let table: toml::Table = toml::from_str(text).map_err(toml_error)?;
        for key in table.keys() {
            if !TABLES.contains(&key.as_str()) {
                let nearest = crate::text::nearest(key, TABLES.iter().copied(), 3);
                return Err(SettingError::UnknownTable { table: key.clone(), nearest });
            }
        }
        let config: Self = toml::from_str(text).map_err(toml_error)?;
        for code in config.lint.keys() {
            if rule_for(code).is_none() {
                return Err(SettingError::UnknownRule(code.clone()));
            }
        }
        let mut config = config;
        config.settings = Settings::read(&config.calendar, &config.lifecycle, &config.remind)?;
        super::policies::Policies::from_config(&config).validate()?;
        if config.remind.labels.is_empty() {
            return Err(SettingError::invalid(
                "[remind] labels",
                "give at least one label; the first identifies pactum's issues",
            ));
        }
        if !is_language_tag(&config.repository.language) {
            return Err(SettingError::invalid(
                "[repository] language",
                format!(
                    "`{}` is not a language tag; write one as BCP 47 does: \"en\", \"en-GB\", \"nb\"",
                    config.repository.language
                ),
            ));
        }
        Ok(config)
    }

    /// The settings of two versions of `pactum.toml` that differ, as `[table]` or `[table] key`:
    /// every key decides something (which files are contracts, where the record starts, who
    /// approves), so a change to any of them is a change to the rules, which `[governance]`
    /// gates. Formatting and comments are no change; text that is not TOML differs whole.
    #[must_use]
    pub(crate) fn settings_changed(before: &str, after: &str) -> Vec<String> {
        let read = |text: &str| toml::from_str::<toml::Table>(text).ok();
        let (Some(old), Some(new)) = (read(before), read(after)) else {
            return if before == after { Vec::new() } else { vec!["pactum.toml".to_owned()] };
        };
        let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
        keys.sort();
        keys.dedup();
        let mut changed = Vec::new();
        for key in keys {
            let (a, b) = (old.get(key), new.get(key));
            if a == b {
                continue;
            }
            match (a.and_then(toml::Value::as_table), b.and_then(toml::Value::as_table)) {
                (Some(a), Some(b)) => {
                    let mut inner: Vec<&String> = a.keys().chain(b.keys()).collect();
                    inner.sort();
                    inner.dedup();
                    changed
                        .extend(inner.into_iter().filter(|k| a.get(*k) != b.get(*k)).map(|k| format!("[{key}] {k}")));
                }
                _ if key == "policies" => changed.push("[[policies]]".to_owned()),
                _ => changed.push(format!("[{key}]")),
            }
        }
        changed
    }

    /// The `[lint]` levels.
    #[must_use]
    pub fn lint(&self) -> LintConfig {
        LintConfig { levels: self.lint.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_is_a_tag() {
        assert_eq!(Config::parse("").unwrap().repository.language, "en");
        for good in ["en", "en-GB", "nb", "zh-Hant-TW", "de-CH-1996", "gsw"] {
            let config = Config::parse(&format!("[repository]\nlanguage = \"{good}\"\n")).unwrap();
            assert_eq!(config.repository.language, good);
        }
        for bad in ["", "english language", "e", "en_GB", "en-", "\"><script>"] {
            let text = format!("[repository]\nlanguage = {}\n", toml::Value::String(bad.to_owned()));
            assert!(Config::parse(&text).unwrap_err().to_string().contains("[repository] language"), "{bad}");
        }
    }

    #[test]
    fn defaults_and_known_tables() {
        let config = Config::parse("").unwrap();
        assert_eq!(config.repository.main_branch, "main");
        let error = Config::parse("[future]\nanything = 1\n").unwrap_err();
        assert_eq!(error, super::SettingError::UnknownTable { table: "future".to_owned(), nearest: None });
        assert!(error.to_string().contains("`future` is not a setting"), "{error}");
        let config = Config::parse(
            "[lint]\n\"term/unused\" = \"off\"\n[calendar]\nholidays = [2025-12-25]\n[tool.other]\nanything = 1\n",
        )
        .unwrap();
        assert_eq!(config.settings.calendar.holidays.days().len(), 1);
        assert_eq!(Config::default().settings.remind_overdue.to_string(), "30 days");
        assert!(config.tool.contains_key("other"), "other tools' settings are left alone");
    }

    #[test]
    fn the_tables_read_are_the_tables_the_published_schema_names() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../../../schemas/pactum.schema.json")).expect("the schema is JSON");
        let mut named: Vec<&str> =
            schema["properties"].as_object().expect("properties").keys().map(String::as_str).collect();
        named.sort_unstable();
        let mut tables = TABLES.to_vec();
        tables.sort_unstable();
        assert_eq!(named, tables);
        // And each of them is a table `Config` reads.
        for table in TABLES {
            let text = if *table == "policies" { "policies = []".to_owned() } else { format!("[{table}]") };
            assert!(Config::parse(&text).is_ok(), "{table}");
        }
    }

    #[test]
    fn a_misspelt_table_is_an_error_naming_the_table_meant() {
        let error =
            Config::parse("[[policy]]\nname = \"x\"\nrequire = { users = [\"@a\"] }\n").unwrap_err().to_string();
        assert!(error.contains("`policy`") && error.contains("`policies`"), "{error}");
        assert!(Config::parse("[remindd]\nwithin = \"9 days\"").unwrap_err().to_string().contains("`remind`"));
        assert!(Config::parse("colour = true").unwrap_err().to_string().contains("`colour` is not a setting"));
    }

    #[test]
    fn every_setting_is_named_when_it_changes() {
        let before = "[repository]\ncontracts = \"contracts\"\n\n[audit]\nsince = \"2025-01-01\"\n";
        assert_eq!(
            Config::settings_changed(
                before,
                &before.replace("contracts = \"contracts\"", "contracts  =  \"contracts\" # same")
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            Config::settings_changed(before, &before.replace("2025", "2099").replace("\"contracts\"", "\"elsewhere\"")),
            ["[audit] since", "[repository] contracts"]
        );
        assert_eq!(Config::settings_changed("", "[report]\nour_names = [\"Us\"]\n"), ["[report]"]);
        assert_eq!(Config::settings_changed("x = ", "y = "), ["pactum.toml"]);
    }

    #[test]
    fn mistakes_are_errors() {
        assert!(Config::parse("[lint]\n\"term/unusd\" = \"off\"").unwrap_err().to_string().contains("term/unusd"));
        assert!(Config::parse("[lint]\n\"term/unused\" = \"loud\"").is_err());
        assert!(Config::parse("[repository]\nmain_brnch = \"x\"").unwrap_err().to_string().contains("main_brnch"));
        assert!(Config::parse("[calendar]\nholidays = [2025-12-25T10:00:00]").is_err());
    }
}
