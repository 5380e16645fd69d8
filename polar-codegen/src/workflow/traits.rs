//! Per-action facts a workflow platform uses for approval, safe re-runs and dropdowns:
//! read-only / destructive / idempotent flags, the dedupe key and dynamic options.
//!
//! The rules (also in docs/catalog.md):
//! - `read_only`: the method is GET or HEAD.
//! - `destructive`: the method is DELETE, or the operation's name says it removes,
//!   revokes or ends something (`revoke`, `cancel`, `anonymize`, `delete`, `remove`…),
//!   whatever its method (Polar cancels a subscription with DELETE and revokes a token
//!   with POST).
//! - `idempotent`: the method is idempotent in HTTP (GET, HEAD, PUT, DELETE). POST and
//!   PATCH are not, even when they look safe, which matches the client's retry policy.
//! - dedupe key: a body field called `external_id`, at the top level or in the items of a
//!   top-level array (`events[].external_id` for event ingestion).
//! - dynamic options: an argument `<resource>_id` or `<resource>_ids` whose resource has a
//!   list action (the group `<resource>s`, or a list whose item type is `<Resource>`).

use crate::ir::{Api, HttpMethod, Name, Operation, TypeKind, TypeRef};
use crate::workflow::input::{Argument, ArgumentSource};

/// Words in an operation's name that mean it removes or ends something.
const DESTRUCTIVE_WORDS: &[&str] = &[
    "delete",
    "revoke",
    "cancel",
    "anonymize",
    "remove",
    "archive",
    "erase",
    "invalidate",
];

/// Fields shown as the label of a candidate, in order of preference.
const LABEL_FIELDS: &[&str] = &[
    "name",
    "email",
    "title",
    "label",
    "display_name",
    "key",
    "slug",
    "description",
];

pub fn read_only(op: &Operation) -> bool {
    matches!(op.http_method, HttpMethod::Get | HttpMethod::Head)
}

pub fn destructive(op: &Operation) -> bool {
    if op.http_method == HttpMethod::Delete {
        return true;
    }
    let name = op.method_name.to_ascii_lowercase();
    !read_only(op)
        && name
            .split('_')
            .any(|word| DESTRUCTIVE_WORDS.iter().any(|d| word.starts_with(d)))
}

pub fn idempotent(op: &Operation) -> bool {
    matches!(
        op.http_method,
        HttpMethod::Get | HttpMethod::Head | HttpMethod::Put | HttpMethod::Delete
    )
}

/// The dedupe key's path in the arguments, e.g. `external_id` or `events[].external_id`.
pub fn dedupe_key(api: &Api, op: &Operation, arguments: &[Argument]) -> Option<String> {
    if read_only(op) {
        return None;
    }
    for arg in arguments {
        if !matches!(
            arg.source,
            ArgumentSource::BodyField | ArgumentSource::WholeBody
        ) {
            continue;
        }
        if arg.name == "external_id" {
            return Some(arg.name.clone());
        }
        let item = match strip_null(&arg.ty) {
            TypeRef::Array(item) => item,
            _ => continue,
        };
        if has_field(api, item, "external_id") {
            return Some(format!("{}[].external_id", arg.name));
        }
    }
    None
}

/// A list action that enumerates the candidates of an id argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DynamicOption {
    pub argument: String,
    pub action: String,
    pub value_field: String,
    pub label_field: String,
}

pub fn dynamic_options(api: &Api, arguments: &[Argument]) -> Vec<DynamicOption> {
    arguments
        .iter()
        .filter_map(|arg| {
            let resource = arg
                .name
                .strip_suffix("_ids")
                .or_else(|| arg.name.strip_suffix("_id"))?;
            if resource.is_empty() || !is_id_type(&arg.ty) {
                return None;
            }
            let list = list_action(api, resource)?;
            let item = &list.pagination.as_ref()?.item;
            Some(DynamicOption {
                argument: arg.name.clone(),
                action: list.operation_id.clone(),
                value_field: "id".to_owned(),
                label_field: label_field(api, item),
            })
        })
        .collect()
}

/// The list action of a resource: organization-token, paginated, `GET`, in the group
/// `<resource>s` or listing items of type `<Resource>`.
pub fn list_action<'a>(api: &'a Api, resource: &str) -> Option<&'a Operation> {
    let group = format!("{resource}s");
    let item_name = Name::from_phrase(resource);
    let lists = api.operations.iter().filter(|op| {
        op.pagination.is_some()
            && op.http_method == HttpMethod::Get
            && super::uses_access_token(op)
            // A dropdown cannot fill a parent id first.
            && op.params.iter().all(|p| !p.required)
    });
    // Group names are spelled `license_keys` or `benefit-grants`.
    let in_group = |op: &&Operation| op.group.len() == 1 && op.group[0].replace('-', "_") == group;
    let by_group = lists
        .clone()
        .filter(in_group)
        .min_by_key(|op| (op.method_name != "list", op.method_name.len()));
    by_group.or_else(|| {
        lists.clone().find(|op| {
            let item = op.pagination.as_ref().map(|p| &p.item);
            matches!(item, Some(TypeRef::Named(id)) if api.types.get(id).is_some_and(|d| d.name == item_name))
        })
    })
}

/// The first [`LABEL_FIELDS`] entry the item has, preferring one that is always set
/// (a customer's `name` may be null, its `email` not); `id` if none.
fn label_field(api: &Api, item: &TypeRef) -> String {
    let fields = struct_fields(api, item);
    let always = LABEL_FIELDS.iter().find(|name| {
        fields
            .iter()
            .any(|(n, required, nullable)| n == *name && *required && !*nullable)
    });
    let any = LABEL_FIELDS
        .iter()
        .find(|name| fields.iter().any(|(n, _, _)| n == *name));
    always.or(any).map_or("id", |n| n).to_owned()
}

/// Fields of a struct, or of a union's first struct branch: (wire name, required, nullable).
fn struct_fields(api: &Api, ty: &TypeRef) -> Vec<(String, bool, bool)> {
    let TypeRef::Named(id) = ty else {
        return Vec::new();
    };
    match api.types.get(id).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => s
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.required, f.nullable()))
            .collect(),
        Some(TypeKind::Union(u)) => u
            .variants
            .iter()
            .map(|v| struct_fields(api, &v.ty))
            .find(|f| !f.is_empty())
            .unwrap_or_default(),
        Some(TypeKind::Alias(inner)) => struct_fields(api, inner),
        _ => Vec::new(),
    }
}

fn has_field(api: &Api, ty: &TypeRef, name: &str) -> bool {
    struct_fields(api, ty).iter().any(|(n, _, _)| n == name)
}

fn strip_null(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Nullable(inner) => strip_null(inner),
        other => other,
    }
}

fn is_id_type(ty: &TypeRef) -> bool {
    use crate::ir::Primitive;
    match strip_null(ty) {
        TypeRef::Primitive(Primitive::Uuid | Primitive::String) => true,
        TypeRef::Array(item) => is_id_type(item),
        _ => false,
    }
}
