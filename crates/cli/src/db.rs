//! Opening the store, and the reference data every store command expects to find in it.

use anyhow::Context;
use minsheng_catalog::Catalog;
use minsheng_store::Store;
use std::process::ExitCode;

/// `./minsheng.db`, created on first use.
pub const DEFAULT_DB: &str = "sqlite://minsheng.db";

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
    let (store, n) = minsheng_app::open(url).await?;
    if n > 0 {
        eprintln!("首次使用：已载入行政区划 {n} 条 (first use: loaded {n} regions)");
    }
    Ok(store)
}

/// The catalog: from `file` when given, else the one built in.
pub fn catalog(file: Option<&std::path::Path>) -> anyhow::Result<Catalog> {
    Ok(match file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the catalog {}", path.display()))?;
            minsheng_app::catalog_from(&text, &path.display().to_string())?
        }
        None => minsheng_app::catalog()?,
    })
}
