//! Names derived from headings: the anchors GitHub gives headings, and file-name slugs.

/// The anchor GitHub (and most Markdown renderers after it) gives a heading: lower case, every
/// character but letters, digits, spaces, hyphens and underscores dropped, each space a hyphen.
/// `B. Account Terms` → `b-account-terms`; `Section 1 – Definitions.` → `section-1--definitions`.
#[must_use]
pub fn github_anchor(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// A slug of `text`: lower-case ASCII letters and digits joined by single hyphens.
#[must_use]
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric()) {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else if c != '\'' && c != '’' {
            pending_hyphen = true;
        }
    }
    out
}
