//! Bad input gets a clear finding, never a panic, and the run goes on with the other files.

use crate::support;

use std::path::Path;
use std::process::Output;

use pactum_core::contract::{Contract, FrontMatterRule, decode};
use proptest::prelude::*;

const GOOD: &str = "+++\nid = \"good\"\ntitle = \"Good\"\ntype = \"nda\"\nstatus = \"draft\"\nowner = \"@legal\"\neffective_date = 2025-01-01\n\n[[parties]]\nname = \"A\"\nrole = \"discloser\"\n\n[[parties]]\nname = \"B\"\nrole = \"recipient\"\n+++\n\n# NDA\n\n1. **Purpose**. The parties talk.\n";

fn check(root: &Path) -> (Output, serde_json::Value) {
    let output = support::pactum_with(root, &["check", "--format", "json"], &[]);
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    (output, report)
}

fn codes_for<'a>(report: &'a serde_json::Value, path: &str) -> Vec<&'a str> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == path)
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pactum.toml"), "").unwrap();
    std::fs::create_dir_all(dir.path().join("contracts")).unwrap();
    std::fs::write(dir.path().join("contracts/good.md"), GOOD).unwrap();
    dir
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join("contracts").join(name), bytes).unwrap();
}

#[test]
fn every_kind_of_bad_file_is_reported_and_the_rest_still_checked() {
    let dir = repo();
    let root = dir.path();
    write(root, "malformed.md", "+++\nid = \"x\"\ntitle = = \"broken\"\n+++\n");
    write(root, "unclosed.md", "+++\nid = \"x\"\n");
    write(root, "latin1.md", b"+++\nid = \"caf\xe9\"\n+++\n");
    write(root, "binary.md", [0x89, b'P', b'N', b'G', 0, 0, 0, 13]);
    write(root, "empty.md", "");
    write(root, "bom.md", format!("\u{feff}{}", GOOD.replace("\"good\"", "\"bom\"")));
    write(root, "crlf.md", GOOD.replace("\"good\"", "\"crlf\"").replace('\n', "\r\n"));
    write(
        root,
        "tabs.md",
        GOOD.replace("\"good\"", "\"tabs\"").replace("1. **Purpose**.", "1.\t**Purpose**.\tSee\tSection 2."),
    );
    let nested: String = (0..1000).map(|depth| " ".repeat(depth * 3) + "1. item\n").collect();
    write(root, "deep.md", GOOD.replace("\"good\"", "\"deep\"") + &nested);
    let quotes: String = ">".repeat(20_000) + " quoted\n";
    write(root, "quotes.md", GOOD.replace("\"good\"", "\"quotes\"") + &quotes);
    let big = GOOD.replace("\"good\"", "\"big\"") + &"The parties talk at length. ".repeat(2_000_000);
    write(root, "big.md", big);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), GOOD).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.md"), root.join("contracts/link.md")).unwrap();

    let (output, report) = check(root);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(codes_for(&report, "contracts/good.md"), Vec::<&str>::new());
    assert_eq!(codes_for(&report, "contracts/malformed.md"), ["frontmatter/syntax"]);
    assert_eq!(codes_for(&report, "contracts/unclosed.md"), ["frontmatter/unclosed"]);
    assert_eq!(codes_for(&report, "contracts/latin1.md"), ["file/invalid-utf8"]);
    assert_eq!(codes_for(&report, "contracts/binary.md"), ["file/binary"]);
    assert_eq!(codes_for(&report, "contracts/empty.md"), ["frontmatter/missing"]);
    assert_eq!(codes_for(&report, "contracts/bom.md"), ["file/bom"]);
    assert_eq!(codes_for(&report, "contracts/crlf.md"), Vec::<&str>::new());
    assert_eq!(codes_for(&report, "contracts/tabs.md"), ["ref/unresolved"]);
    assert_eq!(codes_for(&report, "contracts/deep.md"), ["clause/too-deep"]);
    assert_eq!(codes_for(&report, "contracts/quotes.md"), Vec::<&str>::new());
    assert_eq!(codes_for(&report, "contracts/big.md"), ["file/too-large"]);
    #[cfg(unix)]
    assert_eq!(codes_for(&report, "contracts/link.md"), ["file/outside-repository"]);
    assert_eq!(report["summary"]["files"], if cfg!(unix) { 13 } else { 12 });

    let find = |path: &str, code: &str| {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["path"] == path && d["code"] == code)
            .unwrap()
            .clone()
    };
    // Each finding says where: the TOML error at its line, the bad byte at its place.
    assert_eq!(find("contracts/malformed.md", "frontmatter/syntax")["line"], 3);
    let latin1 = find("contracts/latin1.md", "file/invalid-utf8");
    assert_eq!((latin1["line"].as_u64(), latin1["column"].as_u64()), (Some(2), Some(10)));
    assert!(latin1["message"].as_str().unwrap().contains("0xE9"));
    // A tab counts as one column.
    let tab = find("contracts/tabs.md", "ref/unresolved");
    assert_eq!(tab["column"], 21);
    // Nothing was written: every file is as it was.
    assert_eq!(std::fs::read_to_string(root.join("contracts/good.md")).unwrap(), GOOD);
}

#[test]
fn a_raised_size_limit_reads_a_50_mb_file() {
    let dir = repo();
    let root = dir.path();
    std::fs::write(root.join("pactum.toml"), "[check]\nmax_file_size = 100_000_000\n").unwrap();
    // Sections of 999 numbered paragraphs, each citing itself by number and heading: every
    // number stays within what a clause number can be, so each reference must resolve to
    // exactly its own paragraph.
    let mut body = String::new();
    let mut number = 0;
    while body.len() < 50_000_000 {
        // Section 1 is the agreement's own.
        let (section, paragraph) = (number / 999 + 2, number % 999 + 1);
        if paragraph == 1 {
            body.push_str(&format!("{section}. **Part {section}**. The terms of part {section}.\n\n"));
        }
        body.push_str(&format!("{section}.{paragraph} **Heading {number}.** The parties agree, under Section {section}.{paragraph} (Heading {number}), to talk.\n\n"));
        number += 1;
    }
    write(root, "huge.md", GOOD.replace("\"good\"", "\"huge\"") + &body);
    let (output, report) = check(root);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(codes_for(&report, "contracts/huge.md"), Vec::<&str>::new());
}

#[test]
fn crlf_and_lf_read_the_same() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/papertrail-nda/nda-long-corporate.md"
    ))
    .unwrap();
    let lf = Contract::read("a.md", text.clone(), FrontMatterRule::Optional, &mut Vec::new());
    let crlf = Contract::read("a.md", text.replace('\n', "\r\n"), FrontMatterRule::Optional, &mut Vec::new());
    let outline =
        |c: &Contract| c.body.clauses.iter().map(|c| (c.number.clone(), c.heading.clone())).collect::<Vec<_>>();
    assert_eq!(outline(&lf), outline(&crlf));
    let terms = |c: &Contract| c.terms.iter().map(|t| (t.term.clone(), t.uses())).collect::<Vec<_>>();
    assert_eq!(terms(&lf), terms(&crlf));
}

fn read_everything(bytes: Vec<u8>) {
    let mut diagnostics = Vec::new();
    if let Ok((text, _)) = decode("fuzz.md", bytes) {
        let contract = Contract::read("fuzz.md", text, FrontMatterRule::Required, &mut diagnostics);
        diagnostics.extend(pactum_core::lint::contract::check(&contract, &pactum_core::lifecycle::Calendar::default()));
        for diagnostic in &diagnostics {
            assert!(diagnostic.location.line >= 1 && diagnostic.location.column >= 1);
        }
        let _ = pactum::print::inspect::InspectReport::new(&contract, Ok(None)).json();
        // Everything else that reads a contract: the printable page, a redline against an
        // empty and a shortened version, and the report's summary of it.
        let _ = pactum::print::contract_page::page(&contract, "en");
        let empty = Contract::read("empty.md", String::new(), FrontMatterRule::Optional, &mut Vec::new());
        let half_text: String = contract.text.chars().take(contract.text.chars().count() / 2).collect();
        let half = Contract::read("half.md", half_text, FrontMatterRule::Optional, &mut Vec::new());
        for other in [&empty, &half] {
            let diff =
                pactum_core::diff::diff(Some(other), Some(&contract), &pactum_core::diff::DiffOptions::default());
            let report = pactum::print::redline::DiffReport {
                version: 1,
                base: "a".into(),
                head: "b".into(),
                contracts: vec![diff],
            };
            let _ = (
                pactum::print::redline::terminal(&report, true),
                pactum::print::redline::markdown(&report),
                pactum::print::redline::html(&report, "en"),
            );
        }
    }
}

/// Text made of the characters that matter to the reader: Markdown markers, numbers, quotes,
/// brackets, front-matter fences and line ends.
fn markdownish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "+++\n",
        "id = \"a\"\n",
        "[[parties]]\n",
        "effective_date = 2025-01-31\n",
        "term = \"1 month\"\n",
        "[renewal]\nkind = \"auto\"\nperiod = \"0 days\"\nnotice = \"99 years\"\n",
        "# ",
        "## 5. ",
        "### 5.2 ",
        "1. ",
        "2) ",
        "- ",
        "   ",
        "\t",
        "\n",
        "\n\n",
        "\r\n",
        "(a) ",
        "(i) ",
        "(iv) ",
        "a. ",
        "1.1. ",
        "5.2.3 ",
        "**",
        "__",
        "_",
        "*",
        "“",
        "”",
        "\"",
        "(",
        ")",
        "[",
        "]",
        "(#x)",
        "{#id}",
        "<span id=\"s\">",
        "</span>",
        "> ",
        "```\n",
        "    ",
        "Section 5.2 ",
        "Sections 1 and 2 (Term) ",
        "means ",
        "TBD ",
        "____ ",
        "{{ x }} ",
        "Term",
        "é",
        "\u{0}",
        "`",
        "|",
        "---\n",
    ]);
    prop::collection::vec(pieces, 0..200).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        read_everything(bytes);
    }

    #[test]
    fn arbitrary_markdown_never_panics(text in markdownish()) {
        read_everything(text.into_bytes());
    }

    #[test]
    fn arbitrary_markdown_after_front_matter_never_panics(text in markdownish()) {
        read_everything(format!("{GOOD}{text}").into_bytes());
    }
}
