//! Self-contained schemas from the catalog's shared definitions: a schema's JSON text
//! refers to named types as `#/$defs/<id>`; bundling copies exactly the definitions it
//! reaches (transitively) under its own `$defs`.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::generated::catalog_data::DEFS;

/// Parse generated JSON text (valid by construction; `Null` if it ever were not).
pub(super) fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// The schema in `text` with every definition it reaches under `$defs`.
pub(super) fn bundle(text: &str) -> Value {
    let mut root = parse(text);
    let mut defs = BTreeMap::new();
    let mut pending = Vec::new();
    collect_refs(&root, &mut pending);
    while let Some(id) = pending.pop() {
        if defs.contains_key(&id) {
            continue;
        }
        let Ok(index) = DEFS.binary_search_by(|(key, _)| (*key).cmp(id.as_str())) else {
            continue;
        };
        let def = parse(DEFS[index].1);
        collect_refs(&def, &mut pending);
        defs.insert(id, def);
    }
    if let (Value::Object(map), false) = (&mut root, defs.is_empty()) {
        map.insert("$defs".into(), Value::Object(defs.into_iter().collect()));
    }
    root
}

/// The type ids of every `#/$defs/<id>` reference in `value`.
fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                if let Some(token) = reference.strip_prefix("#/$defs/") {
                    out.push(token.replace("~1", "/").replace("~0", "~"));
                }
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_reach_every_referenced_definition() {
        for action in crate::catalog::actions() {
            let schema = action.input_schema();
            let mut refs = Vec::new();
            collect_refs(&schema, &mut refs);
            for id in refs {
                assert!(
                    schema["$defs"].get(&id).is_some(),
                    "{}: `{id}` is referenced but not bundled",
                    action.id
                );
            }
        }
    }
}
