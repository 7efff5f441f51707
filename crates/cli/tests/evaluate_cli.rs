//! Evaluation as users run it, on a fresh SQLite store with the province's and 楚雄州's plans
//! and labelled demo data: external scores refused whole when a row is bad, two runs (the
//! second takes the first's ranks as previous), the JSON contract, compare, verify from the
//! frozen values, publish.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

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

fn json(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(db, args)).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn satisfaction_of(run: &Value, region: &str) -> Option<f64> {
    run["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["region"] == region && s["domain"] == "群众满意度")
        .and_then(|s| s["score"].as_f64())
}

#[test]
fn two_runs_compared_verified_and_published() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let plan = |f: &str| plans().join(f).display().to_string();
    ok(
        &db,
        &[
            "plan",
            "load",
            &plan("000_98986a7ea01ebd6d.txt"),
            &plan("002_ceb32094e06cc94e.txt"),
        ],
    );
    ok(&db, &["demo-data", "--seed", "3"]);

    // A bad row anywhere and nothing of the file is imported.
    let bad_source = write(
        dir.path(),
        "bad.csv",
        "region,source,score,period\n532301,satisfaction,10,2024\n532302,opinion,50,2024\n",
    );
    let out = minsheng(&db, &["evaluate", "import-external", &bad_source]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv") && err.contains("line 3") && err.contains("opinion"),
        "{err}"
    );
    let bad_region = write(
        dir.path(),
        "region.csv",
        "地区,来源,得分,统计期\n532301,群众满意度,20,2024\n999999,群众满意度,70,2024\n",
    );
    let out = minsheng(&db, &["evaluate", "import-external", &bad_region]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3") && err.contains("999999"), "{err}");

    let weights = write(
        dir.path(),
        "weights.toml",
        "[domains]\n\"病有所医\" = 2\n\n[external]\nsatisfaction = 0.2\n",
    );
    // The spelling: `evaluate --plan P --as-of …`.
    let first = json(
        &db,
        &[
            "evaluate",
            "--plan",
            "云南省",
            "--as-of",
            "2024Q4",
            "--weights",
            &weights,
            "--format",
            "json",
        ],
    );
    for key in [
        "run_id",
        "kind",
        "as_of",
        "scores",
        "rankings",
        "equalization",
    ] {
        assert!(first.get(key).is_some(), "the JSON contract has {key}");
    }
    assert_eq!(first["kind"], "monitoring");
    assert_eq!(first["as_of"], "2024Q4");
    assert_eq!(
        satisfaction_of(&first, "532301"),
        None,
        "neither refused file left a score"
    );
    let rankings = first["rankings"].as_array().unwrap();
    assert!(
        rankings
            .iter()
            .any(|r| r["scope"] == "530000" && r["region"] == "532300"),
        "楚雄州 is ranked among the prefectures"
    );
    assert!(
        rankings
            .iter()
            .any(|r| r["scope"] == "532300" && r["region"] == "532301"),
        "楚雄市 is ranked in 楚雄州"
    );
    assert!(rankings.iter().all(|r| r["previous_rank"].is_null()));
    for key in ["scope", "region", "rank", "score", "previous_rank"] {
        assert!(rankings[0].get(key).is_some(), "ranking rows have {key}");
    }
    let eq = first["equalization"].as_array().unwrap();
    assert!(!eq.is_empty());
    for key in [
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
    ] {
        assert!(eq[0].get(key).is_some(), "equalization rows have {key}");
    }
    assert!(
        eq[0]["williamson"].is_null(),
        "no population: no Williamson"
    );
    let first_id = first["run_id"].as_str().unwrap().to_string();

    let good = write(
        dir.path(),
        "满意度.csv",
        "region,source,score,period\n532301,satisfaction,86.5,2024\n532302,satisfaction,95,2024\n",
    );
    assert!(ok(&db, &["evaluate", "import-external", &good]).contains("新增 2"));
    let second = json(
        &db,
        &[
            "evaluate",
            "run",
            "--plan",
            "云南省",
            "--as-of",
            "2024Q4",
            "--weights",
            &weights,
            "--format",
            "json",
        ],
    );
    assert_eq!(satisfaction_of(&second, "532301"), Some(86.5));
    let second_id = second["run_id"].as_str().unwrap().to_string();
    let ranked = second["rankings"].as_array().unwrap();
    assert!(
        ranked.iter().all(|r| r["previous_rank"].is_u64()),
        "every region ranked before has its previous rank"
    );

    let compared = json(
        &db,
        &[
            "evaluate", "compare", &first_id, &second_id, "--format", "json",
        ],
    );
    let row = compared["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["region"] == "532301" && r["scope"] == "532300")
        .unwrap();
    let change = row["score_change"].as_f64().unwrap();
    assert!(
        change.abs() > 0.01,
        "satisfaction weighted in moves 楚雄市's score: {row}"
    );
    let table = ok(&db, &["evaluate", "compare", &first_id, &second_id]);
    assert!(
        table.contains("楚雄市") && table.contains("模拟数据"),
        "{table}"
    );

    assert!(ok(&db, &["evaluate", "verify", &second_id]).contains("reproduces exactly"));
    // New values after the run do not change what it used.
    ok(&db, &["demo-data", "--seed", "4"]);
    assert!(ok(&db, &["evaluate", "verify", &first_id]).contains("reproduces exactly"));

    let shown = ok(&db, &["evaluate", "show", &second_id]);
    assert!(
        shown.contains("模拟数据") && shown.contains("楚雄彝族自治州"),
        "{shown}"
    );
    // Reports: the html carries the sections and the 模拟数据 label; the 公示 waits for publishing.
    let html = dir.path().join("r.html");
    let html_arg = html.display().to_string();
    ok(
        &db,
        &[
            "report", "--run", &second_id, "--format", "html", "--out", &html_arg,
        ],
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("排名情况") && page.contains("模拟数据"),
        "{page}"
    );
    let lagging_at_province = second["targets"].as_array().unwrap().iter().any(|t| {
        t["region"] == "530000"
            && ["needs_acceleration", "limited_progress", "regressing"]
                .contains(&t["status"].as_str().unwrap_or(""))
    });
    assert!(
        lagging_at_province,
        "the demo data leaves some provincial targets lagging"
    );
    assert!(
        page.contains("走势与目标轨迹"),
        "lagging targets get a trend chart from the run's frozen values"
    );
    let docx = dir.path().join("r.docx").display().to_string();
    ok(&db, &["report", "--run", &second_id, "--out", &docx]);
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));
    let public = dir.path().join("p.html").display().to_string();
    let refused = minsheng(
        &db,
        &[
            "report", "--run", &second_id, "--format", "public", "--out", &public,
        ],
    );
    assert!(!refused.status.success(), "an unpublished run has no 公示");

    ok(&db, &["evaluate", "publish", &second_id, "--as", "fgw"]);
    ok(
        &db,
        &[
            "report", "--run", &second_id, "--format", "public", "--out", &public,
        ],
    );
    assert!(
        std::fs::read_to_string(&public)
            .unwrap()
            .contains("模拟数据")
    );
    let published = json(
        &db,
        &["evaluate", "list", "--published", "--format", "json"],
    );
    let ids: Vec<String> = published
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].to_string())
        .collect();
    assert_eq!(ids, vec![second_id.clone()]);
    let again = minsheng(&db, &["evaluate", "publish", &second_id]);
    assert!(!again.status.success());
}
