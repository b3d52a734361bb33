//! The published agreements in `tests/corpus/` parse into the clause tree a lawyer sees.
//!
//! Each test names the clauses (number and heading), the defined terms and the references of
//! one real agreement, as written by lawyers outside this project, in the three ways Markdown
//! contracts number clauses: ordered lists (Common Paper, Bonterms, GitHub), numbered
//! paragraphs indented every which way (Papertrail), and lettered sub-items.

use crate::reading;

use pactum_core::contract::Contract;
use reading::{outline, split};

fn read(path: &str) -> Contract {
    let text = std::fs::read_to_string(format!("{}/tests/corpus/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    reading::read_text(path, &text)
}

fn terms(contract: &Contract) -> Vec<&str> {
    contract.terms.iter().map(|t| t.term.as_str()).collect()
}

/// (reference text, target, the number of the clause it resolves to)
fn references(contract: &Contract) -> Vec<(String, String, Option<String>)> {
    contract
        .references
        .iter()
        .map(|r| (r.text.clone(), r.target.clone(), contract.resolve(r).map(|c| c.number.clone())))
        .collect()
}

#[test]
fn common_paper_mutual_nda_v1() {
    let nda = read("commonpaper-mutual-nda/Mutual-NDA.v1-f90b8ac.md");
    assert_eq!(
        outline(&nda),
        split(
            "1=Introduction | 2=Use and Protection of Confidential Information | 3=Exceptions | \
             4=Disclosures Required by Law | 5=Term and Termination | \
             6=Return or Destruction of Confidential Information | 7=Proprietary Rights | 8=Disclaimer | \
             9=Governing Law and Jurisdiction | 10=Equitable Relief | 11=General"
        )
    );
    // Curly-quoted bold definitions; "Cover Page" is defined in passing inside clause 1.
    assert_eq!(terms(&nda), ["MNDA", "Disclosing Party", "Receiving Party", "Confidential Information", "Cover Page"]);
    // "subsection (b)" and "this Section" name no numbered clause.
    assert_eq!(references(&nda), []);
    // `<span class="coverpage_link">Purpose</span>` wraps a word of a sentence: no heading, no clause.
    assert_eq!(nda.body.clauses.len(), 11);
    // Clause ids are slugs of the headings.
    assert_eq!(nda.body.clauses[4].id, "term-and-termination");
}

#[test]
fn common_paper_mutual_nda_v0_has_a_plain_quoted_definition() {
    let nda = read("commonpaper-mutual-nda/Mutual-NDA.v0-335270c.md");
    assert_eq!(outline(&nda).len(), 11);
    // v0 defines Cover Page as (“Cover Page”), without bold, after a space inside the parenthesis.
    assert_eq!(terms(&nda), ["MNDA", "Disclosing Party", "Receiving Party", "Confidential Information", "Cover Page"]);
    let uses: Vec<usize> = nda.terms.iter().map(pactum_core::contract::Term::uses).collect();
    assert!(uses.iter().all(|&u| u > 0), "{uses:?}");
}

#[test]
fn common_paper_cover_page_has_placeholders_and_sections_named_by_heading() {
    let cover = read("commonpaper-mutual-nda/Mutual-NDA-coverpage.md");
    // The cover page divides itself by six unnumbered `###` headings: each is a clause named by
    // its heading alone. The `#` title and the lone `##` over them are no sections.
    assert_eq!(
        outline(&cover),
        split(
            "=Purpose | =Effective Date | =MNDA Term | =Term of Confidentiality | =Governing Law & Jurisdiction | \
             =MNDA Modifications"
        )
    );
    assert!(cover.body.clauses.iter().all(|c| c.number.is_empty() && c.parent.is_none()));
    assert_eq!(terms(&cover), ["MNDA", "Cover Page", "Standard Terms"]);
    let placeholders: Vec<&str> = cover.placeholders.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        placeholders[..4],
        [
            "[Evaluating whether to enter into a business relationship with the other party.]",
            "[Today’s date]",
            "[1 year(s)]",
            "[1 year(s)]"
        ]
    );
    assert_eq!(placeholders.len(), 6);
    // Its `<label>`s show their words as they are: no hidden text to report, even once signed.
    let markup: Vec<String> =
        reading::findings(&cover).into_iter().filter(|f| f.code == "markup/hides-text").map(|f| f.message).collect();
    assert_eq!(markup, Vec::<String>::new());
}

const BONTERMS: &str = "1=Introduction | 2=Confidential Information | 3=Use and Protection of Confidential Information | \
     4=Exceptions | 5=Permitted Disclosures | 5(a)=Representatives | 5(b)=Required by Law | \
     6=Term and Termination | 7=Return or Destruction of Confidential Information | 8=Proprietary Rights | \
     9=Disclaimer | 10=Governing Law and Courts | 11=Equitable Relief | 12=General";

#[test]
fn bonterms_v1_lettered_paragraphs_after_the_list() {
    let nda = read("bonterms-mutual-nda/Mutual-NDA.v1-82cf9dc.md");
    // In v1, "(a) _Representatives_." is indented too little to belong to item 5: CommonMark
    // ends the list, but a reader sees 5(a), and so does pactum.
    assert_eq!(outline(&nda), split(BONTERMS));
    assert_eq!(nda.body.clauses[5].parent, Some(4));
    assert_eq!(terms(&nda), ["NDA", "Discloser", "Recipient", "Cover Page", "Confidential Information"]);
    assert_eq!(references(&nda), [("Section 5 (Permitted Disclosures)".into(), "5".into(), Some("5".into()))]);
}

#[test]
fn bonterms_v2_lettered_bullets_inside_the_item() {
    // v2 moved the lettered paragraphs into a bullet list inside item 5: the same clauses.
    let nda = read("bonterms-mutual-nda/Mutual-NDA.v2-0daebed.md");
    assert_eq!(outline(&nda), split(BONTERMS));
    // "**Disclaimer. Confidential Information is provided …**": the heading is the first sentence.
    assert_eq!(nda.body.clauses[10].heading.as_deref(), Some("Disclaimer"));
    assert_eq!(references(&nda).len(), 1);
}

#[test]
fn github_balanced_employee_ip_v1() {
    let ip = read("github-balanced-employee-ip/Balanced_Employee_IP_Agreement.v1.0.1.md");
    assert_eq!(
        outline(&ip),
        split(
            "1=What the Company owns | 2=What the Company doesn't own | 3=Contribution of your IP to Company projects | \
             4=Your contributions to non-Company projects | 5=Works made for hire | 6=No conflicts | 7=IP protection | \
             8=Confidentiality"
        )
    );
    // Definitions in plain quotes inside parentheses, and one elaborated with "includes".
    assert_eq!(
        terms(&ip),
        ["Company", "Agreement", "IP", "Legal", "Company IP", "License", "All IP", "Confidential Information"]
    );
    assert!(ip.terms[4].redefined.is_empty(), "\"Company IP\" includes … elaborates, it does not redefine");
    // The statutes quoted in Exhibit A (block quotes) hold no clauses and no references,
    // although they say "Section 2870" and number their paragraphs "(a)", "(1)".
    assert_eq!(references(&ip), [("Section 1".into(), "1".into(), Some("1".into()))]);
    // The signature blanks are placeholders.
    assert_eq!(ip.placeholders.iter().filter(|p| p.text.starts_with('＿')).count(), 3);
}

#[test]
fn github_balanced_employee_ip_v2() {
    let ip = read("github-balanced-employee-ip/Balanced_Employee_IP_Agreement.v2.0.0.md");
    assert_eq!(
        outline(&ip),
        split(
            "1=What the Company owns | 2=What the Company doesn't own | 3=License to the Company for Your IP | 3(a) | 3(b) | \
             4=Check with Legal on using non-Company IP | 5=Check with Legal on your contributions to non-Company projects | \
             6=No conflicts | 7=Cooperation | 8=Survivorship"
        )
    );
    assert_eq!(terms(&ip), ["Company", "Agreement", "IP", "Legal", "Company IP", "Your IP", "License"]);
    assert_eq!(references(&ip), [("Section 3".into(), "3".into(), Some("3".into()))]);
}

#[test]
fn papertrail_short_nda() {
    let nda = read("papertrail-nda/nda-short-individual-or-corporate.md");
    assert_eq!(outline(&nda), split("1 | 2 | 3 | 4 | 5 | 6 | 7"));
    // ("[AKA]") and (the "Company" or the "Individual"): two terms in one parenthesis.
    assert_eq!(
        terms(&nda),
        [
            "Agreement",
            "[AKA]",
            "Company",
            "Individual",
            "Confidential Information",
            "Disclosing Party",
            "Receiving Party"
        ]
    );
    assert_eq!(references(&nda), [("Section 4".into(), "4".into(), Some("4".into()))]);
    let blanks = nda.placeholders.iter().filter(|p| p.text.starts_with('_')).count();
    assert!(blanks >= 8, "{blanks}");
}

const LONG_CORPORATE: &str = "1=RECITALS | 1.1 | 1.2 | 1.3 | 1.4 | 1.5 | 1.6 | 2=DEFINITIONS | 2.1 | 2.2 | 2.3=[AKA] Business | \
     2.4=Confidential Information | 2.4.1 | 2.4.2 | 2.4.3 | 2.4.4 | 2.4.5 | 2.4.6 | 2.5=Materials | 2.6=[AKA] | \
     2.7=Effective Date | 2.8=Materials | 2.9=[AKA] Executive Officer | 3=RECIPIENT'S REPRESENTATIONS | \
     3.1=Confidential Information | 3.2=Economic Value | 3.3=Prior Contacts | 4=PROTECTION OF CONFIDENTIAL INFORMATION | \
     4.1=Confidential Information | 4.1.1 | 4.1.2 | 4.1.3 | 4.1.4 | 4.2 | 4.3=Property of [AKA] | 4.4=Materials | 4.5 | \
     4.5.1 | 4.5.2 | 5=INJUNCTIVE RELIEF | 6=ADDITIONAL REMEDIES | 7=SURVIVAL OF REPRESENTATIONS AND WARRANTIES | \
     8=ENTIRE AGREEMENT | 8.1=Sole Agreement | 8.2=No Other Representatives | 8.3=No Reliance | 9=NO OBLIGATION | \
     10=BACKGROUND CHECK & SECURITY CLEARANCES | 10.1 | 10.2 | 11=NO MODIFICATIONS OR WAIVERS | 11.1=Must Be Written | \
     11.2=No Use As Evidence | 12=COOPERATION AND FURTHER ACTIONS | 13=PROFESSIONAL FEES | 14=COUNTERPARTS | \
     15=SEVERABILITY | 16=BINDING UPON SUCCESSORS | 17=RECITALS | 18=GOVERNING LAW AND VENUE | 19=INTERPRETATION | \
     19.1=Paragraph Headings | 19.2=Capitalized Terms | 19.3=Gender and Number | 20=TIME OF ESSENCE | \
     21=RELATIONSHIP CREATED | 22=THIRD PARTY BENEFICIARIES";

#[test]
fn papertrail_long_corporate_nda_nests_by_number() {
    let nda = read("papertrail-nda/nda-long-corporate.md");
    // "  1.1." under "1.  RECITALS" is a top-level paragraph to CommonMark, "    2.4.1." an
    // indented code block; the numbers say where each belongs.
    assert_eq!(outline(&nda), split(LONG_CORPORATE));
    let clause = |number: &str| nda.body.clauses.iter().find(|c| c.number == number).unwrap();
    let parent = |number: &str| clause(number).parent.map(|p| nda.body.clauses[p].number.as_str());
    assert_eq!(parent("1.1"), Some("1"));
    assert_eq!(parent("2.4.1"), Some("2.4"));
    assert_eq!(parent("4.5.2"), Some("4.5"));
    assert_eq!(parent("22"), None);
    // Two clauses are headed "Materials": ids stay unique.
    assert_eq!((clause("2.5").id.as_str(), clause("2.8").id.as_str()), ("materials", "materials-2-8"));
    assert_eq!(
        terms(&nda),
        [
            "Agreement",
            "[AKA]",
            "Recipient",
            "[AKA] Business",
            "Confidential Information",
            "Materials",
            "Effective Date",
            "[AKA] Executive Officer"
        ]
    );
    // "Materials" shall mean … twice (2.5 and 2.8), and "[AKA]" in 2.6 after ("[AKA]") in the preamble.
    let redefined: Vec<&str> = nda.terms.iter().filter(|t| !t.redefined.is_empty()).map(|t| t.term.as_str()).collect();
    assert_eq!(redefined, ["Agreement", "[AKA]", "Recipient", "Materials"]);
}

#[test]
fn papertrail_employee_nda_lazy_continuation_lines() {
    let nda = read("papertrail-nda/employee-nda.md");
    let outline = outline(&nda);
    // "1.  RECITALS\n  1.1.  Employee is …" with no blank line: 1.1 continues item 1's paragraph
    // lazily in CommonMark; it is clause 1.1 all the same.
    assert_eq!(outline[..3], ["1=RECITALS", "1.1", "1.2"]);
    assert_eq!(outline.iter().filter(|o| o.starts_with("1.")).count(), 9);
    // "  2.3.1." is indented like 2.3 but numbered under it.
    let clause = |number: &str| nda.body.clauses.iter().find(|c| c.number == number).unwrap();
    assert_eq!(clause("2.3.1").parent.map(|p| nda.body.clauses[p].number.as_str()), Some("2.3"));
    assert_eq!(outline.last().map(String::as_str), Some("23=THIRD PARTY BENEFICIARIES"));
    assert_eq!(outline.len(), 73);
}

const FEDERAL_AMENDMENT_NOW: &str = "A=Public purpose | A.1=Government entity | A.2=Advertisements | \
     B=Your content on GitHub | B.1=Access and use | B.2=No endorsement | B.3=Provision of data | \
     C=Unpaid and paid plans | C.1=No cost agreement | C.2=Government responsibilities under paid usage plans | \
     C.3=No business relationship created | D=Federal Regulations | D.1=Security | D.2=Federal Records | \
     E=General Conditions | E.1=Indemnification | E.2=Limitation of liability | E.3=Governing law and Forum | \
     E.4=Assignment | F=Changes to this agreement | F.1=Precedence; Further Amendment; Termination | \
     F.2=Posting and availability of this Amendment";

#[test]
fn github_federal_amendment_lettered_sections_over_numbered_lists() {
    let amendment = read("github-site-policy/amendment-us-federal-government-users.v3c81029.md");
    // `### A. Public purpose` over `1. *Government entity* - …`: clause A.1, headed by the
    // italic lead-in that a dash ends.
    assert_eq!(outline(&amendment), split(FEDERAL_AMENDMENT_NOW));
    assert_eq!(terms(&amendment), ["GitHub", "Company", "Service", "Government", "Parties", "ToS"]);
    // "44 U.S.C. 3541", "36 CFR Chapter XII" cite statutes, not clauses of the amendment.
    assert_eq!(references(&amendment), []);
    // The Jekyll front matter of the published page and its `{{#tip}}` block tags are no
    // placeholders.
    assert_eq!(amendment.placeholders, []);
}

#[test]
fn github_federal_amendment_earlier_revision() {
    let amendment = read("github-site-policy/amendment-us-federal-government-users.v04c8757.md");
    // The Markdown numbers the second item of A `3.`; it is the second item, A.2, as rendered.
    let outline = outline(&amendment);
    assert_eq!(outline[..3], ["A=Public purpose", "A.1=Government entity", "A.2=Advertisements"]);
    assert_eq!(
        outline[19..],
        [
            "F=Changes to this agreement",
            "F.1=Changes to standard ToS",
            "F.2=Precedence; Further Amendment; Termination",
            "F.3=Posting and availability of this Amendment"
        ]
    );
    assert_eq!(terms(&amendment), ["GitHub", "Company", "Service", "Agency", "Parties", "ToS"]);
}

#[test]
fn github_gpl_cooperation_commitment_british_quotes() {
    let commitment = read("github-site-policy/github-gpl-cooperation-commitment.md");
    assert!(commitment.body.clauses.is_empty());
    // ‘Covered License’ means …: single curly quotes define as double ones do.
    assert_eq!(terms(&commitment), ["Covered License", "Defensive Action", "GitHub"]);
    // "(a) provisionally, … and (b) permanently" run inside a sentence: no clauses.
    assert_eq!(references(&commitment), []);
}

#[test]
fn automattic_ads_terms_bold_run_in_headings() {
    let terms_of_service = read("automattic-legal/automattic-ads-terms.md");
    assert_eq!(
        outline(&terms_of_service),
        split(
            "1=Binding Agreement | 2=Age Restrictions | 3=Your Automattic Ads | 4=Traffic, Impressions, and Clicks | \
             5=Prohibited Content | 6=No Duty to Monitor | 7=Revenue and Payments | 8=Changes to These Terms | \
             9=Termination | 10=Survival | 11=Representations, Warranties, and Disclaimers | \
             12=Limitation of Liability | 13=Indemnification | 14=Translation | 15=Arbitration Agreement | \
             16=No Class Actions | 17=Governing Law"
        )
    );
    // (“Terms,” “Agreement”): the comma inside the quotes is no part of the term.
    assert_eq!(
        terms(&terms_of_service),
        ["Jetpack Ads", "WordAds", "Terms", "Agreement", "Automattic Ads", "Ads", "JAMS"]
    );
    assert_eq!(
        references(&terms_of_service),
        [
            ("Sections 15 and 16".into(), "15".into(), Some("15".into())),
            ("Sections 15 and 16".into(), "16".into(), Some("16".into()))
        ]
    );
    // The bulleted list under 5 is prose of clause 5, not clauses.
    assert_eq!(terms_of_service.body.clauses[4].children, Vec::<usize>::new());
}

#[test]
fn opengov_policies_are_divided_by_unnumbered_headings() {
    // No number anywhere: each `##` and `###` heading is a clause addressed by its heading, the
    // `###` ones inside the `##` above them; the `#` title is none.
    let expected = [
        (
            "opengov-site-policy/terms.md",
            "=Treat Other Users the Way You Want to be Treated | =Submitting Your Online Material via Madison | \
             =Opt-In | =Non-Profit Exemptions",
        ),
        (
            "opengov-site-policy/copyright.md",
            "=Copyright Infringement Notification | =Counter-Notification: What You Can Do If Your Content Was Removed",
        ),
        (
            "opengov-site-policy/privacy-policy.md",
            "=Information Gathered | =Logging | =Cookies | =Voluntarily Submitted Information | \
             =OpenGov Updates and other Mailing Lists | =OpenGov's Use of Information | =Supporter Information | \
             =Invitees to OpenGov | =Publication by OpenGov | =Other activities | \
             =Third-Party Service Providers to OpenGov | =Disclosure of Your Information | \
             =Updating or Removing Your Information | =Changes to Our Policies | =Security",
        ),
    ];
    for (path, clauses) in expected {
        let policy = read(path);
        assert_eq!(outline(&policy), split(clauses), "{path}");
        // "section 501(c)3 of the U.S. Internal Revenue Code", "Section 512(f) of the DMCA":
        // citations of statutes.
        assert_eq!(references(&policy), [], "{path}");
        // Every unnumbered heading is a part of the document.
        assert!(policy.body.parts.len() > 3, "{path}");
    }
    let privacy = read("opengov-site-policy/privacy-policy.md");
    let logging = &privacy.body.clauses[1];
    assert_eq!((logging.parent, privacy.body.clauses[0].children.len()), (Some(0), 4));
    assert_eq!(terms(&privacy), ["OpenGov"]);
}

#[test]
fn creative_commons_licence_nests_five_levels() {
    let licence = read("creativecommons-legalcode/cc-by-4.0.md");
    let numbers: Vec<&str> = licence.body.clauses.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(numbers.len(), 65);
    // `### Section 3 – License Conditions.`, `a. ___Attribution.___`, `1.` (a list), `A.`,
    // `i.`: Section 3(a)(1)(A)(i), as the licence itself cites it.
    let headed: Vec<String> = outline(&licence).into_iter().filter(|o| o.contains('=')).collect();
    assert_eq!(
        headed,
        split(
            "1=Definitions | 2=Scope | 2(a)=License grant | 2(a)(2)=Exceptions and Limitations | 2(a)(3)=Term | \
             2(a)(4)=Media and formats; technical modifications allowed | 2(a)(5)=Downstream recipients | \
             2(a)(5)(A)=Offer from the Licensor – Licensed Material | 2(a)(5)(B)=No downstream restrictions | \
             2(a)(6)=No endorsement | 2(b)=Other rights | 3=License Conditions | 3(a)=Attribution | \
             4=Sui Generis Database Rights | 5=Disclaimer of Warranties and Limitation of Liability | \
             6=Term and Termination | 7=Other Terms and Conditions | 8=Interpretation"
        )
    );
    assert_eq!(
        numbers[29..40],
        [
            "3(a)",
            "3(a)(1)",
            "3(a)(1)(A)",
            "3(a)(1)(A)(i)",
            "3(a)(1)(A)(ii)",
            "3(a)(1)(A)(iii)",
            "3(a)(1)(A)(iv)",
            "3(a)(1)(A)(v)",
            "3(a)(1)(B)",
            "3(a)(1)(C)",
            "3(a)(2)"
        ]
    );
    // `__Adapted Material__ means …`: bold terms without quotes are definitions.
    assert_eq!(
        terms(&licence),
        [
            "Public License",
            "Adapted Material",
            "Adapter's License",
            "Copyright and Similar Rights",
            "Effective Technological Measures",
            "Exceptions and Limitations",
            "Licensed Material",
            "Licensed Rights",
            "Licensor",
            "Share",
            "Sui Generis Database Rights",
            "You"
        ]
    );
    // Every reference resolves, to the deepest level; "Article 11 of the WIPO Copyright
    // Treaty" cites a treaty.
    let references = references(&licence);
    let targets: Vec<&str> = references.iter().map(|(_, target, _)| target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "2(b)(1)",
            "6(a)",
            "2(a)(4)",
            "3(a)(1)(A)(i)",
            "3(a)(1)",
            "3(a)(1)(A)",
            "2(a)(1)",
            "3(a)",
            "4",
            "6(a)",
            "6(b)",
            "1",
            "5",
            "6",
            "7",
            "8"
        ]
    );
    assert!(references.iter().all(|(_, target, resolved)| resolved.as_deref() == Some(target.as_str())));
    // `___License grant.___` is bold italics, not a blank.
    assert_eq!(licence.placeholders, []);
}

#[test]
fn basecamp_terms_restart_numbering_under_each_heading() {
    let terms_of_service = read("basecamp-policies/terms-reacher-adaptation.md");
    // Each unnumbered `##` heading is a section named by its heading; the numbered items under
    // it are its clauses, cited with the heading since every section numbers from 1. The Jekyll
    // YAML header at the top is metadata, not a heading.
    let numbered: Vec<String> = outline(&terms_of_service).into_iter().filter(|c| !c.starts_with('=')).collect();
    assert_eq!(numbered.len(), 31);
    assert_eq!(
        numbered[..6],
        [
            "Account Terms › 1",
            "Account Terms › 2",
            "Account Terms › 3",
            "Account Terms › 4",
            "Payment, Refunds, and Plan Changes › 1",
            "Payment, Refunds, and Plan Changes › 2"
        ]
    );
    let sections = terms_of_service.body.clauses.iter().filter(|c| c.number.is_empty()).count();
    assert_eq!(sections, 9);
    assert_eq!(terms_of_service.body.clauses[0].heading.as_deref(), Some("Account Terms"));
    assert_eq!(terms_of_service.body.clauses[1].parent, Some(0));
    // A bulleted list interrupts the list under "Uptime, Security, and Privacy"; the list that
    // follows continues it at 5.
    assert_eq!(numbered[20], "Uptime, Security, and Privacy › 5");
    let fifth = terms_of_service.body.clauses.iter().find(|c| c.number == "Uptime, Security, and Privacy › 5");
    assert_eq!(fifth.map(pactum_core::contract::Clause::local_number), Some("5"));
    assert_eq!(terms(&terms_of_service), ["CCPA"]);
    // The SLA's question headings are its sections.
    let sla = read("basecamp-policies/sla.md");
    assert_eq!(
        outline(&sla),
        split(
            "=What is \"uptime\"? | =How do I find Basecamp's uptime? | =What happens if it's below 99.99%? | \
             =How do we track that uptime? | =Will this change in the future? | =What if I have questions about this SLA?"
        )
    );
    assert_eq!(terms(&sla), ["Uptime"]);
}

/// Every document of the corpus, wrapped in front matter, checked as a contract: no finding
/// at error level except the true ones listed here, which must go on being found.
#[test]
fn the_corpus_raises_no_false_errors() {
    let root = format!("{}/tests/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut errors = Vec::new();
    for folder in std::fs::read_dir(&root).unwrap() {
        let folder = folder.unwrap().path();
        if !folder.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&folder).unwrap() {
            let file = file.unwrap().path();
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let markdown = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
            if !markdown || name.starts_with("LICENSE") {
                continue;
            }
            let path = format!("{}/{name}", folder.file_name().unwrap().to_string_lossy());
            let contract = read(&path);
            for finding in reading::findings(&contract) {
                if finding.severity == pactum_core::findings::Severity::Error {
                    errors.push(format!("{path}: {}: {}", finding.code, finding.message));
                }
            }
        }
    }
    errors.sort();
    assert_eq!(errors, Vec::<String>::new());
}

/// `term/misspelt` on the published agreements: none as published, and one for each defined
/// term misspelt at one of its uses by a letter dropped from its middle (a generated family: each
/// agreement, each term of six letters or more, one slip at a time).
#[test]
fn a_letter_dropped_from_a_defined_term_is_found_and_nothing_else_is() {
    let misspelt = |contract: &Contract| -> Vec<(usize, String)> {
        reading::findings(contract)
            .into_iter()
            .filter(|d| d.code == "term/misspelt")
            .map(|d| (d.location.line, d.message))
            .collect()
    };
    let (mut tried, mut found) = (0, 0);
    let mut missed = Vec::new();
    for path in crate::support::corpus() {
        let text = std::fs::read_to_string(&path).unwrap();
        let shown = path.display().to_string();
        let contract = reading::read_text(&shown, &text);
        assert_eq!(misspelt(&contract), [], "{shown} as published");
        let defined: std::collections::HashSet<&str> = contract.terms.iter().map(|t| t.term.as_str()).collect();
        for term in &contract.terms {
            let name = term.term.as_str();
            let looked_for = name.len() >= 6
                && name.starts_with(char::is_uppercase)
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ');
            // A use within a sentence: a single word that starts one is capitalised as a word.
            let Some(used) = term.used.iter().find(|span| {
                let before = text[..span.start].trim_end_matches([' ', '*', '_', '"']);
                !before.ends_with(['.', ':', ';', '(', '\n']) && !before.is_empty()
            }) else {
                continue;
            };
            if !looked_for {
                continue;
            }
            // The letter in the middle of the last word, where it is no double letter.
            let last = name.rfind(' ').map_or(0, |at| at + 1);
            let at = last + (name.len() - last) / 2;
            let bytes = name.as_bytes();
            if bytes[at] == bytes[at - 1] || name.len() - last < 4 {
                continue;
            }
            let slip = format!("{}{}", &name[..at], &name[at + 1..]);
            if defined.contains(slip.as_str()) || text.contains(&slip) {
                continue;
            }
            let mut edited = text.clone();
            edited.replace_range(used.clone(), &slip);
            let line = text[..used.start].matches('\n').count() + 1;
            let contract = reading::read_text(&shown, &edited);
            tried += 1;
            let said = misspelt(&contract);
            if said.iter().any(|(l, message)| *l == line && message.contains(&format!("\"{name}\""))) {
                found += 1;
            } else {
                missed.push(format!("{shown}:{line}: {slip} ({said:?})"));
            }
        }
    }
    assert!(tried >= 200, "{tried} slips tried");
    assert!(missed.is_empty(), "{found} of {tried} found; missed:\n{}", missed.join("\n"));
}
