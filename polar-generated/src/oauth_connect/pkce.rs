//! PKCE (RFC 7636) with the S256 method, and random `state` values, from the operating
//! system's CSPRNG.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::OAuthError;

/// 32 random bytes make a 43-character verifier, RFC 7636's minimum length, with 256
/// bits of entropy.
const VERIFIER_BYTES: usize = 32;
/// 16 random bytes (128 bits) for `state`.
const STATE_BYTES: usize = 16;

/// `bytes` random bytes from the OS, base64url without padding.
pub(crate) fn random_token(bytes: usize) -> Result<String, OAuthError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::getrandom(&mut buffer).map_err(|err| {
        OAuthError::Config(format!(
            "the operating system's random number generator failed: {err}"
        ))
    })?;
    Ok(URL_SAFE_NO_PAD.encode(buffer))
}

/// A fresh random `state` value.
pub(crate) fn random_state() -> Result<String, OAuthError> {
    random_token(STATE_BYTES)
}

/// A PKCE code verifier. Keep it with the pending authorization (e.g. in the user's
/// session) and pass it to [`super::OAuthApp::exchange_code`]. Its `Debug` output is
/// redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct PkceVerifier(String);

impl PkceVerifier {
    /// A new random verifier (43 characters of base64url).
    pub fn generate() -> Result<Self, OAuthError> {
        random_token(VERIFIER_BYTES).map(PkceVerifier)
    }

    /// A verifier you stored earlier. RFC 7636 allows 43 to 128 characters of
    /// `[A-Za-z0-9-._~]`; anything else is an error.
    pub fn new(verifier: impl Into<String>) -> Result<Self, OAuthError> {
        let verifier = verifier.into();
        let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~".contains(c);
        if !(43..=128).contains(&verifier.len()) || !verifier.chars().all(allowed) {
            return Err(OAuthError::Config(
                "a PKCE code verifier has 43 to 128 characters of A-Z a-z 0-9 - . _ ~".to_owned(),
            ));
        }
        Ok(PkceVerifier(verifier))
    }

    /// The verifier itself, to store or send.
    pub fn secret(&self) -> &str {
        &self.0
    }

    /// The S256 challenge: base64url(SHA-256(verifier)) without padding.
    pub fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for PkceVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PkceVerifier(***)")
    }
}

/// Compares two secrets in time independent of where they differ.
pub(crate) fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_challenge_matches_rfc7636_appendix_b() {
        let verifier = PkceVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        assert_eq!(
            verifier.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn generated_verifiers_are_valid_and_distinct() {
        let a = PkceVerifier::generate().unwrap();
        let b = PkceVerifier::generate().unwrap();
        assert_eq!(a.secret().len(), 43);
        assert!(PkceVerifier::new(a.secret()).is_ok());
        assert_ne!(a, b);
        assert_eq!(format!("{a:?}"), "PkceVerifier(***)");
    }

    #[test]
    fn bad_verifiers_are_rejected() {
        for bad in ["short", &"a".repeat(129), &format!("{}!", "a".repeat(43))] {
            assert!(matches!(PkceVerifier::new(bad), Err(OAuthError::Config(_))));
        }
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }
}
