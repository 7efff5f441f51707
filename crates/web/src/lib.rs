//! minsheng's web application (issue 6) — phase 1, in progress.
//!
//! Built so far: [`error`] (the HTTP error types for pages and the API, never leaking
//! internals) and [`i18n`] (Chinese by default, English by `?lang=en` or the `lang` cookie;
//! every string in one table). Not yet built: the router, state, auth (passwords, sessions,
//! CSRF, rate limit, role and scope helpers), pages, API, assets and bootstrap — see the
//! report of branch h-web. The store side (accounts, sessions, login attempts) is in
//! `minsheng-store`'s `web` module.

pub mod error;
pub mod i18n;

pub use error::{ApiError, AppError};
