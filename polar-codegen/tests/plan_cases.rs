//! Tiny inline specs → plan: the Rust decisions (boxing, features, credentials, names
//! of services, builders, literals and error variants), one concern per case.

use polar_codegen::ir::{Api, Literal, TypeId};
use polar_codegen::normalize::normalize;
use polar_codegen::plan::{plan, Credential};
use serde_json::{json, Value};

fn spec(schemas: Value, paths: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Test", "version": "2026-01"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

/// One GET operation in `group` returning the component `schema`.
fn get(group: &str, name: &str, schema: &str) -> Value {
    json!({"get": {
        "operationId": format!("{group}:{name}"), "x-speakeasy-group": group,
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": format!("#/components/schemas/{schema}")}}}}}
    }})
}

fn api(schemas: Value, paths: Value) -> Api {
    normalize(&spec(schemas, paths)).unwrap()
}

#[test]
fn only_inline_cycles_are_boxed() {
    let api = api(
        json!({
            "Filter": {"type": "object", "properties": {"clauses": {"type": "array", "items": {"$ref": "#/components/schemas/Filter"}}}},
            "Node": {"type": "object", "properties": {
                "name": {"type": "string"},
                "parent": {"anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]}}}
        }),
        json!({"/f": get("filters", "get", "Filter"), "/n": get("nodes", "get", "Node")}),
    );
    let plan = plan(&api).unwrap();
    let (filter, node) = (TypeId("Filter".into()), TypeId("Node".into()));
    assert!(!plan.is_boxed(&filter, 0), "a Vec already breaks the cycle");
    assert!(!plan.is_boxed(&node, 0));
    assert!(plan.is_boxed(&node, 1), "an inline self-reference is boxed");
}

#[test]
fn features_follow_top_groups_and_reserved_names_are_renamed() {
    let api = api(
        json!({
            "Shared": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Endpoint": {"type": "object", "properties": {"s": {"$ref": "#/components/schemas/Shared"}}}
        }),
        json!({
            "/a": get("shop.items", "list", "Shared"),
            "/b": get("webhooks", "get", "Endpoint"),
            "/c": get("default", "get", "Shared")
        }),
    );
    let plan = plan(&api).unwrap();
    let features: Vec<&str> = plan.operations.iter().map(|o| o.feature.as_str()).collect();
    assert_eq!(features, ["default-api", "shop", "webhook-endpoints"]);
    let shared = &plan.types[&TypeId("Shared".into())].features;
    assert_eq!(
        shared.iter().map(String::as_str).collect::<Vec<_>>(),
        ["default-api", "shop", "webhook-endpoints"],
        "a model is compiled by every feature that reaches it"
    );
}

#[test]
fn security_schemes_map_to_credentials_and_unknown_ones_fail() {
    let op = |security: Value| {
        json!({"/x": {"get": {"operationId": "x:get", "security": security,
            "responses": {"204": {"description": ""}}}}})
    };
    let credential = |security: Value| {
        let api = api(json!({}), op(security));
        plan(&api).map(|p| p.operations[0].credential)
    };
    assert_eq!(credential(json!([])).unwrap(), Credential::None);
    assert_eq!(
        credential(json!([{"oat": []}, {"pat": []}])).unwrap(),
        Credential::AccessToken
    );
    assert_eq!(
        credential(json!([{"customer_session": []}])).unwrap(),
        Credential::CustomerSession
    );
    assert_eq!(
        credential(json!([{"customer_session": []}, {"member_session": []}])).unwrap(),
        Credential::CustomerOrMemberSession
    );
    let err = credential(json!([{"api_key": []}])).unwrap_err();
    assert_eq!(err.pointer, "#/paths/~1x/get/security");
    assert!(err.message.contains("api_key"), "{err}");
}

#[test]
fn services_builders_literals_and_errors_are_named_once() {
    let api = api(
        json!({
            "Item": {"type": "object", "required": ["type"], "properties": {"type": {"const": "item"}}},
            "NotFound": {"type": "object", "properties": {"detail": {"type": "string"}}}
        }),
        json!({"/v1/items/{id}": {"get": {
            "operationId": "customer_portal:items:get", "x-speakeasy-group": "customer_portal.items",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                "404": {"description": "nf", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotFound"}}}}
            }
        }}}),
    );
    let plan = plan(&api).unwrap();
    let names = &plan.operations[0].names;
    assert_eq!(names.accessors, ["customer_portal", "items"]);
    assert_eq!(
        (
            names.service.as_str(),
            names.method.as_str(),
            names.builder.as_str()
        ),
        (
            "CustomerPortalItems",
            "get",
            "CustomerPortalItemsGetBuilder"
        )
    );
    let top = &plan.services[0];
    assert_eq!(top.file, "src/generated/services/customer_portal/mod.rs");
    assert_eq!(
        top.children[0].file,
        "src/generated/services/customer_portal/items.rs"
    );
    // Spelled like the model `Item`: the literal gets `Tag`.
    assert_eq!(plan.literals[&Literal::String("item".into())], "ItemTag");
    let error = &plan.errors[0];
    assert_eq!(
        (error.variant.as_str(), error.decoder.as_str(), error.boxed),
        ("NotFound", "decode_not_found", true)
    );
    assert_eq!(
        plan.types[&TypeId("Item".into())].file,
        "src/generated/models/item.rs"
    );
}

#[test]
fn pagination_resolves_to_rust_names_or_fails_naming_the_operation() {
    let schemas = json!({
        "Page": {"type": "object", "required": ["items", "pagination"], "properties": {
            "items": {"type": "array", "items": {"type": "string"}},
            "pagination": {"type": "object", "properties": {"max_page": {"type": "integer"}}}}}
    });
    let list = |params: Value| {
        json!({"/v1/things/": {"get": {
            "operationId": "things:list", "x-speakeasy-group": "things",
            "x-polar-pagination": {"type": "page_limit"},
            "parameters": params,
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Page"}}}}}
        }}})
    };
    let with_page = api(
        schemas.clone(),
        list(json!([{"name": "page", "in": "query", "schema": {"type": "integer"}}])),
    );
    let planned = plan(&with_page).unwrap();
    let names = planned.operations[0].pagination.as_ref().unwrap();
    assert_eq!(names.page_setter, "page");
    assert_eq!(names.items_field, "items");
    assert_eq!(names.last_page_path, ["pagination", "max_page"]);

    let without_page = api(schemas, list(json!([])));
    let err = plan(&without_page).unwrap_err();
    assert_eq!(err.pointer, "#/paths/~1v1~1things~1/get/x-polar-pagination");
    assert!(err.message.contains("`page`"), "{err}");
}

/// The IR carries wire names and words; the plan alone makes Rust identifiers of them:
/// casing, keywords, reserved names and collisions, for types, fields, variants,
/// parameters and builder setters.
#[test]
fn identifiers_are_decided_by_the_plan_alone() {
    let api = api(
        json!({
            // A component named like a type the crate defines itself.
            "WebhookEvent": {"type": "string", "enum": ["order.paid", "Unknown", "unknown"]},
            "Item": {"type": "object", "required": ["new"], "properties": {
                "new": {"type": "string"},
                "a-b": {"type": "string"},
                "a_b": {"type": "string"},
                "type": {"type": "string"},
                "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "event": {"$ref": "#/components/schemas/WebhookEvent"},
                "shipping_address": {"type": "object", "properties": {"line1": {"type": "string"}}}
            }}
        }),
        json!({"/items/{id}": {"patch": {
            "operationId": "items:update", "x-speakeasy-group": "items",
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "body", "in": "query", "schema": {"type": "string"}},
                {"name": "page-size", "in": "query", "schema": {"type": "integer"}}
            ],
            "requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Item"}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Item"}}}}}
        }}}),
    );
    // Normalize kept the spec's spelling.
    let item = TypeId("Item".into());
    let op = &api.operations[0];
    let wire: Vec<&str> = op.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(wire, ["id", "body", "page-size"]);

    let plan = plan(&api).unwrap();
    assert_eq!(
        plan.type_name(&TypeId("WebhookEvent".into())),
        "WebhookEventRecord"
    );
    assert_eq!(
        plan.members(&TypeId("WebhookEvent".into())),
        ["OrderPaid", "Unknown2", "Unknown3"],
        "`Unknown` is the catch-all variant"
    );
    assert_eq!(
        plan.members(&item),
        [
            "new",
            "a_b",
            "a_b_2",
            "type_",
            "note",
            "event",
            "shipping_address"
        ]
    );
    assert_eq!(
        plan.type_name(&TypeId("Item.shipping_address".into())),
        "ItemShippingAddress"
    );
    assert_eq!(
        plan.operations[0].params,
        ["id", "body_2", "page_size"],
        "`body` is the builder's own setter"
    );
    let builder = plan.builder(&item).expect("a request struct has a builder");
    assert_eq!(
        builder.setters[0], None,
        "`new` is required: a constructor argument"
    );
    assert_eq!(builder.setters[1].as_deref(), Some("a_b"));
    assert_eq!(builder.clears[4].as_deref(), Some("clear_note"));
    assert_eq!(
        builder.clears[1], None,
        "only nullable fields can be cleared"
    );
}
