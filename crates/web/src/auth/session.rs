//! Sessions: the cookie, opening and ending one, and the signed-in user as an extractor.
//!
//! [`CurrentUser`] requires a session: a page without one redirects to `/login?next=…`, an
//! API call gets 401 JSON. [`MaybeUser`] never fails (public and mixed pages).

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use minsheng_store::{Session, User};

/// The session cookie.
pub const COOKIE: &str = "minsheng_session";

/// 256 random bits as 64 hex digits.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens a session for `user` and returns the cookie to set.
pub async fn open(state: &AppState, user: &User) -> Result<Cookie<'static>, AppError> {
    Ok(open_with_csrf(state, user).await?.0)
}

/// Opens a session for `user`: the cookie to set and the session's form token (the API
/// returns it for the `X-CSRF-Token` header).
pub async fn open_with_csrf(
    state: &AppState,
    user: &User,
) -> Result<(Cookie<'static>, String), AppError> {
    let token = random_token();
    let csrf = random_token();
    let ttl = state.config().session_ttl_secs;
    state
        .store()
        .create_session(user.id, &token, &csrf, ttl)
        .await?;
    let cookie = Cookie::build((COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config().secure_cookies)
        .max_age(cookie::time::Duration::seconds(ttl))
        .build();
    Ok((cookie, csrf))
}

/// The cookie that removes the session cookie.
pub fn removal() -> Cookie<'static> {
    Cookie::build((COOKIE, "")).path("/").build()
}

/// The live session of a request, if any.
async fn session_of(parts: &Parts, state: &AppState) -> Result<Option<Session>, AppError> {
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(token) = jar.get(COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    if token.len() != 64 {
        return Ok(None);
    }
    Ok(state.store().session(&token).await?)
}

/// The signed-in user and the session's form token.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Session);

impl CurrentUser {
    pub fn user(&self) -> &User {
        &self.0.user
    }

    /// Checks a submitted form token against the session's; refuses the request when they
    /// differ (a form from another site, or one left open across a sign-out).
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        if !submitted.is_empty() && submitted == self.0.csrf {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "表单已过期，请刷新页面后重试 (the form has expired: reload the page and try again)"
                    .into(),
            ))
        }
    }
}

/// Why a request without a session was refused.
pub enum NotSignedIn {
    /// A page: go to the sign-in page and come back.
    Page(String),
    /// An API call: 401.
    Api,
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        match self {
            NotSignedIn::Page(next) => {
                let next = form_urlencoded(&next);
                Redirect::to(&format!("/login?next={next}")).into_response()
            }
            NotSignedIn::Api => crate::error::ApiError(AppError::Unauthorized).into_response(),
        }
    }
}

/// Percent-encodes a path for a query string (only what a path may hold).
fn form_urlencoded(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match session_of(parts, state).await {
            Ok(Some(s)) => Ok(CurrentUser(s)),
            Ok(None) if parts.uri.path().starts_with("/api/") => {
                Err(NotSignedIn::Api.into_response())
            }
            Ok(None) => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_string();
                Err(NotSignedIn::Page(next).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

/// The signed-in user, if any.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        session_of(parts, state)
            .await
            .map(MaybeUser)
            .map_err(IntoResponse::into_response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_64_hex_digits() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn next_paths_are_encoded() {
        assert_eq!(
            form_urlencoded("/regions/530000?x=1"),
            "/regions/530000%3Fx%3D1"
        );
    }
}
