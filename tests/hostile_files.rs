//! Hostile repositories: files, links and configuration planted to make pactum read or write
//! outside the repository, or lose what it writes. Each test performs the attack and asserts
//! the safe outcome.

mod support;

use std::path::Path;
use std::process::Output;

use support::git::{ALICE, Script};
use support::text;

fn pactum(root: &Path, args: &[&str]) -> Output {
    support::pactum_with(root, &[args, &["--as-of", "2026-11-27"]].concat(), &[])
}

fn ok(root: &Path, args: &[&str]) -> String {
    let output = pactum(root, args);
    assert!(output.status.success(), "pactum {args:?}: {}", text(&output));
    text(&output)
}

const SIGN_ACME: &str = "party=\"Acme, Inc.\",name=Jane Doe,title=CEO,date=2026-11-30";
const SIGN_US: &str = "party=Our Company AS,name=Ola Nordmann,title=Managing Director,date=2026-11-30";

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
