//! The `minsheng ingest` command as a user runs it: outputs, files written, exit status.

use std::path::PathBuf;
use std::process::Command;

fn minsheng() -> Command {
    Command::new(env!("CARGO_BIN_EXE_minsheng"))
}

fn plans() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/plans")
}

#[test]
fn json_of_one_plan_goes_to_stdout() {
    let out = minsheng()
        .args(["ingest", "--format", "json"])
        .arg(plans().join("000_98986a7ea01ebd6d.txt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["region"], "云南省");
    assert_eq!(plan["years"], serde_json::json!([2023, 2025]));
    assert_eq!(plan["domains"].as_array().unwrap().len(), 9);
    let target = &plan["targets"][0];
    for field in [
        "domain",
        "task",
        "kind",
        "indicator",
        "op",
        "value",
        "value_max",
        "unit",
        "year",
        "scope",
        "quote",
        "repaired",
    ] {
        assert!(target.get(field).is_some(), "target field {field}");
    }
    let task = &plan["domains"][0]["tasks"][0];
    for field in ["number", "title", "text", "measures", "responsibility"] {
        assert!(task.get(field).is_some(), "task field {field}");
    }
}

#[test]
fn a_bad_file_fails_alone_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.txt");
    std::fs::write(&bad, b"PK\x03\x04\x14\x00\x06\x00 cut off here").unwrap();
    let out_dir = dir.path().join("out");
    let out = minsheng()
        .args(["ingest", "--format", "json", "--out"])
        .arg(&out_dir)
        .arg(plans().join("002_ceb32094e06cc94e.txt"))
        .arg(&bad)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "a bad file makes the exit status non-zero"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.txt"),
        "the error names the file: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        out_dir.join("002_ceb32094e06cc94e.json").exists(),
        "the good file is written"
    );
    assert!(
        !out_dir.join("broken.json").exists(),
        "nothing is written for the bad file"
    );
}

#[test]
fn the_table_summary_names_domains_tasks_and_cleaning() {
    let out = minsheng()
        .arg("ingest")
        .arg(plans().join("004_448f1b67fccfcd17.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("玉溪市"));
    assert!(text.contains("【文体服务保障】"));
    assert!(text.contains("牵头: 市卫生健康委"));
    assert!(text.contains("清理报告"));
}

#[test]
fn several_files_as_json_need_a_folder() {
    let out = minsheng()
        .args(["ingest", "--format", "json"])
        .arg(plans().join("000_98986a7ea01ebd6d.txt"))
        .arg(plans().join("001_25b46bd4477d6bc1.txt"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out"));
}
