//! Demo data over the real Yunnan hierarchy (data/regions/regions.csv) and the real catalog:
//! deterministic, labelled 模拟数据, covering every county and indicator, and yielding every
//! status.

use std::collections::BTreeMap;

use minsheng_assess::{
    AssessFilter, AssessInput, Hierarchy, IndicatorSet, Note, RegionInput, Status, TargetRef,
    ValueTable, aggregate, assess, demo, report,
};
use minsheng_catalog::Catalog;
use minsheng_model::{Op, Period, RegionLevel, ValueSource};

fn yunnan() -> Hierarchy {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/regions/regions.csv"
    ))
    .unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<RegionInput> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| r[0].starts_with("53"))
        .map(|r| RegionInput {
            code: r[0].to_string(),
            name: Some(r[1].to_string()),
            level: match &r[2] {
                "province" => RegionLevel::Province,
                "prefecture" => RegionLevel::Prefecture,
                _ => RegionLevel::County,
            },
            parent: (!r[3].is_empty()).then(|| r[3].to_string()),
            kind: (!r[4].is_empty()).then(|| r[4].to_string()),
        })
        .collect();
    Hierarchy::new(rows).unwrap()
}

fn catalog() -> IndicatorSet {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/catalog/indicators.toml"
    ))
    .unwrap();
    IndicatorSet::from_catalog(Catalog::from_toml(&text).unwrap().entries())
}

fn t(region: &str, indicator: &str, op: Op, value: f64) -> TargetRef {
    TargetRef {
        region: region.into(),
        indicator: indicator.into(),
        op,
        value,
        year: 2025,
        plan_start: Some(2023),
        baseline: None,
        baseline_year: None,
        quote: String::new(),
        plan: "云南省基本公共服务提升三年行动计划（2023-2025年）".into(),
        lead_units: vec!["省卫生健康委".into()],
    }
}

/// Targets like the province's plan sets, plus one of 楚雄州's own.
fn targets() -> Vec<TargetRef> {
    vec![
        t("530000", "immunization_coverage", Op::AtLeast, 90.0),
        t("530000", "preschool_gross_enrollment", Op::AtLeast, 92.0),
        t(
            "530000",
            "compulsory_education_retention",
            Op::AtLeast,
            96.0,
        ),
        t("530000", "high_school_gross_enrollment", Op::AtLeast, 92.0),
        t("530000", "medical_insurance_coverage", Op::AtLeast, 95.0),
        t("530000", "infant_mortality", Op::AtMost, 6.0),
        t("530000", "under5_mortality", Op::AtMost, 8.0),
        t("530000", "maternal_mortality", Op::AtMost, 20.0),
        t("530000", "new_childcare_places", Op::AtLeast, 60000.0),
        t("530000", "county_childcare_centres", Op::AtLeast, 1.0),
        t("530000", "hospital_beds_per_1000", Op::AtLeast, 7.5),
        t("532300", "immunization_coverage", Op::AtLeast, 95.0),
    ]
}

#[test]
fn same_seed_same_values_every_county_and_indicator_labelled() {
    let (h, inds, targets) = (yunnan(), catalog(), targets());
    let a = demo::generate(7, &h, &inds, &targets).unwrap();
    let b = demo::generate(7, &h, &inds, &targets).unwrap();
    assert_eq!(a, b);
    let c = demo::generate(8, &h, &inds, &targets).unwrap();
    assert_ne!(a, c);
    assert!(a.iter().all(|v| v.source == ValueSource::Demo
        && v.is_simulated()
        && v.entered_by == demo::LABEL
        && v.comment.as_deref() == Some(demo::COMMENT)));
    assert!(a.iter().all(|v| v.value.is_finite() && v.value >= 0.0));
    // Every county, every indicator that goes to counties; quarters 2022Q1–2025Q4 only.
    let counties: Vec<&str> = h
        .order()
        .iter()
        .filter(|r| h.level(**r) == RegionLevel::County)
        .map(|r| h.code(*r))
        .collect();
    assert_eq!(counties.len(), 129);
    for county in &counties {
        assert!(a.iter().any(|v| v.region == *county), "{county}");
    }
    let per_indicator: BTreeMap<&str, usize> = a.iter().fold(BTreeMap::new(), |mut m, v| {
        *m.entry(v.indicator.as_str()).or_default() += 1;
        m
    });
    assert_eq!(
        per_indicator.len(),
        inds.len(),
        "every catalog indicator has values"
    );
    assert!(
        a.iter()
            .all(|v| matches!(v.period, Period::Quarter(2022..=2025, _)))
    );
    // Rates carry whole-number parts and a value recomputed from them.
    let rate = a
        .iter()
        .find(|v| v.indicator == "immunization_coverage")
        .unwrap();
    let (n, d) = (rate.numerator.unwrap(), rate.denominator.unwrap());
    assert_eq!(n.fract(), 0.0);
    assert!((rate.value - 100.0 * n / d).abs() < 1e-9);
    // Counts are whole numbers.
    assert!(
        a.iter()
            .filter(|v| v.indicator == "new_childcare_places")
            .all(|v| v.value.fract() == 0.0)
    );
}

#[test]
fn demo_statuses_include_every_kind() {
    let (h, inds, targets) = (yunnan(), catalog(), targets());
    let values = demo::generate(2025, &h, &inds, &targets).unwrap();
    let (table, skipped) = ValueTable::from_values(&values, &h, &inds);
    assert!(skipped.is_empty());
    assert!(table.any_simulated());
    let input = AssessInput {
        hierarchy: &h,
        indicators: &inds,
        table: &table,
        targets: &targets,
    };
    for as_of in [Period::Quarter(2024, 4), Period::Quarter(2025, 2)] {
        let rows = assess(&input, as_of, &AssessFilter::default()).unwrap();
        let mut counts: BTreeMap<Status, usize> = BTreeMap::new();
        for a in &rows {
            *counts.entry(a.status).or_default() += 1;
        }
        for s in Status::ALL {
            assert!(
                counts.get(&s).copied().unwrap_or(0) > 0,
                "{as_of}: no {s:?} in {counts:?}"
            );
        }
        assert!(
            rows.iter()
                .filter(|a| a.latest.is_some())
                .all(|a| a.simulated)
        );
        // The province's count target is assessed against the sum of its counties.
        let p = rows
            .iter()
            .find(|a| a.region == "530000" && a.indicator == "new_childcare_places")
            .unwrap();
        assert!(
            p.aggregated || (p.note == Some(Note::IncompleteSum) && p.incomplete),
            "{p:?}"
        );
        // A rate is made from the counties that reported.
        let p = rows
            .iter()
            .find(|a| a.region == "530000" && a.indicator == "immunization_coverage")
            .unwrap();
        assert!(p.aggregated && p.status != Status::NoData, "{p:?}");
        // What assessment made from the counties is what `aggregate` makes, period by period.
        for a in rows
            .iter()
            .filter(|a| a.aggregated && a.latest.is_some())
            .take(200)
        {
            let made = aggregate(
                &table,
                &h,
                &inds,
                a.region,
                a.indicator,
                a.latest_period.unwrap(),
            )
            .unwrap();
            assert_eq!(made.value, a.latest, "{a:?} {made:?}");
            assert!(made.complete || a.incomplete, "{a:?} {made:?}");
        }
        let text = report::assessments_table(&rows[..20], &h, &inds);
        assert!(text.starts_with(report::SIMULATED_BANNER));
        assert!(text.contains(demo::LABEL));
    }
}
