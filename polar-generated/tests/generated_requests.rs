//! The exact HTTP requests that generated operations send: method, path, query string
//! (arrays, deepObject metadata, dates, enums), headers (auth per operation,
//! Polar-Version, content type) and body bytes (JSON and form).

use std::collections::BTreeMap;

use polar::{models, Client};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server_answering(status: u16, content_type: &str, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .access_token("polar_oat_secret")
        .customer_session_token("polar_cst_secret")
        .http_client(
            polar::client::reqwest::Client::builder()
                .no_proxy()
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

const EMPTY_LIST: &str = r#"{"items":[],"pagination":{"total_count":0,"max_page":0}}"#;

#[tokio::test]
async fn list_filters_encode_arrays_deep_objects_and_enums() {
    let server = server_answering(200, "application/json", EMPTY_LIST).await;
    let org = uuid::Uuid::parse_str("6b3e2f8e-3a5b-4f0e-9c1d-2a7b8c9d0e1f").unwrap();
    let org2 = uuid::Uuid::parse_str("00000000-0000-4000-8000-000000000002").unwrap();
    let mut metadata = BTreeMap::new();
    metadata.insert(
        "plan".to_owned(),
        models::MetadataQueryValue::String("pro plus".into()),
    );
    metadata.insert(
        "seats".to_owned(),
        models::MetadataQueryValue::IntegerList(vec![1, 2]),
    );
    let page = client(&server)
        .customers()
        .list()
        .organization_id(vec![org, org2])
        .email("ada@example.com")
        .sorting(vec![models::CustomerSortProperty::CreatedAtDesc])
        .metadata(metadata)
        .page(2)
        .send()
        .await
        .unwrap();
    assert!(page.items.is_empty());
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/v1/customers/");
    assert_eq!(
        request.url.query(),
        Some(
            "organization_id=6b3e2f8e-3a5b-4f0e-9c1d-2a7b8c9d0e1f&organization_id=00000000-0000-4000-8000-000000000002\
             &email=ada%40example.com&page=2&sorting=-created_at\
             &metadata%5Bplan%5D=pro%20plus&metadata%5Bseats%5D=1&metadata%5Bseats%5D=2"
        )
    );
    assert_eq!(
        header(&request, "authorization"),
        Some("Bearer polar_oat_secret")
    );
    assert_eq!(header(&request, "polar-version"), Some(polar::API_VERSION));
    assert!(header(&request, "user-agent")
        .unwrap()
        .starts_with("polar-generated/"));
}

#[tokio::test]
async fn dates_and_required_query_parameters() {
    let server = server_answering(200, "application/json", "{}").await;
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let end = chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    let _ = client(&server)
        .metrics()
        .get(start, end, models::TimeInterval::Day)
        .send()
        .await;
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/metrics/");
    let query = request.url.query().unwrap();
    assert!(
        query.starts_with("start_date=2026-01-01&end_date=2026-01-31&interval=day"),
        "{query}"
    );

    let server = server_answering(200, "application/json", EMPTY_LIST).await;
    let after = chrono::DateTime::parse_from_rfc3339("2026-02-03T04:05:06Z")
        .unwrap()
        .to_utc();
    client(&server)
        .events()
        .list()
        .start_timestamp(after)
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("start_timestamp=2026-02-03T04%3A05%3A06Z")
    );
}

#[tokio::test]
async fn json_body_path_parameters_and_patch_nulls() {
    let server = server_answering(200, "application/json", "{}").await;
    let id = uuid::Uuid::parse_str("00000000-0000-4000-8000-000000000001").unwrap();
    let update: models::CustomerUpdate =
        serde_json::from_value(serde_json::json!({"name": null})).unwrap();
    let _ = client(&server).customers().update(id, update).send().await;
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(
        request.url.path(),
        "/v1/customers/00000000-0000-4000-8000-000000000001"
    );
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    // An explicit null is sent (it clears the name); absent fields are not.
    assert_eq!(String::from_utf8(request.body).unwrap(), r#"{"name":null}"#);
}

#[tokio::test]
async fn path_segments_are_percent_encoded() {
    let server = server_answering(200, "application/json", "{}").await;
    let _ = client(&server)
        .customers()
        .get_external("user/42 ü")
        .send()
        .await;
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/v1/customers/external/user%2F42%20%C3%BC"
    );
}

#[tokio::test]
async fn oauth2_token_sends_a_form_body() {
    let server = server_answering(200, "application/json", "{}").await;
    let body = models::OAuth2TokenBody::AuthorizationCodeTokenRequest(Box::new(
        models::AuthorizationCodeTokenRequest::new(models::AuthorizationCodeTokenRequestRequired {
            client_id: "polar_ci_1".into(),
            client_secret: "s3cret".into(),
            code: "abc".into(),
            redirect_uri: "https://example.com/cb?x=1".into(),
        }),
    ));
    let _ = client(&server).oauth2().token(body).send().await;
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        header(&request, "authorization"),
        None,
        "the token endpoint has no security requirement"
    );
    assert_eq!(
        String::from_utf8(request.body).unwrap(),
        "grant_type=authorization_code&client_id=polar_ci_1&client_secret=s3cret&code=abc\
         &redirect_uri=https%3A%2F%2Fexample.com%2Fcb%3Fx%3D1"
    );
}

#[tokio::test]
async fn customer_portal_uses_the_customer_session_and_public_endpoints_send_no_token() {
    let server = server_answering(200, "application/json", "{}").await;
    let _ = client(&server)
        .customer_portal()
        .customers()
        .get()
        .send()
        .await;
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/customer-portal/customers/me");
    assert_eq!(
        header(&request, "authorization"),
        Some("Bearer polar_cst_secret")
    );

    let server = server_answering(200, "application/json", "{}").await;
    let _ = client(&server)
        .checkouts()
        .client_get("cs_secret")
        .send()
        .await;
    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), None);

    // Without the credential an operation needs, nothing is sent.
    let server = server_answering(200, "application/json", "{}").await;
    let no_session = Client::builder()
        .base_url(server.uri())
        .access_token("polar_oat_secret")
        .build()
        .unwrap();
    let err = no_session
        .customer_portal()
        .customers()
        .get()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, polar::Error::MissingCredential { .. }),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn csv_exports_return_the_text() {
    let csv = "email,name\nada@example.com,Ada\n";
    let server = server_answering(200, "text/csv", csv).await;
    let text = client(&server).customers().export().send().await.unwrap();
    assert_eq!(text, csv);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/customers/export");
}

#[tokio::test]
async fn declared_error_bodies_are_typed_per_operation() {
    let server = server_answering(
        404,
        "application/json",
        r#"{"error":"ResourceNotFound","detail":"Not found"}"#,
    )
    .await;
    let id = uuid::Uuid::nil();
    let err = client(&server)
        .customers()
        .get(id)
        .send()
        .await
        .unwrap_err();
    match err.api_body() {
        Some(polar::ApiErrorBody::ResourceNotFound(body)) => {
            assert_eq!(body.detail, "Not found")
        }
        other => panic!("expected a typed ResourceNotFound, got {other:?}"),
    }
    let server = server_answering(
        422,
        "application/json",
        r#"{"detail":[{"loc":["body","email"],"msg":"value is not a valid email","type":"value_error"}]}"#,
    )
    .await;
    let body: models::CustomerCreate =
        serde_json::from_value(serde_json::json!({"email": "nope"})).unwrap();
    let err = client(&server)
        .customers()
        .create(body)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.api_body(),
            Some(polar::ApiErrorBody::HttpValidationError(_))
        ),
        "{err:?}"
    );
}
