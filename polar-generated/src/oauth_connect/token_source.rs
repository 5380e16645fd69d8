//! A token that stays valid: refreshed shortly before it expires, once for all callers.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::Mutex;

use super::error::OAuthErrorCode;
use super::{OAuthApp, OAuthError, TokenSet};
use crate::runtime::credential::{AccessTokenFuture, AccessTokenProvider};

/// How long before expiry a token is refreshed by default.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Called with every new token set after a refresh, to store it.
type RefreshObserver = Arc<dyn Fn(&TokenSet) + Send + Sync>;

/// The access token of one connected account, refreshed `margin` before it expires.
///
/// Cheap to clone and safe to share across tasks: callers that find the token expiring
/// wait for a single refresh and all get its result. Use it as the client's credential
/// with [`crate::ClientBuilder::access_token_provider`], so calls never send an expired
/// token. After the refresh token was refused (`invalid_grant`: revoked or expired),
/// every call fails with that error without asking Polar again, until
/// [`TokenSource::replace`] installs tokens from a new authorization.
#[derive(Clone)]
pub struct TokenSource {
    inner: Arc<Inner>,
}

struct Inner {
    app: OAuthApp,
    margin: Duration,
    on_refresh: Option<RefreshObserver>,
    state: Mutex<State>,
}

struct State {
    tokens: TokenSet,
    /// Set when Polar refused the refresh token; kept so callers fail fast.
    refused: Option<(u16, OAuthErrorCode, Option<String>)>,
    refreshes: u64,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("app", &self.inner.app)
            .field("margin", &self.inner.margin)
            .finish_non_exhaustive()
    }
}

/// Configures a [`TokenSource`]; from [`TokenSource::builder`].
#[must_use = "call `.build()` to get the token source"]
pub struct TokenSourceBuilder {
    app: OAuthApp,
    tokens: TokenSet,
    margin: Duration,
    on_refresh: Option<RefreshObserver>,
}

impl fmt::Debug for TokenSourceBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSourceBuilder")
            .field("app", &self.app)
            .field("tokens", &self.tokens)
            .field("margin", &self.margin)
            .field("on_refresh", &self.on_refresh.is_some())
            .finish()
    }
}

impl TokenSourceBuilder {
    /// Refresh this long before expiry (default [`DEFAULT_REFRESH_MARGIN`]).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Calls `observer` with every new token set, right after a refresh and before any
    /// caller uses it: store it there, since Polar rotates refresh tokens.
    pub fn on_refresh(mut self, observer: impl Fn(&TokenSet) + Send + Sync + 'static) -> Self {
        self.on_refresh = Some(Arc::new(observer));
        self
    }

    /// The token source.
    pub fn build(self) -> TokenSource {
        TokenSource {
            inner: Arc::new(Inner {
                app: self.app,
                margin: self.margin,
                on_refresh: self.on_refresh,
                state: Mutex::new(State {
                    tokens: self.tokens,
                    refused: None,
                    refreshes: 0,
                }),
            }),
        }
    }
}

impl TokenSource {
    /// A source starting from `tokens` (just exchanged, or loaded from storage), with the
    /// default margin and no refresh observer.
    pub fn new(app: OAuthApp, tokens: TokenSet) -> Self {
        Self::builder(app, tokens).build()
    }

    /// Configures a source starting from `tokens`.
    pub fn builder(app: OAuthApp, tokens: TokenSet) -> TokenSourceBuilder {
        TokenSourceBuilder {
            app,
            tokens,
            margin: DEFAULT_REFRESH_MARGIN,
            on_refresh: None,
        }
    }

    /// A valid access token: the current one, or a refreshed one when it expires within
    /// the margin. Concurrent callers share one refresh.
    pub async fn access_token(&self) -> Result<String, OAuthError> {
        let mut state = self.inner.state.lock().await;
        if let Some((status, code, description)) = &state.refused {
            return Err(OAuthError::Token {
                status: *status,
                code: code.clone(),
                description: description.clone(),
            });
        }
        if !state.tokens.expires_within(self.inner.margin, Utc::now()) {
            return Ok(state.tokens.access_token.clone());
        }
        self.refresh_locked(&mut state).await?;
        Ok(state.tokens.access_token.clone())
    }

    /// Refreshes now, whatever the expiry (e.g. after the API answered 401).
    pub async fn force_refresh(&self) -> Result<TokenSet, OAuthError> {
        let mut state = self.inner.state.lock().await;
        self.refresh_locked(&mut state).await?;
        Ok(state.tokens.clone())
    }

    async fn refresh_locked(&self, state: &mut State) -> Result<(), OAuthError> {
        let Some(refresh_token) = state.tokens.refresh_token.clone() else {
            return Err(OAuthError::NoRefreshToken);
        };
        match self.inner.app.refresh(&refresh_token).await {
            Ok(mut tokens) => {
                // Polar may omit a new refresh token; the old one then stays valid.
                if tokens.refresh_token.is_none() {
                    tokens.refresh_token = Some(refresh_token);
                }
                if let Some(observer) = &self.inner.on_refresh {
                    observer(&tokens);
                }
                state.tokens = tokens;
                state.refreshes += 1;
                Ok(())
            }
            Err(OAuthError::Token {
                status,
                code,
                description,
            }) => {
                if code == OAuthErrorCode::InvalidGrant {
                    state.refused = Some((status, code.clone(), description.clone()));
                }
                Err(OAuthError::Token {
                    status,
                    code,
                    description,
                })
            }
            Err(err) => Err(err),
        }
    }

    /// The current tokens (to store them).
    pub async fn tokens(&self) -> TokenSet {
        self.inner.state.lock().await.tokens.clone()
    }

    /// How many refreshes succeeded since the source was created.
    pub async fn refresh_count(&self) -> u64 {
        self.inner.state.lock().await.refreshes
    }

    /// Installs tokens from a new authorization (after the user connected again).
    pub async fn replace(&self, tokens: TokenSet) {
        let mut state = self.inner.state.lock().await;
        state.tokens = tokens;
        state.refused = None;
    }
}

impl AccessTokenProvider for TokenSource {
    fn access_token(&self) -> AccessTokenFuture<'_> {
        Box::pin(async move { TokenSource::access_token(self).await.map_err(Into::into) })
    }
}
