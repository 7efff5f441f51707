//! The store commands as a user runs them, on a fresh SQLite file: regions, plan load (with
//! versions), plan show, and 对标 over the bundled plans.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn plans() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/plans")
}

fn run(db: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_minsheng"))
        .arg("--db")
        .arg(format!("sqlite://{}", db.display()))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap()
}

fn load_all(db: &Path) -> String {
    let files: Vec<String> = std::fs::read_dir(plans())
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    let mut args = vec!["plan", "load"];
    args.extend(files.iter().map(String::as_str));
    String::from_utf8(run(db, &args).stdout).unwrap()
}

#[test]
fn yunnan_regions_come_out_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let prefectures = json(&run(
        &db,
        &[
            "regions",
            "list",
            "--under",
            "云南省",
            "--level",
            "prefecture",
            "--format",
            "json",
        ],
    ));
    assert_eq!(prefectures.as_array().unwrap().len(), 16);
    let counties = json(&run(
        &db,
        &[
            "regions",
            "list",
            "--under",
            "云南省",
            "--level",
            "county",
            "--format",
            "json",
        ],
    ));
    let counties = counties.as_array().unwrap();
    assert_eq!(counties.len(), 129);
    let chuxiong = counties.iter().find(|c| c["name"] == "楚雄市").unwrap();
    assert_eq!(
        (
            chuxiong["parent"].as_str(),
            chuxiong["kind"].as_str(),
            chuxiong["level"].as_str()
        ),
        (Some("532300"), Some("city"), Some("county"))
    );
    let kinds: std::collections::BTreeSet<&str> =
        counties.iter().filter_map(|c| c["kind"].as_str()).collect();
    assert_eq!(kinds, ["city", "county", "district"].into_iter().collect());
}

#[test]
fn plans_load_show_and_keep_their_versions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let first = load_all(&db);
    assert!(first.contains("楚雄彝族自治州（532300）版本 v1"), "{first}");
    assert!(first.contains("玉溪市（530400）版本 v1"), "{first}");
    let again = run(
        &db,
        &[
            "plan",
            "load",
            &plans()
                .join("004_448f1b67fccfcd17.txt")
                .display()
                .to_string(),
        ],
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("版本 v2"));

    let shown = json(&run(&db, &["plan", "show", "玉溪市", "--format", "json"]));
    assert_eq!(shown["region"], "玉溪市");
    let tasks: usize = shown["domains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["tasks"].as_array().unwrap().len())
        .sum();
    assert_eq!(tasks, 28);
    let quote = shown["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["indicator"] == "婴儿死亡率")
        .unwrap();
    assert!(quote["quote"].as_str().unwrap().contains("3‰"));
}

#[test]
fn alignment_of_the_bundled_plans() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    load_all(&db);
    let rows = json(&run(&db, &["align", "--format", "json"]));
    let rows = rows.as_array().unwrap();
    let find = |region: &str, indicator: &str| {
        rows.iter()
            .find(|r| r["region"] == region && r["indicator"] == indicator)
            .unwrap_or_else(|| panic!("no row for {region} {indicator}"))
    };
    let sport = find("楚雄州", "人均体育场地面积");
    assert_eq!(
        (sport["value"].as_f64(), sport["parent_value"].as_f64()),
        (Some(2.5), Some(2.6))
    );
    assert_eq!(sport["verdict"], "weaker");
    assert_eq!(sport["parent_region"], "云南省");
    let infant = find("玉溪市", "婴儿死亡率");
    assert_eq!(
        (infant["value"].as_f64(), infant["parent_value"].as_f64()),
        (Some(3.0), Some(4.0))
    );
    assert_eq!(infant["verdict"], "stricter");
    for region in ["楚雄州", "普洱市", "玉溪市"] {
        assert_eq!(
            find(region, "城镇新增就业人数")["verdict"],
            "not_comparable",
            "{region}"
        );
    }
    for field in [
        "region",
        "parent_region",
        "indicator",
        "op",
        "value",
        "unit",
        "parent_op",
        "parent_value",
        "parent_unit",
        "verdict",
        "quote",
        "parent_quote",
    ] {
        assert!(rows[0].get(field).is_some(), "field {field}");
    }
    // The province's plans have no parent plan: no row holds 云南省 as the child.
    assert!(rows.iter().all(|r| r["region"] != "云南省"));
}

#[test]
fn a_plan_whose_region_is_unknown_is_refused_and_nothing_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let doc = dir.path().join("plan.txt");
    std::fs::write(
        &doc,
        "火星市基本公共服务提升三年行动计划（2023-2025年）\n一、发展基础\n达标率超过50%。\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_minsheng"))
        .arg("--db")
        .arg(format!("sqlite://{}", db.display()))
        .args(["plan", "load"])
        .arg(&doc)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("plan.txt") && err.contains("火星市"), "{err}");
    let shown = Command::new(env!("CARGO_BIN_EXE_minsheng"))
        .arg("--db")
        .arg(format!("sqlite://{}", db.display()))
        .args(["align", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(json(&shown), serde_json::json!([]));
}
