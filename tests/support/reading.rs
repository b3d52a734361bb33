//! Helpers for tests that read contract text and compare what pactum read with what a lawyer
//! reads: outlines, findings, references. Included with `#[path]` by the tests that read, so
//! that they do not compile the Git, browser and tracker helpers.
#![allow(dead_code)]

use pactum_core::contract::{Contract, FrontMatterRule};
use pactum_core::lifecycle::Calendar;

/// Read Markdown `text` (front matter optional) as `path`; reading it must raise nothing.
pub fn read_text(path: &str, text: &str) -> Contract {
    let mut diagnostics = Vec::new();
    let contract = Contract::read(path, text.to_owned(), FrontMatterRule::Optional, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    contract
}

/// `"1=Introduction 5(a)=Representatives 1.1"`: numbers, with `=heading` where there is one.
pub fn outline(contract: &Contract) -> Vec<String> {
    contract
        .body
        .clauses
        .iter()
        .map(|c| c.heading.as_ref().map_or_else(|| c.number.clone(), |h| format!("{}={h}", c.number)))
        .collect()
}

/// `"1 | 2=Fees"` → `["1", "2=Fees"]`.
pub fn split(expected: &str) -> Vec<String> {
    expected.split(" | ").map(str::to_owned).collect()
}

/// The findings of the drafting rules over one contract.
pub fn findings(contract: &Contract) -> Vec<pactum_core::findings::Diagnostic> {
    pactum_core::lint::contract::check(contract, &Calendar::default())
}
