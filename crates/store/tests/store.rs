//! The store's behaviour, written once and run against both backends.
//!
//! Each test body is an `async fn(&TestDb)`; the `both!` macro (in `common/`) instantiates it
//! as `sqlite::NAME` (a fresh file in a temporary directory) and `postgres::NAME` (a fresh
//! schema, dropped afterwards, so the tests can run in parallel). The PostgreSQL tests are
//! `#[ignore]`d:
//!
//! ```sh
//! cargo test -p minsheng-store                      # SQLite; PostgreSQL reported as ignored
//! MINSHENG_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test \
//!     cargo test -p minsheng-store -- --include-ignored
//! ```
//!
//! Run with `--include-ignored`, a PostgreSQL test fails (never passes silently) when the
//! variable is unset or the server cannot be reached.

#[macro_use]
mod common;

use std::collections::HashMap;

use common::{TestDb, national_regions, postgres_db, sqlite_db};
use minsheng_model::{Op, Plan, Target, TargetKind};
use minsheng_store::{CountyKind, IndicatorRow, Level, RegionRow, Store, StoreError};

both!(
    migrations_are_idempotent,
    regions_load_with_yunnan_counts,
    region_names_resolve,
    failed_load_changes_nothing,
    plans_are_versioned,
    concurrent_saves_get_distinct_versions,
    indicators_replace_all,
);

async fn loaded(db: &TestDb) -> usize {
    let rows = national_regions();
    let n = db.store.load_regions(&rows).await.expect("load regions");
    assert_eq!(n, rows.len());
    n
}

async fn migrations_are_idempotent(db: &TestDb) {
    assert_eq!(db.store.region_count().await.unwrap(), 0);
    // Opening again runs the migrations again: nothing to do, nothing lost.
    loaded(db).await;
    let again = Store::open(&db.url).await.expect("open a second time");
    let third = Store::open(&db.url).await.expect("open a third time");
    assert_eq!(
        again.region_count().await.unwrap(),
        db.store.region_count().await.unwrap()
    );
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(third.pool())
        .await
        .unwrap();
    assert_eq!(applied, 6, "0001–0004, 0007 and 0008");
    again.close().await;
    third.close().await;
}

async fn regions_load_with_yunnan_counts(db: &TestDb) {
    let n = loaded(db).await;
    assert_eq!(db.store.region_count().await.unwrap(), n as i64);
    // Loading again updates in place.
    loaded(db).await;
    assert_eq!(db.store.region_count().await.unwrap(), n as i64);

    let prefectures = db
        .store
        .list_regions(Some("云南省"), Some(Level::Prefecture))
        .await
        .unwrap();
    assert_eq!(prefectures.len(), 16);
    let counties = db
        .store
        .list_regions(Some("云南省"), Some(Level::County))
        .await
        .unwrap();
    assert_eq!(counties.len(), 129);
    // Counties are found through their prefectures: all descendants, not just children.
    assert!(
        counties
            .iter()
            .all(|c| c.parent.as_deref() != Some("530000"))
    );
    let all = db.store.list_regions(Some("53"), None).await.unwrap();
    assert_eq!(all.len(), 16 + 129);
    let chuxiong = db
        .store
        .list_regions(Some("楚雄州"), Some(Level::County))
        .await
        .unwrap();
    assert_eq!(chuxiong.len(), 10);

    let mut kinds: HashMap<Option<CountyKind>, usize> = HashMap::new();
    for c in &counties {
        *kinds.entry(c.kind).or_default() += 1;
    }
    let district = kinds.get(&Some(CountyKind::District)).copied().unwrap_or(0);
    let city = kinds.get(&Some(CountyKind::City)).copied().unwrap_or(0);
    let county = kinds.get(&Some(CountyKind::County)).copied().unwrap_or(0);
    // 市辖区 17, 县级市 18, 县 65 + 自治县 29 (民政部, 2023).
    assert_eq!((district, city, county), (17, 18, 94));
    assert_eq!(district + city + county, 129, "{kinds:?}");
    assert!(
        counties
            .iter()
            .filter(|c| c.kind == Some(CountyKind::District))
            .all(|c| c.name.ends_with('区'))
    );

    // Municipalities: districts hang directly under the province.
    let beijing = db
        .store
        .list_regions(Some("北京市"), Some(Level::Prefecture))
        .await
        .unwrap();
    assert!(beijing.is_empty());
    let dongcheng = db.store.region("110101").await.unwrap().unwrap();
    assert_eq!(dongcheng.parent.as_deref(), Some("110000"));

    let provinces = db
        .store
        .list_regions(None, Some(Level::Province))
        .await
        .unwrap();
    assert_eq!(provinces.len(), 31);
}

async fn region_names_resolve(db: &TestDb) {
    loaded(db).await;
    let cases = [
        ("楚雄州", "532300", "楚雄彝族自治州"),
        ("楚雄彝族自治州", "532300", "楚雄彝族自治州"),
        ("普洱市", "530800", "普洱市"),
        ("玉溪市", "530400", "玉溪市"),
        ("云南省", "530000", "云南省"),
        ("云南", "530000", "云南省"),
        ("西双版纳州", "532800", "西双版纳傣族自治州"),
        ("红河州", "532500", "红河哈尼族彝族自治州"),
        ("德宏州", "533100", "德宏傣族景颇族自治州"),
        ("迪庆州", "533400", "迪庆藏族自治州"),
        ("怒江州", "533300", "怒江傈僳族自治州"),
        ("大理州", "532900", "大理白族自治州"),
        ("文山州", "532600", "文山壮族苗族自治州"),
        ("宁洱县", "530821", "宁洱哈尼族彝族自治县"),
        (" 玉溪市 ", "530400", "玉溪市"),
        ("532300", "532300", "楚雄彝族自治州"),
    ];
    for (name, code, full) in cases {
        let r = db
            .store
            .resolve_region(name)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .unwrap_or_else(|| panic!("{name} not found"));
        assert_eq!((r.code.as_str(), r.name.as_str()), (code, full), "{name}");
    }
    assert_eq!(db.store.resolve_region("火星市").await.unwrap(), None);
    // Several matches: an error listing them, no preference.
    match db.store.resolve_region("朝阳区").await {
        Err(StoreError::AmbiguousRegion { candidates, .. }) => {
            assert_eq!(candidates.len(), 2, "{candidates:?}");
            assert!(candidates.iter().any(|c| c.contains("110105")));
        }
        other => panic!("朝阳区 should be ambiguous, got {other:?}"),
    }
    match db.store.resolve_region("楚雄").await {
        Err(e @ StoreError::AmbiguousRegion { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains("楚雄彝族自治州 (532300)") && text.contains("楚雄市"),
                "{text}"
            );
        }
        other => panic!("楚雄 should be ambiguous, got {other:?}"),
    }
}

async fn failed_load_changes_nothing(db: &TestDb) {
    let n = loaded(db).await as i64;
    // Every region renamed (several batches of upserts succeed), then a row whose parent
    // does not exist: the load must fail and leave everything as it was.
    let mut rows: Vec<RegionRow> = national_regions()
        .into_iter()
        .map(|mut r| {
            r.name.push_str("（改）");
            r
        })
        .collect();
    rows.push(RegionRow {
        code: "539901".into(),
        name: "不存在县".into(),
        level: Level::County,
        parent: Some("999900".into()),
        kind: Some(CountyKind::County),
    });
    let err = db.store.load_regions(&rows).await.unwrap_err();
    assert!(matches!(err, StoreError::Write { .. }), "{err}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert_eq!(db.store.region_count().await.unwrap(), n);
    assert_eq!(
        db.store.region("530100").await.unwrap().unwrap().name,
        "昆明市"
    );
    assert_eq!(db.store.region("539901").await.unwrap(), None);

    // A duplicate code is refused before anything is written.
    let dup = vec![rows[0].clone(), rows[0].clone()];
    assert!(matches!(
        db.store.load_regions(&dup).await,
        Err(StoreError::InvalidRegions { .. })
    ));
    assert_eq!(
        db.store.region("110000").await.unwrap().unwrap().name,
        "北京市"
    );
}

fn target(indicator: &str, value: f64, quote: &str) -> Target {
    Target {
        domain: "病有所医".into(),
        task: Some(1),
        kind: TargetKind::Target,
        indicator: indicator.into(),
        op: Op::AtMost,
        value,
        value_max: None,
        unit: "‰".into(),
        year: Some(2025),
        scope: None,
        quote: quote.into(),
        repaired: false,
    }
}

fn chuxiong_plan(title: &str) -> Plan {
    let mut t2 = target("孕产妇死亡率", 15.5, "孕产妇死亡率控制在15.5/10万以下");
    t2.kind = TargetKind::Annual;
    t2.op = Op::AtLeast;
    t2.value_max = Some(16.0);
    t2.unit = "/10万".into();
    t2.scope = Some("县级".into());
    t2.task = None;
    t2.year = None;
    t2.repaired = true;
    Plan {
        source: "data/plans/002_ceb32094e06cc94e.txt".into(),
        region: Some("楚雄州".into()),
        title: title.into(),
        years: Some([2023, 2025]),
        targets: vec![target("婴儿死亡率", 4.0, "婴儿死亡率下降到4‰"), t2],
        ..Plan::default()
    }
}

fn catalogue() -> Vec<IndicatorRow> {
    vec![
        IndicatorRow {
            id: "infant_mortality".into(),
            name: "婴儿死亡率".into(),
            unit: "‰".into(),
            polarity: "lower_better".into(),
            kind: "rate".into(),
            aggregation: "weighted_mean".into(),
            synonyms: vec!["婴儿死亡".into()],
        },
        IndicatorRow {
            id: "maternal_mortality".into(),
            name: "孕产妇死亡率".into(),
            unit: "/10万".into(),
            polarity: "lower_better".into(),
            kind: "rate".into(),
            aggregation: "weighted_mean".into(),
            synonyms: vec![],
        },
    ]
}

async fn plans_are_versioned(db: &TestDb) {
    loaded(db).await;
    db.store.save_indicators(&catalogue()).await.unwrap();
    let code = db
        .store
        .resolve_region("楚雄州")
        .await
        .unwrap()
        .unwrap()
        .code;
    let ids = [Some("infant_mortality".to_string()), None];

    let first = chuxiong_plan("楚雄州2023年度工作要点（初稿）");
    let v1 = db.store.save_plan(&first, &code, &ids).await.unwrap();
    assert_eq!(v1.version, 1);
    let second = chuxiong_plan("楚雄州2023年度工作要点");
    let v2 = db.store.save_plan(&second, &code, &ids).await.unwrap();
    assert_eq!(v2.version, 2);
    assert_ne!(v1.id, v2.id);

    let latest = db.store.plan_for_region(&code).await.unwrap().unwrap();
    assert_eq!(latest.version, 2);
    assert_eq!(latest.plan, second);
    assert_eq!(latest.indicator_ids, ids.to_vec());
    assert_eq!(latest.plan_key, "002_ceb32094e06cc94e");
    assert!(latest.loaded_at.ends_with('Z') && latest.loaded_at.len() == 20);

    // The old version is kept, whole.
    let old = db.store.plan_by_id(v1.id).await.unwrap().unwrap();
    assert_eq!((old.version, &old.plan), (1, &first));
    let versions = db.store.plan_versions(&code).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [1, 2]
    );
    assert!(versions.iter().all(|v| v.targets == 2));

    // Another document for the same region is another plan.
    let mut other = chuxiong_plan("楚雄州基本公共服务提升三年行动");
    other.source = "楚雄州三年行动.docx".into();
    let o1 = db.store.save_plan(&other, &code, &ids).await.unwrap();
    assert_eq!(o1.version, 1);
    let latest_all = db.store.latest_plans().await.unwrap();
    assert_eq!(latest_all.len(), 2);
    assert!(
        latest_all
            .iter()
            .all(|p| p.indicator_ids == ids.to_vec() && p.region_code == code)
    );
    assert_eq!(
        latest_all
            .iter()
            .map(|p| (p.plan_key.as_str(), p.version))
            .collect::<Vec<_>>(),
        [("002_ceb32094e06cc94e", 2), ("楚雄州三年行动", 1)]
    );
    assert_eq!(
        db.store
            .plan_for_region("532300")
            .await
            .unwrap()
            .unwrap()
            .id,
        o1.id
    );
    assert_eq!(db.store.plan_for_region("530800").await.unwrap(), None);

    // Failures leave no trace.
    let bad = [Some("no_such_indicator".to_string()), None];
    assert!(matches!(
        db.store.save_plan(&second, &code, &bad).await,
        Err(StoreError::UnknownIndicator { target: 0, .. })
    ));
    assert!(matches!(
        db.store.save_plan(&second, &code, &ids[..1]).await,
        Err(StoreError::IndicatorCount { ids: 1, targets: 2 })
    ));
    assert!(matches!(
        db.store.save_plan(&second, "999999", &ids).await,
        Err(StoreError::UnknownRegion { .. })
    ));
    assert_eq!(db.store.plan_versions(&code).await.unwrap().len(), 3);
}

async fn concurrent_saves_get_distinct_versions(db: &TestDb) {
    loaded(db).await;
    let plan = chuxiong_plan("楚雄州2023年度工作要点");
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let (store, plan) = (db.store.clone(), plan.clone());
            tokio::spawn(async move { store.save_plan(&plan, "532300", &[None, None]).await })
        })
        .collect();
    let mut versions = Vec::new();
    for task in tasks {
        versions.push(task.await.unwrap().expect("a concurrent save").version);
    }
    versions.sort();
    assert_eq!(versions, [1, 2, 3, 4]);
}

async fn indicators_replace_all(db: &TestDb) {
    loaded(db).await;
    let mut cat = catalogue();
    assert_eq!(db.store.save_indicators(&cat).await.unwrap(), 2);
    assert_eq!(db.store.indicators().await.unwrap(), cat);

    // Replace-all: the second entry goes, the first changes.
    cat.truncate(1);
    cat[0].synonyms.push("婴儿死亡率（‰）".into());
    db.store.save_indicators(&cat).await.unwrap();
    assert_eq!(db.store.indicators().await.unwrap(), cat);

    // An indicator a stored target uses cannot be removed; the catalogue stays as it was.
    let plan = chuxiong_plan("楚雄州2023年度工作要点");
    db.store
        .save_plan(&plan, "532300", &[Some("infant_mortality".into()), None])
        .await
        .unwrap();
    let err = db.store.save_indicators(&[]).await.unwrap_err();
    assert!(matches!(err, StoreError::Write { .. }), "{err}");
    assert_eq!(db.store.indicators().await.unwrap(), cat);
}
