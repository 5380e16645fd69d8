//! `allOf` with several schemas → one schema object: the parts (following `$ref`s and
//! nested `allOf`) merged keyword by keyword, so the result is read like any other
//! schema. `properties` merge (a later part's property wins), `required` lists join,
//! conflicting `type`s are an error, other keywords take the later part's value and
//! the schema's own keywords (beside `allOf`) come last.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::reference;
use crate::error::SpecError;

/// How many `allOf` levels (through `$ref`s) are followed before giving up.
const MAX_DEPTH: usize = 32;

/// The merged schema for `obj`, which has an `allOf` array.
pub fn merge(
    spec: &Value,
    obj: &Map<String, Value>,
    pointer: &str,
) -> Result<Map<String, Value>, SpecError> {
    let mut merged = Map::new();
    let mut visiting = BTreeSet::new();
    collect(spec, obj, pointer, &mut merged, &mut visiting, 0)?;
    if merged.contains_key("properties")
        && ["anyOf", "oneOf"].iter().any(|k| merged.contains_key(*k))
    {
        return Err(SpecError::new(
            pointer,
            "unsupported: `allOf` combining a union (`anyOf`/`oneOf`) with object properties",
        ));
    }
    Ok(merged)
}

fn collect(
    spec: &Value,
    obj: &Map<String, Value>,
    pointer: &str,
    merged: &mut Map<String, Value>,
    visiting: &mut BTreeSet<String>,
    depth: usize,
) -> Result<(), SpecError> {
    if depth > MAX_DEPTH {
        return Err(SpecError::new(
            pointer,
            format!("`allOf` nested more than {MAX_DEPTH} levels deep"),
        ));
    }
    if let Some(parts) = obj.get("allOf") {
        let parts = parts
            .as_array()
            .ok_or_else(|| SpecError::new(pointer, "`allOf` must be an array"))?;
        for (i, part) in parts.iter().enumerate() {
            let part_pointer = format!("{pointer}/allOf/{i}");
            let (part, at, target) = match part.get("$ref") {
                Some(reference) => {
                    let reference = reference
                        .as_str()
                        .ok_or_else(|| SpecError::new(&part_pointer, "`$ref` must be a string"))?;
                    let (target, node) = reference::resolve(spec, reference)
                        .map_err(|m| SpecError::new(format!("{part_pointer}/$ref"), m))?;
                    if !visiting.insert(target.pointer.clone()) {
                        return Err(SpecError::new(
                            format!("{part_pointer}/$ref"),
                            format!("`allOf` includes itself through `$ref` `{reference}`"),
                        ));
                    }
                    (node, target.pointer.clone(), Some(target.pointer))
                }
                None => (part, part_pointer, None),
            };
            match part {
                Value::Object(part) => collect(spec, part, &at, merged, visiting, depth + 1)?,
                Value::Bool(true) => {}
                _ => return Err(SpecError::new(&at, "expected a schema object")),
            }
            if let Some(target) = target {
                visiting.remove(&target);
            }
        }
    }
    add(merged, obj, pointer)
}

fn add(
    merged: &mut Map<String, Value>,
    part: &Map<String, Value>,
    pointer: &str,
) -> Result<(), SpecError> {
    for (key, value) in part {
        match key.as_str() {
            "allOf" | "$ref" => {}
            "properties" => {
                let Value::Object(props) = value else {
                    return Err(SpecError::new(pointer, "`properties` must be an object"));
                };
                let entry = merged
                    .entry("properties")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(existing) = entry {
                    for (name, schema) in props {
                        existing.insert(name.clone(), schema.clone());
                    }
                }
            }
            "required" => {
                let entry = merged
                    .entry("required")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let (Value::Array(existing), Value::Array(new)) = (entry, value) {
                    for name in new {
                        if !existing.contains(name) {
                            existing.push(name.clone());
                        }
                    }
                }
            }
            "type" => {
                if let Some(existing) = merged.get("type") {
                    if existing != value {
                        return Err(SpecError::new(
                            format!("{pointer}/type"),
                            format!("`allOf` parts have conflicting types {existing} and {value}"),
                        ));
                    }
                }
                merged.insert(key.clone(), value.clone());
            }
            _ => {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(())
}
