//! Normalizing: the text a plan's parser works on, and a report of every change made to get it.
//!
//! Line structure is kept (the parser of table-shaped plans needs it): a removed line leaves an
//! empty line, so line numbers stay, except that removed lines at the very end are cut off.
//! Joining the lines inside a paragraph is [`join_lines`]' job, called by the parser per block.
//!
//! [`clean`] runs one module a step, each reporting its changes as [`CleaningNote`]s:
//! 1. [`chars`]: compatibility characters folded (Kangxi radicals and the CJK Radicals
//!    Supplement by the UCD table in [`radicals`], compatibility ideographs, full-width
//!    alphanumerics, wide spaces, line endings);
//! 2. [`furniture`]: page footers and repeated table headers; [`chrome`]: web-page chrome (both
//!    on the lines [`scan`] has looked at once);
//! 3. [`spam`]: injected gambling and advertising spans;
//! 4. [`ocr`]: OCR damage to numbers repaired, each repair also listed in [`Cleaned::repairs`].
//!
//! [`notes`] counts changes into notes; [`join`] holds [`join_lines`].

mod chars;
mod chrome;
mod furniture;
mod join;
mod notes;
mod ocr;
mod radicals;
mod scan;
mod spam;

pub use join::join_lines;

use minsheng_model::{CleaningKind, CleaningNote};
use notes::Tally;
use std::borrow::Cow;
use std::ops::Range;

/// Cleaned text and what cleaning changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    pub text: String,
    pub notes: Vec<CleaningNote>,
    /// Every OCR repair, in text order (each is also counted in a [`CleaningKind::OcrRepair`]
    /// note).
    pub repairs: Vec<Repair>,
}

/// One OCR repair: where the repaired words stand and what the document had there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Repair {
    /// Byte range of the repaired words in [`Cleaned::text`] (96.97%。, 0—3岁, 4‰).
    pub range: Range<usize>,
    /// The damaged text as the document had it (96.97%o, 03岁, 4%。).
    pub original: String,
}

/// Folds compatibility characters, removes page furniture, web chrome and spam, and repairs OCR
/// damage. Never panics.
pub fn clean(text: &str) -> Cleaned {
    let mut notes = Vec::new();
    let folded = chars::fold(text, &mut notes);
    let stripped = strip_lines(&folded, &mut notes);
    let despammed = spam::remove(&stripped, &mut notes);
    let (text, repairs) = ocr::repair(&despammed, &mut notes);
    Cleaned {
        text,
        notes,
        repairs,
    }
}

/// Removes the lines [`furniture`] and [`chrome`] mark: each leaves an empty line, except at the
/// end of the text, where removed and blank lines are cut off.
fn strip_lines<'a>(text: &'a str, notes: &mut Vec<CleaningNote>) -> Cow<'a, str> {
    let lines = scan::lines(text);
    let mut marks: Vec<Option<CleaningKind>> = vec![None; lines.len()];
    furniture::mark(&lines, &mut marks);
    chrome::mark(&lines, &mut marks);
    if marks.iter().all(Option::is_none) {
        return Cow::Borrowed(text);
    }

    let mut tally = Tally::default();
    for kind in [
        CleaningKind::PageFooter,
        CleaningKind::RepeatedHeader,
        CleaningKind::WebChrome,
    ] {
        for (line, _) in lines.iter().zip(&marks).filter(|(_, m)| **m == Some(kind)) {
            tally.add(kind, line.text, "");
        }
    }
    tally.finish(notes);

    // The last line that stays; removed and blank lines after it are cut off when any was removed.
    let last_kept = (0..lines.len())
        .rev()
        .find(|&i| marks[i].is_none() && !lines[i].is_empty());
    let cut = match last_kept {
        Some(k) if marks[k + 1..].iter().any(Option::is_some) => k + 1,
        Some(_) => lines.len(),
        None => 0,
    };
    let mut out = String::with_capacity(text.len());
    for (i, (raw, mark)) in text.split('\n').take(cut).zip(&marks).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if mark.is_none() {
            out.push_str(raw);
        }
    }
    if cut < lines.len() && text.ends_with('\n') && !out.is_empty() {
        out.push('\n');
    }
    Cow::Owned(out)
}

/// The comparison key of a text: NFKC, radicals folded, all white space removed. Two quotes are
/// the same place in a document when their keys are.
pub fn compare_key(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.chars()
        .filter_map(|c| match chars::fold_char(c) {
            chars::Fold::Keep => Some(c),
            chars::Fold::To(r) => Some(r),
            chars::Fold::Drop => None,
        })
        .nfkc()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests;
