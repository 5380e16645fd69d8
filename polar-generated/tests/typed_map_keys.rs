//! Maps whose spec keys are typed (`propertyNames`): a discount's `amounts` by currency
//! and a downloadable benefit's `archived` files by UUID, both ways through JSON.

use std::collections::BTreeMap;

use polar::models::{
    BenefitDownloadablesProperties, DiscountDuration, DiscountFixedCreate, PresentmentCurrency,
};
use serde_json::json;

#[test]
fn discount_amounts_are_keyed_by_currency_both_ways() {
    let discount =
        DiscountFixedCreate::new("Spring", DiscountDuration::Once).amounts(BTreeMap::from([
            (PresentmentCurrency::Usd, 1000),
            (PresentmentCurrency::Eur, 900),
        ]));
    let sent = serde_json::to_value(&discount).unwrap();
    assert_eq!(sent["amounts"], json!({"eur": 900, "usd": 1000}));
    let back: DiscountFixedCreate = serde_json::from_value(sent).unwrap();
    assert_eq!(back, discount);

    // A currency this crate does not know yet survives the round trip.
    let mut newer = serde_json::to_value(&discount).unwrap();
    newer["amounts"] = json!({"usd": 1000, "zzz": 5});
    let decoded: DiscountFixedCreate = serde_json::from_value(newer.clone()).unwrap();
    let amounts = decoded.amounts.clone().flatten().unwrap();
    assert_eq!(amounts[&PresentmentCurrency::Usd], 1000);
    assert_eq!(amounts[&PresentmentCurrency::Unknown("zzz".into())], 5);
    assert_eq!(serde_json::to_value(&decoded).unwrap(), newer);
}

#[test]
fn archived_files_are_keyed_by_uuid_and_other_keys_are_rejected() {
    let file = "0b6a1b8e-3c1d-4d0a-9a8f-0c5d2e7f9a10";
    let payload = json!({"archived": {file: true}, "files": [file]});
    let properties: BenefitDownloadablesProperties =
        serde_json::from_value(payload.clone()).unwrap();
    let id: uuid::Uuid = file.parse().unwrap();
    assert_eq!(properties.archived, BTreeMap::from([(id, true)]));
    assert_eq!(serde_json::to_value(&properties).unwrap(), payload);

    let not_an_id = json!({"archived": {"report.pdf": true}, "files": []});
    let err = serde_json::from_value::<BenefitDownloadablesProperties>(not_an_id).unwrap_err();
    assert!(err.to_string().contains("UUID parsing failed"), "{err}");
}
