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
    refused: Option<Refused>,
    refreshes: u64,
}

/// Polar's answer when it refused the refresh token.
struct Refused {
    status: u16,
    code: OAuthErrorCode,
    description: Option<String>,
}

impl Refused {
    fn to_error(&self) -> OAuthError {
        OAuthError::Token {
            status: self.status,
            code: self.code.clone(),
            description: self.description.clone(),
        }
    }
}

#[derive(Clone, Copy)]
enum Refresh {
    /// Only if the token still expires within the margin once the lock is held: callers
    /// that queued behind another refresh take its result.
    IfExpiring,
    Always,
}

impl Inner {
    async fn refresh(&self, when: Refresh) -> Result<TokenSet, OAuthError> {
        let mut state = self.state.lock().await;
        if let Some(refused) = &state.refused {
            return Err(refused.to_error());
        }
        if matches!(when, Refresh::IfExpiring)
            && !state.tokens.expires_within(self.margin, Utc::now())
        {
            return Ok(state.tokens.clone());
        }
        let Some(refresh_token) = state.tokens.refresh_token.clone() else {
            return Err(OAuthError::NoRefreshToken);
        };
        match self.app.refresh(&refresh_token).await {
            Ok(mut tokens) => {
                // Polar may omit a new refresh token; the old one then stays valid.
                if tokens.refresh_token.is_none() {
                    tokens.refresh_token = Some(refresh_token);
                }
                if let Some(observer) = &self.on_refresh {
                    observer(&tokens);
                }
                state.tokens = tokens;
                state.refreshes += 1;
                Ok(state.tokens.clone())
            }
            Err(OAuthError::Token {
                status,
                code,
                description,
            }) => {
                let refused = Refused {
                    status,
                    code,
                    description,
                };
                let err = refused.to_error();
                if refused.code == OAuthErrorCode::InvalidGrant {
                    state.refused = Some(refused);
                }
                Err(err)
            }
            Err(err) => Err(err),
        }
    }
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
        {
            let state = self.inner.state.lock().await;
            if let Some(refused) = &state.refused {
                return Err(refused.to_error());
            }
            if !state.tokens.expires_within(self.inner.margin, Utc::now()) {
                return Ok(state.tokens.access_token.clone());
            }
        }
        self.refresh_detached(Refresh::IfExpiring).await?;
        let state = self.inner.state.lock().await;
        Ok(state.tokens.access_token.clone())
    }

    /// Refreshes now, whatever the expiry (e.g. after the API answered 401).
    pub async fn force_refresh(&self) -> Result<TokenSet, OAuthError> {
        self.refresh_detached(Refresh::Always).await
    }

    /// Runs the refresh on its own task and waits for it. Polar rotates the refresh token
    /// on every refresh, so a refresh must never be abandoned halfway: a caller that is
    /// cancelled (a request timeout, a dropped future) only stops waiting, while the task
    /// still stores the new tokens and calls `on_refresh`.
    async fn refresh_detached(&self, when: Refresh) -> Result<TokenSet, OAuthError> {
        let inner = Arc::clone(&self.inner);
        let task = tokio::spawn(async move { inner.refresh(when).await });
        match task.await {
            Ok(result) => result,
            // A panic in `on_refresh` reaches the caller as it would have without the task.
            Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
            Err(_cancelled) => Err(OAuthError::Config(
                "the runtime shut down during a token refresh".to_owned(),
            )),
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
