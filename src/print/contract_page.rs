//! A printable HTML rendition of a contract for signing: a cover page with the parties, key
//! terms and dates, the body with its clause numbers, defined terms marked, cross-references
//! as links to the clauses they name, and a signature block per party.

use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd, html};
use regex::Regex;

use crate::print::html_escape;
use pactum_core::contract::Contract;

static ANCHOR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[ \t]*\{#[A-Za-z0-9_.:-]+\}").expect("valid pattern"));

const STYLE: &str = "@page{size:A4;margin:22mm 20mm}body{font:11pt/1.55 Georgia,'Times New Roman',serif;color:#111;max-width:46rem;margin:2rem auto;padding:0 1rem}\
.cover{page-break-after:always;break-after:page}.cover h1{font-size:22pt;margin:20vh 0 1rem}.cover table{border-collapse:collapse;margin-top:1.5rem}\
.cover td,.cover th{text-align:left;padding:3px 12px 3px 0;vertical-align:top}.cover th{font-weight:normal;color:#555}\
dfn{font-style:normal;font-weight:bold}a.ref{color:inherit;text-decoration:underline dotted}h1,h2,h3{page-break-after:avoid;break-after:avoid}\
.signatures{page-break-before:always;break-before:page}.party{margin:2rem 0;page-break-inside:avoid;break-inside:avoid}\
.line{border-bottom:1px solid #111;height:2.2rem;margin:.2rem 0 .1rem;width:60%}.label{font:9pt system-ui,sans-serif;color:#555}\
blockquote{margin-left:1.5rem;color:#333}@media screen{body{background:#fafafa}.cover,.body,.signatures{background:#fff;padding:2rem;margin-bottom:1rem;box-shadow:0 1px 3px #0002}}";

/// The body as Markdown with anchors, links and definitions added.
fn annotated_body(contract: &Contract) -> String {
    let start = contract.layout.as_ref().map_or(0, |l| l.body);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for clause in &contract.body.clauses {
        let line_end = contract.text[clause.start..].find('\n').map_or(contract.text.len(), |i| clause.start + i);
        let line = &contract.text[clause.start..line_end];
        // After a heading's marks or a list item's marker, where inline HTML is inline.
        let skip = match clause.form {
            pactum_core::contract::clauses::Form::Heading => {
                line.len() - line.trim_start_matches('#').trim_start().len()
            }
            pactum_core::contract::clauses::Form::ListItem => {
                let digits = line.bytes().take_while(u8::is_ascii_digit).count();
                if digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) {
                    digits + 1 + (line[digits + 1..].len() - line[digits + 1..].trim_start().len())
                } else {
                    0
                }
            }
            pactum_core::contract::clauses::Form::Paragraph => 0,
        };
        edits.push((
            clause.start + skip,
            clause.start + skip,
            format!("<a id=\"clause-{}\"></a>", html_escape(&clause.id)),
        ));
    }
    for reference in &contract.references {
        if let Some(clause) = contract.resolve(reference) {
            let text = &contract.text[reference.span.clone()];
            let replacement = if reference.by_id {
                text.replace(&format!("(#{})", reference.target), &format!("(#clause-{})", clause.id))
            } else {
                format!("<a class=\"ref\" href=\"#clause-{}\">{}</a>", html_escape(&clause.id), text)
            };
            edits.push((reference.span.start, reference.span.end, replacement));
        }
    }
    for term in &contract.terms {
        let text = &contract.text[term.span.clone()];
        edits.push((
            term.span.start,
            term.span.end,
            format!("<dfn id=\"term-{}\">{text}</dfn>", pactum_core::text::slug(text)),
        ));
    }
    for found in ANCHOR.find_iter(&contract.text[start..]) {
        edits.push((start + found.start(), start + found.end(), String::new()));
    }
    // Chosen from the end, skipping an edit that overlaps one already chosen, then applied in
    // one pass from the start: linear in the text, whatever the number of edits.
    edits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut chosen = Vec::with_capacity(edits.len());
    let mut limit = usize::MAX;
    for (from, to, insert) in edits {
        if from < start || to > limit {
            continue;
        }
        chosen.push((from, to, insert));
        limit = from;
    }
    let mut text = String::with_capacity(contract.text.len() - start + chosen.iter().map(|e| e.2.len()).sum::<usize>());
    let mut at = start;
    for (from, to, insert) in chosen.into_iter().rev() {
        text.push_str(&contract.text[at..from]);
        text.push_str(&insert);
        at = to;
    }
    text.push_str(&contract.text[at..]);
    text
}

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES)
    .union(Options::ENABLE_FOOTNOTES);

/// The body's Markdown events, with indented blocks read as prose: agreements indent
/// sub-clauses (`    2.4.1.  All information…`), which Markdown would otherwise print as code.
/// Fenced code blocks stay code.
fn prose_events(markdown: &str) -> Vec<Event<'static>> {
    let mut out = Vec::new();
    let mut indented: Option<String> = None;
    for event in Parser::new_ext(markdown, OPTIONS) {
        match (event, indented.as_mut()) {
            (Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)), _) => indented = Some(String::new()),
            (Event::End(TagEnd::CodeBlock), Some(text)) => {
                let text = std::mem::take(text);
                indented = None;
                out.extend(prose_events(&text));
            }
            (Event::Text(text), Some(collected)) => collected.push_str(&text),
            (event, _) => out.push(event.into_static()),
        }
    }
    out
}

/// Raw HTML as the page may show it: inert markup kept, the rest written out as text (see
/// [`pactum_core::text::html`]), so that the signing copy shows every word the redline shows.
fn inert(event: Event<'static>) -> Event<'static> {
    match event {
        Event::Html(html) => Event::Html(pactum_core::text::html::inert(&html).into_owned().into()),
        Event::InlineHtml(html) => Event::InlineHtml(pactum_core::text::html::inert(&html).into_owned().into()),
        other => other,
    }
}

/// Whether a link or image target is one a signing copy may keep: a place in the page, a
/// relative path, `http(s):` or `mailto:`. `javascript:`, `vbscript:`, `data:`, `file:` and
/// every other scheme run code or reach outside what was signed.
fn safe_target(url: &str, image: bool) -> bool {
    let url = url.trim_start();
    let scheme = url.split_once(':').map(|(scheme, _)| scheme).filter(|s| {
        !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
            && !s.contains('/')
    });
    match scheme.map(str::to_ascii_lowercase).as_deref() {
        // An image is part of what is printed: one from another server can change after signing.
        None => !(image && url.starts_with("//")),
        Some("http" | "https" | "mailto") => !image,
        Some(_) => false,
    }
}

/// Links and images a signing copy may not keep, written out as their text: a link's words stay
/// without the link, an image becomes `[image removed: alt text]`.
fn safe_links(events: Vec<Event<'static>>) -> Vec<Event<'static>> {
    let mut dropped: Vec<bool> = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        match event {
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                let drop = !safe_target(dest_url, false);
                dropped.push(drop);
                if !drop {
                    out.push(event);
                }
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                let drop = !safe_target(dest_url, true);
                dropped.push(drop);
                out.push(if drop { Event::Text("[image removed: ".into()) } else { event });
            }
            Event::End(TagEnd::Link) => {
                if !dropped.pop().unwrap_or(false) {
                    out.push(event);
                }
            }
            Event::End(TagEnd::Image) => {
                out.push(if dropped.pop().unwrap_or(false) { Event::Text("]".into()) } else { event });
            }
            other => out.push(other),
        }
    }
    out
}

/// The printable page, in the language `lang` (`[repository] language`).
#[must_use]
pub fn page(contract: &Contract, lang: &str) -> String {
    let title = contract.meta.title.clone().unwrap_or_else(|| contract.path.clone());
    let parties: Vec<serde_json::Value> =
        contract.meta.parties.iter().map(|p| serde_json::json!({ "name": p.name, "role": p.role })).collect();
    let rows: Vec<serde_json::Value> = contract
        .key_terms()
        .into_iter()
        .map(|(label, text)| serde_json::json!({ "label": label, "text": text }))
        .collect();
    // The body is the one fragment built here: Markdown to HTML, every raw tag made inert.
    let mut body = String::new();
    html::push_html(&mut body, safe_links(prose_events(&annotated_body(contract))).into_iter().map(inert));
    let signatures: Vec<serde_json::Value> = contract
        .meta
        .parties
        .iter()
        .map(|party| {
            let signed = contract.meta.signatures.iter().find(|s| s.party == party.name).map(|signed| {
                serde_json::json!({
                    "name": signed.name.as_deref().unwrap_or(""),
                    "title": signed.title,
                    "date": signed.date.map(|d| d.to_string()).unwrap_or_default(),
                })
            });
            serde_json::json!({ "name": party.name, "signed": signed })
        })
        .collect();
    crate::print::page::render(
        "contract.html",
        &serde_json::json!({
            "title": title,
            "style": STYLE,
            "parties": parties,
            "rows": rows,
            "body": body,
            "signatures": signatures,
        }),
        lang,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(markdown: &str) -> String {
        let mut out = String::new();
        html::push_html(&mut out, prose_events(markdown).into_iter());
        out
    }

    #[test]
    fn links_and_images_that_run_code_or_reach_out_are_written_as_text() {
        let page = |markdown: &str| {
            let mut out = String::new();
            html::push_html(&mut out, safe_links(prose_events(markdown)).into_iter());
            out
        };
        for link in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " vbscript:msgbox",
            "data:text/html,<b>x</b>",
            "file:///etc/passwd",
        ] {
            let html = page(&format!("See [the schedule]({link}) now.\n"));
            assert!(!html.contains("<a") && html.contains("See the schedule now."), "{link}: {html}");
        }
        for image in [
            "https://tracker.example/pixel.png",
            "//cdn.example/logo.png",
            "data:image/png;base64,AAAA",
            "javascript:x",
        ] {
            let html = page(&format!("![Company logo]({image})\n"));
            assert!(!html.contains("<img") && html.contains("[image removed: Company logo]"), "{image}: {html}");
        }
        let kept = page("[Exhibit](#clause-x), [site](https://example.com), [mail](mailto:a@b.c), ![seal](seal.png)\n");
        assert_eq!(kept.matches("<a href").count(), 3, "{kept}");
        assert!(kept.contains("<img src=\"seal.png\""), "{kept}");
    }

    #[test]
    fn indented_sub_clauses_are_prose_and_fenced_code_stays_code() {
        let html = rendered(
            "Definitions:\n\n    2.4.1.  All **client** data.\n\n        2.4.1.1.  Lists.\n\n```\nkept = true\n```\n",
        );
        assert!(html.contains("<p>2.4.1.  All <strong>client</strong> data.</p>"), "{html}");
        assert!(html.contains("<p>2.4.1.1.  Lists.</p>"), "{html}");
        assert!(html.contains("<pre><code>kept = true\n</code></pre>"), "{html}");
        assert_eq!(html.matches("<pre>").count(), 1, "{html}");
    }
}
