//! Cargo features: one per top-level operation group, plus `webhooks` for the event
//! types; each model is gated by the features whose operations or events reach it.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Operation, ResponseBody, TypeId, TypeRef};

/// The feature that gates webhook event types.
pub const WEBHOOKS_FEATURE: &str = "webhooks";

/// Feature names the crate defines itself; a group with such a name gets `-api` appended.
pub const RESERVED_FEATURES: &[&str] = &["default", "full", "webhooks", "minimal"];

/// The feature gating an operation: its kebab-case top-level group.
pub fn operation_feature(op: &Operation) -> String {
    let top = op.group.first().map(String::as_str).unwrap_or("default");
    let feature = top.replace('_', "-");
    if feature == WEBHOOKS_FEATURE {
        // The group manages webhook endpoints; `webhooks` is the event feature.
        "webhook-endpoints".to_owned()
    } else if RESERVED_FEATURES.contains(&feature.as_str()) {
        format!("{feature}-api")
    } else {
        feature
    }
}

/// The features that reach each named type.
pub fn type_features(api: &Api) -> BTreeMap<TypeId, BTreeSet<String>> {
    let mut roots: Vec<(&TypeRef, String)> = Vec::new();
    for op in &api.operations {
        let feature = operation_feature(op);
        for param in &op.params {
            roots.push((&param.ty, feature.clone()));
        }
        if let Some(body) = &op.body {
            roots.push((&body.ty, feature.clone()));
        }
        if let ResponseBody::Json(ty) = &op.success.body {
            roots.push((ty, feature.clone()));
        }
        for error in &op.errors {
            roots.push((&error.ty, feature.clone()));
        }
    }
    let payloads: Vec<TypeRef> = api
        .webhooks
        .iter()
        .map(|hook| TypeRef::Named(hook.payload.clone()))
        .collect();
    for payload in &payloads {
        roots.push((payload, WEBHOOKS_FEATURE.to_owned()));
    }
    let mut out: BTreeMap<TypeId, BTreeSet<String>> = BTreeMap::new();
    for (ty, feature) in roots {
        let mut stack: Vec<&TypeId> = ty.named();
        while let Some(id) = stack.pop() {
            let Some(def) = api.types.get(id) else {
                continue;
            };
            if !out.entry(id.clone()).or_default().insert(feature.clone()) {
                continue;
            }
            for child in def.kind.refs() {
                stack.extend(child.named());
            }
        }
    }
    out
}

/// One operation-group feature.
#[derive(Debug, Clone)]
pub struct GroupFeature {
    /// Cargo feature name, e.g. `customer-portal`.
    pub name: String,
    /// The top-level `x-speakeasy-group`, e.g. `customer_portal`.
    pub group: String,
    /// `Client` accessor (and module under `services`), e.g. `customer_portal`.
    pub accessor: String,
    pub operations: usize,
    /// Named models compiled when this feature is on.
    pub models: usize,
    /// Of those, the models no other feature reaches.
    pub own_models: usize,
}

/// Every feature of the generated crate, in name order.
#[derive(Debug, Clone)]
pub struct Features {
    pub groups: Vec<GroupFeature>,
    /// Models the webhook events reach.
    pub webhook_models: usize,
    pub webhook_own_models: usize,
    pub webhook_events: usize,
    /// Every used model (the `full` build).
    pub total_models: usize,
    pub total_operations: usize,
}

impl Features {
    /// Count operations and models per feature; `accessors` are the planned `Client`
    /// accessor chains of the operations, in order.
    pub fn new(
        api: &Api,
        type_features: &BTreeMap<TypeId, BTreeSet<String>>,
        accessors: &[&[String]],
    ) -> Self {
        let mut groups: BTreeMap<String, GroupFeature> = BTreeMap::new();
        for (op, chain) in api.operations.iter().zip(accessors) {
            let name = operation_feature(op);
            let entry = groups.entry(name.clone()).or_insert_with(|| GroupFeature {
                name,
                group: op.group.first().cloned().unwrap_or_default(),
                accessor: chain.first().cloned().unwrap_or_default(),
                operations: 0,
                models: 0,
                own_models: 0,
            });
            entry.operations += 1;
        }
        let (mut webhook_models, mut webhook_own_models, mut total_models) = (0, 0, 0);
        let none = BTreeSet::new();
        for def in api.types.values().filter(|d| d.usage.is_used()) {
            total_models += 1;
            let features = type_features.get(&def.id).unwrap_or(&none);
            let own = features.len() == 1;
            for feature in features {
                if feature == WEBHOOKS_FEATURE {
                    webhook_models += 1;
                    webhook_own_models += usize::from(own);
                } else if let Some(group) = groups.get_mut(feature) {
                    group.models += 1;
                    group.own_models += usize::from(own);
                }
            }
        }
        Features {
            groups: groups.into_values().collect(),
            webhook_models,
            webhook_own_models,
            webhook_events: api.webhooks.len(),
            total_models,
            total_operations: api.operations.len(),
        }
    }
}
