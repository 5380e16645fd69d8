//! Helpers shared by the `runtime_*` integration tests.
#![allow(dead_code)]

use std::time::Duration;

use polar::__private::Query;
use polar::__private::{Auth, Body, ErrorDecoder, Expect, Method, RequestSpec};
use polar::client::reqwest;
use polar::{ApiErrorBody, ClientBuilder, RequestOptions, RetryPolicy};

/// A GET of `path` expecting JSON, no auth, no declared errors.
pub fn spec(method: Method, path: &str) -> RequestSpec {
    RequestSpec {
        operation_id: "test:op",
        method,
        path: path.to_owned(),
        path_template: "/test",
        query: Query::new(),
        headers: vec![],
        body: Body::None,
        auth: Auth::None,
        expect: Expect::Json,
        errors: &[],
        options: RequestOptions::new(),
    }
}

/// Retries that wait at most a few milliseconds.
pub fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy::new()
        .max_retries(max_retries)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

/// A `reqwest` client that ignores `HTTP_PROXY` and friends: the tests talk to loopback.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// A client for `base_url` with an access token and fast retries.
pub fn builder(base_url: &str) -> ClientBuilder {
    ClientBuilder::new()
        .http_client(http_client())
        .base_url(base_url)
        .access_token("polar_oat_test")
        .retry_policy(fast_retries(2))
}

/// Polar's `ResourceNotFound` shape: `{"error": "ResourceNotFound", "detail": "..."}`.
fn decode_resource_not_found(bytes: &[u8]) -> Result<ApiErrorBody, serde_json::Error> {
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Shape {
        error: String,
        detail: String,
    }
    let _: Shape = serde_json::from_slice(bytes)?;
    serde_json::from_slice(bytes).map(ApiErrorBody::ResourceNotFound)
}

/// Declared errors of a typical `get` operation (the stub has one variant).
pub const ERRORS: &[(u16, ErrorDecoder)] = &[
    (401, decode_resource_not_found),
    (404, decode_resource_not_found),
];

/// Requests the mock server received.
pub async fn received(server: &wiremock::MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recording on")
}
