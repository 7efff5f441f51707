//! Accounts and access: passwords ([`password`]), sessions and the signed-in user as an
//! extractor ([`session`]), what each role may do where ([`access`]), and the sign-in pages
//! ([`login`]).
//!
//! Protection, in layers: passwords are argon2id hashes; the session cookie is a random
//! 256-bit token (only its SHA-256 is stored), `HttpOnly`, `SameSite=Lax`, `Secure` when the
//! server is behind HTTPS (`--secure-cookies`); every state-changing request passes
//! tower-http's CSRF layer (Sec-Fetch-Site / Origin) and carries the session's form token
//! (hidden input `csrf`, checked by [`session::CurrentUser::check_csrf`]); failed sign-ins
//! are counted in the store per name and address, and past the limit refused with 429.

pub mod access;
pub mod login;
pub mod password;
pub mod session;

pub use session::{CurrentUser, MaybeUser};
