//! Target scores, composites with re-normalised weights, the weights file and the external
//! scores file: hand-computed cases, the arithmetic in the comments.

use minsheng_assess::{Assessment, Method, Status};
use minsheng_catalog::Polarity;
use minsheng_evaluate::*;
use minsheng_model::{Op, Period};

#[track_caller]
fn assert_close(got: Option<f64>, want: f64) {
    let g = got.expect("a score");
    assert!((g - want).abs() < 1e-9, "got {g}, want {want}");
}

fn row<'a>(
    op: Op,
    target: f64,
    baseline: Option<f64>,
    latest: Option<f64>,
    status: Status,
) -> Assessment<'a> {
    Assessment {
        region: "532301",
        indicator: "x",
        target_region: "530000",
        op,
        target,
        target_year: 2025,
        baseline,
        baseline_period: baseline.map(|_| Period::Year(2022)),
        latest,
        latest_period: latest.map(|_| Period::Quarter(2024, 4)),
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
}

#[test]
fn target_scores_are_the_distance_covered() {
    let up = Polarity::HigherIsBetter;
    // Floor 95, baseline 80, latest 87: 100·(87 − 80)/(95 − 80) = 700/15 = 46.67.
    let a = row(
        Op::AtLeast,
        95.0,
        Some(80.0),
        Some(87.0),
        Status::NeedsAcceleration,
    );
    assert_close(target_score(&a, up), 700.0 / 15.0);
    // Ceiling 4‰ (infant mortality), baseline 5, latest 4.6, d = −1:
    // 100·(−1)(4.6 − 5)/((−1)(4 − 5)) = 100·0.4/1 = 40.
    let b = row(
        Op::AtMost,
        4.0,
        Some(5.0),
        Some(4.6),
        Status::LimitedProgress,
    );
    assert_close(target_score(&b, Polarity::LowerIsBetter), 40.0);
    // A plain value (=) takes the polarity: lower is better, 10 → 7 of 10 → 4: 100·3/6 = 50.
    let c = row(
        Op::Equal,
        4.0,
        Some(10.0),
        Some(7.0),
        Status::LimitedProgress,
    );
    assert_close(target_score(&c, Polarity::LowerIsBetter), 50.0);
    // Moving away: 80 → 78 against 95: 100·(−2)/15 < 0, clipped to 0.
    let d = row(
        Op::AtLeast,
        95.0,
        Some(80.0),
        Some(78.0),
        Status::Regressing,
    );
    assert_close(target_score(&d, up), 0.0);
    // Achieved: 100, whatever the baseline.
    let e = row(Op::AtLeast, 95.0, None, Some(96.0), Status::Achieved);
    assert_close(target_score(&e, up), 100.0);
    // No data: no score (left out of composites, not 0).
    let f = row(Op::AtLeast, 95.0, None, Some(90.0), Status::NoData);
    assert_eq!(target_score(&f, up), None);
    // The baseline already met the target (96 ≥ 95) and the latest fell below it (94): 0.
    let g = row(
        Op::AtLeast,
        95.0,
        Some(96.0),
        Some(94.0),
        Status::Regressing,
    );
    assert_close(target_score(&g, up), 0.0);
    // Direct use: on track 80 → 92 of 95: 100·12/15 = 80.
    assert_close(
        progress_score(Status::OnTrack, Some(80.0), Some(92.0), 95.0, 1.0),
        80.0,
    );
}

#[test]
fn composites_renormalise_over_the_parts_with_data() {
    // Scores 40 (weight 1), none (weight 1), 100 (weight 2):
    // (1·40 + 2·100)/(1 + 2) = 240/3 = 80; coverage (1 + 2)/(1 + 1 + 2) = 0.75.
    let c = composite([(Some(40.0), 1.0), (None, 1.0), (Some(100.0), 2.0)]);
    assert_close(c.score, 80.0);
    assert_eq!((c.n, c.n_scored), (3, 2));
    assert_close(c.coverage, 0.75);
    // Nothing scored: no score, coverage 0.
    let none = composite([(None, 1.0), (None, 2.0)]);
    assert_eq!(none.score, None);
    assert_close(none.coverage, 0.0);
    // A weight of 0 counts for nothing.
    assert_close(
        composite([(Some(10.0), 0.0), (Some(50.0), 1.0)]).score,
        50.0,
    );
    // Overall: monitoring 80 with share 1 − 0.1 − 0.1 = 0.8, satisfaction 90 with 0.1, third
    // party missing (its 0.1 re-normalised away): (0.8·80 + 0.1·90)/(0.8 + 0.1) = 73/0.9.
    assert_close(
        overall(Some(80.0), &[(Some(90.0), 0.1), (None, 0.1)]),
        73.0 / 0.9,
    );
    // Both present: 0.8·80 + 0.1·90 + 0.1·60 = 64 + 9 + 6 = 79.
    assert_close(
        overall(Some(80.0), &[(Some(90.0), 0.1), (Some(60.0), 0.1)]),
        79.0,
    );
    // No monitoring score: no overall score, whatever the surveys say.
    assert_eq!(overall(None, &[(Some(90.0), 0.1)]), None);
}

#[test]
fn weights_file_errors_name_the_line() {
    let err = |text: &str| WeightsConfig::from_toml(text).unwrap_err();
    let e = err("[domains]\n\"病有所医\" = 2\n\"病有所依\" = 1\n");
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.contains("unknown domain"), "{e}");
    let e = err("[domains]\n\"病有所医\" = 2\n\n[indicators]\ninfant_mortality = -1\n");
    assert_eq!(e.line, 5, "{e}");
    assert!(e.message.contains("≥ 0"), "{e}");
    let e = err("[indicators]\nx = \"two\"\n");
    assert_eq!(e.line, 2, "{e}");
    let e = err("# weights\n[domain]\n\"病有所医\" = 2\n");
    assert_eq!(e.line, 2, "{e}");
    let e = err("[external]\nsatisfaction = 0.5\nthird_party = 0.6\n");
    assert!(e.message.contains("sum < 1"), "{e}");
    assert_eq!(e.line, 1, "{e}");
    let e = err("[external]\nsatisfaction = 10\n");
    assert_eq!(e.line, 2, "{e}");
    let e = err("[external]\nsurvey = 0.1\n");
    assert_eq!(e.line, 2, "{e}");
    let e = err("[indicators\n");
    assert_eq!(e.line, 1, "{e}");
    assert!(e.to_string().starts_with("weights file, line 1:"), "{e}");
    // Unknown indicator ids are found against the catalog, with their line.
    let w =
        WeightsConfig::from_toml("[indicators]\nimr = 2\n# typo below\nvacc_rate = 1\n").unwrap();
    let e = w.check_indicators(|id| id == "imr").unwrap_err();
    assert_eq!(e.line, 4, "{e}");
    assert!(e.message.contains("vacc_rate"), "{e}");
    assert!(w.check_indicators(|_| true).is_ok());
}

#[test]
fn weights_round_trip_through_json() {
    let w = WeightsConfig::from_toml(
        "[domains]\n\"老有所养\" = 1.5\n[indicators]\nimr = 2\n[external]\nthird_party = 0.15\n",
    )
    .unwrap();
    let json = serde_json::to_value(&w).unwrap();
    assert_eq!(json["domains"]["老有所养"], 1.5);
    assert_eq!(json["external"]["third_party"], 0.15);
    let back: WeightsConfig = serde_json::from_value(json).unwrap();
    assert_eq!(back, w);
}

#[test]
fn external_csv_errors_name_the_line() {
    let err = |text: &str| parse_external_csv(text).unwrap_err();
    let e = err("region,source,score,period\n532301,satisfaction,86,2024\n532302,survey,80,2024\n");
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.contains("unknown source"), "{e}");
    let e = err("region,source,score,period\n532301,satisfaction,186,2024\n");
    assert_eq!(e.line, 2, "{e}");
    assert!(e.message.contains("0–100"), "{e}");
    let e = err("region,source,score,period\n532301,satisfaction,high,2024\n");
    assert_eq!(e.line, 2, "{e}");
    let e = err("region,source,score,period\n532301,satisfaction,80,24\n");
    assert!(e.message.contains("not a period"), "{e}");
    let e = err("region,source,period\n532301,satisfaction,2024\n");
    assert_eq!(e.line, 1, "{e}");
    assert!(e.message.contains("score"), "{e}");
    let e = err(
        "region,source,score,period\n532301,satisfaction,80,2024\n\n532301,群众满意度,82,2024\n",
    );
    assert_eq!(e.line, 4, "{e}");
    assert!(e.message.contains("line 2"), "{e}");
    assert!(e.to_string().starts_with("external scores, line 4:"), "{e}");
    let ok = parse_external_csv(
        "region,source,score,period\n532301,satisfaction,80,2023\n532301,satisfaction,82,2024\n",
    )
    .unwrap();
    assert_eq!(ok.len(), 2);
}
