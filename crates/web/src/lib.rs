//! minsheng's web application, served by `minsheng serve`: the pages every role works in
//! (Chinese first, English by a switch), the public pages under `/public`, the JSON API under
//! `/api/`, and the static files, all from one binary that works offline.
//!
//! - [`state`]: the store, settings, and the cache of computed views (kept until the store's
//!   change marker moves).
//! - [`auth`]: passwords, sessions, CSRF, rate limits, and what each role may do where.
//! - [`pages`]: the page frame and each area's pages; templates in `templates/` (askama,
//!   checked at compile time).
//! - [`i18n`]: the language of a request and every string in both languages.
//! - [`api`]: the JSON API under `/api/` and its OpenAPI document.
//! - [`assets`]: the stylesheet, script, ECharts and the county map, embedded.
//! - [`error`]: errors as pages and as JSON, never leaking internals.
//!
//! Handlers are thin: they read the request, call the store or `minsheng-app`, and render;
//! the rules live in the computation crates.

pub mod api;
pub mod assets;
pub mod auth;
pub mod demo;
pub mod error;
pub mod i18n;
pub mod pages;
pub mod state;

pub use error::{ApiError, AppError};
pub use state::{AppState, Config};

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Redirect;
use axum::routing::get;
use i18n::Lang;
use tower_http::csrf::CsrfLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .merge(auth::login::routes())
        .merge(api::routes())
        .merge(assets::routes())
        .route("/lang/{lang}", get(switch_language))
        .fallback(|| async { AppError::NotFound })
        .layer(CsrfLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .with_state(state)
}

/// `/lang/zh|en`: keeps the language in a cookie and goes back to the page it came from
/// (the `Referer`'s path, on this site only).
async fn switch_language(
    axum::extract::Path(code): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
    jar: axum_extra::extract::CookieJar,
) -> (axum_extra::extract::CookieJar, Redirect) {
    let lang = Lang::parse(&code).unwrap_or_default();
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.parse::<axum::http::Uri>().ok())
        .and_then(|u| u.path_and_query().map(|p| p.as_str().to_string()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/lang/"))
        .unwrap_or_else(|| "/".to_string());
    let back = back.as_str();
    let cookie = axum_extra::extract::cookie::Cookie::build((i18n::LANG_COOKIE, lang.code()))
        .path("/")
        .max_age(cookie::time::Duration::days(365))
        .build();
    (jar.add(cookie), Redirect::to(back))
}

/// Serves the application on `listener` until Ctrl-C.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
