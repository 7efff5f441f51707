//! The plan's title, region and years, read from its first lines.

use minsheng_model::Plan;
use regex::Regex;
use std::sync::LazyLock;

static TITLE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(行动计划|行动|规划|计划|方案|清单|要点)").expect("valid regex"));
static REGION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:关于印发)?([\p{Han}]{1,10}?(?:自治区|自治州|省|州|市|县|区|盟|旗))")
        .expect("valid regex")
});
static YEARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*(?:年)?\s*[-—–－~～至到]+\s*((?:19|20)\d{2})\s*年")
        .expect("valid regex")
});
static FIVE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"“?十([一二三四五六七八九])五”?").expect("valid regex"));

/// Fills title, region and years from the document's opening.
pub fn fill(plan: &mut Plan, text: &str) {
    plan.title = title(text);
    plan.region = REGION
        .captures(plan.title.trim_start_matches(['《', '“']))
        .map(|c| c[1].to_string());
    plan.years = years(&plan.title).or_else(|| {
        let opening: String = text.chars().take(3000).collect();
        years(&opening)
    });
}

/// The title: the first short line that names a plan (…行动计划, …规划), joined with a wrapped
/// continuation line, with a trailing file extension dropped.
fn title(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(80)
        .collect();
    // A title wrapped over two lines: "…提升三年行动" + "（2023-2025年）".
    let mut best: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        let line = strip_extension(line);
        if line.chars().count() > 90
            || line.ends_with('。')
            || line.ends_with(':')
            || line.ends_with('：')
        {
            continue;
        }
        if !TITLE_WORD.is_match(line)
            || !REGION.is_match(line.trim_start_matches(['《', '“', '关']))
        {
            continue;
        }
        let mut t = line.to_string();
        if let Some(next) = lines.get(i + 1)
            && next.chars().count() < 20
            && (next.starts_with('（') || next.starts_with('(') || next.starts_with("规划"))
        {
            t.push_str(next);
        }
        let t = crate::normalize::join_lines(&t);
        // Prefer a line that is a title in itself over a 关于印发…的通知 line.
        if !t.starts_with("关于") {
            return t;
        }
        best.get_or_insert(t);
    }
    best.map(|t| {
        t.trim_start_matches("关于印发")
            .trim_end_matches("的通知")
            .to_string()
    })
    .unwrap_or_default()
}

fn strip_extension(line: &str) -> &str {
    for ext in [".docx", ".doc", ".pdf", ".txt", ".wps"] {
        if let Some(s) = line.strip_suffix(ext) {
            return s;
        }
    }
    line
}

fn years(text: &str) -> Option<[i32; 2]> {
    if let Some(c) = YEARS.captures(text) {
        let (a, b) = (c[1].parse().ok()?, c[2].parse().ok()?);
        if a <= b && b - a <= 15 {
            return Some([a, b]);
        }
    }
    // “十四五” = 2021–2025; five-year plans have followed each other without gaps since the sixth.
    let c = FIVE_YEAR.captures(text)?;
    let n = "一二三四五六七八九"
        .chars()
        .position(|d| c[1].starts_with(d))? as i32
        + 11;
    let start = 2021 + 5 * (n - 14);
    Some([start, start + 4])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_region_years_from_a_wrapped_title() {
        let mut plan = Plan::default();
        fill(
            &mut plan,
            "\n玉溪市基本公共服务提升三年行动\n（2023-2025年）\n\n一、总体要求\n",
        );
        assert_eq!(plan.title, "玉溪市基本公共服务提升三年行动（2023-2025年）");
        assert_eq!(plan.region.as_deref(), Some("玉溪市"));
        assert_eq!(plan.years, Some([2023, 2025]));
    }

    #[test]
    fn five_year_plan_years() {
        assert_eq!(years("云南省“十四五”公共服务发展规划"), Some([2021, 2025]));
        assert_eq!(years("十三五"), Some([2016, 2020]));
    }
}
