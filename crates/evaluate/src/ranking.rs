//! 排名: regions ranked by their overall score within a scope — prefectures in their
//! province, counties in their prefecture, counties in their province.
//!
//! **Ties** share a rank and the next rank skips (standard competition ranking, "1224"):
//! scores 90, 85, 85, 80 rank 1, 2, 2, 4. Scores are compared as published, rounded to
//! [`RANK_DECIMALS`] decimals, so two regions shown with the same score never get different
//! ranks because of digits nobody sees. Within a tie, rows are listed by region code.
//! Regions without a score are not ranked (they are not put last).
//!
//! **Previous rank.** Looked up in the previous run's rankings by (scope, region) — the
//! region's level follows from the region, so the pair is unique — and `change =
//! previous_rank − rank` (positive: moved up).

use std::collections::HashMap;

use minsheng_model::RegionLevel;
use serde::{Deserialize, Serialize};

/// Scores are compared after rounding to this many decimals.
pub const RANK_DECIMALS: i32 = 2;

/// One region's place in one scope. The first five fields are the `--format json` contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankingRow {
    /// The code of the region ranked within: a province or a prefecture.
    pub scope: String,
    pub region: String,
    /// 1 is the best; ties share a rank (1, 2, 2, 4).
    pub rank: u32,
    pub score: f64,
    /// The rank in the same scope in the previous run, when it was ranked there.
    pub previous_rank: Option<u32>,
    /// The level of the regions ranked: `prefecture` or `county`.
    #[serde(default)]
    pub level: Option<RegionLevel>,
    /// How many regions were ranked in the scope.
    #[serde(default)]
    pub of: u32,
    /// `previous_rank − rank`: positive when the region moved up.
    #[serde(default)]
    pub change: Option<i64>,
}

/// The key scores are compared by: the score rounded to [`RANK_DECIMALS`] decimals.
pub fn rank_key(score: f64) -> i64 {
    (score * 10f64.powi(RANK_DECIMALS)).round() as i64
}

/// Competition ranks of scores (higher is better), one per input position: `[80, 90, 85,
/// 85]` → `[4, 1, 2, 2]`. Scores equal after rounding to [`RANK_DECIMALS`] decimals tie.
pub fn competition_ranks(scores: &[f64]) -> Vec<u32> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by_key(|i| std::cmp::Reverse(rank_key(scores[*i])));
    let mut ranks = vec![0u32; scores.len()];
    for (place, &i) in idx.iter().enumerate() {
        ranks[i] = if place > 0 && rank_key(scores[idx[place - 1]]) == rank_key(scores[i]) {
            ranks[idx[place - 1]]
        } else {
            place as u32 + 1
        };
    }
    ranks
}

/// The ranks of a previous run, by scope, then region.
#[derive(Debug, Clone, Default)]
pub struct PreviousRanks {
    ranks: HashMap<String, HashMap<String, u32>>,
}

impl PreviousRanks {
    pub fn new(rows: &[RankingRow]) -> PreviousRanks {
        let mut ranks: HashMap<String, HashMap<String, u32>> = HashMap::new();
        for r in rows {
            ranks
                .entry(r.scope.clone())
                .or_default()
                .insert(r.region.clone(), r.rank);
        }
        PreviousRanks { ranks }
    }

    pub fn get(&self, scope: &str, region: &str) -> Option<u32> {
        self.ranks.get(scope)?.get(region).copied()
    }
}

/// Ranks `entries` (region code, score) within `scope`: rows by rank, ties by region code.
pub fn rank_scope(
    scope: &str,
    level: RegionLevel,
    entries: &[(&str, f64)],
    previous: Option<&PreviousRanks>,
) -> Vec<RankingRow> {
    let scores: Vec<f64> = entries.iter().map(|e| e.1).collect();
    let ranks = competition_ranks(&scores);
    let mut rows: Vec<RankingRow> = entries
        .iter()
        .zip(&ranks)
        .map(|(&(region, score), &rank)| {
            let previous_rank = previous.and_then(|p| p.get(scope, region));
            RankingRow {
                scope: scope.to_string(),
                region: region.to_string(),
                rank,
                score,
                previous_rank,
                level: Some(level),
                of: entries.len() as u32,
                change: previous_rank.map(|p| i64::from(p) - i64::from(rank)),
            }
        })
        .collect();
    rows.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.region.cmp(&b.region)));
    rows
}
