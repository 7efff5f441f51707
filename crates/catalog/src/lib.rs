//! minsheng-catalog: the indicator catalog (指标库) and linking plan wordings to it (对应).
//!
//! Plans word one indicator many ways (适龄儿童免疫规划疫苗接种率, 适龄儿童免疫疫苗接种率) and
//! two indicators nearly alike (城镇调查失业率, 城镇登记失业率). The catalog is a reviewed,
//! human-editable TOML file (`data/catalog/indicators.toml`) of canonical indicators: a stable
//! id, Chinese and English names, the wordings seen in plans, unit, polarity, kind, how it
//! aggregates up the hierarchy and, for rates, numerator and denominator.
//!
//! - [`indicator`]: the entry types (指标, 指标属性, 指标类型, 汇总方式).
//! - [`parse`](Catalog::from_toml): reading and checking the TOML text.
//! - [`key`]: the compare key (比较键) under which wordings are the same.
//! - [`similar`]: similarity and distinguishing words (相似度与区分词).
//! - [`unit`]: unit families and conversions (单位).
//! - [`Catalog`]: linking ([`Catalog::link`]) and suggestions ([`Catalog::suggest`]).
//!
//! No I/O: the caller reads the file and passes its text.

mod catalog;
mod error;
pub mod indicator;
pub mod key;
mod parse;
pub mod similar;
pub mod unit;

pub use catalog::{AMBIGUITY_MARGIN, Catalog, How, LINK_THRESHOLD, Link, Suggestion};
pub use error::CatalogError;
pub use indicator::{Aggregation, Indicator, Kind, Polarity};
pub use key::compare_key;
pub use unit::{convert, units_compatible};
