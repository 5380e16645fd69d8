//! Generated list operations as a user writes them, with no crate but `polar` and tokio:
//! filters that take one value or many, and walking every page with `next().await`.

use polar::{Client, Error, Uuid};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAYLOADS: &str = include_str!("fixtures/webhook_payloads.json");

/// A realistic order with the given id.
fn order(id: Uuid) -> Value {
    let payloads: Value = serde_json::from_str(PAYLOADS).unwrap();
    let mut order = payloads["order.created"]["data"].clone();
    order["id"] = json!(id);
    order
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn client(server: &MockServer) -> Client {
    let http = polar::client::reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap();
    Client::builder()
        .base_url(server.uri())
        .access_token("polar_oat_test")
        .http_client(http)
        .build()
        .unwrap()
}

/// Answers `GET /v1/orders/?page=n` with `pages[n - 1]`, a page of orders with those ids.
async fn orders_server(pages: &[&[u128]]) -> MockServer {
    let server = MockServer::start().await;
    for (index, ids) in pages.iter().enumerate() {
        let items: Vec<Value> = ids.iter().map(|n| order(id(*n))).collect();
        let total: usize = pages.iter().map(|p| p.len()).sum();
        Mock::given(method("GET"))
            .and(path("/v1/orders/"))
            .and(query_param("page", (index + 1).to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "items": items,
                "pagination": {"total_count": total, "max_page": pages.len()},
            })))
            .mount(&server)
            .await;
    }
    server
}

/// The query strings the server received, in order.
async fn queries(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn filters_take_one_value_or_many() {
    let server = orders_server(&[&[]]).await;
    let client = client(&server);
    let (a, b) = (id(0xa), id(0xb));
    let list = || client.orders().list().page(1);

    list().customer_id(a).send().await.unwrap();
    list().customer_id([a, b]).send().await.unwrap();
    list().customer_id(vec![a, b]).send().await.unwrap();
    let kept = vec![b];
    list().customer_id(&kept).send().await.unwrap();
    assert_eq!(kept, [b], "a borrowed list is cloned, not taken");
    list().customer_id(&[a, b][..]).send().await.unwrap();
    list().external_customer_id("ext_1").send().await.unwrap();
    list()
        .external_customer_id(["ext_1", "ext_2"])
        .send()
        .await
        .unwrap();
    list()
        .status(polar::models::OrderStatus::Paid)
        .send()
        .await
        .unwrap();

    let (a, b) = (a.to_string(), b.to_string());
    assert_eq!(
        queries(&server).await,
        [
            format!("customer_id={a}&page=1"),
            format!("customer_id={a}&customer_id={b}&page=1"),
            format!("customer_id={a}&customer_id={b}&page=1"),
            format!("customer_id={b}&page=1"),
            format!("customer_id={a}&customer_id={b}&page=1"),
            "external_customer_id=ext_1&page=1".to_owned(),
            "external_customer_id=ext_1&external_customer_id=ext_2&page=1".to_owned(),
            "status=paid&page=1".to_owned(),
        ]
    );
}

/// A paginator can be walked inside `tokio::spawn`.
fn assert_send<T: Send>(_: &T) {}

#[tokio::test]
async fn next_walks_every_page_with_the_filters() {
    let server = orders_server(&[&[1, 2], &[3]]).await;
    let client = client(&server);
    let customer = id(0xc);

    let mut orders = client.orders().list().customer_id(customer).stream();
    assert_send(&orders);
    let mut seen = Vec::new();
    while let Some(order) = orders.next().await {
        seen.push(order.unwrap().id);
    }
    assert_eq!(seen, [id(1), id(2), id(3)]);
    let customer = customer.to_string();
    assert_eq!(
        queries(&server).await,
        [
            format!("customer_id={customer}&page=1"),
            format!("customer_id={customer}&page=2")
        ]
    );
}

#[tokio::test]
async fn next_page_and_collect_all_over_the_http_client() {
    let server = orders_server(&[&[1, 2], &[3, 4], &[5]]).await;
    let client = client(&server);

    let mut pages = client.orders().list().stream();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await {
        sizes.push(page.unwrap().len());
    }
    assert_eq!(sizes, [2, 2, 1]);

    let all = client
        .orders()
        .list()
        .stream()
        .collect_all(5)
        .await
        .unwrap();
    assert_eq!(all.len(), 5);

    let requests_before = queries(&server).await.len();
    let err = client
        .orders()
        .list()
        .stream()
        .collect_all(3)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooManyItems {
                operation_id: "orders:list",
                max_items: 3
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.operation_id(), Some("orders:list"));
    assert_eq!(
        queries(&server).await.len() - requests_before,
        2,
        "stops at the page that passes the cap"
    );
}
