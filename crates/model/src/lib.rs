//! Plain data types of minsheng: the plan as officials write it, and the targets it sets.
//!
//! Nothing here does I/O or holds a business rule; every other crate speaks in these types.
//! The serde field names are a contract: `minsheng ingest --format json` writes them and other
//! tools (the extraction scorer among them) read them.

use serde::{Deserialize, Serialize};

/// The nine domains (领域) of basic public services, in the order the plans list them.
pub const DOMAINS: [&str; 9] = [
    "幼有所育",
    "学有所教",
    "劳有所得",
    "病有所医",
    "老有所养",
    "住有所居",
    "弱有所扶",
    "优军服务保障",
    "文体服务保障",
];

/// The English names of [`DOMAINS`], index for index.
pub const DOMAINS_EN: [&str; 9] = [
    "Child care",
    "Education",
    "Employment",
    "Health care",
    "Elderly care",
    "Housing",
    "Social assistance",
    "Veterans' services",
    "Culture and sports",
];

/// A plan document read into structure: 基本公共服务提升行动计划 or a 规划.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The file the plan was read from, as given on the command line.
    pub source: String,
    /// The plan's region in Chinese as the document names it (云南省, 楚雄州 …), if found.
    pub region: Option<String>,
    /// The document title.
    pub title: String,
    /// First and last year the plan covers, e.g. `[2023, 2025]`.
    pub years: Option<[i32; 2]>,
    /// Everything the cleaning step changed or removed.
    pub cleaning: Vec<CleaningNote>,
    /// Top-level sections (一、发展基础 / 总体要求 / 重点任务 / 保障措施 …).
    pub sections: Vec<Section>,
    /// The domains in document order, each with its tasks.
    pub domains: Vec<Domain>,
    /// Every quantitative statement found, in document order.
    pub targets: Vec<Target>,
    /// 原文: the document's cleaned text, line breaks kept, with OCR-damaged words as the
    /// document had them — the text every [`Target::quote`] is cut from (up to white space,
    /// which joining lines and table cells removes). Empty for plans stored before the text
    /// was kept.
    #[serde(default)]
    pub text: String,
}

/// A top-level section of a plan (一、发展基础 …) with its text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// 发展基础, 基本情况, 总体要求, 重点任务, 保障措施 … as written.
    pub title: String,
    /// What the section is, in minsheng's terms.
    pub kind: SectionKind,
    /// The section's cleaned text, without its heading.
    pub text: String,
}

/// What a top-level section is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// 发展基础 / 基本情况 / 现状: where things stand; numbers here are baselines.
    Baseline,
    /// 总体要求 / 总体目标 / 主要目标: the plan-wide goals.
    Goals,
    /// 重点任务 / 主要任务: the domains and their tasks.
    Tasks,
    /// 保障措施 / 组织实施: how the plan is carried out.
    Safeguards,
    /// Anything else.
    #[default]
    Other,
}

/// One of the nine domains with what the plan says about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    /// One of [`DOMAINS`].
    pub name: String,
    /// 提升方向: the direction of improvement, as written.
    pub direction: Option<String>,
    /// 三年目标: the domain's goals for the plan's end, as written.
    pub goals: Option<String>,
    /// 重点任务: the numbered key tasks.
    pub tasks: Vec<Task>,
}

/// A numbered key task (重点任务) inside a domain.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// The task's number within its domain, from 1: what [`Target::task`] refers to.
    pub number: u32,
    /// The running number the document prints, where it numbers tasks through the whole
    /// document rather than per domain (a task-breakdown table's 序号 1–28).
    pub serial: Option<u32>,
    /// The title sentence (加大标准化儿童保健设施建设力度), empty when the task opens without one.
    pub title: String,
    /// The task's full text, responsibility clause excluded.
    pub text: String,
    /// The measures, split at 一是 / 二是 … where the text is written that way.
    pub measures: Vec<String>,
    /// 三年目标 for this task, where the plan states one per task (002's table).
    pub goals: Option<String>,
    /// 2023年工作目标: this year's goals, where the plan states them per task (002's table).
    pub annual_goals: Option<String>,
    /// 责任单位: who answers for the task.
    pub responsibility: Responsibility,
}

/// 责任单位: the units responsible for a task.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Responsibility {
    /// 牵头单位: the lead units.
    pub lead: Vec<String>,
    /// 配合单位: the cooperating units (配合, 按职能配合).
    pub cooperating: Vec<String>,
    /// 实施主体: the governments that carry the task out (各县（市、区）人民政府).
    pub governments: Vec<String>,
}

/// A quantitative statement of a plan: a value an indicator is to reach, or has reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The domain the statement stands in, or 总体 for plan-wide statements.
    pub domain: String,
    /// The task's number within its domain ([`Task::number`]), when inside a task.
    pub task: Option<u32>,
    pub kind: TargetKind,
    /// The indicator's name as the text words it (婴儿死亡率).
    pub indicator: String,
    pub op: Op,
    pub value: f64,
    /// The upper end of a range (8—10个 gives value 8, value_max 10).
    pub value_max: Option<f64>,
    /// The unit exactly as written after the number: %, ‰, 个, 万人, 亿元, 平方米 …
    pub unit: String,
    /// The year the value applies to: the plan's end year for targets, the stated year for
    /// baselines and annual goals.
    pub year: Option<i32>,
    /// A sub-scope the text names: 以乡（镇、街道）为单位, 县级, a county's name …
    pub scope: Option<String>,
    /// The source words, so a reviewer can find the statement in the document.
    pub quote: String,
    /// True when the number was read through damage (OCR) and repaired.
    pub repaired: bool,
}

/// What a target is: a goal for the plan's end, a goal for one year, or a current value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// To be reached by the plan's end (三年目标, 到2025年).
    Target,
    /// To be reached within one year of the plan (2023年工作目标).
    Annual,
    /// A value already reached (发展基础, 基本情况).
    Baseline,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Target => "target",
            TargetKind::Annual => "annual",
            TargetKind::Baseline => "baseline",
        }
    }
}

/// How a value compares with the target: at least, at most, or exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    /// 达到, 不低于, 以上, 力争达, 超过 …
    #[serde(rename = ">=")]
    AtLeast,
    /// 控制在…以下, 下降到, 以内, 不超过 …
    #[serde(rename = "<=")]
    AtMost,
    /// A plain value.
    #[serde(rename = "=")]
    Equal,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::AtLeast => ">=",
            Op::AtMost => "<=",
            Op::Equal => "=",
        }
    }
}

/// One change the cleaning step made to a document's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleaningNote {
    /// What kind of change.
    pub kind: CleaningKind,
    /// The text removed or replaced (shortened when long).
    pub original: String,
    /// What stands there now (empty for a removal).
    pub replacement: String,
    /// How many times this exact change was made.
    pub count: usize,
}

/// The kinds of change cleaning makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CleaningKind {
    /// A byte-order mark or an encoding other than UTF-8 was decoded.
    Encoding,
    /// Compatibility characters folded: Kangxi radicals, CJK Radicals Supplement, full-width forms.
    Characters,
    /// Line breaks and spaces inside Chinese text joined.
    Whitespace,
    /// Page footers and headers (第 4 页，共 10 页, — 5 —).
    PageFooter,
    /// A table header repeated on every page.
    RepeatedHeader,
    /// Web-page chrome: navigation, 分享到, ICP numbers, footers.
    WebChrome,
    /// Injected spam (gambling, advertising) removed.
    Spam,
    /// OCR damage repaired (96.97%o → 96.97%).
    OcrRepair,
}

/// A region's place in the administrative hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    Prefecture,
    County,
}

/// The domain index of a name, if it is one of [`DOMAINS`].
pub fn domain_index(name: &str) -> Option<usize> {
    DOMAINS.iter().position(|d| *d == name)
}

/// 统计期: a reporting period. Written as DHIS2 writes periods: `2024` (year), `2024Q1`
/// (quarter), `202401` (month). Periods order by when they end, a shorter one first when two
/// end together (202412, 2024Q4, 2024).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Year(i32),
    /// Year and quarter 1–4.
    Quarter(i32, u8),
    /// Year and month 1–12.
    Month(i32, u8),
}

impl Ord for Period {
    fn cmp(&self, other: &Period) -> std::cmp::Ordering {
        let rank = |p: &Period| match p {
            Period::Month(..) => 0,
            Period::Quarter(..) => 1,
            Period::Year(..) => 2,
        };
        (self.end_month(), rank(self)).cmp(&(other.end_month(), rank(other)))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Period) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Period {
    /// The month the period ends with, counted from year 0 (December 2024 is 2024·12 + 12).
    pub fn end_month(self) -> i64 {
        match self {
            Period::Year(y) => i64::from(y) * 12 + 12,
            Period::Quarter(y, q) => i64::from(y) * 12 + i64::from(q) * 3,
            Period::Month(y, m) => i64::from(y) * 12 + i64::from(m),
        }
    }

    /// The year the period falls in.
    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        }
    }

    /// Where the period ends, as a fraction of years since year 0: 2024 → 2025.0, 2024Q1 →
    /// 2024.25, 202403 → 2024.25. Growth over time is measured between these points.
    pub fn end_as_years(self) -> f64 {
        match self {
            Period::Year(y) => f64::from(y) + 1.0,
            Period::Quarter(y, q) => f64::from(y) + f64::from(q) / 4.0,
            Period::Month(y, m) => f64::from(y) + f64::from(m) / 12.0,
        }
    }

    /// Reads `2024`, `2024Q1` or `202401` (also `2024-01`, `2024年`, `2024年第1季度`).
    pub fn parse(text: &str) -> Option<Period> {
        let t = text.trim().trim_end_matches('年');
        let digits = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
        if digits(t) {
            return t.parse().ok().map(Period::Year);
        }
        if let Some((y, q)) = t.split_once(['Q', 'q']).or_else(|| {
            t.split_once("年第")
                .map(|(y, q)| (y, q.trim_end_matches("季度")))
        }) && digits(y)
        {
            let q: u8 = q.parse().ok()?;
            let y: i32 = y.parse().ok()?;
            return (1..=4).contains(&q).then_some(Period::Quarter(y, q));
        }
        let (y, m) = match t.split_once(['-', '/']) {
            Some((y, m)) => (y, m),
            None if t.len() == 6 => t.split_at(4),
            None => return None,
        };
        if !digits(y) {
            return None;
        }
        let m: u8 = m.trim_end_matches('月').parse().ok()?;
        let y: i32 = y.parse().ok()?;
        (1..=12).contains(&m).then_some(Period::Month(y, m))
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Quarter(y, q) => write!(f, "{y}Q{q}"),
            Period::Month(y, m) => write!(f, "{y}{m:02}"),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        let text = String::deserialize(d)?;
        Period::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "not a period: {text} (write 2024, 2024Q1 or 202401)"
            ))
        })
    }
}

/// 审核状态: where a reported value stands in the review workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// 草稿: entered, not yet submitted.
    Draft,
    /// 已报送: submitted by the reporting region.
    Submitted,
    /// 已审核: approved by the parent region; reaches internal views.
    Approved,
    /// 已退回: returned by the parent region with a reason.
    Returned,
    /// 已公开: published by the plan owner; reaches public pages.
    Published,
}

impl ReviewState {
    /// `draft`, `submitted`, `approved`, `returned`, `published`: as stored and written.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Draft => "draft",
            ReviewState::Submitted => "submitted",
            ReviewState::Approved => "approved",
            ReviewState::Returned => "returned",
            ReviewState::Published => "published",
        }
    }

    /// The Chinese word for the state (草稿, 已报送, 已审核, 已退回, 已公开).
    pub fn zh(self) -> &'static str {
        match self {
            ReviewState::Draft => "草稿",
            ReviewState::Submitted => "已报送",
            ReviewState::Approved => "已审核",
            ReviewState::Returned => "已退回",
            ReviewState::Published => "已公开",
        }
    }
}

/// 数据来源: how a value entered minsheng.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    Form,
    Xlsx,
    Csv,
    Api,
    /// 模拟数据: generated demo data, labelled wherever it shows.
    Demo,
}

/// 填报数据: one reported value of an indicator for a region and period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataValue {
    /// The catalog indicator's id.
    pub indicator: String,
    /// The region's GB/T 2260 code.
    pub region: String,
    pub period: Period,
    /// The value in the indicator's unit; for rates, numerator / denominator in that unit.
    pub value: f64,
    /// 分子: for rates, what was counted.
    pub numerator: Option<f64>,
    /// 分母: for rates, what it was counted out of.
    pub denominator: Option<f64>,
    pub source: ValueSource,
    /// Who entered it (a user name).
    pub entered_by: String,
    /// When, RFC 3339 UTC.
    pub entered_at: String,
    pub comment: Option<String>,
    pub state: ReviewState,
}

impl DataValue {
    /// 模拟数据: whether this is generated demo data.
    pub fn is_simulated(&self) -> bool {
        self.source == ValueSource::Demo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_serializes_with_contract_names() {
        let t = Target {
            domain: "幼有所育".into(),
            task: Some(2),
            kind: TargetKind::Target,
            indicator: "婴儿死亡率".into(),
            op: Op::AtMost,
            value: 4.0,
            value_max: None,
            unit: "‰".into(),
            year: Some(2025),
            scope: None,
            quote: "婴儿死亡率下降到4‰".into(),
            repaired: false,
        };
        let v = serde_json::to_value(&t).unwrap();
        assert_eq!(v["op"], "<=");
        assert_eq!(v["kind"], "target");
        assert_eq!(v["task"], 2);
        assert!(v["value_max"].is_null());
    }

    #[test]
    fn periods_read_and_print_as_dhis2_does() {
        assert_eq!(Period::parse("2024"), Some(Period::Year(2024)));
        assert_eq!(Period::parse("2024Q3"), Some(Period::Quarter(2024, 3)));
        assert_eq!(Period::parse("202411"), Some(Period::Month(2024, 11)));
        assert_eq!(Period::parse("2024-02"), Some(Period::Month(2024, 2)));
        assert_eq!(
            Period::parse("2024年第2季度"),
            Some(Period::Quarter(2024, 2))
        );
        assert_eq!(Period::parse("2024Q5"), None);
        assert_eq!(Period::parse("202413"), None);
        assert_eq!(Period::Month(2024, 3).to_string(), "202403");
        assert_eq!(Period::Quarter(2024, 1).end_as_years(), 2024.25);
        assert!(Period::Quarter(2024, 4) < Period::Year(2024));
        assert!(Period::Year(2024) < Period::Quarter(2025, 1));
        assert!(Period::Month(2024, 12) < Period::Quarter(2024, 4));
        let json = serde_json::to_string(&Period::Quarter(2023, 2)).unwrap();
        assert_eq!(json, "\"2023Q2\"");
        assert!(serde_json::from_str::<Period>("\"soon\"").is_err());
    }

    #[test]
    fn domains_are_nine_and_indexed() {
        assert_eq!(DOMAINS.len(), 9);
        assert_eq!(domain_index("病有所医"), Some(3));
        assert_eq!(domain_index("总体"), None);
    }
}
