//! The clause tree of a contract body.
//!
//! Real contracts written in Markdown number their clauses in three ways, often mixed in one
//! file, and the Markdown structure is not always what the author meant:
//!
//! 1. headings: `## 5. Term and Termination`, `### 5.2 Renewal {#renewal}`, `## B. Account
//!    Terms` over `### 1. Account Controls` (clause `B.1`);
//! 2. ordered lists: each item is a clause numbered by its position, so the second item of a
//!    list nested in item 5 is `5.2` although the Markdown shows only `2.`;
//! 3. numbered paragraphs: `5.2.`, `**5.2 Renewal**.`, `(a)`, `a.`, `iv.`, where the
//!    *numbering*, not the indentation, gives the nesting.
//!
//! The third kind is why this reader does more than walk the Markdown tree. In published
//! agreements `  1.1.  Recipient …` indented by two spaces under `1.  RECITALS` is, for
//! `CommonMark`, a lazy continuation of the list item or a new top-level paragraph, and the same
//! text indented by four spaces is an indented code block. A lawyer sees clause 1.1 in all three
//! cases, so paragraphs and indented blocks are split at lines that open with a clause number,
//! and `1.1` finds its parent `1` by number wherever `1` was read.
//!
//! Block quotes (quoted statutes) and fenced code are never clauses.
//!
//! The work is split by concern: [`tree`] holds what is read, [`reader`] walks the Markdown
//! events, [`number`] is the one grammar of clause numbers (shared with cross-references),
//! `opening` reads how a numbered line opens, [`heading`] recognises what names a clause, [`scheme`] weighs how the whole document divides
//! itself where it numbers nothing, and `normalise` gives a clause's text as versions are
//! compared.

pub mod heading;
pub(crate) mod normalise;
pub mod number;
pub(crate) mod opening;
pub mod reader;
pub mod scheme;
pub mod tree;

pub use normalise::clause_text;
pub use reader::read;
pub use tree::{Anchor, Body, Clause, Form, Label, MAX_DEPTH, Part, StructureIssue};
