use super::*;
use crate::contract::FrontMatterRule;

fn read(text: &str) -> Contract {
    Contract::read("c.md", text.to_owned(), FrontMatterRule::Optional, &mut Vec::new())
}

fn changes(old: &str, new: &str) -> Vec<(String, String, String)> {
    let (old, new) = (read(old), read(new));
    diff(Some(&old), Some(&new), &DiffOptions::default())
        .clauses
        .into_iter()
        .map(|c| {
            let number = |r: &Option<ClauseRef>| r.as_ref().map_or("-".to_owned(), |r| r.number.clone());
            (c.change.as_str().to_owned(), number(&c.old), number(&c.new))
        })
        .collect()
}

fn triple(change: &str, old: &str, new: &str) -> (String, String, String) {
    (change.into(), old.into(), new.into())
}

#[test]
fn an_insertion_renumbers_what_follows() {
    let old = "1. **Scope**. Work.\n2. **Fees**. Pay.\n3. **Term**. One year.\n";
    let new = "1. **Scope**. Work.\n2. **Audit**. Customer may audit.\n3. **Fees**. Pay.\n4. **Term**. One year.\n";
    assert_eq!(
        changes(old, new),
        [triple("added", "-", "2"), triple("renumbered", "2", "3"), triple("renumbered", "3", "4")]
    );
}

#[test]
fn unheaded_clauses_pair_by_text() {
    let old = "1. Alpha beta gamma.\n2. Delta epsilon.\n";
    let new = "1. Zeta eta theta iota.\n2. Alpha beta gamma.\n3. Delta epsilon.\n";
    assert_eq!(
        changes(old, new),
        [triple("added", "-", "1"), triple("renumbered", "1", "2"), triple("renumbered", "2", "3")]
    );
}

#[test]
fn a_moved_clause_is_moved() {
    let old = "1. **Scope**. Work.\n2. **Fees**. Pay.\n3. **Term**. One year.\n4. **Law**. Norway.\n";
    let new = "1. **Scope**. Work.\n2. **Term**. One year.\n3. **Law**. Norway.\n4. **Fees**. Pay.\n";
    let found = changes(old, new);
    assert!(found.contains(&triple("moved", "2", "4")), "{found:?}");
    assert_eq!(found.iter().filter(|c| c.0 == "moved").count(), 1, "{found:?}");
}

/// Segments keep the text's own spacing: straight quotes, brackets and a comma that follows a
/// change are not pulled apart.
#[test]
fn redline_keeps_the_spacing_of_the_text() {
    let (segments, inserted, deleted) = redline(
        "The Company owns any IP (\"Company IP\") that you create as its employee, but",
        "The Company owns any IP (\"Company IP\") that you create, during your employment, but",
    );
    assert_eq!((inserted, deleted), (3, 3));
    assert_eq!(
        segments,
        [
            Segment::Equal("The Company owns any IP (\"Company IP\") that you create".into()),
            Segment::Delete("as its employee".into()),
            Segment::Equal(",".into()),
            Segment::Insert("during your employment,".into()),
            Segment::Equal("but".into()),
        ]
    );
    assert!(spaced("create", "as its employee"));
    assert!(!spaced("as its employee", ","));
    assert!(!spaced("(", "iii"));
    assert!(!spaced("", "The"));
}

#[test]
fn reworded_clauses_are_modified_with_a_redline() {
    let old = read("1. **Fees**. Customer pays within thirty days.\n");
    let new = read("1. **Fees**. Customer pays within sixty days of invoice.\n");
    let result = diff(Some(&old), Some(&new), &DiffOptions::default());
    let clause = &result.clauses[0];
    assert_eq!(clause.change, ClauseChange::Modified);
    assert_eq!((clause.inserted_words, clause.deleted_words), (3, 1));
    assert!(clause.material, "fees are material by default");
    assert_eq!(
        clause.redline,
        [
            Segment::Equal("Fees. Customer pays within".into()),
            Segment::Delete("thirty".into()),
            Segment::Insert("sixty".into()),
            Segment::Equal("days".into()),
            Segment::Insert("of invoice".into()),
            Segment::Equal(".".into()),
        ]
    );
}

#[test]
fn front_matter_fields() {
    let old = read("+++\nid = \"a\"\n[value]\namount = 120000\ncurrency = \"USD\"\n+++\n");
    let new = read("+++\nid = \"a\"\nowner = \"@x\"\n[value]\namount = 150000\ncurrency = \"USD\"\n+++\n");
    let fields = diff(Some(&old), Some(&new), &DiffOptions::default()).fields;
    let shown: Vec<(String, String, bool)> =
        fields.iter().map(|f| (f.pointer.clone(), format!("{:?} → {:?}", f.old, f.new), f.material)).collect();
    assert_eq!(
        shown,
        [
            ("/value/amount".into(), "Some(Number(120000)) → Some(Number(150000))".into(), true),
            ("/owner".into(), "None → Some(String(\"@x\"))".into(), false),
        ]
    );
}

#[test]
fn longest_run_in_order() {
    assert_eq!(longest_in_order(&[(0, 0), (1, 3), (2, 1), (3, 2)]), [true, false, true, true]);
    assert_eq!(longest_in_order(&[]), Vec::<bool>::new());
}

#[test]
fn a_change_of_the_front_matter_alone_changes_no_clause() {
    // Repeated wording, no headings: what alignment finds hardest, and here has nothing to find.
    let body = "1. The same words.\n2. The same words.\n3. The same words.\n";
    let old = format!("+++\nid = \"a\"\nstatus = \"draft\"\n+++\n{body}");
    let new = format!("+++\nid = \"a\"\nstatus = \"review\"\n+++\n{body}");
    assert_eq!(changes(&old, &new), []);
    let diff = diff(Some(&read(&old)), Some(&read(&new)), &DiffOptions::default());
    assert!(diff.fields.iter().any(|f| f.pointer == "/status"), "{:?}", diff.fields);
}
