//! Linking the indicator wordings of the five bundled plans' targets, as reviewed.
//!
//! `fixtures/links.tsv` lists every `target` record of the five plans (plan, indicator text,
//! unit, value) with the entry it must link to (`link`, `-` where it must not link), the entry
//! the record actually means (`means`, `-` when it is not a target at all) and, where the two
//! differ or the record is faulty, a note (see fixtures/README.md for how it was made).

use minsheng_catalog::Catalog;

const REAL: &str = include_str!("../../../data/catalog/indicators.toml");
const LINKS: &str = include_str!("fixtures/links.tsv");

struct Row<'a> {
    plan: &'a str,
    indicator: &'a str,
    unit: &'a str,
    link: Option<&'a str>,
    means: Option<&'a str>,
    note: &'a str,
}

fn id(field: &str) -> Option<&str> {
    (field != "-").then_some(field)
}

fn rows() -> Vec<Row<'static>> {
    LINKS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 7, "bad fixture line: {l}");
            Row {
                plan: f[0],
                indicator: f[1],
                unit: f[2],
                link: id(f[4]),
                means: id(f[5]),
                note: f[6],
            }
        })
        .collect()
}

#[test]
fn plan_targets_link_as_reviewed() {
    let c = Catalog::from_toml(REAL).unwrap();
    let mut wrong = Vec::new();
    for r in rows() {
        let got = c.link(r.indicator, r.unit).map(|l| l.id);
        if got.as_deref() != r.link {
            wrong.push(format!(
                "{} {} [{}]: expected {:?}, got {:?}",
                r.plan, r.indicator, r.unit, r.link, got
            ));
        }
        for id in r.link.iter().chain(&r.means) {
            assert!(c.get(id).is_some(), "fixture names unknown id {id}");
        }
        if r.link != r.means {
            assert!(
                !r.note.is_empty(),
                "{} {}: link and means differ without a note",
                r.plan,
                r.indicator
            );
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_province_target_has_an_entry_or_a_reason() {
    for r in rows().iter().filter(|r| r.plan == "000") {
        assert!(
            r.means.is_some() || !r.note.is_empty(),
            "000 {} has no catalog entry and no note",
            r.indicator
        );
    }
}

#[test]
fn most_province_targets_link() {
    let c = Catalog::from_toml(REAL).unwrap();
    let province: Vec<Row> = rows().into_iter().filter(|r| r.plan == "000").collect();
    assert!(province.len() >= 80);
    let linked = province
        .iter()
        .filter(|r| c.link(r.indicator, r.unit).is_some())
        .count();
    // The rest are extraction faults: the indicator text is a fragment (改造, 就业率, 宣威、镇雄等)
    // or a qualifier was read as a value (20户以上自然村); see the notes in the fixture.
    let share = linked as f64 / province.len() as f64;
    assert!(
        share >= 0.75,
        "{linked}/{} province targets link",
        province.len()
    );
}
