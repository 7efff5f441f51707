//! The errors handlers return: [`AppError`] renders a short Chinese page, [`ApiError`] the
//! same as JSON (`{"error": "...", "code": "..."}`). Neither shows internals: a store or
//! template failure is written to the server's log and the user sees "服务器内部错误".

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// What went wrong, in words for the user.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("页面不存在 (not found)")]
    NotFound,
    /// Not signed in.
    #[error("请先登录 (please sign in)")]
    Unauthorized,
    /// A sign-in with a wrong name or password (or a disabled account: not told apart).
    #[error("用户名或密码错误 (wrong user name or password)")]
    WrongCredentials,
    /// Signed in, but the role or scope does not allow it; says why.
    #[error("{0}")]
    Forbidden(String),
    /// The request itself is wrong; says what to correct.
    #[error("{0}")]
    BadRequest(String),
    /// Too many failed sign-ins.
    #[error("{0}")]
    TooManyRequests(String),
    /// Anything else: logged, never shown.
    #[error("服务器内部错误，请稍后再试 (internal error)")]
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized | AppError::WrongCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A short machine-readable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthorized | AppError::WrongCredentials => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::BadRequest(_) => "bad_request",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::Internal(_) => "internal",
        }
    }

    /// An internal failure: `cause` goes to the log only.
    pub fn internal(cause: impl std::fmt::Display) -> AppError {
        AppError::Internal(cause.to_string())
    }

    fn log(&self) {
        if let AppError::Internal(cause) = self {
            eprintln!("minsheng-web: internal error: {cause}");
        }
    }
}

impl From<minsheng_store::StoreError> for AppError {
    fn from(e: minsheng_store::StoreError) -> Self {
        AppError::internal(e)
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::internal(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let message = askama::filters::escape(self.to_string(), askama::filters::Html)
            .map(|m| m.to_string())
            .unwrap_or_default();
        let body = format!(
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{status}</title><link rel=\"stylesheet\" href=\"/assets/app.css\"></head>\
             <body><main class=\"narrow\"><div class=\"card error-card\"><h1>{status}</h1>\
             <p>{message}</p><p><a href=\"/\">返回首页 (home)</a></p></div></main></body></html>",
            status = self.status().as_u16(),
        );
        (self.status(), Html(body)).into_response()
    }
}

/// [`AppError`] as JSON, for handlers under `/api/`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<minsheng_store::StoreError> for ApiError {
    fn from(e: minsheng_store::StoreError) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let body = serde_json::json!({ "error": self.0.to_string(), "code": self.0.code() });
        (self.0.status(), Json(body)).into_response()
    }
}
