//! Adoption: a Word agreement pactum never exported, turned into a contract file.
//!
//! The numbers are the ones Word shows, its numbering definitions counted as Word counts
//! them ([`super::numbering`]), written as text in a style the clause reader reads: a heading
//! `## 5. Term`, a list item `5. …`, a numbered paragraph `5.2 …` or `(b) …`. Emphasis is kept,
//! so defined terms stay bold. The front matter is a skeleton of what the document states:
//! its title, the parties named in the preamble, and a date where the preamble holds exactly
//! one. What it does not state is a [`Gap`] for the person adopting it.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::import::markdown;
use super::read::{Shown, View, WordDocument};

/// A front-matter field the document does not settle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub field: &'static str,
    pub why: String,
}

/// The contract made of a Word document.
#[derive(Debug, Clone)]
pub struct Adopted {
    pub text: String,
    pub gaps: Vec<Gap>,
    /// Paragraphs Word numbers, and how many of them were written with their number.
    pub numbered: usize,
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)\b(?:
            (?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?(?P<m1>January|February|March|April|May|June|July|August|September|October|November|December),?\s+(?P<y1>\d{4})
          | (?P<m2>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})
          | (?P<iso>\d{4}-\d{2}-\d{2})
        )\b",
    )
    .expect("valid pattern")
});

static BETWEEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:by\s+and\s+)?between\s+(.+)$").expect("valid pattern"));

/// Where a sentence ends: a stop before a capital.
static SENTENCE_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[.;]\s+[A-Z]").expect("valid pattern"));

static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\(\s*(?:the\s+|each\s+a\s+)?[“"‘']([^”"’']{1,40})[”"’']"#).expect("valid pattern"));

fn month(name: &str) -> u32 {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    MONTHS.iter().position(|m| *m == name).map_or(0, |i| i as u32 + 1)
}

/// The dates a text states, in order, each once.
fn dates(text: &str) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for found in DATE.captures_iter(text) {
        let date = if let Some(iso) = found.name("iso") {
            NaiveDate::parse_from_str(iso.as_str(), "%Y-%m-%d").ok()
        } else {
            let (d, m, y) = match (found.name("d1"), found.name("d2")) {
                (Some(d), _) => (d, &found["m1"], &found["y1"]),
                (_, Some(d)) => (d, &found["m2"], &found["y2"]),
                _ => continue,
            };
            NaiveDate::from_ymd_opt(y.parse().unwrap_or(0), month(m), d.as_str().parse().unwrap_or(0))
        };
        if let Some(date) = date
            && !out.contains(&date)
        {
            out.push(date);
        }
    }
    out
}

/// The parties a preamble names: `between A ("Provider") and B ("Customer")`.
fn parties(preamble: &str) -> Option<Vec<(String, Option<String>)>> {
    let rest = &BETWEEN.captures(preamble)?[1];
    // The sentence, split at the top-level `and`s (not inside parentheses).
    let sentence = SENTENCE_END.find(rest).map_or(rest, |m| &rest[..=m.start()]);
    let mut parts: Vec<String> = vec![String::new()];
    let mut depth = 0usize;
    let words: Vec<&str> = sentence.split(' ').collect();
    for (i, word) in words.iter().enumerate() {
        depth = (depth + word.matches(['(', '“']).count()).saturating_sub(word.matches([')', '”']).count());
        if depth == 0 && (*word == "and" || *word == "&") && i > 0 && parts.len() < 2 {
            parts.push(String::new());
            continue;
        }
        let last = parts.last_mut().expect("one part");
        if !last.is_empty() {
            last.push(' ');
        }
        last.push_str(word);
    }
    let mut out = Vec::new();
    for part in parts.iter().take(2) {
        // The name ends at its defined term in parentheses, or at a description after a comma
        // (`Northwind AS, a Norwegian company`); a comma inside a name (`GitHub, Inc.`) stays.
        let name_end = part
            .find('(')
            .or_else(|| [", a ", ", an ", ", the ", ", with "].iter().filter_map(|d| part.find(d)).min())
            .or_else(|| part.find(';'))
            .unwrap_or(part.len());
        let name = part[..name_end].trim();
        let name = [", a ", ", an ", ", the ", ", with "]
            .iter()
            .filter_map(|d| name.find(d))
            .min()
            .map_or(name, |at| &name[..at]);
        let name = if name_end == part.len() { name.trim_end_matches(['.', ';']).trim() } else { name };
        // The second party's sentence goes on after its name: stop at a verb's comma or clause.
        let name = name.split(" that ").next().unwrap_or(name).trim();
        let blank = name.is_empty() || name.len() > 120 || name.contains(['_', '[', '{']);
        if blank {
            return None;
        }
        // The role is the party's own parentheses right after its name (and description):
        // `("Provider")`, `(the "Customer")`, or a bare `(customer)`; a later parenthesis in
        // the sentence is another thing's.
        let after = part[name_end..].trim_start_matches(|c: char| c != '(' && c != '.');
        let role = after.strip_prefix('(').and_then(|inner| inner.split(')').next()).and_then(|inner| {
            let quoted = QUOTED.captures(&format!("({inner})")).map(|c| c[1].trim().to_owned());
            quoted.or_else(|| {
                (inner.split_whitespace().count() <= 2 && !inner.trim().is_empty()).then(|| inner.trim().to_owned())
            })
        });
        out.push((name.to_owned(), role));
    }
    (out.len() == 2).then_some(out)
}

/// A number typed at the start of a paragraph's words (not Word numbering): `2.`, `2.1`,
/// `12)`, each followed by a space. Its text and how deep it is (`2.` is 1, `2.1` is 2).
static TYPED_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:(\d{1,3}(?:\.\d{1,3}){1,4})\.?|(\d{1,3})[.)])\s+\S").expect("valid pattern"));

fn typed_number(words: &str) -> Option<(&str, usize)> {
    let found = TYPED_NUMBER.captures(words)?;
    let number = found.get(1).or_else(|| found.get(2))?.as_str();
    Some((number, number.split('.').count()))
}

/// A party named on a line of its own before the clauses: `CLIENT: Beta Retail Inc., 500 Main
/// Street`. The label is its role; the name ends at the address or description after it.
static LABELLED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*([A-Za-z][A-Za-z .&'-]{1,40}?)\s*:\s*(\S.*)$").expect("valid pattern"));

/// Labels of a preamble line that name something other than a party.
const NOT_A_PARTY: &[&str] = &[
    "date",
    "dated",
    "effective date",
    "address",
    "email",
    "e-mail",
    "phone",
    "telephone",
    "tel",
    "fax",
    "re",
    "subject",
    "reference",
    "ref",
    "title",
    "signature",
    "signed",
    "by",
    "name",
    "attention",
    "attn",
    "between",
    "and",
    "company number",
    "registered office",
    "term",
    "note",
    "notes",
];

fn labelled_parties(lines: &[String]) -> Option<Vec<(String, Option<String>)>> {
    let mut out = Vec::new();
    for line in lines {
        let Some(found) = LABELLED.captures(line) else { continue };
        let label = found[1].trim();
        if NOT_A_PARTY.contains(&label.to_ascii_lowercase().as_str()) {
            continue;
        }
        let rest = found[2].trim();
        // The name ends where an address (a comma and a number) or a description begins.
        let end = [", a ", ", an ", ", the ", ", with ", " ("]
            .iter()
            .filter_map(|d| rest.find(d))
            .chain(
                rest.match_indices(", ")
                    .filter(|(at, _)| rest[at + 2..].starts_with(|c: char| c.is_ascii_digit()))
                    .map(|(at, _)| at),
            )
            .min()
            .unwrap_or(rest.len());
        let name = rest[..end].trim().trim_end_matches([',', ';']);
        let blank = name.len() < 2 || name.len() > 120 || name.contains(['_', '[', '{']) || !dates(name).is_empty();
        if blank || !name.chars().any(char::is_alphabetic) {
            continue;
        }
        out.push((name.to_owned(), Some(label.to_owned())));
        if out.len() == 2 {
            return Some(out);
        }
    }
    None
}

fn guess_type(title: &str) -> Option<&'static str> {
    let title = title.to_ascii_lowercase();
    let kinds: [(&[&str], &str); 6] = [
        (&["non-disclosure", "nondisclosure", "confidentiality", " nda"], "nda"),
        (&["master services", "master service"], "msa"),
        (&["statement of work"], "sow"),
        (&["data processing"], "dpa"),
        (&["order form"], "order-form"),
        (&["subscription"], "saas"),
    ];
    kinds.iter().find(|(words, _)| words.iter().any(|w| format!(" {title}").contains(w))).map(|(_, kind)| *kind)
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// One paragraph as Markdown, with Word's label written as its number.
fn paragraph(shown: &Shown, title_level: usize) -> String {
    let words = markdown(&shown.runs);
    let words = words.trim();
    let label = shown.label.as_deref().map(str::trim).filter(|l| !l.is_empty());
    match (shown.heading, label) {
        (Some(level), Some(label)) => {
            format!("{} {label} {words}", "#".repeat((level + title_level).min(6)))
        }
        (Some(level), None) => format!("{} {words}", "#".repeat((level + title_level).min(6))),
        (None, Some(label)) => format!("{label} {words}"),
        (None, None) if shown.number.is_some() => format!("- {words}"),
        (None, None) => typed_heading(shown, title_level).unwrap_or_else(|| words.to_owned()),
    }
}

/// A short paragraph in bold (or capitals) that starts with a typed number (`2. PRICING &
/// PAYMENT`): a heading at the number's depth, its number outside the bold, as the clause
/// reader reads a heading.
fn typed_heading(shown: &Shown, title_level: usize) -> Option<String> {
    let words = shown.words();
    let words = words.trim();
    let (number, depth) = typed_number(words)?;
    let all_bold = shown.runs.iter().filter(|r| !r.text.trim().is_empty()).all(|r| r.bold);
    let rest = words[words.find(number)? + number.len()..].trim_start_matches(['.', ')']).trim();
    let capitals = rest.chars().any(char::is_alphabetic) && !rest.chars().any(char::is_lowercase);
    let short = rest.split_whitespace().count() <= 10 && !rest.ends_with(['.', ';', ':', ',']);
    if !(all_bold || capitals) || !short || rest.is_empty() {
        return None;
    }
    let dot = if depth == 1 { "." } else { "" };
    let rest = markdown(&[super::read::Run { text: rest.to_owned(), ..Default::default() }]);
    Some(format!("{} {number}{dot} {}", "#".repeat((depth + title_level).min(6)), rest.trim_start_matches('\\')))
}

/// The contract a Word document makes; `id` names it.
#[must_use]
pub fn adopt(word: &WordDocument, id: &str) -> Adopted {
    let view = word.view(View::Accepted);
    let mut gaps = Vec::new();
    let first_text = view.iter().find(|p| !p.words().trim().is_empty());
    let title_paragraph = view
        .iter()
        .position(|p| p.style.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("title")))
        .or_else(|| view.iter().position(|p| p.heading.is_some() && !p.words().trim().is_empty()))
        .or_else(|| {
            // A first line set apart as a title: short, in bold or capitals, not a clause.
            let first = view.iter().position(|p| !p.words().trim().is_empty())?;
            let words = view[first].words();
            let words = words.trim();
            let bold = view[first].runs.iter().filter(|r| !r.text.trim().is_empty()).all(|r| r.bold);
            let capitals = words.chars().any(char::is_alphabetic) && !words.chars().any(char::is_lowercase);
            let short = words.split_whitespace().count() <= 12 && !words.ends_with(['.', ';', ':', ',']);
            (short && (bold || capitals) && typed_number(words).is_none() && view[first].label.is_none())
                .then_some(first)
        });
    let title = title_paragraph
        .map(|i| view[i].words().trim().to_owned())
        .or_else(|| word.title.clone())
        .or_else(|| first_text.map(|p| p.words().trim().to_owned()))
        .unwrap_or_else(|| id.to_owned());
    // The preamble: the text before the first numbered paragraph, by Word's numbering or a
    // number typed.
    let first_numbered =
        view.iter().position(|p| p.label.is_some() || typed_number(&p.words()).is_some()).unwrap_or(view.len());
    let preamble_lines: Vec<String> = view[..first_numbered].iter().map(|p| p.words().trim().to_owned()).collect();
    let preamble: String = view[..first_numbered]
        .iter()
        .map(Shown::words)
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut front = format!("+++\nid = {}\ntitle = {}\n", toml_string(id), toml_string(&title));
    match guess_type(&title) {
        Some(kind) => front.push_str(&format!("type = {}\n", toml_string(kind))),
        None => gaps.push(Gap {
            field: "type",
            why: format!("the title ({title}) does not say which kind of contract this is"),
        }),
    }
    front.push_str("status = \"draft\"\n");
    gaps.push(Gap { field: "owner", why: "a Word document names no owner in the repository's sense".to_owned() });
    let stated = dates(&preamble);
    match stated.as_slice() {
        [date] => front.push_str(&format!("effective_date = {date}\n")),
        [] => gaps.push(Gap { field: "effective_date", why: "the preamble states no date".to_owned() }),
        many => gaps.push(Gap {
            field: "effective_date",
            why: format!(
                "the preamble states {} dates ({}); which is the effective date is for a person to say",
                many.len(),
                many.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            ),
        }),
    }
    match parties(&preamble).or_else(|| labelled_parties(&preamble_lines)) {
        Some(found) => {
            for (name, role) in found {
                front.push_str(&format!("\n[[parties]]\nname = {}\n", toml_string(&name)));
                if let Some(role) = role {
                    front.push_str(&format!("role = {}\n", toml_string(&role.to_lowercase())));
                }
            }
        }
        None => gaps.push(Gap {
            field: "parties",
            why: "the preamble names no two parties (`between A and B`, or `CLIENT: B` lines), or leaves them blank"
                .to_owned(),
        }),
    }
    front.push_str("+++\n");
    let mut body = String::new();
    let title_level = usize::from(title_paragraph.is_some_and(|i| view[i].heading.is_none()));
    let mut numbered = 0;
    // The table row being read: its table, its row, and its cells' text by column.
    let mut row: Option<(usize, usize, Vec<String>)> = None;
    let flush = |row: &mut Option<(usize, usize, Vec<String>)>, body: &mut String| {
        if let Some((_, r, cells)) = row.take() {
            body.push_str(&format!("| {} |\n", cells.join(" | ")));
            if r == 0 {
                body.push_str(&format!("|{}\n", "---|".repeat(cells.len().max(1))));
            }
        }
    };
    for (i, shown) in view.iter().enumerate() {
        if let Some((t, r, c)) = shown.cell {
            // A table: its rows as a Markdown table; a cell's paragraphs joined.
            if row.as_ref().is_some_and(|(rt, rr, _)| (*rt, *rr) != (t, r)) {
                flush(&mut row, &mut body);
            }
            if row.is_none() && r == 0 {
                body.push('\n');
            }
            let (_, _, cells) = row.get_or_insert_with(|| (t, r, Vec::new()));
            let words = markdown(&shown.runs).replace('|', "\\|").replace('\n', " ");
            if let Some(cell) = cells.get_mut(c) {
                cell.push(' ');
                cell.push_str(&words);
            } else {
                cells.resize(c, String::new());
                cells.push(words);
            }
            continue;
        }
        if row.is_some() {
            flush(&mut row, &mut body);
            body.push('\n');
        }
        if shown.words().trim().is_empty() {
            continue;
        }
        if Some(i) == title_paragraph {
            body.push_str(&format!("# {}\n\n", shown.words().trim()));
            continue;
        }
        if shown.label.is_some() {
            numbered += 1;
        }
        body.push_str(&paragraph(shown, title_level));
        body.push_str("\n\n");
    }
    flush(&mut row, &mut body);
    let text = format!("{front}\n{}\n", body.trim_end());
    Adopted { text, gaps, numbered }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_parties_and_dates_from_a_preamble() {
        let preamble = "This Master Services Agreement is entered into on 1 January 2025 by and between Northwind Analytics AS, a Norwegian company (“Provider”), and Acme Inc. (“Customer”).";
        assert_eq!(
            parties(preamble).unwrap(),
            [
                ("Northwind Analytics AS".to_owned(), Some("Provider".to_owned())),
                ("Acme Inc.".to_owned(), Some("Customer".to_owned()))
            ]
        );
        assert_eq!(dates(preamble), [NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()]);
        assert_eq!(dates("dated March 3, 2024 and 2024-03-03"), [NaiveDate::from_ymd_opt(2024, 3, 3).unwrap()]);
        assert_eq!(parties("between ____________ and [Company Name]"), None);
        // A cover line's bare roles; the title's "Agreement" after it is no party's role.
        assert_eq!(
            parties("Between Northwind AS (provider) and Acme Inc. (customer) Master Services Agreement This Agreement (the “Agreement”)").unwrap(),
            [("Northwind AS".to_owned(), Some("provider".to_owned())), ("Acme Inc.".to_owned(), Some("customer".to_owned()))]
        );
        assert_eq!(guess_type("Mutual Non-Disclosure Agreement"), Some("nda"));
    }

    #[test]
    fn reads_parties_named_on_lines_of_their_own() {
        let lines = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            labelled_parties(&lines(&[
                "SERVICE AGREEMENT",
                "Date: 3 March 2024",
                "SERVICE PROVIDER: Acme Consulting Ltd, 1 High Street, London",
                "CLIENT: Beta Retail Inc., a Delaware corporation",
            ]))
            .unwrap(),
            [
                ("Acme Consulting Ltd".to_owned(), Some("SERVICE PROVIDER".to_owned())),
                ("Beta Retail Inc.".to_owned(), Some("CLIENT".to_owned()))
            ]
        );
        assert_eq!(labelled_parties(&lines(&["Client: ______________", "Provider: [Name]"])), None);
        assert_eq!(typed_number("2. PRICING & PAYMENT"), Some(("2", 1)));
        assert_eq!(typed_number("2.1 The Client pays."), Some(("2.1", 2)));
        assert_eq!(typed_number("2024 was a year"), None);
        assert_eq!(typed_number("1 January 2025 is the date"), None);
        assert_eq!(typed_number("Pay 2. Then"), None);
    }
}
