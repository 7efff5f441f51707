//! The static files, built into the binary (government intranets have no internet): our
//! stylesheet and script (`assets/`), Apache ECharts and the Yunnan county boundaries
//! (`vendor/`, each with its licence and origin in its README), served under `/assets/`.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

use crate::state::AppState;

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Own;

#[derive(RustEmbed)]
#[folder = "../../vendor/"]
#[include = "echarts/dist/echarts.min.js"]
#[include = "echarts/LICENSE"]
#[include = "geo/yunnan-counties.json"]
struct Vendor;

/// The URL names of vendored files: `/assets/<name>`.
const VENDORED: &[(&str, &str)] = &[
    ("echarts.min.js", "echarts/dist/echarts.min.js"),
    ("echarts-LICENSE.txt", "echarts/LICENSE"),
    ("yunnan-counties.json", "geo/yunnan-counties.json"),
];

pub fn routes() -> Router<AppState> {
    Router::new().route("/assets/{*path}", get(asset))
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        _ => "text/plain; charset=utf-8",
    }
}

async fn asset(Path(path): Path<String>) -> Response {
    let file = Own::get(&path).or_else(|| {
        VENDORED
            .iter()
            .find(|(name, _)| *name == path)
            .and_then(|(_, inner)| Vendor::get(inner))
    });
    match file {
        Some(f) => (
            [
                (header::CONTENT_TYPE, content_type(&path)),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            f.data.into_owned(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
