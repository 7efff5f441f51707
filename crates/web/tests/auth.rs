//! Signing in and out through the router, as a browser would: sessions, the form token,
//! cross-site refusal, the rate limit, and pages that need a sign-in.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use minsheng_store::{NewUser, Role};
use minsheng_web::{AppState, Config, router};
use tower::ServiceExt;

async fn state() -> AppState {
    let (store, _) = minsheng_app::open("sqlite::memory:").await.unwrap();
    let hash = minsheng_web::auth::password::hash("county-secret".into())
        .await
        .unwrap();
    store
        .create_user(&NewUser {
            username: "chuxiong-city".into(),
            display_name: "楚雄市填报员".into(),
            password_hash: hash,
            role: Role::Reporter,
            region_code: Some("532301".into()),
            unit: None,
            demo: false,
        })
        .await
        .unwrap();
    AppState::new(store, Config::default())
}

fn form(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut r = Request::get(uri);
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::empty()).unwrap()
}

async fn body(resp: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 24)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Signs in and returns the `name=value` of the session cookie.
async fn sign_in(state: &AppState) -> String {
    let resp = router(state.clone())
        .oneshot(form(
            "/login",
            "username=chuxiong-city&password=county-secret&next=/public",
        ))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[header::LOCATION], "/public");
    let cookie = resp.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    cookie.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn pages_need_a_sign_in_and_public_pages_do_not() {
    let state = state().await;
    let resp = router(state.clone()).oneshot(get("/", None)).await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[header::LOCATION], "/login?next=/");
    let resp = router(state.clone())
        .oneshot(get("/public", None))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let html = body(resp).await;
    assert!(html.contains("公开信息"), "Chinese by default");
    let resp = router(state)
        .oneshot(get("/public?lang=en", None))
        .await
        .unwrap();
    assert!(body(resp).await.contains("Public information"));
}

#[tokio::test]
async fn a_signed_in_user_sees_the_overview_and_signs_out_with_the_form_token() {
    let state = state().await;
    let cookie = sign_in(&state).await;
    let resp = router(state.clone())
        .oneshot(get("/", Some(&cookie)))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let html = body(resp).await;
    assert!(
        html.contains("楚雄市填报员"),
        "the user's name in the top bar"
    );
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();

    // Without the form token, signing out is refused and the session lives on.
    let mut no_token = form("/logout", "csrf=wrong");
    no_token
        .headers_mut()
        .insert(header::COOKIE, cookie.parse().unwrap());
    let resp = router(state.clone()).oneshot(no_token).await.unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = router(state.clone())
        .oneshot(get("/", Some(&cookie)))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);

    let mut out = form("/logout", &format!("csrf={csrf}"));
    out.headers_mut()
        .insert(header::COOKIE, cookie.parse().unwrap());
    let resp = router(state.clone()).oneshot(out).await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let resp = router(state)
        .oneshot(get("/", Some(&cookie)))
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::SEE_OTHER,
        "the session has ended"
    );
}

#[tokio::test]
async fn a_cross_site_post_is_refused() {
    let state = state().await;
    let mut req = form("/login", "username=chuxiong-city&password=county-secret");
    req.headers_mut()
        .insert(header::ORIGIN, "http://evil.example".parse().unwrap());
    req.headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    let resp = router(state).oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_refused_for_a_while() {
    let state = state().await;
    for _ in 0..Config::default().max_failed_logins {
        let resp = router(state.clone())
            .oneshot(form(
                "/login",
                "username=chuxiong-city&password=wrong-guess",
            ))
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        assert!(body(resp).await.contains("用户名或密码错误"));
    }
    // Now even the right password is refused.
    let resp = router(state)
        .oneshot(form(
            "/login",
            "username=chuxiong-city&password=county-secret",
        ))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn static_files_are_built_in() {
    let state = state().await;
    for path in [
        "/assets/app.css",
        "/assets/app.js",
        "/assets/echarts.min.js",
        "/assets/yunnan-counties.json",
    ] {
        let resp = router(state.clone())
            .oneshot(get(path, None))
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
    }
    let resp = router(state)
        .oneshot(get("/assets/../Cargo.toml", None))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}
