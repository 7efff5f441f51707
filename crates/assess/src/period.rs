//! 统计期键: a [`Period`] packed into one `i32` that sorts as periods do, for the columnar
//! [`ValueTable`](crate::ValueTable).

use minsheng_model::Period;

/// A period packed as `end_month · 4 + rank` (rank 0 month, 1 quarter, 2 year).
///
/// Keys order exactly as [`Period`]s do — by the month they end, the shorter period first when
/// two end together (202412 < 2024Q4 < 2024) — and convert back losslessly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PeriodKey(pub i32);

impl PeriodKey {
    /// The key of a period.
    pub fn of(period: Period) -> PeriodKey {
        let rank = match period {
            Period::Month(..) => 0,
            Period::Quarter(..) => 1,
            Period::Year(..) => 2,
        };
        PeriodKey((period.end_month() * 4 + rank) as i32)
    }

    /// The period this key stands for.
    pub fn period(self) -> Period {
        let end = self.end_month();
        let rank = self.0.rem_euclid(4);
        let year = (end - 1).div_euclid(12);
        let month = (end - year * 12) as u8;
        match rank {
            2 => Period::Year(year as i32),
            1 => Period::Quarter(year as i32, month / 3),
            _ => Period::Month(year as i32, month),
        }
    }

    /// The month the period ends with, counted from year 0 ([`Period::end_month`]).
    pub fn end_month(self) -> i64 {
        i64::from(self.0.div_euclid(4))
    }

    /// Where the period ends, in years ([`Period::end_as_years`]): 2022 and 2022Q4 → 2023.0.
    pub fn end_years(self) -> f64 {
        self.end_month() as f64 / 12.0
    }
}

impl From<Period> for PeriodKey {
    fn from(p: Period) -> PeriodKey {
        PeriodKey::of(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_sort_as_periods() {
        let periods = [
            Period::Month(2022, 1),
            Period::Quarter(2022, 1),
            Period::Month(2024, 12),
            Period::Quarter(2024, 4),
            Period::Year(2024),
            Period::Quarter(2025, 1),
        ];
        for w in periods.windows(2) {
            assert!(PeriodKey::of(w[0]) < PeriodKey::of(w[1]), "{w:?}");
            assert_eq!(w[0] < w[1], PeriodKey::of(w[0]) < PeriodKey::of(w[1]));
        }
        for p in periods {
            assert_eq!(PeriodKey::of(p).period(), p);
            assert_eq!(PeriodKey::of(p).end_years(), p.end_as_years());
        }
        for y in [1999, 2022, 2030] {
            for q in 1..=4 {
                let p = Period::Quarter(y, q);
                assert_eq!(PeriodKey::of(p).period(), p);
            }
            for m in 1..=12 {
                let p = Period::Month(y, m);
                assert_eq!(PeriodKey::of(p).period(), p);
            }
        }
    }
}
