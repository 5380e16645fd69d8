//! Signing deliveries the way Polar does, so users can test their own handlers.

use super::headers::{HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP};
use super::verify::{format_entry, tag};
use super::{KeyDerivation, Webhook, WebhookError};

impl Webhook {
    /// The `webhook-signature` value Polar would send for this message: `v1,<base64>`,
    /// the HMAC-SHA256 of `"{msg_id}.{timestamp}.{body}"`.
    ///
    /// Signs with the secret's first key: the base64-decoded one for a `whsec_` secret
    /// whose remainder decodes (Standard Webhooks, Polar's scheme since 2026-09-08), else
    /// the raw bytes of the secret. [`verify`](Self::verify) accepts either; use
    /// [`sign_with`](Self::sign_with) to choose.
    pub fn sign(&self, msg_id: &str, timestamp: i64, body: &[u8]) -> String {
        format_entry(tag(self.secret().primary_key(), msg_id, timestamp, body))
    }

    /// Like [`sign`](Self::sign), with the key of `derivation`; `None` if the secret has
    /// no such key (only `whsec_` secrets that decode have a
    /// [`Base64Decoded`](KeyDerivation::Base64Decoded) key).
    pub fn sign_with(
        &self,
        derivation: KeyDerivation,
        msg_id: &str,
        timestamp: i64,
        body: &[u8],
    ) -> Option<String> {
        let key = self.secret().key(derivation)?;
        Some(format_entry(tag(key, msg_id, timestamp, body)))
    }

    /// The three `webhook-*` headers Polar would send for this message, signed with
    /// [`sign`](Self::sign): ready to attach to a test request.
    ///
    /// Fails with [`WebhookError::InvalidHeader`] if `msg_id` is not a valid header value.
    pub fn signed_headers(
        &self,
        msg_id: &str,
        timestamp: i64,
        body: &[u8],
    ) -> Result<http::HeaderMap, WebhookError> {
        let id = http::HeaderValue::from_str(msg_id).map_err(|_| WebhookError::InvalidHeader {
            header: HEADER_ID,
            reason: "not a valid header value",
        })?;
        let signature = self.sign(msg_id, timestamp, body);
        let mut headers = http::HeaderMap::with_capacity(3);
        headers.insert(HEADER_ID, id);
        headers.insert(HEADER_TIMESTAMP, http::HeaderValue::from(timestamp));
        headers.insert(
            HEADER_SIGNATURE,
            http::HeaderValue::from_str(&signature).map_err(|_| WebhookError::InvalidHeader {
                header: HEADER_SIGNATURE,
                reason: "not a valid header value",
            })?,
        );
        Ok(headers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn signed_headers_verify() {
        let webhook = Webhook::new("polar_whs_0123456789abcdef").unwrap();
        let body = br#"{"type":"order.paid"}"#;
        let headers = webhook
            .signed_headers("msg_2", 1_700_000_000, body)
            .unwrap();
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_010);
        assert_eq!(webhook.verify_at(body, &headers, now).map(drop), Ok(()));
        assert!(matches!(
            webhook.signed_headers("bad\nid", 1, body),
            Err(WebhookError::InvalidHeader {
                header: HEADER_ID,
                ..
            })
        ));
    }

    #[test]
    fn sign_prefers_the_decoded_key() {
        let webhook = Webhook::new("whsec_c2VjcmV0LWtleQ==").unwrap();
        let body = b"{}";
        assert_eq!(
            Some(webhook.sign("m", 1, body)),
            webhook.sign_with(KeyDerivation::Base64Decoded, "m", 1, body)
        );
        assert_ne!(
            Some(webhook.sign("m", 1, body)),
            webhook.sign_with(KeyDerivation::RawBytes, "m", 1, body)
        );
        let raw_only = Webhook::new("polar_whs_c2VjcmV0LWtleQ==").unwrap();
        assert_eq!(
            raw_only.sign_with(KeyDerivation::Base64Decoded, "m", 1, body),
            None
        );
        assert!(raw_only.sign("m", 1, body).starts_with("v1,"));
    }
}
