//! The HTTP client: configuration, authentication, the retry loop and error mapping.
//!
//! Every generated operation ends in [`Client::execute`]; nothing here is generic over the
//! operation, so this code is compiled once.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::runtime::credential::AccessTokenProvider;
use crate::runtime::options::RetryPolicy;
use crate::runtime::request::{Auth, Body, Expect, Method, RequestSpec};
use crate::runtime::response::Response;
use crate::runtime::retry;
use crate::Error;

/// The `reqwest` this crate is built with, for [`ClientBuilder::http_client`].
pub use reqwest;

/// The Polar API version sent in the `Polar-Version` header unless overridden with
/// [`ClientBuilder::api_version`].
pub const DEFAULT_API_VERSION: &str = crate::bindings::API_VERSION;

/// The `User-Agent` sent with every request: this crate's name and version.
pub const USER_AGENT: &str = concat!("polar-generated/", env!("CARGO_PKG_VERSION"));

/// Default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default time allowed for one attempt (sending, waiting and reading the whole body).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default largest response body read, 64 MiB: far above any Polar JSON page (a few MB at
/// most) and big CSV exports, small enough that a broken or hostile server cannot make
/// the client allocate without end.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 << 20;

/// Environment variable holding an access token (organization, personal or OAuth2).
pub const ENV_ACCESS_TOKEN: &str = "POLAR_ACCESS_TOKEN";
/// Environment variable choosing the environment: `production` or `sandbox`.
pub const ENV_ENVIRONMENT: &str = "POLAR_ENVIRONMENT";
/// Environment variable overriding the base URL (e.g. a local Polar server).
pub const ENV_BASE_URL: &str = "POLAR_BASE_URL";

/// Which Polar deployment to talk to.
///
/// Tokens are issued per environment: a sandbox token is rejected (401) by production and
/// the other way round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Environment {
    /// `https://api.polar.sh`, real money.
    #[default]
    Production,
    /// `https://sandbox-api.polar.sh`, for testing.
    Sandbox,
}

/// The spec's production and sandbox servers (checked when the crate is built).
const PRODUCTION_URL: &str = crate::bindings::server_url("production");
const SANDBOX_URL: &str = crate::bindings::server_url("sandbox");

impl Environment {
    /// The environment's base URL as the spec declares it, without a trailing slash.
    pub fn base_url(self) -> &'static str {
        match self {
            Environment::Production => PRODUCTION_URL,
            Environment::Sandbox => SANDBOX_URL,
        }
    }

    /// `"production"` or `"sandbox"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Sandbox => "sandbox",
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses `production` or `sandbox` (case-insensitive, surrounding spaces ignored).
impl FromStr for Environment {
    type Err = Error;

    fn from_str(value: &str) -> Result<Self, Error> {
        match value.trim().to_ascii_lowercase().as_str() {
            "production" => Ok(Environment::Production),
            "sandbox" => Ok(Environment::Sandbox),
            _ => Err(Error::Config {
                message: format!("unknown environment {value:?}, expected production or sandbox"),
            }),
        }
    }
}

/// A credential: kept out of `Debug` output.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The Polar API client. Cheap to clone (the configuration and connection pool are shared).
///
/// **Sharing and concurrency.** `Client` is `Clone + Send + Sync`: build one per process
/// and clone it into every task; all clones share one connection pool. The pool is
/// reqwest's (HTTP/1.1): one request per connection at a time, no cap on connections per
/// host (n concurrent calls open up to about n connections, reused afterwards), idle
/// connections kept 90 s, `TCP_NODELAY` on. To cap concurrency, bound it in your code (a
/// semaphore) or pass a tuned `reqwest::Client` to [`ClientBuilder::http_client`].
/// Measured on loopback: 64 tasks × 200 calls through one client, 0 errors
/// (`tests/client_load.rs`).
///
/// ```no_run
/// # async fn run() -> Result<(), polar::Error> {
/// use polar::{Client, Environment};
///
/// let client = Client::builder()
///     .access_token("polar_oat_...")
///     .environment(Environment::Sandbox)
///     .build()?;
/// // or, from POLAR_ACCESS_TOKEN, POLAR_ENVIRONMENT and POLAR_BASE_URL:
/// let client = Client::from_env()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    on_response: Option<ResponseObserver>,
    base_url: String,
    environment: Option<Environment>,
    /// `Bearer <token>` header values, marked sensitive.
    access_token: Option<HeaderValue>,
    /// Asked for the access token before every attempt; replaces `access_token`.
    access_token_provider: Option<Arc<dyn AccessTokenProvider>>,
    customer_session_token: Option<HeaderValue>,
    member_session_token: Option<HeaderValue>,
    /// User-Agent, Polar-Version and the caller's default headers.
    headers: HeaderMap,
    timeout: Duration,
    retry: RetryPolicy,
    retry_non_idempotent: bool,
    max_response_size: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let secret = |token: &Option<HeaderValue>| token.as_ref().map(|_| Secret(String::new()));
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("environment", &inner.environment)
            .field("access_token", &secret(&inner.access_token))
            .field(
                "access_token_provider",
                &inner.access_token_provider.is_some(),
            )
            .field(
                "customer_session_token",
                &secret(&inner.customer_session_token),
            )
            .field("member_session_token", &secret(&inner.member_session_token))
            .field("headers", &inner.headers.keys().collect::<Vec<_>>())
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .field("retry_non_idempotent", &inner.retry_non_idempotent)
            .field("max_response_size", &inner.max_response_size)
            .field("on_response", &inner.on_response.is_some())
            .finish_non_exhaustive()
    }
}

/// One HTTP response as seen by a [`ClientBuilder::on_response`] observer: every attempt
/// that got an answer, whatever its status, before retries or decoding.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseInfo<'a> {
    /// The spec's operationId (or the one given in a hand-built [`RequestSpec`]).
    pub operation_id: &'static str,
    pub method: Method,
    /// The request URL, query included.
    pub url: &'a reqwest::Url,
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: &'a HeaderMap,
    /// Retries performed before this attempt (0 for the first attempt).
    pub retries: u32,
}

impl ResponseInfo<'_> {
    /// The `Polar-Version` the server echoed, i.e. the API version that answered.
    pub fn api_version(&self) -> Option<&str> {
        self.headers.get("polar-version")?.to_str().ok()
    }
}

/// A callback registered with [`ClientBuilder::on_response`].
pub type ResponseObserver = Arc<dyn Fn(&ResponseInfo<'_>) + Send + Sync>;

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `POLAR_ACCESS_TOKEN`, `POLAR_ENVIRONMENT` and
    /// `POLAR_BASE_URL` (see [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The environment, or `None` when a custom base URL was given without one.
    pub fn environment(&self) -> Option<Environment> {
        self.inner.environment
    }

    /// The underlying HTTP client, for requests outside the Polar API (e.g. presigned
    /// storage uploads) that should share its connection pool and proxy settings.
    #[cfg(feature = "file-uploads")]
    pub(crate) fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Sends one operation's request, retrying as the retry policy allows, and returns the
    /// successful (2xx) response, fully read. Generated operations call this; decode the
    /// result with [`Response::json`], [`Response::text`], [`Response::bytes`] or
    /// [`Response::empty`].
    ///
    /// Fails before sending anything with [`Error::MissingCredential`] when the operation
    /// needs a credential the client lacks, and with [`Error::InvalidRequest`] for a header
    /// or URL that cannot be sent.
    pub(crate) async fn execute(&self, spec: RequestSpec) -> Result<Response, Error> {
        let inner = &*self.inner;
        let operation_id = spec.operation_id;
        let options = &spec.options;
        let invalid = |message: String| Error::InvalidRequest {
            operation_id: Some(operation_id),
            message,
        };

        let url = self.url(&spec).map_err(invalid)?;
        let headers = self.headers(&spec).map_err(invalid)?;
        let provider = match &inner.access_token_provider {
            Some(provider)
                if spec.auth == Auth::AccessToken
                    && !headers.contains_key(reqwest::header::AUTHORIZATION) =>
            {
                Some(provider)
            }
            _ => None,
        };
        if provider.is_none() && !headers.contains_key(reqwest::header::AUTHORIZATION) {
            if let Some(needed) = needed_credential(spec.auth) {
                return Err(Error::MissingCredential {
                    operation_id,
                    needed,
                });
            }
        }
        let body = match &spec.body {
            Body::None => None,
            Body::Json(bytes) => Some(Bytes::from(bytes.clone())),
            Body::Form(text) => Some(Bytes::from(text.clone())),
        };
        let method = reqwest_method(spec.method);
        let timeout = options.timeout.unwrap_or(inner.timeout);
        let mut policy = options.retry.unwrap_or(inner.retry);
        if let Some(max_retries) = options.max_retries {
            policy.max_retries = max_retries;
        }
        let may_retry = spec.method.is_idempotent()
            || options
                .retry_non_idempotent
                .unwrap_or(inner.retry_non_idempotent);

        #[cfg(feature = "tracing")]
        let call = crate::runtime::telemetry::CallSpan::start(&spec);
        let mut retries = 0;
        loop {
            let mut request = reqwest::Request::new(method.clone(), url.clone());
            *request.headers_mut() = headers.clone();
            if let Some(provider) = provider {
                let token = provider.access_token().await;
                let value = token.and_then(|token| provided_bearer(&token));
                let value = value.map_err(|source| Error::Credential {
                    operation_id,
                    source,
                })?;
                request
                    .headers_mut()
                    .insert(reqwest::header::AUTHORIZATION, value);
            }
            if let Some(body) = &body {
                *request.body_mut() = Some(body.clone().into());
            }
            let outcome = tokio::time::timeout(timeout, self.attempt(request)).await;
            if let (Some(observer), Ok(Ok((status, headers, _)))) = (&inner.on_response, &outcome) {
                observer(&ResponseInfo {
                    operation_id,
                    method: spec.method,
                    url: &url,
                    status: *status,
                    headers,
                    retries,
                });
            }
            let failure = match outcome {
                Err(_elapsed) => Failure::Timeout,
                Ok(Err(AttemptError::TooLarge {
                    status,
                    limit,
                    declared,
                })) => {
                    #[cfg(feature = "tracing")]
                    call.finish(Some(status), retries + 1);
                    return Err(Error::ResponseTooLarge {
                        operation_id,
                        status,
                        limit,
                        declared,
                    });
                }
                Ok(Err(AttemptError::Transport(err))) if err.is_timeout() => Failure::Timeout,
                Ok(Err(AttemptError::Transport(err))) => Failure::Network(err),
                Ok(Ok((status, headers, body))) if (200..300).contains(&status) => {
                    #[cfg(feature = "tracing")]
                    call.finish(Some(status), retries + 1);
                    return Ok(Response::new(operation_id, status, headers, body));
                }
                Ok(Ok((status, headers, body))) => Failure::Status {
                    status,
                    headers,
                    body,
                },
            };
            let wait = if may_retry && retries < policy.max_retries {
                retry_wait(&failure, &policy, retries)
            } else {
                None
            };
            match wait {
                Some(wait) => {
                    #[cfg(feature = "tracing")]
                    crate::runtime::telemetry::waiting(
                        &call,
                        wait_reason(&failure),
                        wait,
                        retries + 2,
                    );
                    tokio::time::sleep(wait).await;
                    retries += 1;
                }
                None => {
                    #[cfg(feature = "tracing")]
                    call.finish(failure.status(), retries + 1);
                    let sent_version = header_text(&headers, POLAR_VERSION).unwrap_or_default();
                    return Err(self.error(&spec, &sent_version, failure, retries));
                }
            }
        }
    }

    /// One attempt: send and read the whole body, up to the size limit.
    async fn attempt(
        &self,
        request: reqwest::Request,
    ) -> Result<(u16, HeaderMap, Bytes), AttemptError> {
        let mut response = self.inner.http.execute(request).await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let limit = self.inner.max_response_size;
        let too_large = |declared| AttemptError::TooLarge {
            status,
            limit,
            declared,
        };
        let declared = response.content_length();
        if let Some(length) = declared.filter(|length| *length > limit) {
            return Err(too_large(Some(length)));
        }
        let mut body = Vec::with_capacity(declared.unwrap_or(0) as usize);
        while let Some(chunk) = response.chunk().await? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large(None));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, headers, Bytes::from(body)))
    }

    fn url(&self, spec: &RequestSpec) -> Result<reqwest::Url, String> {
        crate::runtime::request::check_path_parameters(&spec.path, spec.path_template)?;
        let mut url = format!("{}{}", self.inner.base_url, spec.path);
        if !spec.query.is_empty() {
            url.push('?');
            url.push_str(&spec.query.encode());
        }
        reqwest::Url::parse(&url).map_err(|err| format!("invalid URL {url:?}: {err}"))
    }

    /// Client headers, then `Accept`/`Content-Type`/`Authorization`, then the operation's
    /// header parameters, then the per-call headers; later ones replace earlier ones.
    fn headers(&self, spec: &RequestSpec) -> Result<HeaderMap, String> {
        let inner = &*self.inner;
        let mut headers = inner.headers.clone();
        let accept = match spec.expect {
            Expect::Text { content_type } | Expect::Bytes { content_type } => {
                HeaderValue::from_str(content_type)
                    .map_err(|_| format!("invalid Accept content type {content_type:?}"))?
            }
            Expect::Json | Expect::Empty => HeaderValue::from_static("application/json"),
        };
        headers.insert(reqwest::header::ACCEPT, accept);
        let content_type = match spec.body {
            Body::None => None,
            Body::Json(_) => Some("application/json"),
            Body::Form(_) => Some("application/x-www-form-urlencoded"),
        };
        if let Some(content_type) = content_type {
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                HeaderValue::from_static(content_type),
            );
        }
        let token = match spec.auth {
            Auth::None => None,
            Auth::AccessToken if inner.access_token_provider.is_some() => None,
            Auth::AccessToken => inner.access_token.as_ref(),
            Auth::CustomerSession => inner.customer_session_token.as_ref(),
            Auth::CustomerOrMemberSession => inner
                .member_session_token
                .as_ref()
                .or(inner.customer_session_token.as_ref()),
        };
        if let Some(token) = token {
            headers.insert(reqwest::header::AUTHORIZATION, token.clone());
        }
        let extra = spec
            .headers
            .iter()
            .map(|(name, value)| (name.as_ref(), value.as_str()))
            .chain(
                spec.options
                    .headers
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_str())),
            );
        for (name, value) in extra {
            let (name, value) = parse_header(name, value)?;
            headers.insert(name, value);
        }
        Ok(headers)
    }

    fn error(
        &self,
        spec: &RequestSpec,
        sent_version: &str,
        failure: Failure,
        retries: u32,
    ) -> Error {
        let operation_id = spec.operation_id;
        match failure {
            Failure::Timeout => Error::Timeout {
                operation_id,
                retries,
            },
            Failure::Network(err) => Error::Network {
                operation_id,
                source: Box::new(err),
                retries,
            },
            Failure::Status {
                status: 429,
                headers,
                body,
            } => Error::RateLimited {
                operation_id,
                retry_after: retry_after(&headers),
                retries,
                raw: String::from_utf8_lossy(&body).into_owned(),
            },
            Failure::Status {
                status,
                headers,
                body,
            } => {
                // A body that does not match its schema is kept raw, never a second error.
                let decoded = spec
                    .errors
                    .iter()
                    .find(|(declared, _)| *declared == status)
                    .and_then(|(_, decode)| decode(&body).ok())
                    .map(Box::new);
                let raw = String::from_utf8_lossy(&body).into_owned();
                let answered_version = header_text(&headers, POLAR_VERSION);
                if status == 404
                    && decoded.is_none()
                    && shows_retired_version(spec, sent_version, answered_version.as_deref(), &body)
                {
                    return Error::UnsupportedApiVersion {
                        operation_id,
                        sent_version: sent_version.to_owned(),
                        answered_version,
                        raw,
                    };
                }
                Error::Api {
                    operation_id,
                    status,
                    body: decoded,
                    raw,
                    retries,
                    environment: self.inner.environment.map(Environment::as_str),
                    answered_version,
                    retry_after: retry_after(&headers),
                }
            }
        }
    }
}

/// Whether an undecoded 404 shows a retired (or unknown) `Polar-Version` rather than a
/// missing resource: the server echoed another version, or (echoing none) it answered
/// an operation that declares its own "not found" body with the router's bare
/// `{"detail":"Not Found"}`. A 404 from an operation that declares none is just a 404.
fn shows_retired_version(
    spec: &RequestSpec,
    sent_version: &str,
    answered_version: Option<&str>,
    body: &[u8],
) -> bool {
    match answered_version {
        Some(answered) => answered != sent_version,
        None => {
            let declares_not_found = spec.errors.iter().any(|(status, _)| *status == 404);
            let bare = serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|value| {
                value.as_object().is_some_and(|object| {
                    object.len() == 1 && object.get("detail").is_some_and(|d| d == "Not Found")
                })
            });
            declares_not_found && bare
        }
    }
}

/// Why one attempt returned no response.
enum AttemptError {
    Transport(reqwest::Error),
    /// The body is larger than the client's limit: not read, not retried.
    TooLarge {
        status: u16,
        limit: u64,
        declared: Option<u64>,
    },
}

impl From<reqwest::Error> for AttemptError {
    fn from(err: reqwest::Error) -> Self {
        AttemptError::Transport(err)
    }
}

/// Why an attempt did not succeed.
enum Failure {
    Timeout,
    Network(reqwest::Error),
    Status {
        status: u16,
        headers: HeaderMap,
        body: Bytes,
    },
}

impl Failure {
    #[cfg(feature = "tracing")]
    fn status(&self) -> Option<u16> {
        match self {
            Failure::Status { status, .. } => Some(*status),
            Failure::Timeout | Failure::Network(_) => None,
        }
    }
}

/// Whether a wait before retrying `failure` is the server's `Retry-After` or our backoff.
#[cfg(feature = "tracing")]
fn wait_reason(failure: &Failure) -> crate::runtime::telemetry::WaitReason {
    use crate::runtime::telemetry::WaitReason;
    match failure {
        Failure::Status {
            status, headers, ..
        } if retry::honours_retry_after(*status) && retry_after(headers).is_some() => {
            WaitReason::RateLimited { status: *status }
        }
        other => WaitReason::Retry {
            status: other.status(),
        },
    }
}

/// How long to wait before retrying `failure`, or `None` if it must not be retried.
fn retry_wait(failure: &Failure, policy: &RetryPolicy, retries: u32) -> Option<Duration> {
    match failure {
        Failure::Timeout | Failure::Network(_) => Some(retry::backoff(policy, retries)),
        Failure::Status { status, .. } if !retry::is_retryable_status(*status) => None,
        Failure::Status {
            status, headers, ..
        } => match retry_after(headers).filter(|_| retry::honours_retry_after(*status)) {
            // A wait longer than the policy allows is the caller's decision.
            Some(wait) if wait > policy.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(retry::backoff(policy, retries)),
        },
    }
}

/// The header Polar reads the API version from, and echoes on its responses.
const POLAR_VERSION: &str = "polar-version";

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    Some(headers.get(name)?.to_str().ok()?.to_owned())
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    retry::parse_retry_after(value, SystemTime::now())
}

fn needed_credential(auth: Auth) -> Option<&'static str> {
    match auth {
        Auth::None => None,
        Auth::AccessToken => Some("access token"),
        Auth::CustomerSession => Some("customer session token"),
        Auth::CustomerOrMemberSession => Some("customer session or member session token"),
    }
}

fn reqwest_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
        Method::Head => reqwest::Method::HEAD,
    }
}

/// Parses a header; the message names the header but never its value.
fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("invalid header name {name:?}"))?;
    let mut header_value =
        HeaderValue::from_str(value).map_err(|_| format!("invalid value for header {name:?}"))?;
    if header_name == reqwest::header::AUTHORIZATION {
        header_value.set_sensitive(true);
    }
    Ok((header_name, header_value))
}

/// `Bearer <token>`, marked sensitive so `HeaderMap`'s `Debug` hides it.
fn bearer(what: &str, token: &Secret) -> Result<HeaderValue, Error> {
    let token = token.0.trim();
    if token.is_empty() {
        return Err(Error::Config {
            message: format!("the {what} is empty"),
        });
    }
    let mut value =
        HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| Error::Config {
            message: format!("the {what} contains characters not allowed in a header"),
        })?;
    value.set_sensitive(true);
    Ok(value)
}

/// `Bearer <token>` for a token from an [`AccessTokenProvider`].
fn provided_bearer(
    token: &str,
) -> Result<HeaderValue, crate::runtime::credential::CredentialError> {
    bearer("access token from the provider", &Secret(token.to_owned()))
        .map_err(|err| err.to_string().into())
}

/// Builds a [`Client`]. Every setter is infallible; problems are reported by
/// [`ClientBuilder::build`].
#[derive(Default)]
pub struct ClientBuilder {
    access_token: Option<Secret>,
    access_token_provider: Option<Arc<dyn AccessTokenProvider>>,
    customer_session_token: Option<Secret>,
    member_session_token: Option<Secret>,
    environment: Option<Environment>,
    base_url: Option<String>,
    api_version: Option<String>,
    http: Option<reqwest::Client>,
    headers: Vec<(String, String)>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    retry_non_idempotent: bool,
    max_response_size: Option<u64>,
    on_response: Option<ResponseObserver>,
    /// A problem found by a setter (e.g. a bad `POLAR_ENVIRONMENT`), reported by `build`.
    config_error: Option<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("access_token", &self.access_token)
            .field(
                "access_token_provider",
                &self.access_token_provider.is_some(),
            )
            .field("customer_session_token", &self.customer_session_token)
            .field("member_session_token", &self.member_session_token)
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("api_version", &self.api_version)
            .field(
                "headers",
                &crate::runtime::options::redacted_headers(&self.headers),
            )
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("max_response_size", &self.max_response_size)
            .field("on_response", &self.on_response.is_some())
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder with the defaults: production, no credentials, API version
    /// [`DEFAULT_API_VERSION`], 10 s connect timeout, 60 s per attempt, 2 retries.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder configured from environment variables; empty variables count as unset:
    ///
    /// - `POLAR_ACCESS_TOKEN`: the access token ([`ClientBuilder::access_token`]);
    /// - `POLAR_ENVIRONMENT`: `production` or `sandbox` (anything else makes `build` fail);
    /// - `POLAR_BASE_URL`: a custom base URL ([`ClientBuilder::base_url`]).
    ///
    /// Setters called afterwards override these values.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name| lookup(name).filter(|value| !value.trim().is_empty());
        let mut builder = Self::new();
        if let Some(token) = get(ENV_ACCESS_TOKEN) {
            builder = builder.access_token(token);
        }
        if let Some(environment) = get(ENV_ENVIRONMENT) {
            match environment.parse::<Environment>() {
                Ok(environment) => builder = builder.environment(environment),
                Err(_) => {
                    builder.config_error = Some(format!(
                        "{ENV_ENVIRONMENT} is {environment:?}, expected production or sandbox"
                    ))
                }
            }
        }
        if let Some(base_url) = get(ENV_BASE_URL) {
            builder = builder.base_url(base_url);
        }
        builder
    }

    /// An organization access token, personal access token or OAuth2 access token, sent as
    /// `Authorization: Bearer …` to operations that need one.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(Secret(token.into()));
        self
    }

    /// Asks `provider` for the access token before every attempt of an operation that
    /// needs one, e.g. an OAuth2 token source that refreshes expiring tokens. Takes
    /// precedence over [`ClientBuilder::access_token`]; a per-call `Authorization` header
    /// still wins. A provider failure is returned as [`Error::Credential`].
    pub fn access_token_provider(mut self, provider: impl AccessTokenProvider + 'static) -> Self {
        self.access_token_provider = Some(Arc::new(provider));
        self
    }

    /// A customer session token, for customer portal operations.
    pub fn customer_session_token(mut self, token: impl Into<String>) -> Self {
        self.customer_session_token = Some(Secret(token.into()));
        self
    }

    /// A member session token, for customer portal operations that accept one; preferred
    /// over the customer session token where both are accepted.
    pub fn member_session_token(mut self, token: impl Into<String>) -> Self {
        self.member_session_token = Some(Secret(token.into()));
        self
    }

    /// Production (the default) or sandbox. Also used to explain 401 errors.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// A custom base URL (`http` or `https`, optionally with a path prefix), replacing the
    /// environment's URL.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The `Polar-Version` header sent with every request (default [`DEFAULT_API_VERSION`]).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Uses this `reqwest::Client` (proxies, TLS settings, connection pool) instead of the
    /// default one. Its own connect timeout then applies; [`ClientBuilder::connect_timeout`]
    /// is ignored.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// A header sent with every request. A `user-agent` default header replaces the
    /// crate's [`USER_AGENT`].
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Time allowed to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for each attempt, from sending to reading the whole body (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The largest response body the client reads (default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`]); a larger one is [`Error::ResponseTooLarge`], found
    /// from its `Content-Length` before reading, or while reading when it has none.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Shortcut for the retry policy's number of retries (0 disables retries).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.retry.max_retries = max_retries;
        self
    }

    /// Also retry POST and PATCH requests (default `false`). Only enable this when
    /// repeating a request is harmless for every call you make.
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }

    /// Calls `observer` with the status and headers of every HTTP response the client
    /// receives (each attempt, any status), before retries and decoding: for logging,
    /// metrics, or reading headers the typed results do not carry (e.g. a mock server's
    /// validation report). Keep it fast; it runs on the request path.
    pub fn on_response(
        mut self,
        observer: impl Fn(&ResponseInfo<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.on_response = Some(Arc::new(observer));
        self
    }

    /// Checks the configuration and builds the client. Fails with [`Error::Config`] for an
    /// unknown `POLAR_ENVIRONMENT`, a malformed base URL, an empty token, or a header name
    /// or value that HTTP does not allow.
    pub fn build(self) -> Result<Client, Error> {
        let config = |message: String| Error::Config { message };
        if let Some(message) = self.config_error {
            return Err(config(message));
        }
        let environment = match (&self.base_url, self.environment) {
            (_, Some(environment)) => Some(environment),
            (None, None) => Some(Environment::Production),
            (Some(_), None) => None,
        };
        let base_url = match &self.base_url {
            Some(url) => check_base_url(url).map_err(config)?,
            None => environment.unwrap_or_default().base_url().to_owned(),
        };

        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::USER_AGENT,
            HeaderValue::from_static(USER_AGENT),
        );
        let api_version = self.api_version.as_deref().unwrap_or(DEFAULT_API_VERSION);
        headers.insert(
            HeaderName::from_static("polar-version"),
            HeaderValue::from_str(api_version)
                .map_err(|_| config(format!("invalid API version {api_version:?}")))?,
        );
        for (name, value) in &self.headers {
            let (name, value) = parse_header(name, value).map_err(config)?;
            headers.insert(name, value);
        }

        let token = |what, token: &Option<Secret>| token.as_ref().map(|t| bearer(what, t));
        let access_token = token("access token", &self.access_token).transpose()?;
        let customer_session_token =
            token("customer session token", &self.customer_session_token).transpose()?;
        let member_session_token =
            token("member session token", &self.member_session_token).transpose()?;

        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .build()
                .map_err(|err| config(format!("could not create the HTTP client: {err}")))?,
        };

        Ok(Client {
            inner: Arc::new(Inner {
                http,
                on_response: self.on_response,
                base_url,
                environment,
                access_token,
                access_token_provider: self.access_token_provider,
                customer_session_token,
                member_session_token,
                headers,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                retry: self.retry,
                retry_non_idempotent: self.retry_non_idempotent,
                max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
            }),
        })
    }
}

/// An absolute `http(s)` URL without query or fragment; returned without trailing slash.
fn check_base_url(url: &str) -> Result<String, String> {
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|err| format!("invalid base URL {url:?}: {err}"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!("the base URL {url:?} must be an http or https URL"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "the base URL {url:?} must not have a query or fragment"
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn from_env_reads_documented_variables() {
        let client = ClientBuilder::from_lookup(lookup(&[
            ("POLAR_ACCESS_TOKEN", "polar_oat_x"),
            ("POLAR_ENVIRONMENT", " Sandbox "),
        ]))
        .build()
        .unwrap();
        assert_eq!(client.base_url(), Environment::Sandbox.base_url());
        assert_eq!(client.environment(), Some(Environment::Sandbox));
        assert!(client.inner.access_token.is_some());

        let custom = ClientBuilder::from_lookup(lookup(&[
            ("POLAR_BASE_URL", "http://127.0.0.1:8000/api/"),
            ("POLAR_ACCESS_TOKEN", ""),
        ]))
        .build()
        .unwrap();
        assert_eq!(custom.base_url(), "http://127.0.0.1:8000/api");
        assert_eq!(custom.environment(), None);
        assert!(custom.inner.access_token.is_none());
    }

    #[test]
    fn unknown_environment_fails_build() {
        let err = ClientBuilder::from_lookup(lookup(&[("POLAR_ENVIRONMENT", "staging")]))
            .build()
            .unwrap_err();
        assert!(matches!(&err, Error::Config { message } if message.contains("staging")));
        assert!("prod".parse::<Environment>().is_err());
    }

    #[test]
    fn bad_configuration_is_an_error_not_a_panic() {
        let bad = [
            Client::builder().base_url("not a url"),
            Client::builder().base_url("ftp://example.com"),
            Client::builder().base_url("https://example.com/?x=1"),
            Client::builder().default_header("bad header", "x"),
            Client::builder().default_header("x-ok", "line\nbreak"),
            Client::builder().api_version("2026\n10"),
            Client::builder().access_token(""),
            Client::builder().access_token("tok\r\nen"),
        ];
        for builder in bad {
            let text = format!("{builder:?}");
            assert!(
                matches!(builder.build(), Err(Error::Config { .. })),
                "{text}"
            );
        }
    }

    #[test]
    fn debug_never_prints_tokens() {
        let builder = Client::builder()
            .access_token("polar_oat_supersecret")
            .customer_session_token("polar_cst_supersecret")
            .default_header("x-api-key", "supersecret");
        let text = format!("{builder:?}");
        assert!(!text.contains("supersecret"), "{text}");
        let client = builder.build().unwrap();
        let text = format!("{client:?}");
        assert!(!text.contains("supersecret"), "{text}");
        assert!(text.contains("***"), "{text}");
    }

    #[test]
    fn defaults() {
        let client = Client::builder().build().unwrap();
        assert_eq!(client.base_url(), Environment::Production.base_url());
        assert_eq!(client.environment(), Some(Environment::Production));
        assert_eq!(client.inner.timeout, DEFAULT_TIMEOUT);
        assert_eq!(client.inner.retry.max_retries, 2);
        assert!(!client.inner.retry_non_idempotent);
        assert_eq!(client.inner.headers["polar-version"], DEFAULT_API_VERSION);
        assert!(USER_AGENT.starts_with("polar-generated/"));
    }
}
