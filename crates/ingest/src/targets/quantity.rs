//! Quantities: a number with the unit written after it, and the groups they form.

use std::ops::Range;

/// Units as plans write them, longest first so 万人次 wins over 万人 and 人次.
const UNITS: &[&str] = &[
    "个百分点",
    "万亿元",
    "亿元",
    "万元",
    "元/年/人",
    "元/人/年",
    "元/人",
    "元",
    "万人次",
    "人次",
    "万人",
    "万名",
    "名",
    "万个",
    "个",
    "人",
    "万户",
    "户",
    "万套",
    "套（户）",
    "套(户)",
    "套",
    "万张",
    "张",
    "万床",
    "床",
    "所",
    "家",
    "平方米",
    "平方公里",
    "公里",
    "千米",
    "米",
    "倍",
    "周岁",
    "岁",
    "小时",
    "座",
    "片",
    "处",
    "次",
    "种",
    "块",
    "位",
    "场",
    "县市",
    "万吨",
    "吨",
    "台",
    "辆",
    "间",
    "支",
    "万亩",
    "亩",
    "公顷",
    "天",
    "万",
    "%",
    "‰",
];

/// A number and its unit, at a byte range of its clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Where the number starts.
    pub start: usize,
    /// Where the unit ends.
    pub end: usize,
    pub value: f64,
    pub value_max: Option<f64>,
    pub unit: &'static str,
}

/// Finds the quantities of a clause that are measurements.
pub fn find(clause: &str) -> Vec<Quantity> {
    let mut out = Vec::new();
    let bytes = clause.as_bytes();
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(u8::is_ascii_digit) {
        let start = at + offset;
        let first_end = number_end(clause, start);
        at = first_end;
        // A digit run glued to a letter or a number before it ("G20", "1.2.3") is not a value.
        if start > 0 && (bytes[start - 1] == b'.' || bytes[start - 1].is_ascii_alphanumeric()) {
            continue;
        }
        let Ok(value) = clause[start..first_end].parse::<f64>() else {
            continue;
        };
        // "8—10个": a range needs its unit right after the second number; otherwise only the
        // first number counts.
        let (mut number_end_at, mut value_max) = (first_end, None);
        if let Some((second_start, second_end)) = range_second(clause, first_end)
            && unit_at(clause[second_end..].trim_start()).is_some()
            && let Ok(max) = clause[second_start..second_end].parse::<f64>()
        {
            number_end_at = second_end;
            value_max = Some(max);
            at = second_end;
        }
        let rest = &clause[number_end_at..];
        let spaces = rest.len() - rest.trim_start().len();
        let Some(unit) = unit_at(&rest[spaces..]) else {
            continue;
        };
        if value_max.is_some_and(|max| max <= value) {
            continue;
        }
        let q = Quantity {
            start,
            end: number_end_at + spaces + unit.len(),
            value,
            value_max,
            unit,
        };
        if is_measurement(clause, &q) {
            out.push(q);
        }
    }
    out
}

/// Where a number starting at `start` ends: digits, then a decimal point and digits.
fn number_end(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let mut i = start;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    i
}

/// The second number of a range after `from` ("—10", "至10", "-10"), as a byte range.
fn range_second(text: &str, from: usize) -> Option<(usize, usize)> {
    let rest = &text[from..];
    let trimmed = rest.trim_start();
    let mut sign_len = 0;
    for (i, c) in trimmed.char_indices() {
        if matches!(c, '—' | '-' | '－' | '–' | '~' | '～') {
            sign_len = i + c.len_utf8();
        } else {
            break;
        }
    }
    if sign_len == 0 {
        sign_len = ["至", "到"]
            .iter()
            .find(|w| trimmed.starts_with(*w))
            .map_or(0, |w| w.len());
    }
    if sign_len == 0 {
        return None;
    }
    let after = &trimmed[sign_len..];
    let second = after.trim_start();
    if !second.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let start = text.len() - second.len();
    Some((start, number_end(text, start)))
}

fn unit_at(text: &str) -> Option<&'static str> {
    UNITS.iter().copied().find(|u| text.starts_with(u))
}

/// Drops numbers that are not measurements of an indicator.
fn is_measurement(clause: &str, q: &Quantity) -> bool {
    let before = &clause[..q.start];
    let after = &clause[q.end..];
    let prev = before.chars().next_back();
    // Ordinals (第3批) except ranks (第18位); codes and model numbers (G20, 5G).
    if prev == Some('第') && q.unit != "位" {
        return false;
    }
    if prev.is_some_and(|c| c.is_ascii_alphabetic())
        || after.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return false;
    }
    // A count of what follows: 4个100% (the 4 and the 100% both), 4个方面; but 711万60岁以上老年人 is a value.
    if after.starts_with(|c: char| c.is_ascii_digit())
        && matches!(q.unit, "个" | "次" | "种" | "位")
    {
        return false;
    }
    // A count standing right before: 4个100%.
    if before
        .strip_suffix('个')
        .is_some_and(|b| b.ends_with(|c: char| c.is_ascii_digit()))
    {
        return false;
    }
    // Population thresholds that qualify a place: 人口超过20万的县, 20万人口以上的县.
    if (q.unit == "人" || q.unit == "万人") && after.starts_with('口') {
        return false;
    }
    if q.unit.starts_with('万')
        && (before.ends_with("人口超过") || before.ends_with("人口在") || before.ends_with("人口"))
    {
        return false;
    }
    if matches!(q.unit, "万" | "万人" | "人")
        && after.starts_with('的')
        && after[3..].starts_with(['县', '市', '区', '乡', '镇', '村', '州', '地'])
    {
        return false;
    }
    // "24小时自助服务": a service's name; "24小时内恢复收视" is a time limit and stays.
    if q.unit == "小时"
        && after.starts_with(|c: char| is_han(c) && !matches!(c, '内' | '以' | '之' | '左'))
    {
        return false;
    }
    // "20户以上自然村": a size that picks out the places a value is for.
    if matches!(q.unit, "户" | "人" | "万人") {
        let rest = after.trim_start_matches("以上").trim_start_matches("以下");
        if ["自然村", "行政村", "村", "社区", "乡镇", "集中安置点"]
            .iter()
            .any(|p| rest.starts_with(p))
        {
            return false;
        }
    }
    // "1.5小时…服务圈": a travel-time circle is a description, not a value.
    if matches!(q.unit, "小时" | "公里")
        && after.chars().take(14).collect::<String>().contains('圈')
    {
        return false;
    }
    for not_a_thing in ["方面", "月", "季度", "工作日", "以上年龄", "批次"] {
        if after.starts_with(not_a_thing) {
            return false;
        }
    }
    // Ages that qualify a group (5岁以下儿童, 0—3岁婴幼儿, 60岁以上老年人) are not values;
    // an age gained (人均预期寿命增长4.48岁) is.
    if matches!(q.unit, "岁" | "周岁") {
        let gained = ["增长", "提高", "延长", "增加", "达到", "达"]
            .iter()
            .any(|v| before.ends_with(v));
        if !gained {
            return false;
        }
    }
    !inside_quotation(before)
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// Whether a position (the end of `before`) stands inside “…”, 《…》, 〔…〕 or 「…」.
fn inside_quotation(before: &str) -> bool {
    let mut depth = 0i32;
    let mut ascii_open = false;
    for c in before.chars() {
        match c {
            '“' | '《' | '〔' | '「' | '『' => depth += 1,
            '”' | '》' | '〕' | '」' | '』' => depth = (depth - 1).max(0),
            '"' => ascii_open = !ascii_open,
            _ => {}
        }
    }
    depth > 0 || ascii_open
}

/// Groups of quantities joined only by 、 和 及 与 或 (each perhaps with its own 以上/以下):
/// "10%和5%以下", "4‰、6‰", "99.60%、99.63%". Each group is a range of indexes into `qs`.
pub fn group(clause: &str, qs: &[Quantity]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=qs.len() {
        let joined = i < qs.len() && is_joiner(&clause[qs[i - 1].end..qs[i].start]);
        if !joined {
            out.push(start..i);
            start = i;
        }
    }
    out
}

fn is_joiner(between: &str) -> bool {
    let rest = between
        .trim_start_matches("以上")
        .trim_start_matches("以下")
        .trim_start_matches("以内")
        .trim_start_matches("左右");
    // "确保20%、争取30%": a floor and a hope for one indicator.
    let rest = rest.trim();
    let rest = ["、争取", "、力争", "，争取", "，力争", ",争取", ",力争"]
        .iter()
        .find_map(|w| {
            rest.strip_prefix(w)
                .map(|r| if r.is_empty() { "、" } else { r })
        })
        .unwrap_or(rest);
    // A comma ends a statement ("不低于5000床，8—10个专科…"): it never joins a group.
    matches!(rest, "、" | "和" | "及" | "与" | "或" | "至" | "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(s: &str) -> Vec<(f64, Option<f64>, &'static str)> {
        find(s)
            .into_iter()
            .map(|q| (q.value, q.value_max, q.unit))
            .collect()
    }

    #[test]
    fn units_as_written() {
        assert_eq!(values("完成2.5万户改造"), vec![(2.5, None, "万户")]);
        assert_eq!(values("培训200万人次"), vec![(200.0, None, "万人次")]);
        assert_eq!(values("8—10个专科"), vec![(8.0, Some(10.0), "个")]);
        assert_eq!(values("高出5个百分点"), vec![(5.0, None, "个百分点")]);
        assert_eq!(values("达到 96%以上"), vec![(96.0, None, "%")]);
    }

    #[test]
    fn not_measurements() {
        assert!(values("2023—2025年").is_empty());
        assert!(values("3岁以下婴幼儿").is_empty());
        assert!(values("做到4个100%").is_empty());
        assert!(values("支持人口超过20万没有特殊教育学校的县，20万人口以下的县").is_empty());
        assert_eq!(values("711万60岁以上老年人"), vec![(711.0, None, "万")]);
        assert!(values("落实“1311”标准和“20条措施”").is_empty());
        assert!(values("第3批").is_empty());
        assert_eq!(values("增长4.48岁"), vec![(4.48, None, "岁")]);
        assert!(values("鼓励开展24小时自助服务").is_empty());
        assert!(values("实现20户以上自然村应急广播全覆盖").is_empty());
        assert_eq!(values("24小时内恢复收视"), vec![(24.0, None, "小时")]);
    }

    #[test]
    fn groups() {
        let c = "分别控制在10%和5%以下，建成3所";
        let qs = find(c);
        assert_eq!(group(c, &qs), vec![0..2, 2..3]);
    }
}
