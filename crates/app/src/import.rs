//! 导入: what an import is checked against, shared by `minsheng import` and the web API's
//! `POST /api/values` — the catalog's indicators, every region by code, full name and short
//! name, and the stored values (for the jump check and to warn of a replacement) — and a
//! DHIS2 dataValueSet (JSON) turned into the CSV the collect crate validates, so both paths
//! check values with the same rules.

use crate::Result;
use minsheng_catalog::Catalog;
use minsheng_collect::{ImportContext, KnownRegion, PreviousValue};
use minsheng_store::{Store, ValueFilter};
use serde::{Deserialize, Serialize};

/// The import context for `actor`, now: every indicator of `catalog`, every stored region,
/// every stored value; `jump_threshold` 0 turns the jump check off.
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
    let previous: Vec<PreviousValue> = store
        .values(&ValueFilter::default())
        .await?
        .into_iter()
        .map(|v| PreviousValue {
            indicator: v.indicator,
            region: v.region,
            period: v.period,
            value: v.value,
        })
        .collect();
    let mut ctx = ImportContext::from_catalog(
        catalog,
        regions,
        actor.to_string(),
        jiff::Timestamp::now().to_string(),
    );
    ctx.previous = previous;
    ctx.jump_threshold = (jump_threshold > 0.0).then_some(jump_threshold);
    Ok(ctx)
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
