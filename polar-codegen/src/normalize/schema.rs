//! JSON Schema (OpenAPI 3.1 dialect) → [`TypeRef`] and named [`TypeDef`]s.
//!
//! This is the only place that interprets schema keywords: `$ref` (siblings are
//! annotations), `anyOf`/`oneOf` with `{type: null}` (nullable), `const` (literal),
//! `enum`, `discriminator`, `prefixItems` (tuple), `additionalProperties` /
//! `patternProperties` (map, keyed by its `propertyNames`) and Polar's string formats.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::SpecError;
use crate::ir::{
    Docs, EnumDef, EnumValue, Field, Literal, Name, Primitive, StructDef, TypeDef, TypeId,
    TypeKind, TypeRef, UnionDef, UnionVariant, Usage,
};

use super::reference;

/// How deep schemas may nest, counting `$ref` hops; Polar's deepest chain is far below.
const MAX_SCHEMA_DEPTH: usize = 96;

/// How to name a type created for a schema node.
#[derive(Debug, Clone)]
pub struct Hint {
    /// Stable id for the type (component name or `Parent.field`).
    pub id: String,
    /// What the type is called, in words.
    pub name: Name,
    /// The node *is* the component itself (its named type takes the component's id).
    pub is_component: bool,
}

impl Hint {
    pub fn inline(id: impl Into<String>, name: Name) -> Self {
        Hint {
            id: id.into(),
            name,
            is_component: false,
        }
    }

    /// Hint for a child node, e.g. a property `field` of this type.
    pub fn child(&self, id_part: &str, name_part: &str) -> Self {
        Hint::inline(format!("{}.{id_part}", self.id), self.name.child(name_part))
    }
}

/// Builds the type graph from schema nodes.
pub struct TypeBuilder<'a> {
    spec: &'a Value,
    pub types: BTreeMap<TypeId, TypeDef>,
    /// Keys of `#/components/schemas`.
    components: BTreeSet<String>,
    /// Names of schemas referenced by a pointer outside `#/components/schemas`.
    pointer_names: BTreeMap<String, Name>,
    building: BTreeSet<TypeId>,
    /// Current nesting of [`TypeBuilder::schema`] calls.
    depth: usize,
}

impl<'a> TypeBuilder<'a> {
    pub fn new(spec: &'a Value) -> Result<Self, SpecError> {
        let mut components = BTreeSet::new();
        if let Some(schemas) = spec.pointer("/components/schemas") {
            let schemas = schemas.as_object().ok_or_else(|| {
                SpecError::new("#/components/schemas", "expected an object of schemas")
            })?;
            components.extend(schemas.keys().cloned());
        }
        Ok(TypeBuilder {
            spec,
            types: BTreeMap::new(),
            components,
            pointer_names: BTreeMap::new(),
            building: BTreeSet::new(),
            depth: 0,
        })
    }

    /// Resolve a local `$ref` to the schema it points at, building its named type on
    /// first use. Component schemas keep their component name; a schema anywhere else
    /// (a path item, a vendor extension) is named after its key (the plan names
    /// components first, so such a schema never takes a component's name).
    pub fn component(&mut self, reference: &str, pointer: &str) -> Result<TypeRef, SpecError> {
        let (target, schema) =
            reference::resolve(self.spec, reference).map_err(|m| SpecError::new(pointer, m))?;
        let (id, name) = match target.component_schema() {
            Some(key) => {
                if !self.components.contains(key) {
                    return Err(SpecError::new(
                        pointer,
                        format!("dangling $ref `{reference}`: no such schema"),
                    ));
                }
                (TypeId(key.to_owned()), Name::from_phrase(key))
            }
            // Component names never start with `#` (OpenAPI restricts them to
            // `[a-zA-Z0-9._-]`), so a pointer id cannot collide with one.
            None => (TypeId(target.pointer.clone()), self.pointer_name(&target)),
        };
        if self.types.contains_key(&id) || self.building.contains(&id) {
            return Ok(TypeRef::Named(id));
        }
        let schema_pointer = target.pointer.clone();
        self.building.insert(id.clone());
        let hint = Hint {
            id: id.0.clone(),
            name: name.clone(),
            is_component: true,
        };
        let result = self.schema(schema, &schema_pointer, &hint);
        self.building.remove(&id);
        let ty = result?;
        if ty != TypeRef::Named(id.clone()) {
            // The component is not itself an object/enum/union: keep it as a named alias.
            let docs = docs_of(schema);
            self.insert(TypeDef {
                id: id.clone(),
                name,
                docs,
                kind: TypeKind::Alias(ty),
                usage: Usage::default(),
                origin: schema_pointer,
            });
        }
        Ok(TypeRef::Named(id))
    }

    /// The name of a schema referenced outside `#/components/schemas`.
    fn pointer_name(&mut self, target: &reference::Target) -> Name {
        self.pointer_names
            .entry(target.pointer.clone())
            .or_insert_with(|| Name::from_phrase(&reference::type_label(&target.segments)))
            .clone()
    }

    fn insert(&mut self, def: TypeDef) {
        self.types.insert(def.id.clone(), def);
    }

    /// A fresh id and the name for a type created from `hint`.
    fn name_for(&mut self, hint: &Hint) -> (TypeId, Name) {
        if hint.is_component {
            return (TypeId(hint.id.clone()), hint.name.clone());
        }
        let mut id = hint.id.clone();
        let mut n = 2;
        while self.types.contains_key(&TypeId(id.clone())) {
            id = format!("{}#{n}", hint.id);
            n += 1;
        }
        (TypeId(id), hint.name.clone())
    }

    /// Interpret one schema node.
    pub fn schema(
        &mut self,
        schema: &Value,
        pointer: &str,
        hint: &Hint,
    ) -> Result<TypeRef, SpecError> {
        // Bounded recursion: a hostile or broken spec gets an error, not a stack overflow.
        if self.depth >= MAX_SCHEMA_DEPTH {
            return Err(SpecError::new(
                pointer,
                format!("schemas nested (or referenced) more than {MAX_SCHEMA_DEPTH} levels deep"),
            ));
        }
        self.depth += 1;
        let result = self.schema_node(schema, pointer, hint);
        self.depth -= 1;
        result
    }

    fn schema_node(
        &mut self,
        schema: &Value,
        pointer: &str,
        hint: &Hint,
    ) -> Result<TypeRef, SpecError> {
        let obj = match schema {
            Value::Object(obj) => obj,
            Value::Bool(true) => return Ok(TypeRef::Any),
            _ => return Err(SpecError::new(pointer, "expected a schema object")),
        };
        if let Some(reference) = obj.get("$ref") {
            let reference = reference
                .as_str()
                .ok_or_else(|| SpecError::new(pointer, "`$ref` must be a string"))?;
            return self.component(reference, &format!("{pointer}/$ref"));
        }
        if let Some(value) = obj.get("const") {
            return match value {
                Value::String(s) => Ok(TypeRef::Literal(Literal::String(s.clone()))),
                Value::Bool(b) => Ok(TypeRef::Literal(Literal::Bool(*b))),
                // A numeric constant keeps its number type (the value is validation only).
                Value::Number(n) if n.is_i64() || n.is_u64() => Ok(TypeRef::Primitive(Primitive::Integer)),
                Value::Number(_) => Ok(TypeRef::Primitive(Primitive::Number)),
                other => Err(SpecError::new(
                    format!("{pointer}/const"),
                    format!("unsupported const value {other}: only string, boolean and number constants are supported"),
                )),
            };
        }
        for keyword in ["anyOf", "oneOf"] {
            if let Some(branches) = obj.get(keyword) {
                return self.composition(obj, keyword, branches, pointer, hint);
            }
        }
        if let Some(all) = obj.get("allOf") {
            let all = all
                .as_array()
                .ok_or_else(|| SpecError::new(pointer, "`allOf` must be an array"))?;
            if all.len() == 1 {
                return self.schema(&all[0], &format!("{pointer}/allOf/0"), hint);
            }
            let merged = super::all_of::merge(self.spec, obj, pointer)?;
            return self.schema_node(&Value::Object(merged), pointer, hint);
        }
        if let Some(values) = obj.get("enum") {
            return self.enumeration(obj, values, pointer, hint);
        }
        match obj.get("type") {
            Some(Value::String(ty)) => self.typed(obj, ty, pointer, hint),
            Some(Value::Array(types)) => {
                let names: Vec<&str> = types
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|t| *t != "null")
                    .collect();
                let nullable = types.iter().any(|t| t == "null");
                let inner = match names.as_slice() {
                    [] => TypeRef::Null,
                    [single] => self.typed(obj, single, pointer, hint)?,
                    several => self.type_list_union(obj, several, pointer, hint)?,
                };
                Ok(if nullable { nullable_of(inner) } else { inner })
            }
            Some(_) => Err(SpecError::new(
                format!("{pointer}/type"),
                "`type` must be a string or a list",
            )),
            None if obj.contains_key("properties") => self.object(obj, pointer, hint),
            None if obj.contains_key("items") || obj.contains_key("prefixItems") => {
                self.typed(obj, "array", pointer, hint)
            }
            None => Ok(TypeRef::Any),
        }
    }

    /// `type: [string, integer, …]`: an untagged union with one branch per type, each
    /// branch the same schema narrowed to that type.
    fn type_list_union(
        &mut self,
        obj: &Map<String, Value>,
        names: &[&str],
        pointer: &str,
        hint: &Hint,
    ) -> Result<TypeRef, SpecError> {
        let branches: Vec<Value> = names
            .iter()
            .map(|name| {
                let mut branch = obj.clone();
                branch.insert("type".to_owned(), Value::String((*name).to_owned()));
                for annotation in ["description", "discriminator"] {
                    branch.remove(annotation);
                }
                // Names the branch's own type, e.g. `ValueObject`.
                branch.insert("title".to_owned(), Value::String((*name).to_owned()));
                Value::Object(branch)
            })
            .collect();
        let indexed: Vec<(usize, &Value)> = branches.iter().enumerate().collect();
        let mut union_obj = obj.clone();
        union_obj.remove("discriminator");
        self.union(&union_obj, "type", &indexed, pointer, hint)
    }

    fn typed(
        &mut self,
        obj: &Map<String, Value>,
        ty: &str,
        pointer: &str,
        hint: &Hint,
    ) -> Result<TypeRef, SpecError> {
        Ok(match ty {
            "string" => TypeRef::Primitive(match obj.get("format").and_then(Value::as_str) {
                Some("date-time") => Primitive::DateTime,
                Some("date") => Primitive::Date,
                Some("uuid" | "uuid4") => Primitive::Uuid,
                _ => Primitive::String,
            }),
            "integer" => TypeRef::Primitive(Primitive::Integer),
            "number" => TypeRef::Primitive(Primitive::Number),
            "boolean" => TypeRef::Primitive(Primitive::Boolean),
            "null" => TypeRef::Null,
            "array" => {
                if let Some(prefix) = obj.get("prefixItems") {
                    let prefix = prefix
                        .as_array()
                        .ok_or_else(|| SpecError::new(pointer, "`prefixItems` must be an array"))?;
                    let mut items = Vec::with_capacity(prefix.len());
                    for (i, item) in prefix.iter().enumerate() {
                        let hint = hint.child(&format!("{i}"), &format!("item{i}"));
                        items.push(self.schema(
                            item,
                            &format!("{pointer}/prefixItems/{i}"),
                            &hint,
                        )?);
                    }
                    TypeRef::Tuple(items)
                } else if let Some(items) = obj.get("items") {
                    let hint = hint.child("items", "item");
                    TypeRef::Array(Box::new(self.schema(
                        items,
                        &format!("{pointer}/items"),
                        &hint,
                    )?))
                } else {
                    TypeRef::Array(Box::new(TypeRef::Any))
                }
            }
            "object" => self.object(obj, pointer, hint)?,
            other => {
                return Err(SpecError::new(
                    format!("{pointer}/type"),
                    format!("unsupported type `{other}`"),
                ))
            }
        })
    }

    fn object(
        &mut self,
        obj: &Map<String, Value>,
        pointer: &str,
        hint: &Hint,
    ) -> Result<TypeRef, SpecError> {
        let properties = match obj.get("properties") {
            Some(Value::Object(props)) => Some(props),
            Some(_) => return Err(SpecError::new(pointer, "`properties` must be an object")),
            None => None,
        };
        let additional = match obj.get("additionalProperties") {
            Some(Value::Object(schema)) => {
                let hint = hint.child("value", "value");
                Some(self.schema(
                    &Value::Object(schema.clone()),
                    &format!("{pointer}/additionalProperties"),
                    &hint,
                )?)
            }
            Some(Value::Bool(true)) => Some(TypeRef::Any),
            Some(Value::Bool(false)) => None,
            Some(_) => {
                return Err(SpecError::new(
                    pointer,
                    "`additionalProperties` must be a schema or a boolean",
                ))
            }
            None => None,
        };
        let pattern = match obj.get("patternProperties") {
            Some(Value::Object(patterns)) => {
                let mut types = Vec::new();
                for (pattern, schema) in patterns {
                    let hint = hint.child("value", "value");
                    let p = format!("{pointer}/patternProperties/{}", escape_pointer(pattern));
                    types.push(self.schema(schema, &p, &hint)?);
                }
                types.dedup();
                Some(if types.len() == 1 {
                    types.remove(0)
                } else {
                    TypeRef::Any
                })
            }
            _ => None,
        };
        let Some(properties) = properties.filter(|p| !p.is_empty()) else {
            let value = additional.or(pattern).unwrap_or(TypeRef::Any);
            let key = self.map_key(obj, pointer, hint)?;
            return Ok(TypeRef::Map {
                key: Box::new(key),
                value: Box::new(value),
            });
        };
        let (id, name) = self.name_for(hint);
        // Reserve the id so recursive references resolve while fields are built.
        self.building.insert(id.clone());
        let struct_hint = Hint::inline(id.0.clone(), name.clone());
        let required: BTreeSet<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut fields = Vec::with_capacity(properties.len());
        for (wire, schema) in properties {
            let field_pointer = format!("{pointer}/properties/{}", escape_pointer(wire));
            let field_hint = struct_hint.child(wire, wire);
            let ty = self.schema(schema, &field_pointer, &field_hint)?;
            fields.push(Field {
                name: wire.clone(),
                ty,
                required: required.contains(wire.as_str()),
                docs: docs_of(schema),
            });
        }
        let additional = additional.or(pattern).filter(|_| {
            obj.get("additionalProperties")
                .is_some_and(Value::is_object)
        });
        self.building.remove(&id);
        self.insert(TypeDef {
            id: id.clone(),
            name,
            docs: docs_of_value(obj),
            kind: TypeKind::Struct(StructDef { fields, additional }),
            usage: Usage::default(),
            origin: pointer.to_owned(),
        });
        Ok(TypeRef::Named(id))
    }

    /// The key type of a map, from its `propertyNames`: a UUID (`format: uuid`/`uuid4`),
    /// a string enum (inline, or by `$ref`), or else a plain string. Property names are
    /// always strings, so other constraints (lengths, a pattern) keep string keys.
    fn map_key(
        &mut self,
        obj: &Map<String, Value>,
        pointer: &str,
        hint: &Hint,
    ) -> Result<TypeRef, SpecError> {
        let string = TypeRef::Primitive(Primitive::String);
        let names = match obj.get("propertyNames") {
            Some(Value::Object(names)) => names,
            // `true`/`false` allow every name or none: nothing to type.
            None | Some(Value::Bool(_)) => return Ok(string),
            Some(_) => {
                return Err(SpecError::new(
                    format!("{pointer}/propertyNames"),
                    "`propertyNames` must be a schema",
                ))
            }
        };
        if !["$ref", "enum", "allOf"]
            .iter()
            .any(|k| names.contains_key(*k))
        {
            let string_typed = !matches!(names.get("type"), Some(ty) if ty != "string");
            return Ok(match names.get("format").and_then(Value::as_str) {
                Some("uuid" | "uuid4") if string_typed => TypeRef::Primitive(Primitive::Uuid),
                _ => string,
            });
        }
        let key = self.schema(
            &Value::Object(names.clone()),
            &format!("{pointer}/propertyNames"),
            &hint.child("key", "key"),
        )?;
        // A property name is never `null`: a nullable key schema keys by its other branch.
        let key = match key {
            TypeRef::Nullable(inner) => *inner,
            other => other,
        };
        Ok(if self.is_key_type(&key, 0) {
            key
        } else {
            string
        })
    }

    /// Whether `ty` is a string type a map can be keyed by: a string, a UUID, a string
    /// enum or an alias of one of these (anything else, e.g. a struct, keeps string keys).
    fn is_key_type(&self, ty: &TypeRef, depth: usize) -> bool {
        match ty {
            TypeRef::Primitive(Primitive::String | Primitive::Uuid) => true,
            TypeRef::Named(id) if depth < MAX_SCHEMA_DEPTH => {
                match self.types.get(id).map(|def| &def.kind) {
                    Some(TypeKind::Enum(_)) => true,
                    Some(TypeKind::Alias(target)) => self.is_key_type(target, depth + 1),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    fn enumeration(
        &mut self,
        obj: &Map<String, Value>,
        values: &Value,
        pointer: &str,
        hint: &Hint,
    ) -> Result<TypeRef, SpecError> {
        let values = values
            .as_array()
            .ok_or_else(|| SpecError::new(format!("{pointer}/enum"), "`enum` must be an array"))?;
        let nullable = values.iter().any(Value::is_null);
        let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        let non_null = values.iter().filter(|v| !v.is_null()).count();
        if strings.len() != non_null {
            // Non-string enums: keep the primitive type, values are validation only.
            let ty = obj.get("type").and_then(Value::as_str).unwrap_or("string");
            let inner = self.typed(obj, ty, pointer, hint)?;
            return Ok(if nullable { nullable_of(inner) } else { inner });
        }
        if strings.is_empty() {
            return Ok(TypeRef::Null);
        }
        let (id, name) = self.name_for(hint);
        let values = strings
            .iter()
            .map(|wire| EnumValue {
                value: (*wire).to_owned(),
                docs: Docs::default(),
            })
            .collect();
        self.insert(TypeDef {
            id: id.clone(),
            name,
            docs: docs_of_value(obj),
            kind: TypeKind::Enum(EnumDef { values }),
            usage: Usage::default(),
            origin: pointer.to_owned(),
        });
        let ty = TypeRef::Named(id);
        Ok(if nullable { nullable_of(ty) } else { ty })
    }

    fn composition(
        &mut self,
        obj: &Map<String, Value>,
        keyword: &str,
        branches: &Value,
        pointer: &str,
        hint: &Hint,
    ) -> Result<TypeRef, SpecError> {
        let branches = branches.as_array().ok_or_else(|| {
            SpecError::new(
                format!("{pointer}/{keyword}"),
                format!("`{keyword}` must be an array"),
            )
        })?;
        let non_null: Vec<(usize, &Value)> = branches
            .iter()
            .enumerate()
            .filter(|(_, b)| !is_null_schema(b))
            .collect();
        let nullable = non_null.len() < branches.len();
        let inner = match non_null.as_slice() {
            [] => TypeRef::Null,
            [(i, single)] => {
                // `anyOf: [X, null]` on a component: X gets its own name, the component is an alias.
                let inner_hint = if hint.is_component && nullable {
                    Hint::inline(format!("{}.value", hint.id), hint.name.child("Value"))
                } else {
                    hint.clone()
                };
                self.schema(single, &format!("{pointer}/{keyword}/{i}"), &inner_hint)?
            }
            _ => self.union(obj, keyword, &non_null, pointer, hint)?,
        };
        Ok(if nullable { nullable_of(inner) } else { inner })
    }

    fn union(
        &mut self,
        obj: &Map<String, Value>,
        keyword: &str,
        branches: &[(usize, &Value)],
        pointer: &str,
        hint: &Hint,
    ) -> Result<TypeRef, SpecError> {
        let (id, name) = self.name_for(hint);
        self.building.insert(id.clone());
        let union_hint = Hint::inline(id.0.clone(), name.clone());
        let discriminator = match obj.get("discriminator") {
            Some(d) => Some(
                d.get("propertyName")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        SpecError::new(format!("{pointer}/discriminator"), "missing `propertyName`")
                    })?
                    .to_owned(),
            ),
            None => None,
        };
        let mapping: Vec<(String, String)> = obj
            .get("discriminator")
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        let mut variants = Vec::with_capacity(branches.len());
        for (i, branch) in branches {
            let branch_pointer = format!("{pointer}/{keyword}/{i}");
            let title = branch.get("title").and_then(Value::as_str);
            let branch_hint = union_hint.child(
                &format!("{i}"),
                title.unwrap_or(&format!("variant{}", i + 1)),
            );
            let ty = self.schema(branch, &branch_pointer, &branch_hint)?;
            let mut tags = Vec::new();
            if let Some(property) = &discriminator {
                let reference = branch.get("$ref").and_then(Value::as_str);
                tags = mapping
                    .iter()
                    .filter(|(_, target)| Some(target.as_str()) == reference)
                    .map(|(tag, _)| tag.clone())
                    .collect();
                if tags.is_empty() {
                    if let Some(tag) = self.const_of_property(branch, property) {
                        tags.push(tag);
                    }
                }
                if tags.is_empty() {
                    return Err(SpecError::new(
                        branch_pointer,
                        format!("branch of a discriminated union has no value for discriminator `{property}`"),
                    ));
                }
            }
            let candidate = match tags.first() {
                Some(tag) => Name::from_phrase(tag),
                None => self.variant_label(&ty, title),
            };
            variants.push(UnionVariant {
                name: candidate,
                ty,
                tags,
                known_fields: Vec::new(),
                required_fields: Vec::new(),
            });
        }
        self.building.remove(&id);
        self.insert(TypeDef {
            id: id.clone(),
            name,
            docs: docs_of_value(obj),
            kind: TypeKind::Union(UnionDef {
                discriminator,
                variants,
            }),
            usage: Usage::default(),
            origin: pointer.to_owned(),
        });
        Ok(TypeRef::Named(id))
    }

    /// The `const` of `property` in a branch (following one `$ref`).
    fn const_of_property(&self, branch: &Value, property: &str) -> Option<String> {
        let schema = match branch.get("$ref").and_then(Value::as_str) {
            Some(reference) => reference::resolve(self.spec, reference).ok()?.1,
            None => branch,
        };
        schema
            .get("properties")?
            .get(property)?
            .get("const")?
            .as_str()
            .map(str::to_owned)
    }

    /// A readable variant name for an untagged union branch.
    fn variant_label(&self, ty: &TypeRef, title: Option<&str>) -> Name {
        let words = |phrase: &str| Name::from_phrase(phrase);
        match ty {
            TypeRef::Named(id) if self.components.contains(&id.0) => words(&id.0),
            TypeRef::Named(_) => words(title.unwrap_or("Object")),
            TypeRef::Primitive(p) => words(&format!("{p:?}")),
            TypeRef::Array(inner) => self.variant_label(inner, None).child("List"),
            TypeRef::Map { .. } => words("Map"),
            TypeRef::Tuple(_) => words("Tuple"),
            TypeRef::Literal(Literal::String(s)) => words(s),
            TypeRef::Literal(Literal::Bool(b)) => words(&b.to_string()),
            TypeRef::Nullable(inner) => self.variant_label(inner, title),
            TypeRef::Null => words("Null"),
            TypeRef::Any => words("Value"),
        }
    }
}

pub fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null") && schema.get("$ref").is_none()
}

pub fn nullable_of(inner: TypeRef) -> TypeRef {
    match inner {
        TypeRef::Nullable(_) | TypeRef::Null | TypeRef::Any => inner,
        other => TypeRef::Nullable(Box::new(other)),
    }
}

/// Docs of a schema node: `title`, `description`, `deprecated`.
pub fn docs_of(schema: &Value) -> Docs {
    schema.as_object().map(docs_of_value).unwrap_or_default()
}

pub fn docs_of_value(obj: &Map<String, Value>) -> Docs {
    let text = |key: &str| obj.get(key).and_then(Value::as_str).map(str::to_owned);
    Docs {
        title: text("title"),
        description: text("description"),
        deprecated: obj
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }
}

/// Escape a JSON pointer segment (RFC 6901).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
