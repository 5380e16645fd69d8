//! A hook for access tokens that change while the client lives (OAuth2 tokens expire and
//! are refreshed): the client asks the provider for the token before every attempt.

use std::future::Future;
use std::pin::Pin;

/// The error an [`AccessTokenProvider`] returns; the client wraps it in
/// [`crate::Error::Credential`].
pub type CredentialError = Box<dyn std::error::Error + Send + Sync>;

/// The future returned by [`AccessTokenProvider::access_token`].
pub type AccessTokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<String, CredentialError>> + Send + 'a>>;

/// Supplies the access token for operations that need one, asked before every attempt
/// (retries included), so a token refreshed meanwhile is picked up. Register one with
/// [`crate::ClientBuilder::access_token_provider`]; it takes precedence over a static
/// [`crate::ClientBuilder::access_token`].
///
/// Implementations should be cheap when the token is still valid (a lock and a clone) and
/// refresh at most once for many concurrent callers.
pub trait AccessTokenProvider: Send + Sync {
    /// The token to send now, without the `Bearer ` prefix.
    fn access_token(&self) -> AccessTokenFuture<'_>;
}
