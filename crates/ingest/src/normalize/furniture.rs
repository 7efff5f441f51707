//! Page furniture: what a PDF or print layout repeats on every page and the plan's text does not
//! say.
//!
//! - Page footers and headers: 第 4 页，共 10 页 / 第4页 / 共10页 第4页 / - 5 - / — 5 — /
//!   Page 5 of 10, and lines holding only a page number when the document has a run of them
//!   (each on a line of its own between blank lines, increasing page by page).
//! - A table header repeated on each page (序号 所属领域 重点任务 … 责任单位): a line that
//!   recurs at least [`MIN_REPEATS`] times verbatim (after trimming) and is shaped like a header.
//!   The first occurrence stays, the repeats go.
//!
//! Works on lines ([`Line`]: trimmed, with their shape): [`mark`] sets the kind of removal for
//! each line it finds; the caller removes them (keeping the line count).

use super::scan::Line;
use minsheng_model::CleaningKind;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// How often a line must occur before its repeats are taken for a page header.
pub(crate) const MIN_REPEATS: usize = 3;

/// Longest line (in bytes, trimmed) that can be a page footer.
const MAX_FOOTER_BYTES: usize = 64;

/// Page footers and headers, matched against a trimmed line.
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
            第\s*\d{1,4}\s*页(?:\s*[，,、/／]?\s*共\s*\d{1,4}\s*页)?
          | 共\s*\d{1,4}\s*页\s*[，,、/／]?\s*第\s*\d{1,4}\s*页
          | [-—–－―─]{1,2}\s*\d{1,4}\s*[-—–－―─]{1,2}
          | (?i:page)\s*\d{1,4}(?:\s*(?i:of|/)\s*\d{1,4})?
        )$",
    )
    .expect("footer pattern")
});

/// Headings, list items and numbered lines: they recur legitimately (3.重点任务 in every domain).
static ENUMERATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|第[一二三四五六七八九十百\d]+[章节条部篇])",
    )
    .expect("enumeration pattern")
});

/// Marks page footers as [`CleaningKind::PageFooter`] and repeated headers as
/// [`CleaningKind::RepeatedHeader`]. Lines already marked are left alone.
pub(crate) fn mark(lines: &[Line], marks: &mut [Option<CleaningKind>]) {
    mark_footers(lines, marks);
    mark_page_numbers(lines, marks);
    mark_repeated_headers(lines, marks);
}

/// A quick look before the footer pattern: every footer is short, has a digit, and 页, or
/// starts with a dash or with "page".
fn may_be_footer(l: &Line) -> bool {
    let t = l.text;
    l.digit
        && t.len() <= MAX_FOOTER_BYTES
        && (t.starts_with(['-', '—', '–', '－', '―', '─'])
            || t.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("page"))
            || t.contains('页'))
}

fn mark_footers(lines: &[Line], marks: &mut [Option<CleaningKind>]) {
    for (l, mark) in lines.iter().zip(marks.iter_mut()) {
        if mark.is_none() && may_be_footer(l) && FOOTER.is_match(l.text) {
            *mark = Some(CleaningKind::PageFooter);
        }
    }
}

/// The value of a line that is only a number of 1–3 digits, standing between blank lines.
fn lone_number(lines: &[Line], i: usize) -> Option<u32> {
    let t = lines[i].text;
    if t.is_empty() || t.len() > 3 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let blank = |j: Option<usize>| j.and_then(|j| lines.get(j)).is_none_or(Line::is_empty);
    (blank(i.checked_sub(1)) && blank(Some(i + 1)))
        .then(|| t.parse().ok())
        .flatten()
}

/// Lone numbers are page numbers when there are at least two, they increase by one or two from
/// one to the next, and they stand well apart (a page holds more than a few lines); a table's
/// row numbers are closer together.
fn mark_page_numbers(lines: &[Line], marks: &mut [Option<CleaningKind>]) {
    const MIN_GAP_LINES: usize = 10;
    let found: Vec<(usize, u32)> = (0..lines.len())
        .filter(|&i| marks[i].is_none() && lines[i].digit && lines[i].text.len() <= 3)
        .filter_map(|i| lone_number(lines, i).map(|n| (i, n)))
        .collect();
    if found.len() < 2 {
        return;
    }
    let paged = found.windows(2).all(|w| {
        let (gap, step) = (w[1].0 - w[0].0, w[1].1.wrapping_sub(w[0].1));
        gap >= MIN_GAP_LINES && (1..=2).contains(&step)
    });
    if paged {
        for (i, _) in found {
            marks[i] = Some(CleaningKind::PageFooter);
        }
    }
}

/// A table header row: at least three columns of two characters or more, few one-character
/// columns (spaced-out justified text is all one-character tokens).
fn is_column_header(t: &str) -> bool {
    let (mut tokens, mut wide, mut single) = (0, 0, 0);
    for token in t.split_ascii_whitespace() {
        tokens += 1;
        if token.chars().nth(1).is_some() {
            wide += 1;
        } else {
            single += 1;
        }
    }
    tokens >= 3 && wide >= 3 && single * 3 <= tokens
}

/// A header has no sentence punctuation (not even 、 or ：), is no numbered heading or list
/// item, and is either a row of column names or a running page header of one piece, long
/// enough not to be a wrapped table cell.
fn header_candidate(l: &Line) -> bool {
    !l.is_empty()
        && !l.long
        && !l.stop
        && !l.pause
        && if l.space {
            l.chars <= 120 && is_column_header(l.text)
        } else {
            (10..=60).contains(&l.chars)
        }
        && !ENUMERATED.is_match(l.text)
}

fn mark_repeated_headers(lines: &[Line], marks: &mut [Option<CleaningKind>]) {
    let mut seen: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        if marks[i].is_none() && header_candidate(l) {
            seen.entry(l.text).or_default().push(i);
        }
    }
    for at in seen.into_values() {
        if at.len() < MIN_REPEATS {
            continue;
        }
        // One piece only counts as a running header when some occurrence is next to a page
        // footer: without that it may be recurring text of the plan.
        if !lines[at[0]].space && !at.iter().any(|&i| near_footer(marks, i)) {
            continue;
        }
        for &i in &at[1..] {
            marks[i] = Some(CleaningKind::RepeatedHeader);
        }
    }
}

/// Whether a page footer is marked within three lines of line `i`.
fn near_footer(marks: &[Option<CleaningKind>], i: usize) -> bool {
    let lo = i.saturating_sub(3);
    let hi = (i + 4).min(marks.len());
    marks[lo..hi].contains(&Some(CleaningKind::PageFooter))
}

#[cfg(test)]
mod tests {
    use super::super::scan::lines;
    use super::*;

    fn marked(text: &str) -> Vec<(String, Option<CleaningKind>)> {
        let lines = lines(text);
        let mut marks = vec![None; lines.len()];
        mark(&lines, &mut marks);
        lines
            .iter()
            .map(|l| l.text.to_string())
            .zip(marks)
            .filter(|(_, m)| m.is_some())
            .collect()
    }

    #[test]
    fn page_footers_in_their_usual_shapes() {
        for f in [
            "第 4 页，共 10 页",
            "第4页",
            "  第 12 页 共 30 页 ",
            "共10页 第4页",
            "- 5 -",
            "— 5 —",
            "—5—",
            "－ 12 －",
            "Page 3 of 9",
        ] {
            assert_eq!(
                marked(f),
                vec![(f.trim().to_string(), Some(CleaningKind::PageFooter))],
                "{f}"
            );
        }
    }

    #[test]
    fn text_mentioning_pages_is_not_a_footer() {
        for t in [
            "详见第4页附表。",
            "第4页至第6页为附件",
            "2023—2025",
            "5岁以下",
            "1",
        ] {
            assert!(marked(t).is_empty(), "{t}");
        }
    }

    #[test]
    fn lone_page_numbers_in_sequence_go_but_a_single_number_stays() {
        let page = "正文一行。\n".repeat(12);
        let text = format!("{page}\n1\n\n{page}\n2\n\n{page}\n3\n\n{page}");
        let m = marked(&text);
        assert_eq!(m.len(), 3);
        assert!(m.iter().all(|(_, k)| *k == Some(CleaningKind::PageFooter)));
        assert!(marked(&format!("{page}\n7\n\n{page}")).is_empty());
        // Row numbers close together are a table's, not pages.
        assert!(marked("\n1\n\n甲\n\n2\n\n乙\n\n3\n").is_empty());
    }

    #[test]
    fn repeated_table_header_keeps_its_first_occurrence() {
        let h = "序号 所属领域 重点任务 三年目标 责任单位";
        let text = format!("{h}\n\n1 幼有所育\n内容\n {h}\n内容\n{h} \n内容\n{h}\n");
        let lines = lines(&text);
        let mut marks = vec![None; lines.len()];
        mark(&lines, &mut marks);
        assert_eq!(marks[0], None);
        let removed = marks
            .iter()
            .filter(|m| **m == Some(CleaningKind::RepeatedHeader))
            .count();
        assert_eq!(removed, 3);
    }

    #[test]
    fn recurring_content_lines_are_not_headers() {
        // Spaced-out justified cell text, wrapped cells, numbered headings, one-piece lines
        // without a page footer nearby: all recur in real plans and must stay.
        let text = [
            "州 教 育 体 育 局 牵",
            "3.重点任务",
            "县市人民政府",
            "一、幼有所育方面",
            "楚雄州基本公共服务提升三年行动",
        ]
        .map(|l| format!("{l}\n{l}\n{l}\n{l}\n"))
        .concat();
        assert!(marked(&text).is_empty());
    }

    #[test]
    fn running_title_next_to_page_footers_is_a_header() {
        let t = "楚雄州基本公共服务提升三年行动计划";
        let text = format!("{t}\n正文。\n第 1 页\n{t}\n正文。\n第 2 页\n{t}\n正文。\n第 3 页\n");
        let m = marked(&text);
        let headers = m
            .iter()
            .filter(|(_, k)| *k == Some(CleaningKind::RepeatedHeader))
            .count();
        assert_eq!(headers, 2);
    }
}
