//! The tokens Polar issues, with their expiry as a point in time.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// An access token, its refresh token and when it expires. Serializable so you can store
/// it per connected account; its `Debug` output hides the tokens.
///
/// Polar rotates refresh tokens: after every refresh, store the new set (see
/// [`super::TokenSourceBuilder::on_refresh`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenSet {
    /// The bearer token for API calls.
    pub access_token: String,
    /// The token to get a new access token, when one was issued.
    pub refresh_token: Option<String>,
    /// When the access token stops working (computed from `expires_in` on receipt).
    pub expires_at: DateTime<Utc>,
    /// The granted scopes, space-separated, as Polar returned them.
    pub scope: String,
    /// The OpenID Connect ID token, when the `openid` scope was granted.
    pub id_token: Option<String>,
}

impl TokenSet {
    /// A token set you stored earlier.
    pub fn new(
        access_token: impl Into<String>,
        refresh_token: Option<String>,
        expires_at: DateTime<Utc>,
        scope: impl Into<String>,
    ) -> Self {
        TokenSet {
            access_token: access_token.into(),
            refresh_token,
            expires_at,
            scope: scope.into(),
            id_token: None,
        }
    }

    /// The token endpoint's answer, received at `now`.
    pub(crate) fn from_response(
        response: crate::models::TokenResponse,
        now: DateTime<Utc>,
    ) -> Self {
        TokenSet {
            access_token: response.access_token,
            refresh_token: response.refresh_token,
            expires_at: expiry(now, response.expires_in),
            scope: response.scope,
            id_token: response.id_token,
        }
    }

    /// The granted scopes, one by one.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope.split_whitespace()
    }

    /// Whether the access token is expired, or expires within `margin`, at `now`.
    pub fn expires_within(&self, margin: std::time::Duration, now: DateTime<Utc>) -> bool {
        let margin = Duration::from_std(margin).unwrap_or(Duration::MAX);
        now.checked_add_signed(margin)
            .is_none_or(|deadline| deadline >= self.expires_at)
    }
}

/// `now + expires_in` seconds, saturating: a server's absurd `expires_in` must not panic.
fn expiry(now: DateTime<Utc>, expires_in: i64) -> DateTime<Utc> {
    Duration::try_seconds(expires_in.max(0))
        .and_then(|lifetime| now.checked_add_signed(lifetime))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &"***")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "***"))
            .field("expires_at", &self.expires_at)
            .field("scope", &self.scope)
            .field("id_token", &self.id_token.as_ref().map(|_| "***"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_is_computed_from_receipt_and_checked_with_a_margin() {
        let now = Utc::now();
        let response: crate::models::TokenResponse = serde_json::from_value(serde_json::json!({
            "access_token": "polar_at_u_x", "token_type": "Bearer", "expires_in": 3600,
            "refresh_token": "polar_rt_u_x", "scope": "openid products:read"
        }))
        .unwrap();
        let tokens = TokenSet::from_response(response, now);
        assert_eq!(tokens.expires_at, now + Duration::seconds(3600));
        assert_eq!(
            tokens.scopes().collect::<Vec<_>>(),
            ["openid", "products:read"]
        );
        let minute = std::time::Duration::from_secs(60);
        assert!(!tokens.expires_within(minute, now));
        assert!(tokens.expires_within(minute, now + Duration::seconds(3541)));
        assert!(tokens.expires_within(minute, now + Duration::seconds(4000)));
        let text = format!("{tokens:?}");
        assert!(
            !text.contains("polar_at") && !text.contains("polar_rt"),
            "{text}"
        );
    }

    #[test]
    fn a_huge_expires_in_saturates_instead_of_panicking() {
        let now = Utc::now();
        for expires_in in [i64::MAX, i64::MAX / 1000, 1 << 40] {
            let response: crate::models::TokenResponse =
                serde_json::from_value(serde_json::json!({
                    "access_token": "a", "token_type": "Bearer", "expires_in": expires_in,
                    "scope": ""
                }))
                .unwrap();
            let tokens = TokenSet::from_response(response, now);
            assert!(tokens.expires_at > now, "{expires_in}");
        }
        let negative: crate::models::TokenResponse = serde_json::from_value(serde_json::json!({
            "access_token": "a", "token_type": "Bearer", "expires_in": -5, "scope": ""
        }))
        .unwrap();
        assert_eq!(TokenSet::from_response(negative, now).expires_at, now);
    }

    #[test]
    fn debug_hides_tokens() {
        let tokens = TokenSet::new("polar_at_u_x", Some("polar_rt_u_x".into()), Utc::now(), "");
        let text = format!("{tokens:?}");
        assert!(
            !text.contains("polar_at") && !text.contains("polar_rt"),
            "{text}"
        );
    }
}
