//! Printers: every printed form of every command, each turning the values the library
//! (`pactum-core`) returns into text.
//!
//! The library returns data (findings, clause trees, dates) and knows nothing of terminals or
//! formats. A printer returns the whole document as a `String` and the command line writes
//! it; colour is requested by the caller and stripped by the terminal stream when not wanted.

pub mod check;
pub mod contract_page;
pub mod drafting;
pub mod exchange;
pub mod history;
pub mod inspect;
pub mod page;
pub mod redline;
pub mod remind;
pub mod report;
pub mod report_page;

/// A stable, platform-independent 64-bit FNV-1a hash, for fingerprints that must not change
/// between runs, machines or versions of Rust.
#[must_use]
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

pub use pactum_core::text::xml_escape;

/// Escape text for HTML.
#[must_use]
pub fn html_escape(text: &str) -> String {
    xml_escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable() {
        // Pinned: a change here would reopen every code-scanning alert users have dismissed.
        assert_eq!(fingerprint(&["ref/unresolved", "a.md"]), "3a9daf36ac40b6c8");
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&[]), "cbf29ce484222325");
    }

    #[test]
    fn xml() {
        assert_eq!(xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;\u{fffd}");
    }
}
