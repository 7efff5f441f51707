//! Warnings: off-track and regressing targets, reports missing past their deadline, overdue
//! tasks — grouped by lead unit and region.

mod common;

use common::*;
use jiff::civil::date;
use minsheng_assess::{
    AssessInput, Status, TaskProgress, TaskStatus, ValueTable, WarningOptions, report, warnings,
};
use minsheng_model::{Op, Period};

fn task(title: &str, due: jiff::civil::Date, status: TaskStatus) -> TaskProgress {
    TaskProgress {
        region: CHUXIONG.into(),
        plan_region: CHUXIONG.into(),
        plan: "楚雄州2023年度工作要点".into(),
        domain: "幼有所育".into(),
        task: 1,
        title: title.into(),
        lead_units: vec!["州卫生健康委".into(), "州教育体育局".into()],
        due,
        status,
        narrative: "已完成60%".into(),
        simulated: false,
    }
}

#[test]
fn groups_by_lead_unit_and_region() {
    let (h, inds) = (hierarchy(), indicators());
    let mut vacc = target(YUNNAN, "vaccination", Op::AtLeast, 95.0);
    vacc.lead_units = vec!["省卫生健康委".into()];
    let mut infant = target(YUNNAN, "infant_mortality", Op::AtMost, 4.0);
    infant.lead_units = vec![];
    let targets = vec![vacc, infant];
    // Every county reports vaccination for every quarter 2023Q1–2024Q4 except: 双柏县 misses
    // 2024Q4. 五华区 falls (regressing), 盘龙区 lags (needs acceleration), 楚雄市 achieves.
    let mut values = Vec::new();
    let path = |county: &str, end: f64| -> Vec<minsheng_model::DataValue> {
        let mut v = vec![value(county, "vaccination", "2022Q4", 80.0)];
        for (k, p) in [
            "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4",
        ]
        .iter()
        .enumerate()
        {
            v.push(value(
                county,
                "vaccination",
                p,
                80.0 + (end - 80.0) * (k as f64 + 1.0) / 8.0,
            ));
        }
        v
    };
    values.extend(path(WUHUA, 78.0));
    values.extend(path(PANLONG, 87.0));
    values.extend(path(CHUXIONG_CITY, 96.0));
    values.extend(
        path(SHUANGBAI, 92.0)
            .into_iter()
            .filter(|v| v.period != Period::Quarter(2024, 4)),
    );
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let input = AssessInput {
        hierarchy: &h,
        indicators: &inds,
        table: &table,
        targets: &targets,
    };
    let tasks = vec![
        task(
            "推进托育服务体系建设",
            date(2024, 12, 31),
            TaskStatus::InProgress,
        ),
        task("已完成的任务", date(2024, 6, 30), TaskStatus::Done),
        task("尚未到期的任务", date(2025, 6, 30), TaskStatus::NotStarted),
        task("自报滞后的任务", date(2025, 6, 30), TaskStatus::Delayed),
    ];
    // 15 Feb 2025: the last quarter ended is 2024Q4; its values were due 30 Jan 2025.
    let options = WarningOptions::new(date(2025, 2, 15));
    let groups = warnings(&input, &tasks, &options).unwrap();
    let find = |unit: &str, region: &str| {
        groups
            .iter()
            .find(|g| g.lead_unit == unit && g.region == region)
            .unwrap_or_else(|| panic!("no group {unit} {region}: {groups:#?}"))
    };
    let g = find("省卫生健康委", WUHUA);
    assert_eq!(g.regressing.len(), 1);
    assert_eq!(g.regressing[0].status, Status::Regressing);
    let g = find("省卫生健康委", PANLONG);
    assert_eq!(g.off_track.len(), 1);
    assert_eq!(g.off_track[0].status, Status::NeedsAcceleration);
    // 双柏县 did not report 2024Q4, due 2025-01-30: 16 days overdue on 15 Feb.
    let g = find("省卫生健康委", SHUANGBAI);
    assert_eq!(g.missing_reports.len(), 1);
    let m = &g.missing_reports[0];
    assert_eq!(
        (m.period, m.deadline, m.days_overdue),
        (Period::Quarter(2024, 4), date(2025, 1, 30), 16)
    );
    // Infant mortality has no lead unit and nobody reported it: every county misses all eight
    // quarters 2023Q1–2024Q4, listed under the placeholder unit.
    let g = find(minsheng_assess::NO_LEAD_UNIT, CHUXIONG_CITY);
    assert_eq!(g.missing_reports.len(), 8);
    // The task past due goes to both its lead units, 46 days overdue (31 Dec → 15 Feb).
    for unit in ["州卫生健康委", "州教育体育局"] {
        let g = find(unit, CHUXIONG);
        assert_eq!(g.overdue_tasks.len(), 1);
        assert_eq!(g.overdue_tasks[0].days_overdue, 46);
        assert_eq!(g.overdue_tasks[0].title, "推进托育服务体系建设");
        // Reported 滞后 before its due date: listed apart, 0 days overdue.
        assert_eq!(g.delayed_tasks.len(), 1);
        assert_eq!(g.delayed_tasks[0].days_overdue, 0);
    }
    // 楚雄市 achieved: no vaccination warning for it.
    assert!(
        !groups
            .iter()
            .any(|g| g.region == CHUXIONG_CITY && g.lead_unit == "省卫生健康委")
    );

    // Filters: a unit name fragment and a region subtree.
    let mut only = options.clone();
    only.unit = Some("教育".into());
    let groups = warnings(&input, &tasks, &only).unwrap();
    assert!(groups.iter().all(|g| g.lead_unit == "州教育体育局"));
    assert_eq!(groups.len(), 1);
    let mut only = options.clone();
    only.region = Some(KUNMING.into());
    let groups = warnings(&input, &tasks, &only).unwrap();
    assert!(
        groups
            .iter()
            .all(|g| [KUNMING, WUHUA, PANLONG].contains(&g.region.as_str()))
    );
    let text = report::warnings_text(&groups);
    assert!(text.contains("倒退"), "{text}");
}
