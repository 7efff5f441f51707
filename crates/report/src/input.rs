//! 报告输入: the view model a caller (CLI or web) fills from a stored run and the plan.

use minsheng_evaluate::EvaluationResult;
use minsheng_model::{Op, Period, Plan, RegionLevel, Target, TargetKind};

/// Everything a report shows besides the run's numbers.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    pub result: &'a EvaluationResult,
    pub plan: PlanInfo,
    /// The code of the plan's region: the scope of the report's tables.
    pub region: String,
    /// When the run was made, as the caller writes it (2025-01-15 10:00).
    pub created_at: String,
    /// 已公开: whether the run is published (the 公示 needs it).
    pub published: bool,
    /// 模拟数据: when true every output says so prominently.
    pub simulated: bool,
    pub regions: Vec<RegionInfo>,
    pub indicators: Vec<IndicatorInfo>,
    pub targets: Vec<PlanTarget>,
    pub domains: Vec<DomainTasks>,
    /// A few headline indicators: value per period against the target trajectory.
    pub trends: Vec<TrendSeries>,
}

/// The plan the run evaluates.
#[derive(Debug, Clone, Default)]
pub struct PlanInfo {
    pub title: String,
    /// 云南省, 楚雄州 …
    pub region_name: String,
    pub years: Option<[i32; 2]>,
}

/// A region's name and place.
#[derive(Debug, Clone)]
pub struct RegionInfo {
    pub code: String,
    pub name: String,
    pub level: RegionLevel,
    pub parent: Option<String>,
}

/// An indicator's name and unit (指标名称, 计量单位).
#[derive(Debug, Clone)]
pub struct IndicatorInfo {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub domain: Option<String>,
}

/// A target of the plan, linked to its catalog indicator.
#[derive(Debug, Clone)]
pub struct PlanTarget {
    /// The catalog id.
    pub indicator: String,
    pub op: Op,
    pub value: f64,
    pub year: Option<i32>,
    pub domain: String,
    /// The task's number within its domain, when the target stands in a task.
    pub task: Option<u32>,
}

/// A domain's tasks with their lead units.
#[derive(Debug, Clone)]
pub struct DomainTasks {
    pub name: String,
    pub tasks: Vec<TaskInfo>,
}

/// A key task (重点任务) and its 牵头单位 (lead units).
#[derive(Debug, Clone)]
pub struct TaskInfo {
    pub number: u32,
    pub title: String,
    pub lead: Vec<String>,
}

/// A headline indicator's values in one region, and its target.
#[derive(Debug, Clone)]
pub struct TrendSeries {
    pub indicator: String,
    pub region: String,
    /// Values in period order.
    pub values: Vec<(Period, f64)>,
    /// The target value and its year: the trajectory runs straight from the first value to it.
    pub target: Option<(f64, i32)>,
}

impl TrendSeries {
    /// The target trajectory (目标轨迹) at `period`: linear from the first value to the target
    /// at the end of the target year, by where periods end ([`Period::end_as_years`]).
    pub fn trajectory_at(&self, period: Period) -> Option<f64> {
        let (p0, v0) = *self.values.first()?;
        let (t, year) = self.target?;
        let (x0, x1) = (p0.end_as_years(), Period::Year(year).end_as_years());
        if x1 <= x0 {
            return None;
        }
        Some(v0 + (t - v0) * (period.end_as_years() - x0) / (x1 - x0))
    }
}

impl ReportInput<'_> {
    /// Plan info, targets (goals for the plan's end, linked by `link` to a catalog id) and
    /// tasks with lead units, from a parsed [`Plan`].
    pub fn plan_parts(
        plan: &Plan,
        link: impl Fn(&Target) -> Option<String>,
    ) -> (PlanInfo, Vec<PlanTarget>, Vec<DomainTasks>) {
        let info = PlanInfo {
            title: plan.title.clone(),
            region_name: plan.region.clone().unwrap_or_default(),
            years: plan.years,
        };
        let targets = plan
            .targets
            .iter()
            .filter(|t| t.kind == TargetKind::Target)
            .filter_map(|t| {
                Some(PlanTarget {
                    indicator: link(t)?,
                    op: t.op,
                    value: t.value,
                    year: t.year,
                    domain: t.domain.clone(),
                    task: t.task,
                })
            })
            .collect();
        let domains = plan
            .domains
            .iter()
            .map(|d| DomainTasks {
                name: d.name.clone(),
                tasks: d
                    .tasks
                    .iter()
                    .map(|t| TaskInfo {
                        number: t.number,
                        title: t.title.clone(),
                        lead: t.responsibility.lead.clone(),
                    })
                    .collect(),
            })
            .collect();
        (info, targets, domains)
    }

    pub(crate) fn region_name<'s>(&'s self, code: &'s str) -> &'s str {
        self.regions
            .iter()
            .find(|r| r.code == code)
            .map_or(code, |r| r.name.as_str())
    }

    pub(crate) fn region(&self, code: &str) -> Option<&RegionInfo> {
        self.regions.iter().find(|r| r.code == code)
    }

    pub(crate) fn indicator(&self, id: &str) -> Option<&IndicatorInfo> {
        self.indicators.iter().find(|i| i.id == id)
    }

    pub(crate) fn indicator_name<'s>(&'s self, id: &'s str) -> &'s str {
        self.indicator(id).map_or(id, |i| i.name.as_str())
    }

    /// The report's scope: the run's scope, else the plan's region.
    pub(crate) fn scope(&self) -> &str {
        self.result.scope.as_deref().unwrap_or(&self.region)
    }

    /// 牵头单位 of the task a target of `indicator` stands in.
    pub(crate) fn lead_of(&self, indicator: &str) -> Option<(String, String)> {
        let t = self.targets.iter().find(|t| t.indicator == indicator)?;
        let n = t.task?;
        let task = self
            .domains
            .iter()
            .find(|d| d.name == t.domain)?
            .tasks
            .iter()
            .find(|k| k.number == n)?;
        Some((task.lead.join("、"), task.title.clone()))
    }

    /// The plan's target text for an indicator: "≥ 95%（2025年）".
    pub(crate) fn target_text(&self, indicator: &str) -> String {
        let Some(t) = self.targets.iter().find(|t| t.indicator == indicator) else {
            return String::new();
        };
        let unit = self.indicator(indicator).map_or("", |i| i.unit.as_str());
        let op = match t.op {
            Op::AtLeast => "≥",
            Op::AtMost => "≤",
            Op::Equal => "=",
        };
        let year = t.year.map(|y| format!("（{y}年）")).unwrap_or_default();
        format!("{op} {}{unit}{year}", fmt_num(t.value))
    }
}

/// A number as a report prints it: up to two decimals, no trailing zeros.
pub(crate) fn fmt_num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trajectory_runs_from_first_value_to_target() {
        let t = TrendSeries {
            indicator: "x".into(),
            region: "r".into(),
            values: vec![(Period::Year(2022), 80.0), (Period::Year(2023), 84.0)],
            target: Some((95.0, 2025)),
        };
        assert_eq!(t.trajectory_at(Period::Year(2022)), Some(80.0));
        assert_eq!(t.trajectory_at(Period::Year(2025)), Some(95.0));
        assert_eq!(t.trajectory_at(Period::Year(2023)), Some(85.0));
    }

    #[test]
    fn numbers_print_without_trailing_zeros() {
        assert_eq!(fmt_num(95.0), "95");
        assert_eq!(fmt_num(4.50), "4.5");
    }
}
