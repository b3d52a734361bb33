//! `pactum check` and `pactum inspect` as users run them: exit codes, positions, formats.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pactum(dir: &Path, args: &[&str]) -> Output {
    support::pactum_with(dir, args, &[])
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn example_repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-repo")
}

/// Replace `old` by `new` in a file, and return the 1-based line and column where `new` starts.
fn edit(path: &Path, old: &str, new: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(path).unwrap();
    let at = text.find(old).unwrap_or_else(|| panic!("{old} not in {}", path.display()));
    std::fs::write(path, text.replacen(old, new, 1)).unwrap();
    let before = &text[..at];
    (before.matches('\n').count() + 1, before.rsplit('\n').next().unwrap().chars().count() + 1)
}

#[test]
fn the_example_repository_is_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = pactum(root, &["check", "example-repo"]);
    assert!(output.status.success(), "{}{}", stdout(&output), String::from_utf8_lossy(&output.stderr));
    assert!(stdout(&output).contains("checked 19 files: 0 errors, 0 warnings"), "{}", stdout(&output));
}

struct Broken {
    _dir: tempfile::TempDir,
    root: PathBuf,
    /// (code, path, line, column) of each planted mistake.
    planted: Vec<(&'static str, &'static str, usize, usize)>,
}

/// A copy of the example repository with four mistakes planted: a bad TOML value, an unknown
/// status, a duplicated id and a reference to a missing section.
fn broken() -> Broken {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    support::copy_dir(&example_repo(), &root);
    let msa = "contracts/acme/msa.md";
    let sow = "contracts/acme/sow-002-analytics.md";
    let saas = "contracts/hooli/saas-subscription.md";
    // Mistakes made while the contracts were negotiated: an executed one would also break its seal.
    support::in_negotiation(&root.join(msa));
    support::in_negotiation(&root.join(saas));
    let (l1, c1) = edit(&root.join(msa), "notice = \"60 days\"", "notice = \"sixty days\"");
    let (l2, c2) = edit(&root.join(sow), "status = \"review\"", "status = \"pending\"");
    let (l3, c3) = edit(&root.join(saas), "id = \"hooli-saas-2024\"", "id = \"acme-msa-2025\"");
    let (l4, c4) = edit(&root.join(msa), "Section 9.3 (Termination for Cause)", "Section 11.3 (Termination for Cause)");
    // The duplicated id also breaks the link from the order form to the SaaS agreement.
    let order = "contracts/hooli/order-form-2026.md";
    let (l5, c5) = edit(&root.join(order), "parent = \"hooli-saas-2024\"", "parent = \"hooli-saas-2024\"");
    Broken {
        _dir: dir,
        root,
        planted: vec![
            ("date/invalid-duration", msa, l1, c1 + "notice = ".len()),
            ("schema/invalid", sow, l2, c2 + "status = ".len()),
            ("id/duplicate", saas, l3, c3 + "id = ".len()),
            ("id/duplicate", msa, 2, 6),
            ("ref/unresolved", msa, l4, c4),
            ("link/unknown-contract", order, l5, c5 + "parent = ".len()),
        ],
    }
}

#[test]
fn planted_mistakes_are_found_at_their_place_in_json() {
    let broken = broken();
    let output = pactum(&broken.root, &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["version"], 1);
    let found: Vec<(String, String, u64, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    for (code, path, line, column) in &broken.planted {
        assert!(
            found.contains(&((*code).to_owned(), (*path).to_owned(), *line as u64, *column as u64)),
            "{code} at {path}:{line}:{column} not in {found:#?}"
        );
    }
    assert_eq!(found.len(), broken.planted.len(), "{found:#?}");
    assert_eq!(report["summary"]["errors"], broken.planted.len());
    assert_eq!(report["summary"]["files"], 19);
}

#[test]
fn planted_mistakes_in_every_format() {
    let broken = broken();
    let human = pactum(&broken.root, &["check"]);
    assert_eq!(human.status.code(), Some(1));
    let human = stdout(&human);
    // `--quiet` keeps the findings and leaves out the summary line.
    let quiet = stdout(&pactum(&broken.root, &["check", "--quiet"]));
    assert!(quiet.contains("error[id/duplicate]") && !quiet.contains("checked "), "{quiet}");
    assert_eq!(quiet.trim_end(), human.trim_end().rsplit_once("\n\n").unwrap().0.trim_end(), "the same findings");
    let github = stdout(&pactum(&broken.root, &["check", "--format", "github"]));
    let junit = stdout(&pactum(&broken.root, &["check", "--format", "junit"]));
    let sarif: serde_json::Value =
        serde_json::from_slice(&pactum(&broken.root, &["check", "--format", "sarif"]).stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    // JUnit counts failing test cases: one a file, however many errors it has.
    let failing: std::collections::BTreeSet<&str> =
        broken.planted.iter().map(|(_, path, _, _)| path.as_ref()).collect();
    assert!(failing.len() < broken.planted.len(), "some file has two planted errors");
    assert!(
        junit.contains(&format!("<testsuite name=\"pactum check\" tests=\"19\" failures=\"{}\"", failing.len())),
        "{junit}"
    );
    assert_eq!(junit.matches("<failure ").count(), failing.len(), "{junit}");
    for (code, path, line, column) in &broken.planted {
        assert!(human.contains(&format!("error[{code}]")), "{human}");
        assert!(human.contains(&format!("{path}:{line}:{column}")), "{path}:{line}:{column} in {human}");
        assert!(github.contains(&format!("::error file={path},line={line},col={column},")), "{github}");
        assert!(junit.contains(&format!("{path}:{line}:{column}: ")), "{junit}");
        assert!(
            results.iter().any(|r| r["ruleId"] == *code
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == *path
                && r["locations"][0]["physicalLocation"]["region"]["startLine"] == *line
                && r["locations"][0]["physicalLocation"]["region"]["startColumn"] == *column),
            "{code} {path}:{line}:{column} in SARIF"
        );
    }
    assert!(
        human.contains(
            "help: use one of: \"draft\", \"review\", \"approved\", \"executed\", \"terminated\", \"superseded\""
        ),
        "{human}"
    );
    assert!(human.ends_with("checked 19 files: 6 errors, 0 warnings\n"), "{human}");
}

#[test]
fn sarif_is_valid_2_1_0_with_stable_fingerprints() {
    let broken = broken();
    let first: serde_json::Value =
        serde_json::from_slice(&pactum(&broken.root, &["check", "--format", "sarif"]).stdout).unwrap();
    assert_eq!(first["version"], "2.1.0");
    let run = &first["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "pactum");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    // Code scanning shows each rule's description and help, and links to its reference.
    for rule in rules {
        let full = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(full.starts_with("Default: "), "{rule}");
        assert!(rule["help"]["markdown"].as_str().unwrap().contains(full));
        let anchor = rule["id"].as_str().unwrap().replace('/', "");
        assert!(rule["helpUri"].as_str().unwrap().ends_with(&format!("docs/rules.md#{anchor}")), "{rule}");
    }
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(result["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1 && region["startColumn"].as_u64().unwrap() >= 1);
    }
    // Fingerprints do not depend on line numbers: adding a line above a finding keeps them.
    let fingerprints = |report: &serde_json::Value| -> Vec<String> {
        let mut all: Vec<String> = report["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"]["pactumFinding/v1"].as_str().unwrap().to_owned())
            .collect();
        all.sort();
        all
    };
    edit(
        &broken.root.join("contracts/acme/msa.md"),
        "# Master Services Agreement\n",
        "# Master Services Agreement\n\nReviewed in full.\n",
    );
    let second: serde_json::Value =
        serde_json::from_slice(&pactum(&broken.root, &["check", "--format", "sarif"]).stdout).unwrap();
    assert_eq!(fingerprints(&first), fingerprints(&second));
}

#[test]
fn deny_warnings_and_lint_levels() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    support::copy_dir(&example_repo(), root);
    support::in_negotiation(&root.join("contracts/acme/msa.md"));
    // A definition nobody uses is a warning: exit 0, or 1 with --deny warnings.
    edit(
        &root.join("contracts/acme/msa.md"),
        "1.1 \"**Affiliate**\"",
        "1.0 \"**Spare Term**\" means nothing.\n\n1.1 \"**Affiliate**\"",
    );
    let plain = pactum(root, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"term/unused"), "{codes:?}");
    assert_eq!(plain.status.code(), Some(0));
    assert_eq!(pactum(root, &["check", "--deny", "warnings"]).status.code(), Some(1));
    // pactum.toml can turn a rule off.
    let config = std::fs::read_to_string(root.join("pactum.toml")).unwrap().replace(
        "\"term/unused\" = \"warning\"",
        "\"term/unused\" = \"off\"\n\"clause/numbering-gap\" = \"off\"\n\"clause/numbering-repeat\" = \"off\"",
    );
    std::fs::write(root.join("pactum.toml"), config).unwrap();
    assert_eq!(pactum(root, &["check", "--deny", "warnings"]).status.code(), Some(0));
}

#[test]
fn configuration_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pactum.toml"), "[lint]\n\"no/such-rule\" = \"off\"\n").unwrap();
    let output = pactum(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no/such-rule"));
    assert_eq!(pactum(dir.path(), &["check", "missing.md"]).status.code(), Some(2));
    assert_eq!(pactum(dir.path(), &["check", "--format", "yaml"]).status.code(), Some(2));
    let outside = tempfile::tempdir().unwrap();
    let output = pactum(outside.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn a_repository_schema_replaces_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    support::copy_dir(&example_repo(), root);
    // The example repository's own type needs its own schema.
    std::fs::remove_file(root.join("schemas/reseller.schema.json")).unwrap();
    let output = pactum(root, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "schema/unknown-type");
    // A stricter NDA schema of the repository's own applies to its NDAs.
    std::fs::write(
        root.join("schemas/nda.schema.json"),
        r#"{"allOf": [{"$ref": "contract.schema.json"}], "required": ["governing_law"]}"#,
    )
    .unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&pactum(root, &["check", "--format", "json"]).stdout).unwrap();
    let missing: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "schema/required")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["contracts/initech/mutual-nda.md"]);
}

#[test]
fn checking_some_paths_still_sees_the_whole_repository() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    support::copy_dir(&example_repo(), root);
    // The SOW names the MSA as its parent: checking the SOW alone must still find the MSA.
    let output = pactum(root, &["check", "contracts/acme/sow-001-data-platform.md"]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(stdout(&output).contains("checked 1 file: 0 errors"), "{}", stdout(&output));
    // And from inside a sub-folder.
    let output = pactum(&root.join("contracts/acme"), &["check", "."]);
    assert!(stdout(&output).contains("checked 5 files"), "{}", stdout(&output));
}

/// Nothing to check passes, but says so: a mistyped contracts folder must not pass unseen.
#[test]
fn an_empty_repository_passes_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pactum.toml"), "[repository]\ncontracts = \"agreements\"\n").unwrap();
    // No contracts folder where pactum.toml says: a typo, not an empty repository.
    let missing = pactum(dir.path(), &["check"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("no contracts folder at ")
            && String::from_utf8_lossy(&missing.stderr).contains("agreements"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
    std::fs::create_dir(dir.path().join("agreements")).unwrap();
    let output = pactum(dir.path(), &["check"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning: no contract files under agreements/"), "{stderr}");
    let quiet = pactum(dir.path(), &["check", "--quiet"]);
    assert!(quiet.status.success() && quiet.stderr.is_empty(), "{}", String::from_utf8_lossy(&quiet.stderr));
    std::fs::write(dir.path().join("agreements/nda.md"), "+++\nid = \"x\"\n+++\n").unwrap();
    let some = pactum(dir.path(), &["check"]);
    assert!(!String::from_utf8_lossy(&some.stderr).contains("no contract files"));
    // Outside Git, history commands say so, without advice meant for `diff`.
    let approvals = pactum(dir.path(), &["approvals"]);
    assert_eq!(approvals.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&approvals.stderr);
    assert!(stderr.contains("is not inside a Git repository") && !stderr.contains("--files"), "{stderr}");
}

#[test]
fn files_outside_a_repository() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.md"), "# A draft\n\n1. **Term**. See Section 2.\n").unwrap();
    let output = pactum(dir.path(), &["check", "draft.md", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["frontmatter/missing", "ref/unresolved"]);
    let inspect = pactum(dir.path(), &["inspect", "draft.md"]);
    assert!(inspect.status.success());
    assert!(stdout(&inspect).contains("1 Term"), "{}", stdout(&inspect));
}

#[test]
fn inspect_json_shows_what_was_read() {
    let root = example_repo();
    let output = pactum(&root, &["inspect", "contracts/acme/msa.md", "--format", "json", "--as-of", "2026-11-27"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["path"], "contracts/acme/msa.md");
    assert_eq!(report["id"], "acme-msa-2025");
    assert_eq!(report["metadata"]["effective_date"], "2025-01-01");
    assert_eq!(report["metadata"]["renewal"]["notice"], "60 days");
    let first = &report["clauses"][0];
    assert_eq!(
        (first["number"].as_str(), first["id"].as_str(), first["heading"].as_str()),
        (Some("1"), Some("definitions"), Some("Definitions"))
    );
    assert_eq!(first["children"][0]["number"], "1.1");
    assert_eq!(report["clauses"][5]["children"][1]["heading"], "From Customer");
    let terms: Vec<&str> = report["terms"].as_array().unwrap().iter().map(|t| t["term"].as_str().unwrap()).collect();
    assert_eq!(terms[..4], ["Agreement", "Provider", "Customer", "Effective Date"]);
    let reference = report["references"].as_array().unwrap().iter().find(|r| r["target"] == "3.2").unwrap();
    assert_eq!(reference["text"], "Section 3.2 (Late Payment)");
    assert_eq!(reference["resolved"], true);
    // Effective 2025-01-01, 12 months, renewing yearly with 60 days' notice.
    let dates = &report["dates"];
    assert_eq!(dates["state"], "renewed");
    assert_eq!(dates["current_term"]["start"], "2026-01-01");
    assert_eq!(dates["current_term"]["end"], "2026-12-31");
    assert_eq!(dates["next_notice_deadline"], "2027-11-01");
    assert_eq!(dates["next_renewal"], "2027-01-01");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    // Far more output than a pipe holds (64 KiB), so the write after the reader left fails.
    let dir = tempfile::tempdir().unwrap();
    let clauses = "1. A clause says what the parties agreed.\n\n".repeat(5_000);
    std::fs::write(dir.path().join("long.md"), format!("# Long\n\n{clauses}")).unwrap();
    let mut child = support::command(dir.path(), &["render", "long.md"]).stdout(Stdio::piped()).spawn().unwrap();
    let mut first = [0u8; 1];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert!(status.code() == Some(0), "{status:?}");
}

/// `pactum check | head -1` under `pipefail`: the reader leaves early, and pactum still exits 1
/// for the findings it made.
#[test]
fn a_closed_pipe_after_findings_still_exits_1() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let placeholders = "A blank to fill: [Customer Name].\n\n".repeat(3_000);
    std::fs::write(dir.path().join("draft.md"), format!("# Draft\n\n{placeholders}")).unwrap();
    let mut child = support::command(dir.path(), &["check", "draft.md", "--color", "never"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

/// Completion scripts a shell accepts, and a manual page groff renders without a warning.
#[test]
fn completions_and_manual_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = support::command(Path::new("."), &["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains("remind") && script.contains("format"), "{shell}");
        if shell == "bash" {
            let mut check = Command::new("bash").arg("-n").stdin(std::process::Stdio::piped()).spawn().unwrap();
            std::io::Write::write_all(check.stdin.as_mut().unwrap(), script.as_bytes()).unwrap();
            assert!(check.wait().unwrap().success(), "bash rejects the script");
        }
    }
    let page = support::command(Path::new("."), &["man"]).output().unwrap();
    assert!(page.status.success());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pactum.1"), &page.stdout).unwrap();
    let Ok(rendered) =
        Command::new("groff").args(["-man", "-Tutf8", "-ww", "-P-cbou", "pactum.1"]).current_dir(dir.path()).output()
    else {
        assert!(std::env::var("CI").is_err(), "CI must install groff (see .ci/run)");
        eprintln!("skipped rendering the manual page: groff is not installed");
        return;
    };
    assert!(rendered.status.success() && rendered.stderr.is_empty(), "{}", String::from_utf8_lossy(&rendered.stderr));
    let text = String::from_utf8_lossy(&rendered.stdout);
    assert!(text.contains("SYNOPSIS") && text.contains("remind"), "{text}");
    // The sections a manual page has (man-pages(7)), and no pointer to pages that do not exist.
    for section in ["EXIT STATUS", "ENVIRONMENT", "COMMANDS", "EXAMPLES"] {
        assert!(text.lines().any(|l| l == section), "{section}: {text}");
    }
    assert!(text.contains("NO_COLOR") && text.contains("GITHUB_TOKEN") && text.contains("diff --exit-code"), "{text}");
    assert!(!text.contains("pactum-"), "no pactum-COMMAND(1) pages exist: {text}");
}

/// CI logs are pipes: `FORCE_COLOR` and `CLICOLOR_FORCE` turn colour on there, `NO_COLOR` wins
/// over both, `--color` over all.
#[test]
fn colour_through_a_pipe_follows_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.md"), "# Draft\n\nA blank: [Customer Name].\n").unwrap();
    let colored = |envs: &[(&str, &str)], args: &[&str]| {
        let mut command = support::command(dir.path(), &["check", "draft.md"]);
        command.args(args);
        for name in ["NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "CLICOLOR"] {
            command.env_remove(name);
        }
        let output = command.envs(envs.iter().copied()).output().unwrap();
        String::from_utf8_lossy(&output.stdout).contains('\u{1b}')
    };
    assert!(!colored(&[], &[]));
    assert!(colored(&[("FORCE_COLOR", "1")], &[]));
    assert!(colored(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!colored(&[("FORCE_COLOR", "0")], &[]));
    assert!(!colored(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")], &[]));
    assert!(!colored(&[("FORCE_COLOR", "1")], &["--color", "never"]));
    assert!(colored(&[("NO_COLOR", "1")], &["--color", "always"]));
}

/// `-` reads standard input for check, inspect, render and diff --files; `-o -` writes to
/// standard output.
#[test]
fn a_dash_is_standard_input_and_standard_output() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.md"), "# Agreement\n\n1. **Scope**. Work.\n").unwrap();
    let run = |args: &[&str], input: &str| {
        let mut child = support::command(dir.path(), args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // A command that refuses its arguments exits before reading: its input is then no
        // one's to read (a broken pipe here), and its exit code says why.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        child.wait_with_output().unwrap()
    };
    let draft = "# Agreement\n\n1. **Scope**. Work for [Customer Name].\n";
    let check = run(&["check", "-", "--format", "json"], draft);
    assert_eq!(check.status.code(), Some(1), "{}", String::from_utf8_lossy(&check.stderr));
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["path"], "-");
    let inspect = run(&["inspect", "-", "--format", "json"], draft);
    assert!(inspect.status.success(), "{}", String::from_utf8_lossy(&inspect.stderr));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&inspect.stdout).unwrap()["clauses"][0]["number"], "1");
    let render = run(&["render", "-", "-o", "-"], draft);
    assert!(
        String::from_utf8_lossy(&render.stdout).contains("Customer Name"),
        "{}",
        String::from_utf8_lossy(&render.stderr)
    );
    let diff = run(&["diff", "--files", "old.md", "-", "--format", "json", "-o", "-"], draft);
    let diff: serde_json::Value = serde_json::from_slice(&diff.stdout).unwrap();
    assert_eq!(diff["contracts"][0]["clauses"][0]["change"], "modified");
    let both = run(&["diff", "--files", "-", "-"], draft);
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn ci_formats_name_files_from_the_git_root_when_pactum_toml_is_in_a_subfolder() {
    let broken = broken();
    // The contracts repository becomes `legal/` of a larger Git repository.
    let outer = broken.root.parent().unwrap().join("monorepo");
    std::fs::create_dir_all(&outer).unwrap();
    std::fs::rename(&broken.root, outer.join("legal")).unwrap();
    let git = Command::new("git").args(["init", "-q"]).current_dir(&outer).output().unwrap();
    assert!(git.status.success());
    let msa = "contracts/acme/msa.md";
    let from_root = format!("legal/{msa}");
    for dir in [outer.join("legal"), outer.join("legal/contracts/acme")] {
        let run = |format: &str| stdout(&pactum(&dir, &["check", "--format", format]));
        let github = run("github");
        assert!(github.contains(&format!("file={from_root},")), "{github}");
        let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
        let uris: Vec<&str> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
            .collect();
        assert!(uris.contains(&from_root.as_str()) && uris.iter().all(|u| u.starts_with("legal/")), "{uris:?}");
        let junit = run("junit");
        assert!(junit.contains(&format!("name=\"{from_root}\"")), "{junit}");
        let gitlab: serde_json::Value = serde_json::from_str(&run("gitlab")).unwrap();
        assert!(
            gitlab.as_array().unwrap().iter().all(|i| i["location"]["path"].as_str().unwrap().starts_with("legal/"))
        );
        // The JSON report keeps its documented paths, relative to the contracts repository.
        let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
        assert!(json["diagnostics"].as_array().unwrap().iter().any(|d| d["path"] == msa), "{json}");
    }
    // Named from the Git root, the same.
    let github = stdout(&pactum(&outer, &["check", "legal", "--format", "github"]));
    assert!(github.contains(&format!("file={from_root},")), "{github}");
}

/// `--stdin-filename PATH` (as ruff and eslint have it): standard input stands for that file of
/// its repository, for editors and hooks that check unsaved text. Findings name the file, the
/// copy on disk is not read (no `id/duplicate` against itself), and the repository is the
/// file's, wherever pactum runs.
#[test]
fn standard_input_stands_for_a_named_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("contracts-repo");
    std::fs::create_dir_all(&root).unwrap();
    for args in [&["init"][..], &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]] {
        let output = support::today::pactum(&root, args);
        assert!(output.status.success(), "{}", support::text(&output));
    }
    let on_disk = std::fs::read_to_string(root.join("contracts/acme-nda.md")).unwrap();
    let piped = |cwd: &Path, args: &[&str], input: &str| {
        let mut child = support::command(cwd, args)
            .args(["--as-of", support::today::TODAY])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let same = piped(&root, &["check", "--stdin-filename", "contracts/acme-nda.md"], &on_disk);
    assert_eq!(same.status.code(), Some(0), "{}", support::text(&same));
    assert!(!support::text(&same).contains("id/duplicate"), "{}", support::text(&same));
    // The unsaved text, from outside the repository: judged there, named as the file.
    let edited = format!("{on_disk}\nSee Section 99.\n");
    let path = root.join("contracts/acme-nda.md");
    let broken = piped(
        dir.path(),
        &["check", "--stdin-filename", path.to_str().unwrap(), "--format", "json", "--deny", "warnings"],
        &edited,
    );
    assert_eq!(broken.status.code(), Some(1), "{}", support::text(&broken));
    let report: serde_json::Value = serde_json::from_slice(&broken.stdout).unwrap();
    let findings = report["diagnostics"].as_array().unwrap();
    assert!(
        findings.iter().any(|d| d["code"] == "ref/uncertain" && d["path"] == "contracts/acme-nda.md"),
        "{report:#}"
    );
    assert!(findings.iter().all(|d| d["code"] != "id/duplicate"), "{report:#}");
    // Without it, `-` is a file of its own, and the same id is found twice.
    let plain = piped(&root, &["check", "-"], &on_disk);
    assert!(support::text(&plain).contains("id/duplicate"), "{}", support::text(&plain));
    // It names what standard input is: a path other than `-` is a mistake.
    let wrong = piped(&root, &["check", "contracts/acme-nda.md", "--stdin-filename", "x.md"], "");
    assert_eq!(wrong.status.code(), Some(2), "{}", support::text(&wrong));
}

/// A top-level front-matter key no schema declares is said (a misspelt field is no field), with
/// the declared field it is closest to; declared in the type's schema, it passes.
#[test]
fn an_undeclared_front_matter_key_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    for args in [&["init"][..], &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]] {
        let output = support::today::pactum(&root, args);
        assert!(output.status.success(), "{}", support::text(&output));
    }
    let path = root.join("contracts/acme-nda.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("mutual = true\n", "mutual = true\ngoverning_lwa = \"GB\"\npo_number = \"PO-7\"\n", 1),
    )
    .unwrap();
    let output = support::today::pactum(&root, &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "a warning: {}", support::text(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let undeclared: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "frontmatter/undeclared-key")
        .collect();
    assert_eq!(undeclared.len(), 2, "{report:#}");
    assert!(undeclared[0]["help"].as_str().unwrap().contains("did you mean `governing_law`?"), "{report:#}");
    // The team's own field, declared in its type's schema: no longer said.
    std::fs::create_dir_all(root.join("schemas")).unwrap();
    std::fs::write(
        root.join("schemas/nda.schema.json"),
        r#"{ "$schema": "https://json-schema.org/draft/2020-12/schema", "allOf": [{ "$ref": "contract.schema.json" }], "properties": { "type": { "const": "nda" }, "mutual": { "type": "boolean" }, "po_number": { "type": "string" } } }"#,
    )
    .unwrap();
    let output = support::today::pactum(&root, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let left: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "frontmatter/undeclared-key")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(left.len(), 1, "{report:#}");
    assert!(left[0].contains("governing_lwa"), "{left:?}");
}

/// Naming files checks them in proportion (the others are read only for the rules over the
/// whole repository), with exactly the findings a whole check has on them: over the planted
/// repository (a duplicated id, a broken link, a broken executed contract's seal, an amendment)
/// each file alone, and pairs of files, give the whole check's findings on those files.
#[test]
fn named_files_get_the_findings_a_whole_check_has_on_them() {
    let broken = broken();
    // An executed contract's text changed too: a finding about its seal, on that file only.
    let dpa = broken.root.join("contracts/acme/dpa.md");
    let text = std::fs::read_to_string(&dpa).unwrap();
    let last = text.trim_end().rfind('\n').unwrap();
    std::fs::write(&dpa, format!("{} Except as we decide.\n", text[..last].trim_end())).unwrap();
    let findings = |args: &[&str]| -> Vec<String> {
        let output = pactum(&broken.root, &[&["check", "--format", "json"][..], args].concat());
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut all: Vec<String> = report["diagnostics"].as_array().unwrap().iter().map(ToString::to_string).collect();
        all.sort();
        all
    };
    let whole = findings(&[]);
    assert!(whole.iter().any(|d| d.contains("executed/")), "{whole:#?}");
    let files: Vec<String> = std::fs::read_dir(broken.root.join("contracts"))
        .unwrap()
        .flat_map(|dir| std::fs::read_dir(dir.unwrap().path()).unwrap())
        .map(|f| f.unwrap().path().strip_prefix(&broken.root).unwrap().to_string_lossy().replace('\\', "/"))
        .filter(|p| Path::new(p).extension().is_some_and(|e| e == "md"))
        .collect();
    assert!(files.len() >= 10, "{files:?}");
    let on = |paths: &[&str]| -> Vec<String> {
        whole.iter().filter(|d| paths.iter().any(|p| d.contains(&format!("\"path\":\"{p}\"")))).cloned().collect()
    };
    for (i, file) in files.iter().enumerate() {
        assert_eq!(findings(&[file]), on(&[file]), "{file}");
        let other = &files[(i + 3) % files.len()];
        assert_eq!(findings(&[file, other]), on(&[file, other]), "{file} and {other}");
    }
}

/// Every command that writes a report writes it to the file `-o` names, as `check` does, so
/// that CI can upload it: `inspect`, `approvals`, `policy`, `audit` and `log`.
#[test]
fn every_report_writes_to_the_file_o_names() {
    let mut s = support::git::Script::new();
    support::today::ok(s.root(), &["init"]);
    support::today::ok(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    s.commit(&support::git::ALICE, &support::git::ALICE, "Adopt pactum");
    for (args, name) in [
        (&["inspect", "contracts/acme-nda.md", "--format", "json"][..], "inspect.json"),
        (&["approvals", "--format", "json"], "approvals.json"),
        (&["policy", "--format", "json"], "policy.json"),
        (&["audit", "--format", "json"], "audit.json"),
        (&["log", "acme-nda", "--format", "json"], "log.json"),
        (&["log", "acme-nda"], "log.txt"),
    ] {
        let output = support::today::pactum(s.root(), &[args, &["-o", name]].concat());
        assert!(matches!(output.status.code(), Some(0 | 1)), "{args:?}: {}", support::text(&output));
        assert!(output.stdout.is_empty(), "{args:?} wrote to standard output too");
        let written = std::fs::read_to_string(s.root().join(name)).unwrap();
        if Path::new(name).extension().is_some_and(|e| e == "json") {
            let value: serde_json::Value = serde_json::from_str(&written).unwrap();
            assert_eq!(value["version"], 1, "{name}");
        } else {
            assert!(
                written.starts_with("acme-nda (contracts/acme-nda.md)\n") && !written.contains('\u{1b}'),
                "{written}"
            );
        }
    }
}
