//! Structure: a cleaned plan text to its title, region, years, sections, domains and numbered tasks,
//! and the [`Segment`]s of text the target extractor reads, each labelled with where it stands.
//!
//! Two layouts are known: prose plans (一、发展基础 … （一）幼有所育 … （1）task …), read from the
//! text with all line breaks joined, and task-breakdown tables flattened from PDF (序号 所属领域
//! 重点任务 三年目标 2023年工作目标 … 责任单位), read cell by cell from the line layout
//! ([`table`]). Both produce the same [`Plan`].

mod header;
mod prose;
pub mod responsibility;
mod table;

use minsheng_model::Plan;

/// What a stretch of text is, for deciding the kind of the numbers in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// 发展基础 / 基本情况: achieved values.
    Baseline,
    /// Goals for the plan's end: 总体目标, 三年目标, task text of a multi-year plan.
    Target,
    /// Goals for one year: 2023年工作目标 and the year's measures in a task-breakdown table.
    Annual,
    /// Text whose numbers are not goals: 指导思想, 保障措施 …
    Other,
}

/// A stretch of a plan's text with its place in the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The text, lines joined.
    pub text: String,
    /// One of the nine domains, or 总体.
    pub domain: String,
    /// The task's number within its domain, when inside a task.
    pub task: Option<u32>,
    pub context: Context,
    /// Where the segment starts in [`Parsed::flat`], when segments are cut from it.
    pub offset: Option<usize>,
}

/// A parsed plan and the segments of its text.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub plan: Plan,
    pub segments: Vec<Segment>,
    /// The joined text prose segments are cut from (None for tables, whose segments are cells).
    pub flat: Option<String>,
}

/// The domain name used for text outside the nine domains.
pub const GENERAL: &str = "总体";

/// The index of the plan's domain called `name`, added (empty) when the plan has none yet.
fn domain_slot(plan: &mut Plan, name: &str) -> usize {
    match plan.domains.iter().position(|d| d.name == name) {
        Some(i) => i,
        None => {
            plan.domains.push(minsheng_model::Domain {
                name: name.to_string(),
                ..Default::default()
            });
            plan.domains.len() - 1
        }
    }
}

/// Parses the structure of a cleaned plan text (line structure kept, as `normalize::clean` gives it).
pub fn parse(text: &str) -> Parsed {
    let mut parsed = if table::is_table_layout(text) {
        table::parse(text)
    } else {
        prose::parse(text)
    };
    header::fill(&mut parsed.plan, text);
    parsed
}
