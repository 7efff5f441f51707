//! 导入: what an import is checked against, shared by `minsheng import` and the web API's
//! `POST /api/values` and the reporting pages — the catalog's indicators, every region by
//! code, full name and short name — the stored values a file is compared with (for the jump
//! check and to warn of a replacement: only its own cells' values, never the whole store),
//! and a
//! DHIS2 dataValueSet (JSON) turned into the CSV the collect crate validates, so both paths
//! check values with the same rules.

use crate::{AppError, Result};
use minsheng_catalog::Catalog;
use minsheng_collect::{ImportContext, ImportReport, KnownRegion, PreviousValue};
use minsheng_model::{DataValue, Period};
use minsheng_store::{ImportOutcome, Store};
use serde::{Deserialize, Serialize};

/// The import context for `actor`, now: every indicator of `catalog`, every stored region;
/// `jump_threshold` 0 turns the jump check off. Its `previous` values are empty: [`read`]
/// fetches those of the file's own cells, [`previous_of_region`] those of one region.
pub async fn context(
    store: &Store,
    catalog: &Catalog,
    actor: &str,
    jump_threshold: f64,
) -> Result<ImportContext> {
    let regions: Vec<KnownRegion> = store
        .list_regions(None, None)
        .await?
        .into_iter()
        .map(|r| {
            let short = minsheng_store::region_short_name(&r.name);
            KnownRegion {
                code: r.code,
                names: vec![r.name, short],
            }
        })
        .collect();
    let mut ctx = ImportContext::from_catalog(
        catalog,
        regions,
        actor.to_string(),
        jiff::Timestamp::now().to_string(),
    );
    ctx.jump_threshold = (jump_threshold > 0.0).then_some(jump_threshold);
    Ok(ctx)
}

/// Reads and checks a file (xlsx or CSV) against `ctx` and against the stored values of the
/// file's own cells: all that the import then stores, or every error.
pub async fn read(
    store: &Store,
    file_name: &str,
    bytes: &[u8],
    ctx: &ImportContext,
) -> Result<ImportReport> {
    let checked = minsheng_collect::check(file_name, bytes, ctx);
    let previous = previous_values(store, checked.rows()).await?;
    Ok(checked.finish(&previous))
}

/// Rows per batch handed from the check to the store in [`read_and_store`].
const STORE_BATCH: usize = 100_000;

/// Reads, checks and imports a file (`minsheng import`): the rows checked so far are
/// stored, in one transaction, while the rest of the file is checked on another thread, and
/// the transaction is committed only when the whole file is checked without an error. Returns the report and, when it has no error, what
/// the import did; with any error, or if storing fails, nothing is imported.
///
/// A store that cannot read beside an open write (SQLite in memory: one connection) is
/// read, checked and written one step after the other.
pub async fn read_and_store(
    store: &Store,
    file_name: &str,
    bytes: Vec<u8>,
    ctx: &ImportContext,
    actor: &str,
    note: &str,
) -> Result<(ImportReport, Option<ImportOutcome>)> {
    read_and_store_in(store, file_name, bytes, ctx, actor, note, STORE_BATCH).await
}

/// [`read_and_store`], handing rows to the store in batches of `batch`.
async fn read_and_store_in(
    store: &Store,
    file_name: &str,
    bytes: Vec<u8>,
    ctx: &ImportContext,
    actor: &str,
    note: &str,
    batch: usize,
) -> Result<(ImportReport, Option<ImportOutcome>)> {
    if store.pool().options().get_max_connections() < 2 {
        let report = read(store, file_name, &bytes, ctx).await?;
        if !report.errors.is_empty() {
            return Ok((report, None));
        }
        let outcome = store.import_values(&report.rows, actor, note).await?;
        return Ok((report, Some(outcome)));
    }
    let mut import = store.begin_import(actor, note).await?;
    let (batches, mut handed) = tokio::sync::mpsc::channel::<(Vec<DataValue>, usize)>(2);
    let (give_back, given) =
        tokio::sync::oneshot::channel::<(Vec<DataValue>, Vec<PreviousValue>)>();
    let (name, ctx_owned) = (file_name.to_string(), ctx.clone());
    let checking = tokio::task::spawn_blocking(move || {
        let mut checked = minsheng_collect::check_handing_over(
            &name,
            &bytes,
            &ctx_owned,
            batch,
            move |rows, errors| {
                // The receiver is gone only when the import was abandoned.
                let _ = batches.blocking_send((rows, errors));
            },
        );
        let (rows, previous) = given.blocking_recv().ok()?;
        checked.put_back(rows);
        Some(checked.finish(&previous))
    });

    // Store each batch as it comes, until a batch comes after an error or storing fails.
    let mut rows: Vec<DataValue> = Vec::new();
    let mut storing: Result<()> = Ok(());
    while let Some((batch, errors)) = handed.recv().await {
        if errors == 0 && storing.is_ok() {
            storing = import.add(&batch).await.map_err(AppError::from);
        }
        rows.extend(batch);
    }
    // The stored values the file is compared with, as they were before this import (read
    // beside the open write, which they do not see).
    let previous = match previous_values(store, &rows).await {
        Ok(previous) => previous,
        Err(e) => {
            import.rollback().await;
            return Err(e);
        }
    };
    let _ = give_back.send((rows, previous));
    // The file's last checks beside the import's last writes; the commit waits for both.
    let (checked, prepared) = if storing.is_ok() {
        let (checked, prepared) = tokio::join!(checking, import.prepare());
        (checked, prepared.map_err(AppError::from))
    } else {
        (checking.await, Ok(()))
    };
    let report = match checked {
        Ok(Some(report)) => report,
        _ => {
            import.rollback().await;
            return Err(AppError::Refused(format!(
                "checking {file_name} stopped before its end; nothing was imported"
            )));
        }
    };
    let storing = storing.and(prepared);
    if !report.errors.is_empty() {
        import.rollback().await;
        return Ok((report, None));
    }
    if let Err(e) = storing {
        import.rollback().await;
        return Err(e);
    }
    let outcome = import.commit().await?;
    Ok((report, Some(outcome)))
}

/// The stored values a file's rows are compared with (the previous period for the jump check,
/// the same period to warn of a replacement): those of the file's regions and indicators, of
/// periods up to the file's last. Stored values of other cells or later periods change
/// nothing in the checks, so they are not read.
pub async fn previous_values(store: &Store, rows: &[DataValue]) -> Result<Vec<PreviousValue>> {
    let Some(last) = rows.iter().map(|v| v.period).max_by_key(|p| p.end_month()) else {
        return Ok(Vec::new());
    };
    // Rows come in runs of one region or indicator: skip repeats before hashing.
    let distinct = |f: fn(&DataValue) -> &str| {
        let mut seen = std::collections::HashSet::new();
        let mut list: Vec<&str> = Vec::new();
        let mut last = None;
        for x in rows.iter().map(f) {
            if last != Some(x) && seen.insert(x) {
                list.push(x);
            }
            last = Some(x);
        }
        list
    };
    let regions = distinct(|v| v.region.as_str());
    let indicators = distinct(|v| v.indicator.as_str());
    previous_of(store, &regions, &indicators, last).await
}

/// The stored values of `region` for every indicator of `ctx`, up to `period`: what a web
/// form for that region and period is compared with.
pub async fn previous_of_region(
    store: &Store,
    ctx: &ImportContext,
    region: &str,
    period: Period,
) -> Result<Vec<PreviousValue>> {
    let indicators: Vec<&str> = ctx.indicators.iter().map(|i| i.id.as_str()).collect();
    previous_of(store, &[region], &indicators, period).await
}

async fn previous_of(
    store: &Store,
    regions: &[&str],
    indicators: &[&str],
    to: Period,
) -> Result<Vec<PreviousValue>> {
    Ok(store
        .values_of_cells(regions, indicators, Some(to))
        .await?
        .into_iter()
        .map(|v| PreviousValue {
            indicator: v.indicator,
            region: v.region,
            period: v.period,
            value: v.value,
        })
        .collect())
}

/// One value of a DHIS2 dataValueSet (`{"dataValues": [...]}`), as sent to the API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataValueEntry {
    /// The indicator: catalog id, name or synonym (DHIS2 `dataElement`).
    #[serde(default)]
    pub data_element: String,
    /// `2024`, `2024Q1`, `202401`.
    #[serde(default)]
    pub period: String,
    /// The region: code or name (DHIS2 `orgUnit`).
    #[serde(default)]
    pub org_unit: String,
    /// The number, as text or as a JSON number.
    #[serde(default, deserialize_with = "text_or_number")]
    pub value: String,
    #[serde(default)]
    pub comment: Option<String>,
}

fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum V {
        S(String),
        N(serde_json::Number),
        Null(()),
    }
    Ok(match V::deserialize(d)? {
        V::S(s) => s,
        V::N(n) => n.to_string(),
        V::Null(()) => String::new(),
    })
}

/// The entries as a DHIS2 CSV (header `dataelement,period,orgunit,value,comment`): entry `i`
/// is row `i + 2` of the collect crate's report.
pub fn data_value_set_csv(entries: &[DataValueEntry]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| crate::AppError::Refused(format!("cannot write the values: {e}"));
    w.write_record(["dataelement", "period", "orgunit", "value", "comment"])
        .map_err(io)?;
    for e in entries {
        w.write_record([
            e.data_element.as_str(),
            e.period.as_str(),
            e.org_unit.as_str(),
            e.value.as_str(),
            e.comment.as_deref().unwrap_or(""),
        ])
        .map_err(io)?;
    }
    w.into_inner()
        .map_err(|e| crate::AppError::Refused(format!("cannot write the values: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store with regions and the catalog, its file in `dir` (several connections) or in
    /// memory (one), and the import context of `clerk`.
    async fn ready(dir: Option<&std::path::Path>) -> (Store, ImportContext) {
        let url = match dir {
            Some(dir) => format!("sqlite://{}", dir.join("m.db").display()),
            None => "sqlite::memory:".to_string(),
        };
        let (store, _) = crate::open(&url).await.unwrap();
        let catalog = crate::catalog().unwrap();
        store
            .save_indicators(&crate::indicator_rows(&catalog))
            .await
            .unwrap();
        let ctx = context(&store, &catalog, "clerk", 0.0).await.unwrap();
        (store, ctx)
    }

    /// Seven values of 楚雄市 (2023Q1 … 2024Q3), and `extra` lines after them.
    fn csv(extra: &str) -> Vec<u8> {
        let mut text = String::from("dataelement,period,orgunit,value\n");
        for (k, period) in [
            "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3",
        ]
        .iter()
        .enumerate()
        {
            text.push_str(&format!(
                "infant_mortality,{period},532301,{}\n",
                5.0 - k as f64 * 0.1
            ));
        }
        text.push_str(extra);
        text.into_bytes()
    }

    /// A bad value in the last batch, or a cell given again three batches later, leaves the
    /// store as it was (the batches before were stored, then rolled back), and the report
    /// says why; a clean file is stored in batches of two while the rest is checked, all
    /// seven once, and again changes nothing; an in-memory store (one connection) imports
    /// one step after the other.
    #[test]
    fn files_are_stored_while_checked_and_only_when_all_is_right() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let (store, ctx) = ready(Some(dir.path())).await;
            let import = |bytes: Vec<u8>| {
                read_and_store_in(&store, "q.csv", bytes, &ctx, "clerk", "import q.csv", 2)
            };
            let logged = store.audit(&Default::default()).await.unwrap().len();
            let (bad, outcome) = import(csv("infant_mortality,2024Q4,532301,九十\n"))
                .await
                .unwrap();
            assert!(outcome.is_none());
            assert_eq!(bad.errors.len(), 1);
            assert_eq!(bad.errors[0].row, 9);
            let (twice, outcome) = import(csv("infant_mortality,2023Q2,532301,4.0\n"))
                .await
                .unwrap();
            assert!(outcome.is_none());
            assert!(
                twice.errors[0].message_en.contains("duplicates row 3"),
                "{:?}",
                twice.errors
            );
            // The first batches were stored before the error was found: rolled back.
            assert_eq!(store.value_count().await.unwrap(), 0);
            assert_eq!(
                store.audit(&Default::default()).await.unwrap().len(),
                logged
            );

            let (report, outcome) = import(csv("")).await.unwrap();
            assert!(report.errors.is_empty(), "{:?}", report.errors);
            assert_eq!(outcome.unwrap().inserted, 7);
            assert_eq!(store.value_count().await.unwrap(), 7);
            let (_, again) = import(csv("")).await.unwrap();
            assert_eq!(again.unwrap().unchanged, 7);

            let (memory, ctx) = ready(None).await;
            let (report, outcome) =
                read_and_store_in(&memory, "q.csv", csv(""), &ctx, "clerk", "q", 2)
                    .await
                    .unwrap();
            assert!(report.errors.is_empty());
            assert_eq!(outcome.unwrap().inserted, 7);
        });
    }

    #[test]
    fn entries_become_dhis2_csv_rows_in_order() {
        let entries: Vec<DataValueEntry> = serde_json::from_str(
            r#"[{"dataElement":"a","period":"2024Q1","orgUnit":"532301","value":95.5,"comment":"备注, 含逗号"},
                {"dataElement":"b","period":"2024","orgUnit":"楚雄市","value":"九十"}]"#,
        )
        .unwrap();
        let text = String::from_utf8(data_value_set_csv(&entries).unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "dataelement,period,orgunit,value,comment");
        assert_eq!(lines[1], "a,2024Q1,532301,95.5,\"备注, 含逗号\"");
        assert_eq!(lines[2], "b,2024,楚雄市,九十,");
    }
}
