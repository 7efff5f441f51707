//! Task-breakdown tables flattened from PDF (任务分解清单): 序号 所属领域 重点任务 三年目标
//! 2023年工作目标 2023年具体工作措施 责任单位.
//!
//! PDF extraction writes each table cell as a block of wrapped lines, blocks separated by blank
//! lines, row by row. A cell's column shows in its line width: each column wraps at its own
//! width. A task row is its title block (`1.加大标准化…`), then its goal, annual-goal and
//! measures cells, then its responsibility cell; a cell cut by a page break comes back as two
//! blocks of the same width, and a domain row (`2 学有所教`) repeats after a page break.

use super::responsibility;
use super::{Context, Parsed, Segment};
use crate::normalize::join_lines;
use minsheng_model::{DOMAINS, SectionKind, Task};
use regex::Regex;
use std::sync::LazyLock;

static TASK_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})\s*[\.．、]").expect("valid regex"));
static DOMAIN_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^\d{{1,2}}\s*({})$", DOMAINS.join("|"))).expect("valid regex")
});
static RESPONSIBLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"牵头|配合|人民政府|[局委厅办]$|[局委厅办]，").expect("valid regex")
});

/// Is this text a flattened task-breakdown table? (A header row naming 序号 and 责任单位.)
pub fn is_table_layout(text: &str) -> bool {
    text.lines().take(40).any(is_header)
}

fn is_header(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("序号")
        && line.contains("责任单位")
        && (line.contains("重点任务") || line.contains("目标"))
}

/// The columns a cell can belong to, in row order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Column {
    Goals,
    Annual,
    Measures,
    Responsibility,
}

#[derive(Default)]
struct Row {
    /// Index of the row's domain in the plan's domains.
    domain: usize,
    serial: u32,
    title: String,
    cells: Vec<(Column, Vec<String>)>,
}

pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut domain: Option<usize> = None;
    let mut row: Option<Row> = None;
    let mut rows: Vec<Row> = Vec::new();
    let mut preamble = Vec::new();

    for block in blocks(text) {
        // A domain row, perhaps wrapped ("8 优军服务保" / "障"), may stand anywhere in a block:
        // it splits the block into what belongs before and after it.
        let mut pieces: Vec<&[&str]> = Vec::new();
        let (mut i, mut from) = (0, 0);
        let mut domain_after: Vec<Option<&'static str>> = Vec::new();
        while i < block.len() {
            // A domain row starts with its number: only such lines are worth the pattern.
            let starts_with_digit = block[i]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit());
            let hit = (1..=2.min(block.len() - i))
                .filter(|_| starts_with_digit)
                .find_map(|k| {
                    let row = compact(&block[i..i + k].concat());
                    let name = DOMAIN_ROW
                        .captures(&row)
                        .and_then(|c| DOMAINS.iter().find(|d| **d == &c[1]).copied())?;
                    Some((k, Some(name)))
                });
            match hit {
                Some((k, name)) => {
                    pieces.push(&block[from..i]);
                    domain_after.push(name);
                    i += k;
                    from = i;
                }
                None => i += 1,
            }
        }
        pieces.push(&block[from..]);
        domain_after.push(None);
        for (lines, next_domain) in pieces.into_iter().zip(domain_after) {
            if !lines.is_empty() {
                read_piece(lines, domain, &mut row, &mut rows, &mut preamble);
            }
            if let Some(name) = next_domain {
                domain = Some(super::domain_slot(&mut parsed.plan, name));
            }
        }
    }
    rows.extend(row);

    for row in rows {
        let d = row.domain;
        let name = parsed.plan.domains[d].name.clone();
        let number = parsed.plan.domains[d].tasks.len() as u32 + 1;
        let (task, segments) = read_row(row, &name, number);
        parsed.plan.domains[d].tasks.push(task);
        parsed.segments.extend(segments);
    }
    if !preamble.is_empty() {
        parsed.plan.sections.push(minsheng_model::Section {
            title: String::new(),
            kind: SectionKind::Other,
            text: join_lines(&preamble.join("\n")),
        });
    }
    parsed
}

/// Reads one piece of a block: a task's title, or a cell of the current task.
fn read_piece(
    lines: &[&str],
    domain: Option<usize>,
    row: &mut Option<Row>,
    rows: &mut Vec<Row>,
    preamble: &mut Vec<String>,
) {
    let width = lines.iter().map(|l| display_width(l)).max().unwrap_or(0);
    if let Some(c) = TASK_TITLE.captures(lines[0].trim())
        && width <= 16
        && let Some(d) = domain
    {
        rows.extend(row.take());
        let title = join_lines(&lines.join("\n"));
        let title = TASK_TITLE
            .replace(&title, "")
            .trim_end_matches(['。', '.'])
            .to_string();
        *row = Some(Row {
            domain: d,
            serial: c[1].parse().unwrap_or(0),
            title,
            cells: Vec::new(),
        });
        return;
    }
    match row.as_mut() {
        Some(r) => r.cells.push((
            classify(lines, width),
            lines.iter().map(|l| l.to_string()).collect(),
        )),
        None => preamble.push(lines.join("\n")),
    }
}

/// The blocks of the table: runs of non-blank lines, with header rows dropped.
fn blocks(text: &str) -> Vec<Vec<&str>> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else if !is_header(line) {
            cur.push(line);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A cell's column from its width; narrow cells that name units are the responsibility column.
fn classify(lines: &[&str], width: usize) -> Column {
    let text = compact(&lines.join(""));
    if width <= 20 && RESPONSIBLE.is_match(&text) {
        Column::Responsibility
    } else if width >= 50 {
        Column::Measures
    } else if width >= 30 {
        Column::Annual
    } else {
        Column::Goals
    }
}

/// Assigns a row's cells to columns in order and reads them.
fn read_row(row: Row, domain: &str, number: u32) -> (Task, Vec<Segment>) {
    // A task may span several sub-rows, each closed by its own responsibility cell.
    let mut cells = Vec::new();
    let mut from = 0;
    for i in 0..row.cells.len() {
        let closes = row.cells[i].0 == Column::Responsibility
            && row
                .cells
                .get(i + 1)
                .is_none_or(|next| next.0 != Column::Responsibility);
        if closes || i + 1 == row.cells.len() {
            cells.extend(assign(&row.cells[from..=i]));
            from = i + 1;
        }
    }
    let text_of = |c: Column| {
        let parts: Vec<&str> = cells
            .iter()
            .filter(|(col, _)| *col == c)
            .flat_map(|(_, lines)| lines.iter().map(String::as_str))
            .collect();
        if parts.is_empty() {
            None
        } else {
            Some(join_lines(&parts.join("\n")))
        }
    };
    let goals = text_of(Column::Goals);
    let annual = text_of(Column::Annual);
    let measures_text = text_of(Column::Measures).unwrap_or_default();
    let mut responsibility = minsheng_model::Responsibility::default();
    for (_, lines) in cells.iter().filter(|(c, _)| *c == Column::Responsibility) {
        let part = responsibility::parse(&lines.join("\n"));
        for (all, new) in [
            (&mut responsibility.lead, part.lead),
            (&mut responsibility.cooperating, part.cooperating),
            (&mut responsibility.governments, part.governments),
        ] {
            for unit in new {
                if !all.contains(&unit) {
                    all.push(unit);
                }
            }
        }
    }
    let mut segments = Vec::new();
    for (text, context) in [
        (&goals, Context::Target),
        (&annual, Context::Annual),
        (&Some(measures_text.clone()), Context::Annual),
    ] {
        if let Some(t) = text.as_ref().filter(|t| !t.is_empty()) {
            segments.push(Segment {
                text: t.clone(),
                domain: domain.to_string(),
                task: Some(number),
                context,
                offset: None,
            });
        }
    }
    let task = Task {
        number,
        serial: Some(row.serial),
        title: row.title,
        measures: super::prose::measures(&measures_text),
        text: measures_text,
        goals,
        annual_goals: annual,
        responsibility,
    };
    (task, segments)
}

/// Puts each block in a column. Columns come in row order; a row with exactly the four cells
/// takes them in order whatever their widths (a narrow goal cell can be as wide as an annual
/// one). Otherwise a block goes to the column its width says, and never back to an earlier
/// column: a block that looks earlier is the continuation of the cell before it.
fn assign(cells: &[(Column, Vec<String>)]) -> Vec<(Column, &Vec<String>)> {
    let order = [
        Column::Goals,
        Column::Annual,
        Column::Measures,
        Column::Responsibility,
    ];
    let resp_at = cells.iter().position(|(c, _)| *c == Column::Responsibility);
    if cells.len() == 4 && resp_at == Some(3) {
        return cells
            .iter()
            .zip(order)
            .map(|((_, lines), col)| (col, lines))
            .collect();
    }
    let mut last = Column::Goals;
    cells
        .iter()
        .map(|(c, lines)| {
            let col = (*c).max(last);
            last = col;
            (col, lines)
        })
        .collect()
}

/// The line with all white space removed.
fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Display width: CJK and full-width characters count two columns, others one.
fn display_width(line: &str) -> usize {
    line.trim_end()
        .chars()
        .map(|c| {
            let u = c as u32;
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || (0x20000..=0x3FFFD).contains(&u);
            if wide { 2 } else { 1 }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(display_width("州 卫 生"), 8);
        assert_eq!(display_width("4.5个"), 5);
    }

    #[test]
    fn a_small_table() {
        let text = "清单\n\n序号 所属领域 重点任务 三年目标 2023年工作目标 2023年具体工作措施 责任单位\n\n1 幼有所育\n\n1.加大标准\n化建设力度\n。\n\n每千人口拥有托位数4.5\n个，能力进一步提升。\n\n托位数3个以上，建设1个省级示范\n基地，完成各项工作目标任务。\n\n一是加大标准化儿童保健设施建设力度，完善州、县市、乡镇和村四级网络。二是推进项目。\n\n州 卫 生 健 康 委 牵\n头，州发展改革委\n配合；各县市人民\n政府\n";
        let p = parse(text);
        assert_eq!(p.plan.domains.len(), 1);
        let t = &p.plan.domains[0].tasks[0];
        assert_eq!(t.title, "加大标准化建设力度");
        assert_eq!(t.responsibility.lead, vec!["州卫生健康委"]);
        assert_eq!(t.measures.len(), 2);
        assert_eq!(
            t.goals.as_deref(),
            Some("每千人口拥有托位数4.5个，能力进一步提升。")
        );
        assert!(
            p.segments
                .iter()
                .any(|s| s.context == Context::Annual && s.text.contains("3个以上"))
        );
    }
}
