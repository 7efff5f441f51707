//! Normalizing: the text a plan's parser works on, and a report of every change made to get it.
//!
//! Line structure is kept (the parser of table-shaped plans needs it); joining the lines inside
//! a paragraph is [`join_lines`]' job, called by the parser per block.

use minsheng_model::CleaningNote;

/// Cleaned text and what cleaning changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    pub text: String,
    pub notes: Vec<CleaningNote>,
}

/// Folds compatibility characters, removes page furniture, web chrome and spam.
pub fn clean(text: &str) -> Cleaned {
    // TODO(helper): full implementation.
    Cleaned {
        text: text.to_string(),
        notes: vec![],
    }
}

/// Joins the lines of one paragraph or table cell: line breaks and spaces inside Chinese text go;
/// a space between two Latin letters or digits stays.
pub fn join_lines(block: &str) -> String {
    let chars: Vec<char> = block.chars().collect();
    let mut out = String::with_capacity(block.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().last();
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            let gap_has_newline = chars[i..]
                .iter()
                .take_while(|c| c.is_whitespace())
                .any(|&c| c == '\n')
                || out.is_empty();
            if let (Some(p), Some(n)) = (prev, next)
                && !gap_has_newline
                && p.is_ascii_alphanumeric()
                && n.is_ascii_alphanumeric()
                && !out.ends_with(' ')
            {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// The comparison key of a text: NFKC, radicals folded, all white space removed. Two quotes are
/// the same place in a document when their keys are.
pub fn compare_key(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc().filter(|c| !c.is_whitespace()).collect()
}
