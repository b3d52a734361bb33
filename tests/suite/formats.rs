//! Every machine-readable output, read by an independent validator against the schema it
//! claims: pactum's own JSON outputs against `schemas/output/` (check-jsonschema), SARIF
//! against the OASIS 2.1.0 schema, `JUnit` against the Surefire XSD (xmllint), and
//! `pactum.toml` against `schemas/pactum.schema.json` as an editor reads it (Taplo).
//!
//! `tests/schemas/` holds the third-party schemas, with their provenance in its README.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::git::{ALICE, BEA, GITHUB, Script};
use support::{pactum_with, text};

fn project() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What pactum printed, as of the suite's day; findings (exit 1) are expected, errors not.
fn pactum(dir: &Path, args: &[&str]) -> String {
    let output = support::today::pactum(dir, args);
    assert!(matches!(output.status.code(), Some(0 | 1)), "pactum {args:?}: {}", text(&output));
    String::from_utf8(output.stdout).unwrap()
}

/// Validates documents against JSON Schemas with check-jsonschema (Python's `jsonschema`).
struct JsonSchemaValidator {
    program: PathBuf,
    scratch: tempfile::TempDir,
}

impl JsonSchemaValidator {
    fn find() -> Option<Self> {
        let program = support::tool("PACTUM_CHECK_JSONSCHEMA", "check-jsonschema")?;
        Some(Self { program, scratch: tempfile::tempdir().unwrap() })
    }

    /// Whether `document` is valid against `schema`, with the validator's words.
    fn validate(&self, schema: &Path, name: &str, document: &str) -> Result<(), String> {
        let path = self.scratch.path().join(name);
        std::fs::write(&path, document).unwrap();
        let output = Command::new(&self.program).arg("--schemafile").arg(schema).arg(&path).output().unwrap();
        if output.status.success() { Ok(()) } else { Err(text(&output)) }
    }

    fn assert_valid(&self, schema: &str, name: &str, document: &str) {
        let schema = project().join(schema);
        if let Err(why) = self.validate(&schema, name, document) {
            panic!("{name} is not valid against {}:\n{why}\n{document}", schema.display());
        }
    }
}

/// A copy of the example repository with findings planted: a bad duration, a dangling
/// reference.
fn example_with_findings() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    support::copy_dir(&project().join("example-repo"), &root);
    let msa = root.join("contracts/acme/msa.md");
    let text = std::fs::read_to_string(&msa).unwrap();
    let text = text.replacen("notice = \"60 days\"", "notice = \"sixty days\"", 1).replacen(
        "Section 9.3 (Termination for Cause)",
        "Section 11.3 (Termination for Cause)",
        1,
    );
    std::fs::write(&msa, text).unwrap();
    (dir, root)
}

#[test]
fn check_outputs_validate_against_their_schemas() {
    let Some(validator) = JsonSchemaValidator::find() else { return };
    let (_dir, root) = example_with_findings();
    let json = pactum(&root, &["check", "--format", "json"]);
    assert!(json.contains("ref/unresolved"), "{json}");
    validator.assert_valid("schemas/output/check.schema.json", "check.json", &json);
    let gitlab = pactum(&root, &["check", "--format", "gitlab"]);
    validator.assert_valid("schemas/output/gitlab-code-quality.schema.json", "gl-code-quality-report.json", &gitlab);
    let sarif = pactum(&root, &["check", "--format", "sarif"]);
    validator.assert_valid("tests/schemas/sarif-2.1.0.json", "pactum.sarif", &sarif);
    // The tool names where it is documented, as code-scanning pages link it.
    let document: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(document["runs"][0]["tool"]["driver"]["informationUri"], "https://github.com/pactum-dev/pactum");
    // A clean run too: empty lists are where a schema's shape is easiest to get wrong.
    let clean = project().join("example-repo");
    validator.assert_valid(
        "schemas/output/check.schema.json",
        "clean.json",
        &pactum(&clean, &["check", "--format", "json"]),
    );
    validator.assert_valid(
        "tests/schemas/sarif-2.1.0.json",
        "clean.sarif",
        &pactum(&clean, &["check", "--format", "sarif"]),
    );
}

/// The validator is not a formality: a report without its summary, a SARIF result with an
/// unknown level and a Code Quality issue without a line are refused.
#[test]
fn the_validators_refuse_what_the_schemas_forbid() {
    let Some(validator) = JsonSchemaValidator::find() else { return };
    let clean = project().join("example-repo");
    let check = pactum(&clean, &["check", "--format", "json"]);
    let mut broken: serde_json::Value = serde_json::from_str(&check).unwrap();
    broken.as_object_mut().unwrap().remove("summary");
    let schema = project().join("schemas/output/check.schema.json");
    assert!(validator.validate(&schema, "no-summary.json", &broken.to_string()).is_err());
    let (_dir, root) = example_with_findings();
    let mut sarif: serde_json::Value = serde_json::from_str(&pactum(&root, &["check", "--format", "sarif"])).unwrap();
    sarif["runs"][0]["results"][0]["level"] = "fatal".into();
    let schema = project().join("tests/schemas/sarif-2.1.0.json");
    assert!(validator.validate(&schema, "bad.sarif", &sarif.to_string()).is_err());
    let mut gitlab: serde_json::Value = serde_json::from_str(&pactum(&root, &["check", "--format", "gitlab"])).unwrap();
    gitlab[0]["location"]["lines"].as_object_mut().unwrap().remove("begin");
    let schema = project().join("schemas/output/gitlab-code-quality.schema.json");
    assert!(validator.validate(&schema, "bad-gl.json", &gitlab.to_string()).is_err());
}

#[test]
fn junit_validates_against_the_surefire_xsd() {
    let Some(xmllint) = support::tool("PACTUM_XMLLINT", "xmllint") else { return };
    let dir = tempfile::tempdir().unwrap();
    let (_repo, root) = example_with_findings();
    for (name, repo) in [("findings.xml", root.as_path()), ("clean.xml", &project().join("example-repo"))] {
        let junit = pactum(repo, &["check", "--format", "junit"]);
        let path = dir.path().join(name);
        std::fs::write(&path, &junit).unwrap();
        let output = Command::new(&xmllint)
            .args(["--noout", "--schema"])
            .arg(project().join("tests/schemas/junit-10.xsd"))
            .arg(&path)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}\n{junit}", text(&output));
    }
}

#[test]
fn contract_outputs_validate_against_their_schemas() {
    let Some(validator) = JsonSchemaValidator::find() else { return };
    let root = project().join("example-repo");
    for contract in
        ["contracts/acme/msa.md", "contracts/hooli/saas-subscription.md", "contracts/acme/sow-002-analytics.md"]
    {
        let json = pactum(&root, &["inspect", contract, "--format", "json"]);
        validator.assert_valid("schemas/output/inspect.schema.json", "inspect.json", &json);
    }
    // No front matter, no dates: the nulls the schema allows.
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("bare.md");
    std::fs::write(&bare, "# Agreement\n\n1. Terms\n\n1.1 The \"Services\" are described in Section 1.2.\n").unwrap();
    let json = pactum(dir.path(), &["inspect", "bare.md", "--format", "json"]);
    validator.assert_valid("schemas/output/inspect.schema.json", "inspect-bare.json", &json);
    let remind = pactum(&root, &["remind", "--format", "json", "--within", "2 years"]);
    assert!(remind.contains("notice-deadline"), "{remind}");
    validator.assert_valid("schemas/output/remind.schema.json", "remind.json", &remind);
    let report = pactum(&root, &["report", "--format", "json"]);
    validator.assert_valid("schemas/output/report.schema.json", "report.json", &report);
    // A redline with every kind of change: a field, a modified and an added clause.
    let old = root.join("contracts/acme/msa.md");
    let new = dir.path().join("msa.md");
    let text = std::fs::read_to_string(&old).unwrap();
    let edited =
        text.replacen("governing_law = \"NO\"", "governing_law = \"SE\"", 1) + "\n## 99. Extra\n\n99.1 A new clause.\n";
    std::fs::write(&new, edited).unwrap();
    let diff = pactum(&root, &["diff", "--files", old.to_str().unwrap(), new.to_str().unwrap(), "--format", "json"]);
    assert!(diff.contains("\"added\"") && diff.contains("/governing_law"), "{diff}");
    validator.assert_valid("schemas/output/diff.schema.json", "diff.json", &diff);
}

const CONFIG: &str = r#"[groups]
legal = ["@alice", "@bea"]

[[policies]]
name = "Legal approves executions"
transition = "* -> executed"
require = { groups = ["legal"], count = 1 }
"#;

fn nda(status: &str, clause: &str) -> String {
    format!(
        "+++\nid = \"acme-nda\"\ntitle = \"NDA\"\ntype = \"nda\"\nstatus = \"{status}\"\nowner = \"@alice\"\neffective_date = 2026-01-01\n\n[[parties]]\nname = \"Acme Inc.\"\nrole = \"counterparty\"\n\n[[parties]]\nname = \"Northwind AS\"\nrole = \"discloser\"\n+++\n\n# NDA\n\n## 1. Confidentiality\n\n1.1 {clause}\n"
    )
}

#[test]
fn history_outputs_validate_against_their_schemas() {
    let Some(validator) = JsonSchemaValidator::find() else { return };
    let mut s = Script::new();
    s.write("pactum.toml", CONFIG);
    s.write("contracts/acme-nda.md", &nda("draft", "Keep it secret."));
    s.commit(&ALICE, &ALICE, "Draft the Acme NDA");
    s.checkout(&["-b", "review"]);
    s.write("contracts/acme-nda.md", &nda("review", "Keep it secret for five years."));
    s.commit(&BEA, &BEA, "Five years");
    s.checkout(&["main"]);
    s.merge(&BEA, &GITHUB, &["review"], "Merge pull request #1 from northwind/review\n\nFive years");
    s.write("contracts/acme-nda.md", &nda("review", "Keep it secret for three years."));
    s.commit(&BEA, &BEA, "Three years, pushed directly");
    s.checkout(&["-b", "execute"]);
    s.write("contracts/acme-nda.md", &nda("executed", "Keep it secret for three years."));
    s.commit(&BEA, &BEA, "Executed");
    let root = s.root();
    let approvals = pactum(root, &["approvals", "--format", "json"]);
    assert!(approvals.contains("\"merge\"") && approvals.contains("\"direct\""), "{approvals}");
    validator.assert_valid("schemas/output/approvals.schema.json", "approvals.json", &approvals);
    let log = pactum(root, &["log", "acme-nda", "--format", "json"]);
    validator.assert_valid("schemas/output/log.schema.json", "log.json", &log);
    let audit = pactum(root, &["audit", "--format", "json"]);
    assert!(audit.contains("direct-push"), "{audit}");
    validator.assert_valid("schemas/output/audit.schema.json", "audit.json", &audit);
    let policy = pactum(root, &["policy", "--approver", "@alice", "--format", "json"]);
    assert!(policy.contains("Legal approves executions"), "{policy}");
    validator.assert_valid("schemas/output/policy.schema.json", "policy.json", &policy);
    let codeowners = pactum(root, &["codeowners", "--format", "json"]);
    assert!(codeowners.contains("\"/contracts/\""), "{codeowners}");
    validator.assert_valid("schemas/output/codeowners.schema.json", "codeowners.json", &codeowners);
}

/// `pactum schema export` writes every published schema as a local copy: the repository's
/// published file without its absolute `$id`, so that standard validators resolve `$ref`s
/// beside it, offline; the configuration schema's rule codes are the rules pactum has.
#[test]
fn exported_schemas_are_valid_and_local() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("schemas");
    let first = pactum_with(dir.path(), &["schema", "export", "schemas"], &[]);
    assert!(first.status.success(), "{}", text(&first));
    let mut files = Vec::new();
    for entry in walk(&out) {
        let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&entry).unwrap()).unwrap();
        assert!(value.get("$id").is_none(), "{}", entry.display());
        // The published file (whose `$id` is absolute) is what was exported, less its `$id`.
        let relative = entry.strip_prefix(&out).unwrap();
        let published: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(project().join("schemas").join(relative)).unwrap()).unwrap();
        let id = published["$id"].as_str().unwrap_or_default();
        assert!(id.starts_with("https://") && id.ends_with(&format!("schemas/{}", relative.display())), "{id}");
        let mut without = published.clone();
        without.as_object_mut().unwrap().remove("$id");
        assert_eq!(value, without, "{}", entry.display());
        files.push(entry);
    }
    assert_eq!(files.len(), 22, "{files:?}");
    // Lint codes of the configuration schema are exactly pactum's rules.
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("pactum.schema.json")).unwrap()).unwrap();
    let mut codes: Vec<&str> = config["properties"]["lint"]["propertyNames"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    codes.sort_unstable();
    let listed = pactum(dir.path(), &["check", "--list-rules"]);
    let mut rules: Vec<&str> = listed.lines().filter_map(|l| l.split_whitespace().next()).collect();
    rules.sort_unstable();
    assert_eq!(codes, rules);
    // Exporting again changes nothing; a file edited by hand is kept unless --force.
    let again = pactum_with(dir.path(), &["schema", "export", "schemas"], &[]);
    assert!(text(&again).contains("0 written, 22 already up to date"), "{}", text(&again));
    std::fs::write(out.join("nda.schema.json"), "{}").unwrap();
    let refused = pactum_with(dir.path(), &["schema", "export", "schemas"], &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused).contains("nda.schema.json") && text(&refused).contains("--force"), "{}", text(&refused));
    assert_eq!(std::fs::read_to_string(out.join("nda.schema.json")).unwrap(), "{}");
    let forced = pactum_with(dir.path(), &["schema", "export", "schemas", "--force"], &[]);
    assert!(forced.status.success() && text(&forced).contains("1 written"), "{}", text(&forced));
    if let Some(validator) = JsonSchemaValidator::find() {
        for file in &files {
            let output = Command::new(&validator.program).arg("--check-metaschema").arg(file).output().unwrap();
            assert!(output.status.success(), "{}: {}", file.display(), text(&output));
        }
        // A contract's front matter validates against the exported type schema, whose
        // `contract.schema.json` is read beside it (a front matter that breaks only that file's
        // rules is refused: the reference was followed, offline).
        let inspected =
            pactum(&project().join("example-repo"), &["inspect", "contracts/globex/mutual-nda.md", "--format", "json"]);
        let inspected: serde_json::Value = serde_json::from_str(&inspected).unwrap();
        let front = inspected["metadata"].clone();
        let nda = out.join("nda.schema.json");
        validator.validate(&nda, "front.json", &front.to_string()).unwrap();
        let mut without_owner = front;
        without_owner.as_object_mut().unwrap().remove("owner");
        let why = validator.validate(&nda, "no-owner.json", &without_owner.to_string()).unwrap_err();
        assert!(why.contains("owner"), "{why}");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// An editor reads `pactum.toml` as pactum does: Taplo accepts the example's and the one
/// `pactum init` writes, and refuses a misspelt key, an unknown rule and a bad duration, which
/// pactum refuses too.
#[test]
fn taplo_reads_pactum_toml_with_the_published_schema() {
    let Some(taplo) = support::tool("PACTUM_TAPLO", "taplo") else { return };
    let schema = format!("file://{}", project().join("schemas/pactum.schema.json").display());
    let taplo_check = |file: &Path| {
        Command::new(&taplo).args(["check", "--schema", &schema]).arg(file).env("RUST_LOG", "error").output().unwrap()
    };
    let example = taplo_check(&project().join("example-repo/pactum.toml"));
    assert!(example.status.success(), "{}", text(&example));
    let dir = tempfile::tempdir().unwrap();
    let init = pactum_with(dir.path(), &["init", "repo"], &[]);
    assert!(init.status.success(), "{}", text(&init));
    let written = taplo_check(&dir.path().join("repo/pactum.toml"));
    assert!(written.status.success(), "{}", text(&written));
    // The file `init` writes names its schema for editors: the published file of this version,
    // which is the repository's `schemas/pactum.schema.json`. Taplo follows the line by itself
    // (pointed here at the local copy of that file, as nothing is fetched in tests).
    let config = std::fs::read_to_string(dir.path().join("repo/pactum.toml")).unwrap();
    let directive = format!(
        "#:schema https://raw.githubusercontent.com/pactum-dev/pactum/v{}/schemas/pactum.schema.json\n",
        env!("CARGO_PKG_VERSION")
    );
    assert!(config.starts_with(&directive), "{config}");
    let local = dir.path().join("local");
    std::fs::create_dir_all(&local).unwrap();
    let misspelt =
        format!("{}\n[lable]\nlegal = true\n", config.replacen(&directive, &format!("#:schema {schema}\n"), 1));
    std::fs::write(local.join("pactum.toml"), misspelt).unwrap();
    let followed = Command::new(&taplo)
        .args(["check", "pactum.toml"])
        .current_dir(&local)
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(!followed.status.success() && text(&followed).contains("lable"), "{}", text(&followed));
    for (bad, why) in [
        ("[remind]\nlables = [\"legal\"]\n", "lables"),
        ("[lint]\n\"term/unusd\" = \"off\"\n", "term/unusd"),
        ("[remind]\nwithin = \"ninety days\"\n", "ninety days"),
        ("[[policies]]\nname = \"No requirement\"\n", "require"),
    ] {
        let repo = dir.path().join("bad");
        std::fs::create_dir_all(&repo).unwrap();
        std::fs::write(repo.join("pactum.toml"), bad).unwrap();
        let by_taplo = taplo_check(&repo.join("pactum.toml"));
        assert!(!by_taplo.status.success() && text(&by_taplo).contains(why), "{bad}: {}", text(&by_taplo));
        let by_pactum = pactum_with(&repo, &["check"], &[]);
        assert_eq!(by_pactum.status.code(), Some(2), "{bad}: {}", text(&by_pactum));
    }
}

/// `remind --sync … --format json` and its `--dry-run`, against the GitHub stand-in.
#[test]
fn tracker_sync_outputs_validate_against_the_remind_schema() {
    let Some(validator) = JsonSchemaValidator::find() else { return };
    let tracker = support::tracker::FakeTracker::start(support::tracker::Dialect::GitHub);
    let api = tracker.api_url();
    let root = project().join("example-repo");
    let sync = |extra: &[&str]| {
        let args = [
            &["remind", "--sync", "github", "--api-url", &api, "--repository", tracker.repository()][..],
            &["--within", "2 years", "--format", "json", "--as-of", support::today::TODAY],
            extra,
        ]
        .concat();
        let output = pactum_with(&root, &args, &[("GITHUB_TOKEN", &tracker.token), ("PACTUM_HTTP_BACKOFF_MS", "5")]);
        assert!(output.status.success(), "{}", text(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    let plan = sync(&["--dry-run"]);
    assert!(plan.contains("\"create\""), "{plan}");
    validator.assert_valid("schemas/output/remind.schema.json", "remind-plan.json", &plan);
    let report = sync(&[]);
    assert!(report.contains("\"created\""), "{report}");
    validator.assert_valid("schemas/output/remind.schema.json", "remind-sync.json", &report);
    assert!(!tracker.issues().is_empty());
    // An obligation's issue closed as done: listed under `done`, with the schema's keys.
    let obligation =
        tracker.issues().into_iter().find(|i| i.body.contains("/obligation/")).expect("an obligation issue");
    tracker.close_by_person(obligation.number, "bob", "2026-11-28T09:00:00Z", "completed");
    let report = sync(&[]);
    assert!(report.contains("\"done\": [\n") && report.contains("/obligation/"), "{report}");
    validator.assert_valid("schemas/output/remind.schema.json", "remind-sync-done.json", &report);
}

/// Every page pactum writes (the signing copy, the redline, the portfolio) passes axe-core's
/// audit in Chromium: one `main` landmark holding the content, and the `lang` of the
/// repository's `[repository] language`.
#[test]
fn pages_pass_the_accessibility_audit_in_the_repository_language() {
    let Some(chromium) = support::browser::chromium() else { return };
    let Some(axe) = support::browser::axe() else { return };
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    support::copy_dir(&project().join("example-repo"), &repo);
    let config = std::fs::read_to_string(repo.join("pactum.toml")).unwrap();
    std::fs::write(
        repo.join("pactum.toml"),
        config.replacen("[repository]\n", "[repository]\nlanguage = \"en-GB\"\n", 1),
    )
    .unwrap();
    let msa = repo.join("contracts/acme/msa.md");
    let changed = dir.path().join("msa-changed.md");
    std::fs::write(&changed, std::fs::read_to_string(&msa).unwrap().replacen("thirty (30)", "sixty (60)", 1)).unwrap();
    let pages = [
        ("contract.html", vec!["render", "contracts/acme/msa.md", "-o"]),
        (
            "redline.html",
            vec!["diff", "--files", "contracts/acme/msa.md", changed.to_str().unwrap(), "--format", "html", "-o"],
        ),
        ("report.html", vec!["report", "--no-history", "--format", "html", "-o"]),
    ];
    for (name, args) in pages {
        let page = dir.path().join(name);
        let args: Vec<&str> = args.into_iter().chain([page.to_str().unwrap()]).collect();
        let output = support::today::pactum(&repo, &args);
        assert!(output.status.success(), "{args:?}: {}", text(&output));
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(html.contains("<html lang=\"en-GB\">") && html.matches("<main>").count() == 1, "{name}");
        let violations = support::browser::axe_violations(chromium, &axe, dir.path(), &page);
        assert!(violations.is_empty(), "{name}: {violations:#?}");
    }
}
