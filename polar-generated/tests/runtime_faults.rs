//! Failures: retries, timeouts, dropped connections, and bodies that do not match.
//! Backoffs are a few milliseconds; assertions count attempts, never durations.

mod runtime_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use polar::__private::{Auth, Body, Execute, Method};
use polar::{Environment, Error, RequestOptions, RetryPolicy};
use runtime_support::{builder, fast_retries, received, spec, ERRORS};
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Fails the test instead of hanging if a retry waits far longer than it should.
async fn within<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("the call took far too long")
}

/// Mounts `first` for one request, then `then` for the rest.
async fn mount_sequence(server: &MockServer, first: ResponseTemplate, then: ResponseTemplate) {
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(any())
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true}))
}

#[tokio::test]
async fn retry_after_on_429_is_honoured_then_success() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "0"),
        ok(),
    )
    .await;
    // A computed backoff of an hour: the call only finishes quickly if Retry-After is used.
    let client = builder(&server.uri())
        .retry_policy(
            RetryPolicy::new()
                .initial_backoff(Duration::from_secs(3600))
                .max_backoff(Duration::from_secs(3600)),
        )
        .build()
        .unwrap();
    let response = within(client.execute(spec(Method::Get, "/v1/x")))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn gateway_503_is_retried_then_success() {
    let server = MockServer::start().await;
    mount_sequence(&server, ResponseTemplate::new(503), ok()).await;
    let client = builder(&server.uri()).build().unwrap();
    within(client.execute(spec(Method::Get, "/v1/x")))
        .await
        .unwrap();
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn server_error_500_is_not_retried() {
    let server = MockServer::start().await;
    mount_sequence(&server, ResponseTemplate::new(500), ok()).await;
    let client = builder(&server.uri())
        .retry_non_idempotent(true)
        .build()
        .unwrap();
    let mut spec = spec(Method::Post, "/v1/x");
    spec.body = Body::Json(b"{}".to_vec());
    let err = within(client.execute(spec)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                status: 500,
                retries: 0,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn post_is_retried_only_when_opted_in() {
    // Not opted in: one attempt, the 503 is returned.
    let server = MockServer::start().await;
    mount_sequence(&server, ResponseTemplate::new(503), ok()).await;
    let client = builder(&server.uri()).build().unwrap();
    let err = within(client.execute(spec(Method::Post, "/v1/x")))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                status: 503,
                retries: 0,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable(), "the caller may still retry by hand");
    assert_eq!(received(&server).await.len(), 1);

    // Opted in for this call.
    let server = MockServer::start().await;
    mount_sequence(&server, ResponseTemplate::new(503), ok()).await;
    let client = builder(&server.uri()).build().unwrap();
    let mut call = spec(Method::Patch, "/v1/x");
    call.options = RequestOptions::new().retry_non_idempotent(true);
    within(client.execute(call)).await.unwrap();
    assert_eq!(received(&server).await.len(), 2);

    // Opted in for the client, and a call can opt out again.
    let server = MockServer::start().await;
    mount_sequence(&server, ResponseTemplate::new(503), ok()).await;
    let client = builder(&server.uri())
        .retry_non_idempotent(true)
        .build()
        .unwrap();
    let mut call = spec(Method::Post, "/v1/x");
    call.options = RequestOptions::new().retry_non_idempotent(false);
    within(client.execute(call)).await.unwrap_err();
    within(client.execute(spec(Method::Post, "/v1/x")))
        .await
        .unwrap();
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn slow_response_times_out_and_each_attempt_counts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let mut call = spec(Method::Get, "/v1/slow");
    call.options = RequestOptions::new()
        .timeout(Duration::from_millis(100))
        .max_retries(1);
    let err = within(client.execute(call)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { retries: 1, .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(received(&server).await.len(), 2);
}

/// A server that accepts connections and closes them at once; counts connections.
async fn closing_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (format!("http://{address}"), accepted)
}

#[tokio::test]
async fn dropped_connection_is_a_network_error_after_retries() {
    let (url, accepted) = closing_server().await;
    let client = builder(&url).build().unwrap();
    let err = within(client.execute(spec(Method::Get, "/v1/x")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Network { retries: 2, .. }), "{err:?}");
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(accepted.load(Ordering::SeqCst), 3);

    let (url, accepted) = closing_server().await;
    let client = builder(&url).build().unwrap();
    let err = within(client.execute(spec(Method::Post, "/v1/x")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Network { retries: 0, .. }), "{err:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "POST is not retried");
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Page {
    items: Vec<Item>,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Item {
    id: String,
    amount: i64,
}

async fn decode_page(response: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(response)
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let mut call = spec(Method::Get, "/v1/items");
    call.operation_id = "items:list";
    let err = client
        .execute(call)
        .await
        .unwrap()
        .json::<Page>()
        .unwrap_err();
    assert_eq!(
        received(&server).await.len(),
        1,
        "decode errors are not retried"
    );
    err
}

#[tokio::test]
async fn mismatched_json_is_a_decode_error_with_its_path() {
    let body = r#"{"items":[{"id":"a","amount":1},{"id":"b","amount":"12.50"}]}"#;
    let err = decode_page(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    match &err {
        Error::Decode {
            operation_id,
            status,
            path,
            message,
            raw,
        } => {
            assert_eq!(*operation_id, Some("items:list"));
            assert_eq!(*status, 200);
            assert_eq!(path, "items[1].amount");
            assert!(message.contains("invalid type"), "{message}");
            assert_eq!(raw, body);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("items[1].amount"), "{err}");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let err = decode_page(
        ResponseTemplate::new(200).set_body_raw(r#"{"items":[{"id":"#, "application/json"),
    )
    .await;
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn wrong_content_type_on_a_json_operation() {
    let err = decode_page(
        ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html"),
    )
    .await;
    match err {
        Error::UnexpectedContentType {
            expected,
            got,
            status,
            raw,
            ..
        } => {
            assert_eq!(expected, "application/json");
            assert_eq!(got.as_deref(), Some("text/html"));
            assert_eq!(status, 200);
            assert!(raw.contains("maintenance"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn empty_body_on_a_json_operation() {
    let err = decode_page(ResponseTemplate::new(200).set_body_raw("", "application/json")).await;
    match err {
        Error::Decode { message, .. } => assert!(message.contains("empty body"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn unauthorized_with_unexpected_body_keeps_it_raw_and_hints_at_environment() {
    let server = MockServer::start().await;
    let body = r#"{"message":"invalid_token"}"#;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .environment(Environment::Sandbox)
        .build()
        .unwrap();
    let mut call = spec(Method::Get, "/v1/customers/c1");
    call.auth = Auth::AccessToken;
    call.errors = ERRORS;
    let err = client.execute(call).await.unwrap_err();
    match &err {
        Error::Api {
            status,
            body: decoded,
            raw,
            retries,
            ..
        } => {
            assert_eq!(*status, 401);
            assert_eq!(
                *decoded, None,
                "the shape does not match the declared schema"
            );
            assert_eq!(raw, body);
            assert_eq!(*retries, 0);
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("401 Unauthorized"), "{text}");
    assert!(text.contains("this client uses sandbox"), "{text}");
    assert!(!text.contains("polar_oat_test"), "{text}");
    assert!(!format!("{err:?}").contains("polar_oat_test"));
}

#[tokio::test]
async fn retries_run_out_and_the_count_is_in_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    let err = within(client.execute(spec(Method::Get, "/v1/x")))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                status: 502,
                retries: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.retries(), 3);
    assert!(err.to_string().contains("after 3 retries"), "{err}");
    assert_eq!(received(&server).await.len(), 4);
}

#[tokio::test]
async fn rate_limit_runs_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let err = within(client.execute(spec(Method::Get, "/v1/x")))
        .await
        .unwrap_err();
    match err {
        Error::RateLimited {
            retry_after,
            retries,
            ..
        } => {
            assert_eq!(retry_after, Some(Duration::ZERO));
            assert_eq!(retries, 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn retry_after_longer_than_allowed_fails_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let err = within(client.execute(spec(Method::Get, "/v1/x")))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::RateLimited { retry_after: Some(wait), retries: 0, .. } if wait == Duration::from_secs(3600)
        ),
        "{err:?}"
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn per_call_max_retries_overrides_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(504))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let mut call = spec(Method::Get, "/v1/x");
    call.options = RequestOptions::new().max_retries(0);
    let err = within(client.execute(call)).await.unwrap_err();
    assert_eq!(err.retries(), 0);
    assert_eq!(received(&server).await.len(), 1);

    let mut call = spec(Method::Get, "/v1/x");
    call.options = RequestOptions::new().retry_policy(fast_retries(1));
    let err = within(client.execute(call)).await.unwrap_err();
    assert_eq!(err.retries(), 1);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn on_response_sees_every_attempt_with_status_and_headers() {
    use std::sync::{Arc, Mutex};

    let server = MockServer::start().await;
    mount_sequence(
        &server,
        ResponseTemplate::new(503).insert_header("x-attempt", "first"),
        ok().insert_header("x-attempt", "second"),
    )
    .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let client = builder(&server.uri())
        .on_response(move |info| {
            let attempt = info.headers.get("x-attempt").unwrap().to_str().unwrap();
            sink.lock().unwrap().push((
                info.operation_id,
                info.method,
                info.url.path().to_owned(),
                info.status,
                attempt.to_owned(),
                info.retries,
            ));
        })
        .build()
        .unwrap();
    within(client.execute(spec(Method::Get, "/v1/x")))
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        vec![
            (
                "test:op",
                Method::Get,
                "/v1/x".into(),
                503,
                "first".into(),
                0
            ),
            (
                "test:op",
                Method::Get,
                "/v1/x".into(),
                200,
                "second".into(),
                1
            ),
        ]
    );
    assert!(format!("{client:?}").contains("on_response: true"));
}

/// A server that answers every request with a chunked body (no `Content-Length`) of
/// `total` bytes, streamed in 16 KiB chunks; counts requests.
async fn endless_server(total: usize) -> (String, Arc<AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                            transfer-encoding: chunked\r\n\r\n";
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 16 * 1024];
                let mut sent = 0;
                while sent < total {
                    let frame = format!("{:x}\r\n", chunk.len());
                    let ok = stream.write_all(frame.as_bytes()).await.is_ok()
                        && stream.write_all(&chunk).await.is_ok()
                        && stream.write_all(b"\r\n").await.is_ok();
                    if !ok {
                        return; // the client stopped reading: what we want
                    }
                    sent += chunk.len();
                }
                let _ = stream.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    (format!("http://{address}"), requests)
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_by_its_content_length() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(10_000)))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .max_response_size(4096)
        .build()
        .unwrap();
    let err = within(client.execute(spec(Method::Get, "/v1/x")))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                status: 200,
                limit: 4096,
                declared: Some(10_000),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("max_response_size"), "{err}");
    assert_eq!(received(&server).await.len(), 1, "not retried");
}

#[tokio::test]
async fn a_streamed_body_is_cut_off_at_the_limit() {
    // 1 GiB announced by nobody: the client must stop at its limit, not buffer it all.
    let (url, requests) = endless_server(1 << 30).await;
    let client = builder(&url).max_response_size(1 << 20).build().unwrap();
    let err = within(client.execute(spec(Method::Get, "/v1/x")))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                limit: 1_048_576,
                declared: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(requests.load(Ordering::SeqCst), 1);
    // Under the limit, the same server's body is read whole.
    let (url, _) = endless_server(64 * 1024).await;
    let client = builder(&url).max_response_size(1 << 20).build().unwrap();
    let response = within(client.execute(spec(Method::Get, "/v1/x")))
        .await
        .unwrap();
    assert_eq!(response.bytes().unwrap().len(), 64 * 1024);
}
