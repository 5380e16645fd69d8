//! Your OAuth2 client registered with Polar, and the calls it makes to the token
//! endpoints through the generated `oauth2` operations.

use std::fmt;

use chrono::Utc;

use super::authorize::AuthorizationUrlBuilder;
use super::error::from_token_endpoint;
use super::pkce::PkceVerifier;
use super::tokens::TokenSet;
use super::OAuthError;
use crate::models::{
    AuthorizationCodeTokenRequest, IntrospectTokenRequest, IntrospectTokenRequestTokenTypeHint,
    IntrospectTokenResponse, OAuth2TokenBody, RefreshTokenRequest, RevokeTokenRequest,
};
use crate::{Client, Environment};

/// Polar's consent page in production.
pub const PRODUCTION_AUTHORIZE_URL: &str = "https://polar.sh/oauth2/authorize";
/// Polar's consent page in the sandbox.
pub const SANDBOX_AUTHORIZE_URL: &str = "https://sandbox.polar.sh/oauth2/authorize";

/// An OAuth2 client registered with Polar (client id, secret and redirect URI), talking
/// to the environment of the [`Client`] it is given: production or sandbox for both the
/// consent page and the token endpoints.
///
/// ```no_run
/// # async fn run(query: &str) -> Result<(), Box<dyn std::error::Error>> {
/// use polar::models::{Scope, SubType};
/// use polar::oauth_connect::{code_from_callback, OAuthApp, TokenSource};
/// use polar::{Client, Environment};
///
/// let api = Client::builder().environment(Environment::Sandbox).build()?;
/// let app = OAuthApp::new(api, "polar_ci_…", "polar_cs_…", "https://app.example/callback");
/// let request = app
///     .authorization_url()
///     .scopes([Scope::ProductsRead, Scope::OrdersRead])
///     .sub_type(SubType::Organization)
///     .build()?;
/// // Redirect the user to request.url; keep request.state and request.pkce_verifier.
/// // Later, on the callback:
/// let code = code_from_callback(query, &request.state)?;
/// let tokens = app.exchange_code(&code, &request.pkce_verifier).await?;
/// let source = TokenSource::new(app, tokens);
/// let client = Client::builder()
///     .environment(Environment::Sandbox)
///     .access_token_provider(source.clone())
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct OAuthApp {
    client: Client,
    client_id: String,
    client_secret: String,
    redirect_uri: String,
    authorize_endpoint: Option<String>,
}

impl fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthApp")
            .field("base_url", &self.client.base_url())
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("redirect_uri", &self.redirect_uri)
            .field("authorize_endpoint", &self.authorize_endpoint)
            .finish()
    }
}

impl OAuthApp {
    /// An app using `client` (no token needed) for the token endpoints.
    pub fn new(
        client: Client,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        OAuthApp {
            client,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            redirect_uri: redirect_uri.into(),
            authorize_endpoint: None,
        }
    }

    /// The consent page URL, replacing the environment's (needed with a custom base URL,
    /// e.g. a local Polar server or a mock).
    pub fn authorize_endpoint(mut self, url: impl Into<String>) -> Self {
        self.authorize_endpoint = Some(url.into());
        self
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The redirect URI, sent with the authorization URL and the code exchange.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The client the token calls go through.
    pub fn api_client(&self) -> &Client {
        &self.client
    }

    pub(super) fn authorize_endpoint_url(&self) -> Result<&str, OAuthError> {
        match (&self.authorize_endpoint, self.client.environment()) {
            (Some(url), _) => Ok(url),
            (None, Some(Environment::Production)) => Ok(PRODUCTION_AUTHORIZE_URL),
            (None, Some(Environment::Sandbox)) => Ok(SANDBOX_AUTHORIZE_URL),
            (None, None) => Err(OAuthError::Config(
                "the client has a custom base URL, so the consent page is unknown; set \
                 OAuthApp::authorize_endpoint"
                    .to_owned(),
            )),
        }
    }

    /// Starts the authorization URL (scopes, `sub_type`, with `state` and PKCE generated).
    pub fn authorization_url(&self) -> AuthorizationUrlBuilder<'_> {
        AuthorizationUrlBuilder::new(self)
    }

    /// Exchanges the callback's code (and the PKCE verifier sent with its authorization
    /// URL) for tokens (`grant_type=authorization_code`).
    pub async fn exchange_code(
        &self,
        code: &str,
        verifier: &PkceVerifier,
    ) -> Result<TokenSet, OAuthError> {
        let body = AuthorizationCodeTokenRequest {
            grant_type: Default::default(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            code: code.to_owned(),
            redirect_uri: self.redirect_uri.clone(),
            code_verifier: Some(verifier.secret().to_owned()),
        };
        self.request_token(OAuth2TokenBody::AuthorizationCodeTokenRequest(Box::new(
            body,
        )))
        .await
    }

    /// New tokens for a refresh token (`grant_type=refresh_token`). Polar rotates refresh
    /// tokens: keep the returned set, the old refresh token stops working.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenSet, OAuthError> {
        let body = RefreshTokenRequest {
            grant_type: Default::default(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            refresh_token: refresh_token.to_owned(),
        };
        self.request_token(OAuth2TokenBody::RefreshTokenRequest(Box::new(body)))
            .await
    }

    async fn request_token(&self, body: OAuth2TokenBody) -> Result<TokenSet, OAuthError> {
        let response = self
            .client
            .oauth2()
            .token(body)
            .send()
            .await
            .map_err(from_token_endpoint)?;
        Ok(TokenSet::from_response(response, Utc::now()))
    }

    /// Revokes an access or refresh token (RFC 7009), e.g. when a user disconnects.
    /// Revoking a refresh token also ends the access tokens issued with it.
    pub async fn revoke(
        &self,
        token: &str,
        hint: Option<IntrospectTokenRequestTokenTypeHint>,
    ) -> Result<(), OAuthError> {
        let body = RevokeTokenRequest {
            token: token.to_owned(),
            token_type_hint: hint.map(Some),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
        };
        self.client
            .oauth2()
            .revoke(body)
            .send()
            .await
            .map_err(from_token_endpoint)?;
        Ok(())
    }

    /// Asks Polar whether a token is active, and for whom and which scopes (RFC 7662).
    /// `None` for an inactive (expired, revoked or unknown) token: Polar then answers
    /// `{"active": false}` alone, which the spec's response schema does not describe.
    pub async fn introspect(
        &self,
        token: &str,
        hint: Option<IntrospectTokenRequestTokenTypeHint>,
    ) -> Result<Option<IntrospectTokenResponse>, OAuthError> {
        let body = IntrospectTokenRequest {
            token: token.to_owned(),
            token_type_hint: hint.map(Some),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
        };
        match self.client.oauth2().introspect(body).send().await {
            Ok(response) if response.active => Ok(Some(response)),
            Ok(_) => Ok(None),
            Err(crate::Error::Decode { raw, .. }) if is_inactive(&raw) => Ok(None),
            Err(err) => Err(from_token_endpoint(err)),
        }
    }
}

/// `{"active": false}`, RFC 7662's whole answer for an inactive token.
fn is_inactive(raw: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(raw)
        .is_ok_and(|value| value.get("active") == Some(&serde_json::Value::Bool(false)))
}
