//! The indicator catalogue: what targets are matched against.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::{Result, Store, StoreError, dynamic_sql, finish, placeholders};

/// One catalogue indicator. The text fields are free-form here; the catalogue's owner
/// decides their vocabulary (polarity `higher_better`/`lower_better`, aggregation `mean` …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorRow {
    /// Stable id, referred to by stored targets.
    pub id: String,
    /// The canonical Chinese name (婴儿死亡率).
    pub name: String,
    /// The canonical unit (‰, %, 个 …).
    pub unit: String,
    /// Which direction is better.
    pub polarity: String,
    /// What sort of quantity it is (rate, count, amount …).
    pub kind: String,
    /// How values of lower regions combine into a higher one.
    pub aggregation: String,
    /// Other names plans use for it; stored as a JSON array.
    pub synonyms: Vec<String>,
}

/// Rows per multi-row INSERT: 7 values each.
const INDICATOR_BATCH: usize = 500;

impl Store {
    /// Makes the catalogue exactly `entries`, in one transaction: new ids are added, known
    /// ids updated, the rest deleted. If a deleted indicator is still referred to by a
    /// stored target or a reported value the whole call fails and nothing changes. Returns
    /// how many were written.
    pub async fn save_indicators(&self, entries: &[IndicatorRow]) -> Result<usize> {
        let action = || format!("saving {} indicators", entries.len());
        let mut seen = HashSet::with_capacity(entries.len());
        if let Some(dup) = entries.iter().find(|e| !seen.insert(e.id.as_str())) {
            return Err(StoreError::InvalidIndicators {
                message: format!("indicator id {:?} appears twice", dup.id),
            });
        }
        let mut tx = self
            .begin_write()
            .await
            .map_err(|e| StoreError::write(action(), e))?;
        let result = async {
        for batch in entries.chunks(INDICATOR_BATCH) {
            let sql = format!(
                "INSERT INTO indicators (id, name, unit, polarity, kind, aggregation, synonyms) \
                 VALUES {} ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
                 unit = excluded.unit, polarity = excluded.polarity, kind = excluded.kind, \
                 aggregation = excluded.aggregation, synonyms = excluded.synonyms",
                placeholders(self.backend, batch.len(), 7)
            );
            let mut query = sqlx::query(dynamic_sql(sql));
            for e in batch {
                let synonyms =
                    serde_json::to_string(&e.synonyms).map_err(|err| StoreError::Corrupt {
                        what: format!("synonyms of {}: {err}", e.id),
                    })?;
                query = query
                    .bind(e.id.clone())
                    .bind(e.name.clone())
                    .bind(e.unit.clone())
                    .bind(e.polarity.clone())
                    .bind(e.kind.clone())
                    .bind(e.aggregation.clone())
                    .bind(synonyms);
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::write(action(), e))?;
        }
        let stored: Vec<String> = sqlx::query_scalar("SELECT id FROM indicators")
            .fetch_all(&mut *tx)
            .await
            .map_err(|e| StoreError::write(action(), e))?;
        for id in stored.into_iter().filter(|id| !seen.contains(id.as_str())) {
            // Reported values refer to indicators without a foreign key (it slowed imports):
            // check here what the key would have.
            let used: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM data_values WHERE indicator_id = $1 LIMIT 1")
                    .bind(id.clone())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| StoreError::write(action(), e))?;
            if used.is_some() {
                return Err(StoreError::InvalidIndicators {
                    message: format!(
                        "indicator {id:?} would be removed, but reported values refer to it; \
                         keep it in the catalogue"
                    ),
                });
            }
            sqlx::query("DELETE FROM indicators WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::write(action(), e))?;
        }
            Ok::<_, StoreError>(entries.len())
        }
        .await;
        finish(tx, result, action).await
    }

    /// The whole catalogue, by id.
    pub async fn indicators(&self) -> Result<Vec<IndicatorRow>> {
        let rows = sqlx::query(
            "SELECT id, name, unit, polarity, kind, aggregation, synonyms FROM indicators \
             ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(|e| StoreError::read("reading the indicator catalogue", e))?;
        rows.iter()
            .map(|row| {
                let text = |col: &str| -> Result<String> {
                    row.try_get::<String, _>(col)
                        .map_err(|e| StoreError::Corrupt {
                            what: format!("indicators.{col}: {e}"),
                        })
                };
                let id = text("id")?;
                let synonyms =
                    serde_json::from_str(&text("synonyms")?).map_err(|e| StoreError::Corrupt {
                        what: format!("synonyms of indicator {id}: {e}"),
                    })?;
                Ok(IndicatorRow {
                    name: text("name")?,
                    unit: text("unit")?,
                    polarity: text("polarity")?,
                    kind: text("kind")?,
                    aggregation: text("aggregation")?,
                    synonyms,
                    id,
                })
            })
            .collect()
    }
}
