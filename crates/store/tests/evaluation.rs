//! Evaluation runs with their frozen snapshots, publishing, and external scores, run on both
//! backends through the `both!` macro of `common/`.

#[macro_use]
mod common;

use common::{TestDb, national_regions, postgres_db, sqlite_db};
use minsheng_evaluate::{
    EvaluationKind, EvaluationResult, ExternalScore, ExternalSource, RankingRow, ScoreRow,
};
use minsheng_model::{Op, Period, RegionLevel};
use minsheng_store::{
    AuditFilter, ImportOutcome, NewRun, RunFilter, RunInputs, SnapshotValue, StoreError,
};

both!(
    runs_are_kept_with_their_snapshot,
    previous_run_is_the_latest_of_the_same_plan,
    publishing_is_once_and_recorded,
    a_refused_run_leaves_nothing,
    external_scores_import_all_or_nothing,
);

const YUNNAN: &str = "530000";
const CHUXIONG_CITY: &str = "532301";
const LUFENG: &str = "532302";

fn result(as_of: Period, score: f64) -> EvaluationResult {
    EvaluationResult {
        run_id: "not yet".into(),
        kind: EvaluationKind::Monitoring,
        as_of,
        scores: vec![ScoreRow {
            region: CHUXIONG_CITY.into(),
            domain: "总体".into(),
            score: Some(score),
            part: None,
            level: Some(RegionLevel::County),
            n: 3,
            n_scored: 2,
            coverage: Some(0.75),
            weight: None,
            period: None,
        }],
        rankings: vec![RankingRow {
            scope: "532300".into(),
            region: CHUXIONG_CITY.into(),
            rank: 1,
            score,
            previous_rank: None,
            level: Some(RegionLevel::County),
            of: 1,
            change: None,
        }],
        equalization: vec![],
        baseline: Some(Period::Year(2022)),
        scope: Some(YUNNAN.into()),
        targets: vec![],
        method: None,
    }
}

fn snapshot() -> Vec<SnapshotValue> {
    vec![
        SnapshotValue {
            indicator: "infant_mortality".into(),
            region: CHUXIONG_CITY.into(),
            period: Period::Quarter(2024, 1),
            // Not representable in 15 digits: the snapshot must keep every bit.
            value: 0.1 + 0.2,
            numerator: Some(12.0),
            denominator: Some(4000.0),
            simulated: true,
        },
        SnapshotValue {
            indicator: "preschool_enrolment".into(),
            region: LUFENG.into(),
            period: Period::Year(2023),
            value: 91.5,
            numerator: None,
            denominator: None,
            simulated: false,
        },
    ]
}

fn inputs() -> RunInputs {
    RunInputs {
        targets: vec![minsheng_assess::TargetRef {
            region: YUNNAN.into(),
            indicator: "infant_mortality".into(),
            op: Op::AtMost,
            value: 4.0,
            year: 2025,
            plan_start: Some(2023),
            baseline: None,
            baseline_year: None,
            quote: "婴儿死亡率控制在4‰以下".into(),
            plan: "000".into(),
            lead_units: vec!["省卫生健康委".into()],
        }],
        external: vec![ExternalScore {
            region: CHUXIONG_CITY.into(),
            source: ExternalSource::Satisfaction,
            score: 86.5,
            period: Period::Year(2024),
            line: 0,
        }],
        include_unreviewed: false,
    }
}

fn new_run<'a>(
    result: &'a EvaluationResult,
    inputs: &'a RunInputs,
    values: &'a [SnapshotValue],
    previous: Option<i64>,
) -> NewRun<'a> {
    NewRun {
        plan_region: YUNNAN,
        plan_key: "000",
        plan_version: 1,
        created_by: "evaluator",
        weights: "[domains]\n\"病有所医\" = 2\n",
        previous_run: previous,
        result,
        inputs,
        values,
    }
}

async fn ready(db: &TestDb) {
    db.store.load_regions(&national_regions()).await.unwrap();
}

async fn audit(db: &TestDb, entity: &str) -> Vec<minsheng_store::AuditEntry> {
    db.store
        .audit(&AuditFilter {
            entity: Some(entity.into()),
            limit: None,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
}

async fn runs_are_kept_with_their_snapshot(db: &TestDb) {
    ready(db).await;
    let r = result(Period::Quarter(2024, 4), 71.25);
    let (inputs, values) = (inputs(), snapshot());
    let id = db
        .store
        .save_run(&new_run(&r, &inputs, &values, None))
        .await
        .unwrap();
    let stored = db.store.run(id).await.unwrap().expect("the run");
    assert_eq!(stored.result.run_id, id.to_string());
    assert_eq!(
        EvaluationResult {
            run_id: r.run_id.clone(),
            ..stored.result.clone()
        },
        r
    );
    assert_eq!(stored.inputs, inputs);
    assert_eq!(stored.weights, "[domains]\n\"病有所医\" = 2\n");
    let s = &stored.summary;
    assert_eq!(
        (s.kind, s.as_of, s.baseline, s.scope.as_deref()),
        (
            EvaluationKind::Monitoring,
            Period::Quarter(2024, 4),
            Some(Period::Year(2022)),
            Some(YUNNAN)
        )
    );
    assert_eq!((s.value_count, s.simulated), (2, true));
    assert!(!s.is_published());
    assert_eq!(s.created_by, "evaluator");

    let mut snap = db.store.run_snapshot(id).await.unwrap();
    snap.sort_by_key(|v| v.region.clone());
    assert_eq!(snap, values, "every bit of every value comes back");
    assert_eq!(snap[0].value.to_bits(), (0.1f64 + 0.2).to_bits());
    assert!(db.store.run_snapshot(id + 100).await.unwrap().is_empty());
    assert!(db.store.run(id + 100).await.unwrap().is_none());

    let list = db.store.runs(&RunFilter::default()).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(&list[0], s);
    let logged = audit(db, "evaluation_run").await;
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].key, format!("{YUNNAN}/evaluation/{id}"));
    assert!(logged[0].simulated);
}

async fn previous_run_is_the_latest_of_the_same_plan(db: &TestDb) {
    ready(db).await;
    let (inputs, values) = (inputs(), snapshot());
    let q3 = result(Period::Quarter(2024, 3), 60.0);
    let q4 = result(Period::Quarter(2024, 4), 70.0);
    assert!(
        db.store
            .previous_run(YUNNAN, "000", Some(YUNNAN), Period::Quarter(2024, 4))
            .await
            .unwrap()
            .is_none()
    );
    let a = db
        .store
        .save_run(&new_run(&q3, &inputs, &values, None))
        .await
        .unwrap();
    let b = db
        .store
        .save_run(&new_run(&q4, &inputs, &values, Some(a)))
        .await
        .unwrap();
    let at = |p| db.store.previous_run(YUNNAN, "000", Some(YUNNAN), p);
    assert_eq!(
        at(Period::Quarter(2024, 4))
            .await
            .unwrap()
            .unwrap()
            .summary
            .id,
        b
    );
    // 2024 ends with 2024Q4: both count, the later run wins.
    assert_eq!(at(Period::Year(2024)).await.unwrap().unwrap().summary.id, b);
    assert_eq!(
        at(Period::Quarter(2024, 3))
            .await
            .unwrap()
            .unwrap()
            .summary
            .id,
        a
    );
    assert!(at(Period::Quarter(2024, 2)).await.unwrap().is_none());
    // Another scope or plan is not a previous run.
    assert!(
        db.store
            .previous_run(YUNNAN, "000", None, Period::Year(2025))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.store
            .previous_run(YUNNAN, "001", Some(YUNNAN), Period::Year(2025))
            .await
            .unwrap()
            .is_none()
    );
    let stored = db.store.run(b).await.unwrap().unwrap();
    assert_eq!(stored.summary.previous_run, Some(a));
    let list = db.store.runs(&RunFilter::default()).await.unwrap();
    assert_eq!(
        list.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![b, a],
        "newest first"
    );
}

async fn publishing_is_once_and_recorded(db: &TestDb) {
    ready(db).await;
    let r = result(Period::Year(2024), 80.0);
    let (inputs, values) = (inputs(), snapshot());
    let id = db
        .store
        .save_run(&new_run(&r, &inputs, &values, None))
        .await
        .unwrap();
    let public = RunFilter {
        published_only: true,
        ..RunFilter::default()
    };
    assert!(db.store.runs(&public).await.unwrap().is_empty());
    assert!(matches!(
        db.store.publish_run(id, " ").await,
        Err(StoreError::NoActor { .. })
    ));
    let published = db.store.publish_run(id, "fgw_director").await.unwrap();
    assert!(published.is_published());
    assert_eq!(published.published_by.as_deref(), Some("fgw_director"));
    assert_eq!(
        db.store.runs(&public).await.unwrap(),
        vec![published.clone()]
    );
    let again = db.store.publish_run(id, "someone").await.unwrap_err();
    assert!(again.to_string().contains("published already"), "{again}");
    assert!(
        db.store
            .publish_run(id + 7, "someone")
            .await
            .unwrap_err()
            .to_string()
            .contains(&format!("no evaluation run {}", id + 7))
    );
    let stored = db.store.run(id).await.unwrap().unwrap();
    assert_eq!(stored.summary.published_by.as_deref(), Some("fgw_director"));
    let logged = audit(db, "evaluation_run").await;
    assert_eq!(
        logged.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        vec!["publish", "insert"]
    );
}

async fn a_refused_run_leaves_nothing(db: &TestDb) {
    ready(db).await;
    let r = result(Period::Year(2024), 80.0);
    let inputs = inputs();
    let mut nan = snapshot();
    nan[1].value = f64::NAN;
    let err = db
        .store
        .save_run(&new_run(&r, &inputs, &nan, None))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("value 2"), "{err}");
    let mut twice = snapshot();
    twice.push(twice[0].clone());
    assert!(
        db.store
            .save_run(&new_run(&r, &inputs, &twice, None))
            .await
            .unwrap_err()
            .to_string()
            .contains("given twice")
    );
    let values = snapshot();
    let err = db
        .store
        .save_run(&new_run(&r, &inputs, &values, Some(42)))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("previous run 42"), "{err}");
    let mut unknown = new_run(&r, &inputs, &values, None);
    unknown.plan_region = "999999";
    assert!(matches!(
        db.store.save_run(&unknown).await,
        Err(StoreError::UnknownRegion { .. })
    ));
    assert!(
        db.store
            .runs(&RunFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(audit(db, "evaluation_run").await.is_empty());
}

fn ext(region: &str, source: ExternalSource, score: f64, line: usize) -> ExternalScore {
    ExternalScore {
        region: region.into(),
        source,
        score,
        period: Period::Year(2024),
        line,
    }
}

async fn external_scores_import_all_or_nothing(db: &TestDb) {
    ready(db).await;
    let first = vec![
        ext(CHUXIONG_CITY, ExternalSource::Satisfaction, 86.5, 2),
        ext(CHUXIONG_CITY, ExternalSource::ThirdParty, 78.0, 3),
        ext(LUFENG, ExternalSource::Satisfaction, 90.0, 4),
    ];
    let outcome = db
        .store
        .import_external_scores(&first, "survey_office", "满意度2024.csv")
        .await
        .unwrap();
    assert_eq!(
        outcome,
        ImportOutcome {
            inserted: 3,
            updated: 0,
            unchanged: 0
        }
    );
    let stored = db.store.external_scores().await.unwrap();
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[0].score.region, CHUXIONG_CITY);
    assert_eq!(stored[0].imported_by, "survey_office");
    assert_eq!(stored[0].note.as_deref(), Some("满意度2024.csv"));

    // The same file again changes nothing; a corrected score replaces the old one.
    let again = db
        .store
        .import_external_scores(&first, "survey_office", "满意度2024.csv")
        .await
        .unwrap();
    assert_eq!(again.unchanged, 3);
    let corrected = vec![ext(LUFENG, ExternalSource::Satisfaction, 91.0, 2)];
    let outcome = db
        .store
        .import_external_scores(&corrected, "survey_office", "更正.csv")
        .await
        .unwrap();
    assert_eq!(outcome.updated, 1);
    let logged = audit(db, "external_score").await;
    let update = logged.iter().find(|e| e.action == "update").unwrap();
    assert_eq!(update.key, format!("{LUFENG}/2024/satisfaction"));
    assert_eq!(update.before.as_ref().unwrap()["score"], 90.0);
    assert_eq!(update.after.as_ref().unwrap()["score"], 91.0);

    // One bad row and nothing is imported: the good rows before it included.
    let before = db.store.external_scores().await.unwrap();
    let n_audit = audit(db, "external_score").await.len();
    let bad = vec![
        ext(CHUXIONG_CITY, ExternalSource::Satisfaction, 50.0, 2),
        ext("999999", ExternalSource::Satisfaction, 70.0, 3),
    ];
    let err = db
        .store
        .import_external_scores(&bad, "survey_office", "bad.csv")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("line 3") && err.to_string().contains("999999"),
        "{err}"
    );
    let out_of_range = vec![ext(LUFENG, ExternalSource::ThirdParty, 120.0, 5)];
    assert!(
        db.store
            .import_external_scores(&out_of_range, "survey_office", "bad.csv")
            .await
            .unwrap_err()
            .to_string()
            .contains("line 5")
    );
    assert!(matches!(
        db.store.import_external_scores(&first, "", "x").await,
        Err(StoreError::NoActor { .. })
    ));
    assert_eq!(db.store.external_scores().await.unwrap(), before);
    assert_eq!(audit(db, "external_score").await.len(), n_audit);
}
