//! A trigger's lifecycle through the API: subscribe (create a webhook endpoint for a URL
//! and events), unsubscribe (delete it), and fetch a sample payload.
//!
//! These run catalog actions by id (`webhooks:create_webhook_endpoint`, …), so they need
//! the `webhook-endpoints` feature (else [`InvokeError::FeatureDisabled`]) and, for a
//! real sample, the feature of the resource's list action.

use serde_json::{json, Value};

use super::{action, trigger, InvokeError};

const CREATE_ENDPOINT: &str = "webhooks:create_webhook_endpoint";
const DELETE_ENDPOINT: &str = "webhooks:delete_webhook_endpoint";

/// A webhook endpoint created for a set of triggers.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Subscription {
    /// The endpoint id (pass it to [`crate::Client::unsubscribe`]).
    pub endpoint_id: String,
    /// The signing secret for [`crate::Webhook::new`].
    pub secret: String,
    /// The endpoint as the API returned it.
    pub endpoint: Value,
}

impl std::fmt::Debug for Subscription {
    // The secret stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("endpoint_id", &self.endpoint_id)
            .field("secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// Where a sample payload came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SampleSource {
    /// The newest item of the trigger's list action, wrapped as the event's payload.
    Live,
    /// The catalog's example (no list action, no item yet, or the list failed).
    Example,
}

/// A payload to show a person mapping a trigger's fields.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TriggerSample {
    /// The payload: `{"type", "timestamp", "data"}` like a delivery.
    pub payload: Value,
    /// Where it came from.
    pub source: SampleSource,
}

impl crate::Client {
    /// Create a webhook endpoint that receives `event_types` (e.g. `["order.paid"]`) at
    /// `url`, in the raw JSON format. Event types are checked against the catalog first.
    pub async fn subscribe(
        &self,
        url: &str,
        event_types: &[&str],
    ) -> Result<Subscription, InvokeError> {
        let create = action(CREATE_ENDPOINT).ok_or_else(|| unknown(CREATE_ENDPOINT))?;
        if let Some(bad) = event_types.iter().find(|e| trigger(e).is_none()) {
            let known: Vec<&'static str> = super::triggers().iter().map(|t| t.event_type).collect();
            return Err(InvokeError::InvalidArgument {
                action: create.id,
                path: "events".to_owned(),
                message: format!(
                    "unknown event type `{bad}`; close matches: {:?}",
                    super::close_matches(bad, &known)
                ),
            });
        }
        let endpoint = self
            .invoke(
                create.id,
                json!({ "url": url, "events": event_types, "format": "raw" }),
            )
            .await?;
        let field = |name: &str| endpoint[name].as_str().map(str::to_owned);
        match (field("id"), field("secret")) {
            (Some(endpoint_id), Some(secret)) => Ok(Subscription {
                endpoint_id,
                secret,
                endpoint,
            }),
            _ => Err(InvokeError::Encode {
                action: create.id,
                message: "the created endpoint has no `id` or `secret`".to_owned(),
            }),
        }
    }

    /// Delete the webhook endpoint of a [`Subscription`].
    pub async fn unsubscribe(&self, endpoint_id: &str) -> Result<(), InvokeError> {
        self.invoke(DELETE_ENDPOINT, json!({ "id": endpoint_id }))
            .await
            .map(|_| ())
    }

    /// A sample payload for a trigger: the newest item of its list action (sorted by
    /// `-created_at` where the action can sort), else the catalog's example. Errors only
    /// for an unknown event type; a failing list call falls back to the example.
    pub async fn trigger_sample(&self, event_type: &str) -> Result<TriggerSample, InvokeError> {
        let trigger = trigger(event_type).ok_or_else(|| {
            let known: Vec<&'static str> = super::triggers().iter().map(|t| t.event_type).collect();
            InvokeError::UnknownAction {
                id: event_type.to_owned(),
                close_matches: super::close_matches(event_type, &known),
            }
        })?;
        if let Some(list) = trigger.sample_action.and_then(action) {
            let mut arguments = json!({ "limit": 1 });
            if list.arguments.contains(&"sorting") {
                arguments["sorting"] = json!(["-created_at"]);
            }
            if let Ok(page) = self.invoke(list.id, arguments).await {
                if let Some(item) = page["items"].get(0) {
                    return Ok(TriggerSample {
                        payload: json!({
                            "type": trigger.event_type,
                            "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                            "data": item,
                        }),
                        source: SampleSource::Live,
                    });
                }
            }
        }
        Ok(TriggerSample {
            payload: trigger.example(),
            source: SampleSource::Example,
        })
    }
}

fn unknown(id: &str) -> InvokeError {
    InvokeError::UnknownAction {
        id: id.to_owned(),
        close_matches: Vec::new(),
    }
}
