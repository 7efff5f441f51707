//! Character folding: compatibility characters to the ones a parser and a reader expect.
//!
//! - Kangxi radicals (U+2F00–U+2FDF) and CJK Radicals Supplement characters (U+2E80–U+2EFF),
//!   which PDF text layers put in place of ordinary ideographs (⼈⺠ for 人民), by the UCD's
//!   Equivalent_Unified_Ideograph table ([`super::radicals`]);
//! - CJK Compatibility Ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) to their canonical
//!   (NFC) unified ideographs;
//! - full-width digits and Latin letters, ％ and ． to ASCII;
//! - the ideographic space and other wide or non-breaking spaces to a plain space; zero-width
//!   characters and soft hyphens removed;
//! - carriage returns and form feeds to line feeds.
//!
//! Chinese punctuation (，。、；：（）“”《》) is kept as written: this is not NFKC.

use super::notes::Tally;
use super::radicals::RADICALS;
use minsheng_model::{CleaningKind, CleaningNote};
use std::borrow::Cow;

/// What folding does to one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fold {
    /// Left as it is.
    Keep,
    /// Replaced by another character.
    To(char),
    /// Removed.
    Drop,
}

/// How `c` folds, looked at alone (a carriage return before a line feed is the caller's case).
#[inline]
pub(crate) fn fold_char(c: char) -> Fold {
    let u = c as u32;
    if u < 0xA0 {
        return match c {
            '\r' | '\x0C' => Fold::To('\n'),
            _ => Fold::Keep,
        };
    }
    match u {
        0xA0 | 0x2000..=0x200A | 0x202F | 0x205F | 0x3000 => Fold::To(' '),
        0xAD | 0x200B | 0x2060 | 0xFEFF => Fold::Drop,
        0x2E80..=0x2FDF => radical(c).map_or(Fold::Keep, Fold::To),
        0xF900..=0xFAFF | 0x2F800..=0x2FA1F => compatibility_ideograph(c),
        0xFF05 => Fold::To('%'),
        0xFF0E => Fold::To('.'),
        0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => {
            char::from_u32(u - 0xFEE0).map_or(Fold::Keep, Fold::To)
        }
        _ => Fold::Keep,
    }
}

/// First code point of the radical blocks.
const RADICAL_BASE: u32 = 0x2E80;

/// [`RADICALS`] spread out for direct lookup: index `radical - RADICAL_BASE`, `'\0'` where the
/// UCD names no equivalent. Built at compile time.
static RADICAL_LOOKUP: [char; 0x2FE0 - 0x2E80] = {
    let mut t = ['\0'; 0x2FE0 - 0x2E80];
    let mut i = 0;
    while i < RADICALS.len() {
        let (radical, ideograph) = RADICALS[i];
        t[(radical as u32 - RADICAL_BASE) as usize] = ideograph;
        i += 1;
    }
    t
};

/// The ideograph a radical stands for, if the UCD names one.
pub(crate) fn radical(c: char) -> Option<char> {
    let i = (c as u32).checked_sub(RADICAL_BASE)? as usize;
    RADICAL_LOOKUP.get(i).copied().filter(|&u| u != '\0')
}

/// A compatibility ideograph's canonical decomposition (always one unified ideograph); the
/// twelve unified ideographs inside U+FA0E–U+FA29 have none and are kept.
fn compatibility_ideograph(c: char) -> Fold {
    let mut to = None;
    let mut n = 0;
    unicode_normalization::char::decompose_canonical(c, |d| {
        to = Some(d);
        n += 1;
    });
    match to {
        Some(d) if n == 1 && d != c => Fold::To(d),
        _ => Fold::Keep,
    }
}

/// By a character's first byte: how many bytes to skip when no character starting with it folds
/// (the character's length), or 0 when [`may_fold`] must look closer.
static STEP: [u8; 256] = {
    let mut t = [1u8; 256];
    let mut b = 0xC0;
    while b < 0x100 {
        t[b] = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        b += 1;
    }
    t[0x0C] = 0;
    t[0x0D] = 0;
    t[0xC2] = 0;
    t[0xE2] = 0;
    t[0xE3] = 0;
    t[0xEF] = 0;
    t[0xF0] = 0;
    t
};

/// Whether the character starting at byte `i` may be one [`fold_char`] changes, told from its
/// UTF-8 bytes without decoding it: \r, form feed, U+00A0, U+00AD, U+2000–U+200B, U+202F,
/// U+205F–U+2060, U+2E80–U+2FFF, U+3000, U+F900–U+FAFF, U+FEFF, U+FF05–U+FF5A (full-width
/// forms; the common ，（）；： are told apart by their last byte) and U+2F800–U+2FA1F in the
/// Supplementary Ideographic Plane. False positives are fine (they are decoded and kept), misses are not.
#[inline]
fn may_fold(b: &[u8], i: usize) -> bool {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        0x0C | 0x0D => true,
        0xC2 => matches!(at(1), 0xA0 | 0xAD),
        0xE2 => match at(1) {
            0x80 => matches!(at(2), 0x80..=0x8B | 0xAF),
            0x81 => matches!(at(2), 0x9F | 0xA0),
            0xBA..=0xBF => true,
            _ => false,
        },
        0xE3 => at(1) == 0x80 && at(2) == 0x80,
        0xEF => match at(1) {
            0xA4..=0xAB | 0xBB => true,
            0xBC => matches!(at(2), 0x85 | 0x8E | 0x90..=0x99 | 0xA1..=0xBA),
            0xBD => matches!(at(2), 0x81..=0x9A),
            _ => false,
        },
        0xF0 => at(1) == 0xAF,
        _ => false,
    }
}

/// The kind of note a folding of `c` is reported under.
fn kind_of(c: char) -> CleaningKind {
    match c {
        '\r' | '\x0C' => CleaningKind::Whitespace,
        _ => CleaningKind::Characters,
    }
}

/// Folds every character of `text`; borrows it when nothing changes. Appends one note per
/// distinct mapping, with its count.
pub(crate) fn fold<'a>(text: &'a str, notes: &mut Vec<CleaningNote>) -> Cow<'a, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut last = 0;
    // Distinct changes in first-seen order with their counts, and an index into them sorted by
    // key (a character always folds the same way, but for \r: before \n it is dropped).
    let mut order: Vec<(char, Fold, usize)> = Vec::new();
    let mut index: Vec<(u32, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Most characters are skipped by their first byte alone, a whole character at a time.
        let step = STEP[usize::from(bytes[i])];
        if step != 0 {
            i += usize::from(step);
            continue;
        }
        if !may_fold(bytes, i) {
            i += match bytes[i] {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xFF => 4,
                _ => 1,
            };
            continue;
        }
        // `i` is a char boundary: may_fold is true only at ASCII and lead bytes.
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            i += 1;
            continue;
        };
        let at = i;
        i += c.len_utf8();
        let fold = match fold_char(c) {
            Fold::To('\n') if c == '\r' && bytes.get(at + 1) == Some(&b'\n') => Fold::Drop,
            f => f,
        };
        if fold == Fold::Keep {
            continue;
        }
        let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
        o.push_str(&text[last..at]);
        if let Fold::To(r) = fold {
            o.push(r);
        }
        last = i;
        let key = if fold == Fold::Drop && c == '\r' {
            0x11_0000
        } else {
            c as u32
        };
        match index.binary_search_by_key(&key, |&(k, _)| k) {
            Ok(k) => order[index[k].1].2 += 1,
            Err(k) => {
                index.insert(k, (key, order.len()));
                order.push((c, fold, 1));
            }
        }
    }
    let mut tally = Tally::default();
    for (c, fold, n) in order {
        let (original, replacement) = match fold {
            Fold::Drop if c == '\r' => ("\r\n".to_string(), "\n".to_string()),
            Fold::To(r) => (c.to_string(), r.to_string()),
            _ => (c.to_string(), String::new()),
        };
        tally.add_n(kind_of(c), &original, &replacement, n);
    }
    tally.finish(notes);
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[last..]);
            Cow::Owned(o)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> (String, Vec<CleaningNote>) {
        let mut notes = vec![];
        let t = fold(text, &mut notes).into_owned();
        (t, notes)
    }

    #[test]
    fn radicals_fold_to_ideographs_with_one_note_per_mapping() {
        let (t, notes) = folded("⼈⺠群众，⼈⺠政府");
        assert_eq!(t, "人民群众，人民政府");
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0].original, "⼈");
        assert_eq!(notes[0].replacement, "人");
        assert_eq!(notes[0].count, 2);
        assert_eq!(notes[1].original, "⺠");
        assert_eq!(notes[1].replacement, "民");
        assert!(notes.iter().all(|n| n.kind == CleaningKind::Characters));
    }

    #[test]
    fn radicals_supplement_seen_in_pdfs_fold() {
        let (t, _) = folded("⺠⻓⻔⻬⻅⻛⻘⻆");
        assert_eq!(t, "民长门齐见风青角");
    }

    #[test]
    fn radical_table_is_sorted_complete_and_agrees_with_nfkc() {
        use unicode_normalization::UnicodeNormalization;
        assert!(RADICALS.windows(2).all(|w| w[0].0 < w[1].0));
        // Every Kangxi radical (U+2F00–U+2FD5) has an equivalent ideograph, the one NFKC gives.
        for u in 0x2F00..=0x2FD5u32 {
            let c = char::from_u32(u).unwrap();
            let nfkc: String = c.to_string().nfkc().collect();
            assert_eq!(radical(c).map(String::from), Some(nfkc), "U+{u:04X}");
        }
        assert!(RADICALS.len() > 300);
    }

    #[test]
    fn compatibility_ideographs_fold_but_unified_ones_in_that_block_stay() {
        // U+F900 豈 → U+8C48; U+FA0E 﨎 is a unified ideograph and stays; U+2F800 → U+4E3D.
        let (t, _) = folded("\u{F900}\u{FA0E}\u{2F800}");
        assert_eq!(t, "\u{8C48}\u{FA0E}\u{4E3D}");
    }

    #[test]
    fn full_width_alphanumerics_and_spaces_fold_but_punctuation_stays() {
        let (t, notes) =
            folded("２０２５年达到９５％，ＡＢｃ．５\u{3000}（一）“好”《规划》；：、。");
        assert_eq!(t, "2025年达到95%，ABc.5 （一）“好”《规划》；：、。");
        assert!(
            notes
                .iter()
                .any(|n| n.original == "％" && n.replacement == "%")
        );
        assert!(notes.iter().any(|n| n.original == "２" && n.count == 2));
    }

    #[test]
    fn the_byte_test_finds_every_character_that_folds() {
        let mut all = String::new();
        for u in 0..=0x3_FFFFu32 {
            if let Some(c) = char::from_u32(u) {
                all.push(c);
            }
        }
        let b = all.as_bytes();
        for (i, c) in all.char_indices() {
            if fold_char(c) != Fold::Keep {
                assert!(may_fold(b, i), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn unchanged_text_is_borrowed() {
        let mut notes = vec![];
        assert!(matches!(
            fold("人民群众 plain ASCII，。", &mut notes),
            Cow::Borrowed(_)
        ));
        assert!(notes.is_empty());
    }

    #[test]
    fn line_endings_become_line_feeds() {
        let (t, notes) = folded("一\r\n二\r三\x0C四\u{200B}");
        assert_eq!(t, "一\n二\n三\n四");
        assert!(notes.iter().any(|n| n.original == "\r\n"
            && n.replacement == "\n"
            && n.kind == CleaningKind::Whitespace));
    }
}
