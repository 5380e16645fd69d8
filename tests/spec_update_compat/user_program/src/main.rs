//! A first integration written against the SDK generated from Polar's 2026-07-21 spec,
//! the way a user writes it: build request models with `new` and setters, read response
//! fields, match enums, unions and events with a `_` arm. It must compile unchanged
//! against the SDK generated from every later spec that only adds things.

use polar::models::{
    CheckoutProductsCreate, CheckoutUpdatePublic, Customer, CustomerIndividualCreate,
    DiscountDuration, DiscountFixedCreate, DiscountUpdate, OrderBillingReason, OrderStatus,
    OrganizationUpdate, SubscriptionStatus,
};
use polar::webhooks::VerifiedEvent;
use polar::{ApiErrorBody, Client, Uuid, Webhook, WebhookEvent};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

async fn first_integration(client: &Client, product_id: Uuid, organization_id: Uuid) -> Result<()> {
    let request = CustomerIndividualCreate::new("ada@example.com").name("Ada Lovelace");
    let customer = match client.customers().create(request).await {
        Ok(customer) => customer,
        Err(err) => match err.api_body() {
            Some(ApiErrorBody::HttpValidationError(invalid)) => {
                for problem in invalid.detail.iter().flatten() {
                    eprintln!("rejected: {}", problem.msg);
                }
                return Ok(());
            }
            _ => return Err(err.into()),
        },
    };
    let customer_id = customer.id().ok_or("no id")?;
    println!("{customer_id} {:?}", customer.email());
    match &customer {
        Customer::Individual(individual) => println!("{}", individual.email),
        Customer::Team(team) => println!("team {}", team.id),
        _ => println!("a customer kind this SDK does not know"),
    }

    let checkout = CheckoutProductsCreate::new(vec![product_id])
        .success_url("https://example.com/thanks")
        .customer_id(customer_id);
    let checkout = client.checkouts().create(checkout).await?;
    println!("pay here: {} ({:?})", checkout.url, checkout.status);
    let update = CheckoutUpdatePublic::default().customer_email("ada@example.com");
    let _ = client
        .checkouts()
        .client_update(&checkout.client_secret, update)
        .await?;

    let mut orders = client
        .orders()
        .list()
        .customer_id(customer_id)
        .limit(50)
        .stream();
    while let Some(order) = orders.next().await {
        let order = order?;
        let reason = match order.billing_reason {
            OrderBillingReason::Purchase => "purchase",
            OrderBillingReason::SubscriptionCycle => "renewal",
            _ => "other",
        };
        let paid = matches!(order.status, OrderStatus::Paid);
        println!(
            "{} {} {reason} {paid} {:?}",
            order.id, order.total_amount, order.discount
        );
    }

    let subscriptions = client
        .subscriptions()
        .list()
        .customer_id(customer_id)
        .await?;
    for subscription in &subscriptions.items {
        if subscription.status == SubscriptionStatus::Active {
            println!(
                "{} until {:?}",
                subscription.id, subscription.current_period_end
            );
        }
    }

    let discount = DiscountFixedCreate::new("Launch", DiscountDuration::Once)
        .amount(500)
        .code("LAUNCH");
    let discount = client.discounts().create(discount).await?;
    let _ = client
        .discounts()
        .update(
            discount.id().ok_or("no id")?,
            DiscountUpdate::default().name("Launch week"),
        )
        .await?;

    let organization = client
        .organizations()
        .update(organization_id, OrganizationUpdate::default().name("Acme"))
        .await?;
    println!("{} {}", organization.id, organization.slug);
    Ok(())
}

fn on_delivery(
    webhook: &Webhook,
    body: &[u8],
    headers: &polar::http::HeaderMap,
) -> polar::http::StatusCode {
    match webhook.verify_and_parse(body, headers) {
        Ok(VerifiedEvent {
            id,
            event: WebhookEvent::OrderPaid(paid),
            ..
        }) => {
            println!("{id}: order {} paid", paid.data.id);
            polar::http::StatusCode::ACCEPTED
        }
        Ok(VerifiedEvent {
            event: WebhookEvent::SubscriptionCanceled(canceled),
            ..
        }) => {
            println!("canceled {}", canceled.data.id);
            polar::http::StatusCode::ACCEPTED
        }
        Ok(other) => {
            println!("ignored {}", other.event_type());
            polar::http::StatusCode::ACCEPTED
        }
        Err(err) => err.http_status(),
    }
}

fn main() {
    // Type-checked, not run: there is no Polar to call here.
    let _ = first_integration;
    let _ = on_delivery;
}
