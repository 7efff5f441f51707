//! A whole evaluation of a small province by hand: target scores, domain and overall
//! composites with weights and re-normalisation, external scores, rankings with a tie and
//! previous ranks, equalization with a trend, and the JSON contract.

use minsheng_assess::{Assessment, Hierarchy, Method, RegionInput, Status};
use minsheng_catalog::Polarity;
use minsheng_evaluate::*;
use minsheng_model::{Op, Period, RegionLevel};

fn hierarchy() -> Hierarchy {
    let county = |code: &str, parent: &str, kind: &str| RegionInput {
        code: code.into(),
        parent: Some(parent.into()),
        level: RegionLevel::County,
        name: None,
        kind: Some(kind.into()),
    };
    Hierarchy::new(vec![
        RegionInput::from(("530000", None, RegionLevel::Province)),
        ("530100", Some("530000"), RegionLevel::Prefecture).into(),
        ("532300", Some("530000"), RegionLevel::Prefecture).into(),
        county("530102", "530100", "district"),
        county("530124", "530100", "county"),
        county("532301", "532300", "city"),
        county("532322", "532300", "county"),
    ])
    .unwrap()
}

fn indicators() -> Vec<IndicatorMeta> {
    let m = |id: &str, domain: &str, polarity| IndicatorMeta {
        id: id.into(),
        domain: Some(domain.into()),
        polarity,
    };
    vec![
        m("imr", "病有所医", Polarity::LowerIsBetter),
        m("vacc", "病有所医", Polarity::HigherIsBetter),
        m("enrol", "学有所教", Polarity::HigherIsBetter),
    ]
}

/// (region, indicator, baseline, latest, status); targets: imr ≤ 4, vacc ≥ 95, enrol ≥ 90.
type Row = (&'static str, &'static str, f64, f64, Status);

const ROWS: [Row; 15] = {
    use Status::*;
    [
        // 530102: imr 100·(5 − 4.5)/(5 − 4) = 50; vacc 100·12/15 = 80; enrol achieved 100.
        ("530102", "imr", 5.0, 4.5, LimitedProgress),
        ("530102", "vacc", 80.0, 92.0, NeedsAcceleration),
        ("530102", "enrol", 85.0, 91.0, Achieved),
        // 530124: imr 100·1/2 = 50; vacc 100·7.5/25 = 30; enrol no data.
        ("530124", "imr", 6.0, 5.0, LimitedProgress),
        ("530124", "vacc", 70.0, 77.5, LimitedProgress),
        ("530124", "enrol", f64::NAN, f64::NAN, NoData),
        // 532301: imr achieved 100; vacc 90 → 89 regressing 0; enrol 100·5/10 = 50.
        ("532301", "imr", 5.0, 3.9, Achieved),
        ("532301", "vacc", 90.0, 89.0, Regressing),
        ("532301", "enrol", 80.0, 85.0, LimitedProgress),
        // 532322: as 530102.
        ("532322", "imr", 5.0, 4.5, LimitedProgress),
        ("532322", "vacc", 80.0, 92.0, NeedsAcceleration),
        ("532322", "enrol", 85.0, 91.0, Achieved),
        // 530100: imr 100·0.75/1.5 = 50; vacc 100·9.5/20 = 47.5; (enrol below).
        ("530100", "imr", 5.5, 4.75, LimitedProgress),
        ("530100", "vacc", 75.0, 84.5, LimitedProgress),
        // 532300: imr 100·0.8/1 = 80.
        ("532300", "imr", 5.0, 4.2, NeedsAcceleration),
    ]
};

fn assessments() -> Vec<Assessment<'static>> {
    let mut rows: Vec<Row> = ROWS.to_vec();
    // 530100: enrol 100·3/5 = 60. 532300: vacc 100·5.5/10 = 55; enrol no data.
    rows.insert(14, ("530100", "enrol", 85.0, 88.0, Status::LimitedProgress));
    rows.push(("532300", "vacc", 85.0, 90.5, Status::LimitedProgress));
    rows.push(("532300", "enrol", f64::NAN, f64::NAN, Status::NoData));
    rows.into_iter()
        .map(|(region, indicator, b, l, status)| {
            let (op, target) = match indicator {
                "imr" => (Op::AtMost, 4.0),
                "vacc" => (Op::AtLeast, 95.0),
                _ => (Op::AtLeast, 90.0),
            };
            Assessment {
                region,
                indicator,
                target_region: "530000",
                op,
                target,
                target_year: 2025,
                baseline: (!b.is_nan()).then_some(b),
                baseline_period: (!b.is_nan()).then_some(Period::Year(2022)),
                latest: (!l.is_nan()).then_some(l),
                latest_period: (!l.is_nan()).then_some(Period::Quarter(2024, 4)),
                ratio: None,
                projected: None,
                status,
                method: Method::OpenSdgRatio,
                baseline_source: None,
                note: None,
                aggregated: false,
                incomplete: false,
                simulated: false,
                target_index: 0,
            }
        })
        .collect()
}

const WEIGHTS: &str = "\
[domains]
\"病有所医\" = 2

[indicators]
vacc = 3

[external]
satisfaction = 0.2
";

const EXTERNAL: &str = "\
region,source,score,period
530102,satisfaction,85,2024
532322,satisfaction,85,2024
532322,satisfaction,20,2023
532301,satisfaction,10,2025
";

/// The previous run, as its JSON contract alone (no extra fields): read back as a snapshot.
const PREVIOUS: &str = r#"{
  "run_id": "2024Q3", "kind": "monitoring", "as_of": "2024Q3",
  "scores": [{"region": "530100", "domain": "总体", "score": 60.0}],
  "rankings": [
    {"scope": "530000", "region": "530100", "rank": 1, "score": 60.0, "previous_rank": null},
    {"scope": "530000", "region": "532300", "rank": 2, "score": 50.0, "previous_rank": null},
    {"scope": "530000", "region": "530124", "rank": 1, "score": 70.0, "previous_rank": null},
    {"scope": "532300", "region": "532301", "rank": 1, "score": 70.0, "previous_rank": null}
  ],
  "equalization": []
}"#;

fn sections(h: &Hierarchy) -> Vec<CrossSection> {
    let s = |period, values: [(&str, f64); 4]| CrossSection {
        indicator: "vacc".into(),
        period,
        values: values
            .iter()
            .map(|(c, v)| (h.index_of(c).unwrap(), *v))
            .collect(),
    };
    vec![
        s(
            Period::Quarter(2024, 4),
            [
                ("530102", 92.0),
                ("530124", 77.5),
                ("532301", 89.0),
                ("532322", 92.0),
            ],
        ),
        s(
            Period::Year(2022),
            [
                ("530102", 80.0),
                ("530124", 70.0),
                ("532301", 90.0),
                ("532322", 80.0),
            ],
        ),
    ]
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

fn score<'r>(r: &'r EvaluationResult, region: &str, domain: &str) -> &'r ScoreRow {
    r.scores
        .iter()
        .find(|s| s.region == region && s.domain == domain)
        .unwrap_or_else(|| panic!("no score row {region} {domain}"))
}

fn run(previous: Option<&EvaluationResult>) -> EvaluationResult {
    let h = hierarchy();
    let indicators = indicators();
    let a = assessments();
    let weights = WeightsConfig::from_toml(WEIGHTS).unwrap();
    let external = parse_external_csv(EXTERNAL).unwrap();
    let values = sections(&h);
    let mut population = vec![f64::NAN; h.len()];
    for (c, p) in [
        ("530102", 80.0),
        ("530124", 20.0),
        ("532301", 60.0),
        ("532322", 40.0),
    ] {
        population[h.index_of(c).unwrap() as usize] = p;
    }
    evaluate(&EvaluationInput {
        run_id: "final-2024Q4",
        kind: EvaluationKind::Final,
        as_of: Period::Quarter(2024, 4),
        baseline: Some(Period::Year(2022)),
        scope: None,
        hierarchy: &h,
        indicators: &indicators,
        assessments: &a,
        values: &values,
        population: Some(&population),
        weights: &weights,
        external: &external,
        previous,
    })
    .unwrap()
}

#[test]
fn scores_compose_with_weights_and_renormalise() {
    let r = run(None);
    // 530102 病有所医: (1·50 + 3·80)/(1 + 3) = 290/4 = 72.5; 学有所教: 100.
    // Domains: (2·72.5 + 1·100)/3 = 245/3; with satisfaction 85 at share 0.2:
    // 0.8·245/3 + 0.2·85 = 65.333… + 17 = 82.333….
    assert!(close(score(&r, "530102", "病有所医").score, 72.5));
    assert!(close(score(&r, "530102", "学有所教").score, 100.0));
    let o = score(&r, "530102", OVERALL);
    assert!(close(o.score, 0.8 * 245.0 / 3.0 + 17.0), "{o:?}");
    assert_eq!(o.part, Some(ScorePart::Overall));
    assert_eq!((o.n, o.n_scored), (2, 2));
    let ext = score(&r, "530102", "群众满意度");
    assert_eq!(ext.part, Some(ScorePart::External));
    assert!(close(ext.score, 85.0));
    assert_eq!(ext.period, Some(Period::Year(2024)));
    // 530124: 病有所医 (50 + 3·30)/4 = 35; 学有所教 all no data: null, coverage 0; overall
    // re-normalises to 病有所医 alone (coverage 2/3); no satisfaction score, so its 0.2 share
    // is re-normalised away too: 35.
    assert!(close(score(&r, "530124", "病有所医").score, 35.0));
    let edu = score(&r, "530124", "学有所教");
    assert_eq!(edu.score, None);
    assert!(close(edu.coverage, 0.0));
    let o = score(&r, "530124", OVERALL);
    assert!(close(o.score, 35.0));
    assert!(close(o.coverage, 2.0 / 3.0));
    // 532301: 病有所医 (100 + 3·0)/4 = 25; 学有所教 50; (2·25 + 50)/3 = 100/3. Its 2025
    // satisfaction score is after as-of: not used.
    assert!(close(score(&r, "532301", OVERALL).score, 100.0 / 3.0));
    assert!(
        !r.scores
            .iter()
            .any(|s| s.region == "532301" && s.part == Some(ScorePart::External))
    );
    // 532322: as 530102, and its latest satisfaction (2024: 85, not 2023: 20).
    assert!(close(
        score(&r, "532322", OVERALL).score,
        0.8 * 245.0 / 3.0 + 17.0
    ));
    // 530100: 病有所医 (50 + 3·47.5)/4 = 48.125; 学有所教 60; (2·48.125 + 60)/3 = 52.083….
    assert!(close(score(&r, "530100", OVERALL).score, 156.25 / 3.0));
    // 532300: 病有所医 (80 + 3·55)/4 = 61.25; 学有所教 no data: 61.25.
    assert!(close(score(&r, "532300", OVERALL).score, 61.25));
    // Target rows: status and score per target and region.
    let t = r
        .targets
        .iter()
        .find(|t| &*t.region == "530124" && &*t.indicator == "vacc")
        .unwrap();
    assert!(close(t.score, 30.0));
    assert_eq!((&*t.domain, t.weight), ("病有所医", 3.0));
    assert_eq!(r.targets.len(), 18);
    // Rows come in hierarchy order, overall first.
    assert_eq!(r.scores[0].region, "530100");
    assert_eq!(r.scores[0].domain, OVERALL);
}

#[test]
fn rankings_with_a_tie_and_previous_ranks() {
    let previous: EvaluationResult = serde_json::from_str(PREVIOUS).unwrap();
    let r = run(Some(&previous));
    let got: Vec<(&str, &str, u32, Option<u32>)> = r
        .rankings
        .iter()
        .map(|x| (x.scope.as_str(), x.region.as_str(), x.rank, x.previous_rank))
        .collect();
    assert_eq!(
        got,
        [
            // Prefectures in the province: 61.25 > 52.08; they swapped places.
            ("530000", "532300", 1, Some(2)),
            ("530000", "530100", 2, Some(1)),
            // Counties in the province: 530102 and 532322 tie at 82.33 (rank 1, 1), then 35
            // (rank 3) and 33.33 (rank 4).
            ("530000", "530102", 1, None),
            ("530000", "532322", 1, None),
            ("530000", "530124", 3, Some(1)),
            ("530000", "532301", 4, None),
            // Counties in each prefecture.
            ("530100", "530102", 1, None),
            ("530100", "530124", 2, None),
            ("532300", "532322", 1, None),
            ("532300", "532301", 2, Some(1)),
        ]
    );
    let swap = &r.rankings[0];
    assert_eq!(swap.change, Some(1));
    assert_eq!(swap.level, Some(RegionLevel::Prefecture));
    assert_eq!(swap.of, 2);
    assert_eq!(r.rankings[4].change, Some(-2));
    assert_eq!(r.rankings[2].level, Some(RegionLevel::County));
}

#[test]
fn equalization_rows_with_a_trend() {
    let r = run(None);
    let rows: Vec<(&str, Period)> = r
        .equalization
        .iter()
        .map(|e| (e.scope.as_str(), e.period))
        .collect();
    // Scope in hierarchy order, baseline before latest.
    assert_eq!(
        rows,
        [
            ("530000", Period::Year(2022)),
            ("530000", Period::Quarter(2024, 4)),
            ("530100", Period::Year(2022)),
            ("530100", Period::Quarter(2024, 4)),
            ("532300", Period::Year(2022)),
            ("532300", Period::Quarter(2024, 4)),
        ]
    );
    let latest = &r.equalization[1];
    // Mean (92 + 77.5 + 89 + 92)/4 = 87.625. Deviations 4.375, −10.125, 1.375, 4.375;
    // squares sum 142.6875; σ² = 35.671875; CV = sqrt(35.671875)/87.625.
    assert!(close(latest.mean, 87.625));
    assert!(close(latest.cv, 35.671875f64.sqrt() / 87.625));
    // Urban (530102: 92) − rural (530124, 532322: (77.5 + 92)/2 = 84.75) = 7.25; 532301 is a
    // 县级市, apart.
    assert!(close(latest.urban_rural_gap, 7.25));
    assert!(close(latest.city_mean, 89.0));
    let (b, w) = (latest.theil_between.unwrap(), latest.theil_within.unwrap());
    assert!((b + w - latest.theil.unwrap()).abs() < 1e-15);
    assert!(latest.williamson.is_some());
    let base = &r.equalization[0];
    // Baseline 80, 70, 90, 80: mean 80, σ² = (0 + 100 + 100 + 0)/4 = 50, CV = sqrt(50)/80;
    // gap 80 − (70 + 80)/2 = 5.
    assert!(close(base.cv, 50f64.sqrt() / 80.0));
    assert!(close(base.urban_rural_gap, 5.0));
    assert_eq!(base.trend, None);
    // CV fell (0.0884 → 0.0682): narrowing; the gap grew (5 → 7.25): widening; so mixed.
    let t = latest.trend.unwrap();
    assert_eq!(t.cv, Some(Change::Narrowing));
    assert_eq!(t.urban_rural_gap, Some(Change::Widening));
    assert_eq!(t.overall, Some(Change::Mixed));
    // 532300 has no 市辖区: no gap.
    assert_eq!(r.equalization[5].urban_rural_gap, None);
    assert_eq!(r.equalization[5].theil_between, None);
}

/// Equal JSON trees, numbers within a relative 1e-14.
#[track_caller]
fn same_json(a: &serde_json::Value, b: &serde_json::Value) {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= 1e-14 * x.abs().max(y.abs()), "{x} vs {y}");
        }
        (Array(x), Array(y)) => {
            assert_eq!(x.len(), y.len());
            x.iter().zip(y).for_each(|(x, y)| same_json(x, y));
        }
        (Object(x), Object(y)) => {
            assert_eq!(x.len(), y.len());
            for (k, v) in x {
                same_json(v, &y[k]);
            }
        }
        _ => assert_eq!(a, b),
    }
}

#[test]
fn json_has_the_contract_shape() {
    let r = run(None);
    let text = serde_json::to_string(&r).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The contract's keys come first, in order.
    let top = [
        "run_id",
        "kind",
        "as_of",
        "scores",
        "rankings",
        "equalization",
    ];
    let pos: Vec<usize> = top
        .iter()
        .map(|k| text.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
    assert_eq!(v["run_id"], "final-2024Q4");
    assert_eq!(v["kind"], "final");
    assert_eq!(v["as_of"], "2024Q4");
    let keys = |o: &serde_json::Value, want: &[&str]| {
        for k in want {
            assert!(o.get(k).is_some(), "{k} missing in {o}");
        }
    };
    keys(&v["scores"][0], &["region", "domain", "score"]);
    keys(
        &v["rankings"][0],
        &["scope", "region", "rank", "score", "previous_rank"],
    );
    assert!(v["rankings"][0]["previous_rank"].is_null());
    let eq = &v["equalization"][4];
    keys(
        eq,
        &[
            "indicator",
            "scope",
            "period",
            "n",
            "mean",
            "cv",
            "williamson",
            "gini",
            "theil",
            "theil_between",
            "theil_within",
            "max_min_ratio",
            "urban_rural_gap",
        ],
    );
    assert_eq!(eq["scope"], "532300");
    assert_eq!(eq["period"], "2022");
    assert!(eq["theil_between"].is_null());
    assert!(eq["urban_rural_gap"].is_null());
    assert!(
        v["scores"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["score"].is_null())
    );
    // It reads back as the same result (the next run's `previous`), floats to the last digit
    // or so (serde_json's default float parser may differ in the last place).
    let back: EvaluationResult = serde_json::from_str(&text).unwrap();
    assert_eq!(back.rankings, r.rankings);
    assert_eq!(back.targets, r.targets);
    assert_eq!(back.method, r.method);
    same_json(&serde_json::to_value(&back).unwrap(), &v);
    assert!(r.method.as_ref().unwrap().overall.contains("0.2"));
}

#[test]
fn unknown_names_are_errors() {
    let h = hierarchy();
    let indicators = indicators();
    let weights = WeightsConfig::default();
    let base = EvaluationInput {
        run_id: "x",
        kind: EvaluationKind::Monitoring,
        as_of: Period::Quarter(2024, 4),
        baseline: None,
        scope: None,
        hierarchy: &h,
        indicators: &indicators,
        assessments: &[],
        values: &[],
        population: None,
        weights: &weights,
        external: &[],
        previous: None,
    };
    let external =
        parse_external_csv("region,source,score,period\n999999,satisfaction,80,2024\n").unwrap();
    let e = evaluate(&EvaluationInput {
        external: &external,
        ..base
    })
    .unwrap_err();
    assert!(matches!(e, EvaluateError::UnknownRegion { .. }), "{e}");
    let typo = WeightsConfig::from_toml("[indicators]\nimr = 1\nvaccc = 2\n").unwrap();
    let e = evaluate(&EvaluationInput {
        weights: &typo,
        ..base
    })
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "weights file, line 3: unknown indicator id \"vaccc\": not in the catalog"
    );
    let e = evaluate(&EvaluationInput {
        scope: Some("110000"),
        ..base
    })
    .unwrap_err();
    assert!(e.to_string().contains("110000"), "{e}");
    let e = evaluate(&EvaluationInput {
        population: Some(&[1.0]),
        ..base
    })
    .unwrap_err();
    assert!(matches!(e, EvaluateError::PopulationLength { .. }), "{e}");
    // Nothing to evaluate is an answer, not an error.
    let empty = evaluate(&base).unwrap();
    assert!(empty.scores.is_empty() && empty.rankings.is_empty());
}

#[test]
fn a_prefecture_scope_ranks_only_inside_it() {
    let h = hierarchy();
    let indicators = indicators();
    let a = assessments();
    let weights = WeightsConfig::default();
    let values = sections(&h);
    let r = evaluate(&EvaluationInput {
        run_id: "chuxiong",
        kind: EvaluationKind::Midterm,
        as_of: Period::Quarter(2024, 4),
        baseline: Some(Period::Year(2022)),
        scope: Some("532300"),
        hierarchy: &h,
        indicators: &indicators,
        assessments: &a,
        values: &values,
        population: None,
        weights: &weights,
        external: &[],
        previous: None,
    })
    .unwrap();
    assert!(r.scores.iter().all(|s| s.region.starts_with("5323")));
    assert!(r.rankings.iter().all(|x| x.scope == "532300"));
    assert_eq!(r.rankings.len(), 2);
    assert!(r.equalization.iter().all(|e| e.scope == "532300"));
    // Equal weights: 532301 病有所医 (100 + 0)/2 = 50, 学有所教 50; overall (50 + 50)/2 = 50.
    assert!(close(score(&r, "532301", OVERALL).score, 50.0));
}
