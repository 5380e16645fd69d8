//! Serde behaviour of the emitted models: structs with required, optional and nullable
//! fields, forward-compatible enums, tagged and untagged unions, recursion and maps.

use serde_json::json;
use shop::models::{
    Discount, Item, ItemLabelsKey, ItemStatus, ItemUpdate, MetadataValue, Node, Price, PriceFixed,
};

fn item_json() -> serde_json::Value {
    json!({
        "id": "it_1",
        "name": "Mug",
        "status": "active",
        "price": {"amount_type": "fixed", "amount": 1200, "currency": "eur"},
        "note": null,
        "metadata": {"color": "blue", "stock": 3, "weight": 0.5, "gift": true},
        "type": "item"
    })
}

#[test]
fn struct_round_trips_with_null_and_absent_fields_apart() {
    let item: Item = serde_json::from_value(item_json()).unwrap();
    assert_eq!(item.note, None, "required + nullable: null decodes to None");
    assert_eq!(item.tags, None, "optional: absent decodes to None");
    // Required nullable fields are always sent; absent optional ones are skipped.
    assert_eq!(serde_json::to_value(&item).unwrap(), item_json());
    let missing_name = json!({"id": "x", "status": "active", "note": null,
        "price": {"amount_type": "free"}});
    let err = serde_json::from_value::<Item>(missing_name).unwrap_err();
    assert!(err.to_string().contains("name"), "{err}");
}

#[test]
fn patch_fields_tell_absent_from_null() {
    let absent = ItemUpdate::new();
    let clear = ItemUpdate::new().clear_name();
    assert_eq!(serde_json::to_value(&absent).unwrap(), json!({}));
    assert_eq!(serde_json::to_value(&clear).unwrap(), json!({"name": null}));
    let decoded: ItemUpdate = serde_json::from_value(json!({"name": null})).unwrap();
    assert_eq!(decoded, clear);
}

#[test]
fn string_enum_keeps_unknown_values() {
    let known: ItemStatus = serde_json::from_value(json!("archived")).unwrap();
    assert_eq!(known, ItemStatus::Archived);
    let symbol: ItemStatus = serde_json::from_value(json!("Etc/GMT+1")).unwrap();
    assert_eq!(symbol, ItemStatus::EtcGmtPlus1);
    assert_eq!(symbol.as_str(), "Etc/GMT+1");
    let unknown: ItemStatus = serde_json::from_value(json!("paused")).unwrap();
    assert_eq!(unknown, ItemStatus::Unknown("paused".into()));
    assert_eq!(serde_json::to_value(&unknown).unwrap(), json!("paused"));
    assert_eq!(
        ItemStatus::KNOWN_VALUES,
        ["active", "archived", "Etc/GMT+1"]
    );
    assert!(serde_json::from_value::<ItemStatus>(json!(3)).is_err());
}

#[test]
fn tagged_union_dispatches_on_the_tag_and_keeps_unknown_tags() {
    let fixed: Price =
        serde_json::from_value(json!({"amount_type": "fixed", "amount": 5})).unwrap();
    let Price::Fixed(inner) = &fixed else {
        panic!("{fixed:?}");
    };
    assert_eq!(inner.amount, 5);
    assert_eq!(fixed.tag(), Some("fixed"));
    let free: Price = serde_json::from_value(json!({"amount_type": "free"})).unwrap();
    assert!(matches!(free, Price::Free(_)), "{free:?}");
    let future = json!({"amount_type": "metered", "unit": "GB"});
    let unknown: Price = serde_json::from_value(future.clone()).unwrap();
    assert_eq!(unknown.tag(), Some("metered"));
    assert_eq!(serde_json::to_value(&unknown).unwrap(), future);
    // A known tag with a bad branch names the field.
    let err = serde_json::from_value::<Price>(json!({"amount_type": "fixed", "amount": "x"}))
        .unwrap_err();
    assert!(err.to_string().contains("amount"), "{err}");
    // Each branch also decodes on its own, tag included.
    let branch: PriceFixed =
        serde_json::from_value(json!({"amount_type": "fixed", "amount": 1})).unwrap();
    assert_eq!(branch.amount, 1);
}

#[test]
fn untagged_union_prefers_the_most_specific_branch() {
    let with_code: Discount =
        serde_json::from_value(json!({"amount": 10, "code": "SPRING"})).unwrap();
    assert!(matches!(with_code, Discount::WithCode(_)), "{with_code:?}");
    let base: Discount = serde_json::from_value(json!({"amount": 10})).unwrap();
    assert!(matches!(base, Discount::Base(_)), "{base:?}");
    assert_eq!(base.amount(), Some(10), "a field every branch has");
    // A shape no branch knows (Polar added one): kept as it came, sent back unchanged.
    let future = json!({"code": "x"});
    let unknown: Discount = serde_json::from_value(future.clone()).unwrap();
    assert!(
        matches!(&unknown, Discount::Unknown(raw) if *raw == future),
        "{unknown:?}"
    );
    assert_eq!(unknown.amount(), None);
    assert_eq!(serde_json::to_value(&unknown).unwrap(), future);
}

#[test]
fn scalar_unions_and_maps_decode_each_value_by_its_json_type() {
    let item: Item = serde_json::from_value(item_json()).unwrap();
    let metadata = item.metadata.unwrap();
    assert_eq!(metadata["color"], MetadataValue::String("blue".into()));
    assert_eq!(metadata["stock"], MetadataValue::Integer(3));
    assert_eq!(metadata["weight"], MetadataValue::Number(0.5));
    assert_eq!(metadata["gift"], MetadataValue::Boolean(true));
}

#[test]
fn maps_keyed_by_property_names_round_trip_with_typed_keys() {
    let related = "4f1c1e0e-5b7e-4c8e-9a39-6c0b1b0d2a11";
    let mut json = item_json();
    json["stock"] = json!({"active": 3, "paused": 1});
    json["related"] = json!({related: "same mug, bigger"});
    json["labels"] = json!({"de": "Tasse", "en": "Mug"});
    let item: Item = serde_json::from_value(json.clone()).unwrap();
    let stock = item.stock.as_ref().unwrap();
    assert_eq!(stock[&ItemStatus::Active], 3);
    // An enum key Polar adds later is kept, not rejected.
    assert_eq!(stock[&ItemStatus::Unknown("paused".into())], 1);
    let id: uuid::Uuid = related.parse().unwrap();
    assert_eq!(item.related.as_ref().unwrap()[&id], "same mug, bigger");
    assert_eq!(item.labels.as_ref().unwrap()[&ItemLabelsKey::De], "Tasse");
    assert_eq!(serde_json::to_value(&item).unwrap(), json);
    // A key that is not a UUID is a decode error naming the entry, not a panic.
    let mut bad = item_json();
    bad["related"] = json!({"not-a-uuid": "x"});
    let err = serde_path_to_error::deserialize::<_, Item>(bad).unwrap_err();
    assert_eq!(err.path().to_string(), "related.not-a-uuid");
}

#[test]
fn recursive_types_decode_at_depth() {
    let tree = json!({"name": "root", "children": [
        {"name": "a", "parent": {"name": "root"}, "children": [{"name": "a1"}]},
        {"name": "b", "discount": {"amount": 1}}
    ]});
    let node: Node = serde_json::from_value(tree.clone()).unwrap();
    let children = node.children.as_ref().unwrap();
    assert_eq!(children[0].parent.as_ref().unwrap().name, "root");
    assert_eq!(children[0].children.as_ref().unwrap()[0].name, "a1");
    assert_eq!(serde_json::to_value(&node).unwrap(), tree);
}

#[test]
fn literal_fields_accept_only_their_constant() {
    let mut wrong = item_json();
    wrong["type"] = json!("service");
    let err = serde_json::from_value::<Item>(wrong).unwrap_err();
    assert!(err.to_string().contains("item"), "{err}");
}

#[test]
fn webhook_events_dispatch_on_type_and_keep_unknown_events() {
    use shop::WebhookEvent;
    let body = json!({"type": "item.created", "data": item_json()}).to_string();
    let event = WebhookEvent::from_slice(body.as_bytes()).unwrap();
    let WebhookEvent::ItemCreated(payload) = &event else {
        panic!("{event:?}");
    };
    assert_eq!(payload.data.name, "Mug");
    let unknown = WebhookEvent::from_slice(br#"{"type": "item.deleted", "data": {}}"#).unwrap();
    assert_eq!(unknown.event_type(), "item.deleted");
}
