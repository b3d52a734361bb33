//! Hostile repositories: files, links and configuration planted to make pactum read or write
//! outside the repository, or lose what it writes. Each test performs the attack and asserts
//! the safe outcome.

use crate::support;

use support::git::{ALICE, Script};
use support::text;
use support::today::{SIGN_ACME, SIGN_US, ok, pactum};

fn drafted() -> Script {
    let mut s = Script::new();
    ok(s.root(), &["init"]);
    ok(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    s.commit(&ALICE, &ALICE, "Drafted");
    s
}

/// A committed link where `execute` once wrote its scratch file points outside the
/// repository: `execute` must not write through it.
#[test]
fn execute_does_not_write_through_a_planted_scratch_link() {
    let s = drafted();
    let root = s.root();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "untouched").unwrap();
    std::os::unix::fs::symlink(&victim, root.join("contracts/acme-nda.md.pactum-tmp")).unwrap();
    std::os::unix::fs::symlink(&victim, root.join("contracts/.pactum-0.tmp")).unwrap();
    let path = root.join("contracts/acme-nda.md");
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o640)).unwrap();
    ok(root, &["execute", "contracts/acme-nda.md", "--signature", SIGN_ACME, "--signature", SIGN_US]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
    let executed = std::fs::read_to_string(&path).unwrap();
    assert!(executed.contains("status = \"executed\""));
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o640, "the contract keeps its permissions");
    // No scratch file is left behind.
    let left: Vec<String> = std::fs::read_dir(root.join("contracts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".pactum-") && n != ".pactum-0.tmp")
        .collect();
    assert_eq!(left, Vec::<String>::new());
}

/// The contract itself replaced by a link to a file outside: `execute` refuses to write it.
#[test]
fn execute_refuses_to_write_through_a_link() {
    let s = drafted();
    let root = s.root();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("acme-nda.md");
    std::fs::rename(root.join("contracts/acme-nda.md"), &target).unwrap();
    std::os::unix::fs::symlink(&target, root.join("contracts/acme-nda.md")).unwrap();
    let before = std::fs::read_to_string(&target).unwrap();
    let output = pactum(root, &["execute", "contracts/acme-nda.md", "--signature", SIGN_ACME, "--signature", SIGN_US]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), before);
}

/// `[repository] contracts = "../outside"` would read and print files outside the repository.
#[test]
fn configured_folders_stay_inside_the_repository() {
    let s = drafted();
    let root = s.root();
    let config = std::fs::read_to_string(root.join("pactum.toml")).unwrap();
    for folder in ["../outside", "/etc", "contracts/../../x", ".git"] {
        std::fs::write(
            root.join("pactum.toml"),
            config.replace("contracts = \"contracts\"", &format!("contracts = \"{folder}\"")),
        )
        .unwrap();
        let output = pactum(root, &["check"]);
        assert_eq!(output.status.code(), Some(2), "{folder}: {}", text(&output));
        assert!(text(&output).contains("leaves the repository"), "{folder}: {}", text(&output));
    }
    // A folder that is a link out of the repository is refused too.
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("agreements")).unwrap();
    std::fs::write(root.join("pactum.toml"), config.replace("contracts = \"contracts\"", "contracts = \"agreements\""))
        .unwrap();
    let output = pactum(root, &["check"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
}

/// A contract once committed as UTF-16 (or with NUL bytes) and later deleted: the ledger and
/// the audit go on, and the audit names the version it could not read.
#[test]
fn an_unreadable_version_in_history_is_a_finding_not_a_crash() {
    let mut s = drafted();
    let root = s.root().to_path_buf();
    let utf16: Vec<u8> = "+++\nid = \"x\"\n+++\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(root.join("contracts/legacy.md"), [&[0xFF, 0xFE][..], &utf16].concat()).unwrap();
    std::fs::write(root.join("contracts/nul.md"), b"+++\nid = \"y\"\n+++\n\0\0").unwrap();
    s.commit(&ALICE, &ALICE, "Import legacy files");
    std::fs::remove_file(root.join("contracts/legacy.md")).unwrap();
    std::fs::remove_file(root.join("contracts/nul.md")).unwrap();
    s.commit(&ALICE, &ALICE, "Remove them");
    let approvals = pactum(&root, &["approvals", "--format", "json"]);
    assert_eq!(approvals.status.code(), Some(0), "{}", text(&approvals));
    let audit = pactum(&root, &["audit", "--format", "json"]);
    assert_eq!(audit.status.code(), Some(1), "{}", text(&audit));
    let report: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    let unreadable: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "unreadable-version")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(unreadable, ["contracts/legacy.md", "contracts/nul.md", "contracts/legacy.md", "contracts/nul.md"]);
    let log = pactum(&root, &["log", "acme-nda"]);
    assert_eq!(log.status.code(), Some(0), "{}", text(&log));
}

/// Inputs that are no contract files at all: devices, FIFOs, folders, endless streams.
#[test]
fn what_is_not_a_regular_file_is_refused_with_a_message() {
    let s = drafted();
    let root = s.root();
    for args in [
        &["inspect", "/dev/zero"][..],
        &["render", "/dev/zero"],
        &["new", "nda", "--id", "z-nda", "--values", "/dev/zero"],
    ] {
        let output = pactum(root, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output));
        assert!(text(&output).contains("is not a regular file"), "{args:?}: {}", text(&output));
    }
    let fifo = root.join("pipe.md");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let output = pactum(root, &["inspect", fifo.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
}

/// `render` of a contract whose front matter is not TOML prints no page without its parties.
#[test]
fn render_refuses_a_contract_whose_front_matter_is_broken() {
    let s = drafted();
    let root = s.root();
    let path = root.join("contracts/acme-nda.md");
    let text_now = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text_now.replacen("title = \"", "title = \"unclosed\ntype = ", 1)).unwrap();
    let output = pactum(root, &["render", "contracts/acme-nda.md"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("front matter is not valid TOML"), "{}", text(&output));
}

/// Durations that end before they start or run past the calendar are findings, not passes.
#[test]
fn impossible_terms_are_findings() {
    let s = drafted();
    let root = s.root();
    let path = root.join("contracts/acme-nda.md");
    let drafted = std::fs::read_to_string(&path).unwrap();
    let line = drafted.lines().find(|l| l.starts_with("term = ")).unwrap().to_owned();
    for (term, message) in
        [("0 days", "ends before it starts"), ("99999999 months", "runs past the end of the calendar")]
    {
        std::fs::write(&path, drafted.replace(&line, &format!("term = \"{term}\""))).unwrap();
        let output = pactum(root, &["check"]);
        assert_eq!(output.status.code(), Some(1), "{term}: {}", text(&output));
        assert!(text(&output).contains(message), "{term}: {}", text(&output));
        let inspect = pactum(root, &["inspect", "contracts/acme-nda.md"]);
        assert!(inspect.status.code().is_some_and(|c| c < 101), "no panic: {}", text(&inspect));
    }
}

/// A bare repository has no files: every command says so and how to get a working tree,
/// instead of checking nothing and passing.
#[test]
fn a_bare_repository_is_refused_with_the_fix() {
    let s = drafted();
    let bare = s.root().join("bare.git");
    s.git(&ALICE, &ALICE, &["clone", "-q", "--bare", ".", "bare.git"]);
    let shown = bare.to_str().unwrap();
    for args in [vec!["check", shown], vec!["audit", "--repo", shown], vec!["approvals", "--repo", shown]] {
        let output = pactum(s.root(), &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output));
        assert!(text(&output).contains("bare Git repository"), "{args:?}: {}", text(&output));
        assert!(text(&output).contains("git clone"), "{args:?}: {}", text(&output));
    }
    let inside = pactum(&bare, &["audit"]);
    assert_eq!(inside.status.code(), Some(2), "{}", text(&inside));
}

/// Contracts kept in a submodule have their history elsewhere: the history commands say they
/// cannot read it instead of reporting an empty ledger.
#[test]
fn contracts_in_a_submodule_are_not_an_empty_ledger() {
    let mut contracts = Script::new();
    contracts.write("acme-nda.md", "+++\nid = \"acme-nda\"\n+++\n\n## 1. Terms\n\nText.\n");
    contracts.commit(&ALICE, &ALICE, "Contracts");
    let mut s = Script::new();
    ok(s.root(), &["init"]);
    std::fs::remove_dir_all(s.root().join("contracts")).unwrap();
    let source = contracts.root().to_str().unwrap();
    s.git(&ALICE, &ALICE, &["-c", "protocol.file.allow=always", "submodule", "add", "-q", source, "contracts"]);
    s.commit(&ALICE, &ALICE, "Contracts as a submodule");
    for args in [&["audit"][..], &["approvals"][..]] {
        let output = pactum(s.root(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output));
        assert!(text(&output).contains("contracts is a Git submodule"), "{args:?}: {}", text(&output));
    }
}

/// A 240 KB line of `TBD`s is one problem: the findings on it are summarised past a few, and
/// each keeps a window of the line, not the line.
#[test]
fn findings_on_a_huge_line_are_bounded() {
    let s = drafted();
    let line = vec!["TBD"; 60_000].join(" ");
    s.write(
        "contracts/huge.md",
        &format!("+++\nid = \"huge\"\ntitle = \"Huge\"\ntype = \"nda\"\n+++\n\n# Huge\n\n1. **Terms**. {line}\n"),
    );
    let output = pactum(s.root(), &["check", "contracts/huge.md"]);
    let shown = text(&output);
    assert!(shown.len() < 40_000, "{} bytes of output", shown.len());
    assert!(shown.contains("59990 more findings of `placeholder/unfilled` on line 9"), "{}", &shown[..2000]);
    assert!(shown.contains("part of a long line"), "{}", &shown[..2000]);
    let output = pactum(s.root(), &["check", "contracts/huge.md", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let placeholders =
        json["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "placeholder/unfilled").count();
    assert_eq!(placeholders, 11);
}

/// A contract of `clauses` clauses, each defining a term, using the one before, and citing the
/// section before; `variant` changes every clause's words.
fn long_contract(clauses: usize, variant: &str) -> String {
    let mut text = String::from(
        "+++\nid = \"big\"\ntitle = \"Big\"\ntype = \"nda\"\nstatus = \"draft\"\nowner = \"@a\"\n\n[[parties]]\nname = \"A\"\nrole = \"a\"\n+++\n\n",
    );
    // Numbered as agreements number paragraphs, a hundred to a section: 1.1 … 1.100, 2.1 …
    let number = |n: usize| format!("{}.{}", (n - 1) / 100 + 1, (n - 1) % 100 + 1);
    for n in 1..=clauses {
        let before = n.saturating_sub(1).max(1);
        text.push_str(&format!(
            "{} The \"Term{n}\" means a {variant} thing, as Term{before} does; see Section {}.\n\n",
            number(n),
            number(before)
        ));
    }
    text
}

/// The fastest of three runs of `work`, in seconds.
fn fastest(mut work: impl FnMut()) -> f64 {
    (0..3)
        .map(|_| {
            let started = std::time::Instant::now();
            work();
            started.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// Reading (defined terms and their uses), rendering and diffing a contract grow with its size,
/// not with its size squared: four times the clauses cost about four times the time, where the
/// quadratic scans (a search per defined term, an overlap scan per definition, a whole-text
/// `replace_range` per rendered edit) cost sixteen. The figures for large contracts are in
/// `cargo bench --bench scale`.
#[test]
fn long_contracts_cost_linear_time() {
    use pactum_core::contract::{Contract, FrontMatterRule};
    let read = |text: &str| Contract::read("big.md", text.to_owned(), FrontMatterRule::Required, &mut Vec::new());
    let (small, large) = (1_500, 6_000);
    let texts: Vec<(String, String)> =
        [small, large].iter().map(|&n| (long_contract(n, "plain"), long_contract(n, "changed"))).collect();
    let mut ratios = Vec::new();
    for (what, run) in [
        (
            "read",
            &(|(old, _): &(String, String)| {
                let contract = read(old);
                // Clause n uses Term(n-1); clause 1 uses its own.
                assert_eq!(
                    contract.terms.iter().map(pactum_core::contract::Term::uses).sum::<usize>(),
                    contract.terms.len()
                );
            }) as &dyn Fn(&(String, String)),
        ),
        ("render", &|(old, _): &(String, String)| drop(pactum::print::contract_page::page(&read(old), "en"))),
        ("diff", &|(old, new): &(String, String)| {
            let (old, new) = (read(old), read(new));
            let diff = pactum_core::diff::diff(Some(&old), Some(&new), &pactum_core::diff::DiffOptions::default());
            assert_eq!(diff.clauses.len(), old.terms.len(), "every clause changed");
        }),
    ] {
        let times: Vec<f64> = texts.iter().map(|pair| fastest(|| run(pair))).collect();
        ratios.push((what, times[1] / times[0]));
    }
    for (what, ratio) in &ratios {
        assert!(*ratio < 8.0, "{what}: 4× the clauses took {ratio:.1}× the time (all: {ratios:?})");
    }
}

/// A renewal of 50 business days running since year 1, with 300 holidays: reminders are
/// computed from the anchor by counting, not by walking every business day of twenty
/// centuries for each term.
#[test]
fn business_day_terms_from_long_ago_are_computed_at_once() {
    let mut s = drafted();
    let holidays: Vec<String> = (0..300)
        .map(|n| format!("{}", chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(n * 2)))
        .collect();
    let config = std::fs::read_to_string(s.root().join("pactum.toml")).unwrap();
    let config = config.replace("holidays = []", &format!("holidays = [{}]", holidays.join(", ")));
    std::fs::write(s.root().join("pactum.toml"), config).unwrap();
    let path = s.root().join("contracts/acme-nda.md");
    let drafted = std::fs::read_to_string(&path).unwrap();
    let contract = drafted
        .replace("effective_date = 2026-11-27", "effective_date = 0001-01-01")
        .replace("term = \"2 years\"", "term = \"50 business days\"")
        .replace("status = \"draft\"", "status = \"executed\"")
        .replace("kind = \"fixed\"", "kind = \"auto\"\nperiod = \"50 business days\"\nnotice = \"5 business days\"");
    std::fs::write(&path, contract).unwrap();
    s.commit(&ALICE, &ALICE, "Since year 1");
    let output = support::pactum_within(
        s.root(),
        &["remind", "--format", "json", "--within", "1y", "--as-of", "2026-11-27"],
        std::time::Duration::from_secs(30),
    );
    assert!(output.status.success(), "{}", text(&output));
    let events: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let renewals = events["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "renewal").count();
    // A year holds 250-odd business days less the holidays: four or five renewals of fifty.
    assert!((3..=6).contains(&renewals), "{renewals} renewals: {events}");
}

/// A version larger than `[check] max_file_size` merged once (a pasted 120 MB exhibit) is
/// named by the audit on that landing, not read: the ledger, the log and the report go on
/// without holding it in memory.
#[test]
fn a_huge_version_in_history_is_named_not_read() {
    let mut s = drafted();
    let root = s.root().to_path_buf();
    let config = std::fs::read_to_string(root.join("pactum.toml")).unwrap();
    std::fs::write(root.join("pactum.toml"), config.replace("max_file_size = 10485760", "max_file_size = 20000"))
        .unwrap();
    s.commit(&ALICE, &ALICE, "Smaller limit");
    let path = root.join("contracts/acme-nda.md");
    let drafted = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{drafted}\n## Exhibit\n\n{}\n", "Pasted words. ".repeat(5_000))).unwrap();
    s.commit(&ALICE, &ALICE, "Paste the exhibit");
    std::fs::write(&path, &drafted).unwrap();
    s.commit(&ALICE, &ALICE, "Take it out again");
    let audit = pactum(&root, &["audit", "--format", "json"]);
    assert_eq!(audit.status.code(), Some(1), "{}", text(&audit));
    let report: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    let named: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "unreadable-version")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(named.len(), 2, "the landing that added it and the one that removed it: {report}");
    assert!(named.iter().all(|m| m.contains("more than `[check] max_file_size` (20000 bytes)")), "{named:?}");
    for command in [&["approvals"][..], &["log", "acme-nda"], &["report"]] {
        let output = pactum(&root, command);
        assert_eq!(output.status.code(), Some(0), "{command:?}: {}", text(&output));
    }
}

/// A schema pattern the regex engine cannot decide within its backtracking limit fails closed:
/// the value is not taken to match, and the finding names the pattern to simplify.
#[test]
fn an_undecidable_schema_pattern_fails_closed_and_is_named() {
    let mut s = drafted();
    let root = s.root().to_path_buf();
    std::fs::write(
        root.join("schemas/reseller.schema.json"),
        r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "allOf": [{ "$ref": "contract.schema.json" }],
  "properties": { "type": { "const": "reseller" }, "code": { "type": "string", "pattern": "^(a|a)*\\1b$" } }
}
"#,
    )
    .unwrap();
    let path = root.join("contracts/acme-nda.md");
    let drafted = std::fs::read_to_string(&path).unwrap();
    let reseller = drafted
        .replace("type = \"nda\"", &format!("type = \"reseller\"\ncode = \"{}!\"", "a".repeat(40)))
        .replace("[template]\nname = \"nda\"", "[template]\nname = \"reseller\"");
    std::fs::write(&path, reseller).unwrap();
    s.commit(&ALICE, &ALICE, "A reseller agreement");
    let output = pactum(&root, &["check", "--format", "json", "contracts/acme-nda.md"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let messages: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["message"].as_str().unwrap()).collect();
    assert!(messages.iter().any(|m| m.contains("`code` could not be checked against `^(a|a)*\\1b$`")), "{messages:?}");
}

/// Links that name no file are told as such, not as links outside the repository.
#[test]
fn broken_links_are_told_as_broken() {
    let s = drafted();
    let contracts = s.root().join("contracts");
    std::os::unix::fs::symlink("nowhere.md", contracts.join("dangling.md")).unwrap();
    std::os::unix::fs::symlink("loop.md", contracts.join("loop.md")).unwrap();
    let output = pactum(s.root(), &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(&str, &str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["code"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert!(found.iter().all(|(_, code, _)| *code == "file/broken-link"), "{found:?}");
    assert!(
        found.iter().any(|(path, _, m)| *path == "contracts/dangling.md" && m.contains("does not exist")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(path, _, m)| *path == "contracts/loop.md" && m.contains("cannot be followed")),
        "{found:?}"
    );
}

/// A file whose lines end in a carriage return alone is told about its line endings, not that
/// it lacks front matter; in history, the audit names the version and why.
#[test]
fn lone_cr_line_endings_are_named() {
    let mut s = drafted();
    let path = s.root().join("contracts/acme-nda.md");
    let drafted = std::fs::read_to_string(&path).unwrap();
    std::fs::write(s.root().join("contracts/mac.md"), drafted.replace("acme-nda", "mac").replace('\n', "\r")).unwrap();
    let output = pactum(s.root(), &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(codes, [("contracts/mac.md", "file/line-endings")]);
    // A stray CR in a file with LF line endings is no such file.
    std::fs::write(&path, drafted.replacen("Acme", "Ac\rme", 1)).unwrap();
    std::fs::remove_file(s.root().join("contracts/mac.md")).unwrap();
    let output = pactum(s.root(), &["check", "--format", "json"]);
    assert!(!String::from_utf8_lossy(&output.stdout).contains("file/line-endings"));
    std::fs::write(&path, drafted.replace('\n', "\r")).unwrap();
    s.commit(&ALICE, &ALICE, "Saved on an old Mac");
    let audit = pactum(s.root(), &["audit", "--format", "json"]);
    assert!(
        String::from_utf8_lossy(&audit.stdout).contains("is not text pactum reads (file/line-endings)"),
        "{}",
        text(&audit)
    );
}

/// A damaged object is named, with the file it holds and the commit that needs it.
#[test]
fn a_corrupt_object_is_named_with_its_commit() {
    let mut s = drafted();
    let path = s.root().join("contracts/acme-nda.md");
    let drafted = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, drafted.replace("2 years", "3 years")).unwrap();
    s.commit(&ALICE, &ALICE, "Longer");
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git").args(args).current_dir(s.root()).output().unwrap();
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    };
    let blob = git(&["rev-parse", "HEAD~1:contracts/acme-nda.md"]);
    let commit = git(&["rev-parse", "HEAD~1"]);
    let object = s.root().join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    let mut permissions = std::fs::metadata(&object).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o644);
    std::fs::set_permissions(&object, permissions).unwrap();
    std::fs::write(&object, b"damaged").unwrap();
    for command in [&["approvals"][..], &["audit"], &["log", "acme-nda"]] {
        let output = pactum(s.root(), command);
        assert_eq!(output.status.code(), Some(2), "{command:?}: {}", text(&output));
        let said = text(&output);
        assert!(said.contains(&blob) && said.contains(&commit) && said.contains("contracts/acme-nda.md"), "{said}");
        assert!(said.contains("git fsck"), "{said}");
    }
    // The report's cycle times read the same versions: it says why they are left out.
    let output = pactum(s.root(), &["report", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let note = report["history_note"].as_str().unwrap_or_default();
    assert!(note.contains(&blob) && note.contains(&commit) && note.contains("git fsck"), "{}", text(&output));
}

/// One path longer than the system allows is a finding on it; the other contracts are checked.
#[test]
fn a_path_too_long_is_a_finding_not_the_end_of_the_run() {
    let s = drafted();
    // Seventeen folders of 250 bytes: past Linux's PATH_MAX of 4096 bytes. The system refuses
    // such a path at once, so the folders are made with short names and renamed from the
    // deepest up: each rename names one long folder at most.
    let contracts = s.root().join("contracts");
    let short = |levels: usize| (0..levels).fold(contracts.clone(), |path, _| path.join("a"));
    std::fs::create_dir_all(short(17)).unwrap();
    std::fs::write(short(17).join("deep.md"), "+++\n").unwrap();
    for level in (1..=17).rev() {
        std::fs::rename(short(level), short(level - 1).join("d".repeat(250))).unwrap();
    }
    let output = pactum(s.root(), &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let unreadable: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "file/unreadable")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(unreadable.len(), 1, "{report}");
    assert!(unreadable[0].contains("too long"), "{unreadable:?}");
    // The NDA was checked too, and the template and three clauses `init` wrote.
    assert_eq!(report["summary"]["files"], 6, "the NDA was checked too: {report}");
}
