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
        matches!(discount, polar::models::DiscountBase::Unknown(raw) if *raw == new_kind),
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
        Some(polar::models::DiscountBase::Unknown(_))
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

#[rustfmt::skip]
#[path = "support/received_unions.rs"]
mod received_unions;

/// Every union the client decodes, generated from the spec: a value matching none of its
/// branches becomes `Unknown` and is sent back unchanged, and a sample of each branch it
/// has today decodes without an `Unknown` anywhere on its path (an inner union's
/// `Unknown` must not swallow a later branch of the outer one).
#[test]
fn every_received_union_keeps_a_new_branch_and_still_decodes_the_known_ones() {
    let mut failures = Vec::new();
    let (mut untagged, mut tagged) = (0, 0);
    for case in received_unions::CASES {
        match (case.decode_probe)(case.probe) {
            Ok((true, again)) if again == serde_json::from_str::<Value>(case.probe).unwrap() => {}
            Ok((true, again)) => failures.push(format!("{}: re-encoded as {again}", case.name)),
            Ok((false, _)) => {
                failures.push(format!("{}: {} matched a branch", case.name, case.probe))
            }
            Err(err) => failures.push(format!(
                "{}: {} failed to decode: {err}",
                case.name, case.probe
            )),
        }
        for (index, branch) in case.branches.iter().enumerate() {
            match (case.decode_branch)(branch) {
                Ok(false) => {}
                Ok(true) => failures.push(format!(
                    "{} branch {index}: decoded as Unknown: {branch}",
                    case.name
                )),
                Err(err) => failures.push(format!("{} branch {index}: {err}: {branch}", case.name)),
            }
        }
        if case.tagged {
            tagged += 1;
        } else {
            untagged += 1;
        }
    }
    println!(
        "forward compatible: {untagged} untagged and {tagged} tagged received unions, {} without a probe",
        received_unions::UNPROBEABLE.len()
    );
    assert!(
        received_unions::UNPROBEABLE.is_empty(),
        "{:?}",
        received_unions::UNPROBEABLE
    );
    assert!(untagged > 0 && tagged > 0);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
