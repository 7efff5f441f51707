//! 样例: a small, deterministic 模拟数据 province (three prefectures, eight counties, five
//! indicators) evaluated by `minsheng_evaluate::evaluate` twice (2023 as the previous run,
//! 2024Q4 as this one), for the example and the tests. Not real data: labelled simulated.

use minsheng_assess::{Assessment, Hierarchy, Method, RegionInput, Status};
use minsheng_catalog::Polarity;
use minsheng_evaluate::{
    CrossSection, EvaluationInput, EvaluationKind, EvaluationResult, IndicatorMeta, WeightsConfig,
    evaluate,
};
use minsheng_model::{Op, Period, RegionLevel};

use crate::input::{
    DomainTasks, IndicatorInfo, PlanInfo, PlanTarget, RegionInfo, ReportInput, TaskInfo,
    TrendSeries,
};

/// (code, name, parent, level, county kind)
const REGIONS: [(&str, &str, Option<&str>, RegionLevel, &str); 12] = [
    ("530000", "云南省", None, RegionLevel::Province, ""),
    (
        "530100",
        "昆明市",
        Some("530000"),
        RegionLevel::Prefecture,
        "",
    ),
    (
        "532300",
        "楚雄州",
        Some("530000"),
        RegionLevel::Prefecture,
        "",
    ),
    (
        "530800",
        "普洱市",
        Some("530000"),
        RegionLevel::Prefecture,
        "",
    ),
    (
        "530102",
        "五华区",
        Some("530100"),
        RegionLevel::County,
        "district",
    ),
    (
        "530124",
        "富民县",
        Some("530100"),
        RegionLevel::County,
        "county",
    ),
    (
        "530181",
        "安宁市",
        Some("530100"),
        RegionLevel::County,
        "city",
    ),
    (
        "532301",
        "楚雄市",
        Some("532300"),
        RegionLevel::County,
        "city",
    ),
    (
        "532322",
        "双柏县",
        Some("532300"),
        RegionLevel::County,
        "county",
    ),
    (
        "532331",
        "禄丰县",
        Some("532300"),
        RegionLevel::County,
        "county",
    ),
    (
        "530802",
        "思茅区",
        Some("530800"),
        RegionLevel::County,
        "district",
    ),
    (
        "530821",
        "宁洱县",
        Some("530800"),
        RegionLevel::County,
        "county",
    ),
];

/// (id, name, unit, domain, polarity, op, target, baseline around, task number, lead unit)
type Ind = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Polarity,
    Op,
    f64,
    f64,
    &'static str,
);
const INDICATORS: [Ind; 5] = [
    (
        "nursery_places",
        "每千人口拥有3岁以下婴幼儿托位数",
        "个",
        "幼有所育",
        Polarity::HigherIsBetter,
        Op::AtLeast,
        4.5,
        2.0,
        "省卫生健康委",
    ),
    (
        "preschool_enrolment",
        "学前教育毛入园率",
        "%",
        "学有所教",
        Polarity::HigherIsBetter,
        Op::AtLeast,
        92.0,
        86.0,
        "省教育厅",
    ),
    (
        "pension_coverage",
        "基本养老保险参保率",
        "%",
        "劳有所得",
        Polarity::HigherIsBetter,
        Op::AtLeast,
        95.0,
        90.0,
        "省人力资源社会保障厅",
    ),
    (
        "infant_mortality",
        "婴儿死亡率",
        "‰",
        "病有所医",
        Polarity::LowerIsBetter,
        Op::AtMost,
        5.0,
        7.0,
        "省卫生健康委",
    ),
    (
        "nursing_beds",
        "养老机构护理型床位占比",
        "%",
        "老有所养",
        Polarity::HigherIsBetter,
        Op::AtLeast,
        60.0,
        45.0,
        "省民政厅",
    ),
];

/// A deterministic number in [0, 1) from two indexes (no randomness, the same every run).
fn jitter(a: usize, b: usize, salt: u64) -> f64 {
    let mut x = (a as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (b as u64 + 7).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ salt;
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 32;
    (x % 10_000) as f64 / 10_000.0
}

/// Baseline (2022) and value at `progress` (0 … 1 of the plan's time) of indicator `i` in
/// region `r`: some regions move fast, some slowly, a few backwards.
fn values(r: usize, i: usize, progress: f64) -> (f64, f64) {
    let (_, _, _, _, _, _, target, base, _) = INDICATORS[i];
    let b = base * (0.9 + 0.2 * jitter(r, i, 1));
    // −0.3 … 1.3 of the needed pace, differing a little from run to run.
    let pace = 1.6 * jitter(r, i, 2) - 0.3 + 1.2 * (jitter(r, i, (progress * 100.0) as u64) - 0.5);
    (b, b + (target - b) * pace * progress)
}

fn status(op: Op, target: f64, b: f64, y: f64, progress: f64) -> Status {
    let met = match op {
        Op::AtMost => y <= target,
        _ => y >= target,
    };
    if met {
        return Status::Achieved;
    }
    let ratio = (y - b) / (target - b) / progress;
    match ratio {
        r if r >= 0.95 => Status::OnTrack,
        r if r >= 0.6 => Status::NeedsAcceleration,
        r if r >= 0.0 => Status::LimitedProgress,
        _ => Status::Regressing,
    }
}

fn run(
    h: &Hierarchy,
    as_of: Period,
    progress: f64,
    previous: Option<&EvaluationResult>,
) -> EvaluationResult {
    let metas: Vec<IndicatorMeta> = INDICATORS
        .iter()
        .map(|i| IndicatorMeta {
            id: i.0.into(),
            domain: Some(i.3.into()),
            polarity: i.4,
        })
        .collect();
    let mut assessments = Vec::new();
    for (r, reg) in REGIONS.iter().enumerate() {
        for (i, ind) in INDICATORS.iter().enumerate() {
            let (b, y) = values(r, i, progress);
            assessments.push(Assessment {
                region: reg.0,
                indicator: ind.0,
                target_region: "530000",
                op: ind.5,
                target: ind.6,
                target_year: 2025,
                baseline: Some(b),
                baseline_period: Some(Period::Year(2022)),
                latest: Some(y),
                latest_period: Some(as_of),
                ratio: None,
                projected: None,
                status: status(ind.5, ind.6, b, y, progress),
                method: Method::OpenSdgRatio,
                baseline_source: None,
                note: None,
                aggregated: reg.3 != RegionLevel::County,
                incomplete: false,
                simulated: true,
                target_index: i as u32,
            });
        }
    }
    let mut sections = Vec::new();
    for (i, ind) in INDICATORS.iter().enumerate() {
        for (period, p) in [(Period::Year(2022), 0.0), (as_of, progress)] {
            sections.push(CrossSection {
                indicator: ind.0.into(),
                period,
                values: REGIONS
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| g.3 == RegionLevel::County)
                    .map(|(r, g)| (h.index_of(g.0).unwrap_or(0), values(r, i, p).1))
                    .collect(),
            });
        }
    }
    let run_id = format!("sample-{as_of}");
    evaluate(&EvaluationInput {
        run_id: &run_id,
        kind: EvaluationKind::Midterm,
        as_of,
        baseline: Some(Period::Year(2022)),
        scope: Some("530000"),
        hierarchy: h,
        indicators: &metas,
        assessments: &assessments,
        values: &sections,
        population: None,
        weights: &WeightsConfig::default(),
        external: &[],
        previous,
    })
    .expect("the sample data is consistent")
}

/// The sample's evaluation at 2024Q4, with a 2023 run as the previous one.
pub fn result() -> EvaluationResult {
    let h = Hierarchy::new(REGIONS.iter().map(|g| RegionInput {
        code: g.0.into(),
        parent: g.2.map(Into::into),
        level: g.3,
        name: Some(g.1.into()),
        kind: (!g.4.is_empty()).then(|| g.4.into()),
    }))
    .expect("the sample hierarchy is consistent");
    let previous = run(&h, Period::Year(2023), 0.33, None);
    run(&h, Period::Quarter(2024, 4), 0.67, Some(&previous))
}

/// The report input over [`result`], labelled 模拟数据.
pub fn input(result: &EvaluationResult) -> ReportInput<'_> {
    ReportInput {
        result,
        plan: PlanInfo {
            title: "云南省基本公共服务提升三年行动计划（2023—2025年）".into(),
            region_name: "云南省".into(),
            years: Some([2023, 2025]),
        },
        region: "530000".into(),
        created_at: "2025-01-20 09:00".into(),
        published: true,
        simulated: true,
        regions: REGIONS
            .iter()
            .map(|g| RegionInfo {
                code: g.0.into(),
                name: g.1.into(),
                level: g.3,
                parent: g.2.map(Into::into),
            })
            .collect(),
        indicators: INDICATORS
            .iter()
            .map(|i| IndicatorInfo {
                id: i.0.into(),
                name: i.1.into(),
                unit: i.2.into(),
                domain: Some(i.3.into()),
            })
            .collect(),
        targets: INDICATORS
            .iter()
            .map(|i| PlanTarget {
                indicator: i.0.into(),
                op: i.5,
                value: i.6,
                year: Some(2025),
                domain: i.3.into(),
                task: Some(1),
            })
            .collect(),
        domains: INDICATORS
            .iter()
            .map(|i| DomainTasks {
                name: i.3.into(),
                tasks: vec![TaskInfo {
                    number: 1,
                    title: format!("提升{}水平", i.1),
                    lead: vec![i.8.into()],
                }],
            })
            .collect(),
        trends: [0usize, 3]
            .iter()
            .map(|&i| TrendSeries {
                indicator: INDICATORS[i].0.into(),
                region: "530000".into(),
                values: [
                    (Period::Year(2022), 0.0),
                    (Period::Year(2023), 0.33),
                    (Period::Quarter(2024, 4), 0.67),
                ]
                .iter()
                .map(|(p, x)| (*p, values(0, i, *x).1))
                .collect(),
                target: Some((INDICATORS[i].6, 2025)),
            })
            .collect(),
    }
}
