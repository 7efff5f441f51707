//! Opening the store, and the reference data every store command expects to find in it.

use anyhow::Context;
use minsheng_catalog::Catalog;
use minsheng_store::{IndicatorRow, Store};
use std::process::ExitCode;

/// `./minsheng.db`, created on first use.
pub const DEFAULT_DB: &str = "sqlite://minsheng.db";

/// The reviewed indicator catalog, built into the binary (the file is data/catalog/indicators.toml).
pub const CATALOG_TOML: &str = include_str!("../../../data/catalog/indicators.toml");

/// Runs a store command on a runtime of its own.
pub fn block_on<F: std::future::Future<Output = anyhow::Result<ExitCode>>>(
    f: F,
) -> anyhow::Result<ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(f)
}

/// Opens the store and makes sure the region hierarchy is in it (loaded from the copy built
/// into the binary on first use).
pub async fn open(url: &str) -> anyhow::Result<Store> {
    let store = Store::open(url).await?;
    if store.region_count().await? == 0 {
        let rows = minsheng_store::regions_csv(minsheng_store::REGIONS_CSV)?;
        let n = store.load_regions(&rows).await?;
        eprintln!("首次使用：已载入行政区划 {n} 条 (first use: loaded {n} regions)");
    }
    Ok(store)
}

/// The catalog: from `file` when given, else the one built in.
pub fn catalog(file: Option<&std::path::Path>) -> anyhow::Result<Catalog> {
    let text = match file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the catalog {}", path.display()))?,
        None => CATALOG_TOML.to_string(),
    };
    let origin = file.map_or_else(
        || "data/catalog/indicators.toml".to_string(),
        |p| p.display().to_string(),
    );
    Catalog::from_toml(&text)
        .with_context(|| format!("the indicator catalog {origin} has a mistake"))
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
