//! What the client sends: URL, query encoding, headers, auth and bodies; and how
//! successful responses are read.

mod runtime_support;

use std::collections::BTreeMap;

use polar::__private::{to_form, to_json, Auth, Body, Execute, Expect, Method};
use polar::{ApiErrorBody, Client, Environment, Error, RequestOptions};
use runtime_support::{builder, received, spec, ERRORS};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Customer {
    id: String,
    email: String,
}

fn customer_json() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "c1", "email": "a@b.c"}))
}

#[tokio::test]
async fn get_sends_exact_url_query_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(customer_json())
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();

    let mut spec = spec(
        Method::Get,
        &format!("/v1/customers/{}", polar::__private::path_segment("a/b c")),
    );
    spec.auth = Auth::AccessToken;
    spec.query.push("page", &2i64);
    spec.query.push_each("product_id", &["p1", "p2"]);
    let mut metadata = BTreeMap::new();
    metadata.insert("plan".to_owned(), serde_json::json!("pro plus"));
    metadata.insert("seats".to_owned(), serde_json::json!([1, 2]));
    spec.query.push_deep_object("metadata", &metadata);
    let after = chrono::DateTime::parse_from_rfc3339("2026-03-04T05:06:07.5+02:00")
        .unwrap()
        .with_timezone(&chrono::Utc);
    spec.query.push("created_after", &after);

    let customer: Customer = client.execute(spec).await.unwrap().json().unwrap();
    assert_eq!(customer.id, "c1");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/v1/customers/a%2Fb%20c");
    assert_eq!(
        request.url.query(),
        Some(
            "page=2&product_id=p1&product_id=p2&metadata%5Bplan%5D=pro%20plus\
             &metadata%5Bseats%5D=1&metadata%5Bseats%5D=2\
             &created_after=2026-03-04T03%3A06%3A07.500Z"
        )
    );
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(
        header("authorization").as_deref(),
        Some("Bearer polar_oat_test")
    );
    assert_eq!(header("polar-version").as_deref(), Some("2026-10"));
    assert_eq!(
        header("user-agent"),
        Some(format!("polar-generated/{}", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(header("accept").as_deref(), Some("application/json"));
    assert_eq!(header("content-type"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn json_body_is_sent_as_is_with_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/customers/"))
        .respond_with(customer_json())
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let mut spec = spec(Method::Post, "/v1/customers/");
    spec.auth = Auth::AccessToken;
    let body = serde_json::json!({"email": "a@b.c", "metadata": {"k": 1}, "name": null});
    spec.body = Body::Json(to_json(&body).unwrap());
    client
        .execute(spec)
        .await
        .unwrap()
        .json::<Customer>()
        .unwrap();

    let request = &received(&server).await[0];
    assert_eq!(request.headers["content-type"], "application/json");
    assert_eq!(
        request.body,
        br#"{"email":"a@b.c","metadata":{"k":1},"name":null}"#
    );
}

#[tokio::test]
async fn form_body_is_url_encoded() {
    #[derive(serde::Serialize)]
    struct TokenRequest {
        grant_type: &'static str,
        client_id: &'static str,
        client_secret: Option<&'static str>,
        scope: &'static str,
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let mut spec = spec(Method::Post, "/v1/oauth2/token");
    spec.body = Body::Form(
        to_form(&TokenRequest {
            grant_type: "client_credentials",
            client_id: "id+1",
            client_secret: None,
            scope: "openid email",
        })
        .unwrap(),
    );
    client
        .execute(spec)
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .unwrap();

    let request = &received(&server).await[0];
    assert_eq!(
        request.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        "grant_type=client_credentials&client_id=id%2B1&scope=openid%20email"
    );
    assert!(
        !request.headers.contains_key("authorization"),
        "Auth::None sends no Authorization even though the client has a token"
    );
}

#[tokio::test]
async fn api_version_default_headers_and_per_call_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(customer_json())
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .api_version("2026-04")
        .default_header("X-Team", "billing")
        .default_header("X-Trace", "client")
        .build()
        .unwrap();
    let mut spec = spec(Method::Get, "/v1/customers/c1");
    spec.headers.push(("x-param".into(), "from-spec".into()));
    spec.options = RequestOptions::new().header("x-trace", "call");
    client.execute(spec).await.unwrap();

    let request = &received(&server).await[0];
    assert_eq!(request.headers["polar-version"], "2026-04");
    assert_eq!(request.headers["x-team"], "billing");
    assert_eq!(request.headers["x-trace"], "call");
    assert_eq!(request.headers["x-param"], "from-spec");
}

#[tokio::test]
async fn invalid_per_call_header_fails_before_sending() {
    let server = MockServer::start().await;
    let client = builder(&server.uri()).build().unwrap();
    let mut spec = spec(Method::Get, "/v1/x");
    spec.options = RequestOptions::new().header("x-bad", "a\nb");
    let err = client.execute(spec).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(received(&server).await.is_empty());
}

async fn authorization_sent(client: &Client, server: &MockServer, auth: Auth) -> Option<String> {
    let mut spec = spec(Method::Get, "/v1/me");
    spec.auth = auth;
    client.execute(spec).await.unwrap();
    let requests = received(server).await;
    requests
        .last()
        .unwrap()
        .headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn auth_picks_the_credential_of_the_operation() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let all = builder(&server.uri())
        .customer_session_token("polar_cst_c")
        .member_session_token("polar_mst_m")
        .build()
        .unwrap();
    let customer_only = builder(&server.uri())
        .customer_session_token("polar_cst_c")
        .build()
        .unwrap();

    let cases = [
        (&all, Auth::AccessToken, Some("Bearer polar_oat_test")),
        (&all, Auth::CustomerSession, Some("Bearer polar_cst_c")),
        (
            &all,
            Auth::CustomerOrMemberSession,
            Some("Bearer polar_mst_m"),
        ),
        (
            &customer_only,
            Auth::CustomerOrMemberSession,
            Some("Bearer polar_cst_c"),
        ),
        (&all, Auth::None, None),
    ];
    for (client, auth, expected) in cases {
        assert_eq!(
            authorization_sent(client, &server, auth).await.as_deref(),
            expected,
            "{auth:?}"
        );
    }
}

#[tokio::test]
async fn missing_credential_fails_before_sending() {
    let server = MockServer::start().await;
    let no_tokens = Client::builder().base_url(server.uri()).build().unwrap();
    let access_only = builder(&server.uri()).build().unwrap();

    let cases = [
        (&no_tokens, Auth::AccessToken, "access token"),
        (
            &access_only,
            Auth::CustomerSession,
            "customer session token",
        ),
        (
            &access_only,
            Auth::CustomerOrMemberSession,
            "customer session or member session token",
        ),
    ];
    for (client, auth, expected) in cases {
        let mut spec = spec(Method::Get, "/v1/me");
        spec.auth = auth;
        spec.operation_id = "customer_portal:customers:get";
        match client.execute(spec).await.unwrap_err() {
            Error::MissingCredential {
                operation_id,
                needed,
            } => {
                assert_eq!(operation_id, "customer_portal:customers:get");
                assert_eq!(needed, expected);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(received(&server).await.len(), 0, "nothing may be sent");
}

#[tokio::test]
async fn per_call_authorization_header_replaces_the_client_credential() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let no_tokens = Client::builder()
        .http_client(runtime_support::http_client())
        .base_url(server.uri())
        .build()
        .unwrap();
    let mut spec = spec(Method::Get, "/v1/me");
    spec.auth = Auth::AccessToken;
    spec.options = RequestOptions::new().header("Authorization", "Bearer per-call");
    no_tokens.execute(spec).await.unwrap();
    assert_eq!(
        received(&server).await[0].headers["authorization"],
        "Bearer per-call"
    );
}

#[tokio::test]
async fn text_operations_accept_their_declared_type_and_return_text_whatever_is_served() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/csv"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("a,b\n1,2\n", "text/csv"))
        .mount(&server)
        .await;
    Mock::given(path("/v1/json"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[1]", "application/json"))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let cases = [
        ("/v1/csv", "text/csv", "a,b\n1,2\n"),
        ("/v1/json", "text/plain", "[1]"),
    ];
    for (route, content_type, expected) in cases {
        let mut spec = spec(Method::Get, route);
        spec.expect = Expect::Text { content_type };
        assert_eq!(
            client.execute(spec).await.unwrap().text().unwrap(),
            expected
        );
    }
    let requests = received(&server).await;
    assert_eq!(requests[0].headers["accept"], "text/csv");
    assert_eq!(requests[1].headers["accept"], "text/plain");
}

#[tokio::test]
async fn an_unsendable_declared_content_type_is_an_error_not_a_panic() {
    let client = builder("http://127.0.0.1:9").build().unwrap();
    let mut spec = spec(Method::Get, "/v1/csv");
    spec.expect = Expect::Text {
        content_type: "text/csv\n",
    };
    let err = client.execute(spec).await.unwrap_err();
    assert!(
        err.to_string().contains("invalid Accept content type"),
        "{err}"
    );
}

#[tokio::test]
async fn empty_operations_accept_204() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let mut spec = spec(Method::Delete, "/v1/customers/c1");
    spec.expect = Expect::Empty;
    let response = client.execute(spec).await.unwrap();
    assert_eq!(response.status(), 204);
    response.empty().unwrap();
}

#[tokio::test]
async fn declared_error_status_decodes_the_body() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"error": "ResourceNotFound", "detail": "Not found"});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(body.clone()))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let mut spec = spec(Method::Get, "/v1/customers/c1");
    spec.operation_id = "customers:get";
    spec.errors = ERRORS;
    let err = client.execute(spec).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(!err.is_retryable());
    let expected: polar::models::ResourceNotFound = serde_json::from_value(body).unwrap();
    assert_eq!(
        err.api_body(),
        Some(&ApiErrorBody::ResourceNotFound(Box::new(expected)))
    );
    assert!(
        matches!(err.api_body(), Some(ApiErrorBody::ResourceNotFound(nf)) if nf.detail == "Not found")
    );
    assert!(err.to_string().starts_with("customers:get: "), "{err}");
    assert_eq!(received(&server).await.len(), 1, "404 is not retried");
}

#[tokio::test]
async fn undeclared_error_status_keeps_the_raw_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(418).set_body_string("teapot"))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let mut spec = spec(Method::Get, "/v1/x");
    spec.errors = ERRORS;
    match client.execute(spec).await.unwrap_err() {
        Error::Api {
            status, body, raw, ..
        } => {
            assert_eq!(status, 418);
            assert_eq!(body, None);
            assert_eq!(raw, "teapot");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = MockServer::start().await;
    Mock::given(path("/proxy/v1/x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(1)))
        .mount(&server)
        .await;
    let client = builder(&format!("{}/proxy/", server.uri()))
        .environment(Environment::Sandbox)
        .build()
        .unwrap();
    assert_eq!(client.environment(), Some(Environment::Sandbox));
    let value: i64 = client
        .execute(spec(Method::Get, "/v1/x"))
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(value, 1);
}

#[test]
fn execute_future_is_send_and_client_is_send_sync() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<Error>();
    let client = Client::builder().build().unwrap();
    let future = client.execute(spec(Method::Get, "/"));
    assert_send(&future);
}
