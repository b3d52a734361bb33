//! Hostile values in outputs: text from contracts that would act as a formula, break a
//! document's syntax or control a terminal where pactum prints it. Each test feeds the value
//! and asserts that it arrives as text.

use crate::support;

use support::git::{ALICE, Script};
use support::text;
use support::today::pactum;

fn repository(title: &str) -> Script {
    let mut s = Script::new();
    let output = pactum(s.root(), &["init"]);
    assert!(output.status.success(), "{}", text(&output));
    let output = pactum(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    assert!(output.status.success(), "{}", text(&output));
    let path = s.root().join("contracts/acme-nda.md");
    let drafted = std::fs::read_to_string(&path).unwrap();
    let line = drafted.lines().find(|l| l.starts_with("title = ")).unwrap().to_owned();
    std::fs::write(&path, drafted.replace(&line, &format!("title = {}", toml::Value::String(title.to_owned()))))
        .unwrap();
    s.commit(&ALICE, &ALICE, "Drafted");
    s
}

/// `report --format csv` writes `=HYPERLINK(…)` and `+cmd|…` as text, not formulas.
#[test]
fn csv_cells_are_never_formulas() {
    for title in ["=HYPERLINK(\"http://x.test\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\tleading tab"] {
        let s = repository(title);
        let output = pactum(s.root(), &["report", "--format", "csv"]);
        assert!(output.status.success(), "{}", text(&output));
        let csv = String::from_utf8(output.stdout).unwrap();
        let row = csv.lines().find(|l| l.starts_with("acme-nda")).unwrap();
        let cell = row.split(',').nth(1).unwrap();
        assert!(cell.trim_start_matches('"').starts_with('\''), "{title}: {row}");
    }
}

/// `JUnit` XML stays well-formed whatever a title holds.
#[test]
fn junit_is_well_formed_with_any_character() {
    let s = repository("Agreement \u{fffe}\u{ffff} <&> \u{1}");
    let path = s.root().join("contracts/acme-nda.md");
    let text = std::fs::read_to_string(&path).unwrap();
    // A finding whose message quotes the title's characters: an unused defined term named so.
    std::fs::write(&path, format!("{text}\nThe (\"Term \u{fffe}\u{ffff}\") is never used.\n")).unwrap();
    let output = pactum(s.root(), &["check", "--format", "junit"]);
    let xml = String::from_utf8(output.stdout).unwrap();
    assert!(!xml.contains('\u{fffe}') && !xml.contains('\u{ffff}'), "{xml}");
    assert!(xml.contains("\u{fffd}"), "{xml}");
}

/// What a human reading a terminal, or a CI runner reading a log, must never receive from a
/// value pactum did not write: a control character, or a workflow command at a line's start.
fn assert_inert(output: &str, what: &str) {
    for (n, line) in output.lines().enumerate() {
        assert!(!line.starts_with("::"), "{what}: line {} starts a workflow command: {line:?}", n + 1);
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "{what}: line {} holds a control character: {line:?}",
            n + 1
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Arbitrary titles and party names through `inspect` and the reminders table.
    #[test]
    fn human_outputs_never_pass_control_characters_on(
        title in "(\\PC|[\\x00-\\x1f\\x7f\\u{202e}\\u{2028}]|\n::error file=x::y|<img src=x>|@team|!\\[i\\]\\(u\\)|\\*\\*|`){0,40}",
        party in "(\\PC|[\\x00-\\x1f\\x1b]|\n::warning::z){0,30}",
    ) {
        let text = format!(
            "+++\nid = \"x\"\ntitle = {}\ntype = \"nda\"\nstatus = \"draft\"\nowner = \"@a\"\n\n[[parties]]\nname = {}\nrole = \"a\"\n+++\n\n## 1. {}\n\nText.\n",
            toml::Value::String(title.clone()),
            toml::Value::String(party.clone()),
            title.replace(['\n', '\r'], " "),
        );
        let contract = pactum_core::contract::Contract::read("x.md", text, pactum_core::contract::FrontMatterRule::Required, &mut Vec::new());
        let report = pactum::print::inspect::InspectReport::new(&contract, Ok(None));
        assert_inert(&report.human(), "inspect");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let event = pactum_core::remind::Event {
            key: "x/expiry/0".into(),
            contract: party.clone(),
            path: String::new(),
            kind: pactum_core::remind::EventKind::Expiry,
            date: day,
            remind_on: day,
            title: title.clone(),
            owner: Some(party.clone()),
            lead_times: Vec::new(),
            overdue: false,
            detail: title.clone(),
        };
        assert_inert(&pactum::print::remind::table(day, std::slice::from_ref(&event), ""), "remind");
        let markdown = pactum::print::remind::markdown(day, &[event], "");
        assert_inert(&markdown, "remind --format markdown");
        assert_markdown_inert(&markdown, "remind --format markdown");
    }
}

/// The cells of one CSV line, as RFC 4180 reads them (quoted cells may hold commas and quotes).
fn csv_cells(csv: &str) -> Vec<Vec<String>> {
    let mut rows = vec![vec![String::new()]];
    let mut quoted = false;
    let mut chars = csv.chars().peekable();
    while let Some(c) = chars.next() {
        let row = rows.last_mut().unwrap();
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                row.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(String::new()),
            ('\r', false) => {}
            ('\n', false) => rows.push(vec![String::new()]),
            (c, _) => row.last_mut().unwrap().push(c),
        }
    }
    rows.retain(|row| row.iter().any(|cell| !cell.is_empty()));
    rows
}

/// A contract whose title, party and clause heading are `title` and `party`, as text.
fn hostile_contract(title: &str, party: &str, words: &str) -> pactum_core::contract::Contract {
    let text = format!(
        "+++\nid = \"x\"\ntitle = {}\ntype = \"nda\"\nstatus = \"executed\"\nowner = {}\neffective_date = 2026-01-01\nterm = \"2 years\"\n\n[value]\namount = 100\ncurrency = {}\nper = \"year\"\n\n[[parties]]\nname = {}\nrole = \"a\"\n+++\n\n## 1. {}\n\n{words}\n",
        toml::Value::String(title.to_owned()),
        toml::Value::String(party.to_owned()),
        toml::Value::String(party.to_owned()),
        toml::Value::String(party.to_owned()),
        title.replace(['\n', '\r'], " "),
    );
    pactum_core::contract::Contract::read(
        "contracts/x.md",
        text,
        pactum_core::contract::FrontMatterRule::Required,
        &mut Vec::new(),
    )
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(150))]

    /// Arbitrary titles, party names and clause words through the report (table, Markdown,
    /// CSV, page) and the redline (terminal, Markdown comment, page): no control character or
    /// workflow command in what people read, no markup the text did not ask for, no formula.
    #[test]
    fn report_and_redline_outputs_keep_text_as_text(
        title in "(\\PC|[\\x00-\\x1f\\x7f\\u{202e}]|\n::error file=x::y|<x-evil onerror=1>|</table>|@team|!\\[i\\]\\(u\\)|=cmd|\\*\\*|,|\"){0,30}",
        party in "(\\PC|[\\x00-\\x1f\\x1b]|<x-evil>|@org/team|\\+1|\\[l\\]\\(javascript:x\\)){0,20}",
        words in "(\\PC|<x-evil>|@eve|!\\[i\\]\\(u\\)|_x_){1,30}",
    ) {
        let contract = hostile_contract(&title, &party, &words);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let input = pactum_core::report::Input { path: "contracts/x.md", meta: &contract.meta, findings: 0 };
        let report = pactum_core::report::build(
            &[input],
            None,
            day,
            &pactum_core::lifecycle::Calendar::default(),
            &[],
            "90 days".parse().unwrap(),
        );
        assert_inert(&pactum::print::report::table(&report), "report");
        let markdown = pactum::print::report::markdown(&report);
        assert_inert(&markdown, "report --format markdown");
        assert_markdown_inert(&markdown, "report --format markdown");
        let page = pactum::print::report_page::page(&report, "en");
        proptest::prop_assert!(!page.contains("<x-evil"), "report page: {}", page);
        for row in csv_cells(&pactum::print::report::csv(&report)).iter().skip(1) {
            for cell in row {
                let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err();
                proptest::prop_assert!(!formula, "CSV cell {:?}", cell);
            }
        }
        let changed = hostile_contract(&format!("{title} v2"), &party, &format!("{words} and {title}"));
        let diff = pactum_core::diff::diff(Some(&contract), Some(&changed), &pactum_core::diff::DiffOptions::default());
        let report = pactum::print::redline::DiffReport { version: 1, base: "a".into(), head: "b".into(), contracts: vec![diff] };
        assert_inert(&pactum::print::redline::terminal(&report, false), "diff");
        let comment = pactum::print::redline::markdown(&report);
        assert_inert(&comment, "diff --format markdown");
        assert_markdown_inert(&comment, "diff --format markdown");
        let page = pactum::print::redline::html(&report, "en");
        proptest::prop_assert!(!page.contains("<x-evil"), "redline page: {}", page);
    }
}

/// Commit subjects and author names with terminal escapes reach `approvals`, `log` and
/// `audit` as text.
#[test]
fn commit_text_never_controls_the_terminal() {
    let mut s = repository("An NDA");
    let path = s.root().join("contracts/acme-nda.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("runs for 2 years", "runs for 3 years")).unwrap();
    let evil = support::git::Person("Eve \u{1b}]0;owned\u{7}", "eve@example.com");
    s.commit(&evil, &evil, "Fix\u{1b}[2J\n\n::error file=x.md::forged (#9)");
    for command in [&["approvals"][..], &["log", "acme-nda"], &["audit"]] {
        let output = pactum(s.root(), command);
        assert_inert(&String::from_utf8_lossy(&output.stdout), &format!("{command:?}"));
    }
}

/// Words a contract may hold that a Markdown renderer would obey: markup, an image that calls
/// home, a link, emphasis, a table cell break and mentions that notify people.
const MARKDOWN_ATTACKS: &str = "<img src=x onerror=alert(1)> </table> @org/team @eve ![t](https://evil.test/p.png) [click](javascript:alert(1)) **loud** | cell | ~~gone~~ <!-- hidden -->";

/// Render `markdown` as GitHub does (tables, strikethrough) with an independent parser, and
/// insist that none of it obeys text from a contract: the only HTML is pactum's own tags, there
/// is no image, no link except to a contract's file, no emphasis pactum did not write, and no
/// `@` outside code that starts a mention.
fn assert_markdown_inert(markdown: &str, what: &str) {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    const OURS: &[&str] = &[
        "<!-- pactum:diff -->",
        "<details>",
        "<summary>",
        "</summary>",
        "</details>",
        "<del>",
        "</del>",
        "<ins>",
        "</ins>",
        "<em>",
        "</em>",
    ];
    let mut html = String::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match &event {
            Event::Html(raw) | Event::InlineHtml(raw) => {
                let mut rest = raw.trim();
                // An HTML block holds pactum's tags with escaped text between them.
                while let Some(start) = rest.find('<') {
                    let end = rest[start..].find('>').map_or(rest.len(), |e| start + e + 1);
                    let tag = &rest[start..end];
                    assert!(OURS.contains(&tag), "{what}: raw HTML {tag:?} in {markdown}");
                    html.push_str(&rest[..start]);
                    rest = &rest[end..];
                }
                html.push_str(rest);
            }
            Event::Start(Tag::Image { .. }) => panic!("{what}: an image in {markdown}"),
            Event::Start(Tag::Link { dest_url, .. }) => {
                assert!(dest_url.starts_with("contracts/"), "{what}: a link to {dest_url} in {markdown}");
            }
            Event::Start(Tag::Emphasis | Tag::Strikethrough) => panic!("{what}: emphasis from text in {markdown}"),
            // GitHub links no mention inside a code span.
            Event::Text(text) => html.push_str(text),
            // A mention is found within one piece of text: one table cell's `@` does not
            // join the next cell's digits.
            Event::End(_) | Event::SoftBreak | Event::HardBreak => html.push('\n'),
            _ => {}
        }
    }
    let decoded = html.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", "\"");
    let chars: Vec<char> = decoded.chars().collect();
    for (i, pair) in chars.windows(2).enumerate() {
        let mention = pair[0] == '@' && pair[1].is_alphanumeric() && (i == 0 || !chars[i - 1].is_alphanumeric());
        assert!(!mention, "{what}: a mention in {decoded}");
    }
}

/// A pull-request comment quotes the changed words of a clause, a contract's title and its
/// owner: as text, whatever they say.
#[test]
fn the_diff_comment_shows_contract_text_as_text() {
    let mut s = repository(MARKDOWN_ATTACKS);
    let path = s.root().join("contracts/acme-nda.md");
    let drafted = std::fs::read_to_string(&path).unwrap();
    let changed = drafted.replace("runs for 2 years", &format!("runs for 3 years {MARKDOWN_ATTACKS}"));
    assert_ne!(changed, drafted);
    let note = format!("note = {}\ntitle = ", toml::Value::String(MARKDOWN_ATTACKS.to_owned()));
    std::fs::write(&path, changed.replace("title = ", &note)).unwrap();
    s.commit(&ALICE, &ALICE, "Longer term");
    let output = pactum(s.root(), &["diff", "HEAD~1", "HEAD", "--format", "markdown"]);
    let comment = String::from_utf8(output.stdout).unwrap();
    assert!(comment.contains("onerror") && comment.contains("evil.test"), "the words are still shown: {comment}");
    assert_markdown_inert(&comment, "diff --format markdown");
}

/// The reminders table for a job summary or an issue shows titles and owners as text.
#[test]
fn the_reminders_table_shows_contract_text_as_text() {
    let mut s = repository(MARKDOWN_ATTACKS);
    let path = s.root().join("contracts/acme-nda.md");
    let drafted = std::fs::read_to_string(&path).unwrap();
    let owner = format!("owner = {}", toml::Value::String(MARKDOWN_ATTACKS.to_owned()));
    std::fs::write(
        &path,
        drafted.replace("status = \"draft\"", "status = \"executed\"").replace("owner = \"@legal\"", &owner),
    )
    .unwrap();
    s.commit(&ALICE, &ALICE, "Signed");
    let output = pactum(s.root(), &["remind", "--format", "markdown", "--within", "3y"]);
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(table.contains("onerror"), "the title is still shown: {table}");
    assert_markdown_inert(&table, "remind --format markdown");
    let output = pactum(s.root(), &["report", "--format", "markdown"]);
    assert_markdown_inert(&String::from_utf8(output.stdout).unwrap(), "report --format markdown");
}

/// Sums of money are exact decimals: 0.1 a month is 1.2 a year, the largest 64-bit amount a
/// month is its exact twelvefold, and an amount past what can be held exactly is "too large",
/// never a wrapped or saturated number.
#[test]
fn money_is_exact_or_too_large() {
    for (amount, csv, table) in [
        ("0.1", "1.2", "1.20/year recurring"),
        ("9223372036854775807", "110680464442257309684", "110,680,464,442,257,309,684/year"),
        ("1e300", "too large", "too large/year"),
    ] {
        let mut s = repository("An NDA");
        let path = s.root().join("contracts/acme-nda.md");
        let drafted = std::fs::read_to_string(&path).unwrap();
        let priced = drafted.replace("status = \"draft\"", "status = \"executed\"").replace(
            "[renewal]",
            &format!("[value]\namount = {amount}\ncurrency = \"USD\"\nper = \"month\"\n\n[renewal]"),
        );
        std::fs::write(&path, priced).unwrap();
        s.commit(&ALICE, &ALICE, "Priced");
        let output = pactum(s.root(), &["report", "--format", "csv"]);
        let rows = String::from_utf8(output.stdout).unwrap();
        let row = rows.lines().find(|l| l.starts_with("acme-nda")).unwrap();
        let annual = csv_fields(row)[11].clone();
        assert_eq!(annual, csv, "{amount}: {row}");
        let output = pactum(s.root(), &["report"]);
        let human = String::from_utf8(output.stdout).unwrap();
        assert!(human.contains(table), "{amount}: {human}");
    }
}

proptest::proptest! {
    // Each case builds a repository and runs pactum three times.
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]

    /// Arbitrary commit subjects and author names through `approvals`, `log` and `audit`.
    #[test]
    fn arbitrary_commit_text_never_controls_the_terminal(
        subject in "(\\PC|[\\x01-\\x1f\\x7f\\u{202e}]|\n::error file=x::y|\u{1b}\\]0;t\u{7}){1,30}",
        author in "[A-Za-z][A-Za-z \u{1b}\u{7}\u{202e}]{0,20}",
    ) {
        let mut s = repository("An NDA");
        let path = s.root().join("contracts/acme-nda.md");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("runs for 2 years", "runs for 3 years")).unwrap();
        let author: &'static str = Box::leak(author.trim().to_owned().into_boxed_str());
        let person = support::git::Person(if author.is_empty() { "A" } else { author }, "a@example.com");
        // Git refuses a message of white space alone.
        s.commit(&person, &person, &format!("x{subject}"));
        for command in [&["approvals"][..], &["log", "acme-nda"], &["audit"]] {
            let output = pactum(s.root(), command);
            assert_inert(&String::from_utf8_lossy(&output.stdout), &format!("{command:?}"));
        }
    }
}

/// The fields of one CSV line (RFC 4180: a field in double quotes may hold commas, and `""`).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}
