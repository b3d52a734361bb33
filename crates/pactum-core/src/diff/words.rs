//! The word-level redline of one clause pair: words and the spaces between them compared, and
//! the changes written as segments.

use super::Segment;

pub(crate) fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Words and punctuation marks of a text, for the word-level redline, each with whether
/// whitespace came before it in the text.
fn tokens(text: &str) -> (Vec<&str>, Vec<bool>) {
    let (mut out, mut spaced) = (Vec::new(), Vec::new());
    for word in text.split_whitespace() {
        let first = out.len();
        let mut start = 0;
        for (at, c) in word.char_indices() {
            if !c.is_alphanumeric() && !matches!(c, '\'' | '’' | '-') {
                if start < at {
                    out.push(&word[start..at]);
                }
                out.push(&word[at..at + c.len_utf8()]);
                start = at + c.len_utf8();
            }
        }
        if start < word.len() {
            out.push(&word[start..]);
        }
        spaced.extend((first..out.len()).map(|index| index == first));
    }
    (out, spaced)
}

/// Join tokens as the text had them: a space where the text had whitespace.
fn join(tokens: &[&str], spaced: &[bool], out: &mut String) {
    for (token, spaced) in tokens.iter().zip(spaced) {
        if !out.is_empty() && *spaced {
            out.push(' ');
        }
        out.push_str(token);
    }
}

/// Whether a space goes between two pieces of a redline: none before closing marks, none after
/// opening ones.
#[must_use]
pub fn spaced(before: &str, after: &str) -> bool {
    let closing = after.starts_with(['.', ',', ';', ':', ')', ']', '”', '’', '!', '?', '%']);
    let opening = before.ends_with(['(', '[', '“', '$']);
    !before.is_empty() && !closing && !opening
}

/// The word-level redline of two texts, with the number of words inserted and deleted.
#[must_use]
pub fn redline(old: &str, new: &str) -> (Vec<Segment>, usize, usize) {
    let ((a, a_spaced), (b, b_spaced)) = (tokens(old), tokens(new));
    let ops = similar::capture_diff_slices(similar::Algorithm::Patience, &a, &b);
    let mut segments: Vec<Segment> = Vec::new();
    let (mut inserted, mut deleted) = (0, 0);
    let count = |tokens: &[&str]| tokens.iter().filter(|t| t.chars().any(char::is_alphanumeric)).count();
    let push = |segments: &mut Vec<Segment>, make: fn(String) -> Segment, words: &[&str], spaced: &[bool]| {
        if words.is_empty() {
            return;
        }
        let mut text = String::new();
        join(words, spaced, &mut text);
        segments.push(make(text));
    };
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let (old_words, old_spaced) = (&a[old_range.clone()], &a_spaced[old_range]);
        let (new_words, new_spaced) = (&b[new_range.clone()], &b_spaced[new_range]);
        match tag {
            // Unchanged words read as the new text spaces them.
            similar::DiffTag::Equal => push(&mut segments, Segment::Equal, new_words, new_spaced),
            similar::DiffTag::Delete => {
                deleted += count(old_words);
                push(&mut segments, Segment::Delete, old_words, old_spaced);
            }
            similar::DiffTag::Insert => {
                inserted += count(new_words);
                push(&mut segments, Segment::Insert, new_words, new_spaced);
            }
            similar::DiffTag::Replace => {
                deleted += count(old_words);
                inserted += count(new_words);
                push(&mut segments, Segment::Delete, old_words, old_spaced);
                push(&mut segments, Segment::Insert, new_words, new_spaced);
            }
        }
    }
    (segments, inserted, deleted)
}
