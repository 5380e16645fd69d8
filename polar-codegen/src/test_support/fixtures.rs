//! Sample webhook payloads made from the spec's schemas (never hand-typed), checked in
//! under `polar-generated/tests/fixtures/` for the webhook tests and benchmark.

use serde_json::{Map, Value};

use super::samples::{SampleOptions, Sampler};
use crate::error::{Error, Result};
use crate::ir::{Api, TypeRef};

/// Every event's payload, keyed by event type.
pub const WEBHOOK_PAYLOADS_PATH: &str = "tests/fixtures/webhook_payloads.json";
/// A realistic `order.paid` body on its own, compact as delivered (webhook tests, benchmark).
pub const ORDER_PAID_PATH: &str = "tests/fixtures/order_paid.json";

/// Every optional field present and non-null, one or two items per list: the shape of
/// a typical real delivery, exercising as much of each decoder as possible.
fn rich() -> SampleOptions {
    SampleOptions {
        min_items: 1,
        max_items: 2,
        absent_one_in: usize::MAX,
        null_one_in: usize::MAX,
        ..SampleOptions::default()
    }
}

/// The payloads as `(path, contents)` pairs.
pub fn webhook_fixtures(api: &Api) -> Result<Vec<(String, String)>> {
    let mut payloads = Map::new();
    for (index, hook) in api.webhooks.iter().enumerate() {
        let mut sampler = Sampler::with_options(api, 0x5eed + index as u64, rich());
        payloads.insert(
            hook.event.clone(),
            sampler.value(&TypeRef::Named(hook.payload.clone())),
        );
    }
    let to_text = |value: &Value| {
        serde_json::to_string_pretty(value)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|err| Error::Other(format!("encoding webhook fixtures: {err}")))
    };
    let mut files = vec![(
        WEBHOOK_PAYLOADS_PATH.to_owned(),
        to_text(&Value::Object(payloads.clone()))?,
    )];
    if let Some(order_paid) = payloads.get("order.paid") {
        // Compact, exactly as a delivery's body arrives.
        let compact = serde_json::to_string(order_paid)
            .map_err(|err| Error::Other(format!("encoding webhook fixtures: {err}")))?;
        files.push((ORDER_PAID_PATH.to_owned(), compact));
    }
    Ok(files)
}
