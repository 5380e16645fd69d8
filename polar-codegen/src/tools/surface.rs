//! The API surface as plain text, one line per operation, webhook event and model,
//! for `insta` snapshots: a spec update shows up as a readable diff. Types are shown by
//! the Rust names the plan gives them.

use std::fmt::Write as _;

use crate::ir::{Literal, Primitive, ResponseBody, TypeKind, TypeRef};
use crate::plan::Plan;

/// A readable type expression for a reference.
pub fn type_label(plan: &Plan, ty: &TypeRef) -> String {
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
        TypeRef::Named(id) => plan
            .names
            .get(id)
            .map(|names| names.name.clone())
            .unwrap_or_else(|| format!("?{id}")),
        TypeRef::Array(inner) => format!("[{}]", type_label(plan, inner)),
        TypeRef::Map { key, value } => {
            format!("{{{}: {}}}", type_label(plan, key), type_label(plan, value))
        }
        TypeRef::Tuple(items) => format!(
            "({})",
            items
                .iter()
                .map(|i| type_label(plan, i))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TypeRef::Nullable(inner) => format!("{}?", type_label(plan, inner)),
        TypeRef::Literal(Literal::String(s)) => format!("{s:?}"),
        TypeRef::Literal(Literal::Bool(b)) => b.to_string(),
        TypeRef::Null => "null".to_owned(),
        TypeRef::Any => "any".to_owned(),
    }
}

pub fn operations(plan: &Plan) -> String {
    let mut out = String::new();
    for op in &plan.api.operations {
        let ret = match &op.success.body {
            ResponseBody::Json(ty) => type_label(plan, ty),
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

pub fn webhooks(plan: &Plan) -> String {
    let mut out = String::new();
    for hook in &plan.api.webhooks {
        let payload = plan.type_name(&hook.payload);
        let _ = writeln!(out, "{} -> {}", hook.event, payload);
    }
    out
}

pub fn models(plan: &Plan) -> String {
    let mut defs: Vec<_> = plan.api.types.values().collect();
    defs.sort_by(|a, b| plan.type_name(&a.id).cmp(plan.type_name(&b.id)));
    let mut out = String::new();
    for def in defs {
        let _ = write!(out, "{} {}", plan.type_name(&def.id), def.kind.label());
        match &def.kind {
            TypeKind::Struct(s) => {
                let fields: Vec<String> = s
                    .fields
                    .iter()
                    .map(|f| {
                        format!(
                            "{}{}: {}",
                            f.name,
                            if f.required { "" } else { "?" },
                            type_label(plan, &f.ty)
                        )
                    })
                    .collect();
                let _ = write!(out, " {{ {} }}", fields.join(", "));
            }
            TypeKind::Enum(e) => {
                let values: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
                let _ = write!(out, " [{}]", values.join(", "));
            }
            TypeKind::Union(u) => {
                let variants: Vec<String> = u
                    .variants
                    .iter()
                    .map(|v| match v.tags.as_slice() {
                        [] => type_label(plan, &v.ty),
                        tags => format!("{}={}", tags.join("|"), type_label(plan, &v.ty)),
                    })
                    .collect();
                let _ = write!(out, " ({})", variants.join(" | "));
            }
            TypeKind::Alias(ty) => {
                let _ = write!(out, " = {}", type_label(plan, ty));
            }
        }
        out.push('\n');
    }
    out
}
