//! 数据表: reported values in columns, sorted by (region, indicator, period), with an offset
//! array so one region's series of one indicator is two slices away.
//!
//! Ten million values take about 210 MB (period 4 bytes, value 8, simulated flag 1; numerator
//! and denominator, 16 more, only when some value has them) and a series lookup is two array
//! reads. The table is built once from what the store holds and then only read: a change to a
//! value is a rebuild (tens of milliseconds for a province), so every query sees the data as
//! it stands — no precomputed analytics tables.

use minsheng_model::DataValue;
use rayon::prelude::*;

use crate::{Hierarchy, IndicatorSet, PeriodKey};

const BITS: u32 = 21;
const LIMIT: u64 = 1 << BITS;

/// The values, columnar. Build with [`ValueTable::from_values`] or a [`ValueTableBuilder`].
#[derive(Debug, Clone, Default)]
pub struct ValueTable {
    n_regions: u32,
    n_indicators: u32,
    /// `offsets[region · n_indicators + indicator]` is where that series starts.
    offsets: Vec<u32>,
    periods: Vec<PeriodKey>,
    values: Vec<f64>,
    /// Numerators and denominators (NaN where a value has none), present only when some
    /// value has them.
    parts: Option<(Vec<f64>, Vec<f64>)>,
    simulated: Vec<bool>,
    any_simulated: bool,
    duplicates: usize,
}

/// One region's values of one indicator, in period order.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    pub periods: &'a [PeriodKey],
    pub values: &'a [f64],
    /// Numerators; NaN where a value has none. `None` when no value in the table has one.
    pub numerators: Option<&'a [f64]>,
    pub denominators: Option<&'a [f64]>,
    pub simulated: &'a [bool],
}

impl<'a> Series<'a> {
    pub fn len(&self) -> usize {
        self.periods.len()
    }

    pub fn is_empty(&self) -> bool {
        self.periods.is_empty()
    }

    /// The position of a period, if reported.
    pub fn find(&self, period: PeriodKey) -> Option<usize> {
        self.periods.binary_search(&period).ok()
    }

    /// Numerator and denominator of the value at `i`, when both were given.
    pub fn parts(&self, i: usize) -> Option<(f64, f64)> {
        let (n, d) = (self.numerators?[i], self.denominators?[i]);
        (!n.is_nan() && !d.is_nan()).then_some((n, d))
    }
}

impl ValueTable {
    /// Number of values held.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// True when any value is 模拟数据 (generated demo data).
    pub fn any_simulated(&self) -> bool {
        self.any_simulated
    }

    /// How many values were dropped because a later one had the same region, indicator and
    /// period (the later one is kept).
    pub fn duplicates(&self) -> usize {
        self.duplicates
    }

    pub fn n_regions(&self) -> u32 {
        self.n_regions
    }

    pub fn n_indicators(&self) -> u32 {
        self.n_indicators
    }

    /// One region's values of one indicator. Empty for indexes outside the table.
    pub fn series(&self, region: u32, indicator: u32) -> Series<'_> {
        if region >= self.n_regions || indicator >= self.n_indicators {
            return Series {
                periods: &[],
                values: &[],
                numerators: None,
                denominators: None,
                simulated: &[],
            };
        }
        let slot = region as usize * self.n_indicators as usize + indicator as usize;
        let (a, b) = (self.offsets[slot] as usize, self.offsets[slot + 1] as usize);
        Series {
            periods: &self.periods[a..b],
            values: &self.values[a..b],
            numerators: self.parts.as_ref().map(|(n, _)| &n[a..b]),
            denominators: self.parts.as_ref().map(|(_, d)| &d[a..b]),
            simulated: &self.simulated[a..b],
        }
    }

    /// Builds the table from stored values (the CLI's path). Values whose region or indicator
    /// is unknown, or whose value is not a finite number, are left out and listed; of two
    /// values for the same region, indicator and period the later in the slice is kept.
    /// Numerator and denominator are kept when both are given.
    pub fn from_values(
        values: &[DataValue],
        hierarchy: &Hierarchy,
        indicators: &IndicatorSet,
    ) -> (ValueTable, Vec<SkippedValue>) {
        let mut b = ValueTableBuilder::new(hierarchy.len() as u32, indicators.len() as u32);
        b.reserve(values.len());
        let mut skipped = Vec::new();
        for (index, v) in values.iter().enumerate() {
            let Some(region) = hierarchy.index_of(&v.region) else {
                skipped.push(SkippedValue {
                    index,
                    reason: SkipReason::UnknownRegion(v.region.clone()),
                });
                continue;
            };
            let Some(indicator) = indicators.index_of(&v.indicator) else {
                skipped.push(SkippedValue {
                    index,
                    reason: SkipReason::UnknownIndicator(v.indicator.clone()),
                });
                continue;
            };
            if !v.value.is_finite() {
                skipped.push(SkippedValue {
                    index,
                    reason: SkipReason::NotFinite,
                });
                continue;
            }
            let parts = match (v.numerator, v.denominator) {
                (Some(n), Some(d)) if n.is_finite() && d.is_finite() => Some((n, d)),
                _ => None,
            };
            b.push(
                region,
                indicator,
                PeriodKey::of(v.period),
                v.value,
                parts,
                v.is_simulated(),
            );
        }
        (b.build(), skipped)
    }
}

/// A value [`ValueTable::from_values`] left out, by its position in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedValue {
    pub index: usize,
    pub reason: SkipReason,
}

/// Why a value was left out.
#[derive(Debug, Clone, PartialEq)]
pub enum SkipReason {
    UnknownRegion(String),
    UnknownIndicator(String),
    /// NaN or infinite.
    NotFinite,
}

/// Collects values in any order, then sorts and indexes them.
#[derive(Debug, Clone, Default)]
pub struct ValueTableBuilder {
    n_regions: u32,
    n_indicators: u32,
    regions: Vec<u32>,
    indicators: Vec<u32>,
    periods: Vec<PeriodKey>,
    values: Vec<f64>,
    numerators: Vec<f64>,
    denominators: Vec<f64>,
    has_parts: bool,
    simulated: Vec<bool>,
}

impl ValueTableBuilder {
    /// A builder for region indexes `0..n_regions` ([`Hierarchy`] order) and indicator
    /// indexes `0..n_indicators` ([`IndicatorSet`] order).
    pub fn new(n_regions: u32, n_indicators: u32) -> ValueTableBuilder {
        assert!(
            u64::from(n_regions) < LIMIT && u64::from(n_indicators) < LIMIT,
            "at most 2^21 regions and indicators"
        );
        ValueTableBuilder {
            n_regions,
            n_indicators,
            ..ValueTableBuilder::default()
        }
    }

    pub fn reserve(&mut self, additional: usize) {
        self.regions.reserve(additional);
        self.indicators.reserve(additional);
        self.periods.reserve(additional);
        self.values.reserve(additional);
        self.numerators.reserve(additional);
        self.denominators.reserve(additional);
        self.simulated.reserve(additional);
    }

    /// Adds one value. Panics on an index outside the sizes given to [`new`](Self::new) or a
    /// period before year 0 or after year 43 000 (programming errors, not data errors).
    pub fn push(
        &mut self,
        region: u32,
        indicator: u32,
        period: PeriodKey,
        value: f64,
        parts: Option<(f64, f64)>,
        simulated: bool,
    ) {
        assert!(
            region < self.n_regions,
            "region index {region} out of range"
        );
        assert!(
            indicator < self.n_indicators,
            "indicator index {indicator} out of range"
        );
        assert!(
            period.0 >= 0 && (period.0 as u64) < LIMIT,
            "period out of range"
        );
        self.regions.push(region);
        self.indicators.push(indicator);
        self.periods.push(period);
        self.values.push(value);
        let (n, d) = parts.unwrap_or((f64::NAN, f64::NAN));
        self.has_parts |= parts.is_some();
        self.numerators.push(n);
        self.denominators.push(d);
        self.simulated.push(simulated);
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Sorts by (region, indicator, period) — skipped when the values came in that order —
    /// keeps the last of duplicates, and builds the offsets.
    pub fn build(self) -> ValueTable {
        let n = self.values.len();
        let key = |i: usize| -> u64 {
            (u64::from(self.regions[i]) << (2 * BITS))
                | (u64::from(self.indicators[i]) << BITS)
                | self.periods[i].0 as u64
        };
        let sorted = (1..n).all(|i| key(i - 1) < key(i));
        // The input positions to keep, in table order; `None` when the input is already in
        // order without duplicates.
        let order: Option<Vec<usize>> = (!sorted).then(|| {
            let mut keyed: Vec<(u64, u32)> =
                (0..n).into_par_iter().map(|i| (key(i), i as u32)).collect();
            keyed.par_sort_unstable();
            // Of equal keys keep the last given (the highest input position).
            (0..keyed.len())
                .filter(|&j| keyed.get(j + 1).is_none_or(|next| next.0 != keyed[j].0))
                .map(|j| keyed[j].1 as usize)
                .collect()
        });
        let m = order.as_ref().map_or(n, Vec::len);
        let duplicates = n - m;
        let slots = self.n_regions as usize * self.n_indicators as usize;
        let mut offsets = vec![0u32; slots + 1];
        for i in 0..m {
            let j = order.as_ref().map_or(i, |o| o[i]);
            let slot =
                self.regions[j] as usize * self.n_indicators as usize + self.indicators[j] as usize;
            offsets[slot + 1] += 1;
        }
        for s in 0..slots {
            offsets[s + 1] += offsets[s];
        }
        let (periods, values, simulated, parts) = match &order {
            Some(order) => {
                let parts = self.has_parts.then(|| {
                    (
                        order.iter().map(|&j| self.numerators[j]).collect(),
                        order.iter().map(|&j| self.denominators[j]).collect(),
                    )
                });
                (
                    order.iter().map(|&j| self.periods[j]).collect(),
                    order.iter().map(|&j| self.values[j]).collect(),
                    order.iter().map(|&j| self.simulated[j]).collect(),
                    parts,
                )
            }
            None => {
                let parts = self
                    .has_parts
                    .then_some((self.numerators, self.denominators));
                (self.periods, self.values, self.simulated, parts)
            }
        };
        let any_simulated = simulated.iter().any(|s| *s);
        ValueTable {
            n_regions: self.n_regions,
            n_indicators: self.n_indicators,
            offsets,
            periods,
            values,
            parts,
            simulated,
            any_simulated,
            duplicates,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minsheng_model::Period;

    #[test]
    fn sorts_indexes_and_keeps_the_last_duplicate() {
        let mut b = ValueTableBuilder::new(3, 2);
        let q = |y, q| PeriodKey::of(Period::Quarter(y, q));
        b.push(2, 1, q(2023, 2), 5.0, None, false);
        b.push(0, 0, q(2023, 1), 1.0, Some((1.0, 100.0)), true);
        b.push(2, 1, q(2023, 1), 4.0, None, false);
        b.push(2, 1, q(2023, 2), 6.0, None, false);
        let t = b.build();
        assert_eq!(t.len(), 3);
        assert_eq!(t.duplicates(), 1);
        let s = t.series(2, 1);
        assert_eq!(s.values, &[4.0, 6.0]);
        assert_eq!(s.parts(0), None);
        assert_eq!(t.series(0, 0).parts(0), Some((1.0, 100.0)));
        assert!(t.series(1, 0).is_empty());
        assert!(t.series(9, 9).is_empty());
        assert!(t.any_simulated());
    }
}
