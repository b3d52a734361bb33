//! Printers for the Word exchange: what an export, a Word redline, an import or an adoption
//! wrote, and a counterparty's comments, for a review.

use std::path::Path;

use pactum_core::exchange::import::Proposal;
use pactum_core::text::{count, markdown};

/// A counterparty's comments, clause by clause, as Markdown for a review: the words each
/// comment is on, who said it and when, all as text (nothing in them is markup).
#[must_use]
pub fn comments_markdown(title: &str, source: &Path, proposal: &Proposal) -> String {
    // The Word file by its name: where it lay on the importer's machine is no one's business.
    let name = source.file_name().map_or_else(|| source.to_string_lossy(), |n| n.to_string_lossy());
    let mut out = format!("# Comments on {title}\n\nFrom {}.\n", markdown::code(&name));
    let mut places: Vec<&str> = Vec::new();
    for placed in &proposal.comments {
        if !places.contains(&placed.place.as_str()) {
            places.push(&placed.place);
        }
    }
    for place in places {
        let mut first = true;
        for placed in proposal.comments.iter().filter(|p| p.place == place) {
            if first {
                let mut heading = place.to_owned();
                if let Some(c) = heading.get_mut(..1) {
                    c.make_ascii_uppercase();
                }
                out.push_str(&format!("\n## {heading}\n\n"));
                first = false;
            }
            // The words commented on, and the comment, as text: nothing in them is markup, a
            // mention or an image.
            let quoted: String = placed.words.chars().take(300).collect();
            let ellipsis = if placed.words.chars().count() > 300 { "…" } else { "" };
            out.push_str(&format!("> {}{ellipsis}\n\n", markdown::literal(&quoted)));
            // A date Word wrote that is no date is left out, not printed as it stands.
            let date = placed
                .comment
                .date
                .get(..10)
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .filter(|d| chrono::Datelike::year(d) > 1900);
            let who = if placed.comment.author.trim().is_empty() {
                "Someone".to_owned()
            } else {
                markdown::literal(placed.comment.author.trim())
            };
            let when = date.map(|d| format!(" ({d})")).unwrap_or_default();
            let said: Vec<String> =
                placed.comment.text.trim().lines().filter(|l| !l.trim().is_empty()).map(markdown::literal).collect();
            out.push_str(&format!("**{who}**{when}: {}\n\n", said.join("\n\n")));
        }
    }
    out
}

/// What a return proposes, one line per kind of edit and per change not imported.
pub fn edits(proposal: &Proposal) -> String {
    use pactum_core::exchange::import::Edit;
    let mut report = String::new();
    for (kind, label) in [
        (Edit::Changed, "changed"),
        (Edit::Moved, "moved"),
        (Edit::Added, "added"),
        (Edit::Removed, "removed"),
        (Edit::Renumbered, "renumbered"),
    ] {
        let places: Vec<&str> = proposal.edits.iter().filter(|(k, _)| *k == kind).map(|(_, p)| p.as_str()).collect();
        if !places.is_empty() {
            report.push_str(&format!("  {label}: {}\n", places.join("; ")));
        }
    }
    for unmapped in &proposal.unmapped {
        report.push_str(&format!("  not imported, {}: {}\n", unmapped.place, unmapped.what));
    }
    report
}

/// What `export` wrote: paragraphs, and how many of the clauses Word numbers.
pub fn exported(output: &Path, document: &pactum_core::exchange::model::Document) -> String {
    let numbered = document.paras.iter().filter(|p| p.numbered.is_some()).count();
    let clauses = document.paras.iter().filter(|p| p.clause.is_some()).count();
    format!(
        "wrote {} ({}; {numbered} of {} numbered by Word)\n",
        output.display(),
        count(document.paras.len(), "paragraph"),
        count(clauses, "clause")
    )
}

/// What `diff --format docx` wrote: how many paragraphs carry tracked changes, by whom.
pub fn redlined(output: &Path, document: &pactum_core::exchange::model::Document, author: &str) -> String {
    use pactum_core::exchange::model::Change;
    let tracked = document
        .paras
        .iter()
        .filter(|p| p.mark != Change::None || p.runs.iter().any(|r| r.change != Change::None))
        .count();
    format!("wrote {} ({} with tracked changes by {author})\n", output.display(), count(tracked, "paragraph"))
}

/// What `import` did with a return (`changed`: whether the contract's text changes; `dry_run`:
/// whether it was only shown), and its edits.
pub fn imported(into: &Path, proposal: &Proposal, changed: bool, dry_run: bool) -> String {
    let verb = match (changed, dry_run) {
        (false, _) => "no change to",
        (true, true) => "would change",
        (true, false) => "changed",
    };
    let report = edits(proposal);
    format!(
        "{verb} {} ({}, {}{}){}{report}",
        into.display(),
        count(proposal.edits.len(), "edit"),
        count(proposal.comments.len(), "comment"),
        if proposal.unmapped.is_empty() {
            String::new()
        } else {
            format!(", {} not imported", count(proposal.unmapped.len(), "change"))
        },
        if report.is_empty() { "\n" } else { ":\n" }
    )
}

/// What `import --new` wrote of a Word agreement, and what is left to complete.
pub fn adopted(new: &Path, adopted: &pactum_core::exchange::adopt::Adopted, dry_run: bool) -> String {
    let mut note = format!(
        "{} {} ({} numbered paragraphs as clauses)\n",
        if dry_run { "would write" } else { "wrote" },
        new.display(),
        adopted.numbered
    );
    for gap in &adopted.gaps {
        note.push_str(&format!("  to complete: `{}`: {}\n", gap.field, gap.why));
    }
    note.push_str(&format!("  then: pactum check {}\n", new.display()));
    note
}
