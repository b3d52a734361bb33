//! The record cannot be bypassed: each test here is an attempt to get a change past the seal,
//! the policies or the checks, in a real Git repository, and asserts that it is refused.

use crate::support;

use std::path::Path;

use proptest::prelude::*;
use support::contracts::msa;
use support::git::{ALICE, BEA, GITHUB, Script};
use support::text;
use support::today::{SIGN_ACME, SIGN_US, ok, pactum};

/// A repository made by `pactum init` with one NDA drafted and executed, committed.
fn executed() -> Script {
    let mut s = Script::new();
    ok(s.root(), &["init"]);
    ok(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    ok(s.root(), &["execute", "contracts/acme-nda.md", "--signature", SIGN_ACME, "--signature", SIGN_US]);
    s.commit(&ALICE, &ALICE, "Executed the Acme NDA");
    s
}

fn edit(root: &Path, path: &str, from: &str, to: &str) {
    let path = root.join(path);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} in {text}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The findings of `pactum check` as `code` lines, and its exit code.
fn check(root: &Path) -> (Option<i32>, Vec<String>) {
    let (code, found) = support::today::check_json(root, &[]);
    let findings =
        found.iter().map(|d| format!("{}: {}", d["code"].as_str().unwrap(), d["message"].as_str().unwrap())).collect();
    (code, findings)
}

#[test]
fn editing_the_agreed_terms_of_an_executed_contract_is_refused() {
    let s = executed();
    let root = s.root();
    let signed = std::fs::read_to_string(root.join("contracts/acme-nda.md")).unwrap();
    assert!(signed.contains("[execution.terms]"), "{signed}");
    // The counterparty's name, the governing law and the term, changed quietly after signing.
    edit(root, "contracts/acme-nda.md", "name = \"Acme, Inc.\"\nrole", "name = \"Acme Holdings, Inc.\"\nrole");
    edit(root, "contracts/acme-nda.md", "term = \"", "term = \"1");
    let (code, findings) = check(root);
    assert_eq!(code, Some(1));
    let sealed: Vec<&String> = findings.iter().filter(|f| f.starts_with("executed/terms-changed")).collect();
    // Git has the signed version: each finding names the field and its signed value.
    let commit = String::from_utf8(s.git(&ALICE, &ALICE, &["rev-parse", "--short=10", "HEAD"]).stdout).unwrap();
    assert_eq!(
        sealed,
        [
            &format!(
                "executed/terms-changed: `term` changed after the contract was signed; signed in {} as \"2 years\"",
                commit.trim()
            ),
            &format!(
                "executed/terms-changed: `parties` changed after the contract was signed; signed in {} as \
                 [{{\"name\":\"Our Company AS\",\"role\":\"party-1\"}},{{\"name\":\"Acme, Inc.\",\"role\":\"party-2\"}}]",
                commit.trim()
            )
        ]
    );
    // Operational fields move on: a new owner, notice of non-renewal, termination.
    std::fs::write(root.join("contracts/acme-nda.md"), &signed).unwrap();
    edit(root, "contracts/acme-nda.md", "status = \"executed\"", "status = \"terminated\"\nterminated_on = 2027-01-31");
    edit(root, "contracts/acme-nda.md", "owner = \"", "owner = \"@someone-else\"\n# was: ");
    let (code, findings) = check(root);
    assert_eq!((code, findings.iter().filter(|f| f.starts_with("executed/")).count()), (Some(0), 0), "{findings:?}");
    // A status that leaves the executed path is a change to what was signed.
    std::fs::write(root.join("contracts/acme-nda.md"), signed.replace("status = \"executed\"", "status = \"draft\""))
        .unwrap();
    let (code, findings) = check(root);
    assert_eq!(code, Some(1));
    assert!(
        findings.iter().any(|f| f.starts_with("executed/terms-changed: this contract was executed in ")
            && f.ends_with(", and its status is now `draft`")),
        "{findings:?}"
    );
}

#[test]
fn a_repository_names_its_own_operational_fields() {
    let s = executed();
    let root = s.root();
    edit(root, "contracts/acme-nda.md", "owner = \"", "tags = [\"key-account\"]\nowner = \"");
    assert_eq!(check(root).0, Some(1), "tags are sealed by default");
    let config = std::fs::read_to_string(root.join("pactum.toml")).unwrap();
    std::fs::write(
        root.join("pactum.toml"),
        config.replace("[execution]\n", "[execution]\noperational = [\"tags\"]\n"),
    )
    .unwrap();
    assert_eq!(check(root).0, Some(0));
}

#[test]
fn the_tamper_finding_names_the_clauses_that_changed() {
    let mut s = executed();
    let signed_in = String::from_utf8(s.git(&ALICE, &ALICE, &["rev-parse", "--short=10", "HEAD"]).stdout).unwrap();
    // A tampered value committed later is not mistaken for the signed one.
    edit(s.root(), "contracts/acme-nda.md", "governing_law = \"NO\"", "governing_law = \"US-DE\"");
    s.commit(&BEA, &BEA, "Quietly change the law");
    let findings = check(s.root()).1;
    assert!(
        findings.contains(&format!(
            "executed/terms-changed: `governing_law` changed after the contract was signed; signed in {} as \"NO\"",
            signed_in.trim()
        )),
        "{findings:#?}"
    );
    edit(s.root(), "contracts/acme-nda.md", "governing_law = \"US-DE\"", "governing_law = \"NO\"");
    let root = s.root();
    edit(root, "contracts/acme-nda.md", "runs for 2 years", "runs for 5 years");
    // The text is held to the version executed, not to the latest one committed.
    let commit = signed_in;
    let findings = check(root).1;
    let body: Vec<&String> = findings.iter().filter(|f| f.starts_with("executed/body-changed")).collect();
    assert_eq!(
        body,
        [&format!(
            "executed/body-changed: the body of this executed contract changed after it was signed: clause 3 differs from the text signed in {}",
            commit.trim()
        )]
    );
}

#[test]
fn re_executing_an_edited_contract_does_not_reseal_it() {
    let s = executed();
    let root = s.root();
    edit(root, "contracts/acme-nda.md", "runs for 2 years", "runs for 5 years");
    let before = std::fs::read_to_string(root.join("contracts/acme-nda.md")).unwrap();
    let again = pactum(root, &["execute", "contracts/acme-nda.md", "--signature", SIGN_ACME, "--signature", SIGN_US]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again).contains("is already executed") && text(&again).contains("amends = \"acme-nda\""),
        "{}",
        text(&again)
    );
    assert_eq!(std::fs::read_to_string(root.join("contracts/acme-nda.md")).unwrap(), before, "nothing written");
    assert!(check(root).1.iter().any(|f| f.starts_with("executed/body-changed")));
}

#[test]
fn an_amendment_changes_the_terms_it_records() {
    let mut s = executed();
    let root = s.root();
    let law = |root: &Path| {
        let text = std::fs::read_to_string(root.join("contracts/acme-nda.md")).unwrap();
        text.lines().find(|l| l.starts_with("governing_law")).unwrap().to_owned()
    };
    let signed_law = law(root);
    edit(root, "contracts/acme-nda.md", &signed_law, "governing_law = \"US-DE\"");
    assert!(
        check(root)
            .1
            .iter()
            .any(|f| f.starts_with("executed/terms-changed: `governing_law` changed after the contract was signed"))
    );
    std::fs::write(
        root.join("contracts/acme-nda-amendment-1.md"),
        "+++\nid = \"acme-nda-amendment-1\"\ntitle = \"Amendment 1\"\ntype = \"amendment\"\nstatus = \"draft\"\nowner = \"@legal\"\namends = \"acme-nda\"\neffective_date = 2026-12-01\n\n[[parties]]\nname = \"Our Company AS\"\nrole = \"party-1\"\n\n[[parties]]\nname = \"Acme, Inc.\"\nrole = \"party-2\"\n+++\n\n1. **Governing law**. Delaware law governs the NDA.\n",
    )
    .unwrap();
    ok(root, &["execute", "contracts/acme-nda-amendment-1.md", "--signature", SIGN_ACME, "--signature", SIGN_US]);
    assert_eq!(check(root).0, Some(0), "{:?}", check(root).1);
    s.commit(&ALICE, &ALICE, "Amendment 1");
    // A further change the amendment did not record is caught again.
    let root = s.root();
    edit(root, "contracts/acme-nda.md", "term = \"", "term = \"1");
    let findings = check(root).1;
    assert!(
        findings.iter().any(|f| f.starts_with("executed/terms-changed: `term` changed after the contract was signed")),
        "{findings:?}"
    );
}

#[test]
fn a_signatures_file_without_a_name_is_a_clear_error() {
    let mut s = Script::new();
    ok(s.root(), &["init"]);
    ok(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    s.commit(&ALICE, &ALICE, "Drafted");
    let root = s.root();
    std::fs::write(root.join("signatures.toml"), "[[signatures]]\nparty = \"Acme, Inc.\"\ndate = 2026-11-30\n")
        .unwrap();
    let output = pactum(root, &["execute", "contracts/acme-nda.md", "--signatures", "signatures.toml"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("signatures.toml: signature 1: `name` is missing"), "{}", text(&output));
    std::fs::write(
        root.join("signatures.toml"),
        "[[signatures]]\nparty = \"Acme, Inc.\"\nname = \"J\"\ndate = 2026-11-30\nseal = true\n",
    )
    .unwrap();
    let output = pactum(root, &["execute", "contracts/acme-nda.md", "--signatures", "signatures.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("`seal` is not a field"), "{}", text(&output));
}

const LIABILITY_POLICY: &str = "[groups]\nlegal = [\"@alice\"]\n\n[[policies]]\nname = \"Legal approves liability\"\nchanged = [\"clause:*liabilit*\"]\nrequire = { groups = [\"legal\"], count = 1 }\n";

#[test]
fn a_policy_on_a_heading_covers_its_sub_clauses() {
    let mut s = Script::new();
    s.write("pactum.toml", LIABILITY_POLICY);
    s.write("contracts/acme-msa.md", &msa("EUR 1,000,000"));
    s.commit(&ALICE, &ALICE, "MSA in review");
    s.checkout(&["-b", "lower-cap"]);
    // 8.2 has no heading of its own: it changes under "8. Limitation of Liability".
    s.write("contracts/acme-msa.md", &msa("EUR 10,000"));
    s.commit(&BEA, &BEA, "Lower the cap");
    let output = pactum(s.root(), &["policy"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(text(&output).contains("\"Legal approves liability\" needs 1 approval from alice"), "{}", text(&output));
}

/// A contract as `pactum execute` leaves it, for the property below.
fn sealed_contract() -> String {
    let draft = "+++\nid = \"acme\"\ntitle = \"MSA\"\ntype = \"msa\"\nstatus = \"executed\"\nowner = \"@alice\"\neffective_date = 2025-01-01\nterm = \"12 months\"\ngoverning_law = \"NO\"\n\n[[parties]]\nname = \"Acme Inc.\"\nrole = \"customer\"\n\n[[parties]]\nname = \"Northwind AS\"\nrole = \"provider\"\n\n[renewal]\nkind = \"auto\"\nperiod = \"12 months\"\nnotice = \"60 days\"\n\n[value]\namount = 120000\ncurrency = \"USD\"\nper = \"year\"\n+++\n\n# MSA\n\n## 1. Services\n\nProvider provides the services.\n";
    let mut diagnostics = Vec::new();
    let contract = pactum_core::contract::Contract::read(
        "x.md",
        draft.to_owned(),
        pactum_core::contract::FrontMatterRule::Required,
        &mut diagnostics,
    );
    let front = &contract.front.as_ref().unwrap().value;
    let terms: String = pactum_core::contract::seal::term_digests(front, &[])
        .iter()
        .map(|(k, v)| format!("{k} = \"{v}\"\n"))
        .collect::<Vec<_>>()
        .concat();
    let body = &draft[contract.layout.as_ref().unwrap().body..];
    draft.replacen(
        "+++\n\n# MSA",
        &format!(
            "\n[execution]\nbody_sha256 = \"{}\"\n\n[execution.terms]\n{terms}+++\n\n# MSA",
            pactum_core::contract::seal::body_hash(body)
        ),
        1,
    )
}

/// Whether the repository rules find the contract's seal broken.
fn seal_broken(text: &str) -> bool {
    let mut diagnostics = Vec::new();
    let contract = pactum_core::contract::Contract::read(
        "x.md",
        text.to_owned(),
        pactum_core::contract::FrontMatterRule::Required,
        &mut diagnostics,
    );
    let entry = pactum_core::lint::repository::Entry::of(&contract, &[], None);
    !pactum_core::lint::repository::check(&[entry]).is_empty()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any edit to a sealed field, or to the body, breaks the seal; an edit to an operational
    /// field never does.
    #[test]
    fn every_sealed_edit_shows_and_no_operational_edit_does(
        field in prop::sample::select(vec![
            "title = \"MSA\"", "effective_date = 2025-01-01", "term = \"12 months\"", "governing_law = \"NO\"",
            "name = \"Acme Inc.\"", "role = \"provider\"", "period = \"12 months\"", "notice = \"60 days\"",
            "amount = 120000", "currency = \"USD\"", "per = \"year\"", "type = \"msa\"", "id = \"acme\"",
        ]),
        replacement in "[a-z0-9 ]{1,12}",
        operational in prop::sample::select(vec![
            ("owner = \"@alice\"", "owner = \"@bea\""),
            ("status = \"executed\"", "status = \"terminated\"\nterminated_on = 2026-01-01"),
            ("status = \"executed\"", "status = \"superseded\""),
            ("notice = \"60 days\"", "notice = \"60 days\"\nnotice_given = 2025-10-01"),
        ]),
        body_edit in "[A-Za-z]{1,10}",
    ) {
        let sealed = sealed_contract();
        prop_assert!(!seal_broken(&sealed));
        let (key, _) = field.split_once(" = ").unwrap();
        let edited = sealed.replacen(field, &format!("{key} = \"{replacement}\""), 1);
        prop_assume!(edited != sealed);
        prop_assert!(seal_broken(&edited), "{field} → {replacement}");
        prop_assert!(!seal_broken(&sealed.replacen(operational.0, operational.1, 1)), "{operational:?}");
        let body = sealed.replacen("provides the services", &format!("provides the {body_edit} services"), 1);
        prop_assert!(seal_broken(&body));
    }
}

const FINANCE_POLICY: &str = "[groups]\nlegal = [\"@alice\"]\nfinance = [\"@carol\"]\n\n[[policies]]\nname = \"Large deals need finance\"\nwhen = [\"value.amount > 100000\"]\nrequire = { groups = [\"finance\"], count = 1 }\n";

fn deal(amount: u32) -> String {
    support::contracts::deal(amount, "EUR 1,000,000")
}

#[test]
fn a_change_cannot_loosen_the_rules_that_gate_it() {
    let mut s = Script::new();
    s.write("pactum.toml", FINANCE_POLICY);
    s.write("contracts/acme-msa.md", &deal(90_000));
    s.commit(&ALICE, &ALICE, "MSA");
    s.checkout(&["-b", "bigger"]);
    // A bigger deal, with the threshold raised in the same change so that no policy applies.
    s.write("contracts/acme-msa.md", &deal(250_000));
    s.write("pactum.toml", &FINANCE_POLICY.replace("> 100000", "> 1000000"));
    s.commit(&BEA, &BEA, "Bigger deal");
    let output = pactum(s.root(), &["policy"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let shown = text(&output);
    // The target branch's rules apply …
    assert!(
        shown.contains("✗ acme-msa (contracts/acme-msa.md): \"Large deals need finance\" needs 1 approval from carol"),
        "{shown}"
    );
    // … and the change to the rules needs an approval of its own.
    assert!(
        shown.contains(
            "✗ rules (pactum.toml): \"Changes to the repository's rules\" needs 1 approval from alice, carol"
        ),
        "{shown}"
    );
    assert!(shown.contains("rules changed: pactum.toml [[policies]]"), "{shown}");
    // Emptying the group instead fares no better.
    s.write("pactum.toml", &FINANCE_POLICY.replace("finance = [\"@carol\"]", "finance = [\"@bea\"]"));
    s.commit(&BEA, &BEA, "Bea is finance now");
    let output = pactum(s.root(), &["policy", "--approver", "@bea"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    // Carol approves both: met.
    let output = pactum(s.root(), &["policy", "--approver", "@carol"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

#[test]
fn the_audit_flags_rules_changed_without_governance_approval() {
    let mut s = Script::new();
    s.write("pactum.toml", FINANCE_POLICY);
    s.write("contracts/acme-msa.md", &deal(90_000));
    s.commit(&ALICE, &ALICE, "MSA");
    // Merged on GitHub with no approval on record: the rules changed unapproved.
    s.checkout(&["-b", "loosen"]);
    s.write("pactum.toml", &FINANCE_POLICY.replace("> 100000", "> 1000000"));
    s.commit(&BEA, &BEA, "Raise the threshold");
    s.checkout(&["main"]);
    s.merge(&BEA, &GITHUB, &["loosen"], "Merge pull request #3 from acme/loosen");
    // A schema change approved by Alice (legal) through GitLab: governed, and met.
    s.checkout(&["-b", "schema"]);
    s.write("schemas/reseller.schema.json", "{\"allOf\": [{\"$ref\": \"contract.schema.json\"}]}\n");
    s.commit(&BEA, &BEA, "A reseller schema");
    s.checkout(&["main"]);
    s.merge(&BEA, &BEA, &["schema"], "Merge branch 'schema' into 'main'\n\nSee merge request acme/contracts!4\n\nApproved-by: Alice <alice@example.com>");
    let output = pactum(s.root(), &["audit", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .filter(|(kind, _)| *kind != "direct-push")
        .collect();
    // The first commit is a direct push of its own; the schema change was approved.
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].0, "governance-unapproved");
    assert!(findings[0].1.contains("(#3)") && findings[0].1.contains("recorded: none"), "{}", findings[0].1);
}

#[test]
fn the_merger_is_no_approver_unless_a_policy_allows_it() {
    let mut s = Script::new();
    s.write("pactum.toml", &LIABILITY_POLICY.replace("[\"@alice\"]", "[\"@alice\", \"@bea\"]"));
    s.write("contracts/acme-msa.md", &msa("EUR 1,000,000"));
    s.commit(&ALICE, &ALICE, "MSA");
    s.checkout(&["-b", "lower-cap"]);
    s.write("contracts/acme-msa.md", &msa("EUR 10,000"));
    s.commit(&BEA, &BEA, "Lower the cap");
    // Bea proposed the change: her own approval does not count.
    let output = pactum(s.root(), &["policy", "--approver", "@bea"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert_eq!(pactum(s.root(), &["policy", "--approver", "@alice"]).status.code(), Some(0));
    // A repository that allows it says so on the policy, on the target branch.
    s.checkout(&["main"]);
    let allowing = LIABILITY_POLICY
        .replace("[\"@alice\"]", "[\"@alice\", \"@bea\"]")
        .replace("count = 1 }", "count = 1 }\nallow_self_approval = true");
    s.write("pactum.toml", &allowing);
    s.commit(&ALICE, &ALICE, "Self-approval allowed");
    s.checkout(&["lower-cap"]);
    s.git(&ALICE, &ALICE, &["rebase", "-q", "main"]);
    assert_eq!(pactum(s.root(), &["policy", "--approver", "@bea"]).status.code(), Some(0));
}

#[test]
fn audit_reads_the_record_from_where_it_starts() {
    let mut s = Script::new();
    // Contracts imported by a direct push when the team adopted pactum.
    s.write("pactum.toml", LIABILITY_POLICY);
    s.write("contracts/acme-msa.md", &msa("EUR 1,000,000"));
    s.commit(&ALICE, &ALICE, "Import the contracts");
    s.write("contracts/globex-msa.md", &msa("EUR 2,000,000").replace("acme-msa", "globex-msa"));
    s.commit(&ALICE, &ALICE, "Import one more");
    let import = String::from_utf8(s.git(&ALICE, &ALICE, &["rev-parse", "HEAD"]).stdout).unwrap().trim().to_owned();
    s.checkout(&["-b", "fees"]);
    s.write("contracts/acme-msa.md", &msa("EUR 1,000,000").replace("provides the services", "provides all services"));
    s.commit(&BEA, &BEA, "Services");
    s.checkout(&["main"]);
    s.merge(&BEA, &GITHUB, &["fees"], "Merge pull request #1 from acme/fees");
    assert_eq!(pactum(s.root(), &["audit"]).status.code(), Some(1), "the import is a direct push");
    let output = pactum(s.root(), &["audit", "--since", &import]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    // The same from pactum.toml, with a date.
    let config = std::fs::read_to_string(s.root().join("pactum.toml")).unwrap();
    std::fs::write(s.root().join("pactum.toml"), format!("{config}\n[audit]\nsince = \"2025-01-04\"\n")).unwrap();
    let output = pactum(s.root(), &["audit"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let wrong = pactum(s.root(), &["audit", "--since", "no-such-commit"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(text(&wrong).contains("audit since `no-such-commit`"), "{}", text(&wrong));
}

#[test]
fn ci_does_not_go_green_on_a_typo() {
    let s = executed();
    let root = s.root();
    let nowhere = root.join("no/such/dir");
    for command in [&["check"][..], &["remind"], &["report"], &["audit"]] {
        let output = pactum(root, &[&["--repo", nowhere.to_str().unwrap()], command].concat());
        assert_eq!(output.status.code(), Some(2), "{command:?}: {}", text(&output));
        assert!(text(&output).contains("no/such/dir: no such file or directory"), "{}", text(&output));
    }
    let file = root.join("contracts/acme-nda.md");
    let output = pactum(root, &["--repo", file.to_str().unwrap(), "check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("is not a directory"), "{}", text(&output));
    // A repository whose pactum.toml points at a folder that is not there.
    let config = std::fs::read_to_string(root.join("pactum.toml")).unwrap();
    assert!(config.contains("contracts = \"contracts\""), "{config}");
    std::fs::write(root.join("pactum.toml"), config.replace("contracts = \"contracts\"", "contracts = \"contract\""))
        .unwrap();
    for command in [&["check"][..], &["remind"], &["report"]] {
        let output = pactum(root, command);
        assert_eq!(output.status.code(), Some(2), "{command:?}: {}", text(&output));
        assert!(text(&output).contains("no contracts folder at"), "{}", text(&output));
    }
}

#[test]
fn a_file_named_on_the_command_line_is_read_as_given() {
    let s = executed();
    let elsewhere = tempfile::tempdir().unwrap();
    let draft = elsewhere.path().join("contract.md");
    std::fs::write(&draft, "+++\nid = \"x\"\n+++\n\n1. **Term**. See Section 2.\n").unwrap();
    // Inside a Git repository, a file outside it is checked, not refused as a link.
    let output = pactum(s.root(), &["check", draft.to_str().unwrap(), "--format", "json"]);
    let shown = text(&output);
    assert!(!shown.contains("file/outside-repository"), "{shown}");
    assert!(shown.contains("ref/unresolved"), "{shown}");
}

#[test]
fn ignore_files_and_hidden_names_do_not_hide_contracts() {
    let mut s = executed();
    let root = s.root().to_path_buf();
    let signed = std::fs::read_to_string(root.join("contracts/acme-nda.md")).unwrap();
    let broken = signed.replace("runs for 2 years", "runs for 9 years");
    // A committed `.ignore` holding `*`, a hidden file, a hidden folder, a file force-added
    // over a `.gitignore` match, and an entry in `.git/info/exclude`.
    std::fs::write(root.join("contracts/.ignore"), "*\n").unwrap();
    std::fs::write(root.join("contracts/.hidden.md"), broken.replace("acme-nda", "hidden-nda")).unwrap();
    std::fs::create_dir_all(root.join("contracts/.dir")).unwrap();
    std::fs::write(root.join("contracts/.dir/nda.md"), broken.replace("acme-nda", "dir-nda")).unwrap();
    std::fs::write(root.join(".gitignore"), "contracts/forced.md\n").unwrap();
    std::fs::write(root.join("contracts/forced.md"), broken.replace("acme-nda", "forced-nda")).unwrap();
    s.git(&ALICE, &ALICE, &["add", "-f", "contracts/forced.md"]);
    std::fs::write(root.join(".git/info/exclude"), "contracts/excluded.md\n").unwrap();
    std::fs::write(root.join("contracts/excluded.md"), broken.replace("acme-nda", "excluded-nda")).unwrap();
    s.commit(&ALICE, &ALICE, "Hide things");
    let output = pactum(&root, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut changed: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "executed/body-changed")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    changed.sort_unstable();
    assert_eq!(
        changed,
        ["contracts/.dir/nda.md", "contracts/.hidden.md", "contracts/excluded.md", "contracts/forced.md"],
        "{}",
        text(&output)
    );
    // Five contracts, and the template and three clauses `init` wrote.
    assert_eq!(report["summary"]["files"], 9);
    // Untracked and ignored by .gitignore: a draft kept out of the repository on purpose.
    std::fs::write(root.join(".gitignore"), "contracts/forced.md\ncontracts/scratch.md\n").unwrap();
    std::fs::write(root.join("contracts/scratch.md"), "not a contract").unwrap();
    let output = pactum(&root, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 9);
    // What pactum skips, pactum.toml says, and check names.
    let config = std::fs::read_to_string(root.join("pactum.toml")).unwrap();
    std::fs::write(
        root.join("pactum.toml"),
        config.replace("contracts = \"contracts\"", "contracts = \"contracts\"\nexclude = [\"contracts/.dir/\"]"),
    )
    .unwrap();
    let output = pactum(&root, &["check"]);
    assert!(
        text(&output)
            .contains("skipped 1 file that `[repository] exclude` in pactum.toml names: contracts/.dir/nda.md"),
        "{}",
        text(&output)
    );
}

#[test]
fn a_link_into_git_is_never_read() {
    let s = executed();
    let root = s.root();
    std::os::unix::fs::symlink(root.join(".git/config"), root.join("contracts/config.md")).unwrap();
    let output = pactum(root, &["check", "--format", "json"]);
    let shown = text(&output);
    assert!(shown.contains("file/outside-repository"), "{shown}");
    assert!(!shown.contains("[core]"), "{shown}");
}

#[test]
fn what_is_signed_shows_every_word_the_redline_shows() {
    let mut s = Script::new();
    ok(s.root(), &["init"]);
    ok(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    s.commit(&ALICE, &ALICE, "Drafted");
    let root = s.root();
    // Words hidden from the signing copy, a script, a link that runs code, a comment.
    edit(
        root,
        "contracts/acme-nda.md",
        "runs for 2 years",
        "runs for 2 years<span style=\"display:none\"> and the Recipient waives all claims</span> \
         <script>document.title='x'</script><a href=\"javascript:alert(1)\">terms</a> <!-- the fee is doubled -->",
    );
    let (code, findings) = check(root);
    assert_eq!(code, Some(0), "a draft: warnings");
    let markup: Vec<&String> = findings.iter().filter(|f| f.starts_with("markup/hides-text")).collect();
    assert_eq!(markup.len(), 4, "{findings:#?}");
    edit(root, "contracts/acme-nda.md", "status = \"draft\"", "status = \"approved\"");
    let (code, findings) = check(root);
    assert_eq!(code, Some(1), "approved: errors {findings:#?}");
    let page = root.join("page.html");
    ok(root, &["render", "contracts/acme-nda.md", "-o", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("and the Recipient waives all claims"), "the hidden words are on the page");
    assert!(
        !html.contains("<span style") && !html.contains("<script>document") && !html.contains("href=\"javascript:"),
        "{html}"
    );
    assert!(html.contains("&lt;span style=&quot;display:none&quot;&gt;"), "the markup is shown as text");
    assert!(html.contains("&lt;!-- the fee is doubled --&gt;"), "the comment is shown as text");
}

#[test]
fn front_matter_values_are_text_on_the_report_page() {
    let s = executed();
    let root = s.root();
    edit(
        root,
        "contracts/acme-nda.md",
        "owner = \"",
        "[value]\namount = 1000\ncurrency = \"<img src=x onerror=alert(1)>\"\nper = \"year\"\n\nowner = \"",
    );
    let page = root.join("report.html");
    let _ = pactum(root, &["report", "--format", "html", "-o", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<img src=x"), "the currency reached the page as markup");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn template_values_are_text_not_markup() {
    let mut s = Script::new();
    ok(s.root(), &["init"]);
    s.commit(&ALICE, &ALICE, "init");
    let root = s.root();
    ok(root, &["new", "nda", "--id", "x-nda", "--set", "counterparty=<b>X</b> *Y* [Z](javascript:x) {#id}"]);
    let drafted = std::fs::read_to_string(root.join("contracts/x-nda.md")).unwrap();
    // The front matter holds the name exactly as given …
    assert!(drafted.contains("name = \"<b>X</b> *Y* [Z](javascript:x) {#id}\""), "{drafted}");
    // … and the body, as text: no bold, no tag, no link.
    let mut diagnostics = Vec::new();
    let contract = pactum_core::contract::Contract::read(
        "x.md",
        drafted.clone(),
        pactum_core::contract::FrontMatterRule::Required,
        &mut diagnostics,
    );
    assert!(contract.body.html.is_empty(), "{drafted}");
    assert!(contract.body.anchors.is_empty() && contract.placeholders.is_empty(), "{:?}", contract.placeholders);
    assert!(contract.body.clauses.iter().all(|c| c.id != "id"), "`{{#id}}` in a value names no clause");
    let page = root.join("x.html");
    ok(root, &["render", "contracts/x-nda.md", "-o", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(page).unwrap();
    assert!(html.contains("&lt;b&gt;X&lt;/b&gt; *Y* [Z](javascript:x) {#id}"), "{html}");
    assert!(!html.contains("<b>X") && !html.contains("<em>Y") && !html.contains("href=\"javascript"));
    // A one-line field refuses a line break.
    let output = pactum(root, &["new", "nda", "--id", "y-nda", "--set", "counterparty=Acme\n## 9. Extra"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("`counterparty` is one line"), "{}", text(&output));
    assert!(!root.join("contracts/y-nda.md").exists());
}

fn head(s: &Script) -> String {
    String::from_utf8(s.git(&ALICE, &ALICE, &["rev-parse", "HEAD"]).stdout).unwrap().trim().to_owned()
}

#[test]
fn commit_text_alone_does_not_make_a_reviewed_merge() {
    let mut s = Script::new();
    s.write("pactum.toml", LIABILITY_POLICY);
    s.write("contracts/acme-msa.md", &msa("EUR 1,000,000"));
    s.commit(&ALICE, &ALICE, "MSA");
    // A direct push dressed as a squash merge of pull request #12, with approval trailers.
    s.write("contracts/acme-msa.md", &msa("EUR 10,000"));
    s.commit(&BEA, &BEA, "Lower the cap (#12)\n\nApproved-by: Alice <alice@example.com>");
    let forged = head(&s);
    // From the text alone, audit cannot tell: it says which landings rest on text.
    let output = pactum(s.root(), &["audit", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["unverified"], serde_json::json!([forged]));
    // GitHub knows better: #12 never merged that commit (or does not exist).
    let tracker = support::tracker::FakeTracker::start(support::tracker::Dialect::GitHub);
    let api = tracker.api_url();
    let env = [("GITHUB_TOKEN", tracker.token.as_str())];
    let output = support::pactum_with(
        s.root(),
        &["audit", "--format", "json", "--github", "--api-url", &api, "--repository", "northwind/contracts"],
        &env,
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let kinds: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"unverified-merge"), "{report}");
    // An approved pull request whose merge made another commit does not lend its approvals.
    tracker.add_merged_pull(12, "1111111111111111111111111111111111111111");
    tracker.add_review(12, "alice", "APPROVED");
    let output = support::pactum_with(
        s.root(),
        &["audit", "--format", "json", "--github", "--api-url", &api, "--repository", "northwind/contracts"],
        &env,
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let messages: Vec<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert!(messages.iter().any(|m| m.contains("claims to be pull request #12")), "{messages:#?}");
}

#[test]
fn an_approval_counts_for_the_commit_it_was_given_on() {
    let mut s = Script::new();
    s.write("pactum.toml", LIABILITY_POLICY);
    s.write("contracts/acme-msa.md", &msa("EUR 1,000,000"));
    s.write("contracts/notes.md", "+++\nid = \"notes\"\n+++\n\nNotes.\n");
    s.commit(&ALICE, &ALICE, "MSA");
    s.checkout(&["-b", "cap"]);
    s.write("contracts/acme-msa.md", &msa("EUR 500,000"));
    s.commit(&BEA, &BEA, "Lower the cap a little");
    let approved = head(&s);
    let tracker = support::tracker::FakeTracker::start(support::tracker::Dialect::GitHub);
    tracker.add_review_on(7, "alice", "APPROVED", &approved);
    let api = tracker.api_url();
    let env = [
        ("GITHUB_TOKEN", tracker.token.as_str()),
        ("GITHUB_REF", "refs/pull/7/merge"),
        ("GITHUB_REPOSITORY", "northwind/contracts"),
        ("GITHUB_API_URL", api.as_str()),
    ];
    let policy = |s: &Script| support::pactum_with(s.root(), &["policy", "--github"], &env);
    assert_eq!(policy(&s).status.code(), Some(0), "{}", text(&policy(&s)));
    // A push that changes no contract (a README) keeps the approval …
    s.write("README.md", "About.\n");
    s.commit(&BEA, &BEA, "Readme");
    assert_eq!(policy(&s).status.code(), Some(0), "{}", text(&policy(&s)));
    // … a push that lowers the cap further leaves it behind.
    s.write("contracts/acme-msa.md", &msa("EUR 10,000"));
    s.commit(&BEA, &BEA, "Lower it further");
    let output = policy(&s);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output)
            .contains(&format!("stale: alice approved {}; the contracts or rules changed since", &approved[..10])),
        "{}",
        text(&output)
    );
}

/// A check of named files reads the other contracts' ids and links from the facts earlier
/// checks kept in `.git/pactum/`. Those facts are keyed by content, so an edit is seen at once;
/// a damaged cache, or one that cannot be written, changes no finding.
#[test]
fn facts_kept_between_checks_never_change_a_finding() {
    let mut s = executed();
    ok(s.root(), &["new", "nda", "--id", "globex-nda", "--set", "counterparty=Globex"]);
    s.commit(&ALICE, &ALICE, "Drafted the Globex NDA");
    let root = s.root().to_path_buf();
    let named = |extra: &[&str]| {
        let (code, found) = support::today::check_json(&root, &[extra, &["contracts/acme-nda.md"]].concat());
        let mut codes: Vec<String> = found.iter().map(ToString::to_string).collect();
        codes.sort();
        (code, codes)
    };
    // A whole check keeps the facts of every file and of every version in history.
    support::today::check_json(&root, &[]);
    let facts = pactum_core::repo::facts::Facts::path_in(&root.join(".git"));
    let kept = pactum_core::repo::facts::Facts::load(&facts);
    assert_eq!(kept.files.len(), 2, "{kept:?}");
    assert!(!kept.versions.is_empty(), "{kept:?}");
    let (code, before) = named(&[]);
    assert_eq!(code, Some(0), "{before:?}");
    // The other contract now takes the same id: its new text is read, not its old facts.
    edit(&root, "contracts/globex-nda.md", "id = \"globex-nda\"", "id = \"acme-nda\"");
    let (code, duplicate) = named(&[]);
    assert_eq!(code, Some(1), "{duplicate:?}");
    assert!(duplicate.iter().any(|d| d.contains("id/duplicate") && d.contains("globex-nda.md")), "{duplicate:?}");
    assert_eq!(named(&["--no-cache"]), (code, duplicate.clone()));
    // A damaged cache is read as none.
    std::fs::write(&facts, "not facts").unwrap();
    assert_eq!(named(&[]), (code, duplicate.clone()));
    // A cache that cannot be written is not written, and the check is the same.
    std::fs::remove_dir_all(root.join(".git/pactum")).unwrap();
    std::fs::write(root.join(".git/pactum"), "not a folder").unwrap();
    assert_eq!(named(&[]), (code, duplicate));
    assert!(root.join(".git/pactum").is_file());
    // `--no-cache` keeps nothing.
    std::fs::remove_file(root.join(".git/pactum")).unwrap();
    named(&["--no-cache"]);
    assert!(!root.join(".git/pactum").exists());
}
