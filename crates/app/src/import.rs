//! 导入: what an import is checked against, shared by `minsheng import` and the web API's
//! `POST /api/values` and the reporting pages — the catalog's indicators, every region by
//! code, full name and short name — the stored values a file is compared with (for the jump
//! check and to warn of a replacement: only its own cells' values, never the whole store),
//! and a
//! DHIS2 dataValueSet (JSON) turned into the CSV the collect crate validates, so both paths
//! check values with the same rules.

use crate::Result;
use minsheng_catalog::Catalog;
use minsheng_collect::{ImportContext, ImportReport, KnownRegion, PreviousValue};
use minsheng_model::{DataValue, Period};
use minsheng_store::Store;
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
