//! The `WebhookEvent` variant of each webhook.

use crate::ir::Webhook;
use crate::names::{upper_camel, Namespace};

/// One variant name per webhook, in the order given (`Unknown` is taken by the enum).
pub fn webhook_variants(webhooks: &[Webhook]) -> Vec<String> {
    let mut variants = Namespace::new();
    variants.reserve("Unknown");
    webhooks
        .iter()
        .map(|hook| variants.claim(upper_camel(&hook.event)))
        .collect()
}
