//! Aggregation up the hierarchy: sums, ratios recomputed from parts (never averaged), missing
//! children listed and not counted as zero, indicators that do not aggregate.

mod common;

use common::*;
use minsheng_assess::{AggregateMethod, ValueTable, aggregate};
use minsheng_model::Period;

const Q: Period = Period::Quarter(2024, 4);

#[test]
fn counts_sum() {
    let (h, inds) = (hierarchy(), indicators());
    let values = vec![
        value(WUHUA, "places", "2024Q4", 10.0),
        value(PANLONG, "places", "2024Q4", 15.0),
    ];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let a = aggregate(&table, &h, &inds, KUNMING, "places", Q).unwrap();
    assert_eq!(a.method, AggregateMethod::Sum);
    assert_eq!(a.value, Some(25.0));
    assert_eq!((a.reported_children, a.expected_children), (2, 2));
    assert!(a.complete && a.missing.is_empty());
}

#[test]
fn rates_are_recomputed_not_averaged() {
    let (h, inds) = (hierarchy(), indicators());
    // 五华区 90% of 100 children, 盘龙区 50% of 900.
    let values = vec![
        rate(WUHUA, "vaccination", "2024Q4", 90.0, 100.0),
        rate(PANLONG, "vaccination", "2024Q4", 450.0, 900.0),
    ];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let a = aggregate(&table, &h, &inds, KUNMING, "vaccination", Q).unwrap();
    assert_eq!(a.method, AggregateMethod::Ratio);
    // (90 + 450) / (100 + 900) = 540 / 1000 = 54%.
    assert_eq!(a.numerator, Some(540.0));
    assert_eq!(a.denominator, Some(1000.0));
    assert!(close(a.value.unwrap(), 54.0));
    // Averaging the percentages would say (90 + 50) / 2 = 70%: a different, wrong number.
    let average = (90.0 + 50.0) / 2.0;
    assert!((a.value.unwrap() - average).abs() > 15.0);
    // The province from 昆明市's made value and 楚雄州's counties: (540 + 160)/(1000 + 200).
    let values = [
        values,
        vec![
            rate(CHUXIONG_CITY, "vaccination", "2024Q4", 95.0, 100.0),
            rate(SHUANGBAI, "vaccination", "2024Q4", 65.0, 100.0),
        ],
    ]
    .concat();
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let a = aggregate(&table, &h, &inds, YUNNAN, "vaccination", Q).unwrap();
    assert!(close(a.value.unwrap(), 100.0 * 700.0 / 1200.0));
    assert!(a.complete);
}

#[test]
fn a_missing_child_is_listed_not_zero() {
    let (h, inds) = (hierarchy(), indicators());
    let values = vec![value(WUHUA, "places", "2024Q4", 10.0)];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let a = aggregate(&table, &h, &inds, KUNMING, "places", Q).unwrap();
    // The sum of those present, flagged incomplete, with 盘龙区 named — not 10 + 0 passed off
    // as complete.
    assert_eq!(a.value, Some(10.0));
    assert!(!a.complete);
    assert_eq!(a.missing, [PANLONG]);
    assert_eq!((a.reported_children, a.expected_children), (1, 2));
    // At the province, the missing are named at the level they are missing: the counties.
    let a = aggregate(&table, &h, &inds, YUNNAN, "places", Q).unwrap();
    assert_eq!(a.missing, [PANLONG, CHUXIONG_CITY, SHUANGBAI]);
    assert_eq!((a.reported_children, a.expected_children), (1, 2));
    // Nothing below at all: no value, not zero.
    let a = aggregate(&table, &h, &inds, CHUXIONG, "places", Q).unwrap();
    assert_eq!(a.value, None);
    assert_eq!(a.missing, [CHUXIONG_CITY, SHUANGBAI]);
}

#[test]
fn a_rate_without_its_parts_cannot_be_recomputed() {
    let (h, inds) = (hierarchy(), indicators());
    let values = vec![
        rate(WUHUA, "vaccination", "2024Q4", 90.0, 100.0),
        value(PANLONG, "vaccination", "2024Q4", 50.0),
    ];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let a = aggregate(&table, &h, &inds, KUNMING, "vaccination", Q).unwrap();
    assert_eq!(a.without_parts, [PANLONG]);
    assert!(a.missing.is_empty());
    assert!(!a.complete);
    assert!(close(a.value.unwrap(), 90.0));
}

#[test]
fn own_value_wins_and_standards_do_not_aggregate() {
    let (h, inds) = (hierarchy(), indicators());
    let values = vec![
        value(WUHUA, "places", "2024Q4", 10.0),
        value(PANLONG, "places", "2024Q4", 15.0),
        value(KUNMING, "places", "2024Q4", 30.0),
        value(WUHUA, "hardship_ratio", "2024Q4", 1.3),
        value(PANLONG, "hardship_ratio", "2024Q4", 1.4),
    ];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let a = aggregate(&table, &h, &inds, KUNMING, "places", Q).unwrap();
    assert_eq!((a.method, a.value), (AggregateMethod::Own, Some(30.0)));
    let a = aggregate(&table, &h, &inds, KUNMING, "hardship_ratio", Q).unwrap();
    assert_eq!(a.method, AggregateMethod::NotAggregable);
    assert_eq!(a.value, None);
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["method"], "not_aggregable");
    assert!(aggregate(&table, &h, &inds, KUNMING, "nope", Q).is_err());
}

#[test]
fn assessment_uses_an_incomplete_rate_but_not_an_incomplete_sum() {
    use minsheng_assess::{AssessFilter, AssessInput, Status, assess};
    use minsheng_model::Op;
    let (h, inds) = (hierarchy(), indicators());
    let values = vec![
        rate(WUHUA, "vaccination", "2022Q4", 80.0, 100.0),
        rate(PANLONG, "vaccination", "2022Q4", 80.0, 100.0),
        rate(WUHUA, "vaccination", "2024Q4", 96.0, 100.0),
        value(WUHUA, "places", "2022Q4", 100.0),
        value(PANLONG, "places", "2022Q4", 100.0),
        value(WUHUA, "places", "2024Q4", 120.0),
    ];
    let targets = vec![
        target(KUNMING, "vaccination", Op::AtLeast, 95.0),
        target(KUNMING, "places", Op::AtLeast, 260.0),
    ];
    let (table, _) = ValueTable::from_values(&values, &h, &inds);
    let input = AssessInput {
        hierarchy: &h,
        indicators: &inds,
        table: &table,
        targets: &targets,
    };
    let rows = assess(&input, Q, &AssessFilter::default()).unwrap();
    let get = |ind: &str| {
        rows.iter()
            .find(|a| a.region == KUNMING && a.indicator == ind)
            .unwrap()
    };
    // The rate as of 2024Q4 is 五华区's alone (96%), marked incomplete.
    let a = get("vaccination");
    assert_eq!(a.latest, Some(96.0));
    assert!(a.aggregated && a.incomplete);
    assert_eq!(a.status, Status::Achieved);
    // The 2024Q4 sum lacks 盘龙区: 120 would read as a fall from 200, so it is not used; the
    // latest complete sum is 2022Q4's, which is the baseline itself → no baseline to compare.
    let a = get("places");
    assert_eq!(a.latest, Some(200.0));
    assert_eq!(a.latest_period, Some(Period::Quarter(2022, 4)));
    assert_eq!(a.status, Status::NoData);
}
