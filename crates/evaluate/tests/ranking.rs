//! Rankings: competition ranks with ties, rounding, previous ranks and the change.

use minsheng_evaluate::*;
use minsheng_model::RegionLevel;

#[test]
fn ties_share_a_rank_and_the_next_skips() {
    // 90 > 85 = 85 > 80: ranks 1, 2, 2, 4 (standard competition ranking).
    assert_eq!(competition_ranks(&[80.0, 90.0, 85.0, 85.0]), [4, 1, 2, 2]);
    // Three-way tie at the top: 1, 1, 1, 4.
    assert_eq!(competition_ranks(&[70.0, 70.0, 70.0, 60.0]), [1, 1, 1, 4]);
    // Equal after rounding to two decimals: 85.004 and 84.996 both show as 85.00 and tie.
    assert_eq!(competition_ranks(&[85.004, 84.996, 84.99]), [1, 1, 3]);
    assert!(competition_ranks(&[]).is_empty());
}

#[test]
fn rows_by_rank_then_code_with_previous_ranks() {
    let entries = [
        ("532322", 70.0),
        ("532301", 85.0),
        ("532325", 70.0),
        ("532323", 90.0),
    ];
    let previous = PreviousRanks::new(&[
        RankingRow {
            scope: "532300".into(),
            region: "532301".into(),
            rank: 1,
            score: 88.0,
            previous_rank: None,
            level: None,
            of: 4,
            change: None,
        },
        RankingRow {
            scope: "532300".into(),
            region: "532325".into(),
            rank: 2,
            score: 80.0,
            previous_rank: None,
            level: None,
            of: 4,
            change: None,
        },
        // Another scope: not this ranking's.
        RankingRow {
            scope: "530000".into(),
            region: "532323".into(),
            rank: 7,
            score: 80.0,
            previous_rank: None,
            level: None,
            of: 4,
            change: None,
        },
    ]);
    let rows = rank_scope("532300", RegionLevel::County, &entries, Some(&previous));
    let got: Vec<(&str, u32, Option<u32>, Option<i64>)> = rows
        .iter()
        .map(|r| (r.region.as_str(), r.rank, r.previous_rank, r.change))
        .collect();
    assert_eq!(
        got,
        [
            ("532323", 1, None, None),
            ("532301", 2, Some(1), Some(-1)),
            // Tie at 70: rank 3 both, listed by code; 532325 was 2nd, now 3rd: change −1.
            ("532322", 3, None, None),
            ("532325", 3, Some(2), Some(-1)),
        ]
    );
    assert!(rows.iter().all(|r| r.of == 4 && r.scope == "532300"));
    assert!(rows.iter().all(|r| r.level == Some(RegionLevel::County)));
}
