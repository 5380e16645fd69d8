//! IR types → JSON Schema (draft 2020-12), for the catalog's input, output and payload
//! schemas.
//!
//! A schema is self-contained: every named type it reaches is bundled under `$defs`
//! (keyed by the IR's stable type id) and referenced as `#/$defs/<id>`, so a platform
//! can validate with any 2020-12 validator without the OpenAPI document.
//!
//! The schemas describe what the client sends and accepts, which is what the IR keeps:
//! JSON types, required fields, nullability, `const` tags, enum values and formats.
//! Validation keywords the IR does not keep (`minLength`, `pattern`, …) are left out.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use crate::ir::{Api, Docs, Literal, Primitive, TypeId, TypeKind, TypeRef};

/// The `$schema` of every schema this module writes.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Builds schemas for one [`Api`] and collects the named types they reach.
pub struct SchemaBuilder<'a> {
    api: &'a Api,
    reached: BTreeSet<TypeId>,
}

impl<'a> SchemaBuilder<'a> {
    pub fn new(api: &'a Api) -> Self {
        SchemaBuilder {
            api,
            reached: BTreeSet::new(),
        }
    }

    /// The schema of a type reference; named types become `$ref`s to `$defs`.
    pub fn schema(&mut self, ty: &TypeRef) -> Value {
        match ty {
            TypeRef::Primitive(p) => primitive(*p),
            TypeRef::Named(id) => {
                self.reached.insert(id.clone());
                json!({ "$ref": def_ref(id) })
            }
            TypeRef::Array(item) => json!({ "type": "array", "items": self.schema(item) }),
            TypeRef::Map { key, value } => {
                let mut schema =
                    json!({ "type": "object", "additionalProperties": self.schema(value) });
                if **key != TypeRef::Primitive(Primitive::String) {
                    schema["propertyNames"] = self.schema(key);
                }
                schema
            }
            TypeRef::Tuple(items) => {
                let items: Vec<Value> = items.iter().map(|i| self.schema(i)).collect();
                json!({
                    "type": "array",
                    "prefixItems": items,
                    "minItems": items.len(),
                    "maxItems": items.len(),
                })
            }
            TypeRef::Nullable(inner) => {
                json!({ "anyOf": [self.schema(inner), { "type": "null" }] })
            }
            TypeRef::Literal(Literal::String(s)) => json!({ "const": s }),
            TypeRef::Literal(Literal::Bool(b)) => json!({ "const": b }),
            TypeRef::Null => json!({ "type": "null" }),
            TypeRef::Any => json!({}),
        }
    }

    /// Turn `root` into a self-contained document: `$schema` plus every named type
    /// reached from it (transitively) under `$defs`.
    pub fn finish(self, root: Value) -> Value {
        let mut out = with_dialect(root);
        let defs = self.definitions();
        if !defs.is_empty() {
            out.insert("$defs".into(), Value::Object(defs.into_iter().collect()));
        }
        Value::Object(out)
    }

    /// `root` with `$schema`, its `$ref`s left pointing at `#/$defs/…` of an enclosing
    /// document whose `$defs` come from [`SchemaBuilder::definitions`].
    pub fn document(&self, root: Value) -> Value {
        Value::Object(with_dialect(root))
    }

    /// Every named type reached so far (transitively), keyed by type id.
    pub fn definitions(mut self) -> BTreeMap<String, Value> {
        let mut defs = BTreeMap::new();
        let mut pending: Vec<TypeId> = std::mem::take(&mut self.reached).into_iter().collect();
        while let Some(id) = pending.pop() {
            if defs.contains_key(&id.0) {
                continue;
            }
            let schema = self.def_schema(&id);
            defs.insert(id.0.clone(), schema);
            pending.extend(
                std::mem::take(&mut self.reached)
                    .into_iter()
                    .filter(|r| !defs.contains_key(&r.0)),
            );
        }
        defs
    }

    /// The schema of one named type.
    fn def_schema(&mut self, id: &TypeId) -> Value {
        let Some(def) = self.api.types.get(id) else {
            // The IR never references an undefined type; an empty schema keeps the
            // document valid if it ever did.
            return json!({});
        };
        let mut schema = match &def.kind {
            TypeKind::Struct(s) => {
                let mut properties = Map::new();
                let mut required = Vec::new();
                for field in &s.fields {
                    let mut property = self.schema(&field.ty);
                    annotate(&mut property, &field.docs);
                    properties.insert(field.name.clone(), property);
                    if field.required {
                        required.push(Value::from(field.name.clone()));
                    }
                }
                let mut object = json!({ "type": "object", "properties": properties });
                if !required.is_empty() {
                    object["required"] = Value::Array(required);
                }
                if let Some(additional) = &s.additional {
                    object["additionalProperties"] = self.schema(additional);
                }
                object
            }
            TypeKind::Enum(e) => {
                let values: Vec<Value> = e
                    .values
                    .iter()
                    .map(|v| Value::from(v.value.clone()))
                    .collect();
                json!({ "type": "string", "enum": values })
            }
            // `anyOf`, not `oneOf`: Polar's untagged branches overlap (a legacy price is also
            // a valid new one), so exactly-one would reject real data.
            TypeKind::Union(u) => {
                let branches: Vec<Value> = u.variants.iter().map(|v| self.schema(&v.ty)).collect();
                json!({ "anyOf": branches })
            }
            TypeKind::Alias(ty) => self.schema(ty),
        };
        annotate(&mut schema, &def.docs);
        schema
    }
}

/// A self-contained schema for one type reference.
pub fn schema_for(api: &Api, ty: &TypeRef) -> Value {
    let mut builder = SchemaBuilder::new(api);
    let root = builder.schema(ty);
    builder.finish(root)
}

fn with_dialect(root: Value) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("$schema".into(), Value::from(DIALECT));
    // A bare `true` schema cannot carry `$schema`; `{}` means the same.
    if let Value::Object(map) = root {
        out.extend(map);
    }
    out
}

/// `#/$defs/<id>` with the id escaped as a JSON pointer token (RFC 6901).
pub fn def_ref(id: &TypeId) -> String {
    format!("#/$defs/{}", id.0.replace('~', "~0").replace('/', "~1"))
}

fn primitive(p: Primitive) -> Value {
    match p {
        Primitive::String => json!({ "type": "string" }),
        Primitive::Integer => json!({ "type": "integer" }),
        Primitive::Number => json!({ "type": "number" }),
        Primitive::Boolean => json!({ "type": "boolean" }),
        Primitive::DateTime => json!({ "type": "string", "format": "date-time" }),
        Primitive::Date => json!({ "type": "string", "format": "date" }),
        Primitive::Uuid => json!({ "type": "string", "format": "uuid" }),
    }
}

/// Add `title`, `description` and `deprecated` from the spec. A `$ref` may carry them
/// beside it in 2020-12.
fn annotate(schema: &mut Value, docs: &Docs) {
    let Value::Object(map) = schema else {
        return;
    };
    if let Some(title) = &docs.title {
        map.entry("title")
            .or_insert_with(|| Value::from(title.clone()));
    }
    if let Some(description) = &docs.description {
        map.entry("description")
            .or_insert_with(|| Value::from(description.clone()));
    }
    if docs.deprecated {
        map.insert("deprecated".into(), Value::Bool(true));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(def_ref(&TypeId("a/b~c".into())), "#/$defs/a~1b~0c");
    }

    #[test]
    fn typed_map_keys_keep_their_property_names() {
        let api = crate::normalize::normalize(&json!({
            "openapi": "3.1.0",
            "info": {"title": "Test", "version": "2026-01"},
            "paths": {"/things": {"get": {
                "operationId": "things:get", "x-speakeasy-group": "things",
                "responses": {"200": {"description": "ok", "content": {"application/json":
                    {"schema": {"$ref": "#/components/schemas/Root"}}}}}
            }}},
            "components": {"schemas": {
                "Currency": {"type": "string", "enum": ["usd", "eur"]},
                "Root": {"type": "object", "properties": {
                    "amounts": {"type": "object", "propertyNames": {"$ref": "#/components/schemas/Currency"},
                        "additionalProperties": {"type": "integer"}},
                    "prices": {"type": "object", "propertyNames": {"format": "uuid4"},
                        "additionalProperties": {"type": "integer"}},
                    "metadata": {"type": "object", "propertyNames": {"maxLength": 40},
                        "additionalProperties": {"type": "integer"}}
                }}
            }}
        }))
        .unwrap();
        let schema = schema_for(&api, &TypeRef::Named(TypeId("Root".into())));
        let properties = &schema["$defs"]["Root"]["properties"];
        assert_eq!(
            properties["amounts"]["propertyNames"],
            json!({"$ref": "#/$defs/Currency"})
        );
        assert_eq!(schema["$defs"]["Currency"]["enum"], json!(["usd", "eur"]));
        assert_eq!(
            properties["prices"]["propertyNames"],
            json!({"type": "string", "format": "uuid"})
        );
        assert!(properties["metadata"].get("propertyNames").is_none());
    }
}
