//! OAuth2 "connect with Polar" for platforms acting for Polar users (feature
//! `oauth-connect`).
//!
//! 1. [`OAuthApp::authorization_url`] builds the consent-page URL with typed scopes,
//!    `sub_type`, a random `state` and a PKCE S256 challenge;
//! 2. [`code_from_callback`] checks the redirect's `state` and returns the code, or the
//!    typed error Polar sent back;
//! 3. [`OAuthApp::exchange_code`] and [`OAuthApp::refresh`] call the token endpoint (the
//!    generated `oauth2:request_token`, form-encoded) and return a [`TokenSet`] with its
//!    expiry; [`OAuthApp::revoke`] and [`OAuthApp::introspect`] wrap the other two;
//! 4. [`TokenSource`] keeps one account's token fresh and plugs into
//!    [`crate::ClientBuilder::access_token_provider`].

mod app;
mod authorize;
mod callback;
mod error;
mod pkce;
mod token_source;
mod tokens;

pub use app::{OAuthApp, PRODUCTION_AUTHORIZE_URL, SANDBOX_AUTHORIZE_URL};
pub use authorize::{AuthorizationRequest, AuthorizationUrlBuilder};
pub use callback::code_from_callback;
pub use error::{OAuthError, OAuthErrorCode};
pub use pkce::PkceVerifier;
pub use token_source::{TokenSource, TokenSourceBuilder, DEFAULT_REFRESH_MARGIN};
pub use tokens::TokenSet;
