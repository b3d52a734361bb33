use super::*;
use crate::contract::FrontMatterRule;

const MSA: &str = r#"+++
id = "acme-msa"
title = "Master Services Agreement"
type = "msa"
status = "draft"
owner = "@legal/alice"
effective_date = 2026-01-01
term = "1 year"
governing_lwa = "NO"

[renewal]
kind = "auto"
period = "1 year"
notice = "60 days"

[[parties]]
name = "Acme AS"

[[obligations]]
id = "report"
every = "1 month"
starting = 2026-01-31
+++
# Master Services Agreement

## 1. Definitions

"**Services**" means the services in an order. "**Confidential Information**" means what a
party discloses.

## 2. Payment

2.1 **Invoices.** The Customer pays for the Services monthly.

2.2 **Late Payment.** Interest runs on late sums, as Section 2.1 (Invoices) says.

## 3. Confidentiality

Each party keeps Confidential Information secret, and Confidental Information too. See Section 2.2 (Late Payment) and
Section 2.2 (Confidentiality) and Section 2.1 (Invoice).
"#;

fn read(text: &str) -> Contract {
    Contract::read("contracts/msa.md", text.to_owned(), FrontMatterRule::Required, &mut Vec::new())
}

fn at(text: &str, needle: &str) -> usize {
    text.find(needle).unwrap_or_else(|| panic!("{needle} in the text"))
}

fn nth(text: &str, needle: &str, n: usize) -> usize {
    text.match_indices(needle).nth(n).unwrap_or_else(|| panic!("{needle} #{n}")).0
}

fn context_with<R>(run: impl FnOnce(&Context<'_>) -> R) -> R {
    let schemas = SchemaSet::load(None).unwrap();
    let settings = crate::repo::Config::default().settings;
    run(&Context { schemas: &schemas, settings: &settings, today: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap() })
}

#[test]
fn a_terms_use_leads_to_its_definition_and_every_use() {
    let contract = read(MSA);
    let use_at = nth(MSA, "Confidential Information", 1) + 3;
    let definition = definition(&contract, use_at).unwrap();
    assert_eq!(&MSA[definition.clone()], "Confidential Information");
    assert_eq!(definition.start, at(MSA, "Confidential Information"));
    let all = references(&contract, use_at, true);
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(references(&contract, use_at, false).len(), 1);
    context_with(|context| {
        let shown = hover(&contract, use_at, context).unwrap();
        assert!(shown.markdown.contains("\"Confidential Information\"**, defined on line 28"), "{}", shown.markdown);
        assert!(shown.markdown.contains("> \"**Services**\" means"), "{}", shown.markdown);
    });
}

#[test]
fn a_reference_leads_to_its_clause_and_a_clause_to_its_references() {
    let contract = read(MSA);
    let reference = nth(MSA, "Section 2.2", 0) + 9;
    let target = definition(&contract, reference).unwrap();
    assert_eq!(
        &MSA[target.clone()],
        "2.2 **Late Payment.** Interest runs on late sums, as Section 2.1 (Invoices) says."
    );
    // From the clause's first line: every reference that names it.
    let from_clause = references(&contract, target.start + 1, false);
    assert_eq!(from_clause.len(), 2, "Section 2.2 (Late Payment) and Section 2.2 (Confidentiality)");
    context_with(|context| {
        let shown = hover(&contract, reference, context).unwrap();
        assert!(shown.markdown.starts_with("**Clause 2.2** — Late Payment (line 35)"), "{}", shown.markdown);
    });
}

#[test]
fn the_outline_is_the_clause_tree() {
    let contract = read(MSA);
    let outline = symbols(&contract);
    let names: Vec<&str> = outline.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names[0], "Front matter");
    let payment =
        outline.iter().flat_map(|s| std::iter::once(s).chain(&s.children)).find(|s| s.name == "2 Payment").unwrap();
    let children: Vec<&str> = payment.children.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(children, ["2.1 Invoices", "2.2 Late Payment"]);
}

#[test]
fn a_date_field_shows_its_description_and_the_deadlines() {
    let contract = read(MSA);
    context_with(|context| {
        let shown = hover(&contract, at(MSA, "2026-01-01"), context).unwrap();
        assert!(shown.markdown.contains("**`effective_date`** (date)"), "{}", shown.markdown);
        assert!(shown.markdown.contains("The first day the contract applies"), "{}", shown.markdown);
        assert!(shown.markdown.contains("- the initial term ends 2026-12-31"), "{}", shown.markdown);
        assert!(shown.markdown.contains("- notice of non-renewal by **2026-11-01**"), "{}", shown.markdown);
        assert!(shown.markdown.contains("- renews on 2027-01-01"), "{}", shown.markdown);
        // An obligation's date: its due days around today (1 June 2026).
        let starting = hover(&contract, at(MSA, "2026-01-31"), context).unwrap();
        assert!(starting.markdown.contains("- last due 2026-05-31"), "{}", starting.markdown);
        assert!(starting.markdown.contains("- next due 2026-06-30, 2026-07-31, 2026-08-31"), "{}", starting.markdown);
        let status = hover(&contract, at(MSA, "\"draft\"") + 2, context).unwrap();
        assert!(status.markdown.contains("One of: `draft`, `review`"), "{}", status.markdown);
    });
}

#[test]
fn renaming_a_term_changes_its_definition_and_uses_only() {
    let contract = read(MSA);
    let defined = at(MSA, "**Services**") + 2;
    let edits = rename(&contract, defined + 1, "Work").unwrap();
    // The definition, the use in the title heading and the one in clause 2.1.
    assert_eq!(edits.len(), 3);
    assert!(edits.iter().all(|e| &MSA[e.span.clone()] == "Services" && e.text == "Work"));
    assert_eq!(
        rename(&contract, defined, "Confidential Information"),
        Err(RenameError::Taken("Confidential Information".into()))
    );
    assert_eq!(rename(&contract, defined, "a \"b\""), Err(RenameError::BadTerm));
}

#[test]
fn renumbering_a_clause_renumbers_what_cites_it() {
    let contract = read(MSA);
    let heading = at(MSA, "2.2 **Late");
    assert_eq!(rename_span(&contract, heading).map(|s| &MSA[s]), Some("2.2"));
    let edits = rename(&contract, heading, "2.5").unwrap();
    let changed: Vec<usize> = edits.iter().map(|e| e.span.start).collect();
    assert_eq!(changed, [heading, nth(MSA, "Section 2.2", 0) + 8, nth(MSA, "Section 2.2", 1) + 8]);
    // The whole section: its number, the numbers under it, and the references to them.
    let section = at(MSA, "## 2. Payment") + 3;
    let edits = rename(&contract, section, "4").unwrap();
    assert_eq!(edits.len(), 1 + 2 + 4, "{edits:?}");
    assert_eq!(rename(&contract, section, "3"), Err(RenameError::NumberTaken("3".into())));
}

#[test]
fn findings_with_one_fix_get_it() {
    let contract = read(MSA);
    let found = context_with(|context| fixes(&contract, context.schemas));
    let by_code = |code: &str| found.iter().filter(|f| f.code == Some(code)).collect::<Vec<_>>();
    // The stale number: the title names clause 3.
    let mismatch = by_code("ref/title-mismatch");
    assert_eq!(mismatch.len(), 1);
    assert_eq!(
        mismatch[0].edits,
        [Edit { span: nth(MSA, "Section 2.2", 1) + 8..nth(MSA, "Section 2.2", 1) + 11, text: "3".into() }]
    );
    // The title written another way: the heading.
    let loose = by_code("ref/title-loose");
    assert_eq!(loose.len(), 1);
    assert_eq!(loose[0].edits[0].text, "Invoices");
    assert_eq!(&MSA[loose[0].edits[0].span.clone()], "Invoice");
    // A misspelt field: the schema's.
    // A slip of a defined term: the term.
    let slip = by_code("term/misspelt");
    assert_eq!(slip.len(), 1);
    assert_eq!(&MSA[slip[0].edits[0].span.clone()], "Confidental Information");
    assert_eq!(slip[0].edits[0].text, "Confidential Information");
    let field = by_code("frontmatter/undeclared-key");
    assert_eq!(field.len(), 1);
    assert_eq!(field[0].edits[0].text, "governing_law");
}

#[test]
fn references_left_behind_by_a_renumbering_are_offered_their_new_numbers() {
    let before = read(MSA);
    // A new clause 2.2 pushes Late Payment to 2.3; the references to 2.2 still say 2.2.
    let edited = MSA.replace(
        "2.2 **Late Payment.**",
        "2.2 **Taxes.** Prices exclude taxes and duties of any kind.\n\n2.3 **Late Payment.**",
    );
    let after = read(&edited);
    let fix = renumbered(&before, &after).expect("a renumbering");
    assert_eq!(fix.edits.len(), 2, "{fix:?}");
    assert!(fix.edits.iter().all(|e| &edited[e.span.clone()] == "2.2" && e.text == "2.3"));
    assert_eq!(fix.title, "Update 2 references to renumbered clauses");
    // Once applied, nothing is left to offer.
    let mut fixed = edited.clone();
    for edit in fix.edits.iter().rev() {
        fixed.replace_range(edit.span.clone(), &edit.text);
    }
    assert_eq!(renumbered(&before, &read(&fixed)), None);
    assert_eq!(renumbered(&before, &before), None);
}

#[test]
fn completion_offers_clauses_terms_keys_and_values() {
    let schemas = SchemaSet::load(None).unwrap();
    let typed = MSA.replace("Each party keeps", "Each party keeps Section 2.");
    let contract = read(&typed);
    let after = at(&typed, "Section 2.") + "Section 2.".len();
    let offered = completions(&contract, after, &schemas);
    let labels: Vec<&str> = offered.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["2.1", "2.2"]);
    assert_eq!(offered[0].replace, after - 2..after);
    assert_eq!(offered[0].detail.as_deref(), Some("Invoices"));

    let typed = MSA.replace("Each party keeps", "Each party keeps confidential inf");
    let contract = read(&typed);
    let after = at(&typed, "confidential inf") + "confidential inf".len();
    let offered = completions(&contract, after, &schemas);
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert_eq!(offered[0].insert, "Confidential Information");
    assert_eq!(&typed[offered[0].replace.clone()], "confidential inf");

    let typed = MSA.replace("notice = \"60 days\"\n", "notice = \"60 days\"\nno");
    let contract = read(&typed);
    let after = at(&typed, "\nno\n") + 3;
    let keys: Vec<String> = completions(&contract, after, &schemas).into_iter().map(|c| c.insert).collect();
    assert_eq!(keys, ["notice_given = "], "renewal's keys not written yet");

    let typed = MSA.replace("status = \"draft\"", "status = \"ex");
    let contract = read(&typed);
    let after = at(&typed, "\"ex") + 3;
    let values: Vec<String> = completions(&contract, after, &schemas).into_iter().map(|c| c.insert).collect();
    assert_eq!(values, ["\"executed\""]);

    let typed = MSA.replace("type = \"msa\"", "type = \"");
    let contract = read(&typed);
    let after = at(&typed, "type = \"") + 8;
    let types: Vec<String> = completions(&contract, after, &schemas).into_iter().map(|c| c.label).collect();
    assert!(types.contains(&"nda".to_owned()) && types.contains(&"msa".to_owned()), "{types:?}");
}

#[test]
fn a_templates_variables_complete_inside_braces() {
    let template = "+++\n[variables.counterparty]\ndescription = \"The other party\"\n[variables.term]\ntype = \"duration\"\n+++\n+++\ntitle = {{ cou\n";
    let offered = template_completions(template, template.len() - 1);
    assert_eq!(offered.len(), 1);
    assert_eq!(offered[0].insert, "counterparty");
    assert_eq!(offered[0].documentation.as_deref(), Some("The other party"));
    let all = template_completions("+++\n[variables.a]\n+++\n{{ ", 25);
    let names: Vec<&str> = all.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(names, ["a", "id"]);
    assert!(template_completions("+++\n[variables.a]\n+++\nplain ", 28).is_empty());
}
