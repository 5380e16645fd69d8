//! The emitted operations against a loopback mock: path, query, body and credentials on
//! the wire, typed success and error bodies, and page-by-page streaming.

use std::collections::BTreeMap;

use futures_util::TryStreamExt;
use serde_json::json;
use shop::client::reqwest;
use shop::models::{ItemStatus, ItemUpdate};
use shop::{ApiErrorBody, Client, Error, RetryPolicy};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .http_client(reqwest::Client::builder().no_proxy().build().unwrap())
        .base_url(server.uri())
        .access_token("polar_oat_test")
        .retry_policy(RetryPolicy::new().max_retries(0))
        .build()
        .unwrap()
}

fn item(id: &str) -> serde_json::Value {
    json!({"id": id, "name": "Mug", "status": "active", "price": {"amount_type": "free"},
        "note": null, "type": "item"})
}

#[tokio::test]
async fn update_sends_path_query_body_and_token() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1/items/a%2Fb"))
        .and(query_param("notify", "true"))
        .and(header("authorization", "Bearer polar_oat_test"))
        .and(body_json(json!({"name": null})))
        .respond_with(ResponseTemplate::new(200).set_body_json(item("a/b")))
        .expect(1)
        .mount(&server)
        .await;
    let body = ItemUpdate::new().clear_name();
    let updated = client(&server)
        .items()
        .update("a/b", body)
        .notify(true)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.id, "a/b");
}

#[tokio::test]
async fn declared_error_statuses_decode_to_their_own_types() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/items/missing"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": "ResourceNotFound", "detail": "no such item"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1/items/bad"))
        .respond_with(
            ResponseTemplate::new(422).set_body_json(json!({"detail": [{"msg": "too long"}]})),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let update = ItemUpdate::new;
    let err = client
        .items()
        .update("missing", update())
        .send()
        .await
        .unwrap_err();
    match err.api_body() {
        Some(ApiErrorBody::NotFound(body)) => assert_eq!(body.detail, "no such item"),
        other => panic!("404 decoded as {other:?} ({err})"),
    }
    let err = client
        .items()
        .update("bad", update())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 422, .. }), "{err}");
    match err.api_body() {
        Some(ApiErrorBody::ValidationError(body)) => {
            assert_eq!(body.detail[0].msg.as_deref(), Some("too long"))
        }
        other => panic!("422 decoded as {other:?} ({err})"),
    }
}

#[tokio::test]
async fn paginated_list_streams_every_page_with_the_filters() {
    let server = MockServer::start().await;
    for (page, ids) in [("1", ["a", "b"]), ("2", ["c", "d"])] {
        Mock::given(method("GET"))
            .and(path("/v1/items/"))
            .and(query_param("page", page))
            .and(query_param("status", "archived"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "items": ids.iter().map(|id| item(id)).collect::<Vec<_>>(),
                "pagination": {"total_count": 4, "max_page": 2}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let items: Vec<_> = client
        .items()
        .list()
        .status(vec![ItemStatus::Archived])
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
}

#[tokio::test]
async fn deep_object_maps_send_typed_keys_by_their_wire_value() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/items/"))
        .and(query_param("stock[active]", "3"))
        .and(query_param("stock[paused]", "1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"items": [], "pagination": {"total_count": 0, "max_page": 1}}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let stock = BTreeMap::from([
        (ItemStatus::Active, 3),
        (ItemStatus::Unknown("paused".into()), 1),
    ]);
    let page = client(&server)
        .items()
        .list()
        .stock(stock)
        .send()
        .await
        .unwrap();
    assert!(page.items.is_empty());
}

#[tokio::test]
async fn operations_without_security_send_no_token() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/trees/t1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "t1"})))
        .mount(&server)
        .await;
    let node = client(&server).trees().get("t1").send().await.unwrap();
    assert_eq!(node.name, "t1");
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("authorization").is_none());
}
