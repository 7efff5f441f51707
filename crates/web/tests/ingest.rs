//! 规划导入 through the router: upload, review with highlighted quotes, a correction, approval
//! into the store; garbage and other roles refused with nothing stored.

mod web_fixture;

use axum::http::StatusCode;
use web_fixture::*;

/// 玉溪市's plan (bundled document 004).
const YUXI: &str = "530400";

#[tokio::test]
async fn an_uploaded_plan_is_stored_with_the_reviewers_correction() {
    let (state, store) = state().await;
    let (owner, csrf) = sign_in(&state, "fgw").await;
    let (name, text_of_plan) = minsheng_app::plans::BUNDLED[4];
    let resp = send(
        &state,
        post_file("/ingest", &owner, &csrf, name, text_of_plan.as_bytes()),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let review = location(&resp);
    assert!(
        store.plan_for_region(YUXI).await.unwrap().is_none(),
        "nothing stored before approval"
    );
    let drafts = store.plan_drafts(false).await.unwrap();
    assert_eq!(drafts.len(), 1);
    let draft = &drafts[0];
    let n = draft.plan.targets.len();
    assert!(n >= 2, "the plan has targets");

    let html = text(send(&state, get(&review, &owner)).await).await;
    assert!(html.contains("玉溪市"));
    assert!(
        html.contains("<mark id=\"q0\">"),
        "the first target's quote highlighted"
    );
    assert!(html.contains("name=\"t0.value\""), "targets are editable");

    // A mistake in a correction is refused; nothing changes.
    let bad = format!("csrf={csrf}&action=approve&t0.value=abc");
    let resp = send(&state, post_form(&review, &owner, &bad)).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(text(resp).await.contains("第 1 条目标的数值“abc”不是数字"));
    assert!(store.plan_for_region(YUXI).await.unwrap().is_none());

    // Correct the first target's value and unit, delete the second, approve.
    let form = format!(
        "csrf={csrf}&action=approve&t0.value=12345.5&t0.unit=%25&t0.op=%3E%3D&t1.delete=on"
    );
    let resp = send(&state, post_form(&review, &owner, &form)).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let stored = store.plan_for_region(YUXI).await.unwrap().expect("stored");
    assert_eq!(stored.plan.targets.len(), n - 1);
    assert_eq!(stored.plan.targets[0].value, 12345.5);
    assert_eq!(stored.plan.targets[0].unit, "%");
    assert_eq!(
        stored.plan.targets[0].indicator,
        draft.plan.targets[0].indicator
    );
    assert_eq!(stored.plan.targets[1], draft.plan.targets[2]);
    let approved = store.plan_draft(draft.id).await.unwrap().unwrap();
    assert_eq!(approved.plan_version, Some(stored.version));

    // An approved draft is not changed again.
    let resp = send(&state, post_form(&review, &owner, &form)).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(store.plan_versions(YUXI).await.unwrap().len(), 1);
}

#[tokio::test]
async fn garbage_and_other_roles_are_refused_and_nothing_is_stored() {
    let (state, store) = state().await;
    let plans_before = store.latest_plans().await.unwrap().len();
    let (owner, csrf) = sign_in(&state, "fgw").await;
    let mut garbage = b"\x89PNG\r\n\x1a\n".to_vec();
    garbage.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let resp = send(
        &state,
        post_file("/ingest", &owner, &csrf, "scan.png", &garbage),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let html = text(resp).await;
    assert!(html.contains("文件“scan.png”"), "names the file");
    assert!(html.contains("class=\"alert\""));

    // Readable text with no region in its title.
    let resp = send(
        &state,
        post_file(
            "/ingest",
            &owner,
            &csrf,
            "notes.txt",
            "会议纪要\n今天讨论了工作安排。".as_bytes(),
        ),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(
        text(resp)
            .await
            .contains("未能从文件“notes.txt”的标题中识别规划所属地区")
    );

    // A reporter may not upload at all.
    let (reporter, reporter_csrf) = sign_in(&state, "lufeng").await;
    let (name, plan) = minsheng_app::plans::BUNDLED[4];
    let resp = send(
        &state,
        post_file("/ingest", &reporter, &reporter_csrf, name, plan.as_bytes()),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);

    assert!(store.plan_drafts(true).await.unwrap().is_empty());
    assert_eq!(store.latest_plans().await.unwrap().len(), plans_before);
}
