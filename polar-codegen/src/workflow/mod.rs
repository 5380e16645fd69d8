//! The workflow catalog: every webhook event as a *trigger* and every operation as an
//! *action*, described as data (JSON Schemas, flags, dynamic options) for workflow
//! platforms. Built from the IR; written as `polar-generated/catalog.json` and as static
//! Rust data by `emit`. The format is documented in docs/catalog.md.

pub mod input;
pub mod traits;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use crate::ir::{Api, Operation, ResponseBody, TypeKind, TypeRef, Webhook};
use crate::json_schema::SchemaBuilder;
use crate::plan::{Credential, Plan};
use crate::samples::{SampleOptions, Sampler};
use input::InputPlan;
pub use traits::DynamicOption;

/// Version of the catalog format; bumped on any incompatible change to its shape.
pub const CATALOG_VERSION: u32 = 1;

/// Seed of the example payloads (fixed, so the file is reproducible).
const EXAMPLE_SEED: u64 = 2026;

#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    /// Says the file is generated.
    #[serde(rename = "$comment")]
    pub comment: String,
    pub catalog_version: u32,
    /// The Polar API version the catalog describes (`Polar-Version`).
    pub api_version: String,
    pub groups: Vec<Group>,
    pub triggers: Vec<Trigger>,
    pub actions: Vec<Action>,
    /// Every named type the schemas reference (`#/$defs/<type id>`), shared.
    #[serde(rename = "$defs")]
    pub defs: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trigger {
    /// The event type, e.g. `order.paid` (also the trigger's id).
    pub event_type: String,
    pub title: String,
    pub description: String,
    pub group: String,
    /// The list action whose newest item makes a real sample, when the event's
    /// resource has one.
    pub sample_action: Option<String>,
    pub payload_schema: Value,
    pub example: Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct Action {
    /// The operationId, e.g. `customers:create`.
    pub id: String,
    pub group: String,
    pub title: String,
    pub description: String,
    pub method: String,
    pub path: String,
    /// `access_token`, `customer_session`, `customer_or_member_session` or `none`.
    pub credential: String,
    pub deprecated: bool,
    /// Served by Polar but no longer listed in its spec; restored by the SDK's overlay.
    pub restored: bool,
    pub paginated: bool,
    pub read_only: bool,
    pub destructive: bool,
    pub idempotent: bool,
    pub dedupe_key: Option<String>,
    /// Top-level argument names, in order.
    pub arguments: Vec<String>,
    pub dynamic_options: Vec<DynamicOptionEntry>,
    pub error_statuses: Vec<u16>,
    pub input_schema: Value,
    pub output_schema: Value,
    /// The Cargo feature that compiles this action's typed method.
    pub feature: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DynamicOptionEntry {
    pub argument: String,
    pub action: String,
    pub value_field: String,
    pub label_field: String,
}

/// Build the catalog from the IR, with the features the plan gave each operation.
pub fn catalog(plan: &Plan) -> Catalog {
    let api = plan.api;
    let mut schemas = SchemaBuilder::new(api);
    let actions: Vec<Action> = api
        .operations
        .iter()
        .map(|op| action(plan, op, &mut schemas))
        .collect();
    let mut group_ids: Vec<String> = actions.iter().map(|a| a.group.clone()).collect();
    group_ids.dedup();
    group_ids.sort();
    group_ids.dedup();
    let groups = group_ids
        .into_iter()
        .map(|id| {
            let count = actions.iter().filter(|a| a.group == id).count();
            Group {
                title: title_case(&id),
                description: format!(
                    "Polar's `{id}` API ({count} action{}).",
                    if count == 1 { "" } else { "s" }
                ),
                id,
            }
        })
        .collect();
    let triggers = api
        .webhooks
        .iter()
        .map(|w| trigger(api, w, &mut schemas))
        .collect();
    Catalog {
        comment: format!(
            "{} Format: docs/catalog.md.",
            crate::format::GENERATED_HEADER
        ),
        catalog_version: CATALOG_VERSION,
        api_version: api.info.version.clone(),
        groups,
        triggers,
        actions,
        defs: schemas.definitions(),
    }
}

fn action(op_plan: &Plan, op: &Operation, schemas: &mut SchemaBuilder) -> Action {
    let api = op_plan.api;
    let plan = InputPlan::new(api, op);
    let output_schema = match &op.success.body {
        ResponseBody::Json(ty) => {
            let root = schemas.schema(ty);
            schemas.document(root)
        }
        ResponseBody::Text { content_type } => json!({
            "$schema": crate::json_schema::DIALECT,
            "type": "string",
            "contentMediaType": content_type,
        }),
        // `invoke` returns a binary body as its byte values.
        ResponseBody::Bytes { content_type } => json!({
            "$schema": crate::json_schema::DIALECT,
            "type": "array",
            "items": { "type": "integer", "minimum": 0, "maximum": 255 },
            "description": format!("The `{content_type}` response body, byte by byte."),
        }),
        ResponseBody::Empty => json!({ "$schema": crate::json_schema::DIALECT, "type": "null" }),
    };
    let description = op.docs.description.clone().unwrap_or_default();
    Action {
        id: op.operation_id.clone(),
        group: op.group.first().cloned().unwrap_or_default(),
        title: op
            .docs
            .title
            .clone()
            .unwrap_or_else(|| title_case(&op.method_name)),
        description,
        method: op.http_method.as_str().to_owned(),
        path: op.path.clone(),
        credential: credential(op_plan.operation(op).credential).to_owned(),
        deprecated: op.docs.deprecated,
        restored: op.restored,
        paginated: op.pagination.is_some(),
        read_only: traits::read_only(op),
        destructive: traits::destructive(op),
        idempotent: traits::idempotent(op),
        dedupe_key: traits::dedupe_key(api, op, &plan.arguments),
        arguments: plan.names().into_iter().map(str::to_owned).collect(),
        dynamic_options: traits::dynamic_options(api, &plan.arguments)
            .into_iter()
            .map(|o| DynamicOptionEntry {
                argument: o.argument,
                action: o.action,
                value_field: o.value_field,
                label_field: o.label_field,
            })
            .collect(),
        error_statuses: op.errors.iter().map(|e| e.status).collect(),
        input_schema: plan.schema(api, schemas),
        output_schema,
        feature: op_plan.operation(op).feature.clone(),
    }
}

fn trigger(api: &Api, webhook: &Webhook, schemas: &mut SchemaBuilder) -> Trigger {
    let payload = TypeRef::Named(webhook.payload.clone());
    let options = SampleOptions {
        absent_one_in: usize::MAX,
        null_one_in: usize::MAX,
        ..SampleOptions::default()
    };
    let example = Sampler::with_options(api, EXAMPLE_SEED, options).value(&payload);
    let sample_action = data_type(api, webhook).and_then(|data| sample_action(api, data));
    let resource = webhook.event.split('.').next().unwrap_or_default();
    // The group of the resource's list action (`benefit_grant` → `benefit-grants`).
    let group = sample_action
        .or_else(|| traits::list_action(api, resource))
        .and_then(|op| op.group.first())
        .cloned()
        .unwrap_or_else(|| format!("{resource}s"));
    let description = webhook.docs.description.clone().unwrap_or_default();
    Trigger {
        event_type: webhook.event.clone(),
        title: title_case(&webhook.event.replace('.', " ")),
        // Polar's descriptions end with a "Discord & Slack support" note for its own
        // integrations: not about the event.
        description: description
            .split("\n\n**Discord")
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned(),
        group,
        sample_action: sample_action.map(|op| op.operation_id.clone()),
        payload_schema: {
            let root = schemas.schema(&payload);
            schemas.document(root)
        },
        example,
    }
}

/// The type of the payload's `data` field.
pub fn data_type<'a>(api: &'a Api, webhook: &Webhook) -> Option<&'a TypeRef> {
    match &api.types.get(&webhook.payload)?.kind {
        TypeKind::Struct(s) => s.fields.iter().find(|f| f.name == "data").map(|f| &f.ty),
        _ => None,
    }
}

/// The organization list action whose items have the event's `data` type.
fn sample_action<'a>(api: &'a Api, data: &TypeRef) -> Option<&'a Operation> {
    api.operations
        .iter()
        .find(|op| uses_access_token(op) && op.pagination.as_ref().is_some_and(|p| &p.item == data))
}

pub fn credential(credential: Credential) -> &'static str {
    match credential {
        Credential::None => "none",
        Credential::AccessToken => "access_token",
        Credential::CustomerSession => "customer_session",
        Credential::CustomerOrMemberSession => "customer_or_member_session",
    }
}

/// Whether the operation takes an organization access token (the plan's rule; an
/// unsupported scheme already failed planning).
pub fn uses_access_token(op: &Operation) -> bool {
    crate::plan::credential(op).is_ok_and(|c| c == Credential::AccessToken)
}

/// `customer_portal` → `Customer portal`.
fn title_case(wire: &str) -> String {
    let words = wire.replace(['_', '-'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
