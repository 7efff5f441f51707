//! minsheng-app: the operations both front ends perform over the store — the `minsheng`
//! command line and the web application (`minsheng serve`) call these, so a plan loaded,
//! an assessment computed or a report rendered is the same whichever door it came through.
//!
//! - [`open`]: the store with its region hierarchy (loaded from the copy built into the
//!   binary on first use) and the built-in indicator catalog ([`catalog`]).
//! - [`plans`]: a plan document into the store, every target linked to the catalog; the five
//!   bundled plans ([`plans::BUNDLED`]).
//! - [`align`]: 对标 — every stored plan's targets against its parent region's plans.
//! - [`monitor`]: what every monitoring view reads ([`monitor::Inputs`]): hierarchy, catalog,
//!   the stored plans' targets in the catalog's units, the values as a column table, and task
//!   progress with titles and lead units.
//! - [`evaluation`]: an evaluation run computed from frozen values, stored, and recomputed.
//! - [`collect`]: 填报 — the indicators a region reports and the context imports are checked against.
//! - [`report`]: a stored run rendered as docx, xlsx, html or the public summary (公示).
//! - [`bootstrap`]: a fresh store made ready to show: regions, catalog, bundled plans and
//!   labelled demo data (模拟数据).
//!
//! Business rules stay in the computation crates (`assess`, `evaluate`); this crate only
//! fetches, converts and hands over.

pub mod align;
pub mod bootstrap;
pub mod collect;
mod error;
pub mod evaluation;
pub mod monitor;
pub mod plans;
pub mod report;

pub use error::{AppError, Result};

use minsheng_catalog::Catalog;
use minsheng_store::{IndicatorRow, Store};

/// The reviewed indicator catalog, built into the binary (the file is data/catalog/indicators.toml).
pub const CATALOG_TOML: &str = include_str!("../../../data/catalog/indicators.toml");

/// Opens the store and makes sure the region hierarchy is in it (loaded from the copy built
/// into the binary on first use; the count loaded is returned beside the store).
pub async fn open(url: &str) -> Result<(Store, usize)> {
    let store = Store::open(url).await?;
    let mut loaded = 0;
    if store.region_count().await? == 0 {
        let rows = minsheng_store::regions_csv(minsheng_store::REGIONS_CSV)?;
        loaded = store.load_regions(&rows).await?;
    }
    Ok((store, loaded))
}

/// The built-in catalog.
pub fn catalog() -> Result<Catalog> {
    catalog_from(CATALOG_TOML, "data/catalog/indicators.toml")
}

/// A catalog from TOML text; `origin` names it in the error.
pub fn catalog_from(text: &str, origin: &str) -> Result<Catalog> {
    Catalog::from_toml(text).map_err(|source| AppError::Catalog {
        origin: origin.to_string(),
        source,
    })
}

/// The catalog's entries as the store keeps them.
pub fn indicator_rows(catalog: &Catalog) -> Vec<IndicatorRow> {
    catalog
        .entries()
        .iter()
        .map(|e| IndicatorRow {
            id: e.id.clone(),
            name: e.name.clone(),
            unit: e.unit.clone(),
            polarity: e.polarity.as_str().to_string(),
            kind: e.kind.as_str().to_string(),
            aggregation: e.aggregation.as_str().to_string(),
            synonyms: e.synonyms.clone(),
        })
        .collect()
}
