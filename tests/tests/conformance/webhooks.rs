//! Webhook payloads: for every event, payloads sampled from its schema (several seeds,
//! so nulls, absent optional fields and union branches vary) parse into the matching
//! `WebhookEvent` variant.

use polar::WebhookEvent;
use polar_codegen::ir::{Api, TypeRef};
use polar_codegen::samples::Sampler;

/// Payloads sampled per event.
pub const PAYLOADS_PER_EVENT: u64 = 6;

pub struct Outcome {
    pub events: usize,
    pub passed: usize,
    pub payloads: usize,
    pub failures: Vec<String>,
}

pub fn run(api: &Api) -> Outcome {
    let mut outcome = Outcome {
        events: api.webhooks.len(),
        passed: 0,
        payloads: 0,
        failures: Vec::new(),
    };
    for webhook in &api.webhooks {
        let ty = TypeRef::Named(webhook.payload.clone());
        let mut ok = true;
        for seed in 0..PAYLOADS_PER_EVENT {
            let payload = Sampler::new(api, seed).value(&ty);
            let bytes = serde_json::to_vec(&payload).expect("payload serializes");
            outcome.payloads += 1;
            let problem = match WebhookEvent::decode_known(&webhook.event, &bytes) {
                Some(Ok(event)) if event.event_type() == webhook.event => continue,
                Some(Ok(event)) => format!("decoded as {}", event.event_type()),
                Some(Err(err)) => format!("{err:?}"),
                None => "unknown event type".to_owned(),
            };
            ok = false;
            outcome.failures.push(format!(
                "webhook {} (seed {seed}): {problem}\n    payload: {payload}",
                webhook.event
            ));
        }
        outcome.passed += usize::from(ok);
    }
    outcome
}
