//! minsheng-report: 评估报告 — an evaluation run rendered as officials write reports: a Word
//! document, an Excel workbook, a self-contained HTML page, and the public summary (公示).
//!
//! Pure: the caller fills a [`ReportInput`] (the run's [`EvaluationResult`], the plan, names of
//! regions and indicators, trend series) and gets bytes back; nothing here reads or writes a
//! file. Every format renders the same [`content`] (sections 一 … 六 and 附), so the numbers in
//! the .docx, the .xlsx and the .html are the same numbers.
//!
//! - [`input`]: the view model the caller fills.
//! - [`content`]: the report's sections, tables and charts, computed once from the input.
//! - [`docx`]: Word, written with zip + quick-xml; charts are native DrawingML chart parts.
//! - [`xlsx`]: Excel, written with rust_xlsxwriter: number formats, frozen headers, autofilter,
//!   native charts.
//! - [`html`]: one offline HTML file, inline CSS and inline SVG charts; and the 公示.
//!
//! Simulated data (模拟数据) is labelled in every output: docx title page and page header,
//! every sheet's first row and print header, the html banner.

pub mod content;
pub mod docx;
mod error;
pub mod html;
pub mod input;
pub mod sample;
pub mod xlsx;

pub use docx::docx;
pub use error::ReportError;
pub use html::{html, public_summary_html};
pub use input::{
    DomainTasks, IndicatorInfo, PlanInfo, PlanTarget, RegionInfo, ReportInput, TaskInfo,
    TrendSeries,
};
pub use minsheng_evaluate::EvaluationResult;
pub use xlsx::xlsx;
