//! The webhook secret and the HMAC keys derived from it.
//!
//! Polar has signed webhooks with two different keys over time (see the
//! [module documentation](super#secrets-and-polars-two-signing-schemes)); a
//! [`WebhookSecret`] holds every key a secret can stand for, so verification can try each.

use std::fmt;

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::WebhookError;

/// HMAC-SHA256, the only algorithm of Standard Webhooks' `v1` scheme.
pub(crate) type HmacSha256 = Hmac<Sha256>;

/// The prefix of Standard Webhooks secrets, followed by the base64 of the key.
pub const STANDARD_SECRET_PREFIX: &str = "whsec_";

/// Standard base64, accepting input with or without `=` padding (secrets and signatures
/// are copied around by hand; padding carries no information).
pub(crate) const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// How an HMAC key is derived from the secret string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyDerivation {
    /// Standard Webhooks: the base64-decoded part after the `whsec_` prefix. Polar uses it
    /// for secrets created from 2026-09-08 on. Only available for `whsec_` secrets whose
    /// remainder is valid base64.
    Base64Decoded,
    /// The raw UTF-8 bytes of the whole secret string, prefix included. Polar signs with
    /// this key for secrets created before 2026-09-08 (`whsec_…` and `polar_whs_…`).
    RawBytes,
}

/// A Polar webhook secret, as shown in the Polar dashboard (`whsec_…` or `polar_whs_…`).
///
/// It keeps only the HMAC keys derived from the secret, in the order verification tries
/// them: [`KeyDerivation::Base64Decoded`] (when available), then [`KeyDerivation::RawBytes`].
/// Its `Debug` output is redacted and it has no `Display`.
#[derive(Clone)]
pub struct WebhookSecret {
    /// The base64-decoded key, when the secret has the `whsec_` prefix and decodes.
    decoded: Option<HmacSha256>,
    /// The key made of the secret's raw bytes; always present.
    raw: HmacSha256,
}

impl WebhookSecret {
    /// Derive the HMAC keys from `secret`.
    ///
    /// Fails only for an empty secret or one with leading or trailing whitespace (almost
    /// always a newline copied along from an environment file, which would make every
    /// signature mismatch in a way that is hard to diagnose). A secret without the
    /// `whsec_` prefix is never base64-decoded.
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        if secret.is_empty() {
            return Err(WebhookError::InvalidSecret {
                reason: "the secret is empty",
            });
        }
        if secret.trim() != secret {
            return Err(WebhookError::InvalidSecret {
                reason: "the secret has leading or trailing whitespace",
            });
        }
        let decoded = secret
            .strip_prefix(STANDARD_SECRET_PREFIX)
            .and_then(|encoded| BASE64.decode(encoded).ok())
            .filter(|key| !key.is_empty())
            .map(|key| hmac_key(&key))
            .transpose()?;
        Ok(Self {
            decoded,
            raw: hmac_key(secret.as_bytes())?,
        })
    }

    /// The key derivations this secret supports, in the order verification tries them.
    pub fn derivations(&self) -> impl Iterator<Item = KeyDerivation> + '_ {
        self.keys().map(|(derivation, _)| derivation)
    }

    /// The HMAC keys, in the order verification tries them.
    pub(crate) fn keys(&self) -> impl Iterator<Item = (KeyDerivation, &HmacSha256)> {
        let decoded = self
            .decoded
            .as_ref()
            .map(|key| (KeyDerivation::Base64Decoded, key));
        decoded
            .into_iter()
            .chain(std::iter::once((KeyDerivation::RawBytes, &self.raw)))
    }

    /// The key tried first: the decoded one if any, else the raw bytes.
    pub(crate) fn primary_key(&self) -> &HmacSha256 {
        self.decoded.as_ref().unwrap_or(&self.raw)
    }

    /// The key for `derivation`, if this secret supports it.
    pub(crate) fn key(&self, derivation: KeyDerivation) -> Option<&HmacSha256> {
        match derivation {
            KeyDerivation::Base64Decoded => self.decoded.as_ref(),
            KeyDerivation::RawBytes => Some(&self.raw),
        }
    }
}

fn hmac_key(key: &[u8]) -> Result<HmacSha256, WebhookError> {
    // HMAC accepts keys of any length, so this never fails; no panic path all the same.
    HmacSha256::new_from_slice(key).map_err(|_| WebhookError::InvalidSecret {
        reason: "the key has an invalid length",
    })
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derivations(secret: &str) -> Vec<KeyDerivation> {
        WebhookSecret::new(secret).unwrap().derivations().collect()
    }

    #[test]
    fn whsec_secret_that_decodes_has_both_keys_decoded_first() {
        use KeyDerivation::*;
        assert_eq!(
            derivations("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            [Base64Decoded, RawBytes]
        );
        // Unpadded base64 (the padded form of this one ends in `=`).
        assert_eq!(
            derivations("whsec_c2VjcmV0LWtleQ"),
            [Base64Decoded, RawBytes]
        );
    }

    #[test]
    fn other_secrets_have_only_the_raw_key() {
        use KeyDerivation::*;
        // Not base64 after the prefix.
        assert_eq!(derivations("whsec_not*base64!"), [RawBytes]);
        // Nothing after the prefix.
        assert_eq!(derivations("whsec_"), [RawBytes]);
        // Valid base64, but no `whsec_` prefix: never decoded.
        assert_eq!(derivations("polar_whs_c2VjcmV0LWtleQ"), [RawBytes]);
        assert_eq!(derivations("c2VjcmV0LWtleQ=="), [RawBytes]);
    }

    #[test]
    fn unusable_secrets_are_rejected() {
        for secret in ["", "whsec_abc\n", " polar_whs_abc"] {
            let err = WebhookSecret::new(secret).unwrap_err();
            assert!(
                matches!(err, WebhookError::InvalidSecret { .. }),
                "{secret:?}"
            );
            assert!(!err.to_string().contains("abc"));
        }
    }

    #[test]
    fn debug_is_redacted() {
        let secret = WebhookSecret::new("whsec_c2VjcmV0LWtleQ").unwrap();
        assert_eq!(format!("{secret:?}"), "WebhookSecret(<redacted>)");
        assert_eq!(format!("{secret:#?}"), "WebhookSecret(<redacted>)");
    }
}
