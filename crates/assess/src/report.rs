//! 报表: plain-text tables of assessments and warnings for the CLI, with 模拟数据 marked on
//! every row that shows demo data and in a banner above the table.

use std::fmt::Write;

use crate::{Assessment, Hierarchy, IndicatorSet, WarningGroup};

/// The banner printed above any output that contains demo data.
pub const SIMULATED_BANNER: &str = "【模拟数据】以下含演示用模拟数据，不是真实填报 (contains simulated demo data, not real reports)";

/// A number with at most `decimals` decimals, trailing zeros dropped.
pub fn number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" { "0".into() } else { s.into() }
    } else {
        s
    }
}

/// Display width: CJK and full-width characters count two columns.
pub fn width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            let c = c as u32;
            let wide = matches!(c,
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
            if wide { 2 } else { 1 }
        })
        .sum()
}

fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            text.push_str(&" ".repeat(widths[i].saturating_sub(width(cell))));
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut out, &mut header.iter().copied());
    for row in rows {
        line(&mut out, &mut row.iter().map(String::as_str));
    }
    out
}

/// The assessment table: region, indicator, target (← whose, when inherited), baseline,
/// latest, R, projection, status, method, note; 模拟数据 on rows with demo data and a banner
/// when any.
pub fn assessments_table(
    rows: &[Assessment<'_>],
    hierarchy: &Hierarchy,
    indicators: &IndicatorSet,
) -> String {
    let header = [
        "地区",
        "指标",
        "目标",
        "基期",
        "最新",
        "R",
        "目标年预测",
        "状态",
        "方法",
        "备注",
    ];
    let region_label = |code: &str| match hierarchy.index_of(code).and_then(|r| hierarchy.name(r)) {
        Some(name) => format!("{code} {name}"),
        None => code.to_string(),
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|a| {
            let name = indicators
                .index_of(a.indicator)
                .map_or(a.indicator, |i| indicators.get(i).name.as_str());
            let mut target = format!(
                "{}{} ({})",
                a.op.as_str(),
                number(a.target, 2),
                a.target_year
            );
            if a.target_region != a.region {
                target.push_str(&format!(" ←{}", a.target_region));
            }
            let at = |v: Option<f64>, p: Option<minsheng_model::Period>| match (v, p) {
                (Some(v), Some(p)) => format!("{} @{p}", number(v, 2)),
                (Some(v), None) => number(v, 2),
                _ => "—".to_string(),
            };
            let mut note: Vec<&str> = Vec::new();
            if let Some(n) = a.note {
                note.push(n.label());
            }
            if a.incomplete {
                note.push("汇总不完整");
            }
            if a.simulated {
                note.push(crate::demo::LABEL);
            }
            vec![
                region_label(a.region),
                name.to_string(),
                target,
                at(a.baseline, a.baseline_period),
                at(a.latest, a.latest_period),
                a.ratio.map_or("—".into(), |r| number(r, 2)),
                a.projected.map_or("—".into(), |p| number(p, 2)),
                a.status.label().to_string(),
                a.method.as_str().to_string(),
                note.join("；"),
            ]
        })
        .collect();
    let mut out = String::new();
    if rows.iter().any(|a| a.simulated) {
        out.push_str(SIMULATED_BANNER);
        out.push('\n');
    }
    out.push_str(&render(&header, &cells));
    out
}

/// The warnings, one block per lead unit and region.
pub fn warnings_text(groups: &[WarningGroup]) -> String {
    let mut out = String::new();
    if groups.iter().any(|g| g.simulated) {
        out.push_str(SIMULATED_BANNER);
        out.push('\n');
    }
    for g in groups {
        let region = match &g.region_name {
            Some(n) => format!("{} {n}", g.region),
            None => g.region.clone(),
        };
        let _ = writeln!(
            out,
            "\n■ {} — {}{}",
            g.lead_unit,
            region,
            if g.simulated {
                "（模拟数据）"
            } else {
                ""
            }
        );
        for (title, list) in [("倒退", &g.regressing), ("进度滞后", &g.off_track)] {
            for w in list {
                let _ = writeln!(
                    out,
                    "  {title}  {}  最新 {} @{}  目标 {}{} ({})  R={}  预测 {}",
                    w.indicator_name,
                    w.latest.map_or("—".into(), |v| number(v, 2)),
                    w.latest_period.map_or("—".into(), |p| p.to_string()),
                    w.op.as_str(),
                    number(w.target, 2),
                    w.target_year,
                    w.ratio.map_or("—".into(), |r| number(r, 2)),
                    w.projected.map_or("—".into(), |p| number(p, 2)),
                );
            }
        }
        for m in &g.missing_reports {
            let _ = writeln!(
                out,
                "  逾期未报  {}  {}  截止 {}（逾期 {} 天）",
                m.indicator_name, m.period, m.deadline, m.days_overdue
            );
        }
        for t in &g.overdue_tasks {
            let _ = writeln!(
                out,
                "  任务逾期  {} 第{}项 {}  时限 {}（逾期 {} 天，{}）",
                t.domain,
                t.task,
                t.title,
                t.due,
                t.days_overdue,
                t.status.label()
            );
        }
        for t in &g.delayed_tasks {
            let _ = writeln!(
                out,
                "  任务滞后  {} 第{}项 {}  时限 {}",
                t.domain, t.task, t.title, t.due
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_widths() {
        assert_eq!(number(95.0, 2), "95");
        assert_eq!(number(4.567, 2), "4.57");
        assert_eq!(number(-0.001, 2), "0");
        assert_eq!(width("婴儿死亡率"), 10);
        assert_eq!(width("R=0.5"), 5);
    }
}
