//! Reporting and monitoring as users run them, on a fresh SQLite store: a county clerk's import
//! (a bad cell refuses the whole file), the review workflow, the audit log, assessment of a
//! target from values set by hand, the reporting template, and labelled demo data.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn plans() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/plans")
}

fn minsheng(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minsheng"))
        .arg("--db")
        .arg(format!("sqlite://{}", db.display()))
        .args(args)
        .output()
        .unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = minsheng(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A store with the province's and 楚雄州's plans.
fn store_with_plans(dir: &Path) -> PathBuf {
    let db = dir.join("m.db");
    ok(
        &db,
        &[
            "plan",
            "load",
            &plans()
                .join("000_98986a7ea01ebd6d.txt")
                .display()
                .to_string(),
            &plans()
                .join("002_ceb32094e06cc94e.txt")
                .display()
                .to_string(),
        ],
    );
    db
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn a_fresh_store_takes_an_import_before_any_plan() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    let file = write(
        dir.path(),
        "first.csv",
        "dataelement,period,orgunit,value\ninfant_mortality,2024Q4,楚雄市,4.1\n",
    );
    let out = minsheng(&db, &["import", "--as", "clerk", &file]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("新增 1"));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("first use: saved the indicator catalog")
    );
    // Only the first import saves the catalog.
    let again = minsheng(&db, &["import", "--as", "clerk", &file]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("未变 1"));
    assert!(!String::from_utf8_lossy(&again.stderr).contains("indicator catalog"));
}

#[test]
fn a_bad_cell_imports_nothing_and_a_good_file_imports_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_plans(dir.path());
    let bad = write(
        dir.path(),
        "bad.csv",
        "dataelement,period,orgunit,value\ninfant_mortality,2024Q4,楚雄市,4.1\nprenatal_screening,2024Q4,楚雄市,九十\n",
    );
    let out = minsheng(&db, &["import", "--as", "clerk", &bad]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("第3行") && text.contains("九十") && text.contains("row 3"),
        "{text}"
    );
    let audit = ok(
        &db,
        &["audit", "--entity", "data_value", "--format", "json"],
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&audit).unwrap(),
        serde_json::json!([]),
        "nothing stored"
    );

    let good = write(
        dir.path(),
        "good.csv",
        "dataelement,period,orgunit,value\ninfant_mortality,2024Q4,楚雄市,4.1\nprenatal_screening,2024Q4,楚雄市,90\n",
    );
    assert!(ok(&db, &["import", "--as", "clerk", &good]).contains("新增 2"));
    assert!(
        ok(&db, &["import", "--as", "clerk", &good]).contains("未变 2"),
        "re-importing changes nothing"
    );
    let changed = write(
        dir.path(),
        "changed.csv",
        "dataelement,period,orgunit,value\ninfant_mortality,2024Q4,楚雄市,4.0\n",
    );
    let out = ok(&db, &["import", "--as", "clerk", &changed]);
    assert!(
        out.contains("already stored for this period"),
        "a replaced value is a warning: {out}"
    );
    // The next quarter is compared with the stored one (the jump check reads the file's
    // cells from the store).
    let next = write(
        dir.path(),
        "next.csv",
        "dataelement,period,orgunit,value
infant_mortality,2025Q1,楚雄市,9
",
    );
    let out = ok(&db, &["import", "--as", "clerk", &next]);
    assert!(
        out.contains("higher than 4") && out.contains("in 2024Q4"),
        "a jump from the stored previous quarter is a warning: {out}"
    );
    let audit: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "audit",
            "--key",
            "532301/2024Q4/infant_mortality",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let update = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "update")
        .expect("the change is audited");
    assert_eq!(
        (
            update["before"]["value"].as_f64(),
            update["after"]["value"].as_f64()
        ),
        (Some(4.1), Some(4.0))
    );
    assert_eq!(update["actor"], "clerk");
}

#[test]
fn the_review_workflow_refuses_skipped_steps() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_plans(dir.path());
    let file = write(
        dir.path(),
        "v.csv",
        "dataelement,period,orgunit,value\ninfant_mortality,2024Q4,楚雄市,4.1\n",
    );
    ok(&db, &["import", "--as", "clerk", &file]);
    let refused = minsheng(
        &db,
        &[
            "review",
            "approve",
            "--region",
            "楚雄市",
            "--period",
            "2024Q4",
            "--as",
            "reviewer",
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("draft"));
    ok(
        &db,
        &[
            "review",
            "submit",
            "--region",
            "楚雄市",
            "--period",
            "2024Q4",
            "--as",
            "clerk",
        ],
    );
    let no_reason = minsheng(
        &db,
        &[
            "review",
            "return",
            "--region",
            "楚雄市",
            "--period",
            "2024Q4",
            "--reason",
            " ",
            "--as",
            "reviewer",
        ],
    );
    assert!(!no_reason.status.success(), "a return needs a reason");
    ok(
        &db,
        &[
            "review",
            "return",
            "--region",
            "楚雄市",
            "--period",
            "2024Q4",
            "--reason",
            "婴儿死亡率口径不对",
            "--as",
            "reviewer",
        ],
    );
    ok(
        &db,
        &[
            "review",
            "submit",
            "--region",
            "楚雄市",
            "--period",
            "2024Q4",
            "--as",
            "clerk",
        ],
    );
    ok(
        &db,
        &[
            "review",
            "approve",
            "--region",
            "楚雄市",
            "--period",
            "2024Q4",
            "--as",
            "reviewer",
        ],
    );
    assert!(
        ok(
            &db,
            &[
                "review",
                "publish",
                "--region",
                "楚雄市",
                "--period",
                "2024Q4",
                "--as",
                "owner"
            ]
        )
        .contains("published")
    );
    let log = ok(&db, &["audit", "--entity", "review"]);
    for step in ["submit", "return", "approve", "publish"] {
        assert!(log.contains(step), "{step} is in the audit log: {log}");
    }
    assert!(log.contains("婴儿死亡率口径不对"));
}

#[test]
fn assessment_of_values_set_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_plans(dir.path());
    // 楚雄州's target: 婴儿死亡率 ≤ 4‰ by 2025. 楚雄市 (a county: no plan of its own) had 5‰ in
    // 2022 and 4.5‰ at the end of 2024.
    let file = write(
        dir.path(),
        "v.csv",
        "dataelement,period,orgunit,value\ninfant_mortality,2022,楚雄市,5\ninfant_mortality,2024Q4,楚雄市,4.5\n",
    );
    ok(&db, &["import", "--as", "clerk", &file]);
    let unreviewed = ok(
        &db,
        &[
            "assess",
            "--as-of",
            "2024Q4",
            "--region",
            "楚雄市",
            "--indicator",
            "infant_mortality",
            "--format",
            "json",
        ],
    );
    let rows: serde_json::Value = serde_json::from_str(&unreviewed).unwrap();
    assert_eq!(
        rows[0]["status"], "no_data",
        "draft values are not assessed: {rows}"
    );

    for period in ["2022", "2024Q4"] {
        ok(
            &db,
            &["review", "submit", "--region", "楚雄市", "--period", period],
        );
        ok(
            &db,
            &[
                "review",
                "approve",
                "--region",
                "楚雄市",
                "--period",
                period,
            ],
        );
    }
    let rows: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "assess",
            "--as-of",
            "2024Q4",
            "--region",
            "楚雄市",
            "--indicator",
            "infant_mortality",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let row = &rows[0];
    assert_eq!(
        row["target_region"], "532300",
        "a county is held to its prefecture's target"
    );
    assert_eq!(
        (
            row["baseline"].as_f64(),
            row["latest"].as_f64(),
            row["target"].as_f64()
        ),
        (Some(5.0), Some(4.5), Some(4.0))
    );
    // Observed: 2022 ends at 2023.0, 2024Q4 at 2025.0: (4.5/5)^(1/2) − 1 = −0.05132.
    // Required: the 2025 target is due at 2026.0: (4/5)^(1/3) − 1 = −0.07168.
    // R = d·observed/|required| with d = −1 for a ceiling: 0.05132 / 0.07168 = 0.716.
    let r = row["ratio"].as_f64().unwrap();
    assert!((r - 0.716).abs() < 0.01, "R = {r}");
    assert_eq!(row["status"], "needs_acceleration");
    assert_eq!(row["method"], "open_sdg_ratio");
    for field in [
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
        assert!(row.get(field).is_some(), "field {field}");
    }
}

#[test]
fn a_template_for_a_county_and_demo_data_labelled_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_plans(dir.path());
    let xlsx = dir.path().join("t.xlsx");
    let said = ok(
        &db,
        &[
            "template",
            "--region",
            "楚雄市",
            "--period",
            "2025Q1",
            "--out",
            &xlsx.display().to_string(),
        ],
    );
    assert!(said.contains("楚雄市"), "{said}");
    let bytes = std::fs::read(&xlsx).unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");

    assert!(ok(&db, &["demo-data", "--seed", "3"]).contains("模拟数据"));
    let table = ok(&db, &["assess", "--as-of", "2024Q4", "--region", "楚雄市"]);
    assert!(
        table.contains("模拟数据"),
        "demo data is labelled where it shows"
    );
    let rows: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "assess",
            "--as-of",
            "2024Q4",
            "--region",
            "楚雄州",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let statuses: std::collections::BTreeSet<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["status"].as_str())
        .collect();
    for s in ["on_track", "needs_acceleration", "regressing", "achieved"] {
        assert!(statuses.contains(s), "demo data gives {s}: {statuses:?}");
    }
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["simulated"] == true || r["status"] == "no_data")
    );
    let warnings = ok(
        &db,
        &["warnings", "--region", "楚雄州", "--today", "2025-02-15"],
    );
    assert!(
        warnings.contains("模拟数据") && warnings.contains("州卫生健康委"),
        "{warnings}"
    );
}
