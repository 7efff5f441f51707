//! 评估运行: one evaluation — target scores, composites, rankings and equalization — from
//! the assessments and values the caller hands in, as one serializable result.

use std::collections::HashMap;
use std::sync::Arc;

use minsheng_assess::{Assessment, Hierarchy, Status};
use minsheng_catalog::{Indicator, Polarity};
use minsheng_model::{DOMAINS, Period, RegionLevel};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::EvaluateError;
use crate::equalization::{CrossSection, EqualizationRow, Grouping, equalize_indexed, trend};
use crate::external::{ExternalScore, ExternalSource};
use crate::ranking::{PreviousRanks, RANK_DECIMALS, RankingRow, rank_scope};
use crate::score::{CompositeBuilder, overall, target_score};
use crate::weights::{UNCLASSIFIED, WeightsConfig};

/// The `domain` of a region's overall score row (as plans write plan-wide statements).
pub const OVERALL: &str = "总体";

/// Domain slots: the nine domains, then 未分类.
const N_DOMAINS: usize = DOMAINS.len() + 1;

fn domain_name(slot: usize) -> &'static str {
    DOMAINS.get(slot).copied().unwrap_or(UNCLASSIFIED)
}

/// What evaluation needs to know of an indicator: its domain and its direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorMeta {
    /// The catalog id.
    pub id: String,
    /// One of the nine domains; anything else (or none) counts as 未分类.
    pub domain: Option<String>,
    pub polarity: Polarity,
}

impl IndicatorMeta {
    pub fn from_catalog(entry: &Indicator) -> IndicatorMeta {
        IndicatorMeta {
            id: entry.id.clone(),
            domain: entry.domain.clone(),
            polarity: entry.polarity,
        }
    }
}

/// 评估类型: what the run is for. The computation is the same; the kind labels the snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationKind {
    /// 动态监测评估: a routine run at a reporting period.
    Monitoring,
    /// 中期评估.
    Midterm,
    /// 终期评估.
    Final,
}

impl EvaluationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvaluationKind::Monitoring => "monitoring",
            EvaluationKind::Midterm => "midterm",
            EvaluationKind::Final => "final",
        }
    }

    pub fn parse(text: &str) -> Option<EvaluationKind> {
        match text.trim() {
            "monitoring" | "动态监测" => Some(EvaluationKind::Monitoring),
            "midterm" | "中期" | "中期评估" => Some(EvaluationKind::Midterm),
            "final" | "终期" | "终期评估" => Some(EvaluationKind::Final),
            _ => None,
        }
    }

    /// 动态监测评估, 中期评估, 终期评估.
    pub fn label(self) -> &'static str {
        match self {
            EvaluationKind::Monitoring => "动态监测评估",
            EvaluationKind::Midterm => "中期评估",
            EvaluationKind::Final => "终期评估",
        }
    }
}

/// Everything one evaluation reads. The caller loads it; nothing here touches a file.
#[derive(Debug, Clone, Copy)]
pub struct EvaluationInput<'a> {
    pub run_id: &'a str,
    pub kind: EvaluationKind,
    pub as_of: Period,
    /// The period equalization compares with (the year before the plan: 2022). Rows at this
    /// period get no trend; rows at `as_of` get a trend against it.
    pub baseline: Option<Period>,
    /// Evaluate this region and everything below it; `None`: the whole hierarchy.
    pub scope: Option<&'a str>,
    pub hierarchy: &'a Hierarchy,
    /// Every indicator the assessments, cross-sections and weights may name.
    pub indicators: &'a [IndicatorMeta],
    /// The assessments at `as_of` ([`minsheng_assess::assess`]), for every level to be scored
    /// and ranked (counties, and prefectures and provinces assessed on their aggregates).
    pub assessments: &'a [Assessment<'a>],
    /// County values per indicator, at `as_of` and at `baseline`
    /// ([`cross_sections`](crate::cross_sections)).
    pub values: &'a [CrossSection],
    /// Population per hierarchy index (NaN or ≤ 0: unknown), for the weighted measures.
    pub population: Option<&'a [f64]>,
    pub weights: &'a WeightsConfig,
    /// 群众满意度 and 第三方评估 scores; per region and source the latest period ending no
    /// later than `as_of` counts (as of 2024Q4, the 2024 survey).
    pub external: &'a [ExternalScore],
    /// The previous run, for `previous_rank`.
    pub previous: Option<&'a EvaluationResult>,
}

/// What a score row is a score of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScorePart {
    /// The region's overall score (`domain` 总体): domains and external inputs combined.
    Overall,
    /// One domain's composite of its indicators.
    Domain,
    /// An external input as imported (`domain` 群众满意度 or 第三方评估).
    External,
}

/// A region's score in a domain, overall, or from an external source. The first three fields
/// are the `--format json` contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreRow {
    pub region: String,
    /// One of the nine domains, 未分类, 总体 (overall), 群众满意度 or 第三方评估.
    pub domain: String,
    /// 0–100; `null` when nothing in it had data.
    pub score: Option<f64>,
    #[serde(default)]
    pub part: Option<ScorePart>,
    #[serde(default)]
    pub level: Option<RegionLevel>,
    /// Parts counted: targets for a domain, domains for the overall score.
    #[serde(default)]
    pub n: usize,
    /// Parts with a score.
    #[serde(default)]
    pub n_scored: usize,
    /// Share of the parts' weight that had a score (re-normalisation left the rest out).
    #[serde(default)]
    pub coverage: Option<f64>,
    /// The weight of this part one level up: the domain's weight, the external share.
    #[serde(default)]
    pub weight: Option<f64>,
    /// For an external score: the period it is for.
    #[serde(default)]
    pub period: Option<Period>,
}

/// One target's achievement in one region: the status from monitoring and its 0–100 score.
/// The strings are shared (a region's code is held once for all its rows); they serialize as
/// plain strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetScore {
    pub region: Arc<str>,
    pub indicator: Arc<str>,
    pub domain: Arc<str>,
    pub status: Status,
    /// `null` for `no_data`: left out of the composite.
    pub score: Option<f64>,
    /// The indicator's weight within its domain.
    pub weight: f64,
}

/// The method, written down with the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodNote {
    pub target_score: String,
    pub composite: String,
    pub overall: String,
    pub ranking: String,
    pub equalization: String,
    /// The weights used.
    pub weights: WeightsConfig,
}

impl MethodNote {
    pub fn new(weights: &WeightsConfig) -> MethodNote {
        MethodNote {
            target_score: "achieved = 100; no_data = no score (left out, not 0); otherwise \
                100·d·(latest − baseline)/(d·(target − baseline)) clipped to [0, 100], d = +1 \
                for a floor and −1 for a ceiling; 0 when the baseline already met the target"
                .into(),
            composite: "weighted arithmetic mean over the parts with a score (indicators in a \
                domain by [indicators] weights, domains by [domains] weights; default 1); the \
                weights of parts without a score are re-normalised away; coverage = share of \
                weight with a score"
                .into(),
            overall: format!(
                "overall = (1 − {e}) · domain composite + {s} · 群众满意度 + {t} · 第三方评估, \
                 shares of missing external scores re-normalised away; no domain composite, \
                 no overall score",
                e = weights.external.total(),
                s = weights.external.satisfaction,
                t = weights.external.third_party,
            ),
            ranking: format!(
                "by overall score, higher first; standard competition ranking (1, 2, 2, 4) on \
                 scores rounded to {RANK_DECIMALS} decimals; unscored regions not ranked; \
                 change = previous_rank − rank"
            ),
            equalization: "over county values: cv = σ/μ (σ over n); williamson = population-\
                weighted CV; gini = 2·Σ i·x(i)/(n·Σx) − 1 − 1/n; theil = (1/n)·Σ (x/μ)·ln(x/μ) \
                with 0·ln 0 = 0, split between/within prefectures with shares n_g·μ_g/(n·μ); \
                max_min_ratio = max/min; urban_rural_gap = mean(市辖区) − mean(县), 县级市 apart"
                .into(),
            weights: weights.clone(),
        }
    }
}

/// The result of one evaluation. The first six fields are the `--format json` contract:
/// `{"run_id", "kind", "as_of", "scores", "rankings", "equalization"}`; the rest are extra.
/// Serializes and deserializes (a stored snapshot is read back as the next run's previous).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationResult {
    pub run_id: String,
    pub kind: EvaluationKind,
    pub as_of: Period,
    pub scores: Vec<ScoreRow>,
    pub rankings: Vec<RankingRow>,
    pub equalization: Vec<EqualizationRow>,
    #[serde(default)]
    pub baseline: Option<Period>,
    #[serde(default)]
    pub scope: Option<String>,
    /// Per target and region: status and score.
    #[serde(default)]
    pub targets: Vec<TargetScore>,
    #[serde(default)]
    pub method: Option<MethodNote>,
}

/// A chunk's scored targets, by index and as rows.
type ScoredChunk = (Vec<Scored>, Vec<TargetScore>);

/// One scored target, by dense indexes.
#[derive(Clone, Copy)]
struct Scored {
    region: u32,
    indicator: u32,
    score: Option<f64>,
}

/// 评估: scores every target, composes domain and overall scores per region, ranks
/// prefectures and counties, and measures equalization for every indicator with county values
/// (docs/evaluation.md). Runs on all cores.
///
/// Errors when an assessment, external score or cross-section names a region or indicator the
/// inputs do not know, when the weights name an unknown indicator (with its line), or when the
/// population is not one entry per region.
pub fn evaluate(input: &EvaluationInput<'_>) -> Result<EvaluationResult, EvaluateError> {
    let h = input.hierarchy;
    let scope = input
        .scope
        .map(|c| {
            h.index_of(c).ok_or_else(|| EvaluateError::UnknownRegion {
                code: c.to_string(),
                place: "scope",
            })
        })
        .transpose()?;
    if let Some(p) = input.population
        && p.len() != h.len()
    {
        return Err(EvaluateError::PopulationLength {
            got: p.len(),
            want: h.len(),
        });
    }
    let ind_index: HashMap<&str, u32> = input
        .indicators
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i as u32))
        .collect();
    input
        .weights
        .check_indicators(|id| ind_index.contains_key(id))?;
    let slots: Vec<usize> = input
        .indicators
        .iter()
        .map(|m| {
            m.domain
                .as_deref()
                .and_then(|d| DOMAINS.iter().position(|x| *x == d))
                .unwrap_or(DOMAINS.len())
        })
        .collect();
    let ind_weights: Vec<f64> = input
        .indicators
        .iter()
        .map(|m| input.weights.indicator(&m.id))
        .collect();
    let in_scope = |r: u32| scope.is_none_or(|s| h.is_within(r, s));
    let region_names: Vec<Arc<str>> = (0..h.len() as u32).map(|r| Arc::from(h.code(r))).collect();
    let indicator_names: Vec<Arc<str>> = input
        .indicators
        .iter()
        .map(|m| Arc::from(m.id.as_str()))
        .collect();
    let domain_names: Vec<Arc<str>> = (0..N_DOMAINS).map(|d| Arc::from(domain_name(d))).collect();

    // 1. Target scores, in parallel chunks; a chunk remembers the last region looked up
    //    (assessments come grouped by region).
    let chunks: Vec<Result<ScoredChunk, EvaluateError>> = input
        .assessments
        .par_chunks(4096)
        .map(|chunk| {
            let mut scored = Vec::with_capacity(chunk.len());
            let mut rows = Vec::with_capacity(chunk.len());
            let mut last: Option<(&str, u32)> = None;
            let mut last_indicator: Option<u32> = None;
            for a in chunk {
                let region = match last {
                    Some((code, r)) if code == a.region => r,
                    _ => {
                        let r =
                            h.index_of(a.region)
                                .ok_or_else(|| EvaluateError::UnknownRegion {
                                    code: a.region.to_string(),
                                    place: "assessment",
                                })?;
                        last = Some((a.region, r));
                        r
                    }
                };
                if !in_scope(region) {
                    continue;
                }
                // Assessments list a region's indicators in indicator order: try the one after
                // the last before hashing.
                let next = last_indicator.map_or(0, |i| i as usize + 1);
                let i = match input.indicators.get(next) {
                    Some(m) if m.id == a.indicator => next as u32,
                    _ => *ind_index.get(a.indicator).ok_or_else(|| {
                        EvaluateError::UnknownIndicator {
                            id: a.indicator.to_string(),
                            place: "assessment",
                        }
                    })?,
                };
                last_indicator = Some(i);
                let score = target_score(a, input.indicators[i as usize].polarity);
                scored.push(Scored {
                    region,
                    indicator: i,
                    score,
                });
                rows.push(TargetScore {
                    region: region_names[region as usize].clone(),
                    indicator: indicator_names[i as usize].clone(),
                    domain: domain_names[slots[i as usize]].clone(),
                    status: a.status,
                    score,
                    weight: ind_weights[i as usize],
                });
            }
            Ok((scored, rows))
        })
        .collect();
    let mut targets = Vec::with_capacity(input.assessments.len());
    let mut per_domain = vec![CompositeBuilder::default(); h.len() * N_DOMAINS];
    for chunk in chunks {
        let (scored, rows) = chunk?;
        for s in scored {
            let slot = slots[s.indicator as usize];
            per_domain[s.region as usize * N_DOMAINS + slot]
                .add(s.score, ind_weights[s.indicator as usize]);
        }
        targets.extend(rows);
    }

    // 2. External scores: per region and source, the latest period not after as-of.
    let mut external: HashMap<(u32, ExternalSource), &ExternalScore> = HashMap::new();
    for e in input.external {
        let r = h
            .index_of(&e.region)
            .ok_or_else(|| EvaluateError::UnknownRegion {
                code: e.region.clone(),
                place: "external scores",
            })?;
        // By the month periods end, as assessment counts: as of 2024Q4 the 2024 survey counts.
        if !in_scope(r) || e.period.end_month() > input.as_of.end_month() {
            continue;
        }
        let slot = external.entry((r, e.source)).or_insert(e);
        if e.period > slot.period {
            *slot = e;
        }
    }

    // 3. Score rows and overall scores, in hierarchy order.
    let regions: &[u32] = match scope {
        Some(s) => h.subtree(s),
        None => h.order(),
    };
    let ext_weight = |s: ExternalSource| match s {
        ExternalSource::Satisfaction => input.weights.external.satisfaction,
        ExternalSource::ThirdParty => input.weights.external.third_party,
    };
    let mut overall_of: Vec<Option<f64>> = vec![None; h.len()];
    let mut scores = Vec::new();
    for &r in regions {
        let doms = &per_domain[r as usize * N_DOMAINS..(r as usize + 1) * N_DOMAINS];
        let exts: Vec<(ExternalSource, Option<&ExternalScore>)> = ExternalSource::ALL
            .iter()
            .map(|s| (*s, external.get(&(r, *s)).copied()))
            .collect();
        if doms.iter().all(|d| d.finish().n == 0) && exts.iter().all(|e| e.1.is_none()) {
            continue;
        }
        let code = h.code(r);
        let level = Some(h.level(r));
        let mut internal = CompositeBuilder::default();
        let mut domain_rows = Vec::new();
        for (slot, d) in doms.iter().enumerate() {
            let c = d.finish();
            if c.n == 0 {
                continue;
            }
            let name = domain_name(slot);
            let w = input.weights.domain(name);
            internal.add(c.score, w);
            domain_rows.push(ScoreRow {
                region: code.to_string(),
                domain: name.to_string(),
                score: c.score,
                part: Some(ScorePart::Domain),
                level,
                n: c.n,
                n_scored: c.n_scored,
                coverage: c.coverage,
                weight: Some(w),
                period: None,
            });
        }
        let inner = internal.finish();
        let ext_parts: Vec<(Option<f64>, f64)> = exts
            .iter()
            .filter(|(s, _)| ext_weight(*s) > 0.0)
            .map(|(s, e)| (e.map(|e| e.score), ext_weight(*s)))
            .collect();
        let total = overall(inner.score, &ext_parts);
        overall_of[r as usize] = total;
        scores.push(ScoreRow {
            region: code.to_string(),
            domain: OVERALL.to_string(),
            score: total,
            part: Some(ScorePart::Overall),
            level,
            n: inner.n,
            n_scored: inner.n_scored,
            coverage: inner.coverage,
            weight: None,
            period: None,
        });
        scores.extend(domain_rows);
        for (s, e) in exts {
            if let Some(e) = e {
                scores.push(ScoreRow {
                    region: code.to_string(),
                    domain: s.label().to_string(),
                    score: Some(e.score),
                    part: Some(ScorePart::External),
                    level,
                    n: 1,
                    n_scored: 1,
                    coverage: None,
                    weight: Some(ext_weight(s)),
                    period: Some(e.period),
                });
            }
        }
    }

    // 4. Rankings: prefectures and counties in each province, counties in each prefecture.
    let previous = input.previous.map(|p| PreviousRanks::new(&p.rankings));
    let mut rankings = Vec::new();
    let scored_of = |rs: &mut dyn Iterator<Item = u32>| -> Vec<(&str, f64)> {
        rs.filter_map(|r| overall_of[r as usize].map(|s| (h.code(r), s)))
            .collect()
    };
    for &r in regions {
        match h.level(r) {
            RegionLevel::Province => {
                let prefs = scored_of(
                    &mut h
                        .children(r)
                        .iter()
                        .copied()
                        .filter(|c| h.level(*c) == RegionLevel::Prefecture),
                );
                if !prefs.is_empty() {
                    rankings.extend(rank_scope(
                        h.code(r),
                        RegionLevel::Prefecture,
                        &prefs,
                        previous.as_ref(),
                    ));
                }
                let counties = scored_of(
                    &mut h
                        .subtree(r)
                        .iter()
                        .copied()
                        .filter(|c| h.level(*c) == RegionLevel::County),
                );
                if !counties.is_empty() {
                    rankings.extend(rank_scope(
                        h.code(r),
                        RegionLevel::County,
                        &counties,
                        previous.as_ref(),
                    ));
                }
            }
            RegionLevel::Prefecture => {
                let counties = scored_of(
                    &mut h
                        .children(r)
                        .iter()
                        .copied()
                        .filter(|c| h.level(*c) == RegionLevel::County),
                );
                if !counties.is_empty() {
                    rankings.extend(rank_scope(
                        h.code(r),
                        RegionLevel::County,
                        &counties,
                        previous.as_ref(),
                    ));
                }
            }
            RegionLevel::County => {}
        }
    }

    // 5. Equalization, one indicator per task.
    let mut by_indicator: Vec<Vec<&CrossSection>> = vec![Vec::new(); input.indicators.len()];
    for s in input.values {
        let i = *ind_index.get(s.indicator.as_str()).ok_or_else(|| {
            EvaluateError::UnknownIndicator {
                id: s.indicator.clone(),
                place: "county values",
            }
        })?;
        if let Some(&(r, _)) = s.values.iter().find(|(r, _)| *r as usize >= h.len()) {
            return Err(EvaluateError::RegionIndex {
                index: r,
                indicator: s.indicator.clone(),
            });
        }
        by_indicator[i as usize].push(s);
    }
    let grouping = Grouping::new(h, scope);
    let per_indicator: Vec<Vec<EqualizationRow>> = by_indicator
        .par_iter_mut()
        .enumerate()
        .map(|(i, sections)| {
            let polarity = Some(input.indicators[i].polarity);
            sections.sort_by_key(|s| s.period);
            let lists: Vec<Vec<(u32, EqualizationRow)>> = sections
                .iter()
                .map(|s| equalize_indexed(s, &grouping, input.population, polarity))
                .collect();
            merge_by_scope(lists, input.baseline, input.as_of)
        })
        .collect();
    let mut equalization = Vec::with_capacity(per_indicator.iter().map(Vec::len).sum());
    for rows in per_indicator {
        equalization.extend(rows);
    }
    Ok(EvaluationResult {
        run_id: input.run_id.to_string(),
        kind: input.kind,
        as_of: input.as_of,
        scores,
        rankings,
        equalization,
        baseline: input.baseline,
        scope: input.scope.map(str::to_string),
        targets,
        method: Some(MethodNote::new(input.weights)),
    })
}

/// Merges per-period lists of rows (each in scope order, the lists in period order) into scope
/// order, periods ascending within a scope, moving each row once; the row at `as_of` gets its
/// trend against the row at `baseline` of the same scope.
fn merge_by_scope(
    lists: Vec<Vec<(u32, EqualizationRow)>>,
    baseline: Option<Period>,
    as_of: Period,
) -> Vec<EqualizationRow> {
    let mut out = Vec::with_capacity(lists.iter().map(Vec::len).sum());
    let mut iters: Vec<_> = lists
        .into_iter()
        .map(|l| l.into_iter().peekable())
        .collect();
    let mut group: Vec<EqualizationRow> = Vec::new();
    while let Some(pos) = iters
        .iter_mut()
        .filter_map(|it| it.peek().map(|r| r.0))
        .min()
    {
        group.clear();
        for it in iters.iter_mut() {
            while let Some((_, row)) = it.next_if(|r| r.0 == pos) {
                group.push(row);
            }
        }
        if let Some(base) = baseline.filter(|b| *b != as_of) {
            let b = group.iter().position(|r| r.period == base);
            let l = group.iter().position(|r| r.period == as_of);
            if let (Some(b), Some(l)) = (b, l) {
                let t = trend(&group[b], &group[l]);
                group[l].trend = Some(t);
            }
        }
        out.append(&mut group);
    }
    out
}
