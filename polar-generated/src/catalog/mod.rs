//! The workflow catalog: every webhook event as a *trigger* and every operation as an
//! *action*, as static data for workflow platforms (feature `catalog`).
//!
//! Listing is free: [`triggers`], [`actions`] and [`action`] read statics generated from
//! the spec (the same data as `catalog.json`, whose format docs/catalog.md describes).
//! Schemas are kept as JSON text and parsed when asked for, bundled with exactly the
//! `$defs` they need, so each one is a self-contained JSON Schema (2020-12).
//!
//! ```
//! let create = polar::catalog::action("customers:create").unwrap();
//! assert_eq!(create.method, "POST");
//! assert!(create.arguments.contains(&"email"));
//! let schema = create.input_schema();
//! assert_eq!(schema["type"], "object");
//! ```
//!
//! With a client, [`crate::Client::invoke`] runs an action by id with JSON arguments;
//! with the `webhooks` feature, [`TriggerEvent`] hands over a verified delivery as JSON.

#[cfg(feature = "__client")]
mod invoke;
// Not public API: read by the generated dispatcher (`src/generated/invoke.rs`); public
// (hidden) so feature subsets that use part of it do not warn.
#[cfg(feature = "__client")]
#[doc(hidden)]
pub mod invoke_support;
mod schema;
#[cfg(feature = "__client")]
mod subscribe;
#[cfg(feature = "webhooks")]
mod trigger_event;

#[cfg(feature = "__client")]
pub use invoke::{InvokeError, InvokeOptions};
#[cfg(feature = "__client")]
pub use subscribe::{SampleSource, Subscription, TriggerSample};
#[cfg(feature = "webhooks")]
pub use trigger_event::TriggerEvent;

use crate::generated::catalog_data;

/// Version of the catalog's format (`catalog_version` in `catalog.json`).
pub const CATALOG_VERSION: u32 = catalog_data::CATALOG_VERSION;

/// A group of actions (a top-level operation group of the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Group {
    /// The group id, e.g. `customers`.
    pub id: &'static str,
    /// A title for menus, e.g. `Customers`.
    pub title: &'static str,
    /// A one-line description.
    pub description: &'static str,
}

/// A webhook event a workflow can start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Trigger {
    /// The event type, e.g. `order.paid` (the trigger's id).
    pub event_type: &'static str,
    /// A title, e.g. `Order paid`.
    pub title: &'static str,
    /// What the event means, from the spec.
    pub description: &'static str,
    /// The group of the event's resource, e.g. `orders`.
    pub group: &'static str,
    /// The list action whose newest item makes a real sample payload, if the event's
    /// resource has one (see `Client::trigger_sample`).
    pub sample_action: Option<&'static str>,
    pub(crate) payload_schema_json: &'static str,
    pub(crate) example_json: &'static str,
}

impl Trigger {
    /// The payload's JSON Schema (2020-12, self-contained).
    pub fn payload_schema(&self) -> serde_json::Value {
        schema::bundle(self.payload_schema_json)
    }

    /// An example payload made from the schema (it validates against it).
    pub fn example(&self) -> serde_json::Value {
        schema::parse(self.example_json)
    }
}

/// The credential an action needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credential {
    /// None: the operation is public.
    None,
    /// An organization access token, personal access token or OAuth2 access token.
    AccessToken,
    /// A customer session token (customer portal).
    CustomerSession,
    /// A customer session or member session token (customer portal).
    CustomerOrMemberSession,
}

impl Credential {
    /// The name used in `catalog.json`, e.g. `access_token`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Credential::None => "none",
            Credential::AccessToken => "access_token",
            Credential::CustomerSession => "customer_session",
            Credential::CustomerOrMemberSession => "customer_or_member_session",
        }
    }
}

/// Where a platform finds the candidates for an id argument (a dropdown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DynamicOption {
    /// The argument, e.g. `product_id`.
    pub argument: &'static str,
    /// The list action that enumerates candidates, e.g. `products:list`.
    pub action: &'static str,
    /// The item field that is the argument's value (`id`).
    pub value_field: &'static str,
    /// The item field to show, e.g. `name`.
    pub label_field: &'static str,
}

/// An API operation a workflow can run, by id with JSON arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Action {
    /// The operationId, e.g. `customers:create`.
    pub id: &'static str,
    /// The group id, e.g. `customers`.
    pub group: &'static str,
    /// The spec's summary, e.g. `Create Customer`.
    pub title: &'static str,
    /// The spec's description.
    pub description: &'static str,
    /// HTTP method, e.g. `POST`.
    pub method: &'static str,
    /// Path template, e.g. `/v1/customers/{id}`.
    pub path: &'static str,
    /// The credential the client must hold.
    pub credential: Credential,
    /// Deprecated in the API.
    pub deprecated: bool,
    /// Served by Polar but no longer in its spec; restored by the SDK.
    pub restored: bool,
    /// Returns one page of a list (`InvokeOptions::all_pages` fetches every page).
    pub paginated: bool,
    /// Changes nothing (GET/HEAD).
    pub read_only: bool,
    /// Deletes, revokes or ends something: ask before running.
    pub destructive: bool,
    /// Running it twice has the effect of running it once (GET, HEAD, PUT, DELETE).
    pub idempotent: bool,
    /// Argument path that deduplicates re-runs, e.g. `events[].external_id`.
    pub dedupe_key: Option<&'static str>,
    /// The top-level argument names (path, query and body fields merged).
    pub arguments: &'static [&'static str],
    /// Id arguments whose candidates a list action provides.
    pub dynamic_options: &'static [DynamicOption],
    /// The error statuses the spec declares.
    pub error_statuses: &'static [u16],
    /// The Cargo feature that compiles the typed method `invoke` calls.
    pub feature: &'static str,
    pub(crate) input_schema_json: &'static str,
    pub(crate) output_schema_json: &'static str,
}

impl Action {
    /// The arguments' JSON Schema (2020-12, self-contained): one object merging path,
    /// query and body parameters; unknown top-level keys are rejected.
    pub fn input_schema(&self) -> serde_json::Value {
        schema::bundle(self.input_schema_json)
    }

    /// The JSON Schema of what `invoke` returns (2020-12, self-contained).
    pub fn output_schema(&self) -> serde_json::Value {
        schema::bundle(self.output_schema_json)
    }
}

/// Every action group, sorted by id.
pub fn groups() -> &'static [Group] {
    catalog_data::GROUPS
}

/// Every trigger, sorted by event type.
pub fn triggers() -> &'static [Trigger] {
    catalog_data::TRIGGERS
}

/// The trigger for an event type, e.g. `order.paid`.
pub fn trigger(event_type: &str) -> Option<&'static Trigger> {
    let triggers = catalog_data::TRIGGERS;
    triggers
        .binary_search_by(|t| t.event_type.cmp(event_type))
        .ok()
        .map(|i| &triggers[i])
}

/// Every action, sorted by id.
pub fn actions() -> &'static [Action] {
    catalog_data::ACTIONS
}

/// The action with this id (operationId), e.g. `customers:create`.
pub fn action(id: &str) -> Option<&'static Action> {
    let actions = catalog_data::ACTIONS;
    actions
        .binary_search_by(|a| a.id.cmp(id))
        .ok()
        .map(|i| &actions[i])
}

/// Up to three of `candidates` closest to `name`, best first (Jaro-Winkler similarity
/// ≥ 0.8, or containing `name`): the "did you mean" of `InvokeError` messages, and a
/// search for a platform's pickers, e.g. `close_matches("order", &event_types)`.
pub fn close_matches(name: &str, candidates: &[&'static str]) -> Vec<&'static str> {
    let mut scored: Vec<(f64, &'static str)> = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(name, c), *c))
        .filter(|(score, c)| *score >= 0.8 || (name.len() >= 3 && c.contains(name)))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_are_sorted_for_binary_search() {
        assert!(actions().windows(2).all(|w| w[0].id < w[1].id));
        assert!(triggers()
            .windows(2)
            .all(|w| w[0].event_type < w[1].event_type));
        assert_eq!(
            action("customers:create").map(|a| a.id),
            Some("customers:create")
        );
        assert_eq!(
            trigger("order.paid").map(|t| t.event_type),
            Some("order.paid")
        );
        assert!(action("customers:nope").is_none());
    }

    #[test]
    fn close_matches_suggest_similar_ids() {
        let ids: Vec<&'static str> = actions().iter().map(|a| a.id).collect();
        let found = close_matches("customers:craete", &ids);
        assert_eq!(found.first(), Some(&"customers:create"), "{found:?}");
        assert!(close_matches("zzzzzz", &ids).is_empty());
    }
}
