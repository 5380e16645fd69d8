//! Classification tests on small hand-built APIs.

use super::*;
use crate::ir::{
    ApiInfo, BodyEncoding, Docs, EnumDef, EnumValue, ErrorResponse, Field, HttpMethod, Name,
    Operation, ParamLocation, ParamStyle, Parameter, Primitive, RequestBody, ResponseBody,
    StructDef, SuccessResponse, TypeDef, TypeId, TypeKind, TypeRef, UnionDef, UnionVariant, Usage,
    Webhook,
};

fn named(id: &str) -> TypeRef {
    TypeRef::Named(TypeId(id.to_owned()))
}

fn string() -> TypeRef {
    TypeRef::Primitive(Primitive::String)
}

fn field(wire: &str, ty: TypeRef, required: bool) -> Field {
    Field {
        name: wire.to_owned(),
        ty,
        required,
        docs: Docs::default(),
    }
}

fn param(wire: &str, location: ParamLocation, required: bool) -> Parameter {
    Parameter {
        name: wire.to_owned(),
        location,
        ty: string(),
        required,
        style: ParamStyle::Form,
        docs: Docs::default(),
    }
}

fn type_def(id: &str, kind: TypeKind, usage: Usage) -> (TypeId, TypeDef) {
    let def = TypeDef {
        id: TypeId(id.to_owned()),
        name: Name::from_phrase(id),
        docs: Docs::default(),
        kind,
        usage,
        origin: format!("/components/schemas/{id}"),
    };
    (def.id.clone(), def)
}

/// Change an operation's path and its parsed template together.
fn set_path(op: &mut Operation, path: &str) {
    op.path = path.to_owned();
    op.path_template = crate::ir::PathTemplate::parse(path).unwrap_or_default();
}

fn op(name: &str, method: HttpMethod, path: &str) -> Operation {
    Operation {
        operation_id: format!("customers:{name}"),
        group: vec!["customers".to_owned()],
        method_name: name.to_owned(),
        http_method: method,
        path: path.into(),
        path_template: crate::ir::PathTemplate::parse(path).unwrap_or_default(),
        params: Vec::new(),
        body: None,
        success: SuccessResponse {
            status: 200,
            body: ResponseBody::Json(named("Customer")),
        },
        errors: vec![ErrorResponse {
            status: 422,
            ty: named("HTTPValidationError"),
        }],
        security: vec![crate::ir::SecurityRequirement {
            schemes: vec!["oat".to_owned()],
        }],
        pagination: None,
        docs: Docs::default(),
        restored: false,
        origin: String::new(),
    }
}

const INPUT: Usage = Usage {
    input: true,
    output: false,
    webhook: false,
};
const OUTPUT: Usage = Usage {
    input: false,
    output: true,
    webhook: false,
};

fn base() -> Api {
    let mut get = op("get", HttpMethod::Get, "/v1/customers/{id}");
    get.params = vec![
        param("id", ParamLocation::Path, true),
        param("include", ParamLocation::Query, false),
    ];
    get.errors.push(ErrorResponse {
        status: 404,
        ty: named("ResourceNotFound"),
    });
    let mut create = op("create", HttpMethod::Post, "/v1/customers/");
    create.body = Some(RequestBody {
        encoding: BodyEncoding::Json,
        ty: named("CustomerCreate"),
        required: true,
    });
    create.success.status = 201;
    let value = |wire: &str| EnumValue {
        value: wire.to_owned(),
        docs: Docs::default(),
    };
    let variant = |name: &str| UnionVariant {
        name: Name::from_phrase(name),
        ty: named(name),
        tags: vec![name.to_lowercase()],
        known_fields: Vec::new(),
        required_fields: Vec::new(),
    };
    let types = [
        type_def(
            "Customer",
            TypeKind::Struct(StructDef {
                fields: vec![
                    field("id", TypeRef::Primitive(Primitive::Uuid), true),
                    field("email", string(), true),
                    field("name", TypeRef::Nullable(Box::new(string())), true),
                ],
                additional: None,
            }),
            OUTPUT,
        ),
        type_def(
            "CustomerCreate",
            TypeKind::Struct(StructDef {
                fields: vec![
                    field("email", string(), true),
                    field("name", string(), false),
                ],
                additional: None,
            }),
            INPUT,
        ),
        type_def(
            "Status",
            TypeKind::Enum(EnumDef {
                values: vec![value("active"), value("archived")],
            }),
            OUTPUT,
        ),
        type_def(
            "Benefit",
            TypeKind::Union(UnionDef {
                discriminator: Some("type".into()),
                variants: vec![variant("Discord"), variant("Files")],
            }),
            OUTPUT,
        ),
    ]
    .into_iter()
    .collect();
    Api {
        info: ApiInfo {
            title: "Polar".into(),
            version: "2026-10".into(),
            description: None,
        },
        servers: Vec::new(),
        types,
        operations: vec![create, get],
        webhooks: vec![Webhook {
            event: "customer.created".into(),
            payload: TypeId("WebhookCustomerCreatedPayload".into()),
            docs: Docs::default(),
        }],
    }
}

fn fields<'a>(api: &'a mut Api, id: &str) -> &'a mut Vec<Field> {
    match &mut api.types.get_mut(&TypeId(id.into())).expect("type").kind {
        TypeKind::Struct(s) => &mut s.fields,
        _ => panic!("{id} is not a struct"),
    }
}

fn get_op(api: &mut Api) -> &mut Operation {
    api.operations
        .iter_mut()
        .find(|o| o.method_name == "get")
        .expect("get op")
}

type Edit = fn(&mut Api);
type Expected = &'static [(ChangeKind, Item, &'static str, bool)];

#[test]
fn classification_table() {
    use ChangeKind::*;
    use Item::*;
    let cases: Vec<(&str, Edit, Expected)> = vec![
        ("no change", |_| {}, &[]),
        (
            "operation removed",
            |api| api.operations.retain(|o| o.method_name != "create"),
            &[(Removed, Operation, "customers.create", true)],
        ),
        (
            "operation added",
            |api| {
                api.operations
                    .push(op("list", HttpMethod::Get, "/v1/customers/"))
            },
            &[(Added, Operation, "customers.list", false)],
        ),
        (
            "operation renamed on the same route, path parameter renamed",
            |api| {
                let op = get_op(api);
                op.method_name = "fetch".to_owned();
                set_path(op, "/v1/customers/{customer_id}/");
            },
            &[
                (Renamed, Operation, "customers.get", true),
                (Changed, Operation, "customers.fetch", false),
            ],
        ),
        (
            "operation moved to another group and path, same operationId",
            |api| {
                let op = get_op(api);
                op.group = vec!["clients".to_owned()];
                set_path(op, "/v1/clients/{id}");
            },
            &[
                // The Cargo feature follows the top-level group.
                (Changed, Operation, "clients.get", true),
                (Renamed, Operation, "customers.get", true),
                (Changed, Operation, "clients.get", false),
            ],
        ),
        (
            "optional parameter added, required parameter added",
            |api| {
                let op = get_op(api);
                op.params.push(param("expand", ParamLocation::Query, false));
                op.params.push(param("org", ParamLocation::Query, true));
            },
            &[
                (Added, Parameter, "customers.get(org)", true),
                (Added, Parameter, "customers.get(expand)", false),
            ],
        ),
        (
            "parameter removed and made required",
            |api| {
                let op = get_op(api);
                op.params.retain(|p| p.name != "id");
                op.params[0].required = true;
            },
            &[
                (Removed, Parameter, "customers.get(id)", true),
                (Changed, Parameter, "customers.get(include)", true),
            ],
        ),
        (
            "error added and removed, success status changed, deprecated",
            |api| {
                let op = get_op(api);
                op.errors.retain(|e| e.status != 404);
                op.errors.push(ErrorResponse {
                    status: 409,
                    ty: named("Conflict"),
                });
                op.success.status = 202;
                op.docs.deprecated = true;
            },
            &[
                (Changed, Operation, "customers.get", true),
                (Changed, Operation, "customers.get", false),
                (Changed, Operation, "customers.get", false),
                (Changed, Operation, "customers.get", false),
            ],
        ),
        (
            "response type changed",
            |api| get_op(api).success.body = ResponseBody::Json(named("CustomerWithMembers")),
            &[(Changed, Operation, "customers.get", true)],
        ),
        (
            "webhook added, removed",
            |api| {
                api.webhooks[0].event = "customer.deleted".into();
            },
            &[
                (Removed, Webhook, "customer.created", true),
                (Added, Webhook, "customer.deleted", false),
            ],
        ),
        (
            "optional field added to an output struct",
            |api| fields(api, "Customer").push(field("locale", string(), false)),
            &[(Added, Field, "Customer.locale", false)],
        ),
        (
            "optional and required fields added to an input struct",
            |api| {
                let f = fields(api, "CustomerCreate");
                f.push(field("locale", string(), false));
                f.push(field("org", string(), true));
            },
            // Structs are non-exhaustive and built with `new`: only a required field
            // (a new `new` argument) breaks.
            &[
                (Added, Field, "CustomerCreate.org", true),
                (Added, Field, "CustomerCreate.locale", false),
            ],
        ),
        (
            "field removed, made optional, made non-nullable",
            |api| {
                let f = fields(api, "Customer");
                f.retain(|f| f.name != "id");
                f[0].required = false;
                f[1].ty = string();
            },
            &[
                (Changed, Field, "Customer.email", true),
                (Removed, Field, "Customer.id", true),
                (Changed, Field, "Customer.name", true),
            ],
        ),
        (
            "enum value added and removed",
            |api| match &mut api
                .types
                .get_mut(&TypeId("Status".into()))
                .expect("Status")
                .kind
            {
                TypeKind::Enum(e) => {
                    e.values[1] = crate::ir::EnumValue {
                        value: "paused".to_owned(),
                        docs: Docs::default(),
                    }
                }
                _ => unreachable!(),
            },
            &[
                (Removed, EnumValue, "Status::archived", true),
                (Added, EnumValue, "Status::paused", false),
            ],
        ),
        (
            "union variant added and removed",
            |api| match &mut api
                .types
                .get_mut(&TypeId("Benefit".into()))
                .expect("Benefit")
                .kind
            {
                TypeKind::Union(u) => u.variants[1].name = Name::from_phrase("Custom"),
                _ => unreachable!(),
            },
            &[
                (Removed, UnionVariant, "Benefit::Files", true),
                (Added, UnionVariant, "Benefit::Custom", false),
            ],
        ),
        (
            "type removed, type added, kind changed",
            |api| {
                let status = api.types.remove(&TypeId("Status".into())).expect("Status");
                let (id, state) = type_def(
                    "State",
                    TypeKind::Enum(EnumDef {
                        values: vec![crate::ir::EnumValue {
                            value: "on".to_owned(),
                            docs: Docs::default(),
                        }],
                    }),
                    status.usage,
                );
                api.types.insert(id, state);
                let benefit = api
                    .types
                    .get_mut(&TypeId("Benefit".into()))
                    .expect("Benefit");
                benefit.kind = TypeKind::Alias(TypeRef::Any);
            },
            &[
                (Changed, Type, "Benefit", true),
                (Removed, Type, "Status", true),
                (Added, Type, "State", false),
            ],
        ),
        (
            "type id changed, Rust name and shape kept (an inline type re-keyed)",
            |api| {
                let status = api.types.remove(&TypeId("Status".into())).expect("Status");
                let id = TypeId("Order.status#2".into());
                api.types.insert(id.clone(), TypeDef { id, ..status });
            },
            &[],
        ),
        (
            "type renamed, same shape",
            |api| {
                let status = api.types.remove(&TypeId("Status".into())).expect("Status");
                let id = TypeId("OrderStatus".into());
                let name = Name::from_phrase("OrderStatus");
                api.types.insert(id.clone(), TypeDef { id, name, ..status });
            },
            &[(Renamed, Type, "Status", true)],
        ),
        (
            "output field made optional: still an Option",
            |api| fields(api, "Customer")[2].required = false,
            &[(Changed, Field, "Customer.name", false)],
        ),
        (
            "output field made non-null but optional: still an Option",
            |api| {
                let name = &mut fields(api, "Customer")[2];
                name.required = false;
                name.ty = string();
            },
            &[(Changed, Field, "Customer.name", false)],
        ),
        (
            "optional input field made nullable: Option<Option<T>>",
            |api| fields(api, "CustomerCreate")[1].ty = TypeRef::Nullable(Box::new(string())),
            &[(Changed, Field, "CustomerCreate.name", true)],
        ),
        (
            "path parameter renamed in place: a positional argument",
            |api| {
                let op = get_op(api);
                set_path(op, "/v1/customers/{customer_id}");
                op.params[0].name = "customer_id".to_owned();
            },
            &[
                (Changed, Operation, "customers.get", false),
                (Renamed, Parameter, "customers.get(id)", false),
            ],
        ),
        (
            "usage gained is fine, usage lost breaks",
            |api| {
                api.types
                    .get_mut(&TypeId("Customer".into()))
                    .expect("Customer")
                    .usage = Usage {
                    input: true,
                    ..OUTPUT
                };
                api.types
                    .get_mut(&TypeId("Status".into()))
                    .expect("Status")
                    .usage = INPUT;
            },
            &[
                (Changed, Type, "Status", true),
                (Changed, Type, "Customer", false),
            ],
        ),
    ];
    let old = base();
    for (name, edit, expected) in cases {
        let mut new = base();
        edit(&mut new);
        let report = diff_apis(&old, &new);
        let got: Vec<(ChangeKind, Item, &str, bool)> = report
            .changes
            .iter()
            .map(|c| (c.kind, c.item, c.subject.as_str(), c.breaking))
            .collect();
        assert_eq!(got, expected, "{name}:\n{}", report.to_text());
    }
}

#[test]
fn text_and_json_output() {
    let old = base();
    let mut new = base();
    fields(&mut new, "Customer").push(field("locale", string(), false));
    new.operations.retain(|o| o.method_name != "create");
    let report = diff_apis(&old, &new);
    assert!(report.has_breaking());
    assert_eq!(
        report.to_text(),
        "Old (API version 2026-10): 2 operations, 1 webhook events, 4 types\n\
             New (API version 2026-10): 1 operations, 1 webhook events, 4 types\n\
             1 breaking, 1 non-breaking change(s)\n  \
             operations: 1 removed\n  \
             fields: 1 added\n\
             \n\
             Breaking changes (1):\n\
             - removed operation `customers.create`: POST /v1/customers/\n\
             \n\
             Non-breaking changes (1):\n\
             - added field `Customer.locale`: optional string\n"
    );
    let json = serde_json::to_value(&report).expect("serialize");
    assert_eq!(
        json["changes"][0],
        serde_json::json!({
            "kind": "removed",
            "item": "operation",
            "subject": "customers.create",
            "detail": "POST /v1/customers/",
            "breaking": true
        })
    );
    assert_eq!(json["summary"]["breaking"], 1);
    assert_eq!(json["summary"]["by_item"]["operation"]["removed"], 1);
    assert!(diff_apis(&old, &old)
        .to_text()
        .ends_with("0 breaking, 0 non-breaking change(s)\n\nNo API surface changes.\n"));
}

#[test]
fn details_are_readable() {
    let old = base();
    let mut new = base();
    fields(&mut new, "Customer")[2].ty = TypeRef::Array(Box::new(named("Name")));
    get_op(&mut new).errors.retain(|e| e.status != 404);
    let details: Vec<String> = diff_apis(&old, &new)
        .changes
        .iter()
        .map(|c| c.detail.clone())
        .collect();
    assert_eq!(
        details,
        [
            "error 404 (ResourceNotFound) removed",
            "type string → [Name]; no longer nullable (Rust type Option<String> → Vec<Name>)"
        ]
    );
}

/// A map whose keys become typed (`propertyNames`) changes the field's Rust type: a
/// breaking change that names the key type.
#[test]
fn typed_map_keys_are_a_breaking_field_change() {
    let map = |key: TypeRef| TypeRef::Map {
        key: Box::new(key),
        value: Box::new(TypeRef::Primitive(Primitive::Integer)),
    };
    let mut old = base();
    fields(&mut old, "CustomerCreate").push(field("amounts", map(string()), false));
    let mut new = base();
    fields(&mut new, "CustomerCreate").push(field("amounts", map(named("Status")), false));
    let changes = diff_apis(&old, &new).changes;
    let details: Vec<(&str, &str, bool)> = changes
        .iter()
        .map(|c| (c.subject.as_str(), c.detail.as_str(), c.breaking))
        .collect();
    assert_eq!(
        details,
        [(
            "CustomerCreate.amounts",
            "type map<integer> → map<Status, integer> (Rust type Option<BTreeMap<String, i64>> → \
             Option<BTreeMap<Status, i64>>)",
            true
        )]
    );
}

/// Renaming a component renames the inline types named after it
/// (`Customer.address` → `Client.address`): one rename per type, and the fields
/// that use them report nothing.
#[test]
fn inline_type_renames_are_not_noise() {
    let address = |parent: &str| {
        type_def(
            &format!("{parent}.address"),
            TypeKind::Struct(StructDef {
                fields: vec![field("city", string(), true)],
                additional: None,
            }),
            OUTPUT,
        )
    };
    let mut old = base();
    let (id, def) = address("Customer");
    old.types.insert(id.clone(), def);
    fields(&mut old, "Customer").push(field("address", TypeRef::Named(id), true));
    let mut new = base();
    let (id, mut def) = address("Client");
    def.name = Name::from_phrase("CustomerAddress");
    new.types.insert(id.clone(), def);
    fields(&mut new, "Customer").push(field("address", TypeRef::Named(id), true));
    let report = diff_apis(&old, &new);
    assert!(report.is_empty(), "{}", report.to_text());

    // With a new Rust name it is one breaking rename, still nothing on the field.
    let (id, def) = address("Client");
    new.types.insert(id, def);
    let report = diff_apis(&old, &new);
    let got: Vec<(ChangeKind, &str, bool)> = report
        .changes
        .iter()
        .map(|c| (c.kind, c.subject.as_str(), c.breaking))
        .collect();
    assert_eq!(
        got,
        [(ChangeKind::Renamed, "Customer.address", true)],
        "{}",
        report.to_text()
    );
    assert_eq!(
        report.changes[0].detail,
        "now `Client.address` (Rust name CustomerAddress → ClientAddress)"
    );
}

/// Two removed and two added types of the same shape: no guessing.
#[test]
fn ambiguous_renames_stay_removed_and_added() {
    let enum_type = |id: &str| {
        type_def(
            id,
            TypeKind::Enum(EnumDef {
                values: vec![EnumValue {
                    value: "on".to_owned(),
                    docs: Docs::default(),
                }],
            }),
            OUTPUT,
        )
    };
    let mut old = base();
    old.types.extend([enum_type("A"), enum_type("B")]);
    let mut new = base();
    new.types.extend([enum_type("C"), enum_type("D")]);
    let kinds: Vec<ChangeKind> = diff_apis(&old, &new)
        .changes
        .iter()
        .map(|c| c.kind)
        .collect();
    use ChangeKind::{Added, Removed};
    assert_eq!(kinds, [Removed, Removed, Added, Added]);
}

#[test]
fn reordered_required_arguments_break() {
    let mut old = base();
    let op = get_op(&mut old);
    op.params.push(param("org", ParamLocation::Query, true));
    let mut new = old.clone();
    get_op(&mut new).params.swap(0, 2);
    let report = diff_apis(&old, &new);
    let got: Vec<(&str, &str, bool)> = report
        .changes
        .iter()
        .map(|c| (c.subject.as_str(), c.detail.as_str(), c.breaking))
        .collect();
    assert_eq!(
        got,
        [(
            "customers.get",
            "required arguments reordered: (id, org) → (org, id)",
            true
        )]
    );
}

/// A struct that starts being sent turns its optional nullable fields into
/// `Option<Option<T>>`: the usage change alone is fine, the field change is not.
#[test]
fn becoming_an_input_type_changes_optional_nullable_fields() {
    let mut old = base();
    fields(&mut old, "Customer").push(field(
        "locale",
        TypeRef::Nullable(Box::new(string())),
        false,
    ));
    let mut new = old.clone();
    new.types
        .get_mut(&TypeId("Customer".into()))
        .expect("Customer")
        .usage
        .input = true;
    let report = diff_apis(&old, &new);
    let got: Vec<(Item, &str, bool)> = report
        .changes
        .iter()
        .map(|c| (c.item, c.detail.as_str(), c.breaking))
        .collect();
    assert_eq!(
        got,
        [
            (
                Item::Field,
                "its struct is now sent in requests \
                     (Rust type Option<String> → Option<Option<String>>)",
                true
            ),
            (Item::Type, "used as output → input+output", false),
        ]
    );
}

#[test]
fn polar_like_needs_operations_and_webhooks() {
    assert_eq!(check_polar_like(&base()), Ok(()));
    let mut empty = base();
    empty.operations.clear();
    empty.webhooks.clear();
    assert_eq!(
        check_polar_like(&empty),
        Err(
            "not a Polar-like OpenAPI document (no operations under `paths`, no `webhooks`)".into()
        )
    );
}
