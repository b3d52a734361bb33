//! Drafting styles pactum reads as a lawyer reads them, one test per construct.
//!
//! Each shape below appears in agreements published today (see `tests/corpus/README.md` for
//! where); the examples here are minimal forms of them, so that a failure names the construct.

use crate::reading;

use pactum_core::contract::Contract;
use reading::{outline, split};

fn read(body: &str) -> Contract {
    reading::read_text("styles.md", body)
}

/// The findings of the drafting rules, as `code: message`.
fn findings(contract: &Contract) -> Vec<String> {
    reading::findings(contract).into_iter().map(|d| format!("{}: {}", d.code, d.message)).collect()
}

fn resolved(contract: &Contract) -> Vec<(String, Option<String>)> {
    contract.references.iter().map(|r| (r.target.clone(), contract.resolve(r).map(|c| c.number.clone()))).collect()
}

#[test]
fn lettered_sections_number_their_subsections() {
    let terms = read(
        "## A. Definitions\n\nWords.\n\n## B. Use of the Service\n\n### 1. Your Account\n\nKeep it.\n\n\
         ### 2. Security\n\nAs Section B.1 says.\n\n## C. Fees\n",
    );
    assert_eq!(
        outline(&terms),
        split("A=Definitions | B=Use of the Service | B.1=Your Account | B.2=Security | C=Fees")
    );
    assert_eq!(resolved(&terms), [("B.1".into(), Some("B.1".into()))]);
    assert_eq!(findings(&terms), Vec::<String>::new());
}

#[test]
fn lettered_subsections_under_numbered_sections_and_addendum_numbers() {
    let fees = read("## 4. Fees\n\n### A. Invoicing\n\nMonthly.\n\n### B. Late Payment\n\nInterest.\n");
    assert_eq!(outline(&fees), split("4=Fees | 4.A=Invoicing | 4.B=Late Payment"));
    let addendum = read("**X2-3. Transfers.** Data may move.\n\n**X2-4. Audits.** Once a year.\n");
    assert_eq!(outline(&addendum), split("X2-3=Transfers | X2-4=Audits"));
}

#[test]
fn roman_article_headings() {
    let articles = read("## Article I – Scope\n\nText.\n\n## Article II – Fees\n\nText.\n\n## Article IV – Term\n");
    assert_eq!(outline(&articles), split("I=Scope | II=Fees | IV=Term"));
    // The gap is counted in roman numerals.
    assert_eq!(findings(&articles), ["clause/numbering-gap: clause IV follows clause II: clause III is missing"]);
}

#[test]
fn escaped_numbers_from_converted_documents() {
    let atx = read("## 3\\. Payment\n\nPay.\n\n## 4\\. Term\n");
    assert_eq!(outline(&atx), split("3=Payment | 4=Term"));
    let setext = read("3\\. Payment\n---\n\nPay.\n\n4\\. Term\n---\n");
    assert_eq!(outline(&setext), split("3=Payment | 4=Term"));
    // Unescaped, Markdown reads a list item and a rule: still clause 3 headed "Payment".
    let unescaped = read("3. Payment\n\n---\n\nPay.\n");
    assert_eq!(outline(&unescaped), split("3=Payment"));
}

#[test]
fn bold_run_in_headings_in_every_punctuation() {
    let body = read(
        "**7. Termination.** Either party may end this.\n\n**7.1 Notice**. In writing.\n\n\
         **7.2**. Effect. On termination, access ends.\n\n**7.3.** Survival.The sections survive.\n",
    );
    assert_eq!(outline(&body), split("7=Termination | 7.1=Notice | 7.2=Effect | 7.3=Survival"));
}

#[test]
fn unnumbered_headings_over_lists_restart_their_numbers() {
    let terms = read(
        "# Terms\n\n## Payment\n\n1. Pay monthly.\n2. In advance.\n\n## Cancellation\n\n1. Any time.\n2. Data kept 30 days.\n",
    );
    assert_eq!(
        outline(&terms),
        split("=Payment | Payment › 1 | Payment › 2 | =Cancellation | Cancellation › 1 | Cancellation › 2")
    );
    assert_eq!(findings(&terms), Vec::<String>::new());
    // Ids are stable across versions: the heading path, not the bare number.
    assert_eq!(terms.body.clauses[4].id, "cancellation-1");
    // `Section 2` inside a part is that part's clause 2.
    let cited = read(
        "## Payment\n\n1. Pay monthly.\n2. See Section 1.\n\n## Cancellation\n\n1. Any time, see Section 2.\n2. Later.\n",
    );
    assert_eq!(
        resolved(&cited),
        [("1".into(), Some("Payment › 1".into())), ("2".into(), Some("Cancellation › 2".into()))]
    );
}

#[test]
fn numbers_that_do_not_restart_stay_plain() {
    let terms = read("## Exhibit A\n\n1. the first thing.\n2. the second.\n");
    assert_eq!(outline(&terms), split("1 | 2"));
}

#[test]
fn bullets_under_a_clause_are_its_sub_clauses() {
    let audit = read(
        "7.2 Audit. Customer may audit.\n\n* (a) Records. Keep records.\n* (b) Audits. Allow audits.\n\n7.3 Costs. Each bears its own.\n",
    );
    assert_eq!(outline(&audit), split("7.2=Audit | 7.2(a)=Records | 7.2(b)=Audits | 7.3=Costs"));
    assert_eq!(audit.body.clauses[2].parent, Some(0));
}

#[test]
fn roman_lists_read_as_roman_when_the_sequence_says_so() {
    let items =
        ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"].map(|n| format!("({n}) item {n};\n\n")).concat();
    let body = read(&format!("1. Terms:\n\n(a) first;\n\n(b) second;\n\n(c) these:\n\n{items}(d) last.\n"));
    let numbers: Vec<&str> = body.body.clauses.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "1",
            "1(a)",
            "1(b)",
            "1(c)",
            "1(c)(i)",
            "1(c)(ii)",
            "1(c)(iii)",
            "1(c)(iv)",
            "1(c)(v)",
            "1(c)(vi)",
            "1(c)(vii)",
            "1(c)(viii)",
            "1(c)(ix)",
            "1(c)(x)",
            "1(d)"
        ]
    );
    assert_eq!(findings(&body), Vec::<String>::new());
    // `i.` to `v.` as paragraphs, under an upper-case `A.` inside a list item, as the Creative
    // Commons licences write them.
    let legal = read(
        "### Section 3 – Conditions.\n\na. ___Attribution.___\n\n   1. If You Share, You must:\n\n       A. retain:\n\n         \
         i. the creator;\n\n         ii. a notice;\n\n         iii. a URI;\n\n         iv. a disclaimer;\n\n         v. a link;\n\n       \
         B. indicate changes.\n\n   2. You may satisfy Section 3(a)(1)(A)(v).\n\nb. Nothing else.\n",
    );
    let numbers: Vec<&str> = legal.body.clauses.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "3",
            "3(a)",
            "3(a)(1)",
            "3(a)(1)(A)",
            "3(a)(1)(A)(i)",
            "3(a)(1)(A)(ii)",
            "3(a)(1)(A)(iii)",
            "3(a)(1)(A)(iv)",
            "3(a)(1)(A)(v)",
            "3(a)(1)(B)",
            "3(a)(2)",
            "3(b)"
        ]
    );
    assert_eq!(resolved(&legal), [("3(a)(1)(A)(v)".into(), Some("3(a)(1)(A)(v)".into()))]);
}

#[test]
fn a_list_item_holding_only_a_heading_keeps_its_first_sub_item() {
    for body in [
        "1. **Definitions**\n\n   a. \"Fee\" means money.\n\n   b. \"Term\" means time.\n\n2. **Fees**\n",
        "1. **Definitions**\n   a. \"Fee\" means money.\n   b. \"Term\" means time.\n2. **Fees**\n",
        "1. ### Definitions\n   a. \"Fee\" means money.\n\n   b. \"Term\" means time.\n2. **Fees**\n",
    ] {
        let read = read(body);
        assert_eq!(outline(&read), split("1=Definitions | 1(a) | 1(b) | 2=Fees"), "{body}");
    }
}

#[test]
fn one_grammar_for_numbers() {
    let body = read(
        "## 2025 Amendments\n\n4.1 First.\n\n4.10 Tenth. See Section 4.10, not Section 1234.\n\n## 4. Fees\n\nSection 4.1 applies.\n",
    );
    let numbers: Vec<&str> = body.body.clauses.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(numbers, ["4.1", "4.10", "4"]);
    assert_eq!(resolved(&body), [("4.10".into(), Some("4.10".into())), ("4.1".into(), Some("4.1".into()))]);
}

#[test]
fn citations_of_other_instruments_are_never_unresolved() {
    let dpa = read(
        "## 1. Transfers\n\nAs 48 C.F.R. § 2.101 defines, under §§ 1798.100–1798.199, Section 17A of the Data \
         Protection Act 2018, Clause 13 of the Standard Contractual Clauses and Clause 8.1(d) and Clause 8.5 of \
         the SCCs, and Article 28(3) GDPR.\n",
    );
    assert_eq!(dpa.references.len(), 0, "{:?}", dpa.references);
    assert_eq!(findings(&dpa), Vec::<String>::new());
}

#[test]
fn links_to_headings_resolve_by_their_anchors() {
    let terms = read(
        "| Section | Summary |\n| --- | --- |\n| [A. Account Terms](#a-account-terms) | Accounts |\n| [Q. Changes](#q-changes) | None |\n\n\
         ## A. Account Terms\n\nText.\n\n## Help\n\nSee [help](#help), [the terms](#a-account-terms) and [an anchor](#here).\n\n\
         <a id=\"here\"></a>\n",
    );
    assert_eq!(
        findings(&terms),
        [
            "ref/unresolved: `[Q. Changes](#q-changes)` refers to a clause that does not exist: no clause or heading has the anchor `q-changes`"
        ]
    );
}

#[test]
fn loose_titles_are_no_stale_titles() {
    let body = "## 6. Representations and Warranties\n\n6.1 Mutual. Both warrant.\n\n6.3 From Provider. It works.\n\n\
                ## 9. Intellectual Property and Marks\n\nOwned.\n\n## 10. Fees\n\nPay.\n\n## 11. Term\n\n\
                See Section 6.3 (Representations & Warranty From Provider), Section 9 (IP and Marks), Section 10 (FEES) \
                and Section 11 (Fees).\n";
    let codes: Vec<String> = findings(&read(body)).into_iter().filter(|f| f.starts_with("ref/")).collect();
    assert_eq!(
        codes,
        [
            "ref/title-loose: `Section 6.3 (Representations & Warranty From Provider)` names \"Representations & Warranty From Provider\", which is clause 6.3's heading written another way: \"Representations and Warranties From Provider\"",
            "ref/title-loose: `Section 9 (IP and Marks)` names \"IP and Marks\", which is clause 9's heading written another way: \"Intellectual Property and Marks\"",
            "ref/title-mismatch: `Section 11 (Fees)` names \"Fees\", but clause 11 is headed \"Term\"",
        ]
    );
}

/// A section that is not there is an error; a range that runs past the last section is found
/// too, as a warning (a range may be written to run to the end); a range inside the contract
/// is fine.
#[test]
fn a_range_past_the_last_section_is_found() {
    let body = "## 1. Scope\n\nText.\n\n## 2. Fees\n\nText.\n\n## 3. Term\n\n\
                Sections 1 through 5 survive. Sections 2 to 3 also. Section 4 too.\n";
    let codes: Vec<String> = findings(&read(body)).into_iter().filter(|f| f.starts_with("ref/")).collect();
    assert_eq!(
        codes,
        [
            "ref/uncertain: `Sections 1 through 5` names no clause of this document (`5` closes a range, and a range may run past the last clause on purpose); it may cite another instrument",
            "ref/unresolved: `Section 4` refers to a clause that does not exist: there is no clause 4",
        ]
    );
}

/// A reference in the text of a link to another document cites that document: GitHub's
/// Marketplace terms send payment to "[Section K. Payment](/site-policy/…#k-payment)" of the
/// Terms of Service while their own sections end at J.
#[test]
fn a_reference_in_a_link_to_another_document_is_not_checked() {
    let body =
        "## A. Use\n\nText.\n\n## B. Payment\n\nGoverned by [Section K. Payment](/terms#k-payment) and Section A.\n";
    let terms = read(body);
    assert_eq!(resolved(&terms), [("A".into(), Some("A".into()))]);
    assert_eq!(findings(&terms), Vec::<String>::new());
}

/// Clauses inserted by an amendment between two numbers (`## 1A.` after `## 1.`, `### 4.1A`)
/// are clauses at their own numbers, in no sequence, and references to them resolve.
#[test]
fn inserted_clauses_keep_their_numbers() {
    let body = "## 1. Definitions.\n\nText.\n\n## 1A. Payment Processing.\n\n### 1A.1 Processor.\n\nStripe.\n\n\
                ## 2. Fees.\n\n### 2.1 Amount.\n\nSee Section 1A.1.\n\n### 2.1A Disclaimer.\n\nNone.\n\n### 2.2 Taxes.\n\nPaid.\n";
    let terms = read(body);
    assert_eq!(
        outline(&terms),
        split(
            "1=Definitions | 1A=Payment Processing | 1A.1=Processor | 2=Fees | 2.1=Amount | 2.1A=Disclaimer | 2.2=Taxes"
        )
    );
    assert_eq!(resolved(&terms), [("1A.1".into(), Some("1A.1".into()))]);
    assert_eq!(findings(&terms), Vec::<String>::new());
}
