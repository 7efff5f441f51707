//! The JSON API through the router, as a script would use it: signing in, the form token on
//! writes, values checked all or nothing and only for the account's own region, review
//! steps, and the OpenAPI document listing every path.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use minsheng_model::{Period, ReviewState};
use minsheng_store::{NewUser, Role, ValueFilter};
use minsheng_web::{AppState, Config, router};
use serde_json::{Value, json};
use tower::ServiceExt;

/// A rate in % from the catalog.
const RATE: &str = "child_health_facility_compliance";

async fn state() -> AppState {
    let (store, _) = minsheng_app::open("sqlite::memory:").await.unwrap();
    let catalog = minsheng_app::catalog().unwrap();
    store
        .save_indicators(&minsheng_app::indicator_rows(&catalog))
        .await
        .unwrap();
    let hash = minsheng_web::auth::password::hash("county-secret".into())
        .await
        .unwrap();
    for (name, display, role, region) in [
        ("chuxiong-city", "楚雄市填报员", Role::Reporter, "532301"),
        ("chuxiong-review", "楚雄州审核员", Role::Reviewer, "532300"),
    ] {
        store
            .create_user(&NewUser {
                username: name.into(),
                display_name: display.into(),
                password_hash: hash.clone(),
                role,
                region_code: Some(region.into()),
                unit: None,
                demo: false,
            })
            .await
            .unwrap();
    }
    AppState::new(store, Config::default())
}

fn request(
    method: Method,
    uri: &str,
    session: Option<&Session>,
    body: Option<Value>,
) -> Request<Body> {
    let mut r = Request::builder().method(method).uri(uri);
    if let Some(s) = session {
        r = r
            .header(header::COOKIE, &s.cookie)
            .header("x-csrf-token", &s.csrf);
    }
    match body {
        Some(b) => r
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string()))
            .unwrap(),
        None => r.body(Body::empty()).unwrap(),
    }
}

async fn send(state: &AppState, req: Request<Body>) -> (StatusCode, Value) {
    let resp = router(state.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 26)
        .await
        .unwrap();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
    };
    (status, value)
}

struct Session {
    cookie: String,
    csrf: String,
}

async fn sign_in(state: &AppState, username: &str) -> Session {
    let resp = router(state.clone())
        .oneshot(request(
            Method::POST,
            "/api/session",
            None,
            Some(json!({"username": username, "password": "county-secret"})),
        ))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let cookie = resp.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["user"]["username"], username);
    let csrf = body["csrf"].as_str().unwrap().to_string();
    assert_eq!(csrf.len(), 64);
    Session {
        cookie: cookie.split(';').next().unwrap().to_string(),
        csrf,
    }
}

fn value(region: &str, v: Value) -> Value {
    json!({"dataElement": RATE, "period": "2024Q1", "orgUnit": region, "value": v, "comment": "API"})
}

async fn stored(state: &AppState) -> Vec<minsheng_model::DataValue> {
    state.store().values(&ValueFilter::default()).await.unwrap()
}

#[tokio::test]
async fn signing_in_through_the_api_opens_a_session_and_wrong_passwords_are_refused() {
    let state = state().await;
    let (status, body) = send(
        &state,
        request(
            Method::POST,
            "/api/session",
            None,
            Some(json!({"username": "chuxiong-city", "password": "wrong-guess"})),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unauthorized");
    assert_eq!(
        body["error"],
        "用户名或密码错误 (wrong user name or password)"
    );

    let (status, body) = send(&state, request(Method::GET, "/api/overview", None, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "reads need a sign-in");
    assert_eq!(body["error"], "请先登录 (please sign in)");

    let s = sign_in(&state, "chuxiong-city").await;
    assert_eq!(
        send(
            &state,
            request(Method::GET, "/api/overview", Some(&s), None)
        )
        .await
        .0,
        StatusCode::OK
    );
    let (status, list) = send(
        &state,
        request(Method::GET, "/api/indicators", Some(&s), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.as_array().unwrap().iter().any(|i| i["id"] == RATE));

    // Public runs need no sign-in.
    let (status, runs) = send(&state, request(Method::GET, "/api/public/runs", None, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(runs.as_array().unwrap().is_empty());

    // Signing out needs the token too, and ends the session.
    let mut no_token = request(Method::DELETE, "/api/session", None, None);
    no_token
        .headers_mut()
        .insert(header::COOKIE, s.cookie.parse().unwrap());
    assert_eq!(send(&state, no_token).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        send(
            &state,
            request(Method::DELETE, "/api/session", Some(&s), None)
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(
            &state,
            request(Method::GET, "/api/overview", Some(&s), None)
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn values_are_checked_all_or_nothing_and_stored_as_drafts() {
    let state = state().await;
    let s = sign_in(&state, "chuxiong-city").await;

    // One good value and one word where a number belongs: nothing is stored.
    let bad = json!({"dataValues": [value("532301", json!(88.5)), {
        "dataElement": RATE, "period": "2024Q2", "orgUnit": "532301", "value": "九十"}]});
    let (status, body) = send(
        &state,
        request(Method::POST, "/api/values", Some(&s), Some(bad)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "invalid_values");
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(errors[0]["index"], 1, "the second entry");
    assert!(
        errors[0]["message_zh"].as_str().unwrap().contains("九十"),
        "{body}"
    );
    assert!(stored(&state).await.is_empty(), "nothing was stored");

    // The good value alone is stored, as a draft.
    let good = json!({"dataValues": [value("532301", json!(88.5))]});
    let (status, body) = send(
        &state,
        request(Method::POST, "/api/values", Some(&s), Some(good)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["stored"], 1);
    let values = stored(&state).await;
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].value, 88.5);
    assert_eq!(values[0].region, "532301");
    assert_eq!(values[0].period, Period::Quarter(2024, 1));
    assert_eq!(values[0].state, ReviewState::Draft);
    assert_eq!(values[0].entered_by, "chuxiong-city");
}

#[tokio::test]
async fn writes_need_the_token_and_the_accounts_own_region() {
    let state = state().await;
    let s = sign_in(&state, "chuxiong-city").await;
    let good = json!({"dataValues": [value("532301", json!(88.5))]});

    // The cookie alone is not enough.
    let mut no_token = request(Method::POST, "/api/values", None, Some(good.clone()));
    no_token
        .headers_mut()
        .insert(header::COOKIE, s.cookie.parse().unwrap());
    let (status, body) = send(&state, no_token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["error"].as_str().unwrap().contains("X-CSRF-Token"));
    let wrong = Session {
        cookie: s.cookie.clone(),
        csrf: "0".repeat(64),
    };
    let (status, _) = send(
        &state,
        request(Method::POST, "/api/values", Some(&wrong), Some(good)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(stored(&state).await.is_empty());

    // A neighbouring county (双柏县 532322) is refused, even beside the own county's value.
    let other = json!({"dataValues": [value("532301", json!(88.5)), value("532322", json!(70))]});
    let (status, body) = send(
        &state,
        request(Method::POST, "/api/values", Some(&s), Some(other)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body["error"].as_str().unwrap().contains("532322"), "{body}");
    assert!(stored(&state).await.is_empty(), "nothing was stored");
}

#[tokio::test]
async fn a_county_submits_and_its_prefecture_approves_through_the_api() {
    let state = state().await;
    let reporter = sign_in(&state, "chuxiong-city").await;
    let good = json!({"dataValues": [value("532301", json!(88.5))]});
    let (status, _) = send(
        &state,
        request(Method::POST, "/api/values", Some(&reporter), Some(good)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // The reporter cannot approve its own values.
    let approve = json!({"action": "approve"});
    let (status, _) = send(
        &state,
        request(
            Method::POST,
            "/api/review/532301/2024Q1",
            Some(&reporter),
            Some(approve.clone()),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, body) = send(
        &state,
        request(
            Method::POST,
            "/api/review/532301/2024Q1",
            Some(&reporter),
            Some(json!({"action": "submit"})),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(stored(&state).await[0].state, ReviewState::Submitted);

    let reviewer = sign_in(&state, "chuxiong-review").await;
    // Returning needs a reason.
    let (status, _) = send(
        &state,
        request(
            Method::POST,
            "/api/review/532301/2024Q1",
            Some(&reviewer),
            Some(json!({"action": "return"})),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = send(
        &state,
        request(
            Method::POST,
            "/api/review/532301/2024Q1",
            Some(&reviewer),
            Some(approve),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(stored(&state).await[0].state, ReviewState::Approved);

    // The approved value is what the assessments read: the indicator's page shows the period.
    let (status, body) = send(
        &state,
        request(
            Method::GET,
            &format!("/api/indicators/{RATE}"),
            Some(&reviewer),
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["indicator"]["id"], RATE);
    assert_eq!(
        body["as_of"], "2024Q1",
        "the change shows in the next request"
    );
    assert!(body["targets"].is_array() && body["assessments"].is_array());
    let (status, _) = send(
        &state,
        request(
            Method::GET,
            "/api/indicators/no_such_indicator",
            Some(&reviewer),
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = send(
        &state,
        request(Method::GET, "/api/regions/532301", Some(&reviewer), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["parent"]["code"], "532300");
    let (status, body) = send(
        &state,
        request(
            Method::GET,
            "/api/assessments?as_of=notaperiod",
            Some(&reviewer),
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn the_openapi_document_lists_every_path() {
    let state = state().await;
    let (status, doc) = send(
        &state,
        request(Method::GET, "/api/openapi.json", None, None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/session", "post"),
        ("/api/session", "delete"),
        ("/api/overview", "get"),
        ("/api/indicators", "get"),
        ("/api/indicators/{id}", "get"),
        ("/api/regions/{code}", "get"),
        ("/api/assessments", "get"),
        ("/api/plans", "get"),
        ("/api/plans/{id}", "get"),
        ("/api/runs", "get"),
        ("/api/runs/{id}", "get"),
        ("/api/public/runs", "get"),
        ("/api/values", "post"),
        ("/api/review/{region}/{period}", "post"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path}"
        );
    }
    // Every documented path is served (not 404/405) — the router and the document are one.
    for (path, item) in paths {
        let uri = path
            .replace("{id}", "1")
            .replace("{code}", "532301")
            .replace("{region}", "532301")
            .replace("{period}", "2024Q1");
        for method in item.as_object().unwrap().keys() {
            let m: Method = method.to_uppercase().parse().unwrap();
            let resp = router(state.clone())
                .oneshot(request(m, &uri, None, None))
                .await
                .unwrap();
            assert!(
                !matches!(
                    resp.status(),
                    StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
                ),
                "{method} {uri}: {}",
                resp.status()
            );
        }
    }
}
