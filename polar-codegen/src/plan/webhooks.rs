//! The `WebhookEvent` variant of each webhook.

use crate::ir::Webhook;
use crate::names::{Namespace, RustName};

/// One variant name per webhook, in the order given (`Unknown` is taken by the enum).
pub fn webhook_variants(webhooks: &[Webhook]) -> Vec<String> {
    let mut variants = Namespace::new();
    variants.reserve("Unknown");
    webhooks
        .iter()
        .map(|hook| variants.claim(RustName::type_name(&hook.event)).rust)
        .collect()
}
