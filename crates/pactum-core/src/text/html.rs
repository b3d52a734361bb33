//! Raw HTML in a contract body, judged against the markup that is inert: what a page shows of
//! it is what the Markdown says. Inert are `span`, `a`, `dfn`, `br`, `sup`, `sub`, `u`, `b`, `i`,
//! `em`, `strong` and `label` (Common Paper's cover page labels its fields with it), with `id`
//! and `class` attributes, and `href` on `a` only to an anchor of the page (`#…`). Any
//! other tag or attribute — `style`, `hidden`, event handlers, scripts, `javascript:` links —
//! and comments can hide or restyle words, or run code.

use std::borrow::Cow;

const INERT_TAGS: &[&str] = &["span", "a", "dfn", "br", "sup", "sub", "u", "b", "i", "em", "strong", "label"];

/// Why a fragment of raw HTML is not inert: the first tag or comment that is not.
#[must_use]
pub(crate) fn not_inert(fragment: &str) -> Option<String> {
    tokens(fragment).find_map(|token| match token {
        Token::Text(_) => None,
        Token::Comment(_) => Some("an HTML comment hides its words from the rendered page".to_owned()),
        // A closing tag closes what its opening tag was already reported for.
        Token::Tag(tag) if tag.starts_with("</") => None,
        Token::Tag(tag) => judge(tag).err(),
    })
}

/// The fragment with every tag and comment that is not inert written out as text, so that
/// a page shows it instead of obeying it; inert tags are rebuilt with their allowed
/// attributes, values escaped.
#[must_use]
pub fn inert(fragment: &str) -> Cow<'_, str> {
    if !fragment.contains('<') {
        return fragment.into();
    }
    let mut out = String::with_capacity(fragment.len());
    for token in tokens(fragment) {
        match token {
            Token::Text(text) => out.push_str(text),
            Token::Comment(text) => out.push_str(&super::xml_escape(text)),
            Token::Tag(tag) => match judge(tag) {
                Ok(rebuilt) => out.push_str(&rebuilt),
                Err(_) => out.push_str(&super::xml_escape(tag)),
            },
        }
    }
    out.into()
}

enum Token<'a> {
    Text(&'a str),
    Comment(&'a str),
    Tag(&'a str),
}

fn tokens(fragment: &str) -> impl Iterator<Item = Token<'_>> {
    let mut rest = fragment;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let Some(open) = rest.find('<') else {
            let text = rest;
            rest = "";
            return Some(Token::Text(text));
        };
        if open > 0 {
            let text = &rest[..open];
            rest = &rest[open..];
            return Some(Token::Text(text));
        }
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            let comment = &rest[..end];
            rest = &rest[end..];
            return Some(Token::Comment(comment));
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        rest = &rest[end..];
        Some(Token::Tag(tag))
    })
}

/// An inert tag rebuilt, or why it is not inert.
fn judge(tag: &str) -> Result<String, String> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>').trim_end_matches('/').trim();
    if let Some(name) = inner.strip_prefix('/') {
        let name = name.trim().to_ascii_lowercase();
        return if INERT_TAGS.contains(&name.as_str()) {
            Ok(format!("</{name}>"))
        } else {
            Err(format!("`<{name}>` is not plain text markup"))
        };
    }
    let name_end = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if !INERT_TAGS.contains(&name.as_str()) {
        return Err(format!("`<{name}>` is not plain text markup"));
    }
    let mut rebuilt = format!("<{name}");
    for (key, value) in attributes(&inner[name_end..]) {
        let key = key.to_ascii_lowercase();
        let allowed = match key.as_str() {
            "id" | "class" => true,
            "href" => name == "a" && value.starts_with('#'),
            _ => false,
        };
        if !allowed {
            return Err(format!("`{key}` on `<{name}>` can hide, restyle or act on the text"));
        }
        rebuilt.push_str(&format!(" {key}=\"{}\"", super::xml_escape(&value)));
    }
    rebuilt.push('>');
    Ok(rebuilt)
}

/// `key="value"`, `key='value'`, `key=value` and bare `key` pairs of a tag.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let key_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let key = rest[..key_end].to_owned();
        rest = rest[key_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (found, remaining) = if let Some(quote @ ('"' | '\'')) = after.chars().next() {
                let close = after[1..].find(quote).map_or(after.len(), |c| c + 1);
                (&after[1..close], after.get(close + 1..).unwrap_or(""))
            } else {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            };
            found.clone_into(&mut value);
            rest = remaining.trim_start();
        }
        if !key.is_empty() {
            out.push((key, value));
        }
    }
    out
}
