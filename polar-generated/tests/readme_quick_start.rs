//! The README's quick start, run against a local mock. Each snippet is copied here
//! verbatim into a function, and `readme_snippets_are_the_ones_tested` fails if the README
//! and this file drift apart.

mod common;

use std::error::Error;

use common::{resource, without_whitespace};
use polar::http::HeaderMap;
use polar::Client;
use polar::Uuid;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

// ---- README snippets (verbatim) -------------------------------------------------------

async fn list_products() -> Result<(Client, Uuid)> {
    let client = polar::Client::from_env()?;
    let products = client.products().list().is_archived(false).await?;
    for product in &products.items {
        println!("{} {}", product.id, product.name);
    }
    Ok((client, products.items[0].id))
}

async fn create_checkout(client: &Client, product_id: Uuid) -> Result<String> {
    use polar::models::CheckoutProductsCreate;

    let request =
        CheckoutProductsCreate::new(vec![product_id]).success_url("https://example.com/thanks");
    let checkout = client.checkouts().create(request).await?;
    println!("pay here: {}", checkout.url);
    Ok(checkout.url)
}

async fn create_customer(client: &Client) -> Result {
    use polar::models::CustomerIndividualCreate;
    use polar::ApiErrorBody;

    let request = CustomerIndividualCreate::new("ada@example.com").name("Ada Lovelace");
    match client.customers().create(request).await {
        Ok(customer) => println!("created {customer:?}"),
        Err(err) => match err.api_body() {
            Some(ApiErrorBody::HttpValidationError(invalid)) => {
                for problem in invalid.detail.iter().flatten() {
                    eprintln!("rejected: {}", problem.msg);
                }
            }
            _ => return Err(err.into()),
        },
    }
    Ok(())
}

async fn walk_orders(client: &Client, customer_id: Uuid, other_customer_id: Uuid) -> Result<usize> {
    use polar::{DateTime, Utc, Uuid};

    let since: DateTime<Utc> = "2026-01-01T00:00:00Z".parse()?;
    let mut orders = client
        .orders()
        .list()
        .customer_id(customer_id)
        .created_after(since)
        .stream();
    while let Some(order) = orders.next().await {
        let order = order?;
        println!("{} {} {}", order.id, order.created_at, order.total_amount);
    }
    // Several customers at once, at most 1,000 orders (more is `Error::TooManyItems`).
    let ids: [Uuid; 2] = [customer_id, other_customer_id];
    let all = client
        .orders()
        .list()
        .customer_id(ids)
        .stream()
        .collect_all(1_000)
        .await?;
    println!("{} orders", all.len());
    Ok(all.len())
}

fn receive_webhook(secret: &str, body: &[u8], headers: &HeaderMap) -> Result<String> {
    let (secret, body, headers) = (secret.to_owned(), body.to_vec(), headers.clone());
    {
        use polar::webhooks::VerifiedEvent;
        use polar::{Webhook, WebhookEvent};

        let webhook = Webhook::new(&secret)?; // whsec_… or polar_whs_…, either signing scheme
        match webhook.verify_and_parse(&body, &headers) {
            Ok(VerifiedEvent {
                id,
                event: WebhookEvent::OrderPaid(paid),
                ..
            }) => {
                println!("{id}: paid: order {}", paid.data.id)
            }
            Ok(other) => println!("{}: ignored {}", other.id, other.event_type()), // answer 202
            Err(err) => eprintln!("rejected: {err} (answer {})", err.http_status()), // 403 or 400
        }
    }
    // The same call again, so the test sees what the snippet saw.
    let webhook = polar::Webhook::new(&secret)?;
    Ok(match webhook.verify_and_parse(&body, &headers) {
        Ok(verified) => format!("{} {}", verified.id, verified.event_type()),
        Err(err) => err.http_status().to_string(),
    })
}

/// The crate README's first snippet (`polar-generated/README.md`).
async fn create_customer_and_read_its_id() -> Result<Option<Uuid>> {
    use polar::models::CustomerIndividualCreate;

    let client = polar::Client::from_env()?;
    let request = CustomerIndividualCreate::new("ada@example.com").name("Ada Lovelace");
    let customer = client.customers().create(request).await?;
    println!(
        "created customer {:?} ({:?})",
        customer.id(),
        customer.email()
    );
    Ok(customer.id())
}

// ---- the mock ------------------------------------------------------------------------

async fn mock_polar() -> MockServer {
    let server = MockServer::start().await;
    let product = resource("product.created");
    let list =
        serde_json::json!({"items": [product], "pagination": {"total_count": 1, "max_page": 1}});
    Mock::given(method("GET"))
        .and(path("/v1/products/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list))
        .mount(&server)
        .await;
    let order = resource("order.created");
    let orders =
        serde_json::json!({"items": [order], "pagination": {"total_count": 1, "max_page": 1}});
    Mock::given(method("GET"))
        .and(path("/v1/orders/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(orders))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/checkouts/"))
        .respond_with(ResponseTemplate::new(201).set_body_json(resource("checkout.created")))
        .mount(&server)
        .await;
    let invalid = serde_json::json!({"detail": [{
        "loc": ["body", "email"], "msg": "A customer with this email address already exists.",
        "type": "value_error"
    }]});
    // The first create answers 422 (the root README's snippet), the next one 201.
    Mock::given(method("POST"))
        .and(path("/v1/customers/"))
        .respond_with(ResponseTemplate::new(422).set_body_json(invalid))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/customers/"))
        .respond_with(ResponseTemplate::new(201).set_body_json(customer_fixture()))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

fn customer_fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/customer.json")).unwrap()
}

#[tokio::test]
async fn quick_start_runs_against_a_mock() {
    let server = mock_polar().await;
    // The only test in this binary that touches the environment.
    std::env::set_var("POLAR_ACCESS_TOKEN", "polar_oat_readme");
    std::env::set_var("POLAR_BASE_URL", server.uri());
    std::env::remove_var("POLAR_ENVIRONMENT");
    std::env::set_var("NO_PROXY", "127.0.0.1,localhost");

    let (client, product_id) = list_products().await.unwrap();
    assert_eq!(
        product_id,
        resource("product.created")["id"]
            .as_str()
            .unwrap()
            .parse::<Uuid>()
            .unwrap()
    );

    let url = create_checkout(&client, product_id).await.unwrap();
    assert_eq!(url, resource("checkout.created")["url"].as_str().unwrap());

    let (one, two) = (Uuid::from_u128(1), Uuid::from_u128(2));
    assert_eq!(walk_orders(&client, one, two).await.unwrap(), 1);

    // The 422 is handled by the snippet (not returned as an error).
    create_customer(&client).await.unwrap();
    let id = create_customer_and_read_its_id().await.unwrap();
    assert_eq!(
        id.map(|id| id.to_string()).as_deref(),
        customer_fixture()["id"].as_str()
    );

    let requests = server.received_requests().await.unwrap();
    let bodies: Vec<Value> = requests
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(
        bodies[0],
        serde_json::json!({"success_url": "https://example.com/thanks", "products": [product_id]})
    );
    assert_eq!(
        bodies[1],
        serde_json::json!({"name": "Ada Lovelace", "type": "individual", "email": "ada@example.com"})
    );
    assert!(requests
        .iter()
        .all(|r| r.headers["authorization"] == "Bearer polar_oat_readme"));

    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let body = include_bytes!("fixtures/order_paid.json");
    let webhook = polar::Webhook::new(secret).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let headers = webhook.signed_headers("msg_readme", now, body).unwrap();
    assert_eq!(
        receive_webhook(secret, body, &headers).unwrap(),
        "msg_readme order.paid"
    );
    let forged = webhook.signed_headers("msg_readme", now, b"{}").unwrap();
    assert_eq!(
        receive_webhook(secret, body, &forged).unwrap(),
        "403 Forbidden"
    );
}

#[test]
fn the_crate_readme_snippets_are_the_ones_tested() {
    let readme = include_str!("../README.md");
    let this_file = without_whitespace(include_str!("readme_quick_start.rs"));
    let snippets: Vec<&str> = readme
        .split("```rust\n")
        .skip(1)
        .map(|rest| &rest[..rest.find("```").expect("a closed code block")])
        .collect();
    assert_eq!(snippets.len(), 3, "customer, checkout, list");
    for snippet in snippets {
        assert!(
            this_file.contains(&without_whitespace(snippet)),
            "polar-generated/README.md snippet not run by this test:\n{snippet}"
        );
    }
}

#[test]
fn readme_snippets_are_the_ones_tested() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("## Quick start")
        .expect("a Quick start section");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let this_file = without_whitespace(include_str!("readme_quick_start.rs"));
    let snippets: Vec<&str> = section
        .split("```rust\n")
        .skip(1)
        .map(|rest| &rest[..rest.find("```").expect("a closed code block")])
        .collect();
    assert_eq!(
        snippets.len(),
        5,
        "list, pages, checkout, customer, webhook"
    );
    for snippet in snippets {
        assert!(
            this_file.contains(&without_whitespace(snippet)),
            "README snippet not run by this test:\n{snippet}"
        );
        assert!(!snippet.contains("json!"), "{snippet}");
    }
}
