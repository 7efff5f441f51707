//! The errors of rendering.

use thiserror::Error;

/// Why a report could not be rendered.
#[derive(Debug, Error)]
pub enum ReportError {
    /// 公示 is only for a published run.
    #[error("评估结果 {run} 尚未公开，不能生成公示 (run {run} is not published)")]
    NotPublished { run: String },
    #[error("writing the Excel workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("writing the Word document: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("rewriting a chart part: {0}")]
    Xml(#[from] quick_xml::Error),
    #[error("writing XML: {0}")]
    Io(#[from] std::io::Error),
}
