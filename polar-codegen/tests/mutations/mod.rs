//! Seeded spec pruning and mutation for the `spec_mutations` test.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

/// SplitMix64: small, seedable, good enough to pick nodes (no dependency needed).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The spec reduced to a few seeded operations and webhooks plus every schema they
/// (and the project overlays) reach; everything else at the root is kept.
pub fn prune(spec: &Value, rng: &mut Rng) -> Value {
    // Copy everything but the three big maps, which are filled from the sample below.
    let mut out = match spec {
        Value::Object(root) => Value::Object(
            root.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "paths" | "webhooks" | "components"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => return other.clone(),
    };
    if let Some(Value::Object(components)) = spec.get("components") {
        out["components"] = Value::Object(
            components
                .iter()
                .filter(|(k, _)| *k != "schemas")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
    }
    let mut roots = Vec::new();
    if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
        let keys: Vec<&String> = paths.keys().collect();
        let mut kept = Map::new();
        for _ in 0..2 {
            let key = rng.pick(&keys);
            kept.insert((*key).clone(), paths[*key].clone());
        }
        roots.push(Value::Object(kept.clone()));
        out["paths"] = Value::Object(kept);
    }
    if let Some(hooks) = spec.get("webhooks").and_then(Value::as_object) {
        let keys: Vec<&String> = hooks.keys().collect();
        let mut kept = Map::new();
        if !keys.is_empty() {
            let key = rng.pick(&keys);
            kept.insert((*key).clone(), hooks[*key].clone());
        }
        roots.push(Value::Object(kept.clone()));
        out["webhooks"] = Value::Object(kept);
    }
    if let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        // The restore overlay's operations use the first two (it carries the rest); the
        // PKCE overlay (020) updates the third, which a pruned spec must still have.
        let mut queue: Vec<String> = vec![
            "HTTPValidationError".into(),
            "ResourceNotFound".into(),
            "AuthorizationCodeTokenRequest".into(),
        ];
        roots.iter().for_each(|root| refs_in(root, &mut queue));
        let mut wanted = BTreeSet::new();
        while let Some(name) = queue.pop() {
            if wanted.insert(name.clone()) {
                if let Some(schema) = schemas.get(&name) {
                    refs_in(schema, &mut queue);
                }
            }
        }
        let kept: Map<String, Value> = schemas
            .iter()
            .filter(|(name, _)| wanted.contains(*name))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        out["components"]["schemas"] = Value::Object(kept);
    }
    out
}

fn refs_in(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                if let Some(name) = r.strip_prefix(SCHEMA_PREFIX) {
                    out.push(name.to_owned());
                }
            }
            map.values().for_each(|v| refs_in(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs_in(v, out)),
        _ => {}
    }
}

/// One applied mutation, for the failure report.
#[derive(Debug, Clone)]
#[allow(dead_code)] // read through `Debug` in failure reports
pub struct Applied {
    pub kind: &'static str,
    pub pointer: String,
}

pub struct Mutator<'a> {
    rng: &'a mut Rng,
}

impl<'a> Mutator<'a> {
    pub fn new(rng: &'a mut Rng) -> Self {
        Mutator { rng }
    }

    /// Applies one to three mutations and says which, where.
    pub fn mutate(&mut self, doc: &mut Value) -> Vec<Applied> {
        let count = 1 + self.rng.below(3);
        (0..count).filter_map(|_| self.one(doc)).collect()
    }

    fn one(&mut self, doc: &mut Value) -> Option<Applied> {
        let mut pointers = Vec::new();
        collect_pointers(doc, &mut String::new(), &mut pointers);
        let kinds = [
            "delete",
            "change-type",
            "break-ref",
            "swap-object-array",
            "inject-cycle",
            "huge-string",
            "deep-nesting",
            "replace-scalar",
            "wrap-composition",
        ];
        let kind = *self.rng.pick(&kinds);
        let pointer = match kind {
            // Prefer nodes where the mutation means something.
            "change-type" => self.pick_where(doc, &pointers, |v| v.get("type").is_some()),
            "break-ref" | "inject-cycle" => self.pick_where(doc, &pointers, |v| {
                v.get("$ref").is_some() || v.get("type").is_some()
            }),
            _ => pointers.get(self.rng.below(pointers.len().max(1))).cloned(),
        }?;
        let applied = Applied {
            kind,
            pointer: pointer.clone(),
        };
        match kind {
            "delete" => delete(doc, &pointer),
            "change-type" => {
                let types = [
                    json!("string"),
                    json!("integer"),
                    json!("object"),
                    json!("array"),
                    json!("null"),
                    json!("boolean"),
                    json!("bogus"),
                    json!(["string", "integer", "null"]),
                    json!(["object", "array"]),
                    json!([]),
                    json!(7),
                ];
                let ty = self.rng.pick(&types).clone();
                set_key(doc, &pointer, "type", ty);
            }
            "break-ref" => {
                let refs = [
                    json!("#/components/schemas/DoesNotExist"),
                    json!("other.json#/components/schemas/A"),
                    json!("#/info"),
                    json!("#/paths"),
                    json!("#"),
                    json!("#/a~2b"),
                    json!("#/components/schemas/%ZZ"),
                    json!(""),
                    json!(42),
                    json!({"$ref": "#"}),
                ];
                let r = self.rng.pick(&refs).clone();
                set_key(doc, &pointer, "$ref", r);
            }
            "swap-object-array" => {
                let node = doc.pointer_mut(&pointer)?;
                *node = match node.take() {
                    Value::Object(map) => Value::Array(map.into_iter().map(|(_, v)| v).collect()),
                    Value::Array(items) => Value::Object(
                        items
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| (i.to_string(), v))
                            .collect(),
                    ),
                    other => Value::Array(vec![other]),
                };
            }
            "inject-cycle" => {
                // Point the node (or a new property of it) at one of its ancestors.
                let segments: Vec<&str> = pointer.split('/').collect();
                let cut = 1 + self.rng.below(segments.len().max(2) - 1);
                let ancestor = format!("#{}", segments[..cut.min(segments.len())].join("/"));
                match self.rng.below(3) {
                    0 => set_key(doc, &pointer, "$ref", json!(ancestor)),
                    1 => set_key(doc, &pointer, "items", json!({"$ref": ancestor})),
                    _ => set_key(
                        doc,
                        &pointer,
                        "allOf",
                        json!([{"$ref": ancestor}, {"type": "object"}]),
                    ),
                }
            }
            "huge-string" => {
                let unit = *self
                    .rng
                    .pick(&["a", "é", "/", "~", "-", "9", " ", "{", "Ω"]);
                let huge = unit.repeat(50_000 + self.rng.below(100_000));
                let node = doc.pointer_mut(&pointer)?;
                match node {
                    Value::Object(map) => {
                        // A huge key: a property, path or schema name.
                        map.insert(huge, json!({"type": "string"}));
                    }
                    other => *other = Value::String(huge),
                }
            }
            "deep-nesting" => {
                // About half stay under the JSON parser's depth limit and reach the generator.
                let levels = 10 + self.rng.below(150);
                let node = doc.pointer_mut(&pointer)?;
                let mut inner = node.take();
                for i in 0..levels {
                    inner = match i % 3 {
                        0 => json!({"type": "array", "items": inner}),
                        1 => json!({"anyOf": [inner, {"type": "null"}]}),
                        _ => json!({"type": "object", "properties": {"x": inner}}),
                    };
                }
                *node = inner;
            }
            "replace-scalar" => {
                let values = [
                    json!(null),
                    json!(true),
                    json!(-1),
                    json!(1.5e300),
                    json!(""),
                    json!("x"),
                ];
                let value = self.rng.pick(&values).clone();
                *doc.pointer_mut(&pointer)? = value;
            }
            _ => {
                let node = doc.pointer_mut(&pointer)?;
                let inner = node.take();
                let keyword = *self.rng.pick(&["allOf", "anyOf", "oneOf"]);
                *node = json!({keyword: [inner, {"type": "object", "properties": {"extra": {"type": "integer"}}}]});
            }
        }
        Some(applied)
    }

    fn pick_where(
        &mut self,
        doc: &Value,
        pointers: &[String],
        wanted: impl Fn(&Value) -> bool,
    ) -> Option<String> {
        let matching: Vec<&String> = pointers
            .iter()
            .filter(|p| doc.pointer(p).is_some_and(&wanted))
            .collect();
        if matching.is_empty() {
            return pointers.first().cloned();
        }
        Some((*self.rng.pick(&matching)).clone())
    }
}

fn collect_pointers(node: &Value, at: &mut String, out: &mut Vec<String>) {
    out.push(at.clone());
    let mut child = |key: &str, value: &Value, at: &mut String| {
        let len = at.len();
        at.push('/');
        at.push_str(&key.replace('~', "~0").replace('/', "~1"));
        collect_pointers(value, at, out);
        at.truncate(len);
    };
    match node {
        Value::Object(map) => map.iter().for_each(|(k, v)| child(k, v, at)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| child(&i.to_string(), v, at)),
        _ => {}
    }
}

fn delete(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

fn set_key(doc: &mut Value, pointer: &str, key: &str, value: Value) {
    match doc.pointer_mut(pointer) {
        Some(Value::Object(map)) => {
            map.insert(key.to_owned(), value);
        }
        Some(other) => *other = json!({ key: value }),
        None => {}
    }
}
