//! Sample JSON values for IR types: deterministic for a seed, and valid for the type.
//!
//! Used by tests that need realistic data without a hand-written fixture per type: the
//! conformance run builds every operation's arguments with it, and the webhook test
//! builds payloads for every event. Across seeds the values vary the way real data
//! does: nullable values are sometimes `null`, optional fields sometimes absent, each
//! union branch and enum value gets its turn, arrays have 0–2 items.
//!
//! The IR keeps types, not validation keywords (`minLength`, `pattern`, `maximum`...),
//! so strings, numbers and arrays are chosen to satisfy the constraints Polar's
//! documents commonly use: small positive numbers, `sample-text`, and a value by field
//! name where the name says what it holds (`email`, `*_url`, `currency`, `slug`...).

use serde_json::{Map, Number, Value};

use crate::ir::{Api, Literal, Primitive, TypeId, TypeKind, TypeRef};

/// A tiny deterministic PRNG (splitmix64): fast, seedable, no dependency.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    /// `true` with probability `1 / n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// How values are shaped.
#[derive(Debug, Clone)]
pub struct SampleOptions {
    /// Below this nesting depth of named types, optional fields are left out, nullable
    /// values are `null` and arrays and maps are empty, so recursive types end.
    pub max_depth: usize,
    /// Fewest array items (e.g. 1 for request bodies, where `minItems: 1` is common).
    pub min_items: usize,
    /// Most array and map items.
    pub max_items: usize,
    /// An optional field is left out with probability `1 / absent_one_in`.
    pub absent_one_in: usize,
    /// A nullable value is `null` with probability `1 / null_one_in`.
    pub null_one_in: usize,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            max_depth: 6,
            min_items: 0,
            max_items: 2,
            absent_one_in: 3,
            null_one_in: 4,
        }
    }
}

/// Makes sample values for the types of one [`Api`].
#[derive(Debug, Clone)]
pub struct Sampler<'a> {
    api: &'a Api,
    rng: SplitMix64,
    options: SampleOptions,
    /// Named types being sampled, outermost first (their nesting depth is its length).
    stack: Vec<&'a TypeId>,
}

/// Beyond `max_depth` plus this, a required recursive field gets `null` rather than
/// recursing forever (no Polar type needs it; it keeps a bad IR from hanging a test).
const HARD_DEPTH_MARGIN: usize = 8;

impl<'a> Sampler<'a> {
    pub fn new(api: &'a Api, seed: u64) -> Self {
        Self::with_options(api, seed, SampleOptions::default())
    }

    pub fn with_options(api: &'a Api, seed: u64, options: SampleOptions) -> Self {
        Sampler {
            api,
            rng: SplitMix64::new(seed),
            options,
            stack: Vec::new(),
        }
    }

    /// The random source, for callers that make related choices (e.g. which optional
    /// parameters to send) from the same seed.
    pub fn rng(&mut self) -> &mut SplitMix64 {
        &mut self.rng
    }

    /// A value of type `ty`.
    pub fn value(&mut self, ty: &TypeRef) -> Value {
        self.sample(ty, "")
    }

    /// A value of type `ty` for a field or parameter called `name` (its wire name), which
    /// picks a fitting string (`email` → an address, `*_url` → a URL...).
    pub fn named_value(&mut self, ty: &TypeRef, name: &str) -> Value {
        self.sample(ty, name)
    }

    fn limited(&self) -> bool {
        self.stack.len() >= self.options.max_depth
    }

    /// Whether `ty` leads straight back into a type being sampled (a recursive branch).
    fn recurses(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => self.stack.contains(&id),
            TypeRef::Nullable(inner) | TypeRef::Array(inner) => self.recurses(inner),
            _ => false,
        }
    }

    fn sample(&mut self, ty: &TypeRef, name: &str) -> Value {
        match ty {
            TypeRef::Primitive(primitive) => self.primitive(*primitive, name),
            TypeRef::Named(id) => {
                let api = self.api;
                let Some((id, def)) = api.types.get_key_value(id) else {
                    return Value::Null;
                };
                if self.stack.len() >= self.options.max_depth + HARD_DEPTH_MARGIN {
                    return Value::Null;
                }
                self.stack.push(id);
                let value = self.kind(&def.kind, name);
                self.stack.pop();
                value
            }
            TypeRef::Array(item) => {
                let count = self.count();
                Value::Array((0..count).map(|_| self.sample(item, name)).collect())
            }
            TypeRef::Map { key, value } => {
                let count = if self.limited() { 0 } else { self.count() };
                let mut map = Map::new();
                for i in 1..=count {
                    let key = self.map_key(key, i);
                    let v = self.sample(value, name);
                    map.insert(key, v);
                }
                Value::Object(map)
            }
            TypeRef::Tuple(items) => {
                Value::Array(items.iter().map(|item| self.sample(item, name)).collect())
            }
            TypeRef::Nullable(inner) => {
                if self.limited() || self.rng.one_in(self.options.null_one_in) {
                    Value::Null
                } else {
                    self.sample(inner, name)
                }
            }
            TypeRef::Literal(Literal::String(text)) => Value::String(text.clone()),
            TypeRef::Literal(Literal::Bool(flag)) => Value::Bool(*flag),
            TypeRef::Null => Value::Null,
            TypeRef::Any => match self.rng.below(4) {
                0 => Value::String("sample-text".into()),
                1 => Value::from(self.rng.between(1, 10)),
                2 => Value::Bool(self.rng.one_in(2)),
                _ => Value::Object(Map::new()),
            },
        }
    }

    /// Array or map length.
    fn count(&mut self) -> usize {
        let SampleOptions {
            min_items,
            max_items,
            ..
        } = self.options;
        if self.limited() {
            return min_items;
        }
        self.rng
            .between(min_items as u64, max_items.max(min_items) as u64) as usize
    }

    fn kind(&mut self, kind: &TypeKind, name: &str) -> Value {
        match kind {
            TypeKind::Struct(def) => {
                let mut object = Map::new();
                for field in &def.fields {
                    let leave_out = !field.required
                        && (self.limited() || self.rng.one_in(self.options.absent_one_in));
                    if !leave_out {
                        let value = self.sample(&field.ty, &field.name);
                        object.insert(field.name.clone(), value);
                    }
                }
                if let Some(extra) = &def.additional {
                    if !self.limited() && self.rng.one_in(4) {
                        let value = self.sample(extra, "extra");
                        object.insert("x_sample_extra".into(), value);
                    }
                }
                Value::Object(object)
            }
            TypeKind::Enum(def) => match def.values.len() {
                0 => Value::String("sample-text".into()),
                n => {
                    let index = self.rng.below(n);
                    Value::String(def.values[index].value.clone())
                }
            },
            TypeKind::Union(def) => {
                if def.variants.is_empty() {
                    return Value::Null;
                }
                // Past the depth limit, take a branch that does not recurse (a filter
                // clause rather than another nested filter), so the value ends.
                let mut choices: Vec<_> = def.variants.iter().collect();
                if self.limited() && choices.iter().any(|v| !self.recurses(&v.ty)) {
                    choices.retain(|v| !self.recurses(&v.ty));
                }
                let variant = choices[self.rng.below(choices.len())];
                let mut value = self.sample(&variant.ty, name);
                // The tag is normally a literal field of the branch struct; make sure it
                // names this branch even when the struct's tag field is wider.
                if let (Some(tag), Value::Object(object)) = (&def.discriminator, &mut value) {
                    let current = object.get(tag).and_then(Value::as_str);
                    if !variant.tags.is_empty()
                        && !current.is_some_and(|t| variant.tags.iter().any(|v| v == t))
                    {
                        let choice = variant.tags[self.rng.below(variant.tags.len())].clone();
                        object.insert(tag.clone(), Value::String(choice));
                    }
                }
                value
            }
            TypeKind::Alias(ty) => self.sample(ty, name),
        }
    }

    /// The key of entry `i` (from 1) of a map keyed by `key`: `key_1`, … for plain
    /// string keys, else a value of the key type (a UUID, an enum value).
    fn map_key(&mut self, key: &TypeRef, i: usize) -> String {
        match key {
            TypeRef::Primitive(Primitive::String) => format!("key_{i}"),
            key => match self.sample(key, "") {
                Value::String(text) => text,
                // Normalize only keys maps by string types; stay a valid key regardless.
                _ => format!("key_{i}"),
            },
        }
    }

    fn primitive(&mut self, primitive: Primitive, name: &str) -> Value {
        let rng = &mut self.rng;
        match primitive {
            Primitive::String => Value::String(string_for(name, rng)),
            Primitive::Integer => Value::from(rng.between(1, 10)),
            Primitive::Number => {
                let tenths = rng.between(10, 100) as f64 / 10.0;
                Number::from_f64(tenths).map_or(Value::Null, Value::Number)
            }
            Primitive::Boolean => Value::Bool(rng.one_in(2)),
            Primitive::DateTime => Value::String(format!(
                "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                rng.between(2020, 2030),
                rng.between(1, 12),
                rng.between(1, 28),
                rng.between(0, 23),
                rng.between(0, 59),
                rng.between(0, 59)
            )),
            Primitive::Date => Value::String(format!(
                "{}-{:02}-{:02}",
                rng.between(2020, 2030),
                rng.between(1, 12),
                rng.between(1, 28)
            )),
            Primitive::Uuid => Value::String(uuid_v4(rng)),
        }
    }
}

/// A string that fits a field called `name` (its wire name, any case).
fn string_for(name: &str, rng: &mut SplitMix64) -> String {
    let name = name.to_ascii_lowercase();
    let n = rng.between(1, 99);
    let has = |part: &str| name.contains(part);
    let ends = |part: &str| name.ends_with(part);
    if has("email") {
        format!("user{n}@example.com")
    } else if ends("url") || ends("uri") || ends("uris") || ends("urls") || has("website") {
        format!("https://example.com/sample/{n}")
    } else if ends("issuer") {
        "https://issuer.example.com".into()
    } else if has("ip_address") {
        format!("192.0.2.{n}")
    } else if has("currency") {
        "usd".into()
    } else if has("mime_type") {
        "image/png".into()
    } else if has("color") {
        "#336699".into()
    } else if has("slug") {
        format!("sample-slug-{n}")
    } else if has("locale") {
        "en".into()
    } else if has("country") {
        "US".into()
    } else if ends("amount") || has("share") {
        format!("{n}.5")
    } else if name == "expires_in" || ends("duration") {
        // ISO 8601 duration (`format: duration`).
        "P30D".into()
    } else if has("reason") {
        // Long enough for the `minLength: 50` of explanation fields.
        format!("Sample text {n}, long enough for fields that ask for a real explanation.")
    } else {
        format!("sample-text-{n}")
    }
}

/// A random version 4 UUID in its hyphenated form.
fn uuid_v4(rng: &mut SplitMix64) -> String {
    let high = rng.next_u64();
    let low = rng.next_u64();
    let high = (high & !0xF000) | 0x4000; // version 4
    let low = (low & !(0b11 << 62)) | (0b10 << 62); // RFC 4122 variant
    let hex = format!("{high:016x}{low:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Checks that `value` has the shape of `ty`: the JSON types, required fields, literals
/// and union branches (formats and enum values are not checked, since the client accepts
/// unknown enum values). Says where the first mismatch is. Used to tell a response that
/// breaks the spec (a mock's fault) from one the client fails to decode (the client's).
pub fn check(api: &Api, ty: &TypeRef, value: &Value) -> Result<(), String> {
    check_at(api, ty, value, &mut String::from("$"))
}

fn check_at(api: &Api, ty: &TypeRef, value: &Value, path: &mut String) -> Result<(), String> {
    let ok = match ty {
        TypeRef::Primitive(Primitive::Integer) => value.is_i64() || value.is_u64(),
        TypeRef::Primitive(Primitive::Number) => value.is_number(),
        TypeRef::Primitive(Primitive::Boolean) => value.is_boolean(),
        TypeRef::Primitive(_) => value.is_string(),
        TypeRef::Literal(Literal::String(text)) => value.as_str() == Some(text),
        TypeRef::Literal(Literal::Bool(flag)) => value.as_bool() == Some(*flag),
        TypeRef::Null => value.is_null(),
        TypeRef::Any => true,
        TypeRef::Nullable(inner) => value.is_null() || check_at(api, inner, value, path).is_ok(),
        TypeRef::Array(item) => match value.as_array() {
            Some(items) => {
                return each(items.iter().enumerate(), path, |v, p| {
                    check_at(api, item, v, p)
                })
            }
            None => false,
        },
        TypeRef::Map { value: item, .. } => match value.as_object() {
            Some(map) => return each(map.iter(), path, |v, p| check_at(api, item, v, p)),
            None => false,
        },
        TypeRef::Tuple(items) => match value.as_array() {
            Some(values) if values.len() == items.len() => {
                for (i, (item, v)) in items.iter().zip(values).enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    check_at(api, item, v, path)?;
                    path.truncate(len);
                }
                return Ok(());
            }
            _ => false,
        },
        TypeRef::Named(id) => match api.types.get(id).map(|def| &def.kind) {
            None => true,
            Some(TypeKind::Alias(inner)) => return check_at(api, inner, value, path),
            Some(TypeKind::Enum(_)) => value.is_string(),
            Some(TypeKind::Struct(def)) => {
                let Some(object) = value.as_object() else {
                    return Err(format!("{path}: expected an object"));
                };
                for field in &def.fields {
                    match object.get(&field.name) {
                        None if field.required => {
                            return Err(format!("{path}: missing required `{}`", field.name))
                        }
                        None => {}
                        Some(v) => {
                            let len = path.len();
                            path.push('.');
                            path.push_str(&field.name);
                            check_at(api, &field.ty, v, path)?;
                            path.truncate(len);
                        }
                    }
                }
                true
            }
            Some(TypeKind::Union(def)) => {
                let tag = def
                    .discriminator
                    .as_ref()
                    .and_then(|tag| value.get(tag))
                    .and_then(Value::as_str);
                let candidates: Vec<_> = match tag {
                    Some(tag) => def
                        .variants
                        .iter()
                        .filter(|v| v.tags.iter().any(|t| t == tag))
                        .collect(),
                    None => def.variants.iter().collect(),
                };
                // An unknown tag decodes into the union's `Unknown` variant.
                if tag.is_some() && candidates.is_empty() {
                    return Ok(());
                }
                let mut errors = Vec::new();
                for variant in candidates {
                    match check_at(api, &variant.ty, value, &mut path.clone()) {
                        Ok(()) => return Ok(()),
                        Err(err) => errors.push(err),
                    }
                }
                return Err(format!(
                    "{path}: no branch of {id} matches ({})",
                    errors.join("; ")
                ));
            }
        },
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{path}: expected {ty:?}, found {value}"))
    }
}

/// Checks every element, naming it in `path` (`[i]` or `.key`).
fn each<K: std::fmt::Display>(
    items: impl Iterator<Item = (K, impl std::borrow::Borrow<Value>)>,
    path: &mut String,
    mut check: impl FnMut(&Value, &mut String) -> Result<(), String>,
) -> Result<(), String> {
    for (key, value) in items {
        let len = path.len();
        let key = key.to_string();
        if key.bytes().all(|b| b.is_ascii_digit()) {
            path.push_str(&format!("[{key}]"));
        } else {
            path.push_str(&format!(".{key}"));
        }
        check(value.borrow(), path)?;
        path.truncate(len);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;
    use serde_json::json;
    use std::collections::BTreeSet;

    /// An API whose one operation returns `Root` from `schemas`.
    fn api(schemas: Value) -> Api {
        normalize(&json!({
            "openapi": "3.1.0",
            "info": {"title": "Test", "version": "2026-01"},
            "paths": {"/things": {"get": {
                "operationId": "things:get", "x-speakeasy-group": "things",
                "responses": {"200": {"description": "ok", "content": {"application/json":
                    {"schema": {"$ref": "#/components/schemas/Root"}}}}}
            }}},
            "components": {"schemas": schemas}
        }))
        .unwrap()
    }

    fn root() -> TypeRef {
        TypeRef::Named(crate::ir::TypeId("Root".into()))
    }

    fn samples(api: &Api, seeds: std::ops::Range<u64>) -> Vec<Value> {
        seeds
            .map(|seed| Sampler::new(api, seed).value(&root()))
            .collect()
    }

    #[test]
    fn same_seed_same_value_and_seeds_differ() {
        let api = api(
            json!({"Root": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "format": "uuid4"},
                "n": {"type": "integer"}
            }}}),
        );
        let a = Sampler::new(&api, 7).value(&root());
        assert_eq!(a, Sampler::new(&api, 7).value(&root()));
        assert_ne!(a, Sampler::new(&api, 8).value(&root()));
    }

    #[test]
    fn formats_are_valid() {
        let api = api(json!({"Root": {"type": "object",
            "required": ["id", "at", "day", "email", "return_url", "n", "x"],
            "properties": {
                "id": {"type": "string", "format": "uuid4"},
                "at": {"type": "string", "format": "date-time"},
                "day": {"type": "string", "format": "date"},
                "email": {"type": "string", "format": "email"},
                "return_url": {"type": "string", "format": "uri"},
                "n": {"type": "integer"},
                "x": {"type": "number"}
        }}}));
        for value in samples(&api, 0..50) {
            let id = value["id"].as_str().unwrap();
            let uuid: Vec<&str> = id.split('-').collect();
            assert_eq!(
                uuid.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(uuid[2].starts_with('4'), "{id}");
            assert!("89ab".contains(&uuid[3][..1]), "{id}");
            let at = value["at"].as_str().unwrap();
            assert_eq!(at.len(), 20, "{at}");
            assert!(at.ends_with('Z') && at.as_bytes()[10] == b'T', "{at}");
            let day = value["day"].as_str().unwrap();
            assert!(day.len() == 10 && day.as_bytes()[4] == b'-', "{day}");
            assert!(value["email"].as_str().unwrap().ends_with("@example.com"));
            assert!(value["return_url"]
                .as_str()
                .unwrap()
                .starts_with("https://"));
            assert!(value["n"].as_u64().unwrap() >= 1);
            assert!(value["x"].as_f64().unwrap() > 0.0);
        }
    }

    #[test]
    fn nullable_and_optional_vary_but_required_stays() {
        let api = api(
            json!({"Root": {"type": "object", "required": ["name"], "properties": {
                "name": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "note": {"type": "string"},
                "kind": {"type": "string", "enum": ["a", "b", "c"]},
                "on": {"type": "boolean", "const": true}
            }}}),
        );
        let values = samples(&api, 0..60);
        assert!(values.iter().all(|v| v.get("name").is_some()));
        assert!(values.iter().any(|v| v["name"].is_null()));
        assert!(values.iter().any(|v| v["name"].is_string()));
        assert!(values.iter().any(|v| v.get("note").is_none()));
        assert!(values.iter().any(|v| v.get("note").is_some()));
        let kinds: BTreeSet<&str> = values.iter().filter_map(|v| v["kind"].as_str()).collect();
        assert_eq!(kinds, BTreeSet::from(["a", "b", "c"]));
        assert!(values
            .iter()
            .all(|v| v.get("on").is_none() || v["on"] == json!(true)));
    }

    #[test]
    fn every_union_branch_with_its_tag() {
        let api = api(json!({
            "Root": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
                "discriminator": {"propertyName": "type", "mapping": {"a": "#/components/schemas/A", "b": "#/components/schemas/B"}}},
            "A": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "const": "a"}}},
            "B": {"type": "object", "required": ["type", "x"], "properties": {"type": {"type": "string", "const": "b"}, "x": {"type": "integer"}}}
        }));
        let values = samples(&api, 0..20);
        let tags: BTreeSet<&str> = values.iter().filter_map(|v| v["type"].as_str()).collect();
        assert_eq!(tags, BTreeSet::from(["a", "b"]));
        for value in &values {
            assert_eq!(value["type"] == "b", value.get("x").is_some(), "{value}");
        }
    }

    #[test]
    fn maps_tuples_arrays_and_untagged_unions() {
        let api = api(json!({"Root": {"type": "object",
            "required": ["metadata", "tax_id", "tags", "value"],
            "properties": {
                "metadata": {"type": "object", "additionalProperties": {"type": "integer"}},
                "tax_id": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "string", "enum": ["eu_vat"]}]},
                "tags": {"type": "array", "items": {"type": "string"}},
                "value": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]}
        }}}));
        let values = samples(&api, 0..60);
        let mut lengths = BTreeSet::new();
        let mut kinds = BTreeSet::new();
        for value in &values {
            assert!(value["metadata"]
                .as_object()
                .unwrap()
                .values()
                .all(Value::is_u64));
            assert_eq!(value["tax_id"][1], "eu_vat");
            assert!(value["tax_id"][0].is_string());
            lengths.insert(value["tags"].as_array().unwrap().len());
            kinds.insert(match &value["value"] {
                Value::String(_) => "string",
                Value::Number(_) => "number",
                Value::Bool(_) => "bool",
                other => panic!("{other}"),
            });
        }
        assert_eq!(lengths, BTreeSet::from([0, 1, 2]));
        assert_eq!(kinds.len(), 3);
    }

    #[test]
    fn map_keys_come_from_the_key_type() {
        let api = api(json!({
            "Currency": {"type": "string", "enum": ["usd", "eur", "gbp"]},
            "Root": {"type": "object", "required": ["amounts", "prices", "metadata"], "properties": {
                "amounts": {"type": "object", "propertyNames": {"$ref": "#/components/schemas/Currency"},
                    "additionalProperties": {"type": "integer"}},
                "prices": {"type": "object", "propertyNames": {"format": "uuid4"},
                    "additionalProperties": {"type": "integer"}},
                "metadata": {"type": "object", "additionalProperties": {"type": "integer"}}
            }}
        }));
        let mut currencies = BTreeSet::new();
        for value in samples(&api, 0..40) {
            for key in value["amounts"].as_object().unwrap().keys() {
                assert!(["usd", "eur", "gbp"].contains(&key.as_str()), "{key}");
                currencies.insert(key.clone());
            }
            for key in value["prices"].as_object().unwrap().keys() {
                assert_eq!(key.len(), 36, "{key}");
                assert_eq!(key.as_bytes()[14], b'4', "{key}");
            }
            for key in value["metadata"].as_object().unwrap().keys() {
                assert!(key.starts_with("key_"), "{key}");
            }
        }
        assert_eq!(currencies.len(), 3);
    }

    #[test]
    fn min_items_option_is_respected() {
        let api = api(
            json!({"Root": {"type": "object", "required": ["tags"], "properties": {
                "tags": {"type": "array", "items": {"type": "string"}}
            }}}),
        );
        let options = SampleOptions {
            min_items: 1,
            ..SampleOptions::default()
        };
        for seed in 0..30 {
            let value = Sampler::with_options(&api, seed, options.clone()).value(&root());
            assert!(!value["tags"].as_array().unwrap().is_empty());
        }
    }

    #[test]
    fn recursion_ends() {
        let api = api(
            json!({"Root": {"type": "object", "required": ["clauses"], "properties": {
                "conjunction": {"type": "string", "enum": ["and", "or"]},
                "clauses": {"type": "array", "items": {"anyOf": [
                    {"$ref": "#/components/schemas/Root"},
                    {"type": "object", "required": ["value"], "properties": {"value": {"type": "string"}}}
                ]}},
                "parent": {"anyOf": [{"$ref": "#/components/schemas/Root"}, {"type": "null"}]}
            }}}),
        );
        fn depth(value: &Value) -> usize {
            match value {
                Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
                Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
                _ => 0,
            }
        }
        for value in samples(&api, 0..40) {
            assert!(depth(&value) < 40, "{value}");
        }
        // Even when every array needs an item, a non-recursive branch ends the value
        // before the hard limit (which would put `null` into `clauses`).
        let options = SampleOptions {
            min_items: 1,
            ..SampleOptions::default()
        };
        for seed in 0..40 {
            let value = Sampler::with_options(&api, seed, options.clone()).value(&root());
            assert!(depth(&value) < 40, "{value}");
            assert!(!value.to_string().contains("[null"), "{value}");
        }
    }

    #[test]
    fn samples_pass_the_check_and_broken_values_fail_it() {
        let api = api(
            json!({"Root": {"type": "object", "required": ["clauses"], "properties": {
                "conjunction": {"type": "string", "enum": ["and", "or"]},
                "clauses": {"type": "array", "items": {"anyOf": [
                    {"$ref": "#/components/schemas/Root"},
                    {"$ref": "#/components/schemas/Clause"}
                ]}},
                "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
                "note": {"anyOf": [{"type": "string"}, {"type": "null"}]}
            }}, "Clause": {"type": "object", "required": ["property", "value"], "properties": {
                "property": {"type": "string"}, "value": {"type": "integer"}
            }}}),
        );
        for value in samples(&api, 0..30) {
            check(&api, &root(), &value).unwrap();
        }
        let err = check(
            &api,
            &root(),
            &json!({"clauses": [{"property": "p", "value": 1}, {"conjunction": "or"}]}),
        )
        .unwrap_err();
        assert!(err.contains("$.clauses[1]"), "{err}");
        assert!(check(&api, &root(), &json!({"clauses": [], "pair": ["a", "b"]})).is_err());
        assert!(check(&api, &root(), &json!({"clauses": [], "note": 3})).is_err());
        assert!(check(
            &api,
            &root(),
            &json!({"clauses": [], "note": null, "extra": 1})
        )
        .is_ok());
    }

    #[test]
    fn strings_follow_field_names() {
        let mut rng = SplitMix64::new(1);
        assert!(string_for("customer_email", &mut rng).contains('@'));
        assert!(string_for("success_url", &mut rng).starts_with("https://"));
        assert!(string_for("redirect_uris", &mut rng).starts_with("https://"));
        assert_eq!(string_for("currency", &mut rng), "usd");
        assert!(string_for("reason", &mut rng).len() >= 50);
        assert_eq!(string_for("expires_in", &mut rng), "P30D");
        assert!(string_for("name", &mut rng).starts_with("sample-text"));
    }
}
