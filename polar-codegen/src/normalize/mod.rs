//! Spec JSON → [`Api`]. The only stage that reads raw JSON after loading.

mod alias_cycles;
mod all_of;
mod dedupe;
mod graph;
mod operation;
mod reference;
mod schema;

use serde_json::Value;

use crate::error::SpecError;
use crate::ir::{Api, ApiInfo, Docs, Server, TypeRef, Webhook};

pub use schema::escape_pointer;

/// The document-level checks of [`normalize`] (an OpenAPI 3.1 root with `info`), for
/// callers that must reject a wrong file before touching it (e.g. applying overlays).
pub fn check_document(spec: &Value) -> Result<(), SpecError> {
    info(spec).map(|_| ())
}

/// Normalize a whole OpenAPI 3.1 document.
pub fn normalize(spec: &Value) -> Result<Api, SpecError> {
    let info = info(spec)?;
    let servers = servers(spec)?;
    let mut types = schema::TypeBuilder::new(spec)?;
    let operations = operation::operations(spec, &mut types)?;
    let webhooks = webhooks(spec, &mut types)?;
    let mut api = Api {
        info,
        servers,
        types: types.types,
        operations,
        webhooks,
    };
    alias_cycles::reject_alias_cycles(&api.types)?;
    dedupe::merge_duplicate_inline_types(&mut api);
    graph::finish(&mut api);
    Ok(api)
}

fn info(spec: &Value) -> Result<ApiInfo, SpecError> {
    let version = spec
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !version.starts_with("3.1") {
        return Err(SpecError::new(
            "#/openapi",
            format!(
                "expected an OpenAPI 3.1 document, found `openapi: {}`",
                if version.is_empty() {
                    "<missing>"
                } else {
                    version
                }
            ),
        ));
    }
    let info = spec
        .get("info")
        .ok_or_else(|| SpecError::new("#/info", "missing `info`"))?;
    let text = |key: &str| info.get(key).and_then(Value::as_str).map(str::to_owned);
    Ok(ApiInfo {
        title: text("title").unwrap_or_default(),
        version: text("version")
            .ok_or_else(|| SpecError::new("#/info/version", "missing API version"))?,
        description: text("description"),
    })
}

fn servers(spec: &Value) -> Result<Vec<Server>, SpecError> {
    let Some(list) = spec.get("servers") else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or_else(|| SpecError::new("#/servers", "`servers` must be an array"))?;
    list.iter()
        .enumerate()
        .map(|(i, server)| {
            let text = |key: &str| server.get(key).and_then(Value::as_str).map(str::to_owned);
            Ok(Server {
                url: text("url").ok_or_else(|| {
                    SpecError::new(format!("#/servers/{i}"), "server without `url`")
                })?,
                description: text("description"),
                environment: text("x-polar-environment").or_else(|| text("x-speakeasy-server-id")),
            })
        })
        .collect()
}

fn webhooks(spec: &Value, types: &mut schema::TypeBuilder) -> Result<Vec<Webhook>, SpecError> {
    let Some(hooks) = spec.get("webhooks") else {
        return Ok(Vec::new());
    };
    let hooks = hooks
        .as_object()
        .ok_or_else(|| SpecError::new("#/webhooks", "`webhooks` must be an object"))?;
    let mut webhooks = Vec::with_capacity(hooks.len());
    for (event, item) in hooks {
        let pointer = format!("#/webhooks/{}/post", escape_pointer(event));
        let op = item
            .get("post")
            .ok_or_else(|| SpecError::new(&pointer, "webhook without a `post` operation"))?;
        let schema = op
            .pointer("/requestBody/content/application~1json/schema")
            .ok_or_else(|| {
                SpecError::new(
                    &pointer,
                    "webhook without an application/json request body schema",
                )
            })?;
        let reference = schema.get("$ref").and_then(Value::as_str).ok_or_else(|| {
            SpecError::new(
                format!("{pointer}/requestBody/content/application~1json/schema"),
                "webhook payload must be a `$ref` to a component schema",
            )
        })?;
        let payload = match types.component(reference, &pointer)? {
            TypeRef::Named(id) => id,
            _ => {
                return Err(SpecError::new(
                    &pointer,
                    "webhook payload is not a named schema",
                ))
            }
        };
        let text = |key: &str| op.get(key).and_then(Value::as_str).map(str::to_owned);
        webhooks.push(Webhook {
            event: event.clone(),
            payload,
            docs: Docs {
                title: None,
                description: text("description").or_else(|| text("summary")),
                deprecated: op
                    .get("deprecated")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            },
        });
    }
    webhooks.sort_by(|a, b| a.event.cmp(&b.event));
    Ok(webhooks)
}
