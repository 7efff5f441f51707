//! What every handler is given: the store, the server's settings, and a cache of what pages
//! computed, kept until the store's change marker moves.
//!
//! Assessment is computed live from the stored values (no nightly tables), but not on every
//! request: a computation is kept with the [`Store::change_marker`] it was made at, and made
//! again when the marker moves — after an import, a review step, a new plan or run, by this
//! process or another one sharing the store.

use crate::error::AppError;
use minsheng_app::monitor::Inputs;
use minsheng_assess::ValueTable;
use minsheng_model::Period;
use minsheng_store::{Store, ValueFilter};
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The server's settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (behind HTTPS). Off for plain http on an intranet or loopback.
    pub secure_cookies: bool,
    /// How long a sign-in lasts, in seconds.
    pub session_ttl_secs: i64,
    /// Failed sign-ins of one name from one address allowed within [`Config::login_window_secs`]
    /// before further attempts are refused with 429.
    pub max_failed_logins: i64,
    pub login_window_secs: i64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            secure_cookies: false,
            session_ttl_secs: 8 * 3600,
            max_failed_logins: 5,
            login_window_secs: 15 * 60,
        }
    }
}

type Cached = (String, Arc<dyn Any + Send + Sync>);

/// Shared by every handler (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    config: Config,
    cache: Mutex<HashMap<String, Cached>>,
}

/// What monitoring pages read: the inputs, the internal (approved and published) values as
/// a column table, and the period pages assess at by default.
pub struct Monitor {
    pub inputs: Inputs,
    pub table: ValueTable,
    /// The latest period any approved value is for (the default as-of), if any.
    pub latest: Option<Period>,
    /// Whether any of the values is 模拟数据.
    pub simulated: bool,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                store,
                config,
                cache: Mutex::new(HashMap::new()),
            }),
        }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The value kept under `key` if the store has not changed since it was computed; else
    /// `compute` runs and its result is kept. Two requests arriving together after a change
    /// may both compute; the later result wins, both are correct.
    pub async fn cached<T, F, Fut>(&self, key: &'static str, compute: F) -> Result<Arc<T>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(AppState) -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        self.cached_by(key.to_string(), compute).await
    }

    /// [`AppState::cached`] under a key made at run time (one entry per indicator, say);
    /// the caller bounds how many keys there can be.
    pub async fn cached_by<T, F, Fut>(&self, key: String, compute: F) -> Result<Arc<T>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(AppState) -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        let marker = self.store().change_marker().await?;
        let hit = {
            let cache = self.inner.cache.lock().map_err(AppError::internal)?;
            cache
                .get(&key)
                .filter(|(m, _)| *m == marker)
                .map(|(_, v)| Arc::clone(v))
        };
        if let Some(v) = hit.and_then(|v| v.downcast::<T>().ok()) {
            return Ok(v);
        }
        let value = Arc::new(compute(self.clone()).await?);
        let mut cache = self.inner.cache.lock().map_err(AppError::internal)?;
        cache.insert(
            key,
            (marker, Arc::clone(&value) as Arc<dyn Any + Send + Sync>),
        );
        Ok(value)
    }

    /// The monitoring inputs and values, from the cache when the store has not changed.
    pub async fn monitor(&self) -> Result<Arc<Monitor>, AppError> {
        self.cached("monitor", |state| async move {
            let store = state.store();
            let inputs = minsheng_app::monitor::inputs(store)
                .await
                .map_err(AppError::internal)?;
            let values = store.values(&ValueFilter::internal()).await?;
            let latest = values
                .iter()
                .map(|v| v.period)
                .max_by_key(|p| p.end_month());
            let simulated = values.iter().any(|v| v.is_simulated());
            let (table, _) =
                ValueTable::from_values(&values, &inputs.hierarchy, &inputs.indicators);
            Ok(Monitor {
                inputs,
                table,
                latest,
                simulated,
            })
        })
        .await
    }
}
