//! Redlines for people: the terminal, a pull-request comment, a standalone web page, and JSON.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use crate::print::html_escape;
use pactum_core::diff::{ClauseChange, ClauseDiff, ClauseRef, ContractChange, ContractDiff, FieldChange, Segment};
use pactum_core::text::{markdown, one_line};

/// A whole diff: what was compared, and each changed contract.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    pub version: u32,
    /// The old side: a revision, or a file with `--files`.
    pub base: String,
    /// The new side: a revision, the working tree, or a file.
    pub head: String,
    pub contracts: Vec<ContractDiff>,
}

impl DiffReport {
    #[must_use]
    pub fn json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("diff serializes");
        text.push('\n');
        text
    }

    fn counts(&self) -> (usize, usize, usize) {
        let clauses = self.contracts.iter().map(|c| c.clauses.len()).sum();
        let material = self
            .contracts
            .iter()
            .map(|c| c.clauses.iter().filter(|c| c.material).count() + c.fields.iter().filter(|f| f.material).count())
            .sum();
        (self.contracts.len(), clauses, material)
    }

    /// One line: what changed, in numbers.
    #[must_use]
    pub fn summary(&self) -> String {
        let (contracts, clauses, material) = self.counts();
        if contracts == 0 {
            return format!("no contract changes between {} and {}", self.base, self.head);
        }
        let mut kinds: Vec<String> = Vec::new();
        for change in
            [ContractChange::Added, ContractChange::Modified, ContractChange::Renamed, ContractChange::Removed]
        {
            let n = self.contracts.iter().filter(|c| c.change == change).count();
            if n > 0 {
                kinds.push(format!("{n} {}", change.as_str()));
            }
        }
        format!(
            "{} changed ({}), {}, {material} material, between {} and {}",
            pactum_core::text::count(contracts, "contract"),
            kinds.join(", "),
            pactum_core::text::count(clauses, "clause change"),
            self.base,
            self.head
        )
    }
}

fn show_value(value: Option<&Value>) -> String {
    match value {
        None => "(none)".to_owned(),
        Some(Value::String(text)) => format!("\"{text}\""),
        Some(other) => other.to_string(),
    }
}

/// What names a clause beside its number: its heading, or, for a clause without one, the
/// heading of the nearest clause it sits in (`6.2 — Limitation of Liability`).
fn heading(clause: &ClauseRef) -> String {
    match (&clause.heading, clause.ancestors.iter().rev().find_map(|a| a.heading.as_ref())) {
        (Some(heading), _) if clause.number.is_empty() => heading.clone(),
        (Some(heading), _) => format!(" {heading}"),
        (None, Some(context)) => format!(" — {context}"),
        (None, None) => String::new(),
    }
}

fn name(clause: &ClauseRef) -> String {
    format!("{}{}", clause.number, heading(clause)).trim_start().to_owned()
}

/// How a clause change is described in one line: `3.2 Late Payment`, `2 → 3 Fees`,
/// `6.2 — Limitation of Liability`, `Exhibit A`.
fn clause_title(diff: &ClauseDiff) -> String {
    match (&diff.old, &diff.new) {
        (Some(old), Some(new)) if old.number != new.number => {
            format!("{} → {}{}", old.number, new.number, heading(new))
        }
        (_, Some(new)) => name(new),
        (Some(old), None) => name(old),
        (None, None) => String::new(),
    }
}

/// What a line of the redline lists: one clause change, or a run of consecutive clauses that
/// were only renumbered.
enum Item<'a> {
    Clause(&'a ClauseDiff),
    Renumbered(&'a [ClauseDiff]),
}

impl Item<'_> {
    /// `7–8.2 renumbered to 8–9.2` for a run.
    fn title(&self) -> String {
        match self {
            Item::Clause(clause) => clause_title(clause),
            Item::Renumbered(run) => {
                let number = |c: &ClauseDiff, new: bool| {
                    let side = if new { c.new.as_ref() } else { c.old.as_ref() };
                    side.map_or_else(String::new, |r| r.number.clone())
                };
                let (first, last) = (&run[0], &run[run.len() - 1]);
                format!(
                    "{}–{} renumbered to {}–{}",
                    number(first, false),
                    number(last, false),
                    number(first, true),
                    number(last, true)
                )
            }
        }
    }
}

/// The clause changes of a contract as listed: runs of two or more consecutive renumberings are
/// one item.
fn items(clauses: &[ClauseDiff]) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < clauses.len() {
        let run = clauses[at..].iter().take_while(|c| c.change == ClauseChange::Renumbered).count();
        if run >= 2 {
            out.push(Item::Renumbered(&clauses[at..at + run]));
            at += run;
        } else {
            out.push(Item::Clause(&clauses[at]));
            at += 1;
        }
    }
    out
}

/// The change of a clause in words: `modified +2 −1`, `modified +2 −1, follows a renamed term`.
fn change_words(clause: &ClauseDiff) -> String {
    let rename = if clause.follows_rename { ", follows a renamed term" } else { "" };
    format!("{}{}{rename}", clause.change.as_str(), words(clause))
}

/// `"Deliverables" → "Work Product" (1.1, 3, 3.1)`
fn rename_line(rename: &pactum_core::diff::TermRename) -> String {
    format!("\u{201c}{}\u{201d} → \u{201c}{}\u{201d} ({})", rename.old, rename.new, rename.clauses.join(", "))
}

fn words(diff: &ClauseDiff) -> String {
    if diff.inserted_words == 0 && diff.deleted_words == 0 {
        String::new()
    } else {
        format!(" +{} −{}", diff.inserted_words, diff.deleted_words)
    }
}

const RED_STRIKE: &str = "\x1b[31;9m";
const GREEN_UNDERLINE: &str = "\x1b[32;4m";
const BOLD: &str = "\x1b[1m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// The redline for a terminal: in colour, deletions struck through in red and insertions
/// underlined in green; without, `[-deleted-]` and `{+inserted+}` as `git diff --word-diff`.
fn terminal_redline(segments: &[Segment], color: bool) -> String {
    lay_out(segments, |out, segment| match (segment, color) {
        (Segment::Equal(text), _) => out.push_str(&one_line(text)),
        (Segment::Delete(text), true) => write!(out, "{RED_STRIKE}{}{RESET}", one_line(text)).unwrap_or_default(),
        (Segment::Insert(text), true) => write!(out, "{GREEN_UNDERLINE}{}{RESET}", one_line(text)).unwrap_or_default(),
        (Segment::Delete(text), false) => write!(out, "[-{}-]", one_line(text)).unwrap_or_default(),
        (Segment::Insert(text), false) => write!(out, "{{+{}+}}", one_line(text)).unwrap_or_default(),
    })
}

/// A redline's segments in a row, spaced as the text spaces them, each written by `write`.
fn lay_out(segments: &[Segment], mut write: impl FnMut(&mut String, &Segment)) -> String {
    let mut out = String::new();
    let mut before = "";
    // Straight double quotes open and close in turn, as the new text reads: no space just
    // inside a pair (`"Work Product"`, not `" Work Product "`).
    let mut inside = false;
    for segment in segments {
        let (Segment::Equal(text) | Segment::Delete(text) | Segment::Insert(text)) = segment;
        let just_opened = inside && before.ends_with('"');
        let closes = inside && text.starts_with('"');
        if pactum_core::diff::spaced(before, text) && !just_opened && !closes {
            out.push(' ');
        }
        before = text;
        if !matches!(segment, Segment::Delete(_)) && text.matches('"').count() % 2 == 1 {
            inside = !inside;
        }
        write(&mut out, segment);
    }
    out
}

fn symbol(change: ClauseChange) -> &'static str {
    match change {
        ClauseChange::Added => "+",
        ClauseChange::Removed => "-",
        ClauseChange::Modified => "~",
        ClauseChange::Moved => "↔",
        ClauseChange::Renumbered => "#",
    }
}

/// Wrap text at `width` columns with an indent. A word's width is what a terminal shows: its
/// colour codes take no column, a wide character (CJK) takes two.
fn wrap(text: &str, indent: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        let visible = unicode_width::UnicodeWidthStr::width(pactum_core::text::strip_ansi(word).as_str());
        if line > 0 && line + 1 + visible > width {
            out.push('\n');
            line = 0;
        }
        if line == 0 {
            out.push_str(indent);
        } else {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += visible;
    }
    out
}

/// The terminal rendering. Every value from a contract or a file name is shown on one line
/// with control characters made visible (`text::one_line`).
#[must_use]
pub fn terminal(report: &DiffReport, color: bool) -> String {
    let mut out = String::new();
    let bold =
        |text: &str| if color { format!("{BOLD}{}{RESET}", one_line(text)) } else { one_line(text).into_owned() };
    for contract in &report.contracts {
        let id = contract.id.as_deref().map(|id| format!(" ({})", one_line(id))).unwrap_or_default();
        let moved = contract.old_path.as_deref().map(|p| format!(", from {}", one_line(p))).unwrap_or_default();
        let change = contract.change.as_str();
        let _ = writeln!(out, "{}{id}: {change}{moved}", bold(&contract.path));
        if contract.change == ContractChange::Removed {
            // The whole contract went: its fields and clauses went with it.
            out.push('\n');
            continue;
        }
        let material: Vec<String> = contract
            .fields
            .iter()
            .filter(|f| f.material)
            .map(|f| f.pointer.clone())
            .chain(contract.clauses.iter().filter(|c| c.material).map(|c| format!("clause {}", clause_title(c))))
            .collect();
        if !material.is_empty() {
            let line = format!("  material: {}", one_line(&material.join(", ")));
            let _ = writeln!(out, "{}", if color { format!("{YELLOW}{line}{RESET}") } else { line });
        }
        for rename in &contract.terms {
            let _ = writeln!(out, "  term renamed: {}", one_line(&rename_line(rename)));
        }
        for field in &contract.fields {
            let _ = writeln!(
                out,
                "  {}: {} → {}",
                one_line(&field.pointer),
                one_line(&show_value(field.old.as_ref())),
                one_line(&show_value(field.new.as_ref()))
            );
        }
        for item in items(&contract.clauses) {
            let clause = match item {
                Item::Clause(clause) => clause,
                Item::Renumbered(_) => {
                    let _ = writeln!(out, "  # {}", bold(&item.title()));
                    continue;
                }
            };
            let flag = if clause.material { " [material]" } else { "" };
            let _ = writeln!(
                out,
                "  {} {} ({}){flag}",
                symbol(clause.change),
                bold(&clause_title(clause)),
                change_words(clause)
            );
            if !clause.redline.is_empty() {
                let _ = writeln!(out, "{}", wrap(&terminal_redline(&clause.redline, color), "      ", 96));
            }
        }
        out.push('\n');
    }
    out.push_str(&report.summary());
    out.push('\n');
    out
}

fn html_redline(segments: &[Segment]) -> String {
    lay_out(segments, |out, segment| match segment {
        Segment::Equal(text) => out.push_str(&html_escape(text)),
        // A screen reader does not announce <del> and <ins>: the words say what they are.
        Segment::Delete(text) => {
            write!(
                out,
                "<del><span class=\"sr\">[deleted: </span>{}<span class=\"sr\">]</span></del>",
                html_escape(text)
            )
            .unwrap_or_default();
        }
        Segment::Insert(text) => {
            write!(
                out,
                "<ins><span class=\"sr\">[inserted: </span>{}<span class=\"sr\">]</span></ins>",
                html_escape(text)
            )
            .unwrap_or_default();
        }
    })
}

/// The marker that finds pactum's pull-request comment, so it is updated, never duplicated.
pub const COMMENT_MARKER: &str = "<!-- pactum:diff -->";

/// GitHub refuses comments over 65,536 characters; stay well below.
const COMMENT_LIMIT: usize = 60_000;

fn field_line(contract: &ContractDiff, field: &FieldChange) -> String {
    format!(
        "{} {}: {} → {}",
        markdown::code(contract.id.as_deref().unwrap_or(&contract.path)),
        markdown::code(&field.pointer),
        markdown::literal(&show_value(field.old.as_ref())),
        markdown::literal(&show_value(field.new.as_ref()))
    )
}

/// The redline inside Markdown: words escaped as Markdown, marked with `<del>` and `<ins>`.
fn markdown_redline(segments: &[Segment]) -> String {
    lay_out(segments, |out, segment| match segment {
        Segment::Equal(text) => out.push_str(&markdown::literal(text)),
        Segment::Delete(text) => write!(out, "<del>{}</del>", markdown::literal(text)).unwrap_or_default(),
        Segment::Insert(text) => write!(out, "<ins>{}</ins>", markdown::literal(text)).unwrap_or_default(),
    })
}

/// Lines joined until the next would pass `budget` characters, then a line saying how many were
/// left out.
fn capped(lines: &[String], budget: usize, what: &str) -> String {
    let mut out = String::new();
    for (shown, line) in lines.iter().enumerate() {
        if out.len() + line.len() > budget {
            let _ = writeln!(out, "\n_… and {} more {what}, not shown: see `pactum diff`._", lines.len() - shown);
            break;
        }
        out.push_str(line);
    }
    out
}

/// The pull-request comment: a summary table, material changes first, one collapsible section
/// per changed clause. Every part is capped so the whole stays within [`COMMENT_LIMIT`]: the
/// table and the material list each take at most a quarter, the sections what is left.
#[must_use]
pub fn markdown(report: &DiffReport) -> String {
    let mut out = format!("{COMMENT_MARKER}\n## Contract changes\n\n{}\n\n", report.summary());
    if report.contracts.is_empty() {
        return out;
    }
    let cite = |contract: &ContractDiff| markdown::code(contract.id.as_deref().unwrap_or(&contract.path));
    let rows: Vec<String> = report
        .contracts
        .iter()
        .map(|contract| {
            // A file without front matter (`--files` on a bare agreement) has no id: name it by path.
            let id = contract.id.as_deref().map(|id| format!("{} ", markdown::code(id))).unwrap_or_default();
            format!(
                "| {id}{} | {} | {} | {} | {} |\n",
                markdown::literal(&contract.path),
                contract.change.as_str(),
                contract.clauses.len(),
                contract.fields.len(),
                if contract.material() { "**yes**" } else { "no" }
            )
        })
        .collect();
    out.push_str("| Contract | Change | Clauses | Fields | Material |\n|---|---|---|---|---|\n");
    out.push_str(&capped(&rows, COMMENT_LIMIT / 4, "contracts"));
    let material: Vec<String> = report
        .contracts
        .iter()
        .filter(|contract| contract.change != ContractChange::Removed)
        .flat_map(|contract| {
            let fields =
                contract.fields.iter().filter(|f| f.material).map(move |f| format!("- {}\n", field_line(contract, f)));
            let clauses = contract.clauses.iter().filter(|c| c.material).map(move |c| {
                format!("- {} clause {} ({})\n", cite(contract), markdown::literal(&clause_title(c)), c.change.as_str())
            });
            fields.chain(clauses)
        })
        .collect();
    if !material.is_empty() {
        out.push_str("\n### ⚠️ Material changes\n\n");
        out.push_str(&capped(&material, COMMENT_LIMIT / 4, "material changes"));
    }
    let mut sections = Vec::new();
    for contract in &report.contracts {
        let mut section = format!("\n### {}\n\n", markdown::literal(&contract.path));
        if contract.change == ContractChange::Removed {
            section.push_str("Removed.\n");
            sections.push(section);
            continue;
        }
        for rename in &contract.terms {
            let _ = writeln!(section, "- Term renamed: {}", markdown::literal(&rename_line(rename)));
        }
        for field in &contract.fields {
            let _ = writeln!(section, "- {}", field_line(contract, field));
        }
        if !contract.fields.is_empty() || !contract.terms.is_empty() {
            section.push('\n');
        }
        sections.push(section);
        // Material clauses first, then the others, each in document order.
        let listed = items(&contract.clauses);
        let material = |item: &Item| matches!(item, Item::Clause(c) if c.material);
        for item in listed.iter().filter(|i| material(i)).chain(listed.iter().filter(|i| !material(i))) {
            sections.push(match item {
                Item::Renumbered(_) => format!("<p>{}: same words.</p>\n", markdown::in_html(&item.title())),
                Item::Clause(clause) => format!(
                    "<details><summary>{}{} — {}</summary>\n\n{}\n\n</details>\n",
                    if clause.material { "⚠️ <strong>material</strong>: " } else { "" },
                    markdown::in_html(&clause_title(clause)),
                    change_words(clause),
                    if clause.redline.is_empty() {
                        "<em>Same words.</em>".to_owned()
                    } else {
                        markdown_redline(&clause.redline)
                    }
                ),
            });
        }
    }
    // The note that closes a cut comment must fit too.
    let room = COMMENT_LIMIT.saturating_sub(300);
    let total = sections.len();
    for (shown, section) in sections.iter().enumerate() {
        if out.len() + section.len() > room {
            let _ = write!(
                out,
                "\n> **{} more change(s) not shown:** this comment would exceed GitHub's size limit. Run `pactum diff` or open the HTML redline for the rest.\n",
                total - shown
            );
            break;
        }
        out.push_str(section);
    }
    out
}

const STYLE: &str = "body{font:16px/1.6 Georgia,'Times New Roman',serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#111}\
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;margin-top:2.5rem}h3{font-size:1.05rem;margin:1.5rem 0 .3rem}\
del{color:#b00020;text-decoration:line-through}ins{color:#0033cc;text-decoration:underline}\
.moved-from,.moved-to{color:#1b5e20;border-left:4px double #1b5e20;padding-left:.6rem}.moved-from{font-style:italic}\
.moved-to .text{text-decoration:underline double}.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}\
.flag{background:#ffe08a;color:#111}.tag{font:12px/1 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.05em;padding:2px 6px;border-radius:3px;background:#eee;margin-left:.4rem}\
.material{background:#fff3cd}nav ol{font:14px/1.5 system-ui,sans-serif}table{border-collapse:collapse;font:14px system-ui,sans-serif}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}\
@media print{nav{display:none}}";

/// A standalone redline page, as lawyers read them: deletions red and struck through,
/// insertions blue and underlined, moved text marked where it left and where it arrived, and a
/// list of changes linking to each clause.
#[must_use]
pub fn html(report: &DiffReport, lang: &str) -> String {
    let contracts: Vec<serde_json::Value> = report
        .contracts
        .iter()
        .enumerate()
        .map(|(c, contract)| {
            let fields: Vec<serde_json::Value> = contract
                .fields
                .iter()
                .map(|field| {
                    serde_json::json!({
                        "pointer": field.pointer,
                        "old": show_value(field.old.as_ref()),
                        "new": show_value(field.new.as_ref()),
                        "material": field.material,
                    })
                })
                .collect();
            let clauses: Vec<serde_json::Value> = items(&contract.clauses)
                .iter()
                .enumerate()
                .map(|(k, item)| {
                    let clause = match item {
                        Item::Clause(clause) => clause,
                        Item::Renumbered(_) => {
                            return serde_json::json!({
                                "anchor": format!("c{c}-{k}"),
                                "title": item.title(),
                                "change": "renumbered",
                                "material": false,
                                "redline": "",
                            });
                        }
                    };
                    serde_json::json!({
                        "anchor": format!("c{c}-{k}"),
                        "title": clause_title(clause),
                        "change": clause.change.as_str(),
                        "material": clause.material,
                        "follows_rename": clause.follows_rename,
                        "from": clause.old.as_ref().map(|o| o.number.clone()).unwrap_or_default(),
                        "to": clause.new.as_ref().map(|n| n.number.clone()).unwrap_or_default(),
                        // Built here from escaped words: the one fragment the page takes as is.
                        "redline": html_redline(&clause.redline),
                    })
                })
                .collect();
            serde_json::json!({
                "anchor": format!("contract-{c}"),
                "title": contract.title.as_deref().unwrap_or(&contract.path),
                "path": contract.path,
                "old_path": contract.old_path,
                "change": contract.change.as_str(),
                "terms": contract.terms.iter().map(rename_line).collect::<Vec<_>>(),
                "fields": fields,
                "clauses": clauses,
            })
        })
        .collect();
    crate::print::page::render(
        "redline.html",
        &serde_json::json!({
            "range": format!("{} → {}", report.base, report.head),
            "summary": report.summary(),
            "style": STYLE,
            "contracts": contracts,
        }),
        lang,
    )
}

#[cfg(test)]
mod quotes {
    use pactum_core::diff::Segment;

    #[test]
    fn no_space_just_inside_straight_quotes() {
        let segments = [
            Segment::Equal("1.1 \"".into()),
            Segment::Delete("Deliverables".into()),
            Segment::Insert("Work Product".into()),
            Segment::Equal("\" means the work \"as is\".".into()),
        ];
        let shown = super::terminal_redline(&segments, false);
        assert_eq!(shown, "1.1 \"[-Deliverables-] {+Work Product+}\" means the work \"as is\".");
    }
}

#[cfg(test)]
mod wrapping {
    #[test]
    fn colour_codes_take_no_column_and_wide_characters_two() {
        let plain = super::wrap("aaaa bbbb cccc", "", 9);
        let coloured = super::wrap("\u{1b}[31maaaa\u{1b}[0m \u{1b}[32mbbbb\u{1b}[0m cccc", "", 9);
        assert_eq!(plain.lines().count(), 2, "{plain}");
        assert_eq!(coloured.lines().count(), 2, "{coloured:?}");
        // Four wide characters fill eight columns: a one-letter word still fits in ten, a
        // three-letter one does not.
        assert_eq!(super::wrap("契約契約 x", "", 10).lines().count(), 1);
        assert_eq!(super::wrap("契約契約 xyz", "", 10).lines().count(), 2);
    }
}
