//! Assessment against hand-computed examples: one per status, lower-is-better, the linear
//! variant, which target applies, and the baseline rules.
//!
//! Times are where periods end, in years: the 2022 baseline at 2023.0, 2024Q4 and the annual
//! 2024 value at 2025.0, a 2025 target at 2026.0. So with a 2022 baseline, the observed span
//! to 2024Q4 is 2 years and the span to the target 3 years.

mod common;

use common::*;
use minsheng_assess::{
    AssessFilter, AssessInput, Assessment, BaselineSource, Method, Note, Status, TargetRef,
    ValueTable, assess,
};
use minsheng_model::{DataValue, Op, Period};

fn run<'a>(
    h: &'a minsheng_assess::Hierarchy,
    inds: &'a minsheng_assess::IndicatorSet,
    table: &'a ValueTable,
    targets: &'a [TargetRef],
    as_of: &str,
) -> Vec<Assessment<'a>> {
    let input = AssessInput {
        hierarchy: h,
        indicators: inds,
        table,
        targets,
    };
    assess(
        &input,
        Period::parse(as_of).unwrap(),
        &AssessFilter::default(),
    )
    .unwrap()
}

fn find<'a, 'b>(rows: &'b [Assessment<'a>], region: &str, indicator: &str) -> &'b Assessment<'a> {
    rows.iter()
        .find(|a| a.region == region && a.indicator == indicator)
        .unwrap_or_else(|| panic!("no assessment for {region} {indicator}"))
}

/// Vaccination ≥95% by 2025 for the province; each county's baseline 80 in 2022.
fn vaccination_case(latest_2024q4: &[(&str, f64)]) -> (Vec<DataValue>, Vec<TargetRef>) {
    let mut values = Vec::new();
    for (county, latest) in latest_2024q4 {
        values.push(value(county, "vaccination", "2022", 80.0));
        values.push(value(county, "vaccination", "2024Q4", *latest));
    }
    let targets = vec![target(YUNNAN, "vaccination", Op::AtLeast, 95.0)];
    (values, targets)
}

#[test]
fn each_status_by_hand() {
    let (h, inds) = (hierarchy(), indicators());
    // CAGR required = (95/80)^(1/3) − 1 = 0.058956 for every county.
    let (values, targets) = vaccination_case(&[
        (WUHUA, 90.0),         // on track
        (PANLONG, 87.0),       // needs acceleration
        (CHUXIONG_CITY, 82.0), // limited progress
        (SHUANGBAI, 78.0),     // regressing
    ]);
    let (table, skipped) = ValueTable::from_values(&values, &h, &inds);
    assert!(skipped.is_empty());
    let rows = run(&h, &inds, &table, &targets, "2024Q4");

    // 五华区: CAGR observed = (90/80)^(1/2) − 1 = 0.060660; R = 0.060660 / 0.058956 = 1.0289
    // ≥ 0.95 → on track; projected 80 · 1.060660^3 = 95.459.
    let a = find(&rows, WUHUA, "vaccination");
    assert!(close(a.ratio.unwrap(), 1.028_907_638), "{a:?}");
    assert!(close(a.projected.unwrap(), 95.459_415_46));
    assert_eq!(a.status, Status::OnTrack);
    assert_eq!(a.method, Method::OpenSdgRatio);
    assert_eq!(a.baseline, Some(80.0));
    assert_eq!(a.baseline_period, Some(Period::Year(2022)));
    assert_eq!(a.baseline_source, Some(BaselineSource::OwnBeforePlan));
    assert_eq!(a.latest_period, Some(Period::Quarter(2024, 4)));
    assert_eq!(a.target_region, YUNNAN);

    // 盘龙区: (87/80)^(1/2) − 1 = 0.042833; R = 0.7265 → needs acceleration; projected 90.73.
    let a = find(&rows, PANLONG, "vaccination");
    assert!(close(a.ratio.unwrap(), 0.726_520_731), "{a:?}");
    assert!(close(a.projected.unwrap(), 90.726_443_22));
    assert_eq!(a.status, Status::NeedsAcceleration);

    // 楚雄市: (82/80)^(1/2) − 1 = 0.012423; R = 0.2107 → limited progress.
    let a = find(&rows, CHUXIONG_CITY, "vaccination");
    assert!(close(a.ratio.unwrap(), 0.210_714_066), "{a:?}");
    assert_eq!(a.status, Status::LimitedProgress);

    // 双柏县: (78/80)^(1/2) − 1 = −0.012579; R = −0.2134 → regressing.
    let a = find(&rows, SHUANGBAI, "vaccination");
    assert!(close(a.ratio.unwrap(), -0.213_364_870), "{a:?}");
    assert_eq!(a.status, Status::Regressing);
}

#[test]
fn achieved_when_the_latest_value_meets_the_target() {
    let (h, inds) = (hierarchy(), indicators());
    // 96 ≥ 95: achieved, whatever R says; R = ((96/80)^(1/2) − 1)/0.058956 = 1.6189 is shown.
    let (values, targets) = vaccination_case(&[(WUHUA, 96.0)]);
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let rows = run(&h, &inds, &table, &targets, "2024Q4");
    let a = find(&rows, WUHUA, "vaccination");
    assert_eq!(a.status, Status::Achieved);
    assert_eq!(a.method, Method::AchievedCheck);
    assert!(close(
        a.ratio.unwrap(),
        ((96.0f64 / 80.0).sqrt() - 1.0) / 0.058_955_896_06
    ));
}

#[test]
fn lower_is_better_infant_mortality() {
    let (h, inds) = (hierarchy(), indicators());
    // 婴儿死亡率 from 5‰ (2022) to a ceiling of 4‰ by 2025; d = −1.
    // CAGR required = (4/5)^(1/3) − 1 = −0.071682.
    let values = vec![
        value(WUHUA, "infant_mortality", "2022", 5.0),
        value(WUHUA, "infant_mortality", "2024", 4.6),
        value(PANLONG, "infant_mortality", "2022", 5.0),
        value(PANLONG, "infant_mortality", "2024", 4.3),
        value(CHUXIONG_CITY, "infant_mortality", "2022", 5.0),
        value(CHUXIONG_CITY, "infant_mortality", "2024", 3.9),
        value(SHUANGBAI, "infant_mortality", "2022", 5.0),
        value(SHUANGBAI, "infant_mortality", "2024", 5.2),
    ];
    let targets = vec![target(YUNNAN, "infant_mortality", Op::AtMost, 4.0)];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let rows = run(&h, &inds, &table, &targets, "2024Q4");
    // As of 2024Q4 the annual 2024 value counts (it ends in the same month).
    // 五华区: CAGR observed = (4.6/5)^(1/2) − 1 = −0.040834;
    // R = d · observed / |required| = (−1)(−0.040834) / 0.071682 = 0.5696 → limited progress;
    // projected 5 · 0.959166^3 = 4.412‰.
    let a = find(&rows, WUHUA, "infant_mortality");
    assert_eq!(a.latest_period, Some(Period::Year(2024)));
    assert!(close(a.ratio.unwrap(), 0.569_648_761), "{a:?}");
    assert!(close(a.projected.unwrap(), 4.412_165_001));
    assert_eq!(a.status, Status::LimitedProgress);
    // 盘龙区: (4.3/5)^(1/2) − 1 = −0.072638; R = 1.0133 → on track (projected 3.988 ≤ 4).
    let a = find(&rows, PANLONG, "infant_mortality");
    assert!(close(a.ratio.unwrap(), 1.013_335_483), "{a:?}");
    assert_eq!(a.status, Status::OnTrack);
    // 楚雄市: 3.9 ≤ 4 → achieved.
    assert_eq!(
        find(&rows, CHUXIONG_CITY, "infant_mortality").status,
        Status::Achieved
    );
    // 双柏县: up to 5.2‰, the wrong way: R = −((5.2/5)^(1/2) − 1)/0.071682 = −0.2736.
    let a = find(&rows, SHUANGBAI, "infant_mortality");
    assert!(a.ratio.unwrap() < 0.0);
    assert_eq!(a.status, Status::Regressing);
}

#[test]
fn linear_variant_from_zero() {
    let (h, inds) = (hierarchy(), indicators());
    // 昆明市's own plan: 新增托位6000个 by 2025. 累计新增: running totals from the plan's start,
    // so the baseline is 0 at the end of 2022 (2023.0).
    // Its districts report 2100 and 1500 by 2024Q4 → 3600 (a complete sum).
    // Linear: observed 3600 / 2 = 1800 a year; required 6000 / 3 = 2000 a year;
    // R = 1800 / 2000 = 0.9 → needs acceleration; projected 0 + 1800 · 3 = 5400.
    // 楚雄市's own plan: 公办托育机构 ≥ 3, baseline 0 in 2022, 1 by 2024Q4: the growth model
    // cannot start from zero, so linear: 0.5 a year against 1 a year, R = 0.5 → limited
    // progress, projected 1.5.
    let values = vec![
        value(WUHUA, "new_childcare_places", "2024Q4", 2100.0),
        value(PANLONG, "new_childcare_places", "2024Q4", 1500.0),
        value(WUHUA, "new_childcare_places", "2023Q4", 900.0),
        value(PANLONG, "new_childcare_places", "2023Q4", 700.0),
        value(CHUXIONG_CITY, "public_childcare", "2022", 0.0),
        value(CHUXIONG_CITY, "public_childcare", "2024Q4", 1.0),
    ];
    let targets = vec![
        target(KUNMING, "new_childcare_places", Op::AtLeast, 6000.0),
        target(CHUXIONG_CITY, "public_childcare", Op::AtLeast, 3.0),
    ];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let rows = run(&h, &inds, &table, &targets, "2024Q4");
    let a = find(&rows, KUNMING, "new_childcare_places");
    assert_eq!(a.method, Method::Linear);
    assert_eq!(a.baseline, Some(0.0));
    assert_eq!(a.baseline_period, Some(Period::Year(2022)));
    assert_eq!(a.baseline_source, Some(BaselineSource::PlanStartZero));
    assert_eq!(a.latest, Some(3600.0));
    assert!(a.aggregated && !a.incomplete);
    assert!(close(a.ratio.unwrap(), 0.9));
    assert!(close(a.projected.unwrap(), 5400.0));
    assert_eq!(a.status, Status::NeedsAcceleration);
    // A count target is not a district's: the districts are not assessed against 6000.
    assert!(
        !rows
            .iter()
            .any(|a| a.indicator == "new_childcare_places" && a.region != KUNMING)
    );
    let a = find(&rows, CHUXIONG_CITY, "public_childcare");
    assert_eq!(a.method, Method::Linear);
    assert_eq!(a.note, Some(Note::ZeroOrSignChange));
    assert!(close(a.ratio.unwrap(), 0.5));
    assert!(close(a.projected.unwrap(), 1.5));
    assert_eq!(a.status, Status::LimitedProgress);
}

#[test]
fn no_data_says_why() {
    let (h, inds) = (hierarchy(), indicators());
    // 五华区 reported nothing: no latest. 盘龙区 reported once (2024Q4) and nothing for 2022:
    // no baseline. 楚雄市 reported 2023Q1 and 2024Q4: its first report is its baseline.
    let values = vec![
        value(PANLONG, "vaccination", "2024Q4", 91.0),
        value(CHUXIONG_CITY, "vaccination", "2023Q1", 85.0),
        value(CHUXIONG_CITY, "vaccination", "2024Q4", 88.0),
    ];
    let targets = vec![target(YUNNAN, "vaccination", Op::AtLeast, 95.0)];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let rows = run(&h, &inds, &table, &targets, "2024Q4");
    let a = find(&rows, WUHUA, "vaccination");
    assert_eq!(
        (a.status, a.method, a.note),
        (Status::NoData, Method::None, Some(Note::NoLatest))
    );
    assert_eq!(a.latest, None);
    let a = find(&rows, PANLONG, "vaccination");
    assert_eq!((a.status, a.note), (Status::NoData, Some(Note::NoBaseline)));
    assert_eq!(a.latest, Some(91.0));
    assert_eq!(a.baseline, None);
    let a = find(&rows, CHUXIONG_CITY, "vaccination");
    assert_eq!(a.baseline_source, Some(BaselineSource::FirstReported));
    assert_eq!(a.baseline_period, Some(Period::Quarter(2023, 1)));
    assert_ne!(a.status, Status::NoData);
    // A latest value that meets the target is achieved even without a baseline.
    let values = vec![value(PANLONG, "vaccination", "2024Q4", 96.0)];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let rows = run(&h, &inds, &table, &targets, "2024Q4");
    let a = find(&rows, PANLONG, "vaccination");
    assert_eq!(
        (a.status, a.note),
        (Status::Achieved, Some(Note::NoBaseline))
    );
}

#[test]
fn nearest_ancestor_target_applies() {
    let (h, inds) = (hierarchy(), indicators());
    // The province sets ≥95, 昆明市's own plan ≥97; 楚雄州 has no plan.
    let targets = vec![
        target(YUNNAN, "vaccination", Op::AtLeast, 95.0),
        target(KUNMING, "vaccination", Op::AtLeast, 97.0),
    ];
    let values = vec![value(WUHUA, "vaccination", "2024Q4", 90.0)];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let rows = run(&h, &inds, &table, &targets, "2024Q4");
    let who = |region: &str| {
        let a = find(&rows, region, "vaccination");
        (a.target_region, a.target)
    };
    assert_eq!(who(YUNNAN), (YUNNAN, 95.0));
    assert_eq!(who(KUNMING), (KUNMING, 97.0));
    assert_eq!(who(WUHUA), (KUNMING, 97.0)); // a county with no plan: its prefecture's
    assert_eq!(who(PANLONG), (KUNMING, 97.0));
    assert_eq!(who(CHUXIONG), (YUNNAN, 95.0)); // a prefecture with no plan: the province's
    assert_eq!(who(CHUXIONG_CITY), (YUNNAN, 95.0)); // … and so its counties
    // Rows come out depth first: province, 昆明市, its districts, 楚雄州, its counties.
    let order: Vec<&str> = rows.iter().map(|a| a.region).collect();
    assert_eq!(
        order,
        [
            YUNNAN,
            KUNMING,
            WUHUA,
            PANLONG,
            CHUXIONG,
            CHUXIONG_CITY,
            SHUANGBAI
        ]
    );
}

#[test]
fn baseline_precedence() {
    let (h, inds) = (hierarchy(), indicators());
    // 五华区 has a plan of its own stating a 2022 baseline of 85.
    let mut own = target(WUHUA, "vaccination", Op::AtLeast, 95.0);
    own.baseline = Some(85.0);
    own.baseline_year = Some(2022);
    let targets = vec![own.clone()];
    let latest = value(WUHUA, "vaccination", "2024Q4", 90.0);
    let as_of = "2024Q4";

    // 1. Its own reported 2022 value wins over the plan's baseline.
    let values = vec![value(WUHUA, "vaccination", "2022", 84.0), latest.clone()];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let rows = run(&h, &inds, &table, &targets, as_of);
    let a = find(&rows, WUHUA, "vaccination");
    assert_eq!(a.baseline_source, Some(BaselineSource::OwnBeforePlan));
    assert_eq!(
        (a.baseline, a.baseline_period),
        (Some(84.0), Some(Period::Year(2022)))
    );

    // … and so does the quarter ending 2022 when there is no annual value.
    let values = vec![value(WUHUA, "vaccination", "2022Q4", 83.0), latest.clone()];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let rows = run(&h, &inds, &table, &targets, as_of);
    let a = find(&rows, WUHUA, "vaccination");
    assert_eq!(
        (a.baseline, a.baseline_period),
        (Some(83.0), Some(Period::Quarter(2022, 4)))
    );

    // 2. Without a 2022 value: the plan's baseline, since the plan is the region's own.
    let values = vec![value(WUHUA, "vaccination", "2023Q1", 86.0), latest.clone()];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let rows = run(&h, &inds, &table, &targets, as_of);
    let a = find(&rows, WUHUA, "vaccination");
    assert_eq!(a.baseline_source, Some(BaselineSource::PlanBaseline));
    assert_eq!(
        (a.baseline, a.baseline_period),
        (Some(85.0), Some(Period::Year(2022)))
    );

    // 3. The plan is not the region's own (盘龙区 inherits 昆明市's): the first reported period.
    let mut kunming = own.clone();
    kunming.region = KUNMING.into();
    let targets = vec![kunming];
    let values = vec![
        value(PANLONG, "vaccination", "2023Q1", 86.0),
        value(PANLONG, "vaccination", "2024Q4", 90.0),
    ];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let rows = run(&h, &inds, &table, &targets, as_of);
    let a = find(&rows, PANLONG, "vaccination");
    assert_eq!(a.baseline_source, Some(BaselineSource::FirstReported));
    assert_eq!(
        (a.baseline, a.baseline_period),
        (Some(86.0), Some(Period::Quarter(2023, 1)))
    );
}

#[test]
fn as_of_limits_what_counts_and_a_change_shows_next_query() {
    let (h, inds) = (hierarchy(), indicators());
    let targets = vec![target(YUNNAN, "vaccination", Op::AtLeast, 95.0)];
    let mut values = vec![
        value(WUHUA, "vaccination", "2022", 80.0),
        value(WUHUA, "vaccination", "2023Q4", 84.0),
        value(WUHUA, "vaccination", "2024Q4", 96.0),
    ];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let rows = run(&h, &inds, &table, &targets, "2024Q3");
    assert_eq!(find(&rows, WUHUA, "vaccination").latest, Some(84.0));
    let rows = run(&h, &inds, &table, &targets, "2024Q4");
    assert_eq!(find(&rows, WUHUA, "vaccination").status, Status::Achieved);
    // A corrected value (entered later, same period) replaces the earlier one.
    values.push(value(WUHUA, "vaccination", "2024Q4", 78.0));
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    assert_eq!(table.duplicates(), 1);
    let rows = run(&h, &inds, &table, &targets, "2024Q4");
    assert_eq!(find(&rows, WUHUA, "vaccination").status, Status::Regressing);
}

#[test]
fn target_year_passed_and_filters() {
    let (h, inds) = (hierarchy(), indicators());
    let targets = vec![
        target(YUNNAN, "vaccination", Op::AtLeast, 95.0),
        target(YUNNAN, "infant_mortality", Op::AtMost, 4.0),
    ];
    // By 2025Q4 (2026.0, the end of the target year) 94.9: R = ((94.9/80)^(1/3) − 1)/0.058956
    // = 0.9937 would read on track, but the year is over and 94.9 < 95.
    let values = vec![
        value(WUHUA, "vaccination", "2022", 80.0),
        value(WUHUA, "vaccination", "2025Q4", 94.9),
    ];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let rows = run(&h, &inds, &table, &targets, "2025Q4");
    let a = find(&rows, WUHUA, "vaccination");
    assert!(a.ratio.unwrap() > 0.95);
    assert_eq!(a.status, Status::NeedsAcceleration);
    assert_eq!(a.note, Some(Note::TargetYearPassed));

    let input = AssessInput {
        hierarchy: &h,
        indicators: &inds,
        table: &table,
        targets: &targets,
    };
    let filter = AssessFilter {
        region: Some(KUNMING.into()),
        indicator: Some("vaccination".into()),
        levels: vec![],
    };
    let rows = assess(&input, Period::Quarter(2025, 4), &filter).unwrap();
    let regions: Vec<&str> = rows.iter().map(|a| a.region).collect();
    assert_eq!(regions, [KUNMING, WUHUA, PANLONG]);
    let bad = AssessFilter {
        region: Some("999999".into()),
        ..AssessFilter::default()
    };
    assert!(assess(&input, Period::Quarter(2025, 4), &bad).is_err());
}

#[test]
fn json_has_the_contract_fields() {
    let (h, inds) = (hierarchy(), indicators());
    let (values, targets) = vaccination_case(&[(WUHUA, 90.0)]);
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let rows = run(&h, &inds, &table, &targets, "2024Q4");
    let a = find(&rows, WUHUA, "vaccination");
    let json = serde_json::to_value(a).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for k in [
        "region",
        "indicator",
        "target_region",
        "op",
        "target",
        "target_year",
        "baseline",
        "baseline_period",
        "latest",
        "latest_period",
        "ratio",
        "projected",
        "status",
        "method",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    assert_eq!(json["status"], "on_track");
    assert_eq!(json["method"], "open_sdg_ratio");
    assert_eq!(json["op"], ">=");
    assert_eq!(json["baseline_period"], "2022");
    assert_eq!(json["latest_period"], "2024Q4");
    assert_eq!(json["target_region"], YUNNAN);
    assert_eq!(json["simulated"], false);
}
