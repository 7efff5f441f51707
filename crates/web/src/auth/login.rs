//! The sign-in page, signing in (rate-limited per name and address) and signing out.

use crate::auth::password;
use crate::auth::session::{self, CurrentUser, MaybeUser};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use minsheng_store::User;
use serde::Deserialize;
use std::net::SocketAddr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(sign_in))
        .route("/logout", post(sign_out))
}

/// The client's address (`unknown` when the server was not started with connection info,
/// as in tests).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string()),
        ))
    }
}

#[derive(Deserialize, Default)]
pub struct Next {
    #[serde(default)]
    next: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    next: String,
    username: String,
    error: Option<String>,
    demo: Vec<(String, String, String)>,
}

/// Only a path on this site may be returned to (never `//evil.example`).
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next.to_string()
    } else {
        "/".to_string()
    }
}

async fn demo_accounts(state: &AppState) -> Result<Vec<(String, String, String)>, AppError> {
    Ok(state
        .store()
        .users()
        .await?
        .into_iter()
        .filter(|u| u.demo && !u.disabled)
        .map(|u| (u.username, u.display_name, u.role.as_str().to_string()))
        .collect())
}

async fn login_page(
    State(state): State<AppState>,
    lang: Lang,
    MaybeUser(session): MaybeUser,
    Query(q): Query<Next>,
) -> Result<Response, AppError> {
    if session.is_some() {
        return Ok(Redirect::to(&safe_next(&q.next)).into_response());
    }
    Ok(LoginPage {
        page: Page::new(lang, "login", "login.title", None),
        next: safe_next(&q.next),
        username: String::new(),
        error: None,
        demo: demo_accounts(&state).await?,
    }
    .into_response())
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

async fn sign_in(
    State(state): State<AppState>,
    lang: Lang,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(form): Form<Credentials>,
) -> Result<Response, AppError> {
    let name = form.username.trim().to_string();
    let ok = authenticate(&state, &name, form.password, &ip).await?;
    let Some(user) = ok else {
        let tr = Tr::new(lang);
        let page = LoginPage {
            page: Page::new(lang, "login", "login.title", None),
            next: safe_next(&form.next),
            username: name,
            error: Some(tr.t("login.failed").to_string()),
            demo: demo_accounts(&state).await?,
        };
        return Ok((axum::http::StatusCode::UNAUTHORIZED, page).into_response());
    };
    let cookie = session::open(&state, &user).await?;
    Ok((jar.add(cookie), Redirect::to(&safe_next(&form.next))).into_response())
}

/// Checks a sign-in of `name` from `ip` (the form's and the API's): refused with 429 past
/// the failed-attempt limit; the attempt is recorded; `None` when the name or password is
/// wrong or the account is disabled.
pub async fn authenticate(
    state: &AppState,
    name: &str,
    password: String,
    ip: &str,
) -> Result<Option<User>, AppError> {
    let store = state.store();
    let config = state.config();
    let failed = store
        .failed_logins(name, ip, config.login_window_secs)
        .await?;
    if failed >= config.max_failed_logins {
        return Err(AppError::TooManyRequests(format!(
            "登录失败次数过多，请 {} 分钟后再试 (too many failed sign-ins: try again in {} minutes)",
            config.login_window_secs / 60,
            config.login_window_secs / 60
        )));
    }
    let found = store.user_credentials(name).await?;
    let ok = match found {
        Some((user, phc)) if !user.disabled => {
            password::verify(password, phc).await.then_some(user)
        }
        _ => {
            // The same work whether or not the name exists, so timing does not tell.
            let _ = password::verify(password, DUMMY_HASH.to_string()).await;
            None
        }
    };
    store.record_login_attempt(name, ip, ok.is_some()).await?;
    Ok(ok)
}

/// An argon2id hash of a random password nobody knows, verified when the name does not
/// exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$wJ9Xq3xS0mC8sP0sQ2cJ8Yh0m5q8QGxj2m3kq2bq0xY";

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

async fn sign_out(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf)?;
    if let Some(token) = jar.get(session::COOKIE).map(|c| c.value().to_string()) {
        state.store().delete_session(&token).await?;
    }
    Ok((jar.remove(session::removal()), Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_next("/regions/530000"), "/regions/530000");
        assert_eq!(safe_next("//evil.example/x"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }
}
