//! Accounts, sessions and login attempts of the web application, on both backends.

#[macro_use]
mod common;

use common::{TestDb, postgres_db, sqlite_db};
use minsheng_store::{NewUser, RegionRow, Role, StoreError};

both!(
    users_are_unique_and_scoped,
    sessions_live_until_ended_or_disabled,
    failed_logins_are_counted_per_name_and_address,
);

async fn yunnan(db: &TestDb) {
    let rows = common::national_regions()
        .into_iter()
        .filter(|r: &RegionRow| r.code.starts_with("53"))
        .collect::<Vec<_>>();
    db.store.load_regions(&rows).await.unwrap();
}

fn reporter() -> NewUser {
    NewUser {
        username: "cx_reporter".into(),
        display_name: "楚雄市填报员".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: Role::Reporter,
        region_code: Some("532301".into()),
        unit: None,
        demo: true,
    }
}

async fn users_are_unique_and_scoped(db: &TestDb) {
    yunnan(db).await;
    let user = db.store.create_user(&reporter()).await.unwrap();
    assert_eq!(user.role, Role::Reporter);
    assert_eq!(user.region_code.as_deref(), Some("532301"));
    assert!(user.demo && !user.disabled);
    let err = db.store.create_user(&reporter()).await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidUser { .. }), "{err}");
    let mut elsewhere = reporter();
    elsewhere.username = "nowhere".into();
    elsewhere.region_code = Some("999999".into());
    let err = db.store.create_user(&elsewhere).await.unwrap_err();
    assert!(matches!(err, StoreError::UnknownRegion { .. }), "{err}");
    assert_eq!(db.store.user_count().await.unwrap(), 1);
    let (found, hash) = db
        .store
        .user_credentials("cx_reporter")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, user);
    assert_eq!(hash, reporter().password_hash);
    assert!(db.store.user_credentials("nobody").await.unwrap().is_none());
}

async fn sessions_live_until_ended_or_disabled(db: &TestDb) {
    yunnan(db).await;
    let user = db.store.create_user(&reporter()).await.unwrap();
    db.store
        .create_session(user.id, "token-a", "csrf-a", 3600)
        .await
        .unwrap();
    db.store
        .create_session(user.id, "token-expired", "csrf-b", -10)
        .await
        .unwrap();
    let s = db.store.session("token-a").await.unwrap().unwrap();
    assert_eq!(s.user.username, "cx_reporter");
    assert_eq!(s.csrf, "csrf-a");
    assert!(db.store.session("token-expired").await.unwrap().is_none());
    assert!(db.store.session("wrong").await.unwrap().is_none());
    // The token itself is not stored, only its hash.
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE token_hash = $1")
        .bind("token-a")
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    assert_eq!(stored, 0);
    assert!(db.store.delete_session("token-a").await.unwrap());
    assert!(db.store.session("token-a").await.unwrap().is_none());
    db.store
        .create_session(user.id, "token-c", "csrf-c", 3600)
        .await
        .unwrap();
    assert!(
        db.store
            .set_user_disabled("cx_reporter", true)
            .await
            .unwrap()
    );
    assert!(db.store.session("token-c").await.unwrap().is_none());
}

async fn failed_logins_are_counted_per_name_and_address(db: &TestDb) {
    for _ in 0..3 {
        db.store
            .record_login_attempt("cx_reporter", "10.0.0.1", false)
            .await
            .unwrap();
    }
    db.store
        .record_login_attempt("cx_reporter", "10.0.0.2", false)
        .await
        .unwrap();
    let n = db
        .store
        .failed_logins("cx_reporter", "10.0.0.1", 900)
        .await
        .unwrap();
    assert_eq!(n, 3);
    let other = db
        .store
        .failed_logins("cx_reporter", "10.0.0.2", 900)
        .await
        .unwrap();
    assert_eq!(other, 1);
    assert_eq!(
        db.store
            .failed_logins("someone", "10.0.0.1", 900)
            .await
            .unwrap(),
        0
    );
}
