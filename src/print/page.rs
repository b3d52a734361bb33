//! HTML pages from templates that escape by default.
//!
//! Every page pactum writes — the signing copy, the redline, the portfolio — is a Tera template
//! under `pages/` rendered with HTML autoescaping: a value from a contract reaches the page as
//! text unless the template says `| safe`, and only fragments pactum built itself are marked
//! so (a body already made inert, a redline already escaped). A currency, a party's name or a
//! clause heading cannot become markup by forgetting to escape it.

use serde::Serialize;

/// Render the page template `name` (a file of `pages/`) with `context`, in the language `lang`
/// (a BCP 47 tag, `[repository] language`: the page's `lang`, which screen readers and
/// hyphenation follow).
///
/// # Panics
/// When a built-in template does not render: a bug of pactum's, caught by its tests.
#[must_use]
pub fn render(name: &str, context: &impl Serialize, lang: &str) -> String {
    let mut tera = tera::Tera::default();
    tera.autoescape_on([".html"]);
    let source = match name {
        "contract.html" => include_str!("pages/contract.html"),
        "report.html" => include_str!("pages/report.html"),
        "redline.html" => include_str!("pages/redline.html"),
        other => panic!("no page template {other}"),
    };
    tera.add_raw_template(name, source).unwrap_or_else(|e| panic!("page template {name}: {e}"));
    let mut context = tera::Context::from_serialize(context).unwrap_or_else(|e| panic!("page context {name}: {e}"));
    context.insert("lang", lang);
    tera.render(name, &context).unwrap_or_else(|e| panic!("page {name}: {e:?}"))
}
