//! One look at each line for the line-based steps ([`super::furniture`], [`super::chrome`]):
//! the line trimmed, and what it holds (spaces, digits, punctuation, its length in characters),
//! found in a single pass over its bytes instead of one scan per question.
//!
//! Lines longer than [`MAX_SHAPED_BYTES`] are never furniture or chrome: they are marked
//! [`Line::long`] and their bytes are not looked at.

/// Longest line (trimmed, in bytes: 160 Chinese characters) whose shape is looked at.
pub(crate) const MAX_SHAPED_BYTES: usize = 480;

/// A line, trimmed, with its shape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    pub(crate) text: &'a str,
    /// Longer than [`MAX_SHAPED_BYTES`]: the fields below are not filled in.
    pub(crate) long: bool,
    /// Characters in `text`.
    pub(crate) chars: usize,
    /// An ASCII space or tab (the folding step has made wide spaces ASCII ones).
    pub(crate) space: bool,
    /// An ASCII digit.
    pub(crate) digit: bool,
    /// Punctuation that ends or divides a sentence: 。，；！？ , ; ! ?
    pub(crate) stop: bool,
    /// Punctuation inside a sentence: 、 ： :
    pub(crate) pause: bool,
}

impl<'a> Line<'a> {
    /// Trims `raw` and looks at it.
    pub(crate) fn new(raw: &'a str) -> Line<'a> {
        let text = raw.trim();
        let mut line = Line {
            text,
            long: text.len() > MAX_SHAPED_BYTES,
            ..Line::default()
        };
        if line.long {
            return line;
        }
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let byte = b[i];
            line.chars += 1;
            match byte {
                0..=0x7F => {
                    match byte {
                        b' ' | b'\t' => line.space = true,
                        b'0'..=b'9' => line.digit = true,
                        b',' | b';' | b'!' | b'?' => line.stop = true,
                        b':' => line.pause = true,
                        _ => {}
                    }
                    i += 1;
                }
                // Lead bytes of U+3000–U+3FFF and U+F000–U+FFFF: CJK punctuation.
                0xE3 | 0xEF => {
                    match (b.get(i + 1), b.get(i + 2)) {
                        // 。 U+3002
                        (Some(0x80), Some(0x82)) => line.stop = true,
                        // 、 U+3001
                        (Some(0x80), Some(0x81)) => line.pause = true,
                        // ！ U+FF01, ， U+FF0C, ； U+FF1B, ？ U+FF1F
                        (Some(0xBC), Some(0x81 | 0x8C | 0x9B | 0x9F)) => line.stop = true,
                        // ： U+FF1A
                        (Some(0xBC), Some(0x9A)) => line.pause = true,
                        _ => {}
                    }
                    i += 3;
                }
                0xC0..=0xDF => i += 2,
                0xE0..=0xEF => i += 3,
                0xF0..=0xFF => i += 4,
                // A continuation byte where a character should start: not in a str.
                _ => i += 1,
            }
        }
        line
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// The lines of `text`, split at `\n`, each trimmed and looked at.
pub(crate) fn lines(text: &str) -> Vec<Line<'_>> {
    text.split('\n').map(Line::new).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_of_a_line_in_one_pass() {
        let l = Line::new("  达到95%，覆盖。 ");
        assert_eq!(l.text, "达到95%，覆盖。");
        assert_eq!(l.chars, 9);
        assert!(l.digit && l.stop && !l.pause && !l.space);
        let l = Line::new("序号 所属领域（一）");
        assert!(l.space && !l.digit && !l.stop && !l.pause);
        assert_eq!(l.chars, 10);
        assert!(Line::new("甲、乙").pause && !Line::new("甲、乙").stop);
        assert!(Line::new("来源：某").pause);
        assert!(Line::new("a;b").stop);
        for stop in ["！", "，", "；", "？", "。"] {
            assert!(Line::new(stop).stop, "{stop}");
        }
        assert!(Line::new("").is_empty());
        let text = "长句，".repeat(100);
        let ls: Vec<&str> = lines(" 甲\n\n  乙丙 \n").iter().map(|l| l.text).collect();
        assert_eq!(ls, ["甲", "", "乙丙", ""]);
        let long = Line::new(&text);
        assert!(long.long && !long.stop && long.chars == 0);
    }
}
