//! OCR repairs: damage that a scan's text layer does to numbers, repaired only where the damaged
//! text cannot mean anything else.
//!
//! - `%o` is `%。` read as a letter when a CJK character or a digit follows (96.97%o高中,
//!   60%o3 .重点任务);
//! - `%。、` is a `‰` in a list (a full stop never stands before 、): 4%。、 → 4‰、; so is `%o`
//!   before 、, and `%o` right after such a list item, whatever follows (4‰、6%o, → 4‰、6‰,);
//! - an age range that lost its dash: 03岁 → 0—3岁 (a number never starts with 0) and
//!   3564岁 → 35—64岁 (two two-digit ages, the first below the second);
//! - a year range that lost its dash: 20232025年 → 2023—2025年;
//! - letters read for digits in a number before 岁/周岁: IOo周岁 → 100周岁.
//!
//! Each repair is reported as a note and as a [`Repair`] giving its byte range in the repaired
//! text and the damaged original, so a target read there can be marked repaired.
//!
//! Speed: one literal search for what every repair ends with (%o, %。、, 岁, 年), then a look
//! back over ASCII bytes by hand.

use super::Repair;
use super::notes::Tally;
use minsheng_model::{CleaningKind, CleaningNote};
use regex::Regex;
use std::sync::LazyLock;

/// What every repair ends with.
static TRIGGER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("%o|%。、|周岁|岁|年").expect("OCR trigger pattern"));

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Characters before a number that make it part of something larger (1.03岁, 5-03岁, A03岁).
fn joins_number(c: Option<char>) -> bool {
    c.is_some_and(|c| {
        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '—' | '–' | '~' | '～' | '至')
    })
}

/// Start of the run of at most `max` ASCII bytes matching `f` that ends at `end` (always a char
/// boundary: ASCII bytes are never inside a multi-byte character).
fn run_before(text: &str, end: usize, max: usize, f: impl Fn(u8) -> bool) -> usize {
    let b = text.as_bytes();
    let mut s = end;
    while s > 0 && end - s < max && f(b[s - 1]) {
        s -= 1;
    }
    s
}

/// Start of the decimal number (96.97) ending at `end`; `end` when there is none.
fn number_before(text: &str, end: usize) -> usize {
    let b = text.as_bytes();
    let s = run_before(text, end, 16, |c| c.is_ascii_digit());
    if s < end && s >= 2 && b[s - 1] == b'.' && b[s - 2].is_ascii_digit() {
        run_before(text, s - 1, 16, |c| c.is_ascii_digit())
    } else {
        s
    }
}

/// One repair: the damaged text `start..end` (byte offsets in the input) reads `replacement`.
struct Fix {
    start: usize,
    end: usize,
    replacement: String,
}

/// Where a repair around the trigger `hit` would start, if the text before it fits one.
fn repair_start(text: &str, hit: &str, at: usize) -> Option<usize> {
    let start = match hit {
        "%o" | "%。、" => number_before(text, at),
        "年" => run_before(text, at, 9, |c| c.is_ascii_digit()),
        _ => run_before(text, at, 5, |c| {
            c.is_ascii_digit() || matches!(c, b'I' | b'l' | b'O' | b'o')
        }),
    };
    if start == at {
        return None;
    }
    // A %o's number may follow other damage (99.60%.9.63%o): its unit is repaired all the same.
    let unit_only = hit.starts_with('%');
    (unit_only || !joins_number(text[..start].chars().next_back())).then_some(start)
}

/// `%o` and `%。、` after the number at `start`; `out` is the repaired text up to the number.
fn per_mille_or_full_stop(
    text: &str,
    start: usize,
    hit: &str,
    at: usize,
    out: &str,
) -> Option<Fix> {
    let number = &text[start..at];
    if hit == "%。、" {
        // 4%。、 → 4‰、 (the 、 stays where it is).
        return Some(Fix {
            start,
            end: at + "%。".len(),
            replacement: format!("{number}‰"),
        });
    }
    let end = at + hit.len();
    let unit = match text[end..].chars().next()? {
        // The next item of a ‰ list, or an item followed by another.
        _ if out.ends_with("‰、") => "‰",
        '、' => "‰",
        c if is_cjk(c) || c.is_ascii_digit() => "%。",
        _ => return None,
    };
    Some(Fix {
        start,
        end,
        replacement: format!("{number}{unit}"),
    })
}

/// 03岁 → 0—3岁, 3564岁 → 35—64岁; IOo周岁 → 100周岁.
fn age(text: &str, start: usize, sui: &str, at: usize) -> Option<Fix> {
    let end = at + sui.len();
    // 岁末, 岁初, 岁月 … are not ages.
    if text[end..].starts_with(['末', '初', '月', '尾', '首']) {
        return None;
    }
    let run = &text[start..at];
    let d = run.as_bytes();
    if !d.iter().all(u8::is_ascii_digit) {
        return letters_for_digits(run).map(|digits| Fix {
            start,
            end,
            replacement: format!("{digits}{sui}"),
        });
    }
    let (a, b) = match d.len() {
        2 if d[0] == b'0' && d[1] != b'0' => (&run[..1], &run[1..]),
        4 if d[0] != b'0' && run[..2] < run[2..] => (&run[..2], &run[2..]),
        _ => return None,
    };
    Some(Fix {
        start,
        end,
        replacement: format!("{a}—{b}{sui}"),
    })
}

/// The age a run of digits and look-alike letters (I, l for 1; O, o for 0) stands for, when it
/// holds at least one digit or two letters and reads as a plausible age.
fn letters_for_digits(run: &str) -> Option<String> {
    if run.len() < 2 {
        return None;
    }
    let digits: String = run
        .chars()
        .map(|c| match c {
            'I' | 'l' => '1',
            'O' | 'o' => '0',
            c => c,
        })
        .collect();
    let value: u32 = digits.parse().ok()?;
    (!digits.starts_with('0') && value <= 120).then_some(digits)
}

/// 20232025年 → 2023—2025年.
fn year_range(text: &str, start: usize, at: usize) -> Option<Fix> {
    let digits = &text[start..at];
    if digits.len() != 8 {
        return None;
    }
    let a: u32 = digits[..4].parse().ok()?;
    let b: u32 = digits[4..].parse().ok()?;
    let plausible = |y| (1900..=2100).contains(&y);
    (plausible(a) && plausible(b) && a < b && b - a <= 30).then(|| Fix {
        start,
        end: at + "年".len(),
        replacement: format!("{a}—{b}年"),
    })
}

/// Repairs OCR damage; returns the repaired text and where each repair stands in it.
pub(crate) fn repair(text: &str, notes: &mut Vec<CleaningNote>) -> (String, Vec<Repair>) {
    let mut out = String::with_capacity(text.len() + 16);
    let mut repairs = Vec::new();
    let mut tally = Tally::default();
    let mut last = 0;
    for hit in TRIGGER.find_iter(text) {
        let (at, h) = (hit.start(), hit.as_str());
        let Some(start) = repair_start(text, h, at).filter(|&s| s >= last) else {
            continue;
        };
        out.push_str(&text[last..start]);
        last = start;
        let fix = match h {
            "%o" | "%。、" => per_mille_or_full_stop(text, start, h, at, &out),
            "年" => year_range(text, start, at),
            _ => age(text, start, h, at),
        };
        let Some(fix) = fix else { continue };
        let original = &text[fix.start..fix.end];
        let from = out.len();
        out.push_str(&fix.replacement);
        tally.add(CleaningKind::OcrRepair, original, &fix.replacement);
        repairs.push(Repair {
            range: from..out.len(),
            original: original.to_string(),
        });
        last = fix.end;
    }
    out.push_str(&text[last..]);
    tally.finish(notes);
    (out, repairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(text: &str) -> (String, Vec<Repair>, Vec<CleaningNote>) {
        let mut notes = vec![];
        let (t, r) = repair(text, &mut notes);
        (t, r, notes)
    }

    #[test]
    fn percent_o_before_text_is_a_full_stop() {
        let (t, r, notes) = repaired("巩固率为96.97%o高中阶段毛入学率达92.01%,");
        assert_eq!(t, "巩固率为96.97%。高中阶段毛入学率达92.01%,");
        assert_eq!(r.len(), 1);
        assert_eq!(&t[r[0].range.clone()], "96.97%。");
        assert_eq!(r[0].original, "96.97%o");
        assert_eq!(notes[0].kind, CleaningKind::OcrRepair);
        assert_eq!(notes[0].original, "96.97%o");
        assert_eq!(notes[0].replacement, "96.97%。");
        let (t, _, _) = repaired("占比达到60%o3 .重点任务。");
        assert_eq!(t, "占比达到60%。3 .重点任务。");
    }

    #[test]
    fn damaged_per_mille_list() {
        let (t, r, _) = repaired("死亡率下降到4%。、6%o,覆盖城乡");
        assert_eq!(t, "死亡率下降到4‰、6‰,覆盖城乡");
        assert_eq!(r.len(), 2);
        assert_eq!(&t[r[0].range.clone()], "4‰");
        assert_eq!(r[0].original, "4%。");
        assert_eq!(&t[r[1].range.clone()], "6‰");
        assert_eq!(r[1].original, "6%o");
        let (t, _, _) = repaired("分别为3%o、5%o以下");
        assert_eq!(t, "分别为3‰、5‰以下");
    }

    #[test]
    fn ambiguous_percent_o_stays() {
        for s in ["达到5%o,其他", "5%o", "5%of", "5%o)", "增长5%。、"] {
            let (t, r, _) = repaired(s);
            if s == "增长5%。、" {
                assert_eq!(t, "增长5‰、");
            } else {
                assert_eq!(t, s);
                assert!(r.is_empty());
            }
        }
    }

    #[test]
    fn age_ranges_get_their_dash_back() {
        let (t, r, _) = repaired("发展滞后，03岁托育服务；力争3564岁妇女；年满8089周岁老年人");
        assert_eq!(
            t,
            "发展滞后，0—3岁托育服务；力争35—64岁妇女；年满80—89周岁老年人"
        );
        assert_eq!(r.len(), 3);
        assert_eq!(&t[r[1].range.clone()], "35—64岁");
        assert_eq!(r[1].original, "3564岁");
    }

    #[test]
    fn real_ages_and_numbers_stay() {
        for s in [
            "0—3岁",
            "0-3岁",
            "60岁及以上",
            "100岁",
            "6453岁",
            "1.03岁",
            "2023岁末",
            "00岁",
            "5-03岁",
            "10岁",
        ] {
            let (t, r, _) = repaired(s);
            assert_eq!(t, s);
            assert!(r.is_empty(), "{s}");
        }
    }

    #[test]
    fn year_range_gets_its_dash_back() {
        let (t, r, _) = repaired("三年行动(20232025年)征求意见稿");
        assert_eq!(t, "三年行动(2023—2025年)征求意见稿");
        assert_eq!(r[0].original, "20232025年");
        let (t, _, _) = repaired("编号12345678年");
        assert_eq!(t, "编号12345678年");
    }

    #[test]
    fn letters_read_for_digits_before_ages() {
        let (t, r, _) = repaired("150元标准、IOo周岁及以上老年人");
        assert_eq!(t, "150元标准、100周岁及以上老年人");
        assert_eq!(r[0].original, "IOo周岁");
        let (t, _, _) = repaired("Hello岁");
        assert_eq!(t, "Hello岁");
    }

    #[test]
    fn ranges_point_into_the_repaired_text_after_multibyte_text() {
        let (t, r, _) = repaired("中文中文03岁中文96.97%o高中");
        for rep in &r {
            assert!(t.is_char_boundary(rep.range.start) && t.is_char_boundary(rep.range.end));
        }
        assert_eq!(&t[r[0].range.clone()], "0—3岁");
        assert_eq!(&t[r[1].range.clone()], "96.97%。");
    }
}
