//! Equalization measures: hand-computed cases (the arithmetic in the comments) and a small
//! province compared with NumPy (tests/reference_numpy.py).

use minsheng_assess::{
    Hierarchy, IndicatorInfo, IndicatorSet, PeriodKey, RegionInput, ValueTableBuilder,
};
use minsheng_catalog::{Aggregation, Kind, Polarity};
use minsheng_evaluate::equalization::*;
use minsheng_model::{Period, RegionLevel};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-3)
}

#[track_caller]
fn assert_close(got: Option<f64>, want: f64) {
    let g = got.expect("a value");
    assert!(close(g, want), "got {g}, want {want}");
}

#[test]
fn cv_and_gini_of_one_to_four() {
    let x = [1.0, 2.0, 3.0, 4.0];
    // μ = 10/4 = 2.5; deviations −1.5, −0.5, 0.5, 1.5; squares 2.25 + 0.25 + 0.25 + 2.25 = 5;
    // σ² = 5/4 = 1.25 (over n), σ = sqrt(1.25); CV = sqrt(1.25)/2.5 = 1/sqrt(5).
    assert_close(mean(&x), 2.5);
    assert_close(std_dev(&x), 1.25f64.sqrt());
    assert_close(cv(&x), 1.25f64.sqrt() / 2.5);
    assert_close(cv(&x), 1.0 / 5f64.sqrt());
    // Gini = 2·(1·1 + 2·2 + 3·3 + 4·4)/(4·10) − 1 − 1/4 = 60/40 − 1.25 = 0.25.
    // Check by pairs: Σ|xᵢ−xⱼ| over ordered pairs = 2·(1+2+3+1+2+1) = 20; 20/(2·4²·2.5) = 0.25.
    assert_close(gini(&x), 0.25);
    // Order does not matter.
    assert_close(gini(&[4.0, 1.0, 3.0, 2.0]), 0.25);
    // Equal weights give the unweighted Gini.
    assert_close(weighted_gini(&x, &[7.0; 4]), 0.25);
    // All equal: 0; one county with everything: (n−1)/n.
    assert_close(gini(&[3.0, 3.0, 3.0]), 0.0);
    assert_close(gini(&[0.0, 0.0, 0.0, 5.0]), 0.75);
    // max/min = 4/1.
    assert_close(max_min_ratio(&x), 4.0);
    // max/min of [2, 5, 4] = 5/2.
    assert_close(max_min_ratio(&[2.0, 5.0, 4.0]), 2.5);
}

#[test]
fn theil_and_its_decomposition() {
    let x = [2.0, 2.0, 4.0, 8.0];
    // μ = 16/4 = 4; x/μ = 0.5, 0.5, 1, 2; terms 0.5·ln 0.5 (twice), 1·ln 1 = 0, 2·ln 2;
    // Σ = ln 0.5 + 2 ln 2 = ln 2; T = ln 2 / 4.
    let ln2 = 2f64.ln();
    assert_close(theil_t(&x), ln2 / 4.0);
    // Groups A = [2, 2] (μ_A = 2), B = [4, 8] (μ_B = 6):
    // s_A = n_A·μ_A/(n·μ) = 2·2/(4·4) = 0.25, s_B = 2·6/16 = 0.75;
    // between = 0.25·ln(2/4) + 0.75·ln(6/4);
    // T_A = 0, T_B = ((4/6)·ln(4/6) + (8/6)·ln(8/6))/2; within = 0.75·T_B.
    let d = theil_decomposition(&x, &[1, 1, 2, 2], None).unwrap();
    let between = 0.25 * 0.5f64.ln() + 0.75 * 1.5f64.ln();
    let t_b = ((4.0 / 6.0) * (4.0f64 / 6.0).ln() + (8.0 / 6.0) * (8.0f64 / 6.0).ln()) / 2.0;
    assert!(close(d.between, between), "{d:?}");
    assert!(close(d.within, 0.75 * t_b), "{d:?}");
    assert!(close(d.between + d.within, d.total));
    assert!(close(d.total, ln2 / 4.0));
    assert_eq!(d.groups, 2);
    // Group labels in any order give the same split.
    let e = theil_decomposition(&[8.0, 2.0, 4.0, 2.0], &[9, 3, 9, 3], None).unwrap();
    assert!(close(e.between, d.between) && close(e.within, d.within));
    // One value holding everything: T = ln n. A zero adds 0 (the limit of r·ln r):
    // [0, 2]: μ = 1, terms 0 and 2·ln 2, T = ln 2.
    assert_close(theil_t(&[0.0, 0.0, 0.0, 5.0]), 4f64.ln());
    assert_close(theil_t(&[0.0, 2.0]), ln2);
    // A group whose mean is 0 has no share: [0, 0 | 1, 3] → between = 1·ln(2/1), within = T([1,3]).
    let z = theil_decomposition(&[0.0, 0.0, 1.0, 3.0], &[1, 1, 2, 2], None).unwrap();
    assert!(close(z.between, ln2));
    assert!(close(z.between + z.within, z.total));
}

#[test]
fn williamson_and_weighted_gini_with_populations() {
    let x = [10.0, 20.0];
    let pop = [3.0, 1.0];
    // p = 0.75, 0.25; x̄w = 7.5 + 5 = 12.5; Σ p(x − x̄w)² = 0.75·6.25 + 0.25·56.25 = 18.75;
    // sqrt(18.75) = 5·sqrt(3)/2; Williamson = (5·sqrt(3)/2)/12.5 = sqrt(3)/5.
    assert_close(weighted_mean(&x, &pop), 12.5);
    assert_close(williamson(&x, &pop), 3f64.sqrt() / 5.0);
    // Weighted Gini, sorted [10 (p 0.75), 20 (p 0.25)], F = 0, 0.75, 1:
    // 0.75·10·(0 + 0.75 − 1) + 0.25·20·(0.75 + 1 − 1) = −1.875 + 3.75 = 1.875; /12.5 = 0.15.
    // By pairs: 2·0.75·0.25·|10 − 20| = 3.75; 3.75/(2·12.5) = 0.15.
    assert_close(weighted_gini(&x, &pop), 0.15);
    // Weighted Theil: Σ p (x/x̄w) ln(x/x̄w) = 0.75·0.8·ln 0.8 + 0.25·1.6·ln 1.6.
    assert_close(
        weighted_theil_t(&x, &pop),
        0.75 * 0.8 * 0.8f64.ln() + 0.25 * 1.6 * 1.6f64.ln(),
    );
    // Equal populations: Williamson is the CV.
    assert_close(
        williamson(&[1.0, 2.0, 3.0, 4.0], &[2.0; 4]),
        1.0 / 5f64.sqrt(),
    );
}

#[test]
fn urban_rural_gap_by_county_kind() {
    use CountyKind::*;
    let x = [10.0, 14.0, 6.0, 8.0, 30.0, 50.0];
    let kinds = [District, District, County, County, City, Other];
    // Urban (市辖区) mean (10 + 14)/2 = 12; rural (县) mean (6 + 8)/2 = 7; gap 12 − 7 = 5.
    // The 县级市 (30) is reported apart; the other division (50) is left out.
    let ur = urban_rural(&x, &kinds);
    assert_eq!(ur.gap, Some(5.0));
    assert_eq!(ur.city_mean, Some(30.0));
    assert_eq!((ur.n_urban, ur.n_rural, ur.n_city), (2, 2, 1));
    assert_eq!(urban_rural_gap(&x[2..], &kinds[2..]), None);
    assert_eq!(CountyKind::parse(Some("district")), District);
    assert_eq!(CountyKind::parse(Some("自治县")), County);
    assert_eq!(CountyKind::parse(Some("city")), City);
    assert_eq!(CountyKind::parse(None), Other);
}

#[test]
fn undefined_measures_are_none() {
    assert_eq!(mean(&[]), None);
    assert_eq!(cv(&[5.0]), None, "n < 2");
    assert_eq!(cv(&[0.0, 0.0]), None, "zero mean");
    assert_eq!(gini(&[-1.0, 2.0]), None, "negative value");
    assert_eq!(gini(&[0.0, 0.0]), None, "zero sum");
    assert_eq!(theil_t(&[-1.0, 2.0]), None, "negative value");
    assert_eq!(theil_t(&[0.0, 0.0]), None, "zero mean");
    assert_eq!(theil_t(&[4.0]), None, "n < 2");
    assert_eq!(max_min_ratio(&[0.0, 3.0]), None, "zero minimum");
    assert_eq!(
        williamson(&[1.0, 2.0], &[1.0, 0.0]),
        None,
        "a zero population"
    );
    assert_eq!(williamson(&[1.0, 2.0], &[1.0]), None, "lengths differ");
    assert_eq!(cv(&[1.0, f64::NAN]), None, "not a number");
    assert_eq!(theil_decomposition(&[1.0, 2.0], &[1], None), None);
}

// ---------------------------------------------------------------------------------------
// A small province against NumPy.

/// (code, parent, kind, population, latest, baseline): the rows of tests/reference_numpy.py.
const COUNTIES: [(&str, &str, &str, f64, f64, f64); 11] = [
    ("530102", "530100", "district", 60.0, 96.0, 94.0),
    ("530103", "530100", "district", 90.0, 94.5, 92.0),
    ("530124", "530100", "county", 40.0, 88.0, 80.0),
    ("530181", "530100", "city", 35.0, 91.0, 86.0),
    ("532301", "532300", "city", 62.0, 90.5, 86.0),
    ("532322", "532300", "county", 15.0, 82.0, 72.0),
    ("532323", "532300", "county", 20.0, 84.5, 75.0),
    ("532325", "532300", "county", 18.0, 79.0, 70.0),
    ("533102", "533100", "city", 20.0, 87.0, 80.0),
    ("533122", "533100", "county", 16.0, 76.5, 66.0),
    ("539001", "530000", "city", 30.0, 85.0, 78.0),
];

// `/tmp/v/bin/python crates/evaluate/tests/reference_numpy.py` (NumPy 2.4.6), pasted.
const PROVINCE_LATEST: [(&str, Option<f64>); 13] = [
    ("mean", Some(86.72727272727273)),
    ("cv", Some(0.06733934065555146)),
    ("williamson", Some(0.05995808888204284)),
    ("gini", Some(0.038402896893462934)),
    ("weighted_gini", Some(0.03298810782251734)),
    ("theil", Some(0.0022767743791094544)),
    ("weighted_theil", Some(0.0018284257599023297)),
    ("max_min_ratio", Some(1.2549019607843137)),
    ("urban_rural_gap", Some(13.25)),
    ("theil_between", Some(0.0012600009845600956)),
    ("theil_within", Some(0.0010167733945493174)),
    ("weighted_theil_between", Some(0.0010036293356858314)),
    ("weighted_theil_within", Some(0.0008247964242164785)),
];
const PREFECTURE_LATEST: [(&str, Option<f64>); 9] = [
    ("mean", Some(84.0)),
    ("cv", Some(0.05033194799192787)),
    ("williamson", Some(0.05265151731799248)),
    ("gini", Some(0.027529761904761904)),
    ("weighted_gini", Some(0.027711985462106684)),
    ("theil", Some(0.0012576796183826726)),
    ("weighted_theil", Some(0.0013994527882925586)),
    ("max_min_ratio", Some(1.1455696202531647)),
    ("urban_rural_gap", None),
];
const PROVINCE_BASELINE: [(&str, Option<f64>); 13] = [
    ("mean", Some(79.9090909090909)),
    ("cv", Some(0.1067822528351064)),
    ("williamson", Some(0.09579246363651693)),
    ("gini", Some(0.06081290722928948)),
    ("weighted_gini", Some(0.05320205661936656)),
    ("theil", Some(0.005700810390421187)),
    ("weighted_theil", Some(0.004690924292988138)),
    ("max_min_ratio", Some(1.4242424242424243)),
    ("urban_rural_gap", Some(20.400000000000006)),
    ("theil_between", Some(0.0030316199775780334)),
    ("theil_within", Some(0.002669190412843168)),
    ("weighted_theil_between", Some(0.0023650979296727676)),
    ("weighted_theil_within", Some(0.002325826363315281)),
];
const PREFECTURE_BASELINE: [(&str, Option<f64>); 9] = [
    ("mean", Some(75.75)),
    ("cv", Some(0.0815789247149061)),
    ("williamson", Some(0.08659252811794302)),
    ("gini", Some(0.04207920792079208)),
    ("weighted_gini", Some(0.04527579210830694)),
    ("theil", Some(0.003254966520211424)),
    ("weighted_theil", Some(0.003785916074039896)),
    ("max_min_ratio", Some(1.2285714285714286)),
    ("urban_rural_gap", None),
];

fn field(row: &EqualizationRow, name: &str) -> Option<f64> {
    match name {
        "mean" => row.mean,
        "cv" => row.cv,
        "williamson" => row.williamson,
        "gini" => row.gini,
        "weighted_gini" => row.weighted_gini,
        "theil" => row.theil,
        "weighted_theil" => row.weighted_theil,
        "max_min_ratio" => row.max_min_ratio,
        "urban_rural_gap" => row.urban_rural_gap,
        "theil_between" => row.theil_between,
        "theil_within" => row.theil_within,
        "weighted_theil_between" => row.weighted_theil_between,
        "weighted_theil_within" => row.weighted_theil_within,
        _ => unreachable!("{name}"),
    }
}

#[track_caller]
fn check(row: &EqualizationRow, want: &[(&str, Option<f64>)]) {
    for (name, w) in want {
        let g = field(row, name);
        match (g, w) {
            (Some(g), Some(w)) => assert!(close(g, *w), "{} {name}: got {g}, want {w}", row.scope),
            (None, None) => {}
            _ => panic!("{} {name}: got {g:?}, want {w:?}", row.scope),
        }
    }
}

fn province() -> Hierarchy {
    let mut rows = vec![
        RegionInput::from(("530000", None, RegionLevel::Province)),
        ("530100", Some("530000"), RegionLevel::Prefecture).into(),
        ("532300", Some("530000"), RegionLevel::Prefecture).into(),
        ("533100", Some("530000"), RegionLevel::Prefecture).into(),
    ];
    for (code, parent, kind, ..) in COUNTIES {
        rows.push(RegionInput {
            code: code.into(),
            parent: Some(parent.into()),
            level: RegionLevel::County,
            name: None,
            kind: Some(kind.into()),
        });
    }
    Hierarchy::new(rows).unwrap()
}

fn section(h: &Hierarchy, period: Period, pick: impl Fn(usize) -> f64) -> CrossSection {
    CrossSection {
        indicator: "preschool_enrolment".into(),
        period,
        values: COUNTIES
            .iter()
            .enumerate()
            .map(|(i, c)| (h.index_of(c.0).unwrap(), pick(i)))
            .collect(),
    }
}

fn population(h: &Hierarchy) -> Vec<f64> {
    let mut p = vec![f64::NAN; h.len()];
    for c in COUNTIES {
        p[h.index_of(c.0).unwrap() as usize] = c.3;
    }
    p
}

#[test]
fn a_province_matches_numpy() {
    let h = province();
    let g = Grouping::new(&h, None);
    let pop = population(&h);
    let latest = section(&h, Period::Quarter(2024, 4), |i| COUNTIES[i].4);
    let rows = equalize(&latest, &g, Some(&pop), Some(Polarity::HigherIsBetter));
    let scopes: Vec<&str> = rows.iter().map(|r| r.scope.as_str()).collect();
    // The province first (with the directly administered 539001 in it), then its prefectures.
    assert_eq!(scopes, ["530000", "530100", "532300", "533100"]);
    assert_eq!(rows[0].n, 11);
    assert_eq!(rows[0].scope_level, Some(RegionLevel::Province));
    check(&rows[0], &PROVINCE_LATEST);
    let d = (
        rows[0].theil_between.unwrap(),
        rows[0].theil_within.unwrap(),
    );
    assert!(close(d.0 + d.1, rows[0].theil.unwrap()));
    assert_eq!(rows[2].n, 4);
    check(&rows[2], &PREFECTURE_LATEST);
    // A prefecture is not decomposed.
    assert_eq!(rows[2].theil_between, None);
    assert_eq!(rows[2].theil_within, None);
    // Urban − rural for a higher-is-better rate: rural_lag is the gap itself.
    assert_eq!(rows[0].rural_lag, rows[0].urban_rural_gap);
    assert_eq!(rows[0].n_city, 4);

    let base = section(&h, Period::Year(2022), |i| COUNTIES[i].5);
    let brows = equalize(&base, &g, Some(&pop), Some(Polarity::HigherIsBetter));
    check(&brows[0], &PROVINCE_BASELINE);
    check(&brows[2], &PREFECTURE_BASELINE);

    // Every measure fell from 2022 to 2024Q4: narrowing.
    let t = trend(&brows[0], &rows[0]);
    assert_eq!(t.cv, Some(Change::Narrowing));
    assert_eq!(t.williamson, Some(Change::Narrowing));
    assert_eq!(t.gini, Some(Change::Narrowing));
    assert_eq!(t.theil, Some(Change::Narrowing));
    assert_eq!(t.max_min_ratio, Some(Change::Narrowing));
    assert_eq!(t.urban_rural_gap, Some(Change::Narrowing));
    assert_eq!(t.overall, Some(Change::Narrowing));
    assert_eq!(t.baseline_period, Period::Year(2022));
    let back = trend(&rows[0], &brows[0]);
    assert_eq!(back.overall, Some(Change::Widening));
    let same = trend(&rows[0], &rows[0]);
    assert_eq!(same.overall, Some(Change::Unchanged));
}

#[test]
fn weighted_measures_need_every_population() {
    let h = province();
    let g = Grouping::new(&h, None);
    let mut pop = population(&h);
    pop[h.index_of("532322").unwrap() as usize] = f64::NAN;
    let latest = section(&h, Period::Quarter(2024, 4), |i| COUNTIES[i].4);
    let rows = equalize(&latest, &g, Some(&pop), None);
    // 532322 lies in the province and in 532300: no weighted measures there …
    assert_eq!(rows[0].williamson, None);
    assert_eq!(rows[0].weighted_gini, None);
    assert_eq!(rows[2].williamson, None);
    // … but 530100 has all its populations.
    assert!(rows[1].williamson.is_some());
    // Unweighted measures do not change; without a polarity there is no rural_lag.
    check(&rows[0], &PROVINCE_LATEST[..2]);
    assert_eq!(rows[0].rural_lag, None);
    // A lower-is-better indicator turns the gap: rural_lag = −gap.
    let rows = equalize(&latest, &g, None, Some(Polarity::LowerIsBetter));
    assert_eq!(rows[0].rural_lag, Some(-13.25));
    assert_eq!(rows[0].williamson, None);
}

#[test]
fn scope_limits_the_counties() {
    let h = province();
    let g = Grouping::new(&h, h.index_of("532300"));
    let latest = section(&h, Period::Quarter(2024, 4), |i| COUNTIES[i].4);
    let rows = equalize(&latest, &g, None, None);
    // Evaluating a prefecture: its row only, no province row made of its four counties.
    let scopes: Vec<&str> = rows.iter().map(|r| r.scope.as_str()).collect();
    assert_eq!(scopes, ["532300"]);
    assert_eq!(rows[0].n, 4);
    check(&rows[0], &PREFECTURE_LATEST[..1]);
}

#[test]
fn cross_sections_read_the_period_or_a_shorter_one_ending_with_it() {
    let h = Hierarchy::new(vec![
        RegionInput::from(("530000", None, RegionLevel::Province)),
        ("530100", Some("530000"), RegionLevel::Prefecture).into(),
        ("530102", Some("530100"), RegionLevel::County).into(),
        ("530103", Some("530100"), RegionLevel::County).into(),
        ("530111", Some("530100"), RegionLevel::County).into(),
        ("530112", Some("530100"), RegionLevel::County).into(),
        ("530113", Some("530100"), RegionLevel::County).into(),
    ])
    .unwrap();
    let info = IndicatorInfo {
        id: "rate".into(),
        name: "率".into(),
        unit: "%".into(),
        polarity: Polarity::HigherIsBetter,
        kind: Kind::Rate,
        aggregation: Aggregation::Ratio,
        additive: false,
        applies_to: None,
    };
    let count = IndicatorInfo {
        id: "places".into(),
        kind: Kind::Count,
        aggregation: Aggregation::Sum,
        unit: "个".into(),
        ..info.clone()
    };
    let indicators = IndicatorSet::new(vec![info, count]).unwrap();
    let mut b = ValueTableBuilder::new(h.len() as u32, 2);
    let r = |c: &str| h.index_of(c).unwrap();
    let k = PeriodKey::of;
    b.push(r("530102"), 0, k(Period::Year(2022)), 1.0, None, false);
    b.push(
        r("530102"),
        0,
        k(Period::Quarter(2022, 4)),
        9.0,
        None,
        false,
    );
    b.push(
        r("530103"),
        0,
        k(Period::Quarter(2022, 4)),
        2.0,
        None,
        false,
    );
    b.push(r("530103"), 0, k(Period::Month(2022, 12)), 9.0, None, false);
    b.push(r("530111"), 0, k(Period::Month(2022, 12)), 3.0, None, false);
    b.push(
        r("530112"),
        0,
        k(Period::Quarter(2022, 3)),
        9.0,
        None,
        false,
    );
    b.push(r("530113"), 0, k(Period::Year(2023)), 9.0, None, false);
    // The prefecture's own value is not a county's.
    b.push(r("530100"), 0, k(Period::Year(2022)), 9.0, None, false);
    b.push(r("530102"), 1, k(Period::Year(2022)), 300.0, None, false);
    let table = b.build();
    // The count (托位数) gets no section: its spread is the counties' size.
    let s = cross_sections(&table, &h, &indicators, Period::Year(2022));
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].indicator, "rate");
    assert_eq!(s[0].period, Period::Year(2022));
    // 530102: the annual value; 530103: 2022Q4 over 202212; 530111: 202212; 530112 (only
    // 2022Q3) and 530113 (only 2023) have none.
    assert_eq!(
        s[0].values,
        vec![(r("530102"), 1.0), (r("530103"), 2.0), (r("530111"), 3.0)]
    );
    // Asked for a quarter, an annual value ending with it does not count.
    let q = cross_sections(&table, &h, &indicators, Period::Quarter(2023, 4));
    assert!(q[0].values.is_empty());
}
