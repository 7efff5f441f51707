//! 预警: the list a department head acts on — targets off track or regressing, reports missing
//! past their deadline and tasks past due — grouped by lead unit (牵头单位) and region.

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::Date;
use minsheng_model::{Op, Period};
use serde::{Deserialize, Serialize};

use crate::progress::Status;
use crate::{AssessError, AssessFilter, AssessInput, Hierarchy, PeriodKey, assess};

/// The lead unit warnings go to when a target's task names none.
pub const NO_LEAD_UNIT: &str = "（未明确牵头单位）";

/// How often values are due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Month,
    Quarter,
    Year,
}

impl Frequency {
    /// The periods from the first of `first_year` up to and including `last_year`'s last.
    fn periods(self, first_year: i32, last_year: i32) -> Vec<Period> {
        (first_year..=last_year)
            .flat_map(|y| -> Vec<Period> {
                match self {
                    Frequency::Year => vec![Period::Year(y)],
                    Frequency::Quarter => (1..=4).map(|q| Period::Quarter(y, q)).collect(),
                    Frequency::Month => (1..=12).map(|m| Period::Month(y, m)).collect(),
                }
            })
            .collect()
    }

    /// The last period of this frequency that ended before `today`.
    pub fn last_ended(self, today: Date) -> Period {
        let (y, m) = (i32::from(today.year()), today.month() as u8);
        match self {
            Frequency::Year => Period::Year(y - 1),
            Frequency::Quarter => match (m - 1) / 3 {
                0 => Period::Quarter(y - 1, 4),
                q => Period::Quarter(y, q),
            },
            Frequency::Month => match m {
                1 => Period::Month(y - 1, 12),
                m => Period::Month(y, m - 1),
            },
        }
    }
}

/// The last day of a period, as a calendar date.
pub fn period_end_date(period: Period) -> Result<Date, AssessError> {
    let (y, m) = match period {
        Period::Year(y) => (y, 12),
        Period::Quarter(y, q) => (y, q * 3),
        Period::Month(y, m) => (y, m),
    };
    let year = i16::try_from(y).map_err(|_| AssessError::Date(format!("year {y}")))?;
    Date::new(year, m as i8, 1)
        .map(|d| d.last_of_month())
        .map_err(|e| AssessError::Date(e.to_string()))
}

/// 填报截止日: the period's last day plus `days`.
pub fn reporting_deadline(period: Period, days: i64) -> Result<Date, AssessError> {
    period_end_date(period)?
        .checked_add(days.days())
        .map_err(|e| AssessError::Date(e.to_string()))
}

/// 进展状态: where a task stands, as the responsible region reports it (the store's
/// `TaskStatus`, same names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// 未启动.
    NotStarted,
    /// 推进中.
    InProgress,
    /// 已完成.
    Done,
    /// 滞后: the region itself reports it behind schedule.
    Delayed,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
            TaskStatus::Delayed => "delayed",
        }
    }

    /// The status named by [`TaskStatus::as_str`]'s text.
    pub fn parse(text: &str) -> Option<TaskStatus> {
        Some(match text {
            "not_started" => TaskStatus::NotStarted,
            "in_progress" => TaskStatus::InProgress,
            "done" => TaskStatus::Done,
            "delayed" => TaskStatus::Delayed,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "未启动",
            TaskStatus::InProgress => "推进中",
            TaskStatus::Done => "已完成",
            TaskStatus::Delayed => "滞后",
        }
    }
}

/// One task's latest progress record in one region (the CLI passes the latest record per
/// task and region, with the task's title and lead units from its plan).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskProgress {
    /// The code of the region that carries the task out and reports on it.
    pub region: String,
    /// The code of the region whose plan the task is in.
    pub plan_region: String,
    /// Which plan (title or key).
    pub plan: String,
    pub domain: String,
    /// The task's number within its domain.
    pub task: u32,
    pub title: String,
    /// 牵头单位.
    pub lead_units: Vec<String>,
    /// 完成时限 (`"2024-12-31".parse()`); tasks without a due date are never overdue.
    pub due: Date,
    pub status: TaskStatus,
    /// What was done, in the region's words.
    pub narrative: String,
    /// 模拟数据.
    pub simulated: bool,
}

/// What [`warnings`] looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningOptions {
    /// The date deadlines are held against.
    pub today: Date,
    /// The period targets are assessed at; default: the last period of `frequency` that
    /// ended before `today`.
    pub as_of: Option<Period>,
    /// Days after a period ends that its values are due (default 30).
    pub deadline_days: i64,
    /// How often values are due (default quarterly).
    pub frequency: Frequency,
    /// Only lead units whose name contains this (卫生健康 matches 省卫生健康委 and 州卫生健康委).
    pub unit: Option<String>,
    /// Only this region and those below it.
    pub region: Option<String>,
}

impl WarningOptions {
    /// Defaults: due 30 days after a quarter ends, assessed at the last quarter ended.
    pub fn new(today: Date) -> WarningOptions {
        WarningOptions {
            today,
            as_of: None,
            deadline_days: 30,
            frequency: Frequency::Quarter,
            unit: None,
            region: None,
        }
    }
}

/// A target off track or regressing in one region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetWarning {
    pub indicator: String,
    pub indicator_name: String,
    pub target_region: String,
    pub status: Status,
    pub ratio: Option<f64>,
    pub latest: Option<f64>,
    pub latest_period: Option<Period>,
    pub op: Op,
    pub target: f64,
    pub target_year: i32,
    pub projected: Option<f64>,
    pub quote: String,
    pub plan: String,
    pub simulated: bool,
}

/// A value not reported by its deadline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingReport {
    pub indicator: String,
    pub indicator_name: String,
    pub period: Period,
    pub deadline: Date,
    pub days_overdue: i64,
}

/// A task not done by its due date, or reported 滞后 (delayed) before it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverdueTask {
    pub plan_region: String,
    pub plan: String,
    pub domain: String,
    pub task: u32,
    pub title: String,
    pub due: Date,
    /// Days past due; 0 for a delayed task not yet due.
    pub days_overdue: i64,
    pub status: TaskStatus,
    pub narrative: String,
    pub simulated: bool,
}

/// Everything one lead unit has to act on in one region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WarningGroup {
    pub lead_unit: String,
    pub region: String,
    pub region_name: Option<String>,
    /// R < 0, worst first.
    pub regressing: Vec<TargetWarning>,
    /// Needs acceleration or limited progress, lowest R first.
    pub off_track: Vec<TargetWarning>,
    /// By indicator, then period.
    pub missing_reports: Vec<MissingReport>,
    /// Not done and past due, earliest due first.
    pub overdue_tasks: Vec<OverdueTask>,
    /// Reported 滞后 by the region and not yet due, earliest due first.
    pub delayed_tasks: Vec<OverdueTask>,
    /// 模拟数据: true when anything listed comes from demo data.
    pub simulated: bool,
}

/// 预警: assesses every target at `options.as_of` and lists, per lead unit and region,
/// regressing and off-track targets, values missing past their reporting deadline, tasks not
/// done by their due date, and tasks the region reports 滞后 (delayed) before they are due. A warning goes to every lead unit of the target's task (to
/// [`NO_LEAD_UNIT`] when it names none).
///
/// Expected reports: for an indicator that aggregates, every region without children (the
/// counties) below the region of a target for it; for one that does not, every region the
/// target applies to. Periods: each of `frequency` from the start of the plan's first year
/// (the target year − 2 when the plan's years are unknown) to the end of the target year,
/// whose deadline — the period's last day plus `deadline_days`, computed with `jiff` — is
/// before `today`. A value counts only for exactly the period expected.
pub fn warnings(
    input: &AssessInput<'_>,
    tasks: &[TaskProgress],
    options: &WarningOptions,
) -> Result<Vec<WarningGroup>, AssessError> {
    let h = input.hierarchy;
    let as_of = options
        .as_of
        .unwrap_or_else(|| options.frequency.last_ended(options.today));
    let filter = AssessFilter {
        region: options.region.clone(),
        ..AssessFilter::default()
    };
    let assessed = assess(input, as_of, &filter)?;
    let scope = options
        .region
        .as_deref()
        .map(|c| h.require(c))
        .transpose()?;
    let mut groups: BTreeMap<(String, String), WarningGroup> = BTreeMap::new();
    let units_of = |units: &[String]| -> Vec<String> {
        if units.is_empty() {
            vec![NO_LEAD_UNIT.to_string()]
        } else {
            units.to_vec()
        }
    };
    for a in &assessed {
        if a.status != Status::Regressing && !a.status.is_off_track() {
            continue;
        }
        let target = &input.targets[a.target_index as usize];
        let info = input.indicators.get(input.indicators.require(a.indicator)?);
        let region = h.require(a.region)?;
        let w = TargetWarning {
            indicator: a.indicator.to_string(),
            indicator_name: info.name.clone(),
            target_region: a.target_region.to_string(),
            status: a.status,
            ratio: a.ratio,
            latest: a.latest,
            latest_period: a.latest_period,
            op: a.op,
            target: a.target,
            target_year: a.target_year,
            projected: a.projected,
            quote: target.quote.clone(),
            plan: target.plan.clone(),
            simulated: a.simulated,
        };
        for unit in units_of(&target.lead_units) {
            let g = group(&mut groups, h, &unit, region);
            g.simulated |= w.simulated;
            if a.status == Status::Regressing {
                g.regressing.push(w.clone());
            } else {
                g.off_track.push(w.clone());
            }
        }
    }

    for e in crate::completeness::expected_reports(input, options.region.as_deref())? {
        let (r, i) = (e.region, e.indicator);
        let info = input.indicators.get(i);
        let target = &input.targets[e.target as usize];
        let first = e.first_year;
        let series = input.table.series(r, i);
        let mut missing = Vec::new();
        for period in options.frequency.periods(first, target.year) {
            let deadline = reporting_deadline(period, options.deadline_days)?;
            if deadline >= options.today {
                break;
            }
            if series.find(PeriodKey::of(period)).is_none() {
                let days_overdue = deadline
                    .until(options.today)
                    .map_err(|e| AssessError::Date(e.to_string()))?
                    .get_days();
                missing.push(MissingReport {
                    indicator: info.id.clone(),
                    indicator_name: info.name.clone(),
                    period,
                    deadline,
                    days_overdue: i64::from(days_overdue),
                });
            }
        }
        if missing.is_empty() {
            continue;
        }
        for unit in units_of(&target.lead_units) {
            group(&mut groups, h, &unit, r)
                .missing_reports
                .extend(missing.iter().cloned());
        }
    }

    for task in tasks {
        let region = h.require(&task.region)?;
        let overdue = task.due < options.today;
        if scope.is_some_and(|s| !h.is_within(region, s))
            || task.status == TaskStatus::Done
            || (!overdue && task.status != TaskStatus::Delayed)
        {
            continue;
        }
        let days_overdue = if overdue {
            task.due
                .until(options.today)
                .map_err(|e| AssessError::Date(e.to_string()))?
                .get_days()
        } else {
            0
        };
        let o = OverdueTask {
            plan_region: task.plan_region.clone(),
            plan: task.plan.clone(),
            domain: task.domain.clone(),
            task: task.task,
            title: task.title.clone(),
            due: task.due,
            days_overdue: i64::from(days_overdue),
            status: task.status,
            narrative: task.narrative.clone(),
            simulated: task.simulated,
        };
        for unit in units_of(&task.lead_units) {
            let g = group(&mut groups, h, &unit, region);
            g.simulated |= o.simulated;
            if overdue {
                g.overdue_tasks.push(o.clone());
            } else {
                g.delayed_tasks.push(o.clone());
            }
        }
    }

    let ratio_key = |w: &TargetWarning| w.ratio.unwrap_or(f64::NEG_INFINITY);
    let mut out: Vec<WarningGroup> = groups
        .into_values()
        .filter(|g| {
            options
                .unit
                .as_deref()
                .is_none_or(|u| g.lead_unit.contains(u))
        })
        .collect();
    for g in &mut out {
        g.regressing
            .sort_by(|a, b| ratio_key(a).total_cmp(&ratio_key(b)));
        g.off_track
            .sort_by(|a, b| ratio_key(a).total_cmp(&ratio_key(b)));
        g.missing_reports
            .sort_by(|a, b| (&a.indicator, a.period).cmp(&(&b.indicator, b.period)));
        g.overdue_tasks.sort_by_key(|t| t.due);
        g.delayed_tasks.sort_by_key(|t| t.due);
    }
    Ok(out)
}

/// The group for a lead unit and region, made on first use.
fn group<'g>(
    groups: &'g mut BTreeMap<(String, String), WarningGroup>,
    h: &Hierarchy,
    unit: &str,
    region: u32,
) -> &'g mut WarningGroup {
    let code = h.code(region).to_string();
    groups
        .entry((unit.to_string(), code.clone()))
        .or_insert_with(|| WarningGroup {
            lead_unit: unit.to_string(),
            region: code,
            region_name: h.name(region).map(str::to_string),
            regressing: Vec::new(),
            off_track: Vec::new(),
            missing_reports: Vec::new(),
            overdue_tasks: Vec::new(),
            delayed_tasks: Vec::new(),
            simulated: false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn deadlines_come_from_the_calendar() {
        assert_eq!(
            reporting_deadline(Period::Quarter(2024, 1), 30).unwrap(),
            date(2024, 4, 30)
        );
        // 2024 is a leap year: February has 29 days.
        assert_eq!(
            reporting_deadline(Period::Month(2024, 2), 30).unwrap(),
            date(2024, 3, 30)
        );
        assert_eq!(
            reporting_deadline(Period::Year(2023), 30).unwrap(),
            date(2024, 1, 30)
        );
        assert_eq!(
            Frequency::Quarter.last_ended(date(2025, 1, 15)),
            Period::Quarter(2024, 4)
        );
        assert_eq!(
            Frequency::Quarter.last_ended(date(2025, 8, 1)),
            Period::Quarter(2025, 2)
        );
        assert_eq!(
            Frequency::Month.last_ended(date(2025, 1, 15)),
            Period::Month(2024, 12)
        );
    }
}
