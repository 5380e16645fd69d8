//! A retired `Polar-Version` makes Polar answer every request with a bare
//! `404 {"detail":"Not Found"}`: that must not read as "this resource does not exist".

use polar::{Client, Error};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering_404(body: &str, echoed_version: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("polar-version", echoed_version)
                .set_body_raw(body.to_owned(), "application/json"),
        )
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, api_version: &str) -> Client {
    Client::builder()
        .base_url(server.uri())
        .access_token("polar_oat_secret")
        .api_version(api_version)
        .http_client(
            polar::client::reqwest::Client::builder()
                .no_proxy()
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn bare_404_names_the_version_sent_and_is_not_not_found() {
    let server = answering_404(r#"{"detail":"Not Found"}"#, "2026-10").await;
    let err = client(&server, "2026-04")
        .license_keys()
        .get(uuid::Uuid::nil())
        .send()
        .await
        .unwrap_err();
    assert!(err.is_version_unsupported(), "{err:?}");
    assert!(err.api_body().is_none());
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.answered_api_version(), Some("2026-10"));
    match &err {
        Error::UnsupportedApiVersion { sent_version, .. } => assert_eq!(sent_version, "2026-04"),
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("Polar-Version: 2026-04"), "{text}");
    assert!(text.contains("may be retired"), "{text}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "not retried");
}

#[tokio::test]
async fn declared_not_found_body_stays_a_typed_404() {
    let server = answering_404(
        r#"{"error":"ResourceNotFound","detail":"License key not found"}"#,
        "2026-10",
    )
    .await;
    let err = client(&server, "2026-10")
        .license_keys()
        .get(uuid::Uuid::nil())
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_version_unsupported());
    assert!(matches!(
        err.api_body(),
        Some(polar::ApiErrorBody::ResourceNotFound(body)) if body.detail == "License key not found"
    ));
    assert_eq!(err.answered_api_version(), Some("2026-10"));
}

#[tokio::test]
async fn response_observer_sees_the_answering_version() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(204)
                .insert_header("polar-version", "2026-10")
                .insert_header("content-type", "application/json"),
        )
        .mount(&server)
        .await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("polar_oat_secret")
        .http_client(
            polar::client::reqwest::Client::builder()
                .no_proxy()
                .build()
                .unwrap(),
        )
        .on_response(move |info| {
            record
                .lock()
                .unwrap()
                .push(info.api_version().map(str::to_owned));
        })
        .build()
        .unwrap();
    // The empty body does not decode as a license key: only the observer matters here.
    let _ = client.license_keys().get(uuid::Uuid::nil()).send().await;
    assert_eq!(*seen.lock().unwrap(), vec![Some("2026-10".to_owned())]);
}

async fn answering_404_without_version(body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_raw(body.to_owned(), "application/json"))
        .mount(&server)
        .await;
    server
}

/// An operation that declares no 404 body (`metrics:get_dashboard`) answering a plain
/// "not found" is a 404, not a retired version: the version echoed is the one sent.
#[tokio::test]
async fn a_plain_404_from_an_operation_without_a_declared_one_is_a_404() {
    let server = answering_404(r#"{"detail":"Not Found"}"#, "2026-10").await;
    let err = client(&server, "2026-10")
        .metrics()
        .get_dashboard(uuid::Uuid::nil())
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_version_unsupported(), "{err:?}");
    assert!(matches!(err, Error::Api { status: 404, .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("404 Not Found"), "{text}");
    assert!(text.contains("api_version"), "the hint is there: {text}");

    // Without an echoed version the same answer still is a 404 for this operation.
    let server = answering_404_without_version(r#"{"detail":"Not Found"}"#).await;
    let err = client(&server, "2026-10")
        .metrics()
        .get_dashboard(uuid::Uuid::nil())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 404, .. }), "{err:?}");
}

/// With no echoed version, the router's bare body on an operation that declares its own
/// "not found" body still shows a retired version.
#[tokio::test]
async fn the_routers_bare_404_on_an_operation_with_a_declared_one_shows_the_version() {
    let server = answering_404_without_version(r#"{"detail":"Not Found"}"#).await;
    let err = client(&server, "2026-04")
        .license_keys()
        .get(uuid::Uuid::nil())
        .send()
        .await
        .unwrap_err();
    assert!(err.is_version_unsupported(), "{err:?}");
    // The same body with the version sent echoed back is an ordinary 404.
    let server = answering_404(r#"{"detail":"Not Found"}"#, "2026-04").await;
    let err = client(&server, "2026-04")
        .license_keys()
        .get(uuid::Uuid::nil())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 404, .. }), "{err:?}");
}
