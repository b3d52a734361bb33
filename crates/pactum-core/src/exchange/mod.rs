//! Word exchange: a contract out as a `.docx`, a redline as Word's tracked changes, and a
//! counterparty's marked-up copy back in as a proposal to the contract's body.
//!
//! [`model`] turns a contract into Word paragraphs that remember where their words sit in the
//! file; [`numbering`] counts as Word counts; [`docx`] writes the package and [`read`] reads
//! one back, tracked changes and comments included.

pub mod adopt;
pub mod docx;
pub mod import;
pub mod model;
pub mod numbering;
pub mod read;
pub mod redline;
