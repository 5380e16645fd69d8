//! What can go wrong while connecting a Polar account over OAuth2.

use std::fmt;

/// An OAuth2 error code (RFC 6749 sections 4.1.2.1 and 5.2), as Polar returns it in the
/// redirect (`?error=`) or in the token endpoint's JSON body. Unknown codes are kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OAuthErrorCode {
    /// `invalid_request`: a parameter is missing, repeated or malformed.
    InvalidRequest,
    /// `invalid_client`: the client id or secret is wrong.
    InvalidClient,
    /// `invalid_grant`: the code or refresh token is invalid, expired, revoked or was
    /// issued to another client; the user has to connect again.
    InvalidGrant,
    /// `unauthorized_client`: this client may not use this grant type.
    UnauthorizedClient,
    /// `unsupported_grant_type`.
    UnsupportedGrantType,
    /// `unsupported_response_type`.
    UnsupportedResponseType,
    /// `invalid_scope`: a requested scope is unknown or not allowed for this client.
    InvalidScope,
    /// `access_denied`: the user declined the authorization.
    AccessDenied,
    /// `server_error`.
    ServerError,
    /// `temporarily_unavailable`.
    TemporarilyUnavailable,
    /// A code this crate does not know.
    Other(String),
}

impl OAuthErrorCode {
    /// Parses a wire code; unknown codes become [`OAuthErrorCode::Other`].
    pub fn parse(code: &str) -> Self {
        match code {
            "invalid_request" => Self::InvalidRequest,
            "invalid_client" => Self::InvalidClient,
            "invalid_grant" => Self::InvalidGrant,
            "unauthorized_client" => Self::UnauthorizedClient,
            "unsupported_grant_type" => Self::UnsupportedGrantType,
            "unsupported_response_type" => Self::UnsupportedResponseType,
            "invalid_scope" => Self::InvalidScope,
            "access_denied" => Self::AccessDenied,
            "server_error" => Self::ServerError,
            "temporarily_unavailable" => Self::TemporarilyUnavailable,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The wire code, e.g. `invalid_grant`.
    pub fn as_str(&self) -> &str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope => "invalid_scope",
            Self::AccessDenied => "access_denied",
            Self::ServerError => "server_error",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
            Self::Other(code) => code,
        }
    }
}

impl fmt::Display for OAuthErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from the OAuth2 connect helpers.
#[derive(Debug)]
#[non_exhaustive]
pub enum OAuthError {
    /// Polar redirected back with `error` instead of a code (e.g. the user declined).
    Authorization {
        /// The `error` parameter.
        code: OAuthErrorCode,
        /// The `error_description` parameter, when given.
        description: Option<String>,
    },
    /// The callback's `state` is missing or differs from the one sent with the
    /// authorization URL: the redirect may be forged (CSRF). Do not exchange its code.
    StateMismatch,
    /// The callback has neither a `code` nor an `error` parameter.
    MissingCode,
    /// The token endpoint refused the request (`invalid_grant` for an expired code or a
    /// revoked refresh token: the user has to connect again).
    Token {
        /// HTTP status of the answer (usually 400 or 401).
        status: u16,
        /// The `error` field of the answer.
        code: OAuthErrorCode,
        /// The `error_description` field, when given.
        description: Option<String>,
    },
    /// The access token expired and there is no refresh token to renew it.
    NoRefreshToken,
    /// The request could not be made or its answer not read (network, timeout, decoding,
    /// or an error answer that is not an OAuth2 error).
    Request(crate::Error),
    /// A setting is missing or invalid (e.g. no authorization endpoint for a custom base
    /// URL, or the system's random number generator failed).
    Config(String),
}

impl OAuthError {
    /// The OAuth2 error code, for [`OAuthError::Authorization`] and [`OAuthError::Token`].
    pub fn code(&self) -> Option<&OAuthErrorCode> {
        match self {
            OAuthError::Authorization { code, .. } | OAuthError::Token { code, .. } => Some(code),
            _ => None,
        }
    }

    /// Whether the user has to go through the authorization again: the grant was refused
    /// as invalid (revoked or expired refresh token) or there is no refresh token.
    pub fn needs_reconnect(&self) -> bool {
        matches!(
            self,
            OAuthError::Token {
                code: OAuthErrorCode::InvalidGrant,
                ..
            } | OAuthError::NoRefreshToken
        )
    }
}

fn described(f: &mut fmt::Formatter<'_>, description: &Option<String>) -> fmt::Result {
    match description {
        Some(text) => write!(f, ": {text}"),
        None => Ok(()),
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OAuthError::Authorization { code, description } => {
                write!(f, "the authorization was refused ({code})")?;
                described(f, description)
            }
            OAuthError::StateMismatch => f.write_str(
                "the callback's `state` does not match the one sent: the redirect may be \
                 forged; its code was not used",
            ),
            OAuthError::MissingCode => {
                f.write_str("the callback has neither a `code` nor an `error` parameter")
            }
            OAuthError::Token {
                status,
                code,
                description,
            } => {
                write!(
                    f,
                    "the token endpoint refused the request (HTTP {status}, {code})"
                )?;
                described(f, description)?;
                if *code == OAuthErrorCode::InvalidGrant {
                    f.write_str("; the user has to connect again")?;
                }
                Ok(())
            }
            OAuthError::NoRefreshToken => f.write_str(
                "the access token expired and there is no refresh token; the user has to \
                 connect again",
            ),
            OAuthError::Request(err) => write!(f, "OAuth2 request failed: {err}"),
            OAuthError::Config(message) => write!(f, "OAuth2 configuration: {message}"),
        }
    }
}

impl std::error::Error for OAuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OAuthError::Request(err) => Some(err),
            _ => None,
        }
    }
}

/// Turns a failed token-endpoint call into [`OAuthError::Token`] when the answer is an
/// OAuth2 error body (`{"error": …, "error_description": …}`), else keeps it as is.
pub(crate) fn from_token_endpoint(err: crate::Error) -> OAuthError {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        error: String,
        error_description: Option<String>,
    }
    if let crate::Error::Api { status, raw, .. } = &err {
        if let Ok(body) = serde_json::from_str::<ErrorBody>(raw) {
            return OAuthError::Token {
                status: *status,
                code: OAuthErrorCode::parse(&body.error),
                description: body.error_description,
            };
        }
    }
    OAuthError::Request(err)
}
