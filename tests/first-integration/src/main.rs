//! A first integration with Polar: the calls the TypeScript SDK's README starts with, and a
//! webhook endpoint. Reads `POLAR_ACCESS_TOKEN` (and `POLAR_BASE_URL`), `PRODUCT_ID` and
//! `POLAR_WEBHOOK_SECRET`.

use polar::axum::{http::StatusCode, routing::post, Router};
use polar::models::{CheckoutProductsCreate, CustomerIndividualCreate};
use polar::webhooks::axum::Verified;
use polar::{Client, Uuid, Webhook, WebhookEvent};

async fn on_webhook(Verified(delivery): Verified) -> StatusCode {
    if let WebhookEvent::OrderPaid(paid) = &delivery.event {
        println!("webhook {}: order {} paid", delivery.id, paid.data.id);
    }
    StatusCode::ACCEPTED
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;

    let request = CustomerIndividualCreate::new("ada@example.com").name("Ada Lovelace");
    let customer = client.customers().create(request).await?;
    let customer_id = customer.id().ok_or("the customer has no id")?;
    println!("customer {customer_id}");

    let product_id: Uuid = std::env::var("PRODUCT_ID")?.parse()?;
    let checkout = CheckoutProductsCreate::new(vec![product_id])
        .customer_id(customer_id)
        .success_url("https://example.com/thanks");
    let checkout = client.checkouts().create(checkout).await?;
    println!("checkout {}", checkout.url);

    let mut orders = client.orders().list().customer_id(customer_id).stream();
    let mut count = 0;
    while let Some(order) = orders.next().await {
        let order = order?;
        println!(
            "order {} {} {}",
            order.id, order.total_amount, order.currency
        );
        count += 1;
    }
    println!("{count} orders");

    let webhook = Webhook::new(&std::env::var("POLAR_WEBHOOK_SECRET")?)?;
    let app = Router::new()
        .route("/webhooks/polar", post(on_webhook))
        .with_state(webhook);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("listening on {}", listener.local_addr()?);
    polar::axum::serve(listener, app).await?;
    Ok(())
}
