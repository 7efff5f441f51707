//! A small store for the evaluation, audit and ingestion tests: the regions, the catalog, the
//! provincial plan (bundled document 000), a few approved values for four counties in two
//! prefectures, and two accounts — the plan owner `fgw` and a county reporter `lufeng`.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use minsheng_model::{DataValue, Period, ReviewState, ValueSource};
use minsheng_store::{NewUser, Role, Store};
use minsheng_web::{AppState, Config, router};
use tower::ServiceExt;

pub const PASSWORD: &str = "test-secret";

/// Four counties: two of 楚雄州, two of 普洱市.
pub const COUNTIES: [&str; 4] = ["532301", "532322", "530802", "530821"];

pub async fn state() -> (AppState, Store) {
    let (store, _) = minsheng_app::open("sqlite::memory:").await.unwrap();
    let catalog = minsheng_app::catalog().unwrap();
    store
        .save_indicators(&minsheng_app::indicator_rows(&catalog))
        .await
        .unwrap();
    let (name, text) = minsheng_app::plans::BUNDLED[0];
    let plan = minsheng_app::plans::ingest_bundled(name, text);
    minsheng_app::plans::save(&store, &catalog, &plan, name)
        .await
        .unwrap();
    let hash = minsheng_web::auth::password::hash(PASSWORD.into())
        .await
        .unwrap();
    for (username, role, region) in [
        ("fgw", Role::PlanOwner, "530000"),
        ("lufeng", Role::Reporter, "532302"),
    ] {
        store
            .create_user(&NewUser {
                username: username.into(),
                display_name: username.into(),
                password_hash: hash.clone(),
                role,
                region_code: Some(region.into()),
                unit: None,
                demo: false,
            })
            .await
            .unwrap();
    }
    (AppState::new(store.clone(), Config::default()), store)
}

/// Approved values of up to three of the plan's percentage indicators for [`COUNTIES`], in 2022 and
/// 2024, imported by `actor` with `note`, submitted and approved, scaled by `factor` (another factor on the same
/// cells: a correction, logged with before and after).
pub async fn values(store: &Store, actor: &str, note: &str, factor: f64) {
    let inputs = minsheng_app::monitor::inputs(store).await.unwrap();
    let mut ids: Vec<(String, f64)> = Vec::new();
    for t in &inputs.targets {
        // Percentages: a province's rate target holds for each county.
        let rate = inputs
            .catalog
            .get(&t.indicator)
            .is_some_and(|e| e.unit == "%");
        if rate && !ids.iter().any(|(i, _)| *i == t.indicator) {
            ids.push((t.indicator.clone(), t.value));
        }
    }
    ids.truncate(3);
    assert!(!ids.is_empty(), "the plan has linked targets");
    let mut rows = Vec::new();
    for (k, (indicator, target)) in ids.iter().enumerate() {
        for (c, county) in COUNTIES.iter().enumerate() {
            for (p, year) in [2022, 2024].into_iter().enumerate() {
                let spread = 0.6 + 0.1 * (c as f64) + 0.05 * (k as f64) + 0.1 * (p as f64);
                rows.push(DataValue {
                    indicator: indicator.clone(),
                    region: (*county).into(),
                    period: Period::Year(year),
                    value: (target.abs().max(1.0) * spread * factor * 100.0).round() / 100.0,
                    numerator: None,
                    denominator: None,
                    source: ValueSource::Form,
                    entered_by: actor.into(),
                    entered_at: "2025-01-10T02:00:00Z".into(),
                    comment: None,
                    state: ReviewState::Approved,
                });
            }
        }
    }
    store.import_values(&rows, actor, note).await.unwrap();
    // Entered values are drafts: the county submits them, the prefecture approves.
    for county in COUNTIES {
        for year in [2022, 2024] {
            store
                .submit(county, Period::Year(year), actor)
                .await
                .unwrap();
            store
                .approve(county, Period::Year(year), "reviewer")
                .await
                .unwrap();
        }
    }
}

pub fn get(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

pub fn post_form(uri: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// A multipart form: the form token first, then the file.
pub fn post_file(uri: &str, cookie: &str, csrf: &str, name: &str, bytes: &[u8]) -> Request<Body> {
    let boundary = "----minsheng-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap()
}

pub async fn bytes(resp: axum::response::Response) -> Vec<u8> {
    axum::body::to_bytes(resp.into_body(), 1 << 26)
        .await
        .unwrap()
        .to_vec()
}

pub async fn text(resp: axum::response::Response) -> String {
    String::from_utf8(bytes(resp).await).unwrap()
}

pub async fn send(state: &AppState, req: Request<Body>) -> axum::response::Response {
    router(state.clone()).oneshot(req).await.unwrap()
}

/// Signs `username` in; returns the session cookie and the form token.
pub async fn sign_in(state: &AppState, username: &str) -> (String, String) {
    let resp = send(
        state,
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "username={username}&password={PASSWORD}&next=/"
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{username} signs in");
    let cookie = resp.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = text(send(state, get("/evaluations", &cookie)).await).await;
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a form token on the page")
        .to_string();
    (cookie, csrf)
}

pub fn location(resp: &axum::response::Response) -> String {
    resp.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}
