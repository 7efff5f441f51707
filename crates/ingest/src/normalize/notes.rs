//! Counting changes into [`CleaningNote`]s: one note per distinct (kind, original, replacement),
//! in the order each change was first made.

use minsheng_model::{CleaningKind, CleaningNote};
use std::collections::HashMap;

/// The longest `original` a note keeps, in characters; longer texts are cut and end in "…".
const MAX_NOTE_CHARS: usize = 80;

/// Collects changes of one step; [`Tally::finish`] appends them to the report.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    notes: Vec<CleaningNote>,
    index: HashMap<(CleaningKind, String, String), usize>,
}

impl Tally {
    /// Records one change of `original` into `replacement`.
    pub(crate) fn add(&mut self, kind: CleaningKind, original: &str, replacement: &str) {
        self.add_n(kind, original, replacement, 1);
    }

    /// Records `n` changes of `original` into `replacement`.
    pub(crate) fn add_n(
        &mut self,
        kind: CleaningKind,
        original: &str,
        replacement: &str,
        n: usize,
    ) {
        let key = (kind, shorten(original), shorten(replacement));
        if let Some(&i) = self.index.get(&key) {
            self.notes[i].count += n;
            return;
        }
        self.index.insert(key.clone(), self.notes.len());
        self.notes.push(CleaningNote {
            kind,
            original: key.1,
            replacement: key.2,
            count: n,
        });
    }

    /// Appends the collected notes to `out`.
    pub(crate) fn finish(self, out: &mut Vec<CleaningNote>) {
        out.extend(self.notes);
    }
}

/// `text`, cut to [`MAX_NOTE_CHARS`] characters with "…" when longer.
pub(crate) fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_NOTE_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_distinct_changes_in_first_seen_order() {
        let mut t = Tally::default();
        t.add(CleaningKind::Characters, "⺠", "民");
        t.add(CleaningKind::Characters, "⼈", "人");
        t.add(CleaningKind::Characters, "⺠", "民");
        let mut out = vec![];
        t.finish(&mut out);
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].original.as_str(), out[0].count), ("⺠", 2));
        assert_eq!((out[1].original.as_str(), out[1].count), ("⼈", 1));
    }

    #[test]
    fn long_originals_are_shortened() {
        let long = "字".repeat(200);
        let s = shorten(&long);
        assert_eq!(s.chars().count(), MAX_NOTE_CHARS + 1);
        assert!(s.ends_with('…'));
        assert_eq!(shorten("短"), "短");
    }
}
