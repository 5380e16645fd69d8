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
