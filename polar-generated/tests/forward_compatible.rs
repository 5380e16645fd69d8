//! Polar adds union branches (a new discount kind, a new customer type) between SDK
//! releases: a payload carrying one must still decode, keep the unknown value as raw JSON
//! and send it back unchanged; the fields every branch shares stay readable.

use polar::models::{Customer, Order};
use serde_json::{json, Value};

fn order_with_discount(discount: Value) -> Value {
    let mut payload: Value =
        serde_json::from_str(include_str!("fixtures/order_paid.json")).unwrap();
    payload["data"]["discount"] = discount;
    payload["data"].take()
}

#[test]
fn an_order_with_a_discount_kind_nobody_knows_yet_still_decodes() {
    let new_kind = json!({
        "type": "tiered",
        "tiers": [{"up_to": 10, "percent": 5}],
        "id": "8fd5ee42-c8fe-4565-bbd8-27f246f63432",
        "name": "Volume",
    });
    let order: Order = serde_json::from_value(order_with_discount(new_kind.clone()))
        .expect("an unknown discount branch must not fail the whole order");
    let discount = order.discount.as_ref().expect("the discount is kept");
    assert!(
        matches!(discount, polar::models::CheckoutLinkDiscount::Unknown(raw) if *raw == new_kind),
        "{discount:?}"
    );
    // Sent back as it came.
    let again = serde_json::to_value(&order).unwrap();
    assert_eq!(again["discount"], new_kind);
    // A known kind still decodes to its branch.
    let known: Order = serde_json::from_value(order_with_discount(
        serde_json::from_str::<Value>(include_str!("fixtures/order_paid.json")).unwrap()["data"]
            ["discount"]
            .clone(),
    ))
    .unwrap();
    assert!(!matches!(
        known.discount,
        Some(polar::models::CheckoutLinkDiscount::Unknown(_))
    ));
}

#[test]
fn fields_every_branch_has_are_read_without_a_match() {
    let raw: Value = serde_json::from_str(include_str!("fixtures/customer.json")).unwrap();
    let customer: Customer = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(
        customer.id().map(|id| id.to_string()),
        raw["id"].as_str().map(str::to_owned)
    );
    assert_eq!(customer.email(), raw["email"].as_str());
    // A customer type this version does not know: still decodes, accessors say None.
    let mut future = raw.clone();
    future["type"] = json!("household");
    let customer: Customer = serde_json::from_value(future).unwrap();
    assert!(matches!(customer, Customer::Unknown(_)));
    assert_eq!(customer.id(), None);
}
