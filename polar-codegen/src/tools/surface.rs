//! The API surface as plain text, one line per operation, webhook event and model,
//! for `insta` snapshots: a spec update shows up as a readable diff.

use std::fmt::Write as _;

use crate::ir::{Api, Literal, Primitive, ResponseBody, TypeKind, TypeRef};

/// A readable type expression for a reference.
pub fn type_label(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive(p) => match p {
            Primitive::String => "string",
            Primitive::Integer => "integer",
            Primitive::Number => "number",
            Primitive::Boolean => "boolean",
            Primitive::DateTime => "date-time",
            Primitive::Date => "date",
            Primitive::Uuid => "uuid",
        }
        .to_owned(),
        TypeRef::Named(id) => api
            .types
            .get(id)
            .map(|d| d.name.rust.clone())
            .unwrap_or_else(|| format!("?{id}")),
        TypeRef::Array(inner) => format!("[{}]", type_label(api, inner)),
        TypeRef::Map { key, value } => {
            format!("{{{}: {}}}", type_label(api, key), type_label(api, value))
        }
        TypeRef::Tuple(items) => format!(
            "({})",
            items
                .iter()
                .map(|i| type_label(api, i))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TypeRef::Nullable(inner) => format!("{}?", type_label(api, inner)),
        TypeRef::Literal(Literal::String(s)) => format!("{s:?}"),
        TypeRef::Literal(Literal::Bool(b)) => b.to_string(),
        TypeRef::Null => "null".to_owned(),
        TypeRef::Any => "any".to_owned(),
    }
}

pub fn operations(api: &Api) -> String {
    let mut out = String::new();
    for op in &api.operations {
        let ret = match &op.success.body {
            ResponseBody::Json(ty) => type_label(api, ty),
            ResponseBody::Text { content_type } => format!("text({content_type})"),
            ResponseBody::Bytes { content_type } => format!("bytes({content_type})"),
            ResponseBody::Empty => "()".to_owned(),
        };
        let flags: String = [
            op.pagination.as_ref().map(|_| " paginated"),
            op.docs.deprecated.then_some(" deprecated"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let _ = writeln!(
            out,
            "{} {} {} -> {} {}{}",
            op.qualified_name(),
            op.http_method.as_str(),
            op.path,
            op.success.status,
            ret,
            flags
        );
    }
    out
}

pub fn webhooks(api: &Api) -> String {
    let mut out = String::new();
    for hook in &api.webhooks {
        let payload = api
            .types
            .get(&hook.payload)
            .map(|d| d.name.rust.as_str())
            .unwrap_or("?");
        let _ = writeln!(out, "{} -> {}", hook.event, payload);
    }
    out
}

pub fn models(api: &Api) -> String {
    let mut defs: Vec<_> = api.types.values().collect();
    defs.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
    let mut out = String::new();
    for def in defs {
        let _ = write!(out, "{} {}", def.name.rust, def.kind.label());
        match &def.kind {
            TypeKind::Struct(s) => {
                let fields: Vec<String> = s
                    .fields
                    .iter()
                    .map(|f| {
                        format!(
                            "{}{}: {}",
                            f.name.wire,
                            if f.required { "" } else { "?" },
                            type_label(api, &f.ty)
                        )
                    })
                    .collect();
                let _ = write!(out, " {{ {} }}", fields.join(", "));
            }
            TypeKind::Enum(e) => {
                let values: Vec<&str> = e.values.iter().map(|v| v.name.wire.as_str()).collect();
                let _ = write!(out, " [{}]", values.join(", "));
            }
            TypeKind::Union(u) => {
                let variants: Vec<String> = u
                    .variants
                    .iter()
                    .map(|v| match v.tags.as_slice() {
                        [] => type_label(api, &v.ty),
                        tags => format!("{}={}", tags.join("|"), type_label(api, &v.ty)),
                    })
                    .collect();
                let _ = write!(out, " ({})", variants.join(" | "));
            }
            TypeKind::Alias(ty) => {
                let _ = write!(out, " = {}", type_label(api, ty));
            }
        }
        out.push('\n');
    }
    out
}
