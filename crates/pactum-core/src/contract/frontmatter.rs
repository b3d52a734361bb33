//! TOML front matter between `+++` lines, read with the byte span of every key and value.
//!
//! The front matter is turned into JSON (dates become ISO strings) for schema validation, and a
//! [`SpanMap`] remembers where each JSON pointer came from, so that a schema error at
//! `/renewal/notice` points at the TOML value `"sixty days"` on its own line and column.

use rustc_hash::FxHashMap;
use std::ops::Range;

use serde_json::{Map, Number, Value};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Where one value of the front matter is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpan {
    /// The key, where the value has one (array elements do not).
    pub key: Option<Range<usize>>,
    pub value: Range<usize>,
    /// Whether TOML wrote the value as a date or date-time (rather than a string).
    pub(crate) datetime: bool,
}

/// JSON pointer → where its value is written in the file.
#[derive(Debug, Clone, Default)]
pub struct SpanMap {
    spans: FxHashMap<String, FieldSpan>,
    /// The opening `+++` line: where findings about the whole front matter point.
    pub(crate) opening: Range<usize>,
}

impl SpanMap {
    #[must_use]
    pub fn get(&self, pointer: &str) -> Option<&FieldSpan> {
        self.spans.get(pointer)
    }

    /// The span of the value at `pointer`, or of its nearest ancestor that has one.
    #[must_use]
    pub(crate) fn value_or_ancestor(&self, pointer: &str) -> Range<usize> {
        let mut pointer = pointer;
        loop {
            if let Some(span) = self.spans.get(pointer) {
                return span.value.clone();
            }
            match pointer.rfind('/') {
                Some(cut) => pointer = &pointer[..cut],
                None => return self.opening.clone(),
            }
        }
    }

    /// The span of the key at `pointer` if it has one, else of its value or ancestor.
    #[must_use]
    pub(crate) fn key_or_value(&self, pointer: &str) -> Range<usize> {
        match self.spans.get(pointer).and_then(|span| span.key.clone()) {
            Some(key) => key,
            None => self.value_or_ancestor(pointer),
        }
    }

    /// The innermost field written at byte `at` (its key or its value): its pointer and the
    /// span of what holds `at`.
    #[must_use]
    pub fn at(&self, at: usize) -> Option<(&str, Range<usize>)> {
        self.spans
            .iter()
            .flat_map(|(pointer, span)| span.key.iter().chain(std::iter::once(&span.value)).map(move |s| (pointer, s)))
            .filter(|(_, span)| span.start <= at && at <= span.end)
            .min_by_key(|(pointer, span)| (span.end - span.start, std::cmp::Reverse(pointer.len())))
            .map(|(pointer, span)| (pointer.as_str(), span.clone()))
    }

    /// Every field with its span, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &FieldSpan)> {
        self.spans.iter().map(|(pointer, span)| (pointer.as_str(), span))
    }

    #[must_use]
    pub(crate) fn is_datetime(&self, pointer: &str) -> bool {
        self.spans.get(pointer).is_some_and(|span| span.datetime)
    }
}

/// Where the front matter and body lie in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The opening `+++` line.
    pub(crate) opening: Range<usize>,
    /// The TOML text between the lines.
    pub toml: Range<usize>,
    /// The body, after the closing line.
    pub body: usize,
}

/// Why front matter could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// The file does not open with a `+++` line.
    #[error("the file does not start with a `+++` line")]
    Missing,
    /// There is an opening `+++` line but no closing one.
    #[error("the front matter opened here has no closing `+++` line")]
    Unclosed { opening: Range<usize> },
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "+++"
}

/// Find the front matter of `text`: the first line is `+++`, and so is a later one.
///
/// # Errors
/// When the first line is not `+++`, or no closing line follows.
pub fn split(text: &str) -> Result<Layout, SplitError> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if !is_fence(&text[..first_end]) {
        return Err(SplitError::Missing);
    }
    let opening = 0..first_end.saturating_sub(1).max(3).min(text.len());
    let mut at = first_end;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        if is_fence(&text[at..end]) {
            return Ok(Layout { opening, toml: first_end..at, body: end });
        }
        at = end;
    }
    Err(SplitError::Unclosed { opening })
}

/// A TOML syntax error with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Range<usize>,
}

/// The front matter as JSON, with where each value is written.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    pub value: Value,
    pub spans: SpanMap,
}

/// Parse the TOML at `layout.toml` in `text`.
///
/// # Errors
/// The first syntax error, with its span in the file.
pub fn parse(text: &str, layout: &Layout) -> Result<FrontMatter, SyntaxError> {
    let base = layout.toml.start;
    let source = &text[layout.toml.clone()];
    let table = DeTable::parse(source).map_err(|error| {
        let span = error.span().map_or(layout.opening.clone(), |s| base + s.start..base + s.end.max(s.start));
        SyntaxError { message: first_line(error.message()), span }
    })?;
    let mut spans = SpanMap { spans: FxHashMap::default(), opening: layout.opening.clone() };
    let mut pointer = String::new();
    let value = convert_table(table.get_ref(), &mut pointer, base, &mut spans);
    Ok(FrontMatter { value, spans })
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}

fn shift(range: Range<usize>, base: usize) -> Range<usize> {
    base + range.start..base + range.end
}

/// Convert a table; `pointer` is the table's JSON pointer, extended and restored in place for
/// each child so that no pointer is built twice.
fn convert_table(table: &DeTable<'_>, pointer: &mut String, base: usize, spans: &mut SpanMap) -> Value {
    let mut object = Map::new();
    for (key, value) in table {
        let length = pointer.len();
        pointer.push('/');
        push_escaped(pointer, key.get_ref());
        let converted = convert(value, pointer, Some(shift(key.span(), base)), base, spans);
        pointer.truncate(length);
        object.insert(key.get_ref().to_string(), converted);
    }
    Value::Object(object)
}

fn push_escaped(pointer: &mut String, key: &str) {
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

fn convert(
    value: &Spanned<DeValue<'_>>,
    pointer: &mut String,
    key: Option<Range<usize>>,
    base: usize,
    spans: &mut SpanMap,
) -> Value {
    let span = shift(value.span(), base);
    let datetime = matches!(value.get_ref(), DeValue::Datetime(_));
    spans.spans.insert(pointer.clone(), FieldSpan { key, value: span, datetime });
    match value.get_ref() {
        DeValue::String(text) => Value::String(text.to_string()),
        DeValue::Integer(integer) => {
            let digits = integer.as_str().replace('_', "");
            let digits = digits.trim_start_matches('+');
            let (negative, digits) = digits.strip_prefix('-').map_or((false, digits), |d| (true, d));
            let digits = digits.trim_start_matches("0x").trim_start_matches("0o").trim_start_matches("0b");
            match i64::from_str_radix(digits, integer.radix()) {
                Ok(n) => Value::Number(Number::from(if negative { -n } else { n })),
                Err(_) => Value::String(integer.as_str().to_owned()),
            }
        }
        DeValue::Float(float) => {
            let number = float.as_str().replace('_', "").parse::<f64>().ok().and_then(Number::from_f64);
            number.map_or_else(|| Value::String(float.as_str().to_owned()), Value::Number)
        }
        DeValue::Boolean(flag) => Value::Bool(*flag),
        DeValue::Datetime(datetime) => Value::String(datetime.to_string()),
        DeValue::Array(array) => {
            let mut elements = Vec::with_capacity(array.len());
            for (index, element) in array.iter().enumerate() {
                let length = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                elements.push(convert(element, pointer, None, base, spans));
                pointer.truncate(length);
            }
            Value::Array(elements)
        }
        DeValue::Table(table) => convert_table(table, pointer, base, spans),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_maps_every_value_to_its_place() {
        let text = "+++\r\nid = \"x\"\r\nstart = 2025-01-01\r\n[renewal]\r\nnotice = \"60 days\"\r\n[[parties]]\r\nname = \"A\"\r\n+++\r\nBody";
        let layout = split(text).unwrap();
        assert_eq!(&text[layout.body..], "Body");
        let front = parse(text, &layout).unwrap();
        assert_eq!(front.value["start"], "2025-01-01");
        assert_eq!(front.value["parties"][0]["name"], "A");
        let notice = front.spans.get("/renewal/notice").unwrap();
        assert_eq!(&text[notice.value.clone()], "\"60 days\"");
        assert_eq!(&text[notice.key.clone().unwrap()], "notice");
        assert!(front.spans.is_datetime("/start"));
        assert_eq!(
            &text[front.spans.value_or_ancestor("/renewal/missing")],
            &text[front.spans.get("/renewal").unwrap().value.clone()]
        );
    }

    #[test]
    fn missing_and_unclosed() {
        assert_eq!(split("# Title"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert!(matches!(split("+++\nid = 1\n"), Err(SplitError::Unclosed { .. })));
        assert!(split("+++\n+++\n").is_ok());
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let text = "+++\nid = \"x\"\nvalue = = 3\n+++\n";
        let error = parse(text, &split(text).unwrap()).unwrap_err();
        assert_eq!(text[..error.span.start].matches('\n').count(), 2, "{error:?}");
    }
}
