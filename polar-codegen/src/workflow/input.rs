//! How an action's JSON arguments map onto an operation: one flat object merging the
//! path, query and header parameters with the request body's fields.
//!
//! Rule (documented in the catalog schema doc): parameters keep their wire names. The
//! body's top-level fields are merged beside them when the body is an object (a struct,
//! or a union whose branches are all structs) and none of its field names equals a
//! parameter name; otherwise the whole body is one argument called `body`. So a name is
//! never ambiguous: on a clash the body moves under `body` instead of shadowing.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::ir::{Api, Operation, ParamLocation, TypeKind, TypeRef};
use crate::json_schema::SchemaBuilder;

/// Name of the argument that carries a whole body which cannot be merged.
pub const WHOLE_BODY: &str = "body";

/// Where one top-level argument goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgumentSource {
    Path,
    Query,
    Header,
    /// A field of a merged body.
    BodyField,
    /// The whole body, under [`WHOLE_BODY`].
    WholeBody,
}

/// One top-level argument of an action.
#[derive(Debug, Clone)]
pub struct Argument {
    /// The JSON key (the parameter's or body field's wire name).
    pub name: String,
    pub source: ArgumentSource,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
}

/// How the body is taken from the arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyInput {
    None,
    /// The body's fields are top-level arguments; every key that is not a parameter
    /// belongs to the body.
    Merged {
        ty: TypeRef,
        required: bool,
    },
    /// The whole body is the argument [`WHOLE_BODY`].
    Whole {
        ty: TypeRef,
        required: bool,
    },
}

/// An operation's arguments as one JSON object.
#[derive(Debug, Clone)]
pub struct InputPlan {
    pub arguments: Vec<Argument>,
    pub body: BodyInput,
}

impl InputPlan {
    pub fn new(api: &Api, op: &Operation) -> Self {
        let mut arguments: Vec<Argument> = op
            .params
            .iter()
            .map(|p| Argument {
                name: p.name.clone(),
                source: match p.location {
                    ParamLocation::Path => ArgumentSource::Path,
                    ParamLocation::Query => ArgumentSource::Query,
                    ParamLocation::Header => ArgumentSource::Header,
                },
                ty: p.ty.clone(),
                required: p.required,
                description: p.docs.description.clone(),
            })
            .collect();
        let param_names: BTreeSet<&str> = op.params.iter().map(|p| p.name.as_str()).collect();
        let body = match &op.body {
            None => BodyInput::None,
            Some(body) => {
                let fields = object_fields(api, &body.ty);
                let clash = fields.as_ref().is_some_and(|fields| {
                    fields.iter().any(|f| param_names.contains(f.0.as_str()))
                });
                let union = struct_of(api, &body.ty).is_none();
                match fields {
                    // An optional union body cannot say "absent" once merged: keep it whole.
                    Some(fields)
                        if !clash
                            && !param_names.contains(WHOLE_BODY)
                            && (body.required || !union) =>
                    {
                        let single_struct = !union;
                        for (name, ty, required, description) in fields {
                            arguments.push(Argument {
                                name,
                                source: ArgumentSource::BodyField,
                                ty,
                                // Union branches' required fields are checked by the body's
                                // own schema (`allOf`) and by decoding.
                                required: body.required && single_struct && required,
                                description,
                            });
                        }
                        BodyInput::Merged {
                            ty: body.ty.clone(),
                            required: body.required,
                        }
                    }
                    _ => {
                        arguments.push(Argument {
                            name: WHOLE_BODY.to_owned(),
                            source: ArgumentSource::WholeBody,
                            ty: body.ty.clone(),
                            required: body.required,
                            description: Some("The request body.".to_owned()),
                        });
                        BodyInput::Whole {
                            ty: body.ty.clone(),
                            required: body.required,
                        }
                    }
                }
            }
        };
        // A union body's branches may share field names: keep each name once.
        let mut seen = BTreeSet::new();
        arguments.retain(|a| seen.insert(a.name.clone()));
        InputPlan { arguments, body }
    }

    /// The names a caller may pass at the top level.
    pub fn names(&self) -> Vec<&str> {
        self.arguments.iter().map(|a| a.name.as_str()).collect()
    }

    /// The input JSON Schema: one object, unknown top-level keys rejected
    /// (`unevaluatedProperties: false`, as `invoke` does).
    pub fn schema(&self, api: &Api, builder: &mut SchemaBuilder) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        let union_body =
            matches!(&self.body, BodyInput::Merged { ty, .. } if struct_of(api, ty).is_none());
        for arg in &self.arguments {
            // Union branches' fields are described by the `allOf` below.
            let mut schema = if union_body && arg.source == ArgumentSource::BodyField {
                json!({})
            } else {
                let schema = builder.schema(&arg.ty);
                match (&arg.ty, arg.source) {
                    // A list filter also takes a single value (both encode the same).
                    (TypeRef::Array(item), ArgumentSource::Query) => {
                        json!({ "anyOf": [builder.schema(item), schema] })
                    }
                    _ => schema,
                }
            };
            if let (Some(description), Value::Object(map)) = (&arg.description, &mut schema) {
                map.entry("description")
                    .or_insert_with(|| Value::from(description.clone()));
            }
            properties.insert(arg.name.clone(), schema);
            if arg.required {
                required.push(Value::from(arg.name.clone()));
            }
        }
        let mut root = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            root["required"] = Value::Array(required);
        }
        if let (true, BodyInput::Merged { ty, .. }) = (union_body, &self.body) {
            root["allOf"] = json!([builder.schema(ty)]);
        }
        root["unevaluatedProperties"] = Value::Bool(false);
        builder.document(root)
    }
}

/// A field of an object body: wire name, type, required, description.
type FieldInfo = (String, TypeRef, bool, Option<String>);

/// The struct behind a type reference (through aliases), if it is one.
fn struct_of<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a crate::ir::StructDef> {
    match ty {
        TypeRef::Named(id) => match &api.types.get(id)?.kind {
            TypeKind::Struct(s) => Some(s),
            TypeKind::Alias(inner) => struct_of(api, inner),
            _ => None,
        },
        _ => None,
    }
}

/// The top-level fields of an object body: a struct's fields, or every field of a union
/// whose branches are all structs. `None` for anything else (arrays, maps, primitives).
fn object_fields(api: &Api, ty: &TypeRef) -> Option<Vec<FieldInfo>> {
    if let Some(s) = struct_of(api, ty) {
        if s.additional.is_some() {
            return None;
        }
        return Some(
            s.fields
                .iter()
                .map(|f| {
                    (
                        f.name.clone(),
                        f.ty.clone(),
                        f.required,
                        f.docs.description.clone(),
                    )
                })
                .collect(),
        );
    }
    let TypeRef::Named(id) = ty else {
        return None;
    };
    let TypeKind::Union(union) = &api.types.get(id)?.kind else {
        return None;
    };
    let mut fields = Vec::new();
    for variant in &union.variants {
        fields.extend(object_fields(api, &variant.ty)?);
    }
    Some(fields)
}
