//! Drafting and execution end to end, in a real Git repository: init, new, check, execute,
//! check; the playbook check; amendments; refusals; and the printable page in a real browser.

use crate::support;

use support::text;

use std::path::Path;
use std::process::Command;

use support::git::{ALICE, Script};
use support::today::{SIGN_ACME, SIGN_US, ok, pactum};

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap()
}

/// A repository made by `pactum init`, committed.
fn initialised() -> Script {
    let mut s = Script::new();
    ok(s.root(), &["init"]);
    s.commit(&ALICE, &ALICE, "pactum init");
    s
}

#[test]
fn init_new_check_execute_check() {
    let mut s = initialised();
    let root = s.root().to_path_buf();
    // init never overwrites, and what it creates checks clean.
    std::fs::write(root.join("CODEOWNERS"), "# ours\n").unwrap();
    let again = ok(&root, &["init"]);
    assert!(again.contains("kept     CODEOWNERS (already there)") && again.contains("0 files created"), "{again}");
    assert_eq!(read(&root, "CODEOWNERS"), "# ours\n");
    assert!(ok(&root, &["check"]).contains("0 errors, 0 warnings"));
    // A CODEOWNERS that asks nobody is warned of once a contract needs an approver
    // (`roles::`); this walk goes on without one.
    std::fs::remove_file(root.join("CODEOWNERS")).unwrap();

    let created = ok(&root, &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    assert!(created.contains("created contracts/acme-nda.md from template nda"), "{created}");
    let drafted = read(&root, "contracts/acme-nda.md");
    assert!(drafted.contains("id = \"acme-nda\"") && drafted.contains("status = \"draft\""));
    assert!(drafted.contains("[template]\nname = \"nda\"\nversion = "), "template provenance");
    assert!(drafted.contains("[[library]]\nclause = \"confidentiality\"\nversion = \"1\""), "library provenance");
    assert!(drafted.contains("effective_date = 2026-11-27"), "the date default is today (--as-of)");
    assert!(ok(&root, &["check"]).contains("checked 5 files: 0 errors, 0 warnings"));
    s.commit(&ALICE, &ALICE, "Draft the Acme NDA");

    // Executing with one party's signature only would fail check: refused, file untouched.
    let partial = pactum(&root, &["execute", "contracts/acme-nda.md", "--signature", SIGN_ACME]);
    assert_eq!(partial.status.code(), Some(2));
    assert!(text(&partial).contains("signature/missing"), "{}", text(&partial));
    assert_eq!(read(&root, "contracts/acme-nda.md"), drafted);

    let executed = ok(&root, &["execute", "contracts/acme-nda.md", "--signature", SIGN_ACME, "--signature", SIGN_US]);
    assert!(executed.contains("2 signatures recorded"), "{executed}");
    let signed = read(&root, "contracts/acme-nda.md");
    assert!(signed.contains("status = \"executed\""));
    assert!(
        signed.contains(
            "[[signatures]]\nparty = \"Acme, Inc.\"\nname = \"Jane Doe\"\ntitle = \"CEO\"\ndate = 2026-11-26"
        ),
        "{signed}"
    );
    assert!(signed.contains("[execution]\nbody_sha256 = \""));
    // Only the front matter changed.
    let body = |t: &str| t.split("+++\n").nth(2).unwrap().to_owned();
    assert_eq!(body(&signed), body(&drafted));
    assert!(ok(&root, &["check"]).contains("0 errors"));
    s.commit(&ALICE, &ALICE, "Executed");

    // A later edit of the executed text is an error …
    let path = root.join("contracts/acme-nda.md");
    std::fs::write(&path, signed.replace("runs for 2 years", "runs for 5 years")).unwrap();
    let changed = pactum(&root, &["check", "--format", "json"]);
    assert_eq!(changed.status.code(), Some(1));
    assert!(text(&changed).contains("executed/body-changed"));
    // … unless an executed amendment records it.
    std::fs::write(
        root.join("contracts/acme-nda-amendment-1.md"),
        "+++\nid = \"acme-nda-amendment-1\"\ntitle = \"Amendment 1\"\ntype = \"amendment\"\nstatus = \"draft\"\nowner = \"@legal\"\namends = \"acme-nda\"\neffective_date = 2026-12-01\n\n[[parties]]\nname = \"Our Company AS\"\nrole = \"party-1\"\n\n[[parties]]\nname = \"Acme, Inc.\"\nrole = \"party-2\"\n+++\n\n1. **Term**. The NDA runs for five years.\n",
    )
    .unwrap();
    // Signatures from a file this time; a comment in the front matter survives the edit.
    let amendment = root.join("contracts/acme-nda-amendment-1.md");
    let text = std::fs::read_to_string(&amendment)
        .unwrap()
        .replace("owner = \"@legal\"", "owner = \"@legal\"   # the legal team keeps it");
    std::fs::write(&amendment, text).unwrap();
    std::fs::write(
        root.join("signatures.toml"),
        "[[signatures]]\nparty = \"Acme, Inc.\"\nname = \"Jane Doe\"\ntitle = \"CEO\"\ndate = 2026-11-26\n\n[[signatures]]\nparty = \"Our Company AS\"\nname = \"Ola Nordmann\"\ntitle = \"Managing Director\"\ndate = 2026-11-26\n",
    )
    .unwrap();
    ok(&root, &["execute", "contracts/acme-nda-amendment-1.md", "--signatures", "signatures.toml"]);
    let executed = read(&root, "contracts/acme-nda-amendment-1.md");
    assert!(executed.contains("amends_body_sha256 = \""));
    assert!(executed.contains("owner = \"@legal\"   # the legal team keeps it"), "{executed}");
    assert!(executed.contains("date = 2026-11-26"));
    assert!(ok(&root, &["check"]).contains("0 errors"), "the amendment records the amended text");
}

#[test]
fn the_playbook_check_sees_deviations_and_newer_versions() {
    let s = initialised();
    let root = s.root();
    ok(root, &["new", "nda", "--id", "globex-nda", "--set", "counterparty=Globex"]);
    let path = root.join("contracts/globex-nda.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("Each Party keeps the other's", "Each Party keeps all of the other's")).unwrap();
    // A new version of a library clause, keeping the old one to compare with.
    std::fs::copy(root.join("clauses/governing-law.md"), root.join("clauses/governing-law@1.md")).unwrap();
    let clause = read(root, "clauses/governing-law.md").replace("version = \"1\"", "version = \"2\"");
    std::fs::write(root.join("clauses/governing-law.md"), clause).unwrap();
    let output = pactum(root, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_owned(), d["message"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].0, "clause/library-outdated");
    assert!(found[0].1.contains("`governing-law` has a newer version 2"));
    assert_eq!(found[1].0, "clause/deviates-from-library");
    assert!(
        found[1].1.contains("clause 2 deviates from library clause `confidentiality` version 1")
            && found[1].1.contains("inserted \"all of\""),
        "{}",
        found[1].1
    );
}

#[test]
fn values_are_data_and_paths_stay_inside() {
    let s = initialised();
    let root = s.root();
    // Template syntax in a value is written as typed, never evaluated.
    ok(
        root,
        &[
            "new",
            "nda",
            "--id",
            "inject",
            "--set",
            "counterparty={{ 7 * 7 }} {% include \"x\" %} Ltd",
            "--set",
            "our_name=Quote \" and back\\slash AS",
        ],
    );
    let drafted = read(root, "contracts/inject.md");
    assert!(drafted.contains("{{ 7 * 7 }} {% include \"x\" %} Ltd"), "{drafted}");
    assert!(!drafted.contains("49"));
    assert!(ok(root, &["check"]).contains("0 errors"), "quotes and backslashes are escaped in TOML");
    // Ids name files: anything but a slug is refused, and nothing is written.
    for bad in ["../escape", "a/b", "Upper", "", "..", "x.md"] {
        let output = pactum(root, &["new", "nda", "--id", bad, "--set", "counterparty=X"]);
        assert_eq!(output.status.code(), Some(2), "{bad}: {}", text(&output));
    }
    assert!(!root.join("escape.md").exists() && !root.join("contracts/a").exists());
    // Templates are names, not paths.
    let output = pactum(root, &["new", "../../etc/passwd", "--id", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("no template"), "{}", text(&output));
    // Never overwrite.
    let before = read(root, "contracts/inject.md");
    let output = pactum(root, &["new", "nda", "--id", "inject", "--set", "counterparty=Other"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("exists already"));
    assert_eq!(read(root, "contracts/inject.md"), before);
    // Missing or malformed values are named, all at once.
    let output = pactum(root, &["new", "nda", "--id", "empty", "--set", "term=forever", "--set", "colour=red"]);
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output);
    assert!(
        message.contains("`counterparty` is required")
            && message.contains("`term` = \"forever\" is not a duration")
            && message.contains("`colour` is not a variable"),
        "{message}"
    );
    // A draft that would fail check is not written.
    std::fs::write(root.join("templates/broken.md"), "+++\ndescription = \"broken\"\n+++\n+++\ntitle = \"No parties\"\ntype = \"nda\"\nowner = \"@legal\"\n+++\n\n1. **Only**. Text.\n").unwrap();
    let output = pactum(root, &["new", "broken", "--id", "broken"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("schema/required") && text(&output).contains("nothing was written"),
        "{}",
        text(&output)
    );
    assert!(!root.join("contracts/broken.md").exists());
}

/// The page printed to PDF by Debian's Chromium, read back with pdftotext.
#[test]
fn render_prints_to_pdf() {
    let Some(chromium) = support::browser::chromium() else { return };
    let pdftotext = Path::new("/usr/bin/pdftotext");
    if !pdftotext.exists() {
        assert!(std::env::var("CI").is_err(), "CI must install poppler-utils (see .ci/run)");
        eprintln!("skipped: no pdftotext");
        return;
    }
    let s = initialised();
    let root = s.root();
    ok(root, &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    ok(root, &["execute", "contracts/acme-nda.md", "--signature", SIGN_ACME, "--signature", SIGN_US]);
    let page = root.join("acme.html");
    ok(root, &["render", "contracts/acme-nda.md", "-o", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("<dfn id=\"term-confidential-information\">Confidential Information</dfn>"),
        "defined terms are marked"
    );
    assert!(
        html.contains("<a class=\"ref\" href=\"#clause-confidentiality\">Section 2 (Confidentiality)</a>"),
        "references are links"
    );
    assert!(html.contains("<a id=\"clause-confidentiality\"></a>"), "clauses are anchors");
    let pdf = root.join("acme.pdf");
    support::browser::run(
        chromium,
        root,
        &page,
        &["--no-pdf-header-footer", &format!("--print-to-pdf={}", pdf.display())],
    );
    assert!(pdf.exists(), "Chromium printed no PDF");
    let text = String::from_utf8(Command::new(pdftotext).args(["-layout"]).arg(&pdf).arg("-").output().unwrap().stdout)
        .unwrap();
    let pages = text.split('\u{c}').filter(|p| !p.trim().is_empty()).count();
    // Lines wrap where the page ends them: compare with white space folded.
    let folded = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(pages >= 3, "a cover page, the body, the signatures: {pages} pages");
    let first = folded(text.split('\u{c}').next().unwrap());
    assert!(
        first.contains("Mutual NDA with Acme, Inc.")
            && first.contains("Our Company AS")
            && first.contains("Effective date"),
        "cover page: {first}"
    );
    let text = folded(&text);
    assert!(text.contains("Confidential Information. \"Confidential Information\" means"), "{text}");
    assert!(text.contains("Section 2 (Confidentiality)"), "{text}");
    assert!(
        text.contains("Signed by Jane Doe, CEO on 2026-11-26")
            && text.contains("Signed by Ola Nordmann, Managing Director on 2026-11-26"),
        "{text}"
    );
}

/// On a terminal, `pactum new` asks for what is still missing (`script` gives it a terminal).
#[test]
fn new_prompts_on_a_terminal() {
    if !Path::new("/usr/bin/script").exists() {
        assert!(std::env::var("CI").is_err(), "util-linux's script is part of the machine");
        return;
    }
    let s = initialised();
    let root = s.root();
    let command = format!("{} new nda --as-of 2026-11-27", env!("CARGO_BIN_EXE_pactum"));
    let mut child = Command::new("/usr/bin/script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(root)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"tty-nda\nTTY Corp\n").unwrap();
    let output = child.wait_with_output().unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(
        shown.contains("id of the new contract") && shown.contains("counterparty (The other party's legal name)"),
        "{shown}"
    );
    assert!(read(root, "contracts/tty-nda.md").contains("name = \"TTY Corp\""));
}

/// A signature dated after today is refused, and nothing is written: it is a typing error, or
/// a record made before the signing.
#[test]
fn a_signature_dated_after_today_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    ok(&root, &["init"]);
    ok(&root, &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    let before = read(&root, "contracts/acme-nda.md");
    let future = SIGN_ACME.replace("2026-11-26", "2030-11-26");
    let refused = pactum(&root, &["execute", "contracts/acme-nda.md", "--signature", &future, "--signature", SIGN_US]);
    assert_eq!(refused.status.code(), Some(2));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("Acme, Inc. is dated 2030-11-26, after today (2026-11-27)"), "{said}");
    assert_eq!(read(&root, "contracts/acme-nda.md"), before);
    // Tomorrow is someone's today.
    let tomorrow = SIGN_ACME.replace("2026-11-26", "2026-11-28");
    ok(&root, &["execute", "contracts/acme-nda.md", "--signature", &tomorrow, "--signature", SIGN_US]);
}

/// Clause text takes the contract's front matter (the governing law by name), and the playbook
/// check compares it filled in; `check` finds what would break `pactum new` in the templates
/// and the clause library, at its line, and reads a template named on the command line as a
/// template.
#[test]
fn clauses_read_as_the_contract_and_drafting_material_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    ok(&root, &["init"]);
    ok(&root, &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc.", "--set", "governing_law=US-DE"]);
    let nda = read(&root, "contracts/acme-nda.md");
    assert!(nda.contains("The laws of the State of Delaware govern the\nAgreement"), "{nda}");
    assert!(!nda.contains("{{") && !nda.contains("front matter govern"), "{nda}");
    let clean = ok(&root, &["check"]);
    assert!(clean.contains("checked 5 files: 0 errors, 0 warnings"), "{clean}");
    // The governing law changed in the front matter, not in the clause: a deviation.
    std::fs::write(
        root.join("contracts/acme-nda.md"),
        nda.replace("governing_law = \"US-DE\"", "governing_law = \"NO\""),
    )
    .unwrap();
    let moved = ok(&root, &["check"]);
    assert!(
        moved.contains("clause/deviates-from-library")
            && moved.contains("deleted \"Norway\"")
            && moved.contains("inserted \"the State of Delaware\""),
        "{moved}"
    );
    std::fs::write(root.join("contracts/acme-nda.md"), &nda).unwrap();

    // A clause id the library lacks, at its line in the template.
    let template = read(&root, "templates/nda.md");
    let line = template.lines().position(|l| l.contains("clause(id=\"governing-law\")")).unwrap() + 1;
    std::fs::write(
        root.join("templates/nda.md"),
        template.replace("clause(id=\"governing-law\")", "clause(id=\"governing-lwa\")"),
    )
    .unwrap();
    let broken = pactum(&root, &["check"]);
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
    let said = String::from_utf8_lossy(&broken.stdout).into_owned();
    assert!(said.contains("error[template/invalid]: the clause library has no clause `governing-lwa`"), "{said}");
    assert!(said.contains(&format!("--> templates/nda.md:{line}:")), "{said}");
    // Named alone, the template is checked as a template: no placeholder or front-matter findings.
    let alone = pactum(&root, &["check", "templates/nda.md"]);
    let alone_said = String::from_utf8_lossy(&alone.stdout).into_owned();
    assert!(alone_said.contains("checked 1 file: 1 error, 0 warnings"), "{alone_said}");
    assert!(!alone_said.contains("placeholder/") && !alone_said.contains("frontmatter/"), "{alone_said}");
    std::fs::write(root.join("templates/nda.md"), &template).unwrap();

    // A clause naming a field the drafted front matter lacks, and one that does not parse.
    let clause = read(&root, "clauses/confidentiality.md");
    std::fs::write(
        root.join("clauses/confidentiality.md"),
        clause.replace("keep it secret.", "keep it secret for {{ notice_period }}."),
    )
    .unwrap();
    std::fs::write(
        root.join("clauses/warranty.md"),
        "+++\nid = \"warranty\"\nversion = \"1\"\n+++\n**Warranty**. As is.\n{{ broken\n",
    )
    .unwrap();
    let clauses = pactum(&root, &["check"]);
    let said = String::from_utf8_lossy(&clauses.stdout).into_owned();
    assert_eq!(clauses.status.code(), Some(1), "{said}");
    assert!(said.contains("drafting templates/nda.md: Variable `notice_period` is not defined"), "{said}");
    assert!(said.contains("--> clauses/confidentiality.md:"), "{said}");
    assert!(said.contains("--> clauses/warranty.md:6:"), "{said}");
    // `pactum new` fails on the same, and writes nothing.
    let refused = pactum(&root, &["new", "nda", "--id", "globex-nda", "--set", "counterparty=Globex"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(!root.join("contracts/globex-nda.md").exists());
}

/// `init --org` records who "we" are: `[report] our_names`, and the templates' name for our
/// side; the report then tells counterparties from us on the first contract. Without it, the
/// report says that it cannot tell, and `init` says how to set it.
#[test]
fn init_records_the_organisation_and_the_report_tells_counterparties() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("ours");
    let init = ok(dir.path(), &["init", "ours", "--org", "Northwind AS", "--org", "Northwind \"Labs\" Inc."]);
    assert!(!init.contains("not set"), "{init}");
    let config: toml::Table = toml::from_str(&read(&ours, "pactum.toml")).unwrap();
    assert_eq!(
        config["report"]["our_names"],
        toml::Value::Array(vec!["Northwind AS".into(), "Northwind \"Labs\" Inc.".into()])
    );
    // An empty repository's report says what is empty instead of printing bare headings.
    let empty = ok(&ours, &["report", "--no-history"]);
    assert!(
        empty.contains("Value of contracts in force\n  none stated")
            && empty.contains("Coming up (90 days)\n  nothing"),
        "{empty}"
    );
    ok(&ours, &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    assert!(
        read(&ours, "contracts/acme-nda.md").contains("name = \"Northwind AS\""),
        "our side drafted under our name"
    );
    let report: serde_json::Value =
        serde_json::from_str(&ok(&ours, &["report", "--no-history", "--format", "json"])).unwrap();
    let counterparties: Vec<&String> = report["by_counterparty"].as_object().unwrap().keys().collect();
    assert_eq!(counterparties, ["Acme, Inc."], "{report:#}");
    assert!(!ok(&ours, &["report", "--no-history"]).contains("not known"));

    // Without --org (not on a terminal): said at init, and in the report.
    let theirs = dir.path().join("theirs");
    let init = ok(dir.path(), &["init", "theirs"]);
    assert!(init.contains("`[report] our_names`"), "{init}");
    ok(&theirs, &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    let table = ok(&theirs, &["report", "--no-history"]);
    assert!(table.contains("which parties are yours is not known"), "{table}");
    assert!(ok(&theirs, &["report", "--no-history", "--format", "markdown"]).contains("Note: which parties are yours"));
}

/// A check of named files gives them exactly the findings a whole check gives them, on a
/// family of generated repositories: contracts executed in the history and then edited (text,
/// terms, seal), ids duplicated, links to contracts that do not exist, executed amendments,
/// executed contracts removed. The files named are drawn from each repository too.
#[test]
fn named_files_get_the_findings_of_a_whole_check_on_generated_repositories() {
    let mut s = initialised();
    let root = s.root().to_path_buf();
    let ids: Vec<String> = (0..10).map(|i| format!("c{i}")).collect();
    for id in &ids {
        ok(&root, &["new", "nda", "--id", id, "--set", "counterparty=Acme, Inc."]);
    }
    s.commit(&ALICE, &ALICE, "Drafts");
    for id in &ids[..6] {
        ok(&root, &["execute", &format!("contracts/{id}.md"), "--signature", SIGN_ACME, "--signature", SIGN_US]);
    }
    s.commit(&ALICE, &ALICE, "Executed");
    let pristine: Vec<(String, String)> = ids
        .iter()
        .map(|id| (id.clone(), std::fs::read_to_string(root.join(format!("contracts/{id}.md"))).unwrap()))
        .collect();
    let findings = |args: &[&str]| -> Vec<String> {
        let (code, found) = support::today::check_json(&root, args);
        assert!(matches!(code, Some(0 | 1)), "{found:?}");
        let mut all: Vec<String> = found.iter().map(ToString::to_string).collect();
        all.sort();
        all
    };
    // A small generator, the same on every machine.
    let mut state: u64 = 0x5eed;
    let mut next = |n: usize| -> usize {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap() % n
    };
    let mut kinds_seen = std::collections::BTreeSet::new();
    for _ in 0..4 {
        for (id, text) in &pristine {
            std::fs::write(root.join(format!("contracts/{id}.md")), text).unwrap();
        }
        // Six mutations, each on a contract drawn at random.
        for _ in 0..6 {
            let (id, _) = &pristine[next(pristine.len())];
            let path = root.join(format!("contracts/{id}.md"));
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let other = &ids[next(ids.len())];
            let changed = match next(6) {
                0 => text.replacen(&format!("id = \"{id}\""), &format!("id = \"{other}\""), 1),
                1 => text.replacen("\nstatus = ", "\nsupersedes = \"nowhere\"\nstatus = ", 1),
                2 => format!("{}\nAnd one more sentence.\n", text.trim_end()),
                3 => text.replacen("Acme, Inc.", "Acme Holdings, Inc.", 1),
                4 => text.replacen("\nstatus = ", &format!("\namends = \"{other}\"\nstatus = "), 1),
                _ => {
                    std::fs::remove_file(&path).unwrap();
                    continue;
                }
            };
            std::fs::write(&path, changed).unwrap();
        }
        let whole = findings(&[]);
        for finding in &whole {
            let value: serde_json::Value = serde_json::from_str(finding).unwrap();
            kinds_seen.insert(value["code"].as_str().unwrap().to_owned());
        }
        let present: Vec<String> =
            ids.iter().map(|id| format!("contracts/{id}.md")).filter(|path| root.join(path).is_file()).collect();
        for _ in 0..4 {
            let chosen: Vec<&str> = (0..=next(3))
                .map(|_| present[next(present.len())].as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let on: Vec<String> = whole
                .iter()
                .filter(|d| chosen.iter().any(|p| d.contains(&format!("\"path\":\"{p}\""))))
                .cloned()
                .collect();
            // With the facts the checks before kept, with none kept yet, and without the cache.
            if next(2) == 0 {
                let _ = std::fs::remove_dir_all(root.join(".git/pactum"));
            }
            assert_eq!(findings(&chosen), on, "{chosen:?}");
            assert_eq!(findings(&[&["--no-cache"], &chosen[..]].concat()), on, "{chosen:?} without the cache");
        }
        // Now and then the round lands, so that later rounds have versions of every kind in
        // history, and facts of them kept.
        if next(2) == 0 {
            s.commit(&ALICE, &ALICE, "A round");
        }
    }
    assert!(root.join(".git/pactum/facts").is_file(), "checks keep their facts");
    // The family reached the rules it is meant to weigh.
    for kind in ["id/duplicate", "link/unknown-contract"] {
        assert!(kinds_seen.contains(kind), "{kind} never found: {kinds_seen:?}");
    }
    assert!(kinds_seen.iter().any(|k| k.starts_with("executed/")), "{kinds_seen:?}");
}
