//! Password hashing with argon2id (the `argon2` crate), on a blocking thread: a hash takes
//! tens of milliseconds of CPU and must not stall the server's other requests.

use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// The shortest password accepted for a new account.
pub const MIN_LENGTH: usize = 8;

/// The argon2id PHC string (`$argon2id$v=19$…`) of `password`, with a random salt.
pub async fn hash(password: String) -> Result<String, AppError> {
    if password.chars().count() < MIN_LENGTH {
        return Err(AppError::BadRequest(format!(
            "密码至少 {MIN_LENGTH} 个字符 (a password needs at least {MIN_LENGTH} characters)"
        )));
    }
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// Whether `password` matches the PHC string `phc`. A malformed hash matches nothing.
pub async fn verify(password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), phc.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let phc = hash("correct horse".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$"), "{phc}");
        assert!(verify("correct horse".into(), phc.clone()).await);
        assert!(!verify("wrong horse!".into(), phc).await);
        assert!(!verify("correct horse".into(), "not a hash".into()).await);
    }

    #[tokio::test]
    async fn short_passwords_are_refused() {
        assert!(matches!(
            hash("short".into()).await,
            Err(AppError::BadRequest(_))
        ));
    }
}
