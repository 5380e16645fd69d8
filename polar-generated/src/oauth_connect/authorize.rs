//! The URL that sends a user to Polar to grant access.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::pkce::{random_state, PkceVerifier};
use super::{OAuthApp, OAuthError};
use crate::models::{Scope, SubType};

/// RFC 3986 unreserved characters stay; everything else is percent-encoded (a space
/// becomes `%20`, not `+`).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What to do with a built authorization URL: send the user to [`url`](Self::url) and
/// keep [`state`](Self::state) and [`pkce_verifier`](Self::pkce_verifier) with the pending
/// login (e.g. in a server-side session) for the callback.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AuthorizationRequest {
    /// Where to redirect the user.
    pub url: String,
    /// The `state` sent; the callback must return the same value.
    pub state: String,
    /// The PKCE verifier whose challenge was sent; needed to exchange the code.
    pub pkce_verifier: PkceVerifier,
}

/// Builds the authorization URL; from [`OAuthApp::authorization_url`].
#[derive(Debug, Clone)]
#[must_use = "call `.build()` to get the URL"]
pub struct AuthorizationUrlBuilder<'a> {
    app: &'a OAuthApp,
    scopes: Vec<Scope>,
    state: Option<String>,
    pkce_verifier: Option<PkceVerifier>,
    sub_type: Option<SubType>,
}

impl<'a> AuthorizationUrlBuilder<'a> {
    pub(super) fn new(app: &'a OAuthApp) -> Self {
        AuthorizationUrlBuilder {
            app,
            scopes: Vec::new(),
            state: None,
            pkce_verifier: None,
            sub_type: None,
        }
    }

    /// Adds a scope: a known one (`Scope::ProductsRead`) or any string (`"openid"`, or a
    /// scope newer than this crate). Duplicates are sent once, in the order first given.
    pub fn scope(mut self, scope: impl Into<Scope>) -> Self {
        let scope = scope.into();
        if !self.scopes.contains(&scope) {
            self.scopes.push(scope);
        }
        self
    }

    /// Adds several scopes (see [`scope`](Self::scope)).
    pub fn scopes<S: Into<Scope>>(self, scopes: impl IntoIterator<Item = S>) -> Self {
        scopes.into_iter().fold(self, |builder, s| builder.scope(s))
    }

    /// Whether the token acts for the user (`SubType::User`) or for one organization the
    /// user picks on Polar's consent screen (`SubType::Organization`, what integrations
    /// acting on an organization's data want). Omitted unless set, which lets Polar ask.
    pub fn sub_type(mut self, sub_type: SubType) -> Self {
        self.sub_type = Some(sub_type);
        self
    }

    /// Uses this `state` instead of a random one (e.g. to carry your own signed value).
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = Some(state.into());
        self
    }

    /// Uses this PKCE verifier instead of a fresh random one.
    pub fn pkce_verifier(mut self, verifier: PkceVerifier) -> Self {
        self.pkce_verifier = Some(verifier);
        self
    }

    /// The URL, with `response_type=code`, `client_id`, `redirect_uri`, `scope`
    /// (space-separated), `state`, `code_challenge`, `code_challenge_method=S256` and
    /// `sub_type` when set. Fails when the app has no authorization endpoint (custom base
    /// URL without [`OAuthApp::authorize_endpoint`]), when no scope was given, or when the
    /// random number generator fails.
    pub fn build(self) -> Result<AuthorizationRequest, OAuthError> {
        let endpoint = self.app.authorize_endpoint_url()?;
        if self.scopes.is_empty() {
            return Err(OAuthError::Config(
                "the authorization URL needs at least one scope".to_owned(),
            ));
        }
        let state = match self.state {
            Some(state) if state.is_empty() => {
                return Err(OAuthError::Config("the `state` is empty".to_owned()))
            }
            Some(state) => state,
            None => random_state()?,
        };
        let pkce_verifier = match self.pkce_verifier {
            Some(verifier) => verifier,
            None => PkceVerifier::generate()?,
        };
        let scope = self
            .scopes
            .iter()
            .map(Scope::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        let challenge = pkce_verifier.challenge();
        let mut params: Vec<(&str, &str)> = vec![
            ("response_type", "code"),
            ("client_id", self.app.client_id()),
            ("redirect_uri", self.app.redirect_uri()),
            ("scope", &scope),
            ("state", &state),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ];
        if let Some(sub_type) = &self.sub_type {
            params.push(("sub_type", sub_type.as_str()));
        }
        let query = params
            .iter()
            .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, QUERY_VALUE)))
            .collect::<Vec<_>>()
            .join("&");
        let separator = if endpoint.contains('?') { '&' } else { '?' };
        Ok(AuthorizationRequest {
            url: format!("{endpoint}{separator}{query}"),
            state,
            pkce_verifier,
        })
    }
}
