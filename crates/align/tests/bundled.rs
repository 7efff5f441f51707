//! Alignment of the five bundled plans (fixtures of their ingested targets, see
//! fixtures/README.md) against the real catalog.

use minsheng_align::{AlignRow, PlanTargets, Region, Verdict, align};
use minsheng_catalog::Catalog;
use minsheng_model::{Op, Plan};

const CATALOG: &str = include_str!("../../../data/catalog/indicators.toml");
const PLANS: [&str; 5] = [
    include_str!("fixtures/000.json"),
    include_str!("fixtures/001.json"),
    include_str!("fixtures/002.json"),
    include_str!("fixtures/003.json"),
    include_str!("fixtures/004.json"),
];

fn inputs(catalog: &Catalog) -> Vec<PlanTargets> {
    PLANS
        .iter()
        .map(|json| {
            let plan: Plan = serde_json::from_str(json).unwrap();
            let known = region_named(plan.region.as_deref().unwrap());
            PlanTargets::from_plan(
                &plan,
                Region::new(known.code.clone(), known.name.clone()),
                known.parent.clone(),
                catalog,
            )
        })
        .collect()
}

/// The region a plan names (楚雄州 is 楚雄彝族自治州), from the store's hierarchy.
fn region_named(name: &str) -> minsheng_store::RegionRow {
    minsheng_store::regions_csv(minsheng_store::REGIONS_CSV)
        .unwrap()
        .into_iter()
        .find(|r| {
            r.code.starts_with("53")
                && (r.name == name || minsheng_store::region_short_name(&r.name) == name)
        })
        .unwrap_or_else(|| panic!("no region {name}"))
}

fn rows() -> Vec<AlignRow> {
    let catalog = Catalog::from_toml(CATALOG).unwrap();
    align(&inputs(&catalog), &catalog)
}

fn row<'a>(rows: &'a [AlignRow], region: &str, id: &str) -> &'a AlignRow {
    rows.iter()
        .find(|r| r.region.code == region && r.indicator.id == id)
        .unwrap_or_else(|| panic!("no row for {region} {id}"))
}

#[test]
fn regions_are_read_from_the_plans() {
    let catalog = Catalog::from_toml(CATALOG).unwrap();
    let codes: Vec<String> = inputs(&catalog)
        .into_iter()
        .map(|p| p.region.code)
        .collect();
    assert_eq!(codes, ["530000", "530000", "532300", "530800", "530400"]);
}

#[test]
fn chuxiong_sports_area_is_weaker_than_the_province() {
    let rows = rows();
    let r = row(&rows, "532300", "per_capita_sports_area");
    assert_eq!(r.region.name, "楚雄彝族自治州");
    assert_eq!(r.parent_region.code, "530000");
    assert_eq!(
        (r.op, r.value, r.unit.as_deref()),
        (Some(Op::AtLeast), Some(2.5), Some("平方米"))
    );
    assert_eq!(
        (r.parent_op, r.parent_value, r.parent_unit.as_str()),
        (Op::AtLeast, 2.6, "平方米")
    );
    assert_eq!(r.verdict, Verdict::Weaker);
    assert_eq!(r.quote.as_deref(), Some("人均体育场地面积达到2.5平方米"));
    assert_eq!(r.parent_quote, "人均体育场地面积达到2.6平方米");
}

#[test]
fn yuxi_infant_mortality_is_stricter_than_the_province() {
    let rows = rows();
    let r = row(&rows, "530400", "infant_mortality");
    assert_eq!(
        (r.op, r.value, r.unit.as_deref()),
        (Some(Op::AtMost), Some(3.0), Some("‰"))
    );
    assert_eq!((r.parent_op, r.parent_value), (Op::AtMost, 4.0));
    assert_eq!(r.verdict, Verdict::Stricter);
    assert!(r.quote.as_deref().unwrap().contains("3‰"));
}

#[test]
fn new_urban_jobs_are_not_comparable_across_levels() {
    let rows = rows();
    for region in ["532300", "530800", "530400"] {
        let r = row(&rows, region, "urban_new_jobs");
        assert_eq!(r.verdict, Verdict::NotComparable, "{region}");
        assert!(r.value.is_some(), "{region} sets its own new-jobs target");
    }
}

#[test]
fn other_verdicts_on_the_bundled_plans() {
    let rows = rows();
    // 普洱 asks 94% of upper-secondary enrolment against the province's 93%.
    assert_eq!(
        row(&rows, "530800", "high_school_gross_enrollment").verdict,
        Verdict::Stricter
    );
    // The same infant mortality ceiling as the province.
    assert_eq!(
        row(&rows, "532300", "infant_mortality").verdict,
        Verdict::Equal
    );
    // 楚雄 sets the registered unemployment rate, the province the surveyed one: the surveyed
    // rate is missing from 楚雄's plan, and the registered one has nothing to be held against.
    assert_eq!(
        row(&rows, "532300", "urban_surveyed_unemployment").verdict,
        Verdict::Missing
    );
    assert!(
        !rows
            .iter()
            .any(|r| r.indicator.id == "urban_registered_unemployment")
    );
    // 玉溪's plan has no 学前三年毛入园率 target.
    let m = row(&rows, "530400", "preschool_gross_enrollment");
    assert_eq!(m.verdict, Verdict::Missing);
    assert_eq!((m.op, m.value, m.quote.as_ref()), (None, None, None));
    assert_eq!(m.parent_value, 94.0);
}

#[test]
fn the_three_year_plan_is_the_primary_parent_with_the_five_year_plan_as_fallback() {
    let rows = rows();
    // 人均体育场地面积 is in both province plans: the three-year plan (000) is used.
    let r = row(&rows, "532300", "per_capita_sports_area");
    assert_eq!(r.parent_quote, "人均体育场地面积达到2.6平方米");
    // No row compares the province with itself or with its own other plan.
    assert!(rows.iter().all(|r| r.region.code != "530000"));
    // Only the three-year plan's indicators are reported missing: 每万人拥有足球场地 (001 only)
    // is never missing.
    assert!(
        !rows
            .iter()
            .any(|r| r.indicator.id == "football_fields_per_10000")
    );
}

#[test]
fn rows_serialize_with_the_contract_names() {
    let rows = rows();
    let v = serde_json::to_value(row(&rows, "530400", "infant_mortality")).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "indicator",
            "op",
            "parent_op",
            "parent_quote",
            "parent_region",
            "parent_unit",
            "parent_value",
            "quote",
            "region",
            "unit",
            "value",
            "verdict",
        ]
    );
    assert_eq!(v["verdict"], "stricter");
    assert_eq!(v["op"], "<=");
    assert_eq!(v["indicator"]["id"], "infant_mortality");
    assert_eq!(v["indicator"]["name"], "婴儿死亡率");
    assert_eq!(v["region"]["code"], "530400");
    assert_eq!(v["parent_region"]["name"], "云南省");
    let missing = serde_json::to_value(row(&rows, "530400", "preschool_gross_enrollment")).unwrap();
    assert_eq!(missing["verdict"], "missing");
    assert!(missing["value"].is_null() && missing["quote"].is_null());
    let back: Vec<AlignRow> = serde_json::from_value(serde_json::to_value(&rows).unwrap()).unwrap();
    assert_eq!(back, rows);
}
