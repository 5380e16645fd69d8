//! The workflow catalog's rules on tiny inline specs: how arguments merge (and the clash
//! rule), the flags, the dedupe key, dynamic options and the JSON Schemas.

use polar_codegen::normalize::normalize;
use polar_codegen::plan::catalog::{catalog, Action, Catalog};
use polar_codegen::plan::plan;
use serde_json::{json, Value};

fn api(paths: Value, schemas: Value) -> Catalog {
    let spec = json!({
        "openapi": "3.1.0",
        "info": {"title": "Test", "version": "2026-01"},
        "paths": paths,
        "components": {"schemas": schemas}
    });
    let api = normalize(&spec).unwrap();
    catalog(&plan(&api).unwrap())
}

fn action<'a>(catalog: &'a Catalog, id: &str) -> &'a Action {
    catalog.actions.iter().find(|a| a.id == id).unwrap()
}

fn ok(schema: &str) -> Value {
    json!({"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}}})
}

fn body(schema: &str) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn id_param(name: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}})
}

fn schemas() -> Value {
    json!({
        "Product": {"type": "object", "required": ["id", "name"], "properties": {
            "id": {"type": "string"}, "name": {"type": "string"}}},
        "ListProduct": {"type": "object", "required": ["items", "pagination"], "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Product"}},
            "pagination": {"type": "object", "properties": {"max_page": {"type": "integer"}}}}},
        "ProductUpdate": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "product_id": {"type": "string"}}},
        "Clashing": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Ingest": {"type": "object", "required": ["events"], "properties": {
            "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}},
        "Event": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "external_id": {"type": "string"}}}
    })
}

fn paths() -> Value {
    let security = json!([{"oat": []}]);
    json!({
        "/v1/products/": {"get": {
            "operationId": "products:list", "x-speakeasy-group": "products", "security": security,
            "x-polar-pagination": {"type": "page_limit"},
            "parameters": [
                {"name": "page", "in": "query", "schema": {"type": "integer"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
            "responses": ok("ListProduct")}},
        "/v1/products/{id}": {
            "patch": {
                "operationId": "products:update", "x-speakeasy-group": "products", "security": security,
                "parameters": [id_param("id")], "requestBody": body("ProductUpdate"),
                "responses": ok("Product")},
            "delete": {
                "operationId": "products:delete", "x-speakeasy-group": "products", "security": security,
                "parameters": [id_param("id")],
                "responses": {"204": {"description": "gone"}}}},
        "/v1/products/{id}/clash": {"post": {
            "operationId": "products:clash", "x-speakeasy-group": "products", "security": security,
            "parameters": [id_param("id")], "requestBody": body("Clashing"),
            "responses": ok("Product")}},
        "/v1/products/{id}/archive": {"post": {
            "operationId": "products:archive", "x-speakeasy-group": "products", "security": security,
            "parameters": [id_param("id")], "responses": ok("Product")}},
        "/v1/events/ingest": {"post": {
            "operationId": "events:ingest", "x-speakeasy-group": "events", "security": security,
            "requestBody": body("Ingest"), "responses": ok("Product")}}
    })
}

#[test]
fn body_fields_merge_beside_parameters() {
    let catalog = api(paths(), schemas());
    let update = action(&catalog, "products:update");
    assert_eq!(update.arguments, ["id", "name", "product_id"]);
    let schema = &update.input_schema;
    assert_eq!(schema["required"], json!(["id", "name"]));
    assert_eq!(schema["unevaluatedProperties"], json!(false));
    assert_eq!(schema["properties"]["id"]["format"], "uuid");
}

#[test]
fn a_clashing_body_moves_whole_under_body() {
    let catalog = api(paths(), schemas());
    let clash = action(&catalog, "products:clash");
    assert_eq!(clash.arguments, ["id", "body"]);
    assert_eq!(
        clash.input_schema["properties"]["body"]["$ref"],
        "#/$defs/Clashing"
    );
    assert!(catalog.defs.contains_key("Clashing"));
}

#[test]
fn flags_follow_the_method_and_the_name() {
    let catalog = api(paths(), schemas());
    let flags = |id: &str| {
        let a = action(&catalog, id);
        (a.read_only, a.destructive, a.idempotent)
    };
    assert_eq!(flags("products:list"), (true, false, true));
    assert_eq!(flags("products:update"), (false, false, false));
    assert_eq!(flags("products:delete"), (false, true, true));
    assert_eq!(
        flags("products:archive"),
        (false, true, false),
        "POST named archive"
    );
    assert!(action(&catalog, "products:list").paginated);
}

#[test]
fn dedupe_key_and_dynamic_options() {
    let catalog = api(paths(), schemas());
    assert_eq!(
        action(&catalog, "events:ingest").dedupe_key.as_deref(),
        Some("events[].external_id")
    );
    assert_eq!(action(&catalog, "products:update").dedupe_key, None);
    let options = &action(&catalog, "products:update").dynamic_options;
    assert_eq!(options.len(), 1);
    assert_eq!(options[0].argument, "product_id");
    assert_eq!(options[0].action, "products:list");
    assert_eq!(options[0].label_field, "name");
}

#[test]
fn schemas_share_definitions_and_outputs_follow_the_response() {
    let catalog = api(paths(), schemas());
    let list = action(&catalog, "products:list");
    assert_eq!(list.output_schema["$ref"], "#/$defs/ListProduct");
    assert_eq!(
        list.output_schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let product = &catalog.defs["Product"];
    assert_eq!(product["required"], json!(["id", "name"]));
    assert_eq!(
        action(&catalog, "products:delete").output_schema["type"],
        "null"
    );
}
