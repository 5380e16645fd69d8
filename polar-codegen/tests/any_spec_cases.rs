//! Tiny inline specs for the constructs other Polar spec versions use: `$ref`s to any
//! schema in the document, `allOf` merges, `type` lists, and the errors for what has
//! no Rust type (remote references, cycles of bare references, runaway nesting).

use polar_codegen::ir::{ResponseBody, TypeKind};
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

fn models(schemas: Value, root: Value) -> String {
    let api = normalize(&spec(schemas, returning(root))).expect("normalizes");
    surface::models(&plan(&api).expect("plans"))
}

fn error_of(doc: Value) -> polar_codegen::error::SpecError {
    normalize(&doc).expect_err("should be refused")
}

/// The older Polar spec's OAuth2 token endpoint: a form body whose `oneOf` branches
/// point into the operation's own `x-components`.
#[test]
fn ref_into_a_vendor_extension_of_an_operation() {
    let token = "#/paths/~1v1~1oauth2~1token/post/x-components";
    let paths = json!({"/v1/oauth2/token": {"post": {
        "operationId": "oauth2:request_token", "x-speakeasy-group": "oauth2",
        "requestBody": {"required": true, "content": {"application/x-www-form-urlencoded": {"schema": {
            "oneOf": [
                {"$ref": format!("{token}/AuthorizationCodeTokenRequest")},
                {"$ref": format!("{token}/RefreshTokenRequest")}
            ],
            "discriminator": {"propertyName": "grant_type", "mapping": {
                "authorization_code": format!("{token}/AuthorizationCodeTokenRequest"),
                "refresh_token": format!("{token}/RefreshTokenRequest")
            }}
        }}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TokenResponse"}}}}},
        "x-components": {
            "AuthorizationCodeTokenRequest": {"type": "object", "required": ["grant_type", "code"], "properties": {
                "grant_type": {"const": "authorization_code"}, "code": {"type": "string"}}},
            "RefreshTokenRequest": {"type": "object", "required": ["grant_type", "refresh_token"], "properties": {
                "grant_type": {"const": "refresh_token"}, "refresh_token": {"type": "string"}}}
        }
    }}});
    let api = normalize(&spec(
        json!({"TokenResponse": {"type": "object", "properties": {"access_token": {"type": "string"}}}}),
        paths,
    ))
    .expect("normalizes");
    insta::assert_snapshot!(surface::models(&plan(&api).unwrap()), @r#"
    AuthorizationCodeTokenRequest struct { grant_type: "authorization_code", code: string }
    OAuth2RequestTokenBody tagged-union (authorization_code=AuthorizationCodeTokenRequest | refresh_token=RefreshTokenRequest)
    RefreshTokenRequest struct { grant_type: "refresh_token", refresh_token: string }
    TokenResponse struct { access_token?: string }
    "#);
    let plan = plan(&api).unwrap();
    let def = api
        .types
        .values()
        .find(|d| plan.type_name(&d.id) == "AuthorizationCodeTokenRequest")
        .expect("named from its key");
    assert_eq!(def.origin, format!("{token}/AuthorizationCodeTokenRequest"));
}

#[test]
fn pointer_refs_never_take_a_component_name_and_decode_escapes() {
    // Root-level vendor containers are part of the document too.
    let mut doc = spec(
        json!({"Thing": {"type": "object", "properties": {
            "a": {"$ref": "#/x-shared/Thing"},
            "b": {"$ref": "#/x-shared/we%20ird~1name"},
            "c": {"$ref": "#/components/schemas/Thing/properties/d"},
            "d": {"type": "string", "enum": ["x", "y"]}
        }}}),
        returning(json!({"$ref": "#/components/schemas/Thing"})),
    );
    doc["x-shared"] = json!({
        "Thing": {"type": "object", "properties": {"n": {"type": "integer"}}},
        "we ird/name": {"type": "string", "format": "uuid"}
    });
    let api = normalize(&doc).expect("normalizes");
    insta::assert_snapshot!(surface::models(&plan(&api).unwrap()), @r"
    D enum [x, y]
    Thing struct { a?: Thing2, b?: WeIrdName, c?: D, d?: ThingD }
    Thing2 struct { n?: integer }
    ThingD enum [x, y]
    WeIrdName alias = uuid
    ");
}

#[test]
fn refs_that_cannot_be_generated_are_clean_errors() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            spec(
                json!({}),
                returning(json!({"$ref": "other.json#/components/schemas/A"})),
            ),
            "#/paths/~1things/get/responses/200/content/application~1json/schema/$ref",
            "remote $ref `other.json#/components/schemas/A`",
        ),
        (
            spec(json!({}), returning(json!({"$ref": "#/paths/~1nowhere"}))),
            "#/paths/~1things/get/responses/200/content/application~1json/schema/$ref",
            "dangling $ref",
        ),
        (
            spec(
                json!({"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}}),
                returning(json!({"$ref": "#/components/schemas/A"})),
            ),
            "#/components/schemas/",
            "`$ref` cycle with no object, enum or union on it",
        ),
        (
            spec(json!({}), returning(nested(200))),
            "#/paths/~1things/get/responses/200/content/application~1json/schema/items/items",
            "levels deep",
        ),
        (
            spec(
                json!({"A": {"allOf": [{"type": "string"}, {"type": "integer"}]}}),
                returning(json!({"$ref": "#/components/schemas/A"})),
            ),
            "#/components/schemas/A/allOf/1/type",
            "conflicting types",
        ),
        (
            spec(
                json!({"A": {"allOf": [{"$ref": "#/components/schemas/B"}, {"type": "object"}]},
                       "B": {"allOf": [{"$ref": "#/components/schemas/A"}]}}),
                returning(json!({"$ref": "#/components/schemas/A"})),
            ),
            "/allOf/0/$ref",
            "includes itself",
        ),
    ];
    for (doc, pointer, needle) in cases {
        let err = error_of(doc);
        assert!(
            err.pointer.contains(pointer) && err.message.contains(needle),
            "expected `{needle}` at {pointer}, got {err}"
        );
    }
}

fn nested(levels: usize) -> Value {
    let mut schema = json!({"type": "string"});
    for _ in 0..levels {
        schema = json!({"type": "array", "items": schema});
    }
    schema
}

#[test]
fn all_of_with_several_schemas_merges_into_one_struct() {
    let out = models(
        json!({
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "note": {"type": "string"}}},
            "Timestamps": {"allOf": [{"type": "object", "required": ["created_at"], "properties": {"created_at": {"type": "string", "format": "date-time"}}}]},
            "Product": {"description": "A product.", "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"$ref": "#/components/schemas/Timestamps"},
                {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "note": {"type": "integer"}}}
            ]}
        }),
        json!({"$ref": "#/components/schemas/Product"}),
    );
    insta::assert_snapshot!(out, @"Product struct { id: string, note?: integer, created_at: date-time, name: string }");
}

#[test]
fn type_lists_with_several_types_become_untagged_unions() {
    let out = models(
        json!({"Value": {"type": "object", "properties": {
            "v": {"type": ["string", "integer", "null"]},
            "w": {"type": ["array", "object"], "items": {"type": "integer"}, "properties": {"k": {"type": "boolean"}}}
        }}}),
        json!({"$ref": "#/components/schemas/Value"}),
    );
    insta::assert_snapshot!(out, @r"
    Value struct { v?: ValueV?, w?: ValueW }
    ValueV untagged-union (string | integer)
    ValueW untagged-union ([integer] | ValueWObject)
    ValueWObject struct { k?: boolean }
    ");
}

#[test]
fn operation_level_refs_resolve_anywhere() {
    // A parameter referenced from another operation's parameter list.
    let paths = json!({
        "/a": {"get": {"operationId": "a:list", "x-speakeasy-group": "a",
            "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
            "responses": {"204": {"description": ""}}}},
        "/b": {"get": {"operationId": "b:list", "x-speakeasy-group": "b",
            "parameters": [{"$ref": "#/paths/~1a/get/parameters/0"}],
            "responses": {"204": {"description": ""}}}}
    });
    let api = normalize(&spec(json!({}), paths)).expect("normalizes");
    let b = api
        .operations
        .iter()
        .find(|o| o.operation_id == "b:list")
        .expect("b");
    assert_eq!(b.params[0].name, "q");
    assert!(matches!(b.success.body, ResponseBody::Empty));
    assert!(api
        .types
        .values()
        .all(|d| !matches!(d.kind, TypeKind::Alias(_))));
}

#[test]
fn binary_responses_are_bytes_and_text_wins_when_both_are_offered() {
    let paths = json!({
        "/invoice.pdf": {"get": {"operationId": "invoices:download", "x-speakeasy-group": "invoices",
            "responses": {"200": {"description": "", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}},
        "/export": {"get": {"operationId": "exports:get", "x-speakeasy-group": "exports",
            "responses": {"200": {"description": "", "content": {
                "application/octet-stream": {}, "text/csv": {"schema": {"type": "string"}}}}}}}
    });
    let api = normalize(&spec(json!({}), paths)).expect("normalizes");
    insta::assert_snapshot!(surface::operations(&plan(&api).unwrap()), @r"
    exports.get GET /export -> 200 text(text/csv)
    invoices.download GET /invoice.pdf -> 200 bytes(application/pdf)
    ");
}

#[test]
fn property_names_type_map_keys_by_format_and_enum() {
    let out = models(
        json!({
            "Currency": {"type": "string", "enum": ["usd", "eur"]},
            "Prices": {"type": "object", "properties": {
                "by_product": {"type": "object", "propertyNames": {"format": "uuid4"},
                    "additionalProperties": {"type": "integer"}},
                "by_id": {"type": "object", "propertyNames": {"type": "string", "format": "uuid"},
                    "additionalProperties": {"type": "boolean"}},
                "amounts": {"anyOf": [
                    {"type": "object", "propertyNames": {"$ref": "#/components/schemas/Currency"},
                        "additionalProperties": {"type": "integer"}},
                    {"type": "null"}]},
                "by_size": {"type": "object", "propertyNames": {"enum": ["small", "large"]},
                    "additionalProperties": {"type": "string"}},
                "metadata": {"type": "object", "propertyNames": {"maxLength": 40, "minLength": 1},
                    "additionalProperties": {"type": "string"}},
                "codes": {"type": "object", "propertyNames": {"pattern": "^[A-Z]+$"},
                    "additionalProperties": {"type": "string"}}
            }}
        }),
        json!({"$ref": "#/components/schemas/Prices"}),
    );
    insta::assert_snapshot!(out, @r"
    Currency enum [usd, eur]
    Prices struct { by_product?: {uuid: integer}, by_id?: {uuid: boolean}, amounts?: {Currency: integer}?, by_size?: {PricesBySizeKey: string}, metadata?: {string: string}, codes?: {string: string} }
    PricesBySizeKey enum [small, large]
    ");
}

/// Key schemas that name no string type keep string keys; a broken one is an error
/// naming its pointer, never a panic.
#[test]
fn property_names_without_a_string_type_keep_string_keys() {
    let out = models(
        json!({
            "Point": {"type": "object", "properties": {"x": {"type": "integer"}}},
            "Label": {"type": "string", "maxLength": 3},
            "Maps": {"type": "object", "properties": {
                "by_point": {"type": "object", "propertyNames": {"$ref": "#/components/schemas/Point"},
                    "additionalProperties": {"type": "integer"}},
                "by_label": {"type": "object", "propertyNames": {"$ref": "#/components/schemas/Label"},
                    "additionalProperties": {"type": "integer"}},
                "by_number": {"type": "object", "propertyNames": {"enum": [1, 2]},
                    "additionalProperties": {"type": "integer"}},
                "by_day": {"type": "object", "propertyNames": {"format": "date"},
                    "additionalProperties": {"type": "integer"}},
                "by_odd_id": {"type": "object", "propertyNames": {"type": "integer", "format": "uuid"},
                    "additionalProperties": {"type": "integer"}},
                "any_name": {"type": "object", "propertyNames": true,
                    "additionalProperties": {"type": "integer"}}
            }}
        }),
        json!({"$ref": "#/components/schemas/Maps"}),
    );
    // An alias of a string (`Label`) is a string type: it keys the map by its name.
    insta::assert_snapshot!(out, @r"
    Label alias = string
    Maps struct { by_point?: {string: integer}, by_label?: {Label: integer}, by_number?: {string: integer}, by_day?: {string: integer}, by_odd_id?: {string: integer}, any_name?: {string: integer} }
    Point struct { x?: integer }
    ");
    let broken = |names: Value| {
        spec(
            json!({"M": {"type": "object", "propertyNames": names, "additionalProperties": {"type": "integer"}}}),
            returning(json!({"$ref": "#/components/schemas/M"})),
        )
    };
    let err = error_of(broken(json!("uuid")));
    assert_eq!(err.pointer, "#/components/schemas/M/propertyNames", "{err}");
    let err = error_of(broken(json!({"$ref": "#/components/schemas/Missing"})));
    assert!(err.to_string().contains("Missing"), "{err}");
    assert!(
        err.pointer
            .starts_with("#/components/schemas/M/propertyNames"),
        "{err}"
    );
}
