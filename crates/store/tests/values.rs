//! Reported values, the review workflow, the audit log, task progress and evidence, run on
//! both backends through the `both!` macro of `common/` (PostgreSQL ignored unless
//! `MINSHENG_TEST_POSTGRES` is set and `--include-ignored` given).

#[macro_use]
mod common;

use common::{TestDb, national_regions, postgres_db, sqlite_db};
use minsheng_model::{DataValue, Domain, Period, Plan, ReviewState, Task, ValueSource};
use minsheng_store::{
    AuditFilter, ImportOutcome, IndicatorRow, ReviewAction, ReviewBatch, StoreError, TaskFilter,
    TaskKey, TaskStatus, TaskUpdate, TransitionFilter, ValueFilter, sha256_hex,
};
use minsheng_store::{Backend, Level, Store};

both!(
    importing_twice_changes_nothing,
    a_changed_value_keeps_the_old_one,
    a_failing_import_leaves_nothing,
    workflow_happy_path,
    refused_transitions_say_why,
    returning_needs_a_reason,
    published_values_do_not_change,
    audit_filters,
    value_filters,
    values_of_cells_reads_only_those,
    demo_values_are_labelled,
    task_progress_and_evidence,
    concurrent_imports_all_land,
    large_imports_cross_batches,
    values_keyed_by_text_migrate_to_numbers,
    short_runs_fill_statements_to_the_limit,
    an_import_in_parts_is_one_import,
    parts_that_fail_leave_nothing,
);

const CHUXIONG_CITY: &str = "532301";
const LUFENG: &str = "532302";
const CHUXIONG_PREF: &str = "532300";
const KUNMING: &str = "530100";

fn q1() -> Period {
    Period::Quarter(2024, 1)
}

fn value(indicator: &str, region: &str, period: Period, v: f64) -> DataValue {
    DataValue {
        indicator: indicator.into(),
        region: region.into(),
        period,
        value: v,
        numerator: None,
        denominator: None,
        source: ValueSource::Csv,
        entered_by: "county_clerk".into(),
        entered_at: "2024-04-10T08:00:00Z".into(),
        comment: None,
        state: ReviewState::Draft,
    }
}

fn rate(indicator: &str, region: &str, period: Period, num: f64, den: f64) -> DataValue {
    DataValue {
        numerator: Some(num),
        denominator: Some(den),
        ..value(indicator, region, period, num / den * 1000.0)
    }
}

fn catalogue() -> Vec<IndicatorRow> {
    [
        "infant_mortality",
        "maternal_mortality",
        "preschool_enrolment",
    ]
    .iter()
    .map(|id| IndicatorRow {
        id: (*id).into(),
        name: (*id).into(),
        unit: "%".into(),
        polarity: "higher_better".into(),
        kind: "rate".into(),
        aggregation: "weighted_mean".into(),
        synonyms: vec![],
    })
    .collect()
}

/// Regions and catalogue loaded.
async fn ready(db: &TestDb) {
    db.store.load_regions(&national_regions()).await.unwrap();
    db.store.save_indicators(&catalogue()).await.unwrap();
}

/// The codes of Yunnan's counties.
fn yunnan_counties() -> Vec<String> {
    national_regions()
        .into_iter()
        .filter(|r| r.level == Level::County && r.code.starts_with("53"))
        .map(|r| r.code)
        .collect()
}

/// Three values for 楚雄市 2024Q1, two for 禄丰市 2024Q1, one for 楚雄市 2024Q2.
fn sample() -> Vec<DataValue> {
    let mut with_comment = value("preschool_enrolment", CHUXIONG_CITY, q1(), 91.5);
    with_comment.comment = Some("含民办园".into());
    vec![
        rate("infant_mortality", CHUXIONG_CITY, q1(), 12.0, 4000.0),
        value("maternal_mortality", CHUXIONG_CITY, q1(), 10.2),
        with_comment,
        rate("infant_mortality", LUFENG, q1(), 9.0, 3000.0),
        value("maternal_mortality", LUFENG, q1(), 8.0),
        rate(
            "infant_mortality",
            CHUXIONG_CITY,
            Period::Quarter(2024, 2),
            10.0,
            4100.0,
        ),
    ]
}

async fn audit_count(db: &TestDb) -> usize {
    db.store
        .audit(&AuditFilter {
            limit: None,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .len()
}

async fn all(db: &TestDb) -> Vec<DataValue> {
    db.store.values(&ValueFilter::default()).await.unwrap()
}

async fn importing_twice_changes_nothing(db: &TestDb) {
    ready(db).await;
    let rows = sample();
    let first = db
        .store
        .import_values(&rows, "importer", "2024Q1.csv")
        .await
        .unwrap();
    assert_eq!(
        first,
        ImportOutcome {
            inserted: 6,
            updated: 0,
            unchanged: 0
        }
    );
    // One entry per region and period that got values, and one for the import.
    let logged = audit_count(db).await;
    assert_eq!(logged, 3 + 1);
    let stored = all(db).await;
    assert_eq!(stored.len(), 6);
    let infant = stored
        .iter()
        .find(|v| {
            v.indicator == "infant_mortality" && v.region == CHUXIONG_CITY && v.period == q1()
        })
        .unwrap();
    assert_eq!(infant, &rows[0]);
    assert_eq!(
        (infant.numerator, infant.denominator),
        (Some(12.0), Some(4000.0))
    );

    let second = db
        .store
        .import_values(&rows, "importer", "2024Q1.csv")
        .await
        .unwrap();
    assert_eq!(
        second,
        ImportOutcome {
            inserted: 0,
            updated: 0,
            unchanged: 6
        }
    );
    assert_eq!(
        audit_count(db).await,
        logged,
        "an unchanged import logs nothing"
    );
    assert_eq!(all(db).await, stored);
    // Who entered a value or when does not make it different; nor does an empty comment.
    let mut again = rows.clone();
    for v in &mut again {
        v.entered_by = "someone_else".into();
        v.source = ValueSource::Xlsx;
        if v.comment.is_none() {
            v.comment = Some("  ".into());
        }
    }
    let third = db
        .store
        .import_values(&again, "importer", "")
        .await
        .unwrap();
    assert_eq!(third.unchanged, 6);
    assert_eq!(audit_count(db).await, logged);
    assert_eq!(db.store.value_count().await.unwrap(), 6);
    assert_eq!(
        db.store.import_values(&[], "importer", "").await.unwrap(),
        ImportOutcome::default()
    );
}

async fn a_changed_value_keeps_the_old_one(db: &TestDb) {
    ready(db).await;
    let rows = sample();
    db.store
        .import_values(&rows, "importer", "v1.csv")
        .await
        .unwrap();
    db.store
        .submit(CHUXIONG_CITY, q1(), "county_clerk")
        .await
        .unwrap();

    let mut changed = rows.clone();
    changed[1].value = 11.0;
    changed[1].entered_by = String::new();
    changed[1].entered_at = String::new();
    changed[2].comment = Some("不含民办园".into());
    changed[2].state = ReviewState::Published; // a state in the row is not taken
    let outcome = db
        .store
        .import_values(&changed, "prefecture_stats", "v2.csv")
        .await
        .unwrap();
    assert_eq!(
        outcome,
        ImportOutcome {
            inserted: 0,
            updated: 2,
            unchanged: 4
        }
    );

    let now = ValueFilter {
        indicator: Some("maternal_mortality".into()),
        region: Some(CHUXIONG_CITY.into()),
        ..ValueFilter::default()
    };
    let current = db.store.values(&now).await.unwrap();
    assert_eq!(current.len(), 1);
    let current = &current[0];
    assert_eq!(current.value, 11.0);
    // A changed value starts the review again; empty who/when are filled in.
    assert_eq!(current.state, ReviewState::Draft);
    assert_eq!(current.entered_by, "prefecture_stats");
    assert!(current.entered_at.ends_with('Z') && current.entered_at.len() == 20);

    let history = db
        .store
        .value_history(CHUXIONG_CITY, q1(), "maternal_mortality")
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    let old = &history[0];
    assert_eq!(old.value.value, 10.2);
    assert_eq!(old.value.state, ReviewState::Submitted);
    assert_eq!(old.value.entered_by, "county_clerk");
    assert_eq!(old.replaced_by, "prefecture_stats");

    let log = db
        .store
        .audit(&AuditFilter {
            entity: Some("data_value".into()),
            key_prefix: Some(format!("{CHUXIONG_CITY}/2024Q1/maternal_mortality")),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    let entry = &log[0];
    assert_eq!(
        (entry.action.as_str(), entry.actor.as_str()),
        ("update", "prefecture_stats")
    );
    assert_eq!(entry.before.as_ref().unwrap()["value"], 10.2);
    assert_eq!(entry.before.as_ref().unwrap()["state"], "submitted");
    assert_eq!(entry.after.as_ref().unwrap()["value"], 11.0);
    assert_eq!(entry.after.as_ref().unwrap()["state"], "draft");
    assert_eq!(entry.note.as_deref(), Some("v2.csv"));

    let comment_history = db
        .store
        .value_history(CHUXIONG_CITY, q1(), "preschool_enrolment")
        .await
        .unwrap();
    assert_eq!(
        comment_history[0].value.comment.as_deref(),
        Some("含民办园")
    );
    // A third version: the history grows, oldest first.
    changed[1].value = 11.5;
    db.store
        .import_values(&changed, "prefecture_stats", "v3.csv")
        .await
        .unwrap();
    let history = db
        .store
        .value_history(CHUXIONG_CITY, q1(), "maternal_mortality")
        .await
        .unwrap();
    assert_eq!(
        history.iter().map(|h| h.value.value).collect::<Vec<_>>(),
        [10.2, 11.0]
    );
}

async fn a_failing_import_leaves_nothing(db: &TestDb) {
    ready(db).await;
    db.store
        .import_values(&sample(), "importer", "v1.csv")
        .await
        .unwrap();
    let before = all(db).await;
    let logged = audit_count(db).await;

    // Many good rows (changes and new cells), then one for a region that does not exist.
    let mut rows: Vec<DataValue> = sample()
        .into_iter()
        .map(|mut v| {
            v.value += 1.0;
            v
        })
        .collect();
    for m in 1..=12 {
        rows.push(value(
            "maternal_mortality",
            KUNMING,
            Period::Month(2024, m),
            7.0,
        ));
    }
    let mut bad = rows.clone();
    bad.push(value("maternal_mortality", "539999", q1(), 1.0));
    let err = db
        .store
        .import_values(&bad, "importer", "bad.csv")
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, StoreError::InvalidValues { .. }), "{text}");
    assert!(
        text.starts_with("cannot import the values, nothing was changed: value 19 (539999 2024Q1 maternal_mortality) is for region \"539999\""),
        "{text}"
    );

    let mut unknown_indicator = rows.clone();
    unknown_indicator.insert(3, value("no_such_indicator", KUNMING, q1(), 1.0));
    let err = db
        .store
        .import_values(&unknown_indicator, "importer", "")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("value 4 ("), "{err}");
    assert!(
        err.to_string().contains("not in the indicator catalogue"),
        "{err}"
    );

    let mut duplicate = rows.clone();
    duplicate.push(rows[2].clone());
    let err = db
        .store
        .import_values(&duplicate, "importer", "")
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("values 3 and 19 are both for 532301 2024Q1 preschool_enrolment"),
        "{err}"
    );

    let mut not_a_number = rows.clone();
    not_a_number[5].denominator = Some(f64::NAN);
    let err = db
        .store
        .import_values(&not_a_number, "importer", "")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("the denominator of value 6"),
        "{err}"
    );

    let err = db.store.import_values(&rows, "  ", "").await.unwrap_err();
    assert!(matches!(err, StoreError::NoActor { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "importing 18 values needs the name of who does it: the actor is empty"
    );

    assert_eq!(all(db).await, before);
    assert_eq!(audit_count(db).await, logged);
    assert!(
        db.store
            .value_history(CHUXIONG_CITY, q1(), "infant_mortality")
            .await
            .unwrap()
            .is_empty()
    );
    // The good rows alone go in.
    let ok = db
        .store
        .import_values(&rows, "importer", "good.csv")
        .await
        .unwrap();
    assert_eq!((ok.inserted, ok.updated, ok.unchanged), (12, 6, 0));
}

fn states(values: &[DataValue]) -> Vec<ReviewState> {
    values.iter().map(|v| v.state).collect()
}

async fn batch_values(db: &TestDb, region: &str, period: Period) -> Vec<DataValue> {
    db.store
        .values(&ValueFilter {
            region: Some(region.into()),
            from: Some(period),
            to: Some(period),
            ..ValueFilter::default()
        })
        .await
        .unwrap()
}

async fn workflow_happy_path(db: &TestDb) {
    ready(db).await;
    db.store
        .import_values(&sample(), "importer", "")
        .await
        .unwrap();
    assert!(
        db.store
            .values(&ValueFilter::internal())
            .await
            .unwrap()
            .is_empty()
    );

    let submitted = db
        .store
        .submit(CHUXIONG_CITY, q1(), "chuxiong_city")
        .await
        .unwrap();
    assert_eq!(submitted.len(), 1);
    let t = &submitted[0];
    assert_eq!(
        (t.from_state, t.to_state, t.values, t.actor.as_str()),
        (
            ReviewState::Draft,
            ReviewState::Submitted,
            3,
            "chuxiong_city"
        )
    );
    assert_eq!(
        states(&batch_values(db, CHUXIONG_CITY, q1()).await),
        [ReviewState::Submitted; 3]
    );
    // Only that region's period moved.
    assert_eq!(
        states(&batch_values(db, LUFENG, q1()).await),
        [ReviewState::Draft; 2]
    );

    // A name works as well as a code.
    db.store
        .approve("楚雄市", q1(), "chuxiong_prefecture")
        .await
        .unwrap();
    let internal = db.store.values(&ValueFilter::internal()).await.unwrap();
    assert_eq!(internal.len(), 3);
    assert!(
        db.store
            .values(&ValueFilter::public())
            .await
            .unwrap()
            .is_empty()
    );

    db.store
        .publish(CHUXIONG_CITY, q1(), "yunnan_plan_owner")
        .await
        .unwrap();
    let public = db.store.values(&ValueFilter::public()).await.unwrap();
    assert_eq!(public.len(), 3);
    assert!(
        public
            .iter()
            .all(|v| v.region == CHUXIONG_CITY && v.period == q1())
    );

    let recorded = db
        .store
        .transitions(&TransitionFilter {
            region: Some(CHUXIONG_PREF.into()),
            ..TransitionFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        recorded
            .iter()
            .map(|t| (t.to_state, t.actor.as_str()))
            .collect::<Vec<_>>(),
        [
            (ReviewState::Submitted, "chuxiong_city"),
            (ReviewState::Approved, "chuxiong_prefecture"),
            (ReviewState::Published, "yunnan_plan_owner"),
        ]
    );
    let review_log = db
        .store
        .audit(&AuditFilter {
            entity: Some("review".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        review_log
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        ["publish", "approve", "submit"],
        "newest first"
    );
    assert_eq!(review_log[0].key, "532301/2024Q1");
    assert_eq!(review_log[0].before.as_ref().unwrap()["state"], "approved");
    assert_eq!(review_log[0].after.as_ref().unwrap()["state"], "published");

    // One indicator at a time: 禄丰市 submits only infant mortality.
    let one = ReviewBatch::new(LUFENG, q1()).indicator("infant_mortality");
    let moved = db
        .store
        .review(&one, ReviewAction::Submit, "lufeng", None)
        .await
        .unwrap();
    assert_eq!(moved[0].values, 1);
    assert_eq!(moved[0].indicator.as_deref(), Some("infant_mortality"));
    let mut lufeng = states(&batch_values(db, LUFENG, q1()).await);
    lufeng.sort_by_key(|s| *s == ReviewState::Submitted);
    assert_eq!(lufeng, [ReviewState::Draft, ReviewState::Submitted]);
}

fn refused(result: Result<Vec<minsheng_store::Transition>, StoreError>) -> String {
    match result {
        Err(e @ StoreError::InvalidTransition { .. }) => e.to_string(),
        other => panic!("expected a refused transition, got {other:?}"),
    }
}

async fn refused_transitions_say_why(db: &TestDb) {
    ready(db).await;
    let s = &db.store;
    assert_eq!(
        refused(s.submit(CHUXIONG_CITY, q1(), "a").await),
        "楚雄市 2024Q1 has no values: import them before submitting"
    );
    s.import_values(&sample(), "importer", "").await.unwrap();
    assert_eq!(
        refused(s.approve(CHUXIONG_CITY, q1(), "a").await),
        "楚雄市 2024Q1 is still draft: submit it before approving"
    );
    assert_eq!(
        refused(s.publish(CHUXIONG_CITY, q1(), "a").await),
        "楚雄市 2024Q1 is still draft: submit and approve it before publishing"
    );
    assert_eq!(
        refused(s.return_values(CHUXIONG_CITY, q1(), "a", "wrong").await),
        "楚雄市 2024Q1 is draft: only submitted values can be returned, and none is submitted"
    );
    s.submit(CHUXIONG_CITY, q1(), "a").await.unwrap();
    assert_eq!(
        refused(s.submit(CHUXIONG_CITY, q1(), "a").await),
        "楚雄市 2024Q1 is already submitted: the parent region approves or returns it next"
    );
    assert_eq!(
        refused(s.publish(CHUXIONG_CITY, q1(), "a").await),
        "楚雄市 2024Q1 is still submitted: approve it before publishing"
    );
    s.approve(CHUXIONG_CITY, q1(), "b").await.unwrap();
    assert_eq!(
        refused(s.approve(CHUXIONG_CITY, q1(), "b").await),
        "楚雄市 2024Q1 is already approved: there is nothing to approve"
    );
    assert_eq!(
        refused(s.submit(CHUXIONG_CITY, q1(), "a").await),
        "楚雄市 2024Q1 is already approved: the plan owner publishes it next"
    );

    // A corrected value goes back to draft and holds the batch back.
    let mut corrected = sample();
    corrected[1].value = 9.9;
    s.import_values(&corrected, "importer", "").await.unwrap();
    assert_eq!(
        refused(s.publish(CHUXIONG_CITY, q1(), "c").await),
        "楚雄市 2024Q1 is still draft (1 of 3 values): submit and approve it before publishing"
    );
    let resubmitted = s.submit(CHUXIONG_CITY, q1(), "a").await.unwrap();
    assert_eq!(resubmitted[0].values, 1);
    assert_eq!(
        refused(s.publish(CHUXIONG_CITY, q1(), "c").await),
        "楚雄市 2024Q1 is still submitted (1 of 3 values): approve it before publishing"
    );
    s.approve(CHUXIONG_CITY, q1(), "b").await.unwrap();
    s.publish(CHUXIONG_CITY, q1(), "c").await.unwrap();
    assert_eq!(
        refused(s.publish(CHUXIONG_CITY, q1(), "c").await),
        "楚雄市 2024Q1 is already published: there is nothing to publish"
    );
    assert_eq!(
        refused(s.submit(CHUXIONG_CITY, q1(), "a").await),
        "楚雄市 2024Q1 is already published: there is nothing to submit"
    );
    assert_eq!(
        refused(s.return_values(CHUXIONG_CITY, q1(), "b", "late").await),
        "楚雄市 2024Q1 is published: only submitted values can be returned, and none is submitted"
    );
    let one = ReviewBatch::new(CHUXIONG_CITY, q1()).indicator("no_such");
    assert_eq!(
        refused(s.review(&one, ReviewAction::Submit, "a", None).await),
        "楚雄市 2024Q1 no_such has no values: import them before submitting"
    );
    assert!(matches!(
        s.submit("999999", q1(), "a").await,
        Err(StoreError::UnknownRegion { .. })
    ));
    assert!(matches!(
        s.submit(CHUXIONG_CITY, q1(), " ").await,
        Err(StoreError::NoActor { .. })
    ));
    // Refusals leave no transitions behind: submit, approve, resubmit, approve, publish.
    let recorded = s.transitions(&TransitionFilter::default()).await.unwrap();
    assert_eq!(recorded.len(), 5);
}

async fn returning_needs_a_reason(db: &TestDb) {
    ready(db).await;
    let s = &db.store;
    s.import_values(&sample(), "importer", "").await.unwrap();
    s.submit(LUFENG, q1(), "lufeng").await.unwrap();
    for reason in ["", "   "] {
        let err = s
            .return_values(LUFENG, q1(), "chuxiong_prefecture", reason)
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "returning 禄丰市 2024Q1 needs a reason: say what the reporting region must correct"
        );
    }
    assert_eq!(
        states(&batch_values(db, LUFENG, q1()).await),
        [ReviewState::Submitted; 2]
    );
    let returned = s
        .return_values(
            LUFENG,
            q1(),
            "chuxiong_prefecture",
            "孕产妇死亡率与上季度差异过大，请核实",
        )
        .await
        .unwrap();
    assert_eq!(returned[0].to_state, ReviewState::Returned);
    assert_eq!(
        returned[0].reason.as_deref(),
        Some("孕产妇死亡率与上季度差异过大，请核实")
    );
    assert_eq!(
        refused(s.approve(LUFENG, q1(), "b").await),
        "禄丰市 2024Q1 was returned: the reporting region corrects it and submits it again before it can be approved"
    );
    // Correct one value (it becomes draft), submit again: both draft and returned move.
    let mut corrected = sample();
    corrected[4].value = 7.5;
    s.import_values(&corrected, "lufeng", "fix.csv")
        .await
        .unwrap();
    let again = s.submit(LUFENG, q1(), "lufeng").await.unwrap();
    let mut from: Vec<_> = again.iter().map(|t| (t.from_state, t.values)).collect();
    from.sort_by_key(|(s, _)| *s == ReviewState::Returned);
    assert_eq!(from, [(ReviewState::Draft, 1), (ReviewState::Returned, 1)]);
    let log = s
        .audit(&AuditFilter {
            entity: Some("review".into()),
            key_prefix: Some(LUFENG.into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let ret = log.iter().find(|e| e.action == "return").unwrap();
    assert_eq!(
        ret.note.as_deref(),
        Some("孕产妇死亡率与上季度差异过大，请核实")
    );
    assert_eq!(ret.actor, "chuxiong_prefecture");
}

async fn published_values_do_not_change(db: &TestDb) {
    ready(db).await;
    let s = &db.store;
    s.import_values(&sample(), "importer", "").await.unwrap();
    for (step, who) in [
        (ReviewAction::Submit, "a"),
        (ReviewAction::Approve, "b"),
        (ReviewAction::Publish, "c"),
    ] {
        s.review(&ReviewBatch::new(CHUXIONG_CITY, q1()), step, who, None)
            .await
            .unwrap();
    }
    let before = all(db).await;
    let mut changed = sample();
    changed[0].value = 2.5; // published: refused
    changed[3].value = 3.5; // 禄丰市, draft: would be fine
    let err = s.import_values(&changed, "importer", "").await.unwrap_err();
    assert!(
        matches!(err, StoreError::PublishedValue { position: 1, .. }),
        "{err}"
    );
    assert!(
        err.to_string().starts_with(
            "cannot import the values, nothing was changed: value 1 would change 楚雄市 (532301) 2024Q1 infant_mortality, which is published (3 → 2.5)"
        ),
        "{err}"
    );
    assert_eq!(all(db).await, before);
    // Importing the published figures unchanged is fine.
    let same = s.import_values(&sample(), "importer", "").await.unwrap();
    assert_eq!(same.unchanged, 6);
}

async fn audit_filters(db: &TestDb) {
    ready(db).await;
    let s = &db.store;
    s.import_values(&sample(), "alice", "a.csv").await.unwrap();
    s.submit(CHUXIONG_CITY, q1(), "bob").await.unwrap();
    s.submit(LUFENG, q1(), "carol").await.unwrap();
    let mut changed = sample();
    changed[5].value = 2.0;
    s.import_values(&changed, "alice", "b.csv").await.unwrap();

    let by = |actor: &str| AuditFilter {
        actor: Some(actor.into()),
        limit: None,
        ..AuditFilter::default()
    };
    let alice = s.audit(&by("alice")).await.unwrap();
    // First import: 3 region-periods + summary; second: 1 update + summary.
    assert_eq!(alice.len(), 6);
    assert!(alice.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    assert_eq!(s.audit(&by("bob")).await.unwrap().len(), 1);
    assert!(s.audit(&by("nobody")).await.unwrap().is_empty());

    let imports = s
        .audit(&AuditFilter {
            entity: Some("import".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(imports.len(), 2);
    assert_eq!(imports[1].key, "a.csv");
    assert_eq!(
        imports[1].after.as_ref().unwrap(),
        &serde_json::json!({"inserted": 6, "updated": 0, "unchanged": 0})
    );
    assert_eq!(imports[0].after.as_ref().unwrap()["updated"], 1);

    // A key prefix selects a prefecture and its counties, or one county.
    let prefecture = s
        .audit(&AuditFilter {
            key_prefix: Some("5323".into()),
            limit: None,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(prefecture.len(), 3 + 2 + 1);
    let lufeng = s
        .audit(&AuditFilter {
            key_prefix: Some(LUFENG.into()),
            entity: Some("review".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(lufeng.len(), 1);
    assert_eq!(lufeng[0].actor, "carol");

    let limited = s
        .audit(&AuditFilter {
            limit: Some(2),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(limited.len(), 2);

    // Times: everything is from today (UTC); a date as `until` takes in the whole day.
    let today = alice[0].at[..10].to_string();
    let window = |since: &str, until: &str| AuditFilter {
        since: Some(since.into()),
        until: Some(until.into()),
        limit: None,
        ..AuditFilter::default()
    };
    let total = audit_count(db).await;
    assert_eq!(s.audit(&window(&today, &today)).await.unwrap().len(), total);
    assert!(
        s.audit(&window("2000-01-01", "2000-12-31"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        s.audit(&window("2999-01-01T00:00:00Z", "2999-12-31"))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn value_filters(db: &TestDb) {
    ready(db).await;
    let s = &db.store;
    let mut rows = sample();
    rows.push(value(
        "infant_mortality",
        CHUXIONG_CITY,
        Period::Year(2024),
        3.1,
    ));
    rows.push(value(
        "infant_mortality",
        CHUXIONG_CITY,
        Period::Month(2024, 12),
        3.3,
    ));
    rows.push(value(
        "infant_mortality",
        CHUXIONG_CITY,
        Period::Quarter(2024, 4),
        3.2,
    ));
    rows.push(value("infant_mortality", KUNMING, q1(), 2.0));
    s.import_values(&rows, "importer", "").await.unwrap();

    // The prefecture takes in its counties; 昆明市 is elsewhere.
    let chuxiong = s
        .values(&ValueFilter {
            region: Some("5323".into()),
            ..ValueFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(chuxiong.len(), 9);
    let yunnan = s
        .values(&ValueFilter {
            region: Some("53".into()),
            ..ValueFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(yunnan.len(), 10);

    // Periods in order: by end, shorter first; from/to are inclusive in that order.
    let infant = s
        .values(&ValueFilter {
            indicator: Some("infant_mortality".into()),
            region: Some(CHUXIONG_CITY.into()),
            ..ValueFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        infant
            .iter()
            .map(|v| v.period.to_string())
            .collect::<Vec<_>>(),
        ["2024Q1", "2024Q2", "202412", "2024Q4", "2024"]
    );
    let from_q4 = s
        .values(&ValueFilter {
            indicator: Some("infant_mortality".into()),
            region: Some(CHUXIONG_CITY.into()),
            from: Some(Period::Quarter(2024, 4)),
            to: Some(Period::Year(2024)),
            ..ValueFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        from_q4
            .iter()
            .map(|v| v.period.to_string())
            .collect::<Vec<_>>(),
        ["2024Q4", "2024"]
    );
    let up_to_q2 = s
        .values(&ValueFilter {
            to: Some(Period::Quarter(2024, 2)),
            ..ValueFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(up_to_q2.len(), 7);

    s.submit(LUFENG, q1(), "a").await.unwrap();
    let submitted = s
        .values(&ValueFilter {
            states: vec![ReviewState::Submitted],
            ..ValueFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(submitted.len(), 2);

    let everything = s.all_values_for_assessment().await.unwrap();
    assert_eq!(everything.len(), 10);
    assert_eq!(s.value_count().await.unwrap(), 10);
    let mut keys: Vec<_> = everything
        .iter()
        .map(|v| (v.period.to_string(), v.region.clone(), v.indicator.clone()))
        .collect();
    let sorted = {
        let mut k = keys.clone();
        k.sort();
        k
    };
    assert_eq!(
        keys, sorted,
        "key order (regions numbered in code order at the first import)"
    );
    keys.dedup();
    assert_eq!(keys.len(), 10);
}

async fn values_of_cells_reads_only_those(db: &TestDb) {
    ready(db).await;
    let s = &db.store;
    let mut rows = sample();
    for (period, v) in [
        (Period::Quarter(2023, 4), 3.0),
        (Period::Quarter(2024, 3), 3.4),
        (Period::Year(2023), 3.5),
    ] {
        rows.push(value("infant_mortality", CHUXIONG_CITY, period, v));
    }
    rows.push(value("infant_mortality", KUNMING, q1(), 2.0));
    s.import_values(&rows, "importer", "").await.unwrap();
    let key = |v: &DataValue| (v.indicator.clone(), v.region.clone(), v.period);
    let mut expected: Vec<DataValue> = all(db)
        .await
        .into_iter()
        .filter(|v| {
            v.region == CHUXIONG_CITY && v.indicator == "infant_mortality" && v.period <= q1()
        })
        .collect();
    expected.sort_by_key(key);
    assert!(expected.len() >= 3, "{expected:?}");
    let mut got = s
        .values_of_cells(&[CHUXIONG_CITY], &["infant_mortality"], Some(q1()))
        .await
        .unwrap();
    got.sort_by_key(key);
    assert_eq!(got, expected);
    // Without an end, later periods too (2024Q2, 2024Q3); a region without values gives nothing.
    let later = s
        .values_of_cells(&[CHUXIONG_CITY, "532331"], &["infant_mortality"], None)
        .await
        .unwrap();
    assert_eq!(later.len(), expected.len() + 2);
    assert!(later.iter().all(|v| v.region == CHUXIONG_CITY));
}

async fn demo_values_are_labelled(db: &TestDb) {
    ready(db).await;
    let s = &db.store;
    let demo: Vec<DataValue> = sample()
        .into_iter()
        .map(|mut v| {
            v.source = ValueSource::Demo;
            v.state = ReviewState::Published;
            v.entered_by = "minsheng demo".into();
            v
        })
        .collect();
    s.import_values(&demo, "minsheng demo", "模拟数据")
        .await
        .unwrap();
    let stored = s
        .values(&ValueFilter {
            simulated: Some(true),
            ..ValueFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(stored.len(), 6);
    assert!(
        stored
            .iter()
            .all(|v| v.is_simulated() && v.source == ValueSource::Demo)
    );
    // Demo data keeps the state it was made with, so demo pages can show it.
    assert!(stored.iter().all(|v| v.state == ReviewState::Published));
    let flag: i64 = sqlx::query_scalar("SELECT MIN(simulated) FROM data_values")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(flag, 1);
    let log = s.audit(&AuditFilter::default()).await.unwrap();
    assert!(
        !log.is_empty() && log.iter().all(|e| e.simulated),
        "{log:?}"
    );
    assert!(
        s.values(&ValueFilter {
            simulated: Some(false),
            ..ValueFilter::default()
        })
        .await
        .unwrap()
        .is_empty()
    );

    // A published demo value may be replaced; real data with the same number is a change
    // (it is no longer demo data) and starts as draft.
    let mut real = sample();
    real.truncate(1);
    real[0].value = demo[0].value;
    let outcome = s
        .import_values(&real, "county_clerk", "real.csv")
        .await
        .unwrap();
    assert_eq!(outcome.updated, 1);
    let cell = s
        .values(&ValueFilter {
            indicator: Some("infant_mortality".into()),
            region: Some(CHUXIONG_CITY.into()),
            from: Some(q1()),
            to: Some(q1()),
            ..ValueFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(cell.len(), 1);
    assert!(!cell[0].is_simulated());
    assert_eq!(
        (cell[0].source, cell[0].state),
        (ValueSource::Csv, ReviewState::Draft)
    );
    let update = &s
        .audit(&AuditFilter {
            actor: Some("county_clerk".into()),
            entity: Some("data_value".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap()[0];
    assert!(!update.simulated);
    assert_eq!(update.before.as_ref().unwrap()["source"], "demo");
}

fn chuxiong_plan() -> Plan {
    let task = |number: u32, title: &str| Task {
        number,
        title: title.into(),
        ..Task::default()
    };
    Plan {
        source: "data/plans/002_chuxiong.txt".into(),
        region: Some("楚雄州".into()),
        title: "楚雄州2023年度工作要点".into(),
        years: Some([2023, 2025]),
        domains: vec![Domain {
            name: "病有所医".into(),
            tasks: vec![task(1, "提升县级医院能力"), task(2, "加强妇幼保健")],
            ..Domain::default()
        }],
        ..Plan::default()
    }
}

fn task_key(task: u32) -> TaskKey {
    TaskKey {
        plan_region: CHUXIONG_PREF.into(),
        plan_key: "002_chuxiong".into(),
        domain: "病有所医".into(),
        task,
        region: CHUXIONG_CITY.into(),
        period: q1(),
    }
}

async fn task_progress_and_evidence(db: &TestDb) {
    ready(db).await;
    let s = &db.store;
    s.save_plan(&chuxiong_plan(), CHUXIONG_PREF, &[])
        .await
        .unwrap();
    let update = TaskUpdate {
        status: TaskStatus::InProgress,
        narrative: "已完成2家县级医院胸痛中心建设".into(),
        due_date: Some("2024-03-31".into()),
        simulated: false,
    };
    assert!(
        s.set_task_progress(&task_key(1), &update, "chuxiong_city")
            .await
            .unwrap()
    );
    assert!(
        !s.set_task_progress(&task_key(1), &update, "chuxiong_city")
            .await
            .unwrap(),
        "the same report again changes nothing"
    );
    let done = TaskUpdate {
        status: TaskStatus::Done,
        due_date: Some("2024-06-30".into()),
        ..update.clone()
    };
    assert!(
        s.set_task_progress(&task_key(2), &done, "chuxiong_city")
            .await
            .unwrap()
    );

    let listed = s
        .task_progress(&TaskFilter {
            region: Some(CHUXIONG_PREF.into()),
            ..TaskFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].key, task_key(1));
    assert_eq!(listed[0].status, TaskStatus::InProgress);
    assert_eq!(listed[0].updated_by, "chuxiong_city");
    assert_eq!(listed[0].due_date.as_deref(), Some("2024-03-31"));
    let done_only = s
        .task_progress(&TaskFilter {
            status: Some(TaskStatus::Done),
            ..TaskFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(done_only.len(), 1);

    // Overdue: not done and due before the day asked about.
    let overdue = s.overdue_tasks("2024-04-01").await.unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].key.task, 1);
    assert!(overdue[0].is_overdue("2024-04-01"));
    assert!(s.overdue_tasks("2024-03-31").await.unwrap().is_empty());
    assert_eq!(
        s.overdue_tasks("2025-01-01").await.unwrap().len(),
        1,
        "done is never overdue"
    );
    let err = s.overdue_tasks("2024-02-30").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the as-of date \"2024-02-30\" is not a date: write it as YYYY-MM-DD (2025-06-30)"
    );

    // An update is logged with before and after.
    let later = TaskUpdate {
        status: TaskStatus::Delayed,
        narrative: "设备招标延期".into(),
        ..update.clone()
    };
    assert!(
        s.set_task_progress(&task_key(1), &later, "chuxiong_city")
            .await
            .unwrap()
    );
    let log = s
        .audit(&AuditFilter {
            entity: Some("task_progress".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].action, "update");
    assert_eq!(log[0].key, "532301/2024Q1/532300:002_chuxiong/病有所医/1");
    assert_eq!(log[0].before.as_ref().unwrap()["status"], "in_progress");
    assert_eq!(log[0].after.as_ref().unwrap()["status"], "delayed");

    // Refusals.
    let mut bad = task_key(3);
    let err = s.set_task_progress(&bad, &update, "x").await.unwrap_err();
    assert!(
        err.to_string().ends_with(
            "plan \"002_chuxiong\" of region 532300 has no task 3 in 病有所医: its tasks there are numbered 1–2"
        ),
        "{err}"
    );
    bad = TaskKey {
        domain: "不是领域".into(),
        ..task_key(1)
    };
    assert!(matches!(
        s.set_task_progress(&bad, &update, "x").await,
        Err(StoreError::InvalidTask { .. })
    ));
    bad = TaskKey {
        plan_key: "no_plan".into(),
        ..task_key(1)
    };
    assert!(
        s.set_task_progress(&bad, &update, "x")
            .await
            .unwrap_err()
            .to_string()
            .contains("no plan \"no_plan\" of region 532300 is stored")
    );
    let wrong_date = TaskUpdate {
        due_date: Some("2024-13-01".into()),
        ..update.clone()
    };
    assert!(matches!(
        s.set_task_progress(&task_key(1), &wrong_date, "x").await,
        Err(StoreError::InvalidDate { .. })
    ));

    // Evidence: kept with its checksum, once per content.
    let sha = s
        .add_evidence(&task_key(1), "验收报告.pdf", b"abc", "chuxiong_city")
        .await
        .unwrap();
    assert_eq!(
        sha,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(sha, sha256_hex(b"abc"));
    let again = s
        .add_evidence(&task_key(1), "验收报告(1).pdf", b"abc", "chuxiong_city")
        .await
        .unwrap();
    assert_eq!(again, sha);
    let photo: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let photo_sha = s
        .add_evidence(&task_key(1), "现场照片.jpg", &photo, "chuxiong_city")
        .await
        .unwrap();
    let files = s.evidence(&task_key(1)).await.unwrap();
    assert_eq!(
        files
            .iter()
            .map(|f| (f.file_name.as_str(), f.size, f.sha256.as_str()))
            .collect::<Vec<_>>(),
        [
            ("验收报告.pdf", 3, sha.as_str()),
            ("现场照片.jpg", 70_000, photo_sha.as_str())
        ]
    );
    let (meta, content) = s.evidence_file(files[1].id).await.unwrap().unwrap();
    assert_eq!(meta, files[1]);
    assert_eq!(content, photo);
    assert_eq!(s.evidence_file(9_999).await.unwrap(), None);
    assert!(s.evidence(&task_key(2)).await.unwrap().is_empty());
    let err = s
        .add_evidence(
            &TaskKey {
                period: Period::Quarter(2024, 2),
                ..task_key(1)
            },
            "x.pdf",
            b"x",
            "chuxiong_city",
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no progress is recorded"), "{err}");
    assert!(matches!(
        s.add_evidence(&task_key(1), "empty.pdf", b"", "a").await,
        Err(StoreError::InvalidTask { .. })
    ));
    let evidence_log = s
        .audit(&AuditFilter {
            entity: Some("evidence".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(evidence_log.len(), 2);
    assert_eq!(
        evidence_log[1].after.as_ref().unwrap()["sha256"],
        sha.as_str()
    );

    // A tampered file is reported, never handed out.
    sqlx::query("UPDATE evidence SET size = 4 WHERE id = $1")
        .bind(files[0].id)
        .execute(s.pool())
        .await
        .unwrap();
    assert!(matches!(
        s.evidence_file(files[0].id).await,
        Err(StoreError::Corrupt { .. })
    ));
}

async fn concurrent_imports_all_land(db: &TestDb) {
    ready(db).await;
    let tasks: Vec<_> = (1..=6u8)
        .map(|m| {
            let store = db.store.clone();
            tokio::spawn(async move {
                let rows: Vec<DataValue> = ["532301", "532302", "532322", "532323"]
                    .iter()
                    .map(|r| {
                        value(
                            "maternal_mortality",
                            r,
                            Period::Month(2024, m),
                            f64::from(m),
                        )
                    })
                    .collect();
                store
                    .import_values(&rows, "importer", &format!("{m}.csv"))
                    .await
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().expect("a concurrent import").inserted, 4);
    }
    assert_eq!(db.store.value_count().await.unwrap(), 24);
}

async fn large_imports_cross_batches(db: &TestDb) {
    ready(db).await;
    let s = &db.store;
    // 9,001 values over Yunnan's counties: several statements of each kind, given in an
    // order that is not the table's, with one value entered by someone else in the middle.
    let counties = yunnan_counties();
    let mut rows = Vec::new();
    for m in (1..=12u8).rev() {
        for year in [2023, 2024] {
            for code in &counties {
                for indicator in [
                    "maternal_mortality",
                    "infant_mortality",
                    "preschool_enrolment",
                ] {
                    let mut v = value(
                        indicator,
                        code,
                        Period::Month(year, m),
                        rows.len() as f64 / 7.0,
                    );
                    if rows.len() % 3 == 0 {
                        v.numerator = Some(rows.len() as f64);
                        v.denominator = Some(7.0);
                    }
                    rows.push(v);
                }
            }
        }
    }
    rows.truncate(9001);
    rows[4500].entered_by = "someone_else".into();
    rows[4501].comment = Some("核实".into());
    let first = s.import_values(&rows, "importer", "big.csv").await.unwrap();
    assert_eq!(first.inserted, 9001);
    let key = |v: &DataValue| (v.period.to_string(), v.region.clone(), v.indicator.clone());
    let mut expected = rows.clone();
    expected.sort_by_key(key);
    let mut all = s.all_values_for_assessment().await.unwrap();
    all.sort_by_key(key);
    assert_eq!(all, expected);

    let again = s.import_values(&rows, "importer", "big.csv").await.unwrap();
    assert_eq!(
        (again.inserted, again.updated, again.unchanged),
        (0, 0, 9001)
    );

    let mut changed = rows.clone();
    for v in changed.iter_mut().step_by(1000) {
        v.value += 0.5;
    }
    let third = s
        .import_values(&changed, "importer", "big2.csv")
        .await
        .unwrap();
    assert_eq!(
        (third.inserted, third.updated, third.unchanged),
        (0, 10, 8991)
    );
    let history = s
        .value_history(&rows[1000].region, rows[1000].period, &rows[1000].indicator)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].value, rows[1000]);

    // The catalogue cannot drop an indicator that has values.
    let err = s.save_indicators(&catalogue()[..1]).await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidIndicators { .. }), "{err}");
    assert!(
        err.to_string().contains("reported values refer to it"),
        "{err}"
    );
    assert_eq!(s.indicators().await.unwrap().len(), 3);
}

/// Values whose who/when changes every 50 rows (too few to share a statement) go into
/// statements of every column: 3,600 of them, more than one such statement holds; the
/// 1,044 after them, all by one clerk and bare (a value alone), share one statement.
async fn short_runs_fill_statements_to_the_limit(db: &TestDb) {
    ready(db).await;
    let counties = yunnan_counties();
    let mut rows = Vec::new();
    for m in 1..=12u8 {
        for code in &counties {
            for indicator in [
                "maternal_mortality",
                "infant_mortality",
                "preschool_enrolment",
            ] {
                let mut v = value(indicator, code, Period::Month(2024, m), m as f64);
                v.entered_by = if rows.len() < 3600 {
                    format!("clerk_{}", rows.len() / 50)
                } else {
                    "clerk_bulk".into()
                };
                rows.push(v);
            }
        }
    }
    let outcome = db
        .store
        .import_values(&rows, "importer", "short-runs.csv")
        .await
        .unwrap();
    assert_eq!(outcome.inserted, 4644);
    let mut stored = db.store.values(&ValueFilter::default()).await.unwrap();
    let key = |v: &DataValue| (v.period, v.region.clone(), v.indicator.clone());
    stored.sort_by_key(key);
    rows.sort_by_key(key);
    assert_eq!(stored, rows);
}

/// A store from before version 8 (values keyed by region code and indicator id as texts, in a
/// table `data_values`) keeps every value, its state and its history when version 8 moves the
/// values into `value_cells`, and imports and reviews go on.
async fn values_keyed_by_text_migrate_to_numbers(db: &TestDb) {
    ready(db).await;
    let s = &db.store;
    s.import_values(&sample(), "importer", "q1.csv")
        .await
        .unwrap();
    let mut changed = sample();
    changed[1].value = 10.4;
    s.import_values(&changed, "importer", "q1-fixed.csv")
        .await
        .unwrap();
    s.submit(LUFENG, q1(), "lufeng_clerk").await.unwrap();
    let before = s.values(&ValueFilter::default()).await.unwrap();

    // Back to version 7's shape, the values in it, as a store of that version held them.
    let version_2 = match s.backend() {
        Backend::Sqlite => include_str!("../migrations/sqlite/0002_values.sql"),
        Backend::Postgres => include_str!("../migrations/postgres/0002_values.sql"),
    };
    let start = version_2.find("CREATE TABLE data_values").unwrap();
    let end = start + version_2[start..].find(';').unwrap();
    let mut conn = s.pool().acquire().await.unwrap();
    for sql in [
        "CREATE TABLE old_values AS SELECT period, region_code, indicator_id, period_end, value, \
         numerator, denominator, entry_id, comment, state, simulated FROM data_values"
            .to_string(),
        "DROP VIEW data_values".to_string(),
        version_2[start..end].to_string(),
        "INSERT INTO data_values SELECT * FROM old_values".to_string(),
        "DROP TABLE old_values".to_string(),
    ]
    .into_iter()
    .chain(["value_cells", "value_regions", "value_indicators"].map(|t| format!("DROP TABLE {t}")))
    .chain(["DELETE FROM _sqlx_migrations WHERE version = 8".to_string()])
    {
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut *conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    drop(conn);

    let reopened = Store::open(&db.url).await.expect("migrate to version 8");
    let after = reopened.values(&ValueFilter::default()).await.unwrap();
    assert_eq!(after, before);
    assert_eq!(after.len(), 6);
    let history = reopened
        .value_history(CHUXIONG_CITY, q1(), "maternal_mortality")
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].value.value, 10.2);

    // The migrated cells are the same cells: re-importing changes nothing, a new region's
    // value is added, and review moves the migrated values.
    let again = reopened
        .import_values(&changed, "importer", "q1-fixed.csv")
        .await
        .unwrap();
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 6));
    let kunming = value("maternal_mortality", KUNMING, q1(), 7.5);
    let added = reopened
        .import_values(&[kunming], "importer", "km.csv")
        .await
        .unwrap();
    assert_eq!(added.inserted, 1);
    reopened
        .approve(LUFENG, q1(), "prefecture_reviewer")
        .await
        .unwrap();
    let approved = reopened
        .values(&ValueFilter {
            states: vec![ReviewState::Approved],
            ..ValueFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(approved.len(), 2);
    assert!(approved.iter().all(|v| v.region == LUFENG));
    reopened.close().await;
}

/// Values added in parts and committed are stored, counted and logged as one import of all
/// of them; importing them again in other parts changes nothing and logs nothing.
async fn an_import_in_parts_is_one_import(db: &TestDb) {
    ready(db).await;
    let s = &db.store;
    let rows = sample();
    let mut import = s.begin_import("importer", "big.csv").await.unwrap();
    for part in [&rows[..2], &rows[2..3], &[][..], &rows[3..]] {
        import.add(part).await.unwrap();
    }
    let outcome = import.commit().await.unwrap();
    assert_eq!(
        outcome,
        ImportOutcome {
            inserted: 6,
            updated: 0,
            unchanged: 0
        }
    );
    let mut stored = s.values(&ValueFilter::default()).await.unwrap();
    let key = |v: &DataValue| (v.period, v.region.clone(), v.indicator.clone());
    stored.sort_by_key(key);
    let mut expected = rows.clone();
    expected.sort_by_key(key);
    assert_eq!(stored, expected);
    let log = s
        .audit(&AuditFilter {
            limit: None,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "import").count(), 1);
    // 楚雄市 2024Q1 came in two parts: one entry for it all the same.
    let chuxiong_q1 = format!("{CHUXIONG_CITY}/2024Q1");
    let inserts: Vec<_> = log.iter().filter(|e| e.key == chuxiong_q1).collect();
    assert_eq!(inserts.len(), 1);
    assert_eq!(inserts[0].after, Some(serde_json::json!({"inserted": 3})));

    let logged = audit_count(db).await;
    let mut again = s.begin_import("importer", "big.csv").await.unwrap();
    again.add(&rows[..4]).await.unwrap();
    again.add(&rows[4..]).await.unwrap();
    let outcome = again.commit().await.unwrap();
    assert_eq!((outcome.inserted, outcome.unchanged), (0, 6));
    assert_eq!(audit_count(db).await, logged);

    let mut changed = rows.clone();
    changed[4].value = 8.5;
    let mut third = s.begin_import("importer", "fixed.csv").await.unwrap();
    third.add(&changed[..3]).await.unwrap();
    third.add(&changed[3..]).await.unwrap();
    let outcome = third.commit().await.unwrap();
    assert_eq!((outcome.updated, outcome.unchanged), (1, 5));
    let history = s
        .value_history(LUFENG, q1(), "maternal_mortality")
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].value.value, 8.0);
}

/// The same cell in two parts, a part the store refuses, or an import rolled back: nothing
/// of any part stays.
async fn parts_that_fail_leave_nothing(db: &TestDb) {
    ready(db).await;
    let s = &db.store;
    let rows = sample();
    let logged = audit_count(db).await;

    let mut twice = s.begin_import("importer", "twice.csv").await.unwrap();
    twice.add(&rows[..3]).await.unwrap();
    twice.add(&rows[1..2]).await.unwrap();
    let err = twice.commit().await.unwrap_err().to_string();
    assert!(err.contains("values 2 and 4 are both for"), "{err}");
    assert!(err.contains(CHUXIONG_CITY), "{err}");

    let mut unknown = rows.clone();
    unknown[4].region = "999999".into();
    let mut refused = s.begin_import("importer", "bad.csv").await.unwrap();
    refused.add(&unknown[..3]).await.unwrap();
    let err = refused.add(&unknown[3..]).await.unwrap_err().to_string();
    assert!(err.contains("value 5"), "{err}");
    assert!(
        refused.add(&unknown[..1]).await.is_err(),
        "no part after a refused one"
    );
    assert!(refused.commit().await.is_err());

    let mut abandoned = s.begin_import("importer", "abandoned.csv").await.unwrap();
    abandoned.add(&rows).await.unwrap();
    abandoned.rollback().await;

    assert_eq!(s.value_count().await.unwrap(), 0);
    assert_eq!(audit_count(db).await, logged);
    // The store takes the next import as if nothing had happened.
    let outcome = s.import_values(&rows, "importer", "q1.csv").await.unwrap();
    assert_eq!(outcome.inserted, 6);
}
