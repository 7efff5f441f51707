//! 均等化: how evenly an indicator is spread over the counties of a prefecture and of a
//! province, and whether the spread is narrowing since the baseline.
//!
//! The measures, over values `x₁ … xₙ` with mean `μ = Σx/n` (docs/evaluation.md has the
//! worked examples):
//!
//! | measure | formula | undefined (`None`) when |
//! |---|---|---|
//! | [`cv`] | `σ/μ`, `σ = sqrt(Σ(x−μ)²/n)` (population σ, over n) | n < 2, μ ≤ 0 |
//! | [`williamson`] | `sqrt(Σ pᵢ(xᵢ−x̄w)²)/x̄w`, `pᵢ = Pᵢ/ΣP`, `x̄w = Σ pᵢxᵢ` | n < 2, a population unknown or ≤ 0, x̄w ≤ 0 |
//! | [`gini`] | `2·Σ i·x₍ᵢ₎/(n·Σx) − 1 − 1/n`, x sorted ascending, i from 1 | n < 2, a value < 0, Σx = 0 |
//! | [`weighted_gini`] | `Σ pᵢ xᵢ (Fᵢ₋₁ + Fᵢ − 1) / x̄w`, sorted, `Fᵢ = p₁+…+pᵢ` | as Gini and Williamson |
//! | [`theil_t`] | `(1/n)·Σ (x/μ)·ln(x/μ)`, with `0·ln 0 = 0` | n < 2, a value < 0, μ = 0 |
//! | [`weighted_theil_t`] | `Σ pᵢ (xᵢ/x̄w)·ln(xᵢ/x̄w)` | as Theil and Williamson |
//! | [`theil_decomposition`] | `between = Σ s_g ln(μ_g/μ)`, `within = Σ s_g T_g`, `s_g = n_g μ_g/(n μ)` | as Theil |
//! | [`max_min_ratio`] | `max/min` | n < 2, min ≤ 0 |
//! | [`urban_rural_gap`] | mean of 市辖区 − mean of 县 | no district or no county |
//!
//! Every function also answers `None` for a value that is not a finite number. The weighted
//! Gini reduces to the unweighted formula when all populations are equal (it is the mean
//! absolute difference `Σᵢ Σⱼ pᵢpⱼ|xᵢ−xⱼ| / (2x̄w)`, written over sorted values).
//!
//! **Theil and zeros.** `(x/μ)·ln(x/μ)` tends to 0 as x tends to 0, so a county at zero adds
//! nothing to the sum rather than making Theil T undefined (Theil L, which takes ln x, would be
//! undefined; it is not computed). Negative values make every inequality measure but the CV
//! and Williamson undefined.
//!
//! **Urban and rural.** Urban is a 市辖区 (`district`); rural is a 县, 自治县, 旗 or 自治旗
//! (`county`). A 县级市 (`city`) is neither: it is reported on its own (`city_mean`) and
//! left out of the gap, since county-level cities are mostly a county seat with a rural
//! hinterland and would blur the comparison; `other` divisions (林区, 特区, 行政委员会) are left
//! out too. The gap is `urban mean − rural mean` in the indicator's unit, whatever the
//! indicator's direction; `rural_lag` turns it by the direction — positive when rural counties
//! are behind (for a lower-is-better indicator such as 婴儿死亡率, rural mean − urban mean).
//! It narrows when its absolute value falls.

use minsheng_assess::{Hierarchy, IndicatorSet, PeriodKey, ValueTable};
use minsheng_catalog::Polarity;
use minsheng_model::{Period, RegionLevel};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

fn finite(x: &[f64]) -> bool {
    x.iter().all(|v| v.is_finite())
}

fn positive_weights(x: &[f64], w: &[f64]) -> bool {
    x.len() == w.len() && w.iter().all(|p| p.is_finite() && *p > 0.0)
}

/// The arithmetic mean `Σx/n`; `None` for no values or a value that is not finite.
pub fn mean(x: &[f64]) -> Option<f64> {
    if x.is_empty() || !finite(x) {
        return None;
    }
    Some(x.iter().sum::<f64>() / x.len() as f64)
}

/// The weighted mean `Σ wᵢxᵢ / Σ wᵢ`; `None` unless every weight is finite and positive.
pub fn weighted_mean(x: &[f64], w: &[f64]) -> Option<f64> {
    if x.is_empty() || !finite(x) || !positive_weights(x, w) {
        return None;
    }
    let total: f64 = w.iter().sum();
    Some(x.iter().zip(w).map(|(v, p)| v * p).sum::<f64>() / total)
}

/// The population standard deviation `σ = sqrt(Σ(x−μ)²/n)` (over n, not n − 1).
pub fn std_dev(x: &[f64]) -> Option<f64> {
    let mu = mean(x)?;
    let ss: f64 = x.iter().map(|v| (v - mu) * (v - mu)).sum();
    Some((ss / x.len() as f64).sqrt())
}

/// 变异系数: `σ/μ` with the population σ. `None` for n < 2 or μ ≤ 0.
pub fn cv(x: &[f64]) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    let mu = mean(x)?;
    if mu <= 0.0 {
        return None;
    }
    Some(std_dev(x)? / mu)
}

/// 加权变异系数 (Williamson, 1965): `sqrt(Σ pᵢ(xᵢ − x̄w)²) / x̄w` with population shares
/// `pᵢ = Pᵢ/ΣP` and the population-weighted mean `x̄w = Σ pᵢxᵢ`. `None` for n < 2, a
/// population that is not finite and positive, or x̄w ≤ 0.
pub fn williamson(x: &[f64], population: &[f64]) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    let mw = weighted_mean(x, population)?;
    if mw <= 0.0 {
        return None;
    }
    let total: f64 = population.iter().sum();
    let var: f64 = x
        .iter()
        .zip(population)
        .map(|(v, p)| p / total * (v - mw) * (v - mw))
        .sum();
    Some(var.sqrt() / mw)
}

/// 基尼系数: `2·Σ i·x₍ᵢ₎ / (n·Σx) − 1 − 1/n` over the values sorted ascending (i from 1).
/// 0 when all are equal; `(n−1)/n` when one county has everything. `None` for n < 2, a
/// negative value or Σx = 0.
pub fn gini(x: &[f64]) -> Option<f64> {
    if x.len() < 2 || !finite(x) {
        return None;
    }
    let mut s: Vec<(f64, f64)> = x.iter().map(|v| (*v, 1.0)).collect();
    s.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    gini_of_sorted(&s)
}

/// [`gini`] over `(value, weight)` pairs sorted by value (weights ignored).
fn gini_of_sorted(s: &[(f64, f64)]) -> Option<f64> {
    let n = s.len();
    if n < 2 || s[0].0 < 0.0 {
        return None;
    }
    let sum: f64 = s.iter().map(|p| p.0).sum();
    if sum <= 0.0 {
        return None;
    }
    let ranked: f64 = s
        .iter()
        .enumerate()
        .map(|(i, p)| (i + 1) as f64 * p.0)
        .sum();
    let n = n as f64;
    Some(2.0 * ranked / (n * sum) - 1.0 - 1.0 / n)
}

/// The population-weighted Gini: `Σᵢ Σⱼ pᵢpⱼ|xᵢ−xⱼ| / (2x̄w)`, computed over the values
/// sorted ascending as `Σ pᵢ xᵢ (Fᵢ₋₁ + Fᵢ − 1) / x̄w` with `Fᵢ = p₁ + … + pᵢ` (F₀ = 0).
/// With equal weights this is exactly [`gini`]. `None` as for [`gini`], or when a weight is
/// not finite and positive.
pub fn weighted_gini(x: &[f64], w: &[f64]) -> Option<f64> {
    if x.len() < 2 || !finite(x) || !positive_weights(x, w) {
        return None;
    }
    let mut s: Vec<(f64, f64)> = x.iter().copied().zip(w.iter().copied()).collect();
    s.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    weighted_gini_of_sorted(&s)
}

/// [`weighted_gini`] over `(value, weight)` pairs sorted by value.
fn weighted_gini_of_sorted(s: &[(f64, f64)]) -> Option<f64> {
    if s.len() < 2 || s[0].0 < 0.0 {
        return None;
    }
    let total: f64 = s.iter().map(|p| p.1).sum();
    let mw: f64 = s.iter().map(|p| p.0 * p.1).sum::<f64>() / total;
    if mw <= 0.0 {
        return None;
    }
    let mut before = 0.0;
    let mut acc = 0.0;
    for &(x, w) in s {
        let p = w / total;
        let through = before + p;
        acc += p * x * (before + through - 1.0);
        before = through;
    }
    Some(acc / mw)
}

/// `Σ wᵢ (xᵢ/μ) ln(xᵢ/μ) / Σ wᵢ` with μ the w-weighted mean and `0·ln 0 = 0`, for any n ≥ 1,
/// with μ. `None` for a negative value or a zero mean.
fn theil_raw(x: &[f64], w: Option<&[f64]>) -> Option<(f64, f64)> {
    if x.is_empty() || !finite(x) || x.iter().any(|v| *v < 0.0) {
        return None;
    }
    let (total, mu) = match w {
        Some(w) => {
            if !positive_weights(x, w) {
                return None;
            }
            let t: f64 = w.iter().sum();
            (t, x.iter().zip(w).map(|(v, p)| v * p).sum::<f64>() / t)
        }
        None => (x.len() as f64, x.iter().sum::<f64>() / x.len() as f64),
    };
    if mu <= 0.0 {
        return None;
    }
    let term = |v: f64| {
        let r = v / mu;
        if r > 0.0 { r * r.ln() } else { 0.0 }
    };
    let sum: f64 = match w {
        Some(w) => x.iter().zip(w).map(|(v, p)| p * term(*v)).sum(),
        None => x.iter().map(|v| term(*v)).sum(),
    };
    Some((sum / total, mu))
}

/// 泰尔指数 T: `(1/n)·Σ (x/μ)·ln(x/μ)`, 0 when all are equal, `ln n` when one county has
/// everything. A zero value adds 0 (the limit of `r·ln r`). `None` for n < 2, a negative value
/// or μ = 0.
pub fn theil_t(x: &[f64]) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    theil_raw(x, None).map(|(t, _)| t)
}

/// The population-weighted Theil T: `Σ pᵢ (xᵢ/x̄w)·ln(xᵢ/x̄w)` with `pᵢ = Pᵢ/ΣP`.
pub fn weighted_theil_t(x: &[f64], w: &[f64]) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    theil_raw(x, Some(w)).map(|(t, _)| t)
}

/// Theil T split into the part between groups and the part within them; the two add up to
/// the total.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TheilDecomposition {
    /// Theil T of all values.
    pub total: f64,
    /// `Σ s_g ln(μ_g/μ)`: the inequality of the group means, weighted by the groups' shares.
    pub between: f64,
    /// `Σ s_g T_g`: each group's own Theil T, weighted by its share of the total.
    pub within: f64,
    /// How many groups had values.
    pub groups: usize,
}

/// Theil T of `x` decomposed by `groups` (a label per value, any numbering). With weights
/// `w` (population) every sum is population-weighted: `s_g = W_g μ_g / (W μ)` where `W_g` is
/// the group's population and μ_g its weighted mean; without, `s_g = n_g μ_g / (n μ)`.
///
/// `between = Σ s_g ln(μ_g/μ)`, `within = Σ s_g T_g` (a group of one value has T_g = 0; a group
/// whose mean is 0 has s_g = 0 and adds nothing). `None` where [`theil_t`] is.
pub fn theil_decomposition(
    x: &[f64],
    groups: &[u32],
    w: Option<&[f64]>,
) -> Option<TheilDecomposition> {
    if x.len() < 2 || groups.len() != x.len() {
        return None;
    }
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by_key(|i| groups[*i]);
    let sorted_x: Vec<f64> = order.iter().map(|&i| x[i]).collect();
    let sorted_w: Option<Vec<f64>> = w.map(|w| order.iter().map(|&i| w[i]).collect());
    let sorted_g: Vec<u32> = order.iter().map(|&i| groups[i]).collect();
    decompose_sorted(&sorted_x, &sorted_g, sorted_w.as_deref())
}

/// [`theil_decomposition`] over values already grouped (equal labels adjacent). The total is
/// `between + within`, which is Theil T exactly: Σ_g s_g [ln(μ_g/μ) + T_g] =
/// Σᵢ (xᵢ/(nμ)) [ln(μ_g/μ) + ln(xᵢ/μ_g)] = (1/n) Σᵢ (xᵢ/μ) ln(xᵢ/μ) — so each value's logarithm
/// is taken once.
fn decompose_sorted(x: &[f64], groups: &[u32], w: Option<&[f64]>) -> Option<TheilDecomposition> {
    if x.len() < 2 || !finite(x) || x.iter().any(|v| *v < 0.0) {
        return None;
    }
    if let Some(w) = w
        && !positive_weights(x, w)
    {
        return None;
    }
    let weight = |i: usize| w.map_or(1.0, |w| w[i]);
    let grand: f64 = (0..x.len()).map(weight).sum();
    let mu = (0..x.len()).map(|i| weight(i) * x[i]).sum::<f64>() / grand;
    if mu <= 0.0 {
        return None;
    }
    let (mut between, mut within, mut count) = (0.0, 0.0, 0);
    let mut start = 0;
    while start < x.len() {
        let g = groups[start];
        let end = start + groups[start..].partition_point(|l| *l == g);
        count += 1;
        let wg: f64 = (start..end).map(weight).sum();
        let mu_g = (start..end).map(|i| weight(i) * x[i]).sum::<f64>() / wg;
        if mu_g > 0.0 {
            let share = wg * mu_g / (grand * mu);
            let t_g = (start..end)
                .map(|i| {
                    let r = x[i] / mu_g;
                    if r > 0.0 { weight(i) * r * r.ln() } else { 0.0 }
                })
                .sum::<f64>()
                / wg;
            between += share * (mu_g / mu).ln();
            within += share * t_g;
        }
        start = end;
    }
    Some(TheilDecomposition {
        total: between + within,
        between,
        within,
        groups: count,
    })
}

/// 极值比: `max/min`. `None` for n < 2 or min ≤ 0.
pub fn max_min_ratio(x: &[f64]) -> Option<f64> {
    if x.len() < 2 || !finite(x) {
        return None;
    }
    let min = x.iter().copied().fold(f64::INFINITY, f64::min);
    let max = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (min > 0.0).then(|| max / min)
}

/// What a county-level division is, for the urban–rural comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountyKind {
    /// 市辖区: urban.
    District,
    /// 县级市: neither urban nor rural here; reported on its own.
    City,
    /// 县, 自治县, 旗, 自治旗: rural.
    County,
    /// 林区, 特区, 行政委员会, or not known: left out of the comparison.
    Other,
}

impl CountyKind {
    /// From the hierarchy's kind (`district`, `city`, `county`, `other`), also the Chinese
    /// words (市辖区/区, 县级市/市, 县/自治县/旗/自治旗).
    pub fn parse(kind: Option<&str>) -> CountyKind {
        match kind.map(str::trim) {
            Some("district" | "市辖区" | "区") => CountyKind::District,
            Some("city" | "县级市" | "市") => CountyKind::City,
            Some("county" | "县" | "自治县" | "旗" | "自治旗") => CountyKind::County,
            _ => CountyKind::Other,
        }
    }
}

/// The urban–rural comparison of one set of county values.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct UrbanRural {
    /// Mean of the 市辖区.
    pub urban_mean: Option<f64>,
    /// Mean of the 县 (and 自治县, 旗, 自治旗).
    pub rural_mean: Option<f64>,
    /// Mean of the 县级市, reported apart.
    pub city_mean: Option<f64>,
    pub n_urban: usize,
    pub n_rural: usize,
    pub n_city: usize,
    /// `urban_mean − rural_mean`, when both exist.
    pub gap: Option<f64>,
}

/// Means by county kind and the gap between districts and counties.
pub fn urban_rural(x: &[f64], kinds: &[CountyKind]) -> UrbanRural {
    let pick = |k: CountyKind| -> Vec<f64> {
        x.iter()
            .zip(kinds)
            .filter(|(_, kk)| **kk == k)
            .map(|(v, _)| *v)
            .collect()
    };
    let (u, r, c) = (
        pick(CountyKind::District),
        pick(CountyKind::County),
        pick(CountyKind::City),
    );
    let (urban_mean, rural_mean, city_mean) = (mean(&u), mean(&r), mean(&c));
    UrbanRural {
        urban_mean,
        rural_mean,
        city_mean,
        n_urban: u.len(),
        n_rural: r.len(),
        n_city: c.len(),
        gap: urban_mean.zip(rural_mean).map(|(a, b)| a - b),
    }
}

/// 城乡差距: the mean of the 市辖区 minus the mean of the 县 (县级市 and other divisions left
/// out); `None` when either group is empty.
pub fn urban_rural_gap(x: &[f64], kinds: &[CountyKind]) -> Option<f64> {
    urban_rural(x, kinds).gap
}

/// One indicator's county values at one period: what equalization measures. Regions are
/// [`Hierarchy`] indexes; values that are not finite numbers, and regions that are not
/// counties, are ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossSection {
    /// The indicator id.
    pub indicator: String,
    /// The period the values are for (as asked: a quarter or month ending with it counts).
    pub period: Period,
    /// (county's hierarchy index, value).
    pub values: Vec<(u32, f64)>,
}

/// The county values of the indicators of `indicators` at `period`, read from the value table
/// assessment uses: each county's own value for exactly that period, else for the longest
/// period ending in the same month (asked for 2022, the annual value, else 2022Q4, else
/// 202212; asked for 2024Q4, 2024Q4, else 202412). Counties without one are left out. One
/// section per indicator, in indicator order; runs on all cores.
///
/// Counts and amounts (kinds that scale with population: 托位数, 新增就业人数, 投入金额) get no
/// section: their spread across counties measures the counties' size, not how evenly a
/// service reaches people. Equalization is for rates, per-mille and per-capita figures and
/// ratios; a count needs its per-capita form in the catalog to be compared.
pub fn cross_sections(
    table: &ValueTable,
    hierarchy: &Hierarchy,
    indicators: &IndicatorSet,
    period: Period,
) -> Vec<CrossSection> {
    let counties: Vec<u32> = hierarchy
        .order()
        .iter()
        .copied()
        .filter(|r| hierarchy.level(*r) == RegionLevel::County)
        .collect();
    let want = PeriodKey::of(period);
    let end = period.end_month();
    let n = indicators.len();
    let skip: Vec<bool> = indicators
        .iter()
        .map(|i| i.kind.scales_with_population())
        .collect();
    // The table is stored by region: read county by county (each county's series are
    // adjacent), in chunks on all cores, then gather per indicator in county order.
    let chunks: Vec<Vec<Vec<(u32, f64)>>> = counties
        .par_chunks(64)
        .map(|chunk| {
            let mut per: Vec<Vec<(u32, f64)>> = vec![Vec::with_capacity(chunk.len()); n];
            for &c in chunk {
                for (i, out) in per.iter_mut().enumerate() {
                    if skip[i] {
                        continue;
                    }
                    let s = table.series(c, i as u32);
                    let v = match s.find(want) {
                        Some(j) => Some(s.values[j]),
                        None => {
                            // Keys sort by end month, the shorter period first: the last key
                            // before the one asked for, if it ends in the same month, is the
                            // longest shorter period ending with it.
                            let j = s.periods.partition_point(|k| *k < want);
                            (j > 0 && s.periods[j - 1].end_month() == end).then(|| s.values[j - 1])
                        }
                    };
                    if let Some(v) = v.filter(|v| v.is_finite()) {
                        out.push((c, v));
                    }
                }
            }
            per
        })
        .collect();
    (0..n)
        .filter(|i| !indicators.get(*i as u32).kind.scales_with_population())
        .map(|i| {
            let mut values = Vec::with_capacity(counties.len());
            for chunk in &chunks {
                values.extend_from_slice(&chunk[i]);
            }
            CrossSection {
                indicator: indicators.get(i as u32).id.clone(),
                period,
                values,
            }
        })
        .collect()
}

/// The equalization measures of one indicator over one scope at one period. The first
/// thirteen fields are the `--format json` contract; `null` where a measure does not apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EqualizationRow {
    pub indicator: String,
    /// The prefecture's or province's code: the counties within it.
    pub scope: String,
    pub period: Period,
    /// Counties with a value.
    pub n: usize,
    pub mean: Option<f64>,
    pub cv: Option<f64>,
    /// Population-weighted CV, when every county's population is known.
    pub williamson: Option<f64>,
    pub gini: Option<f64>,
    pub theil: Option<f64>,
    /// Province scopes: Theil T between prefectures (counties directly under the province form
    /// one group). `null` for a prefecture.
    pub theil_between: Option<f64>,
    /// Province scopes: Theil T within prefectures; `theil_between + theil_within = theil`.
    pub theil_within: Option<f64>,
    pub max_min_ratio: Option<f64>,
    /// Mean of 市辖区 minus mean of 县, in the indicator's unit.
    pub urban_rural_gap: Option<f64>,
    /// `prefecture` or `province`.
    #[serde(default)]
    pub scope_level: Option<RegionLevel>,
    /// Population-weighted mean, Gini and Theil T (and its decomposition), when every county's
    /// population is known.
    #[serde(default)]
    pub weighted_mean: Option<f64>,
    #[serde(default)]
    pub weighted_gini: Option<f64>,
    #[serde(default)]
    pub weighted_theil: Option<f64>,
    #[serde(default)]
    pub weighted_theil_between: Option<f64>,
    #[serde(default)]
    pub weighted_theil_within: Option<f64>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub urban_mean: Option<f64>,
    #[serde(default)]
    pub rural_mean: Option<f64>,
    /// 县级市, apart from the gap.
    #[serde(default)]
    pub city_mean: Option<f64>,
    #[serde(default)]
    pub n_urban: usize,
    #[serde(default)]
    pub n_rural: usize,
    #[serde(default)]
    pub n_city: usize,
    /// The gap turned by the indicator's direction: positive when rural counties are behind.
    #[serde(default)]
    pub rural_lag: Option<f64>,
    /// On the as-of row: how each measure moved since the baseline row of the same scope.
    #[serde(default)]
    pub trend: Option<Trend>,
}

/// Which way a measure of inequality moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// More equal: the measure fell (the gap's absolute value fell).
    Narrowing,
    /// Less equal.
    Widening,
    /// Within a relative 1e-9.
    Unchanged,
    /// Only for [`Trend::overall`]: some measures narrowed, others widened.
    Mixed,
}

/// How the measures of a scope moved from the baseline row to the latest row. `None` where a
/// measure is missing in either.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    pub baseline_period: Period,
    pub cv: Option<Change>,
    pub williamson: Option<Change>,
    pub gini: Option<Change>,
    pub theil: Option<Change>,
    pub max_min_ratio: Option<Change>,
    pub urban_rural_gap: Option<Change>,
    /// `narrowing` when every available measure narrowed or stayed, at least one narrowing;
    /// `widening` likewise; `mixed` otherwise; `unchanged` when all stayed.
    pub overall: Option<Change>,
}

fn change(before: Option<f64>, after: Option<f64>) -> Option<Change> {
    let (a, b) = (before?, after?);
    let tol = 1e-9 * a.abs().max(b.abs());
    Some(if (b - a).abs() <= tol {
        Change::Unchanged
    } else if b < a {
        Change::Narrowing
    } else {
        Change::Widening
    })
}

/// How each measure changed from `baseline` to `latest` (two rows of the same indicator and
/// scope): lower is more equal for every measure; for the urban–rural gap, a smaller absolute
/// value.
pub fn trend(baseline: &EqualizationRow, latest: &EqualizationRow) -> Trend {
    let parts = [
        change(baseline.cv, latest.cv),
        change(baseline.williamson, latest.williamson),
        change(baseline.gini, latest.gini),
        change(baseline.theil, latest.theil),
        change(baseline.max_min_ratio, latest.max_min_ratio),
        change(
            baseline.urban_rural_gap.map(f64::abs),
            latest.urban_rural_gap.map(f64::abs),
        ),
    ];
    let known: Vec<Change> = parts.iter().flatten().copied().collect();
    let has = |c: Change| known.contains(&c);
    let overall = if known.is_empty() {
        None
    } else if has(Change::Narrowing) && has(Change::Widening) {
        Some(Change::Mixed)
    } else if has(Change::Narrowing) {
        Some(Change::Narrowing)
    } else if has(Change::Widening) {
        Some(Change::Widening)
    } else {
        Some(Change::Unchanged)
    };
    Trend {
        baseline_period: baseline.period,
        cv: parts[0],
        williamson: parts[1],
        gini: parts[2],
        theil: parts[3],
        max_min_ratio: parts[4],
        urban_rural_gap: parts[5],
        overall,
    }
}

/// Each county's place for equalization: its province, its group (the prefecture, or the
/// province itself for counties directly under a province, as in 北京市 or 仙桃市), and kind.
/// Built once from the hierarchy and reused for every indicator.
#[derive(Debug, Clone)]
pub struct Grouping {
    /// Per hierarchy index: `(province, group, depth-first position)` for counties.
    slots: Vec<Option<Slot>>,
    kinds: Vec<CountyKind>,
    codes: Vec<String>,
    levels: Vec<RegionLevel>,
    /// Per hierarchy index: whether the region is a scope rows are made for (inside `scope`).
    reported: Vec<bool>,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    province: u32,
    group: u32,
    province_pos: u32,
    group_pos: u32,
    pos: u32,
}

impl Grouping {
    /// Counties under `scope` (all of the hierarchy when `None`), with rows for the provinces
    /// and prefectures inside `scope` (evaluating a prefecture gives no province row). A
    /// county is placed in the province above it; a hierarchy without provinces places it
    /// under its topmost ancestor.
    pub fn new(hierarchy: &Hierarchy, scope: Option<u32>) -> Grouping {
        let n = hierarchy.len();
        let mut pos = vec![0u32; n];
        for (i, r) in hierarchy.order().iter().enumerate() {
            pos[*r as usize] = i as u32;
        }
        let mut slots = vec![None; n];
        let mut kinds = vec![CountyKind::Other; n];
        for r in 0..n as u32 {
            if hierarchy.level(r) != RegionLevel::County
                || scope.is_some_and(|s| !hierarchy.is_within(r, s))
            {
                continue;
            }
            kinds[r as usize] = CountyKind::parse(hierarchy.kind(r));
            let province = hierarchy
                .ancestors(r)
                .find(|a| hierarchy.level(*a) == RegionLevel::Province)
                .or_else(|| hierarchy.ancestors(r).last())
                .unwrap_or(r);
            let group = hierarchy.parent(r).unwrap_or(r);
            slots[r as usize] = Some(Slot {
                province,
                group,
                province_pos: pos[province as usize],
                group_pos: pos[group as usize],
                pos: pos[r as usize],
            });
        }
        Grouping {
            slots,
            kinds,
            codes: (0..n as u32)
                .map(|r| hierarchy.code(r).to_string())
                .collect(),
            levels: (0..n as u32).map(|r| hierarchy.level(r)).collect(),
            reported: (0..n as u32)
                .map(|r| scope.is_none_or(|s| hierarchy.is_within(r, s)))
                .collect(),
        }
    }

    /// Number of regions of the hierarchy it was built from.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

struct Entry {
    slot: Slot,
    value: f64,
    population: f64,
    kind: CountyKind,
}

/// The measures of one indicator at one period: a row for each province with county values
/// (with the between/within-prefecture decomposition of Theil T) followed by a row for each of
/// its prefectures, in hierarchy order. `population` is per hierarchy index (NaN or ≤ 0:
/// unknown); the weighted measures need every county of the scope to have one. `polarity`
/// turns the urban–rural gap into `rural_lag`.
pub fn equalize(
    section: &CrossSection,
    grouping: &Grouping,
    population: Option<&[f64]>,
    polarity: Option<Polarity>,
) -> Vec<EqualizationRow> {
    equalize_indexed(section, grouping, population, polarity)
        .into_iter()
        .map(|(_, row)| row)
        .collect()
}

/// [`equalize`] with each row's scope position in the hierarchy's depth-first order.
pub(crate) fn equalize_indexed(
    section: &CrossSection,
    grouping: &Grouping,
    population: Option<&[f64]>,
    polarity: Option<Polarity>,
) -> Vec<(u32, EqualizationRow)> {
    let mut entries: Vec<Entry> = section
        .values
        .iter()
        .filter(|(_, v)| v.is_finite())
        .filter_map(|&(r, value)| {
            let slot = (*grouping.slots.get(r as usize)?)?;
            Some(Entry {
                slot,
                value,
                population: population
                    .and_then(|p| p.get(r as usize).copied())
                    .unwrap_or(f64::NAN),
                kind: grouping.kinds[r as usize],
            })
        })
        .collect();
    entries.sort_unstable_by_key(|e| (e.slot.province_pos, e.slot.group_pos, e.slot.pos));
    let mut rows = Vec::new();
    let mut sc = Scratch::default();
    let mut start = 0;
    while start < entries.len() {
        let province = entries[start].slot.province;
        let end = start + entries[start..].partition_point(|e| e.slot.province == province);
        let run = &entries[start..end];
        if grouping.reported[province as usize] {
            rows.push((
                run[0].slot.province_pos,
                measure(section, grouping, province, run, true, polarity, &mut sc),
            ));
        }
        let mut g = 0;
        while g < run.len() {
            let group = run[g].slot.group;
            let gend = g + run[g..].partition_point(|e| e.slot.group == group);
            if group != province && grouping.levels[group as usize] == RegionLevel::Prefecture {
                rows.push((
                    run[g].slot.group_pos,
                    measure(
                        section,
                        grouping,
                        group,
                        &run[g..gend],
                        false,
                        polarity,
                        &mut sc,
                    ),
                ));
            }
            g = gend;
        }
        start = end;
    }
    rows
}

/// Buffers one indicator's rows reuse, so a row allocates only its two strings.
#[derive(Default)]
struct Scratch {
    x: Vec<f64>,
    w: Vec<f64>,
    g: Vec<u32>,
    sorted: Vec<(f64, f64)>,
}

fn measure(
    section: &CrossSection,
    grouping: &Grouping,
    scope: u32,
    run: &[Entry],
    decompose: bool,
    polarity: Option<Polarity>,
    sc: &mut Scratch,
) -> EqualizationRow {
    sc.x.clear();
    sc.w.clear();
    sc.g.clear();
    // One pass: values, populations, groups, and the sums by county kind.
    let mut known = true;
    let (mut su, mut sr, mut scity) = (0.0, 0.0, 0.0);
    let (mut nu, mut nr, mut ncity) = (0usize, 0usize, 0usize);
    for e in run {
        sc.x.push(e.value);
        sc.w.push(e.population);
        sc.g.push(e.slot.group);
        known &= e.population.is_finite() && e.population > 0.0;
        match e.kind {
            CountyKind::District => (su, nu) = (su + e.value, nu + 1),
            CountyKind::County => (sr, nr) = (sr + e.value, nr + 1),
            CountyKind::City => (scity, ncity) = (scity + e.value, ncity + 1),
            CountyKind::Other => {}
        }
    }
    let x = &sc.x[..];
    let pops = known.then_some(&sc.w[..]);
    // Entries come grouped by prefecture. A province is decomposed (its total is Theil T); a
    // prefecture is one group.
    let (theil, between, within) = if decompose {
        decompose_sorted(x, &sc.g, None).map_or((None, None, None), |d| {
            (Some(d.total), Some(d.between), Some(d.within))
        })
    } else {
        (theil_t(x), None, None)
    };
    let weighted = pops.filter(|_| x.len() >= 2).and_then(|p| {
        if decompose {
            decompose_sorted(x, &sc.g, Some(p))
        } else {
            theil_raw(x, Some(p)).map(|(total, _)| TheilDecomposition {
                total,
                between: f64::NAN,
                within: f64::NAN,
                groups: 1,
            })
        }
    });
    // One sort serves both Ginis.
    sc.sorted.clear();
    sc.sorted
        .extend(x.iter().copied().zip(sc.w.iter().copied()));
    sc.sorted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let (gini, weighted_gini) = if x.len() >= 2 {
        (
            gini_of_sorted(&sc.sorted),
            pops.and_then(|_| weighted_gini_of_sorted(&sc.sorted)),
        )
    } else {
        (None, None)
    };
    let (min, max) = (
        sc.sorted.first().map(|p| p.0),
        sc.sorted.last().map(|p| p.0),
    );
    let avg = |s: f64, n: usize| (n > 0).then(|| s / n as f64);
    let (urban_mean, rural_mean, city_mean) = (avg(su, nu), avg(sr, nr), avg(scity, ncity));
    let gap = urban_mean.zip(rural_mean).map(|(u, r)| u - r);
    let sign = match polarity {
        Some(Polarity::HigherIsBetter) => Some(1.0),
        Some(Polarity::LowerIsBetter) => Some(-1.0),
        None => None,
    };
    EqualizationRow {
        indicator: section.indicator.clone(),
        scope: grouping.codes[scope as usize].clone(),
        period: section.period,
        n: x.len(),
        mean: mean(x),
        cv: cv(x),
        williamson: pops.and_then(|p| williamson(x, p)),
        gini,
        theil,
        theil_between: between,
        theil_within: within,
        max_min_ratio: max_min_ratio(x),
        urban_rural_gap: gap,
        scope_level: Some(grouping.levels[scope as usize]),
        weighted_mean: pops.and_then(|p| weighted_mean(x, p)),
        weighted_gini,
        weighted_theil: weighted.map(|d| d.total),
        weighted_theil_between: weighted.map(|d| d.between).filter(|v| v.is_finite()),
        weighted_theil_within: weighted.map(|d| d.within).filter(|v| v.is_finite()),
        min,
        max,
        urban_mean,
        rural_mean,
        city_mean,
        n_urban: nu,
        n_rural: nr,
        n_city: ncity,
        rural_lag: gap.zip(sign).map(|(g, s)| g * s),
        trend: None,
    }
}
