//! Tiny inline specs → normalized IR, one construct per case (snapshotted as the
//! readable API surface), plus the errors bad specs must produce.

use polar_codegen::ir::{ParamStyle, PathSegment, SecurityRequirement, TypeId, TypeKind, TypeRef};
use polar_codegen::normalize::normalize;
use polar_codegen::plan::plan;
use polar_codegen::tools::surface;
use serde_json::{json, Value};

/// A minimal OpenAPI 3.1 document around `schemas` and `paths`.
fn spec(schemas: Value, paths: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Test", "version": "2026-01"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

/// One GET operation returning `schema`.
fn returning(schema: Value) -> Value {
    json!({"/things": {"get": {
        "operationId": "things:get", "x-speakeasy-group": "things",
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}
    }}})
}

fn models_of(schemas: Value, root: &str) -> String {
    let api = normalize(&spec(
        schemas,
        returning(json!({"$ref": format!("#/components/schemas/{root}")})),
    ))
    .unwrap();
    surface::models(&plan(&api).unwrap())
}

#[test]
fn nullable_optional_and_const_stay_distinct() {
    let out = models_of(
        json!({"Patch": {"type": "object", "required": ["type", "name"], "properties": {
            "type": {"type": "string", "const": "patch"},
            "name": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "count": {"type": "integer"},
            "legacy": {"type": "boolean", "const": true},
            "version": {"type": "integer", "const": 2},
            "clear": {"type": "null"}
        }}}),
        "Patch",
    );
    insta::assert_snapshot!(out, @r#"Patch struct { type: "patch", name: string?, note?: string?, count?: integer, legacy?: true, version?: integer, clear?: null }"#);
}

#[test]
fn discriminated_union_uses_mapping_tags() {
    let out = models_of(
        json!({
            "Benefit": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
                "discriminator": {"propertyName": "type", "mapping": {"a": "#/components/schemas/A", "b": "#/components/schemas/B"}}},
            "A": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "const": "a"}}},
            "B": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "const": "b"}, "x": {"type": "integer"}}}
        }),
        "Benefit",
    );
    insta::assert_snapshot!(out, @r#"
    A struct { type: "a" }
    B struct { type: "b", x?: integer }
    Benefit tagged-union (a=A | b=B)
    "#);
}

#[test]
fn untagged_unions_maps_tuples_and_formats() {
    let out = models_of(
        json!({"Thing": {"type": "object", "properties": {
            "metadata": {"type": "object", "propertyNames": {"maxLength": 40},
                "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"}]}},
            "tax_id": {"anyOf": [{"type": "array", "prefixItems": [{"type": "string"}, {"$ref": "#/components/schemas/Format"}], "minItems": 2, "maxItems": 2}, {"type": "null"}]},
            "id": {"type": "string", "format": "uuid4"},
            "at": {"type": "string", "format": "date-time"},
            "ip": {"type": "string", "format": "ipvanyaddress"},
            "extra": {}
        }}, "Format": {"type": "string", "enum": ["eu_vat", "us_ein"]}}),
        "Thing",
    );
    insta::assert_snapshot!(out, @r#"
    Format enum [eu_vat, us_ein]
    MetadataValue untagged-union (string | integer | number | boolean)
    Thing struct { metadata?: {string: MetadataValue}, tax_id?: (string, Format)?, id?: uuid, at?: date-time, ip?: string, extra?: any }
    "#);
}

#[test]
fn recursion_resolves_to_named_edges() {
    let schemas = json!({
        "Node": {"type": "object", "properties": {"parent": {"anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]}}}
    });
    let api = normalize(&spec(
        schemas,
        returning(json!({"$ref": "#/components/schemas/Node"})),
    ))
    .unwrap();
    let TypeKind::Struct(node) = &api.types[&TypeId("Node".into())].kind else {
        panic!("Node is not a struct");
    };
    // The IR keeps the edge; whether it is boxed is the plan's decision.
    assert_eq!(
        node.fields[0].ty,
        TypeRef::Nullable(Box::new(TypeRef::Named(TypeId("Node".into()))))
    );
}

#[test]
fn names_escape_keywords_and_symbols_without_collisions() {
    let out = models_of(
        json!({"Tz": {"type": "string", "enum": ["Etc/GMT+1", "Etc/GMT-1", "Etc/GMT1", "unknown"]}}),
        "Tz",
    );
    insta::assert_snapshot!(out, @"Tz enum [Etc/GMT+1, Etc/GMT-1, Etc/GMT1, unknown]");
    let api = normalize(&spec(
        json!({"Tz": {"type": "string", "enum": ["Etc/GMT+1", "Etc/GMT-1", "Etc/GMT1", "unknown"]}}),
        returning(json!({"$ref": "#/components/schemas/Tz"})),
    ))
    .unwrap();
    let TypeKind::Enum(e) = &api.types.values().next().unwrap().kind else {
        panic!("enum expected")
    };
    let values: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["Etc/GMT+1", "Etc/GMT-1", "Etc/GMT1", "unknown"]);
    let plan = plan(&api).unwrap();
    let names = plan.members(api.types.keys().next().unwrap());
    assert_eq!(
        names,
        ["EtcGmtPlus1", "EtcGmtMinus1", "EtcGmt1", "Unknown2"]
    );
}

#[test]
fn inline_title_equal_to_a_component_name_does_not_duplicate_it() {
    let api = normalize(&spec(
        json!({
            "Price": {"type": "object", "properties": {"amount": {"type": "integer"}}},
            "Product": {"type": "object", "properties": {
                "price": {"title": "Price", "type": "object", "properties": {"x": {"type": "string"}}}}}
        }),
        returning(json!({"$ref": "#/components/schemas/Product"})),
    ))
    .unwrap();
    let plan = plan(&api).unwrap();
    let names: Vec<&str> = api.types.keys().map(|id| plan.type_name(id)).collect();
    assert_eq!(names, ["Product", "ProductPrice"]);
}

#[test]
fn operations_parameters_bodies_responses_and_auth() {
    let paths = json!({"/v1/items/{id}": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid4"}}],
        "patch": {
            "operationId": "items:update", "x-speakeasy-group": "shop.items", "x-speakeasy-name-override": "update",
            "deprecated": true, "summary": "Update item",
            "security": [{"customer_session": []}, {"member_session": []}],
            "parameters": [
                {"name": "product_id", "in": "query", "schema": {"anyOf": [{"type": "string", "format": "uuid4"}, {"type": "array", "items": {"type": "string", "format": "uuid4"}}, {"type": "null"}]}},
                {"name": "metadata", "in": "query", "style": "deepObject", "schema": {"$ref": "#/components/schemas/MetadataQuery"}}
            ],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}},
            "responses": {
                "200": {"description": "ok", "content": {"text/csv": {"schema": {"type": "string"}}}},
                "404": {"description": "nf", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotFound"}}}},
                "422": {"description": "v", "content": {"application/json": {"schema": {"type": "object", "properties": {"detail": {"type": "string"}}}}}}
            }
        }
    }});
    let schemas = json!({
        "MetadataQuery": {"anyOf": [{"type": "object", "additionalProperties": {"type": "string"}}, {"type": "null"}]},
        "NotFound": {"type": "object", "properties": {"detail": {"type": "string"}}}
    });
    let api = normalize(&spec(schemas, paths)).unwrap();
    let op = &api.operations[0];
    assert_eq!(op.qualified_name(), "shop.items.update");
    let schemes = |name: &str| SecurityRequirement {
        schemes: vec![name.to_owned()],
    };
    assert_eq!(
        op.security,
        [schemes("customer_session"), schemes("member_session")]
    );
    assert_eq!(
        op.path_template.segments,
        [
            PathSegment::Literal("/v1/items/".into()),
            PathSegment::Param("id".into())
        ]
    );
    assert!(op.docs.deprecated);
    assert_eq!(op.params.len(), 3);
    assert!(op.params[0].required, "path parameters are required");
    assert_eq!(
        surface::type_label(&plan(&api).unwrap(), &op.params[1].ty),
        "[uuid]",
        "one-or-many filters become lists"
    );
    assert_eq!(op.params[2].style, ParamStyle::DeepObject);
    assert!(
        matches!(op.params[2].ty, TypeRef::Map { .. }),
        "aliases resolve to the map they name"
    );
    assert_eq!(
        op.errors.iter().map(|e| e.status).collect::<Vec<_>>(),
        [404, 422]
    );
    insta::assert_snapshot!(surface::operations(&plan(&api).unwrap()), @"shop.items.update PATCH /v1/items/{id} -> 200 text(text/csv) deprecated");
}

#[test]
fn bad_specs_name_the_offending_node() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            spec(
                json!({}),
                returning(json!({"$ref": "#/components/schemas/Missing"})),
            ),
            "#/paths/~1things/get/responses/200/content/application~1json/schema/$ref",
            "dangling $ref",
        ),
        (
            spec(
                json!({"A": {"allOf": [{"type": "string"}, {"type": "integer"}]}}),
                returning(json!({"$ref": "#/components/schemas/A"})),
            ),
            "#/components/schemas/A/allOf/1/type",
            "`allOf` parts have conflicting types",
        ),
        (
            spec(
                json!({"A": {"type": "object", "properties": {"x": {"type": "strnig"}}}}),
                returning(json!({"$ref": "#/components/schemas/A"})),
            ),
            "#/components/schemas/A/properties/x/type",
            "unsupported type `strnig`",
        ),
        (
            json!({"openapi": "3.0.3", "info": {"version": "1"}, "paths": {}}),
            "#/openapi",
            "OpenAPI 3.1",
        ),
        (json!({"swagger": "2.0"}), "#/openapi", "<missing>"),
        (
            spec(
                json!({}),
                json!({"/x": {"get": {"operationId": "x:get", "responses": {"200": {"description": "", "content": {"application/json": {"schema": {}}}}},
                "parameters": [{"name": "c", "in": "cookie", "schema": {"type": "string"}}]}}}),
            ),
            "#/paths/~1x/get/parameters/0",
            "cookie",
        ),
    ];
    let duplicate = json!({
        "/a": {"get": {"operationId": "things:list", "x-speakeasy-group": "things", "x-speakeasy-name-override": "list",
            "responses": {"204": {"description": ""}}}},
        "/b": {"get": {"operationId": "things:list_all", "x-speakeasy-group": "things", "x-speakeasy-name-override": "List",
            "responses": {"204": {"description": ""}}}}
    });
    let cases = cases.into_iter().chain([(
        spec(json!({}), duplicate),
        "#/paths/~1b/get",
        "becomes the method `things.list`",
    )]);
    for (doc, pointer, message) in cases {
        // Two methods of one name are the plan's error: it names the methods.
        let err = normalize(&doc)
            .and_then(|api| plan(&api).map(|_| ()))
            .unwrap_err();
        assert_eq!(err.pointer, pointer, "{err}");
        assert!(err.message.contains(message), "{err}");
    }
}
