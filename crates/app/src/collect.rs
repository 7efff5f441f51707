//! 填报: what the CLI (`minsheng template | import`) and the web's reporting pages share —
//! the indicators a region must report for a period (its own targets first, then its
//! ancestors'; the nearest one stands) with their last values. What an import is checked
//! against is [`crate::import::context`].

use crate::Result;
use crate::monitor::Inputs;
use minsheng_collect::{TemplateRequest, TemplateRow, TemplateTarget};
use minsheng_model::Period;
use minsheng_store::{RegionRow, Store, ValueFilter};

/// The reporting workbook's content for `region` and `period`: one row per indicator with a
/// target in the region's plan or an ancestor's, optionally only those of tasks whose lead
/// unit contains `department` (卫生健康). An empty `rows` means nothing to report.
pub async fn template_request(
    store: &Store,
    inputs: &Inputs,
    region: &RegionRow,
    period: Period,
    department: Option<&str>,
) -> Result<TemplateRequest> {
    let mut chain = vec![region.code.clone()];
    let mut cursor = region.parent.clone();
    while let Some(code) = cursor {
        cursor = store.region(&code).await?.and_then(|r| r.parent);
        chain.push(code);
    }
    let values = store
        .values(&ValueFilter {
            region: Some(region.code.clone()),
            ..ValueFilter::default()
        })
        .await?;
    let mut rows: Vec<TemplateRow> = Vec::new();
    for code in &chain {
        for t in inputs.targets.iter().filter(|t| &t.region == code) {
            if rows.iter().any(|r| r.indicator_id == t.indicator) {
                continue;
            }
            if let Some(dept) = department
                && !t.lead_units.iter().any(|u| u.contains(dept))
            {
                continue;
            }
            let Some(entry) = inputs.catalog.get(&t.indicator) else {
                continue;
            };
            let last_value = values
                .iter()
                .filter(|v| {
                    v.region == region.code && v.indicator == t.indicator && v.period < period
                })
                .max_by_key(|v| v.period)
                .map(|v| (v.period, v.value));
            rows.push(TemplateRow {
                indicator_id: entry.id.clone(),
                indicator_name: entry.name.clone(),
                unit: entry.unit.clone(),
                kind: entry.kind,
                target: Some(TemplateTarget {
                    op: t.op,
                    value: t.value,
                    year: Some(t.year),
                }),
                last_value,
                lead_unit: t.lead_units.first().cloned(),
            });
        }
    }
    Ok(TemplateRequest {
        region_code: region.code.clone(),
        region_name: region.name.clone(),
        period,
        department: department.map(str::to_string),
        rows,
    })
}
