//! 填报 and 审核 through the router, as the people doing them would: a county's form and
//! workbook (checked all or nothing), submission, the prefecture's review, the plan owner's
//! publication, the public page — and the refusals of everyone acting outside their region.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use minsheng_collect::{Entry, FilledRow};
use minsheng_model::{Period, ReviewState, ValueSource};
use minsheng_store::{NewUser, Role, Store, ValueFilter};
use minsheng_web::{AppState, Config, router};
use tower::ServiceExt;

const PASSWORD: &str = "test-secret-1";
const PERIOD: &str = "2025Q4";
const COUNTY: &str = "532301";
const NEIGHBOUR: &str = "532322";

/// A store with the regions, the catalog, 楚雄州's plan and five accounts.
async fn state() -> AppState {
    let (store, _) = minsheng_app::open("sqlite::memory:").await.unwrap();
    let catalog = minsheng_app::catalog().unwrap();
    store
        .save_indicators(&minsheng_app::indicator_rows(&catalog))
        .await
        .unwrap();
    let (name, text) = minsheng_app::plans::BUNDLED
        .iter()
        .find(|(n, _)| n.starts_with("002_"))
        .unwrap();
    let plan = minsheng_app::plans::ingest_bundled(name, text);
    minsheng_app::plans::save(&store, &catalog, &plan, name)
        .await
        .unwrap();
    let hash = minsheng_web::auth::password::hash(PASSWORD.into())
        .await
        .unwrap();
    for (username, role, region) in [
        ("chuxiong-city", Role::Reporter, "532301"),
        ("shuangbai", Role::Reporter, "532322"),
        ("chuxiong-review", Role::Reviewer, "532300"),
        ("puer-review", Role::Reviewer, "530800"),
        ("fgw", Role::PlanOwner, "530000"),
    ] {
        store
            .create_user(&NewUser {
                username: username.into(),
                display_name: format!("{username} 用户"),
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

/// A signed-in user: the session cookie and the form token.
struct Agent {
    cookie: String,
    csrf: String,
}

async fn body(resp: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 24)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

async fn sign_in(state: &AppState, username: &str) -> Agent {
    let resp = router(state.clone())
        .oneshot(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "username={username}&password={PASSWORD}&next=/reporting"
                )))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{username} signs in");
    let cookie = resp.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let mut agent = Agent {
        cookie,
        csrf: String::new(),
    };
    let (_, html) = agent.get(state, "/reporting").await;
    agent.csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    agent
}

impl Agent {
    async fn get(&self, state: &AppState, uri: &str) -> (StatusCode, String) {
        let resp = router(state.clone())
            .oneshot(
                Request::get(uri)
                    .header(header::COOKIE, &self.cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        (resp.status(), body(resp).await)
    }

    /// Posts a form; the token is added unless `fields` has one.
    async fn post(
        &self,
        state: &AppState,
        uri: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        if !fields.iter().any(|(k, _)| *k == "csrf") {
            all.push(("csrf", &self.csrf));
        }
        let encoded: String = all
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let resp = router(state.clone())
            .oneshot(
                Request::post(uri)
                    .header(header::COOKIE, &self.cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(encoded))
                    .unwrap(),
            )
            .await
            .unwrap();
        (resp.status(), body(resp).await)
    }

    /// Uploads a file as the page's upload form does (token first).
    async fn upload(&self, state: &AppState, uri: &str, file: &[u8]) -> (StatusCode, String) {
        let boundary = "----minsheng-test-boundary";
        let mut payload = Vec::new();
        payload.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"楚雄市.xlsx\"\r\n\
                 Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n",
                self.csrf
            )
            .as_bytes(),
        );
        payload.extend_from_slice(file);
        payload.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let resp = router(state.clone())
            .oneshot(
                Request::post(uri)
                    .header(header::COOKIE, &self.cookie)
                    .header(
                        header::CONTENT_TYPE,
                        format!("multipart/form-data; boundary={boundary}"),
                    )
                    .body(Body::from(payload))
                    .unwrap(),
            )
            .await
            .unwrap();
        (resp.status(), body(resp).await)
    }
}

/// Percent-encoding for a form body (every byte but letters and digits).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The stored values of a region's period.
async fn stored(store: &Store, region: &str) -> Vec<minsheng_model::DataValue> {
    let period = Period::parse(PERIOD).unwrap();
    store
        .values(&ValueFilter {
            region: Some(region.into()),
            from: Some(period),
            to: Some(period),
            ..ValueFilter::default()
        })
        .await
        .unwrap()
}

/// The reporting workbook of `region` as the template link gives it, with `value` in the
/// first indicator's 本期值 and 1 in the second's.
async fn workbook(state: &AppState, region: &str, value: Entry) -> Vec<u8> {
    let store = state.store();
    let inputs = minsheng_app::monitor::inputs(store).await.unwrap();
    let region = store.region(region).await.unwrap().unwrap();
    let request = minsheng_app::collect::template_request(
        store,
        &inputs,
        &region,
        Period::parse(PERIOD).unwrap(),
        None,
    )
    .await
    .unwrap();
    assert!(
        request.rows.len() >= 2,
        "the plan sets indicators to report"
    );
    let filled = [
        FilledRow {
            indicator_id: request.rows[0].indicator_id.clone(),
            value: Some(value),
            ..FilledRow::default()
        },
        FilledRow {
            indicator_id: request.rows[1].indicator_id.clone(),
            value: Some(Entry::Number(1.0)),
            ..FilledRow::default()
        },
    ];
    minsheng_collect::template::write_filled(&request, &filled).unwrap()
}

/// The indicator ids of the form's value inputs.
fn form_ids(html: &str) -> Vec<String> {
    html.split("name=\"v:")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn a_form_with_a_bad_value_saves_nothing_and_a_good_one_saves_drafts() {
    let state = state().await;
    let clerk = sign_in(&state, "chuxiong-city").await;
    let page = format!("/reporting/{COUNTY}/{PERIOD}");
    let (status, html) = clerk.get(&state, &page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"download-template\""));
    assert!(html.contains("id=\"upload-file\""));
    assert!(
        !html.contains("id=\"submit-for-review\""),
        "nothing to submit yet"
    );
    let ids = form_ids(&html);
    assert!(ids.len() >= 2, "one input per indicator: {ids:?}");
    let (v0, v1) = (format!("v:{}", ids[0]), format!("v:{}", ids[1]));

    // One value in words: refused, with the reason, and nothing stored — not even the good one.
    let (status, html) = clerk
        .post(&state, &page, &[(&v0, "九十"), (&v1, "1")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("class=\"table validation-errors\""), "{html}");
    assert!(html.contains("九十"), "the error names what was typed");
    assert!(html.contains("class=\"alert\""));
    assert!(
        html.contains("value=\"九十\""),
        "what was typed is shown again"
    );
    assert!(stored(state.store(), COUNTY).await.is_empty());

    // Without the form token: refused, nothing stored.
    let (status, _) = clerk
        .post(&state, &page, &[("csrf", "forged"), (&v0, "1")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(stored(state.store(), COUNTY).await.is_empty());

    let (status, html) = clerk.post(&state, &page, &[(&v0, "1"), (&v1, "1")]).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("class=\"notice\""));
    assert!(
        html.contains("id=\"submit-for-review\""),
        "drafts can be submitted"
    );
    let values = stored(state.store(), COUNTY).await;
    assert_eq!(values.len(), 2);
    assert!(values.iter().all(|v| v.state == ReviewState::Draft
        && v.source == ValueSource::Form
        && v.entered_by == "chuxiong-city"));
}

#[tokio::test]
async fn a_county_report_goes_from_upload_to_the_public_page() {
    let state = state().await;
    let store = state.store().clone();
    let clerk = sign_in(&state, "chuxiong-city").await;
    let page = format!("/reporting/{COUNTY}/{PERIOD}");
    let upload = format!("{page}/upload");

    // The template link gives the workbook `minsheng template` writes.
    let resp = router(state.clone())
        .oneshot(
            Request::get(format!("{page}/template.xlsx"))
                .header(header::COOKIE, &clerk.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 24)
        .await
        .unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx");

    // One bad cell: 422, the error listed, nothing stored.
    let bad = workbook(&state, COUNTY, Entry::Text("九十".into())).await;
    let (status, html) = clerk.upload(&state, &upload, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("validation-errors"));
    assert!(html.contains("填报"), "the sheet is named");
    assert!(stored(&store, COUNTY).await.is_empty());

    // A workbook of the neighbouring county uploaded here: refused whole.
    let other = workbook(&state, NEIGHBOUR, Entry::Number(1.0)).await;
    let (status, html) = clerk.upload(&state, &upload, &other).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains(NEIGHBOUR),
        "the error names the file's region"
    );
    assert!(stored(&store, COUNTY).await.is_empty());
    assert!(stored(&store, NEIGHBOUR).await.is_empty());

    // Corrected: stored as drafts from the workbook, by the clerk.
    let good = workbook(&state, COUNTY, Entry::Number(1.0)).await;
    let (status, html) = clerk.upload(&state, &upload, &good).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("class=\"notice\""));
    let values = stored(&store, COUNTY).await;
    assert_eq!(values.len(), 2);
    assert!(values.iter().all(|v| v.state == ReviewState::Draft
        && v.source == ValueSource::Xlsx
        && v.entered_by == "chuxiong-city"));

    // The neighbouring county's reporter can neither open nor write this county's report.
    let neighbour = sign_in(&state, "shuangbai").await;
    let (status, html) = neighbour.get(&state, &page).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("无权"));
    let (status, _) = neighbour.upload(&state, &upload, &good).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = neighbour.post(&state, &format!("{page}/submit"), &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        stored(&store, COUNTY)
            .await
            .iter()
            .all(|v| v.state == ReviewState::Draft)
    );

    // Submitted for review.
    let (status, _) = clerk.post(&state, &format!("{page}/submit"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        stored(&store, COUNTY)
            .await
            .iter()
            .all(|v| v.state == ReviewState::Submitted)
    );

    let review = format!("/review/{COUNTY}/{PERIOD}");
    let row = format!("data-region=\"{COUNTY}\" data-period=\"{PERIOD}\"");
    // Another prefecture's reviewer neither sees nor approves it.
    let puer = sign_in(&state, "puer-review").await;
    let (_, html) = puer.get(&state, "/review").await;
    assert!(!html.contains(&row));
    let (status, html) = puer.post(&state, &review, &[("action", "approve")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("无权"));
    assert!(
        stored(&store, COUNTY)
            .await
            .iter()
            .all(|v| v.state == ReviewState::Submitted)
    );

    // The prefecture's reviewer sees it in the queue; a return needs a reason; approves.
    let reviewer = sign_in(&state, "chuxiong-review").await;
    let (_, html) = reviewer.get(&state, "/review").await;
    assert!(html.contains(&row), "{html}");
    assert!(html.contains("name=\"action\" value=\"approve\""));
    let (status, _) = reviewer
        .post(&state, &review, &[("action", "return"), ("reason", "  ")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = reviewer
        .post(&state, &review, &[("action", "publish")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a reviewer does not publish");
    let (status, _) = reviewer
        .post(&state, &review, &[("action", "approve")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        stored(&store, COUNTY)
            .await
            .iter()
            .all(|v| v.state == ReviewState::Approved)
    );
    let steps = store.transitions(&Default::default()).await.unwrap();
    assert!(
        steps.iter().any(|t| t.actor == "chuxiong-review"
            && t.from_state == ReviewState::Submitted
            && t.to_state == ReviewState::Approved),
        "{steps:?}"
    );

    // Not public until published.
    let public_data = format!("/public/data/{COUNTY}/{PERIOD}");
    let anonymous = |uri: String| {
        let state = state.clone();
        async move {
            let resp = router(state)
                .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            (resp.status(), body(resp).await)
        }
    };
    let (status, _) = anonymous(public_data.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, html) = anonymous("/public".into()).await;
    assert!(!html.contains(&public_data));

    // The plan owner publishes; now anyone sees the values.
    let owner = sign_in(&state, "fgw").await;
    let (_, html) = owner.get(&state, "/review").await;
    assert!(html.contains(&row));
    assert!(html.contains("value=\"publish\""));
    let (status, _) = owner.post(&state, &review, &[("action", "publish")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = anonymous("/public".into()).await;
    assert!(html.contains(&public_data));
    let (status, html) = anonymous(public_data).await;
    assert_eq!(status, StatusCode::OK);
    let values = stored(&store, COUNTY).await;
    let catalog = minsheng_app::catalog().unwrap();
    for v in &values {
        assert_eq!(v.state, ReviewState::Published);
        assert!(html.contains(&catalog.get(&v.indicator).unwrap().name));
    }
    assert!(
        !html.contains("模拟数据</span>"),
        "real data is not marked simulated"
    );
}

#[tokio::test]
async fn the_public_data_page_shows_published_values_only() {
    let state = state().await;
    let store = state.store();
    let clerk = sign_in(&state, "chuxiong-city").await;
    let page = format!("/reporting/{COUNTY}/{PERIOD}");
    let (_, html) = clerk.get(&state, &page).await;
    let ids = form_ids(&html);
    let (v0, v1) = (format!("v:{}", ids[0]), format!("v:{}", ids[1]));
    let (status, _) = clerk.post(&state, &page, &[(&v0, "1")]).await;
    assert_eq!(status, StatusCode::OK);
    let period = Period::parse(PERIOD).unwrap();
    store.submit(COUNTY, period, "t").await.unwrap();
    store.approve(COUNTY, period, "t").await.unwrap();
    store.publish(COUNTY, period, "t").await.unwrap();

    // A published value cannot be changed from the form: refused, shown, nothing saved.
    let (status, html) = clerk.post(&state, &page, &[(&v0, "2"), (&v1, "1")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("validation-errors"));
    assert_eq!(stored(store, COUNTY).await.len(), 1);

    // A second indicator added later is a draft: the public page does not show it.
    let (status, _) = clerk.post(&state, &page, &[(&v0, "1"), (&v1, "1")]).await;
    assert_eq!(status, StatusCode::OK);
    let values = stored(store, COUNTY).await;
    assert_eq!(values.len(), 2);
    let catalog = minsheng_app::catalog().unwrap();
    let name = |id: &str| catalog.get(id).unwrap().name.clone();
    let resp = router(state.clone())
        .oneshot(
            Request::get(format!("/public/data/{COUNTY}/{PERIOD}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let html = body(resp).await;
    assert!(html.contains(&name(&ids[0])));
    assert!(!html.contains(&name(&ids[1])), "a draft is not public");
}
