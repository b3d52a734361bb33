//! Text made safe for where it goes: XML and HTML escaping, terminal escapes stripped,
//! credentials taken out of URLs, percent-encoding, hexadecimal.

/// `text` without its ANSI escape sequences (the colours of terminal output): what a terminal
/// shows of it, for measuring its width.
#[must_use]
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        // CSI (`ESC [` … a final byte from `@` to `~`), else the one character after ESC.
        if chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else {
            chars.next();
        }
    }
    out
}

/// `text` with the user and password of every URL in it removed:
/// `https://user:secret@host/x` → `https://host/x`.
#[must_use]
pub fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let authority_end = after.find(['/', ' ', '\n', '?', '#', '"', '>']).unwrap_or(after.len());
        match after[..authority_end].rfind('@') {
            Some(userinfo_end) => rest = &after[userinfo_end + 1..],
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// Escape text for XML and HTML content and attribute values; characters XML 1.0 cannot hold
/// at all become U+FFFD.
#[must_use]
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Bytes as lower-case hexadecimal digits, two a byte (digests, for people and files).
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// The characters a URL keeps as they are: letters, digits and `-._~` (RFC 3986's unreserved).
const URL_COMPONENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `value` percent-encoded as one component of a URL (a query value, a path segment): `/` too.
#[must_use]
pub fn percent_encode(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, URL_COMPONENT).to_string()
}

/// A repository path percent-encoded as a relative URL: its `/` kept, every other byte outside
/// `-._~`, letters and digits encoded, so that no path ends a link early or names a scheme.
#[must_use]
pub fn percent_encode_path(path: &str) -> String {
    const URL_PATH: &percent_encoding::AsciiSet = &URL_COMPONENT.remove(b'/');
    percent_encoding::utf8_percent_encode(path, URL_PATH).to_string()
}
