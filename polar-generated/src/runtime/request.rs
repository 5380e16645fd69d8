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

/// The encoded request body. Its `Debug` shows the length only: request bodies carry
/// client secrets, refresh tokens and customer data.
#[derive(Clone)]
pub enum Body {
    None,
    /// `application/json` bytes.
    Json(Vec<u8>),
    /// `application/x-www-form-urlencoded` string.
    Form(String),
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::None => f.write_str("None"),
            Body::Json(bytes) => write!(f, "Json(<{} bytes>)", bytes.len()),
            Body::Form(text) => write!(f, "Form(<{} bytes>)", text.len()),
        }
    }
}

/// What a successful response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A JSON body, decoded by the caller.
    Json,
    /// A text body of the content type the spec declares (e.g. `text/csv`), sent as `Accept`.
    Text {
        /// The declared content type.
        content_type: &'static str,
    },
    /// A binary body (a PDF, an image, …) of the declared content type (sent as
    /// `Accept`), returned as bytes.
    Bytes {
        /// The declared content type.
        content_type: &'static str,
    },
    /// No body (e.g. 204).
    Empty,
}

/// Decodes an error body for one declared status code into the crate-wide
/// [`crate::bindings::ApiErrorBody`]. Generated per error schema.
pub type ErrorDecoder = fn(&[u8]) -> Result<crate::bindings::ApiErrorBody, serde_json::Error>;

/// Everything the runtime needs to send one operation's request.
#[derive(Debug, Clone)]
pub struct RequestSpec {
    /// The spec's operationId, for errors and tracing.
    pub operation_id: &'static str,
    pub method: Method,
    /// Path with parameters already substituted and percent-encoded, e.g. `/v1/customers/abc`.
    pub path: String,
    /// The path as the spec writes it, e.g. `/v1/customers/{id}`: safe to log and to group
    /// calls by (no ids), used by the `tracing` span.
    pub path_template: &'static str,
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

/// Refuses path parameters that would make the URL name another endpoint: an empty value
/// (`/v1/customers/` is the list) or a dot segment (`.`, `..`, also percent-encoded), which
/// URL parsing resolves away, so `get_external("..")` would read the customer list.
/// `path` is `template` with each parameter substituted and percent-encoded (a `/` in a
/// value is `%2F`), so their segments line up.
pub(crate) fn check_path_parameters(path: &str, template: &str) -> Result<(), String> {
    for (value, pattern) in path.split('/').zip(template.split('/')) {
        let Some(name) = pattern
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        else {
            continue;
        };
        let decoded = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
        if decoded.is_empty() {
            return Err(format!("path parameter `{name}` is empty"));
        }
        if decoded == "." || decoded == ".." {
            return Err(format!(
                "path parameter `{name}` is `{decoded}`, a dot segment that would change \
                 which endpoint is called"
            ));
        }
    }
    Ok(())
}

/// Serializes a JSON request body. Fails with [`crate::Error::InvalidRequest`] when the
/// value cannot be serialized (e.g. a map with non-string keys).
pub fn to_json<T: serde::Serialize + ?Sized>(body: &T) -> Result<Vec<u8>, crate::Error> {
    serde_json::to_vec(body).map_err(|err| crate::Error::InvalidRequest {
        operation_id: None,
        message: format!("could not serialize the JSON body: {err}"),
    })
}

/// Serializes an `application/x-www-form-urlencoded` request body from a struct.
///
/// Fields that are absent or `null` are left out; strings are sent as they are, numbers
/// and booleans as their JSON text, arrays as one `name=value` pair per element. Nested
/// objects have no standard form encoding and are rejected with
/// [`crate::Error::InvalidRequest`], as is anything that is not a struct or map.
pub fn to_form<T: serde::Serialize + ?Sized>(body: &T) -> Result<String, crate::Error> {
    let invalid = |message: String| crate::Error::InvalidRequest {
        operation_id: None,
        message,
    };
    let value = serde_json::to_value(body)
        .map_err(|err| invalid(format!("could not serialize the form body: {err}")))?;
    let serde_json::Value::Object(fields) = value else {
        return Err(invalid("a form body must be an object".into()));
    };
    let mut query = Query::new();
    for (name, value) in fields {
        let values = match value {
            serde_json::Value::Array(items) => items,
            single => vec![single],
        };
        for value in values {
            let text = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(text) => text,
                serde_json::Value::Bool(_) | serde_json::Value::Number(_) => value.to_string(),
                serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                    return Err(invalid(format!(
                        "form field `{name}` is nested, which form encoding cannot express"
                    )))
                }
            };
            query.push_raw(name.clone(), text);
        }
    }
    Ok(query.encode())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_dot_path_parameters_are_refused() {
        let template = "/v1/customers/external/{external_id}/members/{member_id}";
        for (path, problem) in [
            (
                "/v1/customers/external/../members/m",
                "`external_id` is `..`",
            ),
            (
                "/v1/customers/external/%2E%2e/members/m",
                "`external_id` is `..`",
            ),
            ("/v1/customers/external/a/members/.", "`member_id` is `.`"),
            ("/v1/customers/external/a/members/%2E", "`member_id` is `.`"),
            (
                "/v1/customers/external//members/m",
                "`external_id` is empty",
            ),
        ] {
            let err = check_path_parameters(path, template).unwrap_err();
            assert!(err.contains(problem), "{path}: {err}");
        }
        for fine in [
            "/v1/customers/external/...%2F/members/m",
            "/v1/customers/external/.a/members/%2E%2E%2E",
            "/v1/customers/external/%C3%A9/members/a%2Fb",
        ] {
            assert_eq!(check_path_parameters(fine, template), Ok(()), "{fine}");
        }
    }

    #[test]
    fn body_debug_shows_the_length_not_the_secret() {
        let form = Body::Form("client_secret=polar_cs_SECRET".into());
        let json = Body::Json(br#"{"refresh_token":"polar_rt_SECRET"}"#.to_vec());
        assert_eq!(format!("{form:?}"), "Form(<29 bytes>)");
        assert_eq!(format!("{json:?}"), "Json(<35 bytes>)");
    }

    #[derive(serde::Serialize)]
    struct TokenRequest {
        grant_type: &'static str,
        client_id: String,
        scope: Option<String>,
        redirect_uris: Vec<String>,
        expires_in: i64,
        public: bool,
    }

    #[test]
    fn form_skips_nulls_and_repeats_arrays() {
        let body = TokenRequest {
            grant_type: "authorization_code",
            client_id: "a b&c".into(),
            scope: None,
            redirect_uris: vec!["https://x.test/cb".into(), "https://y.test".into()],
            expires_in: 3600,
            public: true,
        };
        assert_eq!(
            to_form(&body).unwrap(),
            "grant_type=authorization_code&client_id=a%20b%26c\
             &redirect_uris=https%3A%2F%2Fx.test%2Fcb&redirect_uris=https%3A%2F%2Fy.test\
             &expires_in=3600&public=true"
        );
    }

    #[test]
    fn form_rejects_nested_and_non_objects() {
        let nested = serde_json::json!({"a": {"b": 1}});
        assert!(matches!(
            to_form(&nested),
            Err(crate::Error::InvalidRequest { .. })
        ));
        assert!(to_form(&[1, 2]).is_err());
    }

    #[test]
    fn json_body_keeps_explicit_nulls() {
        let body = serde_json::json!({"pending_update": null});
        assert_eq!(to_json(&body).unwrap(), br#"{"pending_update":null}"#);
    }
}
