//! Reported values (填报数据): importing them all-or-nothing, reading them back, and the
//! history of every cell.
//!
//! A cell is a region × period × indicator; it holds one current value. Importing a value
//! into a cell:
//!
//! - that is empty inserts it;
//! - whose value, numerator, denominator and comment are the same (and which is demo data
//!   exactly when the new one is) changes nothing, and writes nothing to the audit log, so
//!   importing the same file twice leaves the store as it was;
//! - that holds something else moves the old version to `value_history` (with who replaced
//!   it and when), stores the new one and logs both in the audit log;
//! - that holds a **published** value is refused, and the whole import with it
//!   ([`StoreError::PublishedValue`]): published figures are public and stay as published.
//!   Demo values (模拟数据) are the exception: a published demo value may be replaced.
//!
//! A stored value starts the review workflow again: it is stored as draft (草稿) whatever
//! state the row carries, except demo values, which keep the state they come with so demo
//! data can be shown as approved or published. Empty `entered_by` is filled with the
//! importing actor and empty `entered_at` with the time of the import.

use std::collections::{HashMap, HashSet};

use minsheng_model::{DataValue, Period, ReviewState, ValueSource};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{AuditRecord, json, write_audit};
use crate::bulk::{BindReal, Statements, execute_all, insert_many};
use crate::{
    Backend, Result, Store, StoreError, dynamic_sql, finish, placeholders, placeholders_from,
    real_as_text, time,
};

/// How a [`ReviewState`] is stored.
pub(crate) fn state_str(state: ReviewState) -> &'static str {
    match state {
        ReviewState::Draft => "draft",
        ReviewState::Submitted => "submitted",
        ReviewState::Approved => "approved",
        ReviewState::Returned => "returned",
        ReviewState::Published => "published",
    }
}

pub(crate) fn parse_state(text: &str) -> Option<ReviewState> {
    Some(match text {
        "draft" => ReviewState::Draft,
        "submitted" => ReviewState::Submitted,
        "approved" => ReviewState::Approved,
        "returned" => ReviewState::Returned,
        "published" => ReviewState::Published,
        _ => return None,
    })
}

/// How a [`ValueSource`] is stored.
pub(crate) fn source_str(source: ValueSource) -> &'static str {
    match source {
        ValueSource::Form => "form",
        ValueSource::Xlsx => "xlsx",
        ValueSource::Csv => "csv",
        ValueSource::Api => "api",
        ValueSource::Demo => "demo",
    }
}

fn parse_source(text: &str) -> Option<ValueSource> {
    Some(match text {
        "form" => ValueSource::Form,
        "xlsx" => ValueSource::Xlsx,
        "csv" => ValueSource::Csv,
        "api" => ValueSource::Api,
        "demo" => ValueSource::Demo,
        _ => return None,
    })
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// Values for cells that were empty.
    pub inserted: usize,
    /// Values that replaced a different one (the old one is in the cell's history).
    pub updated: usize,
    /// Values equal to the one stored: nothing was written for them.
    pub unchanged: usize,
}

/// Which values to read. Every field narrows the selection; the default reads all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueFilter {
    /// Only this indicator (catalogue id).
    pub indicator: Option<String>,
    /// Only this region (a GB/T 2260 code; 53 and 5323 are padded) and the regions under it.
    pub region: Option<String>,
    /// Only periods from this one on (in [`Period`]'s order: by end, shorter first).
    pub from: Option<Period>,
    /// Only periods up to this one, inclusive.
    pub to: Option<Period>,
    /// Only values in these states; empty for all.
    pub states: Vec<ReviewState>,
    /// `Some(false)`: real data only; `Some(true)`: demo data (模拟数据) only.
    pub simulated: Option<bool>,
}

impl ValueFilter {
    /// What public pages may show: published values only.
    pub fn public() -> ValueFilter {
        ValueFilter {
            states: vec![ReviewState::Published],
            ..ValueFilter::default()
        }
    }

    /// What internal views may show: approved and published values.
    pub fn internal() -> ValueFilter {
        ValueFilter {
            states: vec![ReviewState::Approved, ReviewState::Published],
            ..ValueFilter::default()
        }
    }
}

/// A superseded version of a cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PastValue {
    /// The value as it stood before it was replaced.
    pub value: DataValue,
    /// Who replaced it.
    pub replaced_by: String,
    /// When, RFC 3339 UTC.
    pub replaced_at: String,
}

/// The first 13 columns of `value_history`, in binding order.
pub(crate) const VALUE_COLUMNS: &str = "region_code, period, indicator_id, period_end, value, \
    numerator, denominator, source, entered_by, entered_at, comment, state, simulated";

/// Cells whose stored value is read per query: 3 parameters each.
const LOOKUP_BATCH: usize = 1000;

/// `楚雄市 2024Q1 infant_mortality` or, without names at hand, `532301 2024Q1 …`.
fn cell_label(v: &DataValue) -> String {
    format!("{} {} {}", v.region, v.period, v.indicator)
}

/// A comment that says nothing is no comment.
fn comment(v: &DataValue) -> Option<&str> {
    v.comment.as_deref().filter(|c| !c.trim().is_empty())
}

/// Whether `new` would change nothing in a cell holding `old`.
fn same(old: &DataValue, new: &DataValue) -> bool {
    old.value == new.value
        && old.numerator == new.numerator
        && old.denominator == new.denominator
        && comment(old) == comment(new)
        && old.is_simulated() == new.is_simulated()
}

/// The state a value is stored in: draft, unless it is demo data.
fn stored_state(v: &DataValue) -> ReviewState {
    if v.is_simulated() {
        v.state
    } else {
        ReviewState::Draft
    }
}

/// A value read from the 13 [`VALUE_COLUMNS`], in order.
pub(crate) fn value_from_row(row: &AnyRow) -> Result<DataValue> {
    fn corrupt(what: String) -> StoreError {
        StoreError::Corrupt { what }
    }
    let get_text = |i: usize| -> Result<String> {
        row.try_get::<String, _>(i)
            .map_err(|e| corrupt(format!("data_values column {i}: {e}")))
    };
    let get_real = |i: usize| -> Result<Option<f64>> {
        row.try_get::<Option<f64>, _>(i)
            .map_err(|e| corrupt(format!("data_values column {i}: {e}")))
    };
    let region = get_text(0)?;
    let period_text = get_text(1)?;
    let period = Period::parse(&period_text)
        .ok_or_else(|| corrupt(format!("value of {region} has period {period_text:?}")))?;
    let source_text = get_text(7)?;
    let source = parse_source(&source_text)
        .ok_or_else(|| corrupt(format!("value of {region} has source {source_text:?}")))?;
    let state_text = get_text(11)?;
    let state = parse_state(&state_text)
        .ok_or_else(|| corrupt(format!("value of {region} has state {state_text:?}")))?;
    Ok(DataValue {
        indicator: get_text(2)?,
        period,
        value: get_real(4)?.ok_or_else(|| corrupt(format!("value of {region} is NULL")))?,
        numerator: get_real(5)?,
        denominator: get_real(6)?,
        source,
        entered_by: get_text(8)?,
        entered_at: get_text(9)?,
        comment: row
            .try_get::<Option<String>, _>(10)
            .map_err(|e| corrupt(format!("data_values.comment: {e}")))?,
        state,
        region,
    })
}

/// Checks what can be checked without the database; the rows are the import's from
/// position `offset` + 1 on.
fn check_rows(rows: &[DataValue], offset: usize) -> Result<()> {
    let invalid = |message: String| StoreError::InvalidValues { message };
    for (i, v) in rows.iter().enumerate() {
        let n = offset + i + 1;
        if v.indicator.chars().all(char::is_whitespace) {
            return Err(invalid(format!(
                "value {n} ({}) has no indicator",
                cell_label(v)
            )));
        }
        if v.region.chars().all(char::is_whitespace) {
            return Err(invalid(format!(
                "value {n} ({}) has no region code",
                cell_label(v)
            )));
        }
        for (what, x) in [
            ("value", Some(v.value)),
            ("numerator", v.numerator),
            ("denominator", v.denominator),
        ] {
            if x.is_some_and(|x| !x.is_finite()) {
                return Err(invalid(format!(
                    "the {what} of value {n} ({}) is not a finite number",
                    cell_label(v)
                )));
            }
        }
    }
    Ok(())
}

/// Bits per part of a [`Cells`] key.
const KEY_BITS: u32 = 21;
const KEY_MASK: u64 = (1 << KEY_BITS) - 1;

/// The cells of an import, each as one number: the period numbered in the order of its text,
/// the region and indicator by the numbers `value_cells` keys them by, packed into a u64, so
/// that the numbers sort as `value_cells`' key does. Sorting them finds duplicates and groups,
/// looks cells up, and gives the order to write in (appending to the table's b-tree rather
/// than inserting all over it), without hashing a million pairs of strings.
struct Cells<'a> {
    region_ids: &'a HashMap<String, u64>,
    indicator_ids: &'a HashMap<String, u64>,
    period_ids: HashMap<Period, u64>,
    /// (key, position in the import), by key.
    sorted: Vec<(u64, usize)>,
}

/// The region number of a [`Cells`] key, as `value_cells.region` holds it.
fn region_of(key: u64) -> i64 {
    ((key >> KEY_BITS) & KEY_MASK) as i64
}

/// The indicator number of a [`Cells`] key, as `value_cells.indicator` holds it.
fn indicator_of(key: u64) -> i64 {
    (key & KEY_MASK) as i64
}

impl<'a> Cells<'a> {
    /// Numbers every row's cell, given the number of every region code and indicator id
    /// the store knows; refuses regions and indicators it does not know and cells given twice.
    /// The rows are the import's from position `offset` + 1 on (for messages).
    fn new(
        rows: &'a [DataValue],
        region_ids: &'a HashMap<String, u64>,
        indicator_ids: &'a HashMap<String, u64>,
        offset: usize,
    ) -> Result<Cells<'a>> {
        let invalid = |message: String| StoreError::InvalidValues { message };
        let mut periods: Vec<(String, Period)> = Vec::new();
        let mut last: Option<Period> = None;
        let mut seen = HashSet::new();
        for v in rows {
            if last != Some(v.period) && seen.insert(v.period) {
                periods.push((v.period.to_string(), v.period));
            }
            last = Some(v.period);
        }
        periods.sort_unstable();
        let period_ids = periods.into_iter().map(|(_, p)| p).zip(0..).collect();
        let mut cells = Cells {
            region_ids,
            indicator_ids,
            period_ids,
            sorted: Vec::with_capacity(rows.len()),
        };
        // Consecutive rows mostly share region and period: remember the last look-ups.
        let mut last_region: Option<(&str, u64)> = None;
        let mut last_indicator: Option<(&str, u64)> = None;
        let mut last_period: Option<(Period, u64)> = None;
        for (i, v) in rows.iter().enumerate() {
            let region = match last_region {
                Some((code, id)) if code == v.region => id,
                _ => {
                    let id = *cells.region_ids.get(v.region.as_str()).ok_or_else(|| {
                        invalid(format!(
                            "value {} ({}) is for region {:?}, which is not in the store: \
                             load the regions first, or correct the code",
                            offset + i + 1,
                            cell_label(v),
                            v.region
                        ))
                    })?;
                    last_region = Some((&v.region, id));
                    id
                }
            };
            let indicator = match last_indicator {
                Some((name, id)) if name == v.indicator => id,
                _ => {
                    let id = *cells
                        .indicator_ids
                        .get(v.indicator.as_str())
                        .ok_or_else(|| {
                            invalid(format!(
                                "value {} ({}) is for indicator {:?}, which is not in the \
                                 indicator catalogue: save the catalogue first, or correct \
                                 the id",
                                offset + i + 1,
                                cell_label(v),
                                v.indicator
                            ))
                        })?;
                    last_indicator = Some((&v.indicator, id));
                    id
                }
            };
            let period = match last_period {
                Some((p, id)) if p == v.period => id,
                _ => {
                    let id = cells.period_ids[&v.period];
                    last_period = Some((v.period, id));
                    id
                }
            };
            cells.sorted.push((pack(period, region, indicator)?, i));
        }
        cells.sorted.sort_unstable();
        if let Some(w) = cells.sorted.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(invalid(format!(
                "values {} and {} are both for {}: give each cell once",
                offset + w[0].1 + 1,
                offset + w[1].1 + 1,
                cell_label(&rows[w[1].1])
            )));
        }
        Ok(cells)
    }

    /// The position in the import of the row for `v`'s cell, if there is one.
    fn position(&self, v: &DataValue) -> Option<usize> {
        let key = pack(
            *self.period_ids.get(&v.period)?,
            *self.region_ids.get(v.region.as_str())?,
            *self.indicator_ids.get(v.indicator.as_str())?,
        )
        .ok()?;
        let at = self.sorted.binary_search_by_key(&key, |(k, _)| *k).ok()?;
        Some(self.sorted[at].1)
    }
}

fn pack(period: u64, region: u64, indicator: u64) -> Result<u64> {
    if region > KEY_MASK || period > KEY_MASK || indicator > KEY_MASK {
        return Err(StoreError::InvalidValues {
            message: format!(
                "an import may hold at most {KEY_MASK} periods, and the store number at \
                 most {KEY_MASK} regions and indicators each"
            ),
        });
    }
    Ok(period << (2 * KEY_BITS) | region << KEY_BITS | indicator)
}

/// Who entered a value, when and from what: a row of `entries`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Entry<'a> {
    source: ValueSource,
    entered_by: &'a str,
    entered_at: &'a str,
}

impl<'a> Entry<'a> {
    /// How `v`'s entry is stored: empty who/when filled in with the importing actor and the
    /// time of the import.
    fn of(v: &'a DataValue, actor: &'a str, now: &'a str) -> Entry<'a> {
        Entry {
            source: v.source,
            entered_by: if v.entered_by.trim().is_empty() {
                actor
            } else {
                &v.entered_by
            },
            entered_at: if v.entered_at.trim().is_empty() {
                now
            } else {
                &v.entered_at
            },
        }
    }
}

/// Whether `a` and `b` have the same [`Entry`]: the same texts (the usual case, cheap to
/// tell) or texts that fill in the same.
fn same_entry(a: &DataValue, b: &DataValue, actor: &str, now: &str) -> bool {
    a.source == b.source
        && ((a.entered_by == b.entered_by && a.entered_at == b.entered_at)
            || Entry::of(a, actor, now) == Entry::of(b, actor, now))
}

/// The distinct entries of `values`, and for each value the index of its entry among them.
/// Consecutive values mostly share one entry (a whole file does): each is compared with the
/// one before it, and only a change is looked up.
fn entries_of<'a>(
    values: impl ExactSizeIterator<Item = &'a DataValue>,
    actor: &'a str,
    now: &'a str,
) -> (Vec<Entry<'a>>, Vec<u32>) {
    let mut distinct: Vec<Entry<'a>> = Vec::new();
    let mut index: HashMap<Entry<'a>, u32> = HashMap::new();
    let mut of_value = Vec::with_capacity(values.len());
    let mut last: Option<(&DataValue, u32)> = None;
    for v in values {
        let at = match last {
            Some((l, at)) if same_entry(l, v, actor, now) => at,
            _ => {
                let e = Entry::of(v, actor, now);
                *index.entry(e).or_insert_with(|| {
                    distinct.push(e);
                    (distinct.len() - 1) as u32
                })
            }
        };
        last = Some((v, at));
        of_value.push(at);
    }
    (distinct, of_value)
}

/// Entries per statement when storing and reading them: 3 parameters each.
const ENTRY_BATCH: usize = 1000;

/// The id in `entries` of each of `distinct`, adding those not yet there.
async fn entry_ids(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    distinct: &[Entry<'_>],
) -> sqlx::Result<Vec<Option<i64>>> {
    insert_many(
        conn,
        backend,
        (
            "INSERT INTO entries (source, entered_by, entered_at) VALUES ",
            " ON CONFLICT (source, entered_by, entered_at) DO NOTHING",
        ),
        3,
        ENTRY_BATCH,
        distinct,
        |q, e| {
            q.bind(source_str(e.source))
                .bind(e.entered_by)
                .bind(e.entered_at)
        },
    )
    .await?;
    let mut statements = Statements::new(ENTRY_BATCH, |n| {
        format!(
            "SELECT e.id, e.source, e.entered_by, e.entered_at FROM (VALUES {}) AS k \
             CROSS JOIN entries e WHERE e.source = k.column1 AND e.entered_by = k.column2 \
             AND e.entered_at = k.column3",
            placeholders(backend, n, 3)
        )
    });
    let mut ids = vec![None; distinct.len()];
    for (c, chunk) in distinct.chunks(ENTRY_BATCH).enumerate() {
        let mut query = statements.query(chunk.len(), 3 * chunk.len());
        for e in chunk {
            query = query
                .bind(source_str(e.source))
                .bind(e.entered_by)
                .bind(e.entered_at);
        }
        let wanted: HashMap<(&str, &str, &str), usize> = chunk
            .iter()
            .enumerate()
            .map(|(k, e)| {
                (
                    (source_str(e.source), e.entered_by, e.entered_at),
                    c * ENTRY_BATCH + k,
                )
            })
            .collect();
        for row in query.fetch_all(&mut *conn).await? {
            let (id, source, by, at): (i64, String, String, String) = (
                row.try_get(0)?,
                row.try_get(1)?,
                row.try_get(2)?,
                row.try_get(3)?,
            );
            if let Some(&k) = wanted.get(&(source.as_str(), by.as_str(), at.as_str())) {
                ids[k] = Some(id);
            }
        }
    }
    Ok(ids)
}

/// The columns of `value_cells`, in binding order.
const STORED_COLUMNS: &str = "period, region, indicator, period_end, value, numerator, \
    denominator, entry_id, comment, state, simulated";

/// What an upsert of values does on a cell that holds one.
const UPSERT: &str = " ON CONFLICT (period, region, indicator) DO UPDATE SET \
    period_end = excluded.period_end, value = excluded.value, \
    numerator = excluded.numerator, denominator = excluded.denominator, \
    entry_id = excluded.entry_id, comment = excluded.comment, \
    state = excluded.state, simulated = excluded.simulated";

/// Rows per upsert of a run of values that share period, entry and state (6 parameters a
/// row, 5 for the statement; 3 a row when all its rows are [`bare`]), and per upsert of mixed
/// rows (11 a row): near the parameter limit, as larger statements measured faster
/// (`benches/values.rs`). Runs shorter than `SHORT_RUN` go into mixed statements.
const SHARED_BATCH: usize = 5000;
const MIXED_BATCH: usize = crate::bulk::MAX_PARAMETERS / 11;
const SHORT_RUN: usize = 64;

/// A statement to run, as a range of the values to write: rows sharing period, entry and
/// state (and whether all are [`bare`]), or (by position) rows of any kind.
enum Planned {
    Shared(std::ops::Range<usize>, bool),
    Mixed(Vec<usize>),
}

/// A value without numerator, denominator or comment (a count, or a rate reported as its
/// value alone): a statement of them binds the value alone, half the parameters a row.
fn bare(v: &DataValue) -> bool {
    v.numerator.is_none() && v.denominator.is_none() && comment(v).is_none()
}

/// Writes `values` (new or replacing, in key order, each with its [`Cells`] key) into
/// `value_cells`: each run of values with the same period, entry and state (a whole file's,
/// usually) in statements that bind those once, the rest a row at a time.
async fn upsert_values(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    values: &[(u64, &DataValue)],
    actor: &str,
    now: &str,
) -> sqlx::Result<()> {
    let (distinct, entry_of) = entries_of(values.iter().map(|&(_, v)| v), actor, now);
    let ids = entry_ids(conn, backend, &distinct).await?;
    let entry = |j: usize| ids[entry_of[j] as usize];
    // Whether the value at `j` shares what a run's first value, at `first`, binds once.
    let shares = |first: usize, j: usize| {
        let (a, b) = (values[first].1, values[j].1);
        entry_of[j] == entry_of[first]
            && b.period == a.period
            && b.is_simulated() == a.is_simulated()
            && stored_state(b) == stored_state(a)
    };

    let mut plan: Vec<Planned> = Vec::new();
    let mut mixed: Vec<usize> = Vec::new();
    let mut start = 0;
    while start < values.len() {
        let end = (start + 1..values.len())
            .find(|&j| !shares(start, j))
            .unwrap_or(values.len());
        if end - start >= SHORT_RUN {
            plan.extend((start..end).step_by(SHARED_BATCH).map(|from| {
                let range = from..end.min(from + SHARED_BATCH);
                let bare = values[range.clone()].iter().all(|&(_, v)| bare(v));
                Planned::Shared(range, bare)
            }));
        } else {
            for j in start..end {
                mixed.push(j);
                if mixed.len() == MIXED_BATCH {
                    plan.push(Planned::Mixed(std::mem::take(&mut mixed)));
                }
            }
        }
        start = end;
    }
    if !mixed.is_empty() {
        plan.push(Planned::Mixed(mixed));
    }

    let mut mixed_statements = Statements::new(MIXED_BATCH, |rows| {
        format!(
            "INSERT INTO value_cells ({STORED_COLUMNS}) VALUES {}{UPSERT}",
            placeholders(backend, rows, 11)
        )
    });
    // What the rows share are parameters in the SELECT list, bound once; `WHERE true` tells
    // SQLite that the ON which follows starts the upsert, not a join condition. A bare run's
    // rows are (region, indicator, value), the others' add numerator, denominator, comment.
    let shared_sql = |rows: usize, bare: bool| {
        let [period, end, entry, state, simulated] = match backend {
            Backend::Sqlite => ["?"; 5],
            Backend::Postgres => ["$1", "$2", "$3", "$4", "$5"],
        };
        let (numerator, denominator, comment, columns) = if bare {
            ("NULL", "NULL", "NULL", 3)
        } else {
            ("v.column4", "v.column5", "v.column6", 6)
        };
        format!(
            "INSERT INTO value_cells ({STORED_COLUMNS}) \
             SELECT {period}, v.column1, v.column2, {end}, v.column3, {numerator}, \
             {denominator}, {entry}, {comment}, {state}, {simulated} \
             FROM (VALUES {}) AS v WHERE true{UPSERT}",
            placeholders_from(backend, 6, rows, columns)
        )
    };
    let mut shared_statements = Statements::new(SHARED_BATCH, |rows| shared_sql(rows, false));
    let mut bare_statements = Statements::new(SHARED_BATCH, |rows| shared_sql(rows, true));
    let queries = plan.iter().map(|planned| match planned {
        Planned::Shared(range, bare) => {
            let first = values[range.start].1;
            let bare = *bare;
            let q = if bare {
                bare_statements.query(range.len(), 5 + 3 * range.len())
            } else {
                shared_statements.query(range.len(), 5 + 6 * range.len())
            };
            let mut q = q
                .bind(first.period.to_string())
                .bind(first.period.end_month())
                .bind(entry(range.start))
                .bind(state_str(stored_state(first)))
                .bind(i64::from(first.is_simulated()));
            for &(key, v) in &values[range.clone()] {
                q = q.bind(region_of(key)).bind(indicator_of(key)).bind(v.value);
                if !bare {
                    q = q
                        .bind_real(v.numerator)
                        .bind_real(v.denominator)
                        .bind(comment(v));
                }
            }
            q
        }
        Planned::Mixed(positions) => {
            let mut q = mixed_statements.query(positions.len(), 11 * positions.len());
            for &j in positions {
                let (key, v) = values[j];
                q = q
                    .bind(v.period.to_string())
                    .bind(region_of(key))
                    .bind(indicator_of(key))
                    .bind(v.period.end_month())
                    .bind(v.value)
                    .bind_real(v.numerator)
                    .bind_real(v.denominator)
                    .bind(entry(j))
                    .bind(comment(v))
                    .bind(state_str(stored_state(v)))
                    .bind(i64::from(v.is_simulated()));
            }
            q
        }
    });
    execute_all(conn, queries).await
}

/// What an import finds in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// Nothing stored.
    New,
    /// The same value stored (see [`same`]).
    Same,
    /// Something else stored.
    Changed,
}

/// Cells compared per query: 9 parameters each.
const COMPARE_BATCH: usize = 2000;

/// Compares each row at `cells` (its [`Cells`] key and position) with its stored cell in the
/// database, marking `status` Same or Changed (New where nothing is stored). Each query
/// answers with one line listing the positions it found (`17=,18~`), so a million unchanged
/// cells cost a few hundred rows, not a million.
async fn compare_cells(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    rows: &[DataValue],
    cells: &[(u64, usize)],
    status: &mut [Cell],
) -> sqlx::Result<()> {
    // The same test as `same`: NULLs equal each other, comments are stored trimmed to None.
    let same_null = |column: &str, k: &str| {
        format!("(d.{column} = k.{k} OR (d.{column} IS NULL AND k.{k} IS NULL))")
    };
    let equal = format!(
        "d.value = k.column5 AND {} AND {} AND {} AND d.simulated = k.column9",
        same_null("numerator", "column6"),
        same_null("denominator", "column7"),
        same_null("comment", "column8"),
    );
    // CROSS JOIN: SQLite walks the list and looks each cell up by its key, rather than
    // scanning the table.
    let mut statements = Statements::new(COMPARE_BATCH, |n| {
        format!(
            "SELECT string_agg(CAST(k.column4 AS TEXT) || CASE WHEN {equal} THEN '=' ELSE '~' \
             END, ',') FROM (VALUES {}) AS k CROSS JOIN value_cells d \
             WHERE d.region = k.column1 AND d.period = k.column2 \
             AND d.indicator = k.column3",
            placeholders(backend, n, 9)
        )
    });
    for chunk in cells.chunks(COMPARE_BATCH) {
        let mut query = statements.query(chunk.len(), 9 * chunk.len());
        for &(key, i) in chunk {
            let v = &rows[i];
            query = query
                .bind(region_of(key))
                .bind(v.period.to_string())
                .bind(indicator_of(key))
                .bind(i as i64)
                .bind(v.value)
                .bind_real(v.numerator)
                .bind_real(v.denominator)
                .bind(comment(v))
                .bind(i64::from(v.is_simulated()));
        }
        let found: Option<String> = query.fetch_one(&mut *conn).await?.try_get(0)?;
        for item in found
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter(|i| !i.is_empty())
        {
            let (position, mark) = item.split_at(item.len() - 1);
            let i: usize = position.parse().map_err(|_| {
                sqlx::Error::Protocol(format!("cannot read the comparison {item:?}"))
            })?;
            if let Some(s) = status.get_mut(i) {
                *s = if mark == "=" {
                    Cell::Same
                } else {
                    Cell::Changed
                };
            }
        }
    }
    Ok(())
}

/// The stored values of the cells of `rows[i]` for each (key, `i`) in `cells`.
async fn fetch_cells(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    rows: &[DataValue],
    cells: &[(u64, usize)],
    action: &str,
) -> Result<Vec<DataValue>> {
    let mut statements = Statements::new(LOOKUP_BATCH, |n| {
        packed_values_sql(
            backend,
            "",
            &format!(
                "(VALUES {}) AS k CROSS JOIN data_values d JOIN entries e ON e.id = d.entry_id \
                 WHERE d.region = k.column1 AND d.period = k.column2 \
                 AND d.indicator = k.column3",
                placeholders(backend, n, 3)
            ),
        )
    });
    let mut out = Vec::with_capacity(cells.len());
    for chunk in cells.chunks(LOOKUP_BATCH) {
        let mut query = statements.query(chunk.len(), 3 * chunk.len());
        for &(key, i) in chunk {
            query = query
                .bind(region_of(key))
                .bind(rows[i].period.to_string())
                .bind(indicator_of(key));
        }
        out.extend(fetch_packed(query, &mut *conn, action).await?);
    }
    Ok(out)
}

/// An import whose values come in parts, stored in one transaction: [`Store::begin_import`],
/// [`ValueImport::add`] for each part in turn (a file's rows as they are checked, say), then
/// [`ValueImport::commit`]. Until the commit nothing of it is visible; after an error, or
/// without a commit, nothing of it stays ([`ValueImport::rollback`], or dropping it). Each
/// cell is treated as [`Store::import_values`] treats it, and the import as a whole is
/// refused for what it refuses, two values for one cell in different parts included.
pub struct ValueImport {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    actor: String,
    note: Option<String>,
    now: String,
    /// Region code → name, for messages.
    names: HashMap<String, String>,
    /// Region code and indicator id → the number `value_cells` keys them by.
    regions: HashMap<String, u64>,
    indicators: HashMap<String, u64>,
    /// Whether the store held values of a period before this import wrote any.
    stored_before: HashMap<Period, bool>,
    /// Every cell added, numbered across parts (periods in order of first sight), with its
    /// position in the import: for the check across parts at the commit.
    period_numbers: HashMap<Period, u64>,
    cells: Vec<(u64, usize)>,
    parts: usize,
    added: usize,
    outcome: ImportOutcome,
    /// New cells by region and period: how many, and whether all are demo data.
    groups: HashMap<(String, Period), (usize, bool)>,
    all_simulated: bool,
    /// Set by an error: the import can only be dropped or rolled back.
    failed: bool,
    /// Set by [`ValueImport::prepare`]: checked across parts, audit written.
    prepared: bool,
}

impl Store {
    /// Imports reported values in one transaction, all or nothing; see the module
    /// documentation for what happens to each cell. `actor` is who imports (recorded in the
    /// audit log and the history of replaced values), `note` says from what (a file name);
    /// both are kept with the audit entries.
    ///
    /// Refused, with nothing imported: an empty actor; a value without indicator or region,
    /// or not a finite number; two values for the same cell; a region not in the store or an
    /// indicator not in the catalogue; a different value for a published cell.
    pub async fn import_values(
        &self,
        rows: &[DataValue],
        actor: &str,
        note: &str,
    ) -> Result<ImportOutcome> {
        if actor.trim().is_empty() {
            return Err(StoreError::NoActor {
                action: format!("importing {} values", rows.len()),
            });
        }
        if rows.is_empty() {
            return Ok(ImportOutcome::default());
        }
        let mut import = self.begin_import(actor, note).await?;
        if let Err(e) = import.add(rows).await {
            import.rollback().await;
            return Err(e);
        }
        import.commit().await
    }

    /// Starts an import given in parts (see [`ValueImport`]): opens the write transaction,
    /// which holds the store's writers off until the commit (readers go on, and see the
    /// store as it was).
    pub async fn begin_import(&self, actor: &str, note: &str) -> Result<ValueImport> {
        let action = || "importing values".to_string();
        let actor = actor.trim();
        if actor.is_empty() {
            return Err(StoreError::NoActor { action: action() });
        }
        let fail = |e| StoreError::write(action(), e);
        let mut tx = self.begin_write().await.map_err(fail)?;
        if self.backend == Backend::Postgres {
            // Classifying the rows reads the cells; no other writer may change them until
            // this import commits. Readers pass.
            sqlx::query("LOCK TABLE value_cells IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
        }
        // Every region and indicator must be known, and numbered for value_cells' key
        // (those the store has not numbered yet are numbered now).
        for sql in [
            "INSERT INTO value_regions (code) SELECT code FROM regions \
             WHERE code NOT IN (SELECT code FROM value_regions) ORDER BY code",
            "INSERT INTO value_indicators (indicator_id) SELECT id FROM indicators \
             WHERE id NOT IN (SELECT indicator_id FROM value_indicators) ORDER BY id",
        ] {
            sqlx::query(sql).execute(&mut *tx).await.map_err(fail)?;
        }
        let mut names: HashMap<String, String> = HashMap::new();
        let mut regions: HashMap<String, u64> = HashMap::new();
        for (code, name, id) in sqlx::query_as::<_, (String, String, i64)>(
            "SELECT r.code, r.name, v.id FROM regions r JOIN value_regions v ON v.code = r.code",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(fail)?
        {
            regions.insert(code.clone(), id as u64);
            names.insert(code, name);
        }
        let indicators: HashMap<String, u64> = sqlx::query_as::<_, (String, i64)>(
            "SELECT i.id, v.id FROM indicators i \
             JOIN value_indicators v ON v.indicator_id = i.id",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|(id, number)| (id, number as u64))
        .collect();
        Ok(ValueImport {
            tx,
            backend: self.backend,
            actor: actor.to_string(),
            note: Some(note.trim().to_string()).filter(|n| !n.is_empty()),
            now: time::now_utc(),
            names,
            regions,
            indicators,
            stored_before: HashMap::new(),
            period_numbers: HashMap::new(),
            cells: Vec::new(),
            parts: 0,
            added: 0,
            outcome: ImportOutcome::default(),
            groups: HashMap::new(),
            all_simulated: true,
            failed: false,
            prepared: false,
        })
    }

    /// The values `filter` selects, by indicator, region and period (in [`Period`]'s order).
    pub async fn values(&self, filter: &ValueFilter) -> Result<Vec<DataValue>> {
        let mut sql = String::new();
        let mut conditions: Vec<String> = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        fn param(value: String, binds: &mut Vec<String>) -> String {
            binds.push(value);
            format!("${}", binds.len())
        }
        if let Some(region) = &filter.region {
            let code =
                crate::regions::as_code(region).ok_or_else(|| StoreError::UnknownRegion {
                    region: region.clone(),
                })?;
            let p = param(code, &mut binds);
            sql.push_str(&format!(
                "WITH RECURSIVE sub (code) AS ( \
                   SELECT code FROM regions WHERE code = {p} \
                   UNION ALL \
                   SELECT r.code FROM regions r JOIN sub s ON r.parent = s.code) "
            ));
        }
        let mut from = String::from("data_values d JOIN entries e ON e.id = d.entry_id");
        if filter.region.is_some() {
            from.push_str(" JOIN sub ON d.region_code = sub.code");
        }
        if let Some(indicator) = &filter.indicator {
            let p = param(indicator.clone(), &mut binds);
            conditions.push(format!("d.indicator_id = {p}"));
        }
        if let Some(from) = filter.from {
            // By end month here; periods that end together are told apart below.
            conditions.push(format!("d.period_end >= {}", from.end_month()));
        }
        if let Some(to) = filter.to {
            conditions.push(format!("d.period_end <= {}", to.end_month()));
        }
        if !filter.states.is_empty() {
            let list = filter
                .states
                .iter()
                .map(|s| param(state_str(*s).to_string(), &mut binds))
                .collect::<Vec<_>>()
                .join(", ");
            conditions.push(format!("d.state IN ({list})"));
        }
        if let Some(simulated) = filter.simulated {
            conditions.push(format!("d.simulated = {}", i64::from(simulated)));
        }
        if !conditions.is_empty() {
            from.push_str(" WHERE ");
            from.push_str(&conditions.join(" AND "));
        }
        let sql = packed_values_sql(self.backend, &sql, &from);
        let mut query = sqlx::query(dynamic_sql(sql));
        for b in binds {
            query = query.bind(b);
        }
        let mut values = fetch_packed(query, &self.pool, "reading values").await?;
        values.retain(|v| {
            filter.from.is_none_or(|from| v.period >= from)
                && filter.to.is_none_or(|to| v.period <= to)
        });
        values.sort_by(|a, b| {
            (&a.indicator, &a.region, a.period).cmp(&(&b.indicator, &b.region, b.period))
        });
        Ok(values)
    }

    /// The stored values of `regions` (codes, exactly: not the regions under them) and
    /// `indicators` (ids), of periods that end no later than `to` when it is given: what an
    /// import compares its file with (the previous period, a value it replaces), without
    /// reading the rest of the store. In no particular order.
    pub async fn values_of_cells(
        &self,
        regions: &[&str],
        indicators: &[&str],
        to: Option<Period>,
    ) -> Result<Vec<DataValue>> {
        /// Codes per query, and ids: well under either backend's parameter limit together.
        const CHUNK: usize = 10_000;
        let mut out = Vec::new();
        for region_chunk in regions.chunks(CHUNK) {
            for indicator_chunk in indicators.chunks(CHUNK) {
                let mut from = format!(
                    "data_values d JOIN entries e ON e.id = d.entry_id \
                     WHERE d.region_code IN (VALUES {}) AND d.indicator_id IN (VALUES {})",
                    placeholders(self.backend, region_chunk.len(), 1),
                    placeholders_from(
                        self.backend,
                        region_chunk.len() + 1,
                        indicator_chunk.len(),
                        1
                    ),
                );
                if let Some(to) = to {
                    from.push_str(&format!(" AND d.period_end <= {}", to.end_month()));
                }
                let mut query =
                    sqlx::query(dynamic_sql(packed_values_sql(self.backend, "", &from)));
                for code in region_chunk.iter().chain(indicator_chunk) {
                    query = query.bind(*code);
                }
                out.extend(fetch_packed(query, &self.pool, "reading stored values").await?);
            }
        }
        Ok(out)
    }

    /// Every stored value, in one query, by period as written and region (in the order the
    /// store numbers regions), each region's period by indicator: what assessment reads. Each value carries its state, so the caller decides
    /// which count (approved and published for internal results, published for public ones),
    /// and [`DataValue::is_simulated`] marks demo data.
    pub async fn all_values_for_assessment(&self) -> Result<Vec<DataValue>> {
        let sql = packed_values_sql(
            self.backend,
            "",
            "data_values d JOIN entries e ON e.id = d.entry_id",
        );
        fetch_packed(
            sqlx::query(dynamic_sql(sql)),
            &self.pool,
            "reading all values",
        )
        .await
    }

    /// How many values are stored.
    pub async fn value_count(&self) -> Result<i64> {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM data_values")
            .fetch_one(&self.pool)
            .await
            .map_err(|e| StoreError::read("counting values", e))
    }

    /// Every superseded version of a cell, oldest first (the current one is not included:
    /// read it with [`Store::values`]).
    pub async fn value_history(
        &self,
        region_code: &str,
        period: Period,
        indicator: &str,
    ) -> Result<Vec<PastValue>> {
        let sql = format!(
            "SELECT {VALUE_COLUMNS}, replaced_by, replaced_at FROM value_history \
             WHERE region_code = $1 AND period = $2 AND indicator_id = $3 ORDER BY id"
        );
        let action = format!("reading the history of {region_code} {period} {indicator}");
        let rows = sqlx::query(dynamic_sql(sql))
            .bind(region_code)
            .bind(period.to_string())
            .bind(indicator)
            .fetch_all(&self.pool)
            .await
            .map_err(|e| StoreError::read(action, e))?;
        rows.iter()
            .map(|row| {
                let text = |i: usize| {
                    row.try_get::<String, _>(i)
                        .map_err(|e| StoreError::Corrupt {
                            what: format!("value_history column {i}: {e}"),
                        })
                };
                Ok(PastValue {
                    value: value_from_row(row)?,
                    replaced_by: text(13)?,
                    replaced_at: text(14)?,
                })
            })
            .collect()
    }
}

impl ValueImport {
    /// Adds the next part of the import: classifies its values against the store (and the
    /// parts before it) and writes what changes. After an error the import can only be
    /// rolled back.
    pub async fn add(&mut self, rows: &[DataValue]) -> Result<()> {
        if self.failed || self.prepared {
            return Err(StoreError::InvalidValues {
                message: "a part of this import was refused, or the import is complete: \
                          nothing more can be added"
                    .to_string(),
            });
        }
        self.failed = true;
        self.add_part(rows).await?;
        self.failed = false;
        Ok(())
    }

    async fn add_part(&mut self, rows: &[DataValue]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let offset = self.added;
        let action = || format!("importing values {}–{}", offset + 1, offset + rows.len());
        let fail = |e| StoreError::write(action(), e);
        check_rows(rows, offset)?;
        let (backend, actor, now) = (self.backend, self.actor.as_str(), self.now.as_str());
        let tx = &mut self.tx;
        let cells = Cells::new(rows, &self.regions, &self.indicators, offset)?;

        // What the cells hold now. Only the rows of periods the store held values of before
        // this import are compared (asking is one seek a period; the cells of this import's
        // earlier parts are told apart at the commit).
        let mut status = vec![Cell::New; rows.len()];
        let mut existing: HashMap<usize, DataValue> = HashMap::new();
        let mut stored_periods: HashSet<Period> = HashSet::new();
        for &period in cells.period_ids.keys() {
            let stored = match self.stored_before.get(&period) {
                Some(&stored) => stored,
                None => {
                    let sql = dynamic_sql(format!(
                        "SELECT 1 FROM value_cells WHERE period = {} LIMIT 1",
                        match backend {
                            Backend::Sqlite => "?",
                            Backend::Postgres => "$1",
                        }
                    ));
                    let stored = sqlx::query_scalar::<_, i64>(sql)
                        .bind(period.to_string())
                        .fetch_optional(&mut **tx)
                        .await
                        .map_err(fail)?
                        .is_some();
                    self.stored_before.insert(period, stored);
                    stored
                }
            };
            if stored {
                stored_periods.insert(period);
            }
        }
        if !stored_periods.is_empty() {
            let stored: Vec<(u64, usize)> = cells
                .sorted
                .iter()
                .copied()
                .filter(|&(_, i)| stored_periods.contains(&rows[i].period))
                .collect();
            compare_cells(tx, backend, rows, &stored, &mut status)
                .await
                .map_err(fail)?;
            let changed: Vec<(u64, usize)> = stored
                .into_iter()
                .filter(|&(_, i)| status[i] == Cell::Changed)
                .collect();
            for old in fetch_cells(tx, backend, rows, &changed, &action()).await? {
                if let Some(i) = cells.position(&old) {
                    existing.insert(i, old);
                }
            }
        }

        // Classify: new, unchanged, or changed; a published cell must not change.
        let mut outcome = ImportOutcome::default();
        let mut write = vec![false; rows.len()];
        let mut replaced: Vec<(&DataValue, &DataValue)> = Vec::new();
        for (i, v) in rows.iter().enumerate() {
            match (status[i], existing.get(&i)) {
                (Cell::Same, _) => outcome.unchanged += 1,
                (Cell::Changed, Some(old)) if same(old, v) => outcome.unchanged += 1,
                (Cell::Changed, Some(old)) => {
                    if old.state == ReviewState::Published && !old.is_simulated() {
                        let name = self.names.get(&v.region).map_or("", String::as_str);
                        return Err(StoreError::PublishedValue {
                            position: offset + i + 1,
                            cell: format!("{name} ({}) {} {}", v.region, v.period, v.indicator),
                            old: old.value,
                            new: v.value,
                        });
                    }
                    outcome.updated += 1;
                    write[i] = true;
                    replaced.push((old, v));
                }
                // New, or (never, under the write lock) changed but gone: written as new.
                (Cell::New | Cell::Changed, _) => {
                    outcome.inserted += 1;
                    write[i] = true;
                }
            }
        }
        // In key order: the table's b-tree grows at a few places instead of all over.
        let writes: Vec<(u64, &DataValue)> = cells
            .sorted
            .iter()
            .filter(|&&(_, i)| write[i])
            .map(|&(key, i)| (key, &rows[i]))
            .collect();

        // The audit log: each changed cell before and after (written with this part); new
        // cells counted by region and period (written at the commit).
        let mut records = Vec::with_capacity(replaced.len());
        for (old, new) in &replaced {
            let e = Entry::of(new, actor, now);
            let after = DataValue {
                state: stored_state(new),
                comment: comment(new).map(str::to_string),
                entered_by: e.entered_by.to_string(),
                entered_at: e.entered_at.to_string(),
                ..(*new).clone()
            };
            records.push(AuditRecord {
                action: "update",
                entity: "data_value",
                key: format!("{}/{}/{}", new.region, new.period, new.indicator),
                before: json(old),
                after: json(&after),
                note: self.note.clone(),
                simulated: old.is_simulated() && new.is_simulated(),
            });
        }
        // New cells by region and period: consecutive in key order.
        let mut current = None;
        let mut group: Option<&mut (usize, bool)> = None;
        for &(key, i) in &cells.sorted {
            if status[i] != Cell::New {
                continue;
            }
            let v = &rows[i];
            if current != Some(key >> KEY_BITS) || group.is_none() {
                current = Some(key >> KEY_BITS);
                group = Some(
                    self.groups
                        .entry((v.region.clone(), v.period))
                        .or_insert((0, true)),
                );
            }
            if let Some(g) = group.as_deref_mut() {
                g.0 += 1;
                g.1 &= v.is_simulated();
            }
        }

        // The old versions of changed cells, as they stood; then the new values.
        let history: Vec<&DataValue> = replaced.iter().map(|(old, _)| *old).collect();
        insert_many(
            tx,
            backend,
            (
                &format!(
                    "INSERT INTO value_history ({VALUE_COLUMNS}, replaced_by, replaced_at) VALUES "
                ),
                "",
            ),
            15,
            MIXED_BATCH,
            &history,
            |q, old| {
                bind_value(q, old, old.state, &old.entered_by, &old.entered_at)
                    .bind(actor)
                    .bind(now)
            },
        )
        .await
        .map_err(fail)?;
        if !writes.is_empty() {
            upsert_values(tx, backend, &writes, actor, now)
                .await
                .map_err(fail)?;
        }
        write_audit(tx, backend, now, actor, &records)
            .await
            .map_err(fail)?;

        // Numbered across parts for the check at the commit: this part's period numbers
        // (a few) turned into the import's, the region and indicator kept.
        let mut period_number = vec![0; cells.period_ids.len()];
        for (&period, &local) in &cells.period_ids {
            let next = self.period_numbers.len() as u64;
            period_number[local as usize] = *self.period_numbers.entry(period).or_insert(next);
        }
        for &(key, i) in &cells.sorted {
            let period = period_number[(key >> (2 * KEY_BITS)) as usize];
            self.cells.push((
                pack(period, region_of(key) as u64, indicator_of(key) as u64)?,
                offset + i,
            ));
        }
        self.parts += 1;
        self.added += rows.len();
        self.all_simulated &= rows.iter().all(DataValue::is_simulated);
        self.outcome.inserted += outcome.inserted;
        self.outcome.updated += outcome.updated;
        self.outcome.unchanged += outcome.unchanged;
        Ok(())
    }

    /// Completes the import short of committing it: refuses it if two parts gave the same
    /// cell, and writes the audit entries of the new cells and of the import as a whole. No
    /// part can be added after it; [`ValueImport::commit`] does it when it was not done.
    /// Apart from the commit so that the last work can go on beside something else (the
    /// file's last checks).
    pub async fn prepare(&mut self) -> Result<()> {
        if self.prepared {
            return Ok(());
        }
        if self.failed {
            return Err(StoreError::InvalidValues {
                message: "a part of this import was refused: nothing was imported".to_string(),
            });
        }
        self.failed = true;
        if self.parts > 1 {
            self.cells.sort_unstable();
            if let Some(w) = self.cells.windows(2).find(|w| w[0].0 == w[1].0) {
                let (first, again) = (w[0].1.min(w[1].1), w[0].1.max(w[1].1));
                let key = w[0].0;
                let period = self
                    .period_numbers
                    .iter()
                    .find(|&(_, &n)| n == key >> (2 * KEY_BITS))
                    .map(|(p, _)| p.to_string())
                    .unwrap_or_default();
                let name_of = |map: &HashMap<String, u64>, n: u64| {
                    map.iter()
                        .find(|&(_, &v)| v == n)
                        .map(|(k, _)| k.clone())
                        .unwrap_or_default()
                };
                let region = name_of(&self.regions, region_of(key) as u64);
                let indicator = name_of(&self.indicators, indicator_of(key) as u64);
                return Err(StoreError::InvalidValues {
                    message: format!(
                        "values {} and {} are both for {region} {period} {indicator}: give \
                         each cell once",
                        first + 1,
                        again + 1
                    ),
                });
            }
        }
        let outcome = self.outcome;
        if outcome.inserted + outcome.updated > 0 {
            let mut groups: Vec<((String, Period), (usize, bool))> = self.groups.drain().collect();
            groups.sort_by(|a, b| a.0.cmp(&b.0));
            let mut records: Vec<AuditRecord> = groups
                .into_iter()
                .map(|((region, period), (count, simulated))| AuditRecord {
                    action: "insert",
                    entity: "data_value",
                    key: format!("{region}/{period}"),
                    before: None,
                    after: Some(format!("{{\"inserted\":{count}}}")),
                    note: self.note.clone(),
                    simulated,
                })
                .collect();
            records.push(AuditRecord {
                action: "import",
                entity: "import",
                key: self.note.clone().unwrap_or_default(),
                before: None,
                after: json(&outcome),
                note: self.note.clone(),
                simulated: self.all_simulated,
            });
            write_audit(&mut self.tx, self.backend, &self.now, &self.actor, &records)
                .await
                .map_err(|e| StoreError::write(format!("importing {} values", self.added), e))?;
        }
        self.failed = false;
        self.prepared = true;
        Ok(())
    }

    /// Ends the import ([`ValueImport::prepare`] first, if it was not done) and commits it.
    /// An import that changed nothing leaves no trace, not even in the audit log.
    pub async fn commit(mut self) -> Result<ImportOutcome> {
        if let Err(e) = self.prepare().await {
            let _ = self.tx.rollback().await;
            return Err(e);
        }
        let outcome = self.outcome;
        if outcome.inserted + outcome.updated == 0 {
            // Nothing changed: leave no trace.
            let _ = self.tx.rollback().await;
            return Ok(outcome);
        }
        let added = self.added;
        finish(self.tx, Ok(outcome), || format!("importing {added} values")).await
    }

    /// Abandons the import: nothing of it stays.
    pub async fn rollback(self) {
        let _ = self.tx.rollback().await;
    }
}

/// Binds a value's 13 [`VALUE_COLUMNS`].
fn bind_value(
    q: crate::bulk::AnyQuery,
    v: &DataValue,
    state: ReviewState,
    entered_by: &str,
    entered_at: &str,
) -> crate::bulk::AnyQuery {
    q.bind(v.region.as_str())
        .bind(v.period.to_string())
        .bind(v.indicator.as_str())
        .bind(v.period.end_month())
        .bind(v.value)
        .bind_real(v.numerator)
        .bind_real(v.denominator)
        .bind(source_str(v.source))
        .bind(entered_by)
        .bind(entered_at)
        .bind(comment(v))
        .bind(state_str(state))
        .bind(i64::from(v.is_simulated()))
}

/// A query reading values packed, one row per period and region (`with` is a WITH clause or
/// empty; `from` names `data_values` as `d` and `entries` as `e`, with any join and WHERE). Rows cost far more than
/// bytes on their way from SQLite through sqlx (each is handed between threads), so a
/// region's values for a period travel as one text: per value, in indicator order, nine
/// fields — indicator, value, numerator, denominator, source, entered_by, entered_at,
/// comment, state — a text field as `-` (NULL) or its length in characters, `:` and the
/// text; a number as its exact text (or nothing) and `;`.
fn packed_values_sql(backend: Backend, with: &str, from: &str) -> String {
    let text = |e: &str| {
        format!("CASE WHEN {e} IS NULL THEN '-' ELSE CAST(length({e}) AS TEXT) || ':' || {e} END")
    };
    let real = |e: &str| {
        format!(
            "CASE WHEN {e} IS NULL THEN '' ELSE {} END || ';'",
            real_as_text(backend, e)
        )
    };
    let item = [
        text("d.indicator_id"),
        real("d.value"),
        real("d.numerator"),
        real("d.denominator"),
        text("e.source"),
        text("e.entered_by"),
        text("e.entered_at"),
        text("d.comment"),
        text("d.state"),
    ]
    .join(" || ");
    // Grouped by region number, in value_cells' key order, which SQLite reads without
    // sorting; PostgreSQL wants the code it selects grouped by too.
    let group = match backend {
        Backend::Sqlite => "d.period, d.region",
        Backend::Postgres => "d.period, d.region, d.region_code",
    };
    format!(
        "{with}SELECT d.period, d.region_code, string_agg({item}, '' ORDER BY d.indicator_id) \
         FROM {from} GROUP BY {group} ORDER BY d.period, d.region"
    )
}

/// Reads the values of one row of [`packed_values_sql`].
fn unpack(period: &str, region: &str, packed: &str) -> Result<Vec<DataValue>> {
    let corrupt = |what: &str| StoreError::Corrupt {
        what: format!("the values of {region} {period}: {what}"),
    };
    let period_value = Period::parse(period).ok_or_else(|| corrupt("not a period"))?;
    let mut rest = packed;
    let text = |rest: &mut &str| -> Result<Option<String>> {
        if let Some(after) = rest.strip_prefix('-') {
            *rest = after;
            return Ok(None);
        }
        let (count, after) = rest
            .split_once(':')
            .ok_or_else(|| corrupt("a text field without its length"))?;
        let count: usize = count
            .parse()
            .map_err(|_| corrupt("a text field's length is not a number"))?;
        let end = match after.char_indices().nth(count) {
            Some((i, _)) => i,
            None if after.chars().count() == count => after.len(),
            None => return Err(corrupt("a text field is cut short")),
        };
        *rest = &after[end..];
        Ok(Some(after[..end].to_string()))
    };
    let real = |rest: &mut &str| -> Result<Option<f64>> {
        let (number, after) = rest
            .split_once(';')
            .ok_or_else(|| corrupt("a number field without its end"))?;
        *rest = after;
        if number.is_empty() {
            return Ok(None);
        }
        number
            .parse()
            .map(Some)
            .map_err(|_| corrupt("a number that does not read"))
    };
    let mut out = Vec::new();
    while !rest.is_empty() {
        let indicator = text(&mut rest)?.ok_or_else(|| corrupt("a value without indicator"))?;
        let value = real(&mut rest)?.ok_or_else(|| corrupt("a NULL value"))?;
        let numerator = real(&mut rest)?;
        let denominator = real(&mut rest)?;
        let source = text(&mut rest)?.unwrap_or_default();
        let entered_by = text(&mut rest)?.unwrap_or_default();
        let entered_at = text(&mut rest)?.unwrap_or_default();
        let comment = text(&mut rest)?;
        let state = text(&mut rest)?.unwrap_or_default();
        out.push(DataValue {
            indicator,
            region: region.to_string(),
            period: period_value,
            value,
            numerator,
            denominator,
            source: parse_source(&source).ok_or_else(|| corrupt(&format!("source {source:?}")))?,
            entered_by,
            entered_at,
            comment,
            state: parse_state(&state).ok_or_else(|| corrupt(&format!("state {state:?}")))?,
        });
    }
    Ok(out)
}

/// Runs a [`packed_values_sql`] query, unpacking each row as it arrives.
async fn fetch_packed<'c, E>(
    query: crate::bulk::AnyQuery,
    executor: E,
    action: &str,
) -> Result<Vec<DataValue>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let groups = query
        .try_map(|row: AnyRow| {
            let get = |i: usize| row.try_get::<Option<String>, _>(i);
            let (period, region, packed) = (get(0)?, get(1)?, get(2)?);
            unpack(
                period.as_deref().unwrap_or(""),
                region.as_deref().unwrap_or(""),
                packed.as_deref().unwrap_or(""),
            )
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))
        })
        .fetch_all(executor)
        .await
        .map_err(|e| match e {
            sqlx::Error::Decode(inner) => match inner.downcast::<StoreError>() {
                Ok(store) => *store,
                Err(other) => StoreError::read(action, sqlx::Error::Decode(other)),
            },
            other => StoreError::read(action, other),
        })?;
    Ok(groups.into_iter().flatten().collect())
}
