//! Text taken from contracts, written into Markdown that GitHub, GitLab or Gitea will render (a
//! pull-request comment, a job summary, an issue body). What the contract says is shown, never
//! obeyed: no HTML (`<img onerror>`, `</table>`), no images or links, no emphasis or table cells
//! it did not ask for, and no `@org/team` mention that would notify people.

/// `text` as literal Markdown on one line: HTML characters as entities, Markdown's
/// punctuation backslash-escaped (and a leading `:`, so that text starting a line of a log
/// never reads as a workflow command), control characters and line breaks made visible,
/// and a zero-width space after an `@` that would start a mention.
#[must_use]
pub fn literal(text: &str) -> String {
    escape(text, true)
}

/// `text` for the inside of an HTML block of rendered Markdown (a `<summary>`), where
/// Markdown is not parsed: entities for HTML, and mentions broken as in [`literal`].
#[must_use]
pub fn in_html(text: &str) -> String {
    escape(text, false)
}

fn escape(text: &str, markdown: bool) -> String {
    let text = super::one_line(text);
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    if markdown && text.starts_with(':') {
        out.push('\\');
    }
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '!' | '|' | '~' | '#' | '$' | '^' if markdown => {
                out.push('\\');
                out.push(c);
            }
            '@' => {
                out.push('@');
                if chars.peek().is_some_and(|next| next.is_alphanumeric()) {
                    out.push('\u{200b}');
                }
            }
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `text` as a code span on one line, fenced with more backticks than it holds, with `|`
/// escaped so that it stays inside a table cell.
#[must_use]
pub fn code(text: &str) -> String {
    let text = super::one_line(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}
